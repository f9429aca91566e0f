"""Linear models stored as plain weights, with a small NumPy predict (no scikit-learn at run time).

Training stays in scikit-learn; ``export_*`` turn a fitted estimator into two files: a JSON file
with the feature settings and vocabularies (readable, diffable) and an ``.npz`` file with the
weight arrays (loaded with ``allow_pickle=False``: nothing in it can run code).  The predictors
here reproduce scikit-learn's arithmetic step by step, so their probabilities equal
``estimator.predict_proba`` to rounding (``tests/test_linear.py`` checks it on the corpus):

* ``TextLinear``: ``ColumnTransformer`` of ``TfidfVectorizer``/``CountVectorizer`` blocks and a
  ``CalibratedClassifierCV`` of logistic regressions with sigmoid calibration; P is the mean over
  the calibrated folds of ``1 / (1 + exp(a * (w . x + c) + b))``.
* ``DictLinear``: ``DictVectorizer`` and one ``LogisticRegression``; P is ``1 / (1 + exp(-(w . x + c)))``.

    >>> m = DictLinear(["a", "b"], np.array([2.0, -1.0]), 0.5)
    >>> round(float(m.proba([{"a": 1, "zzz": 3}])[0]), 4)  # unknown features are ignored
    0.9241
"""

from __future__ import annotations

import json
import re
from itertools import chain
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..errors import ModelError

FORMAT = "directive-nlp-linear/1"
_WHITE_SPACES = re.compile(r"\s\s+")


