"""Engines: run ``worker.process_chunk`` over a stream of work items, results in input order.

``local`` is a process pool on this machine (``engines.local``); ``dask`` a Dask cluster
(``engines.dask_engine``).  Both take work items lazily and keep a bounded number of chunks in
flight, so memory stays flat however long the input is.

    >>> from directive_nlp.engines import make_engine
    >>> with make_engine("local", workers=2) as eng:  # doctest: +SKIP
    ...     for results in eng.run(items): ...
"""

from __future__ import annotations

from typing import Optional

from ..work import Settings, chunked  # noqa: F401  (chunked: re-exported)

ENGINES = ("local", "dask")


def make_engine(name: str, workers: int, settings: Settings = Settings(), scheduler: Optional[str] = None, chunk_size: int = 16):
    """The engine called ``name`` ("local" or "dask"), not yet started (use it as a context)."""
    if name == "local":
        from .local import LocalEngine

        return LocalEngine(workers=workers, settings=settings, chunk_size=chunk_size)
    if name == "dask":
        from .dask_engine import DaskEngine

        return DaskEngine(workers=workers, settings=settings, scheduler=scheduler, chunk_size=chunk_size)
    raise ValueError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
