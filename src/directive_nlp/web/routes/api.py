"""The JSON API for scripts (``Authorization: Bearer <token>``): articles, decisions, the
directives across articles, the audit trail and the export with its review fields."""

from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import StreamingResponse

from ...schema import Article, content_id
from ..deps import HTTPProblem, any_user, api_user, api_writer, desk, in_thread
from ..records import filter_directives
from ..schemas import ArticleIn, DecisionIn, DirectiveIn, StatusIn
from ..store import STATUSES
from ..text import clean_text
from .pages import _paging, directive_filters
from .review import ITEM, article_view, change

router = APIRouter(prefix="/api")


@router.post("/articles", status_code=201)
async def api_add(request: Request, body: ArticleIn, response: Response, user: dict = Depends(api_writer)):
    text = clean_text(body.text)
    art = Article(id=body.id or content_id(text, prefix="a-"), text=text, lang=body.lang, published=body.published,
                  url=body.url, title=body.title, input="api")
    d = desk(request)
    a, created = await in_thread(d.store.add_article, art, d.pipeline, user["name"])
    if not created:
        response.status_code = 200
    return {**a, "created": created}


@router.get("/articles")
def api_list(request: Request, status: Optional[str] = None, lang: Optional[str] = None, q: Optional[str] = None, user: dict = Depends(api_user)):
    if status and status not in STATUSES:
        raise HTTPProblem(422, f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    return desk(request).store.list_articles(status, lang, q)


@router.get("/articles/{article_id}")
def api_get(request: Request, article_id: str, user: dict = Depends(api_user)):
    return article_view(desk(request).store.get_article(article_id))


@router.patch("/articles/{article_id}/{items}/{item_id}")
def api_decide(request: Request, article_id: str, items: Literal["mentions", "directives"], item_id: int, body: DecisionIn, user: dict = Depends(api_writer)):
    return change(body, desk(request).store.decide, ITEM[items], article_id, item_id, body.version, body.decision, user["name"], body.fields)


@router.post("/articles/{article_id}/directives")
def api_add_directive(request: Request, article_id: str, body: DirectiveIn, user: dict = Depends(api_writer)):
    return change(body, desk(request).store.add_directive, article_id, body.version, body.start, body.end, user["name"], body.text, body.fields)


@router.post("/articles/{article_id}/status")
def api_status(request: Request, article_id: str, body: StatusIn, user: dict = Depends(api_writer)):
    """Set the review status; the answer says how many items were still undecided (``undecided``)."""
    store = desk(request).store
    open_ = store.undecided(article_id)
    out = change(body, store.set_status, article_id, body.version, body.status, user["name"])
    if body.status == "reviewed" and open_:
        out["warning"] = f"{open_} item(s) were still undecided"
    return {**out, "undecided": open_}


@router.get("/directives")
def api_directives(request: Request, user: dict = Depends(api_user)):
    """Directives across articles: ``{"items": [...], "total": N}``; filters as query parameters
    (agency, document, deadline_from, deadline_to, overdue, decision, status, lang, q), paged
    with offset and limit."""
    params = dict(request.query_params)
    offset, limit = _paging(params)
    return filter_directives(desk(request).store.all_directives(), directive_filters(params), offset, limit)


@router.get("/audit")
def api_audit(request: Request, article: Optional[str] = None, who: Optional[str] = None, offset: int = 0, limit: int = 100, user: dict = Depends(api_user)):
    return desk(request).store.audit(article, max(1, min(limit, 1000)), who, max(0, offset))


@router.get("/export")
def api_export(request: Request, reviewed_only: int = 0, user: dict = Depends(api_user)):
    """Extract-format records (JSONL) plus ``review`` per article and ``decision`` per item."""
    import json

    lines = (json.dumps(r, ensure_ascii=False) + "\n" for r in desk(request).store.export_dicts(bool(reviewed_only)))
    return StreamingResponse(lines, media_type="application/x-ndjson",
                             headers={"Content-Disposition": 'attachment; filename="directive-records.jsonl"'})


@router.get("/openapi.json", include_in_schema=False)
def api_schema(request: Request, user: dict = Depends(any_user)):
    """The API's OpenAPI description, for logged-in people and token holders only."""
    return request.app.openapi()
