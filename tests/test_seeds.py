"""End to end over the user's five seed articles (../shared/seeds): key records and per-field F1."""


from directive_nlp.evaluate import evaluate


def by_id(seeds, prefix):
    return next(s for s in seeds if s["id"].startswith(prefix))


def run(rules, row):
    return rules.extract(row["text"], published=row["published"], lang=row["lang"], article_id=row["id"])


def test_seed_003_chain_and_lead(seeds, rules):
    rec = run(rules, by_id(seeds, "003"))
    issued = {}
    for r in rec.document_refs:
        if r.id:
            issued.setdefault(r.id, set()).add(r.issued_date)
    assert {"306/KH-UBND", "16-CTr/TU", "15-NQ/TW"} <= set(issued)
    assert "2022-08-26" in issued["16-CTr/TU"]
    assert "2022-05-05" in issued["15-NQ/TW"]
    leads = {a.canonical for a in rec.agencies if a.role == "lead"}
    assert "Department of Planning and Investment" in leads
    assert any(d.verb == "chủ trì" and any(a.name == "Sở KH&ĐT" and a.role == "lead" for a in d.agencies) for d in rec.directives)


def test_seed_000_distributed_numbers(seeds, rules):
    rec = run(rules, by_id(seeds, "001"))
    ids = [r.id for r in rec.document_refs]
    assert "18-NQ/TW" in ids and "19-NQ/TW" in ids


def test_seed_teasers_yield_nothing(seeds, rules):
    row = by_id(seeds, "003")
    rec = run(rules, row)
    cut = row["text"].index("Tin đọc nhiều")
    assert all(m.start < cut for _, m in rec.mentions())


def test_offsets_index_the_text(seeds, rules):
    for row in seeds:
        rec = run(rules, row)
        for _, m in rec.mentions():
            assert rec.text[m.start : m.end] == m.text
        for d in rec.directives:
            assert rec.text[d.start : d.end] == d.text


# floors on the seeds: accuracy can only go up
SEED_FLOORS = {"document_refs": 0.95, "dates": 0.9, "agencies": 0.85, "targets": 0.8, "directives": 0.8}


def test_seed_scores(seeds, rules):
    preds = {r["id"]: run(rules, r).model_dump(mode="json") for r in seeds}
    _, agg = evaluate(seeds, preds)
    low = {f: round(agg["all"][f].f1, 3) for f, floor in SEED_FLOORS.items() if agg["all"][f].f1 < floor}
    assert not low, f"fields below their floor on the seeds: {low}"
