"""Batch extraction: inputs -> records -> a writer, with error records and a summary.

Shared by the CLI (``directive-nlp extract``), the Dask engine and the editor desk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import IO, Callable, Iterable, Iterator, Optional

from .errors import InputError
from .pipeline import Pipeline, error_record
from .readers import DEFAULT_MAX_BYTES, read_articles
from .schema import Article, ArticleRecord


@dataclass
class Summary:
    articles: int = 0
    failed: int = 0
    duplicates: int = 0
    directives: int = 0
    by_lang: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    def add(self, rec: ArticleRecord) -> None:
        self.articles += 1
        if rec.status == "error":
            self.failed += 1
            self.errors.extend(f"{e.source}{':' + str(e.line) if e.line else ''}: {e.reason}" for e in rec.errors)
        elif rec.status == "duplicate":
            self.duplicates += 1
        else:
            self.directives += len(rec.directives)
            self.by_lang[rec.lang] = self.by_lang.get(rec.lang, 0) + 1


def records(
    paths: Iterable[str],
    pipeline: Pipeline,
    max_bytes: int = DEFAULT_MAX_BYTES,
    lang: Optional[str] = None,
    fail_fast: bool = False,
) -> Iterator[ArticleRecord]:
    """One record per input article, in input order; unreadable inputs give error records."""
    for item in read_articles(paths, max_bytes=max_bytes, lang=lang):
        if isinstance(item, InputError):
            if fail_fast:
                raise item
            yield error_record(None, item.record(), input=item.source)
            continue
        rec = pipeline.extract_article(item)
        if fail_fast and rec.status == "error":
            raise InputError(rec.errors[0].source, rec.errors[0].reason, rec.errors[0].line)
        yield rec


def record_line(rec: ArticleRecord) -> str:
    """The JSONL line of a record: compact, keys in schema order, non-ASCII kept."""
    return json.dumps(rec.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))


def write_jsonl(recs: Iterable[ArticleRecord], out: IO[str], on_record: Optional[Callable[[ArticleRecord], None]] = None) -> Summary:
    summary = Summary()
    for rec in recs:
        out.write(record_line(rec) + "\n")
        summary.add(rec)
        if on_record:
            on_record(rec)
    out.flush()
    return summary


def article_from_record(rec: dict) -> Article:
    return Article(id=rec["id"], text=rec.get("text", ""), lang=rec.get("lang"), published=rec.get("published"), url=rec.get("url"), title=rec.get("title"), input=rec.get("input"))
