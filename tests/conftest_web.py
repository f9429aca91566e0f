"""Shared helpers for the editor desk tests (imported by tests/test_web_*.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from directive_nlp.pipeline import Pipeline  # noqa: E402
from directive_nlp.web.app import create_app  # noqa: E402
from directive_nlp.web.store import Store  # noqa: E402

PASSWORD = "correct horse battery"
#: a short Vietnamese directive with an agency, a document and a deadline
VI_TEXT = ("UBND tỉnh ban hành Kế hoạch số 306/KH-UBND.\n"
           "Sở KH&ĐT chủ trì triển khai Kế hoạch số 306/KH-UBND trước ngày 30/12/2023.\n")
XSS_TEXT = ("<script>alert(1)</script> Sở KH&ĐT chủ trì triển khai Kế hoạch số 306/KH-UBND trước ngày 30/12/2023. "
            "<img src=x onerror=alert(1)>\n")
_PIPELINE: Optional[Pipeline] = None


def pipeline() -> Pipeline:
    """One rules pipeline for the whole test session (loading lexicons takes a second)."""
    global _PIPELINE
    if _PIPELINE is None:
        _PIPELINE = Pipeline(extractors="rules")
    return _PIPELINE


def make_app(db_url: str, **kw):
    """An app with three users (admin, editor, viewer) and the shared pipeline."""
    app = create_app(db_url, pipeline=pipeline(), secret="test-secret", **kw)
    store: Store = app.state.store
    for name, role in (("ada", "admin"), ("ed", "editor"), ("vi", "viewer")):
        if store.user(name) is None:
            store.add_user(name, role, PASSWORD)
    return app


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" (?:value|content)="([^"]+)"', html)
    assert m, "page has no CSRF token"
    return m.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD):
    """Log ``client`` in through the form; returns the response (303 on success)."""
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"name": name, "password": password, "csrf": token}, follow_redirects=False)


def page_csrf(client: TestClient, path: str = "/") -> str:
    return csrf_of(client.get(path).text)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'desk.sqlite3'}"


@pytest.fixture
def app(db_url):
    return make_app(db_url)


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture
def editor(app):
    """A client logged in as the editor ``ed``."""
    with TestClient(app) as c:
        assert login(c, "ed").status_code == 303
        yield c


def add_article(client: TestClient, text: str = VI_TEXT, **form) -> str:
    """Add an article through the form; returns its id (from the redirect)."""
    r = client.post("/articles/new", data={"text": text, "csrf": page_csrf(client, "/articles/new"), **form}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"].rsplit("/", 1)[-1]


def api_token(app, name: str) -> dict:
    return {"Authorization": f"Bearer {app.state.store.create_token(name)}"}
