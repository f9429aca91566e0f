"""Directive records at the desk: what an edit must respect, the gazetteer for the agency picker,
and the cross-article filters of ``GET /api/directives``.

    >>> [c["canonical"] for c in agency_choices() if "Sở Kế hoạch và Đầu tư" in c["names"]]
    ['Department of Planning and Investment']
    >>> sorted(canonicals_for("so ke hoach va dau tu"))
    ['Department of Planning and Investment']
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any, Iterable, Optional

from ..corpus import DATE_VALUE
from ..extract.docrefs import normalize_id
from ..lexicons import gazetteer_entries
from ..schema import Directive
from .text import fold


def check_deadline(value: Optional[str], what: str) -> list[str]:
    """Problems with a deadline: the spec's granularities are YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn and A/B."""
    if value is None:
        return []
    if not DATE_VALUE.match(value):
        return [f"{what} {value!r} is not a date the spec allows (2025, 2025-06, 2025-06-30, 2025-Q2 or an interval 2026/2030)"]
    for part in value.split("/"):
        if len(part) == 10:
            try:
                date.fromisoformat(part)
            except ValueError:
                return [f"{what} {value!r}: {part} is not a calendar date"]
        elif len(part) == 7 and "Q" not in part and not 1 <= int(part[5:]) <= 12:
            return [f"{what} {value!r}: month {part[5:]} does not exist"]
    return []


def with_canonicals(d: Directive) -> Directive:
    """Fill an agency's missing canonical name from the gazetteer when the name is known there."""
    for a in d.agencies:
        if not a.canonical:
            found = canonicals_for(a.name)
            a.canonical = found.pop() if len(found) == 1 else None
    return d


def with_offsets(d: Directive, text: str) -> Directive:
    """Place an agency given without offsets at the first occurrence of its name in the directive."""
    span = text[d.start:d.end].casefold()
    for a in d.agencies:
        if a.start is None and a.name:
            at = span.find(a.name.casefold())
            if at >= 0:
                a.start, a.end = d.start + at, d.start + at + len(a.name)
    return d


def check_directive(d: Directive, text: str, refs: Iterable[str], known: Iterable[str] = ()) -> list[str]:
    """What is wrong with an edited directive, given its article's text, document references and
    the canonical names of the agencies it mentions (``known``).  An agency is named as written in
    the text, or by any gazetteer name of a body the article mentions."""
    problems = check_deadline(d.deadline, "deadline")
    low, known = text.casefold(), {fold(k) for k in known}
    for a in d.agencies:
        if not a.name.strip():
            problems.append("an agency has no name")
        elif a.name.casefold() not in low and fold(a.canonical) not in known:
            problems.append(f"agency name {a.name!r} does not occur in the article: give the name as written "
                            "and the official name as canonical")
    for i, t in enumerate(d.targets):
        problems.extend(check_deadline(t.deadline, f"target {i + 1} deadline"))
        if text[t.start:t.end] != t.text:
            problems.append(f"target {i + 1}: offsets {t.start}-{t.end} do not hold {t.text!r}")
    for r in d.document_refs:
        if r not in set(refs) and normalize_id(r) != r:
            problems.append(f"document {r!r} is neither one of the article's references nor a canonical number")
    return problems


@lru_cache(maxsize=1)
def agency_choices() -> list[dict[str, Any]]:
    """Gazetteer entries for the picker: canonical name, every Vietnamese and English name and abbreviation."""
    out = []
    for e in gazetteer_entries():
        names = list(dict.fromkeys([*e.get("vi", []), *e.get("en", [])]))
        out.append({"canonical": e["canonical"], "names": names})
    return out


@lru_cache(maxsize=1)
def _folded_gazetteer() -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for c in agency_choices():
        for n in (c["canonical"], *c["names"]):
            index.setdefault(fold(n), set()).add(c["canonical"])
    return index


def canonicals_for(query: str) -> set[str]:
    """Canonical names whose canonical or any name is ``query``, accents and case aside."""
    return set(_folded_gazetteer().get(fold(query), set()))


