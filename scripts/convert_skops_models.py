"""Re-export the classifier and ranker saved with skops (before 0.2) as plain weights.

Run once per models folder, with skops installed (``pip install skops``; nothing else in
directive-nlp needs it).  The estimators are not retrained: their fitted coefficients,
vocabularies and calibration are written as ``NAME.json`` + ``NAME.npz``
(``directive_nlp.models.linear``), ``meta.json`` lists the new files, the model card's file table is
redone, the ``.skops`` file is deleted, and the predictions of the NumPy predictor are checked
against the scikit-learn estimator's on every content sentence / candidate of ``--check`` rows.

    python scripts/convert_skops_models.py src/directive_nlp/models/data --check corpus/dev.jsonl corpus/train.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

from directive_nlp.models import linear
from directive_nlp.models.config import read_meta, save_linear, sha256_file

#: the types the skops files were saved with (the lists the loaders trusted before 0.2)
TRUSTED = {
    "classifier": [
        "sklearn.pipeline.Pipeline", "sklearn.compose._column_transformer.ColumnTransformer",
        "sklearn.feature_extraction.text.TfidfVectorizer", "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.feature_extraction.text.CountVectorizer", "sklearn.calibration.CalibratedClassifierCV",
        "sklearn.calibration._CalibratedClassifier", "sklearn.calibration._SigmoidCalibration",
        "sklearn.linear_model._logistic.LogisticRegression", "sklearn.utils._bunch.Bunch",
        "sklearn.compose._column_transformer._RemainderColsList", "numpy.float64", "numpy.int64", "numpy.dtype",
        "numpy.ndarray", "builtins.slice", "collections.OrderedDict", "scipy.sparse._csr.csr_matrix", "scipy.sparse._csr.csr_array",
    ],
    "ranker": [
        "sklearn.pipeline.Pipeline", "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
        "sklearn.linear_model._logistic.LogisticRegression", "numpy.float64", "numpy.int64", "numpy.dtype", "numpy.ndarray", "builtins.dict",
    ],
}
VERSIONS = {"classifier": "directive-sentence/1", "ranker": "agency-span/1"}
EXPORT = {"classifier": linear.export_text, "ranker": linear.export_dict}


def convert(model_dir: Path, name: str) -> tuple:
    import skops.io as sio

    old = model_dir / f"{name}.skops"
    est = sio.load(old, trusted=TRUSTED[name])
    meta = read_meta(model_dir, VERSIONS[name])
    meta.pop("files", None)
    save_linear(model_dir, name, EXPORT[name](est), meta)
    old.unlink()
    redo_card(model_dir)
    return est


def redo_card(model_dir: Path) -> None:
    """The card's file table with the current files; its words about skops replaced."""
    card = model_dir / "MODEL_CARD.md"
    text = card.read_text(encoding="utf-8")
    text = re.sub(r"Saved with skops;.*?never pickle\.", "Shipped as plain weights (`classifier.json` + `classifier.npz`, loaded without\npickle) and run by the NumPy predictor of `directive_nlp.models.linear`.", text, flags=re.S)
    text = re.sub(r"saved with skops, loaded with an explicit list of trusted\ntypes \(`directive_nlp.models.ranker.TRUSTED_TYPES`\)\.",
                  "shipped as plain weights (`ranker.json` + `ranker.npz`, loaded\nwithout pickle) and run by the NumPy predictor of `directive_nlp.models.linear`.", text)
    files = sorted(p for p in model_dir.iterdir() if p.is_file() and p.name != "MODEL_CARD.md")
    table = "\n".join(f"| `{p.name}` | {p.stat().st_size} | `{sha256_file(p)}` |" for p in files)
    text = text.split("## Files")[0] + f"## Files\n| file | bytes | sha256 |\n|---|---|---|\n{table}\n"
    card.write_text(text, encoding="utf-8")


def check(models: Path, ests: dict, rows: list[dict]) -> None:
    """The NumPy predictors give the estimators' probabilities on every example of ``rows``."""
    from directive_nlp.models.classifier import DirectiveClassifier, _matrix, sentence_examples
    from directive_nlp.models.ranker import AgencyRanker

    if "classifier" in ests:
        ex = sentence_examples(rows)
        want = ests["classifier"].predict_proba(_matrix(ex))[:, 1]
        got = DirectiveClassifier.load(models / "classifier").proba_many(ex)
        print(f"classifier: {len(ex)} sentences, max |difference| {np.max(np.abs(want - got)):.2e}")
    if "ranker" in ests:
        ranker = AgencyRanker.load(models / "ranker")
        X = [fd for r in rows for _, _, feats, _ in ranker._article(r["text"], r["lang"]) for fd in feats]
        want = ests["ranker"].predict_proba(X)[:, 1]
        got = ranker.model.proba(X)
        print(f"ranker: {len(X)} candidates, max |difference| {np.max(np.abs(want - got)):.2e}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("models", type=Path)
    ap.add_argument("--check", nargs="*", default=[])
    args = ap.parse_args(argv)
    ests = {name: convert(args.models / name, name) for name in ("classifier", "ranker") if (args.models / name / f"{name}.skops").is_file()}
    rows = [json.loads(line) for p in args.check for line in open(p, encoding="utf-8") if line.strip()]
    check(args.models, ests, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
