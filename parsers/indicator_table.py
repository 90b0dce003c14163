"""Any table of indicators, read by what its header says each column holds.

Agencies print KPI lists, targets and results by year or round, action-plan reports and
assessment scores as tables whose columns vary in number and order. Each table's header is
read into column roles (`kamrap.parsers.header`); a table continued on the next page without
its header takes the header of the table it continues (same column layout). Rows:

- a row whose key cell (the code column, else the name column) has text opens an indicator;
- a row whose key cell is merged with the one above (a comparison or breakdown row printed
  under an indicator, "รพ.คู่เทียบ") belongs to that indicator and is not one itself;
- the first row of a continued table with an empty key cell, filling only cells its
  indicator left empty, is the rest of a row that a page break split;
- a row of one cell spanning the table is a group heading (มิติ / ด้าน / วัตถุประสงค์);
- group columns (strategy, project) and the responsible cell are printed on a group's first
  row only: they hold for the rows below until the finest group column prints a new value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import regex

from kamrap.parsers.grouping import group_lines_to_grouping
from kamrap.parsers.header import (
    Column,
    TableHeader,
    is_indicator_header,
    misread_repeat,
    read_header,
    repeats,
    same_layout,
)
from kamrap.parsers.layout import Cell, Grid, PageLayout
from kamrap.parsers.records import Grouping, IndicatorRow, Source, SummaryRow, SummaryTable
from kamrap.parsers.vocabulary import (
    ColumnRole,
    is_check_mark,
    is_total_label,
    loose_key,
    starts_with_title,
)
from kamrap.text.lines import join_wrapped


# A label that starts with an indicator code: "๑.", "2.1 ", "๑๒. ".
_CODE_START = regex.compile(r"^\s*[\d๐-๙]+(?:\s*\.\s*[\d๐-๙]+)*\s*\.?\s")


@dataclass
class _Table:
    """A table being read: its header, and what its group columns last printed."""

    header: TableHeader
    groups: dict[int, str]
    responsible: str | None = None
    numbered: bool = False  # its names start with their codes ("๑. ระดับความสำเร็จ…")


#: Rebuilds a page's table from where its words stand, with the header its anchors named.
Rebuild = Callable[[PageLayout], "tuple[Grid, TableHeader] | None"]


@dataclass(frozen=True)
class FoundTable:
    """A table of indicators on a page, with its header and how it was read."""

    page: PageLayout
    grid: Grid
    header: TableHeader
    continued: bool  # it continues the table before it without a header of its own
    method: str  # "ruled" or "words"


def indicator_tables(pages: list[PageLayout], rebuild: Rebuild | None = None) -> Iterator[FoundTable]:
    """Every table of indicators in `pages`: a page's ruled tables, read by their headers (a
    table printed without its header continues the one before when its columns line up);
    else, on a page without one, the table `rebuild` makes from the words' positions."""
    header: TableHeader | None = None
    for page in pages:
        found = False
        for grid in page.tables:
            own = read_header(grid)
            if own is not None and header is not None and misread_repeat(own, header) and same_layout(header, grid):
                # the header repeated with a cell unreadable (a scan's shaded header): the
                # same columns, the roles it names among the first table's, in order
                found = True
                yield FoundTable(page, grid, header, False, "ruled")
            elif own is not None and is_indicator_header(own):
                header, found = own, True
                yield FoundTable(page, grid, own, False, "ruled")
            elif own is None and header is not None and same_layout(header, grid):
                found = True
                yield FoundTable(page, grid, header, True, "ruled")
        if not found and rebuild is not None and (rebuilt := rebuild(page)) is not None:
            yield FoundTable(page, rebuilt[0], rebuilt[1], False, "words")


@dataclass
class TablesRead:
    """What the tables of indicators of a document hold: their rows, and, for tables that
    score each indicator and print a total or average row, those scores as summaries."""

    rows: list[IndicatorRow]
    summaries: list[SummaryTable]


def parse_rows(pages: list[PageLayout], rebuild: Rebuild | None = None) -> list[IndicatorRow]:
    """Every indicator row of every table of indicators in `pages`, in order."""
    return read_tables(pages, rebuild).rows


