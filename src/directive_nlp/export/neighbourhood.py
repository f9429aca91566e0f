"""A document's neighbourhood in the typed graph, as a tree (``directive-nlp graph ID``).

Upward: what the document implements, amends, replaces, guides, is based on or cites, and so on
up the chain.  Downward: what implements, amends, replaces, guides, is based on or cites it, and
so on down.  Every edge comes with its article evidence.

Example:
    >>> tables = {"documents": [{"document_id": "a"}, {"document_id": "b"}],
    ...           "document_edges": [{"source_document_id": "a", "target_document_id": "b", "relation": "implements"}],
    ...           "edge_evidence": []}
    >>> hood = neighbourhood(tables, "a")
    >>> [(link.relation, link.other) for link in hood.up]
    [('implements', 'b')]
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .graph import INVERSE
from .tables import ExportError


@dataclass
class Link:
    """One edge seen from the document above it in the tree."""

    relation: str  # as read from the document above: "implements" or "implemented by"
    other: str
    edge: dict
    evidence: list[dict]
    children: list["Link"] = field(default_factory=list)


@dataclass
class Neighbourhood:
    document: dict
    up: list[Link]
    down: list[Link]


def load_graph_tables(source: str) -> dict[str, list[dict]]:
    """``documents``, ``document_edges`` and ``edge_evidence`` from an export directory or an
    extract JSONL file (``--from EXPORT|RECORDS``)."""
    path = Path(source)
    if path.is_dir():
        from .datapackage import read_table

        tables = {n: read_table(path, n) for n in ("documents", "document_edges")}
        try:
            tables["edge_evidence"] = read_table(path, "edge_evidence")
        except ExportError:  # an export written before schema 1.1
            tables["edge_evidence"] = []
        return tables
    from .tables import build_tables, load_records

    if not path.exists() and "://" not in source:
        raise ExportError(f"{source}: no such export directory or extract file (give --from EXPORT_DIR or --from RECORDS.jsonl)")
    return build_tables(load_records(source))


def resolve_id(tables: dict[str, list[dict]], doc_id: str) -> str:
    """The document id as the tables spell it ("15-nq/tw" and "15 - NQ/TƯ" find 15-NQ/TW)."""
    from ..extract.docrefs import normalize_id

    ids = [d["document_id"] for d in tables["documents"]]
    for cand in (doc_id, normalize_id(doc_id) or doc_id):
        hit = next((i for i in ids if i == cand or i.casefold() == cand.casefold()), None)
        if hit:
            return hit
    close = difflib.get_close_matches(doc_id, ids, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise ExportError(f"{doc_id}: no such document in the graph ({len(ids)} documents){hint}")


def neighbourhood(tables: dict[str, list[dict]], doc_id: str, depth: int = 2) -> Neighbourhood:
    """The tree around ``doc_id`` (``depth`` edges up and down)."""
    doc_id = resolve_id(tables, doc_id)
    evidence: dict[tuple, list[dict]] = {}
    for ev in tables.get("edge_evidence", []):
        evidence.setdefault(_key(ev), []).append(ev)
    docs = {d["document_id"]: d for d in tables["documents"]}
    edges = tables["document_edges"]
    up = _walk(doc_id, edges, evidence, depth, "up", {doc_id})
    down = _walk(doc_id, edges, evidence, depth, "down", {doc_id})
    return Neighbourhood(docs[doc_id], up, down)


def _key(row: dict) -> tuple:
    return (row["source_document_id"], row["target_document_id"], row["relation"])


def _walk(doc: str, edges: list[dict], evidence: dict, depth: int, way: str, seen: set) -> list[Link]:
    if depth <= 0:
        return []
    links = []
    mine, other = ("source_document_id", "target_document_id") if way == "up" else ("target_document_id", "source_document_id")
    for e in sorted(edges, key=lambda e: (e["relation"], e[other])):
        if e[mine] != doc:
            continue
        rel = e["relation"] if way == "up" else INVERSE.get(e["relation"], e["relation"])
        link = Link(rel, e[other], e, sorted(evidence.get(_key(e), []), key=lambda v: (v["article_id"], _int(v.get("sentence_start")))))
        if e[other] not in seen:
            link.children = _walk(e[other], edges, evidence, depth - 1, way, seen | {e[other]})
        links.append(link)
    return links


def _int(v) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        return 0


# -- rendering ----------------------------------------------------------------------------------


def _excerpt(ev: dict, width: int = 160) -> str:
    """The evidence sentence, cut around its cue when it is long."""
    sent = str(ev.get("sentence") or "")
    at = _int(ev.get("cue_start")) - _int(ev.get("sentence_start"))
    if len(sent) > width:
        lo = max(0, min(at - width // 2, len(sent) - width))
        sent = ("…" if lo else "") + sent[lo : lo + width] + ("…" if lo + width < len(sent) else "")
    return " ".join(sent.split())


def describe(doc: Optional[dict], doc_id: str) -> str:
    """One line naming a document: id, type, issuer, issue date."""
    if not doc:
        return doc_id
    if doc.get("label") and doc.get("label") != doc_id:
        return f"{doc_id} — {doc['label']}"
    bits = [doc.get("doc_type"), doc.get("issuer_name") or doc.get("issuer"), doc.get("issued_date")]
    extra = ", ".join(str(b) for b in bits if b)
    return doc_id + (f" ({extra})" if extra else "")


def render(hood: Neighbourhood, docs: dict[str, dict], evidence_per_edge: int = 2):
    """A ``rich.tree.Tree`` of the neighbourhood (plain ``Text`` everywhere: no markup is read from data)."""
    from rich.text import Text
    from rich.tree import Tree

    root = Tree(Text(describe(hood.document, hood.document["document_id"]), style="bold"))
    for title, links in (("acts on", hood.up), ("acted on by", hood.down)):
        branch = root.add(Text(title, style="dim"))
        if not links:
            branch.add(Text("(none)", style="dim"))
        for link in links:
            _add(branch, link, docs, evidence_per_edge)
    return root


def _add(parent, link: Link, docs: dict[str, dict], n_evidence: int) -> None:
    from rich.text import Text

    count = link.edge.get("evidence_count")
    label = Text(f"{link.relation} ", style="cyan")
    label.append(describe(docs.get(link.other), link.other))
    if count:
        label.append(f"  [{count} evidence]", style="dim")
    node = parent.add(label)
    shown = link.evidence[:n_evidence] or ([{"article_id": link.edge.get("article_id"), "sentence": link.edge.get("evidence"),
                                              "cue": link.edge.get("cue")}] if link.edge.get("evidence") else [])
    for ev in shown:
        node.add(Text(f"{ev.get('article_id')}: “{_excerpt(ev)}” (cue: {ev.get('cue')})", style="green"))
    if len(link.evidence) > n_evidence:
        node.add(Text(f"… {len(link.evidence) - n_evidence} more", style="dim"))
    for child in link.children:
        _add(node, child, docs, n_evidence)
