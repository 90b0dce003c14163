"""Which way a page's text runs, and the page turned so that it reads left to right.

A landscape table is often set on a portrait page with its text running up the page, or a page
is stored with a ``/Rotate`` that turns its text on its side. A reader turns the page; the text
layer does the same, by giving the page the ``/Rotate`` that brings most of its glyphs upright
(pdfminer then lays the page out in that orientation, ruling lines and all).
"""

from __future__ import annotations

import copy
import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

import pdfplumber

from kamrap.parsers.settings import SETTINGS

__all__ = ["text_turn", "turned_page"]



def glyph_direction(matrix: tuple[float, ...]) -> int:
    """Which way a glyph's baseline runs on the page as displayed, from its text rendering
    matrix ``(a, b, c, d, e, f)``: 0 right, 90 up, 180 left (upside down), 270 down."""
    a, b = matrix[0], matrix[1]
    if b == 0 and a > 0:
        return 0  # nearly every glyph: upright text, no trigonometry needed
    return round(math.degrees(math.atan2(b, a)) / 90) % 4 * 90


def text_turn(glyphs: Iterable[Any]) -> int:
    """Degrees clockwise to turn the page so that its text runs left to right: 0 when most
    glyphs already do (or the page has no text). ``glyphs`` have an ``item`` (pdfminer LTChar)
    and their ``direction`` (`glyph_direction` of the item's matrix)."""
    directions: Counter[int] = Counter()
    for glyph in glyphs:
        if glyph.item.get_text().strip():
            directions[glyph.direction] += 1
    total = sum(directions.values())
    if not total:
        return 0
    direction, count = directions.most_common(1)[0]
    if direction == 0 or count < SETTINGS.turn_share * total:
        return 0
    # text running up (90° anticlockwise of right) reads left to right after turning the page
    # 90° clockwise, and so on
    return direction


def turned_page(page: pdfplumber.page.Page, degrees: int) -> pdfplumber.page.Page:
    """A new page object for the same PDF page, displayed turned ``degrees`` clockwise more
    than ``page`` (the PDF itself is not changed)."""
    rotation = (page.rotation + degrees) % 360
    obj = copy.copy(page.page_obj)
    obj.attrs = {**obj.attrs, "Rotate": rotation}
    obj.rotate = rotation
    return pdfplumber.page.Page(page.pdf, obj, page_number=page.page_number,
                                initial_doctop=page.initial_doctop)
