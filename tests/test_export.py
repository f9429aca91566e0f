"""directive-nlp export: tables, stable ids, data package, incremental changes, document graph."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from directive_nlp.cli import main
from directive_nlp.export.datapackage import DESCRIPTOR, data_dictionary, read_table
from directive_nlp.export.tables import TABLE_SPECS, build_tables, review_state
from directive_nlp.schema import SCHEMA_VERSION, json_schema

ROOT = Path(__file__).resolve().parents[1]
SEEDS = next((p for p in (ROOT.parent / "shared" / "seeds", ROOT.parents[1] / "shared" / "seeds") if p.is_dir()), ROOT / "seeds")
FORMATS = ("csv", "parquet", "jsonl", "xlsx")


@pytest.fixture(scope="module")
def extract_file(tmp_path_factory) -> Path:
    """The extract JSONL of the seed articles (with their publication dates from gold.jsonl)."""
    if not (SEEDS / "gold.jsonl").is_file():
        pytest.skip(f"seed articles not found at {SEEDS} (the shared folder beside the repository)")
    from directive_nlp.batch import records, write_jsonl
    from directive_nlp.pipeline import Pipeline

    out = tmp_path_factory.mktemp("extract") / "seeds.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        write_jsonl(records([str(SEEDS / "gold.jsonl")], Pipeline(extractors="rules")), fh)
    return out


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _export(src: Path, out: Path, *args: str) -> str:
    res = CliRunner().invoke(main, ["export", str(src), "-o", str(out), *args])
    assert res.exit_code == 0, res.output
    return res.output


def _validate(export_dir: Path) -> None:
    """Frictionless validation of the package: types, primary keys, foreign keys."""
    from frictionless import Package, validate

    desc = json.loads((export_dir / DESCRIPTOR).read_text(encoding="utf-8"))
    if desc["x-directive-nlp"]["format"] != "parquet":
        report = validate(str(export_dir / DESCRIPTOR))
        assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])[:5]
        return
    # frictionless 5.21 reads Parquet through pandas, which turns a null integer into NaN and
    # then fails its own integer check (and cannot validate inline packages): check the
    # descriptor, then validate the same rows as pyarrow reads them, converted to CSV by pyarrow
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    meta = Package.validate_descriptor(str(export_dir / DESCRIPTOR))
    assert meta.valid, meta.flatten(["message"])[:5]
    as_csv = export_dir.parent / (export_dir.name + "-as-csv")
    as_csv.mkdir()
    for res in desc["resources"]:
        if res["format"] == "parquet":
            pacsv.write_csv(pq.read_table(export_dir / res["path"]), as_csv / f"{res['name']}.csv")
            res.update(path=f"{res['name']}.csv", format="csv", mediatype="text/csv")
        else:
            (as_csv / res["path"]).write_bytes((export_dir / res["path"]).read_bytes())
    (as_csv / DESCRIPTOR).write_text(json.dumps(desc), encoding="utf-8")
    report = validate(str(as_csv / DESCRIPTOR))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])[:5]


# -- every format ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_each_format_validates(extract_file, tmp_path, fmt):
    out = tmp_path / fmt
    _export(extract_file, out, "--format", fmt)
    desc = json.loads((out / DESCRIPTOR).read_text(encoding="utf-8"))
    assert desc["schema_version"] == SCHEMA_VERSION
    assert {r["name"] for r in desc["resources"]} == set(TABLE_SPECS) - {"changes"}
    _validate(out)
    recs = [r for r in _records(extract_file) if r["status"] == "ok"]
    directives = read_table(out, "directives")
    assert len(directives) == sum(len(r["directives"]) for r in recs) > 0
    assert {d["schema_version"] for d in directives} == {SCHEMA_VERSION}
    assert (out / "document_edges.csv").is_file() and (out / "document_graph.graphml").is_file()


def test_every_extract_record_matches_the_published_json_schema(extract_file):
    import jsonschema

    validator = jsonschema.Draft202012Validator(json_schema())
    recs = _records(extract_file)
    assert len(recs) == 5
    for rec in recs:
        errors = sorted(validator.iter_errors(rec), key=str)
        assert not errors, f"{rec['id']}: {errors[0].message}"


def test_xlsx_opens_with_openpyxl_one_sheet_per_table(extract_file, tmp_path):
    from openpyxl import load_workbook

    _export(extract_file, tmp_path, "--format", "xlsx")
    wb = load_workbook(tmp_path / "export.xlsx", read_only=True)
    assert set(wb.sheetnames) == set(TABLE_SPECS) - {"changes", "document_edges"}
    header = next(wb["directives"].iter_rows(values_only=True))
    assert list(header) == TABLE_SPECS["directives"].names
    assert sum(1 for _ in wb["articles"].iter_rows()) == 6  # header + the five seed articles


def test_keys_are_unique_and_foreign_keys_resolve(extract_file):
    tables = build_tables(_records(extract_file))
    for name, spec in TABLE_SPECS.items():
        keys = [tuple(r[k] for k in spec.primary_key) for r in tables[name]]
        assert len(keys) == len(set(keys)), name
        for fields, ref, ref_fields in spec.foreign_keys:
            targets = {tuple(r[k] for k in ref_fields) for r in tables[ref]}
            for r in tables[name]:
                key = tuple(r[f] for f in fields)
                assert None in key or key in targets, (name, key)


def test_documents_and_agencies_merge_mentions(extract_file):
    tables = build_tables(_records(extract_file))
    docs = {d["document_id"]: d for d in tables["documents"]}
    # 15-NQ/TW is cited by the Vietnamese seed 003 and by English seeds: one row, counted per article
    assert docs["15-NQ/TW"]["citing_articles"] >= 2
    assert docs["16-CTr/TU"]["issued_date"] == "2022-08-26"
    assert docs["306/KH-UBND"]["doc_type"] == "plan"
    ags = {a["canonical"]: a for a in tables["agencies"]}
    politburo = ags["Politburo"]
    # "Bộ Chính trị" (vi) and "Politburo" (en) meet at one canonical id
    assert "Bộ Chính trị" in politburo["names"] and politburo["languages"] == "en; vi"
    assert len({a["agency_id"] for a in tables["agencies"]}) == len(tables["agencies"])


# -- stable ids -----------------------------------------------------------------------------------


def test_same_input_gives_identical_files(extract_file, tmp_path):
    _export(extract_file, tmp_path / "a", "--format", "csv")
    _export(extract_file, tmp_path / "b", "--format", "csv")
    for f in sorted((tmp_path / "a").iterdir()):
        assert f.read_bytes() == (tmp_path / "b" / f.name).read_bytes(), f.name


def test_ids_do_not_depend_on_input_order(extract_file):
    recs = _records(extract_file)
    a, b = build_tables(recs), build_tables(list(reversed(recs)))
    for name in ("directives", "targets", "agencies", "document_refs", "documents", "directive_agencies"):
        assert a[name] == b[name], name
    assert all(re.fullmatch(r"t-[0-9a-f]{16}", t["target_id"]) for t in a["targets"])


# -- a record's life ------------------------------------------------------------------------------


def test_incremental_export_marks_new_updated_withdrawn(extract_file, tmp_path):
    recs = _records(extract_file)
    old = tmp_path / "old.jsonl"
    # the previous run: article 004 was not there yet, article 000 had one more directive
    # (withdrawn since) and one directive of 003 had another deadline (corrected since)
    prev = [json.loads(json.dumps(r)) for r in recs if not r["id"].startswith("004")]
    r000 = next(r for r in prev if r["id"].startswith("000"))
    ghost = dict(r000["directives"][0], id="d-withdrawn000000", text="An old directive.")
    r000["directives"].append(ghost)
    r003 = next(r for r in prev if r["id"].startswith("003"))
    corrected = r003["directives"][0]["id"]
    r003["directives"][0]["deadline"] = "2099"
    old.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in prev), encoding="utf-8")

    _export(old, tmp_path / "v1", "--format", "parquet")
    _export(extract_file, tmp_path / "v2", "--format", "csv", "--since", str(tmp_path / "v1"))
    changes = {c["directive_id"]: c for c in read_table(tmp_path / "v2", "changes")}
    new_ids = {d["id"] for r in recs if r["id"].startswith("004") for d in r["directives"]}
    assert {k for k, c in changes.items() if c["change"] == "new"} == new_ids
    assert {k for k, c in changes.items() if c["change"] == "withdrawn"} == {"d-withdrawn000000"}
    assert {k for k, c in changes.items() if c["change"] == "updated"} == {corrected}
    upd = changes[corrected]
    assert upd["content_hash"] != upd["previous_content_hash"] and upd["content_hash"]
    desc = json.loads((tmp_path / "v2" / DESCRIPTOR).read_text(encoding="utf-8"))
    assert "changes" in {r["name"] for r in desc["resources"]}
    _validate(tmp_path / "v2")

    # nothing changed: no change rows
    _export(extract_file, tmp_path / "v3", "--since", str(tmp_path / "v2"))
    assert read_table(tmp_path / "v3", "changes") == []


def test_since_date_keeps_articles_published_since(extract_file, tmp_path):
    _export(extract_file, tmp_path, "--since", "2024-01-01")
    arts = read_table(tmp_path, "articles")
    assert sorted(a["published"] for a in arts) == ["2024-11-27", "2025", "2025-01-20"]
    changes = read_table(tmp_path, "changes")
    assert changes and {c["change"] for c in changes} == {"new"}


def test_since_rejects_what_is_neither_date_nor_export(extract_file, tmp_path):
    res = CliRunner().invoke(main, ["export", str(extract_file), "-o", str(tmp_path / "o"), "--since", str(tmp_path / "nope")])
    assert res.exit_code != 0 and "neither a date" in res.output
    (tmp_path / "plain").mkdir()
    res = CliRunner().invoke(main, ["export", str(extract_file), "-o", str(tmp_path / "o"), "--since", str(tmp_path / "plain")])
    assert res.exit_code != 0 and "not an export directory" in res.output


# -- review ---------------------------------------------------------------------------------------


def test_reviewed_only_on_plain_extract_is_a_clear_error(extract_file, tmp_path):
    res = CliRunner().invoke(main, ["export", str(extract_file), "-o", str(tmp_path), "--reviewed-only"])
    assert res.exit_code != 0
    assert "no record in SOURCE carries review information" in res.output
    assert not (tmp_path / DESCRIPTOR).exists()


def test_reviewed_only_keeps_approved_records(extract_file, tmp_path):
    recs = _records(extract_file)
    recs[0]["review"] = {"status": "approved"}
    recs[1]["review"] = {"status": "pending"}
    src = tmp_path / "desk.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    _export(src, tmp_path / "out", "--reviewed-only")
    assert [a["article_id"] for a in read_table(tmp_path / "out", "articles")] == [recs[0]["id"]]
    assert review_state({"reviewed": False}) is False and review_state({}) is None


# -- bad input ------------------------------------------------------------------------------------


def test_bad_source_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x"}\nnot json\n', encoding="utf-8")
    res = CliRunner().invoke(main, ["export", str(bad), "-o", str(tmp_path / "o")])
    assert res.exit_code != 0 and f"{bad}:2" in res.output and "not a JSON line" in res.output
    bad.write_text('{"id": "a", "directives": [{"id": 1}]}\n', encoding="utf-8")
    res = CliRunner().invoke(main, ["export", str(bad), "-o", str(tmp_path / "o")])
    assert res.exit_code != 0 and f"{bad}:1" in res.output and "not an extract record" in res.output
    res = CliRunner().invoke(main, ["export", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "o")])
    assert res.exit_code != 0 and "no such file" in res.output


def test_sqlite_source_without_desk_module_is_a_clear_error(tmp_path):
    try:
        from directive_nlp.web import export_records  # noqa: F401
    except ImportError:
        res = CliRunner().invoke(main, ["export", "sqlite:///" + str(tmp_path / "desk.db"), "-o", str(tmp_path / "o")])
        assert res.exit_code != 0 and "editor desk" in res.output
    else:
        pytest.skip("the editor desk module is installed: its own tests cover sqlite sources")


def test_validation_catches_a_broken_foreign_key(extract_file, tmp_path):
    """The package validation is real: a dangling foreign key fails it."""
    from frictionless import validate

    _export(extract_file, tmp_path, "--format", "csv")
    path = tmp_path / "directive_documents.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows.append(["d-nonexistent", "999/XX-YY", SCHEMA_VERSION])
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    assert not validate(str(tmp_path / DESCRIPTOR)).valid


# -- document graph -------------------------------------------------------------------------------


def test_graph_chain_on_seed_003(tmp_path):
    seed = next(iter(sorted(SEEDS.glob("003_*.txt"))), None) if SEEDS.is_dir() else None
    if seed is None:
        pytest.skip(f"seed 003 not found in {SEEDS}")
    import networkx as nx

    from directive_nlp.export.graph import build_graph
    from directive_nlp.pipeline import Pipeline

    rec = Pipeline(extractors="rules").extract(seed.read_text(encoding="utf-8"), published="2022-11-30", article_id="003")
    tables = build_tables([rec.model_dump(mode="json")])
    g = build_graph(tables["documents"], tables["document_edges"])
    assert "implements" in g["306/KH-UBND"]["16-CTr/TU"] and "implements" in g["16-CTr/TU"]["15-NQ/TW"]
    assert nx.has_path(g, "306/KH-UBND", "15-NQ/TW") and not g.has_edge("306/KH-UBND", "15-NQ/TW")
    assert g.nodes["16-CTr/TU"]["issued_date"] == "2022-08-26" and g.nodes["15-NQ/TW"]["citing_articles"] == 1
    assert g.nodes["15-NQ/TW"]["first_seen"] == g.nodes["15-NQ/TW"]["last_seen"] == "2022-11-30"

    from directive_nlp.export.datapackage import write_export

    write_export(tables, tmp_path, "csv")
    back = nx.read_graphml(tmp_path / "document_graph.graphml", force_multigraph=True)
    assert back.edges["306/KH-UBND", "16-CTr/TU", "implements"]["relation"] == "implements"
    edges = list(csv.DictReader((tmp_path / "document_edges.csv").open(encoding="utf-8")))
    first = next(e for e in edges if e["source_document_id"] == "16-CTr/TU")
    assert {"target_document_id": "15-NQ/TW", "relation": "implements", "article_id": "003", "cue": "thực hiện"}.items() <= first.items()
    text = rec.text
    assert text[int(first["target_start"]) : int(first["target_end"])] == "15-NQ/TW"
    assert text[int(first["source_start"]) : int(first["source_end"])] == "16-CTr/TU"
    # 306 -> 16 is stated twice (the lead and "Kế hoạch nhằm … triển khai thực hiện Chương trình … 16-CTr/TU")
    e306 = next(e for e in edges if e["source_document_id"] == "306/KH-UBND")
    evidence = [e for e in read_table(tmp_path, "edge_evidence") if e["source_document_id"] == "306/KH-UBND"]
    assert int(e306["evidence_count"]) == len(evidence) >= 1
    graph = json.loads((tmp_path / "document_graph.json").read_text(encoding="utf-8"))
    j = next(e for e in graph["edges"] if e["source"] == "306/KH-UBND")
    assert j["relation"] == "implements" and len(j["evidence"]) == len(evidence)
    assert all(text[ev["target_start"] : ev["target_end"]] == "16-CTr/TU" for ev in j["evidence"])


def test_edges_merge_across_articles_keeping_evidence():
    from directive_nlp.pipeline import Pipeline

    p = Pipeline(extractors="rules")
    a = p.extract("Tỉnh ủy ban hành Chương trình số 12-CTr/TU thực hiện Nghị quyết số 18-NQ/TW.", lang="vi", article_id="a", published="2024-01-02")
    b = p.extract("Program 12-CTr/TU implements Resolution 18-NQ/TW of the Central Committee.", lang="en", article_id="b", published="2024-03-04")
    tables = build_tables([a.model_dump(mode="json"), b.model_dump(mode="json")])
    (edge,) = tables["document_edges"]
    assert (edge["source_document_id"], edge["relation"], edge["target_document_id"]) == ("12-CTr/TU", "implements", "18-NQ/TW")
    assert edge["evidence_count"] == 2 and edge["article_ids"] == "a; b" and edge["article_id"] == "a"
    assert sorted(e["article_id"] for e in tables["edge_evidence"]) == ["a", "b"]
    assert {e["cue"] for e in tables["edge_evidence"]} == {"thực hiện", "implements"}
    doc = next(d for d in tables["documents"] if d["document_id"] == "18-NQ/TW")
    assert (doc["first_seen"], doc["last_seen"], doc["citing_articles"]) == ("2024-01-02", "2024-03-04", 2)


def test_unnumbered_subject_is_a_document_row():
    from directive_nlp.pipeline import Pipeline

    rec = Pipeline(extractors="rules").extract(
        "The Hanoi People's Committee has just issued the Action Program to implement Plan No. 292-KH/TU.", lang="en",
        article_id="s", published="2025-01-20")
    tables = build_tables([rec.model_dump(mode="json")])
    doc = next(d for d in tables["documents"] if not d["numbered"])
    assert doc["document_id"] == rec.subject.id and doc["doc_type"] == "program" and doc["issued_date"] == "2025-01-20"
    assert "Action Program" in doc["label"] and doc["first_seen"] == "2025-01-20"
    assert [(e["source_document_id"], e["target_document_id"]) for e in tables["document_edges"]] == [(doc["document_id"], "292-KH/TU")]


def test_old_records_get_relations_from_their_text():
    """A record written before schema 1.1 (no relations field) still gives typed edges."""
    from directive_nlp.pipeline import Pipeline

    rec = Pipeline(extractors="rules").extract("Thông tư số 09/2024/TT-BYT thay thế Thông tư số 32/2019/TT-BYT.", lang="vi", article_id="o")
    old = rec.model_dump(mode="json")
    del old["relations"], old["subject"]
    (edge,) = build_tables([old])["document_edges"]
    assert (edge["source_document_id"], edge["relation"], edge["target_document_id"]) == ("09/2024/TT-BYT", "replaces", "32/2019/TT-BYT")


# -- published schema -----------------------------------------------------------------------------


def test_data_dictionary_is_up_to_date():
    doc = (ROOT / "docs" / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert doc == data_dictionary(), "regenerate: python -m directive_nlp.export.datapackage > docs/DATA_DICTIONARY.md"
    for spec in TABLE_SPECS.values():
        assert f"## `{spec.name}`" in doc
        for col in spec.names:
            assert f"| `{col}` |" in doc


def test_tables_are_derived_from_the_schema_models():
    """Every field of every mention model is a column of its table, described as in schema.py
    (and so in the published JSON Schema); the record's fields all reach flat (Parquet) output."""
    from directive_nlp.export.tables import MENTION_TABLES
    from directive_nlp.schema import MENTION_KINDS, ArticleRecord
    from directive_nlp.writers import NESTED_COLUMNS, SCALAR_COLUMNS

    published = json_schema()["$defs"]
    for kind, model in MENTION_KINDS.items():
        mt = MENTION_TABLES[kind]
        cols = {c.name: c for c in TABLE_SPECS[mt.table].columns}
        for name, f in model.model_fields.items():
            if name in mt.skip:  # held by another table (agencies.canonical)
                continue
            col = cols[mt.rename.get(name, name)]
            assert col.description == f.description == published[model.__name__]["properties"][name]["description"]
    assert set(SCALAR_COLUMNS) | set(NESTED_COLUMNS) == set(ArticleRecord.model_fields)
    assert {"subject", "relations"} <= set(NESTED_COLUMNS)


def test_changelog_lists_the_current_schema_version():
    log = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert SCHEMA_VERSION in log and "major" in log
