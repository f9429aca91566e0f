"""Editor desk: routes, auth, CSRF, rate limit, roles, escaping, uploads, concurrency, re-extraction."""

from __future__ import annotations

import json

import pytest

try:  # tests/ may or may not be a package
    from .conftest_web import (PASSWORD, VI_TEXT, XSS_TEXT, TestClient, add_article, api_token, app, client, csrf_of,
                          db_url, editor, login, make_app, page_csrf, pipeline)  # noqa: F401
except ImportError:
    from conftest_web import (PASSWORD, VI_TEXT, XSS_TEXT, TestClient, add_article, api_token, app, client, csrf_of,
                          db_url, editor, login, make_app, page_csrf, pipeline)  # noqa: F401
from directive_nlp.schema import ArticleRecord


def data(c: TestClient, aid: str) -> dict:
    r = c.get(f"/articles/{aid}/data")
    assert r.status_code == 200, r.text
    return r.json()


def hdr(c: TestClient, aid: str) -> dict:
    return {"X-CSRF-Token": csrf_of(c.get(f"/articles/{aid}").text)}


# -- login, session, CSRF, rate limit ----------------------------------------------------------------
def test_pages_need_login_and_cookie_is_httponly_lax(client):
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    r = login(client, "ed")
    assert r.status_code == 303
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert client.get("/").status_code == 200
    assert "default-src 'self'" in client.get("/").headers["content-security-policy"]


def test_wrong_password_and_logout(client):
    r = login(client, "ed", "wrong password")
    assert r.status_code == 401 and "Wrong user name or password" in r.text
    assert login(client, "nobody").status_code == 401
    assert login(client, "ed").status_code == 303
    r = client.post("/logout", data={"csrf": page_csrf(client)}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_tampered_cookie_is_not_a_session(client):
    login(client, "ed")
    raw = client.cookies.get("dnlp_session")
    client.cookies.clear()
    client.cookies.set("dnlp_session", raw[:-2] + ("AA" if raw[-2:] != "AA" else "BB"))
    assert client.get("/", follow_redirects=False).status_code == 303


def test_csrf_rejected_on_forms_and_json(editor):
    r = editor.post("/login", data={"name": "ed", "password": PASSWORD, "csrf": "forged"})
    assert r.status_code == 403 and "CSRF" in r.text
    r = editor.post("/articles/new", data={"text": VI_TEXT, "csrf": "forged"})
    assert r.status_code == 403
    aid = add_article(editor)
    m = data(editor, aid)["mentions"][0]
    r = editor.post(f"/articles/{aid}/mentions/{m['id']}", json={"version": 1, "decision": "accepted"})
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]
    assert data(editor, aid)["mentions"][0]["decision"] is None


def test_login_rate_limit(client):
    for _ in range(5):
        assert login(client, "ed", "bad password").status_code == 401
    r = login(client, "ed")  # even the right password waits now
    assert r.status_code == 429 and "Too many login attempts" in r.text
    assert login(client, "ada").status_code == 303  # other users are not locked out


def test_parallel_wrong_logins_are_counted_before_the_password_check(app, monkeypatch):
    """30 wrong passwords at once: the count is taken atomically before argon2, so at most the
    limit (5) of them reach the password check."""
    from concurrent.futures import ThreadPoolExecutor

    store = app.state.store
    checked = []
    real = store.check_password

    def counting(name, password):
        checked.append(name)
        return real(name, password)

    monkeypatch.setattr(store, "check_password", counting)

    def attempt(_):
        with TestClient(app) as c:
            return login(c, "ed", "wrong password").status_code

    with ThreadPoolExecutor(30) as pool:
        codes = list(pool.map(attempt, range(30)))
    assert len(checked) <= 5, f"{len(checked)} passwords were checked"
    assert codes.count(429) >= 25 and set(codes) <= {401, 429}


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(db_url):
    app = make_app(db_url, login_limit=3, login_ip_limit=50)
    with TestClient(app) as c:
        for i in range(4):
            c.headers["X-Forwarded-For"] = f"10.9.9.{i}"
            code = login(c, "ed", "bad password").status_code
        assert code == 429  # rotating the header did not reset the per-account limit
    app2 = make_app(db_url.replace("desk.sqlite3", "desk2.sqlite3"), login_limit=50, login_ip_limit=3, trusted_proxies=["testclient"])
    with TestClient(app2) as c:
        codes = []
        for i in range(4):
            c.headers["X-Forwarded-For"] = "7.7.7.7"
            codes.append(login(c, f"user{i}", "bad password").status_code)
        c.headers["X-Forwarded-For"] = "8.8.8.8"
        assert codes == [401, 401, 401, 429] and login(c, "ed").status_code == 303  # the trusted proxy's header names the client


