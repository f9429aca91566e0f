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
from ..schema import SCHEMA_VERSION, ArticleRecord, content_id
from .graph import merge_edges, sentence_edges


class ExportError(DirectiveNLPError):
    """The export cannot be made: names the input and the problem."""

    code = "export"


class Column(NamedTuple):
    name: str
    type: str  # Frictionless type: string, integer, number, boolean, date
    description: str


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


def _span(what: str) -> tuple[Column, ...]:
    return (
        Column("article_id", "string", "The article the mention was read from (articles.article_id)."),
        Column("text", "string", f"The exact text of the {what} as it appears in the article."),
        Column("start", "integer", "Start character offset into articles.text (0-based)."),
        Column("end", "integer", "End character offset into articles.text (exclusive)."),
    )


_PROVENANCE = (
    Column("source", "string", "Extractor that produced the mention: rule, model, ensemble or editor."),
    Column("confidence", "number", "Confidence in [0, 1]."),
)
_ART_FK = ((("article_id",), "articles", ("article_id",)),)
#: review fields: filled in exports from the editor desk, empty for plain extract output
DECISION = Column("decision", "string", "Editor desk: accepted, rejected, edited, added (by an editor) or undecided; empty outside the desk.")
_REVIEW = (
    Column("review_status", "string", "Editor desk: new, in_review or reviewed; empty outside the desk."),
    Column("reviewed_by", "string", "Editor desk: who marked the article reviewed."),
    Column("reviewed_at", "string", "Editor desk: when the article was marked reviewed (ISO 8601 timestamp)."),
)


def _spec(name: str, description: str, columns: tuple[Column, ...], pk: tuple[str, ...], fks=()) -> TableSpec:
    return TableSpec(name, description, columns + (SV,), pk, tuple(fks))


