"""The tables of a score summary (สรุปผลคะแนน ตามคำรับรองการปฏิบัติราชการ).

One table per unit. Its header names the unit (ตัวชี้วัด | <unit> over รายละเอียดตัวชี้วัด |
คะแนนที่ทำได้ | น้ำหนัก); each body row gives an indicator's code, name, score (or, for a row
not scored yet, why: "รายงานรอบ ๑๒ เดือน") and weight; the total row (คะแนนที่ได้รับตามคำรับรองฯ …)
gives the weighted score and the total weight. A table continues over pages under its repeated
header, and a row split by a page break continues in the next page's first body row. The
paragraphs printed after a table up to the next one (ตัวชี้วัด ข้อ 7.1 … จะนำน้ำหนัก 2 ใส่ไว้ในข้อ
6.1 …) are its footnotes; reading what they say is `kamrap.normalize.transfers`' job.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from kamrap.text.thai import no_spaces as _compact
from kamrap.text.thai import similarity
from kamrap.text.lines import join_wrapped
from kamrap.parsers.classify import fiscal_year
from kamrap.parsers.layout import Cell, Grid, PageLayout
from kamrap.parsers.pdftext import TextLine
from kamrap.parsers.settings import OCR_SETTINGS
from kamrap.parsers.records import Footnote, SummaryRow, SummaryTable
from kamrap.parsers.text_table import find_span, gutter_bounds, join_cells, text_grid, words
from kamrap.parsers.vocabulary import (
    FOOTNOTE_STARTS, INDICATOR_WORD, SCORE_WORD, SUMMARY_NAME_WORD, SUMMARY_TITLE,
    SUMMARY_TOTAL_STARTS, WEIGHT_WORD,
)

_TITLE = SUMMARY_TITLE
_INDICATOR = INDICATOR_WORD
_WEIGHT = WEIGHT_WORD
_SCORE = SCORE_WORD
_NAME = SUMMARY_NAME_WORD
# The total row's label (vocabulary.SUMMARY_TOTAL_STARTS), matched on the compacted line.
_TOTAL = regex.compile("^(?:" + "|".join(map(regex.escape, SUMMARY_TOTAL_STARTS)) + ")")
# An indicator code as printed: "๒.๑", "2.1", "๑๒" (not a year like "๒๕๖๓" that a split total
# row carries over to the next page).
_CODE = regex.compile(r"^[\d๐-๙]{1,2}(?:\s*\.\s*[\d๐-๙]{1,2})*\.?$")
_CODE_START = regex.compile(r"^\s*(?P<code>[\d๐-๙]+(?:\s*\.\s*[\d๐-๙]+)*)\.?\s+(?P<rest>.*)$", regex.S)
# A footnote's opening words (vocabulary.FOOTNOTE_STARTS), any spacing between them.
_FOOTNOTE_START = regex.compile(r"^\s*(?:" + "|".join(
    r"\s*".join(map(regex.escape, start.split())) for start in FOOTNOTE_STARTS) + ")")


@dataclass(frozen=True)
class _Columns:
    """Where a summary table keeps each field; `name == code` when both share one cell."""

    code: int
    name: int
    score: int
    weight: int


def _text(cells: list[Cell | None], col: int) -> str | None:
    cell = cells[col] if col < len(cells) else None
    return None if cell is None else cell.text


def _header_columns(grid: Grid) -> tuple[int, _Columns] | None:
    """The number of header rows and the column layout, if `grid` is a summary table: a
    header row within the first three names the weight (น้ำหนัก) and the score (คะแนน)."""
    for i, cells in enumerate(grid.rows[:3]):
        texts = [_compact(None if c is None else c.text) for c in cells]
        weight = next((j for j, t in enumerate(texts) if _WEIGHT in t), None)
        score = next((j for j, t in enumerate(texts) if _SCORE in t and _WEIGHT not in t), None)
        if weight is None or score is None or len(cells) < 3:
            continue
        name = next((j for j, t in enumerate(texts) if _NAME in t), 1 if len(cells) >= 4 else 0)
        return i + 1, _Columns(code=0, name=name, score=score, weight=weight)
    return None


def _unit_name(grid: Grid, header_rows: int) -> str | None:
    """The unit a table is about: the header cell beside "ตัวชี้วัด" that names no column."""
    words = (_INDICATOR, _WEIGHT, _SCORE, _NAME)
    for cells in grid.rows[:header_rows]:
        texts = [c.text.strip() for c in cells if c is not None and c.text.strip()]
        # the heading's cell opens with the word, or ends with it (OCR reads a stray line of
        # marks before it)
        first = _compact(texts[0]) if texts else ""
        if first.startswith(_INDICATOR) or first.endswith(_INDICATOR):
            for text in texts[1:]:
                if not any(word in _compact(text) for word in words):
                    return text
    return None


def parse_summaries(pages: list[PageLayout]) -> list[SummaryTable]:
    """Every unit's summary table, in order, with the footnotes printed after it."""
    summaries: list[SummaryTable] = []
    year: str | None = None
    notes: list[tuple[int, list[str]]] = []  # the footnotes of the last summary, lines unjoined
    spaces_kept = any(page.spaces_kept for page in pages)
    for page in pages:
        for item in _reading_order(page, *_summary_tables(page)):
            if isinstance(item, Grid):
                layout = _header_columns(item)
                if layout is None:
                    continue
                _close_footnotes(summaries, notes, spaces_kept)
                summary = _summary_for(item, layout, summaries, year, page.ocr is not None)
                _read_rows(summary, item, layout, page)
            elif _TITLE in _compact(item.text):
                year = fiscal_year([item.text]) or year
                notes.append((page.number, []))  # a title ends the footnote above it
            elif summaries and _FOOTNOTE_START.match(item.text):
                notes.append((page.number, [item.text]))
            elif notes and notes[-1][1] and notes[-1][0] == page.number:
                notes[-1][1].append(item.text)
    _close_footnotes(summaries, notes, spaces_kept)
    return summaries


