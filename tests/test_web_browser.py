"""The desk in a real browser: Playwright driving Debian's chromium against uvicorn on a free port."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("playwright")
try:  # tests/ may or may not be a package
    from .conftest_web import PASSWORD, VI_TEXT, XSS_TEXT, make_app  # noqa: E402,F401
except ImportError:
    from conftest_web import PASSWORD, VI_TEXT, XSS_TEXT, make_app  # noqa: E402,F401

from directive_nlp.schema import Article  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is missing: apt-get install -y chromium")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """(base URL, app) of a desk served by uvicorn in a thread."""
    import uvicorn

    app = make_app(f"sqlite:///{tmp_path / 'desk.sqlite3'}")
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    srv.should_exit = True
    t.join(10)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _saved(page, what: str) -> None:
    page.wait_for_function("w => document.getElementById('notice').textContent.startsWith('Saved: ' + w)", arg=what, timeout=10000)


def test_review_with_the_keyboard(server, browser, tmp_path):
    base, app = server
    store = app.state.store
    art, _ = store.add_article(Article(id="kh-306", text=VI_TEXT + XSS_TEXT, lang="vi"), app.state.pipeline, "ada")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    alerts: list[str] = []
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    page.goto(base + "/articles/kh-306")
    assert "/login" in page.url
    page.fill("input[name=name]", "ed")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/articles/kh-306")
    page.wait_for_selector("#mentions li")

    page.keyboard.press("?")
    assert page.is_visible("#help")
    page.keyboard.press("Escape")
    assert not page.is_visible("#help")

    page.keyboard.press("j")  # first mention: "UBND tỉnh"
    assert page.eval_on_selector("mark.current", "m => m.textContent") == "UBND tỉnh"
    page.keyboard.press("a")
    _saved(page, "accepted agencies")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    page.keyboard.press("j")  # j/k reach directives too: the card of the sentence comes before its first mention
    assert page.eval_on_selector(".card.current", "c => c.querySelector('.verb').textContent")
    page.keyboard.press("j")  # then "Sở KH&ĐT"
    assert page.eval_on_selector("mark.current", "m => m.textContent") == "Sở KH&ĐT"
    page.keyboard.press("e")
    page.wait_for_selector("dialog#edit[open]")
    page.fill("dialog#edit input[name=canonical]", "Sở Kế hoạch và Đầu tư tỉnh")
    page.fill("dialog#edit input[name=role]", "lead")
    page.click("#edit-save")
    _saved(page, "edited agencies")

    page.reload()
    page.wait_for_selector("#mentions li")
    marks = page.eval_on_selector_all("#text mark", "ms => ms.map(m => [m.textContent, m.className])")
    assert "dec-accepted" in marks[0][1] and marks[0][0] == "UBND tỉnh"
    assert "dec-edited" in marks[2][1] and marks[2][0] == "Sở KH&ĐT"
    assert "Sở Kế hoạch và Đầu tư tỉnh · lead" in page.inner_text("#mentions")
    edited = next(m for m in store.get_article("kh-306")["mentions"] if m["decision"] == "edited")
    assert edited["payload"]["canonical"] == "Sở Kế hoạch và Đầu tư tỉnh"

    # the XSS payloads are text, not markup, and nothing ran
    text = page.inner_text("#text")
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text
    assert page.eval_on_selector_all("#text script, #text img", "els => els.length") == 0
    assert alerts == []

    page.keyboard.press("j")
    shot = tmp_path / "review.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    if os.environ.get("DESK_SCREENSHOT"):  # make docs/review.png: DESK_SCREENSHOT=docs/review.png pytest ...
        shutil.copy(shot, Path(os.environ["DESK_SCREENSHOT"]))


def test_stale_save_shows_conflict_and_reapplies(server, browser):
    base, app = server
    store = app.state.store
    store.add_article(Article(id="kh-1", text=VI_TEXT, lang="vi"), app.state.pipeline, "ada")
    page = browser.new_page()
    page.goto(base + "/login?next=/articles/kh-1")
    page.fill("input[name=name]", "ed")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#mentions li")
    first = store.get_article("kh-1")["mentions"]
    store.decide("mention", "kh-1", first[1]["id"], 1, "rejected", "ada")  # another editor, meanwhile
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.wait_for_selector("#conflict:not([hidden])")
    assert "changed by ada" in page.inner_text("#conflict")
    assert "Your change (not saved yet)" in page.inner_text("#conflict")
    page.click("#reapply")
    _saved(page, "accepted agencies")
    decisions = [m["decision"] for m in store.get_article("kh-1")["mentions"][:2]]
    assert decisions == ["accepted", "rejected"]  # both people's work is kept


TARGET_TEXT = ("UBND tỉnh ban hành Kế hoạch số 306/KH-UBND.\n"
               "Sở KH&ĐT chủ trì, phối hợp với Sở Tài chính phấn đấu đến năm 2025 tỷ lệ giải ngân đạt trên 95% theo Kế hoạch số 306/KH-UBND.\n"
               "Các sở, ngành báo cáo kết quả thực hiện.\n")


def _login(page, base: str, path: str) -> None:
    page.goto(base + "/login?next=" + path)
    page.fill("input[name=name]", "ed")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + path)


def _shot(page, name: str, tmp_path) -> None:
    shot = tmp_path / name
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    if os.environ.get("DESK_SCREENSHOTS"):  # DESK_SCREENSHOTS=docs pytest tests/test_web_browser.py
        shutil.copy(shot, Path(os.environ["DESK_SCREENSHOTS"]) / name)


def test_edit_a_directives_agencies_role_deadline_targets_documents(server, browser, tmp_path):
    base, app = server
    store = app.state.store
    store.add_article(Article(id="kh-t", text=TARGET_TEXT, lang="vi"), app.state.pipeline, "ada")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    _login(page, base, "/articles/kh-t")
    page.wait_for_selector("#directives .card")
    card = page.locator("#directives .card").first
    assert "Sở KH&ĐT" in card.inner_text() and "lead" in card.inner_text() and ">= 95 %" in card.inner_text()
    card.get_by_role("button", name="edit").click()
    page.wait_for_selector("dialog#dir-edit[open]")
    rows = page.locator("#dir-agencies tbody tr")
    assert rows.count() == 2
    rows.nth(0).locator(".ag-role").select_option("coordinate")
    rows.nth(1).get_by_role("button", name="remove").click()
    page.click("#dir-add-agency")
    new = page.locator("#dir-agencies tbody tr").last
    new.locator(".ag-name").fill("Sở Tài chính")  # a gazetteer name: the canonical fills itself
    new.locator(".ag-name").press("Tab")
    assert new.locator(".ag-canonical").input_value() == "Department of Finance"
    new.locator(".ag-role").select_option("lead")
    page.fill("#dir-deadline", "31/12/2025")
    page.click("#dir-save")
    assert "Deadline" in page.inner_text("#dir-error") and page.is_visible("dialog#dir-edit")
    page.fill("#dir-deadline", "2025-Q4")
    trow = page.locator("#dir-targets tbody tr").first
    trow.locator(".t-value").fill("96")
    trow.locator(".t-comparator").select_option(">=")
    trow.locator(".t-deadline").fill("2025")
    page.check("#dir-docs input[value='306/KH-UBND']")
    page.click("#dir-save")
    _saved(page, "edited directive")
    d = next(x for x in store.get_article("kh-t")["directives"] if x["text"].startswith("Sở KH&ĐT"))
    p = d["payload"]
    assert d["decision"] == "edited"
    assert [(a["name"], a["canonical"], a["role"]) for a in p["agencies"]] == [
        ("Sở KH&ĐT", "Department of Planning and Investment", "coordinate"), ("Sở Tài chính", "Department of Finance", "lead")]
    assert p["deadline"] == "2025-Q4" and p["document_refs"] == ["306/KH-UBND"]
    assert [(t["value"], t["comparator"], t["unit"], t["deadline"]) for t in p["targets"]] == [(96, ">=", "%", "2025")]
    page.wait_for_selector("#directives .card.dec-edited")
    assert "2025-Q4" in page.locator("#directives .card").first.inner_text()
    assert "deadline" in page.inner_text("#audit") and "2025-Q4" in page.inner_text("#audit")  # before/after per field
    page.keyboard.press("j")
    _shot(page, "review.png", tmp_path)


_SELECT = """([start, end]) => {
  const root = document.getElementById('text');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let pos = 0, range = document.createRange(), n;
  while ((n = walker.nextNode())) {
    const len = n.data.length;
    if (pos <= start && start <= pos + len) range.setStart(n, start - pos);
    if (pos <= end && end <= pos + len) { range.setEnd(n, end - pos); break; }
    pos += len;
  }
  const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
  root.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
}"""


def test_add_a_directive_from_a_selection(server, browser):
    base, app = server
    store = app.state.store
    store.add_article(Article(id="kh-s", text=TARGET_TEXT, lang="vi"), app.state.pipeline, "ada")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    _login(page, base, "/articles/kh-s")
    page.wait_for_selector("#directives .card")
    before = page.locator("#directives .card").count()
    sel = "UBND tỉnh ban hành Kế hoạch số 306/KH-UBND"
    page.evaluate(_SELECT, [TARGET_TEXT.index(sel), TARGET_TEXT.index(sel) + len(sel)])
    page.wait_for_selector("#add-bar:not([hidden])")
    assert page.inner_text("#add-text") == sel and page.input_value("#add-kind") == "directive"
    page.click("#add-ok")
    page.wait_for_selector("dialog#dir-edit[open]")  # the new directive opens in the editor
    assert page.inner_text("#dir-text") == sel
    page.fill("#dir-verb", "ban hành")
    page.click("#dir-add-agency")
    page.locator("#dir-agencies tbody tr").last.locator(".ag-name").fill("UBND tỉnh")
    page.locator("#dir-agencies tbody tr").last.locator(".ag-canonical").fill("Provincial People's Committee")
    page.locator("#dir-agencies tbody tr").last.locator(".ag-role").select_option("issuer")
    page.check("#dir-docs input[value='306/KH-UBND']")
    page.click("#dir-save")
    _saved(page, "edited directive")
    assert page.locator("#directives .card").count() == before + 1
    added = next(x for x in store.get_article("kh-s")["directives"] if x["source"] == "editor")
    assert added["text"] == sel and added["payload"]["verb"] == "ban hành"
    assert [(a["name"], a["role"]) for a in added["payload"]["agencies"]] == [("UBND tỉnh", "issuer")]
    rec = store.record_dict("kh-s")
    assert next(d for d in rec["directives"] if d["text"] == sel)["decision"] == "added"


def test_directives_page_with_a_filter(server, browser, tmp_path):
    base, app = server
    store = app.state.store
    store.add_article(Article(id="kh-d", text=TARGET_TEXT, lang="vi", title="Giải ngân vốn đầu tư công"), app.state.pipeline, "ada")
    store.add_article(Article(id="en-d", text="The Ministry of Finance shall review Decree No. 15/2022/ND-CP by December 31, 2024.\n", lang="en"), app.state.pipeline, "ada")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    _login(page, base, "/directives")
    assert page.locator("#directive-table tbody tr").count() == 3
    page.fill("input[name=agency]", "so ke hoach va dau tu")
    page.click("#directive-filters button[type=submit]")
    page.wait_for_url("**agency=so+ke+hoach**")
    rows = page.locator("#directive-table tbody tr")
    assert rows.count() == 1 and "Sở KH&ĐT" in rows.first.inner_text() and "Ministry of Finance" not in page.inner_text("main")
    assert page.inner_text("#count").startswith("1 directive")
    assert "agency=so+ke+hoach+va+dau+tu" in page.get_attribute("#csv-link", "href")
    _shot(page, "directives.png", tmp_path)
    page.click("#directive-table a[href='/articles/kh-d']")
    page.wait_for_url(base + "/articles/kh-d")


def test_mark_reviewed_warns_while_items_are_undecided(server, browser):
    base, app = server
    store = app.state.store
    store.add_article(Article(id="kh-w", text=VI_TEXT, lang="vi"), app.state.pipeline, "ada")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    _login(page, base, "/articles/kh-w")
    page.wait_for_selector("#mentions li")
    total = store.undecided("kh-w")
    page.click("#mark-reviewed")
    page.wait_for_selector("#undecided-warning:not([hidden])")
    assert f"{total} of {total} items are still undecided" in page.inner_text("#undecided-warning")
    assert store.get_article("kh-w")["status"] == "new"  # nothing was sent
    page.click("#goto-undecided")
    assert page.locator(".current").count() == 1
    page.keyboard.press("a")
    page.wait_for_function(f"() => document.getElementById('open-count').textContent === '{total - 1} undecided'")
    page.click("#mark-reviewed")
    assert f"{total - 1} of {total} items" in page.inner_text("#undecided-warning")
    page.click("#review-anyway")
    _saved(page, "mark reviewed")
    a = store.get_article("kh-w")
    assert a["status"] == "reviewed" and a["reviewed_by"] == "ed"


def test_a_viewer_reads_the_review_page_without_script_errors(server, browser):
    base, app = server
    app.state.store.add_article(Article(id="kh-v", text=TARGET_TEXT, lang="vi"), app.state.pipeline, "ada")
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/login?next=/articles/kh-v")
    page.fill("input[name=name]", "vi")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#directives .card")
    assert page.locator("#directives .card button").count() == 0 and not page.is_visible("#mark-reviewed")
    page.keyboard.press("j")
    page.keyboard.press("n")
    assert page.locator(".current").count() == 1
    page.goto(base + "/directives?q=giai+ngan")
    assert page.locator("#directive-table tbody tr").count() == 1
    assert errors == []


def test_add_a_directive_from_the_keyboard(server, browser):
    base, app = server
    store = app.state.store
    text = "Sở Tài chính rà soát các khoản chi. Kế hoạch số 306/KH-UBND cũng được nhắc tới.\n"
    store.add_article(Article(id="kh-k", text=text, lang="vi"), app.state.pipeline, "ada")
    sentence = "Kế hoạch số 306/KH-UBND cũng được nhắc tới."
    assert sentence not in {d["text"] for d in store.get_article("kh-k")["directives"]}
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    _login(page, base, "/articles/kh-k")
    page.wait_for_selector("#mentions li")
    for _ in range(8):  # walk to the document mention of the second sentence
        page.keyboard.press("j")
        if page.locator("mark.current").count() and "306/KH-UBND" in page.eval_on_selector("mark.current", "m => m.textContent"):
            break
    page.keyboard.press("d")
    page.wait_for_selector("#add-bar:not([hidden])")
    assert page.inner_text("#add-text") == sentence and page.input_value("#add-kind") == "directive"
    page.keyboard.press("Enter")  # the Add button has the focus
    page.wait_for_selector("dialog#dir-edit[open]")
    assert page.inner_text("#dir-text") == sentence
    page.keyboard.press("Escape")
    added = [d for d in store.get_article("kh-k")["directives"] if d["source"] == "editor"]
    assert [d["text"] for d in added] == [sentence]
