"""Every record type of directive-nlp, defined once.

The contract for each field is ``EXTRACTION_SPEC.md``; the JSON Schema that trackers read
(``directive-nlp schema``) is generated from these models, so the code, the exports and the
published schema cannot drift apart.

Every mention carries the exact ``text`` it was read from and ``start``/``end`` character
offsets into the article text, so ``article.text[m.start:m.end] == m.text`` always holds.
"""

from __future__ import annotations

import hashlib
from enum import Enum
from typing import Any, Literal, Optional, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field

#: Bump the major version on any breaking change (a field removed, renamed or retyped);
#: the change is listed in CHANGELOG.md.
SCHEMA_VERSION = "1.1.0"


class Role(str, Enum):
    """An agency's role in a sentence (spec section 3)."""

    lead = "lead"
    coordinate = "coordinate"
    issuer = "issuer"
    mentioned = "mentioned"

    @property
    def strength(self) -> int:
        """Higher is stronger: lead > coordinate > issuer > mentioned."""
        return {"lead": 3, "coordinate": 2, "issuer": 1, "mentioned": 0}[self.value]


class Comparator(str, Enum):
    eq = "="
    ge = ">="
    le = "<="
    range = "range"


class DateKind(str, Enum):
    absolute = "absolute"
    relative = "relative"


class DateRole(str, Enum):
    issued = "issued"
    deadline = "deadline"
    period = "period"
    event = "event"


class FigureStatus(str, Enum):
    actual = "actual"
    estimate = "estimate"


Number = Union[int, float]
Value = Union[Number, list[Number]]


class Mention(BaseModel):
    """A span of the article text with the extractor that found it."""

    model_config = ConfigDict(use_enum_values=True)

    text: str = Field(description="The exact text of the mention as it appears in the article.")
    start: int = Field(ge=0, description="Start character offset into the article text (0-based).")
    end: int = Field(ge=0, description="End character offset into the article text (exclusive).")
    source: str = Field(default="rule", description="Extractor that produced the mention: rule, model, ensemble or editor.")
    confidence: float = Field(default=1.0, ge=0.0, le=1.0, description="Confidence in [0, 1].")


class DocumentRef(Mention):
    """A numbered Party or State document (spec section 1)."""

    id: Optional[str] = Field(default=None, description="Canonical document id, e.g. 306/KH-UBND; empty when the number is incomplete.")
    number: Optional[str] = Field(default=None, description="The document number.")
    doc_type: Optional[str] = Field(default=None, description="Document type: resolution, plan, program, decision, directive, ...")
    type_code: Optional[str] = Field(default=None, description="Vietnamese type code: NQ, KH, CTr, QĐ, CT, ...")
    issuer: Optional[str] = Field(default=None, description="Issuer code from the number (TW, TU, UBND, ...).")
    issuer_name: Optional[str] = Field(default=None, description="Issuer in words.")
    year: Optional[int] = Field(default=None, description="Year in the number, when written.")
    issued_date: Optional[str] = Field(default=None, description="Issue date stated next to the mention.")


class DateMention(Mention):
    """A calendar expression with its ISO 8601 value (spec section 2)."""

    value: Optional[str] = Field(default=None, description="ISO 8601 value (date, month, year or interval); empty when it cannot be resolved.")
    kind: DateKind = Field(default=DateKind.absolute, description="absolute or relative.")
    role: Optional[DateRole] = Field(default=None, description="issued, deadline, period or event.")


class AgencyMention(Mention):
    """A named public body (spec section 3)."""

    name: str = Field(description="The name as normalized by the extractor.")
    canonical: Optional[str] = Field(default=None, description="Canonical (English) name when the gazetteer knows the body.")
    role: Role = Field(default=Role.mentioned, description="Role in its sentence: lead, coordinate, issuer or mentioned.")
    nested: bool = Field(default=False, description="True when the name is part of a longer agency name.")


class Target(Mention):
    """A quantity a plan aims to reach (spec section 4)."""

    value: Value = Field(description="The value (the lower bound for a range).")
    unit: Optional[str] = Field(default=None, description="Unit: %, VND, billion VND, km, ...")
    comparator: Comparator = Field(default=Comparator.eq, description="=, >=, <= or range.")
    metric: Optional[str] = Field(default=None, description="What is measured, when stated.")
    deadline: Optional[str] = Field(default=None, description="Deadline as ISO 8601 (date, year or interval).")
    of: Optional[Number] = Field(default=None, description="The whole a share refers to (\"8 of 10 districts\").")