def test_many_user_names_from_one_address_hit_the_address_limit(client):
    codes = [login(client, f"guess{i}", "bad password").status_code for i in range(20)]
    assert codes[:10] == [401] * 10 and set(codes[10:]) == {429}


def test_serve_leaves_uvicorn_proxy_headers_off():
    from directive_nlp.web.cli import uvicorn_options

    assert uvicorn_options("127.0.0.1", 8000)["proxy_headers"] is False


def test_a_cookie_copied_before_logout_stops_working(client):
    login(client, "ed")
    copied = client.cookies.get("dnlp_session")
    assert client.post("/logout", data={"csrf": page_csrf(client)}, follow_redirects=False).status_code == 303
    client.cookies.clear()
    client.cookies.set("dnlp_session", copied)
    assert client.get("/", follow_redirects=False).status_code == 303


def test_password_change_and_removal_end_sessions(app, client):
    store = app.state.store
    login(client, "ed")
    assert client.get("/", follow_redirects=False).status_code == 200
    assert store.set_password("ed", "another long pw") == 1
    assert client.get("/", follow_redirects=False).status_code == 303
    assert login(client, "ed", "another long pw").status_code == 303
    store.set_role("ed", "viewer")
    assert client.get("/articles/new").status_code == 403  # the role holds at once
    store.remove_user("ed")
    assert client.get("/", follow_redirects=False).status_code == 303


def test_openapi_needs_a_login_and_docs_page_is_gone(app, client):
    assert client.get("/api/openapi.json").status_code == 401
    assert client.get("/api/docs").status_code in (401, 404)
    assert client.get("/api/openapi.json", headers=api_token(app, "vi")).json()["info"]["title"]


# -- roles -------------------------------------------------------------------------------------------
def test_viewer_reads_but_cannot_write(app, editor):
    aid = add_article(editor)
    with TestClient(app) as v:
        login(v, "vi")
        assert v.get(f"/articles/{aid}").status_code == 200
        assert v.get("/articles/new").status_code == 403
        m = data(v, aid)["mentions"][0]
        r = v.post(f"/articles/{aid}/mentions/{m['id']}", json={"version": 1, "decision": "rejected"}, headers=hdr(v, aid))
        assert r.status_code == 403 and "viewer" in r.json()["detail"]
        r = v.post("/articles/new", data={"text": VI_TEXT, "csrf": page_csrf(v)})
        assert r.status_code == 403
    tok = api_token(app, "vi")
    assert editor.get("/api/articles", headers=tok).status_code == 200
    r = editor.patch(f"/api/articles/{aid}/mentions/{m['id']}", json={"version": 1, "decision": "rejected"}, headers=tok)
    assert r.status_code == 403
    r = editor.post("/api/articles", json={"text": VI_TEXT + " x"}, headers=tok)
    assert r.status_code == 403
    assert data(editor, aid)["mentions"][0]["decision"] is None


# -- escaping ------------------------------------------------------------------------------------------
def test_xss_payloads_are_escaped(editor):
    aid = add_article(editor, XSS_TEXT, title="<img src=x onerror=alert(2)>")
    html = editor.get(f"/articles/{aid}").text
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x onerror" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '<mark class="m-agency"' in html  # highlighting still works
    inbox = editor.get("/").text
    assert "<img src=x" not in inbox and "&lt;img src=x onerror=alert(2)&gt;" in inbox


# -- adding articles -------------------------------------------------------------------------------
def test_upload_too_large_is_413(editor):
    big = b"a" * (2 * 1024 * 1024 + 1)
    r = editor.post("/articles/new", data={"csrf": page_csrf(editor)}, files={"file": ("big.txt", big, "text/plain")})
    assert r.status_code == 413 and "big.txt: is over the 2.1 MB upload limit" in r.text
    huge = b"a" * (3 * 1024 * 1024)
    r = editor.post("/articles/new", data={"csrf": page_csrf(editor)}, files={"file": ("huge.txt", huge, "text/plain")})
    assert r.status_code == 413 and "the limit is" in r.text and "Extract and add" in r.text  # on the form, not a bare page


