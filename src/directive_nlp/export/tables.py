"""Extract records -> keyed, typed tables (one definition for files, descriptor and docs).

:func:`build_tables` takes any iterable of ArticleRecord dicts (an extract JSONL file, the editor
desk's ``GET /api/export``) and returns ``{table name: [row dict, ...]}``.  Every id is derived
from content with :func:`directive_nlp.schema.content_id`, so the same input gives the same ids
on any machine; every row carries the ``schema_version`` of the record format.

Example:
    >>> from directive_nlp.pipeline import Pipeline
    >>> rec = Pipeline(extractors="rules").extract("Sở KH&ĐT chủ trì triển khai Kế hoạch số 306/KH-UBND.")
    >>> t = build_tables([rec.model_dump(mode="json")])
    >>> [d["document_id"] for d in t["documents"]]
    ['306/KH-UBND']
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple, Optional, Union

from pydantic import ValidationError

from ..errors import DirectiveNLPError
from ..schema import MENTION_KINDS, SCHEMA_VERSION, ArticleRecord, Directive, DirectiveAgency, DocumentRef, content_id
from .columns import DEADLINE_YEAR, VALUE_MAX, Column, MentionTable, model_columns
from .graph import evidence_rows, merge_edges


class ExportError(DirectiveNLPError):
    """The export cannot be made: names the input and the problem."""

    code = "export"


@dataclass(frozen=True)
class TableSpec:
    """A table: its columns, primary key and foreign keys (field list -> (table, field list))."""

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


SV = Column("schema_version", "string", "Version of the record schema this row was written under (semantic versioning; see CHANGELOG.md).")


_ART_FK = ((("article_id",), "articles", ("article_id",)),)
#: review fields: filled in exports from the editor desk, empty for plain extract output
DECISION = Column("decision", "string", "Editor desk: accepted, rejected, edited, added (by an editor) or undecided; empty outside the desk.")
_REVIEW = (
    Column("review_status", "string", "Editor desk: new, in_review or reviewed; empty outside the desk."),
    Column("reviewed_by", "string", "Editor desk: who marked the article reviewed."),
    Column("reviewed_at", "string", "Editor desk: when the article was marked reviewed (ISO 8601 timestamp)."),
)


def _evidence_columns() -> tuple[Column, ...]:
    """Offsets and cue of a relation's evidence, described once in ``schema.DocumentRelation``."""
    from ..schema import DocumentRelation

    names = ("sentence_start", "cue", "cue_start", "cue_end", "source_start", "source_end", "target_start", "target_end")
    f = DocumentRelation.model_fields
    return tuple(Column(n, "string" if n == "cue" else "integer", f[n].description or n) for n in names)


def _spec(name: str, description: str, columns: tuple[Column, ...], pk: tuple[str, ...], fks=()) -> TableSpec:
    return TableSpec(name, description, columns + (SV,), pk, tuple(fks))


def _bounds_row(m) -> dict:
    lo, hi = _bounds(m.value)
    return {"value": lo, "value_max": hi}


#: one table per kind of mention (schema.MENTION_KINDS), its columns derived from the model
MENTION_TABLES: dict[str, MentionTable] = {
    "document_refs": MentionTable(
        "document_refs", "document_refs", "mention_id", "dr-", "One row per mention of a numbered Party or State document in an article.",
        rename={"id": "document_id"}, types={"issued_date": "date"}, compute=lambda m: {"issued_date": iso_date(m.issued_date)}),
    "agencies": MentionTable(
        "agencies", "agency_mentions", "mention_id", "am-", "One row per mention of a public body in an article.", skip=("canonical",),
        lead=(Column("agency_id", "string", "The agency (agencies.agency_id)."),)),
    "targets": MentionTable(
        "targets", "targets", "target_id", "t-", "One row per quantity a plan aims to reach.",
        after={"value": (VALUE_MAX,), "deadline": (DEADLINE_YEAR,)},
        compute=lambda m: {**_bounds_row(m), "deadline_year": last_year(m.deadline)}),
    "dates": MentionTable(
        "dates", "dates", "date_id", "dt-", "One row per calendar expression.",
        after={"value": (Column("year", "integer", "Last calendar year of the value."),)}, compute=lambda m: {"year": last_year(m.value)}),
    "figures": MentionTable(
        "figures", "figures", "figure_id", "f-", "One row per reported or forecast quantity (never a target).",
        after={"value": (VALUE_MAX,)}, compute=_bounds_row),
}
assert set(MENTION_TABLES) == set(MENTION_KINDS), "every kind of mention needs its table"
_FKS = {"document_refs": ((("document_id",), "documents", ("document_id",)),), "agencies": ((("agency_id",), "agencies", ("agency_id",)),)}


