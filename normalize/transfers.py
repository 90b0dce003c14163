"""Weight transfers read from the footnotes of a score summary.

A unit's indicator that is not scored yet ("รายงานรอบ ๑๒ เดือน", reported at 12 months) has its
weight moved to other rows, and a footnote says so:

    ตัวชี้วัด ข้อ 2.4 ระดับคะแนน… จะนำน้ำหนัก 10 ใส่ไว้ในข้อ 2.2 ร้อยละ… (5) และนำไปใส่ไว้ในข้อ 2.3 ร้อยละ… (5)

"indicator item (ข้อ) 2.4 … will put (จะนำ … ใส่ไว้ใน) its weight (น้ำหนัก) 10 into item 2.2 … (5) and
into item 2.3 … (5)". Footnotes are typed by hand and read back from PDFs, so everything here
tolerates Thai or Arabic digits, lines wrapped anywhere (even inside a word: "น้ำ\\nหนัก"), and
the typo "หน้าหลัก" ("main page") for น้ำหนัก (seed 002, กองติดตามและเฉลี่ยทรัพย์สินในคดีล้มละลาย).
"""

from __future__ import annotations

from decimal import Decimal

import regex

from kamrap.text.thai import collapse_ws, no_spaces
from kamrap.normalize.values import arabic_digits
from kamrap.schema.models import Number, WeightTransfer

_NUM = r"\d+(?:\.\d+)?"
_CODE = r"\d+(?:\.\d+)*"
# The weight word: น้ำหนัก with sara am written as one character (ำ) or as nikhahit + sara aa
# (ํ + า, either order around the tone mark), or the typo หน้าหลัก.
_WEIGHT_WORD = r"(?:น(?:้ำ|ํ้า|้ํา|ำ้)หนัก|หน้าหลัก)"
# Each footnote starts "ตัวชี้วัด ข้อ N" (indicator, item N); several may share one paragraph.
_START = regex.compile(r"(?=ตัวชี้วัด\s*ข้อ\s*[\d๐-๙])")
# Matched on the footnote with every space removed (wraps may fall anywhere) and Arabic digits.
_FROM = regex.compile(rf"^ตัวชี้วัดข้อ(?P<code>{_CODE})")
_WEIGHT = regex.compile(rf"{_WEIGHT_WORD}(?P<weight>{_NUM})")
_TO = regex.compile(rf"ข้อ(?P<code>{_CODE})")  # "ข้อ 2.2": item 2.2 (ข้อมูล, ข้อร้องเรียน have no digits)
_AMOUNT = regex.compile(rf"\((?P<amount>{_NUM})\)")  # "(5)": the share this row receives


def _number(text: str) -> Number:
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


def split_footnotes(text: str) -> list[str]:
    """A footnote paragraph cut where each "ตัวชี้วัด ข้อ …" starts (usually just one)."""
    parts = [collapse_ws(part) for part in _START.split(text)]
    return [part for part in parts if part]


def footnote_transfer(text: str) -> WeightTransfer | None:
    """The transfer one footnote states, or None if it states none.

    >>> t = footnote_transfer("ตัวชี้วัด ข้อ 7.1 ระดับความสำเร็จ… จะนำ\\nหน้าหลัก 2 ใส่ไว้ในข้อ 6.1 ร้อยละ…")
    >>> (t.from_code, t.to_codes, t.weight, t.amounts)
    ('7.1', ['6.1'], 2, [])
    """
    compact = no_spaces(arabic_digits(text))
    source, weight = _FROM.match(compact), _WEIGHT.search(compact)
    if source is None or weight is None:
        return None
    targets = list(_TO.finditer(compact, weight.end()))
    if not targets:
        return None
    amounts: list[Number | None] = []
    for target, after in zip(targets, [*targets[1:], None]):
        stretch = compact[target.end():after.start() if after else len(compact)]
        amount = _AMOUNT.search(stretch)
        amounts.append(_number(amount["amount"]) if amount else None)
    return WeightTransfer(
        from_code=source["code"], to_codes=[t["code"] for t in targets],
        weight=_number(weight["weight"]),
        amounts=[] if all(a is None for a in amounts) else amounts,
        text=collapse_ws(text),
    )


def footnote_transfers(text: str) -> list[WeightTransfer]:
    """Every transfer a footnote paragraph states."""
    return [t for part in split_footnotes(text) if (t := footnote_transfer(part)) is not None]


def received_amounts(transfer: WeightTransfer) -> dict[str, Number | None]:
    """What each receiving row gets: the printed amounts, or the whole weight when there is
    one receiving row and no amount; None where the split is not printed."""
    if transfer.amounts:
        return dict(zip(transfer.to_codes, transfer.amounts))
    if len(transfer.to_codes) == 1:
        return {transfer.to_codes[0]: transfer.weight}
    return {code: None for code in transfer.to_codes}