def test_chunked_body_is_cut_off_as_it_streams(app, editor):
    """No Content-Length (chunked): the limit still holds on the bytes as they arrive."""
    def body():
        for _ in range(30):
            yield b"x" * (1024 * 1024)

    r = editor.post("/api/articles", content=body(), headers={**api_token(app, "ed"), "Content-Type": "application/json"})
    assert r.status_code == 413 and "limit" in r.json()["detail"]
    r = editor.post("/articles/new", content=body(), headers={"Content-Type": "multipart/form-data; boundary=xyz"})
    assert r.status_code == 413 and "too large: the limit is" in r.text and "Extract and add" in r.text


def test_api_text_limit_counts_bytes_not_characters(app, client):
    text = "Sở KH&ĐT chủ trì. " + "ệ" * (800 * 1024)  # 800 K characters, 2.4 MB in UTF-8
    r = client.post("/api/articles", json={"text": text}, headers=api_token(app, "ed"))
    assert r.status_code in (413, 422) and "limit" in r.json()["detail"]


def test_bad_uploads_get_a_4xx_with_a_message_on_the_page(app, editor):
    deep = ('{"id": "deep", "text": ' + "[" * 100000 + "]" * 100000 + "}").encode()
    surrogate = rb'{"id": "s1", "text": "S\u1edf KH \ud800 ch\u1ee7 tr\u00ec."}'
    cases = {"deep.jsonl": deep, "lone.jsonl": surrogate, "page.html": b"<html><body><p>S\xe1\xbb\x9f KH&amp;\xc4\x90T ch\xe1\xbb\xa7 tr\xc3\xac.</p></body></html>",
             "ids.jsonl": b'{"id": "../x/<b>y", "text": "Bo Tai chinh"}\n{"id": "' + b"a" * 300 + b'", "text": "Bo Tai chinh"}'}
    for name, data in cases.items():
        r = editor.post("/articles/new", data={"csrf": page_csrf(editor)}, files={"file": (name, data, "application/octet-stream")})
        if name == "page.html" and r.status_code in (200, 303):
            continue  # HTML read fine (the reader has lxml's cleaner): an article, not a 500
        assert 400 <= r.status_code < 500, (name, r.status_code)
        assert 'class="error"' in r.text and name in r.text, name
    assert "not allowed" in r.text and "&lt;b&gt;" in r.text  # the bad id is named, escaped
    r = editor.post("/api/articles", content=b'{"text": "S\\ud800 ch\\u1ee7 tr\\u00ec"}', headers={**api_token(app, "ed"), "Content-Type": "application/json"})
    assert r.status_code == 422 and "text" in r.json()["detail"]  # refused, not a 500
    ids = {a["id"] for a in editor.get("/api/articles", headers=api_token(app, "ed")).json()}
    assert not any("/" in i or len(i) > 120 for i in ids)


def test_new_text_under_a_known_id_is_a_409_naming_the_conflict(app, editor):
    tok = api_token(app, "ed")
    assert editor.post("/api/articles", json={"text": VI_TEXT, "id": "kh-1"}, headers=tok).status_code == 201
    r = editor.post("/api/articles", json={"text": VI_TEXT, "id": "kh-1"}, headers=tok)
    assert r.status_code == 200 and r.json()["created"] is False  # the same text is a duplicate
    r = editor.post("/api/articles", json={"text": VI_TEXT + "Thêm một câu.", "id": "kh-1"}, headers=tok)
    assert r.status_code == 409 and "kh-1" in r.json()["detail"] and "different text" in r.json()["detail"]
    row = json.dumps({"id": "kh-1", "text": "Bộ Tài chính chủ trì rà soát.", "lang": "vi"}).encode()
    r = editor.post("/articles/new", data={"csrf": page_csrf(editor)}, files={"file": ("again.jsonl", row, "application/jsonl")})
    assert r.status_code == 409 and "different text" in r.text and "Added" not in r.text
    assert editor.get("/api/articles/kh-1", headers=tok).json()["text"] == VI_TEXT


