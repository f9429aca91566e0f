"""Numeric targets and reported figures (EXTRACTION_SPEC.md section 4).

A quantity is a number with a unit (a percentage, money with its scale, a measure, or a counted
noun phrase).  It is a *target* when its clause aims at it ("phấn đấu", "strive to", "at least",
"by 2025", an item of a plan's list of targets, a task sentence) and a *figure* when the clause
reports or forecasts it ("ước đạt", "reached", "up 19.6% compared to").  Counts of work items
("7 nội dung", "9 key groups of tasks"), numbers inside names ("Covid-19", "Ring Road 4"), shifts
and star grades are neither.

Every word is data (``lexicons/{vi,en}/targets.yaml``); this module is the mechanism.  Each
sentence is read once: its quantities by one regex pass, its cue words by one pass per cue list,
and every decision about a quantity looks those positions up by bisection, so the work is linear in
the length of the text.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator, Optional, Union

from ..lexicons import LANGS, Cues, cues, provinces, target_cues, trie_regex, word_alternation
from ..schema import DateMention, Figure, Target

Number = Union[int, float]

#: a number as written: digit groups joined by "." or ","; one separator between two groups, so
#: the regex cannot backtrack
_NUM = r"\d+(?:[.,]\d+)*"
_NUM_SHAPE = re.compile(_NUM)
_YEAR = re.compile(r"(?:19|20)\d\d")
#: one word of a counted noun phrase: letters first, then letters/digits, "/"-joined parts
#: ("µg/m3", "sĩ/vạn", "lần/năm") and inner hyphens or apostrophes
_WORD = re.compile(r"[ \t]?([^\W\d_][\w'&-]{0,40}(?:/(?:\d{1,3}(?:[.,]\d{3}){1,2}[ \t][^\W\d_]{1,20}|\w{1,20})){0,2})")
_FRACTION = re.compile(r"(?<![\w/.,])(\d{1,3}(?:[.,]\d{3}){1,2}|\d{1,6})\s?/\s?(\d{1,3}(?:[.,]\d{3}){1,2}|\d{1,6})\s")
_LIST_MARK = re.compile(r"\s*(?:[-+•*–]|\d{1,2}[.)]|[a-zđ][.)])\s")
_SENT_START = re.compile(r"[\s\"'(“-]*$")
_CAPITAL_TAIL = re.compile(r"([^\W\d_][\w-]*)[ \t]$")
_CONVERSION = re.compile(r"\s?\(\s?(?:[^\W\d_]{1,12}\s){0,2}")
_DIGIT_SOON = re.compile(r"(?<!\d)(?!(?:19|20)\d\d(?!\d))\d")
_GRADE = re.compile(r"[ \t](\d)[ \t-]?([^\W\d_][\w-]{0,12})")
_PER = re.compile(r"[ \t]?(\S{1,12}(?:[ \t]\S{1,12})?)[ \t](\d{1,3}(?:[.,]\d{3}){0,3})[ \t]")
_CLAUSE = re.compile(r"[;:]")
_GAP = re.compile(r"[ \t]{1,3}")
_HEADING_MARK = re.compile(r"(?:[IVX]{1,4}|\d{1,2}|[a-zđ])[.)][ \t]+")
_ISO_PREFIX = re.compile(r"\d{4}(?:-\d{2})?")
_CLAUSE_BREAK = re.compile(r"[,;:]")
#: "3 - 4" read as a date by the date stage: here it is a range of values
_BARE_DATE = re.compile(r"\d{1,2}\s?[-–]\s?\d{1,2}")
_METRIC_WORD = re.compile(r"[^\W\d_][\w&-]*")
_LAST_WORD = re.compile(r"[^\W\d_]+[ \t]*$")
#: an acronym inside a counted noun phrase ("sản phẩm OCOP", "doanh nghiệp FDI")
_ACRONYM = re.compile(r"[A-ZĐ]{2,6}")
_COMMA_GAP = re.compile(r",[ \t]")
_PHRASE_BREAK = re.compile(r"[;:]|,[ \t]")
#: a short label that opens a line of a list ("Economic affairs: ", "Về kinh tế: ")
_LABEL = re.compile(r"[^\W\d_][^\W\d_ \t-]*(?:[ \t-]{1,3}[^\W\d_]+){0,4}:[ \t]")
#: "/năm", "/ha" right after an amount of money
_SLASH_WORD = re.compile(r"[ \t]?/[ \t]?([^\W\d_]{1,12})(?!\w)")


# -- numbers --------------------------------------------------------------------------------


def parse_number(s: str, lang: str) -> Optional[Number]:
    """A number written in the article's convention, or ``None`` when ``s`` is no number.

    Vietnamese writes ``492.309`` for 492309 and ``1,3`` for 1.3; English the reverse.  Two
    separators mixed ("8.650,68", "1,234.5") read the last one as the decimal mark, whatever the
    language; a shape that fits no convention ("1.2.3,4,5") is not a number.  Never raises.

    >>> parse_number("492.309", "vi"), parse_number("1,3", "vi"), parse_number("492,309", "en")
    (492309, 1.3, 492309)
    >>> parse_number("8.650,68", "en"), parse_number("1,234.5", "vi"), parse_number("1.2,3.4", "en")
    (8650.68, 1234.5, None)
    """
    if not isinstance(s, str) or not _NUM_SHAPE.fullmatch(s):
        return None
    parts = re.split(r"[.,]", s)
    seps = re.findall(r"[.,]", s)
    if not seps:
        return int(s)
    if len(seps) > 1:
        return _grouped(parts, seps)
    if _one_group(parts, seps[0] == _thousands(lang)):
        return int("".join(parts))
    return _compose(parts[0], parts[1])


def _one_group(parts: list[str], thousands_mark: bool) -> bool:
    """One separator before a group of three: thousands where the language writes them so, and
    also with the other mark when the group is round ("6.000 MW" on an English page written the
    Vietnamese way; a decimal is not written with two trailing zeros)."""
    if len(parts[1]) != 3 or len(parts[0]) > 3:
        return False
    return thousands_mark or (parts[1].endswith("00") and not parts[0].startswith("0"))


def _thousands(lang: str) -> str:
    """The thousands separator of a language (``grammar.thousands_separator`` in its lexicon)."""
    if lang not in LANGS:
        return ","  # an unknown language reads the English way: a number never raises
    return str(_lex(lang).grammar("thousands_separator"))


def _grouped(parts: list[str], seps: list[str]) -> Optional[Number]:
    """Two or more separators: thousands groups of three, and a last decimal mark when mixed."""
    if not (1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:-1])):
        return None
    if len(set(seps)) == 1:
        return int("".join(parts)) if len(parts[-1]) == 3 else None
    if len(set(seps[:-1])) == 1 and seps[-1] != seps[0]:
        return _compose("".join(parts[:-1]), parts[-1])
    return None


def _compose(whole: str, frac: str) -> Number:
    v = float(f"{whole}.{frac}")
    return int(v) if v.is_integer() else v


# -- lexicon ----------------------------------------------------------------------------------


@dataclass
class _Lex:
    """The compiled target lexicon of one language."""

    lang: str
    cues: Cues
    _maps: dict[str, dict[str, Any]] = field(default_factory=dict)
    _sets: dict[str, frozenset[str]] = field(default_factory=dict)
    _res: dict[str, re.Pattern] = field(default_factory=dict)

    def re(self, key: str) -> re.Pattern:
        hit = self._res.get(key)  # read many times per quantity: one dict look-up
        if hit is None:
            hit = self._res[key] = self.cues.regex("targets", key)
            if key in _NAMED_CUE_KEYS:
                hit = self._res[key] = _OutsideNames(hit, self.cues.regex("targets", "cue_names"))  # type: ignore[assignment]
        return hit

    def words(self, key: str) -> frozenset[str]:
        if key not in self._sets:
            self._sets[key] = frozenset(w.casefold() for w in self.cues.words("targets", key))
        return self._sets[key]

    def map(self, key: str) -> dict[str, Any]:
        if key not in self._maps:
            self._maps[key] = {k.casefold(): v for k, v in self.cues.mapping("targets", key).items()}
        return self._maps[key]

    def grammar(self, key: str) -> Any:
        """A setting of how the language writes noun phrases (``grammar:`` in the lexicon)."""
        return self.cues.data["targets"]["grammar"][key]

    def at(self, key: str, text: str, pos: int) -> Optional[re.Match]:
        """The cue of ``key`` that starts at ``pos``."""
        return self.re(key).match(text, pos)


#: cue lists whose words also stand inside names ("chương trình mục tiêu quốc gia", "national
#: target programmes"): a cue inside such a name is no cue
_NAMED_CUE_KEYS = frozenset({"strong_cues", "target_cues"})


class _OutsideNames:
    """A cue pattern that skips the matches lying inside a name of ``cue_names``."""

    def __init__(self, cue: re.Pattern, names: re.Pattern):
        self.cue, self.names = cue, names
        self.pattern = cue.pattern  # the lexicon's own pattern: the names only filter its matches

    def _free(self, text: str, m: Optional[re.Match]) -> bool:
        if m is None:
            return False
        return not any(n.start() <= m.start() and m.end() <= n.end() for n in self.names.finditer(text, max(0, m.start() - 40), m.end() + 30))

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match]:
        return (m for m in self.cue.finditer(text, pos, endpos) if self._free(text, m))

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Optional[re.Match]:
        return next(self.finditer(text, pos, endpos), None)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Optional[re.Match]:
        m = self.cue.match(text, pos, endpos)
        return m if self._free(text, m) else None

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Optional[re.Match]:
        return self.cue.fullmatch(text, pos, endpos)


@lru_cache(maxsize=None)
def _lex(lang: str) -> _Lex:
    return _Lex(lang, target_cues(lang))


@lru_cache(maxsize=None)
def _tail(lang: str, key: str) -> re.Pattern:
    """A cue of ``key`` that ends a short window (a comparator or a name right before a number)."""
    return re.compile(rf"(?<![\w])(?:{trie_regex(_lex(lang).cues.words('targets', key))})[ \t]*[(\"“]?$", re.IGNORECASE)


@lru_cache(maxsize=None)
def _task_verb(lang: str) -> re.Pattern:
    """The task verbs of directives (``cues.yaml`` ``directive.verbs`` and ``assign``)."""
    c = cues(lang)
    return re.compile(word_alternation([*c.words("directive", "verbs"), *c.words("directive", "assign")]), re.IGNORECASE)


@lru_cache(maxsize=None)
def _place_tail(lang: str) -> re.Pattern:
    """A province or city name (the shared gazetteer) that ends a short window, as an item of a
    breakdown: after a list step or "trong đó"/"of which", perhaps with one short word ("TP")."""
    names = [n for p in provinces() for n in ([p["en"], *p.get("en_alt", [])] if lang == "en" else p.get("vi", []))]
    step = rf"(?:[,;:(]|(?<![\w])(?:{trie_regex(_lex(lang).cues.words('targets', 'subtotal_cues'))}))"
    return re.compile(rf"{step}[ \t]*(?:[^\W\d_]{{1,6}}\.?[ \t])?(?:{trie_regex(names)})[ \t]*$", re.IGNORECASE)


@lru_cache(maxsize=None)
def _quantity(lang: str) -> re.Pattern:
    lex = _lex(lang)
    tw = lambda key: trie_regex(lex.cues.words("targets", key))  # noqa: E731
    compound = rf"(?:{tw('number_tens')})(?:[ \t-](?:{tw('number_ones')}))?(?![\w-])"
    num = rf"{_NUM}|{compound}|(?:{tw('number_words')})(?![\w-])"
    pct = rf"%|(?:{tw('percent')})(?!\w)"
    cur = rf"(?:{tw('currencies')})"
    return re.compile(
        rf"(?<![\w.,/-])(?<!\d:)(?:(?P<word>{word_alternation(lex.cues.words('targets', 'word_numbers'))})"
        rf"|(?:(?P<cur>{cur})[ \t]?)?(?P<lo>{num})(?P<pct1>[ \t]?(?:{pct}))?"
        rf"(?:[ \t]?(?:[-–—]|(?:{tw('range_words')})(?=\s))[ \t]?(?P<hi>{num}))?"
        rf"(?P<pct>[ \t]?(?:{pct}))?(?:[ \t]?(?P<scale>{tw('scales')})(?!\w))?(?:[ \t]?(?P<cur2>{cur})(?!\w))?)",
        re.IGNORECASE,
    )


# -- quantities ---------------------------------------------------------------------------------


def find_quantities(text: str, s0: int, s1: int, lang: str) -> list[dict]:
    """Every number with a unit in ``text[s0:s1]``: value, unit, comparator hint and span."""
    lex = _lex(lang)
    out = []
    for m in _quantity(lang).finditer(text, s0, s1):
        if out and m.start() < out[-1]["end"]:
            continue  # "10,000 people" inside "13 doctors per 10,000 people"
        q = _read(text, m, s0, s1, lex)
        if q is not None:
            out.append(q)
    return out


def _value(s: Optional[str], lex: _Lex) -> Optional[Number]:
    if s is None:
        return None
    word = _word_value(s, lex)
    return word if word is not None else parse_number(s, lex.lang)


def _word_value(s: str, lex: _Lex) -> Optional[Number]:
    """A number written in words: one word ("three", "mười") or tens and ones ("ninety-eight",
    "mười lăm", "hai mươi mốt"); ``None`` for anything else."""
    s = re.sub(r"[ \t-]+", " ", s.casefold())
    word = lex.map("number_words").get(s)
    if word is not None:
        return word
    tens, _, ones = s.rpartition(" ")
    if tens in lex.map("number_tens") and ones in lex.map("number_ones"):
        return lex.map("number_tens")[tens] + lex.map("number_ones")[ones]
    return lex.map("number_tens").get(s)


def _read(text: str, m: re.Match, s0: int, s1: int, lex: _Lex) -> Optional[dict]:
    g = m.groupdict()
    a = m.start()
    if g["word"]:
        return {"start": a, "end": m.end(), "value": 10, "unit": "%", "comparator": ">=", "kind": "growth"}
    lo, hi = _value(g["lo"], lex), _value(g["hi"], lex)
    if lo is None or (g["hi"] and not _a_range(g, lo, hi)):
        return None  # no number, or "2026-2030": a period, not a range of values
    rank = _rank(text, m, s0, s1, lex)
    unit, end, kind = ("rank", m.end("hi") if g["hi"] else m.end("lo"), "rank") if rank else _unit(text, m, s1, lex)
    if unit is None or _excluded(text, m, s0, unit, kind, lex):
        return None
    unit, end = _with_rate(text, unit, end, kind, lex)
    value = [lo, hi] if g["hi"] else lo
    comparator = "range" if g["hi"] else ("<=" if rank else None)
    return {"start": a, "end": end, "value": value, "unit": unit, "comparator": comparator, "kind": kind}


def _a_range(g: dict, lo: Number, hi: Optional[Number]) -> bool:
    """"15 - 20" is a range of values; "2026-2030" is a period and "20 - 15" no range."""
    return hi is not None and lo < hi and not (_YEAR.fullmatch(g["lo"]) and _YEAR.fullmatch(g["hi"]))


def _with_rate(text: str, unit: str, end: int, kind: str, lex: _Lex) -> tuple[str, int]:
    """"55,000 tons per year", "2 times per semester", "VND250 million per ha per year": a rate
    written after the unit stays in it.  A percentage keeps "%", and a scaled count ("1.5 million
    visitors a year") is written without its rate, as the corpus writes it."""
    if kind in ("rank", "growth", "scale") or unit == "%":
        return unit, end
    written = _LAST_WORD.search(text, max(0, end - 12), end)
    for _ in range(2):
        gap = _GAP.match(text, end)
        rate = lex.re("rate_after").match(text, gap.end()) if gap else None
        if rate is None:
            break
        if kind == "times" and written is not None:
            unit = written.group(0).strip()  # "2 lần mỗi tháng": a frequency, written as it stands
        unit, end = f"{unit} {rate.group(0)}", rate.end()
    return unit, end


def _rank(text: str, m: re.Match, s0: int, s1: int, lex: _Lex) -> bool:
    """"Top 20", "top three", "nhóm 10 tỉnh dẫn đầu": a rank to reach."""
    window = text[max(s0, m.start() - 25) : m.start()]
    if _tail(lex.lang, "rank_before").search(window):
        return True
    if _tail(lex.lang, "rank_group").search(window):
        return lex.re("rank_after").search(text, m.end(), min(s1, m.end() + 60)) is not None
    return False


def _unit(text: str, m: re.Match, s1: int, lex: _Lex) -> tuple[Optional[str], int, str]:
    """(unit, end of the quantity, kind): kind is pct, money, scale, measure, times or count."""
    g = m.groupdict()
    if g["pct"] or g["pct1"]:
        return _percent(g, lex), m.end(), "pct"
    money = _money(g, lex)
    if money:
        return _money_rate(text, money, m.end(), lex)
    scale = g["scale"]
    if not scale and _attached_measure(text, m.end(), lex):
        return (*_measure(text, _WORD.match(text, m.end())), "measure")  # "10,000ha", "500km"
    noun, end = _noun_phrase(text, m.end(), s1, lex)
    first = _WORD.match(text, m.end())
    if noun and first.group(1).casefold() in lex.words("measure_units"):
        noun, end = _measure(text, first)
    if scale:
        return (f"{scale.lower()} {noun}" if noun else scale.lower()), max(end, m.end()), "scale"
    if noun is None:
        return _bare_time(text, m, lex), m.end() if first is None else first.end(), "count"
    return _counted(text, first, noun, end, lex)


def _percent(g: dict, lex: _Lex) -> str:
    """"%", or the percentage points as written ("1-1.5 percentage points"): a change of a rate
    is not a rate."""
    written = (g["pct"] or g["pct1"]).strip()
    return written.casefold() if lex.re("percent_points").fullmatch(written) else "%"


def _money_rate(text: str, money: str, end: int, lex: _Lex) -> tuple[str, int, str]:
    """Money per unit of time or per head, written with slashes ("250 triệu đồng/ha/năm"): the
    rate is read into the normalized unit ("VND million per ha per year")."""
    per = lex.map("per_units")
    for _ in range(2):
        m = _SLASH_WORD.match(text, end)
        if m is None or m.group(1).casefold() not in per:
            break
        money, end = f"{money} per {per[m.group(1).casefold()]}", m.end()
    return money, end, "money"


def _attached_measure(text: str, pos: int, lex: _Lex) -> bool:
    """A measure unit written against its number ("10,000ha", "30,000m3/day")."""
    first = _WORD.match(text, pos) if text[pos : pos + 1].isalpha() else None
    return first is not None and len(first.group(1)) > 1 and first.group(1).casefold() in lex.words("measure_units")


def _bare_time(text: str, m: re.Match, lex: _Lex) -> Optional[str]:
    """"tối thiểu 68 năm": a time word that the noun phrase reads as a stop word."""
    first = _WORD.match(text, m.end())
    weak = lex.re("weak_units").match(text, first.start(1)) if first and text[m.end() : m.end() + 1].isspace() else None
    return weak.group(0) if weak and weak.end() == first.end() else None


def _measure(text: str, first: re.Match) -> tuple[str, int]:
    """A measure unit alone ("3.000 km cao tốc" -> "km"), or with the rate that follows it
    ("3 triệu tấn LNG/năm" -> "tấn LNG/năm")."""
    nxt = _WORD.match(text, first.end())
    if nxt and "/" in nxt.group(1):
        return f"{first.group(1)} {nxt.group(1)}", nxt.end()
    return first.group(1), first.end()


def _money(g: dict, lex: _Lex) -> Optional[str]:
    """"VND billion", "USD": a currency with its scale."""
    cur = g["cur"] or g["cur2"]
    code = lex.map("currencies").get(cur.casefold()) if cur else None
    if code and g["scale"]:
        return f"{code} {lex.map('scales')[g['scale'].casefold()]}"
    return code


def _counted(text: str, first: re.Match, noun: str, end: int, lex: _Lex) -> tuple[Optional[str], int, str]:
    """The unit of a counted noun: "times", a measure ("km"), a time word ("working days") or the
    noun phrase itself."""
    head = first.group(1).casefold()
    if head in lex.words("times_units") and "/" not in noun:
        return "times", first.end(), "times"
    if head in lex.words("measure_units"):
        return (*_measure(text, first), "measure")
    weak = lex.re("weak_units").match(noun)
    if weak and weak.end() < len(noun) and noun[weak.end()] == " ":
        return weak.group(0), first.start(1) + len(weak.group(0)), "count"
    return noun, end, "count"


def _noun_phrase(text: str, pos: int, s1: int, lex: _Lex) -> tuple[Optional[str], int]:
    """The counted noun phrase right after ``pos`` (at most a few words) and where it ends."""
    if not text[pos : pos + 1].isspace():
        return None, pos  # "5G", "10th": no counted noun
    words, end = _np_words(text, pos, s1, lex)
    words, end = _comma_list(text, words, end, s1, lex)
    words, end = _rate(text, words, end, s1, lex)
    grade = _GRADE.match(text, end, s1) if words else None
    if grade and lex.re("grade_units").fullmatch(grade.group(2)):
        words, end = [*words, grade.group(1), grade.group(2)], grade.end()  # "khách sạn 5 sao"
    if lex.grammar("capital_is_name") and words and not words[0][0].islower() and words[0] not in lex.words("measure_units"):
        return None, pos  # "tuyến số 5 Văn Cao": a name, not a counted noun
    return (" ".join(words), end) if words else (None, pos)


def _comma_list(text: str, words: list[str], end: int, s1: int, lex: _Lex) -> tuple[list[str], int]:
    """Nouns listed with commas are one counted phrase where the language writes them so ("5.620
    nhà tạm, nhà dột nát", "20 chuyên gia, nhà khoa học"), unless what follows the comma starts a
    new task or aim, or another number comes soon ("2,5 triệu lượt khách, thu 2.000 tỷ đồng")."""
    for _ in range(2):
        comma = _COMMA_GAP.match(text, end, s1) if words and lex.grammar("comma_joins_nouns") else None
        if comma is None or _new_clause(text, comma.end(), lex):
            break
        more, mend = _np_words(text, comma.end(), s1, lex)
        if not more or len(more) > 5 or _DIGIT_SOON.search(text, comma.end(), min(s1, mend + 12)):
            break
        words, end = [*words[:-1], words[-1] + ",", *more], mend
    return words, end


def _new_clause(text: str, pos: int, lex: _Lex) -> bool:
    if any(lex.at(k, text, pos) for k in ("strong_cues", "target_cues", "np_stop", "figure_cues")):
        return True
    return _task_verb(lex.lang).match(text, pos) is not None


def _np_words(text: str, pos: int, s1: int, lex: _Lex) -> tuple[list[str], int]:
    """The words of a counted noun phrase, up to a stop word, a joiner that joins nothing or
    the phrase's length; leading modifiers ("new", "remaining") dropped."""
    words: list[str] = []
    end = pos
    most = lex.grammar("noun_phrase_words")
    for _ in range(most + 2):
        m = _WORD.match(text, end, s1)
        whole = lex.at("np_compounds", text, m.start(1)) if m else None
        if whole is not None:
            words.extend(whole.group(0).split())  # "căn nhà ở xã hội": "ở" inside a compound
            end = whole.end()
            if lex.grammar("noun_head") == "first":
                break  # the compound closes the phrase: "doanh nghiệp nhỏ và vừa | ứng dụng …"
            continue
        if m and not words and m.group(1).casefold() in lex.words("np_drop_leading"):
            end = m.end()  # "2,000 newly established enterprises"
            continue
        if not m or _np_ends(text, m, words, lex):
            break
        words.append(m.group(1))
        end = m.end()
        if len(words) >= most:
            break
    return words, end


def _np_ends(text: str, m: re.Match, words: list[str], lex: _Lex) -> bool:
    w = m.group(1)
    if words and lex.re("np_joiners").fullmatch(w):
        return _joiner_ends(text, m, words, lex)
    if lex.at("np_stop", text, m.start(1)):
        return True
    if words and _participle_after_plural(w, words[-1], lex):
        return True  # "24 production facilities causing …", "40 enterprises listed …"
    return bool(words) and _name_starts(w, lex)


def _joiner_ends(text: str, m: re.Match, words: list[str], lex: _Lex) -> bool:
    """"and" ends the phrase unless it joins two nouns of one counted phrase."""
    nxt = _WORD.match(text, m.end())
    if not nxt or len(words) > 1 or _DIGIT_SOON.search(text, nxt.end(), nxt.end() + 25):
        return True  # "10.5 million visitors and tourism revenue of VND30 trillion": two quantities
    return any(lex.at(k, text, nxt.start(1)) for k in ("np_stop", "strong_cues", "target_cues"))


def _name_starts(w: str, lex: _Lex) -> bool:
    """"sản phẩm Sen Đồng Tháp": the counted noun ends before a name; "sản phẩm OCOP" goes on."""
    return bool(lex.grammar("capital_is_name")) and w[0].isupper() and not _ACRONYM.fullmatch(w)


def _participle_after_plural(w: str, prev: str, lex: _Lex) -> bool:
    plural = lex.grammar("plural_suffix")
    if not plural or not prev.casefold().endswith(plural) or len(w) < 5:
        return False
    return any(w.casefold().endswith(sfx) for sfx in str(lex.grammar("participle_suffixes")).split())


def _rate(text: str, words: list[str], end: int, s1: int, lex: _Lex) -> tuple[list[str], int]:
    """"13 doctors per 10,000 people", "11 bác sĩ trên 1 vạn dân": the rate stays in the unit; after
    a bare number the rate is the unit, with the label of its line ("Doctors: 12 per 10,000
    people": doctors per 10,000 people)."""
    per = _PER.match(text, end, s1)
    if not per or not lex.re("per_words").fullmatch(per.group(1)):
        return words, end
    noun, nend = _noun_phrase(text, per.end() - 1, s1, lex)
    if noun is None:
        return words, end
    return [*(words or _line_label(text, end, lex)), per.group(1), per.group(2), noun], nend


#: a line that names what its bare number counts: "- Hospital beds: 33"
_LABELLED_NUMBER = re.compile(r"[ \t]*(?:[-+•*–][ \t]*)?([^\W\d_][^\W\d_ \t]*(?:[ \t][^\W\d_]+){0,3}):[ \t]*[\d.,]+")


def _line_label(text: str, end: int, lex: _Lex) -> list[str]:
    """The label of a line "Doctors: 12 per 10,000 people": what the rate after the bare number
    counts (unit "doctors per 10,000 people"), without a leading "Number of"/"Số"."""
    m = _LABELLED_NUMBER.fullmatch(text, _line_start(text, end), end)
    if m is None:
        return []
    count = lex.re("count_label").match(m.group(1))
    label = m.group(1)[count.end() :] if count is not None and count.end() < len(m.group(1)) else m.group(1)
    return label.casefold().split()


def _excluded(text: str, m: re.Match, s0: int, unit: str, kind: str, lex: _Lex) -> bool:
    """Numbers that are no quantity: years, names, work items, grades, bare time units."""
    g = m.groupdict()
    if kind in ("count", "times", "measure", "scale") and not g["hi"] and _YEAR.fullmatch(g["lo"]):
        return True  # a year ("năm 2025 tỷ lệ …" is no scale)
    if kind in ("pct", "money", "rank"):
        return _threshold(text, m, s0, lex) or (kind == "money" and _word_number(text, m, s0, lex))
    u = unit.casefold()
    if _in_name(text, m, s0, lex) or _denominator(text, m, s0, lex) or _class_or_bound(text, m, s0, u, kind, lex):
        return True
    if lex.re("age_units").match(u) or lex.re("age_units").match(text, m.end() + (text[m.end() : m.end() + 1] in " \t")):
        return not _tail(lex.lang, "reach_verbs").search(text, max(s0, m.start() - 25), m.start())
    if lex.re("weak_units").match(u) or kind == "times":
        return not _attached(text, m, s0, lex)  # "within 10 days"; the unit is the time word
    return _word_number(text, m, s0, lex)


def _class_or_bound(text: str, m: re.Match, s0: int, u: str, kind: str, lex: _Lex) -> bool:
    """A count of work items, a grade or class ("4 sao", "500kV"), or a bound of a rule."""
    if kind == "count" and _work_item(text, m, u, lex):
        return True
    return (kind in ("count", "measure") and _graded(text, m, lex)) or _threshold(text, m, s0, lex)


def _threshold(text: str, m: re.Match, s0: int, lex: _Lex) -> bool:
    """"vessels with a length of 15 metres or more", "delayed for more than three months", "điểm
    trường có dưới 10 học sinh": a bound that says which cases a rule covers, not an aim."""
    return _tail(lex.lang, "threshold_before").search(text, max(s0, m.start() - 30), m.start()) is not None


def _denominator(text: str, m: re.Match, s0: int, lex: _Lex) -> bool:
    """"giá trị sản xuất trên 1 ha", "per one hectare": the unit a rate is counted on."""
    one = _value(m.group("lo"), lex) == 1 and not m.group("hi")
    return one and _tail(lex.lang, "per_words").search(text, max(s0, m.start() - 12), m.start()) is not None


def _word_number(text: str, m: re.Match, s0: int, lex: _Lex) -> bool:
    """A number written as a word counts only after an aim or comparator word ("at least one
    model", "build three bridges"); "một số", "one-stop", "hai cao tốc" are no quantities.  A
    scale word lets a count through ("fifteen thousand households"), not an amount of money."""
    if _word_value(m.group("lo"), lex) is None or (m.group("scale") and not _money(m.groupdict(), lex)):
        return False
    window = text[max(s0, m.start() - 25) : m.start()]
    return not any(_tail(lex.lang, key).search(window) for key in ("ge", "le", "target_cues", "strong_cues"))


def _work_item(text: str, m: re.Match, unit: str, lex: _Lex) -> bool:
    """"7 nội dung", "9 key groups of tasks": a count of work items, not a quantity to reach."""
    if lex.re("counted_compounds").match(text, m.end() + 1):
        return False
    if lex.grammar("noun_head") == "first":
        return lex.re("meta_units").match(unit) is not None
    return any(w.end() == len(unit) for w in lex.re("meta_units").finditer(unit))


def _in_name(text: str, m: re.Match, s0: int, lex: _Lex) -> bool:
    """"Ring Road 4", "Vành đai 3", "Covid-19", "Decision 90": a number inside a name."""
    window = text[max(s0, m.start() - 25) : m.start()]
    if _tail(lex.lang, "not_count_before").search(window):
        return True
    cap = _CAPITAL_TAIL.search(window)
    if not cap or not cap.group(1)[0].isupper() or _place_tail(lex.lang).search(window):
        return False  # "Hà Nội 4.670 căn": a province's share, not a name with a number
    if _SENT_START.fullmatch(text, max(s0, m.start() - 40), m.start() - len(cap.group(0))) or m.start() - len(cap.group(0)) <= s0:
        return False  # the first word of a sentence
    return not (_tail(lex.lang, "ge").search(window) or _tail(lex.lang, "le").search(window) or _tail(lex.lang, "reach_verbs").search(window))


def _graded(text: str, m: re.Match, lex: _Lex) -> bool:
    """"4 sao", "3-4 stars", "500kV lines": a grade or a class, not a count or an amount."""
    w = _WORD.match(text, m.end())
    return bool(w) and w.group(1).casefold() in {g.casefold() for g in lex.words("grade_units")}


def _attached(text: str, m: re.Match, s0: int, lex: _Lex) -> bool:
    """A comparator or a reach verb right before a time unit: "within 10 days", "đạt 75 tuổi"."""
    window = text[max(s0, m.start() - 25) : m.start()]
    return any(_tail(lex.lang, key).search(window) for key in ("ge", "le", "reach_verbs"))


def _fractions(text: str, s0: int, s1: int, lex: _Lex) -> list[dict]:
    """"43/43 cụm": the number before the slash, of the number after it."""
    out = []
    for m in _FRACTION.finditer(text, s0, s1):
        noun, end = _noun_phrase(text, m.end() - 1, s1, lex)
        if not noun or noun.split()[0].strip(",").casefold() in lex.words("meta_units") or lex.re("strong_cues").match(noun):
            continue  # "15/15 chỉ tiêu": the targets themselves counted, not a quantity
        n, d = parse_number(m.group(1), lex.lang), parse_number(m.group(2), lex.lang)
        if n is not None and d is not None and n <= d:  # "6.084/7.669 xã" too
            out.append({"start": m.start(), "end": end, "value": n, "unit": noun, "comparator": "=", "of": d, "kind": "count"})
    return out


def _merge(quants: list[dict], fractions: list[dict]) -> list[dict]:
    """Quantities and fractions in text order; a quantity inside a fraction's span is dropped."""
    if not fractions:
        return quants
    starts = [f["start"] for f in fractions]
    keep = []
    for q in quants:
        i = bisect_right(starts, q["start"]) - 1
        if i < 0 or q["start"] >= fractions[i]["end"]:
            keep.append(q)
    return sorted(keep + fractions, key=lambda q: q["start"])


# -- tables of targets ----------------------------------------------------------------------------
#: a table cell: text between "|" or tab separators on one line
_CELL = re.compile(r"[^|\t\n]+")
_CELL_SEPS = re.compile(r"[|\t]")
_CELL_NUMBER = re.compile(rf"({_NUM})(?:[ \t]?[-–][ \t]?({_NUM}))?")


def _cells(text: str, s0: int, s1: int) -> Optional[list[tuple[int, int]]]:
    """The non-empty cells of a table row ("Chỉ tiêu | Đơn vị | Năm 2025"), or None when the line
    is no row (fewer than two separators)."""
    if len(_CELL_SEPS.findall(text, s0, s1)) < 2:
        return None
    out = []
    for m in _CELL.finditer(text, s0, s1):
        a, b = m.span()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out if len(out) >= 2 else None


def _tables(text: str, spans: list[tuple[int, int]], lex: _Lex) -> tuple[set[tuple[int, int]], list[Target]]:
    """Tables of targets: runs of at least two rows under a heading (or a header row) that names
    targets.  Their rows are read by column here, and skipped by the sentence reading."""
    rows: set[tuple[int, int]] = set()
    out: list[Target] = []
    i = 0
    while i < len(spans):
        j = i
        while j < len(spans) and _cells(text, *spans[j]):
            j += 1
        heading = spans[i - 1] if i > 0 else None
        if j - i >= 2 and _aims_table(text, heading, spans[i], lex):
            out.extend(_table_targets(text, spans[i:j], heading, lex))
            rows.update(spans[i:j])
        i = max(j, i + 1)
    return rows, out


def _aims_table(text: str, heading: Optional[tuple[int, int]], first: tuple[int, int], lex: _Lex) -> bool:
    """The heading above the table, or its header row, names targets and reports nothing."""
    if heading is not None and lex.re("figure_cues").search(text, *heading):
        return False
    return any(lex.re(key).search(text, a, b) for a, b in [x for x in (heading, first) if x] for key in ("strong_cues", "plan_nouns"))


@dataclass
class _Header:
    """What a table's header row says: which column holds the unit, which year each column is for."""

    unit_col: Optional[int] = None
    years: dict[int, str] = field(default_factory=dict)
    #: columns of results ("Thực hiện 2024", "Actual 2024"): figures, not targets
    reports: set[int] = field(default_factory=set)


def _header(text: str, cells: list[tuple[int, int]], lex: _Lex) -> Optional[_Header]:
    """The header row: no number in it but years; None for a data row."""
    h = _Header()
    for k, (a, b) in enumerate(cells):
        cell = text[a:b]
        year = _YEAR.search(cell)
        if lex.re("table_unit_header").fullmatch(cell):
            h.unit_col = k
        elif lex.re("table_report_header").search(cell):
            h.reports.add(k)
        elif year:
            h.years[k] = year.group(0)
        elif _DIGIT_SOON.search(cell):
            return None
    return h


def _table_targets(text: str, rows: list[tuple[int, int]], heading: Optional[tuple[int, int]], lex: _Lex) -> list[Target]:
    cells = [_cells(text, *r) or [] for r in rows]
    header = _header(text, cells[0], lex)
    year = _YEAR.search(text, *heading) if heading else None
    default = year.group(0) if year else None
    shared = _bracket_unit(text[slice(*heading)], lex) if heading else None
    out = []
    for row in cells[1:] if header else cells:
        out.extend(_row_targets(text, row, header or _Header(), (default, shared), lex))
    return out


#: a unit written in brackets at the end of a label or heading: "GRDP per capita (VND million)"
_BRACKET_UNIT = re.compile(r"\(([^()\d\n]{1,30})\)[ \t:]*$")


def _counted_label(label: str, lex: _Lex) -> Optional[str]:
    """The noun a row label counts ("Số căn" -> "căn", "Number of new homes" -> "new homes")."""
    m = lex.re("count_label").match(label.strip())
    rest = label.strip()[m.end() :].strip() if m else ""
    return rest if rest and not _DIGIT_SOON.search(rest) else None


def _bracket_unit(label: str, lex: _Lex) -> Optional[str]:
    """The unit a row label or a table heading writes in brackets at its end ("Lượt khách (triệu
    lượt)", "Growth by sector (%)"), normalized as a quantity's unit; None when there is none."""
    m = _BRACKET_UNIT.search(label.rstrip())
    return _column_unit(m.group(1), lex) if m else None


def _row_targets(text: str, row: list[tuple[int, int]], header: _Header, above: tuple, lex: _Lex) -> list[Target]:
    """One row: the label names the metric; each value cell gives a target with the unit of the
    unit column (or its own, or the one its label or the table's heading writes in brackets) and
    the year of its column.  ``above``: the heading's year and bracketed unit."""
    default, shared = above
    label = text[slice(*row[0])]
    unit = _column_unit(text[slice(*row[header.unit_col])], lex) if header.unit_col is not None and header.unit_col < len(row) else None
    unit = unit or _bracket_unit(label, lex) or _counted_label(label, lex) or shared
    out = []
    for k, (a, b) in enumerate(row[1:], start=1):
        if k == header.unit_col or k in header.reports:
            continue
        t = _cell_target(text, a, b, unit, lex)
        if t is not None:
            t.metric, t.deadline = _BRACKET_UNIT.sub("", label).strip(), header.years.get(k, default)
            out.append(t)
    return out


def _column_unit(cell: str, lex: _Lex) -> str:
    """The unit a unit column writes, normalized as a quantity's unit ("tỷ đồng" -> "VND
    billion", "%/năm" -> "%"), else as written."""
    cell = cell.strip()
    head, _, rest = cell.partition(" ")
    best, covered = cell, 0
    for probe in ("1 " + cell, f"{head} 1 {rest}"):
        qs = find_quantities(probe, 0, len(probe), lex.lang)
        if qs and qs[0]["start"] == 0 and qs[0]["end"] > covered:
            best, covered = qs[0]["unit"], qs[0]["end"]
    return best


def _cell_target(text: str, a: int, b: int, unit: Optional[str], lex: _Lex) -> Optional[Target]:
    """A value cell: "≥ 95%" (a quantity of its own), or a bare number ("12.500", "60 - 65") in the
    unit of its column."""
    qs = find_quantities(text, a, b, lex.lang)
    if qs and (unit is None or qs[0]["unit"] == unit or qs[0]["kind"] in ("pct", "money")):
        q = qs[0]
        value, unit, start, end = q["value"], q["unit"], q["start"], q["end"]
    else:
        found = _cell_number(text, a, b, lex)
        if found is None or unit is None:
            return None
        value, start, end = found
    cmp_ = "range" if isinstance(value, list) else _cell_comparator(text, a, start, lex)
    return Target(text=text[start:end], start=start, end=end, value=value, unit=unit, comparator=cmp_)


def _cell_number(text: str, a: int, b: int, lex: _Lex) -> Optional[tuple[Union[Number, list], int, int]]:
    """A bare number or range in a cell ("12.500", "60 - 65"): (value, start, end)."""
    m = _CELL_NUMBER.search(text, a, b)
    if m is None:
        return None
    lo = parse_number(m.group(1), lex.lang)
    hi = parse_number(m.group(2), lex.lang) if m.group(2) else None
    if lo is None or (m.group(2) and hi is None):
        return None
    return ([lo, hi] if hi is not None else lo), m.start(), m.end()


def _cell_comparator(text: str, a: int, start: int, lex: _Lex) -> str:
    before = text[a:start]
    if lex.re("ge").search(before):
        return ">="
    return "<=" if lex.re("le").search(before) else "="


# -- one sentence, read once ----------------------------------------------------------------------


class _Cuemap:
    """The positions of every cue list in one sentence, found in one pass per list."""

    KEYS = ("strong_cues", "target_cues", "figure_cues", "hedge_cues", "estimate_cues", "ge", "le", "condition_cues", "allocation_cues", "met_target", "future_cues")

    def __init__(self, text: str, s0: int, s1: int, lex: _Lex):
        self.lang = lex.lang
        self.spans: dict[str, list[tuple[int, int]]] = {}
        self.ends: dict[str, list[int]] = {}
        for key in self.KEYS:
            spans = [m.span() for m in lex.re(key).finditer(text, s0, s1)]
            self.spans[key] = spans
            self.ends[key] = [b for _, b in spans]
        self.clauses = [m.start() for m in _CLAUSE.finditer(text, s0, s1)]

    def last(self, key: str, lo: int, pos: int) -> Optional[tuple[int, int]]:
        """The last cue of ``key`` that ends in ``[lo, pos]``."""
        i = bisect_right(self.ends[key], pos) - 1
        if i >= 0 and self.spans[key][i][0] >= lo:
            return self.spans[key][i]
        return None

    def clause_start(self, s0: int, pos: int) -> int:
        i = bisect_left(self.clauses, pos) - 1
        return self.clauses[i] + 1 if i >= 0 else s0


@dataclass
class _Context:
    """What the sentences around a quantity say: a directive, an open list of targets, an aim
    stated earlier in the same paragraph ("Phấn đấu đến năm 2030 … . Tỷ lệ … đạt 65%.")."""

    directive: bool = False
    in_plan_list: bool = False
    paragraph_aim: bool = False
    in_section: bool = False  # under a heading that names targets: aims, but a past year still reports


def find_targets(
    text: str,
    spans: list[tuple[int, int]],
    lang: str,
    dates: list[DateMention],
    directive_spans: set[tuple[int, int]] = frozenset(),
    published: Optional[str] = None,
) -> tuple[list[Target], list[Figure]]:
    """Targets and figures in the content ``spans`` (sentences); ``directive_spans`` mark sentences
    that were classified as directives, whose quantities are aims."""
    lex = _lex(lang)
    ds = sorted((d for d in dates if d.value), key=lambda d: d.start)
    starts = [d.start for d in ds]
    targets: list[Target] = []
    figures: list[Figure] = []
    plan_list = section = False
    aim, prev_end = False, 0
    table_rows, targets = _tables(text, spans, lex)
    for s0, s1 in spans:
        if (s0, s1) in table_rows:
            continue
        plan_list = _plan_list_open(text, s0, s1, lex, plan_list)
        aim = aim and "\n" not in text[prev_end:s0]
        sent_dates = ds[bisect_left(starts, s0) : bisect_left(starts, s1)]
        ctx = _Context((s0, s1) in directive_spans, plan_list, aim, section)
        t, f = _sentence(text, s0, s1, lex, sent_dates, ctx, published)
        targets.extend(t)
        figures.extend(f)
        aim = _states_aim(text, s0, s1, lex) or (aim and not _reports(text, s0, s1, lex))
        plan_list, section = _lists_after(text, s0, s1, lex, plan_list, section)
        prev_end = s1
    targets.sort(key=lambda t: t.start)
    _carry_deadlines(text, targets, directive_spans)
    return _new(_title_repeats(targets, spans[0] if spans else (0, 0)), text), figures


def _carry_deadlines(text: str, targets: list[Target], directive_spans: set[tuple[int, int]]) -> None:
    """A target with no date of its own takes the deadline of the target before it in the same
    paragraph: a plan's year is written once for its list ("Under the resolution, … by 2030. The
    digital economy is to make up 35% …").  Not inside a task sentence, whose deadline is the
    task's own (spec: "deadline where stated")."""
    tasks = sorted(directive_spans)
    for prev, t in zip(targets, targets[1:]):
        if t.deadline is None and prev.deadline and "\n" not in text[prev.end : t.start] and not _inside(tasks, t.start):
            t.deadline = prev.deadline


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _title_repeats(targets: list[Target], title: tuple[int, int]) -> list[Target]:
    """A target of the headline that the article states again is one target, the body's."""
    body = {_loose_key(t) for t in targets if t.start >= title[1]}
    return [t for t in targets if t.start >= title[1] or _loose_key(t) not in body]


def _loose_key(t: Target) -> str:
    """A headline shortens what the body writes in full ("4 percentage points a year" / "… per
    year", "25 mln foreign arrivals" / "25 million foreign tourists"): the value alone."""
    return repr(t.value)


def _key(t: Target) -> tuple[str, str]:
    return repr(t.value), (t.unit or "").casefold()


def _said_again(t: Target, text: str, said: set) -> bool:
    """A plain percentage whose sentence says the same words before it again ("… phấn đấu từ 10% trở
    lên" twice): one aim, unlike the "100%" items of a list."""
    key = (repr(t.value), text[max(0, t.start - 40) : t.start])
    again = key in said
    said.add(key)
    return again


def _new(targets: list[Target], text: str) -> list[Target]:
    """A target stated again (the title, the lead, the body) is one target; repeated plain
    percentages ("100% of …" items of a list) stay, each its own aim, unless said again in the same
    words."""
    out = []
    seen: set = set()
    said: set = set()
    for t in targets:
        key = _key(t)
        plain = t.unit == "%" and not isinstance(t.value, list)
        if (key in seen and not plain) or (plain and _said_again(t, text, said)):
            continue
        seen.add(key)
        out.append(t)
    return out


def _states_aim(text: str, s0: int, s1: int, lex: _Lex) -> bool:
    """A sentence that states an aim and reports nothing: its paragraph goes on with aims."""
    return lex.re("strong_cues").search(text, s0, s1) is not None and lex.re("figure_cues").search(text, s0, s1) is None


def _reports(text: str, s0: int, s1: int, lex: _Lex) -> bool:
    """A sentence with a report word ("…, có 25 chỉ tiêu vượt kế hoạch"): the paragraph has turned
    to results, and an aim stated before it is no longer carried."""
    return lex.re("figure_cues").search(text, s0, s1) is not None


def _opens_list(text: str, s0: int, s1: int, lex: _Lex) -> bool:
    """A heading such as "Mục tiêu đến năm 2025:" or "Under the city's plan:"."""
    return any(lex.re(key).search(text, s0, s1) for key in ("strong_cues", "target_cues", "plan_nouns"))


def _target_heading(text: str, s0: int, s1: int, lex: _Lex) -> bool:
    """A heading line of its own, without a full stop, that names targets ("II. CÁC CHỈ TIÊU
    CHỦ YẾU NĂM 2026", "Main targets for 2030"): the numbered lines under it are its items."""
    line = text[s0:s1].strip()
    own_line = text[s1 : s1 + 1] in ("\n", "") and s0 in (_line_start(text, s0), _mark_end(text, s0))
    if not own_line or not line or len(line) > 90 or line[-1] in ".!?;,":
        return False
    return lex.re("target_cues").search(text, s0, s1) is not None


def _lists_after(text: str, s0: int, s1: int, lex: _Lex, plan_list: bool, section: bool) -> tuple[bool, bool]:
    """Whether a list of targets and a section of targets are open after the sentence ``s0:s1``."""
    if text[s0:s1].rstrip().endswith(":"):
        plan_list = (plan_list and (_LIST_MARK.match(text, s0) is not None or _sub_heading(text, s0, s1))) or _opens_list(text, s0, s1, lex)
    elif _target_heading(text, s0, s1, lex):
        plan_list = True
    if _section_heading(text, s0, s1):
        section = _target_heading(text, s0, s1, lex)
    return plan_list, section


_ROMAN_MARK = re.compile(r"[IVX]{1,4}[.)][ \t]")


def _section_heading(text: str, s0: int, s1: int) -> bool:
    """A section heading on a line of its own ("II. MỤC TIÊU", "III. NHIỆM VỤ VÀ GIẢI PHÁP",
    "TARGETS"): a heading that names targets opens a section whose sentences are its aims, even
    without a list mark or an aim word of their own, until the next section heading."""
    line = text[_line_start(text, s0) : s1].strip()
    if text[s1 : s1 + 1] not in ("\n", "") or not line or len(line) > 90 or line[-1] in ".!?;,":
        return False
    return _ROMAN_MARK.match(line) is not None or (line.isupper() and len(line) > 3)


def _plan_list_open(text: str, s0: int, s1: int, lex: _Lex, open_: bool) -> bool:
    """A list of targets stays open while its items follow, each on a line of its own (the
    sentence starts with the item's mark, or its line does: "1." may be a segment of its own), or
    a line opens with a short label of its own ("Economic affairs: …", "Về kinh tế: …")."""
    line = _line_start(text, s0)
    return open_ and (any(p.match(text, at) is not None for p in (_LIST_MARK, _LABEL) for at in (s0, line)) or _sub_heading(text, s0, s1))


#: a short sub-heading of a list of targets: a few words on a line of their own ("Economy", "Về xã hội:")
_SUB_HEADING = re.compile(r"[^\W\d_][^\W\d]*(?:[ \t]+[^\W\d]+){0,5}[ \t]*:?")


def _sub_heading(text: str, s0: int, s1: int) -> bool:
    """A line of a few words, no number and no full stop, that groups the items of a list of
    targets under it ("Society", "Digital transformation and governance", "Về xã hội:")."""
    own_line = s0 == _line_start(text, s0) and text[s1 : s1 + 1] in ("\n", "")
    return own_line and _SUB_HEADING.fullmatch(text, s0, s1) is not None


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _mark_end(text: str, pos: int) -> int:
    """Where the list mark that opens the line of ``pos`` ends ("II. ", "1. "), or -1."""
    m = _HEADING_MARK.match(text, _line_start(text, pos))
    return m.end() if m else -1


def _sentence(text: str, s0: int, s1: int, lex: _Lex, dates: list[DateMention], ctx: _Context, published: Optional[str]) -> tuple[list[Target], list[Figure]]:
    quants = _merge(find_quantities(text, s0, s1, lex.lang), _fractions(text, s0, s1, lex))
    quants = _no_conversion(text, _no_rank_of_a_count(text, _outside_dates(quants, dates)))
    quants = _elided(text, quants, s1, lex)
    if not quants:
        return [], []
    cm = _Cuemap(text, s0, s1, lex)
    dl = _Dates(text, dates, published, lex)
    targets: list[Target] = []
    figures: list[Figure] = []
    prev_end, prev_cmp, prev_verdict = s0, None, None
    for i, q in enumerate(quants):
        nxt = quants[i + 1]["start"] if i + 1 < len(quants) else s1
        q["after"] = prev_end  # where the text that leads to this quantity starts
        verdict = _verdict(text, s0, s1, q, cm, lex, ctx, dl)
        if i > 0 and _subtotal(text, prev_end, q["start"], q["kind"], lex):
            verdict = prev_verdict  # "2,5 triệu lượt khách, trong đó 30.000 lượt khách quốc tế"
        metric = _metric(text, max(prev_end, cm.clause_start(s0, q["start"])), q["start"], lex, q["kind"] in ("count", "measure"))
        if verdict == "target":
            cmp_ = _comparator(text, q, prev_end, prev_cmp, lex, s0, s1)
            deadline = _deadline(text, q, dl, prev_end, nxt)
            targets.append(Target(text=text[q["start"] : q["end"]], start=q["start"], end=q["end"], value=q["value"], unit=q["unit"], comparator=cmp_, deadline=deadline, metric=metric, of=q.get("of")))
            prev_cmp = cmp_
        elif verdict in ("actual", "estimate"):
            figures.append(Figure(text=text[q["start"] : q["end"]], start=q["start"], end=q["end"], value=q["value"], unit=q["unit"], metric=metric, status=verdict))
        prev_end, prev_verdict = q["end"], verdict
    return targets, figures


def _subtotal(text: str, prev_end: int, pos: int, kind: str, lex: _Lex) -> bool:
    """A part of the quantity before it ("…, trong đó …", "…, of which …"), or a number in brackets
    that restates it ("6.084/7.669 xã (79,3%)", "so với nghị quyết đề ra (23.600 tỷ đồng)"), with
    no aim or report word of its own: it is what the quantity before it is, a target or a figure."""
    gap = text[prev_end:pos]
    if kind == "pct" and lex.re("ratio_step").fullmatch(gap.strip(" ,")):
        return True  # "3.224 tỷ đồng, đạt 59%": the share of the plan that amount is
    if len(gap) > 60 or not (lex.re("subtotal_cues").search(gap) or gap.rstrip().endswith("(")):
        return False
    return not any(lex.re(key).search(gap) for key in ("strong_cues", "figure_cues", "hedge_cues"))


#: a bare number: no unit, no letter or percent sign against it
_BARE_NUMBER = re.compile(rf"(?<![\w.,/-])({_NUM})(?![\w%.,/-])")
#: the step of a list before an item whose unit is left out: ", 15", "and 15", "including 4,500"
_STEP_END = re.compile(r"(?:,|;)[ \t]*$")


def _elided(text: str, quants: list[dict], s1: int, lex: _Lex) -> list[dict]:
    """Items of a list that leave their counted unit out ("13 doctors per 10,000 people by 2025
    and 15 by 2030", "28,000 people, including 12,000 at …"): a bare number right after a list step
    takes the unit written once before it."""
    out: list[dict] = []
    for i, q in enumerate(quants):
        out.append(q)
        if q["kind"] not in ("count", "measure", "scale"):
            continue
        stop = quants[i + 1]["start"] if i + 1 < len(quants) else s1
        item = _bare_item(text, q, stop, lex)
        while item is not None:  # "100,275 apartments in 2025; 116,347 in 2026; 148,343 in 2027"
            out.append(item)
            item = _bare_item(text, item, stop, lex)
    return out


def _bare_item(text: str, q: dict, stop: int, lex: _Lex) -> Optional[dict]:
    m = next((b for b in _BARE_NUMBER.finditer(text, q["end"], min(stop, q["end"] + 60)) if not _YEAR.fullmatch(b.group(1))), None)
    if m is None or _DIGIT_SOON.search(text, q["end"], m.start()):
        return None
    word = _WORD.match(text, m.end())
    if not _list_step(text[q["end"] : m.start()], lex) or (word is not None and not lex.at("np_stop", text, word.start(1))):
        return None  # "…, 15 xã": a unit of its own; "…, 15 hay 20": no step of a list
    value = parse_number(m.group(1), lex.lang)
    unit = _unscaled(q, lex)
    if value is None or not unit:
        return None
    return {"start": m.start(), "end": m.end(), "value": value, "unit": unit, "comparator": None, "kind": "count"}


def _list_step(step: str, lex: _Lex) -> bool:
    """", ", "and ", "including ": the text before an item of a list."""
    return bool(_STEP_END.search(step) or _tail(lex.lang, "np_joiners").search(step) or _tail(lex.lang, "subtotal_cues").search(step))


def _unscaled(q: dict, lex: _Lex) -> str:
    """The counted unit without its scale ("6 million visitors, of which 900,000": visitors)."""
    scale = lex.re("scales").match(q["unit"]) if q["kind"] == "scale" else None
    return q["unit"][scale.end() :].strip() if scale is not None else q["unit"]


def _no_conversion(text: str, quants: list[dict]) -> list[dict]:
    """"VND85.8 trillion (US$3.6 billion)": the amount in brackets is the same amount converted."""
    out = []
    for q in quants:
        if q["kind"] == "money" and out and out[-1]["kind"] == "money" and _CONVERSION.fullmatch(text, out[-1]["end"], q["start"]):
            continue
        out.append(q)
    return out


def _no_rank_of_a_count(text: str, quants: list[dict]) -> list[dict]:
    """"ít nhất 8 trường thuộc nhóm 200 trường hàng đầu": the rank describes the counted noun."""
    out = []
    for q in quants:
        if q["kind"] == "rank" and out and out[-1]["kind"] == "count" and q["start"] - out[-1]["end"] < 50 and not _CLAUSE_BREAK.search(text, out[-1]["end"], q["start"]):
            continue
        out.append(q)
    return out


def _outside_dates(quants: list[dict], dates: list[DateMention]) -> list[dict]:
    """A number inside a date ("February 18", "quý I/2025") is no quantity."""
    if not dates:
        return quants
    starts = [d.start for d in dates]
    out = []
    for q in quants:
        i = bisect_right(starts, q["start"]) - 1
        if i < 0 or not (dates[i].start <= q["start"] < dates[i].end) or q.get("kind") in ("pct", "money", "scale") or _BARE_DATE.fullmatch(dates[i].text):
            out.append(q)
    return out


def _nearer(report: tuple[int, int], strong: Optional[tuple[int, int]]) -> bool:
    """The report word is nearer to the quantity than the aim word ("exceeding the target by 4%"
    ends where "target" ends; "to be completed" holds "completed" and stays an aim)."""
    if strong is None:
        return True
    return report[1] > strong[1] or (report[1] == strong[1] and report[0] < strong[0])


@dataclass
class _Signals:
    """What the words around one quantity say about it."""

    strong: Optional[tuple[int, int]]
    report: Optional[tuple[int, int]]
    report_after: bool
    hedge: bool
    aim: bool
    past: bool
    condition: bool

    @property
    def reported(self) -> bool:
        """A report word after the quantity, or one nearer to it than any aim word."""
        return self.report_after or (self.report is not None and _nearer(self.report, self.strong))


def _signals(text: str, s0: int, s1: int, q: dict, cm: _Cuemap, lex: _Lex, ctx: _Context, dl: _Dates) -> _Signals:
    pos = q["start"]
    after = text[q["end"] : min(s1, q["end"] + 30)]
    strong = _own_strong(text, cm.last("strong_cues", s0, pos), pos, lex)
    report = cm.last("figure_cues", s0, pos)
    met = _met_target(text, cm, s0, pos, strong)
    if met is not None:
        strong, report = None, met
    past = dl.past_before(pos)
    hedge = cm.last("hedge_cues", max(s0, pos - 60), pos) is not None
    aim = bool(strong) or _aim_after(lex, after) or ctx.in_plan_list or ctx.in_section or q["kind"] == "growth" or _unreported_aim(text, s0, q, cm, lex, ctx, report or past or hedge)
    return _Signals(
        strong, report, _reported_after(lex, q, after, strong),
        hedge, aim, past or (dl.past_stated(pos) and report is not None),
        _condition(cm, s0, pos),
    )


#: a percentage right before a word: "100% chỉ tiêu", "95 percent of the target"
_NUMBER_BEFORE = re.compile(r"\d[ \t]?(?:%|per[ \t]?cent|percent|phần[ \t]trăm)[ \t](?:of[ \t](?:the[ \t])?|của[ \t])?$")


def _own_strong(text: str, strong: Optional[tuple[int, int]], pos: int, lex: _Lex) -> Optional[tuple[int, int]]:
    """An aim noun right after a percentage ("đạt 100% chỉ tiêu", "95 percent of the target") is
    what that share is measured against: it makes no aim of a quantity further on; so is a bound
    of a threshold that a copula joins to a count ("số xã đạt từ 10 tiêu chí trở lên là 37 xã").
    Other aim words after a share ("8% or more", "45% by 2030") stay aims of a list."""
    if strong is None:
        return None
    if lex.at("strong_after", text, strong[0]) is not None:
        gap = text[strong[1] : pos].strip()
        return None if gap and lex.re("copulas").fullmatch(gap) else strong  # "từ 10 tiêu chí trở lên là 37 xã"
    if lex.at("plan_measures", text, strong[0]) is None:
        return strong
    return None if _NUMBER_BEFORE.search(text, max(0, strong[0] - 20), strong[0]) else strong


def _unreported_aim(text: str, s0: int, q: dict, cm: _Cuemap, lex: _Lex, ctx: _Context, reported: Any) -> bool:
    """Where no report, past or hedge word stands: an aim carried from the paragraph, or a
    commitment in the future tense."""
    if reported:
        return False
    return _carried(cm, s0, q["start"], ctx, reported) or _future_aim(text, s0, q, cm, lex)


def _met_target(text: str, cm: _Cuemap, s0: int, pos: int, strong: Optional[tuple[int, int]]) -> Optional[tuple[int, int]]:
    """The aim word is part of a report that a target was met ("cơ bản hoàn thành mục tiêu …;
    có 2.567 xã …"): the quantities of later clauses, or a few words on, are reported.  Right
    after it, the number is the target itself ("vượt mục tiêu 6 - 6,5%", "để đạt mục tiêu tăng
    trưởng 6 - 6,5%")."""
    met = cm.last("met_target", s0, pos)
    if strong is None or met is None or not (met[0] <= strong[0] < met[1] or _just_after(text, strong, met)):
        return None
    met = (min(met[0], strong[0]), max(met[1], strong[1]))
    if _tail(cm.lang, "purpose_words").search(text, max(s0, met[0] - 20), met[0]):
        return None  # "để đạt mục tiêu …": a target still to reach
    near = not _CLAUSE_BREAK.search(text, met[1], pos) and len(text[met[1] : pos].split()) <= 4
    return None if near else met


def _just_after(text: str, strong: tuple[int, int], met: tuple[int, int]) -> bool:
    """"15/15 chỉ tiêu chủ yếu đạt và vượt", "đạt và vượt hầu hết các chỉ tiêu": the met word and
    the aim word are one phrase, in either order."""
    a, b = sorted((strong, met))
    return b[0] - a[1] <= 25 and not _CLAUSE_BREAK.search(text, a[1], b[0])


def _future_aim(text: str, s0: int, q: dict, cm: _Cuemap, lex: _Lex) -> bool:
    """A commitment in the future tense ("the department will send 20 teams"), unless the count
    only names where ("will be carried out in 12 provinces")."""
    if cm.last("future_cues", cm.clause_start(s0, q["start"]), q["start"]) is None:
        return False
    return q["kind"] != "count" or not _tail(lex.lang, "company_words").search(text, max(s0, q["start"] - 20), q["start"])


def _carried(cm: _Cuemap, s0: int, pos: int, ctx: _Context, reported: Any) -> bool:
    """An aim of the paragraph carried to a clause with a target or comparator word of its own."""
    clause = cm.clause_start(s0, pos)
    return ctx.paragraph_aim and not reported and any(cm.last(k, clause, pos) for k in ("target_cues", "ge", "le"))


def _reported_after(lex: _Lex, q: dict, after: str, strong: Optional[tuple[int, int]]) -> bool:
    """Reported, said after the quantity: always so for "so với cùng kỳ", "year-on-year"; for a
    plain "so với" only where no aim word comes first ("tăng ít nhất 1,5 lần so với năm 2020")."""
    if _starts_with(lex, "report_after_always", after):
        return True
    return _report_after(lex, q, after) and not (strong or _starts_with(lex, "strong_after", after))


def _condition(cm: _Cuemap, s0: int, pos: int) -> bool:
    condition = cm.last("condition_cues", max(s0, pos - 50), pos)
    return condition is not None and cm.last("strong_cues", condition[1], pos) is None


def _verdict(text: str, s0: int, s1: int, q: dict, cm: _Cuemap, lex: _Lex, ctx: _Context, dl: _Dates) -> Optional[str]:
    """"target", "actual", "estimate" or None (a quantity that is neither)."""
    sig = _signals(text, s0, s1, q, cm, lex, ctx, dl)
    decided, verdict = _no_aim(text, s0, q, cm, lex, ctx, sig)
    if decided:
        return verdict
    if (sig.aim and not (sig.report and sig.past)) or (ctx.directive and not sig.past and _task_quantity(text, s0, q, lex, cm)):
        return "target"
    if sig.report or sig.past or cm.last("target_cues", s0, q["start"]):
        return _status(text, s0, q["start"], cm)
    return None


def _no_aim(text: str, s0: int, q: dict, cm: _Cuemap, lex: _Lex, ctx: _Context, sig: _Signals) -> tuple[bool, Optional[str]]:
    """(True, verdict) where the quantity cannot be an aim: a condition, money allocated, a report,
    a hedge outside a plan's aims, a past year's result with no aim word before it."""
    if sig.condition or _time_limit(text, q, lex):
        return True, None  # "investors with disbursement rates below 15% must explain", "within 30 days"
    if _allocated(text, q, cm, lex, sig.strong):
        return True, "actual"  # "bố trí 30 tỷ đồng", "the VND120 trillion credit package"
    if sig.reported:
        return True, _status(text, s0, q["start"], cm)
    if sig.hedge and not sig.aim:
        return True, "estimate"
    if sig.past and sig.strong is None and not ctx.in_plan_list:
        return True, _status(text, s0, q["start"], cm)  # "Năm 2024, tỷ lệ … đạt 93,6%, chưa đạt chỉ tiêu"
    return False, None


def _time_limit(text: str, q: dict, lex: _Lex) -> bool:
    """A span of time framed as the limit of a task ("within 30 days", "trong vòng 15 ngày", "at
    least 20 days before the session"): when the task is due, not a level to reach ("cut the
    processing time to three working days" stays an aim)."""
    if q["kind"] != "count" or not lex.re("duration_units").fullmatch(q["unit"] or ""):
        return False
    if _tail(lex.lang, "time_limit_before").search(text, max(0, q["start"] - 25), q["start"]):
        return True
    return _starts_with(lex, "time_limit_after", text[q["end"] : q["end"] + 30])


def _allocated(text: str, q: dict, cm: _Cuemap, lex: _Lex, strong: Optional[tuple[int, int]]) -> bool:
    """Money that a decision allocates, lends or pays, named right before or right after the
    amount (and nearer than any aim word), is a figure: a plan's aim is a level to reach.  An item
    of a list of aims ("đặt mục tiêu …; tổng vốn đầu tư … 140.000 tỷ đồng") stays an aim."""
    if q["kind"] != "money" or (strong is not None and strong[0] < cm.clause_start(0, q["start"])):
        return False
    cue = cm.last("allocation_cues", max(0, q["start"] - 60), q["start"])
    if cue is not None and (strong is None or cue[1] > strong[1]):
        return True
    return _starts_with(lex, "allocation_after", text[q["end"] : q["end"] + 30])


def _task_quantity(text: str, s0: int, q: dict, lex: _Lex, cm: _Cuemap) -> bool:
    """In a task sentence, a quantity is an aim unless a bare copula leads to it with no task or
    comparator word in its clause ("tổng thu 6 tháng là 12.221 tỷ đồng"), and a count is one
    unless it only names who takes part or where ("làm việc với 4 huyện", "thí điểm tại 3 quận",
    "carried out in 12 provinces")."""
    aimed = lambda lo: any(cm.last(k, lo, q["start"]) for k in ("target_cues", "strong_cues", "ge", "le"))  # noqa: E731
    if _tail(lex.lang, "copulas").search(text, max(s0, q["start"] - 15), q["start"]) and not aimed(_phrase_start(text, q.get("after", s0), q["start"])):
        return False
    if q["start"] - s0 < 60 and not aimed(s0) and not _task_verb_before(text, s0, q["start"], cm):
        return False  # "Thu nội địa 9 tháng 7.300 tỷ đồng, …, Chủ tịch yêu cầu …": the setting of the task
    if q["kind"] != "count":
        return True
    return not _tail(lex.lang, "company_words").search(text, max(s0, q["start"] - 20), q["start"])


def _phrase_start(text: str, s0: int, pos: int) -> int:
    """Where the phrase of ``pos`` starts: after the last ";", ":" or ", " (not a decimal comma)."""
    last = None
    for last in _PHRASE_BREAK.finditer(text, s0, pos):
        pass
    return last.end() if last else s0


def _task_verb_before(text: str, s0: int, pos: int, cm: _Cuemap) -> bool:
    """A task verb before ``pos`` that is not part of an approximation ("Close to 8.5 million")."""
    for m in _task_verb(cm.lang).finditer(text, s0, pos):
        est = cm.last("estimate_cues", s0, pos)
        if est is None or not (est[0] <= m.start() < est[1]):
            return True
    return False


def _report_after(lex: _Lex, q: dict, after: str) -> bool:
    """"5% so với cùng kỳ", "560,000 certificates had been issued": reported, said after it."""
    return _starts_with(lex, "figure_after", after) or (q["kind"] == "count" and _starts_with(lex, "figure_cues", after))


def _aim_after(lex: _Lex, after: str) -> bool:
    """"8% or more", "428,000 units are to be completed": the aim written after the quantity
    (unless a report word comes first: "…, exceeding the target")."""
    if _starts_with(lex, "strong_after", after):
        return True
    brk = _CLAUSE_BREAK.search(after)
    end = min(25, brk.start() if brk else 25)  # "… xã đạt chuẩn, Bộ yêu cầu …": another clause
    strong = lex.re("strong_cues").search(after, 0, end)
    report = lex.re("figure_cues").search(after, 0, end)
    return strong is not None and (report is None or report.start() > strong.start())


def _starts_with(lex: _Lex, key: str, after: str) -> bool:
    m = re.match(r"[\s,]*", after)
    return lex.at(key, after, m.end()) is not None


def _status(text: str, s0: int, pos: int, cm: _Cuemap) -> str:
    return "estimate" if cm.last("estimate_cues", max(s0, pos - 50), pos) or cm.last("hedge_cues", max(s0, pos - 60), pos) else "actual"


class _Dates:
    """The dates of one sentence: the usable deadlines, and where the first past year is stated."""

    def __init__(self, text: str, dates: list[DateMention], published: Optional[str], lex: _Lex):
        self.lang = lex.lang
        self.dates = [d for d in dates if _deadline_like(text, d, lex)]
        self.starts = [d.start for d in self.dates]
        pub = published if published and re.match(r"\d{4}", published) else ""
        years = [d for d in dates if _a_year(d)]
        self.year_starts = [d.start for d in years]
        self.year_past = [_year_before(d, pub) for d in years]
        past = [d.start for d in dates if _year_before(d, pub)]
        self.first_past = past[0] if past else None

    def past_before(self, pos: int) -> bool:
        """A year before the publication stated earlier in the sentence: "Năm 2023, GRDP tăng 10,05%"."""
        return self.first_past is not None and self.first_past < pos

    def past_stated(self, pos: int) -> bool:
        """The nearest year before ``pos`` is a past one ("năm 2025 toàn tỉnh đã …" read in 2026)."""
        i = bisect_left(self.year_starts, pos) - 1
        return i >= 0 and self.year_past[i]


def _a_year(d: DateMention) -> bool:
    return d.kind == "absolute" and (d.value or "")[:4].isdigit() and d.role != "issued"


def _deadline_like(text: str, d: DateMention, lex: _Lex) -> bool:
    """A date that can be a deadline: absolute, not an issue date, not a base year, not "3 - 4"."""
    return d.kind == "absolute" and d.role != "issued" and not _BARE_DATE.fullmatch(d.text) and not _base_year(text, d, lex)


def _base_year(text: str, d: DateMention, lex: _Lex) -> bool:
    """"up 14% compared to 2024", "so với năm 2023": a base of comparison, no deadline."""
    window = text[max(0, d.start - 24) : d.start]
    return any(_tail(lex.lang, "figure_after").search(w) for w in (window, _LAST_WORD.sub("", window)))


def _year_before(d: DateMention, pub: str) -> bool:
    """A year or a month before the publication ("tháng 6/2024" read in October 2024); a day is
    the date of an event, not a period reported on."""
    v = d.value or ""
    if not pub or d.kind != "absolute" or d.role == "deadline" or not _ISO_PREFIX.fullmatch(v):
        return False
    return v < pub[: len(v)]


def _comparator(text: str, q: dict, prev_end: int, prev_cmp: Optional[str], lex: _Lex, s0: int, s1: int) -> str:
    """The comparator of a target; one written once covers the following items of its list."""
    if q["comparator"]:
        return q["comparator"]
    after = text[q["end"] : min(s1, q["end"] + 30)]
    if _starts_with(lex, "strong_after", after):
        return ">=" if _starts_with(lex, "ge", after) else "<="
    written = _written_before(text[max(prev_end, q["start"] - 30) : q["start"]], lex)
    if written:
        return written
    if prev_cmp in (">=", "<=") and _list_item(text, prev_end, q["start"], lex):
        return prev_cmp
    return "="


def _written_before(window: str, lex: _Lex) -> Optional[str]:
    """The comparator written right before the number, the later one when both kinds stand there."""
    ge = [c for c in lex.re("ge").finditer(window) if _near(window, c)]
    le = [c for c in lex.re("le").finditer(window) if _near(window, c)]
    ge, le = _outside(ge, le), _outside(le, ge)  # "no less than" holds "less than"
    if not (ge or le):
        return None
    return ">=" if ge and (not le or ge[-1].start() > le[-1].start()) else "<="


def _outside(cues: list[re.Match], others: list[re.Match]) -> list[re.Match]:
    """The cues that no longer cue of the other kind holds ("less than" inside "no less than")."""
    return [c for c in cues if not any(o.start() <= c.start() and c.end() <= o.end() and o.end() - o.start() > c.end() - c.start() for o in others)]


def _near(window: str, cue: re.Match) -> bool:
    """A comparator bears on the number when at most one word stands between them ("ít nhất
    đạt 5", "at least 10"); "sản xuất trên đất … đạt 320" is a preposition, far from it."""
    return len(window[cue.end() :].split()) <= 1


def _list_item(text: str, prev_end: int, pos: int, lex: _Lex) -> bool:
    """The text since the previous quantity is a short list step: "…, 40% …", "… và 70% …"."""
    gap = text[prev_end:pos]
    if lex.re("target_cues").search(gap[gap.rfind(",") + 1 :]):
        return False  # "ít nhất 20 dự án, trồng mới 1.500 ha": a new verb, a new aim
    if len(gap) > 50 or len(gap.split()) > 5 or not ("," in gap or ";" in gap or lex.re("np_joiners").search(gap)):
        return False
    return not any(lex.re(key).search(gap) for key in ("strong_cues", "figure_cues"))


def _deadline(text: str, q: dict, dl: "_Dates", lo: int, hi: int) -> Optional[str]:
    """The deadline of a target: the date of its own clause (see ``_clause_date``), else the
    nearest date before it in the sentence."""
    i = bisect_right(dl.starts, q["start"]) - 1
    while i >= 0 and dl.dates[i].end > q["start"]:
        i -= 1
    j = bisect_left(dl.starts, q["end"])
    before = dl.dates[i] if i >= 0 and dl.starts[i] >= lo else None
    after = dl.dates[j] if j < len(dl.dates) and dl.starts[j] < hi else None
    own = _clause_date(text, q, before, after, dl.lang)
    if own is not None:
        return own.value
    return dl.dates[i].value if i >= 0 else None


def _clause_date(text: str, q: dict, before: Optional[DateMention], after: Optional[DateMention], lang: str) -> Optional[DateMention]:
    """Of the dates next to a quantity (since the previous one, up to the next one): one written
    after it with "by"/"vào năm" ("400 km by 2045"), else one before it with no comma between
    ("đến năm 2028 đạt 9 bác sĩ"), else one after it with no comma, else either."""
    after_ok = after is not None and not _CLAUSE_BREAK.search(text, q["end"], after.start)
    if after_ok and after.start - q["end"] <= 40 and _tail(lang, "deadline_after").search(text, max(q["end"], after.start - 20), after.start):
        return after
    if before is not None and not _CLAUSE_BREAK.search(text, before.end, q["start"]):
        return before
    if after_ok:
        return after
    marked = [d for d in (before, after) if d is not None and d.role == "deadline"]
    return marked[0] if marked else (before or after)


def _metric(text: str, lo: int, pos: int, lex: _Lex, counted: bool = False) -> Optional[str]:
    """The short name of what is measured, from the words right before the quantity ("GRDP growth"):
    after the last aim cue, before a report or hedge cue, without the verb that leads to the number."""
    window = text[max(lo, pos - 100) : pos]
    for key, keep_after in (("strong_cues", True), ("hedge_cues", False), ("figure_cues", False)):
        last = None
        for last in lex.re(key).finditer(window):
            pass
        if last is not None:
            window = window[last.end() :] if keep_after else window[: last.start()]
    words = _METRIC_WORD.findall(window)
    while words and any(lex.re(k).fullmatch(words[-1]) for k in ("np_stop", "ge", "le", "estimate_cues", "future_cues", "target_cues")):
        words.pop()
    if counted and _tail(lex.lang, "target_cues").search(" ".join(words)):
        return None  # "xây dựng 300 căn nhà": the verb leads to the number, the unit names it
    words = words[-lex.grammar("metric_words") :]
    while words and lex.re("np_stop").fullmatch(words[0]):
        words.pop(0)
    return " ".join(words) or None
