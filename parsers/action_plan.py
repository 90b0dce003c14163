"""The indicator table of an action plan (แผนปฏิบัติการ).

Ten columns: indicator (number and name), unit (หน่วยวัด), the five score levels (ระดับคะแนน
๑–๕, often left empty), responsible staff (ผู้รับผิดชอบ), and the target level for the 6- and
12-month rounds (เป้าหมาย ๖ เดือน / ๑๒ เดือน). Group rows ("C : ตัวชี้วัดตามหน้าที่/งานประจำ")
span the first seven columns.
"""

from __future__ import annotations

import regex

from kamrap.normalize.lines import join_wrapped
from kamrap.parsers.agreement import cell_text
from kamrap.parsers.layout import Cell, Grid, PageLayout
from kamrap.parsers.records import Grouping, IndicatorRow

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


def parse_rows(pages: list[PageLayout]) -> list[IndicatorRow]:
    rows: list[IndicatorRow] = []
    group: str | None = None
    for page in pages:
        for grid in page.tables:
            if not _is_plan_table(grid):
                continue
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
