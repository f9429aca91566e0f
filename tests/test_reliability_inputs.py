"""Issue 15 (batch part): one bad row, byte or file name costs only itself, never the run."""

from __future__ import annotations

import io
import json
import os

import pytest

from directive_nlp.errors import InputError
from directive_nlp.readers import read_articles, read_bytes
from directive_nlp.schema import Article

GOOD = "UBND thành phố giao Sở Tài chính chủ trì thực hiện Kế hoạch số {n}/KH-UBND trước ngày 30/6/2025."


def good_row(n: int) -> str:
    return json.dumps({"id": f"g{n}", "text": GOOD.format(n=n)}, ensure_ascii=False)


#: bad JSONL rows and the words their error record must hold
BAD_ROWS = {
    "title-int": ('{"id": "b1", "title": 42, "text": "The Ministry shall act."}', "'title' must be a string"),
    "lang-int": ('{"id": "b2", "lang": 7, "text": "The Ministry shall act."}', "'lang' must be a string"),
    "id-object": ('{"id": {"a": 1}, "text": "The Ministry shall act."}', "'id' must be a string or an integer"),
    "published-nan": ('{"id": "b4", "published": NaN, "text": "The Ministry shall act."}', "'published' must be a date string"),
    "published-list": ('{"id": "b5", "published": [2024], "text": "The Ministry shall act."}', "'published' must be a date string"),
    "text-int": ('{"id": "b6", "text": 5}', "'text' must be a string"),
    "surrogate": ('{"id": "b7", "text": "The Ministry \\ud800 shall act."}', "lone surrogate (\\ud800)"),
    "surrogate-title": ('{"id": "b8", "title": "\\udfff", "text": "The Ministry shall act."}', "'title' holds a lone surrogate"),
    "deep": ('{"id": "b9", "x": ' + "[" * 100_000 + "]" * 100_000 + ', "text": "x"}', "nested too deeply"),
    "array": ("[1, 2]", "must be an object, not an array"),
}


def items_of(path, **kw):
    return list(read_articles([str(path)], **kw))


@pytest.mark.parametrize("name", list(BAD_ROWS))
def test_a_bad_jsonl_row_costs_only_itself(tmp_path, name):
    raw, reason = BAD_ROWS[name]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([good_row(0), raw, good_row(1)]) + "\n", encoding="utf-8")
    items = items_of(src)
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "Article"]
    err = items[1]
    assert err.source == str(src) and err.line == 2 and reason in err.reason, err.reason
    assert [a.id for a in items if isinstance(a, Article)] == ["g0", "g1"]


def test_an_integer_id_is_an_id_but_nothing_is_str_converted(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 17, "text": "The Ministry shall act."}\n{"id": true, "text": "The Ministry shall act."}\n')
    a, err = items_of(src)
    assert a.id == "17"
    assert isinstance(err, InputError) and "'id' must be a string or an integer, not true/false" in err.reason


