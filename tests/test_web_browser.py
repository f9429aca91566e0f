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
    page.keyboard.press("j")  # third mention: "Sở KH&ĐT"
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
