"""Reliability probe (issue 15, batch and CLI part): runs the ``directive-nlp`` command the way a
careless user or an attacker would, and checks that every bad input costs only itself.

    python benchmarks/probe_reliability.py                  # default extractors (the ensemble)
    python benchmarks/probe_reliability.py --extractors rules --keep /tmp/probe

Each check prints PASS or FAIL with what it saw; the exit status is the number of failed checks.
Every command runs in a subprocess with this checkout's ``src`` first on the path.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOOD = "UBND thành phố giao Sở Tài chính chủ trì thực hiện Kế hoạch số {n}/KH-UBND trước ngày 30/6/2025."
BAD_ROWS = [
    '{"id": "b-title", "title": 42, "text": "The Ministry of Finance shall submit the plan."}',
    '{"id": "b-lang", "lang": 7, "text": "The Ministry of Finance shall submit the plan."}',
    '{"id": {"a": 1}, "text": "The Ministry of Finance shall submit the plan."}',
    '{"id": "b-published", "published": NaN, "text": "The Ministry of Finance shall submit the plan."}',
    '{"id": "b-surrogate", "text": "The Ministry \\ud800 shall submit the plan."}',
    '{"id": "b-deep", "x": ' + "[" * 100_000 + "]" * 100_000 + ', "text": "x"}',
]
HTML = ("<html><head><title>Hà Nội triển khai kế hoạch</title></head><body><article><h1>Hà Nội triển khai kế hoạch</h1>"
        "<p>UBND thành phố giao Sở Kế hoạch và Đầu tư chủ trì thực hiện Kế hoạch số 306/KH-UBND trước ngày 30/6/2025. "
        "Các sở, ngành phối hợp triển khai các nhiệm vụ được giao, báo cáo kết quả về UBND thành phố.</p></article></body></html>")


def run(args: list, cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "directive_nlp.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=timeout)


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def no_traceback(proc: subprocess.CompletedProcess) -> bool:
    return "Traceback" not in proc.stderr and "Traceback" not in proc.stdout


def check_bad_jsonl_rows(work: Path, ex: str) -> tuple[bool, str]:
    lines = []
    for i, bad in enumerate(BAD_ROWS):
        lines += [json.dumps({"id": f"g{i}", "text": GOOD.format(n=i)}, ensure_ascii=False), bad]
    lines.append(json.dumps({"id": "g-last", "text": GOOD.format(n=99)}, ensure_ascii=False))
    src, out = work / "rows.jsonl", work / "rows.out.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run(["extract", src, "-o", out, "--workers", "2", "--extractors", ex, "-q"])
    recs = records(out)
    good = [r["id"] for r in recs if r["status"] == "ok"]
    bad = [r for r in recs if r["status"] == "error" and r["errors"] and r["errors"][0].get("line")]
    ok = proc.returncode == 2 and len(good) == len(BAD_ROWS) + 1 and len(bad) == len(BAD_ROWS) and no_traceback(proc)
    resumed = run(["extract", src, "-o", out, "--workers", "1", "--extractors", ex, "-q", "--resume"])
    ok = ok and resumed.returncode == 0 and len(records(out)) == len(recs)
    return ok, f"exit {proc.returncode}, {len(good)} good records, {len(bad)} error records with a line, resume exit {resumed.returncode}"


def check_html(work: Path, ex: str) -> tuple[bool, str]:
    src, out = work / "page.html", work / "page.out.jsonl"
    src.write_text(HTML, encoding="utf-8")
    proc = run(["extract", src, "-o", out, "-w", "1", "--extractors", ex, "-q"])
    recs = records(out)
    ok = proc.returncode == 0 and len(recs) == 1 and recs[0]["status"] == "ok" and no_traceback(proc)
    return ok, f"exit {proc.returncode}, statuses {[r['status'] for r in recs]}"


def check_csv_bad_byte(work: Path, ex: str) -> tuple[bool, str]:
    rows = [f'r{i},"Đẩy mạnh cải cách hành chính số {i}.",2024-01-01\n'.encode() for i in range(6)]
    src, out = work / "rows.csv", work / "rows.csv.out.jsonl"
    src.write_bytes(b"id,text,published\n" + b"".join(rows[:3]) + b'bad,"bad \xff byte",2024-01-01\n' + b"".join(rows[3:]))
    proc = run(["extract", src, "-o", out, "-w", "1", "--extractors", ex, "-q"])
    recs = records(out)
    good = [r["id"] for r in recs if r["status"] == "ok"]
    errs = [(e["line"], e["code"]) for r in recs if r["status"] == "error" for e in r["errors"]]
    ok = proc.returncode == 2 and good == [f"r{i}" for i in range(6)] and errs == [(5, "encoding")] and no_traceback(proc)
    return ok, f"exit {proc.returncode}, good rows {len(good)}/6, errors {errs}"


def check_kill_9(work: Path, ex: str) -> tuple[bool, str]:
    import psutil

    src, out = work / "many.jsonl", work / "many.out.jsonl"
    src.write_text("".join(json.dumps({"id": f"k{i}", "text": GOOD.format(n=i)}, ensure_ascii=False) + "\n" for i in range(2000)),
                   encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "directive_nlp.cli", "extract", str(src), "-o", str(out), "--workers", "2",
                             "--extractors", ex, "-q"], env=env, stderr=subprocess.DEVNULL)
    parent, kids, deadline = psutil.Process(proc.pid), [], time.monotonic() + 300
    while time.monotonic() < deadline and not (len(kids) >= 2 and out.exists() and out.stat().st_size):
        kids = parent.children(recursive=True)
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    _, alive = psutil.wait_procs(kids, timeout=5)
    for p in alive:
        p.kill()
    return len(kids) >= 2 and not alive, f"{len(kids)} workers, {len(alive)} alive 5 s after kill -9 of the parent"


def check_scheduler(work: Path, ex: str) -> tuple[bool, str]:
    (work / "one.txt").write_text(GOOD.format(n=1), encoding="utf-8")
    started = time.monotonic()
    proc = run(["extract", work / "one.txt", "-o", work / "s.jsonl", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1", "-q"])
    took = time.monotonic() - started
    lines = proc.stderr.strip().splitlines()
    ok = proc.returncode == 1 and len(lines) == 1 and "scheduler" in lines[0] and no_traceback(proc) and took < 30
    return ok, f"exit {proc.returncode} after {took:.1f} s: {lines[-1][:110] if lines else ''}"


def check_corpus_validate(work: Path, ex: str) -> tuple[bool, str]:
    proc = run(["corpus", "validate"], cwd=work)
    lines = proc.stderr.strip().splitlines()
    ok = proc.returncode == 1 and len(lines) == 1 and no_traceback(proc)
    return ok, f"exit {proc.returncode}: {lines[-1][:110] if lines else ''}"


def check_dev_full(work: Path, ex: str) -> tuple[bool, str]:
    if not os.path.exists("/dev/full"):
        return True, "skipped: no /dev/full"
    (work / "one.txt").write_text(GOOD.format(n=1), encoding="utf-8")
    proc = run(["extract", work / "one.txt", "-o", "/dev/full", "-w", "1", "--extractors", ex, "-q"])
    lines = proc.stderr.strip().splitlines()
    return proc.returncode == 1 and len(lines) == 1 and no_traceback(proc), f"exit {proc.returncode}: {lines[-1][:110] if lines else ''}"


def check_missing_first(work: Path, ex: str) -> tuple[bool, str]:
    started = time.monotonic()
    proc = run(["extract", work / "missing.txt", "-o", work / "m.jsonl", "--extractors", ex, "-q"])
    took = time.monotonic() - started
    recs = records(work / "m.jsonl")
    ok = proc.returncode == 2 and len(recs) == 1 and "no such file" in recs[0]["errors"][0]["reason"] and took < 10
    return ok, f"exit {proc.returncode} after {took:.1f} s"


CHECKS = [check_bad_jsonl_rows, check_html, check_csv_bad_byte, check_kill_9, check_scheduler, check_corpus_validate,
          check_dev_full, check_missing_first]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--extractors", default="ensemble", choices=["rules", "models", "ensemble"])
    ap.add_argument("--keep", help="work in this folder and keep it (default: a temporary folder, removed)")
    args = ap.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="probe-reliability-"))
    work.mkdir(parents=True, exist_ok=True)
    failed = 0
    try:
        for check in CHECKS:
            ok, what = check(work, args.extractors)
            failed += not ok
            print(f"{'PASS' if ok else 'FAIL'}  {check.__name__[6:]:<18} {what}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{len(CHECKS) - failed}/{len(CHECKS)} checks passed ({args.extractors} extractors)")
    return failed


if __name__ == "__main__":
    sys.exit(main())
