"""Corpus tools: validate gold files against the spec, count them, pre-annotate drafts.

    directive-nlp corpus validate            # the whole corpus/ folder
    directive-nlp corpus stats
    directive-nlp corpus preannotate articles.jsonl -o drafts.jsonl
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator, Optional

from .errors import DirectiveNLPError
from .extract.docrefs import normalize_id

ROLES = {"lead", "coordinate", "issuer", "mentioned"}
COMPARATORS = {"=", ">=", "<=", "range"}
_D = r"\d{4}(?:-(?:Q[1-4]|\d{2}(?:-\d{2})?))?"
DATE_VALUE = re.compile(rf"^{_D}(?:/{_D})?$")
#: the gold files of a corpus folder: the fixed split and the split nobody tunes on
SPLITS = ("train", "dev", "test", "unseen")
DEFAULT_DIR = Path("corpus")


class CorpusError(DirectiveNLPError):
    """Gold files that cannot be found or read: the message says what to do."""

    code = "corpus"


def gold_files(path: Optional[str]) -> list[Path]:
    """The gold files at ``path`` (a file, or a folder's split files), default ``corpus/``;
    a ``CorpusError`` saying what to do when there are none."""
    p = Path(path) if path else DEFAULT_DIR
    if p.is_dir():
        files = sorted(f for f in p.glob("*.jsonl") if f.stem in SPLITS or f.stem.startswith("extra"))
        if not files:
            raise CorpusError(f"{p}: no gold files (train.jsonl, dev.jsonl, test.jsonl, unseen.jsonl, extra*.jsonl) in this folder")
        return files
    if p.is_file():
        return [p]
    if path:
        raise CorpusError(f"{path}: no such file or folder")
    raise CorpusError(
        f"no {DEFAULT_DIR}/ folder in {Path.cwd()}: run this in the directive-nlp checkout, "
        "or name the gold file or folder (directive-nlp corpus validate PATH)"
    )


def _check_span(text: str, item: dict, what: str) -> Iterator[str]:
    t = item.get("text")
    if not isinstance(t, str) or not t:
        yield f"{what}: no text"
        return
    s, e = item.get("start"), item.get("end")
    if isinstance(s, int) and isinstance(e, int):
        if text[s:e] != t:
            yield f"{what}: offsets {s}-{e} give {text[s:e][:40]!r}, not {t[:40]!r}"
    elif t not in text:
        yield f"{what}: text not found in the article: {t[:60]!r}"


def _check_date(v, what: str) -> Iterator[str]:
    if v is not None and not (isinstance(v, str) and DATE_VALUE.match(v)):
        yield f"{what}: date value {v!r} is not normalized (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, A/B)"


def validate_row(row: dict) -> list[str]:
    """Every problem of one gold article, as readable strings."""
    errs: list[str] = []
    for k in ("id", "lang", "text", "gold"):
        if k not in row:
            errs.append(f"missing field {k!r}")
    if not errs and not isinstance(row["text"], str):
        errs.append(f"text must be a string, not {type(row['text']).__name__}")
    if not errs and not isinstance(row["gold"], dict):
        errs.append(f"gold must be an object, not {type(row['gold']).__name__}")
    if errs:
        return errs
    text = row["text"]
    if row["lang"] not in ("vi", "en"):
        errs.append(f"lang {row['lang']!r} is not vi or en")
    if unicodedata.normalize("NFC", text) != text:
        errs.append("text is not NFC-normalized")
    if row.get("published") is not None and not DATE_VALUE.match(str(row["published"])):
        errs.append(f"published {row['published']!r} is not an ISO date")
    g = row["gold"]
    for k in ("document_refs", "dates", "agencies", "targets", "directives"):
        if not isinstance(g.get(k), list):
            errs.append(f"gold.{k} missing or not a list")
    if errs:
        return errs
    for r in g["document_refs"]:
        if normalize_id(r) != r:
            errs.append(f"document ref {r!r} is not canonical (normalizes to {normalize_id(r)!r})")
    if len(set(g["document_refs"])) != len(g["document_refs"]):
        errs.append("document_refs repeat an id")
    for d in g["dates"]:
        errs.extend(_check_date(d, "dates"))
    names = set()
    low = text.casefold()
    for a in g["agencies"]:
        if a.get("role") not in ROLES:
            errs.append(f"agency {a.get('name')!r}: role {a.get('role')!r} not in {sorted(ROLES)}")
        spellings = [a.get("name", "")] + list(a.get("aliases") or [])
        if not any(s and s.casefold() in low for s in spellings):
            errs.append(f"agency {a.get('name')!r}: neither the name nor an alias occurs in the text")
        names.update(s.casefold() for s in spellings if s)
        if a.get("canonical"):
            names.add(a["canonical"].casefold())
    for i, t in enumerate(g["targets"]):
        errs.extend(_check_span(text, t, f"target {i}"))
        v = t.get("value")
        if not (isinstance(v, (int, float)) or (isinstance(v, list) and len(v) == 2 and all(isinstance(x, (int, float)) for x in v))):
            errs.append(f"target {i}: value {v!r} is not a number or [low, high]")
        if t.get("comparator") not in COMPARATORS:
            errs.append(f"target {i}: comparator {t.get('comparator')!r} not in {sorted(COMPARATORS)}")
        if isinstance(v, list) and t.get("comparator") != "range":
            errs.append(f"target {i}: a [low, high] value needs comparator 'range'")
        errs.extend(_check_date(t.get("deadline"), f"target {i}"))
    for i, f in enumerate(g.get("figures") or []):
        errs.extend(_check_span(text, f, f"figure {i}"))
        if f.get("status") not in (None, "actual", "estimate"):
            errs.append(f"figure {i}: status {f.get('status')!r}")
    for i, d in enumerate(g["directives"]):
        errs.extend(_check_span(text, d, f"directive {i}"))
        for a in d.get("agencies") or []:
            if a.get("role") not in ROLES:
                errs.append(f"directive {i}: agency {a.get('name')!r} role {a.get('role')!r}")
            if a.get("name", "").casefold() not in names and (a.get("canonical") or "").casefold() not in names:
                errs.append(f"directive {i}: agency {a.get('name')!r} is not in the article's agency list")
        for r in d.get("document_refs") or []:
            if normalize_id(r) != r:
                errs.append(f"directive {i}: document ref {r!r} is not canonical")
        errs.extend(_check_date(d.get("deadline"), f"directive {i}"))
    return errs


def validate_files(files: Iterable[Path]) -> tuple[int, list[str]]:
    """(articles read, problems) over gold files; ids must be unique across all of them."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    n = 0
    for f, i, row in _gold_rows(files, problems):
        where = f"{f}:{i}"
        n += 1
        rid = row.get("id")
        key = rid if isinstance(rid, str) else repr(rid)
        if key in seen:
            problems.append(f"{where}: id {rid!r} already used at {seen[key]}")
        seen[key] = where
        problems.extend(f"{where} [{rid}]: {e}" for e in validate_row(row))
    return n, problems


def _gold_rows(files: Iterable[Path], problems: list[str]) -> Iterator[tuple[Path, int, dict]]:
    """(file, line, row) of every readable gold row; what cannot be read goes to ``problems``."""
    for f in files:
        try:
            fh = open(f, "rb")
        except OSError as exc:
            problems.append(f"{f}: cannot read: {exc.strerror or exc}")
            continue
        with fh:
            for i, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                try:
                    row = json.loads(raw.decode("utf-8"))
                except UnicodeDecodeError as exc:
                    problems.append(f"{f}:{i}: not valid UTF-8 (byte {exc.start + 1})")
                    continue
                except (json.JSONDecodeError, RecursionError) as exc:
                    problems.append(f"{f}:{i}: malformed JSON: {getattr(exc, 'msg', 'nested too deeply')}")
                    continue
                if not isinstance(row, dict):
                    problems.append(f"{f}:{i}: a gold line must be an object")
                    continue
                yield f, i, row


def stats(files: Iterable[Path]) -> dict:
    out: dict = {"files": {}, "by_lang": {}}
    problems: list[str] = []
    by_file: dict[Path, list[dict]] = {}
    for f, _, row in _gold_rows(files, problems):
        by_file.setdefault(f, []).append(row)
    if problems:
        raise CorpusError(f"{problems[0]} (run 'directive-nlp corpus validate' to see every problem)")
    for f, rows in by_file.items():
        out["files"][f.name] = len(rows)
        for r in rows:
            c = out["by_lang"].setdefault(r["lang"], Counter())
            c["articles"] += 1
            c["characters"] += len(r["text"])
            for k in ("document_refs", "dates", "agencies", "targets", "directives"):
                c[k] += len(r["gold"].get(k, []))
            c["figures"] += len(r["gold"].get("figures") or [])
            c["nested_only"] += sum(1 for a in r["gold"]["agencies"] if a.get("nested_only"))
    out["by_lang"] = {k: dict(v) for k, v in out["by_lang"].items()}
    return out


def preannotate_row(rec) -> dict:
    """A gold-format draft from an extract record: review it instead of typing it."""
    agencies = {}
    for a in rec.article_agencies():
        agencies[a.canonical or a.name] = {"name": a.name, "canonical": a.canonical, "role": a.role, "aliases": [], "nested_only": a.nested}
    for a in rec.agencies:
        e = agencies.get(a.canonical or a.name)
        if e and a.name != e["name"] and a.name not in e["aliases"]:
            e["aliases"].append(a.name)
    return {
        "id": rec.id, "lang": rec.lang, "published": rec.published, "source": rec.url, "text": rec.text,
        "gold": {
            "document_refs": list(dict.fromkeys(r.id for r in rec.document_refs if r.id)),
            "dates": list(dict.fromkeys(d.value for d in rec.dates if d.value and d.kind == "absolute")),
            "agencies": list(agencies.values()),
            "targets": [t.model_dump(include={"text", "start", "end", "value", "unit", "comparator", "metric", "deadline", "of"}, exclude_none=True) for t in rec.targets],
            "figures": [f.model_dump(include={"text", "start", "end", "value", "unit", "metric", "status"}, exclude_none=True) for f in rec.figures],
            "directives": [
                {"text": d.text, "start": d.start, "end": d.end, "verb": d.verb,
                 "agencies": [{"name": a.name, "canonical": a.canonical, "role": a.role} for a in d.agencies],
                 "document_refs": d.document_refs, "deadline": d.deadline}
                for d in rec.directives
            ],
        },
    }


def preannotate(paths: Iterable[str], out, on_skip=None) -> int:
    """Run the rules over ``paths`` and write one gold-format draft line per article to ``out``;
    an input that cannot be extracted is passed to ``on_skip`` (its error record) and skipped.
    Returns the number of drafts written."""
    from .batch import records
    from .pipeline import Pipeline

    n = 0
    for rec in records(paths, Pipeline(extractors="rules")):
        if rec.status == "error":
            if on_skip:
                on_skip(rec)
            continue
        out.write(json.dumps(preannotate_row(rec), ensure_ascii=False) + "\n")
        n += 1
    return n