class Figure(Mention):
    """A reported or forecast quantity: never a target (spec section 4)."""

    value: Value = Field(description="The value (the lower bound for a range).")
    unit: Optional[str] = Field(default=None, description="Unit.")
    metric: Optional[str] = Field(default=None, description="What is measured, when stated.")
    status: FigureStatus = Field(default=FigureStatus.actual, description="actual or estimate.")


class DirectiveAgency(BaseModel):
    model_config = ConfigDict(use_enum_values=True)

    name: str = Field(description="The name as written in the directive.")
    canonical: Optional[str] = Field(default=None, description="Canonical (English) name when known.")
    role: Role = Field(default=Role.mentioned, description="lead, coordinate, issuer or mentioned.")
    start: Optional[int] = Field(default=None, description="Start offset of the name in the article text, when known.")
    end: Optional[int] = Field(default=None, description="End offset of the name in the article text, when known.")


class Directive(BaseModel):
    """A sentence or clause that assigns or calls for an action (spec section 5)."""

    model_config = ConfigDict(use_enum_values=True)

    id: str = Field(description="Stable directive id.")
    article_id: str = Field(description="The article the directive was read from.")
    language: str = Field(description="Language code of the directive text.")
    text: str = Field(description="The directive sentence or clause.")
    start: int = Field(description="Start character offset into the article text.")
    end: int = Field(description="End character offset into the article text (exclusive).")
    verb: Optional[str] = Field(default=None, description="The action verb or cue that makes it a directive.")
    agencies: list[DirectiveAgency] = Field(default_factory=list, description="The bodies named in the directive, with their roles.")
    document_refs: list[str] = Field(default_factory=list, description="Canonical ids of the documents the directive refers to.")
    deadline: Optional[str] = Field(default=None, description="Deadline as ISO 8601 (a date, month, year or an interval such as 2026/2030).")
    targets: list[Target] = Field(default_factory=list, description="Targets the directive sets.")
    #: which extractor produced each part: {"sentence": "rule", "verb": "rule", ...}
    source: dict[str, str] = Field(default_factory=dict, description="Which extractor produced each part of the directive.")
    confidence: float = Field(default=1.0, ge=0.0, le=1.0, description="Confidence in [0, 1].")


class RelationType(str, Enum):
    """How one document acts on another (spec section 6); ``cites`` only when no cue types it."""

    implements = "implements"
    amends = "amends"
    replaces = "replaces"
    guides = "guides"
    based_on = "based_on"
    cites = "cites"


class SubjectDocument(BaseModel):
    """The document an article reports (spec section 6): its number, or a stable key when it has none."""

    id: str = Field(description="Canonical id when the article gives a number, else a stable key 'new:TYPE:ISSUER:DATE' (or ':article:ID').")
    numbered: bool = Field(description="True when the article gives the document's number.")
    text: str = Field(description="The words that name it where it is reported (e.g. 'Action Program', 'Kế hoạch số 306/KH-UBND').")
    start: int = Field(ge=0, description="Start character offset of those words.")
    end: int = Field(ge=0, description="End character offset of those words (exclusive).")
    doc_type: Optional[str] = Field(default=None, description="Document type: plan, program, decision, ...")
    issuer: Optional[str] = Field(default=None, description="The issuing body (canonical name when known).")
    issued_date: Optional[str] = Field(default=None, description="Issue date as ISO 8601, when stated (else the article's date).")
    label: str = Field(description="A readable name: type, issuer and date.")


class DocumentRelation(BaseModel):
    """A typed, directed edge between two documents with its evidence (spec section 6)."""

    model_config = ConfigDict(use_enum_values=True)

    source: str = Field(description="The document that acts (a canonical id or a subject key).")
    target: str = Field(description="The document it acts on.")
    relation: RelationType = Field(description="implements, amends, replaces, guides, based_on or cites.")
    cue: Optional[str] = Field(default=None, description="The cue words as written ('triển khai thực hiện', 'amending').")
    cue_start: Optional[int] = Field(default=None, description="Start character offset of the cue.")
    cue_end: Optional[int] = Field(default=None, description="End character offset of the cue (exclusive).")
    source_start: Optional[int] = Field(default=None, description="Start offset of the source reference in this sentence; empty when implied.")
    source_end: Optional[int] = Field(default=None, description="End offset of the source reference (exclusive).")
    target_start: int = Field(description="Start offset of the target reference.")
    target_end: int = Field(description="End offset of the target reference (exclusive).")
    sentence: str = Field(description="The sentence stating the relation.")
    sentence_start: int = Field(description="Start character offset of that sentence.")


