"""Responsible agencies and their roles (EXTRACTION_SPEC.md section 3).

Names are found by the bilingual gazetteer (``lexicons/shared/agencies.yaml``), then by naming
patterns for bodies the gazetteer has never seen ("Sở …", "Ban Quản lý …", "Department of …",
"… Management Board").  A body named without its province ("UBND TP", "City Party Committee")
takes the article's home province in its canonical name.  Roles come from the cue words around
each agency, or around a list of agencies that share one cue ("Sở VHTT, Sở GD&ĐT … chủ trì").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace
from typing import Optional

from ..english import GAZETTEER_LABEL, NAMING_LABEL, agency_spans, organ_words
from ..lexicons import agency_names, agency_regex, body_words, cues, name_words, province_by_name, province_regex, trie_regex, word_alternation
from ..schema import AgencyMention

_CAP = r"[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][\w'’&.-]*"
_EN_HEAD = re.compile(r"(?<!\w)(?:" + word_alternation(organ_words()) + r")(?!\w)")
_EN_OF_GAP = re.compile(r"\s(?:of|for|on)(?:\s+the)?\s*$")
_EN_LEAD = re.compile(r"(?:(?:(?:of|and|for|on|the)\b|&|-|['’]s)\s*)+")
_EN_TRAIL = re.compile(r"(?:[\s,]+(?:of|and|for|on|the|&|-)|\s*[,&-]|['’]s)+$")
_SEPARATOR = re.compile(r"^\s*(?:,|;|và\s*/\s*hoặc|và|hoặc|and/or|and|&|cùng|as well as)?\s*(?:,|và|and)?\s*(?:the\s|các\s)?$", re.IGNORECASE)
_COLLECTIVE_GAP = re.compile(
    r"^[\s,;]*(?:(?:và|and|&|cùng|the|các|other|relevant|related|liên quan)\s*)*(?:(?:sở|ban|ngành|đơn vị|địa phương|cơ quan|departments?|branches|sectors|agencies|units|localities|ministries)[\s,;]*(?:và|and|&)?\s*){0,6}(?:(?:và|and|&|the|các)\s*)*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=None)
def _vi() -> SimpleNamespace:
    """The Vietnamese naming patterns, built from ``lexicons/vi/bodies.yaml`` (case counts)."""
    w = body_words("vi")
    heads, unit = trie_regex(w.words("heads")), rf"(?:{trie_regex(w.words('units'))})(?![\w])"
    place_word = rf"(?![A-ZĐ]{{2,}}(?!\w)|(?:{heads})(?!\w)){_CAP}"  # not "UBND", not "Sở": a place's syllable
    region = rf"(?:\s(?:{trie_regex(w.words('region_tails'))})(?!\w)(?!\s[A-ZĐ]))?"  # "… Bắc Trung bộ", not "Bộ Y tế"
    place = rf"{place_word}(?:\s{place_word}){{0,3}}{region}"
    return SimpleNamespace(
        # "Sở …", "Ban Quản lý …": a head, then capitalized words and the small words between them
        # ("Bảo hiểm xã hội tỉnh": a head and its unit; "Quân khu 7": and its number)
        name=re.compile(rf"(?<![\w])(?P<head>{heads})\s(?:[A-ZĐ][A-ZĐ&\-]{{1,10}}(?![\w])|\d{{1,2}}(?![\w])|{unit}|{_CAP}(?:\s(?:và\s{_CAP}|-\s{_CAP}|{_CAP}|[a-zđà-ỹ]+)|,\s(?!(?:{heads})\s){_CAP}(?=[^,.;]{{0,40}}\svà\s{_CAP})){{0,9}})"),
        # where a name ends: after its unit ("… Quân sự tỉnh"), before a small word ("… trước ngày")
        name_end=re.compile(rf"(?<=\s)(?:(?P<unit>{unit})|(?:{trie_regex(w.words('name_stops'))})(?!\w))"),
        # a lower-case word, then the head of another name ("… Huyện ủy giao | Ban Tổ chức …")
        next_name=re.compile(rf"\s(?=[a-zđ][^\W\d_]*\s(?:{heads})\s{_CAP})"),
        # a name that ends with an administrative unit ("UBND thành phố", "UBND các huyện, thị xã")
        unit_end=re.compile(rf"(?<!\w){unit}$"),
        # more units, a qualifier, then the places named ("…, thị xã Long Khánh và TP Biên Hòa")
        places=re.compile(
            rf"(?:(?:,\s|\svà\s)(?:các\s)?{unit}(?=[\s,.;]))*(?:\s(?:{trie_regex(w.words('place_qualifiers'))})(?!\w))?"
            rf"(?:\s{place}(?:(?:,\s|\svà\s)(?:{unit}\s)?{place})*)?"
        ),
        # a list of Party committees written in lower case, after their standing organ or not: one
        # general body ("Các huyện ủy, thị ủy, thành ủy", "ban thường vụ các tỉnh ủy, thành ủy")
        committees=re.compile(
            rf"(?<!\w)(?:(?:{trie_regex(w.words('committee_organs'))})\s)?(?:[Cc]ác\s)?(?:{trie_regex(w.words('party_committees'))})(?:(?:,\s|\svà\s)(?:{trie_regex(w.words('party_committees'))})){{1,5}}(?!\w)"
        ),
        # a People's Committee or Council of a district, commune or ward the gazetteer does not list
        local_body=re.compile(rf"(?<!\w)(?:{trie_regex(w.words('local_bodies'))})\s(?:các\s)?{unit}"),
    )


@lru_cache(maxsize=None)
def _filler(lang: str) -> re.Pattern:
    """What may stand between a body and its cue word: an aside, a time phrase, auxiliaries."""
    w = body_words(lang)
    return re.compile(
        rf"^[\s,]*(?:\((?:[^()]{{0,60}})\)\s*)?(?:(?:{trie_regex(w.words('filler_time'))})\b[^,.;]{{0,24}}?)?[\s,]*"
        rf"(?:(?:{trie_regex(w.words('filler_aux'))})\s+){{0,3}}",
        re.IGNORECASE,
    )


@dataclass
class _Found:
    start: int
    end: int
    name: str
    canonical: Optional[str]
    scope: str
    template: Optional[str] = None


def home_province(text: str, lang: str) -> Optional[str]:
    """The province an article is about: the one named most often (the headline counts twice)."""
    by_name = province_by_name(lang)
    counts: Counter = Counter()
    first_line = text.split("\n", 1)[0]
    for m in province_regex(lang).finditer(text):
        counts[by_name[m.group(0)]] += 1
    for m in province_regex(lang).finditer(first_line):
        counts[by_name[m.group(0)]] += 1
    if lang == "en":  # English articles often name Vietnamese places in Vietnamese too
        vi_names = province_by_name("vi")
        for m in province_regex("vi").finditer(text):
            counts[vi_names[m.group(0)]] += 1
    return counts.most_common(1)[0][0] if counts else None


@lru_cache(maxsize=None)
def _province_suffix(lang: str) -> re.Pattern:
    names = list(province_by_name(lang))
    if lang == "vi":
        return re.compile(r"\s(?:tỉnh\s|thành phố\s|TP\.?\s?)?" + word_alternation(names))
    return re.compile(word_alternation(names) + r"(?:'s)?\s(?:(?:City|Provincial|Municipal|city|provincial)\s)?$")


def _in_lower_list(text: str, a: int, b: int) -> Optional[str]:
    """The name, when written in lower case in a list of its kind ("Bí thư tỉnh ủy, thành ủy"): a
    general reference to every province's body."""
    if not text[a : a + 1].islower():
        return None
    listed = re.match(r",\s*[^\W\d_]", text[b : b + 4]) or re.search(r"[^\W\d_],\s*$", text[max(0, a - 4) : a])
    return text[a:b] if listed and (listed.group(0)[-1].islower() or listed.group(0)[0].islower()) else None


