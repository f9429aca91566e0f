"""The ``directive-nlp`` command: thin commands over the library's verbs.

Each command parses its options, calls one library function and maps library errors to a clear
message naming the input.  ``directive-nlp COMMAND -h`` shows an example for each.
"""

from __future__ import annotations

import errno
import importlib
import json
import os
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import click

from . import __version__
from .errors import DirectiveNLPError, InputError
from .pipeline import EXTRACTOR_SETS, Pipeline
from .readers import DEFAULT_MAX_BYTES

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def lang_option(f):
    from .schema import LANGUAGES

    return click.option("--lang", type=click.Choice(list(LANGUAGES)), default=None, help="Force the language instead of detecting it.")(f)


def extractors_option(f):
    return click.option(
        "--extractors", type=click.Choice(EXTRACTOR_SETS), default="ensemble", show_default=True,
        help="Rules only, trained models only, or the configured ensemble.",
    )(f)


class LazyGroup(click.Group):
    """A command group whose plugin commands (``name: "module:attribute"``) are imported when
    used, not at start-up: ``extract`` does not pay for the desk, the exports or training."""

    def __init__(self, *args, lazy: Optional[dict[str, str]] = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx, name: str):
        if name in self.lazy and name not in self.commands:
            module, attr = self.lazy[name].split(":")
            self.add_command(getattr(importlib.import_module(module, __package__), attr), name)
        return super().get_command(ctx, name)


# -- plugin commands: each line names a command owned by its own module ---------------------------
PLUGINS = {
    "corpus": ".corpus_cli:corpus",
    "serve": ".web.cli:serve",
    "users": ".web.cli:users",
    "export": ".export.cli:export",
    "graph": ".export.cli:graph",
    "train": ".models.cli:train",
}


#: set to 1 to see the traceback of an unexpected error instead of its one-line message
DEBUG_ENV = "DIRECTIVE_NLP_DEBUG"


class _Commands(LazyGroup):
    """The command group: a library error or an unexpected exception ends in one line naming the
    problem and what to do, never a traceback (``DIRECTIVE_NLP_DEBUG=1`` shows it)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence before the user
            if os.environ.get(DEBUG_ENV):
                raise
            raise click.ClickException(error_message(exc)) from None


def error_message(exc: BaseException, output: str | None = None) -> str:
    """One line for an exception: what failed and, where known, what to do.

    >>> error_message(OSError(errno.ENOSPC, "No space left on device"), "/dev/full")
    '/dev/full: cannot write: No space left on device (free some space or choose another --output)'
    """
    if isinstance(exc, DirectiveNLPError):
        return str(exc)
    if isinstance(exc, OSError):
        where = exc.filename if exc.filename is not None else ("standard output" if output == "-" else output)
        what = exc.strerror or str(exc)
        hint = {errno.ENOSPC: "free some space or choose another --output", errno.EACCES: "check the permissions",
                errno.EROFS: "choose a writable --output"}.get(exc.errno or 0)
        verb = "cannot write" if output is not None and exc.filename in (None, output) else "cannot access"
        return f"{where}: {verb}: {what}" + (f" ({hint})" if hint else "") if where else f"{what}"
    return f"internal error: {type(exc).__name__}: {exc} (please report it; set {DEBUG_ENV}=1 to see the traceback)"


@click.group(cls=_Commands, lazy=PLUGINS, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="directive-nlp")
def main() -> None:
    """Structured directive records from Vietnamese and English policy news."""


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(), default="-", help="Output file ('-' for standard output), or a folder for --format parquet.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet", "json", "csv"]), default="jsonl", show_default=True,
              help="parquet writes DIR/part-00000.parquet, ... (one row per record, nested fields as JSON strings).")
@lang_option
@extractors_option
@click.option("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, show_default=True, help="Inputs larger than this become error records.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first input that cannot be read.")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=None, help="Worker processes (default: every core).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True, help="A local process pool or a Dask cluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS", help="Dask scheduler (tcp://host:8786); default: a LocalCluster of --workers processes.")
@click.option("--resume", is_flag=True, help="Skip the articles whose id is already in the output; append the rest.")
@click.option("--keep-duplicates", is_flag=True, help="Extract every copy of an identical text instead of pointing later copies at the first.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=16, show_default=True, help="Articles per task sent to a worker.")
@click.option("--rows-per-part", type=click.IntRange(min=1), default=10_000, show_default=True, help="Rows per Parquet part file.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary on standard error.")
def extract(paths, output, fmt, lang, extractors, max_bytes, fail_fast, workers, engine, scheduler, resume, keep_duplicates, chunk_size, rows_per_part, quiet):
    """Extract directive records from articles, on every core.

    PATHS are .txt/.jsonl/.csv/.html/.parquet files, folders (read recursively), glob patterns
    ('data/**/*.jsonl', quoted) or '-' for standard input.  Records come out in input order, the
    same bytes for any --workers.  Identical texts are extracted once: later copies are records
    with status "duplicate" naming the first id.  Exit status is 0 when every input was read, 2
    when any failed.

    \b
    Examples:
        directive-nlp extract corpus/sample -o out.jsonl
        directive-nlp extract 'dump/*.jsonl' -o out --format parquet --workers 8 --resume
        directive-nlp extract dump/ -o out --format parquet --engine dask --scheduler tcp://head:8786
    """
    from .batch import Settings, run_batch

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    progress = not quiet and sys.stderr.isatty()
    try:
        with stop_on_signals() as stop:
            summary = run_batch(
                expand_globs(paths), output, fmt=fmt, workers=workers, engine=engine, scheduler=scheduler, resume=resume,
                settings=Settings(lang=lang, extractors=extractors), max_bytes=max_bytes, progress=progress,
                fail_fast=fail_fast, chunk_size=chunk_size, rows_per_part=rows_per_part, dedupe=not keep_duplicates, stop=stop,
            )
    except (DirectiveNLPError, OSError) as exc:
        _quiet_stdout_if_broken(exc, output)
        raise click.ClickException(error_message(exc, output)) from None
    if not quiet:
        _print_summary(summary, output)
    sys.exit(exit_status(summary))


def exit_status(summary) -> int:
    """0 when every input was read; 2 when any failed or ``--fail-fast`` stopped the run;
    128 + the signal's number when SIGTERM or Ctrl-C stopped it (130, 143)."""
    if summary.stopped in SIGNAL_NAMES.values():
        return 128 + next(num for num, name in SIGNAL_NAMES.items() if name == summary.stopped)
    return 2 if summary.failed or summary.stopped else 0


