"""The indicator table of a performance agreement (คำรับรองการปฏิบัติราชการ).

The table has nine columns: indicator (code and name), weight (น้ำหนัก), target level
(เป้าหมาย), the five scoring-criteria levels (เกณฑ์การให้คะแนน ๑–๕) and remarks (หมายเหตุ).
Group rows merged across the table name the dimension (มิติ, with its weight), the perspective
(ด้าน) and the objective (วัตถุประสงค์ที่ N) of the rows below them. The header rows repeat on
every page; a row split by a page break continues in the first body row of the next page.
"""

from __future__ import annotations

import regex

from kamrap.text.thai import no_spaces as _compact
from kamrap.text.lines import join_wrapped
from kamrap.parsers.grouping import group_lines_to_grouping
from kamrap.parsers.header import Column, TableHeader, misread_repeat, read_header, same_layout
from kamrap.parsers.indicator_table import assign_cell
from kamrap.parsers.layout import Cell, Grid, PageLayout
from kamrap.parsers.text_table import column_bounds, find_span, fit_bounds, join_cells, text_grid, words
from kamrap.parsers.records import Grouping, IndicatorRow, Source
from kamrap.parsers.vocabulary import (
    AGREEMENT_ANCHORS,
    BULLETS,
    ColumnRole,
    group_level,
    header_level,
    header_role,
)

_CODE_START = regex.compile(r"^\s*[\d๐-๙]+(?:\s*\.\s*[\d๐-๙]+)*\s*\.?\s")
_HEADER_ANCHORS = {role.value: word for role, word in AGREEMENT_ANCHORS.items()}


def _group_start(text: str) -> bool:
    """Whether a line opens a group row: a bullet, or a มิติ / ด้าน / วัตถุประสงค์ heading."""
    return text.lstrip()[:1] in BULLETS or group_level(text) is not None


def cell_text(cell: Cell | None) -> str | None:
    """The text of a cell as one line (None where a merged cell covers the position)."""
    return None if cell is None else cell.text


def is_header_row(row: list[Cell | None]) -> bool:
    """A header row repeated inside a table: two of its cells name column roles, or it is the
    level row (๑ ๒ ๓ ๔ ๕) under เกณฑ์การให้คะแนน."""
    if is_group_row(row):  # "มิติภายนอก (น้ำหนัก ๕๐)" names a weight but is a group row
        return False
    texts = [cell_text(c) or "" for c in row if c is not None]
    if sum(header_role(t) is not None and not _CODE_START.match(t + " ") for t in texts) >= 2:
        return True
    levels = [header_level(t) for t in texts if t.strip()]
    return levels == [1, 2, 3, 4, 5]


def is_group_row(row: list[Cell | None]) -> bool:
    """A row whose first cell is merged across the whole table."""
    return row[0] is not None and all(c is None for c in row[1:])


def _agreement_header(grid: Grid) -> TableHeader | None:
    """The header of an agreement's indicator table: it names the indicator, its weight and
    the criteria levels (in whatever order, with whatever other columns)."""
    header = read_header(grid)
    if header is None or not {ColumnRole.name, ColumnRole.weight, ColumnRole.criteria} <= header.roles:
        return None
    return header


def parse_rows(pages: list[PageLayout]) -> list[IndicatorRow]:
    """Every indicator row of the agreement table(s), in order, with its grouping."""
    rows: list[IndicatorRow] = []
    grouping = Grouping()
    last: TableHeader | None = None
    for page in pages:
        for grid, header, method in _indicator_tables(page, last):
            last = header
            first_body_row = True
            for cells in grid.rows[header.rows:]:
                if is_header_row(cells):
                    continue
                label = _label(cells, header)
                if is_group_row(cells) and cells[0] is not None:
                    grouping = group_lines_to_grouping(grouping, cells[0].lines, page.spaces_kept)
                elif label is not None and _CODE_START.match(label + " "):
                    rows.append(_indicator_row(cells, header, grouping, page.number, rows, method))
                elif first_body_row and rows:
                    _continue_row(rows[-1], cells, header, page.number, page.spaces_kept)
                first_body_row = False
    return rows


def _indicator_tables(page: PageLayout, last: TableHeader | None) -> list[tuple[Grid, TableHeader, str]]:
    """The page's ruled indicator tables, or the one rebuilt from word positions when the
    table has no ruling lines; each with its header and how it was read. A table under the
    ``last`` table's header repeated with a cell misread takes that header."""
    ruled = [(grid, header, "ruled") for grid in page.tables
             if (header := _agreement_header(grid) or _repeated(grid, last)) is not None]
    if ruled:
        return ruled
    rebuilt = _text_table(page)
    return [] if rebuilt is None else [(rebuilt[0], rebuilt[1], "words")]


def _repeated(grid: Grid, last: TableHeader | None) -> TableHeader | None:
    own = read_header(grid)
    if last is None or own is None or not misread_repeat(own, last) or not same_layout(last, grid):
        return None
    return last


def _text(cells: list[Cell | None], column: Column | None) -> str | None:
    """The text of a column's cell in one row (None where a merged cell covers it)."""
    if column is None:
        return None
    return cell_text(cells[column.indexes[0]]) if column.indexes[0] < len(cells) else None


