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
import json
import os
import threading
import time
from collections import Counter
from itertools import chain
from dataclasses import dataclass, field
from typing import IO, Callable, Iterable, Iterator, NamedTuple, Optional

from .errors import InputError, article_error
from .pipeline import Pipeline, error_record
from .readers import DEFAULT_MAX_BYTES, read_articles
from .schema import Article, ArticleRecord, content_id

#: test-only hook: a worker that extracts an article whose text contains this env var's value
#: exits at once (``os._exit``), as a worker killed by the OOM killer would.
CRASH_ENV = "DIRECTIVE_NLP_TEST_CRASH_MARKER"


@dataclass
class Summary:
    """Counts over one run, updated record by record.

    >>> s = Summary(); s.add(ArticleRecord(id="a", lang="vi")); (s.articles, s.by_lang)
    (1, {'vi': 1})
    """

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

    def add(self, rec: ArticleRecord) -> None:
        errs = [f"{e.source}{':' + str(e.line) if e.line else ''}: {e.reason}" for e in rec.errors]
        self.add_result(Result(rec.id, rec.status, rec.lang, len(rec.directives), errs, ""))

    def add_result(self, res: "Result") -> None:
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


# -- work items and results ------------------------------------------------------------------


class Result(NamedTuple):
    """One output record as the engines return it: its JSONL line plus what the summary needs."""

    id: str
    status: str
    lang: Optional[str]
    directives: int
    errors: list
    line: str


@dataclass
class WorkItem:
    """One input in order: an article to extract (``article``, a dict), or a record already
    decided without extraction (``result``: an unreadable input, a duplicate, a resumed id)."""

    index: int
    article: Optional[dict] = None
    result: Optional[Result] = None


@dataclass(frozen=True)
class Settings:
    """What a worker needs to build its ``Pipeline`` once."""

    lang: Optional[str] = None
    extractors: str = "ensemble"
    models_dir: Optional[str] = None


def result_of(rec: ArticleRecord) -> Result:
    """The ``Result`` of a record (serialised once, in the worker)."""
    errs = [f"{e.source}{':' + str(e.line) if e.line else ''}: {e.reason}" for e in rec.errors]
    return Result(rec.id, rec.status, rec.lang, len(rec.directives), errs, record_line(rec))


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
) -> Iterator[WorkItem]:
    """Work items in input order.  ``done`` counts ids already in the output (resume): each
    input whose id is there is skipped once.  Memory: a 16-byte hash and the id of each
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
            yield WorkItem(index, result=result_of(rec))
        else:
            yield WorkItem(index, article=item.model_dump())


# -- worker side -----------------------------------------------------------------------------

_PIPELINE: Optional[Pipeline] = None
_SETTINGS: Optional[Settings] = None
_INIT_LOCK = threading.Lock()  # a Dask worker with several threads builds its pipeline once


#: one short sentence per language: extracting them loads every lazy lexicon and tokenizer
_WARM_UP = {
    "en": "The Ministry of Finance shall submit Decree No. 15/2024/ND-CP by June 30, 2025.",
    "vi": "UBND thành phố giao Sở Tài chính chủ trì thực hiện Kế hoạch số 10/KH-UBND trước ngày 30/6/2025.",
}


def init_worker(settings: Settings) -> None:
    """Pool initializer: build the pipeline (lexicons, models) once per worker process.

    A no-op when this process already holds a pipeline for ``settings`` (a worker forked from
    a parent that called ``init_worker`` shares the parent's loaded lexicons).
    """
    global _PIPELINE, _SETTINGS
    with _INIT_LOCK:
        if _PIPELINE is not None and _SETTINGS == settings:
            return
        _one_blas_thread()
        pipe = load_pipeline(settings)
        for lang, text in _WARM_UP.items():
            try:
                pipe.extract(text, lang=settings.lang or lang)
            except Exception:  # warming up is an optimisation: a failure shows up on real input
                pass
        _PIPELINE, _SETTINGS = pipe, settings


def _one_blas_thread() -> None:
    """One BLAS/OpenMP thread per worker process (the pool already puts one worker on each
    core); the calling process itself is left alone."""
    import multiprocessing

    if multiprocessing.parent_process() is None:
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # only installed with the models extra (scikit-learn)
        return
    threadpool_limits(limits=1)


def load_pipeline(settings: Settings) -> Pipeline:
    """A ready pipeline: models loaded (or found missing) once, not on every article."""
    pipe = Pipeline(lang=settings.lang, extractors=settings.extractors, models_dir=settings.models_dir)
    pipe.load_models()
    return pipe


def worker_pipeline(settings: Settings) -> Pipeline:
    """This process's pipeline for ``settings`` (built on first use, then reused)."""
    init_worker(settings)
    assert _PIPELINE is not None
    return _PIPELINE


def extract_one(pipe: Pipeline, article: dict) -> Result:
    """Extract one article dict; any exception becomes an error record, never a dead worker."""
    marker = os.environ.get(CRASH_ENV)
    if marker and marker in article.get("text", ""):
        os._exit(86)  # test-only: simulate a worker killed mid-article
    art = Article(**article)
    try:
        rec = pipe.extract_article(art)
    except Exception as exc:  # a bug in an extractor must not stop a million-article run
        err = article_error(art, f"extraction failed: {type(exc).__name__}: {exc}", "internal")
        rec = error_record(art.id, err, text=art.text, input=art.input)
    return result_of(rec)


def process_chunk(items: list[WorkItem], settings: Optional[Settings] = None) -> list[Result]:
    """Results for a chunk, in order (runs in a worker)."""
    pipe = worker_pipeline(settings) if settings is not None else (_PIPELINE or worker_pipeline(Settings()))
    return [it.result if it.result is not None else extract_one(pipe, it.article) for it in items]


def crashed_result(item: WorkItem) -> Result:
    """The record of an article whose worker died twice (first run and the retry)."""
    art = Article(**item.article)
    err = article_error(art, "worker process died while extracting this article (retried once)", "worker_crash")
    return result_of(error_record(art.id, err, text=art.text, input=art.input))


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
        items = plan(paths, max_bytes=max_bytes, lang=settings.lang, done=writer.done_ids(), dedupe=dedupe)
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
