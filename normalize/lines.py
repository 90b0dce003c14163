"""Joining the lines of a wrapped paragraph or table cell back into one text.

Thai has no spaces between words, and office tools wrap Thai lines at word boundaries, so a
line break between two Thai characters is not a space. LibreOffice keeps the space glyph at the
end of a line that wrapped at a space; Word often drops it, so between non-Thai characters
(Latin words, numbers) a wrap is read as a space.
"""

from __future__ import annotations

from typing import Protocol

from pythainlp.tokenize import word_tokenize


def _is_thai(char: str) -> bool:
    return "\u0e00" <= char <= "\u0e7f"


def join_wrapped(lines: list[str]) -> str:
    """The lines of one wrapped paragraph as a single line."""
    text = ""
    for line in lines:
        if not line.strip():
            continue
        if not text or text[-1].isspace() or line[0].isspace():
            text += line
        elif _is_thai(text[-1]) and _is_thai(line[0]):
            text += line
        else:
            text += " " + line
    return text


class PlacedLine(Protocol):
    """A line of text with its horizontal extent (a `kamrap.parsers.pdftext.TextLine`)."""

    text: str
    x0: float
    x1: float


_INDENT = 6.0  # points: a line starting further right or left than the one above starts anew


def _first_word_width(line: PlacedLine) -> float:
    """The width the first word of `line` needed on the line above (its share of the line)."""
    text = line.text.strip()
    if not text:
        return 0.0
    words = word_tokenize(text, engine="newmm", keep_whitespace=True)
    return (line.x1 - line.x0) * len(words[0]) / len(text)


def paragraph_break(above: PlacedLine, below: PlacedLine, right_edge: float,
                    indent_breaks: bool = True) -> bool:
    """Whether `below` starts a new paragraph rather than continuing `above`.

    A line wraps only when the next word does not fit: if the first word of `below` would have
    fitted in the room left at the end of `above`, `above` ended its paragraph. A change of
    indentation (list items, hanging indents) also starts anew.
    """
    if indent_breaks and abs(below.x0 - above.x0) > _INDENT:
        return True
    room = right_edge - above.x1
    return room > _first_word_width(below) + _INDENT


def join_lines(lines: list[PlacedLine], right_edge: float | None = None,
               indent_breaks: bool = True) -> str:
    """The text of consecutive lines: wrapped lines joined as `join_wrapped` does, paragraphs
    separated by one space. `indent_breaks=False` for a label's value, whose first line starts
    at the label."""
    lines = [line for line in lines if line.text.strip()]
    if not lines:
        return ""
    edge = right_edge if right_edge is not None else max(line.x1 for line in lines)
    text = lines[0].text
    for above, below in zip(lines, lines[1:]):
        if paragraph_break(above, below, edge, indent_breaks):
            text = text.rstrip() + " " + below.text.lstrip()
        else:
            text = join_wrapped([text, below.text])
    return text
