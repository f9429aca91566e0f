"""Scoring against gold, as EXTRACTION_SPEC.md says ("Scoring").

Per field, micro-averaged over articles, by language:

- document refs and dates by normalized value, each distinct value once per article
  (relative dates are ignored);
- agencies by name: case, punctuation and a leading "the"/"các" ignored; a shorter name matches a
  longer one only when it covers at least 60% of its words; an abbreviation matches its full
  name through ``canonical``; gold agencies marked ``nested_only`` are optional;
- targets by value and unit;
- directives by sentence overlap, then the verb and the agency roles within matched pairs.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

FIELDS = ("document_refs", "dates", "agencies", "targets", "directives")
SUBFIELDS = ("directive_verbs", "directive_roles")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class ArticleScore:
    id: str
    lang: str
    counts: dict[str, Counts] = field(default_factory=dict)
    diff: dict[str, dict[str, list]] = field(default_factory=dict)


# -- agencies ---------------------------------------------------------------------------------

_UNIT_MAP = {"tỷ đồng": "vnd billion", "nghìn tỷ đồng": "vnd trillion", "ngàn tỷ đồng": "vnd trillion", "triệu đồng": "vnd million",
             "triệu usd": "usd million", "tỷ usd": "usd billion", "lần": "times", "percent": "%"}


def norm_name(name: str) -> str:
    s = unicodedata.normalize("NFC", name).casefold().replace("’", "'")
    s = re.sub(r"[^\w\s&']", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"^(?:the|các)\s", "", s)
    return s


def names_match(pred_name: str, pred_canonical: Optional[str], gold: dict) -> bool:
    """The spec's lenient agency match between a predicted body and a gold one."""
    p = norm_name(pred_name)
    golds = [gold.get("name", "")] + list(gold.get("aliases") or [])
    for g in golds:
        gn = norm_name(g)
        if not gn:
            continue
        if p == gn:
            return True
        short, long_ = (p, gn) if len(p.split()) <= len(gn.split()) else (gn, p)
        if re.search(rf"(?<!\w){re.escape(short)}(?!\w)", long_) and len(short.split()) / len(long_.split()) >= 0.6:
            return True
    pc = norm_name(pred_canonical) if pred_canonical else None
    gc = norm_name(gold["canonical"]) if gold.get("canonical") else None
    if pc and gc and pc == gc:
        return True
    if gc and p == gc:
        return True
    return False


def _score_agencies(gold: list[dict], pred: list[dict]) -> tuple[Counts, dict]:
    # one predicted entry per body
    seen: dict[str, dict] = {}
    for a in pred:
        key = norm_name(a.get("canonical") or a["name"])
        seen.setdefault(key, a)
    pred_u = list(seen.values())
    matched_gold: set[int] = set()
    c = Counts()
    fps = []
    for a in pred_u:
        hit = None
        for i, g in enumerate(gold):
            if names_match(a["name"], a.get("canonical"), g):
                hit = i
                if i not in matched_gold:
                    break
        if hit is None:
            c.fp += 1
            fps.append(a["name"])
        elif hit not in matched_gold:
            matched_gold.add(hit)
            if not gold[hit].get("nested_only"):
                c.tp += 1
    fns = [g["name"] for i, g in enumerate(gold) if i not in matched_gold and not g.get("nested_only")]
    c.fn = len(fns)
    return c, {"fp": fps, "fn": fns}


# -- targets ----------------------------------------------------------------------------------


def norm_unit(u: Optional[str]) -> str:
    s = (u or "").casefold().strip()
    s = _UNIT_MAP.get(s, s)
    s = re.sub(r"\s+", " ", s)
    return s


def _units_match(a: Optional[str], b: Optional[str]) -> bool:
    x, y = norm_unit(a), norm_unit(b)
    if x == y:
        return True
    if not x or not y:
        return False
    xs, ys = x.rstrip("s"), y.rstrip("s")
    return xs == ys or xs.split()[-1] == ys.split()[-1]


def _values_match(a: Any, b: Any) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and all(_values_match(x, y) for x, y in zip(a, b))
    try:
        return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))
    except (TypeError, ValueError):
        return False


def _score_targets(gold: list[dict], pred: list[dict]) -> tuple[Counts, dict]:
    used: set[int] = set()
    c = Counts()
    fps = []
    for p in pred:
        for i, g in enumerate(gold):
            if i not in used and _values_match(p.get("value"), g.get("value")) and _units_match(p.get("unit"), g.get("unit")):
                used.add(i)
                c.tp += 1
                break
        else:
            c.fp += 1
            fps.append(f"{p.get('value')} {p.get('unit')}")
    fns = [f"{g.get('value')} {g.get('unit')}" for i, g in enumerate(gold) if i not in used]
    c.fn = len(fns)
    return c, {"fp": fps, "fn": fns}


# -- directives -------------------------------------------------------------------------------


