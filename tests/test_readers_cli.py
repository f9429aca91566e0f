"""Reading bad input gives error records naming input, line and reason; the run goes on."""

import json

from click.testing import CliRunner

from directive_nlp.cli import main
from directive_nlp.errors import InputError
from directive_nlp.readers import read_articles
from directive_nlp.schema import Article


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


def test_bad_inputs_become_errors(tmp_path):
    write(tmp_path, "empty.txt", "")
    write(tmp_path, "binary.txt", b"\x00\x01\x02abc")
    write(tmp_path, "latin1.txt", "Nghị quyết".encode("cp1258", errors="replace") + b"\xff\xfe")
    write(tmp_path, "big.txt", "x" * 2000)
    write(tmp_path, "rows.jsonl", '{"id": "a1", "text": "Sở Y tế chủ trì."}\n{broken\n{"id": "a3"}\n')
    write(tmp_path, "rows.csv", "id,text,published\nc1,\"Đẩy mạnh cải cách.\",2024-01-01\n")
    items = list(read_articles([str(tmp_path)], max_bytes=1000))
    errs = {(e.source.rsplit("/", 1)[-1], e.line, e.code) for e in items if isinstance(e, InputError)}
    assert ("empty.txt", None, "empty") in errs
    assert ("binary.txt", None, "binary") in errs
    assert ("latin1.txt", None, "encoding") in errs
    assert ("big.txt", None, "too_large") in errs
    assert ("rows.jsonl", 2, "json") in errs and ("rows.jsonl", 3, "empty") in errs
    ok = [a for a in items if isinstance(a, Article)]
    assert {a.id for a in ok} == {"a1", "c1"}


def test_txt_layout(tmp_path, ):
    p = write(tmp_path, "a.txt", "Headline here\nDec 14, 2017 / 20:28\nBody text.\nSource: https://example.org/x\n")
    a = next(read_articles([str(p)]))
    assert a.url == "https://example.org/x" and a.title == "Headline here"


def test_extract_cli_exit_status_and_records(tmp_path):
    good = write(tmp_path, "good.txt", "Hà Nội triển khai kế hoạch\nSở KH&ĐT chủ trì thực hiện Kế hoạch số 306/KH-UBND.")
    bad = write(tmp_path, "bad.jsonl", '{"id": "x", "text": "Bonjour à tous, ceci est un texte en français sans intérêt."}\nnot json\n')
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(main, ["extract", str(good), str(bad), "-o", str(out), "-q", "--extractors", "rules"])
    assert res.exit_code == 2, res.output
    recs = [json.loads(l) for l in out.read_text().splitlines()]
    assert len(recs) == 3
    assert recs[0]["document_refs"][0]["id"] == "306/KH-UBND"
    reasons = [e["reason"] for r in recs for e in r["errors"]]
    assert any(r.startswith("unsupported language") for r in reasons)
    assert any("malformed JSON" in r for r in reasons)


def test_extract_cli_ok_and_fail_fast(tmp_path):
    good = write(tmp_path, "good.txt", "Strive to achieve growth of 8% or more by 2025.")
    res = CliRunner().invoke(main, ["extract", str(good), "-q", "--format", "csv", "--extractors", "rules"])
    assert res.exit_code == 0 and "strive" in res.output
    res = CliRunner().invoke(main, ["extract", str(tmp_path / "missing.txt"), "--fail-fast", "-q"])
    assert res.exit_code != 0 and "no such file" in res.output


def test_evaluate_cli_json(tmp_path):
    row = {"id": "t1", "lang": "en", "published": "2025-01-01", "text": "Strive to achieve growth of 8% or more by 2025.",
           "gold": {"document_refs": [], "dates": ["2025"], "agencies": [], "targets": [{"value": 8, "unit": "%", "comparator": ">=", "text": "8%"}],
                    "directives": [{"text": "Strive to achieve growth of 8% or more by 2025.", "verb": "strive", "agencies": []}]}}
    g = write(tmp_path, "g.jsonl", json.dumps(row) + "\n")
    res = CliRunner().invoke(main, ["evaluate", str(g), "--json", "--extractors", "rules"])
    scores = {(r["lang"], r["field"]): r["f1"] for r in json.loads(res.output)["scores"]}
    assert scores[("en", "targets")] == 1.0 and scores[("en", "directives")] == 1.0 and scores[("en", "dates")] == 1.0


def test_schema_command():
    res = CliRunner().invoke(main, ["schema"])
    s = json.loads(res.output)
    assert s["title"] == "directive-nlp article record" and "directives" in s["properties"]


def test_csv_is_streamed_and_bad_bytes_are_reported(tmp_path):
    # rows are decoded line by line: a bad byte costs its own row, every other row is read
    rows = "".join(f'r{i},"Đẩy mạnh cải cách hành chính số {i}.",2024-01-01\n' for i in range(2000))
    p = write(tmp_path, "rows.csv", ("id,text,published\n" + rows).encode("utf-8") + b'r9,"bad \xff byte",2024-01-01\n')
    items = list(read_articles([str(p)]))
    ids = [a.id for a in items if isinstance(a, Article)]
    assert ids == [f"r{i}" for i in range(2000)]
    err = [e for e in items if isinstance(e, InputError)]
    assert len(err) == 1 and err[0].code == "encoding" and err[0].source == str(p) and err[0].line == 2002
