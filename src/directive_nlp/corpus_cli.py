"""``directive-nlp corpus validate|stats|preannotate``: options parsed here, the work done by
the library module ``corpus``."""

from __future__ import annotations

import json
import sys

import click

from .cli import LazyGroup
from .corpus import gold_files, preannotate, stats, validate_files


@click.group(cls=LazyGroup, lazy={"from-desk": ".web.cli:from_desk"}, context_settings={"help_option_names": ["-h", "--help"]})
def corpus():
    """Gold corpus tools: validate, stats, preannotate, from-desk (reviewed desk articles as gold rows)."""


@corpus.command("validate")
@click.argument("path", required=False)
def validate_cmd(path):
    """Check gold files against the spec (default: corpus/train|dev|test.jsonl).

    \b
    Example:
        directive-nlp corpus validate corpus/dev.jsonl
    """
    files = gold_files(path)  # a CorpusError (one line) when there are none
    n, problems = validate_files(files)
    for p in problems:
        click.echo(p, err=True)
    click.echo(f"{n} articles in {len(files)} files: {len(problems)} problems")
    sys.exit(1 if problems else 0)


@corpus.command("stats")
@click.argument("path", required=False)
@click.option("--json", "as_json", is_flag=True)
def stats_cmd(path, as_json):
    """Counts per language and field."""
    s = stats(gold_files(path))
    if as_json:
        click.echo(json.dumps(s, indent=2, ensure_ascii=False))
        return
    for name, n in s["files"].items():
        click.echo(f"{name}: {n} articles")
    for lang, c in sorted(s["by_lang"].items()):
        click.echo(f"[{lang}] " + ", ".join(f"{k} {v}" for k, v in c.items()))


@corpus.command("preannotate")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", default="-", help="Draft gold file to write.")
def preannotate_cmd(paths, output):
    """Run the rules and write gold-format drafts to correct by hand."""
    def skipped(rec) -> None:
        click.echo(f"skipped: {rec.errors[0].source}: {rec.errors[0].reason}", err=True)

    out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")
    n = preannotate(paths, out, skipped)
    if out is not sys.stdout:
        out.close()
    click.echo(f"{n} drafts written to {output}", err=True)
