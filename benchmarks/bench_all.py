"""Start-up, warm speed, the anchors and linearity, in one run, written to one Markdown file.

    python benchmarks/bench_all.py [--out benchmarks/RESULTS_startup.md] [--gold corpus/dev.jsonl] [--quick]

* cold start: ``directive-nlp extract ONE.txt`` in a fresh process, one English and one
  Vietnamese article of ``--gold`` (median of 3 runs, wall and CPU seconds);
* warm speed per language, rules and the default pipeline, on every article of ``--gold`` (fastest of ``--passes`` interleaved passes)
  (the pipeline warmed up first on training articles);
* on the same texts: ``dateparser.search_dates`` per language and ``underthesea.ner`` (Vietnamese,
  line by line), and our default pipeline's speed as a multiple of theirs;
* linearity: the default pipeline on each pathological input at two sizes, against the budget
  of 1 s + 0.05 s per KB.

Times are CPU seconds of this process (``time.process_time``) unless marked wall: on a shared
machine they move less than wall-clock times.  The machine, its load and the command are written
with the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

#: (name, language, repeated unit, sizes in KB)
PATHOLOGICAL = [
    ("capitalised English words", "en", "Ministry Finance Provincial Department Hanoi Committee Board Office ", (2, 16)),
    ('"UBND tỉnh " x 1,500', "vi", "UBND tỉnh ", (2, 16)),
    ('"Sở " x 1,333', "vi", "Sở ", (2, 16)),
    ('"ngày 30/11 "', "vi", "ngày 30/11 ", (16, 256)),
    ('"8% " (targets: issue 13)', "en", "8% ", (2, 16)),
    ('a run of "("', "en", "(", (2, 16)),
    ('a run of "%"', "en", "%", (2, 16)),
]


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def machine() -> str:
    load1, load5, _ = os.getloadavg()
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {load1:.1f} (1 min) / {load5:.1f} (5 min) at the start")


# -- cold start -----------------------------------------------------------------------------------


def cold_start(rows: list[dict], runs: int) -> list[tuple[str, float, float]]:
    """``(lang, median wall s, median CPU s)`` of ``directive-nlp extract ONE.txt`` per language."""
    out = []
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("en", "vi"):
            row = next(r for r in rows if r["lang"] == lang)
            src = Path(tmp) / f"{lang}.txt"
            src.write_text(row["text"], encoding="utf-8")
            walls, cpus = [], []
            for _ in range(runs):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                subprocess.run([sys.executable, "-m", "directive_nlp.cli", "extract", str(src), "-q", "-o", str(Path(tmp) / "out.jsonl")],
                               check=True, env=env)
                walls.append(time.perf_counter() - t)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            out.append((lang, statistics.median(walls), statistics.median(cpus)))
    return out


# -- warm speed and anchors -----------------------------------------------------------------------


def warm_pipeline(extractors: str, warm_rows: list[dict]):
    from directive_nlp import Pipeline

    pipe = Pipeline(extractors=extractors)
    for r in warm_rows:
        pipe.extract(r["text"], lang=r["lang"])
    return pipe


def timed_pass(pipe, rows: list[dict]) -> tuple[float, float]:
    """(CPU s, wall s) of one pass over ``rows``."""
    c, w = time.process_time(), time.perf_counter()
    for r in rows:
        pipe.extract(r["text"], published=r.get("published"), lang=r["lang"], article_id=r["id"])
    return time.process_time() - c, time.perf_counter() - w


def dateparser_pass(rows: list[dict]) -> float:
    from dateparser.search import search_dates

    c = time.process_time()
    for r in rows:
        search_dates(r["text"], languages=[r["lang"]], settings={"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first"})
    return time.process_time() - c


def ner_pass(rows: list[dict]) -> float:
    from underthesea import ner

    c = time.process_time()
    for r in rows:
        for line in r["text"].split("\n"):
            if line.strip():
                ner(line)
    return time.process_time() - c


def warm_up_anchors(warm_rows: list[dict]) -> None:
    """Load dateparser's and underthesea's data before timing them (as our pipeline is warmed)."""
    dateparser_pass([r for r in warm_rows if r["lang"] == "en"][:2] + [r for r in warm_rows if r["lang"] == "vi"][:2])
    ner_pass([r for r in warm_rows if r["lang"] == "vi"][:2])


# -- linearity --------------------------------------------------------------------------------------


def linearity(pipe, quick: bool) -> list[tuple]:
    rows = []
    for name, lang, unit, sizes in PATHOLOGICAL:
        times = []
        for kb in sizes[:1] if quick else sizes:
            text = unit * (kb * 1024 // len(unit.encode()))
            c = time.process_time()
            pipe.extract(text, lang=lang)
            times.append((kb, time.process_time() - c))
        rows.append((name, lang, times))
    return rows


# -- report ---------------------------------------------------------------------------------------


def _shown(path: str) -> str:
    """A path as the report shows it: relative to the repository when inside it."""
    p = Path(path).resolve()
    return str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p)


def report(args, cold, speeds, anchors, lin) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cmd = "python benchmarks/bench_all.py " + " ".join(sys.argv[1:])
    lines = [f"# Start-up, speed and linearity ({when})", "", f"Machine: {args.machine}.", f"Command: `{cmd.strip()}`.", ""]
    lines += ["## Cold start: `directive-nlp extract ONE.txt`", "",
              f"One article of `{_shown(args.gold)}` per language, a fresh process each time, median of {args.runs} runs.", "",
              "| lang | wall s | CPU s (user+sys) |", "|---|---|---|"]
    lines += [f"| {lang} | {w:.2f} | {c:.2f} |" for lang, w, c in cold]
    lines += ["", f"## Warm speed and the anchors (same texts, fastest of {args.passes} passes, CPU seconds)", "",
              f"Every article of `{_shown(args.gold)}`, after a warm-up on training articles; each measurement the fastest of "
              f"{args.passes} interleaved passes (ours and the anchors alike); dateparser "
              "`search_dates(text, languages=[lang], DMY)` per article; underthesea `ner` per non-empty line.", "",
              "| lang | articles | rules art/s | default art/s | dateparser s | default / dateparser | underthesea.ner s | default / ner |",
              "|---|---|---|---|---|---|---|---|"]
    for lang in ("en", "vi"):
        n, rules_s, default_s = speeds[lang]
        dp = anchors["dateparser"][lang]
        ner = anchors["ner"].get(lang)
        ner_cols = f"{ner:.2f} | {ner / default_s:.1f}x" if ner else "– | –"
        lines.append(f"| {lang} | {n} | {n / rules_s:.0f} | {n / default_s:.0f} | {dp:.2f} | {dp / default_s:.1f}x | {ner_cols} |")
    lines += ["", "Goals: default >= 6x dateparser in each language, >= 25x underthesea.ner.", "",
              "## Linearity: the default pipeline on pathological inputs", "",
              "| input | lang | KB | CPU s | budget (1 s + 0.05 s/KB) | within |", "|---|---|---|---|---|---|"]
    for name, lang, times in lin:
        for kb, s in times:
            budget = 1 + 0.05 * kb
            lines.append(f"| {name} | {lang} | {kb} | {s:.2f} | {budget:.1f} | {'yes' if s <= budget else 'NO'} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS_startup.md"))
    ap.add_argument("--gold", default=str(ROOT / "corpus" / "dev.jsonl"))
    ap.add_argument("--warm", default=str(ROOT / "corpus" / "train.jsonl"), help="articles to warm the pipelines up on")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--passes", type=int, default=3, help="interleaved timed passes per measurement; the fastest counts (a loaded machine slows passes at random)")
    ap.add_argument("--quick", action="store_true", help="only the smaller size of each pathological input")
    args = ap.parse_args(argv)
    args.machine = machine()
    rows = load(Path(args.gold))
    warm_rows = load(Path(args.warm))
    warm_rows = [r for r in warm_rows if r["lang"] == "en"][:10] + [r for r in warm_rows if r["lang"] == "vi"][:10]
    cold = cold_start(rows, args.runs)
    rules, default = warm_pipeline("rules", warm_rows), warm_pipeline("ensemble", warm_rows)
    warm_up_anchors(warm_rows)
    speeds, anchors = {}, {"dateparser": {}, "ner": {}}
    for lang in ("en", "vi"):
        sub = [r for r in rows if r["lang"] == lang]
        times = [(timed_pass(rules, sub)[0], timed_pass(default, sub)[0], dateparser_pass(sub)) for _ in range(args.passes)]
        speeds[lang] = (len(sub), min(t[0] for t in times), min(t[1] for t in times))
        anchors["dateparser"][lang] = min(t[2] for t in times)
    anchors["ner"]["vi"] = min(ner_pass([r for r in rows if r["lang"] == "vi"]) for _ in range(args.passes))
    lin = linearity(default, args.quick)
    text = report(args, cold, speeds, anchors, lin)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