def _label(cells: list[Cell | None], header: TableHeader) -> str | None:
    """Code and name as one label ("๑.๑ ร้อยละ…"): one cell, or a code cell beside the name."""
    name = _text(cells, header.first(ColumnRole.name))
    code = _text(cells, header.first(ColumnRole.code))
    if code and name is not None:
        return f"{code.strip()} {name}"
    return name


def _criteria_columns(header: TableHeader) -> list[Column]:
    levels = header.of(ColumnRole.criteria)
    return sorted(levels, key=lambda c: c.level or levels.index(c) + 1)


def _text_table(page: PageLayout) -> tuple[Grid, TableHeader] | None:
    """The indicator table from word positions: columns anchored on the header words น้ำหนัก
    (weight), เป้าหมาย (target), the level digits ๑–๕ and หมายเหตุ (remark)."""
    anchors: dict[str, float] = {}
    levels: list[float] = []
    header_bottom = None
    for line in page.lines:
        if _group_start(line.text):
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
    groups = [line for line in body if _group_start(line.text)]
    bounds = fit_bounds(column_bounds(centres, 0.0, page.width), [l for l in body if l not in groups])
    grid = text_grid(page.number, body, bounds,
                     starts_row=lambda line: bool(_CODE_START.match(line.text + " ")),
                     spans_row=lambda line: bool(_group_start(line.text)))
    # the columns in the order of their anchors: label, weight, target, levels ๑–๕, remark
    roles = [(ColumnRole.name, None), (ColumnRole.weight, None), (ColumnRole.target, None),
             *[(ColumnRole.criteria, level) for level in range(1, 6)], (ColumnRole.remark, None)]
    header = TableHeader(rows=0, columns=[Column((index,), role, (), level=level)
                                          for index, (role, level) in enumerate(roles)])
    return join_cells(grid, page.spaces_kept), header


def _indicator_row(cells: list[Cell | None], header: TableHeader, grouping: Grouping, page: int,
                   previous: list[IndicatorRow], method: str) -> IndicatorRow:
    criteria = [_text(cells, column) for column in _criteria_columns(header)]
    # One text over the five level columns: the other four are covered (None) — or, in a
    # table rebuilt from word positions, some may be left blank beside the covered ones.
    merged = (bool(criteria[0]) and any(c is None for c in criteria[1:])
              and all(not c for c in criteria[1:]))
    if all(c is None for c in criteria) and previous and previous[-1].criteria_merged:
        # A criteria text merged down over this row too (rowspan): it applies here as well.
        criteria, merged = list(previous[-1].criteria), True
    present = [c.bbox for c in cells if c is not None]
    bbox = (min(b[0] for b in present), min(b[1] for b in present),
            max(b[2] for b in present), max(b[3] for b in present))
    row = IndicatorRow(
        label=_label(cells, header) or "",
        grouping=Grouping(grouping.dimension, grouping.perspective, grouping.objective),
        weight=_text(cells, header.first(ColumnRole.weight)),
        target=_text(cells, header.first(ColumnRole.target)),
        unit=_text(cells, header.first(ColumnRole.unit)),
        responsible=_text(cells, header.first(ColumnRole.responsible)),
        criteria=criteria, criteria_merged=merged,
        remark=_text(cells, header.first(ColumnRole.remark)),
        pages=[page], sources=[Source(page, bbox, method)],
    )
    for column in header.columns:  # baselines, results, scores … where the table has them
        if column.role in _OTHER_ROLES:
            assign_cell(row, column, _text(cells, column), header)
    return row


# Roles an agreement table may have beyond its name, weight, target, criteria and remark.
_OTHER_ROLES = {ColumnRole.baseline, ColumnRole.result, ColumnRole.score, ColumnRole.weighted_score,
                ColumnRole.status, ColumnRole.assessed, ColumnRole.budget}


def _continue_row(row: IndicatorRow, cells: list[Cell | None], header: TableHeader, page: int,
                  spaces_kept: bool) -> None:
    """Append the rest of a row that a page break split."""
    def joined(before: str | None, after: str | None) -> str | None:
        if not after:
            return before
        return join_wrapped([before, after], spaces_kept) if before else after

    row.label = joined(row.label, _text(cells, header.first(ColumnRole.name))) or ""
    for role, attr in ((ColumnRole.unit, "unit"), (ColumnRole.responsible, "responsible"),
                       (ColumnRole.remark, "remark")):
        setattr(row, attr, joined(getattr(row, attr), _text(cells, header.first(role))))
    # a number is never joined across a page break into a new number ("1" + "0" is not 10):
    # the next page fills a number cell only where this page left it empty
    for role, attr in ((ColumnRole.weight, "weight"), (ColumnRole.target, "target")):
        if not (getattr(row, attr) or "").strip():
            setattr(row, attr, _text(cells, header.first(role)) or getattr(row, attr))
    if not row.criteria_merged:
        row.criteria = [joined(b, _text(cells, c))
                        for b, c in zip(row.criteria, _criteria_columns(header))]
    row.pages.append(page)
