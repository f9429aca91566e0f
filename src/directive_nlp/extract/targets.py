"""Numeric targets and reported figures (EXTRACTION_SPEC.md section 4).

A quantity is a number with a unit (a percentage, money with its scale, or a counted noun).
It is a *target* when its clause aims at it ("phấn đấu", "strive to", "at least", "by 2025", an
imperative task sentence) and a *figure* when the clause reports or forecasts it ("ước đạt",
"expected to reach", "up 19.6% compared to").  Counts of work items ("7 nội dung", "9 key
groups of tasks") are neither.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Union

from ..lexicons import cues, word_alternation
from ..schema import DateMention, Figure, Target

Number = Union[int, float]

_NUM = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"

# money: "492.309 tỷ đồng", "VND492,309 billion", "USD7.4 billion", "2 tỷ USD", "1.500 triệu đồng"
_SCALE_VI = {"nghìn tỷ": "trillion", "ngàn tỷ": "trillion", "tỷ": "billion", "triệu": "million", "nghìn": "thousand", "ngàn": "thousand"}
_CUR_VI = {"đồng": "VND", "VNĐ": "VND", "VND": "VND", "USD": "USD", "đô la Mỹ": "USD", "đô la": "USD", "EUR": "EUR"}


@lru_cache(maxsize=None)
def _quantity(lang: str) -> re.Pattern:
    c = cues(lang)
    word_nums = word_alternation(c.mapping("targets", "word_numbers"))
    rng = rf"(?P<lo>{_NUM})\s?(?:%\s?)?(?:[-–—]|đến|to)\s?(?P<hi>{_NUM})"
    if lang == "vi":
        unit = r"(?P<pct>%)|(?P<scale>nghìn tỷ|ngàn tỷ|tỷ|triệu|nghìn|ngàn)\s?(?P<cur>đồng|VNĐ|VND|USD|đô la Mỹ|đô la|EUR)?|(?P<times>lần)|(?P<noun>(?:[^\W\d_]+\s?){1,4})"
        return re.compile(
            rf"(?<![\w.,/])(?:(?P<word>{word_nums})|(?:{rng}|(?P<num>{_NUM}))\s?(?:{unit}))",
            re.IGNORECASE,
        )
    unit = r"(?P<pct>%|\s?per\s?cent\b|\s?percentage points\b)|\s?(?P<scale>trillion|billion|million|thousand)(?:\s(?P<scale2>billion))?(?:\s(?P<cur2>VND|USD|dong))?|\s?(?P<times>times|fold)|\s(?P<noun>(?:[A-Za-z][\w-]*\s?){1,4})"
    return re.compile(
        rf"(?<![\w.,/])(?:(?P<word>{word_nums})|(?:(?P<cur>VND|USD|US\$|\$)\s?)?(?:{rng}|(?P<num>{_NUM}))(?:{unit})?)"
    )


def parse_number(s: str, lang: str) -> Number:
    """A number written in the article's convention.

    Vietnamese writes ``492.309`` for 492309 and ``1,3`` for 1.3; English the reverse.  A
    separator followed by exactly three digits is a thousands separator in either language.

    >>> parse_number("492.309", "vi"), parse_number("1,3", "vi"), parse_number("492,309", "en")
    (492309, 1.3, 492309)
    """
    thousands, decimal = (".", ",") if lang == "vi" else (",", ".")
    if re.fullmatch(rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+", s):
        return int(s.replace(thousands, ""))
    if re.fullmatch(rf"\d{{1,3}}(?:{re.escape(decimal)}\d{{3}})+", s) and s.count(decimal) > 1:
        return int(s.replace(decimal, ""))
    if lang == "vi" and re.fullmatch(r"\d+\.\d{1,2}", s):  # "8.5%" written English-style
        v = float(s)
    else:
        s2 = s.replace(thousands, "") if re.search(rf"{re.escape(thousands)}\d{{3}}(?!\d)", s) else s
        v = float(s2.replace(decimal, ".").replace(thousands, "."))
    return int(v) if v == int(v) else v


def _unit(m: re.Match, lang: str) -> Optional[str]:
    g = m.groupdict()
    if g.get("pct"):
        return "%"
    if g.get("times"):
        return "times"
    if g.get("scale"):
        scale = _SCALE_VI.get(g["scale"].lower(), g["scale"].lower()) if lang == "vi" else g["scale"].lower()
        if g.get("scale2"):
            scale = f"{scale} {g['scale2']}"
        cur = g.get("cur") if lang == "vi" else (g.get("cur") or g.get("cur2"))
        cur = _CUR_VI.get(cur, cur) if cur else None
        if cur in ("$", "US$"):
            cur = "USD"
        if cur == "dong":
            cur = "VND"
        if lang == "vi" and cur is None:
            return None  # "2 triệu người" is a count, handled as a noun
        return f"{cur} {scale}" if cur else scale
    if g.get("cur"):
        return g["cur"].replace("US$", "USD").replace("$", "USD")
    return None


@lru_cache(maxsize=None)
def _stop_words(lang: str) -> re.Pattern:
    words = {
        "vi": "và|của|tại|trên|đến|trong|để|với|cho|theo|từ|là|được|đạt|thì|mà|so|năm|vào|bằng|đã|sẽ|có|các|những|này|đó|trở|lên|ít|nhất|tối|thiểu|người|mỗi|mới|khoảng|gần|hơn|còn|lại|thêm|nữa|giai|đoạn|đồng|thời|sau|trước|khi|nhằm|gồm|bao|như|hoặc|hay|ra|về|ở|tới",
        "en": "and|of|in|at|on|to|for|with|by|from|that|which|is|are|was|were|be|the|a|an|as|per|compared|than|or|into|under|over|across|through|will|would|should|must|have|has|had|while|who|whose|this|these|those|each|more|less|respectively|including|such|so|being|established|started|out|up|down",
    }[lang]
    return re.compile(rf"^(?:{words})$", re.IGNORECASE)


_EN_ADJ = {"remaining", "new", "additional", "more", "other", "key", "major", "specialty", "speciality", "large", "small", "about", "nearly", "around", "over", "some", "total", "all"}


def _noun_unit(noun: str, lang: str) -> Optional[str]:
    words: list[str] = []
    for w in noun.split():
        if _stop_words(lang).match(w):
            break
        words.append(w)
    if lang == "en":
        while words and words[0].lower() in _EN_ADJ:
            words.pop(0)
        words = words[:3]
    else:
        words = words[:3]
    return " ".join(words) or None


def _is_meta(unit: str, lang: str) -> bool:
    meta = {w.casefold() for w in cues(lang).words("targets", "meta_units")}
    u = unit.casefold()
    return u in meta or u.split()[0] in meta or (lang == "en" and u.split()[-1] in meta)


def find_quantities(text: str, s0: int, s1: int, lang: str) -> list[dict]:
    """Every number with a unit in ``text[s0:s1]``: value, unit, comparator hint and span."""
    out: list[dict] = []
    for m in _quantity(lang).finditer(text, s0, s1):
        g = m.groupdict()
        a, b = m.span()
        if g.get("word"):
            v = cues(lang).mapping("targets", "word_numbers")[next(k for k in cues(lang).mapping("targets", "word_numbers") if k.casefold() == g["word"].casefold())]
            out.append({"start": a, "end": b, "value": v, "unit": "%", "comparator": ">="})
            continue
        unit = _unit(m, lang)
        if unit is None and g.get("noun"):
            unit = _noun_unit(g["noun"], lang)
            if unit is None or _is_meta(unit, lang) or _NOT_COUNT[lang].search(text[max(s0, a - 14) : a]):
                continue
            if lang == "vi" and not unit[0].islower():
                continue  # "tuyến số 5 Văn Cao": a name, not a counted noun
            b = m.start("noun") + g["noun"].find(unit.split()[-1]) + len(unit.split()[-1]) if unit.split()[-1] in g["noun"] else b
        if unit is None or (unit in ("VND", "USD") and not g.get("scale")) and lang == "en" and not g.get("cur"):
            continue
        if re.fullmatch(r"(?:19|20)\d\d", g.get("num") or "") and unit not in ("%",) and not g.get("scale"):
            continue  # a year, not a quantity
        if g.get("lo"):
            lo, hi = parse_number(g["lo"], lang), parse_number(g["hi"], lang)
            if lo >= hi or (re.fullmatch(r"(?:19|20)\d\d", g["lo"]) and re.fullmatch(r"(?:19|20)\d\d", g["hi"])):
                continue  # "2026-2030" is a period, not a range of values
            out.append({"start": a, "end": b, "value": [lo, hi], "unit": unit, "comparator": "range"})
        else:
            num = g.get("num")
            if num is None:
                continue
            q = {"start": a, "end": b, "value": parse_number(num, lang), "unit": unit, "comparator": None}
            out.append(q)
    return out


# a number after these is an ordinal, a line number or a document number, not a count
_NOT_COUNT = {
    "vi": re.compile(r"(?:thứ|số|tuyến|khóa|khoá|lần|kỳ|nghị quyết|kết luận|chỉ thị|quyết định|kế hoạch|chương trình|đề án|thông báo|điều|khoản|mục|\")\s?$", re.IGNORECASE),
    "en": re.compile(r"(?:No\.|number|line|Resolution|Conclusion|Directive|Decision|Plan|Program|Programme|Project|Article|Clause|the|\")\s?$"),
}

# "43/43 cụm": the number before the slash
_OF = re.compile(r"(?<![\w/.,])(\d{1,6})\s?/\s?(\d{1,6})\s")


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
    c = cues(lang)
    targets: list[Target] = []
    figures: list[Figure] = []
    for s0, s1 in spans:
        quants = find_quantities(text, s0, s1, lang)
        quants.extend(_fractions(text, s0, s1, lang, quants))
        if not quants:
            continue
        quants.sort(key=lambda q: q["start"])
        is_directive = (s0, s1) in directive_spans
        for q in quants:
            clause0 = _clause_start(text, s0, q["start"])
            before = text[clause0 : q["start"]]
            near = text[max(s0, q["start"] - 50) : q["start"]]
            after = text[q["end"] : min(s1, q["end"] + 60)]
            # the aim can be stated once for a list: "phấn đấu …: a; b; c"
            strong = c.regex("targets", "strong_cues").search(text[s0 : q["start"]]) or c.regex("targets", "strong_cues").search(after[:25])
            target_cue = c.regex("targets", "cues").search(before)
            fig = c.regex("targets", "figure_cues").search(near) or re.match(r"\s*(?:\(|so với|compared|year-on-year|up\b|down\b|over the same)", after, re.IGNORECASE)
            past = _past_year(dates, s0, q["start"], published)
            if (strong and not (fig and past)) or (is_directive and not fig and not past):
                comparator = q["comparator"] or _comparator(before[-40:], after[:30], lang)
                value = q["value"]
                if comparator == "<=" and re.search(r"\btop\b", before[-15:], re.IGNORECASE):
                    q["unit"] = "rank"
                deadline = _deadline(q, dates, s0, s1)
                t = Target(text=text[q["start"] : q["end"]], start=q["start"], end=q["end"], value=value, unit=q["unit"], comparator=comparator, deadline=deadline, metric=_metric(before, lang), of=q.get("of"))
                targets.append(t)
            elif fig or past or target_cue:
                est = c.regex("targets", "estimate_cues").search(near)
                figures.append(
                    Figure(text=text[q["start"] : q["end"]], start=q["start"], end=q["end"], value=q["value"], unit=q["unit"], metric=_metric(before, lang), status="estimate" if est else "actual")
                )
    return targets, figures


def _past_year(dates: list[DateMention], s0: int, pos: int, published: Optional[str]) -> bool:
    """A year before ``published`` stated earlier in the sentence: "Năm 2023, GRDP tăng 10,05%"."""
    if not published or not published[:4].isdigit():
        return False
    pub = int(published[:4])
    for d in dates:
        if s0 <= d.start < pos and d.value and d.kind == "absolute" and "/" not in d.value and d.value[:4].isdigit():
            if int(d.value[:4]) < pub and d.role != "deadline":
                return True
    return False


def _fractions(text: str, s0: int, s1: int, lang: str, quants: list[dict]) -> list[dict]:
    out = []
    for m in _OF.finditer(text, s0, s1):
        rest = text[m.end() : min(s1, m.end() + 40)]
        unit = _noun_unit(rest, lang)
        if not unit or _is_meta(unit, lang):
            continue
        n, d = int(m.group(1)), int(m.group(2))
        if n > d:
            continue
        end = m.end() + rest.find(unit) + len(unit)
        out.append({"start": m.start(), "end": end, "value": n, "unit": unit, "comparator": "=", "of": d})
    covered = [(q["start"], q["end"]) for q in out]
    quants[:] = [q for q in quants if not any(a <= q["start"] < b for a, b in covered)]
    return out


def _clause_start(text: str, s0: int, pos: int) -> int:
    seg = text[s0:pos]
    cut = max(seg.rfind(";"), seg.rfind(":"))
    return s0 + cut + 1 if cut >= 0 else s0


def _comparator(before: str, after: str, lang: str) -> str:
    c = cues(lang)
    ge = c.regex("targets", "ge")
    le = c.regex("targets", "le")
    if re.match(r"\s*(?:trở lên|or more|and above|or higher|or above)", after, re.IGNORECASE):
        return ">="
    tail = before[-30:]
    mge, mle = None, None
    for m in ge.finditer(tail):
        mge = m
    for m in le.finditer(tail):
        mle = m
    if mge and (not mle or mge.start() > mle.start()):
        return ">="
    if mle:
        return "<="
    return "="


def _deadline(q: dict, dates: list[DateMention], s0: int, s1: int) -> Optional[str]:
    inside = [d for d in dates if s0 <= d.start < s1 and d.value and d.kind == "absolute" and d.role != "issued"]
    after = [d for d in inside if d.start >= q["end"]]
    if after:
        return after[0].value
    before = [d for d in inside if d.end <= q["start"]]
    return before[-1].value if before else None


def _metric(before: str, lang: str) -> Optional[str]:
    words = re.findall(r"[^\W\d_][\w&-]*", before)[-6:]
    stop = _stop_words(lang)
    while words and stop.match(words[-1]):
        words.pop()
    return " ".join(words[-4:]) or None
