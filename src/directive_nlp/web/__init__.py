"""The editor desk: a small web app where editors review and correct extracted records.

Run it with ``directive-nlp serve --db sqlite:///desk.sqlite3``; see ``app.create_app``.
``export_records`` hands the desk's records, with their review fields, to ``directive-nlp export``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator


def export_records(url: str, reviewed_only: bool = False) -> Iterator[dict]:
    """Record dicts of the desk at ``url`` with ``review`` and per-item ``decision`` (``Store.export_dicts``)."""
    from ..export.tables import ExportError
    from .store import Store

    if url.startswith("sqlite:///") and ":memory:" not in url and not Path(url[len("sqlite:///"):]).is_file():
        raise ExportError(f"{url}: no such desk database file")
    try:
        store = Store.open(url)
    except Exception as exc:  # a bad URL, a refused connection, wrong credentials
        raise ExportError(f"{url.split('@')[-1]}: cannot open the desk database: {exc}") from None
    return store.export_dicts(reviewed_only)
