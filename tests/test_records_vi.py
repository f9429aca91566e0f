"""Vietnamese directive records (issue 11): the bodies that must act, named as the article names
them, with their roles, and the task verb read from words.  Sentences written for these tests, in
the styles of portal news, Party plans and People's Committee dispatches."""

import pytest

from directive_nlp import Pipeline
from directive_nlp.extract.agencies import find_agencies
from directive_nlp.extract.clause import read_clause, tokens

RULES = {}


def reading(text):
    pipe = RULES.setdefault("vi", Pipeline(lang="vi", extractors="rules"))
    rec = pipe.extract(text, lang="vi", published="2025-01-01")
    r = read_clause(text, 0, len(text), "vi", rec.agencies, [*rec.dates, *rec.document_refs])
    return r.verb, {text[a:b]: role for (a, b), role in r.roles.items()}


def names(text):
    return [a.text for a in find_agencies(text, [(0, len(text))], "vi", "Lao Cai")]


@pytest.mark.parametrize(
    "text,expected",
    [
        # a body the gazetteer lacks holds a body it knows: one name, not cut away
        ("Ban Thường vụ Thành ủy giao Ban Dân vận Thành ủy hướng dẫn các phường tổ chức đối thoại.", "Ban Dân vận Thành ủy"),
        ("Văn phòng Huyện ủy và Ủy ban Kiểm tra Huyện ủy theo dõi việc thực hiện.", "Ủy ban Kiểm tra Huyện ủy"),
        # a second name starts after a lower-case word: two bodies
        ("Ban Thường vụ Huyện ủy giao Ban Tổ chức Huyện ủy rà soát quy hoạch cán bộ.", "Ban Tổ chức Huyện ủy"),
        # a head word of two words is not cut at a verb inside it ("Văn phòng": "phòng")
        ("Sở Nội vụ phối hợp với Văn phòng Huyện ủy rà soát hồ sơ.", "Văn phòng Huyện ủy"),
        # a name runs up to its abbreviation in brackets, across small words and verbs
        ("Ban Quản lý dự án Đầu tư xây dựng các công trình dân dụng (Ban QLDA Dân dụng) khẩn trương hoàn thành hồ sơ mời thầu.",
         "Ban Quản lý dự án Đầu tư xây dựng các công trình dân dụng"),
        ("Đề nghị Phòng Thương mại và Công nghiệp Việt Nam (VCCI) hướng dẫn doanh nghiệp.", "Phòng Thương mại và Công nghiệp Việt Nam"),
        # a capital word after the head continues the name ("Phát triển" is not the verb)
        ("Trung tâm Phát triển quỹ đất huyện đẩy nhanh việc chi trả tiền bồi thường.", "Trung tâm Phát triển quỹ đất huyện"),
        ("Phòng Tài chính - Kế hoạch các quận, huyện thẩm định dự toán của các trường.", "Phòng Tài chính - Kế hoạch các quận, huyện"),
        # a local government named with its units and places is one body
        ("UBND các huyện Mường Tè, Sìn Hồ, Phong Thổ khẩn trương di dời các hộ dân.", "UBND các huyện Mường Tè, Sìn Hồ, Phong Thổ"),
        ("Sở Xây dựng phối hợp với UBND các huyện, thị xã Sa Pa và TP Lào Cai rà soát quy hoạch.", "UBND các huyện, thị xã Sa Pa và TP Lào Cai"),
        ("UBND thành phố Vĩnh Yên bàn giao mặt bằng trước ngày 30/6.", "UBND thành phố Vĩnh Yên"),
        ("UBND các xã ven sông kiểm tra đê bao.", "UBND các xã ven sông"),
        ("Yêu cầu UBND các tỉnh, thành phố trực thuộc Trung ương rà soát quỹ đất.", "UBND các tỉnh, thành phố trực thuộc Trung ương"),
        ("Chủ tịch tỉnh yêu cầu Chủ tịch UBND huyện Bát Xát kiểm điểm trách nhiệm.", "UBND huyện Bát Xát"),
        # Party committees listed in lower case: one general body
        ("Ban Thường vụ Tỉnh ủy yêu cầu các huyện ủy, thị ủy, thành ủy tổ chức hội nghị quán triệt.", "các huyện ủy, thị ủy, thành ủy"),
        # a head and its number; a one-syllable verb glued to a capital syllable is part of the name
        ("Bộ Quốc phòng chỉ đạo Quân khu 2 sẵn sàng lực lượng cứu hộ.", "Quân khu 2"),
        ("Bộ đội Biên phòng tỉnh phối hợp với Công an tỉnh tuần tra đường biên.", "Bộ đội Biên phòng tỉnh"),
        ("Đài Phát thanh và Truyền hình tỉnh, Đài Tiếng nói Việt Nam tăng thời lượng đưa tin về bão.", "Đài Tiếng nói Việt Nam"),
        # a name ends after its unit, and before a small word; a comma inside a name before "và"
        ("Sở Giao thông vận tải phối hợp với Bộ Chỉ huy Quân sự tỉnh thông tuyến quốc lộ 4D.", "Bộ Chỉ huy Quân sự tỉnh"),
        ("Các xã gửi báo cáo về Phòng Văn hóa và Thông tin trước ngày 15/3/2025.", "Phòng Văn hóa và Thông tin"),
        ("Trung tâm Văn hóa, Thể thao và Truyền thông huyện tăng cường thời lượng tuyên truyền.", "Trung tâm Văn hóa, Thể thao và Truyền thông huyện"),
        # "phòng, chống" and "dự phòng" inside a name do not end it
        ("Ban Chỉ đạo phòng, chống dịch bệnh tỉnh yêu cầu các huyện báo cáo hằng ngày.", "Ban Chỉ đạo phòng, chống dịch bệnh tỉnh"),
        ("Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn huyện kiểm tra các hồ đập.", "Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn huyện"),
        ("Trung tâm Y tế dự phòng tỉnh lấy mẫu xét nghiệm tại các xã.", "Trung tâm Y tế dự phòng tỉnh"),
        # a standing organ of a body is one name with it ("Ban Thường vụ Đảng ủy …", "Ban Thường trực Ủy ban …")
        ("Ban Thường vụ Đảng ủy Khối cơ quan tỉnh tổ chức kiểm điểm tập thể.", "Ban Thường vụ Đảng ủy Khối cơ quan tỉnh"),
        ("Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh tiếp nhận tiền ủng hộ.", "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh"),
        # the standing body of a People's Council is a body of its own, not the council
        ("Thường trực HĐND tỉnh và các Ban HĐND tỉnh giám sát việc bố trí vốn cho trường học.", "Thường trực HĐND tỉnh"),
        ("Các sở gửi báo cáo về Thường trực HĐND thành phố trước kỳ họp.", "Thường trực HĐND thành phố"),
        # a name the gazetteer lacks ends before a two-syllable asking verb, not inside it
        ("Chi cục Thủy sản yêu cầu Phòng Kinh tế huyện kiểm tra các tàu cá.", "Chi cục Thủy sản"),
        ("Cục Đường thủy nội địa đề nghị Sở Xây dựng rà soát các bến khách.", "Cục Đường thủy nội địa"),
        # … and before an adverb of time or of addition ("cũng", "đã", "sẽ", "đang")
        ("Trung tâm Khuyến ngư tỉnh cũng đề nghị Phòng Kinh tế huyện hỗ trợ ngư dân.", "Trung tâm Khuyến ngư tỉnh"),
        ("Chi cục Kiểm lâm đã yêu cầu Phòng Nông nghiệp huyện tuần tra rừng phòng hộ.", "Chi cục Kiểm lâm"),
    ],
)
def test_body_named_whole(text, expected):
    assert expected in names(text)