def _canonical_for(entry_canonical: str, scope: str, home: Optional[str], general: Optional[str] = None) -> str:
    """The canonical name; a body named without its province takes the article's, unless the name is
    a general reference (``general``, "tỉnh ủy, thành ủy"), pinned on no province."""
    if scope == "bare" and general:
        return general
    if scope == "bare":
        return entry_canonical.replace("{P}", home) if home else entry_canonical.replace("{P} ", "").replace(" {P}", "")
    return entry_canonical


def find_agencies(text: str, spans: list[tuple[int, int]], lang: str, home: Optional[str] = None) -> list[AgencyMention]:
    """Agency mentions in the content ``spans``, each with its role in its sentence."""
    ruled = agency_spans(text, spans) if lang == "en" else None
    per_span: list[list[_Found]] = []
    for k, (s0, s1) in enumerate(spans):
        if ruled is not None:  # English: the spaCy pipeline's SpanRuler (english.py)
            hits = [(a, b, text[a:b]) for a, b in ruled[k][GAZETTEER_LABEL]]
        else:
            hits = [(m.start(), m.end(), m.group(0)) for m in agency_regex(lang).finditer(text, s0, s1)]
        found = _gazetteer_found(text, s0, s1, hits, lang, home)
        if ruled is not None:
            found.extend(_english_names(text, ruled[k][NAMING_LABEL], found))
            found = _absorb_of(text, s1, sorted(found, key=lambda f: f.start))
        else:
            found = _vi_names(text, s0, s1, found, lang)
        per_span.append(found)
    if ruled is not None:
        _add_defined_abbreviations(text, spans, per_span)
    out: list[AgencyMention] = []
    for (s0, s1), found in zip(spans, per_span):
        out.extend(_with_roles(text, s0, s1, sorted(found, key=lambda f: f.start), lang))
    return out


