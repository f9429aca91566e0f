"""Cleaning and segmentation: noise lines, datelines, sentences with offsets, language.

Articles are stored NFC-normalized (underthesea returns NFC tokens; NFD input would break the
alignment of offsets).  Every ``Segment`` indexes that stored text, noise included, so a mention
found in a sentence maps back to the article by adding the sentence's ``start``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Literal, Optional

from .errors import UnsupportedLanguage
from .lexicons import _load

LineKind = Literal["headline", "body", "bullet", "dateline", "noise"]

# letters only Vietnamese uses (French "à", "é", "ê" are not evidence)
_VI_CHARS = set("ăđơưằầềồờừỳắấếốớứảẳẩẻểỉỏổởủửỷẵẫẽễĩỗỡũữỹạặậẹệịọộợụựỵ")
_BULLET = re.compile(r"^\s{0,8}(?:[-+•*–—●▪◦]|\d{1,2}[.)]|[a-zđ][)]|[IVX]{1,4}[.)])\s")
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_DATEISH = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{4}\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\.? \d{1,2},? \d{4}\b"
)
_DATELINE_WORDS = re.compile(
    r"^\s*(?:ngày đăng|đăng ngày|cập nhật|cập nhật lúc|thứ (?:hai|ba|tư|năm|sáu|bảy)|chủ nhật|posted|published|updated)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Segment:
    """A sentence (or a noise line) of the article, with offsets into the article text."""

    start: int
    end: int
    text: str
    kind: LineKind

    @property
    def is_content(self) -> bool:
        return self.kind in ("headline", "body", "bullet")


def normalize(text: str) -> str:
    """NFC-normalize; the stored article text is this string."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=None)
def _noise() -> dict:
    data = _load("shared/noise.yaml")
    return {
        "exact": {s.casefold() for s in data["exact"]},
        "prefixes": tuple(s.casefold() for s in data["prefixes"]),
        "short_prefixes": tuple(s.casefold() for s in data["short_prefixes"]),
        "caption_suffixes": tuple(s.casefold() for s in data["caption_suffixes"]),
        "caption_markers": tuple(s.casefold() for s in data["caption_markers"]),
        "section_markers": {s.casefold() for s in data["section_markers"]},
    }


def classify_line(line: str) -> Optional[LineKind]:
    """``noise`` / ``dateline`` for lines that carry no article content, else None."""
    s = line.strip()
    if not s:
        return "noise"
    f = s.casefold().rstrip(" :")
    n = _noise()
    if f in n["exact"] or f in n["section_markers"] or f.startswith(n["prefixes"]):
        return "noise"
    if len(s) < 70 and not s.endswith(".") and f.startswith(n["short_prefixes"]):
        return "noise"
    if f.endswith(n["caption_suffixes"]) or (len(s) < 300 and any(m in f for m in n["caption_markers"])):
        return "noise"
    if len(s) < 90 and (_DATELINE_WORDS.match(s) or (_TIME.search(s) and _DATEISH.search(s))):
        return "dateline"
    if re.fullmatch(r"https?://\S+", s):
        return "noise"
    return None


def iter_lines(text: str) -> Iterator[tuple[int, int, str]]:
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        yield pos, pos + len(body), body
        pos += len(line)


#: a headline is one short line without a closing full stop; a first line longer than this, or
#: ending like a sentence, is the article's first paragraph (a pasted excerpt with no title)
_HEADLINE_MAX = 250


def _reads_as_headline(line: str) -> bool:
    """The first content line is the title unless it reads as a paragraph."""
    body = line.strip()
    return len(body) <= _HEADLINE_MAX and not body.endswith((".", ";", "…"))


def _line_kinds(text: str) -> list[tuple[int, int, str, LineKind]]:
    out: list[tuple[int, int, str, LineKind]] = []
    in_teasers = False
    seen_content = False
    for start, end, line in iter_lines(text):
        kind = classify_line(line)
        if kind is None and line.strip().casefold().rstrip(" :") in _noise()["section_markers"]:
            kind = "noise"
        if in_teasers:
            kind = "noise"
        elif line.strip().casefold().rstrip(" :") in _noise()["section_markers"] and seen_content:
            in_teasers = True
            kind = "noise"
        if kind is None:
            kind = "bullet" if _BULLET.match(line) else ("headline" if not seen_content and _reads_as_headline(line) else "body")
            seen_content = True
        out.append((start, end, line, kind))
    return out


class SentenceSplitter:
    """Sentences of one line: spaCy's sentencizer for English, underthesea for Vietnamese."""

    def __init__(self, lang: str):
        self.lang = lang
        self._split = None

    def split(self, line: str) -> list[str]:
        if self._split is None:
            if self.lang == "en":
                from .english import sentences

                self._split = sentences
            else:
                from .imports import underthesea

                self._split = underthesea().sent_tokenize
        return self._split(line)


@lru_cache(maxsize=None)
def splitter(lang: str) -> SentenceSplitter:
    return SentenceSplitter(lang)


def _align(line: str, parts: list[str], base: int) -> Iterator[tuple[int, int]]:
    """Offsets of each sentence string in ``line``; text the splitter dropped is skipped."""
    pos = 0
    for part in parts:
        part = part.strip()
        if not part:
            continue
        i = line.find(part, pos)
        if i < 0:  # the splitter changed the text: fall back to the rest of the line
            j = len(line) - len(line[pos:].lstrip())
            yield base + j, base + len(line.rstrip())
            return
        yield base + i, base + i + len(part)
        pos = i + len(part)


_SEMI_SPLIT_MIN = 40  # a long sentence is not split further; semicolons stay inside it


def segment(text: str, lang: str) -> list[Segment]:
    """Every line of ``text`` as segments: noise lines whole, content lines as sentences."""
    segs: list[Segment] = []
    split = splitter(lang).split
    for start, end, line, kind in _line_kinds(text):
        if not line.strip():
            continue
        if kind in ("noise", "dateline"):
            lead = len(line) - len(line.lstrip())
            segs.append(Segment(start + lead, start + len(line.rstrip()), line.strip(), kind))
            continue
        for s, e in _align(line, split(line), start):
            segs.append(Segment(s, e, text[s:e], kind))
    return segs


def detect_language(text: str, source: str = "<text>") -> str:
    """``vi`` or ``en``; any other language raises ``UnsupportedLanguage`` naming it."""
    sample = text[:5000]
    letters = [c for c in sample.casefold() if c.isalpha()]
    if not letters:
        raise UnsupportedLanguage(source, "no text to detect a language from", code="language")
    vi_ratio = sum(c in _VI_CHARS for c in letters) / len(letters)
    if vi_ratio > 0.02:
        return "vi"
    words = re.findall(r"[a-z]+", sample.casefold())
    if words:
        common = sum(w in {"the", "of", "and", "to", "in", "is", "for", "on", "that", "with"} for w in words)
        if common / len(words) > 0.08:
            return "en"
    try:
        from langdetect import DetectorFactory, detect

        DetectorFactory.seed = 0
        guess = detect(sample)
    except Exception:  # langdetect raises on text without features
        guess = "unknown"
    if guess in ("vi", "en"):
        return guess
    raise UnsupportedLanguage(source, f"unsupported language: {guess}", code="language")
