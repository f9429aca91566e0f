"""Training commands: ``directive-nlp train classifier|tagger`` and what they share.

Each command trains on ``corpus/train.jsonl``, tunes its ensemble setting on ``corpus/dev.jsonl``
(per language: ``rules``, ``model`` or ``union``, and the probability threshold), switches the
model on in ``ensemble.yaml`` only where it beats the rules on dev, scores dev and test, and
writes the model card with the sha256 of every file.

    $ directive-nlp train classifier --seed 0 --out models
"""

from __future__ import annotations

import json
import shlex
import sys
import time
from pathlib import Path
from typing import Callable, Optional

import yaml

from ..evaluate import _score_directives, aggregate, evaluate, load_jsonl
from .config import sha256_file

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "corpus"
#: where ``train`` writes by default: the shipped models folder (package data) the pipeline loads
DEFAULT_OUT = Path(__file__).resolve().parent / "data"
LANGS = ("en", "vi")
ENSEMBLE_MODES = ("union",)  # what `train` may switch on for directives in the default ensemble


# -- shared helpers ------------------------------------------------------------------------------


def scores(rows: list[dict], extractors: str, models_dir: Optional[Path]) -> dict:
    """``{lang: {field: Counts}}`` of a pipeline on gold rows."""
    from ..predict import predict

    _, agg = evaluate(rows, predict(rows, extractors, models_dir))
    return agg


def read_config(out: Path) -> dict:
    path = out / "ensemble.yaml"
    if path.is_file():
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {}


