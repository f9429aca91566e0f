"""Readers: files, folders and standard input -> ``Article`` objects, streamed.

Every problem with an input (empty, binary, undecodable, too large, a malformed JSONL or CSV
row, a field of the wrong type) is yielded as an ``InputError`` naming the input, the line and
the reason, and reading goes on with the next row or input: a bad row costs only itself.

    >>> for item in read_articles(["corpus/sample"]):
    ...     print(item.id if isinstance(item, Article) else item)  # doctest: +SKIP
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import re
import sys
from pathlib import Path
from typing import IO, Iterable, Iterator, Optional, Union

from .errors import InputError
from .schema import Article, content_id
from .segment import normalize

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md"}
ROW_SUFFIXES = {".jsonl", ".ndjson", ".csv"}
SUFFIXES = TEXT_SUFFIXES | ROW_SUFFIXES | {".html", ".htm", ".parquet"}

Item = Union[Article, InputError]

_SOURCE_LINE = re.compile(r"^\s*(?:Source|Nguồn)\s*:\s*(https?://\S+)\s*$", re.IGNORECASE | re.MULTILINE)
#: byte-order marks, longest first (a UTF-32 LE mark starts with the UTF-16 LE one)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF8, "utf-8-sig"))
#: the optional string fields of a JSONL/CSV/Parquet row
_STR_FIELDS = ("lang", "url", "source", "title")


def display_name(path: Union[str, os.PathLike]) -> str:
    """A path as text that can always be written out: bytes of a file name that are not UTF-8
    are shown as ``\\xNN``.

    >>> display_name(os.fsdecode(b"bad-\\xff.txt"))
    'bad-\\\\xff.txt'
    """
    name = os.fspath(path)
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_articles(paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES, lang: Optional[str] = None) -> Iterator[Item]:
    """Articles (or input errors) from files, folders (recursively, sorted) and ``-`` (stdin)."""
    for p in paths:
        if p == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
            yield from read_bytes("<stdin>", data, ".jsonl" if data.lstrip()[:1] == b"{" else ".txt", max_bytes, lang)
            continue
        path = Path(p)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except (OSError, ValueError) as exc:  # a name too long, a NUL byte in it
            yield InputError(display_name(p), f"cannot open: {getattr(exc, 'strerror', None) or exc}", code="io")
            continue
        if is_dir:
            yield from _read_folder(path, max_bytes, lang)
        elif exists:
            yield from read_file(path, max_bytes, lang)
        else:
            yield InputError(display_name(path), "no such file or folder", code="missing")


def _read_folder(path: Path, max_bytes: int, lang: Optional[str]) -> Iterator[Item]:
    files = sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
    if not files:
        yield InputError(display_name(path), "folder holds no readable article files", code="empty")
    for f in files:
        yield from read_file(f, max_bytes, lang)


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, lang: Optional[str] = None) -> Iterator[Item]:
    suffix = path.suffix.lower()
    source = display_name(path)
    if suffix == ".parquet":
        yield from _read_parquet(path, source, lang)
        return
    try:
        if suffix in ROW_SUFFIXES:
            with path.open("rb") as fh:
                yield from read_rows(source, fh, suffix, max_bytes, lang)
            return
        size = path.stat().st_size
        if size > max_bytes:
            yield InputError(source, f"file is {size} bytes, over the limit of {max_bytes}", code="too_large")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(source, f"cannot read: {exc.strerror or exc}", code="io")
        return
    yield from read_bytes(source, data, suffix, max_bytes, lang)


def _decode(source: str, data: bytes, line: Optional[int] = None) -> str:
    """The text of a whole file: UTF-8, or UTF-16/32 where a byte-order mark says so."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None and b"\x00" in data[:8192]:
        raise InputError(source, "binary content (NUL bytes), not text", line, code="binary")
    encoding = encoding or "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = encoding.replace("-sig", "").upper()
        raise InputError(source, f"not valid {name} (byte {exc.start})", line, code="encoding") from None