@pytest.mark.parametrize(
    "text,unexpected",
    [
        # after a person's title, the capitals are the person's name, not places
        ("Phó Chủ tịch Thường trực UBND tỉnh Trần Văn Lâm yêu cầu các huyện rà soát hộ nghèo.", "UBND tỉnh Trần Văn Lâm"),
        # the alias in brackets is the same body, not a second one
        ("Ban Quản lý dự án Thủy lợi tỉnh (Ban QLDA Thủy lợi) bàn giao mặt bằng.", "Ban QLDA Thủy lợi"),
        # a verb of asking ends a name
        ("Ban Chỉ đạo yêu cầu các huyện báo cáo tiến độ.", "Ban Chỉ đạo yêu cầu các huyện"),
        ("Đài Tiếng nói Việt Nam tăng thời lượng đưa tin về bão.", "Đài Tiếng nói Việt Nam tăng thời lượng"),
        ("Sở Giao thông vận tải phối hợp với Bộ Chỉ huy Quân sự tỉnh thông tuyến quốc lộ 4D.", "Bộ Chỉ huy Quân sự tỉnh thông tuyến"),
        ("Các xã gửi báo cáo về Phòng Văn hóa và Thông tin trước ngày 15/3/2025.", "Phòng Văn hóa và Thông tin trước ngày"),
        ("Sở Tài chính, Sở Y tế và Công an tỉnh rà soát các khoản chi.", "Sở Tài chính, Sở Y tế"),
    ],
)
def test_not_part_of_a_name(text, unexpected):
    assert unexpected not in names(text)


