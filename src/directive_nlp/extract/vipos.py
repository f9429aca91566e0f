"""Vietnamese part-of-speech tags as underthesea's ``pos_tag`` gives them, at a fraction of the cost.

underthesea's ``pos_tag`` segments the words (a CRF in Rust), builds the features of its POS CRF in
Python, then tags (Rust).  The feature step is most of the Vietnamese pipeline's time: for every
word and every one of its 22 templates it parses the template with a regex and rebuilds the whole
sentence's columns, a cost quadratic in the length of the text.  Here the same feature strings are
built once per word, in the same order, and handed to the same CRF model, so the tags are the
same word for word (``tests/test_vipos.py`` compares the two on the corpus sentences).

The POS column the templates read (``T[-3][1]`` …) is the placeholder ``X`` underthesea gives every
word before tagging, so the features depend on the words only.  When underthesea's model object
cannot be reached (its layout changed), ``pos_tag`` falls back to underthesea's own function.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Optional


@lru_cache(maxsize=1)
def _model() -> Optional[Any]:
    """underthesea's POS CRF (``CRFTagger``), or None when its layout is not the one expected."""
    from ..imports import underthesea

    underthesea()
    try:
        from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

        predictor = CRFPOSTagPredictor.Instance()
        model, template = predictor.model, predictor.transformer.template
    except (ImportError, AttributeError):
        return None
    return model if list(template) == TEMPLATE else None


#: the feature templates of underthesea's POS model (checked against the model at load)
TEMPLATE = [
    "T[-2].lower", "T[-1].lower", "T[0].lower", "T[1].lower", "T[2].lower",
    "T[0].istitle", "T[-1].istitle", "T[1].istitle",
    "T[-2]", "T[-1]", "T[0]", "T[1]", "T[2]",
    "T[-2,-1]", "T[-1,0]", "T[0,1]", "T[1,2]",
    "T[-3][1]", "T[-2][1]", "T[-1][1]",
    "T[-3,-2][1]", "T[-2,-1][1]",
]


def istitle(word: str) -> bool:
    """underthesea's title test: every space-separated syllable opens with a title-case letter
    (False for an empty word or an empty syllable)."""
    parts = word.split(" ")
    return bool(word) and all(p != "" and p[0].istitle() for p in parts)


def _one(values: list[str], i: int, k: int) -> str:
    j = i + k
    return "BOS" if j < 0 else "EOS" if j >= len(values) else values[j]


def _two(words: list[str], i: int, a: int) -> str:
    """The bigram template ``T[a,a+1]`` at word ``i``."""
    j = i + a
    return "BOS" if j < 0 else "EOS" if j + 1 >= len(words) else words[j] + " " + words[j + 1]


def word_features(words: list[str], i: int, low: list[str], title: list[str]) -> list[str]:
    """The 22 features of word ``i``, as underthesea's templates write them."""
    t = TEMPLATE
    out = [f"{t[n]}={_one(low, i, k)}" for n, k in enumerate((-2, -1, 0, 1, 2))]
    out += [f"{t[5 + n]}={_one(title, i, k)}" for n, k in enumerate((0, -1, 1))]
    out += [f"{t[8 + n]}={_one(words, i, k)}" for n, k in enumerate((-2, -1, 0, 1, 2))]
    out += [f"{t[13 + n]}={_two(words, i, a)}" for n, a in enumerate((-2, -1, 0, 1))]
    out += [f"{t[17 + n]}={'BOS' if i + k < 0 else 'X'}" for n, k in enumerate((-3, -2, -1))]
    out += [f"{t[20 + n]}={'BOS' if i + a < 0 else 'X X'}" for n, a in enumerate((-3, -2))]
    return out


def features(words: list[str]) -> list[list[str]]:
    """The POS CRF's features of every word of a segmented sentence (linear in its length)."""
    low = [w.lower() for w in words]
    title = [str(istitle(w)) for w in words]
    return [word_features(words, i, low, title) for i in range(len(words))]


def pos_tag(text: str) -> list[tuple[str, str]]:
    """``[(word, tag), …]`` of ``text``: the same as ``underthesea.pos_tag(text)``."""
    from ..imports import underthesea

    model = _model()
    if model is None:
        return underthesea().pos_tag(text)
    words = underthesea().word_tokenize(text)
    return list(zip(words, model.tag(features(words)))) if words else []
