"""The document graph: which plan implements which programme, which resolution it cites.

Nodes are canonical document ids; an edge joins two documents named one after the other in one
sentence.  It is ``implements`` when an implementation cue ("thực hiện", "triển khai thực hiện",
"to implement", "implementing", "on the implementation of") stands between them with no list
separator (``,`` ``;``) before the cue, else ``cites``.  The edge points from the earlier
document to the later one, as in "Kế hoạch số 306/KH-UBND về triển khai thực hiện Chương trình
hành động số 16-CTr/TU … thực hiện Nghị quyết 15-NQ/TW" (306 → 16 → 15).

Example:
    >>> from directive_nlp.pipeline import Pipeline
    >>> rec = Pipeline(extractors="rules").extract(
    ...     "UBND TP ban hành Kế hoạch số 306/KH-UBND về triển khai thực hiện Chương trình hành động số 16-CTr/TU.")
    >>> [(e.source, e.target, e.relation) for e in sentence_edges(rec)]
    [('306/KH-UBND', '16-CTr/TU', 'implements')]
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple

from ..schema import ArticleRecord

_CUES = re.compile(
    r"\b(?:triển khai thực hiện|thực hiện|to implement|implementing|on the implementation of|in implementation of)\b",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"[,;]")
RELATIONS = ("implements", "cites")


class Edge(NamedTuple):
    source: str
    target: str
    relation: str
    article_id: str
    sentence: str
    start: int


def relation(gap: str) -> str:
    """``implements`` when the text between two documents carries an implementation cue.

    Example:
        >>> relation(" ngày 26/8/2022 của Thành ủy Hà Nội thực hiện Nghị quyết "), relation(" và Kế hoạch ")
        ('implements', 'cites')
    """
    cue = _CUES.search(gap)
    if cue and not _SEPARATOR.search(gap[: cue.start()]):
        return "implements"
    return "cites"


def sentence_edges(rec: ArticleRecord) -> Iterator[Edge]:
    """Edges between consecutive documents of each sentence of one article."""
    refs = sorted((r for r in rec.document_refs if r.id), key=lambda r: (r.start, r.end))
    if len(refs) < 2 or not rec.text:
        return
    from ..segment import segment

    for seg in segment(rec.text, rec.lang or "vi"):
        inside = [r for r in refs if r.start >= seg.start and r.end <= seg.end]
        prev = None
        for r in inside:
            if prev is not None and r.start >= prev.end and r.id != prev.id:
                gap = rec.text[prev.end : r.start]
                yield Edge(prev.id, r.id, relation(gap), rec.id, seg.text, seg.start)
            if prev is None or r.start >= prev.end:
                prev = r


def merge_edges(edges: Iterable[Edge]) -> list[dict]:
    """One ``document_edges`` row per (source, target): implements wins over cites.

    The evidence is the first implementing sentence (by article id, then offset), else the first
    citing one, so the same input always gives the same rows.
    """
    by_pair: dict[tuple[str, str], list[Edge]] = {}
    for e in edges:
        by_pair.setdefault((e.source, e.target), []).append(e)
    rows = []
    for (src, dst), es in sorted(by_pair.items()):
        best = min(es, key=lambda e: (RELATIONS.index(e.relation), e.article_id, e.start))
        arts = sorted({e.article_id for e in es})
        rows.append({"source_document_id": src, "target_document_id": dst, "relation": best.relation,
                     "articles": len(arts), "article_ids": "; ".join(arts), "evidence": best.sentence})
    return rows


def build_graph(documents: Iterable[dict], edges: Iterable[dict]) -> Any:
    """A ``networkx.DiGraph`` from the ``documents`` and ``document_edges`` tables.

    Node attributes: type, type_code, issuer, issued_date, citing_articles (missing values are
    left out, as GraphML has no null); edge attributes: relation, articles, evidence.

    Example:
        >>> g = build_graph([{"document_id": "a", "doc_type": "plan"}, {"document_id": "b"}],
        ...                 [{"source_document_id": "a", "target_document_id": "b", "relation": "cites"}])
        >>> g.edges["a", "b"]["relation"]
        'cites'
    """
    import networkx as nx

    g = nx.DiGraph()
    for d in documents:
        attrs = {"type": d.get("doc_type"), "type_code": d.get("type_code"), "issuer": d.get("issuer"),
                 "issuer_name": d.get("issuer_name"), "issued_date": d.get("issued_date"), "citing_articles": d.get("citing_articles")}
        g.add_node(d["document_id"], **{k: v for k, v in attrs.items() if v is not None})
    for e in edges:
        attrs = {"relation": e["relation"], "articles": e.get("articles"), "evidence": e.get("evidence")}
        g.add_edge(e["source_document_id"], e["target_document_id"], **{k: v for k, v in attrs.items() if v is not None})
    return g


def write_graphml(graph: Any, path: Path) -> Path:
    """Write the graph as GraphML (readable by networkx, Gephi, yEd, Cytoscape)."""
    import networkx as nx

    nx.write_graphml(graph, path, encoding="utf-8")
    return path
