"""The desk's document page: a document's typed relations in both directions, the directives that
implement or cite it across articles, and a small drawn graph (SVG, every label escaped).

Registered by ``create_app`` with :func:`add_document_routes`; document ids on review pages link
here (``templates/documents_aside.html``).  The graph is built from the desk's records with the
export's own code (:func:`directive_nlp.export.tables.build_tables`), so the page, the export and
``directive-nlp graph`` agree.
"""

from __future__ import annotations

from typing import Any, Callable
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from ..export.neighbourhood import Link, neighbourhood
from ..export.tables import ExportError, build_tables
from .store import NotFound

#: at most this many documents are drawn on each side of the graph
MAX_DRAWN = 10


def document_url(doc_id: str) -> str:
    """The page of a document: ``/documents/15-NQ%2FTW`` (the id is one path segment)."""
    return "/documents/" + quote(doc_id, safe="")


def add_document_routes(app: FastAPI, store: Any, page: Callable, need_user: Callable) -> None:
    """``GET /documents/{id}``: the document page (any logged-in user)."""

    @app.get("/documents/{doc_id:path}", response_class=HTMLResponse)
    def document_page(request: Request, doc_id: str):
        need_user(request)
        tables = build_tables(store.export())
        try:
            hood = neighbourhood(tables, doc_id, depth=1)
        except ExportError as exc:
            raise NotFound(str(exc)) from None
        doc = hood.document
        docs = {d["document_id"]: d for d in tables["documents"]}
        ctx = {"doc": doc, "up": _rows(hood.up, docs), "down": _rows(hood.down, docs),
               "directives": directives_of(tables, doc["document_id"]), "svg": graph_svg(doc["document_id"], hood.up, hood.down),
               "url": document_url}
        return page(request, "document.html", ctx)


def _rows(links: list[Link], docs: dict[str, dict]) -> list[dict]:
    return [{"relation": link.relation, "id": link.other, "doc": docs.get(link.other, {}), "count": link.edge.get("evidence_count") or len(link.evidence),
             "evidence": link.evidence[:3] or [{"article_id": link.edge.get("article_id"), "sentence": link.edge.get("evidence"), "cue": link.edge.get("cue")}]}
            for link in links]


def directives_of(tables: dict[str, list[dict]], doc_id: str) -> list[dict]:
    """Every directive that refers to the document, with how: ``implements`` when an
    implementation cue stands before the reference in the directive, else ``cites``."""
    from ..extract.relations import directive_relation

    ids = {dd["directive_id"] for dd in tables["directive_documents"] if dd["document_id"] == doc_id}
    texts = {a["article_id"]: (a["text"], a["lang"]) for a in tables["articles"]}
    refs = [r for r in tables["document_refs"] if r["document_id"] == doc_id]
    out = []
    for d in tables["directives"]:
        if d["directive_id"] not in ids:
            continue
        text, lang = texts.get(d["article_id"], ("", None))
        ref = next((r for r in refs if r["article_id"] == d["article_id"] and d["start"] <= r["start"] < d["end"]), None)
        how = directive_relation(text, lang or "vi", d["start"], ref["start"]) if ref and text else "cites"
        out.append({**d, "how": how})
    return sorted(out, key=lambda d: (d["article_id"], d["start"]))


# -- the drawn graph ----------------------------------------------------------------------------

_W, _ROW = 760, 110
_COLOURS = {"implements": "#c00000", "implemented by": "#c00000", "amends": "#2f5597", "amended by": "#2f5597",
            "replaces": "#7030a0", "replaced by": "#7030a0", "guides": "#548235", "guided by": "#548235"}


def graph_svg(doc_id: str, up: list[Link], down: list[Link]) -> Markup:
    """The document in the middle, what it acts on above, what acts on it below.

    Every label goes through ``markupsafe.escape``; no ``style`` attribute (the desk's CSP).

    Example:
        >>> "&lt;b&gt;" in graph_svg("<b>", [], [])
        True
    """
    height = 3 * _ROW
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {height}" width="{_W}" height="{height}" role="img" '
             f'aria-label="{escape("document graph of " + doc_id)}">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
             '<path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>']
    centre = (_W // 2, _ROW + _ROW // 2)
    parts += _side(up[:MAX_DRAWN], centre, _ROW // 2, outgoing=True)
    parts += _side(down[:MAX_DRAWN], centre, 2 * _ROW + _ROW // 2, outgoing=False)
    parts.append(_node(centre, doc_id, bold=True))
    parts.append("</svg>")
    return Markup("".join(parts))


def _side(links: list[Link], centre: tuple[int, int], y: int, outgoing: bool) -> list[str]:
    out = []
    for i, link in enumerate(links):
        x = int(_W * (i + 1) / (len(links) + 1))
        forward = link.edge.get("relation", link.relation)
        colour = _COLOURS.get(forward, "#888888")
        # an edge points from the document that acts to the one it acts on
        (x1, y1), (x2, y2) = (centre, (x, y)) if outgoing else ((x, y), centre)
        y1, y2 = (y1 - 14, y2 + 14) if outgoing else (y1 + 14, y2 - 14)
        out.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" stroke-width="2" marker-end="url(#arrow)"/>')
        label = forward
        mx, my = (x1 + x2) // 2, (y1 + y2) // 2
        out.append(f'<text x="{mx}" y="{my}" font-size="11" fill="{colour}" text-anchor="middle">{escape(_short(label, 16))}</text>')
        out.append(f'<a href="{escape(document_url(link.other))}">{_node((x, y), link.other)}</a>')
    return out


def _node(at: tuple[int, int], label: str, bold: bool = False) -> str:
    x, y = at
    text = escape(_short(label, 22))
    weight = ' font-weight="bold"' if bold else ""
    return (f'<rect x="{x - 80}" y="{y - 13}" width="160" height="26" rx="6" fill="#eef4fb" stroke="#6a8fb5"/>'
            f'<text x="{x}" y="{y + 4}" font-size="12" text-anchor="middle"{weight}><title>{escape(label)}</title>{text}</text>')


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