def _reading_order(page: PageLayout, grids: list[Grid], used: set[int]) -> list[Grid | TextLine]:
    """The page's tables and the lines outside them (and not in `used`, the ids of the lines
    a table was rebuilt from), top to bottom."""
    lines = [line for line in page.lines_outside_tables() if id(line) not in used]
    items: list[Grid | TextLine] = [*grids, *lines]
    return sorted(items, key=lambda item: item.bbox[1] if isinstance(item, Grid) else item.top)


def _summary_tables(page: PageLayout) -> tuple[list[Grid], set[int]]:
    """The page's ruled tables; when none of them is a summary table, the summary tables
    rebuilt from word positions (see `_text_tables`) and the ids of the lines they took."""
    if any(_header_columns(grid) is not None for grid in page.tables):
        return page.tables, set()
    grids: list[Grid] = []
    used: set[int] = set()
    for grid, lines in _text_tables(page):
        grids.append(grid)
        used |= {id(line) for line in lines}
    return [*page.tables, *grids], used


# -- tables without ruling lines -------------------------------------------------------------------
def _header_anchors(line: TextLine) -> dict[str, float] | None:
    """The x-centres of the column headings in a summary table's header line: รายละเอียด
    (name), คะแนน (score) and น้ำหนัก (weight); None if the line is not such a header."""
    spans = {key: find_span(line, word) for key, word in
             (("name", _NAME), ("score", _SCORE), ("weight", _WEIGHT))}
    if any(span is None for span in spans.values()):
        return None
    anchors = {key: (span[0] + span[1]) / 2 for key, span in spans.items() if span is not None}
    return anchors if anchors["name"] < anchors["score"] < anchors["weight"] else None


def _text_tables(page: PageLayout) -> list[tuple[Grid, list[TextLine]]]:
    """Summary tables without ruling lines, rebuilt from where the words stand: each header
    line (รายละเอียดตัวชี้วัด | คะแนน… | น้ำหนัก) with the unit named in the lines just above
    it; the body runs to the next header, title or footnote, or to a gap wider than two
    lines. Each grid is laid out as a ruled one would be: a unit row (ตัวชี้วัด | unit), the
    header row, then one row per indicator (a row starts with a code or the total label).
    Returns each grid with the lines it was built from."""
    lines = page.lines_outside_tables()
    headers = [i for i, line in enumerate(lines) if _header_anchors(line) is not None]
    tables = []
    free = 0  # lines before this index belong to an earlier table
    for n, at in enumerate(headers):
        header = lines[at]
        height = max(header.bottom - header.top, 1.0)
        above = [line for line in lines[free:at]
                 if header.top - line.top <= 3 * height and _TITLE not in _compact(line.text)]
        unit = next((line for line in reversed(above) if not _compact(line.text).startswith(_INDICATOR)), None)
        body = _table_body(lines[at + 1:headers[n + 1] if n + 1 < len(headers) else len(lines)], height)
        free = at + 1 + len(body)
        if not body:
            continue
        grid = _text_grid(page, header, body, unit)
        tables.append((grid, [*above, header, *body]))
    return tables


