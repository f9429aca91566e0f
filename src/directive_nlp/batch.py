"""Batch extraction: inputs -> records -> a writer, with error records and a summary.

Shared by the CLI (``directive-nlp extract``), the engines (``engines.local`` runs a process
pool, ``engines.dask_engine`` a Dask cluster) and the editor desk.

The batch flow at scale is three streams joined in input order:

1. ``plan(paths, ...)`` reads the inputs lazily and yields ``WorkItem`` objects: an article to
   extract, or an already-resolved line (an unreadable input, a duplicate text).  It also skips
   the articles already present in the output when resuming.
2. an engine maps chunks of work items to ``Result`` objects with ``process_chunk`` (run in the
   workers, one ``Pipeline`` per worker) and yields them in input order, so the output is the
   same bytes whatever the number of workers.
3. a writer (``writers.py``) appends them, whole lines or whole Parquet parts at a time.

    >>> from directive_nlp.batch import run_batch
    >>> summary = run_batch(["corpus/sample"], "out.jsonl", workers=2)  # doctest: +SKIP
    >>> summary.articles, summary.failed  # doctest: +SKIP
    (5, 0)
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import Counter
from dataclasses import replace
from itertools import chain
from typing import IO, Callable, Iterable, Iterator, Optional

from .errors import InputError, article_error
from .pipeline import Pipeline, error_record
from .readers import DEFAULT_MAX_BYTES, read_articles
from .schema import Article, ArticleRecord, content_id
from .work import Result, Settings, Summary, WorkItem
from .worker import CRASH_ENV, init_worker, process_chunk  # noqa: F401  (re-exported: the batch API)
from .writers import encode, record_line


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


def text_hash(text: str) -> bytes:
    """The content hash used to find identical texts (16 bytes of SHA-256)."""
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


def duplicate_record(article: Article, first_id: str) -> ArticleRecord:
    """The record of a later copy of an already-seen text: no extraction, a pointer to the first.

    >>> duplicate_record(Article(id="b", text="x", input="b.txt"), "a").errors[0].reason
    'identical text to article a: extracted once, under that id'
    """
    rid = article.id if article.id != first_id else content_id(first_id, article.input, prefix="dup-")
    err = article_error(article, f"identical text to article {first_id}: extracted once, under that id", "duplicate")
    return ArticleRecord(id=rid, lang=article.lang, published=article.published, url=article.url, title=article.title, input=article.input, errors=[err], status="duplicate")


def plan(
    paths: Iterable[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    lang: Optional[str] = None,
    done: Optional[Counter] = None,
    dedupe: bool = True,
    fmt: str = "jsonl",
) -> Iterator[WorkItem]:
    """Work items in input order (records decided here are shaped for output format ``fmt``).
    ``done`` counts ids already in the output (resume): each input whose id is there is skipped
    once.  Memory: a 16-byte hash and the id of each
    distinct text for the duplicate check, nothing else per article."""
    seen: dict[bytes, str] = {}
    done = done if done is not None else Counter()
    for index, item in enumerate(read_articles(paths, max_bytes=max_bytes, lang=lang)):
        rec = None
        if isinstance(item, InputError):
            rec = error_record(None, item.record(), input=item.source)
        elif dedupe:
            key = text_hash(item.text)
            first = seen.get(key)
            if first is None:
                seen[key] = item.id
            else:
                rec = duplicate_record(item, first)
        rid = rec.id if rec is not None else item.id
        if done.get(rid, 0) > 0:
            done[rid] -= 1
            yield WorkItem(index, result=Result(rid, "skipped", None, 0, [], ""))
            continue
        if rec is not None:
            yield WorkItem(index, result=encode(rec, fmt))
        else:
            yield WorkItem(index, article=item.model_dump())


# -- the driver -----------------------------------------------------------------------------


def run_batch(
    paths: Iterable[str],
    output: str,
    fmt: str = "jsonl",
    workers: Optional[int] = None,
    engine: str = "local",
    scheduler: Optional[str] = None,
    resume: bool = False,
    settings: Settings = Settings(),
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: bool = False,
    fail_fast: bool = False,
    chunk_size: int = 16,
    rows_per_part: int = 10_000,
    dedupe: bool = True,
    stop: Optional[threading.Event] = None,
) -> Summary:
    """Extract every input to ``output`` with ``workers`` processes (or a Dask cluster).

    ``fmt`` is jsonl (a file or '-'), parquet (a folder of parts), json or csv.  Returns the
    summary of the records written in this run (``skipped`` counts those already there).
    ``fail_fast`` writes the first failed input's record and stops there; ``stop`` (set by a
    signal handler, say) stops after the chunk in flight is written.  Either way
    ``summary.stopped`` says why, and ``--resume`` carries on from there.

        >>> run_batch(["a.jsonl"], "out", fmt="parquet", workers=4, resume=True)  # doctest: +SKIP
    """
    from .writers import open_writer

    paths = list(paths)
    workers = workers or os.cpu_count() or 1
    settings = replace(settings, fmt=fmt)
    writer = open_writer(output, fmt, resume=resume, rows_per_part=rows_per_part)
    summary = Summary()
    started = time.monotonic()
    bar = _progress(paths, max_bytes, progress)

    def take(results: list[Result]) -> bool:
        """Count and write one chunk; True when the run must stop here."""
        out = []
        for res in results:
            if res.status == "skipped":
                summary.skipped += 1
                continue
            summary.add_result(res)
            out.append(res)
            if fail_fast and res.status == "error":  # its record is written, then the run stops
                summary.stopped = "fail-fast"
                break
        writer.write(out)
        if bar is not None:
            bar.update(len(results))
            bar.set_postfix(errors=summary.failed, dup=summary.duplicates, refresh=False)
        if stop is not None and stop.is_set() and summary.stopped is None:
            summary.stopped = getattr(stop, "reason", None) or "stop"
        return summary.stopped is not None

    try:
        items = plan(paths, max_bytes=max_bytes, lang=settings.lang, done=writer.done_ids(), dedupe=dedupe, fmt=fmt)
        first = _write_resolved_head(items, take, chunk_size)
        if first is not None:
            _run_engine(chain([first], items), take, engine, workers, settings, scheduler, chunk_size)
    finally:
        writer.close()
        if bar is not None:
            bar.close()
    summary.seconds = time.monotonic() - started
    return summary


def _write_resolved_head(items: Iterator[WorkItem], take: Callable[[list], bool], chunk_size: int) -> Optional[WorkItem]:
    """Write the inputs that need no extraction (missing, unreadable, resumed) up to the first
    article to extract, and return that article: an input's own problem is reported before
    any worker starts or model loads.  None when nothing is left to extract or the run stops."""
    head: list[Result] = []
    for item in items:
        if item.result is None:
            return None if take(head) else item
        head.append(item.result)
        if len(head) >= chunk_size:
            if take(head):
                return None
            head = []
    take(head)
    return None


def _run_engine(items: Iterable[WorkItem], take: Callable[[list], bool], engine: str, workers: int, settings: Settings,
                scheduler: Optional[str], chunk_size: int) -> None:
    from .engines import make_engine

    with make_engine(engine, workers=workers, settings=settings, scheduler=scheduler, chunk_size=chunk_size) as eng:
        for chunk in eng.run(items):
            if take(chunk):
                return  # leaving the engine with chunks in flight stops its workers


def _progress(paths: list[str], max_bytes: int, enabled: bool):
    """A tqdm bar on stderr (articles/s, errors so far, ETA) or None when not wanted."""
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=estimate_total(paths), unit="art", desc="extract", dynamic_ncols=True, smoothing=0.1, mininterval=0.5)


def estimate_total(paths: list[str]) -> Optional[int]:
    """A quick count of the input articles for the progress bar's ETA (None when unknown).

    Text and HTML files count one each, JSONL/CSV their non-empty lines (a CSV row spanning
    several lines is over-counted), Parquet its row count from the footer; stdin is unknown.
    """
    from pathlib import Path

    from .readers import SUFFIXES

    total = 0
    for p in paths:
        if p == "-":
            return None
        path = Path(p)
        files = sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES) if path.is_dir() else [path]
        for f in files:
            total += _count_file(f)
    return total


def _count_file(path) -> int:
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        if suffix in (".jsonl", ".ndjson", ".csv"):
            with open(path, "rb") as fh:
                n = sum(1 for line in fh if line.strip())
            return max(0, n - 1) if suffix == ".csv" else n
    except Exception:  # an unreadable input becomes one error record
        return 1
    return 1
