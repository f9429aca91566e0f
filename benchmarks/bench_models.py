"""Gazetteer ablation and CPU inference speed of the trained extractors (benchmarks/RESULTS_models.md).

For each seed, a random third of the gazetteer's national and local agency entries is held out
(``directive_nlp.lexicons.holding_out``: in memory, the shipped lexicon is untouched; the seeds
differ from the ones the ranker's gazetteer dropout used in training).  On dev + test we report the
recall of the gold agencies those entries name: the rules with the full and with the reduced
gazetteer, the span tagger alone (it never reads the gazetteer), the span ranker alone and the
default ensemble (rules + ranker) with the reduced gazetteer.  Speeds are articles per second on
one CPU core, warm, over the same articles.

    .venv/bin/python benchmarks/bench_models.py --seeds 11 12 13
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def held_out_entries(seed: int) -> list[dict]:
    from directive_nlp.lexicons import gazetteer_entries

    entries = [e for e in gazetteer_entries() if e.get("kind", "agency") == "agency"]
    return random.Random(seed).sample(entries, len(entries) // 3)


def held_gold(rows: list[dict], held: list[dict]) -> list[tuple[dict, dict]]:
    """(row, gold agency) pairs whose agency is one of the held-out entries."""
    from directive_nlp.evaluate import names_match

    out = []
    for r in rows:
        for g in r["gold"].get("agencies") or []:
            if g.get("nested_only"):
                continue
            if any(names_match(n, None, g) for e in held for n in [e["canonical"], *e.get(r["lang"], [])]):
                out.append((r, g))
    return out


def recall(pairs: list[tuple[dict, dict]], found: dict[str, list[dict]]) -> float:
    from directive_nlp.evaluate import names_match

    hit = sum(any(names_match(a["name"], a.get("canonical"), g) for a in found.get(r["id"], [])) for r, g in pairs)
    return hit / max(1, len(pairs))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, nargs="+", default=[11, 12, 13])
    ap.add_argument("--models", default=str(ROOT / "src" / "directive_nlp" / "models" / "data"))
    ap.add_argument("--results", default=None, help="RESULTS.md to write the speed table into (its models section)")
    args = ap.parse_args()

    import torch

    torch.set_num_threads(1)
    from directive_nlp import Pipeline
    from directive_nlp.evaluate import load_jsonl
    from directive_nlp.extract.agencies import find_agencies, home_province
    from directive_nlp.lexicons import holding_out
    from directive_nlp.models.classifier import DirectiveClassifier, sentence_examples
    from directive_nlp.models.ranker import AgencyRanker
    from directive_nlp.models.tagger import SpanTagger
    from directive_nlp.segment import segment

    rows = load_jsonl(str(ROOT / "corpus" / "dev.jsonl")) + load_jsonl(str(ROOT / "corpus" / "test.jsonl"))
    models = Path(args.models)
    tagger, ranker, clf = SpanTagger.load(models / "tagger"), AgencyRanker.load(models / "ranker"), DirectiveClassifier.load(models / "classifier")
    content = {r["id"]: [(s.start, s.end) for s in segment(r["text"], r["lang"]) if s.is_content] for r in rows}

    def timed(fn) -> tuple[dict, float]:
        fn(rows[0])  # warm
        t0 = time.perf_counter()
        out = {r["id"]: fn(r) for r in rows}
        return out, round(len(rows) / (time.perf_counter() - t0), 1)

    def pipeline(extractors: str):
        pipe = Pipeline(extractors=extractors, models_dir=str(models))
        return lambda r: [a.model_dump() for a in pipe.extract(r["text"], published=r.get("published"), lang=r["lang"], article_id=r["id"]).agencies]

    def rules_agencies(r):
        return find_agencies(r["text"], content[r["id"]], r["lang"], home_province(r["text"], r["lang"]))

    def tagger_alone(r):
        return [a.model_dump() for a in tagger.agencies(r["text"], content[r["id"]], r["lang"], home_province(r["text"], r["lang"]), 0.3)]

    def ranker_alone(r):
        return [a.model_dump() for a in ranker.agencies(r["text"], content[r["id"]], r["lang"], rules_agencies(r), 0.5, "model")]

    ex = sentence_examples(rows)
    by_article: dict[str, list] = {}
    for e in ex:
        by_article.setdefault(e.article_id, []).append(e)
    speed = {}
    _, speed["rules pipeline"] = timed(pipeline("rules"))
    _, speed["classifier (directive sentences of an article, one call)"] = timed(lambda r: clf.proba_many(by_article.get(r["id"], [])))
    _, speed["ranker (an article's candidates, one call; rules' mentions given)"] = timed(lambda r: ranker.scored(r["text"], r["lang"], content[r["id"]], rules_agencies(r)))
    _, speed["tagger (an article's windows, batched)"] = timed(lambda r: tagger.spans([r["text"]]))
    _, speed["default ensemble pipeline (rules + classifier + ranker)"] = timed(pipeline("ensemble"))
    out: dict = {"articles": len(rows), "speed_articles_per_s": speed, "ablation": []}
    for seed in args.seeds:
        held = held_out_entries(seed)
        pairs = held_gold(rows, held)
        res = {"seed": seed, "held_out_entries": len(held), "held_out_gold_mentions": len(pairs)}
        res["rules, full gazetteer"] = round(recall(pairs, timed(pipeline("rules"))[0]), 4)
        with holding_out(e["canonical"] for e in held):
            res["rules, reduced gazetteer"] = round(recall(pairs, timed(pipeline("rules"))[0]), 4)
            res["tagger alone"] = round(recall(pairs, timed(tagger_alone)[0]), 4)
            res["ranker alone (reads the reduced rules)"] = round(recall(pairs, timed(ranker_alone)[0]), 4)
            res["default ensemble, reduced gazetteer"] = round(recall(pairs, timed(pipeline("ensemble"))[0]), 4)
        out["ablation"].append(res)
    print(json.dumps(out, indent=2, ensure_ascii=False))
    if args.results:
        import platform
        import sys

        sys.path.insert(0, str(ROOT / "benchmarks"))
        from bench_extract import write_section

        table = "\n".join(f"| {k} | {v} |" for k, v in speed.items())
        text = f"""
## Trained models: CPU inference speed

Machine: {platform.machine()}, 2 cores, Python {platform.python_version()}, torch {torch.__version__} (one thread); command:
`python benchmarks/bench_models.py --results benchmarks/RESULTS.md`. Dev + test ({len(rows)} articles, both
languages), warm, one process; model loading not counted (a `Pipeline` loads its models once).

| what | articles/s |
|---|---|
{table}

Recall of agencies missing from a reduced gazetteer and the scores per field: `benchmarks/RESULTS_models.md`.
"""
        write_section(Path(args.results), "", text)


if __name__ == "__main__":
    main()
