"""Profile the warm pipeline on one language: ``python benchmarks/profile_warm.py en [--profile]``.

Reads ``corpus/dev.jsonl`` and ``corpus/train.jsonl``, warms a rules-only and a default pipeline up
on ten articles, then times one pass of each over every article of the language (CPU seconds, so a
loaded machine inflates both alike) and, with ``--profile``, prints cProfile's top functions of a
second default pass (by own time and by cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def rows_of(lang: str) -> list[dict]:
    out = []
    for name in ("dev.jsonl", "train.jsonl"):
        with open(ROOT / "corpus" / name, encoding="utf-8") as fh:
            out += [r for r in map(json.loads, fh) if r["lang"] == lang]
    return out


def one_pass(pipe, rows: list[dict], lang: str) -> float:
    c = time.process_time()
    for r in rows:
        pipe.extract(r["text"], published=r.get("published"), lang=lang, article_id=r["id"])
    return time.process_time() - c


def main(argv=None) -> int:
    from directive_nlp import Pipeline

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("lang", choices=["en", "vi"])
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args(argv)
    rows = rows_of(args.lang)
    rules, default = Pipeline(extractors="rules"), Pipeline(extractors="ensemble")
    for pipe in (rules, default):
        one_pass(pipe, rows[:10], args.lang)
    tr, td = one_pass(rules, rows, args.lang), one_pass(default, rows, args.lang)
    print(f"{args.lang}: {len(rows)} articles, rules {len(rows) / tr:.0f} art/s, default {len(rows) / td:.0f} art/s (CPU)")
    if args.profile:
        prof = cProfile.Profile(time.process_time)
        prof.runcall(one_pass, default, rows, args.lang)
        stats = pstats.Stats(prof)
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