@pytest.mark.parametrize(
    "text,verb,roles",
    [
        # "giao" is read as a word though the tagger glues it to the name after it ("giao Ban")
        ("Ban Thường vụ Thành ủy giao Ban Dân vận Thành ủy hướng dẫn các phường tổ chức đối thoại với người dân.", "hướng dẫn",
         {"Ban Thường vụ Thành ủy": "issuer", "Ban Dân vận Thành ủy": "lead"}),
        ("Ban Thường vụ Huyện ủy giao Ban Tổ chức Huyện ủy chủ trì, phối hợp với Văn phòng Huyện ủy rà soát quy hoạch cán bộ.", "chủ trì",
         {"Ban Thường vụ Huyện ủy": "issuer", "Ban Tổ chức Huyện ủy": "lead", "Văn phòng Huyện ủy": "coordinate"}),
        # "giao" as the last syllable of "bàn giao" is the task, not a verb of asking
        ("UBND thành phố Vĩnh Yên và UBND các huyện ven sông bàn giao mặt bằng trước ngày 30/6.", "bàn giao",
         {"UBND thành phố Vĩnh Yên": "lead", "UBND các huyện ven sông": "lead"}),
        # a body and its alias in brackets, then a second body of the same list: both lead
        ("Trung tâm Kiểm soát bệnh tật tỉnh (CDC), Sở Giáo dục và Đào tạo triển khai tiêm vắc xin cho học sinh.", "triển khai",
         {"Trung tâm Kiểm soát bệnh tật tỉnh": "lead", "Sở Giáo dục và Đào tạo": "lead"}),
        # the task verb comes after the whole name, not from inside it
        ("Ban Quản lý dự án Đầu tư xây dựng các công trình dân dụng (Ban QLDA Dân dụng) khẩn trương hoàn thành hồ sơ mời thầu.", "hoàn thành",
         {"Ban Quản lý dự án Đầu tư xây dựng các công trình dân dụng": "lead"}),
        ("Phòng Tài chính - Kế hoạch các quận, huyện thẩm định dự toán của các trường.", "thẩm định",
         {"Phòng Tài chính - Kế hoạch các quận, huyện": "lead"}),
        # "căn cứ …" and "trực thuộc" are never the task verb
        ("UBND các xã, phường căn cứ kế hoạch này xây dựng phương án phòng cháy tại địa phương.", "xây dựng",
         {"UBND các xã, phường": "lead"}),
        ("Đại hội các đảng bộ trực thuộc Huyện ủy hoàn thành trong quý II/2025.", "hoàn thành", {}),
        # a directing verb: the bodies directed act with the subject and lead; the verb is the task
        ("Bộ Quốc phòng chỉ đạo Quân khu 7 sẵn sàng lực lượng, phương tiện cứu hộ.", "chỉ đạo",
         {"Bộ Quốc phòng": "lead", "Quân khu 7": "lead"}),
        ("Ban cán sự đảng UBND tỉnh lãnh đạo UBND tỉnh chỉ đạo Sở Công Thương phối hợp với Công an tỉnh kiểm soát thị trường.", "lãnh đạo",
         {"Ban cán sự đảng UBND tỉnh": "lead", "UBND tỉnh": "lead", "Sở Công Thương": "lead", "Công an tỉnh": "coordinate"}),
        ("Bộ đề nghị UBND các tỉnh chỉ đạo Sở Y tế rà soát mạng lưới trạm y tế xã.", "chỉ đạo",
         {"UBND các tỉnh": "lead", "Sở Y tế": "lead"}),
        ("Đảng đoàn HĐND tỉnh lãnh đạo, chỉ đạo HĐND tỉnh xem xét ban hành nghị quyết về học phí.", "lãnh đạo",
         {"Đảng đoàn HĐND tỉnh": "lead", "HĐND tỉnh": "lead"}),
        # … but the body directed to preside leads, and the director gave the order
        ("UBND huyện chỉ đạo Phòng Tài chính - Kế hoạch chủ trì, phối hợp với Kho bạc Nhà nước huyện rà soát các khoản tạm ứng.", "chủ trì",
         {"UBND huyện": "issuer", "Phòng Tài chính - Kế hoạch": "lead", "Kho bạc Nhà nước": "coordinate"}),
        # … reported as done, it is the order of the body directed, which leads
        ("UBND thành phố đã chỉ đạo UBND các phường tổ chức ra quân dọn vệ sinh trước ngày 30/4.", "tổ chức",
         {"UBND thành phố": "issuer", "UBND các phường": "lead"}),
        # a topic before a colon ("Về …:") is not the clause (a conclusion notice)
        ("Về đề nghị hỗ trợ vốn cho tuyến đường vành đai: giao Bộ Kế hoạch và Đầu tư chủ trì, phối hợp với Bộ Tài chính xem xét.", "chủ trì",
         {"Bộ Kế hoạch và Đầu tư": "lead", "Bộ Tài chính": "coordinate"}),
        ("Về kiến nghị điều chỉnh quy hoạch: Bộ Xây dựng hướng dẫn tỉnh thực hiện theo quy định.", "hướng dẫn", {"Bộ Xây dựng": "lead"}),
        # a noun phrase after a determiner holds no verb ("các tổ chức chính trị - xã hội")
        ("Đề nghị Ủy ban MTTQ Việt Nam tỉnh và các tổ chức chính trị - xã hội vận động hội viên tham gia hiến máu.", "vận động",
         {"Ủy ban MTTQ Việt Nam tỉnh": "lead"}),
        # a verb only the tagger saw, before a listed one, belongs to the subject ("ngành du lịch")
        ("Năm 2026, ngành du lịch phấn đấu đón 3 triệu lượt khách.", "phấn đấu", {}),
        # lead-ins the clause starts after
        ("Bên cạnh cây chè, huyện phấn đấu có thêm 10 sản phẩm OCOP.", "phấn đấu", {}),
        ("Năm học này, ngành giáo dục phấn đấu có thêm 12 trường đạt chuẩn.", "phấn đấu", {}),
        # a year before the comma, whatever the year: the body after it commits and leads
        ("Năm 2027, UBND huyện sẽ tập trung tháo gỡ vướng mắc cho các dự án khu công nghiệp.", "tập trung", {"UBND huyện": "lead"}),
        # a verb inside a person's title before the verb of asking does not hide the asking
        ("Chánh Thanh tra tỉnh yêu cầu UBND huyện Bảo Yên thu hồi số tiền chi sai.", "thu hồi",
         {"UBND huyện Bảo Yên": "lead"}),
        # an unnamed partner in lower case after "phối hợp với" is no verb: the listed task after it is
        ("Công an phường phối hợp với đội trật tự đô thị tăng cường xử lý lấn chiếm vỉa hè.", "tăng cường",
         {"Công an phường": "lead"}),
        ("Sở Công Thương phối hợp với các chủ đầu tư bảo đảm tiến độ đóng điện.", "bảo đảm", {"Sở Công Thương": "lead"}),
        # "Cùng với đó," is a discourse opener, not a coordinate cue: the body after it presides
        ("Cùng với đó, Sở Tài chính chủ trì, phối hợp với các xã cân đối nguồn vốn đối ứng.", "chủ trì",
         {"Sở Tài chính": "lead"}),
        # the verb comes after a name that holds "phòng, chống", not from inside it
        ("Cục Quản lý đê điều và Phòng, chống thiên tai theo dõi mực nước các sông lớn.", "theo dõi",
         {"Cục Quản lý đê điều và Phòng, chống thiên tai": "lead"}),
        # the standing organ of a lower-case list of Party committees is one body, and "giao" before
        # it asks though the segmenter reads "giao ban" as one word
        ("Ban Bí thư giao ban thường vụ các tỉnh ủy, thành ủy khẩn trương kiện toàn nhân sự trước ngày 15/7.", "kiện toàn",
         {"Ban Bí thư": "issuer", "ban thường vụ các tỉnh ủy, thành ủy": "lead"}),
        ("Thường trực HĐND tỉnh, các Ban HĐND tỉnh tăng cường giám sát việc giải ngân vốn.", "tăng cường",
         {"Thường trực HĐND tỉnh": "lead", "Ban HĐND tỉnh": "lead"}),
        # "phối hợp" right before a verb only shares the task: the verb after it is the task
        ("Sở Giáo dục và Đào tạo được yêu cầu phối hợp tổ chức kỳ thi an toàn, nghiêm túc.", "tổ chức",
         {"Sở Giáo dục và Đào tạo": "lead"}),
        ("Hai tỉnh thống nhất phối hợp nâng cấp tuyến đường liên tỉnh trong năm 2026.", "nâng cấp", {}),
        # "và/hoặc", "hoặc" join bodies of one list: each of them acts
        ("Sở Tài chính và/hoặc Kho bạc Nhà nước tỉnh đối chiếu số liệu tạm ứng.", "đối chiếu",
         {"Sở Tài chính": "lead", "Kho bạc Nhà nước": "lead"}),
        ("UBND các phường hoặc Ban Quản lý chợ trung tâm bố trí khu vực tập kết rác.", "bố trí",
         {"UBND các phường": "lead", "Ban Quản lý chợ trung tâm": "lead"}),
    ],
)
def test_record_reading(text, verb, roles):
    got_verb, got_roles = reading(text)
    assert got_verb == verb
    for name, role in roles.items():
        assert got_roles.get(name) == role, (name, got_roles)


