"""Sentence-level directive classifier: trained with scikit-learn, shipped as plain weights
(``classifier.json`` + ``classifier.npz``, see ``models.linear``) and run with NumPy alone.

Features: word 1-2-grams and character 2-5-grams (TF-IDF) of the sentence, plus the rules'
decision and cue features as tokens (``rule=imperative``, ``bullet=1`` …).  Probabilities come
from ``CalibratedClassifierCV`` over a logistic regression.  A sentence is labelled a directive
when a gold directive overlaps it by at least 50% (the scorer's overlap).

    >>> rows = [{"id": "a", "lang": "en", "text": "The city must speed up site clearance.",
    ...          "gold": {"directives": [{"text": "The city must speed up site clearance.", "start": 0, "end": 38}]}}]
    >>> ex = sentence_examples(rows)
    >>> ex[0].label, ex[0].lang
    (1, 'en')
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

import numpy as np

from ..errors import ModelError
from ..extract.agencies import find_agencies, home_province
from ..extract.directives import DirectiveHit, classify
from ..segment import segment
from .config import CLASSIFIER_LABEL_SET_VERSION, CLASSIFIER_LABELS, load_linear, save_linear

STEM = "classifier"
#: the weights file (``STEM.json`` beside it holds the vocabularies)
MODEL_FILE = f"{STEM}.npz"

_BULLET = re.compile(r"^\s*(?:[-+•*–—●▪◦]|\d{1,2}[.)]|[a-zđ][)]|[IVX]{1,4}[.)])\s*")
_MODAL = re.compile(
    r"\b(?:must|should|need to|needs to|required|requested|asked|urged|directed|tasked|assigned|will|yêu cầu|đề nghị|cần|phải|giao|chỉ đạo|sẽ)\b",
    re.IGNORECASE,
)


@dataclass
class Example:
    """One content sentence with the rules' view of it and (for training) its gold label."""

    text: str
    lang: str
    hit: Optional[DirectiveHit]
    label: int = 0
    article_id: str = ""
    start: int = 0
    end: int = 0


def cue_tokens(sentence: str, lang: str, hit: Optional[DirectiveHit]) -> str:
    """The rules' decision and cue features as space-separated tokens.

    >>> cue_tokens("- Complete the dossier;", "en", None)
    'lang=en rule=none bullet=1 colon=0 modal=0 len=0 upper=0'
    """
    s = sentence.strip()
    words = len(s.split())
    return " ".join(
        [
            f"lang={lang}",
            f"rule={hit.reason if hit else 'none'}",
            f"bullet={int(bool(_BULLET.match(s)))}",
            f"colon={int(s.endswith(':'))}",
            f"modal={int(bool(_MODAL.search(s)))}",
            f"len={min(words // 10, 5)}",
            f"upper={int(s[:1].isupper())}",
        ]
    )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / max(a[1] - a[0], b[1] - b[0], 1)


def _gold_spans(row: dict) -> list[tuple[int, int]]:
    text = row["text"]
    out = []
    for d in (row.get("gold") or {}).get("directives") or []:
        if isinstance(d.get("start"), int) and isinstance(d.get("end"), int):
            out.append((d["start"], d["end"]))
        elif d.get("text") and text.find(d["text"]) >= 0:
            i = text.find(d["text"])
            out.append((i, i + len(d["text"])))
    return out


def sentence_examples(rows: Iterable[dict]) -> list[Example]:
    """Every content sentence of gold rows, with the rules' hit and the overlap label."""
    out: list[Example] = []
    for row in rows:
        text, lang = row["text"], row["lang"]
        segs = segment(text, lang)
        content = [(s.start, s.end) for s in segs if s.is_content]
        agencies = find_agencies(text, content, lang, home_province(text, lang))
        gold = _gold_spans(row)
        for s in segs:
            if not s.is_content:
                continue
            hit = classify(text, s.start, s.end, lang, agencies, s.kind)
            label = int(any(_overlap((s.start, s.end), g) >= 0.5 for g in gold))
            out.append(Example(text[s.start : s.end], lang, hit, label, row.get("id", ""), s.start, s.end))
    return out


