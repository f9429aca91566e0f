"""Stretches of the Vietnamese training articles, cut as the clause reader cuts them: shared by the
tests that compare the fast segmenter and tagger with underthesea."""

from __future__ import annotations

import json
from pathlib import Path

TRAIN = Path(__file__).resolve().parents[1] / "corpus" / "train.jsonl"


def vi_stretches(limit: int, *cuts: tuple[int, int]) -> list[str]:
    """The first ``limit`` non-blank stretches; per article, each ``(width, step)`` cut in turn."""
    out = []
    with open(TRAIN, encoding="utf-8") as fh:
        for row in map(json.loads, fh):
            if row["lang"] == "vi":
                t = row["text"]
                out += [t[k : k + width] for width, step in cuts for k in range(0, len(t), step)]
    return [c for c in out if c.strip()][:limit]
