"""What every route needs: the desk's parts, the person asking, their rights, and page rendering.

Routers take these as FastAPI dependencies (``Depends(page_writer)``), so a new router (a document
page, say) gets login, roles and CSRF by naming them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..annotate import KINDS
from .auth import LoginLimiter, SessionCodec, client_ip, csrf_ok
from .store import Store

WRITERS = ("admin", "editor")


class HTTPProblem(Exception):
    """A refusal with a status and a message for the person (HTML) or script (JSON)."""

    def __init__(self, status: int, detail: str, headers: Optional[dict] = None):
        self.status, self.detail, self.headers = status, detail, headers or {}
        super().__init__(detail)


class LoginRequired(Exception):
    pass


@dataclass
class Desk:
    """The parts of one running desk (``app.state.desk``)."""

    store: Store
    pipeline: Any
    codec: SessionCodec
    limiter: LoginLimiter
    templates: Jinja2Templates
    max_upload: int
    secure_cookies: bool = False
    trusted_proxies: frozenset = field(default_factory=frozenset)


def desk(request: Request) -> Desk:
    return request.app.state.desk


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "") \
        or request.headers.get("content-type", "").startswith("application/json")


def ip_of(request: Request) -> str:
    d = desk(request)
    return client_ip(request.client.host if request.client else None, request.headers.get("x-forwarded-for"), d.trusted_proxies)


def mark_dirty(request: Request, session: Optional[dict] = None) -> None:
    """Send the cookie again (``session`` replaces the current one)."""
    if session is not None:
        request.state.session = session
        request.state.user = None
    request.state.session_dirty = True


def session_user(request: Request) -> Optional[dict]:
    """The logged-in user of a live server-side session (logout, a password change or removal end it)."""
    if getattr(request.state, "user", None) is None:
        sid = request.state.session.get("sid")
        request.state.user = desk(request).store.session_user(sid) if sid else None
    return request.state.user


def page_user(request: Request) -> dict:
    user = session_user(request)
    if user is None:
        raise LoginRequired()
    return user


def need_writer(user: dict) -> dict:
    if user["role"] not in WRITERS:
        raise HTTPProblem(403, f"{user['name']} is a {user['role']}: viewers can read but not change articles.")
    return user


def check_csrf(request: Request, sent: Optional[str] = None) -> None:
    if not csrf_ok(request.state.session, sent or request.headers.get("x-csrf-token")):
        raise HTTPProblem(403, "The form's security token (CSRF) is missing or out of date. Reload the page and try again.")


def page_writer(request: Request, user: dict = Depends(page_user)) -> dict:
    """An editor or admin on a page; JSON writes from pages carry the CSRF token in a header."""
    return need_writer(user)


def json_writer(request: Request, user: dict = Depends(page_writer)) -> dict:
    check_csrf(request)
    return user


def api_user(request: Request) -> dict:
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    user = desk(request).store.user_for_token(token) if token else None
    if user is None:
        raise HTTPProblem(401, "Send an API token as 'Authorization: Bearer <token>' (create one with: directive-nlp users token NAME).",
                          {"WWW-Authenticate": "Bearer"})
    return user


def api_writer(user: dict = Depends(api_user)) -> dict:
    return need_writer(user)


def any_user(request: Request) -> dict:
    """A logged-in browser or an API token (for ``/api/openapi.json``)."""
    if request.headers.get("authorization"):
        return api_user(request)
    user = session_user(request)
    if user is None:
        raise HTTPProblem(401, "Log in, or send an API token as 'Authorization: Bearer <token>'.")
    return user


def page(request: Request, name: str, ctx: dict, status: int = 200) -> HTMLResponse:
    """Render a template with the user, the CSRF token and the one-time flash message."""
    sess = request.state.session
    flash = sess.pop("flash", None)
    if flash:
        mark_dirty(request)
    base = {"request": request, "user": session_user(request), "csrf": sess["csrf"], "flash": flash, "kinds": KINDS}
    return desk(request).templates.TemplateResponse(request, name, {**base, **ctx}, status_code=status)


def flash(request: Request, message: str) -> None:
    request.state.session["flash"] = message
    mark_dirty(request)


def safe_next(url: str) -> str:
    """Only same-site paths after login (no open redirect)."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else "/"


async def in_thread(fn, *args):
    """Extraction is CPU work: keep it off the event loop."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)
