"""Draw the agreement sample: 10 vi + 10 en articles from each of three files, text only.

The order is sha256("agreement:" + id); the first ten ids per (file, language) are taken, so the
sample depends only on the ids. The output strips ``gold`` so that the second annotator sees text
alone.

    python corpus/tools/agreement_sample.py OUT.jsonl FILE [FILE ...]
"""

from __future__ import annotations

import hashlib
import json
import sys

PER_LANG = 10
KEEP = ("id", "lang", "published", "source", "text")


def sample_key(article_id: str) -> str:
    return hashlib.sha256(f"agreement:{article_id}".encode("utf-8")).hexdigest()


def draw(rows: list[dict], per_lang: int = PER_LANG) -> list[dict]:
    """The first ``per_lang`` rows of each language in sample-key order, without gold."""
    out = []
    for lang in ("vi", "en"):
        picked = sorted((r for r in rows if r["lang"] == lang), key=lambda r: sample_key(r["id"]))[:per_lang]
        out.extend({k: r[k] for k in KEEP if k in r} for r in picked)
    return out


def main(argv: list[str]) -> int:
    out_path, *paths = argv
    drawn = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            drawn.extend(draw([json.loads(line) for line in fh if line.strip()]))
    with open(out_path, "w", encoding="utf-8") as fh:
        for row in drawn:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(drawn)} articles -> {out_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