def test_pasted_crlf_is_normalised_and_offsets_hold(editor):
    aid = add_article(editor, VI_TEXT.replace("\n", "\r\n"))
    d = data(editor, aid)
    assert "\r" not in d["text"] and d["text"] == VI_TEXT
    assert all(d["text"][m["start"]:m["end"]] == m["text"] for m in d["mentions"])
    missed = "Kế hoạch số 306/KH-UBND"
    start = d["text"].rindex(missed)  # on the second line: a \r\n would shift it by one
    r = editor.post(f"/articles/{aid}/mentions", json={"version": 1, "kind": "document_refs", "start": start, "end": start + len(missed), "text": missed},
                    headers=hdr(editor, aid))
    assert r.status_code in (200, 422)
    assert r.status_code == 200 or "already exists" in r.json()["detail"]


def test_patch_cannot_change_a_directives_offsets_text_or_article(app, client):
    tok = api_token(app, "ed")
    client.post("/api/articles", json={"text": VI_TEXT, "id": "kh-2"}, headers=tok)
    d = client.get("/api/articles/kh-2", headers=tok).json()["directives"][0]
    for fields in ({"start": 0}, {"end": 3}, {"text": "x"}, {"article_id": "other"}, {"start": 0, "end": 3, "text": "UBN", "article_id": "kh-2"}):
        r = client.patch(f"/api/articles/kh-2/directives/{d['id']}", json={"version": 1, "decision": "edited", "fields": fields}, headers=tok)
        assert r.status_code == 422 and "cannot be edited" in r.json()["detail"], fields
    m = client.get("/api/articles/kh-2", headers=tok).json()["mentions"][0]
    r = client.patch(f"/api/articles/kh-2/mentions/{m['id']}", json={"version": 1, "decision": "edited", "fields": {"start": 1}}, headers=tok)
    assert r.status_code == 422
    rec = app.state.store.record("kh-2")
    assert all(rec.text[x.start:x.end] == x.text for x in rec.directives)


def test_invalid_form_rerenders_with_what_was_typed(editor):
    r = editor.post("/articles/new", data={"text": "Sở Y tế chủ trì <b>kiểm tra</b>.", "published": "31/05/2024", "title": "My title", "csrf": page_csrf(editor)})
    assert r.status_code == 422
    assert "Published date must look like 2024-05-31" in r.text
    assert "Sở Y tế chủ trì &lt;b&gt;kiểm tra&lt;/b&gt;." in r.text and 'value="My title"' in r.text
    r = editor.post("/articles/new", data={"csrf": page_csrf(editor)}, files={"file": ("notes.pdf", b"%PDF", "application/pdf")})
    assert r.status_code == 422 and "unsupported file type .pdf" in r.text


def test_jsonl_upload_adds_each_row_and_names_bad_rows(editor):
    rows = [json.dumps({"id": "r1", "text": VI_TEXT, "lang": "vi"}), "{not json", json.dumps({"id": "r2", "text": "Bộ Tài chính chủ trì rà soát Nghị định số 15/2022/NĐ-CP.", "lang": "vi"})]
    r = editor.post("/articles/new", data={"csrf": page_csrf(editor)}, files={"file": ("batch.jsonl", "\n".join(rows).encode(), "application/jsonl")})
    assert r.status_code == 200  # followed the redirect to the inbox
    assert "Added 2 article(s)" in r.text and "batch.jsonl" in r.text
    ids = {a["id"] for a in editor.get("/api/articles", headers=api_token(editor.app, "ed")).json()}
    assert ids == {"r1", "r2"}


def test_inbox_filters_and_search(editor):
    a1 = add_article(editor)
    add_article(editor, "The Ministry of Finance shall review Decree No. 15/2022/ND-CP by December 31, 2024.\n", lang="en")
    r = editor.get("/?lang=en")
    assert "Ministry of Finance" in r.text and "UBND tỉnh" not in r.text
    assert "UBND tỉnh" in editor.get("/?q=306/KH").text
    assert "Ministry of Finance" not in editor.get("/?q=306/KH").text
    assert a1 in editor.get("/?status=new").text and a1 not in editor.get("/?status=reviewed").text


