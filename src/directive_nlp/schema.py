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
from typing import Any, Literal, Optional, Union

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

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    source: str = "rule"
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class DocumentRef(Mention):
    """A numbered Party or State document (spec section 1)."""

    id: Optional[str] = None
    number: Optional[str] = None
    doc_type: Optional[str] = None
    type_code: Optional[str] = None
    issuer: Optional[str] = None
    issuer_name: Optional[str] = None
    year: Optional[int] = None
    issued_date: Optional[str] = None


class DateMention(Mention):
    """A calendar expression with its ISO 8601 value (spec section 2)."""

    value: Optional[str] = None
    kind: DateKind = DateKind.absolute
    role: Optional[DateRole] = None


class AgencyMention(Mention):
    """A named public body (spec section 3)."""

    name: str
    canonical: Optional[str] = None
    role: Role = Role.mentioned
    nested: bool = False


class Target(Mention):
    """A quantity a plan aims to reach (spec section 4)."""

    value: Value
    unit: Optional[str] = None
    comparator: Comparator = Comparator.eq
    metric: Optional[str] = None
    deadline: Optional[str] = None
    of: Optional[Number] = None


class Figure(Mention):
    """A reported or forecast quantity: never a target (spec section 4)."""

    value: Value
    unit: Optional[str] = None
    metric: Optional[str] = None
    status: FigureStatus = FigureStatus.actual


class DirectiveAgency(BaseModel):
    model_config = ConfigDict(use_enum_values=True)

    name: str
    canonical: Optional[str] = None
    role: Role = Role.mentioned
    start: Optional[int] = None
    end: Optional[int] = None


class Directive(BaseModel):
    """A sentence or clause that assigns or calls for an action (spec section 5)."""

    model_config = ConfigDict(use_enum_values=True)

    id: str
    article_id: str
    language: str
    text: str
    start: int
    end: int
    verb: Optional[str] = None
    agencies: list[DirectiveAgency] = Field(default_factory=list)
    document_refs: list[str] = Field(default_factory=list)
    deadline: Optional[str] = None
    targets: list[Target] = Field(default_factory=list)
    #: which extractor produced each part: {"sentence": "rule", "verb": "rule", ...}
    source: dict[str, str] = Field(default_factory=dict)
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


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

    schema_version: str = SCHEMA_VERSION
    id: str
    lang: Optional[str] = None
    published: Optional[str] = None
    url: Optional[str] = None
    title: Optional[str] = None
    input: Optional[str] = None
    text: str = ""
    document_refs: list[DocumentRef] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    agencies: list[AgencyMention] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    directives: list[Directive] = Field(default_factory=list)
    subject: Optional[SubjectDocument] = None
    relations: list[DocumentRelation] = Field(default_factory=list)
    errors: list[ErrorRecord] = Field(default_factory=list)
    status: Literal["ok", "error", "duplicate"] = "ok"

    def mentions(self) -> list[tuple[str, Mention]]:
        """All mentions with their kind, in text order."""
        out: list[tuple[str, Mention]] = []
        for kind in ("document_refs", "dates", "agencies", "targets", "figures"):
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
