"""Agency span ranker (scikit-learn): finds agency names the gazetteer and naming patterns miss.

Candidates are word spans around an organ word learnt from the training names and the gazetteer
(a Vietnamese name starts with one: "Sở", "Ban", "UBND", "Trung tâm"; an English name holds
one: "Department", "Committee", "Office").  Each candidate is scored by a logistic regression over
its words, its edges, the words around it, its shape and how it sits against the rules' own
mentions (equal, extending, inside); the ranker is trained on the gold names of the training
split.  Per sentence, the most probable candidates above a threshold are kept, none overlapping.

In the ensemble (``union``) the rules' mentions stay and the ranker adds names the rules did not
find, or a longer name that starts where a rules mention starts ("People's Committees" ->
"People's Committees of provinces").  The rules' output is an input of the ranker, never
replaced by it wholesale.

    >>> tokens("UBND TP Thủ Đức chủ trì.")
    [(0, 4), (5, 7), (8, 11), (12, 15), (16, 19), (20, 23), (23, 24)]
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from ..errors import ModelError
from ..evaluate import norm_name
from ..extract.agencies import assign_roles, find_agencies, home_province
from ..lexicons import agency_names, gazetteer_entries, held_out, holding_out, province_by_name
from ..schema import AgencyMention
from ..segment import segment
from .config import RANKER_LABEL_SET_VERSION, RANKER_LABELS, load_linear, save_linear

STEM = "ranker"
#: the weights file (``STEM.json`` beside it holds the feature vocabulary)
MODEL_FILE = f"{STEM}.npz"

_TOKEN = re.compile(r"[\w&]+(?:['’.\-][\w&]+)*|[^\w\s]")
_STOP = frozenset(".;:()[]!?\"“”«»|…")
_JOIN = frozenset({",", "-", "–", "&", "/"})
#: the words no candidate ends on (case-folded; ``_JOIN`` fold to themselves)
_NO_END = _JOIN | {"và", "and", "of", "for", "the", "các", "on"}
MAX_VI = 15  # words after a Vietnamese organ word
MAX_EN_PRE, MAX_EN_POST = 5, 10
#: lower-case words an English name may hold around its organ word
_EN_LOWER = frozenset(
    "of for on the and provincial municipal city district commune town ward national central local "
    "provinces cities districts communes towns wards localities centrally-run centrally run level commune-level district-level "
    "provincial-level city-level affairs".split()
)


def tokens(text: str, start: int = 0, end: Optional[int] = None) -> list[tuple[int, int]]:
    """Word and punctuation spans of ``text[start:end]`` (absolute offsets)."""
    return [m.span() for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]


def _cap(w: str) -> bool:
    return w[:1].isupper() or (w[:1].isdigit() and len(w) > 1)


@dataclass(slots=True)
class Candidate:
    """A word span ``text[start:end]`` that may name an agency."""

    start: int
    end: int
    i: int  # first token index in the sentence
    j: int  # last token index (inclusive)
    label: int = 0
    prob: float = 0.0


def _gazetteer(lang: str) -> frozenset[str]:
    return _gazetteer_names(lang, held_out())


@lru_cache(maxsize=8)
def _gazetteer_names(lang: str, held: frozenset) -> frozenset[str]:
    return frozenset(norm_name(n) for n, e in agency_names(lang).items() if e.kind == "agency")


@lru_cache(maxsize=None)
def _provinces(lang: str) -> frozenset[str]:
    return frozenset(norm_name(p) for p in province_by_name(lang))


def organ_words(lang: str, names: Iterable[str]) -> list[str]:
    """The organ words of a language from names: the first word of a Vietnamese name; for
    English, a capitalized word that ends a name or comes before "of"."""
    out: set[str] = set()
    for n in names:
        ws = [n[a:b] for a, b in tokens(n)]
        if not ws:
            continue
        if lang == "vi":
            if _cap(ws[0]):
                out.add(ws[0].casefold())
        else:
            for k, w in enumerate(ws):
                if _cap(w) and w[:1].isalpha() and (k == len(ws) - 1 or ws[k + 1] in ("of", "for")):
                    out.add(w.casefold())
    return sorted(out)


def default_organ_words(lang: str) -> list[str]:
    """Organ words from the gazetteer alone (what an untrained ranker would start from)."""
    return organ_words(lang, default_organ_words_names(lang))


def candidates(text: str, toks: list[tuple[int, int]], lang: str, organs: frozenset[str], info: Optional[list] = None) -> list[Candidate]:
    """Every candidate span of one sentence's tokens (``info``: their ``words_info``, if known)."""
    words = [text[a:b] for a, b in toks]
    info = words_info(words) if info is None else info
    out: list[Candidate] = []
    n = len(words)

    def ok_end(k: int) -> bool:
        return info[k][0] not in _NO_END  # info[k][0]: words[k].casefold()

    if lang == "vi":
        for i, (low, cap, _, _) in enumerate(info):
            if not (cap and low in organs):
                continue
            a = toks[i][0]
            for j in range(i, min(n, i + MAX_VI + 1)):
                if words[j] in _STOP:
                    break
                if info[j][0] not in _NO_END:
                    out.append(Candidate(a, toks[j][1], i, j))
        return out
    for h, (low, cap, _, _) in enumerate(info):
        if not (cap and low in organs):
            continue
        starts = [h]
        for i in range(h - 1, max(-1, h - 1 - MAX_EN_PRE), -1):
            wi = words[i]
            if wi in _STOP or not (_cap(wi) or wi.casefold() in _EN_LOWER or wi in _JOIN):
                break
            if wi not in _JOIN and wi.casefold() not in ("of", "and", "for", "the", "on"):
                starts.append(i)
        ends = [h]
        for j in range(h + 1, min(n, h + 1 + MAX_EN_POST)):
            wj = words[j]
            if wj in _STOP or not (_cap(wj) or wj.casefold() in _EN_LOWER or wj in _JOIN):
                break
            if ok_end(j):
                ends.append(j)
        for i in starts:
            for j in ends:
                out.append(Candidate(toks[i][0], toks[j][1], i, j))
    return out


