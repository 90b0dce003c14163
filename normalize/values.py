"""Typed values from printed Thai text: numbers, percentages, years, indicator codes.

Printed values mix Thai (๐–๙) and Arabic digits, thousands separators and stray spaces
(`1 ,900,000`); everything here accepts both and returns Python numbers.
"""

from __future__ import annotations

import regex

from kamrap.text.thai import collapse_ws

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# A number as printed: digits with optional thousands separators and decimals; the spaces
# office tools put around separators ("1 ,900,000") are tolerated, not spaces between numbers.
_NUMBER = regex.compile(r"[-+]?\d+(?:\s*,\s*\d{3})*(?:\.\d+)?")
# Words that may stand before a criteria value without making it prose:
# มากกว่า more than, ไม่น้อยกว่า at least, น้อยกว่า less than, ไม่เกิน at most, ร้อยละ percent.
_COMPARISON = r"(?:มากกว่า|ไม่น้อยกว่า|น้อยกว่า|ไม่เกิน|ไม่ต่ำกว่า|ร้อยละ)"
_CRITERIA_VALUE = regex.compile(rf"^(?:{_COMPARISON}\s*)?({_NUMBER.pattern})\s*(?:%|ร้อยละ)?$")
_CODE = regex.compile(r"^\s*(\d+(?:\s*\.\s*\d+)*)\s*\.?")
_DASHES = {"-", "–", "—", "−", ""}


def arabic_digits(text: str) -> str:
    """Thai digits ๐–๙ replaced by 0–9; everything else unchanged."""
    return text.translate(_THAI_DIGITS)


def is_blank(text: str | None) -> bool:
    """True for None, empty cells and the "-" that tables print for 'nothing here'."""
    return text is None or collapse_ws(text) in _DASHES


def _to_number(digits: str) -> int | float:
    compact = regex.sub(r"[\s,]", "", digits)
    number = float(compact)
    return int(number) if number.is_integer() and "." not in compact else number  # "50.0" stays a float


def parse_number(text: str | None) -> int | float | None:
    """The number a cell holds ("๑๐", "๘๕.๕๔", "1 ,900,000", "๘๐%"), or None if it holds no
    single number."""
    if is_blank(text):
        return None
    cleaned = arabic_digits(collapse_ws(text)).rstrip("%").strip()
    match = _NUMBER.fullmatch(cleaned)
    return _to_number(match.group(0)) if match else None


def parse_percent(text: str | None) -> int | float | None:
    """A percentage or plain number: "ร้อยละ ๒๕" (percent 25), "๒๕%", "๒๕" → 25."""
    if is_blank(text):
        return None
    return parse_number(regex.sub(r"^\s*ร้อยละ\s*", "", collapse_ws(text)))


def criteria_value(text: str | None) -> int | float | None:
    """The number a criteria level names: "๘๐%" → 80, "มากกว่า ๙๙%" → 99, "๖๕ %" → 65;
    None for prose ("มากกว่าปี ๖๓ร้อยละ ๔") and "-"."""
    if is_blank(text):
        return None
    match = _CRITERIA_VALUE.match(arabic_digits(collapse_ws(text)))
    return _to_number(match.group(1)) if match else None


def indicator_code(text: str) -> str | None:
    """The leading indicator code of a cell in Arabic digits: "๑.๑ ร้อยละ…" → "1.1",
    "๑๒. ระดับ…" → "12"; None if the text does not start with a code."""
    match = _CODE.match(arabic_digits(text))
    if not match:
        return None
    return regex.sub(r"\s+", "", match.group(1))


# "ตัวบ่งชี้ที่ 1.1", "ตัวชี้วัดที่ ๒.๓", "KPI 4": an indicator word (ตัวชี้วัด indicator,
# ตัวบ่งชี้ quality indicator), optionally ที่ (number), then the code.
_LABELLED_CODE = regex.compile(r"^\s*(?:ตัวชี้วัด|ตัวบ่งชี้|KPI)\s*(?:ที่)?\s*(\d+(?:\s*\.\s*\d+)*)(?!\d)")


def labelled_code(text: str) -> str | None:
    """The code a name carries after its indicator word: "ตัวบ่งชี้ที่ 10.2.1" → "10.2.1"."""
    match = _LABELLED_CODE.match(arabic_digits(text))
    return regex.sub(r"\s+", "", match.group(1)) if match else None


def strip_code(text: str) -> str:
    """The text after a leading indicator code."""
    match = _CODE.match(arabic_digits(text))
    return collapse_ws(text[match.end():]) if match else collapse_ws(text)


def buddhist_year(text: str | None) -> int | None:
    """A Buddhist-era year as printed ("๒๕๖๔", "พ.ศ. 2564", short "ปี ๖๓" → 2563)."""
    if text is None:
        return None
    match = regex.search(r"(?<!\d)(\d{4}|\d{2})(?!\d)", arabic_digits(text))
    if not match:
        return None
    year = int(match.group(1))
    return year + 2500 if year < 100 else year