@pytest.mark.parametrize(
    "text,verb",
    [
        # a capital verb that opens an item after its mark is the task, not the start of a name
        ("- Chuyển toàn bộ hồ sơ vụ việc sang cơ quan cảnh sát điều tra.", "chuyển"),
        ("c) Kiểm điểm trách nhiệm người đứng đầu để xảy ra sai phạm.", "kiểm điểm"),
        ("+ Đưa Trung tâm điều hành đô thị thông minh vào hoạt động.", "đưa"),
        # … but a body or a title that opens the item is not the verb
        ("+ Hội đồng nghĩa vụ quân sự các xã quán triệt nghiêm Luật Nghĩa vụ quân sự.", "quán triệt"),
        # nouns of time and papers are never the task verb
        ("Theo biên bản ghi nhớ, hai bên thống nhất mở rộng hợp tác đào tạo nghề.", "mở rộng"),
        ("Ngay trong tháng 10, UBND phường sẽ bố trí thêm hai điểm tiếp dân.", "bố trí"),
        ("Các tỉnh, thành phải rà soát toàn bộ hồ chứa xung yếu.", "rà soát"),
        ("Theo kế hoạch, đến năm 2028 huyện phấn đấu nâng cấp toàn bộ đường liên xã.", "phấn đấu"),
        # a verb that qualifies a collective subject is not the task: the task follows the duty word
        ("Các huyện có tỷ lệ giải ngân dưới 20% phải báo cáo nguyên nhân với UBND tỉnh.", "báo cáo"),
        ("Doanh nghiệp nào khai thác cát trái phép sẽ bị thu hồi giấy phép.", "thu hồi"),
        ("Cơ quan, đơn vị nào để chậm trễ hồ sơ phải giải trình với Chủ tịch UBND tỉnh.", "giải trình"),
        ("Việc thu hồi đất phải bảo đảm công khai, đúng quy định.", "bảo đảm"),
        # … but a task before a later clause with its own duty word stays the task
        ("Các sở, ngành rà soát các dự án có vướng mắc, nếu vượt thẩm quyền phải báo cáo UBND tỉnh.", "rà soát"),
        # "tới" of a time phrase ("trong hai ngày tới") is not the task
        ("Các xã trong hai ngày tới phải gia cố toàn bộ đê bao xung yếu.", "gia cố"),
        # a lead-in phrase longer than the verb it opens with ("Tiếp thu ý kiến, …") is not the clause
        ("Tiếp thu ý kiến đại biểu, UBND huyện sẽ bổ sung kinh phí sửa chữa các trường học.", "bổ sung"),
        # a numbered document opening the clause is a name, not the verb
        ("Kết luận số 12-KL/TU được quán triệt đến các chi bộ trước ngày 30/6.", "quán triệt"),
        # "theo chức năng, nhiệm vụ" and "từ … đến …" of places are not the task
        ("Sở Y tế theo chức năng, nhiệm vụ cử bác sĩ về các trạm y tế xã.", "cử"),
        ("Bộ trưởng các Bộ: Y tế, Xây dựng; Chủ tịch Ủy ban nhân dân các tỉnh, thành phố từ Nghệ An đến Quảng Nam tiếp tục chỉ đạo gia cố nhà cửa.",
         "chỉ đạo"),
        # a plan or an agreement before the task ("dự kiến", "thống nhất") is not the task
        ("Theo lãnh đạo Sở Giao thông, thành phố dự kiến lắp đặt thêm bốn trạm sạc xe điện.", "lắp đặt"),
    ],
)
def test_task_verb_not_a_noun_nor_a_name(text, verb):
    assert reading(text)[0] == verb