def agency_matches(directive: dict, query: str) -> bool:
    """Whether one of the directive's agencies is ``query``: its agency id in the export (``ag-…``),
    its canonical name, or any name of it
    (accent-insensitive: "so ke hoach va dau tu" finds "Sở KH&ĐT" whose canonical is the
    Department of Planning and Investment)."""
    from ..export.tables import agency_id

    q = fold(query)
    wanted = {fold(c) for c in canonicals_for(query)} | {q}
    for a in directive.get("agencies") or []:
        if query.strip() == agency_id(a.get("canonical") or a.get("name") or ""):
            return True  # the export's agency id (agencies.agency_id)
        names = {fold(a.get("name")), fold(a.get("canonical"))}
        if names & wanted or any(q and q in n for n in names):
            return True
    return False


def deadline_bounds(value: Optional[str]) -> Optional[tuple[str, str]]:
    """First and last day of an ISO deadline (``2025`` -> 2025-01-01..2025-12-31, ``2025-Q2`` -> ..06-30)."""
    if not value or not DATE_VALUE.match(value):
        return None
    parts = value.split("/")
    return _first_day(parts[0]), _last_day(parts[-1])


def _first_day(v: str) -> str:
    if "Q" in v:
        return f"{v[:4]}-{(int(v[-1]) - 1) * 3 + 1:02d}-01"
    return (v + "-01-01")[:10] if len(v) == 4 else (v + "-01")[:10]


def _last_day(v: str) -> str:
    import calendar

    if len(v) == 10:
        return v
    y = int(v[:4])
    m = 12 if len(v) == 4 else int(v[-1]) * 3 if "Q" in v else int(v[5:7])
    return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"


FILTERS = ("agency", "document", "deadline_from", "deadline_to", "overdue", "decision", "status", "lang", "q")


def directive_item(row: dict) -> dict:
    """One ``GET /api/directives`` item: the directive's fields, its article, decision and article status."""
    from .store import export_decision

    return {**row["payload"], "row_id": row["id"], "article_id": row["article_id"], "article_title": row["article_title"],
            "article_status": row["article_status"], "lang": row["lang"], "published": row["published"],
            "decision": export_decision(row), "source_kind": row["source"]}


def _keep(item: dict, f: dict, today: str) -> bool:
    bounds = deadline_bounds(item.get("deadline"))
    tests = (
        ("agency", lambda v: agency_matches(item, v)),
        ("document", lambda v: normalize_id(v) in item.get("document_refs", []) or v in item.get("document_refs", [])),
        ("deadline_from", lambda v: bool(bounds) and bounds[1] >= v),
        ("deadline_to", lambda v: bool(bounds) and bounds[0] <= v),
        ("overdue", lambda v: bool(bounds) and (bounds[1] < today) == v),
        ("decision", lambda v: item["decision"] == v),
        ("status", lambda v: item["article_status"] == v),
        ("lang", lambda v: (item.get("language") or item.get("lang")) == v),
        ("q", lambda v: fold(v) in _haystack(item)),
    )
    return all(test(f[name]) for name, test in tests if f.get(name) not in (None, ""))


def _haystack(item: dict) -> str:
    names = " ".join(f"{a.get('name')} {a.get('canonical') or ''}" for a in item.get("agencies") or [])
    return fold(" ".join([item.get("text") or "", item.get("verb") or "", names, " ".join(item.get("document_refs") or []), item.get("article_title") or ""]))


def filter_directives(rows: list[dict], filters: dict, offset: int = 0, limit: int = 50, today: Optional[str] = None) -> dict:
    """``{"items": [...], "total": N}``: the directives matching every filter given, one page of them."""
    today = today or date.today().isoformat()
    items = [it for it in map(directive_item, rows) if _keep(it, filters, today)]
    return {"items": items[offset: offset + limit], "total": len(items), "offset": offset, "limit": limit}
