"""The Dask engine: the same chunks and ``process_chunk`` as the local engine, on a cluster.

With ``scheduler=None`` a ``LocalCluster`` of ``workers`` single-threaded processes is started
(and stopped at the end); otherwise the client connects to ``scheduler`` (``tcp://host:8786``),
whose workers need ``directive-nlp`` installed.  Each worker process builds its ``Pipeline``
once (``worker.worker_pipeline``) and reuses it for every chunk.  Results come back in input
order with a bounded number of chunks in flight, so the driver's memory stays flat and the
output bytes equal the local engine's.

An unreachable scheduler fails fast: the address is tried for ``CONNECT_TIMEOUT_S`` seconds,
then an ``EngineError`` names it and what to do (no client is built until it answers).

A chunk whose task fails (a worker killed more often than the scheduler's
``distributed.scheduler.allowed-failures``) is retried article by article; an article that
fails again is recorded as failed (``code: "worker_crash"``).

    >>> with DaskEngine(workers=2) as eng:  # doctest: +SKIP
    ...     results = [r for chunk in eng.run(items) for r in chunk]
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Iterable, Iterator, Optional

from ..errors import EngineError
from ..work import Result, Settings, WorkItem, chunked
from ..worker import crashed_result, process_chunk

#: seconds to wait for a scheduler to answer before giving up
CONNECT_TIMEOUT_S = 5


class DaskEngine:
    """Extract on a Dask cluster (a new ``LocalCluster`` when ``scheduler`` is None)."""

    def __init__(self, workers: int, settings: Settings = Settings(), scheduler: Optional[str] = None, chunk_size: int = 16):
        self.workers = max(1, workers)
        self.settings = settings
        self.scheduler = scheduler
        self.chunk_size = max(1, chunk_size)
        self.cluster = None
        self.client = None

    def __enter__(self) -> "DaskEngine":
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - depends on the install
            raise EngineError("the dask engine needs the 'batch' extra: pip install 'directive-nlp[batch]'") from None
        if self.scheduler:
            address = check_scheduler(self.scheduler)
            try:
                self.client = Client(address, timeout=f"{CONNECT_TIMEOUT_S}s")
            except Exception as exc:  # noqa: BLE001 - distributed raises OSError, TimeoutError and more
                raise EngineError(_unreachable(self.scheduler, exc)) from None
        else:
            self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None)
            self.client = Client(self.cluster)
        return self

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    def _slots(self) -> int:
        assert self.client is not None, "use the engine as a context manager"
        return max(1, sum(self.client.nthreads().values()))

    def run(self, items: Iterable[WorkItem]) -> Iterator[list[Result]]:
        """Results chunk by chunk, in input order."""
        window: deque = deque()
        limit = 2 * self._slots()
        for chunk in chunked(items, self.chunk_size):
            window.append((chunk, self._submit(chunk)))
            if len(window) >= limit:
                yield self._take(*window.popleft())
        while window:
            yield self._take(*window.popleft())

    def _submit(self, chunk: list[WorkItem]):
        return self.client.submit(process_chunk, chunk, self.settings, pure=False)

    def _take(self, chunk: list[WorkItem], fut) -> list[Result]:
        try:
            return fut.result()
        except Exception:  # KilledWorker, a lost worker, a cancelled task: retry one by one
            return [self._retry_alone(item) for item in chunk]
        finally:
            fut.release()

    def _retry_alone(self, item: WorkItem) -> Result:
        if item.result is not None:
            return item.result
        fut = self._submit([item])
        try:
            return fut.result()[0]
        except Exception:
            return crashed_result(item, self.settings.fmt)
        finally:
            fut.release()


def check_scheduler(scheduler: str) -> str:
    """The scheduler's full address (``tcp://`` by default) once it has answered a handshake;
    an ``EngineError`` naming the address and what to do otherwise."""
    from distributed.comm import connect
    from distributed.comm.addressing import parse_address

    address = scheduler if "://" in scheduler else f"tcp://{scheduler}"
    try:
        parse_address(address)
    except ValueError as exc:
        raise EngineError(f"--scheduler {scheduler}: not a scheduler address ({exc}); write it as tcp://HOST:8786") from None

    async def handshake() -> None:
        comm = await connect(address, timeout=CONNECT_TIMEOUT_S)
        await comm.close()

    try:
        asyncio.run(handshake())
    except RuntimeError as exc:  # called from inside a running event loop: let the client try
        if "running event loop" not in str(exc):
            raise EngineError(_unreachable(scheduler, exc)) from None
    except Exception as exc:  # noqa: BLE001 - OSError, TimeoutError, or garbage from a non-scheduler
        raise EngineError(_unreachable(scheduler, exc)) from None
    return address


def _unreachable(scheduler: str, exc: BaseException) -> str:
    why = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return (f"cannot reach the Dask scheduler at {scheduler} ({why}): start one there (dask scheduler), "
            "check the address and port, or leave out --scheduler to run a local cluster")
