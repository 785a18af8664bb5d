"""An assignment's deadline (fields/deadlines.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.letters import extractor, letter
from vanthu.pipeline.fields.deadlines import due_of, find_deadline


@pytest.fixture
def extract(tmp_path: Path):
    """extract(text, name="letter.md") -> DispatchRecord, via a file in tmp_path."""
    return extractor(tmp_path)


@pytest.mark.parametrize(
    ("text", "deadline", "phrase"),
    [
        ("báo cáo kết quả trước ngày 30/9/2024.", "2024-09-30", "trước ngày 30/9/2024"),
        ("bố trí kinh phí, chậm nhất ngày 15 tháng 10 năm 2024.", "2024-10-15", "chậm nhất ngày 15 tháng 10 năm 2024"),
        ("rà soát hồ sơ, xong trước 15/11.", "2024-11-15", "xong trước 15/11"),
        ("rà soát hồ sơ, xong trước 15/01.", "2025-01-15", "xong trước 15/01"),  # next year's 15 January
        ("Trước ngày 05/10/2024, các đơn vị báo cáo.", "2024-10-05", "Trước ngày 05/10/2024"),
        # an hour before the day (issue 18, fifth round)
        ("hoàn thành trước 17 giờ 00 ngày 20/11/2024.", "2024-11-20", "trước 17 giờ 00 ngày 20/11/2024"),
        ("báo cáo trước 10h30 ngày 05/12/2024.", "2024-12-05", "trước 10h30 ngày 05/12/2024"),
        ("báo cáo trước 15 giờ ngày 10 tháng 12 năm 2024.", "2024-12-10", "trước 15 giờ ngày 10 tháng 12 năm 2024"),
        # a deadline under a label with a colon
        ("thực hiện, thời hạn hoàn thành: ngày 30/9/2024.", "2024-09-30", "thời hạn hoàn thành: ngày 30/9/2024"),
        ("Sở Tài chính thực hiện; thời hạn: 31/12/2024.", "2024-12-31", "thời hạn: 31/12/2024"),
        ("thời gian hoàn thành: trước ngày 15/12/2024.", "2024-12-15", "trước ngày 15/12/2024"),
    ],
)
def test_find_deadline(text: str, deadline: str, phrase: str) -> None:
    value, printed = find_deadline(text, "2024-08-15")
    assert value == deadline
    assert printed is not None and phrase in printed


def test_find_deadline_recurring() -> None:
    assert find_deadline("báo cáo định kỳ hằng quý.", "2024-08-15") == (None, "định kỳ hằng quý")
    assert find_deadline("thường xuyên rà soát.", "2024-08-15") == (None, "thường xuyên")


@pytest.mark.parametrize(
    "text",
    [
        "thực hiện trong thời hạn 10 ngày kể từ ngày 05/9/2024.",  # a duration from a day, no deadline
        "Ngày 05/9/2024, Sở Y tế đã tổ chức hội nghị.",
    ],
)
def test_no_deadline_in_a_duration_or_a_past_day(text: str) -> None:
    assert find_deadline(text, "2024-08-15") == (None, None)


def test_find_deadline_none() -> None:
    assert find_deadline("Tăng cường công tác tuyên truyền.", "2024-08-15") == (None, None)


def test_short_deadline_needs_the_letter_year() -> None:
    assert find_deadline("xong trước 15/11.", None)[0] is None


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("Tổng hợp báo cáo, hoàn thành trong tháng 10/2024.", "hoàn thành trong tháng 10/2024"),
        ("Tổ chức hội nghị trong tháng 12 năm 2025.", "trong tháng 12 năm 2025"),
        ("Hoàn thành trong quý IV/2024.", "Hoàn thành trong quý IV/2024"),
    ],
)
def test_deadline_within_a_month(text: str, printed: str) -> None:
    """Regression: month-only deadlines gave no deadline_text. No day, so no ISO date."""
    assert find_deadline(text, "2024-08-15") == (None, printed)


def test_period_fronting_a_sentence_is_no_deadline() -> None:
    assert find_deadline("Trong quý III năm 2024, các phòng đã hoàn thành các nhiệm vụ.", "2024-08-15") == (None, None)


def test_dated_deadline_wins_over_a_month() -> None:
    assert find_deadline("Trong tháng 10/2024 rà soát, báo cáo trước ngày 15/10/2024.", "2024-08-15") == (
        "2024-10-15",
        "trước ngày 15/10/2024",
    )


def test_deadlines_in_letter(extract) -> None:
    rec = extract(
        letter(
            recipients=("Kính gửi:", "- Sở Tài chính;", "- Sở Xây dựng."),
            body=(
                "1. Giao Sở Xây dựng chủ trì triển khai, hoàn thành trước ngày 30/9/2024.",
                "2. Sở Tài chính có trách nhiệm bố trí kinh phí, chậm nhất ngày 15 tháng 10 năm 2024.",
                "3. Giao Sở Xây dựng rà soát hồ sơ, xong trước 15/11.",
                "4. Tăng cường công tác tuyên truyền, báo cáo định kỳ hằng quý.",
                "5. Tổng kết công tác năm.",
            ),
        )
    )
    a = {x.label: x for x in rec.assignments}
    assert a["1"].deadline == "2024-09-30" and "trước ngày 30/9/2024" in a["1"].deadline_text
    assert a["2"].deadline == "2024-10-15" and "chậm nhất ngày 15 tháng 10 năm 2024" in a["2"].deadline_text
    assert a["3"].deadline == "2024-11-15" and "xong trước 15/11" in a["3"].deadline_text
    assert a["4"].deadline is None and a["4"].deadline_text == "định kỳ hằng quý"
    assert a["5"].deadline is None and a["5"].deadline_text is None
    by_label = {}
    for t in rec.tasks:
        by_label.setdefault(t.assignment, []).append(t)
    assert by_label["4"] and all(t.recurring for t in by_label["4"])
    assert all(t.deadline is None and t.deadline_text == "định kỳ hằng quý" for t in by_label["4"])
    for label in ("1", "2", "3", "5"):
        assert by_label[label] and not any(t.recurring for t in by_label[label])
        assert all(t.deadline == a[label].deadline for t in by_label[label])


@pytest.mark.parametrize(
    ("text", "letter_date", "deadline", "due", "due_kind"),
    [
        # a printed day
        ("báo cáo trước ngày 30/9/2024.", "2024-08-15", "2024-09-30", "2024-09-30", "day"),
        ("báo cáo trước ngày 30/11.", "2025-11-20", "2025-11-30", "2025-11-30", "day"),  # the letter's year
        ("báo cáo trước ngày 30 tháng 11.", "2025-11-20", "2025-11-30", "2025-11-30", "day"),
        # the last day of a printed month, quarter or year
        ("hoàn thành trong tháng 12 năm 2025.", "2025-11-20", None, "2025-12-31", "end_of_period"),
        ("hoàn thành trong tháng 2/2028.", "2027-11-20", None, "2028-02-29", "end_of_period"),
        ("tổng hợp trong tháng 12.", "2025-11-20", None, "2025-12-31", "end_of_period"),
        ("báo cáo trong quý IV.", "2025-11-20", None, "2025-12-31", "end_of_period"),
        ("hoàn thành trong quý I/2026.", "2025-11-20", None, "2026-03-31", "end_of_period"),
        ("hoàn thành trong quý 3 năm 2026.", "2025-11-20", None, "2026-09-30", "end_of_period"),
        ("hoàn thành trong năm 2025.", "2025-03-01", None, "2025-12-31", "end_of_period"),
        # ... printed on a plan's labelled time line (issue 18, seventh round)
        ("Thời gian hoàn thành: tháng 3/2026.", "2025-11-20", None, "2026-03-31", "end_of_period"),
        ("Thời gian thực hiện: Quý I năm 2026.", "2025-11-20", None, "2026-03-31", "end_of_period"),
        ("Thời gian: tháng 12/2025.", "2025-11-20", None, "2025-12-31", "end_of_period"),
        ("Thời gian thực hiện: năm 2026.", "2025-11-20", None, "2026-12-31", "end_of_period"),
        ("Thời hạn: quý II/2026.", "2025-11-20", None, "2026-06-30", "end_of_period"),
        # ... a printed day after it still wins
        (
            "Thời gian thực hiện: tháng 12/2025; báo cáo trước ngày 20/12/2025.",
            "2025-11-20",
            "2025-12-20",
            "2025-12-20",
            "day",
        ),
        # the next occurrence after the letter's date of a recurring deadline
        ("báo cáo trước ngày 25 hằng tháng.", "2025-11-20", None, "2025-11-25", "recurring"),
        ("báo cáo trước ngày 25 hằng tháng.", "2025-11-28", None, "2025-12-25", "recurring"),
        ("báo cáo trước ngày 25 hàng tháng.", "2025-12-28", None, "2026-01-25", "recurring"),
        ("báo cáo định kỳ hằng quý.", "2025-11-20", None, "2025-12-31", "recurring"),
        ("báo cáo định kỳ hằng quý.", "2025-12-31", None, "2026-03-31", "recurring"),
        ("tổng kết hằng năm.", "2025-11-20", None, "2025-12-31", "recurring"),
        ("báo cáo trước ngày 20/12 hằng năm.", "2025-12-21", None, "2026-12-20", "recurring"),
        # nothing that dates it
        ("thường xuyên rà soát.", "2025-11-20", None, None, None),
        ("Tăng cường công tác tuyên truyền.", "2025-11-20", None, None, None),
        # a setting, not a deadline: "Trong tháng 12 năm 2025, …", a year already past
        ("Trong tháng 12 năm 2025, các đơn vị rà soát.", "2025-11-20", None, None, None),
        ("khắc phục các chỉ số thấp trong năm 2023.", "2024-08-15", None, None, None),
    ],
)
def test_deadline_and_due(text: str, letter_date: str, deadline: str | None, due: str | None, due_kind: str | None):
    """Regression: a month or quarter deadline gave no date at all (so `tasks --due-before` never listed it)."""
    value, printed = find_deadline(text, letter_date)
    assert (value, *due_of(value, printed, letter_date)) == (deadline, due, due_kind)


def test_a_period_without_a_year_needs_the_letter_date() -> None:
    assert due_of(None, "trong quý IV", None) == (None, None)
    assert due_of(None, "trong quý IV/2024", None) == ("2024-12-31", "end_of_period")
    assert due_of(None, "hằng tháng", None) == (None, None)


def test_assignments_carry_due_and_due_kind(extract) -> None:
    rec = extract(letter(body=("1. Giao Sở Tài chính tổng hợp, hoàn thành trong quý IV/2024.",)))
    (a,) = rec.assignments
    assert (a.deadline, a.deadline_text, a.due, a.due_kind) == (
        None,
        "hoàn thành trong quý IV/2024",
        "2024-12-31",
        "end_of_period",
    )