def write_config(out: Path, data: dict) -> None:
    head = (
        "# Which extractor decides each field, per language (written by `directive-nlp train`).\n"
        "# mode: rules | model | union (rules plus what the model adds); thresholds tuned on corpus/dev.jsonl.\n"
        "# A model is switched on only where it beats the rules on dev.\n"
    )
    (out / "ensemble.yaml").write_text(head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def f1_table(results: dict[str, dict], fields: tuple[str, ...]) -> str:
    """A Markdown table: rows = split/extractors, columns = field F1 per language."""
    cols = [(f, lang) for f in fields for lang in (*LANGS, "all")]
    lines = ["| split | extractors | " + " | ".join(f"{f} {lang}" for f, lang in cols) + " |", "|---|---|" + "---|" * len(cols)]
    for key, agg in results.items():
        split, ex = key.split("/")
        vals = [f"{agg[lang][f].f1:.3f}" if lang in agg and f in agg[lang] else "-" for f, lang in cols]
        lines.append(f"| {split} | {ex} | " + " | ".join(vals) + " |")
    return "\n".join(lines)


def write_card(model_dir: Path, title: str, body: str) -> Path:
    """``MODEL_CARD.md``: the given sections plus the sha256 of every file of the model."""
    files = sorted(p for p in model_dir.iterdir() if p.is_file() and p.name != "MODEL_CARD.md")
    sums = "\n".join(f"| `{p.name}` | {p.stat().st_size} | `{sha256_file(p)}` |" for p in files)
    text = f"# {title}\n\n{body.strip()}\n\n## Files\n| file | bytes | sha256 |\n|---|---|---|\n{sums}\n"
    path = model_dir / "MODEL_CARD.md"
    path.write_text(text, encoding="utf-8")
    return path


def command_line() -> str:
    return "directive-nlp " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if sys.argv and "train" in sys.argv else "directive-nlp train"


# -- directive classifier ------------------------------------------------------------------------


def tune_directives(dev_rows: list[dict], proba: Callable[[list], list]) -> dict[str, dict]:
    """Best mode and threshold per language on dev, by directive F1 (sentence spans as predictions).

    The ensemble mode is ``union`` (rule OR model) or ``rules``; ``model_threshold`` is the best
    threshold of the model alone (``--extractors models``).
    Returns ``{lang: {"mode", "threshold", "f1", "rules_f1", "model_threshold"}}``.
    """
    from .classifier import sentence_examples

    ex = sentence_examples(dev_rows)
    p = proba(ex)
    by_article: dict[str, list] = {}
    for e, pe in zip(ex, p):
        by_article.setdefault(e.article_id, []).append((e, float(pe)))
    rows = {r["id"]: r for r in dev_rows}
    grid = [round(0.05 * i, 2) for i in range(2, 19)]

    def f1(lang: str, mode: str, thr: float) -> float:
        from ..evaluate import Counts

        c = Counts()
        for aid, items in by_article.items():
            row = rows[aid]
            if row["lang"] != lang:
                continue
            pred = []
            for e, pe in items:
                rule = e.hit is not None
                chosen = rule if mode == "rules" else (pe >= thr if mode == "model" else rule or pe >= thr)
                if chosen:
                    pred.append({"start": e.start, "end": e.end, "text": e.text})
            d, _, _, _ = _score_directives(row["gold"].get("directives", []), pred, row["text"])
            c.add(d)
        return c.f1

    out: dict[str, dict] = {}
    for lang in LANGS:
        rules_f1 = f1(lang, "rules", 0.5)
        best = ("rules", 0.5, rules_f1)
        model_best = (0.5, -1.0)
        for mode in ("union", "model"):
            for thr in grid:
                v = f1(lang, mode, thr)
                if mode == "model" and v > model_best[1]:
                    model_best = (thr, v)
                # the default ensemble never drops a rules directive ("rule OR model"): the model
                # alone is what `--extractors models` gives
                if mode in ENSEMBLE_MODES and v > best[2] + 1e-9:
                    best = (mode, thr, v)
        out[lang] = {"mode": best[0], "threshold": best[1], "f1": round(best[2], 4), "rules_f1": round(rules_f1, 4), "model_threshold": model_best[0]}
    return out


def train_classifier(out: Path, seed: int, train_path: Path, dev_path: Path, test_path: Optional[Path], log: Callable[[str], None] = print) -> dict:
    """Train, tune on dev, switch on where it wins, score dev/test and write the card."""
    from .classifier import DirectiveClassifier, sentence_examples

    t0 = time.time()
    train_rows = load_jsonl(str(train_path))
    dev_rows = load_jsonl(str(dev_path))
    ex = sentence_examples(train_rows)
    log(f"training the directive classifier on {len(ex)} sentences of {len(train_rows)} articles ({train_path})")
    clf = DirectiveClassifier.train(ex, seed=seed)
    model_dir = out / clf.name
    clf.meta.update({"train_file": str(train_path.name), "train_articles": len(train_rows)})
    clf.save(model_dir)
    tuned = tune_directives(dev_rows, clf.proba_many)
    log("dev tuning (sentence level): " + json.dumps(tuned))
    cfg = read_config(out)
    cfg["label_set_versions"] = {**cfg.get("label_set_versions", {}), clf.name: clf.meta["label_set_version"]}
    cfg["directives"] = {
        "model": clf.name,
        "mode": {lang: tuned[lang]["mode"] for lang in LANGS},
        "threshold": {lang: tuned[lang]["threshold"] for lang in LANGS},
        "model_threshold": {lang: tuned[lang]["model_threshold"] for lang in LANGS},
    }
    write_config(out, cfg)
    # confirm on the full pipeline: keep a language on the model only if it beats the rules on dev
    results = {"dev/rules": scores(dev_rows, "rules", None)}
    results["dev/ensemble"] = scores(dev_rows, "ensemble", out)
    changed = False
    for lang in LANGS:
        r, e = results["dev/rules"][lang]["directives"].f1, results["dev/ensemble"][lang]["directives"].f1
        if cfg["directives"]["mode"][lang] != "rules" and e <= r:
            log(f"{lang}: the ensemble ({e:.3f}) does not beat the rules ({r:.3f}) on dev directives: rules kept")
            cfg["directives"]["mode"][lang] = "rules"
            changed = True
    if changed:
        write_config(out, cfg)
        results["dev/ensemble"] = scores(dev_rows, "ensemble", out)
    results["dev/models"] = scores(dev_rows, "models", out)
    if test_path is not None and test_path.is_file():
        test_rows = load_jsonl(str(test_path))
        for ex_set in ("rules", "models", "ensemble"):
            results[f"test/{ex_set}"] = scores(test_rows, ex_set, out if ex_set != "rules" else None)
    table = f1_table(results, ("directives", "directive_verbs"))
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    body = f"""
Sentence-level classifier: is a content sentence a directive (EXTRACTION_SPEC.md section 5)?
Version `{meta['label_set_version']}` (labels {meta['labels']}); scikit-learn
`CalibratedClassifierCV(LogisticRegression)` (sigmoid, {meta.get('train_sentences')} training sentences)
over word 1-2-gram and character 2-5-gram TF-IDF of the sentence plus the rules' decision and cue
features (`rule=<reason>`, bullet, trailing colon, modal word, length). Shipped as plain weights
(`classifier.json`: settings and vocabularies; `classifier.npz`: arrays, loaded without pickle) and run by a
NumPy predictor (`directive_nlp.models.linear`) that gives scikit-learn's probabilities.

## Data and split
Trained on `corpus/{train_path.name}` ({len(train_rows)} articles, {meta.get('train_sentences')} content sentences from
`directive_nlp.segment.segment`, {meta.get('train_positive')} labelled directive: a gold directive overlaps the
sentence by at least 50%). Mode and threshold tuned on `corpus/{dev_path.name}` ({len(dev_rows)} articles); test
(`corpus/test.jsonl`) used only for the numbers below. Seed {seed}.

## Ensemble setting (models/ensemble.yaml)
{yaml.safe_dump({'directives': cfg['directives']}, sort_keys=False).strip()}

`union`: the rules' directives plus sentences the model scores at or above the threshold; `model`: the
model alone; `rules`: the classifier is off for that language (it did not beat the rules on dev).

## Metrics (F1, full pipeline, `directive-nlp evaluate corpus/<split>.jsonl --extractors X --json`)
{table}

## Training
`{command_line()}` ({time.time() - t0:.0f} s on CPU, including evaluation).

## Limits
Trained on {len(train_rows)} synthetic articles written by few annotators; the model learns their phrasing.
The verb of a directive the model adds comes from the rules' verb finder and may be empty.
"""
    write_card(model_dir, "Directive sentence classifier", body)
    log(table)
    return {"tuned": tuned, "results": {k: {lang: {f: c.as_dict() for f, c in v.items()} for lang, v in agg.items()} for k, agg in results.items()}}


# -- agency span ranker --------------------------------------------------------------------------


def tune_agencies(out: Path, cfg: dict, name: str, dev_rows: list[dict], grid: tuple[float, ...], log: Callable[[str], None] = print) -> dict:
    """Set ``cfg["agencies"]`` to model ``name`` in ``union`` per language where its best dev threshold
    beats the current setting (the rules, or an agency model already on); ``model_threshold`` is the
    best threshold of the model alone.  Writes the config; returns the dev F1 found."""
    current = scores(dev_rows, "ensemble", out)
    best = {lang: ("keep", None, current[lang]["agencies"].f1) for lang in LANGS}
    prev = dict(cfg.get("agencies") or {})
    trial = {"model": name, "mode": {lang: "union" for lang in LANGS}}
    best_model = {lang: (0.5, -1.0) for lang in LANGS}
    best_union = {lang: (0.5, -1.0) for lang in LANGS}
    for thr in grid:
        cfg["agencies"] = {**trial, "threshold": {lang: thr for lang in LANGS}, "model_threshold": {lang: thr for lang in LANGS}}
        write_config(out, cfg)
        union, alone = scores(dev_rows, "ensemble", out), scores(dev_rows, "models", out)
        for lang in LANGS:
            if union[lang]["agencies"].f1 > best_union[lang][1] + 1e-9:
                best_union[lang] = (thr, union[lang]["agencies"].f1)
            if union[lang]["agencies"].f1 > best[lang][2] + 1e-9:
                best[lang] = ("union", thr, union[lang]["agencies"].f1)
            if alone[lang]["agencies"].f1 > best_model[lang][1] + 1e-9:
                best_model[lang] = (thr, alone[lang]["agencies"].f1)
    if all(b[0] == "keep" for b in best.values()):
        cfg["agencies"] = prev  # the model does not win anywhere on dev: the setting stays as it was
    else:
        prev_mode, prev_thr = prev.get("mode") or {}, prev.get("threshold") or {}
        if prev.get("model") not in (None, name) and any(b[0] == "keep" and prev_mode.get(lang, "rules") != "rules" for lang, b in best.items()):
            log(f"note: {prev.get('model')} stays off where {name} does not beat it (one agency model per ensemble)")
        cfg["agencies"] = {
            "model": name,
            "mode": {lang: ("union" if best[lang][0] == "union" else "rules") for lang in LANGS},
            "threshold": {lang: best[lang][1] if best[lang][1] is not None else float(prev_thr.get(lang, 0.5)) for lang in LANGS},
            "model_threshold": {lang: best_model[lang][0] for lang in LANGS},
        }
    write_config(out, cfg)
    log("agency setting on dev: " + json.dumps({lang: {"decision": b[0], "threshold": b[1], "f1": round(b[2], 4)} for lang, b in best.items()}))
    return {lang: {"decision": b[0], "threshold": b[1], "f1": round(b[2], 4), "model_alone": best_model[lang], "union": best_union[lang]} for lang, b in best.items()}


def own_setting(out: Path, cfg: dict, name: str, tuned: dict) -> Path:
    """A models folder beside ``out`` (links to its models) whose ensemble puts agencies on model
    ``name`` at its own best dev thresholds, whether or not it won: the model card's own numbers."""
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix=f"{name}-own-"))
    for p in out.iterdir():
        if p.is_dir():
            (tmp / p.name).symlink_to(p.resolve(), target_is_directory=True)
    own = {**cfg, "agencies": {"model": name, "mode": {lang: "union" for lang in LANGS},
                               "threshold": {lang: tuned[lang]["union"][0] for lang in LANGS},
                               "model_threshold": {lang: tuned[lang]["model_alone"][0] for lang in LANGS}}}
    write_config(tmp, own)
    return tmp


