"""Typed values from printed text; expectations worked out by hand."""

import pytest

from kamrap.normalize.values import (
    arabic_digits,
    buddhist_year,
    criteria_value,
    direction,
    indicator_code,
    parse_number,
    parse_percent,
    strip_code,
)


def test_parse_percent():
    assert parse_percent("ร้อยละ ๒๕") == 25
    assert parse_percent("๒๕%") == 25
    assert parse_percent("๑๐") == 10
    assert parse_percent("-") is None


def test_arabic_digits():
    assert arabic_digits("๑๒๓๔๕๖๗๘๙๐ ab 7") == "1234567890 ab 7"


@pytest.mark.parametrize(
    ("printed", "number"),
    [("๑๐", 10), ("10", 10), ("๘๕.๕๔", 85.54), ("1 ,900,000", 1900000), ("๘๐%", 80),
     ("๔.๕๕๐๐", 4.55), ("-", None), ("", None), (None, None), ("ร้อยละ", None), ("๑๐ ๒๐", None)],
)
def test_parse_number(printed, number):
    assert parse_number(printed) == number


@pytest.mark.parametrize(
    ("printed", "value"),
    [("๖๕", 65), ("๘๐%", 80), ("๖๕ %", 65), ("มากกว่า ๙๙%", 99), ("๑๐๐%", 100), ("-", None),
     ("มากกว่าปี ๖๓ร้อยละ ๔", None), ("เท่ากับปี ๒๕๖๓", None),
     ("แจ้งเวียนในระบบสารบรรณอิเล็กทรอนิกส์", None), ("ร้อยละ ๘๐", 80)],
)
def test_criteria_value(printed, value):
    assert criteria_value(printed) == value


@pytest.mark.parametrize(
    ("label", "code", "rest"),
    [("๑.๑ ร้อยละความพึงพอใจ", "1.1", "ร้อยละความพึงพอใจ"),
     ("๑๒. ระดับความสำเร็จ", "12", "ระดับความสำเร็จ"),
     ("2.4 ร้อยละของสำนวน", "2.4", "ร้อยละของสำนวน"),
     ("ระดับความสำเร็จ", None, "ระดับความสำเร็จ")],
)
def test_indicator_code(label, code, rest):
    assert indicator_code(label) == code
    assert strip_code(label) == rest


def test_buddhist_year():
    assert buddhist_year("ปีงบประมาณ พ.ศ. ๒๕๖๔") == 2564
    assert buddhist_year("ปี ๖๓") == 2563
    assert buddhist_year("ไม่มี") is None


def test_direction():
    assert direction([65, 70, 75, 80, 85]) == "higher_is_better"
    assert direction([10, 8, 6, 4, 2]) == "lower_is_better"
    assert direction([None, None, None, 1, 2]) == "higher_is_better"
    assert direction([None, None, None, None, None]) is None
    assert direction([1, 3, 2, 4, 5]) is None