def read_bytes(source: str, data: bytes, suffix: str, max_bytes: int = DEFAULT_MAX_BYTES, lang: Optional[str] = None) -> Iterator[Item]:
    """Articles (or input errors) from the bytes of one upload or stream, read as ``suffix`` says."""
    if len(data) > max_bytes:
        yield InputError(source, f"input is over the limit of {max_bytes} bytes", code="too_large")
        return
    if suffix in ROW_SUFFIXES:
        yield from read_rows(source, io.BytesIO(data), suffix, max_bytes, lang)
        return
    try:
        text = _decode(source, data)
    except InputError as exc:
        yield exc
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

    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
        meta = trafilatura.extract_metadata(html) if text and text.strip() else None
    except (ValueError, TypeError, RecursionError) as exc:  # lxml's parse errors are ValueErrors
        return InputError(source, f"cannot parse the HTML: {exc}", code="html")
    if not text or not text.strip():
        return InputError(source, "no article text found in the HTML", code="empty")
    published = getattr(meta, "date", None) if meta else None
    title = getattr(meta, "title", None) if meta else None
    url = getattr(meta, "url", None) if meta else None
    if title and not text.startswith(title):
        text = f"{title}\n{text}"
    text = normalize(text)
    return Article(id=content_id(text, prefix="a-"), text=text, lang=lang, published=published, url=url, title=title, input=source)


# -- rows: JSONL, CSV, Parquet ---------------------------------------------------------------


def read_rows(source: str, fh: IO[bytes], suffix: str, max_bytes: int = DEFAULT_MAX_BYTES, lang: Optional[str] = None) -> Iterator[Item]:
    """JSONL or CSV rows from a binary stream: memory holds one row at a time, whatever the size,
    and a bad row (bad bytes, malformed, a wrong type, too large) costs only that row."""
    lines = _Lines(fh, max_bytes)
    if suffix == ".csv":
        yield from _read_csv(source, lines, max_bytes, lang)
    else:
        for i, line, whole in lines:
            if not whole:
                yield InputError(source, f"line is over the limit of {max_bytes} bytes", i, code="too_large")
            elif line.strip():
                yield _guarded(source, i, _jsonl_row, line, lang)
    if lines.broken is not None:
        yield InputError(source, lines.broken[1], lines.broken[0], code="encoding")


class _Lines:
    """(line number, text, whole) for each physical line of a seekable binary stream, decoded
    as UTF-8 (UTF-16 or -32 after a byte-order mark).  Bytes that do not decode become lone
    surrogates, which the row checks report.  A line over ``limit`` bytes is never held whole:
    it comes with ``whole=False`` and only its CSV skeleton (``csv_skeleton``)."""

    def __init__(self, fh: IO[bytes], limit: int):
        head = fh.read(4)
        fh.seek(0)
        encoding = next((enc for bom, enc in _BOMS if head.startswith(bom)), "utf-8")
        self.binary = encoding.startswith("utf-8")
        self.fh = fh if self.binary else io.TextIOWrapper(fh, encoding=encoding, errors="surrogateescape", newline="")
        self.limit = limit
        self.encoding = encoding
        self.broken: Optional[tuple[int, str]] = None

    def __iter__(self) -> Iterator[tuple[int, str, bool]]:
        n = 0
        while chunk := self._readline_or_stop(self.limit + 2, n + 1):
            n += 1
            if n == 1:
                chunk = chunk.lstrip("\ufeff")
            if len(chunk.rstrip("\r\n")) > self.limit:
                yield n, self._skeleton_of_rest(chunk, n), False
            else:
                yield n, chunk, True

    def _readline_or_stop(self, size: int, n: int) -> str:
        """The next line; "" (the end) where a UTF-16/32 stream cannot go on (an odd trailing
        byte), with ``broken`` set to (line, reason) for the caller to report."""
        try:
            return self._readline(size)
        except UnicodeDecodeError as exc:
            self.broken = (n, f"not valid {self.encoding.upper()} from this line on ({exc.reason})")
            return ""

    def _readline(self, size: int) -> str:
        chunk = self.fh.readline(size)
        return chunk.decode("utf-8", "surrogateescape") if self.binary else chunk

    def _skeleton_of_rest(self, chunk: str, n: int) -> str:
        parts = [csv_skeleton(chunk)]
        while chunk and not chunk.endswith("\n"):
            chunk = self._readline_or_stop(1 << 20, n)
            parts.append(csv_skeleton(chunk))
        return "".join(parts)