# -- decisions, concurrency, audit --------------------------------------------------------------------
def test_stale_version_gets_409_and_nothing_is_lost(app, editor):
    aid = add_article(editor)
    ms = data(editor, aid)["mentions"]
    with TestClient(app) as other:
        login(other, "ada")
        r = other.post(f"/articles/{aid}/mentions/{ms[0]['id']}", json={"version": 1, "decision": "rejected"}, headers=hdr(other, aid))
        assert r.status_code == 200 and r.json()["version"] == 2
    r = editor.post(f"/articles/{aid}/mentions/{ms[1]['id']}", json={"version": 1, "decision": "accepted"}, headers=hdr(editor, aid))
    assert r.status_code == 409
    body = r.json()
    assert "changed by ada" in body["detail"] and "not saved" in body["detail"]
    assert body["current_version"] == 2 and body["your_change"]["decision"] == "accepted"
    assert body["changes"][0]["action"] == "rejected" and body["changes"][0]["after"]["text"] == ms[0]["text"]
    now = data(editor, aid)
    assert now["mentions"][0]["decision"] == "rejected" and now["mentions"][1]["decision"] is None
    r = editor.post(f"/articles/{aid}/mentions/{ms[1]['id']}", json={"version": 2, "decision": "accepted"}, headers=hdr(editor, aid))
    assert r.status_code == 200
    assert [m["decision"] for m in data(editor, aid)["mentions"][:2]] == ["rejected", "accepted"]


def test_edit_add_missed_mention_directive_and_audit(app, editor):
    aid = add_article(editor)
    d = data(editor, aid)
    agency = next(m for m in d["mentions"] if m["kind"] == "agencies")
    h = hdr(editor, aid)
    r = editor.post(f"/articles/{aid}/mentions/{agency['id']}", json={"version": 1, "decision": "edited", "fields": {"role": "boss"}}, headers=h)
    assert r.status_code == 422 and "role" in r.json()["detail"]
    r = editor.post(f"/articles/{aid}/mentions/{agency['id']}", json={"version": 1, "decision": "edited", "fields": {"canonical": "Sở Kế hoạch và Đầu tư"}}, headers=h)
    assert r.status_code == 200 and r.json()["mention"]["payload"]["canonical"] == "Sở Kế hoạch và Đầu tư"
    text = data(editor, aid)["text"]
    r = editor.post(f"/articles/{aid}/mentions", json={"version": 2, "kind": "agencies", "start": 0, "end": 9, "text": "UBND tỉnh"}, headers=h)
    assert r.status_code == 422 and "already exists" in r.json()["detail"]
    missed = "Kế hoạch số 306/KH-UBND"
    start = text.index(missed)
    r = editor.post(f"/articles/{aid}/mentions", json={"version": 2, "kind": "document_refs", "start": start, "end": start + len(missed), "text": missed + "?"}, headers=h)
    assert r.status_code == 422 and "does not match" in r.json()["detail"]
    r = editor.post(f"/articles/{aid}/mentions", json={"version": 2, "kind": "document_refs", "start": start, "end": start + len(missed), "text": missed, "fields": {"id": "306/KH-UBND"}}, headers=h)
    assert r.status_code == 200 and r.json()["mention"]["source"] == "editor" and r.json()["mention"]["decision"] == "accepted"
    directive = d["directives"][0]
    fields = {"agencies": [{"name": "Sở KH&ĐT", "canonical": "Sở Kế hoạch và Đầu tư", "role": "lead"}], "deadline": "2023-12-31"}
    r = editor.post(f"/articles/{aid}/directives/{directive['id']}", json={"version": 3, "decision": "edited", "fields": fields}, headers=h)
    assert r.status_code == 200 and r.json()["directive"]["payload"]["deadline"] == "2023-12-31"
    r = editor.post(f"/articles/{aid}/status", json={"version": 4, "status": "reviewed"}, headers=h)
    open_ = app.state.store.undecided(aid)
    assert open_ > 0 and r.status_code == 409 and f"{open_} item(s) are still undecided" in r.json()["detail"]
    r = editor.post(f"/articles/{aid}/status", json={"version": 4, "status": "reviewed", "force": True}, headers=h)
    assert r.status_code == 200 and r.json()["undecided"] == open_
    audit = app.state.store.audit(aid)
    actions = [(a["who"], a["action"], a["object"].split(":")[0]) for a in reversed(audit)]
    assert actions == [("ed", "added", "article"), ("ed", "edited", "mention"), ("ed", "added", "mention"),
                       ("ed", "edited", "directive"), ("ed", "edited", "mention"),  # the mention at the directive's agency follows it
                       ("ed", "status:reviewed", "article")]
    assert audit[-2]["before"]["payload"]["canonical"] != "Sở Kế hoạch và Đầu tư"
    assert audit[-2]["after"]["payload"]["canonical"] == "Sở Kế hoạch và Đầu tư"
    assert all(a["at"] for a in audit)


