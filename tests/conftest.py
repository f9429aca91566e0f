"""Shared fixtures: the seeds folder beside the checkout, and one rules pipeline per session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def seeds() -> list[dict]:
    gold = SEEDS / "gold.jsonl"
    if not gold.exists():
        pytest.skip(f"the user's seed articles are not here ({gold} is absent): seed tests skipped")
    return [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]


@pytest.fixture(scope="session")
def rules():
    from directive_nlp import Pipeline

    return Pipeline(extractors="rules")