_ORDINARY = re.compile(r'[^",\r\n]+')


def csv_skeleton(text: str) -> str:
    r"""``text`` with each run of ordinary characters cut to one ``x``: the csv module parses
    it into the same rows and fields (quotes, commas and line ends are kept), only shorter.

    >>> csv_skeleton('big,"a long field, ""quoted"" here"\r\n')
    'x,"x,x""x""x"\r\n'
    """
    return _ORDINARY.sub("x", text)


def _guarded(source: str, line: int, read_row, raw, lang: Optional[str]) -> Item:
    """``read_row(source, line, raw, lang)``; an unforeseen failure on one row becomes that
    row's error instead of ending the whole input."""
    try:
        return read_row(source, line, raw, lang)
    except InputError as exc:
        return exc
    except RecursionError:
        return InputError(source, "nested too deeply to read", line, code="json")
    except Exception as exc:  # noqa: BLE001 - one bad row must not stop the rows after it
        return InputError(source, f"cannot read this row: {type(exc).__name__}: {exc}", line, code="row")


def _jsonl_row(source: str, line: int, raw: str, lang: Optional[str]) -> Item:
    _check_decoded(source, line, raw)
    try:
        row = json.loads(raw.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        return InputError(source, json_reason(exc), line, code="json")
    except RecursionError:
        return InputError(source, "JSON nested too deeply to read (keep rows under a few hundred levels)", line, code="json")
    if not isinstance(row, dict):
        return InputError(source, f"a JSONL line must be an object, not {_type_name(row)}", line, code="json")
    return row_article(source, line, row, lang)


def json_reason(exc: json.JSONDecodeError) -> str:
    """A readable reason for a JSON syntax error, its column counted on the line.

    >>> try: json.loads('{"a": "b')
    ... except json.JSONDecodeError as e: print(json_reason(e))
    malformed JSON: unterminated string starting at column 7
    >>> try: json.loads('hello')
    ... except json.JSONDecodeError as e: print(json_reason(e))
    malformed JSON: the line is not JSON (it starts with 'hello')
    """
    msg = exc.msg[0].lower() + exc.msg[1:]
    if exc.pos == 0 and msg.startswith("expecting value"):
        return f"malformed JSON: the line is not JSON (it starts with {exc.doc.strip()[:20]!r})"
    if msg.endswith(" at"):  # "Unterminated string starting at"
        return f"malformed JSON: {msg} column {exc.colno}"
    return f"malformed JSON: {msg} at column {exc.colno}"


def _check_decoded(source: str, line: int, raw: str, where: str = "the line") -> None:
    """Raise the row's error where its bytes were not valid text (see ``_Lines``)."""
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError as exc:
        at = len(raw[: exc.start].encode("utf-8", "surrogateescape"))
        raise InputError(source, f"not valid UTF-8 (byte {at + 1} of {where})", line, code="encoding") from None


def _type_name(value) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", dict: "an object", list: "an array", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _field_problem(key: str, value, allowed: str) -> InputError:
    shown = json.dumps(value, ensure_ascii=True, default=str)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return InputError("", f"'{key}' must be {allowed}, not {_type_name(value)} ({shown})", code="type")


def _str_field(row: dict, key: str) -> Optional[str]:
    value = row.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _field_problem(key, value, "a string")
    return value


def _id_field(row: dict) -> Optional[str]:
    value = row.get("id")
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a numeric id is an id; anything else is refused, never str()'d
    if not isinstance(value, str):
        raise _field_problem("id", value, "a string or an integer")
    return value


def _published_field(row: dict) -> Optional[str]:
    value = row.get("published")
    if isinstance(value, dt.datetime):  # Parquet timestamps
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _field_problem("published", value, "a date string (YYYY-MM-DD)")
    return value


def _check_unicode(fields: dict) -> None:
    for key, value in fields.items():
        if not isinstance(value, str):
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            bad = f"\\u{ord(value[exc.start]):04x}"
            raise InputError("", f"'{key}' holds a lone surrogate ({bad}) at character {exc.start}: not valid Unicode text", code="unicode") from None


def row_article(source: str, line: int, row: dict, lang: Optional[str]) -> Item:
    """The ``Article`` of one JSONL/CSV/Parquet row, or the row's error: a field of the wrong
    type or text that is not valid Unicode is refused, never converted."""
    try:
        text = row.get("text")
        if text is not None and not isinstance(text, str):
            raise _field_problem("text", text, "a string")
        if not text or not text.strip():
            return InputError(source, "row has no 'text'", line, code="empty")
        fields = {"text": text, "id": _id_field(row), "published": _published_field(row)}
        fields.update((k, _str_field(row, k)) for k in _STR_FIELDS)
        _check_unicode(fields)
    except InputError as exc:
        return InputError(source, exc.reason, line, code=exc.code)
    text = normalize(text)
    return Article(
        id=fields["id"] or content_id(text, prefix="a-"), text=text, lang=lang or fields["lang"], published=fields["published"],
        url=fields["url"] or fields["source"], title=fields["title"], input=f"{source}:{line}",
    )


def _read_csv(source: str, lines: _Lines, max_bytes: int, lang: Optional[str]) -> Iterator[Item]:
    """CSV rows; a bad byte, a malformed or oversized row costs that row only."""
    csv.field_size_limit(2 * max_bytes + 131072)
    numbered = _RowLines(lines, max_bytes)
    reader = csv.reader(numbered)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as exc:
        yield InputError(source, f"CSV needs a header with a 'text' column ({exc or 'empty file'})", 1, code="csv")
        return
    if "text" not in header:
        yield InputError(source, "CSV needs a header with a 'text' column", 1, code="csv")
        return
    while True:
        start = numbered.start_row()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield InputError(source, f"malformed CSV: {exc}", start, code="csv")
            continue
        if numbered.oversized:
            yield InputError(source, f"row is over the limit of {max_bytes} bytes", start, code="too_large")
        elif row:
            yield _guarded(source, start, _csv_row, (header, row), lang)


class _RowLines:
    """The lines of a ``_Lines`` for the csv module, counted per row: once a row is over
    ``limit`` bytes, the rest of it is fed as its skeleton (``csv_skeleton``), so the parser
    still finds where the row ends while memory stays bounded, and the row is refused."""

    def __init__(self, lines: _Lines, limit: int):
        self.it = iter(lines)
        self.limit = limit
        self.n = 0
        self.row_chars = 0
        self.oversized = False

    def __iter__(self):
        return self

    def __next__(self) -> str:
        self.n, line, whole = next(self.it)
        self.row_chars += len(line)
        if not whole or self.row_chars > self.limit:
            self.oversized = True
            return line if not whole else csv_skeleton(line)
        return line

    def start_row(self) -> int:
        """Start counting a new row; its first line number."""
        self.row_chars, self.oversized = 0, False
        return self.n + 1


def _csv_row(source: str, line: int, header_row, lang: Optional[str]) -> Item:
    header, row = header_row
    if len(row) > len(header):
        return InputError(source, f"row has {len(row)} fields, more than the header's {len(header)}", line, code="csv")
    for name, value in zip(header, row):
        _check_decoded(source, line, value, f"field {name!r}")
    return row_article(source, line, dict(zip(header, row)), lang)


def _read_parquet(path: Path, source: str, lang: Optional[str]) -> Iterator[Item]:
    try:
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a bad file
        yield InputError(source, f"cannot read Parquet: {exc}", code="parquet")
        return
    if "text" not in pf.schema_arrow.names:
        yield InputError(source, "Parquet file has no 'text' column", code="parquet")
        return
    row = 0
    for batch in pf.iter_batches(batch_size=512):
        for rec in batch.to_pylist():
            row += 1
            yield _guarded(source, row, row_article, rec, lang)
