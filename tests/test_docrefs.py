"""Document references: every form of spec section 1, both languages."""

import pytest

from directive_nlp.extract.docrefs import decode, find_document_refs, normalize_id


def ids(text, lang):
    return [r.id for r in find_document_refs(text, [(0, len(text))], lang)]


@pytest.mark.parametrize(
    "text,lang,expected",
    [
        ("Nghị quyết số 15-NQ/TW ngày 5/5/2022", "vi", ["15-NQ/TW"]),
        ("Kế hoạch số 306/KH-UBND về triển khai", "vi", ["306/KH-UBND"]),
        ("Nghị định 30/2020/NĐ-CP của Chính phủ", "vi", ["30/2020/NĐ-CP"]),
        ("Decree No. 30/2020/ND-CP on clerical work", "en", ["30/2020/NĐ-CP"]),
        ("Decision 1259/QD-TTg of the Prime Minister", "en", ["1259/QĐ-TTg"]),
        ("Chỉ thị số 08/CĐ-TTg và Công điện 12/CD-TTg", "vi", ["08/CĐ-TTg", "12/CĐ-TTg"]),
        ("Program No. 86-CTr/BCSD on its agenda", "en", ["86-CTr/BCSĐ"]),
        ("Nghị quyết 12/2024/NQ-HDND", "vi", ["12/2024/NQ-HĐND"]),
        ("Nghị quyết số 45-NQ/TƯ", "vi", ["45-NQ/TW"]),
        ("Nghị quyết 15 - NQ/TW", "vi", ["15-NQ/TW"]),
        ("Kế hoạch 306 / KH-UBND", "vi", ["306/KH-UBND"]),
        ("Resolution 57–NQ/TW on science", "en", ["57-NQ/TW"]),
        ("Luật Thủ đô số 39/2024/QH15", "vi", ["39/2024/QH15"]),
        ("Notice No. 508/TB-VPCP dated", "en", ["508/TB-VPCP"]),
        ("Conclusion No. 80-KL/TW dated May 24, 2024", "en", ["80-KL/TW"]),
        ("Resolution No. 18, No. 19-NQ/TW of the Central Committee", "en", ["18-NQ/TW", "19-NQ/TW"]),
        ("Nghị quyết số 18, 19-NQ/TW của Trung ương", "vi", ["18-NQ/TW", "19-NQ/TW"]),
        ("Resolutions No. 18 and 19-NQ/TW", "en", ["18-NQ/TW", "19-NQ/TW"]),
        ("Quyết định số 123, 124/QĐ-UBND", "vi", ["123/QĐ-UBND", "124/QĐ-UBND"]),
        ("Resolution No. 15-NQ/TU dated May 5, 2022", "en", ["15-NQ/TU"]),
        ("Thông tư 01/2024/TT-BGDDT của Bộ", "vi", ["01/2024/TT-BGDĐT"]),
        # the issuer code of a Standing Committee resolution carries the legislature's number
        ("Nghị quyết số 1656/NQ-UBTVQH15 về sắp xếp xã", "vi", ["1656/NQ-UBTVQH15"]),
        ("Resolution No. 76/2025/UBTVQH15 on units", "en", ["76/2025/UBTVQH15"]),
        ("Resolution 1211/2016/UBTVQH13 on criteria", "en", ["1211/2016/UBTVQH13"]),
    ],
)
def test_ids_are_canonical(text, lang, expected):
    assert ids(text, lang) == expected


@pytest.mark.parametrize(
    "text,lang",
    [
        ("giai đoạn 2021-2025", "vi"),
        ("43/43 cụm công nghiệp", "vi"),
        ("20/24 targets are expected", "en"),
        ("ngày 30/11/2022", "vi"),
        ("6:37 AM | 27/02/2023", "en"),
        ("tăng 19,6% so với năm 2023", "vi"),
    ],
)
def test_not_document_ids(text, lang):
    assert ids(text, lang) == []


def test_decode_fields():
    d = decode("30/2020/NĐ-CP")
    assert (d["doc_type"], d["issuer"], d["issuer_name"], d["year"], d["number"]) == ("decree", "CP", "Government", 2020, "30")
    d = decode("95-TB/VPTW")
    assert (d["doc_type"], d["issuer_name"], d["year"]) == ("notice", "Party Central Office", None)


def test_short_reference_resolves(rules):
    rec = rules.extract("Hà Nội thực hiện Nghị quyết 15 của Bộ Chính trị.\nNghị quyết số 15-NQ/TW ngày 5/5/2022 đề ra mục tiêu.", published="2022-11-30")
    short = [r for r in rec.document_refs if r.text.startswith("Nghị quyết 15")]
    assert short and short[0].id == "15-NQ/TW"


def test_short_reference_without_full_id_keeps_number(rules):
    rec = rules.extract("The city implements Resolution 57 on science and technology.", published="2025-01-01")
    r = rec.document_refs[0]
    assert (r.id, r.number, r.doc_type) == (None, "57", "resolution")


def test_issued_date_linked(rules):
    rec = rules.extract("Thực hiện Chương trình số 16-CTr/TU ngày 26/8/2022 của Thành ủy Hà Nội.", published="2022-11-30")
    assert rec.document_refs[0].issued_date == "2022-08-26"


@pytest.mark.parametrize("raw,expected", [("15 - NQ/TƯ", "15-NQ/TW"), ("30/2020/ND-CP", "30/2020/NĐ-CP"), ("not an id", None)])
def test_normalize_id(raw, expected):
    assert normalize_id(raw) == expected


def test_unknown_party_type_code_stays_as_written():
    # spec section 1: a code outside the table stays as written, when the issuer is a Party issuer
    from directive_nlp.extract.docrefs import normalize_id

    assert normalize_id("07-CTHĐ/TU") == "07-CTHĐ/TU"
    assert normalize_id("19-ABC/XYZ") is None