_ABBR_DEF = re.compile(r"\s?\(([A-Z][A-Za-z&]{1,9})\)")


def _add_defined_abbreviations(text: str, spans: list[tuple[int, int]], per_span: list[list[_Found]]) -> None:
    """English: an abbreviation the article defines in brackets after a body ("the State Audit
    Office of Vietnam (SAV)") names that body wherever it is used again ("The SAV will …")."""
    defined: dict[str, _Found] = {}
    for found in per_span:
        for f in found:
            m = _ABBR_DEF.match(text, f.end)
            if m and m.group(1) not in defined:
                defined[m.group(1)] = f
    if not defined:
        return
    pat = re.compile(r"(?<![\w&-])(?:" + "|".join(map(re.escape, sorted(defined, key=len, reverse=True))) + r")(?![\w&-])")
    for (s0, s1), found in zip(spans, per_span):
        for m in pat.finditer(text, s0, s1):
            if not any(f.start <= m.start() < f.end or m.start() <= f.start < m.end() for f in found):
                body = defined[m.group(0)]
                found.append(_Found(m.start(), m.end(), m.group(0), body.canonical, body.scope))


def _gazetteer_found(text: str, s0: int, s1: int, hits: list, lang: str, home: Optional[str]) -> list[_Found]:
    """The gazetteer's names among ``hits``; a local body takes its province ("Sở Y tế Hà Nội",
    "Hanoi Department of Health")."""
    names = agency_names(lang)
    fold = (lambda s: s.casefold()) if lang == "vi" else (lambda s: s)
    found: list[_Found] = []
    for a, b, surface in hits:
        entry = names.get(fold(surface))
        if entry is None or entry.kind != "agency":
            continue
        if entry.scope == "local":
            a, b = _with_province(text, s0, s1, a, b, lang)
        general = _in_lower_list(text, a, b)
        found.append(_Found(a, b, text[a:b], _canonical_for(entry.canonical, entry.scope, home, general), entry.scope))
    return found


