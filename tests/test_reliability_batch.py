"""Issue 15 (batch and CLI part): a bad input costs only itself, a killed run leaves nothing
behind, and every failure ends in one line naming the problem, never a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner

from directive_nlp import batch
from directive_nlp.batch import Settings, run_batch
from directive_nlp.cli import main

from test_batch import make_articles, read_records, write_jsonl
from test_reliability_inputs import BAD_ROWS

RULES = Settings(extractors="rules")
ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_bad_rows_among_good_rows_give_error_records_and_exit_2_and_resume_gets_past_them(tmp_path):
    arts = make_articles(6)
    bad = {2 * i + 1: raw for i, (raw, _) in enumerate(BAD_ROWS.values())}
    src = write_jsonl(tmp_path / "in.jsonl", arts, bad_lines=bad)
    out = tmp_path / "out.jsonl"
    res = cli("extract", src, "-o", out, "-w", "2", "--extractors", "rules")
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    recs = read_records(out)
    assert [r["id"] for r in recs if r["status"] == "ok"] == [f"a{i}" for i in range(6)]
    errors = [r for r in recs if r["status"] == "error"]
    assert len(errors) == len(BAD_ROWS)
    for rec, (_, reason) in zip(errors, BAD_ROWS.values()):
        (err,) = rec["errors"]
        assert err["source"] == str(src) and isinstance(err["line"], int) and reason in err["reason"]
    # a resumed run goes past every bad row and adds nothing twice
    again = cli("extract", src, "-o", out, "-w", "1", "--extractors", "rules", "--resume", "-q")
    assert again.exit_code == 0, again.output
    assert len(read_records(out)) == len(recs)


def test_a_file_name_that_is_not_utf8_gets_its_record(tmp_path):
    name = os.fsdecode(os.fsencode(str(tmp_path)) + b"/t\xff.txt")
    with open(name, "w", encoding="utf-8") as fh:
        fh.write(make_articles(1)[0]["text"])
    out = tmp_path / "out.jsonl"
    res = cli("extract", name, name + ".gone", "-o", out, "-w", "1", "--extractors", "rules")
    assert res.exit_code == 2, res.output
    ok, missing = read_records(out)
    assert ok["status"] == "ok" and ok["input"] == str(tmp_path) + "/t\\xff.txt"
    assert missing["errors"][0]["source"] == str(tmp_path) + "/t\\xff.txt.gone"


def test_fail_fast_writes_the_failed_record_and_exits_2(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", make_articles(4), bad_lines={1: BAD_ROWS["title-int"][0]})
    out = tmp_path / "out.jsonl"
    res = cli("extract", src, "-o", out, "-w", "1", "--extractors", "rules", "--fail-fast", "--chunk-size", "1")
    assert res.exit_code == 2, res.output
    recs = read_records(out)
    assert [r["status"] for r in recs] == ["ok", "error"]
    assert recs[1]["errors"][0]["line"] == 2 and "--fail-fast" in res.output


def test_an_inputs_own_problem_is_written_before_any_worker_starts(tmp_path, monkeypatch):
    out = tmp_path / "out.jsonl"
    good = write_jsonl(tmp_path / "good.jsonl", make_articles(2))
    seen = []

    def engine_seen_output(name, **kw):  # the engine starts only after the missing file's record is out
        seen.append(read_records(out))
        raise RuntimeError("stop here")

    monkeypatch.setattr("directive_nlp.engines.make_engine", engine_seen_output)
    with pytest.raises(RuntimeError):
        run_batch([str(tmp_path / "missing.txt"), str(good)], str(out), workers=1, settings=RULES)
    assert "no such file" in seen[0][0]["errors"][0]["reason"]
    # nothing to extract at all: no engine, the run ends at once with the error record
    summary = run_batch([str(tmp_path / "missing.txt")], str(out), workers=1, settings=RULES)
    assert summary.failed == 1 and len(read_records(out)) == 1


def test_internal_error_records_put_the_row_in_line(tmp_path, monkeypatch):
    def broken(self, article):
        raise ValueError("boom")

    monkeypatch.setattr("directive_nlp.pipeline.Pipeline.extract_article", broken)
    src = write_jsonl(tmp_path / "in.jsonl", make_articles(2))
    out = tmp_path / "out.jsonl"
    run_batch([str(src)], str(out), workers=1, settings=RULES)
    errs = [r["errors"][0] for r in read_records(out)]
    assert [(e["source"], e["line"], e["code"]) for e in errs] == [(str(src), 1, "internal"), (str(src), 2, "internal")]
    assert "extraction failed: ValueError: boom" in errs[0]["reason"]


def test_language_errors_of_a_row_put_the_row_in_line(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "fr", "text": "Bonjour à tous, ceci est un texte en français sans intérêt."}])
    out = tmp_path / "out.jsonl"
    run_batch([str(src)], str(out), workers=1, settings=RULES)
    (err,) = read_records(out)[0]["errors"]
    assert (err["source"], err["line"]) == (str(src), 1) and err["reason"].startswith("unsupported language")


def test_summary_prints_file_names_as_text_not_emoji(tmp_path):
    rows = make_articles(99) + [{"id": "bad", "text": 100}]
    src = write_jsonl(tmp_path / "part0.jsonl", rows)
    res = cli("extract", src, "-o", tmp_path / "out.jsonl", "-w", "1", "--extractors", "rules")
    assert res.exit_code == 2
    assert "part0.jsonl:100:" in res.output and "\U0001f4af" not in res.output


def test_a_full_disk_ends_in_one_line(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    src = write_jsonl(tmp_path / "in.jsonl", make_articles(2))
    proc = subprocess.run([sys.executable, "-m", "directive_nlp.cli", "extract", str(src), "-o", "/dev/full", "-w", "1",
                           "--extractors", "rules", "-q"], capture_output=True, text=True, env=_env(), timeout=300)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == ["Error: /dev/full: cannot write: No space left on device (free some space or choose another --output)"]


def test_an_unexpected_error_is_one_line_without_a_traceback(tmp_path, monkeypatch):
    def broken(*a, **kw):
        raise KeyError("weird")

    monkeypatch.setattr("directive_nlp.batch.run_batch", broken)
    res = cli("extract", tmp_path / "x.txt")
    assert res.exit_code == 1 and "internal error: KeyError" in res.output and "Traceback" not in res.output
    assert not isinstance(res.exception, KeyError)


def test_an_unreachable_scheduler_fails_fast_with_a_message(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", make_articles(1))
    started = time.monotonic()
    res = cli("extract", src, "-o", tmp_path / "out.jsonl", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1", "-q")
    assert time.monotonic() - started < 20
    assert res.exit_code == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in res.output, res.output
    assert "Traceback" not in res.output and not isinstance(res.exception, (OSError, TimeoutError))


def test_corpus_validate_outside_the_checkout_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = cli("corpus", "validate")
    assert res.exit_code == 1 and "no corpus/ folder" in res.output and "corpus validate PATH" in res.output
    assert cli("corpus", "validate", "nothere.jsonl").output.strip() == "Error: nothere.jsonl: no such file or folder"
    gold = tmp_path / "g.jsonl"
    gold.write_bytes(b'{"id": "a", "lang": "en", "text": 5, "gold": {}}\n[1]\n{"id": "\xff"}\n' + b"[" * 100_000 + b"\n")
    res = cli("corpus", "validate", gold)
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit), res.exception
    for problem in ("text must be a string", "must be an object", "not valid UTF-8", "malformed JSON"):
        assert problem in res.output


# -- killed runs -----------------------------------------------------------------------------


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}


@pytest.fixture
def reaper():
    """Processes to kill at teardown, whatever the test's outcome: a failing test leaves none."""
    procs: list = []
    yield procs
    for p in procs:
        try:
            p.kill()
        except (psutil.NoSuchProcess, ProcessLookupError, OSError):
            pass


