"""The gold corpus is valid, and accuracy on its test split never drops below the recorded floors."""

import json


from directive_nlp.corpus import validate_files, validate_row
from directive_nlp.evaluate import evaluate

from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

SPLITS = [CORPUS / f"{s}.jsonl" for s in ("train", "dev", "test")]


def test_corpus_is_valid_and_large_enough():
    n, problems = validate_files(SPLITS)
    assert problems == []
    rows = [json.loads(l) for f in SPLITS for l in f.open(encoding="utf-8") if l.strip()]
    langs = [r["lang"] for r in rows]
    assert langs.count("vi") >= 300 and langs.count("en") >= 300


def test_unseen_split_is_valid_and_apart():
    n, problems = validate_files([CORPUS / "unseen.jsonl"])
    assert problems == [] and n >= 100
    unseen = {json.loads(l)["id"] for l in (CORPUS / "unseen.jsonl").open(encoding="utf-8") if l.strip()}
    pool = {json.loads(l)["id"] for f in SPLITS for l in f.open(encoding="utf-8") if l.strip()}
    assert not unseen & pool, "an unseen article is also in train/dev/test"


def test_validator_reports_problems():
    row = {"id": "x", "lang": "vi", "text": "Sở Y tế chủ trì.", "gold": {
        "document_refs": ["15-NQ/TƯ"], "dates": ["30/11/2022"], "agencies": [{"name": "Sở Tài chính", "role": "boss"}],
        "targets": [{"text": "8%", "value": "8", "comparator": ">"}], "directives": [{"text": "not in text", "agencies": []}]}}
    errs = " | ".join(validate_row(row))
    for expected in ("not canonical", "not normalized", "role 'boss'", "neither the name", "is not a number", "comparator '>'", "not found in the article"):
        assert expected in errs


def test_test_split_floors(rules):
    floors = json.loads((CORPUS / "floors.json").read_text())["floors"]
    rows = [json.loads(l) for l in (CORPUS / "test.jsonl").open(encoding="utf-8") if l.strip()]
    preds = {r["id"]: rules.extract(r["text"], published=r.get("published"), lang=r["lang"], article_id=r["id"]).model_dump(mode="json") for r in rows}
    _, agg = evaluate(rows, preds)
    below = {(lang, f): (round(agg[lang][f].f1, 3), floor) for lang, fs in floors.items() for f, floor in fs.items() if agg[lang][f].f1 < floor}
    assert not below, f"(lang, field): (F1, floor) below the recorded floor: {below}"


def test_default_ensemble_is_at_least_the_rules_on_test(rules):
    from directive_nlp import Pipeline
    from directive_nlp.models import SHIPPED_MODELS_DIR as models

    assert (models / "ensemble.yaml").is_file(), "the shipped models are package data"
    min_recall = json.loads((CORPUS / "floors.json").read_text())["ensemble"]["min_agency_recall"]
    rows = [json.loads(l) for l in (CORPUS / "test.jsonl").open(encoding="utf-8") if l.strip()]
    ensemble = Pipeline(extractors="ensemble", models_dir=str(models))
    aggs = {}
    for name, pipe in (("rules", rules), ("ensemble", ensemble)):
        preds = {r["id"]: pipe.extract(r["text"], published=r.get("published"), lang=r["lang"], article_id=r["id"]).model_dump(mode="json") for r in rows}
        aggs[name] = evaluate(rows, preds)[1]
    fields = ("document_refs", "dates", "agencies", "targets", "directives")
    worse = {(lang, f): (round(aggs["ensemble"][lang][f].f1, 3), round(aggs["rules"][lang][f].f1, 3))
             for lang in ("en", "vi") for f in fields if aggs["ensemble"][lang][f].f1 < aggs["rules"][lang][f].f1 - 1e-9}
    assert not worse, f"(lang, field): (ensemble F1, rules F1) where the default pipeline is below the rules: {worse}"
    for lang in ("en", "vi"):
        recall = aggs["ensemble"][lang]["agencies"].recall
        assert recall >= max(aggs["rules"][lang]["agencies"].recall, min_recall[lang]), (lang, round(recall, 3))
    record_floors = json.loads((CORPUS / "floors.json").read_text())["ensemble"]["records"]
    low = {lang: round(aggs["ensemble"][lang]["records"].f1, 3) for lang, floor in record_floors.items() if aggs["ensemble"][lang]["records"].f1 < floor}
    assert not low, f"whole-record F1 of the default pipeline below its floor {record_floors}: {low}"


def test_unseen_split_floors():
    """The default pipeline on the split nobody tunes on: a regression guard, never a tuning target."""
    from directive_nlp import Pipeline

    spec = json.loads((CORPUS / "floors.json").read_text())["unseen"]
    rows = [json.loads(l) for l in (CORPUS / "unseen.jsonl").open(encoding="utf-8") if l.strip()]
    pipe = Pipeline(extractors=spec["extractors"])
    preds = {r["id"]: pipe.extract(r["text"], published=r.get("published"), lang=r["lang"], article_id=r["id"]).model_dump(mode="json") for r in rows}
    _, agg = evaluate(rows, preds)
    below = {(lang, f): (round(agg[lang][f].f1, 3), floor) for lang, fs in spec["floors"].items() for f, floor in fs.items() if agg[lang][f].f1 < floor}
    assert not below, f"(lang, field): (F1, floor) on corpus/unseen.jsonl below the recorded floor: {below}"


def test_corpus_validate_reads_the_unseen_split_too():
    # `directive-nlp corpus validate` with no path checks every gold file, ids unique across them
    from directive_nlp.corpus import gold_files

    assert CORPUS / "unseen.jsonl" in gold_files(str(CORPUS))