def _with_province(text: str, s0: int, s1: int, a: int, b: int, lang: str) -> tuple[int, int]:
    if lang == "vi":
        sm = _province_suffix(lang).match(text, b, s1)
        return (a, sm.end()) if sm else (a, b)
    window = text[max(s0, a - 40) : a]
    pm = _province_suffix(lang).search(window)
    return (a - (len(window) - pm.start()), b) if pm else (a, b)


def _absorb_of(text: str, s1: int, found: list[_Found]) -> list[_Found]:
    """English: "X of the Y" is one body when Y is a body too ("Office of the provincial People's
    Committee", "Organization Commission of the City Party Committee") or places ("People's
    Committees of provinces and cities", "State Treasury of Long An")."""
    out: list[_Found] = []
    for f in found:
        prev = out[-1] if out else None
        if prev is not None and prev.end <= f.start and _OF_THE.fullmatch(text, prev.end, f.start):
            out[-1] = _merged(text, prev.start, f.end)
            continue
        out.append(f)
    out = [_merged(text, f.start, pm.end()) if (pm := _of_places().match(text, f.end, s1)) and not _taken(pm, found) else f for f in out]
    return [_merged(text, om.start(), f.end) if (om := _organ_of(text, f.start)) else f for f in out]


def _organ_of(text: str, a: int) -> Optional[re.Match]:
    """An organ named by its parent body, before that body: "the Office of | the provincial People's Committee"."""
    m = _ORGAN_OF.search(text, max(0, a - 60), a)
    return m if m and m.end() == a and not _starters().match(m.group(0)) else None


_OF_THE = re.compile(r"\s+of\s+(?:the\s+)?")
_ORGAN_OF = re.compile(r"(?<![\w'’-])(?:[A-Z][\w'’-]*\s+){0,3}?(?:" + word_alternation(organ_words()) + r")\s+of\s+(?:the\s+)?$")


def _merged(text: str, a: int, b: int) -> _Found:
    return _Found(a, b, text[a:b], text[a:b], "pattern")


def _taken(m: re.Match, found: list[_Found]) -> bool:
    return any(m.start() < f.start < m.end() for f in found)


@lru_cache(maxsize=None)
def _of_places() -> re.Pattern:
    """ "of" and a list of places: "of provinces and centrally-run cities", "of the 13 Mekong Delta
    provinces", "of coastal districts", "of Long An" (place nouns in ``en/names.yaml``)."""
    nouns = word_alternation(name_words("en").words("place_nouns"))
    word = r"(?:[\w'’-]+\s+){0,4}?"
    place = rf"(?:{word}(?:{nouns})|{province_regex('en').pattern})"
    return re.compile(rf"\s+of\s+(?:the\s+)?{place}(?:(?:,\s*|\s+and\s+|,\s+and\s+){place}){{0,6}}")


def _vi_names(text: str, s0: int, s1: int, found: list[_Found], lang: str) -> list[_Found]:
    """The gazetteer's names, then local bodies and named bodies it lacks, each with its places."""
    lists = [_Found(m.start(), m.end(), m.group(0), m.group(0), "pattern") for m in _vi().committees.finditer(text, s0, s1)]
    found = [f for f in found if not any(c.start <= f.start < c.end for c in lists)] + lists
    found = found + _local_bodies(text, s0, s1, found)
    found.extend(_pattern_names(text, s0, s1, lang, found))
    return [_with_places(text, s0, s1, f, lang) for f in found]


def _local_bodies(text: str, s0: int, s1: int, known: list[_Found]) -> list[_Found]:
    """People's Committees and Councils of districts, communes or wards the gazetteer does not list
    ("UBND huyện", "UBND các xã")."""
    out: list[_Found] = []
    for m in _vi().local_body.finditer(text, s0, s1):
        if not any(m.start() < k.end and k.start < m.end() for k in known):
            out.append(_Found(m.start(), m.end(), m.group(0), m.group(0), "pattern"))
    return out


