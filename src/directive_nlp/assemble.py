"""Mentions -> directive records (EXTRACTION_SPEC.md section 5).

A directive is read as a clause (``extract.clause``): its task verb, and the agencies inside its
span with their role there (issuer, lead, coordinate, mentioned); it also gathers the document ids
it cites, its targets, and its deadline (the first deadline-like date, else the targets' one).
Its id is a hash of the article id and the directive's text and offsets, so the same article
text always gives the same id.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from .extract.clause import item_mark, read_clause
from .lexicons import clause_words, trie_regex
from .extract.directives import DirectiveHit
from .schema import AgencyMention, DateMention, Directive, DirectiveAgency, DocumentRef, Target, content_id


def _inside(m, start: int, end: int) -> bool:
    return start <= m.start and m.end <= end


def directive_id(article_id: str, start: int, end: int, text: str) -> str:
    return content_id(article_id, start, end, text, prefix="d-")


def build_directive(
    article_id: str,
    lang: str,
    text: str,
    hit: DirectiveHit,
    agencies: list[AgencyMention],
    refs: list[DocumentRef],
    dates: list[DateMention],
    targets: list[Target],
    source: str = "rule",
) -> Directive:
    s, e = hit.start, hit.end
    reading = read_clause(text, s, e, lang, agencies, [*dates, *refs])
    ags: list[DirectiveAgency] = []
    seen: set[tuple[str, str]] = set()
    for a in agencies:
        role = reading.roles.get((a.start, a.end))
        if role is None or not _inside(a, s, e):
            continue  # outside, or a name inside a longer one
        key = (a.canonical or a.name, role)
        if key in seen:
            continue
        seen.add(key)
        ags.append(DirectiveAgency(name=a.name, canonical=a.canonical, role=role, start=a.start, end=a.end))
    if lang == "vi" and not any(g.role == "lead" for g in ags):
        ags[:0] = [DirectiveAgency(name=a.name, canonical=a.canonical, role="lead", start=a.start, end=a.end) for a in _header_bodies(text, s, agencies)]
    doc_ids: list[str] = []
    for r in refs:
        if _inside(r, s, e) and r.id and r.id not in doc_ids:
            doc_ids.append(r.id)
    tg = [t for t in targets if _inside(t, s, e)]
    return Directive(
        id=directive_id(article_id, s, e, text[s:e]),
        article_id=article_id,
        language=lang,
        text=text[s:e],
        start=s,
        end=e,
        verb=reading.verb or hit.verb,
        agencies=ags,
        document_refs=doc_ids,
        deadline=_deadline(text, lang, dates, tg, s, e, reading.verb or hit.verb),
        targets=tg,
        source={"sentence": source, "verb": source, "agencies": "rule", "targets": "rule"},
        confidence=hit.confidence,
    )


@lru_cache(maxsize=None)
def _deadline_cue(lang: str) -> re.Pattern:
    """A deadline word right before a date, past a time of day ("trước 17 giờ ngày 28/9")."""
    w = clause_words(lang)
    clock = rf"(?:\d{{1,2}}\s?(?:{trie_regex(w.words('time_of_day'))})(?![^\W\d])(?:\s?\d{{1,2}})?\s)?"
    return re.compile(r"(?:" + w.regex("deadline_before").pattern + r")\s*" + clock + r"(?:ngày\s|the\s)?$", re.IGNORECASE)


def _deadline(text: str, lang: str, dates: list[DateMention], targets: list[Target], s: int, e: int, verb: Optional[str] = None) -> Optional[str]:
    """The date that bounds the task: a date the date stage calls a deadline, else a date written
    right after a deadline word ("trong quý I/2026", "by the end of 2024"), else a target's
    deadline.  A period ("giai đoạn 2026-2030") or a document's date never bounds a task, nor does
    the day it was said ("on May 18, the Chairman asked them to add …")."""
    inside = [d for d in dates if _inside(d, s, e) and d.value and d.kind != "relative" and "/" not in d.value and d.role not in ("issued", "period")]
    inside = [d for d in inside if not _plan_horizon(text, d, lang)]
    for d in inside:
        if d.role == "deadline":
            return d.value
    cue = _deadline_cue(lang)
    for d in inside:
        if cue.search(text[max(s, d.start - 30) : d.start]):
            return d.value
    return _short_interval_end(dates, s, e) or _target_deadline(targets, _said_on(text, inside, verb, s, e))


def _plan_horizon(text: str, d: DateMention, lang: str) -> bool:
    """A year of a plan's name, its period and vision ("Quy hoạch tỉnh thời kỳ 2021-2030, tầm nhìn
    đến năm 2050", "quy hoạch … đến năm 2030, tầm nhìn đến năm 2050"), or a day that recurs ("trước
    ngày 15/12 hằng năm"): not the bound of the task."""
    rx = _horizon(lang)
    return rx["before"].search(text, max(0, d.start - 30), d.start) is not None or rx["after"].match(text, d.end) is not None or rx["recurring"].match(text, d.end) is not None