def _start_run(tmp_path, reaper, n: int = 400) -> tuple[subprocess.Popen, list[psutil.Process], Path]:
    src = write_jsonl(tmp_path / "in.jsonl", make_articles(n))
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "directive_nlp.cli", "extract", str(src), "-o", str(out), "--workers", "2",
                             "--chunk-size", "2", "--extractors", "rules"], env=_env(), stderr=subprocess.PIPE, text=True)
    reaper.append(proc)
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        kids = parent.children(recursive=True)
        reaper.extend(kids)
        if len(kids) >= 2 and out.exists() and out.stat().st_size > 0:
            return proc, kids, out
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.1)
    proc.kill()
    pytest.fail("the run did not start writing within 180 s")


def test_kill_9_of_the_parent_leaves_no_worker_behind(tmp_path, reaper):
    proc, workers, _ = _start_run(tmp_path, reaper)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    _, alive = psutil.wait_procs(workers, timeout=5)
    assert alive == [], f"workers still alive 5 s after kill -9 of their parent: {[p.pid for p in alive]}"


@pytest.mark.parametrize("sig,status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_ctrl_c_finish_the_chunk_print_the_summary_and_resume_completes(tmp_path, reaper, sig, status):
    proc, workers, out = _start_run(tmp_path, reaper)
    os.kill(proc.pid, sig)
    try:
        assert proc.wait(60) == status
    except subprocess.TimeoutExpired:
        pytest.fail(f"the run did not stop within 60 s of {sig!r}")
    stderr = proc.stderr.read()
    assert "directive-nlp extract" in stderr and "--resume" in stderr and "Traceback" not in stderr
    _, alive = psutil.wait_procs(workers, timeout=5)
    assert alive == []
    written = out.read_text(encoding="utf-8")
    assert written.endswith("\n")  # whole lines only
    done = len(written.splitlines())
    assert 0 < done < 400
    run_batch([str(tmp_path / "in.jsonl")], str(out), workers=1, settings=RULES, resume=True)
    assert [r["id"] for r in read_records(out)] == [f"a{i}" for i in range(400)]


def test_a_stop_event_ends_run_batch_after_the_chunk_in_flight(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", make_articles(40))
    out = tmp_path / "out.jsonl"
    stop = threading.Event()
    real = batch.Summary.add_result

    def add_and_stop(self, res):
        real(self, res)
        stop.set()

    batch.Summary.add_result = add_and_stop
    try:
        summary = run_batch([str(src)], str(out), workers=2, settings=RULES, chunk_size=4, stop=stop)
    finally:
        batch.Summary.add_result = real
    assert summary.stopped == "stop" and len(read_records(out)) == 4
