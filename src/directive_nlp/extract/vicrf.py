"""underthesea's Vietnamese word segmentation CRF, scored from its weights without feature strings.

underthesea segments words with a linear-chain CRF (CRFsuite format, read by ``underthesea_core``):
every syllable gets 43 feature strings (``T[-1,0].lower=ủy ban``, ``T[0].is_in_dict=True`` …),
the tagger parses them back and sums their weights.  Building and parsing those strings was most
of the Vietnamese pipeline's time.  Here the model file is read once (``read_model``) into one
table per kind of n-gram (the raw, lower-cased, title, digit and dictionary values of the
syllable, the bigram and the trigram), each value giving its weights for every template it fills;
a sentence is scored with one lookup per n-gram for its written and lower-cased forms (their
weights summed per offset the first time the n-gram is met) and one in a small table for its
digit, title and dictionary values, then decoded with Viterbi over the model's two labels
(``B-W``, ``I-W``).  The labels are the same as underthesea's, label for
label (``tests/test_vicrf.py`` compares the two on corpus stretches); ``vipos.words`` falls back
to underthesea's own path when the model cannot be read or its templates are not the expected
ones.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from typing import Container, Optional

#: the feature templates of underthesea's word segmentation model (checked against it at load)
TEMPLATE = [
    "T[-2]", "T[-1]", "T[0]", "T[1]", "T[2]",
    "T[-2,-1]", "T[-1,0]", "T[0,1]", "T[1,2]", "T[-2,0]", "T[-1,1]", "T[0,2]",
    "T[-2].lower", "T[-1].lower", "T[0].lower", "T[1].lower", "T[2].lower",
    "T[-2,-1].lower", "T[-1,0].lower", "T[0,1].lower", "T[1,2].lower",
    "T[-1].isdigit", "T[0].isdigit", "T[1].isdigit",
    "T[-2].istitle", "T[-1].istitle", "T[0].istitle", "T[1].istitle", "T[2].istitle", "T[0,1].istitle", "T[0,2].istitle",
    "T[-2].is_in_dict", "T[-1].is_in_dict", "T[0].is_in_dict", "T[1].is_in_dict", "T[2].is_in_dict",
    "T[-2,-1].is_in_dict", "T[-1,0].is_in_dict", "T[0,1].is_in_dict", "T[1,2].is_in_dict",
    "T[-2,0].is_in_dict", "T[-1,1].is_in_dict", "T[0,2].is_in_dict",
]
_SYNTAX = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\.(\w+))?")
#: the value functions a template may name ("" is the n-gram as written)
KINDS = ("", "lower", "isdigit", "istitle", "is_in_dict")


@dataclass
class Model:
    """A CRF's weights: ``tables[(kind, size)][value]`` lists ``(offset, w_label0, w_label1, …)`` for
    every template of that kind and n-gram size the value fills; ``edges[template]`` the weights of
    ``BOS`` / ``EOS`` for it; ``trans[a][b]`` the weight of label ``b`` after ``a``."""

    labels: list[str]
    tables: dict[tuple[str, int], dict[str, list[tuple]]] = field(default_factory=dict)
    edges: dict[tuple[int, int, str], dict[str, tuple]] = field(default_factory=dict)
    trans: list[list[float]] = field(default_factory=list)


def _cqdb(b: bytes, off: int) -> list[str]:
    """The strings of a CQDB block (CRFsuite's string table), by id."""
    cid, _, _, _, bwd_size, bwd_off = struct.unpack_from("<4sIIIII", b, off)
    if cid != b"CQDB":
        raise ValueError("not a CRFsuite string table")
    out = [""] * bwd_size
    for ro in struct.unpack_from(f"<{bwd_size}I", b, off + bwd_off):
        if ro:
            rid, ks = struct.unpack_from("<II", b, off + ro)
            out[rid] = b[off + ro + 8 : off + ro + 7 + ks].decode("utf-8")
    return out


def read_model(path: str, templates: list[str]) -> Model:
    """The weights of the CRFsuite model at ``path`` whose attributes are ``template=value``."""
    with open(path, "rb") as fh:
        b = fh.read()
    magic, _, kind, _, _, n_labels, _, off_f, off_l, off_a = struct.unpack_from("<4sI4sIIIIIII", b, 0)
    if magic != b"lCRF" or kind != b"FOMC":
        raise ValueError(f"{path}: not a CRFsuite model")
    labels, attrs = _cqdb(b, off_l)[:n_labels], _cqdb(b, off_a)
    specs = {t: _spec(t) for t in templates}
    model = Model(labels, trans=[[0.0] * n_labels for _ in range(n_labels)])
    state: dict[int, list[float]] = {}
    _, _, n_feat = struct.unpack_from("<4sII", b, off_f)
    for typ, src, dst, w in struct.iter_unpack("<IIId", b[off_f + 12 : off_f + 12 + 20 * n_feat]):
        if typ == 1:
            model.trans[src][dst] = w
        else:
            state.setdefault(src, [0.0] * n_labels)[dst] = w
    for aid, ws in state.items():
        name, _, value = attrs[aid].partition("=")
        a, b_, fn = specs[name]  # a template the caller did not name: KeyError, caught by the loader
        model.tables.setdefault((fn, b_ - a + 1), {}).setdefault(value, []).append((a, *ws))
        if value in ("BOS", "EOS"):
            model.edges.setdefault((a, b_, fn), {})[value] = tuple(ws)
    return model


def _spec(template: str) -> tuple[int, int, str]:
    m = _SYNTAX.fullmatch(template)
    if m is None or (m.group(3) or "") not in KINDS:
        raise ValueError(f"unsupported CRF feature template: {template}")
    a = int(m.group(1))
    return a, int(m.group(2)) if m.group(2) is not None else a, m.group(3) or ""


class Segmenter:
    """``labels(syllables)``: the CRF's label of every syllable (``B-W`` opens a word)."""

    def __init__(self, model: Model, dictionary: Container[str]):
        if len(model.labels) != 2:
            raise ValueError("the segmenter decodes two labels")
        self.model, self.in_dict = model, dictionary
        self._edges: dict[int, tuple[list[float], list[float]]] = {}
        t = model.tables
        self._raw = [t.get(("", k), {}) for k in (1, 2, 3)]
        self._low = [t.get(("lower", k), {}) for k in (1, 2, 3)]
        #: by n-gram size: the weights of an n-gram as written and lower-cased, summed per offset
        #: (the model's n-grams, merged when first met: a one-time cost, bounded by the model)
        self._merged: list[dict[str, tuple]] = [{}, {}, {}]
        self._flags = {
            (k, digit, title, known): _merge(*(t.get((kind, k), {}).get(_BOOL[v], ()) for kind, v in (("isdigit", digit), ("istitle", title), ("is_in_dict", known))))
            for k in (1, 2, 3) for digit in (False, True) for title in (False, True) for known in (False, True)
        }
        #: the same, indexed ``[size - 1][digit][title][known]``
        self._flag_table = [[[[self._flags[k, d, t, i] for i in (False, True)] for t in (False, True)] for d in (False, True)] for k in (1, 2, 3)]
        #: by n-gram size: every entry an n-gram adds (``_entries_of``; emptied past ``_MAX_ENTRIES``)
        self._entries: list[dict[str, tuple]] = [{}, {}, {}]

    def labels(self, syl: list[str]) -> list[str]:
        n = len(syl)
        if n == 0:
            return []
        e0, e1 = self._edge_scores(n)
        s0, s1 = list(e0), list(e1)
        if sum(map(len, self._entries)) > _MAX_ENTRIES:
            self._entries = [{}, {}, {}]
        for size, grams, low, title in self._grams(syl):
            entries = self._entries[size - 1]
            for g, gram in enumerate(grams):
                w = entries.get(gram)
                if w is None:
                    w = self._entries_of(size, gram, low[g], title[g])
                if _REACH <= g < n - _REACH:  # (every syllable the n-gram scores is in the sentence)
                    for a, w0, w1 in w:
                        s0[g - a] += w0
                        s1[g - a] += w1
                    continue
                for a, w0, w1 in w:
                    i = g - a
                    if 0 <= i < n:
                        s0[i] += w0
                        s1[i] += w1
        return [self.model.labels[y] for y in _viterbi(s0, s1, self.model.trans)]

    def _entries_of(self, size: int, gram: str, lg: str, tt: bool) -> tuple:
        """Every ``(offset, w0, w1)`` an n-gram adds, in scoring order: its own weights as written
        and lower-cased, then those of its digit, title and dictionary values (all fixed by the
        n-gram's text), kept for the next time the n-gram is met."""
        w = self._merged[size - 1].get(gram)
        if w is None:  # (most trigrams: unknown to the model, nothing to merge)
            w = self._merge_known(size, gram, lg) if gram in self._raw[size - 1] or lg in self._low[size - 1] else ()
        digit = size == 1 and gram.isascii() and gram.isdigit()
        out = self._entries[size - 1][gram] = w + self._flag_table[size - 1][digit][tt][lg in self.in_dict]
        return out

    def _merge_known(self, size: int, gram: str, lg: str) -> tuple:
        """The weights of ``gram`` as written and lower-cased (``lg``), kept when the model knows it."""
        raw, low = self._raw[size - 1].get(gram), self._low[size - 1].get(lg)
        if raw is None and low is None:
            return ()
        w = self._merged[size - 1][gram] = _merge(raw or (), low or ())
        return w

    @staticmethod
    def _grams(syl: list[str]) -> list[tuple[int, list[str], list[str], list[bool]]]:
        """Each n-gram size with its n-grams as written and lower-cased (by their first syllable),
        and whether every syllable of each opens with no lower-case letter (the title value)."""
        join = " ".join
        low = list(map(str.lower, syl))
        title = [not s[:1].islower() for s in syl]
        bi, lbi = list(map(join, zip(syl, syl[1:]))), list(map(join, zip(low, low[1:])))
        tri, ltri = list(map(join, zip(syl, syl[1:], syl[2:]))), list(map(join, zip(low, low[1:], low[2:])))
        t2 = [x and y for x, y in zip(title, title[1:])]
        return [(1, syl, low, title), (2, bi, lbi, t2), (3, tri, ltri, [x and y for x, y in zip(t2, title[2:])])]

    def _edge_scores(self, n: int) -> tuple[list[float], list[float]]:
        """The weights of ``BOS`` / ``EOS`` at each syllable of an ``n``-syllable sentence, per label
        (BOS first when a template runs past both ends)."""
        rows = self._edges.get(n)
        if rows is None:
            rows = ([0.0] * n, [0.0] * n)
            for (a, b, _), ws in self.model.edges.items():
                for i in range(n):
                    mark = "BOS" if i + a < 0 else "EOS" if i + b >= n else ""
                    for y, w in enumerate(ws.get(mark, ())):
                        rows[y][i] += w
            if n <= 512:
                self._edges[n] = rows
        return rows


_BOOL = ("False", "True")
#: how far from its syllable a template may look (``T[-2]`` … ``T[2]``)
_REACH = 2
#: how many n-grams ``Segmenter`` keeps the entries of before it starts afresh (a bound on memory)
_MAX_ENTRIES = 200_000


def _merge(*parts: list[tuple]) -> tuple[tuple[int, float, float], ...]:
    """``(offset, w0, w1)`` entries summed per offset."""
    if len(parts) == 1 and len({a for a, _, _ in parts[0]}) == len(parts[0]):
        return tuple(sorted(parts[0]))  # (one list, each offset once: nothing to sum)
    out: dict[int, list[float]] = {}
    for part in parts:
        for a, w0, w1 in part:
            acc = out.setdefault(a, [0.0, 0.0])
            acc[0] += w0
            acc[1] += w1
    return tuple((a, w0, w1) for a, (w0, w1) in sorted(out.items()))


def _viterbi(s0: list[float], s1: list[float], trans: list[list[float]]) -> list[int]:
    """The best path of a two-label chain (a tie goes to the first label)."""
    (t00, t01), (t10, t11) = trans
    b0, b1, back = s0[0], s1[0], []
    for x0, x1 in zip(s0[1:], s1[1:]):
        p0, p1 = (0, b0 + t00) if b0 + t00 >= b1 + t10 else (1, b1 + t10), (0, b0 + t01) if b0 + t01 >= b1 + t11 else (1, b1 + t11)
        back.append((p0[0], p1[0]))
        b0, b1 = p0[1] + x0, p1[1] + x1
    y = 0 if b0 >= b1 else 1
    path = [y]
    for step in reversed(back):
        y = step[y]
        path.append(y)
    return path[::-1]


def load(model_dir: str, dictionary: set) -> Optional[Segmenter]:
    """The segmenter of underthesea's model folder, or None when it cannot be read as expected."""
    import os

    if any(abs(x) > _REACH for t in TEMPLATE for x in _spec(t)[:2]):
        return None  # (``labels`` scores the middle of a sentence without bounds checks)
    try:
        return Segmenter(read_model(os.path.join(model_dir, "models.bin"), TEMPLATE), dictionary)
    except (OSError, ValueError, KeyError, struct.error):
        return None
