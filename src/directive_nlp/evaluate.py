"""Scoring against gold, as EXTRACTION_SPEC.md says ("Scoring").

Per field, micro-averaged over articles, by language:

- document refs and dates by normalized value, each distinct value once per article
  (relative dates are ignored);
- agencies by name: case, punctuation and a leading "the"/"các" ignored; a shorter name matches a
  longer one only when it covers at least 60% of its words; an abbreviation matches its full
  name through ``canonical``; gold agencies marked ``nested_only`` are optional;
- targets by value and unit;
- directives by sentence overlap, then the verb and the agency roles within matched pairs;
- whole ``records``: a matched directive whose verb, acting bodies (lead and coordinate, one to
  one, roles equal) and deadline are all right, counted against every predicted and every gold
  directive.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

FIELDS = ("document_refs", "dates", "agencies", "targets", "directives", "records")
#: inside matched directives: verb accuracy, (body, role) pairs, the role of the bodies found by
#: name, acting bodies right, deadline right
SUBFIELDS = ("directive_verbs", "directive_roles", "directive_role_accuracy", "directive_actors", "directive_deadlines")


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
    #: each gold directive's record status: ``ok``, ``missed``, ``wrong verb+actors`` …
    records: list[str] = field(default_factory=list)


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


def match_directives(gold: list[dict], pred: list[dict], text: str) -> list[tuple[int, int]]:
    """``(pred index, gold index)`` pairs: each sentence matched at most once, best overlap first
    (an overlap of at least half the longer span)."""
    gspans = [_span(g, text) for g in gold]
    pairs = []
    for pi, p in enumerate(pred):
        ps = _span(p, text)
        for gi, gs in enumerate(gspans):
            if ps is not None and gs is not None and _overlap(ps, gs) >= 0.5:
                pairs.append((_overlap(ps, gs), pi, gi))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    matches = []
    for _, pi, gi in pairs:
        if pi not in used_p and gi not in used_g:
            used_p.add(pi)
            used_g.add(gi)
            matches.append((pi, gi))
    return sorted(matches, key=lambda m: m[1])


def _role_counts(pred_ags: list[dict], gold_ags: list[dict], roles: Optional[tuple] = None) -> Counts:
    """One-to-one matches of (body, role) pairs, by the agencies field's name match; ``roles``
    keeps only the bodies in those roles on both sides."""
    if roles is not None:
        pred_ags = [a for a in pred_ags if a.get("role") in roles]
        gold_ags = [a for a in gold_ags if a.get("role") in roles]
    used: set[int] = set()
    c = Counts()
    for a in pred_ags:
        for i, ag in enumerate(gold_ags):
            if i not in used and a.get("role") == ag.get("role") and names_match(a.get("name") or "", a.get("canonical"), ag):
                used.add(i)
                c.tp += 1
                break
        else:
            c.fp += 1
    c.fn = len(gold_ags) - len(used)
    return c


ACTING_ROLES = ("lead", "coordinate")


def _role_accuracy(pred_ags: list[dict], gold_ags: list[dict]) -> tuple[int, int]:
    """(same role, bodies found): over the gold bodies of a directive that a predicted body
    matches by name, how many carry the gold role."""
    used: set[int] = set()
    same = 0
    for g in gold_ags:
        hits = [i for i, a in enumerate(pred_ags) if i not in used and names_match(a.get("name") or "", a.get("canonical"), g)]
        if hits:
            best = next((i for i in hits if pred_ags[i].get("role") == g.get("role")), hits[0])
            used.add(best)
            same += pred_ags[best].get("role") == g.get("role")
    return same, len(used)


def norm_deadline(v: Optional[str]) -> str:
    return (v or "").strip().casefold()


def record_checks(p: dict, g: dict) -> dict[str, bool]:
    """What the spec's whole-record test checks for a matched pair: the verb (either contains the
    other), the acting bodies (lead and coordinate, one to one, roles equal) and the deadline (the
    same normalized value; both empty counts as the same)."""
    acting = _role_counts(p.get("agencies") or [], g.get("agencies") or [], ACTING_ROLES)
    return {
        "verb": _verbs_match(p.get("verb"), g.get("verb")),
        "actors": acting.fp == 0 and acting.fn == 0,
        "deadline": norm_deadline(p.get("deadline")) == norm_deadline(g.get("deadline")),
    }


def _accuracy(ok: int, n: int) -> Counts:
    """An accuracy as counts: P = R = F1 = ok / n."""
    return Counts(tp=ok, fp=n - ok, fn=n - ok)


def score_directives(gold: list[dict], pred: list[dict], text: str) -> tuple[dict[str, Counts], dict, list[str]]:
    """Counts for ``directives``, the sub-fields inside matched pairs and whole ``records``; the diff
    of missed and spurious sentences and wrong records; each gold directive's record status
    (``ok``, ``missed`` or ``wrong verb+deadline`` …)."""
    matches = match_directives(gold, pred, text)
    checks = [record_checks(pred[pi], gold[gi]) for pi, gi in matches]
    roles = Counts()
    same = found = 0
    for pi, gi in matches:
        pa, ga = pred[pi].get("agencies") or [], gold[gi].get("agencies") or []
        roles.add(_role_counts(pa, ga))
        s, f = _role_accuracy(pa, ga)
        same, found = same + s, found + f
    right = sum(all(c.values()) for c in checks)
    n = len(matches)
    counts = {
        "directives": Counts(tp=n, fp=len(pred) - n, fn=len(gold) - n),
        "directive_verbs": _accuracy(sum(c["verb"] for c in checks), n),
        "directive_roles": roles,
        "directive_role_accuracy": _accuracy(same, found),
        "directive_actors": _accuracy(sum(c["actors"] for c in checks), n),
        "directive_deadlines": _accuracy(sum(c["deadline"] for c in checks), n),
        "records": Counts(tp=right, fp=len(pred) - right, fn=len(gold) - right),
    }
    status = _record_status(len(gold), matches, checks)
    return counts, _directive_diff(gold, pred, matches, checks, status), status


def _record_status(n_gold: int, matches: list, checks: list) -> list[str]:
    by_gold = {gi: c for (_, gi), c in zip(matches, checks)}
    status = []
    for gi in range(n_gold):
        wrong = [k for k, ok in by_gold[gi].items() if not ok] if gi in by_gold else None
        status.append("missed" if wrong is None else ("wrong " + "+".join(wrong) if wrong else "ok"))
    return status


def _directive_diff(gold: list[dict], pred: list[dict], matches: list, checks: list, status: list[str]) -> dict:
    matched_p = {pi for pi, _ in matches}
    by_gold = dict((gi, pi) for pi, gi in matches)
    return {
        "fp": [p.get("text", "")[:120] for i, p in enumerate(pred) if i not in matched_p],
        "fn": [g.get("text", "")[:120] for i, g in enumerate(gold) if i not in by_gold],
        "verb": [f"{pred[pi].get('verb')} != {gold[gi].get('verb')}" for (pi, gi), c in zip(matches, checks) if not c["verb"]],
        "records": [f"{st}: {_record_line(pred[by_gold[gi]], gold[gi])}" for gi, st in enumerate(status) if st.startswith("wrong")],
    }


def _record_line(p: dict, g: dict) -> str:
    def ags(d: dict) -> str:
        return ", ".join(f"{a.get('name')}/{a.get('role')}" for a in d.get("agencies") or [] if a.get("role") in ACTING_ROLES) or "-"

    return f"{g.get('text', '')[:70]!r} predicted [{p.get('verb')} | {ags(p)} | {p.get('deadline')}] gold [{g.get('verb')} | {ags(g)} | {g.get('deadline')}]"


def _score_directives(gold: list[dict], pred: list[dict], text: str) -> tuple[Counts, Counts, Counts, dict]:
    """(directives, verbs, roles, diff): the sentence-level counts alone (what the trainers read)."""
    counts, diff, _ = score_directives(gold, pred, text)
    return counts["directives"], counts["directive_verbs"], counts["directive_roles"], diff


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
    dc, s.diff["directives"], s.records = score_directives(g.get("directives", []), pred.get("directives", []), text)
    s.counts.update(dc)
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


# -- gains and losses between two prediction sets ------------------------------------------------


#: sub-fields counted as accuracies (fp = fn = wrong): one error each, not two
ACCURACY_FIELDS = ("directive_verbs", "directive_role_accuracy", "directive_actors", "directive_deadlines")


def _errors(c: Counts, f: str = "") -> int:
    return c.fp if f in ACCURACY_FIELDS else c.fp + c.fn


def _record_changes(row: dict, before: ArticleScore, after: ArticleScore) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {"gained": [], "lost": [], "changed": []}
    for g, b, a in zip(row["gold"].get("directives", []), before.records, after.records):
        if a == b:
            continue
        kind = "gained" if a == "ok" else ("lost" if b == "ok" else "changed")
        out[kind].append({"article": row["id"], "lang": after.lang, "text": (g.get("text") or "")[:100], "before": b, "after": a})
    return out


def _spurious_changes(before: ArticleScore, after: ArticleScore) -> dict[str, list[str]]:
    b = set(before.diff.get("directives", {}).get("fp", []))
    a = set(after.diff.get("directives", {}).get("fp", []))
    return {"removed": sorted(b - a), "added": sorted(a - b)}


def compare(gold_rows: list[dict], before: dict[str, dict], after: dict[str, dict]) -> dict:
    """Gains and losses of ``after`` predictions against ``before`` ones, on the same gold rows:
    the per-language field totals of each, every article whose errors (fp + fn) changed in some
    field, the gold directives whose whole record became right (gained), stopped being right
    (lost) or went wrong in another way (changed), and the spurious directives removed or added."""
    b_scores, b_agg = evaluate(gold_rows, before)
    a_scores, a_agg = evaluate(gold_rows, after)
    out: dict[str, Any] = {"fields": _field_deltas(b_agg, a_agg), "articles": [], "records": {"gained": [], "lost": [], "changed": []},
                           "spurious": {"removed": [], "added": []}}
    for row, b, a in zip(gold_rows, b_scores, a_scores):
        delta = {f: _errors(b.counts[f], f) - _errors(a.counts[f], f) for f in a.counts if f in b.counts and _errors(b.counts[f], f) != _errors(a.counts[f], f)}
        if delta:
            out["articles"].append({"id": row["id"], "lang": a.lang, "fewer_errors": delta})
        for k, items in _record_changes(row, b, a).items():
            out["records"][k].extend(items)
        sp = _spurious_changes(b, a)
        for k, items in sp.items():
            out["spurious"][k].extend({"article": row["id"], "text": t} for t in items)
    return out


def _field_deltas(b_agg: dict, a_agg: dict) -> list[dict]:
    rows = []
    for lang in sorted(a_agg, key=lambda x: (x == "all", x)):
        for f in FIELDS + SUBFIELDS:
            if f in a_agg[lang] and f in b_agg.get(lang, {}):
                b, a = b_agg[lang][f], a_agg[lang][f]
                rows.append({"lang": lang, "field": f, "f1_before": round(b.f1, 4), "f1_after": round(a.f1, 4),
                             "tp": a.tp - b.tp, "fp": a.fp - b.fp, "fn": a.fn - b.fn})
    return rows


def compare_summary(cmp: dict) -> list[str]:
    """Plain lines summing up ``compare``: per field and language the F1 change, then counts of
    articles and records that got better or worse."""
    lines = []
    for r in cmp["fields"]:
        if r["f1_before"] != r["f1_after"] or r["tp"] or r["fp"] or r["fn"]:
            lines.append(f"{r['lang']:<4} {r['field']:<24} F1 {r['f1_before']:.3f} -> {r['f1_after']:.3f}  (tp {r['tp']:+d}, fp {r['fp']:+d}, fn {r['fn']:+d})")
    better = sum(1 for a in cmp["articles"] if sum(a["fewer_errors"].values()) > 0)
    worse = sum(1 for a in cmp["articles"] if sum(a["fewer_errors"].values()) < 0)
    rec = cmp["records"]
    lines.append(f"articles: {better} better, {worse} worse, {len(cmp['articles']) - better - worse} mixed")
    lines.append(f"records: {len(rec['gained'])} gained, {len(rec['lost'])} lost, {len(rec['changed'])} changed while wrong; "
                 f"spurious directives: {len(cmp['spurious']['removed'])} removed, {len(cmp['spurious']['added'])} added")
    return lines