def _shape(w: str) -> str:
    if w.isupper() and len(w) > 1:
        return "A"
    if _cap(w):
        return "C"
    if w[:1].isalpha():
        return "l"
    return w[:1]


def features(text: str, toks: list[tuple[int, int]], c: Candidate, lang: str, rules: list[tuple[int, int]]) -> dict[str, float]:
    """The feature dict of one candidate (every key prefixed by the language)."""
    return sentence_features(text, toks, [c], lang, rules)[0]


def _shape_c(w: str, cap: bool) -> str:
    """``_shape(w)`` given ``_cap(w)``."""
    if w.isupper() and len(w) > 1:
        return "A"
    if cap:
        return "C"
    return "l" if w[:1].isalpha() else w[:1]


def sentence_features(text: str, toks: list[tuple[int, int]], cands: list[Candidate], lang: str, rules: list[tuple[int, int]]) -> list[dict[str, float]]:
    """The feature dicts of a sentence's candidates; the sentence's words, their case-folded
    forms and shapes are computed once, not once per candidate."""
    words = [text[a:b] for a, b in toks]
    low = [w.casefold() for w in words]
    shapes = [_shape(w) for w in words]
    caps = [_cap(w) for w in words]
    gaz, provs = _gazetteer(lang), _provinces(lang)
    return [_features(text, words, low, shapes, caps, c, lang, rules, gaz, provs) for c in cands]


