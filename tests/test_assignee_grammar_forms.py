"""The forms a letter gives a unit its task in, each as printed lines and the assignees they
give (CONTRACT "Who is an assignee"): the lead, those it works with, and units given tasks
in sub-items; never a unit that is only the object of the action or only mentioned.

The lines are written for these tests, across ministries, provinces, communes, Party bodies,
the police, schools, hospitals and companies. Generic addressees ("các cơ quan, đơn vị liên
quan") are left out of the comparison, as the evaluation leaves them out of its score."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import decision, extractor, letter
from vanthu.pipeline.fields.generic import is_generic_addressee


@pytest.fixture
def extract(tmp_path: Path):
    return extractor(tmp_path)


def _id(row) -> str:
    return row.values[0] if hasattr(row, "values") else row[0]


def _named(units: list[str]) -> tuple[list[str], list[str]]:
    """(the lead when it is named, the named units sorted): scoring weighs no order but the lead's."""
    named = [u for u in units if not is_generic_addressee(u)]
    return named[:1], sorted(named)


# (form, printed body of one numbered item, its assignees: lead first)
ITEMS = [
    # --- tasks in enumerated clauses "(i) … ; (ii) …"
    (
        "enumerated-clauses",
        "1. Giao các cơ quan, đơn vị thực hiện các nhiệm vụ sau: (i) Sở Tài chính tham mưu bố trí kinh phí; "
        "(ii) Sở Nội vụ hướng dẫn sắp xếp tổ chức bộ máy; (iii) Công an tỉnh bảo đảm an ninh, trật tự.",
        ["Sở Tài chính", "Sở Nội vụ", "Công an tỉnh"],
    ),
    (
        "enumerated-clauses-numbers",
        "2. Đề nghị: (1) Bộ Tài chính hướng dẫn thủ tục; (2) Bộ Tư pháp thẩm định dự thảo.",
        ["Bộ Tài chính", "Bộ Tư pháp"],
    ),
    (
        "enumerated-clause-object-only",  # a unit only mentioned inside a clause gets no task
        "3. Tập trung: (i) hoàn thiện thể chế; (ii) báo cáo Bộ Tài chính kết quả thực hiện.",
        [],
    ),
    # --- units that work with one another: "phối hợp … giữa A, B và C"
    (
        "coordination-between",
        "2. Tăng cường phối hợp trong thực hiện nhiệm vụ giữa Sở Nội vụ, Sở Tài chính và Công an tỉnh; kịp "
        "thời trao đổi thông tin.",
        ["Sở Nội vụ", "Sở Tài chính", "Công an tỉnh"],
    ),
    (
        "between-without-coordination",  # "giữa" alone names no one who works
        "3. Rà soát ranh giới giữa Sở Nội vụ và Sở Tư pháp trong quản lý nhà nước.",
        [],
    ),
    (
        "topic-then-qualified-agreement",
        "1. Về đề nghị của Bộ Y tế: Đồng ý về nguyên tắc, giao Bộ Y tế phối hợp với Bộ Tài chính hoàn thiện hồ "
        "sơ theo quy định.",
        ["Bộ Y tế", "Bộ Tài chính"],
    ),
    (
        "leader-with-name-before-directive",
        "5. Phó Thủ tướng Chính phủ Hồ Đức Phớc đề nghị Ngân hàng Nhà nước Việt Nam chỉ đạo các ngân hàng "
        "thương mại giãn, hoãn nợ cho khách hàng.",
        ["Ngân hàng Nhà nước Việt Nam"],
    ),
    (
        "descriptor-in-brackets-after-unit",
        "4. Sở Y tế (cơ quan thường trực) chủ trì tổng hợp kết quả thực hiện.",
        ["Sở Y tế"],
    ),
    (
        "plural-phrase-after-comma",
        "9. Sở Giáo dục và Đào tạo, Đại học Tây Nguyên, các trường cao đẳng trên địa bàn tỉnh tuyên truyền "
        "đến học sinh, sinh viên.",
        ["Sở Giáo dục và Đào tạo", "Đại học Tây Nguyên"],
    ),
    # --- a leader's conclusions: the speaker or an agreement before the directive
    (
        "speaker-before-directive",
        "8. Phó Thủ tướng yêu cầu Bộ Giáo dục và Đào tạo khẩn trương hoàn thiện Đề án, trình Thủ tướng "
        "Chính phủ trong tháng 12 năm 2025.",
        ["Bộ Giáo dục và Đào tạo"],
    ),
    (
        "agreement-before-directive",
        "2. Thống nhất giao Bộ Tài chính làm đầu mối tổng hợp ý kiến của các bộ, ngành.",
        ["Bộ Tài chính"],
    ),
    (
        "topic-heading-then-unit",
        "2. Về kiến nghị của Ủy ban nhân dân tỉnh Lâm Đồng: Bộ Xây dựng xem xét, xử lý theo thẩm quyền; "
        "trường hợp vượt thẩm quyền, báo cáo Thủ tướng Chính phủ.",
        ["Bộ Xây dựng"],
    ),
    (
        "abbreviation-after-unit",
        "10. Tổng công ty Đầu tư và Kinh doanh vốn nhà nước (SCIC) chủ động làm việc với các nhà đầu tư.",
        ["Tổng công ty Đầu tư và Kinh doanh vốn nhà nước"],
    ),
    (
        "shared-head-list-long-name",
        "7. Các Bộ, cơ quan: Tài chính, Xây dựng, Ngân hàng Nhà nước Việt Nam theo chức năng, nhiệm vụ được "
        "giao, phối hợp chặt chẽ với Ủy ban nhân dân Thành phố Hà Nội trong quá trình triển khai.",
        ["Các Bộ, cơ quan: Tài chính, Xây dựng, Ngân hàng Nhà nước Việt Nam", "Ủy ban nhân dân Thành phố Hà Nội"],
    ),
    (
        "action-verb-open",
        "6. Đài Phát thanh và Truyền hình tỉnh, Cổng Thông tin điện tử tỉnh mở chuyên mục tuyên truyền về "
        "nội dung Chỉ thị.",
        ["Đài Phát thanh và Truyền hình tỉnh", "Cổng Thông tin điện tử tỉnh"],
    ),
    # --- units given tasks of their own in clauses after a semicolon
    (
        "parallel-clause",
        "1. Sở Nội vụ hướng dẫn, kiểm tra; Sở Tài chính bảo đảm kinh phí thực hiện.",
        ["Sở Nội vụ", "Sở Tài chính"],
    ),
    (
        "parallel-clause-mentioned",  # a unit that is only the object in the later clause
        "1. Trung tâm Y tế huyện chủ trì tiêm chủng; kết quả gửi Sở Y tế trước ngày 20/12/2025.",
        ["Trung tâm Y tế huyện"],
    ),
    # --- a generic addressee with a colon before the named units it means
    (
        "generic-then-named",
        "6. Các đơn vị thuộc Bộ: Vụ Tổ chức cán bộ, Vụ Kế hoạch - Tài chính, Văn phòng Bộ theo chức năng, "
        "nhiệm vụ thực hiện.",
        ["Vụ Tổ chức cán bộ", "Vụ Kế hoạch - Tài chính", "Văn phòng Bộ"],
    ),
    (
        "shared-head-list-with-a-head-word",  # "Công an" is a head, but here a name after "các Bộ:"
        "1. Bộ trưởng các Bộ: Công an, Quốc phòng, Ngoại giao chỉ đạo lực lượng chức năng tăng cường kiểm soát.",
        ["Bộ trưởng các Bộ: Công an, Quốc phòng, Ngoại giao"],
    ),
    # --- a unit given its own role in brackets inside a task
    (
        "bracketed-lead",
        "1. Nắm chắc cơ sở dữ liệu về doanh nghiệp, báo cáo UBND tỉnh hằng quý (Sở Kế hoạch và Đầu tư chịu "
        "trách nhiệm tổng hợp báo cáo chung toàn tỉnh).",
        ["Sở Kế hoạch và Đầu tư"],
    ),
    (
        "hyphen-spaced-by-the-scan",
        "1. Sở Thông tin và Truyền thông chủ trì, phối hợp với Đài Phát thanh- Truyền hình tỉnh, Trung tâm Văn hóa - "
        "Thể thao tỉnh tuyên truyền.",
        ["Sở Thông tin và Truyền thông", "Đài Phát thanh-Truyền hình tỉnh", "Trung tâm Văn hóa - Thể thao tỉnh"],
    ),
    (
        "levels-then-a-generic-word",
        "1. Yêu cầu Thủ trưởng các sở, ban ngành tỉnh, Chủ tịch UBND các huyện, thị xã, thành phố, đơn vị được giao "
        "kế hoạch vốn tập trung tháo gỡ khó khăn.",
        [
            "Thủ trưởng các sở, ban ngành tỉnh",
            "Chủ tịch UBND các huyện, thị xã, thành phố",
            "đơn vị được giao kế hoạch vốn",
        ],
    ),
    (
        "bracketed-mention",
        "1. Rà soát các dự án theo đề nghị của Sở Tài chính (Sở Tài chính đã có văn bản số 12/STC-QLG).",
        [],
    ),
    # --- "Giao X chủ trì, phối hợp với Y …"
    (
        "giao-chu-tri-phoi-hop",
        "1. Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ, Kho bạc Nhà nước khu vực IX "
        "rà soát kinh phí chi trả chế độ.",
        ["Sở Tài chính", "Sở Nội vụ", "Kho bạc Nhà nước khu vực IX"],
    ),
    (
        "giao-bo",
        "1. Giao Bộ Công Thương chủ trì, phối hợp với Bộ Tài chính và Ngân hàng Nhà nước Việt Nam "
        "theo dõi sát diễn biến giá xăng dầu.",
        ["Bộ Công Thương", "Bộ Tài chính", "Ngân hàng Nhà nước Việt Nam"],
    ),
    (
        "giao-cho",
        "1. Giao cho Phòng Văn hóa - Xã hội phường chủ trì, phối hợp với Trạm Y tế phường tổ chức tiêm chủng.",
        ["Phòng Văn hóa - Xã hội phường", "Trạm Y tế phường"],
    ),
    (
        "giao-cong-an",
        "1. Giao Công an tỉnh chủ trì, phối hợp với Bộ Chỉ huy Quân sự tỉnh, Bộ Chỉ huy Bộ đội "
        "Biên phòng tỉnh bảo đảm an ninh trật tự dịp Tết.",
        ["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"],
    ),
    (
        "giao-cung",
        "1. Giao Trường Trung học phổ thông Chu Văn An chủ trì cùng Đoàn Thanh niên phường tổ chức ngày hội đọc sách.",
        ["Trường Trung học phổ thông Chu Văn An", "Đoàn Thanh niên phường"],
    ),
    (
        "giao-then-generic",
        "1. Giao Sở Giáo dục và Đào tạo chủ trì, phối hợp với các cơ quan, đơn vị liên quan "
        "xây dựng kế hoạch tuyển sinh.",
        ["Sở Giáo dục và Đào tạo"],
    ),
    (
        "giao-chat-che",
        "1. Giao Ban Quản lý các khu công nghiệp tỉnh chủ trì, phối hợp chặt chẽ với Sở Công Thương "
        "kiểm tra việc chấp hành pháp luật lao động.",
        ["Ban Quản lý các khu công nghiệp tỉnh", "Sở Công Thương"],
    ),
    (
        "giao-after-topic",
        "1. Về phát triển nhà ở xã hội: Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính đề xuất cơ chế hỗ trợ.",
        ["Sở Xây dựng", "Sở Tài chính"],
    ),
    # --- "X chủ trì …"
    (
        "x-chu-tri",
        "1. Sở Y tế chủ trì, phối hợp với Bảo hiểm xã hội tỉnh hướng dẫn thanh toán chi phí khám, chữa bệnh.",
        ["Sở Y tế", "Bảo hiểm xã hội tỉnh"],
    ),
    (
        "x-chu-tri-company",
        "1. Tổng công ty Điện lực miền Bắc chủ trì, phối hợp với Công ty Điện lực Thái Bình bảo đảm cấp điện an toàn.",
        ["Tổng công ty Điện lực miền Bắc", "Công ty Điện lực Thái Bình"],
    ),
    (
        "x-chu-tri-hospital",
        "1. Bệnh viện Đa khoa tỉnh chủ trì, phối hợp với Trung tâm Kiểm soát bệnh tật tỉnh giám sát ca bệnh.",
        ["Bệnh viện Đa khoa tỉnh", "Trung tâm Kiểm soát bệnh tật tỉnh"],
    ),
    (
        "x-chu-tri-party",
        "1. Ban Tuyên giáo và Dân vận Tỉnh ủy chủ trì, phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam "
        "tỉnh định hướng công tác tuyên truyền.",
        ["Ban Tuyên giáo và Dân vận Tỉnh ủy", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"],
    ),
    (
        "x-chu-tri-commune",
        "1. Ủy ban nhân dân xã Tân Phú chủ trì, phối hợp với Công an xã Tân Phú vận động người dân giao nộp vũ khí.",
        ["Ủy ban nhân dân xã Tân Phú", "Công an xã Tân Phú"],
    ),
    (
        "x-then-list-role",
        "1. Sở Nội vụ, Sở Tài chính và Sở Xây dựng phối hợp rà soát trụ sở dôi dư.",
        ["Sở Nội vụ", "Sở Tài chính", "Sở Xây dựng"],
    ),
    (
        "x-list-then-generic-tail",
        "1. Đài Phát thanh và Truyền hình tỉnh, Báo Quảng Ninh và các cơ quan báo chí trên địa bàn phối hợp đưa tin.",
        ["Đài Phát thanh và Truyền hình tỉnh", "Báo Quảng Ninh"],
    ),
    (
        "x-comma-compound",
        "1. Bộ Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Bộ Khoa học và Công nghệ triển khai Đề án.",
        ["Bộ Văn hóa, Thể thao và Du lịch", "Bộ Khoa học và Công nghệ"],
    ),
    (
        "x-chu-dong",
        "1. Chi cục Kiểm lâm tỉnh chủ động phối hợp với Hạt Kiểm lâm các huyện tuần tra bảo vệ rừng.",
        ["Chi cục Kiểm lâm tỉnh", "Hạt Kiểm lâm các huyện"],
    ),
    # --- "X có trách nhiệm …"
    (
        "co-trach-nhiem",
        "1. Kho bạc Nhà nước khu vực V có trách nhiệm kiểm soát chi theo quy định.",
        ["Kho bạc Nhà nước khu vực V"],
    ),
    (
        "co-trach-nhiem-list",
        "1. Sở Tư pháp, Thanh tra tỉnh có trách nhiệm hướng dẫn các xã thực hiện.",
        ["Sở Tư pháp", "Thanh tra tỉnh"],
    ),
    (
        "chiu-trach-nhiem",
        "1. Hiệu trưởng các trường trung học cơ sở trên địa bàn chịu trách nhiệm tổ chức kỳ thi.",
        ["Hiệu trưởng các trường trung học cơ sở trên địa bàn"],
    ),
    # --- "Đề nghị X …", "Yêu cầu X …"
    (
        "de-nghi",
        "1. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội tỉnh tăng cường giám sát.",
        ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"],
    ),
    (
        "de-nghi-party",
        "1. Đề nghị Đảng ủy các cơ quan Đảng tỉnh lãnh đạo, chỉ đạo các chi bộ trực thuộc quán triệt Nghị quyết.",
        ["Đảng ủy các cơ quan Đảng tỉnh"],
    ),
    (
        "yeu-cau",
        "1. Yêu cầu Giám đốc Sở Nông nghiệp và Môi trường chỉ đạo Chi cục Thủy lợi kiểm tra an toàn hồ đập.",
        ["Giám đốc Sở Nông nghiệp và Môi trường"],
    ),
    (
        "yeu-cau-list",
        "1. Yêu cầu Chủ tịch Ủy ban nhân dân các xã, phường khẩn trương rà soát hồ sơ đất đai.",
        ["Chủ tịch Ủy ban nhân dân các xã, phường"],
    ),
    (
        "yeu-cau-company",
        "1. Yêu cầu Công ty Cổ phần Cấp nước Hải Dương bảo đảm cung cấp nước sạch liên tục.",
        ["Công ty Cổ phần Cấp nước Hải Dương"],
    ),
    # --- objects of the action and mentioned units are no assignees
    ("object-huong-dan", "1. Sở Nội vụ hướng dẫn các xã, phường kiện toàn bộ máy.", ["Sở Nội vụ"]),
    ("object-chi-dao", "1. Công an tỉnh chỉ đạo Công an các phường tăng cường tuần tra.", ["Công an tỉnh"]),
    ("object-trinh", "1. Sở Tài chính tổng hợp, trình Ủy ban nhân dân tỉnh trước ngày 15/12/2025.", ["Sở Tài chính"]),
    (
        "mention-de-nghi-cua",
        "1. Theo đề nghị của Sở Y tế, giao Trung tâm Y tế khu vực Hải An chủ trì tổ chức chiến dịch.",
        ["Trung tâm Y tế khu vực Hải An"],
    ),
    (
        "mention-van-ban",
        "1. Thực hiện Công văn số 120/BYT-KCB của Bộ Y tế, Sở Y tế chủ trì hướng dẫn các bệnh viện.",
        ["Sở Y tế"],
    ),
    (
        "object-bao-cao",
        "1. Ủy ban nhân dân các xã báo cáo kết quả về Sở Nông nghiệp và Môi trường trước ngày 20 hằng tháng.",
        ["Ủy ban nhân dân các xã"],
    ),
    # --- "Lãnh đạo" before a head is an official; "Ủy quyền cho X" gives X a task
    (
        "uy-quyen",
        "1. Ủy quyền cho Lãnh đạo Sở Tư pháp thay mặt Ủy ban nhân dân tỉnh ký kết thỏa thuận.",
        ["Lãnh đạo Sở Tư pháp"],
    ),
    ("lanh-dao-verb", "1. Lãnh đạo, chỉ đạo các cấp ủy triển khai Nghị quyết.", []),
    # --- named officials
    (
        "official-giam-doc",
        "1. Giám đốc Sở Tài chính chủ trì, phối hợp với Giám đốc Kho bạc Nhà nước khu vực II xử lý dứt điểm tồn đọng.",
        ["Giám đốc Sở Tài chính", "Giám đốc Kho bạc Nhà nước khu vực II"],
    ),
    (
        "official-thu-truong",
        "1. Thủ trưởng các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh chịu trách nhiệm "
        "trước Chủ tịch Ủy ban nhân dân tỉnh về tiến độ giải ngân.",
        [],
    ),
    (
        "official-nguoi-dung-dau",
        "1. Người đứng đầu cơ quan, đơn vị chịu trách nhiệm kiểm tra việc chấp hành kỷ luật.",
        [],
    ),
    (
        "official-chanh-van-phong",
        "1. Chánh Văn phòng Ủy ban nhân dân tỉnh theo dõi, đôn đốc việc thực hiện.",
        ["Chánh Văn phòng Ủy ban nhân dân tỉnh"],
    ),
    (
        "official-hieu-truong",
        "1. Hiệu trưởng Trường Cao đẳng Y tế tỉnh chủ trì tổ chức đào tạo lại.",
        ["Hiệu trưởng Trường Cao đẳng Y tế tỉnh"],
    ),
    # --- domain compounds with a comma inside a name
    (
        "comma-kham-chua-benh",
        "1. Cục Quản lý Khám, chữa bệnh chủ trì, phối hợp với Cục Phòng bệnh hướng dẫn chuyên môn.",
        ["Cục Quản lý Khám, chữa bệnh", "Cục Phòng bệnh"],
    ),
    (
        "comma-phong-chong",
        "1. Ban Chỉ huy phòng, chống thiên tai tỉnh chủ trì tổ chức diễn tập.",
        ["Ban Chỉ huy phòng, chống thiên tai tỉnh"],
    ),
    (
        "comma-pccc",
        "1. Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ Công an tỉnh chủ trì kiểm tra.",
        ["Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ Công an tỉnh"],
    ),
    # --- department names ending in a noun that is also a verb
    (
        "name-xay-dung",
        "1. Cục Quản lý hoạt động xây dựng tham mưu Bộ trưởng ban hành quy chuẩn.",
        ["Cục Quản lý hoạt động xây dựng"],
    ),
    ("name-xay-dung-not-object", "1. Sở Tài chính xây dựng kế hoạch thu ngân sách.", ["Sở Tài chính"]),
    ("name-quan-ly-not-object", "1. Sở Tài chính quản lý thực hiện dự án.", ["Sở Tài chính"]),
    (
        "name-then-verb-one-segment",
        "1. Ủy ban nhân dân xã Tân Phú chủ trì, phối hợp với Công an xã Tân Phú vận động người dân giao nộp vũ khí.",
        ["Ủy ban nhân dân xã Tân Phú", "Công an xã Tân Phú"],
    ),
    (
        "name-lowercase-verb-before-role-verb",
        "1. Cục Y tế dự phòng chủ trì, phối hợp với Viện Vệ sinh dịch tễ Trung ương hướng dẫn giám sát.",
        ["Cục Y tế dự phòng", "Viện Vệ sinh dịch tễ Trung ương"],
    ),
    # a known gap: lower-case words joined by "và" inside a name
    pytest.param(
        "gap-lowercase-va-in-name",
        "1. Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn tỉnh chủ trì tổ chức diễn tập.",
        ["Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn tỉnh"],
        marks=pytest.mark.xfail(strict=True, reason="'và' before lower-case words ends a name"),
    ),
    ("name-level-then-verb", "1. Đảng ủy các phường tổ chức thực hiện Chỉ thị.", ["Đảng ủy các phường"]),
    # --- lists of ministries / departments given one task
    (
        "list-cac-bo",
        "1. Các Bộ: Công an, Quốc phòng, Tài chính theo chức năng, nhiệm vụ được giao chủ động triển khai.",
        ["Các Bộ: Công an, Quốc phòng, Tài chính"],
    ),
    (
        "list-bo-truong",
        "1. Bộ trưởng các Bộ: Y tế, Giáo dục và Đào tạo, Nội vụ chỉ đạo rà soát đội ngũ.",
        ["Bộ trưởng các Bộ: Y tế, Giáo dục và Đào tạo, Nội vụ"],
    ),
    (
        "list-so",
        "1. Sở Công Thương, Sở Khoa học và Công nghệ, Sở Nông nghiệp và Môi trường có trách nhiệm kiểm tra "
        "chất lượng hàng hóa.",
        ["Sở Công Thương", "Sở Khoa học và Công nghệ", "Sở Nông nghiệp và Môi trường"],
    ),
    (
        "list-thuoc",
        "1. Vụ Kế hoạch - Tài chính, Văn phòng Bộ và Thủ trưởng các Vụ, Cục thuộc Bộ phối hợp thực hiện.",
        ["Vụ Kế hoạch - Tài chính", "Văn phòng Bộ", "Thủ trưởng các Vụ, Cục thuộc Bộ"],
    ),
    # --- issue 18, fifth round: forms of a leader's conclusions written by hand
    # a name ends at an action verb the tagger reads as a noun after the name ("cân đối")
    (
        "name-ends-at-verb-tagged-noun",
        "1. Giao Sở Tài chính chủ trì, phối hợp với Sở Nông nghiệp và Môi trường cân đối nguồn vốn.",
        ["Sở Tài chính", "Sở Nông nghiệp và Môi trường"],
    ),
    (
        "name-ends-at-giai-ngan",
        "1. Kho bạc Nhà nước khu vực II giải ngân vốn đầu tư công.",
        ["Kho bạc Nhà nước khu vực II"],
    ),
    ("name-ends-at-tham-tra", "1. Sở Tư pháp thẩm tra dự thảo Nghị quyết.", ["Sở Tư pháp"]),
    # a topic heading answered after its colon by a directive in lower case
    (
        "topic-then-lowercase-giao",
        "1. Về đề nghị của Ủy ban nhân dân tỉnh Lâm Đồng: giao Bộ Nông nghiệp và Môi trường xem xét, xử lý.",
        ["Bộ Nông nghiệp và Môi trường"],
    ),
    (
        "topic-then-lowercase-de-nghi",
        "1. Đối với kiến nghị của Bộ Tài chính: đề nghị Bộ Tư pháp có ý kiến bằng văn bản.",
        ["Bộ Tư pháp"],
    ),
    ("topic-then-no-directive", "1. Về đề nghị của Bộ Y tế: đồng ý về nguyên tắc.", []),
    # the passive: the agent after "do" with a role word leads
    (
        "passive-agent-leads",
        "1. Việc sửa đổi Nghị định số 100/2024/NĐ-CP do Bộ Xây dựng chủ trì, phối hợp với Bộ Tư pháp thực hiện.",
        ["Bộ Xây dựng", "Bộ Tư pháp"],
    ),
    # a unit that is the standing or focal body of the task takes a role in it
    (
        "standing-role-thuong-truc",
        "1. Sở Văn hóa, Thể thao và Du lịch là cơ quan thường trực, chủ trì tổ chức thực hiện Đề án.",
        ["Sở Văn hóa, Thể thao và Du lịch"],
    ),
    ("standing-role-dau-moi", "1. Sở Y tế là cơ quan đầu mối, có trách nhiệm tổng hợp.", ["Sở Y tế"]),
    ("standing-role-nong-cot", "1. Công an tỉnh là lực lượng nòng cốt trong phòng, chống tội phạm.", ["Công an tỉnh"]),
    ("standing-role-none-a-statement", "1. Sở Tài chính là cơ quan quản lý nhà nước về giá.", []),
    # a branch or a region inside a name in lower case ("chi nhánh", "khu vực")
    (
        "name-branch-lower-case",
        "1. Ngân hàng Nhà nước chi nhánh Khu vực 9 chỉ đạo các tổ chức tín dụng trên địa bàn.",
        ["Ngân hàng Nhà nước chi nhánh Khu vực 9"],
    ),
    ("name-branch-object", "1. Sở Tài chính chỉ đạo các chi nhánh ngân hàng trên địa bàn.", ["Sở Tài chính"]),
    # a head printed with every word capitalised
    (
        "head-title-cased",
        "1. Đề nghị Tỉnh Đoàn, Hội Liên hiệp Phụ nữ tỉnh phối hợp tuyên truyền.",
        ["Tỉnh Đoàn", "Hội Liên hiệp Phụ nữ tỉnh"],
    ),
    ("head-title-cased-ubnd", "1. Ủy Ban Nhân Dân các xã tổ chức thực hiện.", ["Ủy Ban Nhân Dân các xã"]),
    ("passive-agent-dam-nhan", "1. Nhiệm vụ này do Sở Nội vụ đảm nhận.", ["Sở Nội vụ"]),
    ("passive-issuer-is-no-agent", "1. Thực hiện theo hướng dẫn do Bộ Tài chính ban hành.", []),
    ("passive-organiser-is-no-agent", "1. Hội nghị tổng kết do Ủy ban nhân dân tỉnh tổ chức vào tháng 12.", []),
    # --- issue 18, sixth round: a later clause whose units open with a verb the tagger knows,
    # though no listed action word ("đưa tin")
    (
        "parallel-clause-tagged-verb",
        "3. Sở Văn hóa, Thể thao và Du lịch chủ trì tổ chức các hoạt động chào mừng; Đài Phát thanh và "
        "Truyền hình tỉnh, Báo Nhân Dân đưa tin.",
        ["Sở Văn hóa, Thể thao và Du lịch", "Đài Phát thanh và Truyền hình tỉnh", "Báo Nhân Dân"],
    ),
    # ... and a later clause that opens with no verb names no one
    (
        "parallel-clause-no-verb",
        "4. Sở Văn hóa, Thể thao và Du lịch chủ trì tổ chức các hoạt động chào mừng; kinh phí do ngân sách tỉnh "
        "bảo đảm.",
        ["Sở Văn hóa, Thể thao và Du lịch"],
    ),
    # --- issue 18, seventh round: a unit that gives the task before its directive verb is
    # no assignee; the units after the verb are ("Bộ Chính trị giao …", "Cục Thuế đề nghị …")
    (
        "giver-unit-giao",
        "2. Bộ Chính trị giao Ban Tổ chức Trung ương chủ trì, phối hợp với Đảng ủy Chính phủ tham mưu sửa đổi "
        "quy định.",
        ["Ban Tổ chức Trung ương", "Đảng ủy Chính phủ"],
    ),
    (
        "giver-unit-giao-name-with-verb",  # the giver's name would run on over "giao" between capitals
        "9. Thường trực Tỉnh ủy giao Ban cán sự đảng Ủy ban nhân dân tỉnh lãnh đạo, chỉ đạo triển khai.",
        ["Ban cán sự đảng Ủy ban nhân dân tỉnh"],
    ),
    ("giver-unit-giao-province", "3. Ủy ban nhân dân tỉnh giao Sở Nội vụ chủ trì tham mưu triển khai.", ["Sở Nội vụ"]),
    (
        "giver-unit-de-nghi",
        "7. Cục Thuế đề nghị Chi cục Thuế khu vực II và Thuế tỉnh Bình Dương tổ chức triển khai thực hiện.",
        ["Chi cục Thuế khu vực II", "Thuế tỉnh Bình Dương"],
    ),
    (
        "giver-unit-de-nghi-front",
        "8. Ủy ban nhân dân tỉnh đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh phối hợp tuyên truyền.",
        ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"],
    ),
    (
        "giver-unit-yeu-cau-levels",
        "5. Ban Bí thư yêu cầu các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương quán triệt, triển khai.",
        ["các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương"],
    ),
    (
        "giver-unit-giao-nhiem-vu-cho",
        "1. Ủy ban nhân dân tỉnh giao nhiệm vụ cho Sở Y tế chủ trì, phối hợp với Sở Tài chính triển khai.",
        ["Sở Y tế", "Sở Tài chính"],
    ),
    # ... and with no giver: the units it names work with the lead's support too
    (
        "giao-nhiem-vu-cho-with-support",
        "1. Giao nhiệm vụ cho Sở Y tế chủ trì, phối hợp với Sở Tài chính triển khai.",
        ["Sở Y tế", "Sở Tài chính"],
    ),
    ("giao-nhiem-vu-cho-names-only", "1. Giao nhiệm vụ cho Sở Y tế và Sở Tài chính", ["Sở Y tế", "Sở Tài chính"]),
    # ... a unit with no directive after it still leads
    ("unit-leads-without-directive", "1. Sở Tài chính có trách nhiệm hướng dẫn các xã lập dự toán.", ["Sở Tài chính"]),
    # ... and "giao" inside a ministry's name in a list sharing a head ends no name
    (
        "shared-head-list-ngoai-giao",
        "Điều 5. Bộ trưởng các Bộ: Xây dựng, Ngoại giao, Tư pháp, Công an chịu trách nhiệm thi hành Nghị quyết này.",
        ["Bộ trưởng các Bộ: Xây dựng, Ngoại giao, Tư pháp, Công an"],
    ),
]

# (form, printed body lines, the assignees of each top-level item)
BLOCKS = [
    # a sub-item's marker the scan ran into the paragraph before it ("…; ø) Chủ trì, phối hợp với …")
    (
        "run-on-sub-item-marker-misread",
        (
            "1. Sở Giáo dục và Đào tạo chịu trách nhiệm toàn diện về tổ chức Kỳ thi, thực hiện các khâu:",
            "a) Ban hành các văn bản hướng dẫn;",
            "b) Bảo đảm an toàn Kỳ thi; ø) Chủ trì, phối hợp với UBND các huyện, thị xã, thành phố bảo đảm điều kiện.",
        ),
        [["Sở Giáo dục và Đào tạo", "UBND các huyện, thị xã, thành phố"]],
    ),
    # a sub-item "Trách nhiệm của X: …" with its task after the colon: X is an assignee of
    # the top-level item too (issue 18, fifth round)
    (
        "sub-item-responsibility-heading-with-task",
        (
            "IV. TỔ CHỨC THỰC HIỆN",
            "1. Sở Khoa học và Công nghệ chủ trì triển khai Kế hoạch.",
            "2. Trách nhiệm của Sở Tài chính: tham mưu bố trí kinh phí.",
            "3. Trách nhiệm của các đơn vị: thực hiện nghiêm túc.",
        ),
        [["Sở Khoa học và Công nghệ", "Sở Tài chính"]],
    ),
    (
        "heading-colon-bullets",
        (
            "1. Sở Lao động, Thương binh và Xã hội:",
            "- Chủ trì, phối hợp với Bảo hiểm xã hội tỉnh rà soát đối tượng.",
            "- Hướng dẫn các xã chi trả trợ cấp.",
        ),
        [["Sở Lao động, Thương binh và Xã hội", "Bảo hiểm xã hội tỉnh"]],
    ),
    (
        "heading-colon-police",
        (
            "1. Công an thành phố:",
            "- Chỉ đạo Công an các phường tăng cường tuần tra.",
            "- Xử lý nghiêm các vi phạm.",
            "2. Ban Chỉ huy Quân sự thành phố:",
            "- Sẵn sàng lực lượng ứng cứu.",
        ),
        [["Công an thành phố"], ["Ban Chỉ huy Quân sự thành phố"]],
    ),
    (
        "trach-nhiem-cua",
        (
            "1. Trách nhiệm của Sở Giáo dục và Đào tạo",
            "a) Hướng dẫn các trường xây dựng kế hoạch năm học.",
            "b) Phối hợp với Sở Y tế kiểm tra an toàn thực phẩm trong trường học.",
        ),
        [["Sở Giáo dục và Đào tạo", "Sở Y tế"]],
    ),
    (
        "trach-nhiem-cua-colon",
        (
            "1. Trách nhiệm của Ủy ban nhân dân cấp xã:",
            "- Tuyên truyền, vận động nhân dân.",
            "- Báo cáo kết quả về Sở Nội vụ.",
        ),
        [["Ủy ban nhân dân cấp xã"]],
    ),
    (
        "sub-items-giao",
        (
            "1. Về cải cách hành chính",
            "1.1. Giao Sở Nội vụ chủ trì theo dõi chỉ số cải cách hành chính.",
            "1.2. Giao Trung tâm Phục vụ hành chính công tỉnh chủ trì, phối hợp với Viettel Thanh Hóa nâng cấp "
            "hệ thống.",
        ),
        [["Sở Nội vụ", "Trung tâm Phục vụ hành chính công tỉnh", "Viettel Thanh Hóa"]],
    ),
    (
        "sub-items-letters",
        (
            "1. Về phòng, chống dịch bệnh:",
            "a) Sở Y tế chủ trì giám sát dịch.",
            "b) Sở Tài chính bố trí kinh phí.",
        ),
        [["Sở Y tế", "Sở Tài chính"]],
    ),
    (
        "to-chuc-thuc-hien",
        (
            "I. MỤC TIÊU",
            "Bảo đảm an toàn giao thông.",
            "II. TỔ CHỨC THỰC HIỆN",
            "1. Sở Xây dựng: Chủ trì, phối hợp với Công an tỉnh lập phương án phân luồng.",
            "2. Công an tỉnh: Tăng cường tuần tra, kiểm soát.",
            "3. Ủy ban nhân dân các xã, phường: Tuyên truyền đến từng hộ dân.",
        ),
        [[], ["Sở Xây dựng", "Công an tỉnh", "Ủy ban nhân dân các xã, phường"]],
    ),
    (
        "de-nghi-bullets",
        (
            "1. Đề nghị Liên đoàn Lao động tỉnh:",
            "- Chỉ đạo công đoàn cơ sở chăm lo Tết cho người lao động.",
        ),
        [["Liên đoàn Lao động tỉnh"]],
    ),
    (
        "yeu-cau-sentence-later",
        (
            "1. Tăng cường kiểm tra an toàn thực phẩm. Yêu cầu Chi cục An toàn vệ sinh thực phẩm tỉnh chủ trì "
            "thực hiện.",
        ),
        [["Chi cục An toàn vệ sinh thực phẩm tỉnh"]],
    ),
    (
        "hospital-school-bullets",
        (
            "1. Bệnh viện Nhi tỉnh:",
            "- Bố trí giường bệnh dự phòng.",
            "2. Trường Đại học Y Dược:",
            "- Cử sinh viên hỗ trợ.",
        ),
        [["Bệnh viện Nhi tỉnh"], ["Trường Đại học Y Dược"]],
    ),
]

BLOCKS.append(
    (
        "lead-in-then-units-heading-tasks",
        (
            "1. Về nhiệm vụ thời gian tới",
            "Tình hình còn nhiều khó khăn. Quán triệt ý kiến chỉ đạo; căn cứ vào phương hướng, nhiệm vụ đã nêu, "
            "Ban Tuyên giáo Tỉnh ủy và các ban đảng huyện ủy, thành ủy cụ thể hóa để tổ chức thực hiện, trong đó "
            "cần tập trung các nhiệm vụ sau: (1) Nâng cao chất lượng tham mưu.",
        ),
        [["Ban Tuyên giáo Tỉnh ủy"]],
    )
)

# (form, articles of a decision, the assignees of each article)
ARTICLES = [
    (
        "thi-hanh-list",
        (
            "Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc.",
            "Điều 2. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Giám đốc Sở Tài chính và Thủ trưởng "
            "các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.",
        ),
        [[], ["Chánh Văn phòng Ủy ban nhân dân tỉnh", "Giám đốc Sở Nội vụ", "Giám đốc Sở Tài chính"]],
    ),
    (
        "thi-hanh-semicolons",
        (
            "Điều 1. Phê duyệt Kế hoạch.",
            "Điều 2. Chánh Văn phòng Bộ; Vụ trưởng Vụ Kế hoạch - Tài chính; Cục trưởng Cục Quản lý Khám, chữa bệnh; "
            "Giám đốc Sở Y tế các tỉnh, thành phố và Thủ trưởng các đơn vị liên quan chịu trách nhiệm thi hành "
            "Quyết định này./.",
        ),
        [
            [],
            [
                "Chánh Văn phòng Bộ",
                "Vụ trưởng Vụ Kế hoạch - Tài chính",
                "Cục trưởng Cục Quản lý Khám, chữa bệnh",
                "Giám đốc Sở Y tế các tỉnh, thành phố",
            ],
        ],
    ),
    (
        "thi-hanh-thuoc",
        (
            "Điều 1. Phê duyệt Đề án.",
            "Điều 2. Giám đốc Công an tỉnh; Thủ trưởng các phòng, ban thuộc Ủy ban nhân dân huyện; Chủ tịch Ủy ban "
            "nhân dân các xã chịu trách nhiệm thi hành Quyết định này./.",
        ),
        [
            [],
            [
                "Giám đốc Công an tỉnh",
                "Thủ trưởng các phòng, ban thuộc Ủy ban nhân dân huyện",
                "Chủ tịch Ủy ban nhân dân các xã",
            ],
        ],
    ),
    (
        "execution-members-and-places",
        (
            "Điều 1. Công nhận 05 xã, phường đạt chuẩn an toàn về an ninh, trật tự.",
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
            "Điều 3. Chánh Văn phòng UBND tỉnh, thành viên Ban Chỉ đạo 138 tỉnh; Chủ tịch UBND các huyện: "
            "Mộ Đức, Nghĩa Hành, thị xã Đức Phổ và thành phố Quảng Ngãi; Chủ tịch UBND 05 xã, phường có tên "
            "tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
        ),
        [
            [],
            [],
            [
                "Chánh Văn phòng UBND tỉnh",
                "thành viên Ban Chỉ đạo 138 tỉnh",
                "Chủ tịch UBND các huyện: Mộ Đức, Nghĩa Hành, thị xã Đức Phổ và thành phố Quảng Ngãi",
                "Chủ tịch UBND 05 xã, phường có tên tại Điều 1",
            ],
        ],
    ),
    (
        "giao-article",
        (
            "Điều 1. Phê duyệt danh mục dự án.",
            "Điều 2. Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính hướng dẫn chủ đầu tư triển khai.",
        ),
        [[], ["Sở Xây dựng", "Sở Tài chính"]],
    ),
]


@pytest.mark.parametrize(("form", "item", "expected"), ITEMS, ids=[_id(row) for row in ITEMS])
def test_one_item_gives_its_assignees(extract, form: str, item: str, expected: list[str]) -> None:
    rec = extract(letter(body=(item,)))
    assert [_named(a.assignees) for a in rec.assignments] == [_named(expected)], form


@pytest.mark.parametrize(("form", "body", "expected"), BLOCKS, ids=[row[0] for row in BLOCKS])
def test_items_with_sub_items_give_their_assignees(extract, form: str, body: tuple[str, ...], expected) -> None:
    rec = extract(letter(body=body))
    assert [_named(a.assignees) for a in rec.assignments] == [_named(u) for u in expected], form


@pytest.mark.parametrize(("form", "articles", "expected"), ARTICLES, ids=[row[0] for row in ARTICLES])
def test_articles_give_their_assignees(extract, form: str, articles: tuple[str, ...], expected) -> None:
    rec = decision(extract, *articles)
    assert [_named(a.assignees) for a in rec.assignments] == [_named(u) for u in expected], form


# (form, printed body lines, the first item's assignees in their order: the lead, then the
# others in the order the item first names them; CONTRACT "Who is an assignee")
IN_ORDER = [
    (
        "sub-item-leads-after-support",
        (
            "2. Về nhiệm vụ thời gian tới:",
            "a) Bộ Xây dựng chủ trì, phối hợp với Bộ Tài chính hoàn thiện hồ sơ dự án.",
            "b) Bộ Nông nghiệp và Môi trường hướng dẫn thủ tục đất đai.",
        ),
        ["Bộ Xây dựng", "Bộ Tài chính", "Bộ Nông nghiệp và Môi trường"],
    ),
    (
        "co-leads-then-support",
        ("1. Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh phối hợp với Sở Y tế bảo đảm an ninh; Sở Nội vụ theo dõi.",),
        ["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Sở Y tế", "Sở Nội vụ"],
    ),
]


@pytest.mark.parametrize(("form", "body", "expected"), IN_ORDER, ids=[row[0] for row in IN_ORDER])
def test_assignees_come_in_order_of_mention(extract, form: str, body: tuple[str, ...], expected: list[str]) -> None:
    rec = extract(letter(body=body))
    assert rec.assignments[0].assignees == expected, form
