"""A small table model and its rendering to a Word table.

Every table the builder draws (agreement, action plan, details-page tables, borderless label
tables) is first described as a `Grid`: a rectangle of `Cell`s where positions covered by a merge
hold None, plus the merges as (row, col, rowspan, colspan). Rendering is then one code path.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.document import Document
from docx.table import Table, _Cell

from . import office

Merge = tuple[int, int, int, int]  # (row, col, rowspan, colspan)
HEADER_FILL = "D9D9D9"


@dataclass(frozen=True)
class Cell:
    """Text of one (possibly merged) table cell and how it is set."""

    text: str
    bold: bool = False
    align: office.Align = "left"
    fill: str | None = None       # background colour, hex
    middle: bool = False          # centre vertically


@dataclass
class Grid:
    """A table: rows of cells (None where a merge covers the position), merges, widths."""

    rows: list[list[Cell | None]]
    widths_cm: list[float]
    pt: float
    merges: list[Merge] = field(default_factory=list)
    header_rows: int = 0          # rows repeated at the top of every page
    borders: bool = True

    @property
    def n_cols(self) -> int:
        return len(self.widths_cm)


def covered_positions(merges: list[Merge]) -> dict[tuple[int, int], Merge]:
    """Map every position a merge covers, other than its top-left anchor, to that merge."""
    covered: dict[tuple[int, int], Merge] = {}
    for merge in merges:
        row, col, rowspan, colspan = merge
        for r in range(row, row + rowspan):
            for c in range(col, col + colspan):
                if (r, c) != (row, col):
                    covered[(r, c)] = merge
    return covered


def validate(grid: Grid) -> None:
    """Raise ValueError if `grid`'s rows, merges and None cells do not fit together."""
    n_rows, n_cols = len(grid.rows), grid.n_cols
    for i, cells in enumerate(grid.rows):
        if len(cells) != n_cols:
            raise ValueError(f"Table row {i} has {len(cells)} cells, expected {n_cols}: {cells}")
    seen: set[tuple[int, int]] = set()
    for merge in grid.merges:
        row, col, rowspan, colspan = merge
        if rowspan < 1 or colspan < 1 or row + rowspan > n_rows or col + colspan > n_cols:
            raise ValueError(f"Merge {merge} does not fit a {n_rows}x{n_cols} table")
        area = {(r, c) for r in range(row, row + rowspan) for c in range(col, col + colspan)}
        if area & seen:
            raise ValueError(f"Merge {merge} overlaps another merge")
        seen |= area
    covered = covered_positions(grid.merges)
    for (r, c), merge in covered.items():
        cell = grid.rows[r][c]
        if cell is not None and cell.text.strip():
            raise ValueError(f"Cell ({r}, {c}) = {cell.text!r} is covered by merge {merge}; give it as null")


def render(doc: Document, grid: Grid) -> Table:
    """Append `grid` to `doc` as a Word table with fixed column widths; return the table."""
    validate(grid)
    table: Table = doc.add_table(rows=len(grid.rows), cols=grid.n_cols)
    office.set_table_layout(table, grid.widths_cm)
    office.set_table_borders(table, grid.borders)
    for row, col, rowspan, colspan in grid.merges:
        table.cell(row, col).merge(table.cell(row + rowspan - 1, col + colspan - 1))
    for r, (word_row, cells) in enumerate(zip(table.rows, grid.rows)):
        if r < grid.header_rows:
            office.repeat_as_header(word_row)
        # Row.cells repeats a merged cell for every grid column it spans, so indexes line up.
        for word_cell, cell in zip(word_row.cells, cells):
            if cell is not None:
                _fill(word_cell, cell, grid.pt)
    # Rows may split across pages (no w:cantSplit), as in the offices' own files: parsers must
    # cope with a row whose text continues on the next page.
    return table


def _fill(word_cell: _Cell, cell: Cell, pt: float) -> None:
    paragraph = word_cell.paragraphs[0]
    office.set_alignment(paragraph, cell.align)
    office.add_text(paragraph, cell.text, pt=pt, bold=cell.bold)
    if cell.fill:
        office.shade(word_cell, cell.fill)
    if cell.middle:
        office.set_vertical_center(word_cell)


def fit_widths(natural_cm: list[float], total_cm: float) -> list[float]:
    """Share `total_cm` among columns whose content would naturally take `natural_cm`.

    Narrow columns keep their natural width (so "ระดับคะแนน" is not wrapped) and the wide ones
    share the rest in proportion to their content; when everything fits, all columns grow in
    proportion so the table spans the text width like a typed one.
    """
    if sum(natural_cm) <= total_cm:
        scale = total_cm / sum(natural_cm)
        return [w * scale for w in natural_cm]
    widths: list[float | None] = [None] * len(natural_cm)
    remaining = total_cm
    while True:
        open_cols = [i for i, w in enumerate(widths) if w is None]
        fair = remaining / len(open_cols)
        narrow = [i for i in open_cols if natural_cm[i] <= fair]
        if not narrow or len(narrow) == len(open_cols):
            break
        for i in narrow:
            widths[i] = natural_cm[i]
            remaining -= natural_cm[i]
    open_total = sum(natural_cm[i] for i in open_cols)
    return [w if w is not None else remaining * natural_cm[i] / open_total for i, w in enumerate(widths)]
