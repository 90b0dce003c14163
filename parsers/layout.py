"""One pass over a PDF's pages: repaired characters, text lines and ruled tables per page.

Every parser works on these `PageLayout`s, so each page is read by pdfminer exactly once.
Tables come from pdfplumber's ruling-line detection; a cell's text is the repaired text of the
characters inside it (see `kamrap.parsers.pdftext`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.layout import LTAnno, LTChar, LTComponent, LTContainer

from kamrap.parsers.settings import SETTINGS
from kamrap.text.lines import join_wrapped
from kamrap.parsers.pdftext import TextChar, TextLine, page_lines, text_in_bbox, upright_page_chars

BBox = tuple[float, float, float, float]


@dataclass
class Cell:
    bbox: BBox
    lines: list[str]  # the cell's lines as printed
    text: str = ""  # the lines joined back into one text (see `read_pages`)


@dataclass
class Grid:
    """A ruled table on one page. `rows[i][j]` is None where a merged cell covers column j."""

    page: int
    bbox: BBox
    rows: list[list[Cell | None]]
    columns: list[float] = field(default_factory=list)  # left x of every column


@dataclass
class PageLayout:
    number: int  # 1-based
    width: float
    height: float
    chars: list[TextChar]
    lines: list[TextLine]
    tables: list[Grid]
    spaces_kept: bool = False  # the producer keeps the space glyph where a line wraps at a space

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def lines_outside_tables(self) -> list[TextLine]:
        return [line for line in self.lines if not any(_inside(line, t.bbox) for t in self.tables)]


def _inside(line: TextLine, bbox: BBox) -> bool:
    x0, top, x1, bottom = bbox
    mid_y = (line.top + line.bottom) / 2
    return top <= mid_y <= bottom and line.x0 >= x0 - SETTINGS.box_slack and line.x1 <= x1 + SETTINGS.box_slack




def read_page(page: pdfplumber.page.Page) -> PageLayout:
    given = page
    page, chars = upright_page_chars(page)
    if page is not given:
        given.close()
    page._objects = ruling_objects(page)  # pdfplumber 0.11 caches Page.objects as `_objects`
    tables = [_grid(page.page_number, table, chars) for table in page.find_tables(SETTINGS.table_finder())]
    layout = PageLayout(
        number=page.page_number, width=float(page.width), height=float(page.height),
        chars=chars, lines=page_lines(page, chars), tables=tables,
    )
    page.close()  # pdfplumber caches every object of a page; we keep only what we need
    return layout


def ruling_objects(page: pdfplumber.page.Page) -> dict[str, list[dict[str, Any]]]:
    """`page.objects` without the chars, which is all that finding ruled tables needs.

    pdfplumber turns every pdfminer object of a page into a dict the first time `page.objects`
    is read (`find_tables` does), and chars are nearly all of them: skipping them takes a
    quarter off the time to read a page. The chars themselves come from `page_chars`."""
    objects: dict[str, list[dict[str, Any]]] = {}
    for item in _non_chars(page.layout._objs, page.pdf.laparams is not None):
        attr = page.process_object(item)
        objects.setdefault(attr["object_type"], []).append(attr)
    return objects


def _non_chars(items: list[LTComponent], containers_too: bool) -> Iterator[LTComponent]:
    """`Page.iter_layout_objects` without chars (and without the `anno` objects it drops)."""
    for item in items:
        if isinstance(item, (LTChar, LTAnno)):
            continue
        if isinstance(item, LTContainer):
            if containers_too:
                yield item
            yield from _non_chars(item._objs, containers_too)
        else:
            yield item


def read_pages(pdf: pdfplumber.pdf.PDF) -> list[PageLayout]:
    pages = [read_page(page) for page in pdf.pages]
    spaces_kept = producer_keeps_wrap_spaces(pages)
    for page in pages:
        page.spaces_kept = spaces_kept
        for grid in page.tables:
            for row in grid.rows:
                for cell in row:
                    if cell is not None:
                        cell.text = join_wrapped(cell.lines, spaces_kept)
    return pages


def producer_keeps_wrap_spaces(pages: list[PageLayout]) -> bool:
    """Whether this PDF's producer draws the space at the end of a line that wrapped there
    (LibreOffice and Word's tagged PDFs do). If so, a wrap without one was inside a word;
    otherwise whether a wrap stood for a space must be guessed from the characters around it."""
    return any(line.text.endswith(" ") for page in pages for line in page.lines) or any(
        text.endswith(" ") for page in pages for grid in page.tables for row in grid.rows
        for cell in row if cell is not None for text in cell.lines[:-1])


def _close_open_cells(boxes: list[list[BBox | None]], row_boxes: list[BBox],
                      column_boxes: list[BBox]) -> None:
    """Give a cell to every grid position no cell covers. A row whose bottom rule a producer
    left out (Excel's last row of a page) comes without cells, though a viewer shows its text
    in the columns above; a position inside a merged cell (one spanning rows or columns) is
    covered and stays None."""
    cells = [b for row in boxes for b in row if b is not None]
    # a column runs from its left edge to the next column's (pdfplumber's column boxes also
    # hold the merged cells that start there, and so overlap their neighbours)
    lefts = [box[0] for box in column_boxes]
    rights = lefts[1:] + [max(box[2] for box in column_boxes)] if column_boxes else []
    for r, row in enumerate(boxes):
        for j, bbox in enumerate(row):
            if bbox is not None or j >= len(lefts):
                continue
            x = (lefts[j] + rights[j]) / 2
            y = (row_boxes[r][1] + row_boxes[r][3]) / 2
            if not any(b[0] < x < b[2] and b[1] < y < b[3] for b in cells):
                row[j] = (lefts[j], row_boxes[r][1], rights[j], row_boxes[r][3])


def _box(values: Iterable[float]) -> BBox:
    x0, top, x1, bottom = values
    return float(x0), float(top), float(x1), float(bottom)


def _grid(page_number: int, table: pdfplumber.table.Table, chars: list[TextChar]) -> Grid:
    boxes = [list(row.cells) for row in table.rows]
    _close_open_cells(boxes, [row.bbox for row in table.rows], [col.bbox for col in table.columns])
    rows = [
        [None if bbox is None else Cell(_box(bbox), text_in_bbox(chars, bbox).split("\n"))
         for bbox in row]
        for row in boxes
    ]
    columns = sorted({c.bbox[0] for row in rows for c in row if c is not None})
    return Grid(page=page_number, bbox=_box(table.bbox), rows=rows, columns=columns)