def _text_grid(page: PageLayout, header: TextLine, body: list[TextLine], unit: TextLine | None) -> Grid:
    anchors = _header_anchors(header)
    assert anchors is not None
    # the code column lies left of the name column: anchor it on the codes' own centre
    codes = [w.center for line in body for w in words(line)[:1] if _CODE.match(_compact(w.text))]
    code = sum(codes) / len(codes) if codes else anchors["name"] - (anchors["score"] - anchors["name"])
    centres = [code, anchors["name"], anchors["score"], anchors["weight"]]
    rows = [line for line in body if not _TOTAL.match(_compact(line.text))]
    bounds = gutter_bounds(centres, rows, 0.0, page.width, prefer=("left", "right", "widest"))
    grid = text_grid(page.number, body, bounds,
                     starts_row=lambda line: _starts_summary_row(line, bounds[1][0]),
                     spans_row=lambda line: False)
    top, bottom = header.top, header.bottom
    unit_row: list[Cell | None] = [Cell((left, top, right, bottom), [text]) for (left, right), text in
                zip(bounds, [_INDICATOR, unit.text.strip() if unit else "", "", ""])]
    header_row: list[Cell | None] = [Cell((left, top, right, bottom), [text]) for (left, right), text in
                  zip(bounds, ["", *_header_texts(header, bounds)[1:]])]
    grid.rows[:0] = [unit_row, header_row]
    return join_cells(grid, page.spaces_kept)


def _header_texts(header: TextLine, bounds: list[tuple[float, float]]) -> list[str]:
    """The header line's words, cut at the column bounds."""
    texts = ["" for _ in bounds]
    for word in words(header):
        column = next((c for c, (_, right) in enumerate(bounds) if word.center < right), len(bounds) - 1)
        texts[column] = (texts[column] + " " + word.text.strip()).strip()
    return texts


def _table_body(lines: list[TextLine], height: float) -> list[TextLine]:
    """The lines of a table body: up to a title, a footnote or a gap of more than two lines."""
    body: list[TextLine] = []
    for line in lines:
        compact = _compact(line.text)
        if _TITLE in compact or _FOOTNOTE_START.match(line.text):
            break
        if body and line.top - body[-1].bottom > 2 * height:
            break
        body.append(line)
    return body


def _starts_summary_row(line: TextLine, name_left: float) -> bool:
    """An indicator row starts with a code left of the name column; the total row with its
    label (คะแนนที่ได้รับ…)."""
    first = words(line)[:1]
    if not first:
        return False
    return (_TOTAL.match(_compact(line.text)) is not None
            or (first[0].x1 <= name_left + 1 and _CODE.match(_compact(first[0].text)) is not None))


def _close_footnotes(summaries: list[SummaryTable], notes: list[tuple[int, list[str]]],
                     spaces_kept: bool) -> None:
    """Give the footnotes read since the last table to the last summary."""
    if summaries:
        summaries[-1].footnotes += [
            Footnote(text=join_wrapped(lines, spaces_kept), page=page)
            for page, lines in notes if lines
        ]
        summaries[-1].pages = sorted(set(summaries[-1].pages) | {page for page, lines in notes if lines})
    notes.clear()


def _summary_for(grid: Grid, layout: tuple[int, _Columns], summaries: list[SummaryTable],
                 year: str | None, read_from_image: bool) -> SummaryTable:
    """The summary a table belongs to: the previous one when this table continues it under a
    repeated header (same unit, and no total row read yet or the first row carries on the
    total row split by the page break), otherwise a new one. On a page read from its image the
    unit is the same when its name reads alike (OCR misreads a letter of one print of it), and
    a table whose unit OCR could not read takes the unit its continuation names."""
    header_rows, cols = layout
    unit = _unit_name(grid, header_rows)
    last = summaries[-1] if summaries else None
    if last is not None and _same_unit(last.organization, unit, read_from_image) and (
            last.total_score is None or _continues(grid.rows[header_rows:], cols)):
        if last.organization is None:
            last.organization = unit
        return last
    summaries.append(SummaryTable(organization=unit, fiscal_year=year))
    return summaries[-1]


