"""Batch extraction at scale: order, resume, duplicates, errors, crashes, Dask."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from directive_nlp.batch import CRASH_ENV, Settings, run_batch
from directive_nlp.cli import main
from directive_nlp.writers import truncate_partial_line

RULES = Settings(extractors="rules")

TEMPLATES = [
    "The Ministry of Finance shall submit the draft decree on {n} public investment projects by June {y}.",
    "The Hanoi People's Committee requested departments to complete {n} kilometres of roads before December {y}.",
    "UBND thành phố Hà Nội giao Sở Kế hoạch và Đầu tư chủ trì triển khai {n} dự án trước ngày 30/6/{y}.",
    "The Ministry of Health must vaccinate {n} percent of children by the end of {y}, the Prime Minister said.",
]


def make_articles(n: int) -> list[dict]:
    """n distinct small articles (ids a0..), two sentences each, varied numbers."""
    out = []
    for i in range(n):
        t1 = TEMPLATES[i % len(TEMPLATES)].format(n=10 + i, y=2024 + i % 5)
        t2 = TEMPLATES[(i + 1) % len(TEMPLATES)].format(n=200 + i, y=2025 + i % 3)
        out.append({"id": f"a{i}", "text": f"Policy news item {i}\n\n{t1} {t2}"})
    return out


def write_jsonl(path: Path, rows: list, bad_lines: dict | None = None) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    for at, raw in sorted((bad_lines or {}).items()):
        lines.insert(at, raw)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_jsonl(tmp_path / "in.jsonl", make_articles(40))


def test_output_is_byte_identical_for_one_and_two_workers(corpus, tmp_path):
    one, two = tmp_path / "w1.jsonl", tmp_path / "w2.jsonl"
    s1 = run_batch([str(corpus)], str(one), workers=1, settings=RULES, chunk_size=3)
    s2 = run_batch([str(corpus)], str(two), workers=2, settings=RULES, chunk_size=5)
    assert one.read_bytes() == two.read_bytes()
    recs = read_records(one)
    assert [r["id"] for r in recs] == [f"a{i}" for i in range(40)]
    assert all(r["status"] == "ok" for r in recs)
    assert s1.directives == s2.directives > 40
    assert s1.articles == 40 and s1.failed == 0


def test_resume_after_a_partial_line_gives_one_record_per_input(corpus, tmp_path):
    full = tmp_path / "full.jsonl"
    run_batch([str(corpus)], str(full), workers=2, settings=RULES)
    data = full.read_bytes()
    lines = data.splitlines(keepends=True)
    cut = tmp_path / "cut.jsonl"
    # 13 whole records, then half of the 14th: what a kill -9 mid-write leaves
    cut.write_bytes(b"".join(lines[:13]) + lines[13][: len(lines[13]) // 2])
    summary = run_batch([str(corpus)], str(cut), workers=2, settings=RULES, resume=True)
    assert summary.skipped == 13 and summary.articles == 27
    recs = read_records(cut)  # every line parses
    assert Counter(r["id"] for r in recs) == Counter(f"a{i}" for i in range(40))
    assert cut.read_bytes() == data  # input order kept: the same bytes as an uninterrupted run
    again = run_batch([str(corpus)], str(cut), workers=1, settings=RULES, resume=True)
    assert again.articles == 0 and again.skipped == 40 and cut.read_bytes() == data


def test_truncate_partial_line(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_bytes(b'{"id":"a"}\n{"id":"b"}\n{"id":')
    assert truncate_partial_line(p) == 6
    assert p.read_bytes() == b'{"id":"a"}\n{"id":"b"}\n'
    assert truncate_partial_line(p) == 0
    p.write_bytes(b'{"id":')
    truncate_partial_line(p)
    assert p.read_bytes() == b""


def test_identical_texts_are_extracted_once(tmp_path):
    arts = make_articles(3)
    rows = arts + [{"id": "copy-of-a1", "text": arts[1]["text"]}, {"id": "copy-of-a1-again", "text": arts[1]["text"]}]
    src = write_jsonl(tmp_path / "dups.jsonl", rows)
    txt = tmp_path / "same.txt"
    txt.write_text(arts[0]["text"], encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = run_batch([str(src), str(txt)], str(out), workers=2, settings=RULES)
    recs = read_records(out)
    assert [r["status"] for r in recs] == ["ok", "ok", "ok", "duplicate", "duplicate", "duplicate"]
    assert summary.duplicates == 3 and summary.failed == 0
    for rec, first in zip(recs[3:], ("a1", "a1", "a0")):
        assert rec["directives"] == [] and rec["errors"][0]["code"] == "duplicate"
        assert f"identical text to article {first}" in rec["errors"][0]["reason"]
    assert len({r["id"] for r in recs}) == 6  # a duplicate never reuses the first record's id
    kept = run_batch([str(src)], str(out), workers=1, settings=RULES, dedupe=False)
    assert kept.duplicates == 0 and [r["status"] for r in read_records(out)] == ["ok"] * 5


def test_bad_jsonl_line_is_an_error_record_and_exit_status_2(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", make_articles(6), bad_lines={2: '{"id": "broken", "text": '})
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(src), "-o", str(out), "--workers", "2", "--extractors", "rules"])
    assert result.exit_code == 2, result.output
    recs = read_records(out)
    assert len(recs) == 7
    assert [r["status"] for r in recs].count("error") == 1
    bad = recs[2]
    assert bad["status"] == "error" and bad["errors"][0]["line"] == 3 and "malformed JSON" in bad["errors"][0]["reason"]
    assert [r["id"] for r in recs if r["status"] == "ok"] == [f"a{i}" for i in range(6)]
    assert "malformed JSON" in result.output  # the summary names the problem
    ok = CliRunner().invoke(main, ["extract", str(tmp_path / "in.jsonl"), "-o", str(out), "--workers", "1", "--extractors", "rules",
                                   "--keep-duplicates", "-q"])
    assert ok.exit_code == 2
    good = write_jsonl(tmp_path / "good.jsonl", make_articles(2))
    assert CliRunner().invoke(main, ["extract", str(good), "-o", str(out), "-w", "1", "--extractors", "rules", "-q"]).exit_code == 0


def test_globs_are_expanded_by_the_cli(tmp_path):
    for i, art in enumerate(make_articles(3)):
        (tmp_path / f"n{i}.txt").write_text(art["text"], encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "n*.txt"), "-o", str(out), "-w", "1", "--extractors", "rules", "-q"])
    assert result.exit_code == 0, result.output
    assert [Path(r["input"]).name for r in read_records(out)] == ["n0.txt", "n1.txt", "n2.txt"]
    missing = CliRunner().invoke(main, ["extract", str(tmp_path / "zz*.txt"), "-o", str(out), "-w", "1", "-q"])
    assert missing.exit_code == 2 and "no such file" in read_records(out)[0]["errors"][0]["reason"]


def test_a_crashing_worker_is_replaced_and_its_article_recorded(tmp_path, monkeypatch):
    arts = make_articles(12)
    arts[5]["text"] += " KILL-THE-WORKER"
    src = write_jsonl(tmp_path / "in.jsonl", arts)
    monkeypatch.setenv(CRASH_ENV, "KILL-THE-WORKER")
    out = tmp_path / "out.jsonl"
    summary = run_batch([str(src)], str(out), workers=2, settings=RULES, chunk_size=4)
    recs = read_records(out)
    assert [r["id"] for r in recs] == [f"a{i}" for i in range(12)]
    assert recs[5]["status"] == "error" and recs[5]["errors"][0]["code"] == "worker_crash"
    assert "retried once" in recs[5]["errors"][0]["reason"]
    # the articles that shared a chunk or the pool with it were retried and succeeded
    assert all(r["status"] == "ok" for i, r in enumerate(recs) if i != 5)
    assert summary.failed == 1


def test_parquet_parts_and_resume(corpus, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "pq"
    run_batch([str(corpus)], str(out), fmt="parquet", workers=2, settings=RULES, rows_per_part=15)
    parts = sorted(p.name for p in out.iterdir())
    assert parts == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    table = pq.read_table(out)
    assert table.column("id").to_pylist() == [f"a{i}" for i in range(40)]
    first = json.loads(table.column("directives")[0].as_py())
    assert first and first[0]["article_id"] == "a0"
    assert table.column("n_directives")[0].as_py() == len(first)
    # a killed run: the last part never got renamed into place
    (out / "part-00002.parquet").rename(out / "part-00002.parquet.tmp")
    summary = run_batch([str(corpus)], str(out), fmt="parquet", workers=1, settings=RULES, rows_per_part=15, resume=True)
    assert summary.skipped == 30 and summary.articles == 10
    assert not list(out.glob("*.tmp"))
    assert sorted(pq.read_table(out).column("id").to_pylist()) == sorted(f"a{i}" for i in range(40))


@pytest.mark.slow
def test_dask_local_cluster_writes_one_parquet_row_per_input(corpus, tmp_path):
    pytest.importorskip("distributed")
    import pyarrow.parquet as pq
    from distributed import LocalCluster

    local = tmp_path / "local.jsonl"
    run_batch([str(corpus)], str(local), workers=2, settings=RULES)
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        out = tmp_path / "pq"
        summary = run_batch([str(corpus)], str(out), fmt="parquet", engine="dask", scheduler=cluster.scheduler_address,
                            settings=RULES, rows_per_part=25)
        jsonl = tmp_path / "dask.jsonl"
        run_batch([str(corpus)], str(jsonl), engine="dask", scheduler=cluster.scheduler_address, settings=RULES)
    assert summary.articles == 40 and summary.failed == 0
    assert sorted(p.name for p in out.iterdir()) == ["part-00000.parquet", "part-00001.parquet"]
    table = pq.read_table(out)
    assert table.num_rows == 40 and table.column("id").to_pylist() == [f"a{i}" for i in range(40)]
    assert set(table.column("status").to_pylist()) == {"ok"}
    assert jsonl.read_bytes() == local.read_bytes()  # same pipeline, same bytes as multiprocessing


@pytest.mark.timeout(300)
def test_trained_models_work_in_forked_workers(corpus, tmp_path):
    """A regression test: loading scikit-learn models in the parent before the fork hung the workers."""
    from directive_nlp.models import load_model_set

    if load_model_set(None, "ensemble") is None:
        pytest.skip("no trained models in this checkout (models/ absent): the ensemble falls back to the rules")
    src = write_jsonl(tmp_path / "few.jsonl", make_articles(8))
    one, two = tmp_path / "e1.jsonl", tmp_path / "e2.jsonl"
    s = run_batch([str(src)], str(two), workers=2, settings=Settings(extractors="ensemble"), chunk_size=2)
    run_batch([str(src)], str(one), workers=1, settings=Settings(extractors="ensemble"), chunk_size=3)
    assert s.articles == 8 and s.failed == 0
    assert one.read_bytes() == two.read_bytes()
