"""Vietnamese words and part-of-speech tags as underthesea's ``pos_tag`` gives them, at a fraction of the cost.

underthesea's ``pos_tag`` segments the words (``word_tokenize``, a CRF in Rust), builds the
features of its POS CRF in Python, then tags (Rust).  The feature step was most of the Vietnamese
pipeline's time: for every word and every one of its 22 templates it parses the template with a
regex and rebuilds the whole sentence's columns, a cost quadratic in the length of the text.

Here the same feature strings are built a template at a time over the whole sentence (a column
of strings per template, then one row per word), in the templates' order, and handed to the same
CRF model: the words and tags are the same, word for word (``tests/test_vipos.py`` compares the
two on corpus sentences and edge cases).  The POS column the templates read (``T[-3][1]`` …) is the
placeholder ``X`` underthesea gives every word before tagging, so the features depend on the
words only.  When underthesea's POS model cannot be reached or its templates are not the ones
expected (another underthesea version), ``pos_tag`` falls back to underthesea's own function.

The words themselves (``words``) come from underthesea's segmentation CRF scored from its weights
(``vicrf``), on its syllables read a piece at a time (``syllables``): the same words as
``underthesea.word_tokenize`` (``tests/test_vicrf.py``), which is the fallback.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable, Optional

#: the feature templates of underthesea's POS model (checked against the model at load)
TEMPLATE = [
    "T[-2].lower", "T[-1].lower", "T[0].lower", "T[1].lower", "T[2].lower",
    "T[0].istitle", "T[-1].istitle", "T[1].istitle",
    "T[-2]", "T[-1]", "T[0]", "T[1]", "T[2]",
    "T[-2,-1]", "T[-1,0]", "T[0,1]", "T[1,2]",
    "T[-3][1]", "T[-2][1]", "T[-1][1]",
    "T[-3,-2][1]", "T[-2,-1][1]",
]
_SYNTAX = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\[(\d+)\])?(?:\.(\w+))?")


def istitle(word: str) -> bool:
    """The POS model's title test (underthesea's Python one): every space-separated syllable
    opens with a title-case letter (False for an empty word or an empty syllable)."""
    return bool(word) and all(p != "" and p[0].istitle() for p in word.split(" "))


class Featurizer:
    """CRF features from templates ``T[a]`` / ``T[a,b]``, with an optional column ``[c]`` and
    function ``.f``: ``T[a,b][c].f=VALUE``, ``BOS``/``EOS`` past either end of the sentence."""

    def __init__(self, templates: list[str], functions: dict[str, Callable[[str], str]], fixed: Optional[dict[int, str]] = None):
        #: columns that hold one value for every token (the POS placeholder): their features
        #: depend on the sentence's length only, and are built once per length
        self.fixed = fixed or {}
        self._fixed_cols: dict[tuple[int, int], list[str]] = {}
        self.specs = []
        for t in templates:
            m = _SYNTAX.fullmatch(t)
            if m is None or (m.group(4) and m.group(4) not in functions):
                raise ValueError(f"unsupported CRF feature template: {t}")
            a = int(m.group(1))
            b = int(m.group(2)) if m.group(2) is not None else a
            self.specs.append((t + "=", a, b, int(m.group(3) or 0), functions.get(m.group(4) or "")))

    def rows(self, columns: list[list[str]]) -> list[list[str]]:
        """One list of feature strings per token; ``columns[c][i]`` is column ``c`` of token ``i``."""
        return [list(r) for r in self.tuples(columns)]

    def tuples(self, columns: list[list[str]]) -> list[tuple[str, ...]]:
        """``rows`` as tuples (what the CRF tagger reads as well)."""
        n = len(columns[0])
        grams: dict[tuple, list[str]] = {}
        cols = [self._fixed_column(k, spec, columns, n, grams) for k, spec in enumerate(self.specs)]
        return list(zip(*cols))

    def _fixed_column(self, k: int, spec: tuple, columns: list[list[str]], n: int, grams: dict) -> list[str]:
        c = spec[3]
        if c not in self.fixed or columns[c].count(self.fixed[c]) != n:
            return self._column(spec, columns, n, grams)
        got = self._fixed_cols.get((k, n))
        if got is None:
            got = self._column(spec, columns, n, grams)
            if n <= 512:
                self._fixed_cols[k, n] = got
        return got

    @staticmethod
    def _column(spec: tuple, columns: list[list[str]], n: int, grams: dict) -> list[str]:
        prefix, a, b, c, fn = spec
        size = b - a + 1
        key = (c, size, fn)
        vals = grams.get(key)
        if vals is None:
            col = columns[c]
            raw = col if size == 1 else [" ".join(col[s : s + size]) for s in range(n - size + 1)]
            vals = grams[key] = raw if fn is None else [fn(v) for v in raw]
        nb = min(n, max(0, -a))  # BOS before the first token (checked first, as underthesea does)
        ne = min(n, max(nb, n - b))  # EOS from here on
        return [prefix + "BOS"] * nb + [prefix + v for v in vals[nb + a : ne + a]] + [prefix + "EOS"] * (n - ne)


@lru_cache(maxsize=1)
def _pos() -> Optional[tuple[Featurizer, Any]]:
    """The POS features and underthesea's POS CRF, or None when its layout is not the expected one."""
    from ..imports import underthesea

    underthesea()
    try:
        from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

        predictor = CRFPOSTagPredictor.Instance()
        if list(predictor.transformer.template) != TEMPLATE:
            return None
        functions = {"lower": str.lower, "istitle": lambda w: str(istitle(w))}
        return Featurizer(TEMPLATE, functions, fixed={1: "X"}), predictor.model
    except (ImportError, AttributeError):
        return None


