"""The directive clause read from words (issue 11): task verb, acting bodies and their roles, and
what is not a directive.  Sentences written for these tests, in both languages."""

import pytest

from directive_nlp import Pipeline
from directive_nlp.extract.clause import not_a_directive, read_clause

RULES = {}


def reading(text, lang):
    pipe = RULES.setdefault(lang, Pipeline(lang=lang, extractors="rules"))
    rec = pipe.extract(text, lang=lang, published="2025-01-01")
    r = read_clause(text, 0, len(text), lang, rec.agencies, [*rec.dates, *rec.document_refs])
    return r.verb, {text[a:b]: role for (a, b), role in r.roles.items()}


@pytest.mark.parametrize(
    "lang,text,verb",
    [
        # the asking verb is never the task verb
        ("en", "The provincial People's Committee asked the Department of Health to speed up the hospital project.", "speed up"),
        ("en", "The Department of Transport is assigned to upgrade two rural roads this year.", "upgrade"),
        ("en", "The Ministry of Finance is tasked with monitoring the use of the funds.", "monitoring"),
        ("en", "He urged the district to resolutely clear the remaining land.", "clear"),
        ("en", "The chairman requested that agencies treat the project as a priority.", "treat"),
        ("vi", "UBND tỉnh yêu cầu Sở Y tế khẩn trương hoàn thiện đề án bệnh viện.", "hoàn thiện"),
        ("vi", "Chủ tịch UBND tỉnh đề nghị các sở, ngành bám sát kế hoạch được giao.", "bám sát"),
        ("vi", "UBND tỉnh giao Sở Nội vụ triển khai thực hiện kế hoạch.", "triển khai"),
        # the lead presiding: the verb is "chủ trì" / "presides over"
        ("vi", "UBND TP giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát các dự án.", "chủ trì"),
        ("en", "The Department of Home Affairs presides over and coordinates with the Department of Justice to draft the plan.", "presides over"),
        # a coordinating aside is passed over
        ("vi", "Sở Tài chính phối hợp với Sở Y tế rà soát nguồn vốn cho trạm y tế.", "rà soát"),
        ("en", "The Economic Zone Management Board, in coordination with the Department of Finance, completes the procedures.", "completes"),
        # a purpose clause or a lead-in phrase is not the verb
        ("en", "To keep reforms on track, the city will cut processing times by half.", "cut"),
        ("vi", "Để bảo đảm tiến độ, các chủ đầu tư phải báo cáo hằng tuần.", "báo cáo"),
        ("vi", "Thực hiện Nghị quyết 12, ngành thuế phấn đấu thu vượt dự toán.", "phấn đấu"),
        # never a syllable inside a name or a word
        ("vi", "Văn phòng UBND tỉnh đôn đốc các sở thực hiện kế hoạch.", "đôn đốc"),
        ("vi", "Bộ Quốc phòng phối hợp với tỉnh tổ chức diễn tập.", "tổ chức"),
        ("vi", "Ban Quản lý dự án giao thông tỉnh đẩy nhanh tiến độ tuyến đường.", "đẩy nhanh"),
        # a speaker's verb is not the task
        ("vi", "Bí thư Tỉnh ủy nhấn mạnh, các cấp ủy phải quán triệt nghị quyết.", "quán triệt"),
        ("en", "The director said the department would publish the new rules in March.", "publish"),
        # a date opening the clause is not the verb
        ("vi", "Năm 2025, tỉnh phấn đấu tăng trưởng 8%.", "phấn đấu"),
        ("en", "By 2026, localities must finish relocating the households.", "finish"),
    ],
)
def test_task_verb(lang, text, verb):
    assert reading(text, lang)[0] == verb