def read_tables(pages: list[PageLayout], rebuild: Rebuild | None = None) -> TablesRead:
    """Every indicator row of every table of indicators in `pages`, in order, and the score
    summaries of the tables that print a total of their scores."""
    read = TablesRead([], [])
    table: _Table | None = None
    scores: SummaryTable | None = None
    grouping = Grouping()
    for found in indicator_tables(pages, rebuild):
        page, grid, header, continued = found.page, found.grid, found.header, found.continued
        goes_on = table is not None and (continued or repeats(table.header, header))
        if table is None or not goes_on:
            table, scores = _Table(header, {}), None
        table.header = header
        start = 0 if continued else header.rows
        for index, cells in enumerate(grid.rows[start:]):
            if _is_group_row(cells, header):
                grouping = _group_of(cells, page.spaces_kept)
                continue
            total = _total_score(cells, header)
            if total is not None:
                if scores is not None and scores.rows:
                    scores.total_label, scores.total_score, scores.total_page = (*total, page.number)
                    read.summaries.append(scores)
                scores = None
                continue
            for part, sub in enumerate(stacked_rows(cells, header)):
                row = _body_row(sub, table, grouping, page, read.rows, goes_on and index == 0 and not part,
                                found.method)
                if row is None:
                    continue
                read.rows.append(row)
                if row.score is not None and header.first(ColumnRole.score) is not None:
                    scores = scores or SummaryTable(organization=None, fiscal_year=None)
                    scores.rows.append(SummaryRow(code=row.code or row.label, name=row.label,
                                                  score=row.score, weight=row.weight, pages=[page.number]))
                    if page.number not in scores.pages:
                        scores.pages.append(page.number)
    return read


#: The columns that hold one value per indicator, line for line, when a row stacks several.
_PER_INDICATOR = (ColumnRole.target, ColumnRole.result, ColumnRole.status, ColumnRole.unit)
_DIGIT = regex.compile(r"[\d๐-๙]")
_LETTER = regex.compile(r"[\p{L}\d๐-๙]")


def stacked_rows(cells: list[Cell | None], header: TableHeader) -> list[list[Cell | None]]:
    """A ruled row that stacks several indicators, one line each, as one row per indicator.

    Some plans print a project's indicators in one ruled row: the name cell holds one line per
    indicator, and the target, result and status cells one line each beside them. The row is
    split when its name cell has k ≥ 2 lines and at least two per-indicator columns, a target
    or result among them, hold exactly k lines, every target and result line with a number (a
    wrapped name has one target; a wrapped target, "ร้อยละ" over "๘๐", has a line without a
    number). The group, budget and responsible cells stay with the first indicator. Any other
    row is returned as it is.
    """
    name = header.first(ColumnRole.name)
    if name is None:
        return [cells]
    k = len(_lines(cells, name, named=True))
    if k < 2:
        return [cells]
    stacked = [c for c in header.columns if c.role in _PER_INDICATOR and len(_lines(cells, c)) == k]
    numbers = [c for c in stacked if c.role in (ColumnRole.target, ColumnRole.result)]
    if len(stacked) < 2 or not numbers or not all(
            _DIGIT.search(line) for c in numbers for line in _lines(cells, c)):
        return [cells]
    split = {i for c in [name, *stacked] for i in c.indexes}
    rows: list[list[Cell | None]] = []
    for part in range(k):
        row: list[Cell | None] = []
        for i, cell in enumerate(cells):
            if cell is None or (part and i not in split):
                row.append(None if cell is None else Cell(cell.bbox, [], ""))
            elif i in split:
                lines = [ln for ln in cell.lines if ln.strip() and (i not in name.indexes or _LETTER.search(ln))]
                x0, top, x1, bottom = cell.bbox
                step = (bottom - top) / k
                line = lines[part] if len(lines) == k else ""
                row.append(Cell((x0, top + part * step, x1, top + (part + 1) * step), [line], line))
            else:
                row.append(cell)
        rows.append(row)
    return rows


def _lines(cells: list[Cell | None], column: Column, named: bool = False) -> list[str]:
    """The non-empty lines of a column's cells in one row; ``named``: only lines with a letter
    or digit (a name line of a dash or a point alone names nothing)."""
    return [ln for i in column.indexes if i < len(cells) and (c := cells[i]) is not None
            for ln in c.lines if ln.strip() and (not named or _LETTER.search(ln))]


def _total_score(cells: list[Cell | None], header: TableHeader) -> tuple[str, str | None] | None:
    """(label, score as printed) of a total or average row, or None for any other row."""
    name, code, score = (header.first(r) for r in (ColumnRole.name, ColumnRole.code, ColumnRole.score))
    key = _key(header)
    if key is None:
        return None
    label = cell_value(cells, name if name is not None else key)
    if not is_total_label(label) or (code is not None and loose_key(cell_value(cells, code))):
        return None
    printed = cell_value(cells, score) if score is not None else None
    if not printed:  # the label's cell may run over the score column: the total is its last cell
        printed = next((c.text for c in reversed(cells) if c is not None and c.text.strip()), None)
    return label or "", printed