def _with_places(text: str, s0: int, s1: int, f: _Found, lang: str) -> _Found:
    """A Vietnamese body named by its unit takes the units and places written after it: "UBND các
    huyện Văn Giang, Yên Mỹ", "UBND thành phố Móng Cái", "Phòng Tài chính các quận, huyện" are one
    body each (a general one when plural), not the province's People's Committee."""
    m = _vi().unit_end.search(text, f.start, f.end)
    more = _vi().places.match(text, f.end, s1) if m and m.end() == f.end else None
    if more is None or more.end() == f.end:
        return f
    if _title_near(text, max(s0, f.start - 30), f.start, lang) and sum(w[:1].isupper() for w in more.group(0).split()) > 2:
        return f  # "Chủ tịch UBND tỉnh Trần Quốc Văn": a person's name, not "Chủ tịch UBND huyện Bảo Lâm"
    return _Found(f.start, more.end(), text[f.start : more.end()], text[f.start : more.end()], "pattern")


def _title_near(text: str, a: int, b: int, lang: str) -> bool:
    """A person's title right before the body ("Phó Chủ tịch Thường trực UBND tỉnh Nguyễn Văn A"):
    the capitals after the body are the person's name, not places."""
    return _title_end(lang).search(text[a:b]) is not None


@lru_cache(maxsize=None)
def _title_end(lang: str) -> re.Pattern:
    """A person's title (and "thường trực") ending a stretch, built once per language."""
    titles = trie_regex(cues(lang).words("roles", "person_titles"))
    return re.compile(rf"(?<!\w)(?:{titles})(?:\s[Tt]hường trực)?\s$")


def _english_names(text: str, spans: list[tuple[int, int]], known: list[_Found]) -> list[_Found]:
    """Names the SpanRuler's naming patterns found, trimmed of leading titles and trailing connectors."""
    extra: list[_Found] = []
    for a, b in spans:
        a, b = _trim_name(text, *_cut_by_known(text, a, b, known))
        a = _with_level(text, a)
        name = text[a:b]
        if len(name.split()) < 2 or not _EN_HEAD.search(name):
            continue
        if any(a < k.end and b > k.start for k in known):
            continue
        extra.append(_Found(a, b, name, name, "pattern"))
    return extra


def _with_level(text: str, a: int) -> int:
    """A name takes the level word written before it: "the provincial Police", "the municipal Tax Office"."""
    m = _level_before().search(text, max(0, a - 30), a)
    return m.start() if m else a


@lru_cache(maxsize=None)
def _level_before() -> re.Pattern:
    return re.compile(r"(?<![\w'’-])(?:" + trie_regex(name_words("en").words("level_words")) + r")\s+$")


def _cut_by_known(text: str, a: int, b: int, known: list[_Found]) -> tuple[int, int]:
    """A known name inside cuts the span: what is left before or after it may still be a name
    ("National Assembly | Party Committee", "… Management Board and | People's Committees of …")."""
    for k in sorted(known, key=lambda k: k.start):
        if a < k.end and k.start < b:
            if k.start > a and _trim_name(text, a, k.start)[0] >= k.start and text[k.end : k.end + 2] not in ("'s", "’s"):
                a = k.end  # only a title or "The" before it: "The Government | Party Personnel Committee"
            elif k.start > a:
                og = _EN_OF_GAP.search(text[a : k.start])
                b = a + og.start() if og else k.start  # "Party Committee | of the Government": joined again by _absorb_of
            else:
                a = k.end
    return a, b


@lru_cache(maxsize=None)
def _starters() -> re.Pattern:
    """Words that never begin an English name (``en/names.yaml``), with their capital, one or more."""
    return re.compile(r"^(?:(?:" + trie_regex(name_words("en").words("starters")) + r")\s)+")