SIGNAL_NAMES = {int(signal.SIGINT): "SIGINT", int(signal.SIGTERM): "SIGTERM"}


@contextmanager
def stop_on_signals():
    """An event that SIGTERM or Ctrl-C sets: the batch finishes the chunk in flight, writes it,
    and stops (``--resume`` goes on from there).  A second Ctrl-C stops at once."""
    stop = threading.Event()
    stop.reason = None
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum, frame):
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.reason = SIGNAL_NAMES.get(signum, str(signum))
        stop.set()

    old = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, h in old.items():
            signal.signal(sig, h)


def _quiet_stdout_if_broken(exc: BaseException, output: str) -> None:
    """After a failed write to standard output (a full disk, a closed pipe), point it at
    /dev/null so that Python's own flush at exit does not print a second error."""
    if output == "-" and isinstance(exc, OSError):
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass


def expand_globs(paths) -> list[str]:
    """Paths with glob patterns expanded (sorted, ``**`` recursive); a pattern that matches
    nothing is kept, so the reader reports it as a missing input."""
    import glob

    out: list[str] = []
    for p in paths:
        if p != "-" and any(ch in p for ch in "*?[") and not Path(p).exists():
            out.extend(sorted(glob.glob(p, recursive=True)) or [p])
        else:
            out.append(p)
    return out


def _print_summary(summary, output: str) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(stderr=True, emoji=False, highlight=False)
    t = Table(title="directive-nlp extract", show_header=True)
    for col in ("articles", "failed", "duplicates", "resumed", "directives", "languages", "art/s", "output"):
        t.add_column(col, overflow="fold")  # folded, never cut with an ellipsis
    langs = ", ".join(f"{k}: {v}" for k, v in sorted(summary.by_lang.items()))
    t.add_row(str(summary.articles), str(summary.failed), str(summary.duplicates), str(summary.skipped), str(summary.directives),
              langs, f"{summary.rate:.1f}", Text(output))  # a file name is text, never markup
    console.print(t)
    for err in summary.errors[:20]:
        console.print(f"error {err}", style="red", highlight=False, markup=False, emoji=False)
    if summary.stopped == "fail-fast":
        console.print("stopped at the first failed input (--fail-fast)", markup=False)
    elif summary.stopped:
        console.print(f"stopped by {summary.stopped} after the records above were written: run again with --resume to go on",
                      markup=False)


@main.command(context_settings=CONTEXT)
@click.argument("path")
@lang_option
@extractors_option
def show(path, lang, extractors):
    """Print one article with its mentions highlighted, then its directives.

    \b
    Example:
        directive-nlp show corpus/sample/vi_quang_ninh_ke_hoach.txt
    """
    from .annotate import render_terminal
    from .readers import read_articles

    for item in read_articles([path], lang=lang):
        if isinstance(item, InputError):
            raise click.ClickException(str(item))
        rec = Pipeline(lang=lang, extractors=extractors).extract_article(item)
        if rec.status == "error":
            raise click.ClickException("; ".join(f"{e.source}: {e.reason}" for e in rec.errors))
        render_terminal(rec)
        break


@main.command(context_settings=CONTEXT)
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--pred", type=click.Path(exists=True, dir_okay=False), help="Score these predictions (extract records, by id) instead of running the pipeline.")
@extractors_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--diff", is_flag=True, help="List false positives and negatives per article, and wrong records.")
@click.option("--save-predictions", "save", type=click.Path(dir_okay=False), help="Write the predictions scored (extract records, one a line) here.")
@click.option("--compare", "before", type=click.Path(exists=True, dir_okay=False),
              help="Predictions saved before a change: list the articles and records that got better or worse, per field.")
