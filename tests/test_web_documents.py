"""The desk's document page: relations both ways, directives that implement or cite the document,
a drawn graph with escaped labels; document ids on review pages link there."""

from __future__ import annotations

try:  # tests/ may or may not be a package
    from .conftest_web import TestClient, add_article, app, client, db_url, editor, login  # noqa: F401
except ImportError:
    from conftest_web import TestClient, add_article, app, client, db_url, editor, login  # noqa: F401

CHAIN = ("UBND tỉnh ban hành Kế hoạch số 120/KH-UBND triển khai Chương trình hành động số 25-CTr/TU của Tỉnh ủy "
         "thực hiện Nghị quyết số 29-NQ/TW về công nghiệp hóa.\n"
         "Sở Kế hoạch và Đầu tư chủ trì triển khai thực hiện Chương trình hành động số 25-CTr/TU trước ngày 30/6/2025.\n")
XSS = ("<script>alert(1)</script> Program 25-CTr/TU implements Resolution 29-NQ/TW <img src=x onerror=alert(2)>.\n")


def test_document_page_lists_relations_both_ways_and_directives(editor):
    aid = add_article(editor, CHAIN, published="2025-01-02")
    page = editor.get(f"/articles/{aid}").text
    assert 'href="/documents/25-CTr%2FTU"' in page  # document ids on the review page link to their page
    r = editor.get("/documents/25-CTr%2FTU")
    assert r.status_code == 200, r.text
    up, down = r.text.split("What acts on it")
    assert "implements" in up and 'href="/documents/29-NQ%2FTW"' in up
    assert "implemented by" in down and 'href="/documents/120%2FKH-UBND"' in down
    directives = down.split("Directives that implement or cite it")[1]
    assert "chủ trì triển khai thực hiện" in directives and 'class="rel rel-implements"' in directives
    assert "<svg" in r.text and "<script" not in r.text.split("</main>")[0].split("<main>")[1]


def test_document_page_escapes_article_text(editor):
    add_article(editor, XSS, lang="en")
    r = editor.get("/documents/29-NQ%2FTW")
    assert r.status_code == 200, r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text and "<script>alert(1)" not in r.text
    assert "<img src=x" not in r.text


def test_unknown_document_is_404_and_page_needs_login(editor, client):
    r = editor.get("/documents/99-XX%2FTW")
    assert r.status_code == 404 and "no such document" in r.text
    assert client.get("/documents/29-NQ%2FTW", follow_redirects=False).status_code in (303, 401)


def test_graph_svg_escapes_labels():
    from directive_nlp.export.neighbourhood import Link
    from directive_nlp.web.documents import graph_svg

    evil = '"><script>alert(1)</script>'
    link = Link("implements", evil, {"relation": "implements"}, [])
    svg = str(graph_svg(evil, [link], [link]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "style=" not in svg