def _span(d: dict, text: str) -> Optional[tuple[int, int]]:
    if isinstance(d.get("start"), int) and isinstance(d.get("end"), int):
        return d["start"], d["end"]
    i = text.find(d.get("text") or "\x00")
    return (i, i + len(d["text"])) if i >= 0 else None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / max(a[1] - a[0], b[1] - b[0], 1)


def norm_verb(v: Optional[str]) -> str:
    return re.sub(r"\s+", " ", (v or "").casefold().strip())


def _verbs_match(a: Optional[str], b: Optional[str]) -> bool:
    x, y = norm_verb(a), norm_verb(b)
    return bool(x and y and (x == y or x in y.split() or y in x.split() or x.startswith(y) or y.startswith(x)))


def _score_directives(gold: list[dict], pred: list[dict], text: str) -> tuple[Counts, Counts, Counts, dict]:
    gspans = [(_span(g, text), g) for g in gold]
    pairs = []
    for pi, p in enumerate(pred):
        ps = _span(p, text)
        if ps is None:
            continue
        for gi, (gs, g) in enumerate(gspans):
            if gs is not None:
                ov = _overlap(ps, gs)
                if ov >= 0.5:
                    pairs.append((ov, pi, gi))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    matches = []
    for ov, pi, gi in pairs:
        if pi not in used_p and gi not in used_g:
            used_p.add(pi)
            used_g.add(gi)
            matches.append((pred[pi], gold[gi]))
    c = Counts(tp=len(matches), fp=len(pred) - len(used_p), fn=len(gold) - len(used_g))
    verbs = Counts()
    roles = Counts()
    for p, g in matches:
        if _verbs_match(p.get("verb"), g.get("verb")):
            verbs.tp += 1
        else:
            verbs.fp += 1
            verbs.fn += 1
        ga = [a for a in g.get("agencies") or []]
        used: set[int] = set()
        for a in p.get("agencies") or []:
            for i, ag in enumerate(ga):
                if i not in used and a.get("role") == ag.get("role") and names_match(a["name"], a.get("canonical"), ag):
                    used.add(i)
                    roles.tp += 1
                    break
            else:
                roles.fp += 1
        roles.fn += len(ga) - len(used)
    diff = {
        "fp": [p.get("text", "")[:120] for i, p in enumerate(pred) if i not in used_p],
        "fn": [g.get("text", "")[:120] for i, g in enumerate(gold) if i not in used_g],
        "verb": [f"{p.get('verb')} != {g.get('verb')}" for p, g in matches if not _verbs_match(p.get("verb"), g.get("verb"))],
    }
    return c, verbs, roles, diff


# -- articles ---------------------------------------------------------------------------------


def _set_counts(gold: Iterable[str], pred: Iterable[str]) -> tuple[Counts, dict]:
    g, p = set(gold), {x for x in pred if x}
    return Counts(len(g & p), len(p - g), len(g - p)), {"fp": sorted(p - g), "fn": sorted(g - p)}


def score_article(gold_row: dict, pred: dict) -> ArticleScore:
    """Counts per field for one article; ``pred`` is an extract record as a dict."""
    g = gold_row["gold"]
    text = gold_row["text"]
    s = ArticleScore(gold_row["id"], gold_row.get("lang") or pred.get("lang") or "?")
    s.counts["document_refs"], s.diff["document_refs"] = _set_counts(g.get("document_refs", []), [r.get("id") for r in pred.get("document_refs", [])])
    s.counts["dates"], s.diff["dates"] = _set_counts(
        g.get("dates", []), [d.get("value") for d in pred.get("dates", []) if d.get("kind", "absolute") != "relative"]
    )
    s.counts["agencies"], s.diff["agencies"] = _score_agencies(g.get("agencies", []), pred.get("agencies", []))
    s.counts["targets"], s.diff["targets"] = _score_targets(g.get("targets", []), pred.get("targets", []))
    d, v, r, dd = _score_directives(g.get("directives", []), pred.get("directives", []), text)
    s.counts["directives"], s.counts["directive_verbs"], s.counts["directive_roles"] = d, v, r
    s.diff["directives"] = dd
    return s


def aggregate(scores: Iterable[ArticleScore]) -> dict[str, dict[str, Counts]]:
    """``{lang: {field: Counts}}`` plus an ``all`` language."""
    out: dict[str, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    for s in scores:
        for f, c in s.counts.items():
            out[s.lang][f].add(c)
            out["all"][f].add(c)
    return out


def table(agg: dict[str, dict[str, Counts]]) -> list[dict]:
    rows = []
    for lang in sorted(agg, key=lambda x: (x == "all", x)):
        for f in FIELDS + SUBFIELDS:
            if f in agg[lang]:
                rows.append({"lang": lang, "field": f, **agg[lang][f].as_dict()})
    return rows


def load_jsonl(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(gold_rows: list[dict], preds: dict[str, dict]) -> tuple[list[ArticleScore], dict]:
    scores = []
    for row in gold_rows:
        pred = preds.get(row["id"], {})
        scores.append(score_article(row, pred))
    return scores, aggregate(scores)