def evaluate(gold, pred, extractors, as_json, diff, save, before):
    """Precision, recall and F1 per field and language against one or more gold files.

    ``records`` counts whole directive records: matched sentence, right verb, right acting bodies
    with their roles, same deadline.  With --compare, each file also gets its gains and losses
    against the predictions saved before (by --save-predictions, or ``extract``).

    \b
    Examples:
        directive-nlp evaluate corpus/dev.jsonl --diff
        directive-nlp evaluate corpus/dev.jsonl corpus/test.jsonl --save-predictions before.jsonl
        directive-nlp evaluate corpus/dev.jsonl --compare before.jsonl --save-predictions after.jsonl
    """
    from .predict import predict

    preds_in = _read_preds(pred) if pred else None
    befores = _read_preds(before) if before else None
    payloads = []
    saved: list[dict] = []
    for path in gold:
        rows = _read_gold(path)
        preds = {r["id"]: preds_in.get(r["id"], {}) for r in rows} if preds_in is not None else predict(rows, extractors)
        saved.extend(preds[r["id"]] for r in rows if preds[r["id"]])
        payloads.append(_score_file(path, rows, preds, befores, None if pred else extractors, diff))
    if save:
        _write_preds(save, saved)
    if as_json:
        click.echo(json.dumps(payloads[0] if len(payloads) == 1 else {"files": payloads}, ensure_ascii=False, indent=2))
        return
    for p in payloads:
        _print_scores(p, pred)


def _read_gold(path: str) -> list[dict]:
    from .evaluate import load_jsonl

    try:
        rows = load_jsonl(path)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"{path}: not a gold JSONL file ({exc})") from None
    for n, r in enumerate(rows, 1):
        if not isinstance(r, dict) or "id" not in r or "text" not in r or "gold" not in r:
            raise click.ClickException(f"{path} line {n}: a gold row needs 'id', 'text' and 'gold'")
    return rows


def _read_preds(path: str) -> dict[str, dict]:
    from .evaluate import load_jsonl

    try:
        rows = load_jsonl(path)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"{path}: not a predictions JSONL file ({exc})") from None
    if not all(isinstance(r, dict) and "id" in r for r in rows):
        raise click.ClickException(f"{path}: every prediction line must be an extract record with an 'id'")
    return {r["id"]: r for r in rows}


def _write_preds(path: str, records: list[dict]) -> None:
    try:
        with open(path, "w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot write predictions ({exc.strerror or exc})") from None


def _score_file(path, rows, preds, befores, extractors, diff) -> dict:
    from .evaluate import compare, evaluate as run_eval, table

    scores, agg = run_eval(rows, preds)
    payload: dict = {"gold": path, "extractors": extractors, "scores": table(agg)}
    if diff:
        payload["diff"] = {s.id: s.diff for s in scores}
    if befores is not None:
        payload["compare"] = compare(rows, {r["id"]: befores.get(r["id"], {}) for r in rows}, preds)
    return payload


def _print_scores(payload: dict, pred) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(emoji=False)
    source = "predictions: " + pred if pred else "extractors: " + str(payload["extractors"])
    t = Table(title=Text(f"{payload['gold']} ({source})"))
    for col in ("lang", "field", "P", "R", "F1", "tp", "fp", "fn"):
        t.add_column(col, justify="right" if col not in ("lang", "field") else "left")
    for r in payload["scores"]:
        t.add_row(r["lang"], r["field"], f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}", str(r["tp"]), str(r["fp"]), str(r["fn"]))
    console.print(t)
    for sid, d in (payload.get("diff") or {}).items():
        lines = [f"  {f} {k.upper()}: {it}" for f, dd in d.items() for k, items in dd.items() for it in items]
        if lines:
            console.print(Text(str(sid), style="bold"), highlight=False)
            console.print("\n".join(lines), highlight=False, markup=False)
    if "compare" in payload:
        _print_compare(payload["compare"])


def _print_compare(cmp: dict) -> None:
    """Gains and losses as plain lines (one per item, never wrapped: easy to grep and to diff)."""
    from .evaluate import compare_summary

    click.echo("gains and losses against the earlier predictions")
    for line in compare_summary(cmp):
        click.echo("  " + line)
    for a in cmp["articles"]:
        click.echo(f"  {a['id']}: " + ", ".join(f"{f} {n:+d}" for f, n in a["fewer_errors"].items()) + " (fewer errors)")
    for kind in ("gained", "lost", "changed"):
        for r in cmp["records"][kind]:
            click.echo(f"  record {kind}: {r['article']} [{r['before']} -> {r['after']}] {r['text']}")
    for kind in ("removed", "added"):
        for r in cmp["spurious"][kind]:
            click.echo(f"  spurious {kind}: {r['article']} {r['text']}")


@main.command(context_settings=CONTEXT)
def schema():
    """Print the JSON Schema of an extract record (what trackers validate against)."""
    from .schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


if __name__ == "__main__":  # pragma: no cover
    main()
