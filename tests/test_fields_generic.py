"""What is a generic addressee (output, not scored) and what names a unit."""

from __future__ import annotations

import pytest

from vanthu.pipeline.fields.generic import is_generic_addressee

GENERIC = [
    "các cơ quan, đơn vị liên quan",  # quantifier + generic words + scope
    "các cơ quan, đơn vị có liên quan",
    "Các cơ quan, đơn vị, địa phương",
    "các sở, ban, ngành",
    "Các Sở, ban, ngành",  # a head after a quantifier, in a list without names
    "các Sở, ban, ngành Thành phố",  # ... whatever its place
    "Các sở, ban, ngành, đoàn thể cấp tỉnh",
    "các bộ, ngành, địa phương liên quan",
    "các Bộ, ngành, lực lượng chức năng",
    "Thủ trưởng các sở, ban, ngành",  # an official of generic units
    "Thủ trưởng các Vụ, Cục thuộc Bộ Y tế",  # the scope names a unit, the addressee does not
    "Giám đốc các Sở",
    "Bộ trưởng, Thủ trưởng các cơ quan ngang Bộ, cơ quan thuộc Chính phủ",
    "Các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương",
    "các Ngân hàng thương mại trên địa bàn tỉnh",  # a head with a common noun, not a name
    "các Chủ đầu tư",  # capitalised common noun after a quantifier
    "các doanh nghiệp viễn thông (VNPT, Viettel, MobiFone và doanh nghiệp khác)",  # examples set aside
    "Người đứng đầu cơ quan chuyên môn về y tế thuộc Ủy ban nhân dân cấp tỉnh",
    "Tất cả lực lượng, phương tiện tham gia thực hiện Kế hoạch này",  # a document type is no name
    "cơ quan thông tấn, báo chí",  # a lowercase mention
    "chính quyền địa phương",
    "hội phụ nữ",
]

NAMED = [
    "Sở Tài chính",  # head + capitalised name
    "Sở Văn hóa, Thể thao và Du lịch",
    "Văn phòng HĐND-UBND thành phố",
    "UBND tỉnh",  # head + level of government
    "UBND các phường, xã",  # ... with a quantifier
    "Ủy ban nhân dân cấp tỉnh",
    "Công an các xã, phường",
    "Chủ tịch UBND các xã, phường",  # a named official
    "Giám đốc Sở Tài chính",
    "Chính phủ",  # a head that stands alone: the one the letter means
    "Tỉnh ủy",
    "Kho bạc Nhà nước",
    "Ban Chỉ đạo 138 tỉnh",
    "Ban quản lý Khu Kinh tế Phú Yên",  # a proper name after a lowercase word
    "Kho bạc nhà nước khu vực XI",
    "Cơ quan Thuế",
    "ngành Giáo dục và Đào tạo",
    "thành phố Hà Nội",
    "Bộ trưởng các Bộ: Xây dựng, Ngoại giao, Tư pháp",
    "Đài truyền hình Việt Nam",
    "Các Sở Xây dựng nêu trên",
]


@pytest.mark.parametrize("unit", GENERIC)
def test_generic_addressees(unit: str) -> None:
    assert is_generic_addressee(unit)


@pytest.mark.parametrize("unit", NAMED)
def test_named_units_are_not_generic(unit: str) -> None:
    assert not is_generic_addressee(unit)
