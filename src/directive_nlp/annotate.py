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


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with an ellipsis when cut.

        >>> clip("Sở Tài chính chủ trì rà soát", 16)
        'Sở Tài chính…'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def record_lines(d) -> list[tuple[str, str]]:
    """A directive as (field, value) lines: the record a tracker reads."""
    by_role: dict[str, list[str]] = {}
    for a in d.agencies:
        by_role.setdefault(str(a.role), []).append(a.canonical or a.name)
    lines = [("verb", d.verb or "-")]
    for role in ("lead", "coordinate", "issuer", "mentioned"):
        if role in by_role:
            lines.append((role, "; ".join(by_role[role])))
    lines.append(("deadline", d.deadline or "-"))
    if d.targets:
        lines.append(("targets", "; ".join(f"{t.comparator} {t.value} {t.unit or ''}".strip() for t in d.targets)))
    if d.document_refs:
        lines.append(("documents", ", ".join(d.document_refs)))
    return lines


def render_terminal(rec: ArticleRecord, console=None, width: int = 160) -> None:
    """The article with its mentions highlighted, then each directive as a record.  Colours and the
    legend only on a terminal; piped output is plain text, one field a line."""
    from rich.console import Console
    from rich.text import Text

    console = console or Console()
    tty = console.is_terminal
    head = f"{rec.id} · {rec.lang} · published {rec.published or '?'}"
    if tty:
        t = Text(rec.text)
        for kind, s, e, _ in non_overlapping(rec):
            t.stylize(KINDS[kind][0], s, e)
        console.rule(head)
        console.print(t)
        console.rule("legend")
        console.print(Text("  ").join(Text(k, style=v[0]) for k, v in KINDS.items()))
        console.rule(f"{len(rec.directives)} directives")
    else:
        console.out(f"== {head}\n{rec.text}\n== {len(rec.directives)} directives", highlight=False)
    for n, d in enumerate(rec.directives, 1):
        _print_record(console, n, d, tty, width)


def _print_record(console, n: int, d, tty: bool, width: int) -> None:
    from rich.text import Text

    source = (d.source or {}).get("sentence", "rule")
    title = f"{n}. {clip(d.text, width)}"
    fields = [f"   {k:<10} {v}" for k, v in record_lines(d)] + [f"   {'source':<10} {source}, confidence {d.confidence}"]
    if tty:
        console.print(Text(title, style="bold"), soft_wrap=True)
        for line in fields:
            console.print(Text(line, style="green" if line.strip().startswith(("lead", "coordinate")) else ""), soft_wrap=True)
    else:
        console.out("\n".join([title, *fields]), highlight=False)