def test_json_reasons_read_well(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "unterminated\nhello world\n{"id": "b" "text": "x"}\n')
    reasons = [e.reason for e in items_of(src)]
    assert reasons[0] == "malformed JSON: unterminated string starting at column 21"
    assert reasons[1] == "malformed JSON: the line is not JSON (it starts with 'hello world')"
    assert reasons[2] == "malformed JSON: expecting ',' delimiter at column 12"
    assert not any("at at" in r for r in reasons)


def test_a_bad_byte_in_a_jsonl_row_costs_that_row(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes((good_row(0) + "\n").encode() + b'{"id": "x", "text": "bad \xff"}\n' + (good_row(1) + "\n").encode())
    items = items_of(src)
    assert [a.id for a in items if isinstance(a, Article)] == ["g0", "g1"]
    assert items[1].line == 2 and items[1].code == "encoding" and "byte 26 of the line" in items[1].reason


def test_an_oversized_jsonl_line_is_skipped_without_reading_it_whole(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(good_row(0) + "\n" + '{"text": "' + "x" * 50_000 + '"}\n' + good_row(1) + "\n", encoding="utf-8")
    items = items_of(src, max_bytes=1000)
    assert [a.id for a in items if isinstance(a, Article)] == ["g0", "g1"]
    assert items[1].line == 2 and items[1].code == "too_large"


def csv_rows(n: int, start: int = 0) -> bytes:
    return "".join(f'r{i},"Đẩy mạnh cải cách hành chính số {i}.",2024-01-01\n' for i in range(start, start + n)).encode()


def test_a_csv_bad_byte_in_the_first_block_costs_only_its_row(tmp_path):
    src = tmp_path / "rows.csv"
    src.write_bytes(b"id,text,published\n" + csv_rows(3) + b'bad,"bad \xff byte",2024-01-01\n' + csv_rows(3, start=3))
    items = items_of(src)
    assert [a.id for a in items if isinstance(a, Article)] == [f"r{i}" for i in range(6)]
    (err,) = [e for e in items if isinstance(e, InputError)]
    assert err.line == 5 and err.code == "encoding" and "field 'text'" in err.reason
    assert [a.input for a in items if isinstance(a, Article)][3] == f"{src}:6"


def test_a_csv_oversized_field_costs_only_its_row(tmp_path):
    src = tmp_path / "rows.csv"
    long_quoted = b'big,"' + (b"x" * 900 + b', ""quoted"" text\n') * 50 + b'",2024\n'
    long_line = b"wide," + b"y" * 60_000 + b",2024\n"
    src.write_bytes(b"id,text,published\n" + csv_rows(2) + long_quoted + csv_rows(1, 2) + long_line + csv_rows(2, 3))
    items = items_of(src, max_bytes=20_000)
    assert [a.id for a in items if isinstance(a, Article)] == ["r0", "r1", "r2", "r3", "r4"]
    errs = [(e.line, e.code) for e in items if isinstance(e, InputError)]
    assert errs == [(4, "too_large"), (56, "too_large")]


def test_a_csv_row_with_a_wrong_shape_costs_only_itself(tmp_path):
    src = tmp_path / "rows.csv"
    src.write_bytes(b"id,text\na,The Ministry shall act.\nb,two,three\nc,The Ministry shall act too.\n")
    items = items_of(src)
    assert [a.id for a in items if isinstance(a, Article)] == ["a", "c"]
    assert items[1].line == 3 and "more than the header" in items[1].reason


@pytest.mark.parametrize("bom", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_decoded(tmp_path, bom):
    text = "Sở Y tế chủ trì thực hiện kế hoạch số 5/KH-UBND."
    data = text.encode(bom) if bom != "utf-16-be" else b"\xfe\xff" + text.encode("utf-16-be")
    (tmp_path / "a.txt").write_bytes(data)
    (tmp_path / "b.jsonl").write_bytes(json.dumps({"id": "j", "text": text}, ensure_ascii=False).encode(bom if bom != "utf-16-be" else "utf-16"))
    (tmp_path / "c.csv").write_bytes(f"id,text\nc,{text}\n".encode(bom if bom != "utf-16-be" else "utf-16"))
    items = items_of(tmp_path)
    assert [type(i).__name__ for i in items] == ["Article"] * 3, items
    assert all(a.text == text for a in items)


def test_a_file_name_that_is_not_utf8_is_read_and_named_escaped(tmp_path):
    name = os.fsdecode(os.fsencode(str(tmp_path)) + b"/bad-\xff.txt")
    with open(name, "w", encoding="utf-8") as fh:
        fh.write("The Ministry of Finance shall submit the plan by June 2025.")
    (a,) = items_of(tmp_path)
    assert a.input.endswith("bad-\\xff.txt")
    a.input.encode("utf-8")  # can be written to any output
    (missing,) = list(read_articles([name + ".missing"]))
    assert missing.source.endswith("bad-\\xff.txt.missing") and missing.code == "missing"


def test_html_input_gives_an_article(tmp_path):
    html = ("<html><head><title>Hà Nội triển khai kế hoạch</title></head><body><article><h1>Hà Nội triển khai kế hoạch</h1>"
            "<p>UBND thành phố giao Sở Kế hoạch và Đầu tư chủ trì thực hiện Kế hoạch số 306/KH-UBND trước ngày 30/6/2025. "
            "Các sở, ngành phối hợp triển khai các nhiệm vụ được giao, báo cáo kết quả về UBND thành phố.</p></article></body></html>")
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    (a,) = items_of(tmp_path)
    assert isinstance(a, Article), a
    assert "306/KH-UBND" in a.text and a.title == "Hà Nội triển khai kế hoạch"
    (up,) = list(read_bytes("upload.html", html.encode(), ".html"))
    assert isinstance(up, Article)


def test_uploaded_jsonl_bytes_get_the_same_row_checks():
    data = ("\n".join([good_row(0), BAD_ROWS["deep"][0], BAD_ROWS["surrogate"][0], good_row(1)]) + "\n").encode()
    items = list(read_bytes("up.jsonl", data, ".jsonl"))
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "InputError", "Article"]
    assert [e.line for e in items if isinstance(e, InputError)] == [2, 3]


def test_stdin_rows_are_checked(monkeypatch):
    data = (good_row(0) + "\n" + BAD_ROWS["title-int"][0] + "\n").encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    items = list(read_articles(["-"]))
    assert isinstance(items[0], Article) and isinstance(items[1], InputError) and items[1].source == "<stdin>"


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from([b'{"id": "x", "text": "The Ministry shall act."}', b'{"text": 5}', b'"\\ud800"', b"\xff\xfe",
                           b'{"title": 1, "text": "a"}', b'{"text": "a \\udc80"}', b'{"id": [1], "text": "a"}', b"[" * 3000, b"{\"x\": " + b"[" * 1200,
                           b"\xef\xbb\xbf", b"[[[[", b'"', b",", b"\r\n", b"\n", b"\x00", b"id,text", b"text", b"<p>", b"NaN"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.lists(st.one_of(_PIECES, st.binary(max_size=20)), max_size=30).map(b"".join),
       suffix=st.sampled_from([".jsonl", ".csv", ".txt", ".html"]))
def test_any_bytes_give_articles_or_input_errors_never_an_exception(data, suffix):
    for item in read_bytes("fuzz" + suffix, data, suffix, max_bytes=5000):
        assert isinstance(item, (Article, InputError))
        if isinstance(item, Article):
            item.model_dump_json()  # every article can be written out


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_utf16_stream_cut_mid_character_keeps_the_rows_before_it(suffix):
    head = '{"id": "a", "text": "The Ministry shall act."}\n' if suffix == ".jsonl" else "id,text\na,The Ministry shall act.\n"
    items = list(read_bytes("cut" + suffix, head.encode("utf-16") + b"\x7d", suffix))
    assert [type(i).__name__ for i in items] == ["Article", "InputError"]
    assert items[1].code == "encoding" and "not valid UTF-16" in items[1].reason