def direction(values: list[int | float | None]) -> str | None:
    """Whether a higher result is better, from the criteria values of levels 1..5.

    Values rising with the level mean higher is better; falling, lower is better (e.g. error
    rates ๑๐% → ๒%). Fewer than two numbers, or no consistent order, gives None.
    """
    numbers = [v for v in values if v is not None]
    if len(numbers) < 2:
        return None
    pairs = list(zip(numbers, numbers[1:]))
    if all(b > a for a, b in pairs):
        return "higher_is_better"
    if all(b < a for a, b in pairs):
        return "lower_is_better"
    return None


# A target as printed: an optional comparator (< > ≤ ≥, ไม่เกิน at most, ไม่น้อยกว่า at least,
# มากกว่า more than (also misspelt มากว่า), อย่างน้อย at least, ลดลง reduced by …), then the number,
# then what it counts ("คน", "ต่อการเกิดมีชีพแสนคน", ":1,000 วันนอน").
_TARGET_COMPARATOR = regex.compile(
    r"^\s*(?:[<>≤≥=]+|ไม่เกิน|ไม่น้อยกว่า|ไม่ต่ำกว่า|มากกว่า|มากว่า|น้อยกว่า|อย่างน้อย|ลดลง|เพิ่มขึ้น|"
    r"ไม่มากกว่า|ร้อยละ|\s)*")
# a second number joined to the first by a dash or ต่อ (per): a range ("90-110%") or a ratio of
# two numbers ("1 ต่อ 50"), which name no single target value
_RANGE_OR_RATIO = regex.compile(r"\s*(?:[-–]|ต่อ)\s*\d")


def target_value(text: str | None) -> int | float | None:
    """The number a target names: "ร้อยละ 80" → 80, "< 0.5:1,000 วันนอน" → 0.5,
    "ไม่เกิน 15 ต่อการเกิดมีชีพแสนคน" → 15, "มากว่า 100,000 รายการ" → 100000; None for a
    range ("90-110%"), a ratio of two numbers ("1 ต่อ 50") or prose.

    >>> target_value("≤ 10%"), target_value("90-110%"), target_value("วัน")
    (10, None, None)
    """
    if is_blank(text):
        return None
    cleaned = arabic_digits(collapse_ws(text))
    match = _NUMBER.match(cleaned, _TARGET_COMPARATOR.match(cleaned).end())
    if match is None or _RANGE_OR_RATIO.match(cleaned, match.end()):
        return None
    return _to_number(match.group(0))


def unit_of(text: str | None) -> str | None:
    """The unit a value printed as "number unit" names, as printed: "150 คน" → "คน",
    "ร้อยละ 80" → "ร้อยละ", "> 80%" → "%", "มากว่า 100,000 รายการ" → "รายการ"; None when what
    follows the number holds other numbers (":1,000 วันนอน") or nothing.

    >>> unit_of("35 คน/วัน"), unit_of("ร้อยละ 80"), unit_of("< 0.5:1,000 วันนอน")
    ('คน/วัน', 'ร้อยละ', None)
    """
    if is_blank(text):
        return None
    cleaned = arabic_digits(collapse_ws(text))
    if cleaned.startswith("ร้อยละ"):
        return "ร้อยละ"  # percent, in words
    if cleaned.endswith("%"):
        return "%"
    match = _NUMBER.match(cleaned, _TARGET_COMPARATOR.match(cleaned).end())
    if match is None:
        return None
    rest = cleaned[match.end():].strip()
    if not rest or regex.search(r"\d", rest) or rest[0] in ":/" \
            or _RANGE_OR_RATIO.match(cleaned, match.end()):
        return None
    return rest


def cell_value(text: str | None) -> int | float | str | None:
    """A table cell as a typed value: its number when it holds only a number or a percentage
    ("ร้อยละ 92.5" → 92.5, "82.25%" → 82.25), its text otherwise ("91 คน", "ยังไม่ได้ดำเนินการ"),
    None for blanks and "-"."""
    if is_blank(text):
        return None
    number = parse_percent(text)
    return number if number is not None else collapse_ws(text)


# A score as printed: a number, optionally followed by คะแนน (points).
_SCORE = regex.compile(rf"^({_NUMBER.pattern})\s*(?:คะแนน)?$")


def parse_score(text: str | None) -> int | float | None:
    """A score cell: "4 คะแนน" → 4, "๓.๕๐๐๐" → 3.5; None for anything else."""
    if is_blank(text):
        return None
    match = _SCORE.match(arabic_digits(collapse_ws(text)))
    return _to_number(match.group(1)) if match else None