def _mention_spec(kind: str) -> "TableSpec":
    mt = MENTION_TABLES[kind]
    return _spec(mt.table, mt.description, mt.columns() + (DECISION,), (mt.id_column,), _ART_FK + _FKS.get(kind, ()))


_CONTENT_HASH = "Hash of the {} with everything attached to it; a changed hash means a correction."


TABLE_SPECS: dict[str, TableSpec] = {
    s.name: s
    for s in [
        _spec("articles", "One row per extracted article.", (
            *model_columns(ArticleRecord, ("id", "lang", "published", "url", "title", "input", "status"), {"id": "article_id"}),
            Column("n_directives", "integer", "Number of directives extracted from the article."),
            Column("errors", "string", "Problems with this input, '; '-separated; empty when none."),
            *model_columns(ArticleRecord, ("text",)),
            Column("content_hash", "string", "Hash of the whole record: changes whenever anything extracted from the article changes."),
            *_REVIEW,
        ), ("article_id",)),
        _spec("directives", "One row per directive: a sentence or clause that assigns or calls for an action.", (
            *model_columns(Directive, ("id", "article_id", "language", "text", "start", "end", "verb", "deadline"), {"id": "directive_id"},
                           after={"deadline": (DEADLINE_YEAR,)}),
            Column("n_agencies", "integer", "Number of agencies named in the directive (see directive_agencies)."),
            Column("n_targets", "integer", "Number of targets attached to the directive (see directive_targets)."),
            Column("n_documents", "integer", "Number of documents the directive refers to (see directive_documents)."),
            Column("sources", "string", "JSON object: " + (Directive.model_fields["source"].description or "")),
            *model_columns(Directive, ("confidence",)),
            Column("content_hash", "string", _CONTENT_HASH.format("directive")),
            DECISION,
        ), ("directive_id",), _ART_FK),
        _mention_spec("document_refs"),
        _spec("documents", "One row per document: a canonical id merged over all mentions, or an unnumbered document an article reports.", (
            Column("document_id", "string", "Canonical document id, e.g. 15-NQ/TW (stable: it is the official number), or the key of an unnumbered document."),
            *model_columns(DocumentRef, ("number", "doc_type", "type_code", "issuer", "issuer_name", "year")),
            Column("issued_date", "date", "Issue date (earliest stated over the mentions)."),
            Column("citing_articles", "integer", "Number of distinct articles that mention the document."),
            Column("mentions", "integer", "Number of mentions over all articles."),
            Column("directives", "integer", "Number of directives that refer to the document."),
            Column("numbered", "boolean", "False for a document an article reports without a number (its id is then a key 'new:TYPE:ISSUER:DATE')."),
            Column("label", "string", "A readable name: the id, or type, issuer and date of an unnumbered document."),
            Column("first_seen", "string", "Publication date of the first article naming the document (ISO 8601, as precise as known)."),
            Column("last_seen", "string", "Publication date of the last article naming the document."),
        ), ("document_id",)),
        _spec("agencies", "One row per canonical agency; Vietnamese and English names meet at one canonical id.", (
            Column("agency_id", "string", "Stable agency id (hash of the canonical name)."),
            Column("canonical", "string", "Canonical (English) name; the surface name when no canonical form is known."),
            Column("names", "string", "Every surface name seen, '; '-separated, sorted."),
            Column("languages", "string", "Languages the agency was seen in, '; '-separated."),
            Column("articles", "integer", "Number of distinct articles naming the agency."),
            Column("mentions", "integer", "Number of mentions."),
            Column("directives", "integer", "Number of directives naming the agency."),
        ), ("agency_id",)),
        _mention_spec("agencies"),
        _mention_spec("targets"),
        _mention_spec("dates"),
        _mention_spec("figures"),
        _spec("directive_agencies", "Which agency a directive names, and in which role.", (
            Column("directive_id", "string", "The directive."),
            Column("agency_id", "string", "The agency."),
            *model_columns(DirectiveAgency, ("role", "name", "start", "end")),  # canonical: agencies.canonical
        ), ("directive_id", "agency_id", "role"), ((("directive_id",), "directives", ("directive_id",)), (("agency_id",), "agencies", ("agency_id",)))),
        _spec("directive_targets", "Which target a directive sets.", (
            Column("directive_id", "string", "The directive."),
            Column("target_id", "string", "The target."),
        ), ("directive_id", "target_id"), ((("directive_id",), "directives", ("directive_id",)), (("target_id",), "targets", ("target_id",)))),
        _spec("directive_documents", "Which document a directive refers to.", (
            Column("directive_id", "string", "The directive."),
            Column("document_id", "string", "The document."),
        ), ("directive_id", "document_id"), ((("directive_id",), "directives", ("directive_id",)), (("document_id",), "documents", ("document_id",)))),
        _spec("document_edges", "The typed document graph: one row per (source, target, relation), with the first evidence.", (
            Column("source_document_id", "string", "The document that acts (documents.document_id)."),
            Column("target_document_id", "string", "The document it acts on."),
            Column("relation", "string", "implements, amends, replaces, guides, based_on, or cites (an explicit reference with none of those cues)."),
            Column("evidence_count", "integer", "Number of sentences, over all articles, stating the edge (see edge_evidence)."),
            Column("articles", "integer", "Number of distinct articles stating the edge."),
            Column("article_ids", "string", "Those articles, '; '-separated."),
            Column("article_id", "string", "The article of the first evidence."),
            Column("evidence", "string", "The first sentence stating the edge."),
            *_evidence_columns(),
        ), ("source_document_id", "target_document_id", "relation"), ((("source_document_id",), "documents", ("document_id",)),
                                                                      (("target_document_id",), "documents", ("document_id",)), *_ART_FK)),
        _spec("edge_evidence", "Every sentence stating a document relation: one row per edge and sentence.", (
            Column("evidence_id", "string", "Stable evidence id (hash of article, edge and offsets)."),
            Column("source_document_id", "string", "The document that acts."),
            Column("target_document_id", "string", "The document it acts on."),
            Column("relation", "string", "The relation (document_edges.relation)."),
            Column("article_id", "string", "The article stating it."),
            Column("sentence", "string", "The sentence stating it."),
            *_evidence_columns(),
        ), ("evidence_id",), ((("source_document_id", "target_document_id", "relation"), "document_edges",
                               ("source_document_id", "target_document_id", "relation")), *_ART_FK)),
        _spec("changes", "Incremental exports only: each directive that is new, updated or withdrawn since the previous export.", (
            Column("directive_id", "string", "The directive (a withdrawn one is no longer in directives)."),
            Column("article_id", "string", "Its article."),
            Column("change", "string", "new, updated or withdrawn."),
            Column("content_hash", "string", "Hash of the directive now (the last known hash for a withdrawn one)."),
            Column("previous_content_hash", "string", "Hash in the previous export; empty for a new directive."),
        ), ("directive_id",)),
    ]
}