@pytest.mark.parametrize(
    "text,verb,roles",
    [
        # a promise before a comma is said: the body after it acts
        ("Bà Lan cam kết, Sở Y tế sẽ phối hợp với Bệnh viện tỉnh luân phiên bác sĩ về xã.", "luân phiên", {"Sở Y tế": "lead"}),
        # a speaker whose verb the task follows with no subject acts itself
        ("Sở Công Thương cam kết bình ổn giá mặt hàng thiết yếu trong dịp Tết.", "bình ổn", {"Sở Công Thương": "lead"}),
        ("Sở Giao thông vận tải cho biết sẽ hoàn thành cầu vượt trong quý III.", "hoàn thành", {"Sở Giao thông vận tải": "lead"}),
        # a recommendation to a body: the task is the verb after it, the recommender only issues
        ("Huyện cũng kiến nghị UBND tỉnh bổ sung 50 tỷ đồng cho tuyến đê biển.", "bổ sung", {"UBND tỉnh": "mentioned"}),
        ("Sở Nội vụ kiến nghị Bộ Nội vụ hướng dẫn việc bố trí cán bộ dôi dư.", "hướng dẫn",
         {"Sở Nội vụ": "issuer", "Bộ Nội vụ": "mentioned"}),
        # … asked of a body, the recommending is its task
        ("HĐND tỉnh đề nghị UBND tỉnh kiến nghị Bộ Tài chính bổ sung kinh phí.", "kiến nghị", {"UBND tỉnh": "lead"}),
        # the body a recommendation is for, before the colon of its item, acts
        ("Đối với UBND tỉnh: chỉ đạo Sở Y tế bổ sung bác sĩ cho trạm y tế xã.", "chỉ đạo", {"UBND tỉnh": "lead", "Sở Y tế": "lead"}),
        ("- Đối với Sở Xây dựng: phối hợp với UBND các huyện kiểm tra chất lượng nhà tạm.", "kiểm tra",
         {"Sở Xây dựng": "lead", "UBND các huyện": "coordinate"}),
        # a body after the collectives of a coordinate list still coordinates, "với" or not
        ("Sở Công Thương chủ trì, phối hợp với các doanh nghiệp và UBND các huyện kiểm tra giá phân bón.", "chủ trì",
         {"Sở Công Thương": "lead", "UBND các huyện": "coordinate"}),
        ("Giao Sở Y tế chủ trì, phối hợp các sở, ngành, UBND các xã tổ chức tiêm vắc xin.", "chủ trì",
         {"Sở Y tế": "lead", "UBND các xã": "coordinate"}),
    ],
)
def test_speaker_or_subject_acts(text, verb, roles):
    got_verb, got_roles = reading(text)
    assert got_verb == verb
    for name, role in roles.items():
        assert got_roles.get(name) == role, (name, got_roles)


@pytest.mark.parametrize(
    "text,expected",
    [
        # a region's name ends in a lower-case "bộ" or the word "Bộ": the body runs to its end
        ("UBND các tỉnh Bắc Trung bộ chủ động sơ tán dân ven biển.", "UBND các tỉnh Bắc Trung bộ"),
        ("UBND các tỉnh Nam Trung Bộ kiểm tra hồ đập.", "UBND các tỉnh Nam Trung Bộ"),
    ],
)
def test_region_runs_to_its_last_word(text, expected):
    assert expected in names(text)