@lru_cache(maxsize=None)
def _horizon(lang: str) -> dict[str, re.Pattern]:
    w = clause_words(lang)
    return {"before": w.compose(r"(?:<<plan_horizon>>)\s*$"), "after": w.compose(r"\s*,\s*(?:<<plan_horizon>>)"), "recurring": w.compose(r"\s*(?:<<recurring>>)")}


def _target_deadline(targets: list[Target], said: set[str]) -> Optional[str]:
    """A target's own deadline, unless it is only the day the directive was given."""
    return next((t.deadline for t in targets if t.deadline and "/" not in t.deadline and t.deadline not in said), None)


def _said_on(text: str, inside: list[DateMention], verb: Optional[str], s: int, e: int) -> set[str]:
    """Days written before the task verb as events: when the directive was given, not its bound."""
    at = text.lower().find(verb.lower(), s, e) if verb else -1
    return {d.value for d in inside if d.role == "event" and len(d.value) == 10 and d.end <= at}


def _short_interval_end(dates: list[DateMention], s: int, e: int) -> Optional[str]:
    """The end of a dated span inside the sentence ("from April 24 to May 5, 2025", "từ 15/4 đến
    ngày 5/5/2024"): the task must be done by then.  Only spans of months or days within about a
    year; a span of years ("2026-2030") or an anniversary ("1954 - 2024") is a period, not a bound."""
    for d in dates:
        if not (_inside(d, s, e) and d.value and d.value.count("/") == 1):
            continue
        lo, hi = d.value.split("/")
        if len(lo) > 4 and len(hi) > 4 and 0 <= int(hi[:4]) - int(lo[:4]) <= 1:
            return hi
    return None


# -- the bodies a header line gives its items (Vietnamese) --------------------------------------------


def _header_bodies(text: str, s: int, agencies: list[AgencyMention]) -> list[AgencyMention]:
    """An item with no lead of its own under a header line that only names bodies ("- Công an
    tỉnh:") or asks them ("1. Yêu cầu UBND các huyện:"), its sibling items between: they lead it."""
    header = _header_line(text, s)
    if header is None:
        return []
    a, b = header
    ask = clause_words("vi").regex("ask").match(text, a, b)
    p = ask.end() if ask else a
    names = [g for g in agencies if p <= g.start and g.end <= b]
    names = [g for g in names if not any(o is not g and o.start <= g.start and g.end <= o.end for o in names)]
    if not names or text[p : names[0].start].strip() not in ("", "các"):
        return []
    rest = text[names[0].start : b]
    for g in names:
        rest = rest.replace(g.text, " ")
    return names if re.fullmatch(r"[\s,]*(?:(?:và|các)[\s,]+)*[\s,]*", rest) else []


def _mark_kind(mark: str) -> str:
    """The kind of an item mark: its symbol, or "0" for a number, "a" for a letter."""
    c = mark.strip()[:1]
    return "0" if c.isdigit() else "a" if c.isalpha() else c


def _header_line(text: str, s: int) -> Optional[tuple[int, int]]:
    """The text of the header over the item at ``s`` (after its own mark, before its colon), its
    sibling items of the same mark passed over; None when the item has no such header."""
    ls = text.rfind("\n", 0, s) + 1
    mark = item_mark(text, ls, len(text), "vi")
    if mark is None or ls == 0 or s > mark.end():
        return None
    kind, end = _mark_kind(mark.group()), ls - 1
    while end > 0:
        hs = text.rfind("\n", 0, end) + 1
        hm = item_mark(text, hs, end, "vi")
        if hm is None or _mark_kind(hm.group()) != kind:
            line = text[hs:end].rstrip()
            return (hm.end() if hm else hs, hs + len(line) - 1) if line.endswith(":") else None
        end = hs - 1
    return None
