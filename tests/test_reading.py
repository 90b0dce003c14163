"""Reading order of borderless lists: a value beside a wrapped description's first line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kamrap.parsers.pdftext import TextLine, document_text
from kamrap.parsers.reading import opens_item, value_after_description

REAL = Path(__file__).parent / "fixtures" / "real"
SIZE = 14.0


def _line(top: float, *words: tuple[str, float, float]) -> TextLine:
    """A line of ``(text, x0, x1)`` words, one font size high."""
    return TextLine(
        text=" ".join(w for w, _, _ in words),
        x0=words[0][1],
        x1=words[-1][2],
        top=top,
        bottom=top + SIZE,
        chars=(),
        words=tuple(w for w, _, _ in words),
        word_x0s=tuple(x0 for _, x0, _ in words),
        word_x1s=tuple(x1 for _, _, x1 in words),
    )


# The description column starts at x=100 (items) and wraps at x=112 (hanging indent); the
# amount column starts at x=450. Lines are 19 pt apart, as on the budget pages.
ITEM = _line(100, ("(1) ครุภัณฑ์ต่ำกว่า 1 ล้านบาท", 100, 300), ("1,612,600 บาท", 450, 520))
WRAP = _line(119, ("รวม 18 รายการ (รวม 24 หน่วย)", 112, 220))


def test_first_line_value_moves_after_the_wrapped_description() -> None:
    assert value_after_description([ITEM, WRAP]) == [
        "(1) ครุภัณฑ์ต่ำกว่า 1 ล้านบาท",
        "รวม 18 รายการ (รวม 24 หน่วย) 1,612,600 บาท",
    ]


def test_several_continuation_lines_at_one_margin() -> None:
    more = _line(138, ("จังหวัดน่าน", 112, 170))
    assert value_after_description([ITEM, WRAP, more]) == [
        "(1) ครุภัณฑ์ต่ำกว่า 1 ล้านบาท",
        "รวม 18 รายการ (รวม 24 หน่วย)",
        "จังหวัดน่าน 1,612,600 บาท",
    ]


def test_value_beside_a_middle_line_moves_to_the_last() -> None:
    # a vertically centred cell: the value is printed beside the second of three lines
    first = _line(100, ("(3) กล้องจุลทรรศน์สำหรับงานฟลูออเรสเซนต์", 100, 300))
    middle = _line(119, ("และวิเคราะห์ภาพ แขวงทุ่งพญาไท", 112, 260), ("1,500,000 บาท", 450, 520))
    last = _line(138, ("กรุงเทพมหานคร 1 กล้อง", 112, 200))
    assert value_after_description([first, middle, last]) == [
        first.text, "และวิเคราะห์ภาพ แขวงทุ่งพญาไท", "กรุงเทพมหานคร 1 กล้อง 1,500,000 บาท"]


def test_two_values_in_one_description_stay() -> None:
    second = _line(119, ("รวม 18 รายการ", 112, 220), ("5,000 บาท", 450, 520))
    third = _line(138, ("จังหวัดน่าน", 112, 170))
    lines = [ITEM, second, third]
    assert value_after_description(lines) == [line.text for line in lines]


def test_value_on_the_last_line_stays() -> None:
    first = _line(100, ("(2) รถฟาร์มแทรกเตอร์", 100, 300))
    last = _line(119, ("ตำบลในเวียง 2 คัน", 112, 250), ("2,460,000 บาท", 450, 520))
    assert value_after_description([first, last]) == [first.text, last.text]


@pytest.mark.parametrize(
    "next_line",
    [
        _line(119, ("(1) ครุภัณฑ์การศึกษา", 112, 300)),  # a nested item
        _line(119, ("2.1.1.1 ครุภัณฑ์", 112, 300)),
        _line(119, ("- เพื่อผลิตบัณฑิต", 112, 300)),
        _line(119, ("วัตถุประสงค์ :", 112, 160)),  # a field label
        _line(100 + SIZE + 2 * SIZE, ("รวม 18 รายการ", 112, 220)),  # after a blank line
        _line(119, ("รวม 18 รายการ", 100, 220)),  # back at the item's margin: a new item
        _line(119, ("รวม 18 รายการ", 112, 220), ("5,000 บาท", 450, 520)),  # its own value
        _line(119, ("รวม 18 รายการ ที่ยาวไปจนถึงคอลัมน์ของจำนวนเงิน", 112, 470)),
        replace(WRAP, bottom=WRAP.top + 2 * SIZE),  # another type size: not the same cell
    ],
)
def test_what_does_not_continue_a_description(next_line: TextLine) -> None:
    assert value_after_description([ITEM, next_line]) == [ITEM.text, next_line.text]


def test_a_margin_change_ends_the_continuation() -> None:
    deeper = _line(138, ("อีกย่อหน้า", 130, 200))
    assert value_after_description([ITEM, WRAP, deeper]) == [
        "(1) ครุภัณฑ์ต่ำกว่า 1 ล้านบาท",
        "รวม 18 รายการ (รวม 24 หน่วย) 1,612,600 บาท",
        "อีกย่อหน้า",
    ]


@pytest.mark.parametrize(
    ("text", "opens"),
    [
        ("(1) ครุภัณฑ์", True),
        ("(1.10) อาคารปฏิบัติการ", True),
        ("1) ค่าครุภัณฑ์", True),
        ("๒.๑ ร้อยละ", True),
        ("7.2.3 ผลผลิตที่ 3", True),
        ("ก. งานบริหาร", True),
        ("วัตถุประสงค์ :", True),
        ("20 ล้านพิกเซล แขวงทุ่งพญาไท", False),  # a bare number is text
        ("รวม 18 รายการ", False),
        ("(รวม 24 หน่วย)", False),
    ],
)
def test_opens_item(text: str, opens: bool) -> None:
    assert opens_item(text) is opens


def test_real_excel_page_with_first_line_amounts() -> None:
    # dev_budget_17 page 20 (volume page 300), read off the rendered page: the amount of item
    # (1) is printed beside its first line, the description wraps to "รวม 18 รายการ …".
    text = document_text(REAL / "excel_first_line_amount.pdf")
    lines = text.splitlines()
    assert "2.1.1.2 ครุภัณฑ์การเกษตร 13,912,600 บาท" in lines  # a nested item follows: stays
    i = lines.index("(1) ครุภัณฑ์การเกษตรที่มีราคาต่อหน่วยต่ำกว่า 1 ล้านบาท")
    assert lines[i + 1] == "รวม 18 รายการ (รวม 24 หน่วย) 1,612,600 บาท"
    assert lines[i + 2] == "(2) รถฟาร์มแทรกเตอร์ ชนิดขับเคลื่อน 4 ล้อ ขนาด 85 แรงม้า"
    assert lines[i + 3] == "ตำบลในเวียง อำเภอเมืองน่าน จังหวัดน่าน 2 คัน 2,460,000 บาท"
