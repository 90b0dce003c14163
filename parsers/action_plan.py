"""The indicator table of an action plan (แผนปฏิบัติการ).

Ten columns: indicator (number and name), unit (หน่วยวัด), the five score levels (ระดับคะแนน
๑–๕, often left empty), responsible staff (ผู้รับผิดชอบ), and the target level for the 6- and
12-month rounds (เป้าหมาย ๖ เดือน / ๑๒ เดือน). Group rows ("C : ตัวชี้วัดตามหน้าที่/งานประจำ")
span the first seven columns. A table without ruling lines is rebuilt from where its words
stand (`_text_table`).
"""

from __future__ import annotations

import regex

from kamrap.text.lines import join_wrapped
from kamrap.parsers.agreement import cell_text
from kamrap.parsers.layout import Cell, Grid, PageLayout
from kamrap.parsers.pdftext import TextLine
from kamrap.parsers.records import Grouping, IndicatorRow
from kamrap.parsers.text_table import find_span, gutter_bounds, join_cells, text_grid, words

_CODE_START = regex.compile(r"^\s*[\d๐-๙]+\s*\.")
# Header words: ประเภทตัวชี้วัด indicator type, หน่วยวัด unit, ระดับคะแนน score level,
# เป้าหมาย target, เดือน month, ระดับ level.
_HEADER_WORDS = ("ประเภทตัวชี้วัด", "หน่วยวัด", "ระดับคะแนน", "เป้าหมาย", "เดือน")


def _compact(text: str | None) -> str:
    return regex.sub(r"\s+", "", text or "")


def _is_header_row(row: list[Cell | None]) -> bool:
    texts = [_compact(cell_text(c)) for c in row if c is not None]
    non_empty = [t for t in texts if t]
    return (any(w in t for t in non_empty for w in _HEADER_WORDS)
            or all(regex.fullmatch(r"[๑-๕1-5]|ระดับ", t) for t in non_empty))


def _is_plan_table(grid: Grid) -> bool:
    return len(grid.rows[0]) >= 10 and any(_is_header_row(r) for r in grid.rows[:3])


def _plan_tables(page: PageLayout) -> list[Grid]:
    """The page's ruled plan tables, or the one rebuilt from word positions."""
    ruled = [grid for grid in page.tables if _is_plan_table(grid)]
    if ruled:
        return ruled
    grid = _text_table(page)
    return [] if grid is None else [grid]


# -- tables without ruling lines -------------------------------------------------------------------
# A group row: "C : ตัวชี้วัดตามหน้าที่/งานประจำ …" (a letter, a colon).
_GROUP = regex.compile(r"^\s*[A-Za-zก-ฮ]\s*:")
_LEVELS = ("๑", "๒", "๓", "๔", "๕")


def _text_table(page: PageLayout) -> Grid | None:
    """The plan table from word positions. Columns are anchored on the header: หน่วยวัด
    (unit), the level digits ๑–๕, ผู้รับผิดชอบ (responsible) and the two round targets (the
    "๖ เดือน" and "๑๒ เดือน" headings); the indicator column lies left of the unit. The body
    starts at the first indicator (๑. …) or group row (C : …) below the header; a row starts at
    an indicator's number or a group label."""
    lines = page.lines_outside_tables()
    start = next((i for i, line in enumerate(lines) if find_span(line, "ประเภทตัวชี้วัด")), None)
    if start is None:
        return None
    header = lines[max(0, start - 3):start + 6]
    anchors = _plan_anchors(header)
    if anchors is None:
        return None
    # the body starts below the header's last line: the level digits, the round headings
    # (๖ เดือน ๑๒ เดือน) or the target unit under them (ระดับ ระดับ)
    end = max(i for i in range(max(0, start - 3), min(len(lines), start + 6))
              if _is_header_line(lines[i]) or i == start)
    body = lines[end + 1:]
    if not body:
        return None
    label = anchors[0] - (anchors[1] - anchors[0])
    bounds = gutter_bounds([label, *anchors], [l for l in body if not _GROUP.match(l.text)], 0.0, page.width,
                           prefer=("right", *["widest"] * (len(anchors) - 1)))
    grid = text_grid(page.number, body, bounds,
                     starts_row=lambda line: bool(_CODE_START.match(line.text) or _GROUP.match(line.text)),
                     spans_row=lambda line: False)
    for row in grid.rows:
        label_cell = row[0]
        if label_cell is not None and _GROUP.match(" ".join(label_cell.lines)):
            # a group row: its label runs over the unit and level columns ("มิติด้าน…")
            label_cell.lines = [" ".join(text for c in row[:7] if c is not None for text in c.lines)]
            row[1:7] = [None] * 6
    return join_cells(grid, page.spaces_kept)


