"""Directive records at the desk: the cross-article list and its filters, structured edits, adding a
directive, the review queue and audit, and reviewed data out (export tables, API export, gold rows)."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

try:  # tests/ may or may not be a package
    from .conftest_web import VI_TEXT, TestClient, api_token, app, client, db_url, make_app  # noqa: F401
except ImportError:
    from conftest_web import VI_TEXT, TestClient, api_token, app, client, db_url, make_app  # noqa: F401
from directive_nlp.cli import main

EN_TEXT = "The Ministry of Finance shall review Decree No. 15/2022/ND-CP by December 31, 2024.\n"
HN_TEXT = "Sở Tài chính chủ trì rà soát các khoản chi theo Nghị quyết số 15-NQ/TW trong năm 2030.\n"


@pytest.fixture
def desk(app, client):
    """(client, token headers) with three articles: Vietnamese KH&ĐT, English MoF, Vietnamese Finance."""
    tok = api_token(app, "ed")
    for aid, text, lang in (("kh-306", VI_TEXT, "vi"), ("en-1", EN_TEXT, "en"), ("tc-1", HN_TEXT, "vi")):
        r = client.post("/api/articles", json={"text": text, "id": aid, "lang": lang, "published": "2024-01-05"}, headers=tok)
        assert r.status_code == 201, r.text
    return client, tok


def directives(c, tok, **params) -> dict:
    r = c.get("/api/directives", params=params, headers=tok)
    assert r.status_code == 200, r.text
    return r.json()


def ids(res: dict) -> set:
    return {it["article_id"] for it in res["items"]}


# -- GET /api/directives -----------------------------------------------------------------------------
def test_list_shape_and_paging(desk):
    c, tok = desk
    res = directives(c, tok)
    assert res["total"] == len(res["items"]) >= 3 and ids(res) == {"kh-306", "en-1", "tc-1"}
    it = next(i for i in res["items"] if i["article_id"] == "kh-306")
    assert {"id", "text", "start", "end", "verb", "agencies", "deadline", "targets", "document_refs", "decision", "article_status"} <= set(it)
    assert it["decision"] == "undecided" and it["article_status"] == "new"
    page1, page2 = directives(c, tok, limit=1), directives(c, tok, limit=1, offset=1)
    assert page1["total"] == res["total"] and len(page1["items"]) == 1 and page1["items"][0]["id"] != page2["items"][0]["id"]
    assert c.get("/api/directives").status_code == 401


def test_filter_agency_accent_insensitive_any_name_or_canonical(desk):
    c, tok = desk
    assert ids(directives(c, tok, agency="so ke hoach va dau tu")) == {"kh-306"}
    assert ids(directives(c, tok, agency="Department of Planning and Investment")) == {"kh-306"}
    assert ids(directives(c, tok, agency="SỞ TÀI CHÍNH")) == {"tc-1"}
    assert ids(directives(c, tok, agency="ministry of finance")) == {"en-1"}
    assert directives(c, tok, agency="Bộ Quốc phòng")["total"] == 0
    from directive_nlp.export.tables import agency_id

    assert ids(directives(c, tok, agency=agency_id("Department of Planning and Investment"))) == {"kh-306"}  # the export's id


def test_filter_document_deadline_overdue(desk):
    c, tok = desk
    assert ids(directives(c, tok, document="306/KH-UBND")) == {"kh-306"}
    assert ids(directives(c, tok, document="15-NQ/TW")) == {"tc-1"}
    assert ids(directives(c, tok, deadline_from="2023-10-01", deadline_to="2023-12-31")) == {"kh-306"}
    assert ids(directives(c, tok, deadline_from="2030-01-01")) == {"tc-1"}
    assert ids(directives(c, tok, overdue="1")) == {"kh-306", "en-1"}  # 2023-12-30 and 2024-12-31 are past
    assert ids(directives(c, tok, overdue="0")) == {"tc-1"}


def test_filter_decision_status_language_text(app, desk):
    c, tok = desk
    d = directives(c, tok, lang="en")
    assert ids(d) == {"en-1"}
    target = d["items"][0]
    r = c.patch(f"/api/articles/en-1/directives/{target['row_id']}", json={"version": 1, "decision": "rejected"}, headers=tok)
    assert r.status_code == 200
    assert ids(directives(c, tok, decision="rejected")) == {"en-1"}
    assert "en-1" not in ids(directives(c, tok, decision="undecided"))
    assert ids(directives(c, tok, status="in_review")) == {"en-1"}
    assert ids(directives(c, tok, q="ra soat cac khoan chi")) == {"tc-1"}  # accent-insensitive free text
    assert ids(directives(c, tok, q="trien khai", lang="vi")) == {"kh-306"}


def test_directives_page_and_csv(app, desk):
    from conftest_web import login

    c, tok = desk
    with TestClient(app) as b:
        login(b, "vi")
        html = b.get("/directives", params={"agency": "so ke hoach va dau tu"}).text
        assert "Sở KH&amp;ĐT" in html and "Ministry of Finance" not in html and "1 directive" in html
        r = b.get("/directives.csv", params={"lang": "en"})
        assert r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(r.text.splitlines()))
        assert [x["article_id"] for x in rows] == ["en-1"] and rows[0]["decision"] == "undecided"


# -- structured edits ------------------------------------------------------------------------------
def test_patch_agencies_roles_deadline_targets_documents(app, desk):
    c, tok = desk
    it = directives(c, tok, agency="so ke hoach va dau tu")["items"][0]
    url = f"/api/articles/kh-306/directives/{it['row_id']}"
    ok = {"agencies": [{"name": "Sở KH&ĐT", "canonical": "Department of Planning and Investment", "role": "coordinate"},
                       {"name": "UBND tỉnh", "canonical": "Provincial People's Committee", "role": "issuer"}],
          "deadline": "2024-Q1", "document_refs": ["306/KH-UBND"]}
    r = c.patch(url, json={"version": 1, "decision": "edited", "fields": ok}, headers=tok)
    assert r.status_code == 200, r.text
    p = r.json()["directive"]["payload"]
    assert [(a["name"], a["role"]) for a in p["agencies"]] == [("Sở KH&ĐT", "coordinate"), ("UBND tỉnh", "issuer")] and p["deadline"] == "2024-Q1"
    sk = p["agencies"][0]  # sent without offsets: placed where the name stands in the directive
    assert VI_TEXT[sk["start"]:sk["end"]] == "Sở KH&ĐT" and it["start"] <= sk["start"] < it["end"]
    for bad, msg in (({"deadline": "31/12/2024"}, "not a date the spec allows"), ({"deadline": "2024-02-30"}, "not a calendar date"),
                     ({"agencies": [{"name": "Bộ Quốc phòng", "role": "lead"}]}, "does not occur in the article"),
                     ({"agencies": [{"name": "Sở KH&ĐT", "role": "boss"}]}, "role"), ({"document_refs": ["not a number"]}, "neither one of the article's references")):
        r = c.patch(url, json={"version": 2, "decision": "edited", "fields": bad}, headers=tok)
        assert r.status_code == 422 and msg in r.json()["detail"], (bad, r.json())
    for ok_deadline in ("2024", "2024-06", "2024-06-30", "2026/2030"):
        r = c.patch(url, json={"version": r.json().get("version", 2) if r.status_code == 200 else 2, "decision": "edited", "fields": {"deadline": ok_deadline}}, headers=tok)
        assert r.status_code == 200, (ok_deadline, r.text)


def test_add_directive_from_a_selection_and_edit_its_target(app, desk):
    c, tok = desk
    text = c.get("/api/articles/tc-1", headers=tok).json()["text"]
    sel = "rà soát các khoản chi"
    start = text.index(sel)
    body = {"version": 1, "start": start, "end": start + len(sel), "text": sel,
            "fields": {"verb": "rà soát", "agencies": [{"name": "Sở Tài chính", "role": "lead"}], "deadline": "2030"}}
    r = c.post("/api/articles/tc-1/directives", json=body, headers=tok)
    assert r.status_code == 200, r.text
    d = r.json()["directive"]
    assert d["source"] == "editor" and d["payload"]["text"] == sel and d["payload"]["id"].startswith("d-")
    r = c.post("/api/articles/tc-1/directives", json={**body, "version": 2}, headers=tok)
    assert r.status_code == 422 and "already exists" in r.json()["detail"]
    r = c.post("/api/articles/tc-1/directives", json={**body, "version": 2, "text": "something else"}, headers=tok)
    assert r.status_code == 422 and "does not match" in r.json()["detail"]
    tgt = {"text": "2030", "start": text.index("2030"), "end": text.index("2030") + 4, "value": 100, "unit": "%", "comparator": ">=", "deadline": "2030"}
    r = c.patch(f"/api/articles/tc-1/directives/{d['id']}", json={"version": 2, "decision": "edited", "fields": {"targets": [tgt]}}, headers=tok)
    assert r.status_code == 200 and r.json()["directive"]["payload"]["targets"][0]["comparator"] == ">="
    item = next(i for i in directives(c, tok, decision="added")["items"])
    assert item["article_id"] == "tc-1" and item["text"] == sel


# -- review flow ---------------------------------------------------------------------------------
def test_queue_undecided_count_and_audit_before_after(app, desk):
    from conftest_web import login

    c, tok = desk
    store = app.state.store
    a = store.get_article("kh-306")
    assert store.undecided("kh-306") == len(a["mentions"]) + len(a["directives"])
    d = a["directives"][0]
    store.decide("directive", "kh-306", d["id"], 1, "edited", "ed", {"deadline": "2024-03"})
    store.decide("mention", "kh-306", a["mentions"][0]["id"], 2, "accepted", "ada")
    r = c.get("/api/audit", params={"article": "kh-306", "who": "ed"}, headers=tok).json()
    assert [x["action"] for x in r] == ["edited", "added"]
    with TestClient(app) as b:
        login(b, "ed")
        html = b.get("/audit", params={"article": "kh-306", "who": "ed"}).text
        assert "deadline" in html and "2023-12-30" in html and "2024-03" in html and "ada" not in html.split("<main>")[1]
        first = b.get("/next", follow_redirects=False).headers["location"]
        assert first == "/articles/kh-306"  # in review before new, oldest first
        assert b.get("/next", params={"after": "kh-306"}, follow_redirects=False).headers["location"] == "/articles/en-1"


def test_inbox_search_is_accent_insensitive(app, desk):
    from conftest_web import login

    c, tok = desk
    assert [a["id"] for a in c.get("/api/articles", params={"q": "so tai chinh"}, headers=tok).json()] == ["tc-1"]
    with TestClient(app) as b:
        login(b, "vi")
        html = b.get("/", params={"q": "SO KH&DT"}).text
        assert "/articles/kh-306" in html and "/articles/tc-1" not in html


def test_untitled_upload_gets_a_short_title_cut_at_a_word(app, client):
    from conftest_web import login, page_csrf

    login(client, "ed")
    long_line = "Sở Tài chính chủ trì rà soát toàn bộ các khoản chi thường xuyên của các sở, ban, ngành và địa phương trên địa bàn tỉnh trong năm 2025"
    r = client.post("/api/articles", json={"text": long_line + ".\nDòng thứ hai."}, headers=api_token(app, "ed"))
    title = r.json()["title"]
    assert len(title) <= 80 and title.endswith("…") and long_line.startswith(title[:-1]) and not long_line[len(title) - 1].isalnum()  # cut between words
    page = long_line + " " + long_line + " " + long_line + "\nDòng thứ hai."  # a .txt upload: the reader's title is 300 characters of line one
    r = client.post("/articles/new", data={"csrf": page_csrf(client, "/articles/new")}, files={"file": ("plan.txt", page.encode(), "text/plain")})
    title = app.state.store.list_articles(q="dong thu hai")[0]["title"]
    assert len(title) <= 80 and title.endswith("…") and page.startswith(title[:-1]) and not page[len(title) - 1].isalnum()


# -- reviewed data out ---------------------------------------------------------------------------
def _review_kh306(c, tok, app):
    it = directives(c, tok, agency="so ke hoach va dau tu")["items"][0]
    fields = {"agencies": [{"name": "Sở KH&ĐT", "canonical": "Department of Planning and Investment", "role": "coordinate"}]}
    r = c.patch(f"/api/articles/kh-306/directives/{it['row_id']}", json={"version": 1, "decision": "edited", "fields": fields}, headers=tok)
    assert r.status_code == 200
    a = c.get("/api/articles/kh-306", headers=tok).json()
    date = next(m for m in a["mentions"] if m["kind"] == "dates")
    assert c.patch(f"/api/articles/kh-306/mentions/{date['id']}", json={"version": 2, "decision": "rejected"}, headers=tok).status_code == 200
    text = a["text"]
    sel = "UBND tỉnh ban hành Kế hoạch số 306/KH-UBND"
    body = {"version": 3, "start": text.index(sel), "end": text.index(sel) + len(sel), "text": sel,
            "fields": {"verb": "ban hành", "agencies": [{"name": "UBND tỉnh", "canonical": "Provincial People's Committee", "role": "issuer"}],
                       "document_refs": ["306/KH-UBND"]}}
    assert c.post("/api/articles/kh-306/directives", json=body, headers=tok).status_code == 200
    r = c.post("/api/articles/kh-306/status", json={"version": 4, "status": "reviewed"}, headers=tok)
    assert r.status_code == 200 and r.json()["undecided"] > 0 and "undecided" in r.json()["warning"]
    return it


def test_export_cli_reviewed_only_carries_decisions_roles_and_review(app, desk, db_url, tmp_path):
    c, tok = desk
    it = _review_kh306(c, tok, app)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["export", db_url, "-o", str(out), "--reviewed-only", "--format", "csv", "-q"])
    assert res.exit_code == 0, res.output
    read = lambda n: list(csv.DictReader((out / f"{n}.csv").open(encoding="utf-8")))  # noqa: E731
    arts = read("articles")
    assert [(a["article_id"], a["review_status"], a["reviewed_by"]) for a in arts] == [("kh-306", "reviewed", "ed")] and arts[0]["reviewed_at"]
    dirs = {d["directive_id"]: d for d in read("directives")}
    assert dirs[it["id"]]["decision"] == "edited" and "added" in {d["decision"] for d in dirs.values()}
    roles = {(r["directive_id"], r["name"]): r["role"] for r in read("directive_agencies")}
    assert roles[(it["id"], "Sở KH&ĐT")] == "coordinate"
    mention = next(m for m in read("agency_mentions") if m["text"] == "Sở KH&ĐT")
    assert (mention["role"], mention["decision"]) == ("coordinate", "edited")  # the mention at the same place follows the editor
    assert read("dates") == []  # the rejected date is left out
    assert {m["decision"] for m in read("agency_mentions")} <= {"undecided", "accepted", "edited", "added"}
    assert "rejected" not in {m["decision"] for m in read("agency_mentions")}
    full = tmp_path / "full"
    assert CliRunner().invoke(main, ["export", db_url, "-o", str(full), "--format", "jsonl", "-q"]).exit_code == 0
    dates = [json.loads(x) for x in (full / "dates.jsonl").open(encoding="utf-8")]
    assert [d["decision"] for d in dates if d["article_id"] == "kh-306"] == ["rejected"]
    assert {json.loads(x)["article_id"] for x in (full / "articles.jsonl").open(encoding="utf-8")} == {"kh-306", "en-1", "tc-1"}


@pytest.mark.parametrize("fmt", ["parquet", "xlsx"])
def test_export_other_formats_have_the_decision_column(app, desk, db_url, tmp_path, fmt):
    c, tok = desk
    _review_kh306(c, tok, app)
    res = CliRunner().invoke(main, ["export", db_url, "-o", str(tmp_path / fmt), "--reviewed-only", "--format", fmt, "-q"])
    assert res.exit_code == 0, res.output
    from directive_nlp.export.datapackage import read_table

    rows = read_table(tmp_path / fmt, "directives")
    assert {r["decision"] for r in rows} == {"edited", "added"}


def test_api_export_carries_review_fields(app, desk):
    c, tok = desk
    _review_kh306(c, tok, app)
    lines = [json.loads(x) for x in c.get("/api/export", params={"reviewed_only": 1}, headers=tok).text.splitlines()]
    assert [r["id"] for r in lines] == ["kh-306"]
    r = lines[0]
    assert r["review"]["status"] == "reviewed" and r["review"]["reviewer"] == "ed" and r["review"]["reviewed_at"]
    assert {d["decision"] for d in r["directives"]} == {"edited", "added"} and r["dates"] == []
    full = [json.loads(x) for x in c.get("/api/export", headers=tok).text.splitlines()]
    kh = next(x for x in full if x["id"] == "kh-306")
    assert [d["decision"] for d in kh["dates"]] == ["rejected"]
    assert next(x for x in full if x["id"] == "en-1")["review"]["status"] == "new"


def test_missing_desk_database_is_a_clear_error(tmp_path):
    res = CliRunner().invoke(main, ["export", f"sqlite:///{tmp_path / 'nope.db'}", "-o", str(tmp_path / "o")])
    assert res.exit_code != 0 and "no such desk database" in res.output and "Traceback" not in res.output


def test_corpus_from_desk_rows_pass_validate_and_carry_corrections(app, desk, db_url, tmp_path):
    c, tok = desk
    it = _review_kh306(c, tok, app)
    gold = tmp_path / "extra_desk.jsonl"
    res = CliRunner().invoke(main, ["corpus", "from-desk", db_url, "-o", str(gold)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in gold.open(encoding="utf-8")]
    assert [r["id"] for r in rows] == ["kh-306"]
    g = rows[0]["gold"]
    edited = next(d for d in g["directives"] if d["start"] == it["start"])
    assert [(a["name"], a["role"]) for a in edited["agencies"]] == [("Sở KH&ĐT", "coordinate")]  # the editor's role
    added = next(d for d in g["directives"] if d["text"].startswith("UBND tỉnh ban hành"))
    assert added["agencies"][0]["role"] == "issuer" and added["document_refs"] == ["306/KH-UBND"]
    assert g["dates"] == []  # the rejected date is not gold
    res = CliRunner().invoke(main, ["corpus", "validate", str(gold)])
    assert res.exit_code == 0, res.output


def test_an_agency_may_be_named_by_its_gazetteer_name_when_the_article_mentions_it(app, desk, db_url, tmp_path):
    """Text says "Sở KH&ĐT"; an editor types the full name: accepted, canonical filled, gold row valid."""
    c, tok = desk
    it = directives(c, tok, agency="so ke hoach va dau tu")["items"][0]
    fields = {"agencies": [{"name": "Sở Kế hoạch và Đầu tư", "role": "coordinate"}]}
    r = c.patch(f"/api/articles/kh-306/directives/{it['row_id']}", json={"version": 1, "decision": "edited", "fields": fields}, headers=tok)
    assert r.status_code == 200, r.text
    assert r.json()["directive"]["payload"]["agencies"][0]["canonical"] == "Department of Planning and Investment"
    r = c.patch(f"/api/articles/kh-306/directives/{it['row_id']}", json={"version": 2, "decision": "edited",
                "fields": {"agencies": [{"name": "Bộ Tài chính", "role": "lead"}]}}, headers=tok)
    assert r.status_code == 422 and "does not occur in the article" in r.json()["detail"]  # a body the article never names
    assert c.post("/api/articles/kh-306/status", json={"version": 2, "status": "reviewed"}, headers=tok).status_code == 200
    gold = tmp_path / "g.jsonl"
    assert CliRunner().invoke(main, ["corpus", "from-desk", db_url, "-o", str(gold)]).exit_code == 0
    row = json.loads(gold.read_text(encoding="utf-8"))
    assert any(a["role"] == "coordinate" for d in row["gold"]["directives"] for a in d["agencies"])
    assert CliRunner().invoke(main, ["corpus", "validate", str(gold)]).exit_code == 0
