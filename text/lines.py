"""Joining the lines of a wrapped paragraph or table cell back into one text.

Thai has no spaces between words, and office tools wrap Thai lines at word boundaries, so a
line break between two Thai characters is not a space. LibreOffice keeps the space glyph at the
end of a line that wrapped at a space; Word often drops it, so between non-Thai characters
(Latin words, numbers) a wrap is read as a space.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Protocol

from pythainlp.tokenize import word_tokenize


def _is_thai(char: str) -> bool:
    return "\u0e00" <= char <= "\u0e7f"


def _is_word_char(char: str) -> bool:
    """Letters, digits and the combining marks written on Thai letters (ี, ่)."""
    return unicodedata.category(char)[0] in "LMN"


def _is_digit(char: str) -> bool:
    return char.isdigit()  # Arabic and Thai (๐–๙) digits


# Characters after which, or before which, Unicode line breaking (UAX #14) allows no break
# unless there is a space: closing punctuation and infix separators before a letter (LB29,
# LB30), and hyphens, bullets and dashes opening the next line (LB21).
_NO_BREAK_AFTER = set(".)]:;,")
_NO_BREAK_BEFORE = set("-–—•●·")


def _wrap_is_space(before: str, after: str, spaces_kept: bool = False) -> bool:
    """Whether a line break between these two characters, with no space glyph drawn at the
    end of the line, stood for a space.

    A break that Unicode line breaking (UAX #14) forbids without a space — between a letter and
    a digit (LB23: "ร้อยละ ๘๐", "มากกว่าปี ๖๓"), after closing punctuation, before a hyphen or
    bullet — must have been a space or a paragraph end. Otherwise: when the producer draws
    the spaces it wraps at (`spaces_kept`), there was none; else Thai letters wrap inside a run
    without a space and anything not Thai wraps at spaces.
    """
    if _is_word_char(before) and _is_word_char(after) and _is_digit(before) != _is_digit(after):
        return True
    if (before in _NO_BREAK_AFTER and _is_thai(after)) or after in _NO_BREAK_BEFORE:
        return True
    if spaces_kept:
        return False
    return not (_is_thai(before) and _is_thai(after))


def join_wrapped(lines: list[str], spaces_kept: bool = False) -> str:
    """The lines of one wrapped paragraph as a single line. With `spaces_kept` (the producer
    draws the space where a line wraps at one), a wrap without a space was inside a word."""
    text = ""
    for line in lines:
        if not line.strip():
            continue
        if not text or text[-1].isspace() or line[0].isspace():
            text += line
        elif _wrap_is_space(text[-1], line[0], spaces_kept):
            text += " " + line
        else:
            text += line
    return text


class PlacedLine(Protocol):
    """A line of text with its horizontal extent (a `kamrap.parsers.pdftext.TextLine`), read only."""

    @property
    def text(self) -> str: ...

    @property
    def x0(self) -> float: ...

    @property
    def x1(self) -> float: ...


_INDENT = 6.0  # points: a line starting further right or left than the one above starts anew
_WRAP_ROOM = 0.3  # share of the column width a wrapped line may leave empty


def _first_word_width(line: PlacedLine) -> float:
    """The width the first word of `line` needed on the line above (its share of the line)."""
    text = line.text.strip()
    if not text:
        return 0.0
    words = word_tokenize(text, engine="newmm", keep_whitespace=True)
    return (line.x1 - line.x0) * len(words[0]) / len(text)


def paragraph_break(above: PlacedLine, below: PlacedLine, right_edge: float,
                    indent_breaks: bool = True, left_edge: float | None = None) -> bool:
    """Whether `below` starts a new paragraph rather than continuing `above`.

    A line wraps only when the next word does not fit: if the first word of `below` would have
    fitted in the room left at the end of `above`, `above` ended its paragraph. A change of
    indentation (list items, hanging indents) also starts anew.
    """
    left_edge = min(above.x0, below.x0) if left_edge is None else left_edge
    if indent_breaks and abs(below.x0 - above.x0) > _INDENT:
        return True
    if above.text.endswith(" "):  # wrapped at a space
        return False
    room = right_edge - above.x1
    # Line breaking may keep more than one dictionary word together, so the first word is a
    # lower bound of what did not fit; a line ending in the last third of the column is taken
    # as wrapped.
    # (the first word is measured only when the room decides: tokenizing is the costly part)
    return room > _WRAP_ROOM * (right_edge - left_edge) and room > _first_word_width(below) + _INDENT


def join_lines(lines: Sequence[PlacedLine], right_edge: float | None = None,
               indent_breaks: bool = True, spaces_kept: bool = False) -> str:
    """The text of consecutive lines: wrapped lines joined as `join_wrapped` does, paragraphs
    separated by one space. `indent_breaks=False` for a label's value, whose first line starts
    at the label."""
    lines = [line for line in lines if line.text.strip()]
    if not lines:
        return ""
    edge = right_edge if right_edge is not None else max(line.x1 for line in lines)
    left = min(line.x0 for line in lines)
    text = lines[0].text
    for above, below in zip(lines, lines[1:]):
        if paragraph_break(above, below, edge, indent_breaks, left):
            text = text.rstrip() + " " + below.text.lstrip()
        else:
            text = join_wrapped([text, below.text], spaces_kept)
    return text
