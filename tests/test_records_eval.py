"""Whole-record scoring (spec, "Scoring"): records P/R/F1, the sub-fields inside matched
directives, several gold files, saved predictions and gains and losses (--compare)."""

import json

import pytest
from click.testing import CliRunner

from directive_nlp.cli import main
from directive_nlp.evaluate import compare, compare_summary, evaluate, record_checks

TEXT = "UBND tỉnh giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ rà soát trước ngày 31/12/2025. Tập trung cải cách hành chính."
D1 = TEXT.index("UBND"), TEXT.index(" Tập")
D2 = TEXT.index("Tập"), len(TEXT)
GOLD_D1 = {"text": TEXT[D1[0]:D1[1]], "start": D1[0], "end": D1[1], "verb": "chủ trì", "deadline": "2025-12-31",
           "agencies": [{"name": "UBND tỉnh", "role": "issuer"}, {"name": "Sở Tài chính", "role": "lead"}, {"name": "Sở Nội vụ", "role": "coordinate"}]}
GOLD_D2 = {"text": TEXT[D2[0]:D2[1]], "start": D2[0], "end": D2[1], "verb": "tập trung", "deadline": None, "agencies": []}
ROW = {"id": "vi-x", "lang": "vi", "text": TEXT, "gold": {"directives": [GOLD_D1, GOLD_D2]}}


def pred(d, **over):
    p = {k: d[k] for k in ("text", "start", "end", "verb", "deadline")}
    p["agencies"] = [dict(a) for a in d["agencies"]]
    p.update(over)
    return p


def f(agg, field, lang="vi"):
    return agg[lang][field]


@pytest.mark.parametrize(
    "change,right",
    [
        ({}, True),
        ({"verb": "chủ"}, True),  # either contains the other
        ({"verb": "rà soát"}, False),
        ({"deadline": "2025"}, False),
        ({"deadline": None}, False),
        ({"agencies": [{"name": "Sở Tài chính", "role": "lead"}]}, False),  # the coordinating body is missing
        ({"agencies": [{"name": "Sở Tài chính", "role": "lead"}, {"name": "Sở Nội vụ", "role": "lead"}]}, False),  # wrong role
        ({"agencies": [{"name": "Sở Tài chính", "role": "lead"}, {"name": "Sở Nội vụ", "role": "coordinate"}, {"name": "Sở Y tế", "role": "coordinate"}]}, False),
        # the issuer and mentioned bodies do not decide a record
        ({"agencies": [{"name": "Sở Tài chính", "role": "lead"}, {"name": "Sở Nội vụ", "role": "coordinate"}, {"name": "Bộ Tài chính", "role": "mentioned"}]}, True),
        # agency names match the way the agencies field matches them (through canonical)
        ({"agencies": [{"name": "STC", "canonical": "Department of Finance", "role": "lead"}, {"name": "Sở Nội vụ", "role": "coordinate"}]}, False),
    ],
)
def test_record_checks(change, right):
    assert all(record_checks(pred(GOLD_D1, **change), GOLD_D1).values()) is right


def test_canonical_name_matches_inside_a_record():
    gold = dict(GOLD_D1, agencies=[{"name": "Sở Tài chính", "canonical": "Department of Finance", "role": "lead"}, {"name": "Sở Nội vụ", "role": "coordinate"}])
    p = pred(gold, agencies=[{"name": "STC", "canonical": "Department of Finance", "role": "lead"}, {"name": "Sở Nội vụ", "role": "coordinate"}])
    assert record_checks(p, gold)["actors"]


def test_records_counts_against_every_predicted_and_gold_directive():
    spurious = {"text": "rà soát", "start": 0, "end": 9, "verb": "rà soát", "agencies": []}
    preds = {"vi-x": {"directives": [pred(GOLD_D1), pred(GOLD_D2, verb="cải cách"), spurious]}}
    scores, agg = evaluate([ROW], preds)
    r = f(agg, "records")
    assert (r.tp, r.fp, r.fn) == (1, 2, 1)
    assert f(agg, "directives").tp == 2 and f(agg, "directive_verbs").tp == 1
    assert scores[0].records == ["ok", "wrong verb"]


def test_both_deadlines_empty_is_the_same():
    assert record_checks(pred(GOLD_D2), GOLD_D2)["deadline"]


