"""Request bodies of the desk's JSON endpoints (pydantic checks them before a route runs)."""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, Field, field_validator

from .text import check_text

MAX_UPLOAD = 2 * 1024 * 1024
#: article ids: what ``/api/articles/{id}`` can address (uploads are held to it too)
ID_PATTERN = r"^[\w.:-]+$"
ID_MAX = 120
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def _utf8(v: Optional[str]) -> Optional[str]:
    if v is not None:
        check_text(v, "body")
    return v


class ArticleIn(BaseModel):
    """An article posted to ``POST /api/articles``."""

    text: str = Field(min_length=1)
    title: Optional[str] = Field(default=None, max_length=1000)
    lang: Optional[Literal["vi", "en"]] = None
    published: Optional[str] = Field(default=None, pattern=DATE_PATTERN)
    url: Optional[str] = Field(default=None, max_length=2000)
    id: Optional[str] = Field(default=None, min_length=1, max_length=ID_MAX, pattern=ID_PATTERN)

    @field_validator("text", "title", "url")
    @classmethod
    def _storable(cls, v: Optional[str]) -> Optional[str]:
        """No lone surrogates, and the text within the upload limit in UTF-8 bytes (not characters)."""
        v = _utf8(v)
        if v is not None and len(v.encode("utf-8")) > MAX_UPLOAD:
            raise ValueError(f"is {len(v.encode('utf-8'))} bytes in UTF-8; the limit is {MAX_UPLOAD}")
        return v


class DecisionIn(BaseModel):
    version: int = Field(ge=1)
    decision: Literal["accepted", "rejected", "edited"]
    fields: Optional[dict[str, Any]] = None


class MentionIn(BaseModel):
    version: int = Field(ge=1)
    kind: Literal["document_refs", "dates", "agencies", "targets", "figures"]
    start: int = Field(ge=0)
    end: int = Field(ge=1)
    text: Optional[str] = None
    fields: Optional[dict[str, Any]] = None


class DirectiveIn(BaseModel):
    """A directive an editor adds from a selection of the text."""

    version: int = Field(ge=1)
    start: int = Field(ge=0)
    end: int = Field(ge=1)
    text: Optional[str] = None
    fields: Optional[dict[str, Any]] = None


class StatusIn(BaseModel):
    version: int = Field(ge=1)
    status: Literal["new", "in_review", "reviewed"]
    #: "Mark reviewed" with undecided items needs this set (the page asks the editor first)
    force: bool = False
