"""The indicator table of a performance agreement (คำรับรองการปฏิบัติราชการ).

The table has nine columns: indicator (code and name), weight (น้ำหนัก), target level
(เป้าหมาย), the five scoring-criteria levels (เกณฑ์การให้คะแนน ๑–๕) and remarks (หมายเหตุ).
Group rows merged across the table name the dimension (มิติ, with its weight), the perspective
(ด้าน) and the objective (วัตถุประสงค์ที่ N) of the rows below them. The header rows repeat on
every page; a row split by a page break continues in the first body row of the next page.
"""

from __future__ import annotations

import regex

from kamrap.text.lines import join_wrapped
from kamrap.parsers.layout import Cell, Grid, PageLayout
from kamrap.parsers.text_table import column_bounds, find_span, fit_bounds, join_cells, text_grid, words
from kamrap.parsers.records import Grouping, IndicatorRow

_CODE_START = regex.compile(r"^\s*[\d๐-๙]+(?:\s*\.\s*[\d๐-๙]+)*\s*\.?\s")
_BULLET = regex.compile(r"^[●•·\s]+")
# Header words: น้ำหนัก weight, เกณฑ์การให้คะแนน scoring criteria, ตัวชี้วัด indicator.
_HEADER_WORDS = ("น้ำหนัก", "เกณฑ์การให้คะแนน", "ตัวชี้วัดผลการปฏิบัติงาน")
_LEVEL_DIGITS = ["๑", "๒", "๓", "๔", "๕"], ["1", "2", "3", "4", "5"]
_CRITERIA_COLUMNS = range(3, 8)
# Header words that anchor the columns of a table without ruling lines.
_HEADER_ANCHORS = {"weight": "น้ำหนัก", "target": "เป้าหมาย", "remark": "หมายเหตุ"}
# A group row: a bullet, or มิติ (dimension), ด้าน (perspective), วัตถุประสงค์ (objective).
_GROUP_START = regex.compile(r"^\s*(?:[●•]|มิติ|ด้าน|วัตถุประสงค์)")


def cell_text(cell: Cell | None) -> str | None:
    """The text of a cell as one line (None where a merged cell covers the position)."""
    return None if cell is None else cell.text


def _compact(text: str | None) -> str:
    return regex.sub(r"\s+", "", text or "")


def is_header_row(row: list[Cell | None]) -> bool:
    if is_group_row(row):  # "มิติภายนอก (น้ำหนัก ๕๐)" names a weight but is a group row
        return False
    texts = [_compact(cell_text(c)) for c in row if c is not None]
    if any(word in t for t in texts for word in _HEADER_WORDS):
        return True
    non_empty = [t for t in texts if t]
    return non_empty in _LEVEL_DIGITS  # the ๑ ๒ ๓ ๔ ๕ row under เกณฑ์การให้คะแนน


def is_group_row(row: list[Cell | None]) -> bool:
    """A row whose first cell is merged across the whole table."""
    return row[0] is not None and all(c is None for c in row[1:])


def _is_indicator_table(grid: Grid) -> bool:
    return len(grid.rows[0]) >= 9 and any(is_header_row(r) for r in grid.rows[:3])


def parse_rows(pages: list[PageLayout]) -> list[IndicatorRow]:
    """Every indicator row of the agreement table(s), in order, with its grouping."""
    rows: list[IndicatorRow] = []
    grouping = Grouping()
    for page in pages:
        for grid in _indicator_tables(page):
            first_body_row = True
            for cells in grid.rows:
                if is_header_row(cells):
                    continue
                label = cell_text(cells[0])
                if is_group_row(cells):
                    grouping = _apply_group(grouping, cells[0].lines, page.spaces_kept)
                elif label is not None and _CODE_START.match(label + " "):
                    rows.append(_indicator_row(cells, grouping, page.number, rows))
                elif first_body_row and rows:
                    _continue_row(rows[-1], cells, page.number, page.spaces_kept)
                first_body_row = False
    return rows


def _indicator_tables(page: PageLayout) -> list[Grid]:
    """The page's ruled indicator tables, or the one rebuilt from word positions when the
    table has no ruling lines."""
    ruled = [grid for grid in page.tables if _is_indicator_table(grid)]
    if ruled:
        return ruled
    grid = _text_table(page)
    return [] if grid is None else [grid]


