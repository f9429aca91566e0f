"""The editor desk: FastAPI routes over ``store.Store``.

    >>> app = create_app("sqlite:///desk.sqlite3")   # doctest: +SKIP
    >>> import uvicorn; uvicorn.run(app)              # doctest: +SKIP

Pages (session cookie, CSRF token on every write) live at ``/``, ``/login``, ``/articles/...``;
the JSON API for scripts lives under ``/api/`` and takes ``Authorization: Bearer <token>``.
Article text reaches HTML only through ``directive_nlp.annotate.to_html`` (escaped).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal, Optional

from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pydantic import BaseModel, Field

from ..annotate import KINDS, to_html, drop_overlaps
from ..batch import record_line
from ..errors import InputError
from ..schema import Article, content_id
from .auth import COOKIE, SESSION_MAX_AGE, RateLimiter, SessionCodec, csrf_ok, new_session
from .documents import add_document_routes
from .store import DECISIONS, KIND_CLASSES, STATUSES, StaleVersion, Store, StoreError

HERE = Path(__file__).resolve().parent
MAX_UPLOAD = 2 * 1024 * 1024
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")
WRITERS = ("admin", "editor")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"


class HTTPProblem(Exception):
    """A refusal with a status and a message for the person (HTML) or script (JSON)."""

    def __init__(self, status: int, detail: str, headers: Optional[dict] = None):
        self.status, self.detail, self.headers = status, detail, headers or {}
        super().__init__(detail)


class LoginRequired(Exception):
    pass


# -- request bodies --------------------------------------------------------------------------------
class ArticleIn(BaseModel):
    """An article posted to ``POST /api/articles``."""

    text: str = Field(min_length=1, max_length=MAX_UPLOAD)
    title: Optional[str] = Field(default=None, max_length=1000)
    lang: Optional[Literal["vi", "en"]] = None
    published: Optional[str] = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    url: Optional[str] = Field(default=None, max_length=2000)
    id: Optional[str] = Field(default=None, min_length=1, max_length=120, pattern=r"^[\w.:-]+$")


class DecisionIn(BaseModel):
    version: int = Field(ge=1)
    decision: Literal["accepted", "rejected", "edited"]
    fields: Optional[dict[str, Any]] = None


class MentionIn(BaseModel):
    version: int = Field(ge=1)
    kind: Literal["document_refs", "dates", "agencies", "targets", "figures"]
    start: int = Field(ge=0)
    end: int = Field(ge=1)
    text: Optional[str] = None
    fields: Optional[dict[str, Any]] = None


class StatusIn(BaseModel):
    version: int = Field(ge=1)
    status: Literal["new", "in_review", "reviewed"]


def _spans(mentions: list[dict]) -> list[tuple[str, int, int, str]]:
    """Non-overlapping (kind, start, end, label) spans for ``to_html``, longest first where two overlap."""
    spans = []
    for m in mentions:
        p = m["payload"]
        label = f"{p.get('canonical') or p.get('name')} · {p.get('role')}" if m["kind"] == "agencies" else (p.get("id") or p.get("value") or "")
        spans.append((m["kind"], m["start"], m["end"], str(label)))
    return drop_overlaps(spans)


def create_app(db_url: str = "sqlite:///desk.sqlite3", pipeline: Any = None, secret: Optional[str] = None,
               max_upload: int = MAX_UPLOAD, login_limit: int = 5, login_window: float = 60.0, secure_cookies: bool = False) -> FastAPI:
    """The desk app over the database at ``db_url`` (migrated on start).

    ``pipeline`` defaults to ``Pipeline()``; the cookie secret comes from ``secret``, else
    ``DIRECTIVE_NLP_SECRET``, else one generated once and kept in the database.
    """
    store = Store.open(db_url)
    if pipeline is None:
        from ..pipeline import Pipeline

        pipeline = Pipeline()
    codec = SessionCodec(secret or os.environ.get("DIRECTIVE_NLP_SECRET") or store.secret())
    limiter = RateLimiter(login_limit, login_window)
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True)
    templates = Jinja2Templates(env=env)
    app = FastAPI(title="directive-nlp editor desk", docs_url="/api/docs", openapi_url="/api/openapi.json", redoc_url=None)
    app.state.store, app.state.pipeline, app.state.limiter = store, pipeline, limiter
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # -- plumbing ------------------------------------------------------------------------------
    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "") \
            or request.headers.get("content-type", "").startswith("application/json")

    @app.middleware("http")
    async def session_and_limits(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > max_upload + 64 * 1024:
            msg = f"The upload is {int(length) / 1e6:.1f} MB; the limit is {max_upload / 1e6:.1f} MB. Split the file or paste a shorter text."
            resp: Response = JSONResponse({"detail": msg}, 413) if wants_json(request) else HTMLResponse(f"<!doctype html><title>Too large</title><p>{msg}</p><p><a href='/articles/new'>Back</a></p>", 413)
        else:
            sess = codec.load(request.cookies.get(COOKIE))
            request.state.session_dirty = sess is None
            request.state.session = sess or new_session()
            resp = await call_next(request)
            if request.state.session_dirty:
                resp.set_cookie(COOKIE, codec.dump(request.state.session), max_age=SESSION_MAX_AGE, httponly=True, samesite="lax", secure=secure_cookies, path="/")
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        return resp

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired):
        if wants_json(request):
            return JSONResponse({"detail": "Log in first (your session is missing or expired)."}, 401)
        return RedirectResponse(f"/login?next={request.url.path}", 303)

    @app.exception_handler(HTTPProblem)
    async def _problem(request: Request, exc: HTTPProblem):
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, exc.status, headers=exc.headers)
        return page(request, "error.html", {"message": exc.detail}, exc.status)

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError):
        body: dict[str, Any] = {"detail": str(exc)}
        if isinstance(exc, StaleVersion):
            body.update(current_version=exc.current, your_version=exc.seen, changes=exc.changes,
                        your_change=getattr(exc, "yours", None), article=_article_view(store.get_article(exc.article_id)))
        if wants_json(request):
            return JSONResponse(jsonable_encoder(body), exc.status)
        return page(request, "error.html", {"message": str(exc)}, exc.status)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError):
        return JSONResponse({"detail": str(exc)}, 422) if wants_json(request) else page(request, "error.html", {"message": str(exc)}, 422)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errs = jsonable_encoder(exc.errors(), custom_encoder={Exception: str})
        msg = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', []) if p != 'body') or 'body'}: {e.get('msg')}" for e in errs)
        return JSONResponse({"detail": f"invalid request: {msg}", "errors": errs}, 422)

    def page(request: Request, name: str, ctx: dict, status: int = 200) -> HTMLResponse:
        sess = request.state.session
        flash = sess.pop("flash", None)
        if flash:
            request.state.session_dirty = True
        base = {"request": request, "user": session_user(request), "csrf": sess["csrf"], "flash": flash, "kinds": KINDS}
        return templates.TemplateResponse(request, name, {**base, **ctx}, status_code=status)

    def session_user(request: Request) -> Optional[dict]:
        name = request.state.session.get("name")
        return store.user(name) if name else None

    def need_user(request: Request) -> dict:
        user = session_user(request)
        if user is None:
            raise LoginRequired()
        return user

    def need_writer(user: dict) -> dict:
        if user["role"] not in WRITERS:
            raise HTTPProblem(403, f"{user['name']} is a {user['role']}: viewers can read but not change articles.")
        return user

    def check_csrf(request: Request, sent: Optional[str]) -> None:
        if not csrf_ok(request.state.session, sent or request.headers.get("x-csrf-token")):
            raise HTTPProblem(403, "The form's security token (CSRF) is missing or out of date. Reload the page and try again.")

    def writer(request: Request, csrf: Optional[str] = None) -> dict:
        user = need_writer(need_user(request)) if not request.url.path.startswith("/api/") else None
        check_csrf(request, csrf)
        return user  # type: ignore[return-value]

    def api_user(request: Request, write: bool = False) -> dict:
        auth = request.headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        user = store.user_for_token(token) if token else None
        if user is None:
            raise HTTPProblem(401, "Send an API token as 'Authorization: Bearer <token>' (create one with: directive-nlp users token NAME).",
                              {"WWW-Authenticate": "Bearer"})
        return need_writer(user) if write else user

    # -- login -----------------------------------------------------------------------------------
    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/"):
        return page(request, "login.html", {"next": _safe_next(next), "name": ""})

    @app.post("/login", response_class=HTMLResponse)
    def login(request: Request, name: str = Form(""), password: str = Form(""), csrf: str = Form(""), next: str = Form("/")):
        check_csrf(request, csrf)
        key = f"{name.strip().lower()}|{request.client.host if request.client else '-'}"
        wait = limiter.blocked(key)
        if wait:
            return page(request, "login.html", {"error": f"Too many failed logins for {name}. Try again in {wait} seconds.", "name": name, "next": _safe_next(next)}, 429)
        user = store.check_password(name.strip(), password)
        if user is None:
            limiter.fail(key)
            return page(request, "login.html", {"error": "Wrong user name or password.", "name": name, "next": _safe_next(next)}, 401)
        limiter.reset(key)
        request.state.session = {**new_session(user["id"]), "name": user["name"]}
        request.state.session_dirty = True
        return RedirectResponse(_safe_next(next), 303)

    @app.post("/logout")
    def logout(request: Request, csrf: str = Form("")):
        check_csrf(request, csrf)
        request.state.session = new_session()
        request.state.session_dirty = True
        return RedirectResponse("/login", 303)

    # -- inbox and adding ------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def inbox(request: Request, status: str = "", lang: str = "", q: str = ""):
        need_user(request)
        status = status if status in STATUSES else ""
        lang = lang if lang in ("vi", "en") else ""
        rows = store.list_articles(status or None, lang or None, q.strip() or None)
        return page(request, "inbox.html", {"articles": rows, "status": status, "lang": lang, "q": q, "statuses": STATUSES})

    @app.get("/articles/new", response_class=HTMLResponse)
    def new_form(request: Request):
        need_writer(need_user(request))
        return page(request, "new.html", {"form": {}, "errors": []})

    @app.post("/articles/new", response_class=HTMLResponse)
    async def new_article(request: Request, text: str = Form(""), title: str = Form(""), lang: str = Form(""), published: str = Form(""),
                          url: str = Form(""), csrf: str = Form(""), file: Optional[UploadFile] = File(None)):
        user = writer(request, csrf)
        form = {"text": text, "title": title, "lang": lang, "published": published, "url": url}

        def again(errors: list[str], status: int) -> HTMLResponse:
            return page(request, "new.html", {"form": form, "errors": errors}, status)

        errors = []
        if lang and lang not in ("vi", "en"):
            errors.append(f"Language must be vi, en or empty (detect), not {lang!r}.")
        if published and not _DATE.match(published.strip()):
            errors.append(f"Published date must look like 2024-05-31, not {published!r}.")
        has_file = file is not None and bool(file.filename)
        if not has_file and not text.strip():
            errors.append("Paste the article text or choose a .txt, .html or .jsonl file.")
        if len(text.encode("utf-8")) > max_upload:
            return again([f"The pasted text is {len(text.encode('utf-8')) / 1e6:.1f} MB; the limit is {max_upload / 1e6:.1f} MB."], 413)
        items: list = []
        if has_file:
            suffix = Path(file.filename).suffix.lower()
            if suffix not in UPLOAD_SUFFIXES:
                errors.append(f"{file.filename}: unsupported file type {suffix or '(none)'}; use .txt, .html or .jsonl.")
            else:
                data = await file.read(max_upload + 1)
                if len(data) > max_upload:
                    return again([f"{file.filename} is over the {max_upload / 1e6:.1f} MB upload limit. Split it into smaller files."], 413)
                from ..readers import read_bytes

                items = list(read_bytes(file.filename, data, suffix, max_upload, lang or None))
        if errors:
            return again(errors, 422)
        if not has_file:
            items = [Article(id=content_id(text, prefix="a-"), text=text, lang=lang or None, input="pasted")]
        added, problems = [], []
        for it in items:
            if isinstance(it, InputError):
                problems.append(str(it))
                continue
            if len(items) == 1:
                it = it.model_copy(update={k: v for k, v in {"title": title.strip(), "published": published.strip(), "url": url.strip()}.items() if v})
            try:
                art, _created = await _in_thread(store.add_article, it, pipeline, user["name"])
                added.append(art)
            except InputError as exc:
                problems.append(str(exc))
        if not added:
            return again(problems or ["Nothing to add."], 422)
        request.state.session["flash"] = f"Added {len(added)} article(s)." + (f" Skipped {len(problems)}: " + " | ".join(problems[:5]) if problems else "")
        request.state.session_dirty = True
        return RedirectResponse(f"/articles/{added[0]['id']}" if len(added) == 1 else "/", 303)

    add_document_routes(app, store, page, need_user)  # /documents/{id}: web/documents.py

    # -- review ------------------------------------------------------------------------------------
    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def review(request: Request, article_id: str):
        user = need_user(request)
        a = store.get_article(article_id)
        body = Markup(to_html(a["text"], _spans([m for m in a["mentions"]])))
        return page(request, "review.html", {"a": a, "body": body, "can_write": user["role"] in WRITERS, "decisions": DECISIONS})

    @app.get("/articles/{article_id}/data")
    def review_data(request: Request, article_id: str):
        need_user(request)
        return _article_view(store.get_article(article_id), store.audit(article_id, 20))

    @app.post("/articles/{article_id}/mentions")
    def add_mention(request: Request, article_id: str, body: MentionIn):
        user = writer(request)
        return _change(body, store.add_mention, article_id, body.version, body.kind, body.start, body.end, user["name"], body.text, body.fields)

    @app.post("/articles/{article_id}/mentions/{mention_id}")
    def decide_mention(request: Request, article_id: str, mention_id: int, body: DecisionIn):
        user = writer(request)
        return _change(body, store.decide_mention, article_id, mention_id, body.version, body.decision, user["name"], body.fields)

    @app.post("/articles/{article_id}/directives/{directive_id}")
    def decide_directive(request: Request, article_id: str, directive_id: int, body: DecisionIn):
        user = writer(request)
        return _change(body, store.decide_directive, article_id, directive_id, body.version, body.decision, user["name"], body.fields)

    @app.post("/articles/{article_id}/status")
    def set_status(request: Request, article_id: str, body: StatusIn):
        user = writer(request)
        return _change(body, store.set_status, article_id, body.version, body.status, user["name"])

    @app.post("/articles/{article_id}/reextract")
    async def reextract(request: Request, article_id: str):
        user = writer(request)
        return await _in_thread(store.reextract, article_id, pipeline, user["name"])

    # -- JSON API ---------------------------------------------------------------------------------
    @app.post("/api/articles", status_code=201)
    async def api_add(request: Request, body: ArticleIn, response: Response):
        user = api_user(request, write=True)
        art = Article(id=body.id or content_id(body.text, prefix="a-"), text=body.text, lang=body.lang, published=body.published,
                      url=body.url, title=body.title, input="api")
        a, created = await _in_thread(store.add_article, art, pipeline, user["name"])
        if not created:
            response.status_code = 200
        return {**a, "created": created}

    @app.get("/api/articles")
    def api_list(request: Request, status: Optional[str] = None, lang: Optional[str] = None, q: Optional[str] = None):
        api_user(request)
        if status and status not in STATUSES:
            raise HTTPProblem(422, f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        return store.list_articles(status, lang, q)

    @app.get("/api/articles/{article_id}")
    def api_get(request: Request, article_id: str):
        api_user(request)
        return _article_view(store.get_article(article_id))

    @app.patch("/api/articles/{article_id}/mentions/{mention_id}")
    def api_mention(request: Request, article_id: str, mention_id: int, body: DecisionIn):
        user = api_user(request, write=True)
        return _change(body, store.decide_mention, article_id, mention_id, body.version, body.decision, user["name"], body.fields)

    @app.patch("/api/articles/{article_id}/directives/{directive_id}")
    def api_directive(request: Request, article_id: str, directive_id: int, body: DecisionIn):
        user = api_user(request, write=True)
        return _change(body, store.decide_directive, article_id, directive_id, body.version, body.decision, user["name"], body.fields)

    @app.post("/api/articles/{article_id}/status")
    def api_status(request: Request, article_id: str, body: StatusIn):
        user = api_user(request, write=True)
        return _change(body, store.set_status, article_id, body.version, body.status, user["name"])

    @app.get("/api/export")
    def api_export(request: Request, reviewed_only: int = 0):
        api_user(request)
        lines = (record_line(r) + "\n" for r in store.export(bool(reviewed_only)))
        return StreamingResponse(lines, media_type="application/x-ndjson",
                                 headers={"Content-Disposition": 'attachment; filename="directive-records.jsonl"'})

    @app.get("/healthz")
    def healthz():
        return {"ok": True}

    return app


def _change(body: BaseModel, fn, *args) -> dict:
    """Run a versioned change; a ``StaleVersion`` carries the editor's own change back to them."""
    try:
        return fn(*args)
    except StaleVersion as exc:
        exc.yours = body.model_dump()  # type: ignore[attr-defined]
        raise


def _article_view(a: dict, audit: Optional[list] = None) -> dict:
    out = dict(a)
    if audit is not None:
        out["audit"] = audit
    out["kinds"] = {k: v[1] for k, v in KINDS.items()}
    out["fields"] = {k: [f for f in cls.model_fields if f not in ("text", "start", "end", "source", "confidence")] for k, cls in KIND_CLASSES.items()}
    return out


async def _in_thread(fn, *args):
    """Extraction is CPU work: keep it off the event loop."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)


def _safe_next(url: str) -> str:
    """Only same-site paths after login (no open redirect)."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else "/"


__all__ = ["create_app", "ArticleIn", "MAX_UPLOAD"]
