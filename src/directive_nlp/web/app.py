"""The editor desk: a FastAPI app over ``store.Store``.

    >>> app = create_app("sqlite:///desk.sqlite3")   # doctest: +SKIP
    >>> import uvicorn; uvicorn.run(app)              # doctest: +SKIP

Pages (session cookie, CSRF token on every write) live at ``/``, ``/login``, ``/articles/...``,
``/directives`` and ``/audit``; the JSON API for scripts lives under ``/api/`` and takes
``Authorization: Bearer <token>``.  The routers are in ``routes/``, what they share in ``deps``.
Article text reaches HTML only through ``directive_nlp.annotate.to_html`` (escaped) and Jinja's
autoescape.  ``/api/openapi.json`` needs a login or a token; there is no Swagger page (it would
load scripts from a CDN, which the content security policy forbids).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable, Optional

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import InputError
from .auth import COOKIE, SESSION_MAX_AGE, LoginLimiter, SessionCodec, new_session
from .deps import Desk, HTTPProblem, LoginRequired, page, page_user, wants_json
from .documents import add_document_routes
from .routes import api, auth, pages, review
from .routes.review import article_view
from .schemas import MAX_UPLOAD
from .store import StaleVersion, Store, StoreError

HERE = Path(__file__).resolve().parent
#: room for the multipart envelope and form fields around an upload of ``max_upload`` bytes
ENVELOPE = 64 * 1024
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int):
        shown = max(limit - ENVELOPE, 1)
        super().__init__(413, f"The upload is too large: the limit is {shown / 1e6:.1f} MB. Split the file or paste a shorter text.")


class BodyLimit:
    """ASGI middleware: refuses a body over ``limit`` bytes (413) when the route reads it: at once
    when Content-Length says so, else as the bytes stream in (chunked bodies too).  The refusal is
    an exception the app's handlers answer, so the editor sees it on the form they sent."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length", b"")
        seen = int(length) if length.isdigit() and int(length) > self.limit else 0

        async def limited():
            nonlocal seen
            if seen > self.limit:
                raise BodyTooLarge(self.limit)
            msg = await receive()
            seen += len(msg.get("body", b""))
            if seen > self.limit:
                raise BodyTooLarge(self.limit)
            return msg

        await self.app(scope, limited, send)


def create_app(db_url: str = "sqlite:///desk.sqlite3", pipeline: Any = None, secret: Optional[str] = None,
               max_upload: int = MAX_UPLOAD, login_limit: int = 5, login_window: float = 60.0, secure_cookies: bool = False,
               login_ip_limit: int = 10, trusted_proxies: Iterable[str] = ()) -> FastAPI:
    """The desk app over the database at ``db_url`` (migrated on start).

    ``pipeline`` defaults to ``Pipeline()``; the cookie secret comes from ``secret``, else
    ``DIRECTIVE_NLP_SECRET``, else one generated once and kept in the database.  Logins are
    limited to ``login_limit`` attempts per account and ``login_ip_limit`` per client address in
    ``login_window`` seconds; ``X-Forwarded-For`` counts only from a peer in ``trusted_proxies``.
    """
    store = Store.open(db_url)
    if pipeline is None:
        from ..pipeline import Pipeline

        pipeline = Pipeline()
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True)
    desk = Desk(store=store, pipeline=pipeline, codec=SessionCodec(secret or os.environ.get("DIRECTIVE_NLP_SECRET") or store.secret()),
                limiter=LoginLimiter(store, login_limit, login_ip_limit, login_window), templates=Jinja2Templates(env=env),
                max_upload=max_upload, secure_cookies=secure_cookies, trusted_proxies=frozenset(trusted_proxies))
    app = FastAPI(title="directive-nlp editor desk", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.desk, app.state.store, app.state.pipeline = desk, store, pipeline
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(BodyLimit, limit=max_upload + ENVELOPE)  # inside the session middleware: routes read through it
    _plumbing(app, desk)
    for r in (auth.router, pages.router, review.router, api.router):
        app.include_router(r)
    add_document_routes(app, store, page, page_user)  # /documents/{id}: web/documents.py
    app.add_api_route("/healthz", lambda: {"ok": True}, methods=["GET"])
    return app


def _plumbing(app: FastAPI, desk: Desk) -> None:
    """The session cookie, security headers and the error handlers (HTML for people, JSON for scripts)."""

    @app.middleware("http")
    async def session_and_headers(request: Request, call_next):
        sess = desk.codec.load(request.cookies.get(COOKIE))
        request.state.session_dirty = sess is None
        request.state.session = sess or new_session()
        request.state.user = None
        resp = await call_next(request)
        if request.state.session_dirty:
            resp.set_cookie(COOKIE, desk.codec.dump(request.state.session), max_age=SESSION_MAX_AGE, httponly=True, samesite="lax",
                            secure=desk.secure_cookies, path="/")
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        return resp

    def problem(request: Request, status: int, detail: str, headers: Optional[dict] = None, extra: Optional[dict] = None) -> Response:
        if wants_json(request):
            return JSONResponse(jsonable_encoder({"detail": detail, **(extra or {})}), status, headers=headers)
        if request.url.path == "/articles/new" and request.method == "POST":
            return page(request, "new.html", {"form": {}, "errors": [detail]}, status)
        return page(request, "error.html", {"message": detail}, status)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired):
        if wants_json(request):
            return JSONResponse({"detail": "Log in first (your session is missing, expired or ended)."}, 401)
        return RedirectResponse(f"/login?next={request.url.path}", 303)

    @app.exception_handler(HTTPProblem)
    async def _problem(request: Request, exc: HTTPProblem):
        return problem(request, exc.status, exc.detail, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return problem(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError):
        extra: dict[str, Any] = {}
        if isinstance(exc, StaleVersion):
            extra = dict(current_version=exc.current, your_version=exc.seen, changes=exc.changes,
                         your_change=getattr(exc, "yours", None), article=article_view(desk.store.get_article(exc.article_id)))
        return problem(request, exc.status, str(exc), extra=extra)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError):
        return problem(request, 422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errs = jsonable_encoder(exc.errors(), custom_encoder={Exception: str, bytes: lambda b: b.decode("utf-8", "replace")})
        msg = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', []) if p != 'body') or 'body'}: {e.get('msg')}" for e in errs)
        return JSONResponse(_printable({"detail": f"invalid request: {msg}", "errors": errs}), 422)


def _printable(obj: Any) -> Any:
    """Validation errors echo the input; a lone surrogate in it must not break the JSON answer."""
    if isinstance(obj, str):
        return obj.encode("utf-8", "replace").decode("utf-8")
    if isinstance(obj, list):
        return [_printable(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _printable(v) for k, v in obj.items()}
    return obj


__all__ = ["create_app", "MAX_UPLOAD"]
