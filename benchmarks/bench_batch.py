"""Benchmark of batch extraction: throughput, memory, Dask vs multiprocessing, kill -9 + resume.

Makes N distinct articles from the seed texts (each a seed with a small edit: a numbered
dateline and one changed figure, so every content hash differs), then runs the real CLI
(``python -m directive_nlp.cli extract``) in subprocesses and measures:

* articles/s with 1 and 2 workers (wall clock of the whole command, start-up included);
* peak RSS (the command plus all its worker processes, sampled every 50 ms with psutil) at
  ``--small`` and ``--large`` articles: flat memory means the two are close;
  RSS counts pages shared by the forked workers once per process; PSS (sampled every
  250 ms) splits them, so it is the closer figure for "memory used";
* the Dask engine (a LocalCluster of 2 processes) against the local pool, same input;
* a run killed with SIGKILL (the whole process group) mid-way, then ``--resume``: the output
  must end with exactly one valid record per input.

    python benchmarks/bench_batch.py --seeds ../shared/seeds --small 1000 --large 10000 \\
        --write benchmarks/RESULTS_batch.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psutil

CLI = [sys.executable, "-m", "directive_nlp.cli", "extract"]


def make_corpus(seeds: Path, n: int, out: Path) -> Path:
    """n JSONL articles, each a seed text with a small edit so that no two are identical."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"{seeds}: no seed .txt files")
    with out.open("w", encoding="utf-8") as fh:
        for i in range(n):
            base = texts[i % len(texts)]
            edited = re.sub(r"\d+", lambda m, i=i: str(int(m.group()) + i % 7) if len(m.group()) < 4 else m.group(), base, count=1)
            fh.write(json.dumps({"id": f"b{i:06d}", "text": f"{edited}\n\n(Bản tin {i})"}, ensure_ascii=False) + "\n")
    return out


def run_measured(args: list[str], kill_after: float | None = None) -> dict:
    """Run a command; wall time, peak RSS of it and its children, exit code."""
    start = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    ps = psutil.Process(proc.pid)
    peak = peak_pss = 0
    killed = False
    tick = 0
    while proc.poll() is None:
        try:
            procs = [ps] + ps.children(recursive=True)
            peak = max(peak, sum(p.memory_info().rss for p in procs))
            if tick % 5 == 0:  # PSS (shared pages split between sharers) is costlier to read
                peak_pss = max(peak_pss, sum(p.memory_full_info().pss for p in procs))
        except psutil.Error:
            pass
        tick += 1
        if kill_after is not None and time.monotonic() - start > kill_after:
            os.killpg(proc.pid, signal.SIGKILL)  # the driver and every worker, no clean-up
            killed = True
            proc.wait()
            break
        time.sleep(0.05)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    return {"seconds": time.monotonic() - start, "peak_mb": peak / 2**20, "peak_pss_mb": peak_pss / 2**20, "rc": proc.returncode, "killed": killed, "stderr": err[-2000:]}


