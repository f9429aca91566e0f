"""Chunked, crash-safe writers for batch extraction: JSONL, partitioned Parquet, JSON, CSV.

Every writer takes ``Result`` chunks (``batch.Result``, in input order) and reports, for
``--resume``, the ids already written (``done_ids``: a ``Counter``, since an id may repeat).

JSONL (a file or ``-``)
    One record per line.  Each chunk is written as whole lines, then flushed and fsync'ed.  A run
    killed with ``kill -9`` can leave at most one partial last line; ``resume`` truncates it
    before appending, so every line of the file is a valid record.

Parquet (a folder)
    ``DIR/part-00000.parquet``, ``part-00001.parquet``, ... with up to ``rows_per_part`` rows
    each (row groups of ``ROW_GROUP`` rows).  A part is written as ``part-NNNNN.parquet.tmp`` and
    renamed when complete, so a killed run leaves only complete parts (``resume`` deletes the
    ``.tmp`` and redoes its articles).  One row per record, a flat table:

    ==================================================  =========================================
    ``schema_version id lang published url title``      string columns, as in the JSONL record
    ``input text status``
    ``n_directives``                                    int32: ``len(directives)``
    ``document_refs dates agencies targets figures``    string: the JSON array of that field,
    ``directives errors``                               exactly as in the JSONL record
    ==================================================  =========================================

    >>> import pandas as pd, json  # doctest: +SKIP
    >>> df = pd.read_parquet("out/")  # doctest: +SKIP
    >>> json.loads(df.directives[0])  # doctest: +SKIP

JSON (a file or ``-``)
    One array of records, each exactly its JSONL line (no resume).

CSV (a file or ``-``)
    One row per directive (``CSV_COLUMNS``); an article without any gets one row (no resume).

A worker shapes each record once for the run's format (``encode``): the writers never parse a
JSON line back.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import IO, Any, Callable

from .errors import DirectiveNLPError
from .schema import record_columns
from .work import Result, error_lines

#: derived from schema.ArticleRecord, so a new record field is never dropped from Parquet output
SCALAR_COLUMNS, NESTED_COLUMNS = record_columns()
ROW_GROUP = 256
FORMATS = ("jsonl", "parquet", "json", "csv")
CSV_COLUMNS = ["article_id", "lang", "published", "directive_id", "text", "start", "end", "verb", "agencies", "document_refs", "deadline", "targets", "confidence", "errors"]


class OutputError(DirectiveNLPError):
    """The output cannot be written or resumed: names the output and the problem."""

    code = "output"


def open_writer(output: str, fmt: str, resume: bool = False, rows_per_part: int = 10_000):
    """The writer for ``fmt`` at ``output`` (a file, '-' or, for parquet, a folder)."""
    if fmt == "jsonl":
        return JsonlWriter(output, resume)
    if fmt == "parquet":
        return ParquetWriter(output, resume, rows_per_part)
    if fmt in ("json", "csv"):
        if resume:
            raise OutputError(f"{output}: --resume needs --format jsonl or parquet, not {fmt}")
        return JsonWriter(output) if fmt == "json" else CsvWriter(output)
    raise OutputError(f"{output}: unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")


class JsonlWriter:
    """Whole lines per chunk, flushed and fsync'ed; resumable after a crash."""

    def __init__(self, output: str, resume: bool = False):
        self.output = output
        self.resume = resume
        self._done: Counter = Counter()
        if output == "-":
            if resume:
                raise OutputError("-: --resume needs an output file, not standard output")
            self.fh: IO[str] = sys.stdout
            return
        path = Path(output)
        if path.is_dir():
            raise OutputError(f"{output}: is a folder; JSONL output is one file")
        if resume and path.exists():
            self._done = _resume_jsonl(path)
        self.fh = open(path, "a" if resume else "w", encoding="utf-8", newline="")

    def done_ids(self) -> Counter:
        return self._done

    def write(self, results: list[Result]) -> None:
        if not results:
            return
        self.fh.write("".join(r.line + "\n" for r in results))
        self.fh.flush()
        if self.fh is not sys.stdout:
            os.fsync(self.fh.fileno())

    def close(self) -> None:
        if self.fh is not sys.stdout:
            self.fh.close()
        else:
            self.fh.flush()


