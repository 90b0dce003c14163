"""One pass over a PDF's pages: repaired characters, text lines and ruled tables per page.

Every parser works on these `PageLayout`s, so each page is read by pdfminer exactly once.
Tables come from pdfplumber's ruling-line detection; a cell's text is the repaired text of the
characters inside it (see `kamrap.parsers.pdftext`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

import pdfplumber
import regex
from pdfminer.layout import LTAnno, LTChar, LTComponent, LTContainer

from kamrap.parsers.settings import OCR_SETTINGS, SETTINGS
from kamrap.text.lines import join_wrapped
from kamrap.text.ocr_fix import fix_number, nearest_words
from kamrap.text.thai import thai_covered
from kamrap.text.quality import LOW_QUALITY, text_quality
from kamrap.parsers.orientation import turned_page
from kamrap.parsers.pdftext import (
    TextChar,
    TextLine,
    document_text as _document_text,
    lines_from_chars,
    page_lines,
    text_in_bbox,
    upright_page_chars,
)
from kamrap.parsers.ocr import (
    OcrMode,
    OcrPage,
    OcrWord,
    doubtful,
    ocr_image,
    read_cell,
    render_page,
    reread_cell,
    vocabulary_words,
)

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
    ocr: OcrPage | None = None  # the page was read from its image (see `kamrap.parsers.ocr`)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def lines_outside_tables(self) -> list[TextLine]:
        return [line for line in self.lines if not any(_inside(line, t.bbox) for t in self.tables)]


def _inside(line: TextLine, bbox: BBox) -> bool:
    x0, top, x1, bottom = bbox
    mid_y = (line.top + line.bottom) / 2
    return top <= mid_y <= bottom and line.x0 >= x0 - SETTINGS.box_slack and line.x1 <= x1 + SETTINGS.box_slack




def read_page(page: pdfplumber.page.Page, ocr: OcrMode = OcrMode.never,
              renderer: _Renderer | None = None) -> PageLayout:
    given = page
    page, chars = upright_page_chars(page)
    page._objects = ruling_objects(page)  # pdfplumber 0.11 caches Page.objects as `_objects`
    if renderer is not None and needs_ocr(ocr, page, chars):
        layout = _ocr_layout(given, renderer)
        if page is not given:
            page.close()
        given.close()
        return layout
    if page is not given:
        given.close()
    tables = [_grid(page.page_number, table, chars) for table in page.find_tables(SETTINGS.table_finder())]
    layout = PageLayout(
        number=page.page_number, width=float(page.width), height=float(page.height),
        chars=chars, lines=page_lines(page, chars), tables=tables,
    )
    page.close()  # pdfplumber caches every object of a page; we keep only what we need
    return layout




def needs_ocr(mode: OcrMode, page: pdfplumber.page.Page, chars: list[TextChar]) -> bool:
    """Whether a page is read from its image: always, never, or (auto) when it is a scan (one
    image covers most of it) that shows no text (none at all, or only text drawn invisible: a
    scanner's OCR layer) or whose text reads badly (`kamrap.text.quality`)."""
    if mode == OcrMode.always:
        return True
    if mode == OcrMode.never:
        return False
    area = float(page.width) * float(page.height) or 1.0
    cover = max((float(i["width"]) * float(i["height"]) / area for i in page.objects.get("image", [])),
                default=0.0)
    if cover < OCR_SETTINGS.scan_cover:
        return False  # not a scan: a blank page, or one drawn in vectors only
    visible = [c for c in chars if not c.invisible and c.text.strip()]
    if not visible:
        return True
    return text_quality("\n".join(line.text for line in lines_from_chars(visible))).score < LOW_QUALITY


class _Renderer:
    """Renders a PDF's pages for OCR (pypdfium2, opened from the same bytes on first use)."""

    def __init__(self, pdf: pdfplumber.pdf.PDF) -> None:
        self.pdf = pdf
        self._document = None

    def image(self, index: int) -> object:
        if self._document is None:
            import pypdfium2

            stream = self.pdf.stream
            stream.seek(0)
            self._document = pypdfium2.PdfDocument(stream.read())
        return render_page(self._document, index)

    def close(self) -> None:
        if self._document is not None:
            self._document.close()
            self._document = None


def _ocr_layout(page: pdfplumber.page.Page, renderer: _Renderer) -> PageLayout:
    """The layout of a page read from its image: the OCR glyphs, and the tables pdfplumber's
    table finder builds from the ruling lines found in the image (page points, upright)."""
    read = ocr_image(renderer.image(page.page_number - 1))  # type: ignore[arg-type]
    upright = turned_page(page, read.turn) if read.turn else page
    dx, dy = float(upright.bbox[0]), float(upright.bbox[1])
    chars = [replace(c, x0=c.x0 + dx, x1=c.x1 + dx, top=c.top + dy, bottom=c.bottom + dy) for c in read.chars]
    tables: list[Grid] = []
    horizontal = [_edge(b, "h", dx, dy) for b in read.horizontal]
    vertical = [_edge(b, "v", dx, dy) for b in read.vertical]
    if len(horizontal) >= 2 and len(vertical) >= 2:
        settings = {**SETTINGS.table_finder(), "vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                    "explicit_vertical_lines": vertical, "explicit_horizontal_lines": horizontal}
        tables = [_grid(page.page_number, table, chars) for table in upright.find_tables(settings)]
        for grid in tables:
            for r, row in enumerate(grid.rows):
                for cell in row:
                    if cell is None:
                        continue
                    if not any(line.strip() for line in cell.lines) and (found := read_cell(read, cell.bbox)):
                        cell.lines = [found[0]]  # what the page's OCR dropped as a speck
                        read.words.append(OcrWord(found[0], cell.bbox, found[1]))
                    elif (r < OCR_SETTINGS.header_rows_reread or doubtful(" ".join(cell.lines))) and (
                            again := reread_cell(read, cell.bbox)):
                        # a cell read again on its own: a header's (stacked marks, words
                        # broken over narrow lines) or one that reads as misread
                        lines = [line.text for line in lines_from_chars(again[0])]
                        if _reads_better(lines, cell.lines, r < OCR_SETTINGS.header_rows_reread):
                            cell.lines = lines
                    # a cell holding a number holds digits, not look-alikes; a space OCR put
                    # between two cells' words (one line of tesseract's) ends no line
                    cell.lines = [fix_number(line).strip() for line in cell.lines]
                    if r < OCR_SETTINGS.header_rows_reread:  # a header holds header words
                        cell.lines = [nearest_words(line, vocabulary_words()) for line in cell.lines]
    read.image = None
    if upright is not page:
        upright.close()
    return PageLayout(number=page.page_number, width=read.width, height=read.height, chars=chars,
                      lines=lines_from_chars(chars), tables=tables, ocr=read)




def _reads_better(new: list[str], old: list[str], prefer_new: bool = False) -> bool:
    """Whether a cell's second reading is better than its first: more of its Thai in
    dictionary words, less that looks misread (`doubtful`), or (``prefer_new``) no worse."""
    a, b = " ".join(new), " ".join(old)
    if not a.strip():
        return False
    score_a, score_b = _reading_score(a), _reading_score(b)
    return score_a > score_b or (prefer_new and score_a == score_b)


def _reading_score(text: str) -> int:
    """Thai characters covered by dictionary words, less five for a reading that looks misread
    and three per Latin word among Thai: the two readings of one cell compare by it."""
    covered, thai = thai_covered(text)
    latin = len(regex.findall(r"[A-Za-z]+", text)) if thai else 0  # Latin among Thai: misread marks
    return covered - 5 * doubtful(text) - 3 * latin


def _edge(box: BBox, orientation: str, dx: float, dy: float) -> dict[str, Any]:
    """A ruling line found in an image, as the line object pdfplumber's table finder takes
    (drawn along the middle of the stroke)."""
    x0, top, x1, bottom = box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy
    if orientation == "h":
        y = (top + bottom) / 2
        return {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0,
                "height": 0.0}
    x = (x0 + x1) / 2
    return {"object_type": "line", "x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0,
            "height": bottom - top}


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


def read_pages(pdf: pdfplumber.pdf.PDF, ocr: OcrMode = OcrMode.auto) -> list[PageLayout]:
    """Every page of `pdf`, read once; pages that need it (see `needs_ocr`) read from their
    image."""
    renderer = _Renderer(pdf)
    try:
        pages = [read_page(page, ocr, renderer) for page in pdf.pages]
    finally:
        renderer.close()
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
    otherwise whether a wrap stood for a space must be guessed from the characters around it.
    Pages read from their image say nothing of the producer: OCR draws no spaces at line ends."""
    drawn = [page for page in pages if page.ocr is None]
    return any(line.text.endswith(" ") for page in drawn for line in page.lines) or any(
        text.endswith(" ") for page in drawn for grid in page.tables for row in grid.rows
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
            box = (lefts[j], row_boxes[r][1], rights[j], row_boxes[r][3])
            # covered: a cell takes a quarter of the position or more (a row's box spans the
            # rows its tallest cell spans, so its centre may fall on a merged cell's edge)
            if not any(_overlap(b, box) >= 0.25 * _area(box) for b in cells):
                row[j] = box


def _area(box: BBox) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def _overlap(a: BBox, b: BBox) -> float:
    return _area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def _box(values: Iterable[float]) -> BBox:
    x0, top, x1, bottom = values
    return float(x0), float(top), float(x1), float(bottom)


def _chars_between(chars: list[TextChar], top: float, bottom: float) -> list[TextChar]:
    """The chars whose middle lies between `top` and `bottom`, in their order (`text_in_bbox`
    places a char in a cell by its middle too)."""
    return [c for c in chars if top <= (c.top + c.bottom) / 2 <= bottom]


def _grid(page_number: int, table: pdfplumber.table.Table, chars: list[TextChar]) -> Grid:
    boxes = [list(row.cells) for row in table.rows]
    _close_open_cells(boxes, [row.bbox for row in table.rows], [col.bbox for col in table.columns])
    rows = []
    for row in boxes:
        # each cell looks only at the chars of its row's height: the page's other chars cannot
        # be in it, and a page of many tables has tens of thousands of chars
        spans = [bbox for bbox in row if bbox is not None]
        near = _chars_between(chars, min((b[1] for b in spans), default=0.0),
                              max((b[3] for b in spans), default=0.0))
        rows.append([None if bbox is None else Cell(_box(bbox), text_in_bbox(near, bbox).split("\n"))
                     for bbox in row])
    columns = sorted({c.bbox[0] for row in rows for c in row if c is not None})
    return Grid(page=page_number, bbox=_box(table.bbox), rows=rows, columns=columns)


def document_text(path: Path | str, pages: Sequence[int] | None = None, layout: bool = False,
                  ocr: OcrMode = OcrMode.auto) -> str:
    """What `kamrap text` prints: `kamrap.parsers.pdftext.document_text`, with the pages that
    need OCR (see `needs_ocr`) read from their image."""
    state: dict[int, _Renderer] = {}

    def read_chars(page: pdfplumber.page.Page) -> tuple[pdfplumber.page.Page, list[TextChar]]:
        upright, chars = upright_page_chars(page)
        if ocr != OcrMode.never:
            upright._objects = ruling_objects(upright)
            if needs_ocr(ocr, upright, chars):
                renderer = state.setdefault(0, _Renderer(page.pdf))
                read = _ocr_layout(page, renderer)
                return upright, read.chars
        return upright, chars

    try:
        return _document_text(path, pages, layout, read_chars=read_chars)
    finally:
        for renderer in state.values():
            renderer.close()
