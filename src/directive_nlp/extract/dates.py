"""Dates (EXTRACTION_SPEC.md section 2): calendar expressions with ISO 8601 values.

Numeric dates are day first.  A date without a year takes the year of the article's
publication date.  Two dates joined by a dash, or by "to"/"đến" after "from"/"từ", become one
interval.  Spans inside document ids are masked by the caller, so ``30/2020/NĐ-CP`` yields no
year.  Word lists (months, cue words, units) come from ``lexicons/<lang>/dates.yaml``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from ..lexicons import dates as date_words
from ..lexicons import trie_regex, word_alternation
from ..schema import DateMention

_Y = r"(?P<y>(?:19|20)\d\d)"
_SEP = r"\s?[/.\-]\s?"


@dataclass
class _Found:
    start: int
    end: int
    value: Optional[str]
    kind: str = "absolute"
    role: Optional[str] = None


def _valid(y: int, m: int, d: Optional[int] = None) -> bool:
    if not (1 <= m <= 12 and 1900 <= y <= 2100):
        return False
    if d is None:
        return True
    mdays = [31, 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return 1 <= d <= mdays[m - 1]


@lru_cache(maxsize=None)
def _patterns(lang: str) -> list[tuple[str, re.Pattern]]:
    w = date_words(lang)
    months = w.get("months") or {}
    # capitalized or upper-case month names only: "may" the modal verb is not a month
    month_alt = trie_regex([v for m in months for v in (m.capitalize(), m.upper())]) if months else None
    day_cues = word_alternation(w["day_cues"])
    month_cues = trie_regex([*w["deadline_cues"], *w["day_cues"]])
    pats: list[tuple[str, str]] = [
        # 5/5/2022, 05-5-2022, 11.6.1948
        ("dmy", rf"(?<![\d/.\-])(?P<d>\d{{1,2}}){_SEP}(?P<m>\d{{1,2}}){_SEP}{_Y}(?![\d/]|\.\d)"),
    ]
    if lang == "vi":
        pats += [
            ("dmy", rf"(?<!\w)ngày\s(?P<d>\d{{1,2}})\stháng\s(?P<m>\d{{1,2}})\s(?:năm\s)?{_Y}(?!\d)"),
            ("dm", rf"(?<![\w/])(?:{day_cues})\s(?:ngày\s)?(?P<d>\d{{1,2}})\s?[/\-.]\s?(?P<m>\d{{1,2}})(?![\d/]|\.\d|\s?[/\-]\s?\d)"),
            ("dm", r"(?<!\w)ngày\s(?P<d>\d{1,2})\stháng\s(?P<m>\d{1,2})(?!\d|\s(?:năm\s)?(?:19|20)\d\d)"),
            ("my", rf"(?<!\w)tháng\s(?P<m>\d{{1,2}})\s?(?:/|-|năm|\s)\s?{_Y}(?!\d)"),
            ("q", rf"(?<!\w)quý\s(?P<q>IV|I{{1,3}}|[1-4])(?:\s?(?:/|-|năm|\s)\s?{_Y})?(?![\w/])"),
        ]
    else:
        ord_q = word_alternation(w["ordinal_quarters"])
        pats += [
            ("mdy", rf"(?<!\w)(?P<mon>{month_alt})\.?\s(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s{_Y}(?!\d)"),
            ("dmy_w", rf"(?<![\w/])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s(?:of\s)?(?P<mon>{month_alt}),?\s{_Y}(?!\d)"),
            ("my_w", rf"(?<!\w)(?P<mon>{month_alt}),?\s(?:of\s)?{_Y}(?!\d)"),
            ("md", rf"(?<!\w)(?P<mon>{month_alt})\.?\s(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:]|,?\s(?:19|20)\d\d)"),
            ("dm_w", rf"(?<![\w/])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s(?:of\s)?(?P<mon>{month_alt})(?!,?\s(?:of\s)?(?:19|20)\d\d|\w)"),
            ("dm", rf"(?<![\w/])(?:{day_cues})\s(?P<d>\d{{1,2}})\s?/\s?(?P<m>\d{{1,2}})(?![\d/]|\s?/\s?\d)"),
            # a month alone after a cue ("in July", "by the end of September"): the publication year
            ("m", rf"(?<!\w)(?:{month_cues})\s(?:the\s)?(?:end\sof\s|early\s|late\s|mid-)?(?P<mon>{month_alt})(?![\w-]|\.?\s?\d|,?\s(?:of\s)?(?:19|20)\d\d)"),
            ("q", rf"(?<!\w)(?:the\s)?(?P<qw>{ord_q})\squarter(?:\s(?:of\s)?(?:the\s)?(?:year\s)?{_Y})?(?!\w)"),
            ("q", rf"(?<!\w)Q(?P<q>[1-4])(?:\s?[/\-]?\s?{_Y})?(?![\w/])"),
            ("q", rf"(?<!\w)quarter\s(?P<q>IV|I{{1,3}}|[1-4])(?:\s?[/\-]\s?{_Y})?(?![\w/])"),
        ]
    pats += [
        ("yy", r"(?<![\w/.,\-])(?P<y1>(?:19|20)\d\d)\s?[-–—]\s?(?P<y2>(?:19|20)\d\d)(?![\w/]|[.,]\d)"),
        ("y", r"(?<![\w/.,\-–])(?P<y>(?:19|20)\d\d)(?![\w/%]|[.,]\d|\s?[-–—]\s?\d)"),
    ]
    flags = re.IGNORECASE if lang == "vi" else 0
    return [(k, re.compile(p, flags)) for k, p in pats]


_DIGIT = re.compile(r"\d")


#: named groups that may hold a number in words or Roman numerals ("the first quarter", "quý II"): a pattern without
#: one matches figures only, so it cannot match a sentence without a digit
_SPELLED_GROUPS = ("qw", "q")
#: kinds written with words alone ("in July": a month without a day or a year)
_WORDY_KINDS = ("m",)


@lru_cache(maxsize=None)
def _wordy_patterns(lang: str) -> list[tuple[str, re.Pattern]]:
    """The patterns that can match a sentence without a digit (``tests/test_dates.py`` checks
    that the others find nothing in the digit-free corpus sentences)."""
    return [(k, p) for k, p in _patterns(lang) if k in _WORDY_KINDS or any(g in p.groupindex for g in _SPELLED_GROUPS)]


@lru_cache(maxsize=None)
def _after_quantity(lang: str) -> re.Pattern:
    return re.compile(r"\s?" + word_alternation(date_words(lang)["quantity_units"]), re.IGNORECASE)


@lru_cache(maxsize=None)
def _joiners(lang: str) -> tuple[re.Pattern, re.Pattern]:
    w = date_words(lang)
    to = re.compile(r"\s*(?:[-–—]|" + "|".join(map(re.escape, w["range_to"])) + r")\s*(?:năm|tháng|ngày)?\s*$", re.IGNORECASE)
    frm = re.compile(r"(?:^|\W)(?:" + "|".join(map(re.escape, w["range_from"])) + r")\s*(?:năm|tháng|ngày)?\s*$", re.IGNORECASE)
    return to, frm


@lru_cache(maxsize=None)
def _deadline_cue(lang: str) -> re.Pattern:
    return re.compile(r"(?:" + word_alternation(date_words(lang)["deadline_cues"]) + r")\s*(?:năm|ngày|tháng|the year)?\s*$", re.IGNORECASE)


def _month(lang: str, word: str) -> int:
    return int(date_words(lang)["months"][word.casefold().rstrip(".")])


def _value(kind: str, m: re.Match, lang: str, pub_year: Optional[int]) -> Optional[str]:
    g = m.groupdict()
    if kind == "dmy":
        y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
        return f"{y:04d}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else None
    if kind in ("mdy", "dmy_w"):
        y, mo, d = int(g["y"]), _month(lang, g["mon"]), int(g["d"])
        return f"{y:04d}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else None
    if kind in ("dm", "md", "dm_w"):
        mo = int(g["m"]) if g.get("m") else _month(lang, g["mon"])
        d = int(g["d"])
        if pub_year is None:
            return "" if _valid(2000, mo, d) else None
        return f"{pub_year:04d}-{mo:02d}-{d:02d}" if _valid(pub_year, mo, d) else None
    return _month_value(kind, g, lang, pub_year)


def _month_value(kind: str, g: dict, lang: str, pub_year: Optional[int]) -> Optional[str]:
    """Values of a month, a quarter, a year or a span of years (``_value`` for a day)."""
    if kind in ("my", "my_w"):
        y = int(g["y"])
        mo = int(g["m"]) if g.get("m") else _month(lang, g["mon"])
        return f"{y:04d}-{mo:02d}" if _valid(y, mo) else None
    if kind == "m":
        return f"{pub_year:04d}-{_month(lang, g['mon']):02d}" if pub_year else ""
    if kind == "q":
        if g.get("qw"):
            q = int(date_words(lang)["ordinal_quarters"][g["qw"].casefold()])
        else:
            q = {"I": 1, "II": 2, "III": 3, "IV": 4}.get(g["q"].upper()) or int(g["q"])
        y = int(g["y"]) if g.get("y") else pub_year
        return f"{y:04d}-Q{q}" if y else ""
    if kind == "yy":
        y1, y2 = int(g["y1"]), int(g["y2"])
        return f"{y1}/{y2}" if y1 < y2 else None
    if kind == "y":
        return g["y"]
    return None  # pragma: no cover


def find_dates(
    text: str,
    spans: list[tuple[int, int]],
    lang: str,
    published: Optional[str] = None,
    masked: list[tuple[int, int]] = (),
) -> list[DateMention]:
    """Date mentions in the content ``spans`` of ``text``; ``masked`` spans (document ids) are skipped."""
    pub_year = int(published[:4]) if published and re.match(r"\d{4}", published) else None
    found: list[_Found] = []
    taken = _Taken(masked)  # the spans do not overlap: one set of taken intervals serves them all
    for s0, s1 in spans:
        # a date written with figures needs a digit in the sentence (most sentences have none)
        pats = _patterns(lang) if _DIGIT.search(text, s0, s1) else _wordy_patterns(lang)
        for kind, pat in pats:
            found.extend(_matches(text, s0, s1, kind, pat, lang, pub_year, taken))
    found.sort(key=lambda f: f.start)
    found = _merge_intervals(text, found, lang)
    return [_mention(text, f, lang) for f in found]


def _matches(text: str, s0: int, s1: int, kind: str, pat: re.Pattern, lang: str, pub_year: Optional[int], taken: "_Taken") -> list[_Found]:
    """The dates one pattern finds in ``text[s0:s1]`` where nothing is taken yet (each is taken)."""
    out: list[_Found] = []
    for m in pat.finditer(text, s0, s1):
        a, b = m.span()
        if kind in ("dm", "m"):  # the cue word is not part of the date
            a = m.start("d" if kind == "dm" else "mon")
        if taken.overlaps(a, b) or (kind == "y" and _after_quantity(lang).match(text, b)):
            continue
        value = _value(kind, m, lang, pub_year)
        if value is None:
            continue
        taken.add(a, b)
        out.append(_Found(a, b, value or None, "absolute" if value else "relative"))
    return out


class _Taken:
    """Intervals already taken (document ids, dates found), kept merged and sorted, so that an
    overlap test and an insertion cost a bisect instead of a scan of every earlier one."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for a, b in sorted(spans):
            self.add(a, b)

    def overlaps(self, a: int, b: int) -> bool:
        """Whether ``[a, b)`` overlaps a taken interval (``a < end and b > start``)."""
        k = bisect_left(self.starts, b) - 1  # the last interval starting before b ends last
        return k >= 0 and self.ends[k] > a

    def add(self, a: int, b: int) -> None:
        k = bisect_left(self.starts, a)
        if k > 0 and self.ends[k - 1] > a:  # merge with the interval before
            k -= 1
            a, b = self.starts[k], max(b, self.ends[k])
            del self.starts[k], self.ends[k]
        while k < len(self.starts) and self.starts[k] < b:  # and with those it reaches
            b = max(b, self.ends[k])
            del self.starts[k], self.ends[k]
        self.starts.insert(k, a)
        self.ends.insert(k, b)


def _merge_intervals(text: str, found: list[_Found], lang: str) -> list[_Found]:
    to, frm = _joiners(lang)
    out: list[_Found] = []
    i = 0
    while i < len(found):
        a = found[i]
        if i + 1 < len(found) and a.value and found[i + 1].value:
            b = found[i + 1]
            between = text[a.end : b.start]
            dash = re.fullmatch(r"\s*[-–—]\s*", between) is not None
            if len(between) <= 12 and to.match(between) and (dash or frm.search(text[max(0, a.start - 12) : a.start])):
                if a.value < b.value:
                    out.append(_Found(a.start, b.end, f"{a.value}/{b.value}", role="period"))
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def _mention(text: str, f: _Found, lang: str) -> DateMention:
    role = f.role
    if role is None and f.value:
        if "/" in f.value:
            role = "period"
        elif _deadline_cue(lang).search(text[max(0, f.start - 25) : f.start]):
            role = "deadline"
        else:
            role = "event"
    return DateMention(text=text[f.start : f.end], start=f.start, end=f.end, value=f.value, kind=f.kind, role=role)
