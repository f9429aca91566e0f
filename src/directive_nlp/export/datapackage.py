"""Writing an export: table files in one format, ``datapackage.json``, the graph, the changes.

Formats: ``csv`` (one UTF-8 file per table), ``parquet`` (one typed file per table), ``jsonl``
(one JSON object per line per table), ``xlsx`` (one workbook, one sheet per table).  Beside the
tables there is always ``datapackage.json`` (a Frictionless Data Package: every table's schema
with types, primary and foreign keys, and the record schema version), ``document_edges.csv``
(the graph's edge list, whatever the format), ``document_graph.graphml`` and
``document_graph.json`` (nodes and typed edges, each edge with all its evidence).

Example:
    >>> from directive_nlp.export import build_tables, write_export
    >>> res = write_export(build_tables([]), "out/export", "csv")   # doctest: +SKIP
    >>> res.files[0].name                                              # doctest: +SKIP
    'articles.csv'
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Optional, Union

from ..schema import SCHEMA_VERSION
from .graph import build_graph, write_graph_json, write_graphml
from .tables import TABLE_SPECS, ExportError, TableSpec

FORMATS = ("csv", "parquet", "jsonl", "xlsx")
DESCRIPTOR = "datapackage.json"
XLSX_FILE = "export.xlsx"
EDGES_FILE = "document_edges.csv"
GRAPHML_FILE = "document_graph.graphml"
GRAPH_JSON_FILE = "document_graph.json"
#: Excel refuses longer cells; longer texts are cut in xlsx exports only (and counted in warnings)
XLSX_MAX_CELL = 32767


@dataclass
class ExportResult:
    out_dir: Path
    format: str
    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def write_export(tables: dict[str, list[dict]], out_dir: Union[str, Path], fmt: str, incremental: Optional[str] = None) -> ExportResult:
    """Write every table (``changes`` only when ``incremental`` names what it compares with).

    Example:
        >>> write_export({}, "/tmp/x", "dbf")
        Traceback (most recent call last):
        ...
        directive_nlp.export.tables.ExportError: unknown export format 'dbf' (choose csv, parquet, jsonl or xlsx)
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (choose csv, parquet, jsonl or xlsx)")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: exists and is not a directory")
    out.mkdir(parents=True, exist_ok=True)
    names = [n for n in TABLE_SPECS if n != "changes" or incremental is not None]
    res = ExportResult(out, fmt, counts={n: len(tables.get(n, [])) for n in names})
    main = [n for n in names if n != "document_edges"]
    if fmt == "xlsx":
        res.files.append(_write_xlsx({n: tables.get(n, []) for n in main}, out / XLSX_FILE, res.warnings))
    else:
        for n in main:
            res.files.append(_WRITERS[fmt](TABLE_SPECS[n], tables.get(n, []), out / f"{n}.{fmt}"))
    res.files.append(_write_csv(TABLE_SPECS["document_edges"], tables.get("document_edges", []), out / EDGES_FILE))
    graph = build_graph(tables.get("documents", []), tables.get("document_edges", []))
    res.files.append(write_graphml(graph, out / GRAPHML_FILE))
    res.files.append(write_graph_json(tables.get("documents", []), tables.get("document_edges", []), tables.get("edge_evidence", []),
                                      out / GRAPH_JSON_FILE, SCHEMA_VERSION))
    descriptor = datapackage(names, fmt, incremental)
    (out / DESCRIPTOR).write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    res.files.append(out / DESCRIPTOR)
    return res


# -- descriptor -----------------------------------------------------------------------------------


