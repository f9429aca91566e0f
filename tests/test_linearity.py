"""Every stage is linear in the input's length: the default pipeline's time on 16 KB of a
pathological input is compared with its time on 2 KB (a ratio, never an absolute time).

Linear is a ratio of 8; quadratic, 64.  The bound leaves room for fixed costs and a busy machine.
Absolute times per input live in ``benchmarks/RESULTS_startup.md`` (``benchmarks/bench_all.py``).
"""

from __future__ import annotations

import gc
import time

import pytest

from directive_nlp import Pipeline

MAX_RATIO = 20

#: (name, language, repeated unit, KB): each took far longer than its length warrants; KB is the
#: smaller size (the larger is 8 times it) where the growth shows only on long inputs
PATHOLOGICAL = [
    ("capitalised English words", "en", "Ministry Finance Provincial Department Hanoi Committee Board Office ", 2),
    ("UBND tỉnh", "vi", "UBND tỉnh ", 2),
    ("Sở", "vi", "Sở ", 2),
    ("ngày 30/11", "vi", "ngày 30/11 ", 32),
    ("a run of (", "en", "(", 2),
    ("a run of %", "en", "%", 2),
    ("a run of ( (vi)", "vi", "(", 2),
    ("8% ", "en", "8% ", 2),
]


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    p = Pipeline(extractors="ensemble")
    p.extract("Warm up. The Ministry of Finance must act by June 30, 2025.", lang="en")
    p.extract("UBND tỉnh giao Sở Tài chính chủ trì trước ngày 30/6/2025.", lang="vi")
    return p


def _seconds(pipe: Pipeline, text: str, lang: str) -> float:
    """CPU seconds of one extraction, the best of up to five runs while they add up to under a
    second (a short run is easily slowed by a busy machine; a long one is not).  The garbage collector
    is off while timing, as ``timeit`` does: its passes cost in proportion to every object the test
    session keeps alive, which is no property of the pipeline."""
    best, spent = float("inf"), 0.0
    gc.collect()
    gc.disable()
    try:
        for _ in range(5):
            t = time.process_time()
            pipe.extract(text, lang=lang)
            took = time.process_time() - t
            best, spent = min(best, took), spent + took
            if spent > 1.0:
                break
    finally:
        gc.enable()
    return max(best, 1e-3)


@pytest.mark.parametrize("name,lang,unit,kb", PATHOLOGICAL)
def test_time_grows_linearly_with_the_input(pipe, name, lang, unit, kb):
    small = unit * (kb * 1024 // len(unit.encode()))
    large = unit * (8 * kb * 1024 // len(unit.encode()))
    ratio = _seconds(pipe, large, lang) / _seconds(pipe, small, lang)
    assert ratio < MAX_RATIO, f"{name}: {8 * kb} KB took {ratio:.1f}x the time of {kb} KB (linear: 8x)"