def _features(text, words, low, shapes, caps, c: Candidate, lang: str, rules, gaz, provs) -> dict[str, float]:
    inner = low[c.i : c.j + 1]
    f: dict[str, float] = {"bias": 1.0}
    f[f"first={inner[0]}"] = 1
    f[f"last={inner[-1]}"] = 1
    if len(inner) > 1:
        f[f"first2={inner[0]} {inner[1]}"] = 1
        f[f"last2={inner[-2]} {inner[-1]}"] = 1
    f[f"prev={low[c.i - 1] if c.i > 0 else '<s>'}"] = 1
    f[f"prev2={' '.join(low[max(0, c.i - 2) : c.i]) or '<s>'}"] = 1
    f[f"next={low[c.j + 1] if c.j + 1 < len(low) else '</s>'}"] = 1
    f[f"next2={' '.join(low[c.j + 1 : c.j + 3]) or '</s>'}"] = 1
    f[f"len={min(len(inner), 14)}"] = 1
    f["len_n"] = len(inner) / 10
    shape = "".join(shapes[c.i : c.j + 1])
    f[f"shape={shape[:8]}"] = 1
    f[f"last_shape={shape[-1]}"] = 1
    f[f"next_shape={shapes[c.j + 1] if c.j + 1 < len(words) else '</s>'}"] = 1
    f[f"prev_shape={shapes[c.i - 1] if c.i > 0 else '<s>'}"] = 1
    f["cap_ratio"] = sum(caps[c.i : c.j + 1]) / len(inner)
    for w in set(inner):
        f[f"in={w}"] = 1
    f[f"commas={min(inner.count(','), 3)}"] = 1
    f[f"ands={min(inner.count('và') + inner.count('and'), 2)}"] = 1
    if norm_name(text[c.start : c.end]) in gaz:
        f["gaz=exact"] = 1
    for k in range(1, 4):
        if len(inner) > k and " ".join(inner[-k:]) in provs:
            f["prov_end"] = 1
    f[f"rule={_relation(c, rules)}"] = 1
    return {f"{lang}:{k}": v for k, v in f.items()}