def _is_header_line(line: TextLine) -> bool:
    texts = [w.text.strip() for w in words(line)]
    return bool(texts) and (texts == list(_LEVELS) or sum("เดือน" in t for t in texts) == 2
                            or all(t == "ระดับ" for t in texts))


def _plan_anchors(header: list[TextLine]) -> list[float] | None:
    """x-centres of the unit, five level, responsible and two target columns, from the
    header lines; None when one is missing."""
    def centre(word: str) -> float | None:
        for line in header:
            span = find_span(line, word)
            if span is not None:
                return (span[0] + span[1]) / 2
        return None

    unit, responsible = centre("หน่วยวัด"), centre("ผู้รับผิดชอบ")
    levels = next(([w.center for w in words(line) if w.text.strip() in _LEVELS]
                   for line in header if [w.text.strip() for w in words(line)] == list(_LEVELS)), None)
    months = next(([w.center for w in words(line) if "เดือน" in w.text]
                   for line in header if sum("เดือน" in w.text for w in words(line)) == 2), None)
    if unit is None or responsible is None or levels is None or months is None:
        return None
    return [unit, *levels, responsible, *months]


def parse_rows(pages: list[PageLayout]) -> list[IndicatorRow]:
    rows: list[IndicatorRow] = []
    group: str | None = None
    for page in pages:
        for grid in _plan_tables(page):
            for index, cells in enumerate(grid.rows):
                label = cell_text(cells[0])
                if label is not None and _CODE_START.match(label):
                    rows.append(_plan_row(cells, group, page.number))
                elif cells[0] is not None and all(c is None for c in cells[1:7]):
                    group = label
                elif _is_header_row(cells):
                    continue
                elif rows and label is not None and rows[-1].pages[-1] != page.number:
                    _continue_row(rows[-1], cells, page.number, page.spaces_kept)
    return rows


def _people(cell: Cell | None) -> str | None:
    """Responsible staff: one name per line."""
    return None if cell is None else " ".join(line.strip() for line in cell.lines if line.strip())


def _continue_row(row: IndicatorRow, cells: list[Cell | None], page: int, spaces_kept: bool) -> None:
    """Append the rest of a row that a page break split."""
    if cells[0] is not None and cells[0].text.strip():
        row.label = join_wrapped([row.label, cells[0].text], spaces_kept)
    more_people = _people(cells[7])
    if more_people:
        row.responsible = f"{row.responsible} {more_people}" if row.responsible else more_people
    for key, column in (("6", 8), ("12", 9)):
        if not row.round_targets.get(key) and cells[column] is not None and cells[column].text.strip():
            row.round_targets[key] = cells[column].text
    row.pages.append(page)


def _plan_row(cells: list[Cell | None], group: str | None, page: int) -> IndicatorRow:
    responsible = _people(cells[7])
    return IndicatorRow(
        label=cell_text(cells[0]) or "",
        grouping=Grouping(dimension=group),
        unit=cell_text(cells[1]),
        criteria=[cell_text(cells[i]) for i in range(2, 7)],
        responsible=responsible,
        round_targets={"6": cell_text(cells[8]), "12": cell_text(cells[9])},
        pages=[page],
    )
