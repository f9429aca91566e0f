"""Directive sentences and head verbs (spec section 5)."""

import pytest

from directive_nlp.extract.directives import classify


def hit(text, lang):
    return classify(text, 0, len(text), lang, [])


@pytest.mark.parametrize(
    "text,lang,verb",
    [
        ("Strive to achieve growth of 8% or more by 2025.", "en", "strive"),
        ("Focus on implementing the following 9 key groups of tasks.", "en", "focus"),
        ("Urgently organize and implement tasks according to the plan.", "en", "organize"),
        ("At the same time, develop and implement goals for the period.", "en", "develop"),
        ("In particular, speed up the development of high-tech zones.", "en", "speed up"),
        ("- Ensuring national defense and security.", "en", "ensuring"),
        ("Planning should be accelerated, and administrative reform should continue.", "en", "accelerated"),
        ("The city strives to bring 2,000 products to e-commerce platforms.", "en", "strives"),
        ("Regarding digital transformation, the General Secretary requested that the city continue to pay attention to leading it.", "en", "pay attention"),
        ("The water board was told to repair the broken pumps before the rainy season.", "en", "repair"),
        ("The transport ministry has also asked two airlines to add evening flights.", "en", "add"),
        ("The agency was also asked to finish the flood map for the northern districts.", "en", "finish"),
        ("Deputy Prime Minister Le Van A has asked ministries to keep fuel supplies stable.", "en", "keep"),
        ("He asked the district to quickly clean up the market area.", "en", "clean up"),
        ("The Prime Minister signed a dispatch ordering provinces to inspect every dyke.", "en", "inspect"),
        ("In 2027, the district strives to plant two million trees along the river.", "en", "strives"),
        ("Năm 2027, huyện phấn đấu trồng thêm 2 triệu cây xanh ven sông.", "vi", "phấn đấu"),
        ("Theo chương trình, thành phố phấn đấu hoàn thành 5.000 căn nhà ở xã hội.", "vi", "phấn đấu"),
        ("Sở Nội vụ là cơ quan thường trực, chủ trì tổng hợp kết quả thi đua của các huyện.", "vi", "chủ trì"),
        ("Đẩy mạnh cơ cấu lại kinh tế gắn với đổi mới mô hình tăng trưởng.", "vi", "đẩy mạnh"),
        ("Trong đó, tiếp tục nâng cao nhận thức về vị trí của Thủ đô.", "vi", "nâng cao"),
        ("TP tập trung phát triển kinh tế Thủ đô nhanh và bền vững.", "vi", "tập trung"),
        ("- Khẩn trương hoàn thành giải phóng mặt bằng trước ngày 30/6.", "vi", "hoàn thành"),
    ],
)
def test_directives(text, lang, verb):
    h = hit(text, lang)
    assert h is not None and h.verb == verb


@pytest.mark.parametrize(
    "text,lang",
    [
        ("The purpose is to fully concretize the General Secretary's viewpoints.", "en"),
        ("The main goal is to accelerate the implementation of the targets.", "en"),
        ("Accompanying the General Secretary were comrades from the ministries.", "en"),
        ("The city has focused on implementing 3 strategic breakthroughs.", "en"),
        ("The City Party Committee continues to be an exemplary unit.", "en"),
        ("The Hanoi People's Committee has just issued the Action Program.", "en"),
        ("Kế hoạch nhằm cụ thể hóa, xác định rõ nội dung công việc.", "vi"),
        ("Về các nhiệm vụ, kế hoạch tập trung vào 7 nội dung.", "vi"),
        ("Các sở, ngành được yêu cầu:", "vi"),
        ("Năm 2024, tỉnh đã phấn đấu vượt mọi chỉ tiêu đề ra.", "vi"),
    ],
)
def test_not_directives(text, lang):
    assert hit(text, lang) is None


@pytest.mark.parametrize(
    "text,verb",
    [
        ("Sở Giáo dục và Đào tạo thông báo cho học sinh nghỉ học khi bão đến.", "thông báo"),
        ("Kết luận buổi làm việc, đồng chí Bí thư yêu cầu các xã khẩn trương kết thúc việc kiểm đếm tài sản.", "kết thúc"),
    ],
)
def test_vi_subject_then_tagged_verb(rules, text, verb):
    """A body followed by a verb the tagger knows but the lexicon lacks is a directive."""
    rec = rules.extract(text, published="2025-01-01")
    assert classify(text, 0, len(text), "vi", rec.agencies).verb == verb


@pytest.mark.parametrize(
    "text",
    [
        "Năm 2023, Sở Y tế tiếp nhận khoảng 1.200 hồ sơ đăng ký các loại, nhiều hơn 4% so với năm 2022.",
        "Dự án được Bộ Xây dựng phê duyệt tại Quyết định số 12/QĐ-BXD.",
    ],
)
def test_vi_subject_then_tagged_verb_not_reports(rules, text):
    rec = rules.extract(text, published="2025-01-01")
    assert classify(text, 0, len(text), "vi", rec.agencies) is None


def test_directive_record_parts(rules):
    text = "Sở KH&ĐT chủ trì, phối hợp với Sở Tài chính theo dõi việc thực hiện Kế hoạch số 306/KH-UBND; hoàn thành trước ngày 31/12/2025."
    rec = rules.extract(text, published="2025-01-01")
    d = rec.directives[0]
    assert d.verb == "chủ trì"
    assert [(a.canonical, a.role) for a in d.agencies] == [("Department of Planning and Investment", "lead"), ("Department of Finance", "coordinate")]
    assert d.document_refs == ["306/KH-UBND"] and d.deadline == "2025-12-31"
    assert rec.directives[0].id == rules.extract(text, published="2025-01-01").directives[0].id


# -- the verb of a sentence a model took as a directive ------------------------------------------

@pytest.mark.parametrize(
    "lang, sentence, verb",
    [
        ("en", "People's Committees of provinces must reserve 20% of residential land for social housing.", "reserve"),
        ("en", "Resolution 71 requires the State to spend at least 20% of the budget on education.", "spend"),
        ("en", "Strive to reach a growth rate of 8% in 2025.", "strive"),
        ("vi", "Tỉnh cũng sẽ trình HĐND tỉnh ban hành nghị quyết về cơ chế hỗ trợ.", "trình"),
        ("vi", "Các tổ chức, cá nhân dạy thêm có thu tiền phải đăng ký kinh doanh.", "đăng ký"),
        ("vi", "Thủ tướng yêu cầu các bộ, ngành, địa phương bám sát Nghị quyết Đại hội XIII của Đảng.", "bám sát"),
    ],
)
def test_task_verb_of_model_directives(lang, sentence, verb):
    from directive_nlp.evaluate import _verbs_match
    from directive_nlp.extract.directives import task_verb

    v, at = task_verb(sentence, 0, len(sentence), lang)
    assert _verbs_match(v, verb) and sentence[at : at + len(v)].lower() == v