@pytest.mark.parametrize(
    "text,deadline",
    [
        # a time of day between the deadline word and the date: the date still bounds the task
        ("UBND các xã ven biển hoàn thành di dời dân khỏi vùng trũng trước 16 giờ ngày 12/10/2025.", "2025-10-12"),
        ("Sở Giáo dục yêu cầu các trường báo cáo sĩ số trước 10h ngày 3/9/2025.", "2025-09-03"),
        ("Sở Y tế tổng hợp số ca bệnh, gửi UBND tỉnh trước 8h30 ngày 4/8/2025.", "2025-08-04"),
    ],
)
def test_deadline_after_a_time_of_day(text, deadline):
    pipe = RULES.setdefault("vi", Pipeline(lang="vi", extractors="rules"))
    rec = pipe.extract(text, lang="vi", published="2025-01-01")
    assert [d.deadline for d in rec.directives] == [deadline]


@pytest.mark.parametrize(
    "text,deadline",
    [
        # the years in a plan's name (its period and vision) do not bound the task; the deadline after it does
        ("Sở Xây dựng hoàn thiện Quy hoạch chung đô thị Sa Pa thời kỳ 2021-2030, tầm nhìn đến năm 2050, trình UBND tỉnh phê duyệt trong năm 2026.", "2026"),
        ("Sở Nông nghiệp và Môi trường rà soát quy hoạch thủy lợi đến năm 2030, tầm nhìn đến năm 2045 cho phù hợp với thực tế.", None),
        # "vào" before a date bounds the task like "trong"
        ("Sở Văn hóa, Thể thao và Du lịch phối hợp với Bộ Văn hóa tổ chức thành công lễ hội hoa vào tháng 6/2026.", "2026-06"),
        # a day that recurs every year is no deadline
        ("Sở Nội vụ tổng hợp kết quả thi đua, báo cáo UBND tỉnh trước ngày 10/12 hằng năm.", None),
    ],
)
def test_deadline_is_not_a_plans_horizon(text, deadline):
    pipe = RULES.setdefault("vi", Pipeline(lang="vi", extractors="rules"))
    rec = pipe.extract(text, lang="vi", published="2025-01-01")
    assert [d.deadline for d in rec.directives] == [deadline]


def test_listed_verb_cut_across_by_the_segmenter():
    # the segmenter reads "cập" + "nhật độ": the listed verb "cập nhật" is still the verb
    text = "Chi cục Kiểm lâm cập nhật độ che phủ rừng hằng quý."
    assert reading(text)[0] == "cập nhật"


def test_no_word_runs_from_lower_case_into_a_name():
    text = "Huyện ủy giao Ban Tuyên giáo biên soạn tài liệu"
    words = [t.text for t in tokens(text, 0, len(text), "vi")]
    assert "giao" in words and not any(" Ban" in w for w in words)


DIRECTIVES = {}


def directive_texts(text):
    pipe = DIRECTIVES.setdefault("vi", Pipeline(lang="vi", extractors="rules"))
    return [d.text for d in pipe.extract(text, lang="vi", published="2025-01-01").directives]


@pytest.mark.parametrize(
    "text,is_directive",
    [
        # the first body is the subject only when nothing but a lead-in, titles or names stands before it
        ("Sở đã tham mưu UBND tỉnh kiến nghị Bộ Tài chính bổ sung vốn cho công trình đê biển.", False),
        ("Theo số liệu của Cục Thống kê tỉnh, sản lượng lúa vụ đông xuân tăng 4,2% so với cùng kỳ.", False),
        ("Trách nhiệm thuộc về Chủ tịch UBND xã và cán bộ địa chính trong thời gian đó.", False),
        ("Hội nghị đã nghe Ban cán sự đảng UBND tỉnh báo cáo kết quả thu ngân sách.", False),
        ("Chủ tịch UBND huyện chỉ đạo Phòng Nông nghiệp hướng dẫn nông dân xuống giống đúng lịch.", True),
        ("Đối với tuyến tránh quốc lộ, UBND huyện Bảo Thắng phải hoàn thành bàn giao mặt bằng trong quý II/2025.", True),
        # "giao" of "bàn giao" or "giao thông" asks no one
        ("Đến nay, huyện đã bàn giao khoảng 90% mặt bằng cho chủ đầu tư.", False),
        ("Đây là dự án giao thông lớn nhất do tỉnh làm chủ đầu tư, thực hiện theo hình thức PPP.", False),
        # issuing a numbered document is news, not a task; a task to draft a plan is one
        ("Ban Thường vụ Huyện ủy vừa có Kế hoạch số 45-KH/HU về sơ kết công tác dân vận.", False),
        ("Thanh tra tỉnh vừa ban hành Kết luận thanh tra số 88/KL-TTr về việc quản lý đất công.", False),
        ("UBND các xã ban hành kế hoạch phòng chống thiên tai năm 2025 trước ngày 15/3.", True),
        # … unless the document carries an order to a body
        ("Chủ tịch UBND tỉnh đã ký Công điện số 07/CĐ-UBND yêu cầu các sở, ngành triển khai ngay biện pháp chống rét cho đàn gia súc.", True),
        ("Phó Chủ tịch UBND tỉnh vừa ký Quyết định số 310/QĐ-UBND giao chỉ tiêu phát triển hội viên năm 2025.", False),
        # a meeting at a video-link point
        ("Đồng chí Lò Văn Mạnh, Phó Bí thư Thường trực Huyện ủy, chủ trì tại điểm cầu huyện.", False),
        # a numbered notice issued by a body whose name holds a verb syllable ("Văn phòng")
        ("Văn phòng Chính phủ vừa có Thông báo số 215/TB-VPCP kết luận của Phó Thủ tướng tại buổi làm việc với tỉnh.", False),
        # a source before a comma, or a possibility offered to a citizen
        ("Theo Chi cục Thủy lợi, mực nước sông Hồng đang xuống thấp.", False),
        ("Bà có thể liên hệ Văn phòng Đăng ký đất đai huyện để được hướng dẫn.", False),
        # a figure reached is news; aimed at, it is a target of a task
        ("Giải ngân vốn đầu tư công đến ngày 30/11 đạt 72% kế hoạch.", False),
        ("Thu hút vốn đầu tư nước ngoài đạt 600 triệu USD.", False),
        ("Phấn đấu tỷ lệ giải ngân vốn đầu tư công năm 2025 đạt 100% kế hoạch.", True),
        # a preamble line of a decision is its basis, not a task
        ("Theo đề nghị của Sở Nội vụ tại Tờ trình số 45/TTr-SNV ngày 3/3/2025 về việc ban hành quy chế làm việc,", False),
        ("Căn cứ Nghị định số 30/2020/NĐ-CP của Chính phủ về công tác văn thư;", False),
        # a decision's articles: issuing the attached rules is no task; the bodies that carry it out are
        ("Ban hành kèm theo Quyết định này Quy chế phối hợp quản lý chợ trên địa bàn huyện.", False),
        ("Chánh Văn phòng UBND huyện, Trưởng các phòng, ban, Chủ tịch UBND các xã chịu trách nhiệm thi hành Quyết định này.", True),
    ],
)
def test_directive_or_not(text, is_directive):
    assert bool(directive_texts(text)) is is_directive