class ShiftedPipeline:
    """The real rules pipeline after a 'rules update': drops the date, marks agencies as found by a model."""

    def extract(self, *args, **kw):
        rec = pipeline().extract(*args, **kw)
        rec.dates = []
        for a in rec.agencies:
            a.source = "model"
        return rec


def test_reextraction_keeps_editor_decisions(app, editor):
    aid = add_article(editor)
    d = data(editor, aid)
    by_kind = {m["kind"]: m for m in d["mentions"]}
    h = hdr(editor, aid)
    store = app.state.store
    store.decide("mention", aid, by_kind["document_refs"]["id"], 1, "rejected", "ed")
    store.decide("mention", aid, by_kind["dates"]["id"], 2, "edited", "ed", {"value": "2023-12-31"})
    store.decide("directive", aid, d["directives"][0]["id"], 3, "accepted", "ed")
    out = store.reextract(aid, ShiftedPipeline(), "ada")
    assert out["version"] == 5 and out["kept_decisions"] == 3
    after = {(m["kind"], m["start"], m["end"]): m for m in data(editor, aid)["mentions"]}
    ref = after[("document_refs", by_kind["document_refs"]["start"], by_kind["document_refs"]["end"])]
    assert ref["decision"] == "rejected"
    date = after[("dates", by_kind["dates"]["start"], by_kind["dates"]["end"])]  # the new rules dropped it; the editor's edit stays
    assert date["decision"] == "edited" and date["payload"]["value"] == "2023-12-31"
    agencies = [m for m in after.values() if m["kind"] == "agencies"]
    assert agencies and all(m["source"] == "model" and m["decision"] is None for m in agencies)  # undecided: replaced, model > rule
    assert data(editor, aid)["directives"][0]["decision"] == "accepted"
    r = editor.post(f"/articles/{aid}/reextract", headers=h)
    assert r.status_code == 200 and r.json()["kept_decisions"] == 3


# -- JSON API ------------------------------------------------------------------------------------------
def test_api_round_trip_and_export(app, client):
    tok = api_token(app, "ed")
    assert client.get("/api/articles").status_code == 401
    assert client.get("/api/articles", headers={"Authorization": "Bearer nope"}).status_code == 401
    r = client.post("/api/articles", json={"text": VI_TEXT, "published": "2023-01-05", "id": "kh-306"}, headers=tok)
    assert r.status_code == 201 and r.json()["id"] == "kh-306" and r.json()["published"] == "2023-01-05"
    assert client.post("/api/articles", json={"text": VI_TEXT, "id": "kh-306"}, headers=tok).status_code == 200
    r = client.post("/api/articles", json={"text": "", "published": "5/1/2023"}, headers=tok)
    assert r.status_code == 422 and "text" in r.json()["detail"] and "published" in r.json()["detail"]
    r = client.post("/api/articles", json={"text": "Bonjour tout le monde, ceci est un texte en français pour tester la langue."}, headers=tok)
    assert r.status_code == 422 and "unsupported language" in r.json()["detail"]
    assert client.get("/api/articles/nope", headers=tok).status_code == 404
    a = client.get("/api/articles/kh-306", headers=tok).json()
    assert a["text"] == VI_TEXT and a["mentions"]
    doc = next(m for m in a["mentions"] if m["kind"] == "document_refs")
    r = client.patch(f"/api/articles/kh-306/mentions/{doc['id']}", json={"version": 1, "decision": "accepted"}, headers=tok)
    assert r.status_code == 200
    date = next(m for m in a["mentions"] if m["kind"] == "dates")
    client.patch(f"/api/articles/kh-306/mentions/{date['id']}", json={"version": 2, "decision": "rejected"}, headers=tok)
    assert client.get("/api/export?reviewed_only=1", headers=tok).text == ""
    assert client.post("/api/articles/kh-306/status", json={"version": 3, "status": "reviewed"}, headers=tok).status_code == 200
    lines = client.get("/api/export?reviewed_only=1", headers=tok).text.splitlines()
    assert len(lines) == 1
    rec = ArticleRecord.model_validate_json(lines[0])
    assert rec.id == "kh-306" and rec.dates == []  # rejected mentions are left out
    assert [(r.id, r.source) for r in rec.document_refs][0] == ("306/KH-UBND", "editor")
    assert all(rec.text[m.start:m.end] == m.text for _, m in rec.mentions())
    assert all(m.source != "editor" for m in rec.agencies)  # nobody decided these