#: underthesea's word segmentation model folder (next to its ``word_tokenize`` module)
WS_MODEL = "ws_crf_vlsp2013_20230727"


@lru_cache(maxsize=1)
def _segmenter() -> Optional[tuple[Any, Callable[[str], str], Callable[[str], str], Any]]:
    """underthesea's word segmentation in parts: its syllable regex module, its text and token
    normalisers and its CRF as ``vicrf`` scores it; None when its layout is not the expected one."""
    import os

    from ..imports import underthesea

    underthesea()
    try:
        import pickle
        from underthesea.pipeline import word_tokenize as wt
        from underthesea.pipeline.text_normalize import token_normalize
        from underthesea.pipeline.text_normalize.character_normalize import normalize_characters_in_text
        from underthesea.pipeline.word_tokenize import regex_tokenize

        from .vicrf import TEMPLATE, load

        folder = os.path.join(os.path.dirname(wt.__file__), "models", WS_MODEL)
        if list(_unpickled(os.path.join(folder, "features.bin"))) != TEMPLATE:
            return None
        segmenter = load(folder, _unpickled(os.path.join(folder, "dictionary.bin")))
        regex_tokenize.patterns  # noqa: B018  (the tokenizer's pattern, read at each call)
    except (ImportError, AttributeError, OSError, ValueError, pickle.UnpicklingError):
        return None
    if segmenter is None:
        return None
    return regex_tokenize, normalize_characters_in_text, lru_cache(maxsize=65536)(token_normalize), segmenter


def _unpickled(path: str) -> Any:
    """A file underthesea wrote with ``joblib.dump`` (plain pickles: a list, a set), read with
    the C unpickler (joblib's own reader is the pure-Python one: four times slower)."""
    import pickle

    with open(path, "rb") as fh:
        return pickle.load(fh)


def syllables(text: str) -> list[str]:
    """The syllables (and marks) of ``text`` as underthesea's tokenizer gives them (its
    ``regex_tokenize.tokenize``), without its per-match dictionary walk: every alternative of its
    pattern is a named group spanning the whole match, so the token is the match itself."""
    seg = _segmenter()
    if seg is None:
        from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

        return tokenize(text)
    module, normalize, token_normalize, _ = seg
    text = normalize(text)
    if getattr(module, "recompile_regex_patterns", True):  # a caller gave it fixed words: its pattern is another
        return [token_normalize(m.group()) for m in module.patterns.finditer(text)]
    return [token_normalize(t) for t in _pieces(text, module.patterns)]


def _pieces(text: str, pattern: re.Pattern) -> list[str]:
    """underthesea's tokens of ``text``, read a whitespace-separated piece at a time.  No token of
    its pattern holds a space (save "Th.S" / "Th.s", whose dot is unescaped: such a text is read
    whole), and what a token may look at past either end is one character: a piece followed by a
    space reads the same alone with a space after it.  A piece of letters (and a closing comma or
    dot) is its word (and the mark) unless the pattern reads it otherwise (an all-capital
    abbreviation "UBND.", "Mr.")."""
    if "Th" in text:
        return [m.group() for m in pattern.finditer(text)]
    out: list[str] = []
    parts = text.split()
    last = len(parts) - 1
    for k, part in enumerate(parts):
        m = _PLAIN_PIECE.fullmatch(part)
        if m is not None and (m.group(2) != "." or not _DOTTED.fullmatch(m.group(1))):
            out.append(m.group(1))
            if m.group(2):
                out.append(m.group(2))
            continue
        tail = part + " " if k < last else text[len(text.rstrip()) - len(part) :]
        out.extend(t.group() for t in pattern.finditer(tail))
    return out


#: letters, then maybe a comma or a dot (``ʺ`` is a letter to ``\w`` but a mark to underthesea)
_PLAIN_PIECE = re.compile(r"([^\W\d_ʺ]+)([,.]?)")
#: letters the pattern reads with their dot: capitals ("UBND."), titles ("Mr.", "Tp.")
_DOTTED = re.compile(r"[A-ZĐ]+|Tp|Mr|Mrs|Ms|Dr")


def words(text: str) -> list[str]:
    """The words of ``text`` as ``pos_tag`` segments them (``underthesea.word_tokenize``): its
    syllables, labelled by its CRF (``B-W`` opens a word, ``I-W`` continues it) through ``vicrf``."""
    seg = _segmenter()
    if seg is None:
        from ..imports import underthesea

        return underthesea().word_tokenize(text)
    syl = syllables(text)
    return _joined(syl, seg[3].labels(syl))


def _joined(syl: list[str], labels: list[str]) -> list[str]:
    out: list[str] = []
    for k, (s, label) in enumerate(zip(syl, labels)):
        if label == "I-W" and k > 0:
            out[-1] += " " + s
        else:
            out.append(s)
    return out


def tags(text: str, found: list[str]) -> list[str]:
    """The POS tags of ``found``, the words ``words(text)`` gave (a tagging step of its own, so
    that a caller who may not need the tags can segment first and tag later)."""
    pos = _pos()
    if pos is None:
        from ..imports import underthesea

        return [t for _, t in underthesea().pos_tag(text)]
    featurizer, model = pos
    return model.tag(featurizer.tuples([found, ["X"] * len(found)])) if found else []


def pos_tag(text: str) -> list[tuple[str, str]]:
    """``[(word, tag), …]`` of ``text``: the same as ``underthesea.pos_tag(text)``."""
    found = words(text)
    return list(zip(found, tags(text, found))) if found else []