def train_ranker(out: Path, seed: int, train_path: Path, dev_path: Path, test_path: Optional[Path], log: Callable[[str], None] = print) -> dict:
    """Train the agency span ranker, switch it on where it wins on dev, score and write the card."""
    from .ranker import MAX_VI, AgencyRanker

    t0 = time.time()
    train_rows, dev_rows = load_jsonl(str(train_path)), load_jsonl(str(dev_path))
    log(f"training the agency span ranker on {len(train_rows)} articles ({train_path})")
    ranker = AgencyRanker.train(train_rows, seed=seed, log=log)
    ranker.meta.update({"train_file": train_path.name, "command": command_line()})
    model_dir = out / ranker.name
    ranker.save(model_dir)
    cfg = read_config(out)
    cfg["label_set_versions"] = {**cfg.get("label_set_versions", {}), ranker.name: ranker.meta["label_set_version"]}
    if (cfg.get("agencies") or {}).get("model") == ranker.name:
        cfg["agencies"] = {}  # re-tune this model from the rules, not from its own earlier setting
    write_config(out, cfg)
    tuned = tune_agencies(out, cfg, ranker.name, dev_rows, (0.3, 0.4, 0.5, 0.6, 0.7, 0.8), log)
    results = {"dev/rules": scores(dev_rows, "rules", None), "dev/models": scores(dev_rows, "models", out), "dev/ensemble": scores(dev_rows, "ensemble", out)}
    if test_path is not None and test_path.is_file():
        test_rows = load_jsonl(str(test_path))
        for ex_set in ("rules", "models", "ensemble"):
            results[f"test/{ex_set}"] = scores(test_rows, ex_set, out if ex_set != "rules" else None)
    m = ranker.meta
    pr = "\n".join(
        f"| {k.replace('/', ' | ')} | {lang} | {agg[lang]['agencies'].precision:.3f} | {agg[lang]['agencies'].recall:.3f} | {agg[lang]['agencies'].f1:.3f} |"
        for k, agg in results.items() for lang in LANGS
    )
    body = f"""
Scores word spans that may name a responsible agency (EXTRACTION_SPEC.md section 3). Label set
`{m['label_set_version']}` ({m['labels']}). Candidates: spans of up to {MAX_VI + 1} words starting at a Vietnamese organ word
("Sở", "Ban", "UBND" …) or of up to 5 + 1 + 10 words around an English one ("Department", "Committee" …); the
organ words ({len(m['organ_words']['vi'])} vi, {len(m['organ_words']['en'])} en) are read from the training names and the gazetteer and
stored in `meta.json`. Features (scikit-learn `DictVectorizer`): first/last words, the words around the span, length,
word shapes, words inside, province at the end, an exact gazetteer name, and how the span sits against the
rules' mentions. Classifier: `LogisticRegression(C={m['C']})`; shipped as plain weights (`ranker.json`: the feature
vocabulary; `ranker.npz`: the weights, loaded without pickle) and run by a NumPy predictor (`directive_nlp.models.linear`).

## Data and split
Trained on `corpus/{train_path.name}` ({len(train_rows)} articles): {m['train_candidates']} candidates, {m['train_positive']} positive (the
span is a gold name or alias), seen with the full gazetteer and {m['dropout_passes']} more times with a random third of
its national/local entries held out (seed {seed}), so that it learns to find bodies the rules do not know.
Mode and threshold tuned on `corpus/{dev_path.name}` ({len(dev_rows)} articles); test used only for the numbers below.

## Ensemble setting (models/ensemble.yaml)
{yaml.safe_dump({'agencies': cfg['agencies']}, sort_keys=False).strip()}

`union`: the rules' agencies stay; the ranker adds the names it scores at or above the threshold that overlap no
rules mention, and a longer name that starts where a rules mention starts replaces it. `--extractors models`: the
ranker's names alone (it still reads the rules' mentions as features).

## Metrics (agencies, full pipeline, `directive-nlp evaluate corpus/<split>.jsonl --extractors X --json`)
| split | extractors | lang | precision | recall | F1 |
|---|---|---|---|---|---|
{pr}

## Training
`{m['command']}` ({m['train_seconds']} s to fit, {time.time() - t0:.0f} s with tuning and scoring, CPU).

## Limits
Finds only names that contain an organ word it has seen; a body named without one ("Vietnam Airlines"-like names)
is missed. Trained on {len(train_rows)} synthetic articles; canonical names of the bodies it adds are their names as written.
"""
    write_card(model_dir, "Agency span ranker", body)
    log(f1_table(results, ("agencies",)))
    return {"tuned": tuned}


