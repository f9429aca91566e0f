"""One predict loop over gold rows, shared by ``directive-nlp evaluate`` and model training.

    >>> rows = [{"id": "a", "lang": "en", "text": "The city must speed up site clearance."}]
    >>> predict(rows, "rules")["a"]["directives"][0]["verb"]
    'speed up'
"""

from __future__ import annotations

from typing import Iterable, Optional

from .errors import InputError
from .pipeline import Pipeline, error_record


def predict(rows: Iterable[dict], extractors: str = "ensemble", models_dir: Optional[str] = None) -> dict[str, dict]:
    """``{id: record dict}`` for each row (``id``, ``text`` and optional ``lang``/``published``);
    a row the pipeline refuses (empty text, unsupported language) gets its error record."""
    pipe = Pipeline(extractors=extractors, models_dir=str(models_dir) if models_dir else None)
    out: dict[str, dict] = {}
    for r in rows:
        try:
            rec = pipe.extract(r["text"], published=r.get("published"), lang=r.get("lang"), article_id=r["id"])
        except InputError as exc:
            rec = error_record(r["id"], exc.record())
        out[r["id"]] = rec.model_dump(mode="json")
    return out