def datapackage(names: list[str], fmt: str, incremental: Optional[str] = None) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of an export of these tables in this format."""
    return {
        "name": "directive-nlp-export",
        "title": "directive-nlp export: directives, documents, agencies and targets extracted from policy news",
        "profile": "tabular-data-package",
        "licenses": [{"name": "Apache-2.0", "path": "https://www.apache.org/licenses/LICENSE-2.0"}],
        "schema_version": SCHEMA_VERSION,
        "x-directive-nlp": {
            "schema_version": SCHEMA_VERSION,
            "format": fmt,
            "incremental_since": incremental,
            "graphml": GRAPHML_FILE,
            "graph_json": GRAPH_JSON_FILE,
            "data_dictionary": "docs/DATA_DICTIONARY.md",
        },
        "resources": [_resource(TABLE_SPECS[n], "csv" if n == "document_edges" else fmt) for n in names],
    }


_MEDIA = {"csv": "text/csv", "jsonl": "application/x-ndjson", "parquet": "application/vnd.apache.parquet",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _resource(spec: TableSpec, fmt: str) -> dict[str, Any]:
    res: dict[str, Any] = {
        "name": spec.name,
        "path": XLSX_FILE if fmt == "xlsx" else (EDGES_FILE if spec.name == "document_edges" else f"{spec.name}.{fmt}"),
        "profile": "tabular-data-resource",
        "format": fmt,
        "mediatype": _MEDIA[fmt],
        "description": spec.description,
        "schema": {
            "fields": [{"name": c.name, "type": c.type, "description": c.description} for c in spec.columns],
            "primaryKey": list(spec.primary_key),
            "foreignKeys": [
                {"fields": list(f), "reference": {"resource": tbl, "fields": list(rf)}} for f, tbl, rf in spec.foreign_keys
            ],
        },
    }
    if fmt in ("csv", "jsonl", "parquet"):
        res["encoding"] = "utf-8" if fmt != "parquet" else None
        if res["encoding"] is None:
            del res["encoding"]
    if fmt == "xlsx":
        res["dialect"] = {"excel": {"sheet": spec.name}}
    return res


# -- writers --------------------------------------------------------------------------------------


def _cell_csv(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def _write_csv(spec: TableSpec, rows: list[dict], path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(spec.names)
        for r in rows:
            w.writerow([_cell_csv(r.get(c)) for c in spec.names])
    return path


def _write_jsonl(spec: TableSpec, rows: list[dict], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({c: r.get(c) for c in spec.names}, ensure_ascii=False, separators=(",", ":")) + "\n")
    return path


def _arrow_type(t: str):
    import pyarrow as pa

    return {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(), "date": pa.date32()}[t]


def _typed(v: Any, t: str) -> Any:
    if v is None:
        return None
    if t == "date":
        return date.fromisoformat(v)
    if t == "number":
        return float(v)
    return v


def _write_parquet(spec: TableSpec, rows: list[dict], path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([pa.field(c.name, _arrow_type(c.type)) for c in spec.columns])
    cols = {c.name: [_typed(r.get(c.name), c.type) for r in rows] for c in spec.columns}
    table = pa.table(cols, schema=schema).replace_schema_metadata({"schema_version": SCHEMA_VERSION, "table": spec.name})
    pq.write_table(table, path)
    return path


def _write_xlsx(tables: dict[str, list[dict]], path: Path, warnings: list[str]) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook(write_only=True)
    wb.properties.keywords = f"schema_version={SCHEMA_VERSION}"
    cut = 0
    for name, rows in tables.items():
        spec = TABLE_SPECS[name]
        ws = wb.create_sheet(name)
        ws.append(spec.names)
        for r in rows:
            line = []
            for c in spec.columns:
                v = _typed(r.get(c.name), c.type)
                if isinstance(v, str):
                    v = ILLEGAL_CHARACTERS_RE.sub("", v)
                    if len(v) > XLSX_MAX_CELL:
                        v, cut = v[:XLSX_MAX_CELL], cut + 1
                line.append(v)
            ws.append(line)
    if cut:
        warnings.append(f"{cut} text cell(s) longer than Excel's {XLSX_MAX_CELL} characters were cut in {path.name}; use csv/parquet/jsonl for full texts")
    wb.save(path)
    return path


_WRITERS = {"csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet}


# -- reading a previous export --------------------------------------------------------------------


def read_table(export_dir: Union[str, Path], table: str) -> list[dict]:
    """The rows of one table of an export directory, whatever its format (as its descriptor says).

    Example:
        >>> rows = read_table("out/export", "directives")   # doctest: +SKIP
    """
    d = Path(export_dir)
    desc_path = d / DESCRIPTOR
    if not desc_path.is_file():
        raise ExportError(f"{d}: not an export directory (no {DESCRIPTOR}); --since takes a date (YYYY-MM-DD) or a previous export directory")
    try:
        desc = json.loads(desc_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ExportError(f"{desc_path}: not valid JSON ({exc.msg})") from None
    res = next((r for r in desc.get("resources", []) if r.get("name") == table), None)
    if res is None:
        raise ExportError(f"{desc_path}: has no {table!r} table")
    path, fmt = d / res["path"], res.get("format", "csv")
    if not path.is_file():
        raise ExportError(f"{path}: listed in {DESCRIPTOR} but missing")
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return [{k: (v if v != "" else None) for k, v in r.items()} for r in csv.DictReader(fh)]
    if fmt == "jsonl":
        with path.open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    if fmt == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        rows = wb[res.get("dialect", {}).get("excel", {}).get("sheet", table)].iter_rows(values_only=True)
        header = next(rows)
        return [dict(zip(header, r)) for r in rows]
    raise ExportError(f"{path}: unknown format {fmt!r} in {DESCRIPTOR}")


def read_previous_hashes(export_dir: Union[str, Path]) -> dict[str, tuple[str, str]]:
    """directive_id -> (article_id, content_hash) from a previous export of the same major schema."""
    d = Path(export_dir)
    desc = json.loads((d / DESCRIPTOR).read_text(encoding="utf-8")) if (d / DESCRIPTOR).is_file() else {}
    prev_version = str(desc.get("schema_version", ""))
    if prev_version and prev_version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise ExportError(
            f"{d}: previous export has schema {prev_version}, this one {SCHEMA_VERSION}: a major version change is breaking; "
            "make a full export instead of an incremental one"
        )
    return {r["directive_id"]: (r["article_id"], r["content_hash"]) for r in read_table(d, "directives")}


# -- documentation --------------------------------------------------------------------------------


def data_dictionary() -> str:
    """``docs/DATA_DICTIONARY.md`` as generated from the table definitions."""
    lines = [
        "# Data dictionary",
        "",
        "<!-- Generated by `python -m directive_nlp.export.datapackage > docs/DATA_DICTIONARY.md`; "
        "tests/test_export.py fails when it is out of date. -->",
        "",
        f"Record schema version: **{SCHEMA_VERSION}** (see `CHANGELOG.md`; a breaking change bumps the major version).",
        "",
        "`directive-nlp export SOURCE -o DIR --format csv|parquet|jsonl|xlsx` writes the tables below into DIR, "
        f"plus `{DESCRIPTOR}` (a Frictionless Data Package with every table's types, primary key and foreign keys), "
        f"`{EDGES_FILE}` (the document graph's edge list, always CSV) and `{GRAPHML_FILE}` (the same graph as GraphML). "
        f"CSV, JSONL and Parquet exports write one file per table (`<table>.<format>`); xlsx writes one workbook "
        f"`{XLSX_FILE}` with one sheet per table (texts longer than {XLSX_MAX_CELL} characters are cut there).",
        "",
        "Ids are derived from content, so the same input gives the same ids on any machine. Every row carries "
        "`schema_version`. Empty cells (CSV, xlsx) and `null` (JSONL, Parquet) mean unknown or not applicable.",
        "",
        "Incremental exports (`--since PREVIOUS_EXPORT_DIR`) are full snapshots plus a `changes` table listing each "
        "directive that is `new`, `updated` (its `content_hash` changed) or `withdrawn` (no longer extracted) since "
        "that export; unchanged directives get no row. `--since YYYY-MM-DD` keeps the articles published on or after "
        "that date (articles without a date are left out) and marks all their directives `new`; a date cannot tell "
        "withdrawals. `--reviewed-only` keeps records whose review status is approved (editor desk exports); on a "
        "plain extract file, which has no review information, it stops with an error rather than writing an empty export.",
        "",
    ]
    for spec in TABLE_SPECS.values():
        lines += [f"## `{spec.name}`", "", spec.description, "", f"Primary key: `{', '.join(spec.primary_key)}`."]
        for f, tbl, rf in spec.foreign_keys:
            lines.append(f"Foreign key: `{', '.join(f)}` → `{tbl}.{', '.join(rf)}`.")
        lines += ["", "| column | type | description |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {c.description.replace('|', '/')} |" for c in spec.columns]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(data_dictionary(), end="")