def _trim_name(text: str, a: int, b: int) -> tuple[int, int]:
    """Titles and connectors never begin a name, connectors never end one."""
    while a < b:
        st = _starters().match(text[a:b]) or _EN_LEAD.match(text[a:b])
        trail = _EN_TRAIL.search(text[a:b])
        if st and st.end() > 0:
            a += st.end()
        elif trail:
            b = a + trail.start()
        elif text[a:b] != text[a:b].strip():
            a, b = a + len(text[a:b]) - len(text[a:b].lstrip()), a + len(text[a:b].rstrip())
        else:
            break
    return a, b


def _pattern_names(text: str, s0: int, s1: int, lang: str, known: list[_Found]) -> list[_Found]:
    """Vietnamese names the naming pattern finds ("Sở …", "Ban Quản lý …") outside the gazetteer."""
    extra: list[_Found] = []
    pos = s0
    masked = _masked_phrases(text)
    while True:
        m = _vi().name.search(masked, pos, s1)
        if m is None:
            return extra
        a = m.start()
        b = _close_at_known(a, _to_abbreviation(masked, m, a + len(_cut_at_cue(m.group(0), len(m.group("head")), lang)), s1), known)
        clash = [k for k in known if a < k.end and b > k.start and not a < k.start]
        if len(text[a:b].split()) >= 2 and not clash:
            extra.append(_Found(a, b, text[a:b], text[a:b].strip(), "pattern"))
            alias = _PAREN_AFTER.match(text, b, s1)
            pos = alias.end() if alias else b  # "(Ban QLDA Giao thông)" names the same body
        else:  # search on from inside the match: "Ban Thường vụ Tỉnh ủy giao | Ban Tuyên giáo …"
            pos = max([a + 1] + [k.end for k in clash])


@lru_cache(maxsize=4)
def _masked_phrases(text: str) -> str:
    """``text`` with each phrase that runs through a name ("phòng, chống", "y tế dự phòng") written
    as one capital word of the same length, so that the name pattern reads across it."""
    return _name_phrase().sub(lambda m: m.group(0)[:1].upper() + re.sub(r"\W", "_", m.group(0)[1:]), text)


@lru_cache(maxsize=None)
def _name_phrase() -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{word_alternation(body_words('vi').words('name_phrases'))})(?!\w)", re.IGNORECASE)


def _cue_ends_name(name: str, m: re.Match) -> bool:
    """A lower-case cue word ends a name, unless it is one syllable that the segmenter reads as the
    rest of a word of the name ("Bộ đội Biên phòng": "phòng" is not the verb; "Việt Nam tăng" is)."""
    if not m.group(0)[:1].islower():
        return False
    prev = name[: m.start()].split()
    if " " in m.group(0) or not prev or not prev[-1][:1].isupper():
        return True
    from .clause import tokens

    start = m.start() - len(prev[-1]) - 1
    return not any(t.start < m.start() < t.end for t in tokens(name, start, m.end(), "vi"))


def _to_abbreviation(text: str, m: re.Match, b: int, s1: int) -> int:
    """A name runs up to the abbreviation written after it: "Ban Quản lý dự án Đầu tư xây dựng các
    công trình giao thông (Ban QLDA Giao thông)", "Phòng Thương mại và Công nghiệp Việt Nam (VCCI)"."""
    am = _ABBR_AFTER.match(text, b, s1)
    if am is None:
        return b
    first = am.group("abbr").split()[0]
    return am.start("abbr") - 2 if first == m.group("head").split()[0] or (first.isupper() and len(first) > 1) else b


_PAREN_AFTER = re.compile(r"\s*\([^()\n]{1,60}\)")
_ABBR_AFTER = re.compile(r"[^,.;:()\n]{0,80}?\s\((?P<abbr>[A-ZĐ][^()\n]{1,40})\)")


