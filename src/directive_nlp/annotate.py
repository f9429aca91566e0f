"""Offsets -> highlighted text.  The only way article text becomes markup: every character of the
article is escaped, so an article holding ``<script>`` shows it as text."""

from __future__ import annotations

import html
from typing import Iterable

from .schema import ArticleRecord

#: one colour per mention kind (terminal style, HTML class)
KINDS = {
    "document_refs": ("bold magenta", "doc"),
    "dates": ("bold cyan", "date"),
    "agencies": ("bold green", "agency"),
    "targets": ("bold yellow", "target"),
    "figures": ("dim yellow", "figure"),
}


def span_label(kind: str, fields: dict) -> str:
    """The label shown on a highlighted mention: ``canonical · role`` for an agency, else its id or value."""
    if kind == "agencies":
        return f"{fields.get('canonical') or fields.get('name')} · {fields.get('role')}"
    return str(fields.get("id") or fields.get("value") or fields.get("canonical") or "")


def labelled_spans(items: Iterable[tuple[str, int, int, dict]]) -> list[tuple[str, int, int, str]]:
    """(kind, start, end, fields) -> non-overlapping (kind, start, end, label) spans for ``to_html``."""
    return drop_overlaps([(kind, s, e, span_label(kind, fields)) for kind, s, e, fields in items])


def non_overlapping(rec: ArticleRecord) -> list[tuple[str, int, int, str]]:
    """Mentions as (kind, start, end, label), the longest first where two overlap."""
    return labelled_spans((kind, m.start, m.end, m.model_dump()) for kind, m in rec.mentions())


def drop_overlaps(spans: list[tuple[str, int, int, str]]) -> list[tuple[str, int, int, str]]:
    """Spans in text order without overlaps: where two overlap, the longer one is kept."""
    out, last = [], -1
    for s in sorted(spans, key=lambda s: (s[1], -(s[2] - s[1]))):
        if s[1] >= last:
            out.append(s)
            last = s[2]
    return out


def to_html(text: str, spans: Iterable[tuple[str, int, int, str]]) -> str:
    """Escaped HTML of ``text`` with ``<mark>`` around each span; labels are escaped too."""
    parts, pos = [], 0
    for kind, s, e, label in spans:
        cls = KINDS.get(kind, ("", kind))[1]
        parts.append(html.escape(text[pos:s]))
        parts.append(f'<mark class="m-{cls}" data-kind="{html.escape(kind)}" data-start="{s}" data-end="{e}" title="{html.escape(label)}">{html.escape(text[s:e])}</mark>')
        pos = e
    parts.append(html.escape(text[pos:]))
    return "".join(parts)


def render_terminal(rec: ArticleRecord) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console()
    t = Text(rec.text)
    for kind, s, e, _ in non_overlapping(rec):
        t.stylize(KINDS[kind][0], s, e)
    console.rule(f"{rec.id} · {rec.lang} · published {rec.published or '?'}")
    console.print(t)
    console.rule("legend")
    console.print(Text("  ").join(Text(k, style=v[0]) for k, v in KINDS.items()))
    console.rule(f"{len(rec.directives)} directives")
    for d in rec.directives:
        ags = ", ".join(f"{a.canonical or a.name} ({a.role})" for a in d.agencies)
        console.print(Text(f"• [{d.verb}] ", style="bold") + Text(d.text[:160]) + Text(f"  {ags}" if ags else "", style="green"))