class Block:
    """One vectorizer of a column: its analyzer, vocabulary and (for TF-IDF) idf weights."""

    def __init__(self, spec: dict[str, Any], idf: np.ndarray | None, offset: int):
        self.column = int(spec["column"])
        self.analyzer = spec["analyzer"]
        self.ngram_range = tuple(spec["ngram_range"])
        self.lowercase = bool(spec["lowercase"])
        self.token_re = re.compile(spec["token_pattern"])
        self.binary = bool(spec["binary"])
        self.sublinear_tf = bool(spec.get("sublinear_tf", False))
        self.norm = spec.get("norm")
        self.vocab = {t: offset + i for i, t in enumerate(spec["vocabulary"])}
        self.size = len(spec["vocabulary"])
        self.idf = idf
        self.offset = offset
        self._word_cache: dict[str, list[int]] = {}
        # tokens never holding a space: a vocabulary term's words are its tokens
        spaced = self.token_re.search(" ") is not None
        self._grams = _gram_tables(self.vocab, self.ngram_range) if self.analyzer == "word" and not spaced else None
        self._arrays: _GramArrays | None = None  # the same tables as arrays, built on first use

    def terms(self, doc: str) -> list[str]:
        """The analyzer's terms of one document (scikit-learn's ``build_analyzer``)."""
        if self.lowercase:
            doc = doc.lower()
        if self.analyzer == "char_wb":
            return _char_wb(doc, *self.ngram_range)
        return _word_ngrams(self.token_re.findall(doc), *self.ngram_range)

    def indices(self, doc: str) -> list[int]:
        """The vocabulary indices of the document's terms, one per occurrence."""
        if self._grams is not None:
            return _gram_indices(self.token_re.findall(doc.lower() if self.lowercase else doc), *self._grams)
        if self.analyzer != "char_wb":
            vocab = self.vocab
            return [vocab[t] for t in self.terms(doc) if t in vocab]
        return [int(k) for a in self.word_arrays(doc) for k in a]

    def word_arrays(self, doc: str) -> list[np.ndarray]:
        """``char_wb``: the vocabulary indices of each word's n-grams, one array per word (a
        word's n-grams do not depend on its neighbours, so each word's array is computed once)."""
        if self.lowercase:
            doc = doc.lower()
        cache = self._word_cache
        words = _WHITE_SPACES.sub(" ", doc).split()
        new = [w for w in words if w not in cache]
        if new:
            if len(cache) + len(new) > 200_000:
                cache.clear()
            for w in new:
                cache[w] = np.array(self._word_indices(w), dtype=np.int32)
        return [cache[w] for w in words]

    def _word_indices(self, w: str) -> list[int]:
        vocab = self.vocab
        return [vocab[t] for t in _char_wb(w, *self.ngram_range) if t in vocab]

    def _flat(self, docs: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``(row, index)`` of every term occurrence of the documents, in no particular order."""
        if self.analyzer == "char_wb":
            per_doc = [self.word_arrays(d) for d in docs]
            sizes = [sum(map(len, arrays)) for arrays in per_doc]
            parts = [a for arrays in per_doc for a in arrays]
            flat = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
            return np.repeat(np.arange(len(docs), dtype=np.int32), sizes), flat
        if self._grams is not None:
            if self._arrays is None:
                self._arrays = _GramArrays(*self._grams)
            return self._arrays.occurrences([self.token_re.findall(d.lower() if self.lowercase else d) for d in docs])
        lists = [self.indices(d) for d in docs]
        flat = np.array(list(chain.from_iterable(lists)), dtype=np.int32)
        return np.repeat(np.arange(len(docs), dtype=np.int32), [len(x) for x in lists]), flat

    def vector(self, doc: str) -> tuple[np.ndarray, np.ndarray]:
        """Sparse ``(indices, values)`` of one document, in index order."""
        _, idx, vals = self.vectors([doc])
        return idx, vals

    def vectors(self, docs: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(row, index, value)`` triples of many documents, by row and then index."""
        row_of, flat = self._flat(docs)
        width = max(self.offset + self.size, 1)
        # one sort of (row, index) keys counts every term; 32-bit keys sort twice as fast
        kind = np.int32 if len(docs) * width < 2**31 else np.int64
        keys, counts = np.unique(row_of.astype(kind, copy=False) * width + flat.astype(kind, copy=False), return_counts=True)
        row_of, idx = keys // width, keys % width
        vals = np.ones(len(idx)) if self.binary else counts.astype(np.float64)
        if self.sublinear_tf:
            vals = np.log(vals) + 1.0
        if self.idf is not None:
            vals = vals * self.idf[idx - self.offset]
        if self.norm == "l2" and len(vals):
            norms = np.sqrt(np.bincount(row_of, weights=vals * vals, minlength=len(docs)))
            vals = vals / np.where(norms > 0, norms, 1.0)[row_of]
        return row_of, idx, vals


def _gram_tables(vocab: dict[str, int], ngram_range: tuple) -> tuple[dict, dict] | None:
    """For word 1- and 2-grams: the unigram indices and, per first word, the indices of its
    bigrams by second word (a lookup per token pair instead of joining them into a string);
    None for other n-gram ranges (``terms`` then builds the n-grams)."""
    lo, hi = ngram_range
    if lo < 1 or hi > 2 or lo > hi:
        return None
    uni: dict[str, int] = {}
    bi: dict[str, dict[str, int]] = {}
    for term, k in vocab.items():
        words = term.split(" ")
        if len(words) == 1 and lo == 1:
            uni[term] = k
        elif len(words) == 2 and hi == 2:
            bi.setdefault(words[0], {})[words[1]] = k
    return uni, bi


def _gram_indices(tokens: list[str], uni: dict[str, int], bi: dict[str, dict[str, int]]) -> list[int]:
    """The vocabulary indices of the 1- and 2-grams of ``tokens`` (one per occurrence)."""
    out = [uni[t] for t in tokens if t in uni]
    if bi:
        for a, b in zip(tokens, tokens[1:]):
            d = bi.get(a)
            if d is not None and b in d:
                out.append(d[b])
    return out


class _GramArrays:
    """The 1- and 2-gram tables of a word block as arrays: a number per vocabulary word, its
    unigram index by number, and the bigram indices by ``first * words + second``, sorted.  All
    the documents' tokens are then looked up with one dict read per token and a few NumPy calls."""

    def __init__(self, uni: dict[str, int], bi: dict[str, dict[str, int]]):
        words = sorted(set(uni) | set(bi) | {w for d in bi.values() for w in d})
        self.ids = {w: k for k, w in enumerate(words)}
        self.n = n = len(words)
        self.uni = np.full(n + 1, -1, dtype=np.int64)  # the last entry answers an unknown token (-1)
        for w, k in uni.items():
            self.uni[self.ids[w]] = k
        pairs = sorted((self.ids[a] * n + self.ids[b], k) for a, d in bi.items() for b, k in d.items())
        self.keys = np.array([p[0] for p in pairs], dtype=np.int64)
        self.index = np.array([p[1] for p in pairs], dtype=np.int64)

    def occurrences(self, token_lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """``(row, index)`` of every 1- and 2-gram of each token list found in the vocabulary."""
        get = self.ids.get
        ids = np.array([get(t, -1) for toks in token_lists for t in toks], dtype=np.int64)
        rows = np.repeat(np.arange(len(token_lists), dtype=np.int64), [len(t) for t in token_lists])
        uni = self.uni[ids]
        found = uni >= 0
        out_rows, out_idx = [rows[found]], [uni[found]]
        if len(self.keys) and len(ids) > 1:
            a, b = ids[:-1], ids[1:]
            ok = (a >= 0) & (b >= 0) & (rows[:-1] == rows[1:])  # a pair inside one document
            key = a[ok] * self.n + b[ok]
            pos = np.minimum(np.searchsorted(self.keys, key), len(self.keys) - 1)
            hit = self.keys[pos] == key
            out_rows.append(rows[:-1][ok][hit])
            out_idx.append(self.index[pos[hit]])
        return np.concatenate(out_rows), np.concatenate(out_idx)


def _char_wb(doc: str, lo: int, hi: int) -> list[str]:
    out: list[str] = []
    for w in _WHITE_SPACES.sub(" ", doc).split():
        w = " " + w + " "
        for n in range(lo, hi + 1):
            if len(w) <= n:
                out.append(w)
                break
            out.extend(w[i : i + n] for i in range(len(w) - n + 1))
    return out


def _word_ngrams(tokens: list[str], lo: int, hi: int) -> list[str]:
    out = list(tokens) if lo == 1 else []
    for n in range(max(lo, 2), min(hi, len(tokens)) + 1):
        out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return out


class TextLinear:
    """Calibrated linear text classifier: ``proba(rows)`` is P(class 1) per row of columns."""

    def __init__(self, blocks: list[Block], coef: np.ndarray, intercept: np.ndarray, cal_a: np.ndarray, cal_b: np.ndarray):
        self.blocks, self.coef, self.intercept, self.cal_a, self.cal_b = blocks, coef, intercept, cal_a, cal_b

    def proba(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        """P(class 1) of each row, all rows at once (one set of NumPy calls per block)."""
        n = len(rows)
        if n == 0:
            return np.zeros(0)
        scores = np.tile(self.intercept[:, None], (1, n))
        for b in self.blocks:
            row_of, idx, vals = b.vectors([row[b.column] for row in rows])
            for k in range(self.coef.shape[0]):
                scores[k] += np.bincount(row_of, weights=self.coef[k, idx] * vals, minlength=n)
        return np.mean(1.0 / (1.0 + np.exp(self.cal_a[:, None] * scores + self.cal_b[:, None])), axis=0)

    @classmethod
    def load(cls, spec: dict, arrays) -> "TextLinear":
        blocks, offset = [], 0
        for b in spec["blocks"]:
            key = f"idf_{b['name']}"
            blocks.append(Block(b, arrays[key] if key in arrays else None, offset))
            offset += blocks[-1].size
        coef = arrays["coef"]
        if coef.ndim != 2 or coef.shape[1] != offset:
            raise ValueError(f"weights have shape {coef.shape}, the vocabularies {offset} features")
        return _keep(cls(blocks, coef, arrays["intercept"], arrays["cal_a"], arrays["cal_b"]), spec, arrays)


class DictLinear:
    """Logistic regression over feature dicts: ``proba(dicts)`` is P(class 1) per dict."""

    def __init__(self, vocabulary: list[str], coef: np.ndarray, intercept: float):
        self.vocab = {t: i for i, t in enumerate(vocabulary)}
        self.coef = coef
        self.intercept = float(intercept)

    def proba(self, dicts: Sequence[dict[str, float]]) -> np.ndarray:
        scores = np.empty(len(dicts))
        vocab, coef = self.vocab, self.coef
        for r, d in enumerate(dicts):
            pairs = sorted((vocab[k], v) for k, v in d.items() if k in vocab)
            s = 0.0
            if pairs:
                idx, vals = zip(*pairs)
                s = float(coef[list(idx)] @ np.asarray(vals, dtype=np.float64))
            scores[r] = s + self.intercept
        return 1.0 / (1.0 + np.exp(-scores))

    @classmethod
    def load(cls, spec: dict, arrays) -> "DictLinear":
        coef = arrays["coef"]
        if coef.ndim != 1 or coef.shape[0] != len(spec["vocabulary"]):
            raise ValueError(f"weights have shape {coef.shape}, the vocabulary {len(spec['vocabulary'])} features")
        return _keep(cls(spec["vocabulary"], coef, float(arrays["intercept"])), spec, arrays)


KINDS = {"text": TextLinear, "dict": DictLinear}


def _keep(model, spec: dict, arrays: dict):
    """Keep what a predictor was built from, so that it can be saved again as it is."""
    model.exported = (spec, arrays)
    return model


# -- files ------------------------------------------------------------------------------------


def save(model_dir: Path, stem: str, spec: dict, arrays: dict[str, np.ndarray]) -> list[Path]:
    """Write ``stem.json`` (settings, vocabularies) and ``stem.npz`` (weights) into ``model_dir``."""
    model_dir = Path(model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    js, npz = model_dir / f"{stem}.json", model_dir / f"{stem}.npz"
    js.write_text(json.dumps({"format": FORMAT, **spec}, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    with open(npz, "wb") as fh:
        np.savez_compressed(fh, **arrays)
    return [js, npz]


def load(model_dir: Path, stem: str, what: str):
    """The predictor saved by ``save``; ``ModelError`` naming the file when missing or corrupt."""
    model_dir = Path(model_dir)
    js, npz = model_dir / f"{stem}.json", model_dir / f"{stem}.npz"
    for path in (js, npz):
        if not path.is_file():
            raise ModelError(f"{path}: {what} model file is missing")
    try:
        spec = json.loads(js.read_text(encoding="utf-8"))
        if not isinstance(spec, dict) or spec.get("format") != FORMAT or spec.get("kind") not in KINDS:
            raise ValueError(f"not a {FORMAT} file")
        with np.load(npz, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        return KINDS[spec["kind"]].load(spec, arrays)
    except Exception as exc:  # a damaged file raises many kinds (zip, JSON, shapes, keys)
        raise ModelError(f"{model_dir / stem}.json/.npz: {what} model file is corrupt ({type(exc).__name__}: {exc})") from exc


# -- export from fitted scikit-learn estimators ------------------------------------------------


def _block_spec(name: str, vec, column) -> tuple[dict, np.ndarray | None]:
    p = vec.get_params()
    if p["tokenizer"] is not None or p["preprocessor"] is not None or p["stop_words"] is not None or p["strip_accents"] is not None:
        raise ModelError(f"{name}: only the default tokenizer, preprocessor, no stop words and no accent stripping can be exported")
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    spec = {
        "name": name, "column": int(column), "analyzer": p["analyzer"], "ngram_range": list(p["ngram_range"]),
        "lowercase": p["lowercase"], "token_pattern": p["token_pattern"], "binary": p["binary"],
        "sublinear_tf": p.get("sublinear_tf", False), "norm": p.get("norm"), "vocabulary": vocab,
    }
    idf = np.asarray(vec.idf_, dtype=np.float64) if p.get("use_idf") else None
    return spec, idf


def export_text(estimator) -> tuple[dict, dict[str, np.ndarray]]:
    """``(spec, arrays)`` of a fitted ``Pipeline([ColumnTransformer, CalibratedClassifierCV])``."""
    features, clf = estimator.steps[0][1], estimator.steps[-1][1]
    spec: dict[str, Any] = {"kind": "text", "blocks": []}
    arrays: dict[str, np.ndarray] = {}
    for name, vec, column in features.transformers_:
        if name == "remainder":
            continue
        block, idf = _block_spec(name, vec, column)
        spec["blocks"].append(block)
        if idf is not None:
            arrays[f"idf_{name}"] = idf
    folds = clf.calibrated_classifiers_
    if any(cc.method != "sigmoid" or len(cc.calibrators) != 1 for cc in folds):
        raise ModelError("only a binary classifier with sigmoid calibration can be exported")
    arrays["coef"] = np.vstack([cc.estimator.coef_[0] for cc in folds]).astype(np.float64)
    arrays["intercept"] = np.array([cc.estimator.intercept_[0] for cc in folds], dtype=np.float64)
    arrays["cal_a"] = np.array([cc.calibrators[0].a_ for cc in folds], dtype=np.float64)
    arrays["cal_b"] = np.array([cc.calibrators[0].b_ for cc in folds], dtype=np.float64)
    return spec, arrays


def export_dict(estimator) -> tuple[dict, dict[str, np.ndarray]]:
    """``(spec, arrays)`` of a fitted ``Pipeline([DictVectorizer, LogisticRegression])`` (binary)."""
    vec, lr = estimator.steps[0][1], estimator.steps[-1][1]
    if lr.coef_.shape[0] != 1:
        raise ModelError("only a binary logistic regression can be exported")
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    arrays = {"coef": np.asarray(lr.coef_[0], dtype=np.float64), "intercept": np.asarray(lr.intercept_[0], dtype=np.float64)}
    return {"kind": "dict", "vocabulary": vocab}, arrays