def _is_group_row(cells: list[Cell | None], header: TableHeader) -> bool:
    """A group heading: the row's first cell is merged over the columns of two roles or more
    and holds text (a มิติ / ด้าน heading across the table, a "C : ตัวชี้วัดตามหน้าที่" label
    over the name and level columns)."""
    first = next((i for i, c in enumerate(cells) if c is not None), None)
    opening = cells[first] if first is not None else None
    if first is None or opening is None or not opening.text.strip():
        return False
    covered = [c for c in header.columns if first not in c.indexes and c.indexes[0] > first
               and all(i < len(cells) and cells[i] is None for i in c.indexes)]
    left = header.columns[0].indexes[0] if header.columns else 0
    return first == left and len({c.role for c in covered}) >= 2 and \
        not any(cells[i] is not None for i in range(first + 1, max(
            (i for c in covered for i in c.indexes), default=first) + 1))


def _group_of(cells: list[Cell | None], spaces_kept: bool) -> Grouping:
    """The grouping a group row sets: its มิติ / ด้าน / วัตถุประสงค์ lines, or its whole text
    as the group's name."""
    cell = next(c for c in cells if c is not None)
    grouping = group_lines_to_grouping(Grouping(), cell.lines, spaces_kept)
    return grouping if grouping != Grouping() else Grouping(dimension=cell.text)


def cell_value(cells: list[Cell | None], column: Column) -> str | None:
    """The text of a logical column in one row; None where merged cells cover all of it."""
    present = [c for i in column.indexes if i < len(cells) and (c := cells[i]) is not None]
    if not present:
        return None
    return " ".join(c.text.strip() for c in present if c.text.strip())


def people_text(lines: list[str], spaces_kept: bool) -> str:
    """A responsible cell's lines as one text: a line that opens with a personal title
    (นาย, น.ส. …) is another person, so a space; other lines are a wrapped name."""
    people: list[list[str]] = []
    for line in (ln for ln in lines if ln.strip()):
        if not people or starts_with_title(line):
            people.append([line])
        else:
            people[-1].append(line)
    return " ".join(join_wrapped(p, spaces_kept).strip() for p in people)


def _key(header: TableHeader) -> Column | None:
    return header.first(ColumnRole.code) or header.first(ColumnRole.name)


def _body_row(cells: list[Cell | None], table: _Table, grouping: Grouping, page: PageLayout,
              rows: list[IndicatorRow], first: bool, method: str) -> IndicatorRow | None:
    header = table.header
    key = _key(header)
    if key is None:
        return None
    key_text = cell_value(cells, key)
    if key_text is None:  # merged with the row above: a comparison or breakdown row
        return None
    values = {column: cell_value(cells, column) for column in header.columns}
    for column in header.of(ColumnRole.responsible):
        present = [c for i in column.indexes if i < len(cells) and (c := cells[i]) is not None]
        if present:
            values[column] = people_text([ln for c in present for ln in c.lines], page.spaces_kept)
    numbered = bool(_CODE_START.match(key_text + " ")) and key is header.first(ColumnRole.name)
    table.numbered = table.numbered or numbered
    if not loose_key(key_text) or (table.numbered and not numbered and key is header.first(ColumnRole.name)):
        # no key of its own: the rest of a row a page break split, or a row under the last one
        if first and rows and _continues(rows[-1], values):
            _append(rows[-1], values, page, cells, method)
        return None
    _carry_groups(table, values)
    row = IndicatorRow(label="", grouping=Grouping(grouping.dimension, grouping.perspective,
                                                   grouping.objective))
    for column, text in values.items():
        assign_cell(row, column, text, header)
    if header.first(ColumnRole.group) is not None:
        row.groups = [table.groups[c.indexes[0]] for c in header.of(ColumnRole.group)
                      if c.indexes[0] in table.groups]
        if row.responsible:
            table.responsible = row.responsible
        elif not _new_group(header, values):
            row.responsible = table.responsible
    row.pages = [page.number]
    row.sources = [Source(page.number, _bbox(cells), method)]
    return row


def _new_group(header: TableHeader, values: dict[Column, str | None]) -> bool:
    """Whether the finest group column (the rightmost) prints a value on this row."""
    finest = header.of(ColumnRole.group)[-1]
    return bool(values.get(finest))