class SentenceScorer:
    """The ranker's linear score of every candidate of a sentence, equal to the weights of
    ``sentence_features`` summed, without building a feature dict per candidate: what depends on
    one position (the first word, the word before, the last shape ...) is looked up once per
    position, and each candidate adds up its parts."""

    def __init__(self, weights: dict[str, float], intercept: float):
        self.w = weights
        g = weights.get
        self.bias, self.len_n, self.cap_ratio = g("bias", 0.0) + intercept, g("len_n", 0.0), g("cap_ratio", 0.0)
        self.gaz, self.prov = g("gaz=exact", 0.0), g("prov_end", 0.0)
        self.lens = [g(f"len={m}", 0.0) for m in range(15)]
        self.commas = [g(f"commas={m}", 0.0) for m in range(4)]
        self.ands = [g(f"ands={m}", 0.0) for m in range(3)]
        self.rel = {r: g(f"rule={r}", 0.0) for r in RELATIONS}
        # the three read by a count without a min(): index 0-31, the last weight repeated
        self.tables = tuple([xs[min(m, len(xs) - 1)] for m in range(32)] for xs in (self.lens, self.commas, self.ands))
        self.by: dict[str, dict[str, float]] = {}  # "first=sở" -> by["first"]["sở"]
        for key, weight in weights.items():
            name, sep, value = key.partition("=")
            if sep:
                self.by.setdefault(name, {})[value] = weight
        # the lookups of one start and one end position (``_at_start``, ``_at_end``)
        self.starts = tuple(self.by.get(n, {}).get for n in ("first", "prev", "prev2", "prev_shape"))
        self.ends = tuple(self.by.get(n, {}).get for n in ("last", "next", "next2", "last_shape", "next_shape"))

    def _get(self, name: str):
        return self.by.get(name, {}).get

    def scores(self, text: str, toks: list[tuple[int, int]], cands: list[Candidate], lang: str, rules: list[tuple[int, int]],
               info: Optional[list] = None) -> list[float]:
        w_in, w_first2, w_last2, w_shape = self._get("in"), self._get("first2"), self._get("last2"), self._get("shape")
        info = words_info([text[a:b] for a, b in toks]) if info is None else info
        low, caps, shapes, edge = zip(*info)  # edge: a word's normalised words
        n = len(low)
        gaz, provs, last_words, prov_last = _gazetteer(lang), _provinces(lang), _gazetteer_last_words(lang), _province_last_words(lang)
        rules = SpanIndex(rules) if len(rules) > _FEW_RULES else rules  # a few spans are read in turn
        rel = self.rel
        # what depends on the end word alone, once per end (None: not yet needed)
        at_end: list = [None] * n
        last2: list = [None] * n
        prov_min: list = [None] * n  # a span longer than this ends in a province name
        lens, commas, ands = self.tables
        len_n, cap_ratio, w_gaz, w_prov, rel_none = self.len_n, self.cap_ratio, self.gaz, self.prov, rel["none"]
        out = [0.0] * len(cands)
        by_start: dict[int, list[int]] = {}
        for k, c in enumerate(cands):
            by_start.setdefault(c.i, []).append(k)
        for i, ks in by_start.items():
            ks.sort(key=lambda k: cands[k].j)
            base = self.bias + self._at_start(low, shapes, i)
            seen: set[str] = set()
            in_sum, n_caps, n_commas, n_ands, j = 0.0, 0, 0, 0, i - 1
            first2, shape_m, shape_w = None, 0, 0.0  # what depends on the start alone, once
            e_i = edge[i]  # whether a span can be a gazetteer name: its first word, then its last
            any_end = not e_i or e_i[0] in ("the", "các")  # a leading "the"/"các" or an empty word: any
            lasts = () if any_end else last_words.get(e_i[0], ())
            # the rules spans any candidate of this start may overlap (the others never count)
            a0 = cands[ks[0]].start
            near = _near(rules, a0, max(cands[k].end for k in ks)) if rules else None
            for k in ks:
                c = cands[k]
                while j < c.j:  # extend the span word by word
                    j += 1
                    w = low[j]
                    if w not in seen:
                        seen.add(w)
                        in_sum += w_in(w, 0.0)
                    n_caps += caps[j]
                    n_commas += w == ","
                    n_ands += w in ("và", "and")
                m = j - i + 1
                if at_end[j] is None:
                    at_end[j] = self._at_end(low, shapes, j)
                s = base + at_end[j] + lens[m if m < 32 else 31] + len_n * (m / 10) + in_sum
                if m > 1:
                    if first2 is None:
                        first2 = w_first2(f"{low[i]} {low[i + 1]}", 0.0)
                    if last2[j] is None:
                        last2[j] = w_last2(f"{low[j - 1]} {low[j]}", 0.0)
                    s += first2 + last2[j]
                if shape_m != (m if m < 8 else 8):
                    shape_m = m if m < 8 else 8
                    shape_w = w_shape("".join(shapes[i : i + shape_m]), 0.0)
                s += shape_w + cap_ratio * (n_caps / m)
                s += commas[n_commas if n_commas < 32 else 31] + ands[n_ands if n_ands < 32 else 31]
                e_j = edge[j]
                if (any_end or not e_j or e_j[-1] in lasts) and _norm(text[c.start : c.end]) in gaz:
                    s += w_gaz
                if prov_min[j] is None:
                    prov_min[j] = _prov_min(low, j, provs) if low[j] in prov_last else _NEVER
                if m > prov_min[j]:
                    s += w_prov
                out[k] = s + (rel[_relation(c, near)] if near else rel_none)
        return out

    def _at_start(self, low: list[str], shapes: list[str], k: int) -> float:
        first, prev, prev2, prev_shape = self.starts
        return (first(low[k], 0.0) + prev(low[k - 1] if k > 0 else "<s>", 0.0)
                + prev2(" ".join(low[max(0, k - 2) : k]) or "<s>", 0.0)
                + prev_shape(shapes[k - 1] if k > 0 else "<s>", 0.0))

    def _at_end(self, low: list[str], shapes: list[str], k: int) -> float:
        last, next1, next2, last_shape, next_shape = self.ends
        n = len(low)
        return (last(low[k], 0.0) + next1(low[k + 1] if k + 1 < n else "</s>", 0.0)
                + next2(" ".join(low[k + 1 : k + 3]) or "</s>", 0.0) + last_shape(shapes[k], 0.0)
                + next_shape(shapes[k + 1] if k + 1 < n else "</s>", 0.0))


