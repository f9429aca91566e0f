"""The local engine: a process pool, one ``Pipeline`` per worker, results in input order.

Chunks of work items go to a ``ProcessPoolExecutor`` whose initializer builds the pipeline once
per worker; at most ``2 * workers`` chunks are in flight and results are taken in submission
order, so the output is the same bytes for any number of workers.  An input that fits in one
chunk is extracted in the calling process, without a pool.  Where the platform can fork, the
parent loads the pipeline (lexicons, tokenizers, the NumPy linear models) once before the pool
starts and the workers share those memory pages (copy-on-write); a torch model, and everything
under spawn, is loaded by each worker's initializer.

A worker that dies (killed, out of memory, a crash in native code) breaks the pool: the pool is
replaced and every article of the chunks that were in flight is retried once, alone; an article
whose retry kills its worker again is recorded as failed (``code: "worker_crash"``).

A worker never outlives its parent: each one watches the parent (``watch_parent``: the kernel's
parent-death signal on Linux, and a thread that polls the parent's pid everywhere) and exits
when it is gone, so ``kill -9`` of a run leaves no process behind.  Workers ignore Ctrl-C (the
parent decides: it finishes the chunk in flight, then stops), and leaving the engine with chunks
still in flight terminates the workers instead of waiting for them.

    >>> with LocalEngine(workers=2) as eng:  # doctest: +SKIP
    ...     results = [r for chunk in eng.run(items) for r in chunk]
"""

from __future__ import annotations

import ctypes
import itertools
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import replace
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator, Optional

from ..work import Result, Settings, WorkItem, chunked
from ..worker import crashed_result, init_worker, process_chunk, uses_torch


class LocalEngine:
    """Extract on ``workers`` local processes (``workers >= 1``)."""

    def __init__(self, workers: int, settings: Settings = Settings(), chunk_size: int = 16, start_method: Optional[str] = None):
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.workers = workers
        self.settings = settings
        self.chunk_size = max(1, chunk_size)
        # fork where the platform has it (fast, and no `if __name__ == "__main__"` needed in
        # scripts); spawn elsewhere.
        method = start_method or ("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        self.ctx = mp.get_context(method)
        self.pool: Optional[ProcessPoolExecutor] = None
        self.restarts = 0
        self._in_flight: deque = deque()

    def __enter__(self) -> "LocalEngine":
        return self  # the pool starts with the second chunk: a one-chunk input is extracted here

    def _start_pool(self) -> None:
        if self.ctx.get_start_method() == "fork":
            # Load everything once here (lexicons, tokenizers and the NumPy linear models);
            # forked workers, and replacements after a crash, share those pages.  A torch model
            # is loaded in each worker instead: a fork after torch started its thread pools can
            # deadlock the children.
            init_worker(self.settings if not uses_torch(self.settings) else replace(self.settings, extractors="rules"), warm=True)
        self.pool = self._new_pool()

    def __exit__(self, *exc) -> None:
        if self.pool is None:
            return
        if self._in_flight or exc[0] is not None:  # the run stopped early: drop the work in flight
            terminate_workers(self.pool)
            self._in_flight.clear()
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None

    def _new_pool(self) -> ProcessPoolExecutor:
        # the kernel's parent-death signal follows the forking *thread*: ask for it only when
        # the pool is started from the main thread, which lives as long as the process
        deathsig = threading.current_thread() is threading.main_thread()
        return ProcessPoolExecutor(self.workers, mp_context=self.ctx, initializer=start_worker,
                                   initargs=(self.settings, os.getpid(), deathsig))

    def _replace_pool(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
        self.restarts += 1
        self.pool = self._new_pool()

    def _submit(self, chunk: list[WorkItem]) -> Future:
        assert self.pool is not None, "use the engine as a context manager"
        return self.pool.submit(process_chunk, chunk)

    def run(self, items: Iterable[WorkItem]) -> Iterator[list[Result]]:
        """Results chunk by chunk, in input order.  An input of one chunk is extracted in this
        process (no pool to start, only the models and languages it needs loaded); a longer
        one on the pool."""
        chunks = chunked(items, self.chunk_size)
        first = next(chunks, None)
        second = next(chunks, None) if first is not None else None
        if second is None:
            if first is not None:
                init_worker(self.settings, warm=False)
                yield process_chunk(first)
            return
        self._start_pool()
        window: deque[tuple[list[WorkItem], Future]] = deque()
        self._in_flight = window
        limit = 2 * self.workers
        for chunk in itertools.chain([first, second], chunks):
            window.append((chunk, self._submit(chunk)))
            if len(window) >= limit:
                yield self._take(window)
        while window:
            yield self._take(window)

    def _take(self, window: deque) -> list[Result]:
        chunk, fut = window.popleft()
        try:
            return fut.result()
        except BrokenProcessPool:
            pass
        # The pool is broken: every chunk in flight failed with it.  Retry them all, alone.
        lost = [chunk] + [c for c, _ in window]
        window.clear()
        self._replace_pool()
        retried = [self._retry_alone(c) for c in lost]
        for c, res in zip(lost[1:], retried[1:]):
            done: Future = Future()
            done.set_result(res)
            window.append((c, done))
        return retried[0]

    def _retry_alone(self, chunk: list[WorkItem]) -> list[Result]:
        """Each article of ``chunk`` in its own task; a second crash records it as failed."""
        out = []
        for item in chunk:
            if item.result is not None:
                out.append(item.result)
                continue
            try:
                out.extend(self._submit([item]).result())
            except BrokenProcessPool:
                self._replace_pool()
                out.append(crashed_result(item, self.settings.fmt))
        return out


# -- worker lifetime --------------------------------------------------------------------------

PR_SET_PDEATHSIG = 1
#: seconds between two looks at the parent's pid
PARENT_POLL_S = 0.5


def start_worker(settings: Settings, parent_pid: int, deathsig: bool = True) -> None:
    """Pool initializer: tie this worker's life to its parent's, leave Ctrl-C to the parent,
    then build the pipeline once."""
    watch_parent(parent_pid, deathsig)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a handler the parent set is not the worker's
    init_worker(settings)


def watch_parent(parent_pid: int, deathsig: bool = True) -> None:
    """Exit this process when ``parent_pid`` is gone: at once on Linux (``PR_SET_PDEATHSIG``),
    within ``PARENT_POLL_S`` seconds elsewhere or if that call is refused."""
    if deathsig and sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no libc prctl: the polling thread alone does it
            pass
    if os.getppid() != parent_pid:  # the parent died before the watch was set
        os._exit(1)
    threading.Thread(target=_poll_parent, args=(parent_pid,), name="directive-nlp-parent-watch", daemon=True).start()


def _poll_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_S)
    os._exit(1)


def terminate_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers now (SIGTERM), whatever they are doing."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        if proc.is_alive():
            proc.terminate()