def count_valid(path: Path) -> tuple[Counter, int]:
    """Ids of the valid lines of a JSONL output, and the number of invalid lines."""
    ids: Counter = Counter()
    bad = 0
    for line in path.read_bytes().split(b"\n"):
        if not line:
            continue
        try:
            ids[json.loads(line)["id"]] += 1
        except ValueError:
            bad += 1
    return ids, bad


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "seeds")
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--large", type=int, default=10000)
    ap.add_argument("--extractors", default="ensemble")
    ap.add_argument("--write", type=Path, help="Write the results as Markdown here.")
    opts = ap.parse_args()
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        small = make_corpus(opts.seeds, opts.small, tmpd / "small.jsonl")
        large = make_corpus(opts.seeds, opts.large, tmpd / "large.jsonl")
        base = ["--extractors", opts.extractors, "-q"]
        for w in (1, 2):
            r = run_measured(CLI + [str(small), "-o", str(tmpd / f"w{w}.jsonl"), "-w", str(w)] + base)
            rows.append((f"local, {w} worker(s), {opts.small} articles", f"{opts.small / r['seconds']:.1f} art/s ({r['seconds']:.1f} s, rc {r['rc']}, peak RSS {r['peak_mb']:.0f} MiB)"))
        same = (tmpd / "w1.jsonl").read_bytes() == (tmpd / "w2.jsonl").read_bytes()
        rows.append(("output of 1 vs 2 workers", "byte-identical" if same else "DIFFERENT"))
        r = run_measured(CLI + [str(large), "-o", str(tmpd / "large.jsonl.out"), "-w", "2"] + base)
        rows.append((f"local, 2 workers, {opts.large} articles", f"{opts.large / r['seconds']:.1f} art/s ({r['seconds']:.1f} s, rc {r['rc']}, peak RSS {r['peak_mb']:.0f} MiB, PSS {r['peak_pss_mb']:.0f} MiB)"))
        r_small = run_measured(CLI + [str(small), "-o", str(tmpd / "pq_small"), "--format", "parquet", "-w", "2"] + base)
        r_large = run_measured(CLI + [str(large), "-o", str(tmpd / "pq_large"), "--format", "parquet", "-w", "2"] + base)
        rows.append((f"peak RSS (PSS), parquet, 2 workers: {opts.small} vs {opts.large} articles",
                     f"{r_small['peak_mb']:.0f} ({r_small['peak_pss_mb']:.0f}) MiB vs {r_large['peak_mb']:.0f} ({r_large['peak_pss_mb']:.0f}) MiB"))
        d = run_measured(CLI + [str(small), "-o", str(tmpd / "dask_pq"), "--format", "parquet", "--engine", "dask", "-w", "2"] + base)
        rows.append((f"dask LocalCluster (2 processes), {opts.small} articles, parquet", f"{opts.small / d['seconds']:.1f} art/s ({d['seconds']:.1f} s, rc {d['rc']}, peak RSS {d['peak_mb']:.0f} MiB)"))
        rows.append((f"multiprocessing, 2 workers, {opts.small} articles, parquet", f"{opts.small / r_small['seconds']:.1f} art/s ({r_small['seconds']:.1f} s)"))
        out = tmpd / "killed.jsonl"
        kill_at = 0.5 * r["seconds"]  # half-way through the same run without a kill
        k = run_measured(CLI + [str(large), "-o", str(out), "-w", "2"] + base, kill_after=kill_at)
        before, bad_before = count_valid(out)
        tail_partial = out.stat().st_size > 0 and not out.read_bytes().endswith(b"\n")
        res = run_measured(CLI + [str(large), "-o", str(out), "-w", "2", "--resume"] + base)
        after, bad_after = count_valid(out)
        exact = after == Counter(f"b{i:06d}" for i in range(opts.large)) and bad_after == 0
        rows.append((f"kill -9 after {k['seconds']:.1f} s of {opts.large} articles", f"{sum(before.values())} valid lines, {bad_before} partial, last line cut: {tail_partial}"))
        rows.append(("--resume", f"{res['seconds']:.1f} s, rc {res['rc']}; {sum(after.values())} records, {len(after)} distinct ids, {bad_after} invalid: {'exactly one per input' if exact else 'WRONG'}"))
    report(rows, opts)


def report(rows: list[tuple[str, str]], opts) -> None:
    mem = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.strip()
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    lines = [
        "# Batch extraction benchmark",
        "",
        f"- date: {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- command: `python benchmarks/bench_batch.py --small {opts.small} --large {opts.large} --extractors {opts.extractors}`",
        f"- machine: {platform.platform()}, Python {platform.python_version()}, `nproc` = {nproc}",
        "",
        "```",
        "$ free -g",
        mem,
        "```",
        "",
        "| measurement | result |",
        "|---|---|",
    ] + [f"| {k} | {v} |" for k, v in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    if opts.write:
        opts.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