_norm = lru_cache(maxsize=1 << 16)(norm_name)
#: per word: its case-folded form, ``_cap``, ``_shape`` and normalised words (``_word_info``)
_WORD_INFO: dict[str, tuple[str, bool, str, tuple[str, ...]]] = {}
_MAX_WORD_INFO = 200_000


def _word_info(w: str) -> tuple[str, bool, str, tuple[str, ...]]:
    """``(w.casefold(), _cap(w), _shape(w), the words of norm_name(w))``, computed once per word."""
    hit = _WORD_INFO.get(w)
    if hit is None:
        cap = _cap(w)
        hit = (w.casefold(), cap, _shape_c(w, cap), tuple(_norm(w).split()))
        if len(_WORD_INFO) >= _MAX_WORD_INFO:
            _WORD_INFO.clear()
        _WORD_INFO[w] = hit
    return hit


def words_info(words: list[str]) -> list[tuple[str, bool, str, tuple[str, ...]]]:
    """``_word_info`` of each word (the cached ones without a call)."""
    cached = _WORD_INFO.get
    return [cached(w) or _word_info(w) for w in words]


@lru_cache(maxsize=None)
def _province_last_words(lang: str) -> frozenset[str]:
    """The last word of every province name (a span ending elsewhere ends in no province)."""
    return frozenset(p.split()[-1] for p in _provinces(lang) if p.split())


@lru_cache(maxsize=8)
def _gazetteer_end_pairs(lang: str, held: frozenset) -> frozenset:
    """``(first word, last word)`` of every normalised gazetteer name."""
    return frozenset((n.split()[0], n.split()[-1]) for n in _gazetteer_names(lang, held) if n.split())


def _prov_min(low: list[str], j: int, provs: frozenset[str]) -> int:
    """The fewest words (1-3) ending at ``j`` that make a province name (``_NEVER`` when none do)."""
    return next((q for q in range(1, 4) if j - q + 1 >= 0 and " ".join(low[j - q + 1 : j + 1]) in provs), _NEVER)


#: longer than any span
_NEVER = 1 << 30


def _gazetteer_last_words(lang: str) -> dict[str, frozenset[str]]:
    return _gazetteer_lasts(lang, held_out())


@lru_cache(maxsize=8)
def _gazetteer_lasts(lang: str, held: frozenset) -> dict[str, frozenset[str]]:
    """Per first word of a normalised gazetteer name, the last words of those names (the pairs of
    ``_gazetteer_end_pairs`` grouped by first word)."""
    out: dict[str, set[str]] = {}
    for first, last in _gazetteer_end_pairs(lang, held):
        out.setdefault(first, set()).add(last)
    return {k: frozenset(v) for k, v in out.items()}


def _near(rules: "list[tuple[int, int]] | SpanIndex", a: int, b: int) -> list[tuple[int, int]]:
    """The rules spans overlapping ``[a, b)``, in their given order (what ``_relation`` reads of
    any candidate inside that range)."""
    if isinstance(rules, SpanIndex):
        return [rules.spans[q] for q in rules.overlapping(a, b)]
    return [r for r in rules if r[0] < b and a < r[1]]


#: up to this many rules mentions in a sentence, ``_relation`` reads them all rather than an index
_FEW_RULES = 8