@pytest.mark.parametrize(
    "text,expected",
    [
        # a numbered title over its items is no task; its items are
        ("Kế hoạch chuyển đổi số của huyện.\n2. Phát triển hạ tầng số\na) Mở rộng vùng phủ sóng di động đến 12 thôn trước ngày 30/9/2025.\nb) Nâng cấp mạng nội bộ của UBND huyện.",
         ["Mở rộng vùng phủ sóng di động đến 12 thôn trước ngày 30/9/2025.", "Nâng cấp mạng nội bộ của UBND huyện."]),
        # a short line of its own with no closing punctuation is a section title
        ("Báo cáo kinh tế - xã hội quý I của huyện.\nGiải ngân vốn đầu tư công chậm\nCác xã phải đẩy nhanh giải ngân vốn đầu tư công trong quý II.",
         ["Các xã phải đẩy nhanh giải ngân vốn đầu tư công trong quý II."]),
        # items numbered in brackets, Arabic or Roman, are tasks like any other item
        ("Nhiệm vụ của các xã.\n(i) Khẩn trương kiện toàn ban chỉ huy quân sự xã.\n(ii) Rà soát toàn bộ hồ sơ đất công trước ngày 30/6.\n(3) Tuyên truyền chính sách hỗ trợ nông dân.",
         ["Khẩn trương kiện toàn ban chỉ huy quân sự xã.", "Rà soát toàn bộ hồ sơ đất công trước ngày 30/6.", "Tuyên truyền chính sách hỗ trợ nông dân."]),
        # a prohibition item is a task, its verb after the "không"
        ("Biện pháp chống rét.\n1. Không chăn thả trâu bò trên núi cao khi trời rét đậm.\n2. Rà soát chuồng trại của các hộ chăn nuôi.",
         ["Không chăn thả trâu bò trên núi cao khi trời rét đậm.", "Rà soát chuồng trại của các hộ chăn nuôi."]),
        # items numbered on two levels ("2.1.") are items
        ("Kế hoạch của xã về trật tự đô thị.\n2.1. Chấm dứt tình trạng lấn chiếm vỉa hè ở chợ.\n2.2. Chấm dứt việc đổ rác ra kênh rạch.",
         ["Chấm dứt tình trạng lấn chiếm vỉa hè ở chợ.", "Chấm dứt việc đổ rác ra kênh rạch."]),
        # a numbered item that is a whole task keeps its place, period or not
        ("Kế hoạch của huyện.\n1. Rà soát toàn bộ hộ nghèo trên địa bàn và cập nhật dữ liệu vào phần mềm quản lý trước ngày 30/6\n2. Tuyên truyền chính sách hỗ trợ.",
         ["Rà soát toàn bộ hộ nghèo trên địa bàn và cập nhật dữ liệu vào phần mềm quản lý trước ngày 30/6", "Tuyên truyền chính sách hỗ trợ."]),
    ],
)
def test_titles_are_not_directives(text, expected):
    got = directive_texts(text)
    assert [e for e in expected if not any(e in g for g in got)] == []
    assert len(got) == len(expected)


def test_general_reference_is_pinned_on_no_province():
    # an article about one province: "UBND tỉnh, thành phố" and "tỉnh ủy, thành ủy" are every province's
    for text, name in (("Thủ tướng yêu cầu UBND tỉnh, thành phố rà soát quỹ đất.", "UBND tỉnh, thành phố"),
                       ("Thủ tướng đề nghị Bí thư tỉnh ủy, thành ủy chỉ đạo quyết liệt.", "tỉnh ủy, thành ủy")):
        found = {a.text: a.canonical for a in find_agencies(text, [(0, len(text))], "vi", "Lao Cai")}
        assert name in found and "Lao Cai" not in found[name]
    text = "Tỉnh ủy yêu cầu các huyện rà soát."
    assert find_agencies(text, [(0, len(text))], "vi", "Lao Cai")[0].canonical == "Lao Cai Party Committee"