def _rows(examples: list[Example]) -> list[tuple[str, str]]:
    """The two input columns of each example: the sentence and its cue tokens."""
    return [(e.text, cue_tokens(e.text, e.lang, e.hit)) for e in examples]


def _matrix(examples: list[Example]) -> np.ndarray:
    return np.array(_rows(examples), dtype=object)


def build_estimator(seed: int = 0, cv: int = 3):
    """The untrained scikit-learn pipeline (features + calibrated logistic regression)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    features = ColumnTransformer(
        [
            ("word", TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True, lowercase=True), 0),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=60000), 0),
            ("cues", CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True), 1),
        ]
    )
    lr = LogisticRegression(C=8.0, max_iter=3000, class_weight="balanced", random_state=seed)
    return Pipeline([("features", features), ("clf", CalibratedClassifierCV(lr, cv=cv, method="sigmoid"))])


class DirectiveClassifier:
    """A trained sentence classifier: ``proba(sentence, lang, hit)`` is P(directive).

    ``model`` is the NumPy predictor (``linear.TextLinear``); ``estimator`` the scikit-learn
    estimator it was exported from, only right after training (None once loaded from files)."""

    name = "classifier"

    def __init__(self, estimator, meta: dict, model=None):
        from .linear import TextLinear, export_text

        self.estimator = estimator
        self.meta = meta
        self.model: TextLinear = model if model is not None else TextLinear.load(*export_text(estimator))

    # -- training ----------------------------------------------------------------------------
    @classmethod
    def train(cls, examples: list[Example], seed: int = 0) -> "DirectiveClassifier":
        """Fit on labelled examples (both classes must be present)."""
        labels = {e.label for e in examples}
        if labels != {0, 1}:
            raise ModelError(f"classifier training needs both directive and other sentences, got labels {sorted(labels)}")
        cv = max(2, min(3, min(sum(e.label for e in examples), sum(1 - e.label for e in examples))))
        est = build_estimator(seed, cv=cv)
        t0 = time.time()
        est.fit(_matrix(examples), np.array([e.label for e in examples]))
        for _, vec, _ in est.named_steps["features"].transformers_:
            if hasattr(vec, "stop_words_"):
                del vec.stop_words_  # the pruned n-grams: only for introspection, and most of the file
        meta = {
            "name": cls.name,
            "label_set_version": CLASSIFIER_LABEL_SET_VERSION,
            "labels": list(CLASSIFIER_LABELS),
            "seed": seed,
            "train_sentences": len(examples),
            "train_positive": sum(e.label for e in examples),
            "train_seconds": round(time.time() - t0, 2),
        }
        return cls(est, meta)

    # -- inference ---------------------------------------------------------------------------
    def proba_many(self, examples: list[Example]) -> np.ndarray:
        """P(directive) for many sentences at once."""
        if not examples:
            return np.zeros(0)
        return self.model.proba(_rows(examples))

    def proba(self, sentence: str, lang: str, hit: Optional[DirectiveHit]) -> float:
        return float(self.proba_many([Example(sentence, lang, hit)])[0])

    # -- files -------------------------------------------------------------------------------
    def save(self, model_dir: Path) -> Path:
        """Write ``classifier.json``, ``classifier.npz`` and ``meta.json`` into ``model_dir``."""
        return save_linear(model_dir, STEM, self.model.exported, self.meta)

    @classmethod
    def load(cls, model_dir: Path) -> "DirectiveClassifier":
        """Load a saved classifier; raises ``ModelError`` when missing, corrupt or of another label set."""
        model, meta = load_linear(model_dir, STEM, CLASSIFIER_LABEL_SET_VERSION, "classifier")
        return cls(None, meta, model)