# -- store, migrations, CLI ---------------------------------------------------------------------------
def test_migration_matches_models_and_secret_persists(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from directive_nlp.web.store import Base, Store

    store = Store.open(db_url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    secret = store.secret()
    assert len(secret) > 40 and Store.open(db_url).secret() == secret  # generated once, kept


def test_bad_db_url_is_a_clear_error():
    from directive_nlp.errors import InputError
    from directive_nlp.web.store import Store

    with pytest.raises(InputError, match="database URL"):
        Store.open("desk.sqlite3")


def test_cli_users(tmp_path):
    from click.testing import CliRunner

    from directive_nlp.cli import main

    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    runner = CliRunner()
    r = runner.invoke(main, ["users", "add", "lan", "--role", "editor", "--password-stdin", "--db", db], input="long enough pw\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["users", "add", "lan", "--role", "editor", "--password-stdin", "--db", db], input="long enough pw\n")
    assert r.exit_code != 0 and "already exists" in r.output
    r = runner.invoke(main, ["users", "add", "short", "--role", "viewer", "--password-stdin", "--db", db], input="abc\n")
    assert r.exit_code != 0 and "at least 8" in r.output
    r = runner.invoke(main, ["users", "add", "kim", "--role", "admin", "--db", db], input="another pw 1\nanother pw 1\n")
    assert r.exit_code == 0, r.output
    tok = runner.invoke(main, ["users", "token", "lan", "--db", db])
    assert tok.exit_code == 0 and tok.output.startswith("dnlp_")
    assert runner.invoke(main, ["users", "token", "ghost", "--db", db]).exit_code != 0
    listed = runner.invoke(main, ["users", "list", "--db", db]).output
    assert "lan\teditor" in listed and "kim\tadmin" in listed
    app = make_app(db)
    with TestClient(app) as c:
        assert c.get("/api/articles", headers={"Authorization": f"Bearer {tok.output.strip()}"}).status_code == 200


def test_cli_revoke_remove_set_role_set_password(tmp_path):
    from click.testing import CliRunner

    from directive_nlp.cli import main

    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    run = lambda *a, input=None: CliRunner().invoke(main, ["users", *a, "--db", db], input=input)  # noqa: E731
    assert run("add", "lan", "--role", "editor", "--password-stdin", input="long enough pw\n").exit_code == 0
    tok = run("token", "lan").output.strip()
    app = make_app(db)
    bearer = {"Authorization": f"Bearer {tok}"}
    with TestClient(app) as c:
        assert c.get("/api/articles", headers=bearer).status_code == 200
        r = run("revoke-token", "lan")
        assert r.exit_code == 0 and "revoked 1 token" in r.output
        assert c.get("/api/articles", headers=bearer).status_code == 401
        assert run("revoke-token", "lan", "--token", "dnlp_nope").exit_code != 0
        r = run("set-role", "lan", "viewer")
        assert r.exit_code == 0 and app.state.store.user("lan")["role"] == "viewer"
        assert login(c, "lan", "long enough pw").status_code == 303
        r = run("set-password", "lan", "--password-stdin", input="a new long pw\n")
        assert r.exit_code == 0 and "1 session(s) ended" in r.output
        assert c.get("/", follow_redirects=False).status_code == 303
        assert login(c, "lan", "a new long pw").status_code == 303
        assert run("remove", "lan").exit_code == 0 and app.state.store.user("lan") is None
        assert c.get("/", follow_redirects=False).status_code == 303
    assert run("remove", "ghost").exit_code != 0 and "no user named" in run("remove", "ghost").output