class SpanIndex:
    """Spans, kept in their given order, with a query for those overlapping a range: a bisect
    on the starts and a walk back that stops once no earlier span reaches the range (for spans
    that do not overlap one another, only the ones that overlap the range are visited)."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = list(spans)
        self.order = sorted(range(len(self.spans)), key=lambda k: self.spans[k][0])
        self.starts = [self.spans[k][0] for k in self.order]
        self.reach: list[int] = []
        far = -1
        for k in self.order:
            far = max(far, self.spans[k][1])
            self.reach.append(far)

    def overlapping(self, a: int, b: int) -> list[int]:
        """Indices (ascending, i.e. in the given order) of the spans ``s`` with ``s.start < b``
        and ``a < s.end``."""
        out = []
        k = bisect_left(self.starts, b) - 1
        while k >= 0 and self.reach[k] > a:
            q = self.order[k]
            if self.spans[q][1] > a:
                out.append(q)
            k -= 1
        return sorted(out)

    def within(self, a: int, b: int) -> list[int]:
        """Indices (ascending) of the spans inside ``[a, b]``."""
        return [q for q in self.overlapping(a, b) if a <= self.spans[q][0] and self.spans[q][1] <= b]


RELATIONS = ("none", "exact", "contains_same_start", "contains_same_end", "contains", "inside", "partial")


def _relation(c: Candidate, rules: "list[tuple[int, int]] | SpanIndex") -> str:
    """How a candidate sits against the rules' mentions of its sentence (the last overlap wins,
    an exact match at once)."""
    if isinstance(rules, SpanIndex):
        rules = [rules.spans[q] for q in rules.overlapping(c.start, c.end)]
    rel = "none"
    for a, b in rules:
        if a == c.start and b == c.end:
            return "exact"
        if a < c.end and c.start < b:
            if c.start <= a and b <= c.end:
                rel = "contains_same_start" if a == c.start else ("contains_same_end" if b == c.end else "contains")
            elif a <= c.start and c.end <= b:
                rel = "inside"
            else:
                rel = "partial"
    return rel


def build_estimator(seed: int = 0, C: float = 1.0):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([("vec", DictVectorizer()), ("clf", LogisticRegression(C=C, max_iter=5000, random_state=seed))])


def select(cands: list[Candidate], threshold: float) -> list[Candidate]:
    """The most probable candidates at or above ``threshold``, none overlapping another."""
    kept: list[Candidate] = []
    starts: list[int] = []  # the kept spans, sorted by start (they never overlap)
    ends: list[int] = []
    for c in sorted([c for c in cands if c.prob >= threshold], key=lambda c: (-c.prob, c.start, -c.end)):
        k = bisect_left(starts, c.start)
        if (k > 0 and ends[k - 1] > c.start) or (k < len(starts) and starts[k] < c.end):
            continue
        starts.insert(k, c.start)
        ends.insert(k, c.end)
        kept.append(c)
    return sorted(kept, key=lambda c: c.start)


class AgencyRanker:
    """A trained span ranker: ``mentions(...)`` are the agency names it finds in an article."""

    name = "ranker"

    def __init__(self, estimator, meta: dict, model=None):
        from .linear import DictLinear, export_dict

        self.estimator = estimator  # the scikit-learn estimator, only right after training
        self.meta = meta
        self.model: Optional[DictLinear] = model if model is not None or estimator is None else DictLinear.load(*export_dict(estimator))
        self.organs = {lang: frozenset(meta.get("organ_words", {}).get(lang) or default_organ_words(lang)) for lang in ("vi", "en")}

    # -- candidates and features ---------------------------------------------------------------
    def sentence_candidates(self, text: str, s0: int, s1: int, lang: str, rules: list[tuple[int, int]]) -> tuple[list[Candidate], list[dict]]:
        toks = tokens(text, s0, s1)
        cands = candidates(text, toks, lang, self.organs[lang])
        inside = [(a, b) for a, b in rules if s0 <= a and b <= s1]
        return cands, sentence_features(text, toks, cands, lang, inside)

    # -- training --------------------------------------------------------------------------------
    @classmethod
    def train(cls, rows: list[dict], seed: int = 0, C: float = 3.0, dropout_passes: int = 2, log=print) -> "AgencyRanker":
        """Fit on gold rows: a candidate is positive when its text is a gold name or alias.

        The rows are seen once with the full gazetteer and ``dropout_passes`` more times with a
        random third of its national/local entries held out, so the ranker also learns to find
        names the rules do not know (as on new articles) instead of only trusting the rules."""
        import random

        t0 = time.time()
        rng = random.Random(seed)
        entries = [e["canonical"] for e in gazetteer_entries() if e.get("kind", "agency") == "agency"]
        passes = [frozenset()] + [frozenset(rng.sample(entries, len(entries) // 3)) for _ in range(dropout_passes)]
        organs = {lang: organ_words(lang, [n for r in rows if r["lang"] == lang for a in r["gold"].get("agencies") or []
                                            for n in [a.get("name", ""), *(a.get("aliases") or [])]] + default_organ_words_names(lang))
                  for lang in ("vi", "en")}
        ranker = cls(None, {"organ_words": organs})
        X, y = [], []
        for held in passes:
            with holding_out(held):
                for row in rows:
                    gold = {norm_name(n) for a in (row.get("gold") or {}).get("agencies") or [] for n in [a.get("name", ""), *(a.get("aliases") or [])] if n}
                    for s0, s1, feats, cands in ranker._article(row["text"], row["lang"]):
                        for c, fd in zip(cands, feats):
                            X.append(fd)
                            y.append(int(norm_name(row["text"][c.start : c.end]) in gold))
        if len(set(y)) < 2:
            raise ModelError(f"ranker training needs agency and non-agency candidates, got labels {sorted(set(y))}")
        est = build_estimator(seed, C).fit(X, y)
        log(f"ranker: {len(y)} candidates, {sum(y)} positive, {len(est.named_steps['vec'].vocabulary_)} features")
        meta = {
            "name": cls.name, "label_set_version": RANKER_LABEL_SET_VERSION, "labels": list(RANKER_LABELS), "seed": seed, "C": C, "dropout_passes": dropout_passes,
            "organ_words": organs, "train_articles": len(rows), "train_candidates": len(y), "train_positive": sum(y),
            "train_seconds": round(time.time() - t0, 2),
        }
        return cls(est, meta)

    def _article(self, text: str, lang: str, content: Optional[list[tuple[int, int]]] = None, rules: Optional[list[AgencyMention]] = None):
        """``(s0, s1, features, candidates)`` per content sentence (segmenting and running the rules
        when not given)."""
        if content is None or rules is None:
            content = [(s.start, s.end) for s in segment(text, lang) if s.is_content]
            rules = find_agencies(text, content, lang, home_province(text, lang))
        spans = [(m.start, m.end) for m in rules]
        for s0, s1 in content:
            cands, feats = self.sentence_candidates(text, s0, s1, lang, spans)
            if cands:
                yield s0, s1, feats, cands

    # -- inference ---------------------------------------------------------------------------------
    def scored(self, text: str, lang: str, content: list[tuple[int, int]], rules: list[AgencyMention]) -> list[tuple[int, int, list[Candidate]]]:
        """Per content sentence with candidates: ``(s0, s1, candidates with prob)``."""
        import math

        scorer = self._scorer(lang)
        spans = [(m.start, m.end) for m in rules]
        index = SpanIndex(spans)
        out = []
        for s0, s1 in content:
            toks = tokens(text, s0, s1)
            info = words_info([text[a:b] for a, b in toks])
            cands = candidates(text, toks, lang, self.organs[lang], info)
            if not cands:
                continue
            inside = [spans[q] for q in index.within(s0, s1)]
            for c, z in zip(cands, scorer.scores(text, toks, cands, lang, inside, info)):
                c.prob = 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0
            out.append((s0, s1, cands))
        return out

    def _scorer(self, lang: str) -> SentenceScorer:
        """The sentence scorer of ``lang`` (the weights of its features, built once)."""
        cache = self.__dict__.setdefault("_scorers", {})
        if lang not in cache:
            head = f"{lang}:"
            coef = self.model.coef
            weights = {k[len(head) :]: float(coef[i]) for k, i in self.model.vocab.items() if k.startswith(head)}
            cache[lang] = SentenceScorer(weights, self.model.intercept)
        return cache[lang]

    def decide_agencies(self, text: str, content: list[tuple[int, int]], lang: str, rules: list[AgencyMention], home: Optional[str],
                        threshold: float, mode: str) -> list[AgencyMention]:
        """The ensemble hook every agency model has (the tagger too); ``home`` is not needed here."""
        return self.agencies(text, content, lang, rules, threshold, mode)

    def agencies(self, text: str, content: list[tuple[int, int]], lang: str, rules: list[AgencyMention], threshold: float, mode: str) -> list[AgencyMention]:
        """The final agency mentions: ``union`` keeps the rules' and adds the ranker's new or longer
        names; ``model`` keeps the ranker's names alone."""
        out = [] if mode == "model" else list(rules)
        dropped: set[int] = set()  # ids of rules mentions a longer ranker name replaced
        index = SpanIndex([(m.start, m.end) for m in rules])
        for s0, s1, cands in self.scored(text, lang, content, rules):
            kept = select(cands, threshold)
            in_sent = [rules[q] for q in index.within(s0, s1)]
            if mode == "model":
                final = kept
            else:
                final = []
                local = SpanIndex([(m.start, m.end) for m in in_sent])
                for c in kept:
                    over = [in_sent[q] for q in local.overlapping(c.start, c.end)]
                    if not over:
                        final.append(c)
                    elif all(c.start <= m.start and m.end <= c.end for m in over) and any(m.start == c.start and m.end < c.end for m in over):
                        # a longer name where a rules mention starts: it replaces that mention
                        dropped.update(id(m) for m in over if m.start == c.start)
                        final.append(c)
            if not final:
                continue
            kept_rules = [] if mode == "model" else [m for m in in_sent if id(m) not in dropped]
            spans = sorted({(c.start, c.end) for c in final} | {(m.start, m.end) for m in kept_rules})
            roles = {(m.start, m.end): m for m in assign_roles(text, s0, s1, spans, lang, self.name)}
            for c in final:
                m = roles[(c.start, c.end)]
                m.source = self.name
                m.confidence = round(c.prob, 4)
                out.append(m)
        out = [m for m in out if id(m) not in dropped]
        return sorted(out, key=lambda m: m.start)

    # -- files -------------------------------------------------------------------------------------
    def save(self, model_dir: Path) -> Path:
        """Write ``ranker.json``, ``ranker.npz`` and ``meta.json`` into ``model_dir``."""
        return save_linear(model_dir, STEM, self.model.exported, self.meta)

    @classmethod
    def load(cls, model_dir: Path) -> "AgencyRanker":
        """Load a saved ranker; ``ModelError`` when missing, corrupt or of another label set."""
        model, meta = load_linear(model_dir, STEM, RANKER_LABEL_SET_VERSION, "ranker")
        return cls(None, meta, model)


def default_organ_words_names(lang: str) -> list[str]:
    """Gazetteer names in the form ``organ_words`` reads (Vietnamese keys are case-folded)."""
    names = [n for n, e in agency_names(lang).items() if e.kind == "agency"]
    return names if lang == "en" else [n[:1].upper() + n[1:] for n in names]