# -- span tagger ---------------------------------------------------------------------------------


def train_tagger(out: Path, seed: int, train_path: Path, dev_path: Path, test_path: Optional[Path], base: Optional[Path] = None,
                 epochs: Optional[int] = None, log: Callable[[str], None] = print, retune: bool = False) -> dict:
    """Train, calibrate and tune on dev, switch on where it wins, score and write the card."""
    import shutil

    from .config import TAGGER_LABEL_SET_VERSION
    from .tagger import MAX_LEN, STRIDE, SpanTagger, calibrate, fit, span_scores

    train_rows, dev_rows = load_jsonl(str(train_path)), load_jsonl(str(dev_path))
    model_dir = out / SpanTagger.name
    if retune:  # keep the trained weights; recalibrate, re-tune and re-score only
        tagger = SpanTagger.load(model_dir)
        tagger.meta.pop("calibration", None)
        tagger = SpanTagger(tagger.model, tagger.tokenizer, tagger.meta)
    else:
        tagger = fit(train_rows, seed=seed, epochs=epochs or 24, base=base, log=log)
        tagger.meta.update({"train_file": train_path.name, "command": command_line()})
    tagger.meta["calibration"] = calibrate(tagger, dev_rows)
    tagger = SpanTagger(tagger.model, tagger.tokenizer, tagger.meta)
    tagger.save(model_dir)
    span_dev = span_scores(tagger, dev_rows)
    log("dev span F1: " + json.dumps({k: v["f1"] for k, v in span_dev.items()}))
    cfg = read_config(out)
    cfg["label_set_versions"] = {**cfg.get("label_set_versions", {}), tagger.name: TAGGER_LABEL_SET_VERSION}
    if (cfg.get("agencies") or {}).get("model") == tagger.name:
        cfg["agencies"] = {}  # re-tune this model from the rules, not from its own earlier setting
    write_config(out, cfg)
    best = tune_agencies(out, cfg, tagger.name, dev_rows, (0.1, 0.3, 0.5, 0.7), log)
    own = own_setting(out, cfg, tagger.name, best)  # the tagger's own numbers, on or off by default
    results = {"dev/rules": scores(dev_rows, "rules", None)}
    results["dev/tagger-union"] = scores(dev_rows, "ensemble", own)
    results["dev/tagger-alone"] = scores(dev_rows, "models", own)
    if test_path is not None and test_path.is_file():
        test_rows = load_jsonl(str(test_path))
        results["test/rules"] = scores(test_rows, "rules", None)
        results["test/tagger-union"] = scores(test_rows, "ensemble", own)
        results["test/tagger-alone"] = scores(test_rows, "models", own)
        span_test = span_scores(tagger, test_rows)
    else:
        span_test = {}
    shutil.rmtree(own, ignore_errors=True)
    import yaml

    m = tagger.meta
    body = f"""
BIO token tagger for AGENCY (gold agency names and aliases where they occur in the text), VERB (each
directive's verb inside its directive) and TARGET (target spans). Label set `{m['label_set_version']}`:
{m['labels']}. {"Tiny BERT (BertForTokenClassification: 2 layers, hidden 128, 2 heads, intermediate 512) trained from scratch with a cased WordPiece vocabulary (accents kept) trained by `tokenizers` on the training texts" if not base else f"Fine-tuned from the local checkpoint `{base}`"};
{m['parameters']:,} parameters, saved with safetensors. Windows of {MAX_LEN} tokens with stride {STRIDE}; batched inference;
offsets from the fast tokenizer's offset mapping. Span confidence: Platt scaling of the mean token probability,
fitted on dev ({json.dumps(m.get('calibration'))}).

## Data and split
Trained on `corpus/{train_path.name}` ({len(train_rows)} articles, {m['train_windows']} windows), {m['epochs']} epochs, seed {seed}, CPU.
Ensemble setting tuned on `corpus/{dev_path.name}` ({len(dev_rows)} articles); test used only for the numbers below.

## Ensemble setting (models/ensemble.yaml)
{yaml.safe_dump({'agencies': cfg['agencies']}, sort_keys=False).strip()}

When `model` is `tagger`, `union` means the rules' agencies plus tagger agencies overlapping none of them
(role from the rules' cue logic, canonical = the name). The ensemble holds one agency model: the tagger is
switched on only where it beats the setting already there (the rules, or the span ranker) on dev.

## Metrics
Exact-span F1 of the tagger alone: dev {json.dumps({k: v['f1'] for k, v in span_dev.items()})}; test {json.dumps({k: v['f1'] for k, v in span_test.items()})}.

Full pipeline F1 (`directive-nlp evaluate corpus/<split>.jsonl --extractors X --json`); `tagger-union` and
`tagger-alone` are the tagger at its own best dev thresholds (union with the rules / alone), whether or not
it is on by default:
{f1_table(results, ("agencies", "directive_roles"))}

## Training
`{m.get('command', command_line())}` ({m['train_seconds']} s of training on CPU; `--retune` re-calibrates and re-tunes
the saved weights on dev without training).

## Limits
Trained on {len(train_rows)} synthetic articles; agency names it has never seen in a similar context are missed.
The tagger alone (`--extractors models`) has no canonical names, so abbreviations do not meet their full names.
"""
    write_card(model_dir, "Span tagger (AGENCY, VERB, TARGET)", body)
    log(f1_table(results, ("agencies",)))
    return {"span_dev": span_dev, "span_test": span_test, "best": best}


__all__ = ["train_classifier", "train_ranker", "train_tagger", "tune_agencies", "own_setting", "tune_directives", "scores", "write_card", "aggregate"]