def truncate_partial_line(path: Path) -> int:
    """Cut a last line that has no newline (a write interrupted by a kill); bytes removed.

    Reads only the file's tail, so it is fast on a file of any size.
    """
    size = path.stat().st_size
    if size == 0:
        return 0
    with open(path, "r+b") as fh:
        pos = size
        while pos > 0:
            step = min(65536, pos)
            fh.seek(pos - step)
            block = fh.read(step)
            if pos == size and block.endswith(b"\n"):
                return 0
            nl = block.rfind(b"\n")
            if nl >= 0:
                keep = pos - step + nl + 1
                fh.truncate(keep)
                return size - keep
            pos -= step
        fh.truncate(0)
        return size


def _resume_jsonl(path: Path) -> Counter:
    """Ids already in a JSONL output (after cutting a partial last line)."""
    truncate_partial_line(path)
    done: Counter = Counter()
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                done[json.loads(raw)["id"]] += 1
            except (ValueError, KeyError, TypeError):
                raise OutputError(f"{path}:{n}: not a record line; cannot resume into this file") from None
    return done


class ParquetWriter:
    """Partitioned Parquet: parts renamed into place when complete."""

    def __init__(self, output: str, resume: bool = False, rows_per_part: int = 10_000):
        import pyarrow as pa

        if output == "-":
            raise OutputError("-: Parquet output needs a folder (-o DIR)")
        self.dir = Path(output)
        if self.dir.exists() and not self.dir.is_dir():
            raise OutputError(f"{output}: exists and is not a folder; Parquet output is a folder of parts")
        self.dir.mkdir(parents=True, exist_ok=True)
        self.rows_per_part = max(1, rows_per_part)
        self.schema = pa.schema([(c, pa.string()) for c in SCALAR_COLUMNS] + [("n_directives", pa.int32())] + [(c, pa.string()) for c in NESTED_COLUMNS])
        for tmp in self.dir.glob("part-*.parquet.tmp"):
            tmp.unlink()
        parts = sorted(self.dir.glob("part-*.parquet"))
        self._done: Counter = Counter()
        if resume:
            self._done = self._read_ids(parts)
        else:
            for p in parts:
                p.unlink()
            parts = []
        self.next_part = 1 + max((int(p.name[5:10]) for p in parts), default=-1)
        self.rows: list[dict] = []
        self.writer = None
        self.in_part = 0

    def _read_ids(self, parts) -> Counter:
        import pyarrow.parquet as pq

        done: Counter = Counter()
        for p in parts:
            try:
                done.update(pq.read_table(p, columns=["id"]).column("id").to_pylist())
            except Exception as exc:
                raise OutputError(f"{p}: unreadable Parquet part ({exc}); delete it to redo its articles") from None
        return done

    def done_ids(self) -> Counter:
        return self._done

    def write(self, results: list[Result]) -> None:
        for r in results:
            self.rows.append(_row(r, "parquet"))
            if len(self.rows) >= ROW_GROUP or self.in_part + len(self.rows) >= self.rows_per_part:
                self._flush_rows()

    def _flush_rows(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.rows:
            return
        if self.writer is None:
            self.tmp = self.dir / f"part-{self.next_part:05d}.parquet.tmp"
            self.writer = pq.ParquetWriter(self.tmp, self.schema, compression="zstd")
        self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
        self.in_part += len(self.rows)
        self.rows = []
        if self.in_part >= self.rows_per_part:
            self._close_part()

    def _close_part(self) -> None:
        if self.writer is None:
            return
        self.writer.close()
        final = self.tmp.with_suffix("")  # drop ".tmp"
        os.replace(self.tmp, final)
        _fsync_dir(self.dir)
        self.writer = None
        self.in_part = 0
        self.next_part += 1

    def close(self) -> None:
        self._flush_rows()
        self._close_part()


def parquet_row(rec: dict) -> dict:
    """The Parquet row of a record (as dumped to JSON): nested fields as JSON strings.

    >>> parquet_row({"id": "a", "status": "ok", "directives": [], "errors": []})["directives"]
    '[]'
    """
    row = {c: rec.get(c) for c in SCALAR_COLUMNS}
    row["n_directives"] = len(rec.get("directives") or [])
    for c in NESTED_COLUMNS:
        row[c] = json.dumps(rec.get(c, []), ensure_ascii=False, separators=(",", ":"))
    return row


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _TextWriter:
    """A file or standard output, written chunk by chunk (no resume)."""

    def __init__(self, output: str):
        self.fh: IO[str] = sys.stdout if output == "-" else open(output, "w", encoding="utf-8", newline="")
        self.count = 0

    def done_ids(self) -> Counter:
        return Counter()

    def close(self) -> None:
        if self.fh is not sys.stdout:
            self.fh.close()
        else:
            self.fh.flush()


class JsonWriter(_TextWriter):
    """One JSON array; each element is the record's JSONL line as it is."""

    def write(self, results: list[Result]) -> None:
        for r in results:
            self.fh.write(("," if self.count else "[") + "\n" + r.line)
            self.count += 1
        self.fh.flush()

    def close(self) -> None:
        self.fh.write(("[" if not self.count else "") + "\n]\n")
        super().close()


class CsvWriter(_TextWriter):
    """One row per directive, the header first."""

    def __init__(self, output: str):
        super().__init__(output)
        self.csv = csv.writer(self.fh)
        self.csv.writerow(CSV_COLUMNS)

    def write(self, results: list[Result]) -> None:
        for r in results:
            self.csv.writerows(_row(r, "csv"))
            self.count += 1
        self.fh.flush()


def csv_rows(rec: dict) -> list[list]:
    """The CSV rows of a record (as dumped to JSON): one per directive, or one for an article
    without any."""
    errs = "; ".join(f"{e['source']}: {e['reason']}" for e in rec.get("errors") or [])
    head = [rec.get("id"), rec.get("lang"), rec.get("published")]
    out = []
    for d in rec.get("directives") or []:
        out.append(head + [
            d["id"], d["text"], d["start"], d["end"], d["verb"],
            "; ".join(f"{a.get('canonical') or a['name']} ({a['role']})" for a in d.get("agencies") or []),
            "; ".join(d.get("document_refs") or []), d.get("deadline") or "",
            "; ".join(f"{t['comparator']}{t['value']} {t['unit']}" for t in d.get("targets") or []), d.get("confidence"), errs,
        ])
    return out or [head + [""] * 10 + [errs]]


#: the shape a worker gives a record for each format that is not written as its JSON line
ROW_SHAPES: dict[str, Callable[[dict], Any]] = {"parquet": parquet_row, "csv": csv_rows}


def record_line(rec) -> str:
    """The JSONL line of an ``ArticleRecord``: compact, keys in schema order, non-ASCII kept."""
    return json.dumps(rec.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))


def encode(rec, fmt: str = "jsonl") -> Result:
    """The ``Result`` of an ``ArticleRecord`` for output format ``fmt``: serialised once, in the
    worker, with the row the format's writer needs."""
    data = rec.model_dump(mode="json")
    line = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    shape = ROW_SHAPES.get(fmt)
    return Result(rec.id, rec.status, rec.lang, len(rec.directives), error_lines(rec), line, shape(data) if shape else None)


def _row(r: Result, fmt: str):
    if r.row is None:
        raise OutputError(f"{r.id}: result not shaped for {fmt} output (settings.fmt differs from the writer's format)")
    return r.row
