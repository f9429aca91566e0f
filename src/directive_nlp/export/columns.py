"""Export columns derived from the record models in ``schema.py``.

A column that holds a model field takes its name, type and description from the field (the
same description the JSON Schema publishes), so a field is described once.  Only computed columns
(counts, hashes, a range's upper bound, the year of a deadline) are written here.

Example:
    >>> from directive_nlp.schema import Figure
    >>> [c.name for c in model_columns(Figure, ("value", "unit"))]
    ['value', 'unit']
    >>> model_columns(Figure, ("value",))[0].type
    'number'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Iterable, NamedTuple, Optional, Union, get_args, get_origin

from pydantic import BaseModel

from ..schema import MENTION_KINDS, Mention


class Column(NamedTuple):
    name: str
    type: str  # Frictionless type: string, integer, number, boolean, date
    description: str


def field_type(annotation: Any) -> str:
    """The Frictionless type of a model field's annotation (Optional and unions unwrapped).

    Example:
        >>> from typing import Optional
        >>> field_type(Optional[int]), field_type(Union[int, float, list[float]]), field_type(bool)
        ('integer', 'number', 'boolean')
    """
    args = [a for a in _flat(annotation) if a is not type(None)]
    if any(a is float for a in args):
        return "number"
    if args and all(a is bool for a in args):
        return "boolean"
    if args and all(a is int for a in args):
        return "integer"
    return "string"


def _flat(annotation: Any) -> list:
    if get_origin(annotation) is Union:
        return [x for a in get_args(annotation) for x in _flat(a)]
    if get_origin(annotation) is list:
        return _flat(get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str]
    return [annotation]


def model_columns(model: type[BaseModel], names: Optional[Iterable[str]] = None, rename: Optional[dict[str, str]] = None,
                  types: Optional[dict[str, str]] = None, after: Optional[dict[str, tuple[Column, ...]]] = None) -> tuple[Column, ...]:
    """Columns for the fields ``names`` of ``model`` (all fields in model order when None).

    ``rename`` maps a field to its column name, ``types`` overrides a derived type (``date`` for
    an ISO date held as text), ``after`` inserts computed columns after a field's column.
    """
    fields = model.model_fields
    order = list(fields) if names is None else list(names)
    out: list[Column] = []
    for name in order:
        f = fields[name]
        if not f.description:
            raise ValueError(f"{model.__name__}.{name}: a field exported as a column needs a description in schema.py")
        out.append(Column((rename or {}).get(name, name), (types or {}).get(name) or field_type(f.annotation), f.description))
        out.extend((after or {}).get(name, ()))
    return tuple(out)


def own_fields(model: type[BaseModel]) -> list[str]:
    """The fields a mention model adds to :class:`~directive_nlp.schema.Mention`."""
    return [n for n in model.model_fields if n not in Mention.model_fields]


# -- mention tables: one per kind of mention (schema.MENTION_KINDS) ---------------------------------

ARTICLE_ID = Column("article_id", "string", "The article the mention was read from (articles.article_id).")
VALUE_MAX = Column("value_max", "number", "Upper bound of a range; empty for a single value.")
DEADLINE_YEAR = Column("deadline_year", "integer", "Last calendar year of the deadline (2030 for 2026/2030).")


@dataclass(frozen=True)
class MentionTable:
    """How one kind of mention becomes a table: its name, id column, renamed and computed columns."""

    kind: str
    table: str
    id_column: str
    prefix: str
    description: str
    rename: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    #: fields kept out of the table because another table holds them (an agency's canonical name)
    skip: tuple[str, ...] = ()
    lead: tuple[Column, ...] = ()
    after: dict[str, tuple[Column, ...]] = field(default_factory=dict)
    compute: Optional[Callable[[Any], dict]] = None

    def columns(self) -> tuple[Column, ...]:
        model = MENTION_KINDS[self.kind]
        id_col = Column(self.id_column, "string", f"Stable id of the {self.table.replace('_', ' ').rstrip('s')} (hash of article, kind, offsets and text).")
        return ((id_col, ARTICLE_ID) + model_columns(Mention, ("text", "start", "end")) + self.lead
                + model_columns(model, [f for f in own_fields(model) if f not in self.skip], self.rename, self.types, self.after)
                + model_columns(Mention, ("source", "confidence")))

    def row(self, m: Mention, mention_id: str, article_id: str, **extra) -> dict:
        """The row of one mention: the model's fields (renamed), the computed ones, ``extra``."""
        row = m.model_dump(mode="json")
        for old, new in self.rename.items():
            row[new] = row.pop(old)
        row.update({self.id_column: mention_id, "article_id": article_id})
        if self.compute is not None:
            row.update(self.compute(m))
        row.update(extra)
        return row
