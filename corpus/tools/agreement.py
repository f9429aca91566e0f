"""Inter-annotator agreement between two annotations of the same gold articles.

One side (``reference``) is read as gold and the other (``other``) as a prediction, and the
project's own scorer (``directive_nlp.evaluate.score_article``) counts every field: document refs,
dates, agencies, targets by value and unit, directives by sentence overlap, verbs and agency roles
inside matched directives. F1 is symmetric in the two sides (swapping them swaps P and R).

Whole ``records`` follow the spec's last paragraph: a matched directive whose verbs contain one
another, whose acting bodies (``lead``/``coordinate``) match one to one with equal roles, and
whose deadline is the same normalized value (both empty counts as the same).

A body marked ``nested_only`` is optional on either side: the scorer skips it on the reference
side, and it is dropped from the other side here.

    python corpus/tools/agreement.py REFERENCE.jsonl OTHER.jsonl [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from typing import Callable, Optional

from directive_nlp.evaluate import (
    Counts,
    _overlap,
    _span,
    _verbs_match,
    load_jsonl,
    names_match,
    score_article,
)

FIELDS = ("document_refs", "dates", "agencies", "targets", "directives", "directive_verbs", "directive_roles", "records")
ACTING = ("lead", "coordinate")


def as_prediction(row: dict) -> dict:
    """A gold row's annotation in the shape ``score_article`` expects of an extract record."""
    g = row["gold"]
    return {
        "lang": row.get("lang"),
        "document_refs": [{"id": r} for r in g.get("document_refs", [])],
        "dates": [{"value": d} for d in g.get("dates", [])],
        "agencies": [a for a in g.get("agencies", []) if not a.get("nested_only")],
        "targets": list(g.get("targets", [])),
        "directives": list(g.get("directives", [])),
    }


def match_directives(ref: list[dict], other: list[dict], text: str) -> list[tuple[dict, dict]]:
    """(other, reference) pairs: greedy one-to-one by the largest span overlap, at least half."""
    pairs = []
    for oi, o in enumerate(other):
        os_ = _span(o, text)
        for ri, r in enumerate(ref):
            rs = _span(r, text)
            if os_ and rs and _overlap(os_, rs) >= 0.5:
                pairs.append((_overlap(os_, rs), oi, ri))
    used_o: set[int] = set()
    used_r: set[int] = set()
    out = []
    for _, oi, ri in sorted(pairs, reverse=True):
        if oi not in used_o and ri not in used_r:
            used_o.add(oi)
            used_r.add(ri)
            out.append((other[oi], ref[ri]))
    return out


def actors_match(o: dict, r: dict) -> bool:
    """Lead/coordinate bodies one to one by name, roles equal, none extra, none missing."""
    oa = [a for a in o.get("agencies") or [] if a.get("role") in ACTING]
    ra = [a for a in r.get("agencies") or [] if a.get("role") in ACTING]
    used: set[int] = set()
    for a in oa:
        hit = next((i for i, b in enumerate(ra) if i not in used and a["role"] == b.get("role") and names_match(a["name"], a.get("canonical"), b)), None)
        if hit is None:
            return False
        used.add(hit)
    return len(used) == len(ra)


def record_agrees(o: dict, r: dict) -> bool:
    """The spec's whole-record test for a matched pair of directives."""
    same_deadline = (o.get("deadline") or "").strip().casefold() == (r.get("deadline") or "").strip().casefold()
    return _verbs_match(o.get("verb"), r.get("verb")) and actors_match(o, r) and same_deadline


def record_counts(ref_row: dict, other_row: dict) -> tuple[Counts, list[str]]:
    """Records P/R/F1 counts of one article and the reference sentences of disagreeing records."""
    ref, other = ref_row["gold"].get("directives", []), other_row["gold"].get("directives", [])
    pairs = match_directives(ref, other, ref_row["text"])
    good = [r for o, r in pairs if record_agrees(o, r)]
    bad = [r.get("text", "")[:100] for o, r in pairs if not record_agrees(o, r)]
    return Counts(tp=len(good), fp=len(other) - len(good), fn=len(ref) - len(good)), bad


def by_language(row: dict) -> str:
    return row["lang"]


def agreement(reference: list[dict], other: list[dict], group: Callable[[dict], str] = by_language) -> dict:
    """``{"table": {group: {field: Counts}}, "diffs": {id: {field: diff}}}`` over shared ids.

    Raises ValueError when the two sides do not hold the same ids or the same texts."""
    others = {r["id"]: r for r in other}
    if set(others) != {r["id"] for r in reference}:
        raise ValueError("the two annotations do not cover the same article ids")
    table: dict[str, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    diffs: dict[str, dict] = {}
    for row in reference:
        o = others[row["id"]]
        if o["text"] != row["text"]:
            raise ValueError(f"article {row['id']}: the two sides have different texts")
        s = score_article(row, as_prediction(o))
        s.counts["records"], bad_records = record_counts(row, o)
        diffs[row["id"]] = {**s.diff, "records": bad_records}
        for key in (group(row), "all"):
            for f in FIELDS:
                if f in s.counts:
                    table[key][f].add(s.counts[f])
    return {"table": table, "diffs": diffs}


def markdown(table: dict[str, dict[str, Counts]]) -> str:
    """F1 per field (rows) and group (columns), with the reference-side count."""
    keys = sorted(table, key=lambda k: (k == "all", k))
    lines = ["| field | " + " | ".join(f"{k} F1 (n ref)" for k in keys) + " |", "|---" * (len(keys) + 1) + "|"]
    for f in FIELDS:
        cells = [f"{table[k][f].f1:.3f} ({table[k][f].tp + table[k][f].fn})" for k in keys]
        lines.append(f"| {f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("reference")
    ap.add_argument("other")
    ap.add_argument("--json", action="store_true", help="counts and per-article differences as JSON")
    args = ap.parse_args(argv)
    try:
        ref, other = load_jsonl(args.reference), load_jsonl(args.other)
        ids = {r["id"] for r in other}
        res = agreement([r for r in ref if r["id"] in ids], other)
    except (OSError, ValueError, KeyError) as exc:
        print(f"agreement: {exc}", file=sys.stderr)
        return 2
    if args.json:
        out = {"table": {k: {f: c.as_dict() for f, c in v.items()} for k, v in res["table"].items()}, "diffs": res["diffs"]}
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        print(markdown(res["table"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
