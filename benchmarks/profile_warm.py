"""Profile the warm pipeline on one language: ``python benchmarks/profile_warm.py en [--profile]``.

Reads ``corpus/dev.jsonl`` and ``corpus/train.jsonl``, warms a rules-only and a default pipeline up
on ten articles, then times one pass of each over every article of the language (CPU seconds, so a
loaded machine inflates both alike) and, with ``--profile``, prints cProfile's top functions of a
second default pass (by own time and by cumulative time), and with ``--stages`` the CPU seconds
of each pipeline stage (each function ``pipeline._run`` calls, timed around the call).
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


#: the functions ``pipeline._run`` calls, timed one by one with ``--stages``
STAGES = ("segment", "find_document_refs", "find_short_refs", "find_dates", "home_province", "find_agencies", "classify",
          "not_a_directive", "find_targets", "build_directive", "extract_relations", "ArticleRecord")


def _timed(fn, name: str, spent: dict):
    def wrapper(*a, **k):
        c = time.process_time()
        try:
            return fn(*a, **k)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - c
    return wrapper


def stages(pipe, rows: list[dict], lang: str) -> dict:
    """CPU seconds per stage of one pass (the model calls as ``models.*``)."""
    from directive_nlp import pipeline as mod

    spent: dict = {}
    saved = {n: getattr(mod, n) for n in STAGES}
    models = pipe._model_set()
    for n in STAGES:
        setattr(mod, n, _timed(saved[n], n, spent))
    if models:
        for n in ("directives", "agencies"):
            setattr(models, n, _timed(getattr(models, n), "models." + n, spent))
    try:
        spent["total"] = one_pass(pipe, rows, lang)
    finally:
        for n in STAGES:
            setattr(mod, n, saved[n])
        if models:
            for n in ("directives", "agencies"):
                delattr(models, n)
    return spent


def main(argv=None) -> int:
    from directive_nlp import Pipeline

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("lang", choices=["en", "vi"])
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--stages", action="store_true")
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args(argv)
    rows = rows_of(args.lang)
    rules, default = Pipeline(extractors="rules"), Pipeline(extractors="ensemble")
    for pipe in (rules, default):
        one_pass(pipe, rows[:10], args.lang)
    tr, td = one_pass(rules, rows, args.lang), one_pass(default, rows, args.lang)
    print(f"{args.lang}: {len(rows)} articles, rules {len(rows) / tr:.0f} art/s, default {len(rows) / td:.0f} art/s (CPU)")
    if args.stages:
        for name, pipe in (("rules", rules), ("default", default)):
            spent = stages(pipe, rows, args.lang)
            print(f"{name}: " + ", ".join(f"{k} {v * 1000 / len(rows):.2f}" for k, v in sorted(spent.items(), key=lambda kv: -kv[1])) + " (ms/article)")
    if args.profile:
        prof = cProfile.Profile(time.process_time)
        prof.runcall(one_pass, default, rows, args.lang)
        stats = pstats.Stats(prof)
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