def _carry_groups(table: _Table, values: dict[Column, str | None]) -> None:
    """Remember what each group column prints; a new coarser group clears the finer ones."""
    groups = table.header.of(ColumnRole.group)
    for depth, column in enumerate(groups):
        if values.get(column):
            table.groups[column.indexes[0]] = values[column] or ""
            for deeper in groups[depth + 1:]:
                if not values.get(deeper):
                    table.groups.pop(deeper.indexes[0], None)


def assign_cell(row: IndicatorRow, column: Column, text: str | None, header: TableHeader) -> None:
    """Put a cell's text into the record field its column's role names."""
    if text is None or not text.strip():
        if column.role == ColumnRole.result and (column.round or column.year):
            (row.round_results if column.round else row.year_results).setdefault(
                column.round or column.year or "", None)
        return
    role = column.role
    if role == ColumnRole.code:
        row.code = text
    elif role == ColumnRole.name:
        row.label = join_wrapped([row.label, text]) if row.label else text
    elif role == ColumnRole.unit:
        row.unit = text
    elif role == ColumnRole.weight:
        row.weight = text
    elif role == ColumnRole.target:
        _assign_target(row, column, text, header)
    elif role == ColumnRole.criteria:
        _assign_criteria(row, column, text, header)
    elif role == ColumnRole.baseline:
        row.baseline[column.year or column.label] = text
    elif role == ColumnRole.result:
        if column.round:
            row.round_results[column.round] = text
        elif column.year:
            row.year_results[column.year] = text
    elif role == ColumnRole.score:
        row.score = text
    elif role == ColumnRole.weighted_score:
        row.weighted_score = text
    elif role == ColumnRole.responsible:
        row.responsible = join_wrapped([row.responsible, text]) if row.responsible else text
    elif role == ColumnRole.assessed:
        if is_check_mark(text):
            row.assessed_units.append(column.label)
    elif role == ColumnRole.budget:
        row.budget[column.label] = text
    elif role == ColumnRole.status:
        row.status = text
    elif role == ColumnRole.remark:
        row.remark = text


def _assign_target(row: IndicatorRow, column: Column, text: str, header: TableHeader) -> None:
    """One target column is the target (whatever year its header names); several, each
    naming a year or round, are targets by year or round."""
    targets = header.of(ColumnRole.target)
    if len(targets) > 1 and column.round:
        row.round_targets[column.round] = text
    elif len(targets) > 1 and column.year:
        row.year_targets[column.year] = text
    else:
        row.target = text


def _assign_criteria(row: IndicatorRow, column: Column, text: str, header: TableHeader) -> None:
    levels = header.of(ColumnRole.criteria)
    level = column.level or (levels.index(column) + 1)
    while len(row.criteria) < max(level, 5):
        row.criteria.append(None)
    row.criteria[level - 1] = text


def _continues(row: IndicatorRow, values: dict[Column, str | None]) -> bool:
    """Whether a keyless first row only fills what `row` left empty or continues its text
    columns (a row split by a page break), rather than holding values of its own."""
    numeric_roles = {ColumnRole.weight, ColumnRole.target, ColumnRole.result, ColumnRole.score,
                     ColumnRole.baseline, ColumnRole.weighted_score}
    for column, text in values.items():
        if text and column.role in numeric_roles:
            return False
    return any(values.values())


def _append(row: IndicatorRow, values: dict[Column, str | None], page: PageLayout,
            cells: list[Cell | None], method: str) -> None:
    for column, text in values.items():
        if text and column.role in (ColumnRole.name, ColumnRole.responsible, ColumnRole.remark,
                                    ColumnRole.unit):
            attr = {"name": "label"}.get(column.role.value, column.role.value)
            before = getattr(row, attr)
            if before and column.role == ColumnRole.responsible and starts_with_title(text):
                setattr(row, attr, f"{before} {text}")  # the next person
            else:
                setattr(row, attr, join_wrapped([before, text], page.spaces_kept) if before else text)
    if page.number not in row.pages:
        row.pages.append(page.number)
    row.sources.append(Source(page.number, _bbox(cells), method))


def _bbox(cells: list[Cell | None]) -> tuple[float, float, float, float] | None:
    present = [c.bbox for c in cells if c is not None]
    if not present:
        return None
    return (min(b[0] for b in present), min(b[1] for b in present),
            max(b[2] for b in present), max(b[3] for b in present))
