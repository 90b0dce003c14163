"""A table's header read into a role per column (`kamrap.parsers.vocabulary` says what words mean).

A header is one or several rows; a parent cell spans its children ("ผลการดำเนินงาน" over
"รอบ ๖ เดือน | รอบ ๑๒ เดือน", "เกณฑ์การให้คะแนน" over "๑ … ๕"). Each column's header is the
stack of header cells above it, top to bottom; the role comes from the lowest cell that names
one (a parent whose children are only labels — levels, assessed units, budget sources — keeps
its own), and the round, year or level from any cell of the stack. Columns under one and the
same stack of cells (a producer that draws extra vertical rules) form one logical column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kamrap.parsers.layout import Cell, Grid
from kamrap.parsers.settings import SETTINGS
from kamrap.parsers.vocabulary import (
    LABELLED_PARENTS,
    ColumnRole,
    header_level,
    header_role,
    header_round,
    header_year,
    is_total_label,
    loose_key,
)


@dataclass(frozen=True)
class Column:
    """One logical column of a table: the grid columns it covers and what they hold."""

    indexes: tuple[int, ...]  # grid column indexes, left to right
    role: ColumnRole | None
    headers: tuple[str, ...]  # the header cells' texts, top to bottom
    round: str | None = None  # months: "6"
    year: str | None = None  # Buddhist era: "2564"
    level: int | None = None  # criteria level 1–5

    @property
    def label(self) -> str:
        """The lowest header text: a check-mark column's unit, a budget column's source."""
        return self.headers[-1] if self.headers else ""


@dataclass
class TableHeader:
    """The header of a table: how many grid rows it takes, and its logical columns."""

    rows: int
    columns: list[Column] = field(default_factory=list)
    x_edges: tuple[float, ...] = ()  # left edge of every grid column (to match continued tables)

    def of(self, role: ColumnRole) -> list[Column]:
        return [c for c in self.columns if c.role == role]

    def first(self, role: ColumnRole) -> Column | None:
        found = self.of(role)
        return found[0] if found else None

    @property
    def roles(self) -> set[ColumnRole]:
        return {c.role for c in self.columns if c.role is not None}


def _named_roles(row: list[Cell | None]) -> int:
    return sum(header_role(c.text) is not None for c in row if c is not None)


def header_rows(grid: Grid, search: int = SETTINGS.header_search_rows) -> tuple[int, int] | None:
    """(first, end) grid rows of the header: the first row among the top `search` rows that
    names two roles or more, down to the bottom of its tallest cell (its spanning cells cover
    the sub-header rows); None when no row does."""
    for first, row in enumerate(grid.rows[:search]):
        if _named_roles(row) >= 2:
            bottom = max(c.bbox[3] for c in row if c is not None)
            end = first + 1
            while end < len(grid.rows) and _row_top(grid.rows[end]) < bottom - 1.0:
                end += 1
            return first, end
    return None


def _row_top(row: list[Cell | None]) -> float:
    tops = [c.bbox[1] for c in row if c is not None]
    return min(tops) if tops else float("inf")


def _column_centres(grid: Grid) -> list[float]:
    lefts = list(grid.columns)
    width = len(grid.rows[0]) if grid.rows else 0
    if len(lefts) != width:  # one left per grid column; fall back on the cells themselves
        lefts = [min((c.bbox[0] for row in grid.rows if (c := row[j]) is not None), default=0.0)
                 for j in range(width)]
    rights = lefts[1:] + [grid.bbox[2]]
    return [(a + b) / 2 for a, b in zip(lefts, rights)]


def read_header(grid: Grid) -> TableHeader | None:
    """The header of `grid` with a role per logical column, or None if it has none."""
    found = header_rows(grid)
    if found is None:
        return None
    first, end = found
    rows = grid.rows[first:end]
    stacks: list[tuple[Cell, ...]] = []
    for x in _column_centres(grid):
        stacks.append(tuple(c for row in rows for c in row
                            if c is not None and c.bbox[0] - SETTINGS.cell_margin <= x
                            <= c.bbox[2] + SETTINGS.cell_margin))
    columns: list[Column] = []
    for index, stack in enumerate(stacks):
        if columns and index > 0 and stack and stacks[index - 1] == stack:
            last = columns[-1]
            columns[-1] = Column((*last.indexes, index), last.role, last.headers, last.round,
                                 last.year, last.level)
            continue
        columns.append(_column(index, tuple(c.text for c in stack)))
    return TableHeader(rows=end, columns=_resolve(columns, grid, end),
                       x_edges=tuple(round(x) for x in _column_centres(grid)))


def _column(index: int, texts: tuple[str, ...]) -> Column:
    role: ColumnRole | None = None
    for text in texts:
        named = header_role(text)
        if named is not None and not (role in LABELLED_PARENTS and named != role):
            role = named
    round_ = next((r for t in texts if (r := header_round(t))), None)
    year = next((y for t in texts if (y := header_year(t))), None)
    level = next((lv for t in texts[1:] if (lv := header_level(t))), None)
    if role is None and (year or round_):
        role = ColumnRole.result  # a bare "๒๕๖๔" or "รอบ ๖ เดือน" column holds that year's result
    return Column((index,), role, tuple(t for t in texts if loose_key(t)), round_, year, level)


def _resolve(columns: list[Column], grid: Grid, body_start: int) -> list[Column]:
    """Structural tests where words alone are ambiguous: of two name columns, one holding only
    numbers is the code column ("KPI | ตัวชี้วัด"); a column of only check marks under a
    parent that names no role is an assessed-unit column."""
    names = [c for c in columns if c.role == ColumnRole.name]
    if len(names) >= 2:
        numeric = [c for c in names if _all_codes(grid, c, body_start)]
        if numeric and len(numeric) < len(names):
            columns = [Column(c.indexes, ColumnRole.code, c.headers, c.round, c.year, c.level)
                       if c in numeric else c for c in columns]
    return [_weight_by_sum(c, columns, grid, body_start) for c in columns]


def _weight_by_sum(column: Column, columns: list[Column], grid: Grid, body_start: int) -> Column:
    """A column whose header names no role (a rotated or damaged header) but whose numbers,
    total rows aside, add up to 100 holds weights."""
    if column.role is not None or any(c.role == ColumnRole.weight for c in columns):
        return column
    name = next((c for c in columns if c.role == ColumnRole.name), None)
    numbers: list[float] = []
    for row in grid.rows[body_start:]:
        label = row[name.indexes[0]] if name is not None else None
        if label is not None and is_total_label(label.text):
            continue
        cell = row[column.indexes[0]]
        key = loose_key(cell.text if cell is not None else "")
        if key in ("", "-"):
            continue
        try:
            numbers.append(float(key))
        except ValueError:
            return column
    if len(numbers) >= 3 and abs(sum(numbers) - 100) < SETTINGS.weight_sum_tolerance:
        return Column(column.indexes, ColumnRole.weight, column.headers, column.round,
                      column.year, column.level)
    return column


def _all_codes(grid: Grid, column: Column, body_start: int) -> bool:
    cells = [row[column.indexes[0]] for row in grid.rows[body_start:]]
    texts = [t for c in cells if c is not None and (t := loose_key(c.text))]
    return bool(texts) and all(t.replace(".", "").isdigit() for t in texts)


def is_indicator_header(header: TableHeader) -> bool:
    """A header of a table of indicators: a name column and at least one value column."""
    values = {ColumnRole.weight, ColumnRole.target, ColumnRole.criteria, ColumnRole.result,
              ColumnRole.score, ColumnRole.baseline}
    return ColumnRole.name in header.roles and bool(values & header.roles)


def same_layout(header: TableHeader, grid: Grid) -> bool:
    """Whether `grid` (a table with no header of its own) has the column layout of `header`'s
    table: a table continued on the next page without its header repeated."""
    return _edges_match(tuple(round(x) for x in _column_centres(grid)), header.x_edges,
                        SETTINGS.continued_table_tolerance)


def repeats(before: TableHeader, header: TableHeader) -> bool:
    """Whether `header` repeats `before` on a later page: the same roles over columns that
    line up (the words may differ: a producer may shorten or clip a repeated header)."""
    return [c.role for c in before.columns] == [c.role for c in header.columns] and _edges_match(
        before.x_edges, header.x_edges, SETTINGS.repeated_header_tolerance)


def misread_repeat(own: TableHeader, before: TableHeader) -> bool:
    """Whether ``own`` is ``before`` repeated with some of its words misread (a scan's shaded
    header cell read as Latin letters): as many columns, some naming no role, every role it
    names ``before``'s in that column. (Whether its columns line up is `same_layout`'s.)"""
    if len(own.columns) != len(before.columns) or all(c.role is not None for c in own.columns):
        return False
    return all(a.role is None or a.role == b.role for a, b in zip(own.columns, before.columns))


def _edges_match(a: tuple[float, ...], b: tuple[float, ...], tolerance: float) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tolerance for x, y in zip(a, b))
