"""HTML pages: inbox, adding articles, the review page, directives across articles, the audit trail."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from ...annotate import labelled_spans, to_html
from ...errors import DirectiveNLPError, InputError
from ...schema import Article, content_id
from ..deps import WRITERS, check_csrf, desk, flash, in_thread, page, page_user, page_writer
from ..records import FILTERS, agency_choices, filter_directives
from ..schemas import ID_MAX, ID_PATTERN
from ..store import DECISIONS, EXPORT_DECISIONS, STATUSES, StoreError
from ..text import check_text, clean_text

router = APIRouter()
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID = re.compile(ID_PATTERN)
PAGE_SIZE = 50
CSV_COLUMNS = ("article_id", "id", "decision", "article_status", "language", "verb", "deadline", "agencies", "document_refs", "targets", "text")


# -- inbox and queue --------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def inbox(request: Request, status: str = "", lang: str = "", q: str = "", user: dict = Depends(page_user)):
    status = status if status in STATUSES else ""
    lang = lang if lang in ("vi", "en") else ""
    rows = desk(request).store.list_articles(status or None, lang or None, q.strip() or None)
    return page(request, "inbox.html", {"articles": rows, "status": status, "lang": lang, "q": q, "statuses": STATUSES})


@router.get("/next")
def next_article(request: Request, after: str = "", user: dict = Depends(page_user)):
    """The review queue: the next article waiting for review (``after`` skips the one just done)."""
    found = desk(request).store.next_to_review(after or None)
    if found is None:
        flash(request, "Nothing left to review: every article is reviewed.")
        return RedirectResponse("/", 303)
    return RedirectResponse(f"/articles/{found}", 303)


# -- adding articles --------------------------------------------------------------------------------
@router.get("/articles/new", response_class=HTMLResponse)
def new_form(request: Request, user: dict = Depends(page_writer)):
    return page(request, "new.html", {"form": {}, "errors": []})


def _form_errors(lang: str, published: str, text: str, has_file: bool) -> list[str]:
    errors = []
    if lang and lang not in ("vi", "en"):
        errors.append(f"Language must be vi, en or empty (detect), not {lang!r}.")
    if published and not _DATE.match(published.strip()):
        errors.append(f"Published date must look like 2024-05-31, not {published!r}.")
    if not has_file and not text.strip():
        errors.append("Paste the article text or choose a .txt, .html or .jsonl file.")
    try:
        check_text(text, "the pasted text")
    except InputError as exc:
        errors.append(str(exc))
    return errors


async def _read_upload(file: UploadFile, max_upload: int, lang: Optional[str]) -> list:
    """Articles and input errors of an uploaded file; whatever goes wrong reading it is an error item."""
    from ...readers import read_bytes

    suffix = Path(file.filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        return [InputError(file.filename, f"unsupported file type {suffix or '(none)'}; use .txt, .html or .jsonl")]
    data = await file.read(max_upload + 1)
    if len(data) > max_upload:
        return [InputError(file.filename, f"is over the {max_upload / 1e6:.1f} MB upload limit. Split it into smaller files", code="too_large")]
    try:
        return list(read_bytes(file.filename, data, suffix, max_upload, lang))
    except (RecursionError, DirectiveNLPError, ValueError, ImportError, UnicodeError) as exc:
        return [InputError(file.filename, f"cannot be read as {suffix}: {type(exc).__name__}: {str(exc)[:200] or 'bad structure'}")]


def _checked_item(it: Any) -> Article:
    """An uploaded article held to what the API allows: id pattern and length, storable text."""
    where = it.input or it.id
    if not (len(it.id) <= ID_MAX and _ID.match(it.id)):
        raise InputError(where, f"id {it.id[:60]!r} is not allowed: up to {ID_MAX} letters, digits, '.', ':', '_' or '-'")
    for k in ("text", "title", "url", "published"):
        check_text(getattr(it, k) or "", where)
    return it.model_copy(update={"text": clean_text(it.text)})


@router.post("/articles/new", response_class=HTMLResponse)
async def new_article(request: Request, text: str = Form(""), title: str = Form(""), lang: str = Form(""), published: str = Form(""),
                      url: str = Form(""), csrf: str = Form(""), file: Optional[UploadFile] = File(None), user: dict = Depends(page_writer)):
    check_csrf(request, csrf)
    d = desk(request)
    form = {"text": text, "title": title, "lang": lang, "published": published, "url": url}
    has_file = file is not None and bool(file.filename)
    errors = _form_errors(lang, published, text, has_file)
    if errors:
        return page(request, "new.html", {"form": form, "errors": errors}, 422)
    if len(text.encode("utf-8")) > d.max_upload:
        return page(request, "new.html", {"form": form, "errors": [f"The pasted text is {len(text.encode('utf-8')) / 1e6:.1f} MB; the limit is {d.max_upload / 1e6:.1f} MB."]}, 413)
    if has_file:
        items = await _read_upload(file, d.max_upload, lang or None)
    else:
        text = clean_text(text)
        items = [Article(id=content_id(text, prefix="a-"), text=text, lang=lang or None, input="pasted")]
    added, problems, status = await _add_items(request, items, user, {"title": title.strip(), "published": published.strip(), "url": url.strip()})
    if not added:
        return page(request, "new.html", {"form": form, "errors": problems or ["Nothing to add."]}, status)
    flash(request, f"Added {len(added)} article(s)." + (f" Skipped {len(problems)}: " + " | ".join(problems[:5]) if problems else ""))
    return RedirectResponse(f"/articles/{added[0]['id']}" if len(added) == 1 else "/", 303)


async def _add_items(request: Request, items: list, user: dict, overrides: dict) -> tuple[list, list, int]:
    """(added articles, problems, status when nothing was added): every bad item costs only itself."""
    added, problems, status = [], [], 422
    for it in items:
        try:
            if isinstance(it, InputError):
                raise it
            it = _checked_item(it)
            if len(items) == 1:
                it = it.model_copy(update={k: v for k, v in overrides.items() if v})
            art, _created = await in_thread(desk(request).store.add_article, it, desk(request).pipeline, user["name"])
            added.append(art)
        except (InputError, StoreError) as exc:
            problems.append(str(exc))
            status = exc.status if isinstance(exc, StoreError) else 413 if getattr(exc, "code", "") == "too_large" else status
        except (RecursionError, UnicodeError, ValueError) as exc:
            problems.append(f"{getattr(it, 'input', None) or getattr(it, 'id', '?')}: cannot be added ({type(exc).__name__})")
    return added, problems, status


# -- review ------------------------------------------------------------------------------------
@router.get("/articles/{article_id}", response_class=HTMLResponse)
def review(request: Request, article_id: str, user: dict = Depends(page_user)):
    a = desk(request).store.get_article(article_id)
    body = Markup(to_html(a["text"], labelled_spans((m["kind"], m["start"], m["end"], m["payload"]) for m in a["mentions"])))
    return page(request, "review.html", {"a": a, "body": body, "can_write": user["role"] in WRITERS, "decisions": DECISIONS,
                                         "roles": ("lead", "coordinate", "issuer", "mentioned"), "comparators": ("=", ">=", "<=", "range"),
                                         "agency_choices": agency_choices()})


# -- directives across articles ---------------------------------------------------------------
def directive_filters(params: dict) -> dict:
    """The filters of ``GET /directives`` and ``GET /api/directives`` from query parameters."""
    f: dict[str, Any] = {k: (params.get(k) or "").strip() for k in FILTERS}
    f["overdue"] = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}.get(f["overdue"].lower()) if f["overdue"] else None
    return f


def _paging(params: dict) -> tuple[int, int]:
    def num(k: str, default: int, hi: int) -> int:
        v = params.get(k, "")
        return max(0, min(hi, int(v))) if str(v).isdigit() else default
    return num("offset", 0, 10**9), max(1, num("limit", PAGE_SIZE, 500))


@router.get("/directives", response_class=HTMLResponse)
def directives_page(request: Request, user: dict = Depends(page_user)):
    params = dict(request.query_params)
    f = directive_filters(params)
    offset, limit = _paging(params)
    res = filter_directives(desk(request).store.all_directives(), f, offset, limit)
    query = urlencode({k: v for k, v in params.items() if k in FILTERS and v})
    return page(request, "directives.html", {"res": res, "f": f, "query": query, "decisions": EXPORT_DECISIONS, "statuses": STATUSES,
                                             "prev": max(0, offset - limit) if offset else None,
                                             "next": offset + limit if offset + limit < res["total"] else None})


def csv_rows(items: list[dict]) -> str:
    """The directives as CSV: one row each, agencies as ``name (role)``, targets as ``value unit``."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(CSV_COLUMNS)
    for it in items:
        ags = "; ".join(f"{a.get('canonical') or a['name']} ({a['role']})" for a in it.get("agencies") or [])
        tgs = "; ".join(f"{t.get('comparator', '=')} {t['value']} {t.get('unit') or ''}".strip() for t in it.get("targets") or [])
        w.writerow([it["article_id"], it["id"], it["decision"], it["article_status"], it.get("language"), it.get("verb"), it.get("deadline"),
                    ags, "; ".join(it.get("document_refs") or []), tgs, it.get("text")])
    return out.getvalue()


