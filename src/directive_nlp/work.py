"""The batch run's plain data types, shared by the planner, the engines and the writers.

``WorkItem`` goes from the planner (``batch.plan``) to an engine; a worker turns it into a
``Result`` (the record's JSONL line plus what the summary and the writer of the run's format
need); ``Summary`` counts the results.  Nothing here imports the pipeline, the engines or the
writers, so each of them can import this module without a cycle.

    >>> s = Summary(); s.add_result(Result("a", "ok", "vi", 2, [], "{}")); (s.articles, s.directives, s.by_lang)
    (1, 2, {'vi': 1})
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Iterable, Iterator, NamedTuple, Optional


class Result(NamedTuple):
    """One output record as the engines return it: its JSONL line, what the summary needs and
    ``row``, the record already shaped for the run's format where that is not JSON (a Parquet
    row, CSV rows; None otherwise)."""

    id: str
    status: str
    lang: Optional[str]
    directives: int
    errors: list
    line: str
    row: Any = None


@dataclass
class WorkItem:
    """One input in order: an article to extract (``article``, a dict), or a record already
    decided without extraction (``result``: an unreadable input, a duplicate, a resumed id)."""

    index: int
    article: Optional[dict] = None
    result: Optional[Result] = None


@dataclass(frozen=True)
class Settings:
    """What a worker needs to build its ``Pipeline`` once, and the output format its results
    are shaped for."""

    lang: Optional[str] = None
    extractors: str = "ensemble"
    models_dir: Optional[str] = None
    fmt: str = "jsonl"


@dataclass
class Summary:
    """Counts over one run, updated result by result."""

    articles: int = 0
    failed: int = 0
    duplicates: int = 0
    directives: int = 0
    skipped: int = 0
    by_lang: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    seconds: float = 0.0
    #: why the run ended before the last input: "fail-fast", or the name of the signal that stopped it
    stopped: Optional[str] = None

    def add(self, rec) -> None:
        """Count one ``ArticleRecord``."""
        self.add_result(Result(rec.id, rec.status, rec.lang, len(rec.directives), error_lines(rec), ""))

    def add_result(self, res: Result) -> None:
        """Count one ``Result`` (what the engines yield)."""
        self.articles += 1
        if res.status == "error":
            self.failed += 1
            if len(self.errors) < 1000:  # keep memory flat on a run with millions of failures
                self.errors.extend(res.errors)
        elif res.status == "duplicate":
            self.duplicates += 1
        else:
            self.directives += res.directives
            self.by_lang[res.lang] = self.by_lang.get(res.lang, 0) + 1

    @property
    def rate(self) -> float:
        """Articles per second over the run."""
        return self.articles / self.seconds if self.seconds > 0 else 0.0


def error_lines(rec) -> list[str]:
    """``source[:line]: reason`` for each error of a record."""
    return [f"{e.source}{':' + str(e.line) if e.line else ''}: {e.reason}" for e in rec.errors]


def chunked(items: Iterable, size: int) -> Iterator[list]:
    """Lists of up to ``size`` items, in order.

    >>> [len(c) for c in chunked(range(5), 2)]
    [2, 2, 1]
    """
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk
