"""Real letter qngai-660-tb-2024 (660/TB-UBND, scanned)."""

from __future__ import annotations


def test_unit_name_with_a_dash_inside_is_one_unit():
    # "Sở Lao động - Thương binh và Xã hội" was cut at the dash (real scan qngai-660)
    from vanthu.pipeline.fields.unitbounds import units_in

    def names(t):
        return [t[a:b] for a, b in units_in(t)]

    assert names("Sở Lao động - Thương binh và Xã hội chịu trách nhiệm hướng dẫn") == [
        "Sở Lao động - Thương binh và Xã hội"
    ]
    assert names("Ngân hàng Nhà nước - Chi nhánh Quảng Ngãi chỉ đạo") == ["Ngân hàng Nhà nước - Chi nhánh Quảng Ngãi"]
    assert names("Giao Sở Tài chính - Sở Kế hoạch và Đầu tư phối hợp") == ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]
