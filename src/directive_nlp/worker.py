"""The worker side of a batch run: one ``Pipeline`` per process, chunks of work items in,
``Result`` objects out (shaped for the run's output format by ``writers.encode``).

The engines (``engines.local``, ``engines.dask_engine``) call ``init_worker`` once per process
and ``process_chunk`` per chunk; an exception while extracting one article becomes that
article's error record, never a dead worker.
"""

from __future__ import annotations

import os
import threading
from typing import Optional

from .errors import article_error
from .pipeline import Pipeline, error_record
from .schema import Article
from .work import Result, Settings, WorkItem
from .writers import encode

#: test-only hook: a worker that extracts an article whose text contains this env var's value
#: exits at once (``os._exit``), as a worker killed by the OOM killer would.
CRASH_ENV = "DIRECTIVE_NLP_TEST_CRASH_MARKER"

_PIPELINE: Optional[Pipeline] = None
_SETTINGS: Optional[Settings] = None
_INIT_LOCK = threading.Lock()  # a Dask worker with several threads builds its pipeline once


#: one short sentence per language: extracting them loads every lazy lexicon and tokenizer
_WARM_UP = {
    "en": "The Ministry of Finance shall submit Decree No. 15/2024/ND-CP by June 30, 2025.",
    "vi": "UBND thành phố giao Sở Tài chính chủ trì thực hiện Kế hoạch số 10/KH-UBND trước ngày 30/6/2025.",
}


def init_worker(settings: Settings, warm: bool = True) -> None:
    """Pool initializer: build the pipeline (models) once per worker process and, with ``warm``,
    load every language's lexicons and tokenizers now rather than on the first article.

    A no-op when this process already holds a pipeline for ``settings`` (a worker forked from
    a parent that called ``init_worker`` shares the parent's loaded pipeline).
    """
    global _PIPELINE, _SETTINGS
    with _INIT_LOCK:
        if _PIPELINE is not None and _SETTINGS == settings:
            return
        _one_blas_thread()
        pipe = load_pipeline(settings)
        for lang, text in _WARM_UP.items() if warm else ():
            try:
                pipe.extract(text, lang=settings.lang or lang)
            except Exception:  # warming up is an optimisation: a failure shows up on real input
                pass
        _PIPELINE, _SETTINGS = pipe, settings


def uses_torch(settings: Settings) -> bool:
    """Whether ``settings`` run a torch model (the span tagger)."""
    if settings.extractors == "rules":
        return False
    from .models import needs_torch

    return needs_torch(settings.models_dir, settings.extractors)


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
    return encode(rec, _fmt())


def process_chunk(items: list[WorkItem], settings: Optional[Settings] = None) -> list[Result]:
    """Results for a chunk, in order (runs in a worker)."""
    pipe = worker_pipeline(settings) if settings is not None else (_PIPELINE or worker_pipeline(Settings()))
    return [it.result if it.result is not None else extract_one(pipe, it.article) for it in items]


def crashed_result(item: WorkItem, fmt: str = "jsonl") -> Result:
    """The record of an article whose worker died twice (first run and the retry), shaped for
    output format ``fmt``."""
    art = Article(**item.article)
    err = article_error(art, "worker process died while extracting this article (retried once)", "worker_crash")
    return encode(error_record(art.id, err, text=art.text, input=art.input), fmt)


# -- the driver -----------------------------------------------------------------------------

def _fmt() -> str:
    """The output format this process shapes its results for."""
    return _SETTINGS.fmt if _SETTINGS is not None else "jsonl"
