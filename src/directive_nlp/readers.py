"""Readers: files, folders and standard input -> ``Article`` objects, streamed.

Every problem with an input (empty, binary, undecodable, too large, a malformed JSONL or CSV
row) is yielded as an ``InputError`` naming the input, the line and the reason, and reading
goes on with the next input.

    >>> for item in read_articles(["corpus/sample"]):
    ...     print(item.id if isinstance(item, Article) else item)  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from .errors import InputError
from .schema import Article, content_id
from .segment import normalize

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md"}
SUFFIXES = TEXT_SUFFIXES | {".jsonl", ".ndjson", ".csv", ".html", ".htm", ".parquet"}

Item = Union[Article, InputError]

_SOURCE_LINE = re.compile(r"^\s*(?:Source|Nguồn)\s*:\s*(https?://\S+)\s*$", re.IGNORECASE | re.MULTILINE)


def read_articles(paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES, lang: Optional[str] = None) -> Iterator[Item]:
    """Articles (or input errors) from files, folders (recursively, sorted) and ``-`` (stdin)."""
    for p in paths:
        if p == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
            yield from read_bytes("<stdin>", data, ".jsonl" if data.lstrip()[:1] == b"{" else ".txt", max_bytes, lang)
            continue
        path = Path(p)
        if path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
            if not files:
                yield InputError(str(path), "folder holds no readable article files", code="empty")
            for f in files:
                yield from read_file(f, max_bytes, lang)
        elif path.exists():
            yield from read_file(path, max_bytes, lang)
        else:
            yield InputError(str(path), "no such file or folder", code="missing")


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, lang: Optional[str] = None) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        yield from _read_parquet(path, lang)
        return
    try:
        size = path.stat().st_size
        if size > max_bytes and suffix not in (".jsonl", ".ndjson", ".csv"):
            yield InputError(str(path), f"file is {size} bytes, over the limit of {max_bytes}", code="too_large")
            return
        if suffix in (".jsonl", ".ndjson", ".csv"):
            yield from _read_rows(path, suffix, max_bytes, lang)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {exc.strerror or exc}", code="io")
        return
    yield from read_bytes(str(path), data, suffix, max_bytes, lang)


def _decode(source: str, data: bytes, line: Optional[int] = None) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(source, "binary content (NUL bytes), not text", line, code="binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(source, f"not valid UTF-8 (byte {exc.start})", line, code="encoding") from None


def read_bytes(source: str, data: bytes, suffix: str, max_bytes: int = DEFAULT_MAX_BYTES, lang: Optional[str] = None) -> Iterator[Item]:
    """Articles (or input errors) from the bytes of one upload or stream, read as ``suffix`` says."""
    if len(data) > max_bytes:
        yield InputError(source, f"input is over the limit of {max_bytes} bytes", code="too_large")
        return
    try:
        text = _decode(source, data)
    except InputError as exc:
        yield exc
        return
    if suffix in (".jsonl", ".ndjson"):
        for i, line in enumerate(text.splitlines(), 1):
            if line.strip():
                yield _row_article(source, i, _json_row(source, i, line), lang)
        return
    if suffix in (".html", ".htm"):
        yield _html_article(source, text, lang)
        return
    yield _text_article(source, text, lang)


def _text_article(source: str, text: str, lang: Optional[str]) -> Item:
    text = normalize(text)
    if not text.strip():
        return InputError(source, "empty file", code="empty")
    m = _SOURCE_LINE.search(text)
    title = text.strip().split("\n", 1)[0].strip()[:300]
    return Article(id=content_id(text, prefix="a-"), text=text, lang=lang, url=m.group(1) if m else None, title=title, input=source)


def _html_article(source: str, html: str, lang: Optional[str]) -> Item:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    if not text or not text.strip():
        return InputError(source, "no article text found in the HTML", code="empty")
    meta = trafilatura.extract_metadata(html)
    published = getattr(meta, "date", None) if meta else None
    title = getattr(meta, "title", None) if meta else None
    url = getattr(meta, "url", None) if meta else None
    if title and not text.startswith(title):
        text = f"{title}\n{text}"
    text = normalize(text)
    return Article(id=content_id(text, prefix="a-"), text=text, lang=lang, published=published, url=url, title=title, input=source)


def _json_row(source: str, line: int, raw: str):
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as exc:
        return InputError(source, f"malformed JSON: {exc.msg} at column {exc.colno}", line, code="json")
    if not isinstance(row, dict):
        return InputError(source, "a JSONL line must be an object", line, code="json")
    return row


def _row_article(source: str, line: int, row, lang: Optional[str]) -> Item:
    if isinstance(row, InputError):
        return row
    text = row.get("text")
    where = f"{source}:{line}"
    if not isinstance(text, str) or not text.strip():
        return InputError(source, "row has no 'text'", line, code="empty")
    text = normalize(text)
    published = row.get("published")
    if published is not None and not isinstance(published, str):
        published = str(published)
    rid = row.get("id")
    return Article(
        id=str(rid) if rid not in (None, "") else content_id(text, prefix="a-"),
        text=text,
        lang=lang or row.get("lang") or None,
        published=published or None,
        url=row.get("url") or row.get("source") if isinstance(row.get("url") or row.get("source"), str) else None,
        title=row.get("title"),
        input=where,
    )


def _read_rows(path: Path, suffix: str, max_bytes: int, lang: Optional[str]) -> Iterator[Item]:
    """JSONL or CSV rows, streamed: memory holds one row at a time, whatever the file size."""
    if suffix == ".csv":
        yield from _read_csv(path, max_bytes, lang)
        return
    source = str(path)
    with path.open("rb") as fh:
        for i, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            if len(raw) > max_bytes:
                yield InputError(source, f"line is {len(raw)} bytes, over the limit of {max_bytes}", i, code="too_large")
                continue
            try:
                line = _decode(source, raw, i)
            except InputError as exc:
                yield exc
                continue
            yield _row_article(source, i, _json_row(source, i, line), lang)


def _read_csv(path: Path, max_bytes: int, lang: Optional[str]) -> Iterator[Item]:
    source = str(path)
    with path.open("rb") as fh:
        if b"\x00" in fh.read(8192):
            yield InputError(source, "binary content (NUL bytes), not text", code="binary")
            return
    csv.field_size_limit(max(max_bytes, 131072))
    line = 1
    with path.open(encoding="utf-8-sig", newline="") as fh:
        try:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "text" not in reader.fieldnames:
                yield InputError(source, "CSV needs a header with a 'text' column", 1, code="csv")
                return
            for row in reader:
                line = reader.line_num
                if None in row:
                    yield InputError(source, "row has more fields than the header", line, code="csv")
                    continue
                yield _row_article(source, line, row, lang)
        except csv.Error as exc:
            yield InputError(source, f"malformed CSV: {exc}", line + 1, code="csv")
        except UnicodeDecodeError as exc:
            yield InputError(source, f"not valid UTF-8 after line {line} (byte {exc.start} of a read block)", line + 1, code="encoding")


def _read_parquet(path: Path, lang: Optional[str]) -> Iterator[Item]:
    try:
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a bad file
        yield InputError(str(path), f"cannot read Parquet: {exc}", code="parquet")
        return
    if "text" not in pf.schema_arrow.names:
        yield InputError(str(path), "Parquet file has no 'text' column", code="parquet")
        return
    row = 0
    for batch in pf.iter_batches(batch_size=512):
        for rec in batch.to_pylist():
            row += 1
            yield _row_article(str(path), row, rec, lang)
