"""Extraction speed per language and stage, peak memory, and the anchors a user would reach for.

    python benchmarks/bench_extract.py --out benchmarks/RESULTS.md [--gold corpus/dev.jsonl] [--scale 5]

Measures, on the gold corpus (and a larger set made by repeating it ``--scale`` times):
articles/s and MB/s per language for the whole pipeline and per stage (segment, document refs,
dates, agencies, directives, targets), peak RSS; and, on the same texts, underthesea
``word_tokenize`` / ``ner`` and dateparser ``search_dates`` with their F1 beside ours where they
produce a comparable field (underthesea ORG entities as agencies, dateparser dates).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from directive_nlp import Pipeline  # noqa: E402
from directive_nlp.evaluate import Counts, names_match  # noqa: E402
from directive_nlp.extract.agencies import find_agencies, home_province  # noqa: E402
from directive_nlp.extract.dates import find_dates  # noqa: E402
from directive_nlp.extract.directives import classify  # noqa: E402
from directive_nlp.extract.docrefs import find_document_refs  # noqa: E402
from directive_nlp.extract.targets import find_targets  # noqa: E402
from directive_nlp.segment import segment  # noqa: E402


def load(path: Path) -> list[dict]:
    return [json.loads(l) for l in path.open(encoding="utf-8") if l.strip()]


def timed(fn, *a):
    t = time.perf_counter()
    out = fn(*a)
    return out, time.perf_counter() - t


def stage_times(rows: list[dict]) -> dict[str, float]:
    t = {k: 0.0 for k in ("segment", "document_refs", "dates", "agencies", "directives", "targets")}
    for r in rows:
        text, lang, pub = r["text"], r["lang"], r.get("published")
        segs, dt = timed(segment, text, lang)
        t["segment"] += dt
        content = [(s.start, s.end) for s in segs if s.is_content]
        refs, dt = timed(find_document_refs, text, content, lang)
        t["document_refs"] += dt
        dates, dt = timed(find_dates, text, content, lang, pub, [(x.start, x.end) for x in refs])
        t["dates"] += dt
        ags, dt = timed(find_agencies, text, content, lang, home_province(text, lang))
        t["agencies"] += dt
        t0 = time.perf_counter()
        hits = [classify(text, s.start, s.end, lang, ags) for s in segs if s.is_content]
        t["directives"] += time.perf_counter() - t0
        _, dt = timed(find_targets, text, content, lang, dates, {(h.start, h.end) for h in hits if h})
        t["targets"] += dt
    return t


def anchor_underthesea(rows: list[dict]) -> dict:
    from underthesea import ner, word_tokenize

    vi = [r for r in rows if r["lang"] == "vi"]
    t0 = time.perf_counter()
    for r in vi:
        word_tokenize(r["text"])
    t_tok = time.perf_counter() - t0
    c = Counts()
    t0 = time.perf_counter()
    for r in vi:
        orgs = []
        for line in r["text"].split("\n"):
            if not line.strip():
                continue
            cur = []
            for tok in ner(line):
                tag = tok[-1]
                if tag.endswith("ORG") and (tag.startswith("B") or not cur):
                    if cur:
                        orgs.append(" ".join(cur))
                    cur = [tok[0]]
                elif tag.endswith("ORG"):
                    cur.append(tok[0])
                elif cur:
                    orgs.append(" ".join(cur))
                    cur = []
            if cur:
                orgs.append(" ".join(cur))
        c.add(_agency_counts(r["gold"]["agencies"], orgs))
    t_ner = time.perf_counter() - t0
    return {"word_tokenize_s": t_tok, "ner_s": t_ner, "ner_org_f1": c.f1, "articles": len(vi)}


def _agency_counts(gold: list[dict], names: list[str]) -> Counts:
    c, used = Counts(), set()
    for n in dict.fromkeys(names):
        hit = next((i for i, g in enumerate(gold) if names_match(n, None, g)), None)
        if hit is None:
            c.fp += 1
        elif hit not in used:
            used.add(hit)
            c.tp += 0 if gold[hit].get("nested_only") else 1
    c.fn = sum(1 for i, g in enumerate(gold) if i not in used and not g.get("nested_only"))
    return c


def anchor_dateparser(rows: list[dict]) -> dict:
    from dateparser.search import search_dates

    c = Counts()
    t0 = time.perf_counter()
    for r in rows:
        found = search_dates(r["text"], languages=[r["lang"]], settings={"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first"}) or []
        vals = {d.date().isoformat() for _, d in found}
        gold = {g for g in r["gold"]["dates"] if len(g) == 10}
        c.add(Counts(len(vals & gold), len(vals - gold), len(gold - vals)))
    return {"search_dates_s": time.perf_counter() - t0, "full_date_f1": c.f1}


def ours_full_dates(rows: list[dict], recs: dict) -> float:
    c = Counts()
    for r in rows:
        vals = {d.value for d in recs[r["id"]].dates if d.value and len(d.value) == 10}
        gold = {g for g in r["gold"]["dates"] if len(g) == 10}
        c.add(Counts(len(vals & gold), len(vals - gold), len(gold - vals)))
    return c.f1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(ROOT / "corpus" / "dev.jsonl"))
    ap.add_argument("--scale", type=int, default=5, help="repeat the corpus this many times for the throughput run")
    ap.add_argument("--out", default=None, help="markdown file to write the results to")
    args = ap.parse_args()
    rows = load(Path(args.gold))
    pipe = Pipeline(extractors="rules")
    pipe.extract("Khởi động.", lang="vi")
    pipe.extract("Warm up.", lang="en")
    lines = [f"# Extraction benchmarks ({date.today().isoformat()})", "",
             f"Machine: {platform.processor() or platform.machine()}, {subprocess.getoutput('nproc')} cores, Python {platform.python_version()}; command: `python benchmarks/bench_extract.py --gold {args.gold} --scale {args.scale}`", ""]
    lines += ["## Whole pipeline (rules), one process", "", "| lang | articles | MB | seconds | articles/s | MB/s |", "|---|---|---|---|---|---|"]
    recs = {}
    for lang in ("vi", "en"):
        sub = [r for r in rows if r["lang"] == lang] * args.scale
        mb = sum(len(r["text"].encode()) for r in sub) / 1e6
        t0 = time.perf_counter()
        for r in sub:
            recs[r["id"]] = pipe.extract(r["text"], published=r.get("published"), lang=lang, article_id=r["id"])
        dt = time.perf_counter() - t0
        lines.append(f"| {lang} | {len(sub)} | {mb:.2f} | {dt:.2f} | {len(sub) / dt:.1f} | {mb / dt:.3f} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines += ["", f"Peak RSS of the benchmark process: {peak:.0f} MB.", "", "## Per stage (seconds over the corpus once)", ""]
    st = stage_times(rows)
    total = sum(st.values())
    lines += ["| stage | seconds | share |", "|---|---|---|"] + [f"| {k} | {v:.3f} | {v / total:.0%} |" for k, v in st.items()]
    ut = anchor_underthesea(rows)
    dp = anchor_dateparser(rows)
    vi_rows = [r for r in rows if r["lang"] == "vi"]
    t0 = time.perf_counter()
    our_ag = Counts()
    for r in vi_rows:
        rec = pipe.extract(r["text"], published=r.get("published"), lang="vi", article_id=r["id"])
        our_ag.add(_agency_counts(r["gold"]["agencies"], [a.name for a in rec.agencies]))
    t_ours_vi = time.perf_counter() - t0
    t0 = time.perf_counter()
    for r in rows:
        pipe.extract(r["text"], published=r.get("published"), lang=r["lang"], article_id=r["id"])
    t_ours_all = time.perf_counter() - t0
    lines += [
        "", "## Against the anchors (same texts)", "",
        "| anchor | their time (s) | our time (s) | ours / theirs | their F1 | our F1 | field |", "|---|---|---|---|---|---|---|",
        f"| underthesea word_tokenize (vi, {ut['articles']} articles) | {ut['word_tokenize_s']:.2f} | {t_ours_vi:.2f} | {t_ours_vi / ut['word_tokenize_s']:.2f} | – | – | (our whole pipeline vs their tokenizer) |",
        f"| underthesea ner, ORG as agencies (vi) | {ut['ner_s']:.2f} | {t_ours_vi:.2f} | {t_ours_vi / ut['ner_s']:.2f} | {ut['ner_org_f1']:.3f} | {our_ag.f1:.3f} | agencies |",
        f"| dateparser search_dates (vi+en, full dates) | {dp['search_dates_s']:.2f} | {t_ours_all:.2f} | {t_ours_all / dp['search_dates_s']:.2f} | {dp['full_date_f1']:.3f} | {ours_full_dates(rows, recs):.3f} | dates (day precision) |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        write_section(Path(args.out), text, None)


MODELS_MARK = "<!-- written by benchmarks/bench_models.py -->"


def write_section(path: Path, text: str, models_text: "str | None") -> None:
    """Write RESULTS.md: this script's part, then the trained models' part (kept when not given)."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    head, _, tail = old.partition(MODELS_MARK)
    if models_text is None:
        models_text = tail
        head = text
    path.write_text(head.rstrip("\n") + "\n\n" + MODELS_MARK + models_text.rstrip("\n") + "\n" if models_text.strip() else head, encoding="utf-8")


if __name__ == "__main__":
    main()
