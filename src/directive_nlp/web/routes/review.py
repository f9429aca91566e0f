"""The review page's JSON calls (session cookie + CSRF header): decide, add, mark reviewed, re-extract.

Mentions and directives go through one route and one store method (``Store.decide``)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from ...annotate import KINDS
from ..deps import HTTPProblem, desk, in_thread, json_writer, page_user
from ..schemas import DecisionIn, DirectiveIn, MentionIn, StatusIn
from ..store import KIND_CLASSES, StaleVersion

router = APIRouter()
#: URL segment -> item kind of ``Store.decide``
ITEM = {"mentions": "mention", "directives": "directive"}


def change(body: BaseModel, fn, *args) -> dict:
    """Run a versioned change; a ``StaleVersion`` carries the editor's own change back to them."""
    try:
        return fn(*args)
    except StaleVersion as exc:
        exc.yours = body.model_dump()  # type: ignore[attr-defined]
        raise


def article_view(a: dict, audit=None) -> dict:
    """An article for the review page: with its audit rows, kinds and editable fields per kind."""
    out = dict(a)
    if audit is not None:
        out["audit"] = audit
    out["kinds"] = {k: v[1] for k, v in KINDS.items()}
    out["fields"] = {k: [f for f in cls.model_fields if f not in ("text", "start", "end", "source", "confidence")] for k, cls in KIND_CLASSES.items()}
    out["open"] = sum(1 for x in a["mentions"] + a["directives"] if x["decision"] is None)
    return out


@router.get("/articles/{article_id}/data")
def review_data(request: Request, article_id: str, user: dict = Depends(page_user)):
    store = desk(request).store
    return article_view(store.get_article(article_id), store.audit(article_id, 30))


@router.post("/articles/{article_id}/mentions")
def add_mention(request: Request, article_id: str, body: MentionIn, user: dict = Depends(json_writer)):
    return change(body, desk(request).store.add_mention, article_id, body.version, body.kind, body.start, body.end, user["name"], body.text, body.fields)


@router.post("/articles/{article_id}/directives")
def add_directive(request: Request, article_id: str, body: DirectiveIn, user: dict = Depends(json_writer)):
    return change(body, desk(request).store.add_directive, article_id, body.version, body.start, body.end, user["name"], body.text, body.fields)


@router.post("/articles/{article_id}/{items}/{item_id}")
def decide(request: Request, article_id: str, items: Literal["mentions", "directives"], item_id: int, body: DecisionIn, user: dict = Depends(json_writer)):
    return change(body, desk(request).store.decide, ITEM[items], article_id, item_id, body.version, body.decision, user["name"], body.fields)


@router.post("/articles/{article_id}/status")
def set_status(request: Request, article_id: str, body: StatusIn, user: dict = Depends(json_writer)):
    store = desk(request).store
    open_ = store.undecided(article_id)
    if body.status == "reviewed" and open_ and not body.force:
        raise HTTPProblem(409, f"{open_} item(s) are still undecided. Decide them, or mark the article reviewed anyway.")
    return {**change(body, store.set_status, article_id, body.version, body.status, user["name"]), "undecided": open_}


@router.post("/articles/{article_id}/reextract")
async def reextract(request: Request, article_id: str, user: dict = Depends(json_writer)):
    d = desk(request)
    return await in_thread(d.store.reextract, article_id, d.pipeline, user["name"])
