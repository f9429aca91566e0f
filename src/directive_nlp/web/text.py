"""Text at the desk's intake and in its searches: line ends, bad code points, accent folding, titles.

    >>> fold("Sở Kế hoạch và Đầu tư")
    'so ke hoach va dau tu'
    >>> clean_text("a\\r\\nb\\rc")
    'a\\nb\\nc'
    >>> short_title("Sở Tài chính chủ trì rà soát các khoản chi thường xuyên của tỉnh", 30)
    'Sở Tài chính chủ trì rà soát…'
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

from ..errors import InputError

_SPACE = re.compile(r"\s+")
_FIRST_LINE = re.compile(r"[^\n]*")


def clean_text(text: str) -> str:
    """Line ends as ``\\n`` (a pasted ``\\r\\n`` would shift every browser offset by one per line)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_text(text: str, where: str) -> str:
    """``text`` if it can be stored as UTF-8; ``InputError`` naming ``where`` for a lone surrogate."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(where, f"text holds an invalid character (a lone surrogate, U+{ord(text[exc.start]):04X}) at position {exc.start}") from None
    return text


def fold(text: Optional[str]) -> str:
    """Lower case without accents (``đ`` -> ``d``) and single spaces: what accent-blind search compares."""
    if not text:
        return ""
    s = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return _SPACE.sub(" ", s.casefold()).strip()


def short_title(text: str, limit: int = 80) -> str:
    """The first line of ``text``, cut at a word boundary to at most ``limit`` characters (with …)."""
    line = " ".join(_FIRST_LINE.match(text.strip()).group(0).split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:-–") + "…"
