"""``directive-nlp export``: extract output -> keyed tables, datapackage.json and the document graph."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

import click

from .datapackage import FORMATS, read_previous_hashes, write_export
from .tables import ExportError, build, load_records, mark_changes

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_since(since: Optional[str]) -> tuple[Optional[str], Optional[Path]]:
    """``--since``: (date, None) for YYYY-MM-DD, (None, dir) for a previous export directory.

    Example:
        >>> parse_since("2024-01-31")
        ('2024-01-31', None)
    """
    if since is None:
        return None, None
    if _DATE.match(since):
        from datetime import date

        try:
            date.fromisoformat(since)
        except ValueError:
            raise ExportError(f"--since {since}: not a calendar date") from None
        return since, None
    path = Path(since)
    if not path.is_dir():
        raise ExportError(f"--since {since}: neither a date (YYYY-MM-DD) nor a previous export directory")
    return None, path


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("source")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False), help="Directory to write the export into.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("--reviewed-only", is_flag=True, help="Only records an editor approved (needs review information: editor desk exports).")
@click.option("--since", help="YYYY-MM-DD (articles published since) or a previous export directory (marks new/updated/withdrawn).")
@click.option("-q", "--quiet", is_flag=True, help="No summary on standard error.")
def export(source: str, out_dir: str, fmt: str, reviewed_only: bool, since: Optional[str], quiet: bool) -> None:
    """Export extract records as keyed tables with a published schema.

    SOURCE is the JSONL output of `directive-nlp extract` (or sqlite:///desk.db when the
    editor desk is installed).  Writes one file per table (one workbook for xlsx),
    datapackage.json, document_edges.csv and document_graph.graphml.  See docs/DATA_DICTIONARY.md.

    \b
    Example:
        directive-nlp extract corpus/sample -o out.jsonl
        directive-nlp export out.jsonl -o export/ --format parquet
        directive-nlp export out.jsonl -o export2/ --since export/
    """
    try:
        since_date, prev_dir = parse_since(since)
        if prev_dir is not None and Path(prev_dir).resolve() == Path(out_dir).resolve():
            raise ExportError(f"--since {since}: the previous export must be another directory than -o")
        previous = read_previous_hashes(prev_dir) if prev_dir else None
        built = build(load_records(source), reviewed_only=reviewed_only, since=since_date)
        tables = built.as_lists()
        incremental = None
        if since is not None:
            tables["changes"] = mark_changes(tables["directives"], previous)
            incremental = str(prev_dir) if prev_dir else since_date
        res = write_export(tables, out_dir, fmt, incremental=incremental)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    if not quiet:
        for w in built.warnings + res.warnings:
            click.echo(f"warning: {w}", err=True)
        counts = ", ".join(f"{n}: {c}" for n, c in res.counts.items() if n in ("articles", "directives", "documents", "agencies", "targets", "document_edges", "changes"))
        click.echo(f"exported {counts} -> {res.out_dir} ({fmt})", err=True)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("document_id", metavar="ID")
@click.option("--from", "source", default="export", show_default=True, help="An export directory (directive-nlp export) or an extract JSONL file.")
@click.option("--depth", type=click.IntRange(1, 6), default=2, show_default=True, help="Edges to follow up and down.")
@click.option("--evidence", "n_evidence", type=click.IntRange(0, 50), default=2, show_default=True, help="Evidence sentences shown per edge.")
def graph(document_id: str, source: str, depth: int, n_evidence: int) -> None:
    """Print a document's neighbourhood in the typed document graph, with the article evidence.

    Up: what ID implements, amends, replaces, guides, is based on or cites.  Down: what
    implements, amends, replaces, guides, is based on or cites ID.

    \b
    Example:
        directive-nlp graph 25-CTr/TU --from export/
        directive-nlp graph "57-NQ/TW" --from out.jsonl --depth 3
    """
    from rich.console import Console

    from .neighbourhood import load_graph_tables, neighbourhood, render

    try:
        tables = load_graph_tables(source)
        hood = neighbourhood(tables, document_id, depth)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    docs = {d["document_id"]: d for d in tables["documents"]}
    Console(highlight=False, soft_wrap=False).print(render(hood, docs, n_evidence))
