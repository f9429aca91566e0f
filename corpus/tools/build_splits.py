"""Merge annotated batches into the fixed train/dev/test split.

    python corpus/tools/build_splits.py corpus/drafts/*.jsonl
    python corpus/tools/build_splits.py --train-only corpus/batches/train_l.jsonl

The split of an article depends only on its id (sha256 of the id: 60% train, 20% dev, 20% test),
so adding articles never moves one that is already placed.  Articles already in a split file keep
their place; batches only add new ids.  ``--train-only`` puts the new ids of the batches that follow
it in train whatever their hash: batches written late in a round, in new styles, to train the models
without changing the dev and test articles that earlier measurements and the test floors rest on.
"""

import hashlib
import json
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]


def split_of(article_id: str) -> str:
    b = int(hashlib.sha256(article_id.encode()).hexdigest(), 16) % 10
    return "train" if b < 6 else ("dev" if b < 8 else "test")


def main(paths, train_only=False):
    splits = {s: {} for s in ("train", "dev", "test")}
    for s in splits:
        f = CORPUS / f"{s}.jsonl"
        if f.exists():
            for line in f.open(encoding="utf-8"):
                if line.strip():
                    row = json.loads(line)
                    splits[s][row["id"]] = row
    placed = {i for s in splits.values() for i in s}
    added = 0
    for p in paths:
        for line in open(p, encoding="utf-8"):
            if not line.strip():
                continue
            row = json.loads(line)
            if row["id"] in placed:
                continue
            splits["train" if train_only else split_of(row["id"])][row["id"]] = row
            placed.add(row["id"])
            added += 1
    for s, rows in splits.items():
        with (CORPUS / f"{s}.jsonl").open("w", encoding="utf-8") as fh:
            for rid in sorted(rows):
                fh.write(json.dumps(rows[rid], ensure_ascii=False) + "\n")
        print(f"{s}: {len(rows)} articles")
    print(f"added {added}")


if __name__ == "__main__":
    args = sys.argv[1:]
    main([a for a in args if a != "--train-only"], train_only="--train-only" in args)
