"""Agencies with roles (spec section 3) and targets vs figures (spec section 4)."""

import pytest

from directive_nlp.extract.agencies import find_agencies, home_province
from directive_nlp.extract.dates import find_dates
from directive_nlp.extract.targets import find_targets, parse_number


def agencies(text, lang, home=None):
    return [(a.text, a.canonical, a.role) for a in find_agencies(text, [(0, len(text))], lang, home)]


@pytest.mark.parametrize(
    "text,lang,expected",
    [
        ("Sở KH&ĐT chủ trì, phối hợp với Sở Tài chính theo dõi.", "vi",
         [("Sở KH&ĐT", "Department of Planning and Investment", "lead"), ("Sở Tài chính", "Department of Finance", "coordinate")]),
        ("TP giao Sở VHTT, Sở GD&ĐT, Sở Y tế chủ trì thực hiện.", "vi",
         [("Sở VHTT", "Department of Culture and Sports", "lead"), ("Sở GD&ĐT", "Department of Education and Training", "lead"), ("Sở Y tế", "Department of Health", "lead")]),
        ("Ngày 30/11, UBND TP ban hành Kế hoạch số 306/KH-UBND", "vi", [("UBND TP", "Hanoi People's Committee", "issuer")]),
        ("thực hiện Nghị quyết 15-NQ/TW ngày 5/5/2022 của Bộ Chính trị", "vi", [("Bộ Chính trị", "Politburo", "issuer")]),
        ("The Department of Planning and Investment presides over and coordinates with the Hanoi Statistics Office.", "en",
         [("Department of Planning and Investment", "Department of Planning and Investment", "lead"), ("Hanoi Statistics Office", "Hanoi Statistics Office", "coordinate")]),
        ("Plan No. 292-KH/TU dated January 20, 2025 of the City Party Committee", "en", [("City Party Committee", "Hanoi Party Committee", "issuer")]),
        ("departments, branches, People's Committees of districts, towns and cities identify tasks", "en",
         [("People's Committees of districts, towns and cities", "district-level People's Committees", "lead")]),
        ("báo cáo UBND tỉnh Nghệ An định kỳ", "vi", [("UBND tỉnh Nghệ An", "Nghe An People's Committee", "mentioned")]),
        ("The Da Nang Management Board of Hi-Tech Park will review the plan.", "en", [("Da Nang Management Board of Hi-Tech Park", "Da Nang Management Board of Hi-Tech Park", "lead")]),
    ],
)
def test_agencies_and_roles(text, lang, expected):
    assert agencies(text, lang, home="Hanoi") == expected


@pytest.mark.parametrize("text", ["các sở, ngành, địa phương triển khai", "departments, branches and localities must act", "General Secretary To Lam said"])
def test_collectives_and_persons_are_not_agencies(text):
    lang = "vi" if "sở" in text else "en"
    assert agencies(text, lang) == []


def test_nested_in_title():
    ms = find_agencies("Secretary of the Hanoi Party Committee Bui Thi Minh Hoai spoke.", [(0, 63)], "en", "Hanoi")
    assert ms[0].nested is True


def test_home_province():
    assert home_province("Hà Nội: cụ thể hóa\nUBND TP Hà Nội ban hành", "vi") == "Hanoi"


def tf(text, lang, directive=True):
    ds = find_dates(text, [(0, len(text))], lang, "2024-06-01")
    return find_targets(text, [(0, len(text))], lang, ds, {(0, len(text))} if directive else set())


@pytest.mark.parametrize(
    "text,lang,value,unit,comparator,deadline",
    [
        ("Strive to achieve growth of 8% or more by 2025.", "en", 8, "%", ">=", "2025"),
        ("in which the growth target reaches double digits in 2026-2030", "en", 10, "%", ">=", "2026/2030"),
        ("Phấn đấu tăng trưởng hai con số giai đoạn 2026-2030.", "vi", 10, "%", ">=", "2026/2030"),
        ("Decide to establish and expand 15 - 20 industrial clusters.", "en", [15, 20], "industrial clusters", "range", None),
        ("strive to be in the Top 20 provinces and cities in 2025.", "en", 20, "rank", "<=", "2025"),
        ("The city strives to bring 2,000 specialty products to e-commerce platforms.", "en", 2000, "products", "=", None),
        ("Phấn đấu thu ngân sách đạt 492.309 tỷ đồng năm 2025.", "vi", 492309, "VND billion", "=", "2025"),
        ("Phấn đấu tỷ lệ tiêm chủng đạt ít nhất 95%.", "vi", 95, "%", ">=", None),
    ],
)
def test_targets(text, lang, value, unit, comparator, deadline):
    targets, _ = tf(text, lang)
    t = targets[0]
    assert (t.value, t.unit, t.comparator, t.deadline) == (value, unit, comparator, deadline)


def test_fraction_target():
    targets, _ = tf("complete the construction of technical infrastructure for 43/43 industrial clusters", "en")
    assert (targets[0].value, targets[0].of, targets[0].unit) == (43, 43, "industrial clusters")


@pytest.mark.parametrize(
    "text,lang",
    [
        ("Total state budget revenue is expected to reach VND492,309 billion (120.5% of the estimate, up 19.6% compared to 2023).", "en"),
        ("Thu ngân sách ước đạt 492.309 tỷ đồng, tăng 1,3 lần so với năm 2022.", "vi"),
    ],
)
def test_reported_figures_are_not_targets(text, lang):
    targets, figures = tf(text, lang, directive=False)
    assert targets == [] and figures
    assert figures[0].status == "estimate"


def test_work_item_counts_are_neither():
    assert tf("Focus on implementing the following 9 key groups of tasks", "en") == ([], [])
    assert tf("kế hoạch tập trung vào 7 nội dung", "vi", directive=False) == ([], [])


@pytest.mark.parametrize("s,lang,v", [("492.309", "vi", 492309), ("1,3", "vi", 1.3), ("492,309", "en", 492309), ("7.4", "en", 7.4), ("6,5", "vi", 6.5)])
def test_number_formats(s, lang, v):
    assert parse_number(s, lang) == v