TABLE_SPECS: dict[str, TableSpec] = {
    s.name: s
    for s in [
        _spec("articles", "One row per extracted article.", (
            Column("article_id", "string", "Stable article id (from the input, or a content hash of the text)."),
            Column("lang", "string", "Language code: vi or en."),
            Column("published", "string", "Publication date as ISO 8601 (YYYY-MM-DD, or YYYY-MM / YYYY when that is all that is known); empty when unknown."),
            Column("url", "string", "Where the article was published."),
            Column("title", "string", "Headline."),
            Column("input", "string", "Where the article was read from (path or path:line)."),
            Column("status", "string", "ok, error (the input could not be read; see errors) or duplicate."),
            Column("n_directives", "integer", "Number of directives extracted from the article."),
            Column("errors", "string", "Problems with this input, '; '-separated; empty when none."),
            Column("text", "string", "The article text every offset points into (NFC-normalized)."),
            Column("content_hash", "string", "Hash of the whole record: changes whenever anything extracted from the article changes."),
            *_REVIEW,
        ), ("article_id",)),
        _spec("directives", "One row per directive: a sentence or clause that assigns or calls for an action.", (
            Column("directive_id", "string", "Stable directive id."),
            Column("article_id", "string", "The article the directive was read from."),
            Column("language", "string", "Language code of the directive text."),
            Column("text", "string", "The directive sentence or clause."),
            Column("start", "integer", "Start character offset into articles.text."),
            Column("end", "integer", "End character offset into articles.text (exclusive)."),
            Column("verb", "string", "The action verb or cue that makes it a directive."),
            Column("deadline", "string", "Deadline as ISO 8601 (a date, month, year or an interval such as 2026/2030)."),
            Column("deadline_year", "integer", "Last calendar year of the deadline (2030 for 2026/2030)."),
            Column("n_agencies", "integer", "Number of agencies named in the directive (see directive_agencies)."),
            Column("n_targets", "integer", "Number of targets attached to the directive (see directive_targets)."),
            Column("n_documents", "integer", "Number of documents the directive refers to (see directive_documents)."),
            Column("sources", "string", "JSON object: which extractor produced each part of the directive."),
            Column("confidence", "number", "Confidence in [0, 1]."),
            Column("content_hash", "string", "Hash of the directive with everything attached to it; a changed hash means a correction."),
            DECISION,
        ), ("directive_id",), _ART_FK),
        _spec("document_refs", "One row per mention of a numbered Party or State document in an article.", (
            Column("mention_id", "string", "Stable mention id (hash of article, offsets and text)."),
            *_span("document reference"),
            Column("document_id", "string", "Canonical document id (documents.document_id), e.g. 306/KH-UBND; empty when the number is incomplete."),
            Column("number", "string", "The document number."),
            Column("doc_type", "string", "Document type: resolution, plan, program, decision, directive, ..."),
            Column("type_code", "string", "Vietnamese type code: NQ, KH, CTr, QĐ, CT, ..."),
            Column("issuer", "string", "Issuer code from the number (TW, TU, UBND, ...)."),
            Column("issuer_name", "string", "Issuer in words."),
            Column("year", "integer", "Year in the number, when written."),
            Column("issued_date", "date", "Issue date stated next to the mention."),
            *_PROVENANCE,
            DECISION,
        ), ("mention_id",), _ART_FK + ((("document_id",), "documents", ("document_id",)),)),
        _spec("documents", "One row per canonical document id, merged over all mentions.", (
            Column("document_id", "string", "Canonical document id, e.g. 15-NQ/TW (stable: it is the official number)."),
            Column("doc_type", "string", "Document type (most frequent over the mentions)."),
            Column("type_code", "string", "Vietnamese type code."),
            Column("number", "string", "The document number."),
            Column("issuer", "string", "Issuer code."),
            Column("issuer_name", "string", "Issuer in words."),
            Column("year", "integer", "Year in the number, when written."),
            Column("issued_date", "date", "Issue date (earliest stated over the mentions)."),
            Column("citing_articles", "integer", "Number of distinct articles that mention the document."),
            Column("mentions", "integer", "Number of mentions over all articles."),
            Column("directives", "integer", "Number of directives that refer to the document."),
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
        _spec("agency_mentions", "One row per mention of a public body in an article.", (
            Column("mention_id", "string", "Stable mention id."),
            *_span("agency name"),
            Column("agency_id", "string", "The agency (agencies.agency_id)."),
            Column("name", "string", "The name as normalized by the extractor."),
            Column("role", "string", "Role in its sentence: lead, coordinate, issuer or mentioned."),
            Column("nested", "boolean", "True when the name is part of a longer agency name."),
            *_PROVENANCE,
            DECISION,
        ), ("mention_id",), _ART_FK + ((("agency_id",), "agencies", ("agency_id",)),)),
        _spec("targets", "One row per quantity a plan aims to reach.", (
            Column("target_id", "string", "Stable target id (hash of article, offsets and text)."),
            *_span("target"),
            Column("value", "number", "The value (the lower bound for a range)."),
            Column("value_max", "number", "Upper bound of a range; empty for a single value."),
            Column("unit", "string", "Unit: %, VND, billion VND, km, ..."),
            Column("comparator", "string", "=, >=, <= or range."),
            Column("metric", "string", "What is measured, when stated."),
            Column("deadline", "string", "Deadline as ISO 8601 (date, year or interval)."),
            Column("deadline_year", "integer", "Last calendar year of the deadline."),
            Column("of", "number", "The whole a share refers to (\"8 of 10 districts\")."),
            *_PROVENANCE,
            DECISION,
        ), ("target_id",), _ART_FK),
        _spec("dates", "One row per calendar expression.", (
            Column("date_id", "string", "Stable date mention id."),
            *_span("date expression"),
            Column("value", "string", "ISO 8601 value (date, month, year or interval); empty when it cannot be resolved."),
            Column("year", "integer", "Last calendar year of the value."),
            Column("kind", "string", "absolute or relative."),
            Column("role", "string", "issued, deadline, period or event."),
            *_PROVENANCE,
            DECISION,
        ), ("date_id",), _ART_FK),
        _spec("figures", "One row per reported or forecast quantity (never a target).", (
            Column("figure_id", "string", "Stable figure id."),
            *_span("figure"),
            Column("value", "number", "The value (the lower bound for a range)."),
            Column("value_max", "number", "Upper bound of a range; empty for a single value."),
            Column("unit", "string", "Unit."),
            Column("metric", "string", "What is measured, when stated."),
            Column("status", "string", "actual or estimate."),
            *_PROVENANCE,
            DECISION,
        ), ("figure_id",), _ART_FK),
        _spec("directive_agencies", "Which agency a directive names, and in which role.", (
            Column("directive_id", "string", "The directive."),
            Column("agency_id", "string", "The agency."),
            Column("role", "string", "lead, coordinate, issuer or mentioned."),
            Column("name", "string", "The name as written in the directive."),
            Column("start", "integer", "Start offset of the name in articles.text, when known."),
            Column("end", "integer", "End offset of the name in articles.text, when known."),
        ), ("directive_id", "agency_id", "role"), ((("directive_id",), "directives", ("directive_id",)), (("agency_id",), "agencies", ("agency_id",)))),
        _spec("directive_targets", "Which target a directive sets.", (
            Column("directive_id", "string", "The directive."),
            Column("target_id", "string", "The target."),
        ), ("directive_id", "target_id"), ((("directive_id",), "directives", ("directive_id",)), (("target_id",), "targets", ("target_id",)))),
        _spec("directive_documents", "Which document a directive refers to.", (
            Column("directive_id", "string", "The directive."),
            Column("document_id", "string", "The document."),
        ), ("directive_id", "document_id"), ((("directive_id",), "directives", ("directive_id",)), (("document_id",), "documents", ("document_id",)))),
        _spec("document_edges", "The document graph: edges between documents named in one sentence.", (
            Column("source_document_id", "string", "The citing or implementing document."),
            Column("target_document_id", "string", "The cited or implemented document."),
            Column("relation", "string", "implements (a cue such as 'thực hiện' / 'to implement' joins the two) or cites."),
            Column("articles", "integer", "Number of distinct articles stating the edge."),
            Column("article_ids", "string", "Those articles, '; '-separated."),
            Column("evidence", "string", "The first sentence stating the edge."),
        ), ("source_document_id", "target_document_id"), ((("source_document_id",), "documents", ("document_id",)), (("target_document_id",), "documents", ("document_id",)))),
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
    prefix = {"document_refs": "dr-", "agencies": "am-", "targets": "t-", "dates": "dt-", "figures": "f-"}[kind]
    return content_id(article_id, kind, start, end, text, prefix=prefix)


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
        edges.extend(sentence_edges(rec))
    if reviewed_only and total and not seen_review:
        raise ExportError(
            "--reviewed-only: no record in SOURCE carries review information (review status); "
            "a plain extract file has none - export from the editor desk instead, or drop --reviewed-only"
        )
    _finish_counts(t, doc_articles)
    for row in merge_edges(edges):
        t.add("document_edges", row)
    return t


_ITEM_LISTS = ("document_refs", "dates", "agencies", "targets", "figures", "directives")
_MENTION_TABLE = {"document_refs": "document_refs", "dates": "dates", "agencies": "agency_mentions", "targets": "targets", "figures": "figures"}


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
        "article_id": aid, "lang": rec.lang, "published": rec.published, "url": rec.url, "title": rec.title,
        "input": rec.input, "status": rec.status, "n_directives": len(rec.directives), "text": rec.text,
        "errors": "; ".join(f"{e.source}{':' + str(e.line) if e.line else ''}: {e.reason}" for e in rec.errors) or None,
        "content_hash": content_hash(dumped), "schema_version": sv,
    })
    for m in rec.document_refs:
        t.add("document_refs", {
            "mention_id": mention_id(aid, "document_refs", m.start, m.end, m.text), "article_id": aid, "text": m.text,
            "start": m.start, "end": m.end, "document_id": m.id, "number": m.number, "doc_type": m.doc_type,
            "type_code": m.type_code, "issuer": m.issuer, "issuer_name": m.issuer_name, "year": m.year,
            "issued_date": iso_date(m.issued_date), "source": m.source, "confidence": m.confidence, "schema_version": sv,
        })
        if m.id:
            _merge_document(t, m.id, m)
            doc_articles.setdefault(m.id, set()).add(aid)
    for m in rec.agencies:
        ag = _agency(t, m.canonical or m.name, m.name, rec.lang, aid)
        t.add("agency_mentions", {
            "mention_id": mention_id(aid, "agencies", m.start, m.end, m.text), "article_id": aid, "text": m.text,
            "start": m.start, "end": m.end, "agency_id": ag, "name": m.name, "role": m.role, "nested": m.nested,
            "source": m.source, "confidence": m.confidence, "schema_version": sv,
        })
        t.rows["agencies"][(ag,)]["mentions"] += 1
    for m in rec.targets:
        _add_target(t, aid, m, sv)
    for m in rec.dates:
        t.add("dates", {
            "date_id": mention_id(aid, "dates", m.start, m.end, m.text), "article_id": aid, "text": m.text, "start": m.start,
            "end": m.end, "value": m.value, "year": last_year(m.value), "kind": m.kind, "role": m.role,
            "source": m.source, "confidence": m.confidence, "schema_version": sv,
        })
    for m in rec.figures:
        lo, hi = _bounds(m.value)
        t.add("figures", {
            "figure_id": mention_id(aid, "figures", m.start, m.end, m.text), "article_id": aid, "text": m.text, "start": m.start,
            "end": m.end, "value": lo, "value_max": hi, "unit": m.unit, "metric": m.metric, "status": m.status,
            "source": m.source, "confidence": m.confidence, "schema_version": sv,
        })
    for d in rec.directives:
        _add_directive(t, rec, d, doc_articles)


def _add_target(t: Tables, aid: str, m, sv: str) -> str:
    tid = mention_id(aid, "targets", m.start, m.end, m.text)
    lo, hi = _bounds(m.value)
    t.add("targets", {
        "target_id": tid, "article_id": aid, "text": m.text, "start": m.start, "end": m.end, "value": lo, "value_max": hi,
        "unit": m.unit, "comparator": m.comparator, "metric": m.metric, "deadline": m.deadline,
        "deadline_year": last_year(m.deadline), "of": m.of, "source": m.source, "confidence": m.confidence, "schema_version": sv,
    })
    return tid


def _merge_document(t: Tables, doc_id: str, m=None) -> None:
    """One documents row per canonical id; blanks are filled from later mentions."""
    key = (doc_id,)
    row = t.rows["documents"].get(key)
    if row is None:
        t.add("documents", {"document_id": doc_id, "citing_articles": 0, "mentions": 0, "directives": 0})
        row = t.rows["documents"][key]
    if m is None:
        return
    row["mentions"] += 1
    for col in ("doc_type", "type_code", "number", "issuer", "issuer_name", "year"):
        if row.get(col) is None and getattr(m, col) is not None:
            row[col] = getattr(m, col)
    issued = iso_date(m.issued_date)
    if issued and (row.get("issued_date") is None or issued < row["issued_date"]):
        row["issued_date"] = issued


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
        "directive_id": d.id, "article_id": rec.id, "language": d.language, "text": d.text, "start": d.start, "end": d.end,
        "verb": d.verb, "deadline": d.deadline, "deadline_year": last_year(d.deadline), "n_agencies": len(d.agencies),
        "n_targets": len(d.targets), "n_documents": len(set(d.document_refs)),
        "sources": json.dumps(d.source, sort_keys=True, ensure_ascii=False) if d.source else None,
        "confidence": d.confidence, "content_hash": content_hash(dumped), "schema_version": sv,
    }):
        t.warnings.append(f"article {rec.id}: directive {d.id} appears twice; the repeat was skipped")
        return
    for a in d.agencies:
        ag = _agency(t, a.canonical or a.name, a.name, rec.lang, rec.id)
        t.rows["agencies"][(ag,)]["_directives"].add(d.id)
        t.add("directive_agencies", {"directive_id": d.id, "agency_id": ag, "role": a.role, "name": a.name, "start": a.start, "end": a.end, "schema_version": sv})
    for m in d.targets:
        t.add("directive_targets", {"directive_id": d.id, "target_id": _add_target(t, rec.id, m, sv), "schema_version": sv})
    for doc in dict.fromkeys(d.document_refs):
        _merge_document(t, doc)
        doc_articles.setdefault(doc, set()).add(rec.id)
        t.rows["documents"][(doc,)]["directives"] += 1
        t.add("directive_documents", {"directive_id": d.id, "document_id": doc, "schema_version": sv})


def _finish_counts(t: Tables, doc_articles: dict[str, set]) -> None:
    for (doc,), row in t.rows["documents"].items():
        row["citing_articles"] = len(doc_articles.get(doc, ()))
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
