"""Cold start: ``directive-nlp extract ONE.txt`` loads only what the configured extractors use.

Times live in ``benchmarks/RESULTS_startup.md``; this checks what is imported, which is what made
a one-article run take ten seconds (skops, scikit-learn, torch through spaCy and underthesea).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "transformers", "sklearn", "skops", "scipy", "pandas", "pyarrow", "fastapi", "sqlalchemy", "dask")

CODE = """
import json, sys
from directive_nlp.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "heavy": sorted(m for m in %r if m in sys.modules),
                  "spacy": "spacy" in sys.modules, "underthesea": "underthesea" in sys.modules}))
""" % (HEAVY,)


def _extract(path: Path, tmp: Path, *extra: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", CODE, "extract", str(path), "-q", "-o", str(tmp / "out.jsonl"), *extra],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name,lang", [("en_hanoi_public_investment.txt", "en"), ("vi_quang_ninh_ke_hoach.txt", "vi")])
def test_one_article_loads_no_heavy_library(tmp_path, name, lang):
    got = _extract(ROOT / "corpus" / "sample" / name, tmp_path)
    assert got["code"] == 0 and got["heavy"] == []
    # only the language the article needs: spaCy for English, underthesea for Vietnamese
    assert got["spacy"] == (lang == "en") and got["underthesea"] == (lang == "vi")
    rec = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert rec["status"] == "ok" and rec["directives"]