@pytest.mark.parametrize(
    "text,expected",
    [
        # each clause after a semicolon that opens with its own body is a directive of its own
        ("Sở Tài chính rà soát nguồn vốn cho các công trình đê điều; Sở Xây dựng hướng dẫn các xã lập hồ sơ thiết kế.",
         [("rà soát", {"Sở Tài chính": "lead"}), ("hướng dẫn", {"Sở Xây dựng": "lead"})]),
        ("UBND các xã tuyên truyền cho người dân về mùa mưa bão; Công an huyện phối hợp với Ban Chỉ huy Quân sự huyện ứng trực 24/24 giờ.",
         [("tuyên truyền", {"UBND các xã": "lead"}), ("ứng trực", {"Công an huyện": "lead", "Ban Chỉ huy Quân sự huyện": "coordinate"})]),
        # a semicolon before a lower-case list keeps the sentence whole
        ("Sở Y tế bổ sung thuốc cho các trạm y tế xã; các thiết bị cấp cứu cho bệnh viện huyện.",
         [("bổ sung", {"Sở Y tế": "lead"})]),
    ],
)
def test_one_directive_per_clause_with_its_own_body(text, expected):
    pipe = DIRECTIVES.setdefault("vi", Pipeline(lang="vi", extractors="rules"))
    got = [(d.verb, {a.name: a.role for a in d.agencies if a.role in ("lead", "coordinate")})
           for d in pipe.extract(text, lang="vi", published="2025-01-01").directives]
    assert got == expected


@pytest.mark.parametrize(
    "text,second",
    [
        # after a semicolon, a proper name the gazetteer lacks (a business) opens its own clause
        ("Sở Công Thương kiểm tra giá xăng dầu tại các cửa hàng; Công ty Xăng dầu Bắc Thái bảo đảm nguồn cung trong dịp Tết.",
         "Công ty Xăng dầu Bắc Thái bảo đảm nguồn cung trong dịp Tết."),
        ("Công an huyện giữ trật tự tại các điểm bắn pháo hoa; Trung tâm Văn hóa huyện bố trí sân khấu và âm thanh.",
         "Trung tâm Văn hóa huyện bố trí sân khấu và âm thanh."),
    ],
)
def test_semicolon_opens_a_named_clause(text, second):
    from directive_nlp.extract.clause import subject_clauses

    pipe = RULES.setdefault("vi", Pipeline(lang="vi", extractors="rules"))
    rec = pipe.extract(text, lang="vi", published="2025-01-01")
    clauses = [text[a:b].strip() for a, b in subject_clauses(text, [(0, len(text))], "vi", rec.agencies)]
    assert clauses[-1] == second and len(clauses) == 2


def test_semicolon_before_a_lower_case_list_keeps_the_sentence():
    from directive_nlp.extract.clause import subject_clauses

    text = "Sở Y tế rà soát danh sách cơ sở hành nghề; kiểm tra việc niêm yết giá thuốc tại các nhà thuốc."
    assert subject_clauses(text, [(0, len(text))], "vi", []) == [(0, len(text))]


HEADED = (
    "UBND tỉnh ban hành kế hoạch bảo đảm trật tự đô thị dịp cuối năm.\n"
    "Các cơ quan, đơn vị thực hiện các nội dung sau:\n"
    "- Sở Xây dựng:\n"
    "+ Rà soát các công trình xây dựng trái phép trên các tuyến phố chính;\n"
    "+ Phối hợp với Công an tỉnh xử lý các phương tiện đỗ sai quy định.\n"
    "2. Giao UBND các xã, phường:\n"
    "a) Tổ chức ra quân dọn dẹp vỉa hè trước ngày 15/12/2025;\n"
    "b) Báo cáo kết quả về Sở Xây dựng trước ngày 25/12/2025.\n"
    "3. Chủ tịch UBND tỉnh yêu cầu:\n"
    "- Kiểm tra việc cấp phép quảng cáo ngoài trời.\n"
)


@pytest.mark.parametrize(
    "opening,leads",
    [
        # a header line naming only a body: its "+" items are that body's tasks
        ("+ Rà soát các công trình", ["Sở Xây dựng"]),
        ("+ Phối hợp với Công an tỉnh", ["Sở Xây dựng"]),
        # a header asking bodies ("Giao X:"): its lettered items are their tasks
        ("a) Tổ chức ra quân", ["UBND các xã, phường"]),
        ("b) Báo cáo kết quả", ["UBND các xã, phường"]),
        # a header whose body is the one asking gives its items no lead
        ("- Kiểm tra việc cấp phép", []),
    ],
)
def test_header_gives_its_items_a_lead(opening, leads):
    pipe = RULES.setdefault("vi", Pipeline(lang="vi", extractors="rules"))
    rec = pipe.extract(HEADED, lang="vi", published="2025-11-20")
    d = next(x for x in rec.directives if x.text.startswith(opening))
    assert [a.name for a in d.agencies if a.role == "lead"] == leads