@pytest.mark.parametrize(
    "lang,text,roles",
    [
        ("vi", "UBND tỉnh giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ rà soát biên chế.",
         {"UBND tỉnh": "issuer", "Sở Tài chính": "lead", "Sở Nội vụ": "coordinate"}),
        ("vi", "Sở Công Thương phối hợp với Sở Xây dựng kiểm tra các cụm công nghiệp.",
         {"Sở Công Thương": "lead", "Sở Xây dựng": "coordinate"}),
        ("vi", "Sở Tư pháp được giao hướng dẫn các huyện thực hiện.", {"Sở Tư pháp": "lead"}),
        ("vi", "Sở Y tế tổng hợp kết quả, báo cáo UBND tỉnh trước ngày 15/12.", {"Sở Y tế": "lead", "UBND tỉnh": "mentioned"}),
        ("en", "The provincial People's Committee requested the Department of Construction to repair the bridge.",
         {"People's Committee": "issuer", "Department of Construction": "lead"}),
        ("en", "The Department of Finance and the Department of Health are tasked with reviewing the budget.",
         {"Department of Finance": "lead", "Department of Health": "lead"}),
        ("en", "The Department of Finance works with the Tax Department to collect arrears.",
         {"Department of Finance": "lead", "Tax Department": "coordinate"}),
        ("en", "The city will ask the Ministry of Finance to guide the procedure.", {"Ministry of Finance": "lead"}),
        ("vi", "Chủ tịch UBND tỉnh đề nghị Sở Y tế, Thủ trưởng các sở, ngành, Chủ tịch UBND các huyện, thị xã, thành phố triển khai kế hoạch.",
         {"UBND tỉnh": "issuer", "Sở Y tế": "lead", "UBND các huyện, thị xã, thành phố": "lead"}),
        ("en", "The Department of Health must report to the Ministry of Health every month.",
         {"Department of Health": "lead", "Ministry of Health": "mentioned"}),
        # a reported order in the passive: the body told or asked leads
        ("en", "The Ministry of Finance was told to release the relief funds this week.", {"Ministry of Finance": "lead"}),
        ("en", "The Department of Construction was also asked to inspect the old apartment blocks.", {"Department of Construction": "lead"}),
    ],
)
def test_roles(lang, text, roles):
    got = reading(text, lang)[1]
    for name, role in roles.items():
        hits = [r for n, r in got.items() if n.endswith(name)]
        assert hits and hits[0] == role, (name, got)


@pytest.mark.parametrize(
    "lang,text,kind,expected",
    [
        ("vi", "Ngày 9/1, Sở Tài chính tổ chức hội nghị tổng kết công tác năm.", "body", True),
        ("vi", "Phó Chủ tịch UBND tỉnh vừa ký Quyết định số 12/QĐ-UBND về chương trình.", "body", True),
        ("vi", "Ban Thường vụ Thành ủy có Công văn số 951-CV/TU gửi các đảng bộ.", "body", True),
        ("vi", "Kế hoạch nhằm nâng cao chất lượng dịch vụ công.", "body", True),
        ("vi", "Tỉnh tập trung đẩy nhanh giải ngân", "headline", True),
        ("en", "On May 15, the city People's Committee held a working session with the ministry.", "body", True),
        ("en", "The plan aims to turn tourism into a spearhead sector.", "body", True),
        ("en", "The chairman has signed Decision No. 12 on the programme.", "body", True),
        ("en", "Hanoi (VNA) – The Government promulgated Decree 32 on industrial clusters.", "body", True),
        ("vi", "I. MỤC ĐÍCH, YÊU CẦU", "bullet", True),
        ("en", "WHAT MUST BE DONE", "body", True),
        # directives stay directives
        ("vi", "UBND tỉnh giao Sở Y tế tổ chức hội nghị tập huấn cho các huyện.", "body", False),
        ("vi", "Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ rà soát văn bản.", "body", False),
        ("en", "The Department of Finance must allocate the capital before June 30.", "body", False),
        ("en", "Localities are asked to review their land-use plans.", "body", False),
    ],
)
def test_not_a_directive(lang, text, kind, expected):
    assert not_a_directive(text, 0, len(text), lang, kind) is expected


def test_vietnamese_verb_from_first_stretch_equals_full_scan():
    # the task verb is looked for in a first stretch of the clause before the whole is tagged
    # (tagging is most of the Vietnamese cost); the answer must be the one a full scan gives
    from directive_nlp.extract import clause

    text = ("Giao Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư rà soát nguồn vốn đầu tư công "
            "của các dự án chuyển tiếp, báo cáo Ủy ban nhân dân tỉnh trước ngày 30 tháng 6 năm 2025 để "
            "xem xét điều chỉnh kế hoạch vốn cho phù hợp với tiến độ thực hiện của từng dự án.")
    p, s1 = text.index("Sở Tài chính"), len(text)
    full = clause._scan(text, clause.tokens(text, p, s1, "vi"), s1, "vi", [])
    assert s1 - p > max(first for first, _ in clause._VI_STRETCHES)
    assert clause.task_verb_at(text, p, s1, "vi", []) == full
