"""Reading order for borderless lists: a wrapped description is read before its value.

Budget annexes, action plans and score lists set a description on the left and a value (an
amount, a weight) on the right, without ruling lines. When the description wraps, Excel and
Word put the value on the row's *first* line or on its *last* one, depending on the cell's
vertical alignment. Printed line by line, a first-line value splits the description in two:

    (1) ครุภัณฑ์การเกษตรที่มีราคาต่อหน่วยต่ำกว่า 1 ล้านบาท        1,612,600 บาท
        รวม 18 รายการ (รวม 24 หน่วย)

A reader takes the description whole, then the value. :func:`value_after_description` moves
such a value to the end of the description's last line, so all alignments read the same (a
vertically centred cell puts it beside a middle line: moved too).

A line continues the description when it starts right of the description's first word (a
hanging indent: a new item starts back at the margin), stays left of the value's column,
follows without a blank line in the same type size, and does not open something new: a nested
item (``(1)``, ``1)``, ``2.1.1``, ``-``) or a field label (``วัตถุประสงค์ :``, a line ending in a
colon). Every continuation line starts at the same margin. Only a description with one line
carrying a value is changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from kamrap.parsers.settings import SETTINGS

if TYPE_CHECKING:  # pdftext uses this module; the type is only needed for hints
    from kamrap.parsers.pdftext import TextLine

__all__ = ["opens_item", "value_after_description"]



_DIGITS = "0-9๐-๙"
#: What opens a new item rather than carrying on a wrapped one: ``(1)``, ``(1.10)``, ``1)``,
#: ``1.``, ``2.1.1.1``, ``ก.``, a dash or bullet. A bare number (``20 ล้านพิกเซล``) is text.
_ITEM_MARKER = regex.compile(
    rf"^(?:\([{_DIGITS}ก-ฮ]+(?:\.[{_DIGITS}]+)*\)|[{_DIGITS}]+(?:\.[{_DIGITS}]+)*[.)]"
    rf"|[{_DIGITS}]+(?:\.[{_DIGITS}]+)+|[ก-ฮ][.)]|[-–•▪●○◦*])(?=\s|$)"
)


def opens_item(text: str) -> bool:
    """Whether a line starts a new list item or a labelled field instead of continuing one."""
    text = text.strip()
    return bool(_ITEM_MARKER.match(text)) or text.endswith((":", "："))


@dataclass(frozen=True)
class _Split:
    """A line cut at its first column gap: the description part and the value part."""

    description: str
    value: str
    description_x1: float
    value_x0: float


def _size(line: TextLine) -> float:
    sizes = sorted(c.size for c in line.chars)
    return sizes[len(sizes) // 2] if sizes else line.bottom - line.top


def _split(line: TextLine) -> _Split | None:
    """The line cut at its first wide gap, or None for a line of one column."""
    words, x0s, x1s = line.words, line.word_x0s, line.word_x1s
    if not (len(words) == len(x0s) == len(x1s)) or len(words) < 2:
        return None
    gap = SETTINGS.column_gap_ems * _size(line)
    for k in range(1, len(words)):
        if x0s[k] - x1s[k - 1] > gap:
            return _Split(" ".join(words[:k]), " ".join(words[k:]), x1s[k - 1], x0s[k])
    return None


def _continues(line: TextLine, start: TextLine, previous: TextLine) -> bool:
    """Whether ``line`` carries on the description that ``start`` begins, by its place alone
    (``previous`` is the line above it: ``start`` or an earlier continuation)."""
    size = _size(start)
    height = max(previous.bottom - previous.top, 1.0)
    start_split = _split(start)
    description_x1 = start_split.description_x1 if start_split else start.x1
    margin_ok = (
        start.x0 + SETTINGS.hanging_indent_ems * size <= line.x0 < description_x1
        if previous is start
        else abs(line.x0 - previous.x0) <= SETTINGS.margin_tolerance
    )
    return (
        margin_ok
        and not opens_item(line.text)
        and line.top - previous.bottom <= SETTINGS.line_gap_heights * height
        and abs(_size(line) - size) <= SETTINGS.size_tolerance * size  # one cell: one type size
    )


def _block_end(lines: Sequence[TextLine], i: int) -> int:
    """The index after the last line of the wrapped description that starts at ``lines[i]``."""
    j = i + 1
    while j < len(lines) and _continues(lines[j], lines[i], lines[j - 1]):
        j += 1
    return j


def _moved_value(block: Sequence[TextLine]) -> tuple[int, _Split] | None:
    """The line of ``block`` whose value goes to the block's end, and its split: the one line
    that carries a value (the first, or a middle one when the cell is centred), when it is
    not the last and every other line stays left of the value column."""
    splits = [(k, split) for k, line in enumerate(block) if (split := _split(line)) is not None]
    if len(splits) != 1:
        return None
    k, split = splits[0]
    if k == len(block) - 1 or any(line.x1 >= split.value_x0 for n, line in enumerate(block) if n != k):
        return None
    return k, split


def value_after_description(lines: Sequence[TextLine]) -> list[str]:
    """The lines' texts, with a value printed beside the first (or a middle) line of a wrapped
    description moved to the end of its last line."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = _block_end(lines, i)
        block = lines[i:j]
        moved = _moved_value(block) if len(block) > 1 else None
        if moved is None:
            out.append(lines[i].text.rstrip())
            i += 1
            continue
        k, split = moved
        for n, line in enumerate(block):
            if n == k:
                out.append(split.description.rstrip())
            elif n == len(block) - 1:
                out.append(f"{line.text.rstrip()} {split.value.strip()}")
            else:
                out.append(line.text.rstrip())
        i = j
    return out
