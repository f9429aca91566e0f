"""``extract --format json|csv``: the same records as JSONL, in other shapes."""

from __future__ import annotations

import csv
import json
from typing import IO, Iterable

from .batch import Summary
from .schema import ArticleRecord

CSV_COLUMNS = ["article_id", "lang", "published", "directive_id", "text", "start", "end", "verb", "agencies", "document_refs", "deadline", "targets", "confidence", "errors"]


def write_records(recs: Iterable[ArticleRecord], out: IO[str], fmt: str) -> Summary:
    """JSON: one array of records.  CSV: one row per directive (an article without any gets one row)."""
    summary = Summary()
    if fmt == "json":
        out.write("[")
        for i, rec in enumerate(recs):
            out.write(("," if i else "") + "\n" + json.dumps(rec.model_dump(mode="json"), ensure_ascii=False))
            summary.add(rec)
        out.write("\n]\n")
        return summary
    w = csv.writer(out)
    w.writerow(CSV_COLUMNS)
    for rec in recs:
        summary.add(rec)
        errs = "; ".join(f"{e.source}: {e.reason}" for e in rec.errors)
        if not rec.directives:
            w.writerow([rec.id, rec.lang, rec.published, "", "", "", "", "", "", "", "", "", "", errs])
        for d in rec.directives:
            w.writerow([
                rec.id, rec.lang, rec.published, d.id, d.text, d.start, d.end, d.verb,
                "; ".join(f"{a.canonical or a.name} ({a.role})" for a in d.agencies), "; ".join(d.document_refs),
                d.deadline or "", "; ".join(f"{t.comparator}{t.value} {t.unit}" for t in d.targets), d.confidence, errs,
            ])
    return summary