def test_role_accuracy_counts_only_bodies_found_by_name():
    p = pred(GOLD_D1, agencies=[{"name": "Sở Tài chính", "role": "lead"}, {"name": "Sở Nội vụ", "role": "lead"}, {"name": "Sở Y tế", "role": "lead"}])
    _, agg = evaluate([ROW], {"vi-x": {"directives": [p]}})
    acc = f(agg, "directive_role_accuracy")
    assert (acc.tp, acc.fp) == (1, 1)  # Sở Tài chính right, Sở Nội vụ wrong, Sở Y tế not a gold body


def test_compare_lists_gains_and_losses():
    before = {"vi-x": {"directives": [pred(GOLD_D1, verb="giao"), pred(GOLD_D2)]}}
    after = {"vi-x": {"directives": [pred(GOLD_D1)]}}
    cmp = compare([ROW], before, after)
    assert [r["before"] + ">" + r["after"] for r in cmp["records"]["gained"]] == ["wrong verb>ok"]
    assert [r["before"] + ">" + r["after"] for r in cmp["records"]["lost"]] == ["ok>missed"]
    assert cmp["articles"][0]["fewer_errors"]["directive_verbs"] == 1
    assert cmp["articles"][0]["fewer_errors"]["directives"] == -1
    summary = "\n".join(compare_summary(cmp))
    assert "records: 1 gained, 1 lost" in summary and "vi   records" in summary


def write_rows(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_cli_several_files_save_and_compare(tmp_path):
    g1 = write_rows(tmp_path / "a.jsonl", [ROW])
    row2 = dict(ROW, id="en-y", lang="en", text="Focus on administrative reform.",
                gold={"directives": [{"text": "Focus on administrative reform.", "verb": "focus", "agencies": [], "deadline": None}]})
    g2 = write_rows(tmp_path / "b.jsonl", [row2])
    before = write_rows(tmp_path / "before.jsonl", [{"id": "vi-x", "directives": []}, {"id": "en-y", "directives": []}])
    saved = tmp_path / "saved.jsonl"
    res = CliRunner().invoke(main, ["evaluate", g1, g2, "--extractors", "rules", "--json", "--save-predictions", str(saved), "--compare", before])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert [p["gold"] for p in out["files"]] == [g1, g2]
    en = {r["field"]: r for r in out["files"][1]["scores"] if r["lang"] == "en"}
    assert en["records"]["tp"] == 1 and en["directives"]["f1"] == 1.0
    assert out["files"][1]["compare"]["records"]["gained"][0]["article"] == "en-y"
    ids = [json.loads(line)["id"] for line in saved.read_text(encoding="utf-8").splitlines()]
    assert ids == ["vi-x", "en-y"]
    # the saved predictions score the same when read back
    res2 = CliRunner().invoke(main, ["evaluate", g2, "--pred", str(saved), "--compare", before])
    assert res2.exit_code == 0 and "records: 1 gained, 0 lost" in res2.output


def test_cli_bad_prediction_file_is_named(tmp_path):
    g = write_rows(tmp_path / "a.jsonl", [ROW])
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["evaluate", g, "--compare", str(bad)])
    assert res.exit_code != 0 and "bad.jsonl" in res.output and "Traceback" not in res.output


# -- directive-nlp show: records shown whole ------------------------------------------------------


def test_show_piped_is_plain_and_prints_records(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text(
        "Quảng Ninh đẩy mạnh cải cách hành chính\n"
        "UBND tỉnh giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp rà soát thủ tục hành chính, hoàn thành trước ngày 30/6/2025.\n",
        encoding="utf-8",
    )
    res = CliRunner().invoke(main, ["show", str(art), "--extractors", "rules"])
    assert res.exit_code == 0, res.output
    out = res.output
    assert "\x1b[" not in out and "legend" not in out  # no colours, no legend when piped
    assert "verb       chủ trì" in out and "deadline   2025-06-30" in out
    assert "lead" in out and "coordinate" in out and "issuer" in out


@pytest.mark.parametrize(
    "text,limit,expected",
    [
        ("Sở Tài chính chủ trì rà soát", 100, "Sở Tài chính chủ trì rà soát"),
        ("Sở Tài chính chủ trì rà soát", 16, "Sở Tài chính…"),
        ("The Department of Finance presides over", 20, "The Department of…"),
    ],
)
def test_clip_never_cuts_a_word_without_an_ellipsis(text, limit, expected):
    from directive_nlp.annotate import clip

    assert clip(text, limit) == expected
