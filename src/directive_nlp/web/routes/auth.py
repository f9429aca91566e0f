"""Login and logout.  Every attempt is counted (per account and per client address) before the
password is checked; a login starts a server-side session, a logout ends it for every copy of the cookie."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..auth import new_session
from ..deps import check_csrf, desk, in_thread, ip_of, mark_dirty, page, safe_next
from ..auth import SESSION_MAX_AGE

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/"):
    return page(request, "login.html", {"next": safe_next(next), "name": ""})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, name: str = Form(""), password: str = Form(""), csrf: str = Form(""), next: str = Form("/")):
    check_csrf(request, csrf)
    d, ip = desk(request), ip_of(request)
    ctx = {"name": name, "next": safe_next(next)}
    wait = await in_thread(d.limiter.attempt, name, ip)
    if wait:
        return page(request, "login.html", {**ctx, "error": f"Too many login attempts for {name} or from your address. Try again in {wait} seconds."}, 429)
    user = await in_thread(d.store.check_password, name.strip(), password)
    if user is None:
        return page(request, "login.html", {**ctx, "error": "Wrong user name or password."}, 401)
    d.limiter.succeeded(name, ip)
    old = request.state.session.get("sid")
    if old:
        d.store.end_session(old)
    mark_dirty(request, new_session(d.store.start_session(user["id"], SESSION_MAX_AGE)))
    return RedirectResponse(safe_next(next), 303)


@router.post("/logout")
def logout(request: Request, csrf: str = Form("")):
    check_csrf(request, csrf)
    sid = request.state.session.get("sid")
    if sid:
        desk(request).store.end_session(sid)
    mark_dirty(request, new_session())
    return RedirectResponse("/login", 303)
