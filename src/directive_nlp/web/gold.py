"""The desk's reviewed articles as gold rows (``corpus from-desk``): editors' corrections become
training and evaluation data in the corpus format that ``corpus validate``, ``train`` and
``evaluate`` read.

A gold row is the reviewed record (rejected items left out, edits applied, added items in) in the
shape of ``corpus.preannotate_row``; a body an editor named only inside a directive joins the
article's agency list with its strongest role.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from ..corpus import preannotate_row, validate_row
from ..schema import ArticleRecord, Role


def gold_row(rec: ArticleRecord) -> dict:
    """One reviewed record as a gold row."""
    row = preannotate_row(rec)
    agencies = {(a["canonical"] or a["name"]).casefold(): a for a in row["gold"]["agencies"]}
    for d in rec.directives:
        for a in d.agencies:
            key = (a.canonical or a.name).casefold()
            cur = agencies.get(key)
            if cur is None:
                agencies[key] = {"name": a.name, "canonical": a.canonical, "role": a.role, "aliases": [], "nested_only": False}
            elif Role(a.role).strength > Role(cur["role"]).strength:
                cur["role"] = a.role
            if cur is not None and a.name != cur["name"] and a.name not in cur["aliases"]:
                cur["aliases"].append(a.name)
    row["gold"]["agencies"] = list(agencies.values())
    row["gold"]["directives"] = [{**g, "targets": [t.model_dump(include={"text", "start", "end", "value", "unit", "comparator", "deadline"}, exclude_none=True)
                                                   for t in d.targets]}
                                 for g, d in zip(row["gold"]["directives"], rec.directives)]
    return row


def gold_rows(store) -> Iterator[tuple[str, dict, list[str]]]:
    """(article id, gold row, problems) for every reviewed article of the desk."""
    for rec in store.export(reviewed_only=True):
        row = gold_row(rec)
        yield rec.id, row, validate_row(row)


def write_gold(store, path: str) -> tuple[int, list[str]]:
    """Write the reviewed articles to ``path``; returns (rows written, 'id: problem' for each row left out)."""
    n, skipped = 0, []
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for aid, row, problems in gold_rows(store):
            if problems:
                skipped.append(f"{aid}: " + "; ".join(problems[:3]))
                continue
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n, skipped