def _same_unit(before: str | None, now: str | None, read_from_image: bool) -> bool:
    if before == now:
        return True
    if not read_from_image:
        return False
    if before is None or now is None:
        return before is None  # a continuation names the unit its first page's header lost
    # OCR may run stray marks of the header row below into the name's line: the longer name's
    # start, as long as the shorter name, is compared too ("กองบริหารทรัพยากรบุคคลฆนณัม ' ชู")
    short, long = sorted((before, now), key=len)
    return max(similarity(before, now), similarity(short, long[:len(short)])) >= OCR_SETTINGS.same_heading


def _continues(body: list[list[Cell | None]], cols: _Columns) -> bool:
    """Whether the first body row carries on a row from the page before: it is neither an
    indicator row nor a total row."""
    if not body:
        return False
    label = _label(body[0])
    return not _TOTAL.match(_compact(label)) and _row(body[0], cols, 0) is None


def _read_rows(summary: SummaryTable, grid: Grid, layout: tuple[int, _Columns], page: PageLayout) -> None:
    header_rows, cols = layout
    summary.pages = sorted(set(summary.pages) | {page.number})
    for i, cells in enumerate(grid.rows[header_rows:]):
        label = _label(cells)
        if i == 0 and _continues([cells], cols) and (summary.rows or summary.total_label):
            _continue_row(summary, cells, cols, page)
        elif _TOTAL.match(_compact(label)):
            summary.total_label = label
            summary.total_score = _text(cells, cols.score)
            summary.total_weight = _text(cells, cols.weight)
            summary.total_page = page.number
        elif (row := _row(cells, cols, page.number)) is not None:
            summary.rows.append(row)
    if summary.total_label:
        summary.fiscal_year = summary.fiscal_year or fiscal_year([summary.total_label])


def _label(cells: list[Cell | None]) -> str:
    """A row's first text; for a total row, its label even when a wrapped year ("๒๕๖๓") was
    read into the cell before it (a table without ruling lines)."""
    texts = [c.text for c in cells if c is not None and c.text.strip()]
    if not texts:
        return ""
    if not _TOTAL.match(_compact(texts[0])) and not _CODE.match(_compact(texts[0])):
        return next((t for t in texts[1:] if _TOTAL.match(_compact(t))), texts[0])
    return texts[0]


def _row(cells: list[Cell | None], cols: _Columns, page: int) -> SummaryRow | None:
    """An indicator row, or None if the row starts with no code (a continued row)."""
    code_text = (_text(cells, cols.code) or "").strip()
    name = _text(cells, cols.name) or ""
    if cols.name == cols.code:  # "๑.๑ ร้อยละความพึงพอใจ…" in one cell
        match = _CODE_START.match(code_text)
        if match is None:
            return None
        code_text, name = match["code"], match["rest"]
    elif not _CODE.match(code_text):
        return None
    return SummaryRow(code=code_text, name=name.strip(), score=_text(cells, cols.score),
                      weight=_text(cells, cols.weight), pages=[page])


def _joined(before: str | None, after: str | None, spaces_kept: bool) -> str | None:
    if not (after or "").strip():
        return before
    return join_wrapped([before or "", after or ""], spaces_kept) if (before or "").strip() else after


def _continue_row(summary: SummaryTable, cells: list[Cell | None], cols: _Columns, page: PageLayout) -> None:
    """Append the rest of a row that a page break split: the total row if it was the last
    row read, otherwise the last indicator row."""
    keep = page.spaces_kept
    if summary.total_label is not None:
        label = _label(cells)
        summary.total_label = _joined(summary.total_label, label, keep)
        summary.total_score = _joined(summary.total_score, _text(cells, cols.score), keep)
        summary.total_weight = _joined(summary.total_weight, _text(cells, cols.weight), keep)
        return
    row = summary.rows[-1]
    row.name = _joined(row.name, _text(cells, cols.name), keep) or ""
    row.score = _joined(row.score, _text(cells, cols.score), keep)
    row.weight = _joined(row.weight, _text(cells, cols.weight), keep)
    row.pages.append(page.number)