def _cut_at_cue(name: str, head: int, lang: str) -> str:
    """A name ends before a lower-case cue word ("Sở Xây dựng chủ trì"), not before a capital one
    ("Trung tâm Phát triển quỹ đất")."""
    c = cues(lang)
    nxt = _vi().next_name.search(name, head)
    while nxt and _inside_a_head(name, nxt.start()):  # "… Đảng ủy Văn phòng …": "ủy" ends the head "Đảng ủy"
        nxt = _vi().next_name.search(name, nxt.start() + 1)
    if nxt:  # "Ban Thường vụ Huyện ủy giao | Ban Tổ chức …": a second name starts
        name = name[: _whole_cue_cut(name, nxt.start(), head, lang)].rstrip()
    stop = _vi().name_end.search(name, head)
    if stop:  # "… Quân sự tỉnh | thông tuyến …", "Phòng Văn hóa và Thông tin | trước ngày …"
        name = name[: stop.end("unit")] if stop.group("unit") else name[: stop.start()].rstrip()
    for cue_pat in (c.regex("roles", "lead_after"), c.regex("directive", "verbs"), c.regex("roles", "coordinate_before"), c.regex("roles", "issuer_after")):
        cm = next((x for x in cue_pat.finditer(name, head) if _cue_ends_name(name, x)), None)
        if cm:
            name = name[: cm.start()].rstrip()
    return name


def _whole_cue_cut(name: str, at: int, head: int, lang: str) -> int:
    """The cut before a second name, moved before the cue of asking it would split ("Cục Phòng
    bệnh yêu | cầu Sở Y tế …" is cut before "yêu cầu")."""
    c = cues(lang)
    for key in ("issuer_after", "lead_after"):
        m = next((x for x in c.regex("roles", key).finditer(name, head) if x.start() < at < x.end()), None)
        if m is not None:
            return m.start()
    return at


def _inside_a_head(name: str, at: int) -> bool:
    """The lower-case word after ``at`` ends a two-word head with the word before ("Đảng | ủy")."""
    before, after = name[:at].split(), name[at:].split()
    return bool(before and after) and f"{before[-1]} {after[0]}" in body_words("vi").words("heads")


def _close_at_known(a: int, b: int, known: list[_Found]) -> int:
    """A known name inside a name the pattern found ends it: "Ban Tuyên giáo Tỉnh ủy" (of "… Tỉnh
    ủy biên soạn …") is one body, which holds "Tỉnh ủy"."""
    inner = [k for k in known if a < k.start < b]
    return min(inner, key=lambda k: k.start).end if inner else b


def assign_roles(text: str, s0: int, s1: int, spans: list[tuple[int, int]], lang: str, source: str = "rule") -> list[AgencyMention]:
    """Agency mentions for name spans found by any extractor in the sentence ``text[s0:s1]``,
    each with its role from the same cue words the rules use; the canonical name is the name."""
    found = [_Found(a, b, text[a:b], text[a:b], source) for a, b in sorted(spans)]
    return _with_roles(text, s0, s1, found, lang)


#: an abbreviation or aside between two names of one list: "Sở KH&ĐT (SKHĐT), Sở Tài chính"
_PAREN_IN_GAP = re.compile(r"^\s*\([^()]{1,60}\)")


def group_mentions(text: str, found: list) -> list[list]:
    """Names written as one list ("Sở A, Sở B và UBND các huyện"), in text order: each group
    shares one role."""
    groups: list[list[_Found]] = []
    for f in found:
        gap = _level_in_gap().sub(" ", _PAREN_IN_GAP.sub(" ", text[groups[-1][-1].end : f.start])) if groups else ""
        if groups and (_SEPARATOR.match(gap) or _COLLECTIVE_GAP.match(gap)) and f.start - groups[-1][-1].end < 80:
            groups[-1].append(f)
        else:
            groups.append([f])
    return groups


@lru_cache(maxsize=None)
def _level_in_gap() -> re.Pattern:
    """English: a level word the next name left out ("the Provincial Youth Union and the Provincial |
    Women's Union") stays inside the list."""
    return re.compile(r"(?<![\w'’-])(?:" + trie_regex(name_words("en").words("level_words")) + r")\s*$", re.IGNORECASE)


