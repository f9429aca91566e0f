"""One error hierarchy: every failure names its input and the problem."""

from __future__ import annotations

import re
from typing import Optional

from .schema import ErrorRecord

_ROW_INPUT = re.compile(r"^(.*):(\d+)$", re.DOTALL)


def split_input(where: Optional[str]) -> tuple[Optional[str], Optional[int]]:
    """The source and line of an article's ``input``: readers write ``path:line`` for a row.

    >>> split_input("dump/part0.jsonl:100"), split_input("notes.txt")
    (('dump/part0.jsonl', 100), ('notes.txt', None))
    """
    m = _ROW_INPUT.match(where or "")
    return (m.group(1), int(m.group(2))) if m else (where, None)


def article_error(article, reason: str, code: str) -> ErrorRecord:
    """The error entry of an article that failed: its file in ``source``, its row in ``line``."""
    source, line = split_input(article.input)
    return ErrorRecord(source=source or article.id, line=line, reason=reason, code=code)


class DirectiveNLPError(Exception):
    """Base class of every error the library raises on purpose."""

    code = "error"


class InputError(DirectiveNLPError):
    """An input could not be read or understood: names the source, the line and the reason."""

    code = "input"

    def __init__(self, source: str, reason: str, line: Optional[int] = None, code: Optional[str] = None):
        self.source = source
        self.reason = reason
        self.line = line
        if code:
            self.code = code
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {reason}")

    def record(self) -> ErrorRecord:
        return ErrorRecord(source=self.source, line=self.line, reason=self.reason, code=self.code)


class UnsupportedLanguage(InputError):
    code = "language"


class ModelError(DirectiveNLPError):
    """A model file is missing, corrupt or made for another label set."""

    code = "model"


class EngineError(DirectiveNLPError):
    """A batch engine cannot start: a Dask scheduler out of reach, a missing extra."""

    code = "engine"


class LexiconError(DirectiveNLPError):
    """A lexicon data file is malformed."""

    code = "lexicon"