#: review statuses that count as reviewed for ``--reviewed-only``
REVIEWED = {"approved", "reviewed", "accepted", "corrected", "published"}


# -- reading --------------------------------------------------------------------------------------


def load_records(source: str) -> Iterator[dict]:
    """Record dicts from an extract JSONL file, or from the editor desk database (``sqlite:///…``).

    Example:
        >>> recs = list(load_records("out.jsonl"))  # doctest: +SKIP
    """
    if re.match(r"^[a-z][a-z0-9+]*://", source):
        return _desk_records(source)
    path = Path(source)
    if not path.is_file():
        raise ExportError(f"{source}: no such file (SOURCE is an extract JSONL file or sqlite:///path/to/desk.db)")
    return _jsonl_records(path)


def _jsonl_records(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ExportError(f"{path}:{n}: not a JSON line ({exc.msg}); SOURCE must be the JSONL output of `directive-nlp extract`") from None
            if not isinstance(obj, dict):
                raise ExportError(f"{path}:{n}: expected a JSON object (an extract record), got {type(obj).__name__}")
            obj.setdefault("_line", n)
            obj.setdefault("_source", str(path))
            yield obj


def _desk_records(url: str) -> Iterator[dict]:
    """Records from the editor desk (``directive_nlp.web``), imported only when asked for."""
    if not url.startswith(("sqlite:///", "postgresql")):
        raise ExportError(f"{url}: unsupported SOURCE; give an extract JSONL file, sqlite:///path/to/desk.db or postgresql+psycopg://...")
    try:
        from .. import web  # noqa: F401
        from ..web import export_records  # type: ignore[attr-defined]
    except ImportError as exc:
        raise ExportError(
            f"{url}: exporting from the editor desk database needs directive_nlp.web.export_records "
            f"(the editor desk module), which is not available in this install ({exc})"
        ) from None
    return iter(export_records(url))


def review_state(raw: dict) -> Optional[bool]:
    """True/False when the record carries review information, None when it carries none.

    Review information is ``review: {"status": ...}``, ``review_status: ...`` or ``reviewed: bool``.

    Example:
        >>> review_state({"review": {"status": "approved"}}), review_state({"id": "a"})
        (True, None)
    """
    if isinstance(raw.get("reviewed"), bool):
        return raw["reviewed"]
    status = raw.get("review_status")
    review = raw.get("review")
    if isinstance(review, dict):
        status = review.get("status", status)
    if status is None:
        return None
    return str(status).lower() in REVIEWED


# -- building -------------------------------------------------------------------------------------


@dataclass
class Tables:
    """Rows per table while they are being built; ``warnings`` lists what was skipped and why."""

    rows: dict[str, dict[Any, dict]] = field(default_factory=lambda: {n: {} for n in TABLE_SPECS})
    warnings: list[str] = field(default_factory=list)

    def add(self, table: str, row: dict) -> bool:
        """Add a row unless its primary key is already there; returns whether it was added."""
        spec = TABLE_SPECS[table]
        key = tuple(row.get(k) for k in spec.primary_key)
        if key in self.rows[table]:
            return False
        full = {c: row.get(c) for c in spec.names}
        full["schema_version"] = row.get("schema_version") or SCHEMA_VERSION
        self.rows[table][key] = full
        return True

    def as_lists(self) -> dict[str, list[dict]]:
        """Rows in primary-key order, so two runs over the same input write identical files."""
        return {n: [r[1] for r in sorted(rs.items(), key=lambda kv: _sort_key(kv[0]))] for n, rs in self.rows.items()}


def _sort_key(key: tuple) -> tuple:
    return tuple((v is None, "" if v is None else str(v)) for v in key)


def agency_id(canonical_or_name: str) -> str:
    """The stable id of an agency: both languages' names meet at their canonical name.

    Example:
        >>> agency_id("Politburo") == agency_id(" politburo ")
        True
    """
    return content_id("agency", " ".join(canonical_or_name.split()).casefold(), prefix="ag-")


def mention_id(article_id: str, kind: str, start: int, end: int, text: str) -> str:
    """The stable id of a mention: its article, kind, offsets and text."""
    return content_id(article_id, kind, start, end, text, prefix=MENTION_TABLES[kind].prefix)


def content_hash(obj: Any) -> str:
    """A hash of a JSON-able value, independent of key order."""
    return content_id(json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")), length=32)


_YEAR = re.compile(r"(\d{4})")


def last_year(iso: Optional[str]) -> Optional[int]:
    """The last calendar year of an ISO 8601 value: ``2026/2030`` -> 2030, ``2025-06-30`` -> 2025."""
    if not iso:
        return None
    years = _YEAR.findall(str(iso).split("/")[-1]) or _YEAR.findall(str(iso))
    return int(years[-1]) if years else None


def iso_date(value: Optional[str]) -> Optional[str]:
    """``YYYY-MM-DD`` when the value starts with a valid calendar date, else None."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return None


def _bounds(value: Union[float, int, list, None]) -> tuple[Optional[float], Optional[float]]:
    if isinstance(value, list):
        return (value[0], value[-1]) if value else (None, None)
    return value, None


def build_tables(records: Iterable[Union[dict, ArticleRecord]], reviewed_only: bool = False, since: Optional[str] = None) -> dict[str, list[dict]]:
    """Every table of the export from ArticleRecord dicts (or models), rows in key order.

    ``reviewed_only`` keeps records whose review status is approved; it raises
    :class:`ExportError` when no record carries review information at all (a plain extract
    file), because an empty export would look like a successful one.  ``since`` (an ISO date)
    keeps articles published on or after it (ISO strings compared as text: a bare year ``2025``
    counts as its first day; articles without a date are left out).  The ``changes`` table is filled by
    :func:`mark_changes`; :func:`build` also returns the warnings (rows skipped and why).

    Example:
        >>> build_tables([])["articles"]
        []
    """
    return build(records, reviewed_only, since).as_lists()


def build(records: Iterable[Union[dict, ArticleRecord]], reviewed_only: bool = False, since: Optional[str] = None) -> Tables:
    """Like :func:`build_tables`, returning the :class:`Tables` builder with its warnings."""
    t = Tables()
    seen_review = False
    total = 0
    doc_articles: dict[str, set] = {}
    edges: list = []
    for raw in records:
        total += 1
        if reviewed_only and isinstance(raw, dict):
            raw = without_rejected(raw)
        rec, raw = _record(raw)
        if reviewed_only:
            state = review_state(raw)
            seen_review = seen_review or state is not None
            if not state:
                continue
        if since and not (rec.published and str(rec.published) >= since):
            continue
        if (rec.id,) in t.rows["articles"]:
            t.warnings.append(f"{_where(raw)}: article {rec.id} appears again; the repeat was skipped")
            continue
        _add_article(t, rec, doc_articles)
        _add_review(t, rec, raw)
        edges.extend(_add_relations(t, rec, doc_articles))
    if reviewed_only and total and not seen_review:
        raise ExportError(
            "--reviewed-only: no record in SOURCE carries review information (review status); "
            "a plain extract file has none - export from the editor desk instead, or drop --reviewed-only"
        )
    _finish_counts(t, doc_articles)
    for row in merge_edges(edges):
        t.add("document_edges", row)
    for row in edges:
        t.add("edge_evidence", row)
    return t


_ITEM_LISTS = ("document_refs", "dates", "agencies", "targets", "figures", "directives")
_MENTION_TABLE = {kind: mt.table for kind, mt in MENTION_TABLES.items()}


def without_rejected(raw: dict) -> dict:
    """The record without the items an editor rejected (``decision: rejected``)."""
    return {**raw, **{k: [x for x in raw[k] if not (isinstance(x, dict) and x.get("decision") == "rejected")]
                      for k in _ITEM_LISTS if isinstance(raw.get(k), list)}}


def _add_review(t: Tables, rec: ArticleRecord, raw: dict) -> None:
    """Copy the editor desk's review fields (``review``, per-item ``decision``) into their columns."""
    review = raw.get("review") if isinstance(raw.get("review"), dict) else {}
    t.rows["articles"][(rec.id,)].update(review_status=review.get("status"), reviewed_by=review.get("reviewer"), reviewed_at=review.get("reviewed_at"))
    for kind, table in _MENTION_TABLE.items():
        for m, item in zip(getattr(rec, kind), raw.get(kind) or []):
            row = t.rows[table].get((mention_id(rec.id, kind, m.start, m.end, m.text),))
            if row is not None and isinstance(item, dict) and item.get("decision"):
                row["decision"] = item["decision"]
    for d, item in zip(rec.directives, raw.get("directives") or []):
        row = t.rows["directives"].get((d.id,))
        if row is not None and isinstance(item, dict) and item.get("decision"):
            row["decision"] = item["decision"]


def _where(raw: dict) -> str:
    return f"{raw.get('_source', 'SOURCE')}:{raw.get('_line', '?')}"


def _record(raw: Union[dict, ArticleRecord]) -> tuple[ArticleRecord, dict]:
    if isinstance(raw, ArticleRecord):
        return raw, raw.model_dump(mode="json")
    try:
        return ArticleRecord.model_validate({k: v for k, v in raw.items() if not k.startswith("_")}), raw
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ExportError(f"{_where(raw)}: not an extract record ({loc}: {first['msg']})") from None


def _add_article(t: Tables, rec: ArticleRecord, doc_articles: dict[str, set]) -> None:
    aid, sv = rec.id, rec.schema_version
    dumped = rec.model_dump(mode="json")
    t.add("articles", {
        **dumped, "article_id": aid, "n_directives": len(rec.directives), "content_hash": content_hash(dumped),
        "errors": "; ".join(f"{e.source}{':' + str(e.line) if e.line else ''}: {e.reason}" for e in rec.errors) or None,
    })
    for m in rec.document_refs:
        _add_mention(t, "document_refs", aid, m, sv)
        if m.id:
            _merge_document(t, m.id, m)
            doc_articles.setdefault(m.id, set()).add(aid)
    for m in rec.agencies:
        ag = _agency(t, m.canonical or m.name, m.name, rec.lang, aid)
        _add_mention(t, "agencies", aid, m, sv, agency_id=ag)
        t.rows["agencies"][(ag,)]["mentions"] += 1
    for kind in ("targets", "dates", "figures"):
        for m in getattr(rec, kind):
            _add_mention(t, kind, aid, m, sv)
    for d in rec.directives:
        _add_directive(t, rec, d, doc_articles)


def _add_mention(t: Tables, kind: str, aid: str, m, sv: str, **extra) -> str:
    """One row of a mention table; returns its id."""
    mt = MENTION_TABLES[kind]
    mid = mention_id(aid, kind, m.start, m.end, m.text)
    t.add(mt.table, mt.row(m, mid, aid, schema_version=sv, **extra))
    return mid


def _merge_document(t: Tables, doc_id: str, m=None) -> dict:
    """One documents row per canonical id; blanks are filled from later mentions."""
    key = (doc_id,)
    row = t.rows["documents"].get(key)
    if row is None:
        t.add("documents", {"document_id": doc_id, "citing_articles": 0, "mentions": 0, "directives": 0,
                            "numbered": not doc_id.startswith("new:"), "label": doc_id})
        row = t.rows["documents"][key]
    if m is None:
        return row
    row["mentions"] += 1
    for col in ("doc_type", "type_code", "number", "issuer", "issuer_name", "year"):
        if row.get(col) is None and getattr(m, col) is not None:
            row[col] = getattr(m, col)
    _earliest_issue(row, m.issued_date)
    return row


def _earliest_issue(row: dict, value: Optional[str]) -> None:
    issued = iso_date(value)
    if issued and (row.get("issued_date") is None or issued < row["issued_date"]):
        row["issued_date"] = issued


def _add_relations(t: Tables, rec: ArticleRecord, doc_articles: dict[str, set]) -> list[dict]:
    """The article's subject document and the endpoints of its relations become documents rows;
    returns the article's ``edge_evidence`` rows."""
    from ..extract.relations import record_relations

    subject, _ = record_relations(rec)
    if subject is not None and not subject.numbered:
        row = _merge_document(t, subject.id)
        row["mentions"] += 1
        row.update({k: row.get(k) or v for k, v in (("doc_type", subject.doc_type), ("issuer_name", subject.issuer))})
        row["label"] = subject.label
        _earliest_issue(row, subject.issued_date)
        doc_articles.setdefault(subject.id, set()).add(rec.id)
    rows = evidence_rows(rec)
    for ev in rows:
        for doc in (ev["source_document_id"], ev["target_document_id"]):
            _merge_document(t, doc)
            doc_articles.setdefault(doc, set()).add(rec.id)
    return rows


def _agency(t: Tables, canonical: str, name: str, lang: Optional[str], aid: str) -> str:
    ag = agency_id(canonical)
    key = (ag,)
    if key not in t.rows["agencies"]:
        t.add("agencies", {"agency_id": ag, "canonical": " ".join(canonical.split()), "mentions": 0, "directives": 0})
        t.rows["agencies"][key].update(_names=set(), _langs=set(), _articles=set(), _directives=set())
    row = t.rows["agencies"][key]
    row["_names"].add(name)
    if lang:
        row["_langs"].add(lang)
    row["_articles"].add(aid)
    return ag


def _add_directive(t: Tables, rec: ArticleRecord, d, doc_articles: dict[str, set]) -> None:
    sv = rec.schema_version
    dumped = d.model_dump(mode="json")
    if not t.add("directives", {
        **dumped, "directive_id": d.id, "article_id": rec.id, "deadline_year": last_year(d.deadline), "n_agencies": len(d.agencies),
        "n_targets": len(d.targets), "n_documents": len(set(d.document_refs)),
        "sources": json.dumps(d.source, sort_keys=True, ensure_ascii=False) if d.source else None,
        "content_hash": content_hash(dumped), "schema_version": sv,
    }):
        t.warnings.append(f"article {rec.id}: directive {d.id} appears twice; the repeat was skipped")
        return
    for a in d.agencies:
        ag = _agency(t, a.canonical or a.name, a.name, rec.lang, rec.id)
        t.rows["agencies"][(ag,)]["_directives"].add(d.id)
        t.add("directive_agencies", {**a.model_dump(mode="json"), "directive_id": d.id, "agency_id": ag, "schema_version": sv})
    for m in d.targets:
        t.add("directive_targets", {"directive_id": d.id, "target_id": _add_mention(t, "targets", rec.id, m, sv), "schema_version": sv})
    for doc in dict.fromkeys(d.document_refs):
        _merge_document(t, doc)
        doc_articles.setdefault(doc, set()).add(rec.id)
        t.rows["documents"][(doc,)]["directives"] += 1
        t.add("directive_documents", {"directive_id": d.id, "document_id": doc, "schema_version": sv})


def _finish_counts(t: Tables, doc_articles: dict[str, set]) -> None:
    for (doc,), row in t.rows["documents"].items():
        arts = doc_articles.get(doc, ())
        row["citing_articles"] = len(arts)
        seen = sorted(p for p in (t.rows["articles"][(a,)]["published"] for a in arts) if p)
        row["first_seen"], row["last_seen"] = (seen[0], seen[-1]) if seen else (None, None)
    for row in t.rows["agencies"].values():
        row["names"] = "; ".join(sorted(row.pop("_names")))
        row["languages"] = "; ".join(sorted(row.pop("_langs"))) or None
        row["articles"] = len(row.pop("_articles"))
        row["directives"] = len(row.pop("_directives"))


# -- a record's life ------------------------------------------------------------------------------


def mark_changes(directives: list[dict], previous: Optional[dict[str, tuple[str, str]]]) -> list[dict]:
    """The ``changes`` rows: each directive new, updated or withdrawn since the previous export.

    ``previous`` maps directive_id -> (article_id, content_hash) from the previous export; None
    means there is no previous export (a ``--since DATE`` export): every directive is new.
    Unchanged directives get no row.

    Example:
        >>> mark_changes([{"directive_id": "d-1", "article_id": "a", "content_hash": "h2"}], {"d-1": ("a", "h1")})[0]["change"]
        'updated'
    """
    prev = previous or {}
    out = []
    now = {d["directive_id"] for d in directives}
    for d in directives:
        old = prev.get(d["directive_id"])
        if old is None:
            change = "new"
        elif old[1] != d["content_hash"]:
            change = "updated"
        else:
            continue
        out.append({"directive_id": d["directive_id"], "article_id": d["article_id"], "change": change,
                    "content_hash": d["content_hash"], "previous_content_hash": old[1] if old else None, "schema_version": SCHEMA_VERSION})
    for did, (aid, h) in prev.items():
        if did not in now:
            out.append({"directive_id": did, "article_id": aid, "change": "withdrawn", "content_hash": h,
                        "previous_content_hash": h, "schema_version": SCHEMA_VERSION})
    return sorted(out, key=lambda r: r["directive_id"])
