"""The typed document graph: which document implements, amends, replaces, guides, is based on or
cites which (EXTRACTION_SPEC.md section 6), with the evidence of every edge.

The relations come from the extract records (``ArticleRecord.relations``; records written before
schema 1.1 have them found again from their text, see
:func:`directive_nlp.extract.relations.record_relations`).  An edge is one (source, target,
relation); every sentence stating it, in any article, is kept as one piece of evidence
(``edge_evidence``), and ``document_edges`` carries their count and the first of them.

Example:
    >>> from directive_nlp.pipeline import Pipeline
    >>> rec = Pipeline(extractors="rules").extract(
    ...     "UBND TP ban hành Kế hoạch số 306/KH-UBND về triển khai thực hiện Chương trình hành động số 16-CTr/TU.")
    >>> [(e["source_document_id"], e["relation"], e["target_document_id"]) for e in merge_edges(evidence_rows(rec))]
    [('306/KH-UBND', 'implements', '16-CTr/TU')]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Optional

from ..schema import ArticleRecord, DocumentRelation, RelationType, content_id

RELATIONS = tuple(r.value for r in RelationType)
#: relation -> what the edge says read backwards, for the neighbourhood tree
INVERSE = {"implements": "implemented by", "amends": "amended by", "replaces": "replaced by",
           "guides": "guided by", "based_on": "basis of", "cites": "cited by"}

#: evidence columns kept on ``document_edges`` (the first evidence) and on every ``edge_evidence`` row
EVIDENCE_FIELDS = ("cue", "cue_start", "cue_end", "source_start", "source_end", "target_start", "target_end", "sentence", "sentence_start")


def evidence_rows(rec: ArticleRecord) -> list[dict]:
    """One ``edge_evidence`` row per relation the article states."""
    from ..extract.relations import record_relations

    _, rels = record_relations(rec)
    return [_evidence(rec.id, r) for r in rels]


def _evidence(article_id: str, r: DocumentRelation) -> dict:
    row = {"source_document_id": r.source, "target_document_id": r.target, "relation": r.relation, "article_id": article_id}
    row.update({k: getattr(r, k) for k in EVIDENCE_FIELDS})
    row["evidence_id"] = content_id(article_id, r.source, r.target, r.relation, r.sentence_start, r.target_start, prefix="ev-")
    return row


def _order(row: dict) -> tuple:
    return (row["article_id"], row["sentence_start"], row["target_start"])


def merge_edges(evidence: Iterable[dict]) -> list[dict]:
    """One ``document_edges`` row per (source, target, relation), with every evidence counted.

    The evidence columns of the row are those of the first evidence (by article id, then
    offset), so the same input always gives the same rows.
    """
    by_edge: dict[tuple[str, str, str], list[dict]] = {}
    for ev in evidence:
        by_edge.setdefault((ev["source_document_id"], ev["target_document_id"], ev["relation"]), []).append(ev)
    rows = []
    for (src, dst, rel), evs in sorted(by_edge.items()):
        first = min(evs, key=_order)
        arts = sorted({e["article_id"] for e in evs})
        row = {"source_document_id": src, "target_document_id": dst, "relation": rel, "evidence_count": len(evs),
               "articles": len(arts), "article_ids": "; ".join(arts), "article_id": first["article_id"],
               "evidence": first["sentence"]}
        row.update({k: first[k] for k in EVIDENCE_FIELDS if k != "sentence"})
        rows.append(row)
    return rows


_NODE_ATTRS = ("doc_type", "type_code", "number", "issuer", "issuer_name", "year", "issued_date", "numbered", "label",
               "first_seen", "last_seen", "citing_articles")
_EDGE_ATTRS = ("evidence_count", "articles", "article_ids", "cue", "evidence")


def build_graph(documents: Iterable[dict], edges: Iterable[dict]) -> Any:
    """A ``networkx.MultiDiGraph`` from the ``documents`` and ``document_edges`` tables; each edge's
    key is its relation (two documents may be joined by two relations).

    Missing values are left out (GraphML has no null).

    Example:
        >>> g = build_graph([{"document_id": "a", "doc_type": "plan"}, {"document_id": "b"}],
        ...                 [{"source_document_id": "a", "target_document_id": "b", "relation": "cites"}])
        >>> g.edges["a", "b", "cites"]["relation"]
        'cites'
    """
    import networkx as nx

    g = nx.MultiDiGraph()
    for d in documents:
        g.add_node(d["document_id"], **_present(d, _NODE_ATTRS))
    for e in edges:
        attrs = _present(e, _EDGE_ATTRS)
        g.add_edge(e["source_document_id"], e["target_document_id"], key=e["relation"], relation=e["relation"], **attrs)
    return g


def _present(row: dict, names: Iterable[str]) -> dict:
    out = {}
    for k in names:
        v = row.get(k)
        if v is not None and v == v:  # NaN from a pandas-read table is missing too
            out[k] = v
    return out


def write_graphml(graph: Any, path: Path) -> Path:
    """Write the graph as GraphML (readable by networkx, Gephi, yEd, Cytoscape)."""
    import networkx as nx

    nx.write_graphml(graph, path, encoding="utf-8")
    return path


def graph_json(documents: Iterable[dict], edges: Iterable[dict], evidence: Iterable[dict]) -> dict:
    """The graph as JSON: ``{"nodes": [...], "edges": [...]}``, each edge with all its evidence.

    Example:
        >>> graph_json([{"document_id": "a"}, {"document_id": "b"}],
        ...            [{"source_document_id": "a", "target_document_id": "b", "relation": "cites"}], [])["edges"][0]["relation"]
        'cites'
    """
    by_edge: dict[tuple, list[dict]] = {}
    for ev in sorted(evidence, key=_order):
        by_edge.setdefault((ev["source_document_id"], ev["target_document_id"], ev["relation"]), []).append(
            {"article_id": ev["article_id"], **{k: ev.get(k) for k in EVIDENCE_FIELDS}})
    nodes = [{"id": d["document_id"], **_present(d, _NODE_ATTRS)} for d in documents]
    out_edges = []
    for e in edges:
        key = (e["source_document_id"], e["target_document_id"], e["relation"])
        out_edges.append({"source": key[0], "target": key[1], "relation": key[2], "evidence_count": e.get("evidence_count"),
                          "evidence": by_edge.get(key, [])})
    return {"directed": True, "relations": list(RELATIONS), "nodes": nodes, "edges": out_edges}


def write_graph_json(documents: Iterable[dict], edges: Iterable[dict], evidence: Iterable[dict], path: Path, schema_version: Optional[str] = None) -> Path:
    """Write :func:`graph_json` to ``path`` (UTF-8, one JSON document)."""
    data = graph_json(documents, edges, evidence)
    if schema_version:
        data = {"schema_version": schema_version, **data}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    return path
