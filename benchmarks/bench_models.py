"""Gazetteer ablation and inference speed of the trained extractors (benchmarks/RESULTS_models.md).

A random third of the gazetteer's national and local agency entries is held out (filtered in
memory, the shipped lexicon is untouched).  On dev + test we report the recall of the gold agencies
those entries name: the rules with the reduced gazetteer (their naming patterns still work), the
rules with the full gazetteer, and the span tagger (which never reads the gazetteer).

    .venv/bin/python benchmarks/bench_models.py --seed 0
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def held_out_entries(seed: int) -> list[dict]:
    from directive_nlp.lexicons import _load

    data = _load("shared/agencies.yaml")
    entries = [e for scope in ("national", "local") for e in data[scope] if e.get("kind", "agency") == "agency"]
    rng = random.Random(seed)
    return rng.sample(entries, len(entries) // 3)


def patch_gazetteer(held: list[dict]) -> None:
    """Make the rules' agency finder use the gazetteer without the held-out entries."""
    from directive_nlp.extract import agencies as ag
    from directive_nlp.lexicons import agency_names, word_alternation

    drop = {e["canonical"] for e in held}
    cache: dict = {}

    def names(lang):
        if lang not in cache:
            cache[lang] = {k: v for k, v in agency_names(lang).items() if not (v.scope in ("national", "local") and v.canonical in drop)}
        return cache[lang]

    regexes: dict = {}

    def regex(lang):
        if lang not in regexes:
            regexes[lang] = re.compile(word_alternation(names(lang)), re.IGNORECASE if lang == "vi" else 0)
        return regexes[lang]

    ag.agency_names = names
    ag.agency_regex = regex


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
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--models", default=str(ROOT / "models"))
    args = ap.parse_args()

    from directive_nlp import Pipeline
    from directive_nlp.evaluate import load_jsonl
    from directive_nlp.extract.agencies import home_province
    from directive_nlp.models.classifier import DirectiveClassifier
    from directive_nlp.models.tagger import SpanTagger
    from directive_nlp.segment import segment

    rows = load_jsonl(str(ROOT / "corpus" / "dev.jsonl")) + load_jsonl(str(ROOT / "corpus" / "test.jsonl"))
    held = held_out_entries(args.seed)
    pairs = held_gold(rows, held)
    out: dict = {"held_out_entries": len(held), "held_out_gold_mentions": len(pairs), "articles": len(rows)}

    def run(pipe) -> tuple[dict, float]:
        t0 = time.time()
        recs = {r["id"]: pipe.extract(r["text"], published=r.get("published"), lang=r["lang"], article_id=r["id"]) for r in rows}
        return {k: [a.model_dump() for a in v.agencies] for k, v in recs.items()}, len(rows) / (time.time() - t0)

    full, out["rules_articles_per_s"] = run(Pipeline(extractors="rules"))
    out["rules_full_gazetteer_recall"] = round(recall(pairs, full), 4)

    tagger = SpanTagger.load(Path(args.models) / "tagger")
    t0 = time.time()
    tagged = {}
    for r in rows:
        content = [(s.start, s.end) for s in segment(r["text"], r["lang"]) if s.is_content]
        tagged[r["id"]] = [a.model_dump() for a in tagger.agencies(r["text"], content, r["lang"], home_province(r["text"], r["lang"]), 0.0)]
    out["tagger_articles_per_s"] = round(len(rows) / (time.time() - t0), 2)
    out["tagger_recall"] = round(recall(pairs, tagged), 4)

    clf = DirectiveClassifier.load(Path(args.models) / "classifier")
    from directive_nlp.models.classifier import sentence_examples

    ex = sentence_examples(rows)
    t0 = time.time()
    for r in rows:
        clf.proba_many([e for e in ex if e.article_id == r["id"]])
    out["classifier_articles_per_s"] = round(len(rows) / (time.time() - t0), 2)
    _, out["ensemble_articles_per_s"] = run(Pipeline(extractors="ensemble", models_dir=args.models))

    patch_gazetteer(held)
    ablated, _ = run(Pipeline(extractors="rules"))
    out["rules_ablated_gazetteer_recall"] = round(recall(pairs, ablated), 4)
    union = {k: v + [a for a in tagged[k] if not any(a["start"] < b["end"] and b["start"] < a["end"] for b in v)] for k, v in ablated.items()}
    out["rules_ablated_plus_tagger_recall"] = round(recall(pairs, union), 4)
    out["rules_articles_per_s"] = round(out["rules_articles_per_s"], 2)
    out["ensemble_articles_per_s"] = round(out["ensemble_articles_per_s"], 2)
    out["held_out"] = sorted(e["canonical"] for e in held)
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
