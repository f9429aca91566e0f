"""One error hierarchy: every failure names its input and the problem."""

from __future__ import annotations

from typing import Optional

from .schema import ErrorRecord


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


class LexiconError(DirectiveNLPError):
    """A lexicon data file is malformed."""

    code = "lexicon"