class ErrorRecord(BaseModel):
    """A problem with one input, recorded instead of crashing the run."""

    source: str
    line: Optional[int] = None
    reason: str
    code: str = "input"


class Article(BaseModel):
    """An input article as read from a file, a row or a form."""

    id: str
    text: str
    lang: Optional[str] = None
    published: Optional[str] = None
    url: Optional[str] = None
    title: Optional[str] = None
    #: where it was read from: "path" or "path:line"
    input: Optional[str] = None


class ArticleRecord(BaseModel):
    """The extraction result for one article."""

    model_config = ConfigDict(use_enum_values=True)

    schema_version: str = Field(default=SCHEMA_VERSION, description="Version of the record schema (semantic versioning; see CHANGELOG.md).")
    id: str = Field(description="Stable article id (from the input, or a content hash of the text).")
    lang: Optional[str] = Field(default=None, description="Language code: vi or en.")
    published: Optional[str] = Field(default=None, description="Publication date as ISO 8601 (YYYY-MM-DD, or YYYY-MM / YYYY when that is all that is known); empty when unknown.")
    url: Optional[str] = Field(default=None, description="Where the article was published.")
    title: Optional[str] = Field(default=None, description="Headline.")
    input: Optional[str] = Field(default=None, description="Where the article was read from (path or path:line).")
    text: str = Field(default="", description="The article text every offset points into (NFC-normalized).")
    document_refs: list[DocumentRef] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    agencies: list[AgencyMention] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    directives: list[Directive] = Field(default_factory=list)
    subject: Optional[SubjectDocument] = None
    relations: list[DocumentRelation] = Field(default_factory=list)
    errors: list[ErrorRecord] = Field(default_factory=list)
    status: Literal["ok", "error", "duplicate"] = Field(default="ok", description="ok, error (the input could not be read; see errors) or duplicate.")

    def mentions(self) -> list[tuple[str, Mention]]:
        """All mentions with their kind, in text order."""
        out: list[tuple[str, Mention]] = []
        for kind in MENTION_KINDS:
            out.extend((kind, m) for m in getattr(self, kind))
        return sorted(out, key=lambda km: (km[1].start, km[1].end))

    def article_agencies(self) -> list[AgencyMention]:
        """One mention per body (by canonical name), with its strongest role in the article."""
        best: dict[str, AgencyMention] = {}
        for m in self.agencies:
            key = (m.canonical or m.name).casefold()
            cur = best.get(key)
            if cur is None or Role(m.role).strength > Role(cur.role).strength:
                best[key] = m
        return list(best.values())


#: the languages the extractors read (lexicons/vi, lexicons/en)
LANGUAGES = ("vi", "en")

#: every kind of mention an ArticleRecord holds: record field -> model (one list for the record,
#: the export tables and the desk)
MENTION_KINDS: dict[str, type[Mention]] = {
    "document_refs": DocumentRef,
    "dates": DateMention,
    "agencies": AgencyMention,
    "targets": Target,
    "figures": Figure,
}


def record_columns() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(scalar, nested) fields of an ArticleRecord, in model order: a flat table (Parquet) keeps
    the scalar ones as they are and the nested ones (lists, objects) as JSON text.

    Example:
        >>> scalar, nested = record_columns()
        >>> scalar[:2], nested[:2]
        (('schema_version', 'id'), ('document_refs', 'dates'))
    """
    scalar, nested = [], []
    for name, f in ArticleRecord.model_fields.items():
        (nested if _is_nested(f.annotation) else scalar).append(name)
    return tuple(scalar), tuple(nested)


def _is_nested(annotation: Any) -> bool:
    if get_origin(annotation) in (list, dict):
        return True
    return any(isinstance(a, type) and issubclass(a, BaseModel) for a in (get_args(annotation) or (annotation,)))


def content_id(*parts: Any, prefix: str = "", length: int = 16) -> str:
    """A stable id from content: the same parts give the same id on any machine and run."""
    h = hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return prefix + h.hexdigest()[:length]


def json_schema() -> dict[str, Any]:
    """The JSON Schema of an extract output line, as published to trackers."""
    schema = ArticleRecord.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://directive-nlp.org/schema/article-record/{SCHEMA_VERSION}.json"
    schema["title"] = "directive-nlp article record"
    schema["x-schema-version"] = SCHEMA_VERSION
    return schema
