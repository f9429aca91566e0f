"""Document references (EXTRACTION_SPEC.md section 1).

Ids are matched on the raw text (tokenizers split ``15-NQ/TW`` into five tokens), normalized to
one canonical form for both languages, and decoded through the tables in
``lexicons/shared/documents.yaml``.  Numbers written before a full id share its suffix
("Resolution No. 18, No. 19-NQ/TW" gives 18-NQ/TW and 19-NQ/TW); short references
("Nghị quyết 15") resolve to the full id the article gives elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..lexicons import documents, word_alternation
from ..schema import DocumentRef

_L = "A-Za-zĐđƯư"
_DASH = r"[-‐‑‒–—−]"
_CODE = rf"[{_L}][{_L}0-9]{{0,11}}"
_NUM = r"\d{1,5}[a-z]?"

# 30/2020/NĐ-CP, 306/KH-UBND, 1259/QĐ-TTg, 12/UBND-KT, 39/2024/QH15, 508/TB-VPCP
_STATE = rf"(?P<snum>{_NUM})\s?/\s?(?:(?P<syear>(?:19|20)\d\d)\s?/\s?)?(?P<stype>{_CODE})(?:\s?{_DASH}\s?(?P<siss>{_CODE}(?:\s?{_DASH}\s?{_CODE})?))?"
# 15-NQ/TW, 292-KH/TU, 86-CTr/BCSĐ, 95-TB/VPTW
_PARTY = rf"(?P<pnum>{_NUM})\s?{_DASH}\s?(?P<ptype>{_CODE})\s?/\s?(?P<piss>{_CODE}(?:\s?{_DASH}\s?{_CODE})?)"
_ID = re.compile(rf"(?<![\w/.-])(?:{_PARTY}|{_STATE})(?![\w/])")

# a number list before a full id: "18, No. 19-", "18 và 19-", "123, 124/"
_LIST_ITEM = re.compile(
    r"(?:(?:số|No\.?|Nos\.?)\s{0,3})?(?P<n>\d{1,5})\s{0,3}(?:,|;|và|and|&)\s{0,3}(?:(?:số|No\.?|Nos\.?)\s{0,3})?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Tables:
    type_codes: dict[str, str]
    issuer_codes: dict[str, str]
    ascii_codes: dict[str, str]
    nouns: dict[str, dict[str, str]]


@lru_cache(maxsize=None)
def _tables() -> _Tables:
    d = documents()
    return _Tables(d["type_codes"], d["issuer_codes"], d["ascii_codes"], d["nouns"])


@lru_cache(maxsize=None)
def _noun_regex(lang: str) -> re.Pattern:
    return re.compile(word_alternation(_tables().nouns[lang]), re.IGNORECASE)


@lru_cache(maxsize=None)
def _short_regex(lang: str) -> re.Pattern:
    # "Nghị quyết 15", "Nghị quyết số 15", "Resolution No. 15" not followed by an id suffix
    return re.compile(
        "(?P<noun>" + word_alternation(_tables().nouns[lang]) + ")"
        + r"(?:\s{1,3}(?:số|No\.?))?\s{1,3}(?P<num>\d{1,5})(?![\w/.,-]|\s?[-–—/]\s?\w|\s+(?:năm|year|years|tháng|months?|ngày|days?|%))",
        re.IGNORECASE,
    )


def _norm_code(code: str) -> str:
    code = re.sub(r"\s+", "", code)
    code = re.sub(_DASH, "-", code)
    t = _tables()
    return "-".join(t.ascii_codes.get(part, part) for part in code.split("-"))


def normalize_id(raw: str) -> Optional[str]:
    """The canonical id of a written document id, or None when it is not one.

    >>> normalize_id("15 - NQ/TƯ")
    '15-NQ/TW'
    >>> normalize_id("30/2020/ND-CP")
    '30/2020/NĐ-CP'
    """
    m = _ID.fullmatch(raw.strip())
    return _canonical(m) if m else None


def _unknown_party_type(typ: str, iss: str, t) -> bool:
    """A type code outside the table stays as written (spec section 1) when the issuer is a known
    Party issuer: ``07-CTHĐ/TU`` is a document, ``19-ABC/XYZ`` is not."""
    return bool(re.fullmatch(r"[A-ZĐ][A-Za-zĐđ]{1,5}", typ)) and iss in t.issuer_codes


def _canonical(m: re.Match) -> Optional[str]:
    return _party_id(m) if m.group("pnum") else _state_id(m)


def _party_id(m: re.Match) -> Optional[str]:
    """15-NQ/TW: the type must be known, or the issuer a known Party issuer."""
    t = _tables()
    typ, iss = _norm_code(m.group("ptype")), _norm_code(m.group("piss"))
    if typ not in t.type_codes and not _unknown_party_type(typ, iss, t):
        return None
    return f"{m.group('pnum')}-{typ}/{iss}"


def _state_id(m: re.Match) -> Optional[str]:
    """30/2020/NĐ-CP, 306/KH-UBND, 39/2024/QH15."""
    num, year, typ = m.group("snum"), m.group("syear"), _norm_code(m.group("stype"))
    if not m.group("siss"):
        # laws and National Assembly resolutions: 39/2024/QH15
        return f"{num}/{year}/{typ}" if year and re.fullmatch(r"(?:QH|UBTVQH)\d{1,2}", typ) else None
    iss = _norm_code(m.group("siss"))
    if not _state_codes_agree(typ, re.sub(r"(?<=[A-ZĐ])\d{1,2}$", "", iss.split("-")[0])):
        return None
    return f"{num}/{year}/{typ}-{iss}" if year else f"{num}/{typ}-{iss}"


def _state_codes_agree(typ: str, head: str) -> bool:
    """The type code and the issuer's head (without a legislature's number: UBTVQH15) make an id."""
    t = _tables()
    if typ not in t.type_codes and typ not in t.issuer_codes and not re.fullmatch(r"[A-ZĐ]{2,8}", typ):
        return False  # an all-capitals unknown code before a unit is an official dispatch (386/SGDĐT-GDTrH)
    if typ in t.issuer_codes and typ not in t.type_codes and head in t.type_codes:
        return False
    return not (typ in t.type_codes and head not in t.issuer_codes and not re.fullmatch(r"[A-ZĐ][A-ZĐa-z]{1,10}", head))


def decode(doc_id: str) -> dict:
    """Number, type, issuer and year decoded from a canonical id."""
    t = _tables()
    m = re.fullmatch(r"(?P<num>[^-/]+)-(?P<type>[^/]+)/(?P<iss>.+)", doc_id)
    if m:  # Party style
        typ, iss, year = m.group("type"), m.group("iss"), None
    else:
        parts = doc_id.split("/")
        year = int(parts[1]) if len(parts) == 3 else None
        code = parts[-1]
        if "-" in code:
            typ, iss = code.split("-", 1)
        else:  # 39/2024/QH15
            typ, iss = "L", code
        if typ in t.issuer_codes and typ not in t.type_codes:  # 12/UBND-KT: an official dispatch
            typ, iss = "CV", typ
        m = re.match(r"[^/]+", doc_id)
    issuer_head = re.sub(r"\d+$", "", iss.split("-")[0])
    return {
        "number": doc_id.split("/")[0].split("-")[0],
        "type_code": typ,
        "doc_type": t.type_codes.get(typ),
        "issuer": iss,
        "issuer_name": t.issuer_codes.get(issuer_head),
        "year": year,
    }


def _noun_match(text: str, start: int, lang: str) -> Optional[tuple[int, str]]:
    """(offset, words) of the document noun written right before an id ("Quyết định số 123/…")."""
    base = max(0, start - 60)
    window = text[base:start]
    best = None
    for m in _noun_regex(lang).finditer(window):
        tail = window[m.end() :]
        if re.fullmatch(r"[\s\w.,&-]{0,30}?(?:số|No\.?|Nos\.?)?\s*", tail, re.IGNORECASE) and len(tail) < 30:
            best = (base + m.start(), m.group(0).casefold())
    return best


def _noun_before(text: str, start: int, lang: str) -> Optional[str]:
    """The document type named right before an id ("Quyết định số 123/…", "Decree No. …")."""
    found = _noun_match(text, start, lang)
    if found is None:
        return None
    return _tables().nouns[lang].get(found[1]) or _tables().nouns[lang].get(found[1].lower())


def noun_start(text: str, start: int, lang: str) -> int:
    """Where the noun phrase of the reference at ``start`` begins ("Nghị quyết số 15-NQ/TW" -> at "Nghị").

    Example:
        >>> t = "thực hiện Nghị quyết số 15-NQ/TW"
        >>> noun_start(t, t.index("15"), "vi")
        10
    """
    found = _noun_match(text, start, lang)
    return found[0] if found else start


def noun_regex(lang: str) -> re.Pattern:
    """Any document noun of ``lang`` ("kế hoạch", "action program"), whole words, case-insensitive."""
    return _noun_regex(lang)


def noun_type(words: str, lang: str) -> Optional[str]:
    """The document type a noun names: ``noun_type("Kế hoạch", "vi") == "plan"``."""
    return _tables().nouns[lang].get(words.casefold())


def find_document_refs(text: str, spans: list[tuple[int, int]], lang: str) -> list[DocumentRef]:
    """All document references in the content ``spans`` of ``text``, in text order."""
    refs: list[DocumentRef] = []
    for s0, s1 in spans:
        chunk = text[s0:s1]
        for m in _ID.finditer(chunk):
            doc_id = _canonical(m)
            if doc_id is None:
                continue
            start, end = s0 + m.start(), s0 + m.end()
            noun = _noun_before(text, start, lang)
            refs.append(_make(text, start, end, doc_id, noun))
            refs.extend(_distributed(text, s0, start, doc_id, noun))
    refs.sort(key=lambda r: r.start)
    return refs


def _make(text: str, start: int, end: int, doc_id: Optional[str], noun: Optional[str], **known) -> DocumentRef:
    fields = decode(doc_id) if doc_id else {}
    fields.update({k: v for k, v in known.items() if v is not None})
    if noun and (fields.get("doc_type") in (None, "law", "decision") or not doc_id):
        # the noun settles codes shared by two types (Party "QĐ" is a decision or a regulation;
        # "QH" ids are laws or National Assembly resolutions)
        fields["doc_type"] = noun
    return DocumentRef(text=text[start:end], start=start, end=end, id=doc_id, **fields)


def _distributed(text: str, floor: int, id_start: int, doc_id: str, noun: Optional[str]) -> list[DocumentRef]:
    """Numbers listed before a full id that share its suffix."""
    out: list[DocumentRef] = []
    pos = id_start
    suffix = doc_id[len(decode(doc_id)["number"]) :]
    while True:
        window = text[max(floor, pos - 40) : pos]
        m = _LIST_ITEM.search(window)
        if not m:
            break
        n_start = pos - len(window) + m.start("n")
        n_end = pos - len(window) + m.end("n")
        out.append(_make(text, n_start, n_end, m.group("n") + suffix, noun))
        pos = pos - len(window) + m.start()
    if out:
        # a list must be introduced by a document noun or "số"/"No." so that "Điều 5, 19-NQ/TW"
        # or a count before an id is not read as a reference
        head = text[max(floor, pos - 40) : pos + 6]
        if not (re.search(r"(?:số|No\.?|Nos\.?)\s*\d*$", head.strip(), re.IGNORECASE) or _noun_before(text, pos, "vi") or _noun_before(text, pos, "en")):
            return []
    return out


def find_short_refs(text: str, spans: list[tuple[int, int]], lang: str, full: list[DocumentRef]) -> list[DocumentRef]:
    """Short references ("Resolution 15") resolved against the article's full ids."""
    covered = [(r.start, r.end) for r in full]
    out: list[DocumentRef] = []
    for s0, s1 in spans:
        for m in _short_regex(lang).finditer(text, s0, s1):
            num_start = m.start("num")
            if any(a <= num_start < b for a, b in covered):
                continue
            noun = _tables().nouns[lang].get(m.group("noun").casefold())
            num = m.group("num")
            cands = [r for r in full if r.number == num and (noun is None or r.doc_type == noun)]
            ids = {r.id for r in cands}
            doc_id = cands[0].id if len(ids) == 1 else None
            out.append(_make(text, m.start(), m.end(), doc_id, noun, number=num))
    return out