@router.get("/directives.csv")
def directives_csv(request: Request, user: dict = Depends(page_user)):
    f = directive_filters(dict(request.query_params))
    res = filter_directives(desk(request).store.all_directives(), f, 0, 10**9)
    return Response(csv_rows(res["items"]), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="directives.csv"'})


# -- audit trail -----------------------------------------------------------------------------------
@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, article: str = "", who: str = "", offset: int = 0, user: dict = Depends(page_user)):
    rows = desk(request).store.audit(article.strip() or None, 100, who.strip() or None, max(0, offset))
    for r in rows:
        r["changes"] = field_changes(r.get("before"), r.get("after"))
    return page(request, "audit.html", {"rows": rows, "article": article, "who": who, "offset": max(0, offset)})


def field_changes(before: Optional[dict], after: Optional[dict]) -> list[tuple[str, str, str]]:
    """(field, before, after) for every field that changed, payload fields flattened.

        >>> field_changes({"payload": {"role": "lead"}, "decision": None}, {"payload": {"role": "coordinate"}, "decision": "edited"})
        [('decision', '', 'edited'), ('role', 'lead', 'coordinate')]
    """
    def flat(d: Optional[dict]) -> dict:
        d = dict(d or {})
        return {**{k: v for k, v in d.items() if k != "payload"}, **(d.get("payload") or {})}

    b, a = flat(before), flat(after)
    return [(k, _shown(b.get(k)), _shown(a.get(k))) for k in sorted(set(a) | set(b)) if b.get(k) != a.get(k) and k != "source"]


def _shown(v: Any) -> str:
    return "" if v is None else v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
