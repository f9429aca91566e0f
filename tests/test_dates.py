"""Dates: every row of the table in spec section 2, and the exclusions."""

import pytest

from directive_nlp.extract.dates import find_dates


def values(text, lang, published="2024-11-27", masked=()):
    return [d.value for d in find_dates(text, [(0, len(text))], lang, published, list(masked)) if d.kind == "absolute"]


@pytest.mark.parametrize(
    "text,lang,expected",
    [
        ("dated May 5, 2022", "en", ["2022-05-05"]),
        ("ngày 5/5/2022", "vi", ["2022-05-05"]),
        ("ngày 05-5-2022", "vi", ["2022-05-05"]),
        ("On November 27, the city", "en", ["2024-11-27"]),
        ("Ngày 30/11, UBND TP ban hành", "vi", ["2024-11-30"]),
        ("in January 2025", "en", ["2025-01"]),
        ("tháng 1/2025 và tháng 1 năm 2025", "vi", ["2025-01", "2025-01"]),
        ("by 2025, in 2024, vision to 2045", "en", ["2025", "2024", "2045"]),
        ("đến năm 2030, tầm nhìn đến năm 2045", "vi", ["2030", "2045"]),
        ("the 2021-2030 period and term 2020-2025", "en", ["2021/2030", "2020/2025"]),
        ("giai đoạn 2026-2030, nhiệm kỳ 2020 - 2025", "vi", ["2026/2030", "2020/2025"]),
        ("From 2021 to September 2024, investment", "en", ["2021/2024-09"]),
        ("11/6/1948 - 11/6/2023", "vi", ["1948-06-11/2023-06-11"]),
        ("the first quarter of 2020", "en", ["2020-Q1"]),
        ("quý I/2025", "vi", ["2025-Q1"]),
        ("Ngày đăng 27/02/2023 | 6:37 AM", "vi", ["2023-02-27"]),
        ("Dec 14, 2017 / 20:28", "en", ["2017-12-14"]),
        ("05/08/2025", "en", ["2025-08-05"]),
        ("trước ngày 31/12", "vi", ["2024-12-31"]),
    ],
)
def test_date_values(text, lang, expected):
    assert values(text, lang) == expected


@pytest.mark.parametrize(
    "text,lang",
    [
        ("the 70th anniversary of the Liberation", "en"),
        ("20/24 targets were completed", "en"),
        ("43/43 cụm công nghiệp", "vi"),
        ("lúc 6:37 sáng", "vi"),
        ("2,000 specialty products", "en"),
        ("2030 ha rừng", "vi"),
        ("it may be 5 days", "en"),
    ],
)
def test_not_dates(text, lang):
    assert values(text, lang) == []


def test_year_inside_document_id_is_masked():
    text = "Nghị định 30/2020/NĐ-CP"
    assert values(text, "vi", masked=[(10, len(text))]) == []


def test_no_publication_year_gives_relative():
    ds = find_dates("ngày 30/11", [(0, 10)], "vi", None)
    assert [d.kind for d in ds] == ["relative"]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_only_spelled_patterns_match_sentences_without_digits(lang):
    # find_dates skips the figure patterns on a sentence without a digit: none of them may match one
    import json
    import re
    from pathlib import Path

    from directive_nlp.extract import dates

    figures = [p for k, p in dates._patterns(lang) if (k, p) not in dates._wordy_patterns(lang)]
    assert figures and len(figures) < len(dates._patterns(lang))
    rows = [json.loads(line) for line in (Path(__file__).resolve().parents[1] / "corpus" / "train.jsonl").open(encoding="utf-8")]
    lines = [ln for r in rows if r["lang"] == lang for ln in re.split(r"[\n.]", r["text"]) if not re.search(r"\d", ln)]
    lines += ["ngày tháng năm", "May the first quarter of the year", "quý I năm nay", "quarter II", "Q IV", "tháng Mười"]
    assert not [(p.pattern, ln) for p in figures for ln in lines if p.search(ln)]
    assert dates.find_dates("Growth in the first quarter rose.", [(0, 33)], "en")[0].text == "the first quarter"