def _text_table(page: PageLayout) -> Grid | None:
    """The indicator table from word positions: columns anchored on the header words น้ำหนัก
    (weight), เป้าหมาย (target), the level digits ๑–๕ and หมายเหตุ (remark)."""
    anchors: dict[str, float] = {}
    levels: list[float] = []
    header_bottom = None
    for line in page.lines:
        if _GROUP_START.match(line.text):
            continue
        found = {key: (span[0] + span[1]) / 2 for key, word in _HEADER_ANCHORS.items()
                 if (span := find_span(line, word)) is not None}
        digits = [w.center for w in words(line) if _compact(w.text) in ("๑", "๒", "๓", "๔", "๕")]
        if found or len(digits) == 5:
            anchors.update(found)
            if len(digits) == 5:
                levels = digits
            header_bottom = line.bottom
        if header_bottom is not None and levels and len(anchors) == len(_HEADER_ANCHORS):
            break
    if header_bottom is None or len(levels) != 5 or len(anchors) != len(_HEADER_ANCHORS):
        return None
    weight, target = anchors["weight"], anchors["target"]
    centres = [weight - (target - weight), weight, target, *levels, anchors["remark"]]
    body = [line for line in page.lines if line.top > header_bottom]
    if not body:
        return None
    groups = [line for line in body if _GROUP_START.match(line.text)]
    bounds = fit_bounds(column_bounds(centres, 0.0, page.width), [l for l in body if l not in groups])
    grid = text_grid(page.number, body, bounds,
                     starts_row=lambda line: bool(_CODE_START.match(line.text + " ")),
                     spans_row=lambda line: bool(_GROUP_START.match(line.text)))
    return join_cells(grid, page.spaces_kept)


def _indicator_row(cells: list[Cell | None], grouping: Grouping, page: int,
                   previous: list[IndicatorRow]) -> IndicatorRow:
    criteria = [cell_text(cells[i]) for i in _CRITERIA_COLUMNS]
    # One text over the five level columns: the other four are covered (None) — or, in a
    # table rebuilt from word positions, some may be left blank beside the covered ones.
    merged = (bool(criteria[0]) and any(c is None for c in criteria[1:])
              and all(not c for c in criteria[1:]))
    if all(c is None for c in criteria) and previous and previous[-1].criteria_merged:
        # A criteria text merged down over this row too (rowspan): it applies here as well.
        criteria, merged = list(previous[-1].criteria), True
    return IndicatorRow(
        label=cell_text(cells[0]) or "",
        grouping=Grouping(grouping.dimension, grouping.perspective, grouping.objective),
        weight=cell_text(cells[1]), target=cell_text(cells[2]),
        criteria=criteria, criteria_merged=merged,
        remark=cell_text(cells[8]) if len(cells) > 8 else None,
        pages=[page],
    )


def _continue_row(row: IndicatorRow, cells: list[Cell | None], page: int, spaces_kept: bool) -> None:
    """Append the rest of a row that a page break split."""
    def joined(before: str | None, after: str | None) -> str | None:
        if not after:
            return before
        return join_wrapped([before, after], spaces_kept) if before else after

    row.label = joined(row.label, cell_text(cells[0])) or ""
    row.weight = joined(row.weight, cell_text(cells[1]))
    row.target = joined(row.target, cell_text(cells[2]))
    if not row.criteria_merged:
        row.criteria = [joined(b, cell_text(cells[i])) for b, i in zip(row.criteria, _CRITERIA_COLUMNS)]
    if len(cells) > 8:
        row.remark = joined(row.remark, cell_text(cells[8]))
    row.pages.append(page)


def _apply_group(grouping: Grouping, lines: list[str], spaces_kept: bool) -> Grouping:
    """The grouping after a group row: each line names a มิติ, ด้าน or วัตถุประสงค์; a new
    dimension clears the perspective and objective, a new perspective clears the objective.
    Lines that start with none of these continue the item above (a wrapped line)."""
    new = Grouping(grouping.dimension, grouping.perspective, grouping.objective)
    last: str | None = None
    for raw in (part for line in lines for part in regex.split(r"(?=[●•])", line)):
        line = _BULLET.sub("", raw)
        if not line.strip():
            continue
        if line.startswith("มิติ"):  # dimension
            new, last = Grouping(dimension=line), "dimension"
        elif line.startswith("ด้าน"):  # perspective
            new, last = Grouping(new.dimension, line), "perspective"
        elif line.startswith("วัตถุประสงค์"):  # objective
            new.objective, last = line, "objective"
        elif last is not None:
            setattr(new, last, join_wrapped([getattr(new, last), line], spaces_kept))
    return new