@lru_cache(maxsize=None)
def _role_regexes(lang: str) -> dict[str, re.Pattern]:
    c = cues(lang)

    def tail(key: str) -> re.Pattern:  # a cue at the end of the text before an agency
        return re.compile(r"(?:" + word_alternation(c.words("roles", key)) + r")\s*(?:the\s|các\s|cho\s)?$", re.IGNORECASE)

    def head(key: str) -> re.Pattern:  # a cue at the start of the text after an agency
        return re.compile(r"(?:" + word_alternation(c.words("roles", key)) + r")", re.IGNORECASE)

    return {
        "coordinate_before": tail("coordinate_before"),
        "mentioned_before": tail("mentioned_before"),
        "lead_before": re.compile(r"(?:" + word_alternation(c.words("roles", "lead_before")) + r")\s*(?:that\s)?(?:the\s|các\s|cho\s)?$", re.IGNORECASE),
        "issuer_before": tail("issuer_before"),
        "issuer_after": head("issuer_after"),
        "lead_after": head("lead_after"),
    }


_DOC_CONTEXT = re.compile(
    r"(?:\d+[-/][\wĐđ]+|\d{4}|nghị quyết|quyết định|chỉ thị|kết luận|thông báo|kế hoạch|chương trình|hướng dẫn|"
    r"nghị định|thông tư|luật|công văn|resolution|decision|directive|conclusion|notice|plan|program|programme|"
    r"guidance|decree|circular|law|dispatch|regulation|guidelines|instructions|documents?)[^.;]{0,70}$",
    re.IGNORECASE,
)


def _with_roles(text: str, s0: int, s1: int, found: list[_Found], lang: str) -> list[AgencyMention]:
    out: list[AgencyMention] = []
    groups = group_mentions(text, found)
    for gi, group in enumerate(groups):
        g0, g1 = group[0].start, group[-1].end
        prev_end = groups[gi - 1][-1].end if gi else s0
        before = text[max(prev_end, g0 - 120) : g0]
        after_full = text[g1 : groups[gi + 1][0].start if gi + 1 < len(groups) else s1]
        role = _group_role(text, s0, g0, before, after_full, lang)
        for f in group:
            nested = bool(_nested_title(lang).search(text[max(s0, f.start - 40) : f.start]))
            out.append(
                AgencyMention(text=text[f.start : f.end], start=f.start, end=f.end, name=f.name, canonical=f.canonical, role=role, nested=nested)
            )
    return out


@lru_cache(maxsize=None)
def _nested_title(lang: str) -> re.Pattern:
    """A person's title right before a body's name ("Chairman of the …", "Chủ tịch …"): the body is
    named only inside the title."""
    titles = trie_regex(cues(lang).words("roles", "person_titles"))
    return re.compile(rf"(?<!\w)(?:{titles})\s(?:of\s)?(?:the\s)?$")


def _group_role(text: str, s0: int, g0: int, before: str, after_full: str, lang: str) -> str:
    """The role of a list of agencies in its sentence, from the cue words around it."""
    rx = _role_regexes(lang)
    fm = _filler(lang).match(after_full)
    after = after_full[fm.end() if fm else 0 :][:40]
    if rx["coordinate_before"].search(before):
        return "coordinate"
    if rx["mentioned_before"].search(before):
        return "mentioned"
    if re.match(r"^['’]s\s", after_full) and _DOC_CONTEXT.match(after_full[3:40] + " "):
        return "issuer"
    if rx["issuer_before"].search(before) and (
        re.search(r"(?:issued|promulgated|approved|signed|adopted) by(?: the)?\s*$|^\s*do\s*$", before, re.IGNORECASE)
        or _DOC_CONTEXT.search(text[max(s0, g0 - 160) : g0].rstrip())
    ):
        return "issuer"
    if rx["issuer_after"].match(after):
        return "issuer"
    if rx["lead_after"].match(after) or rx["lead_before"].search(before):
        return "lead"
    return "mentioned"
