"""Turn the transcription's table blocks into `Grid`s (see samples/src/FORMAT.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import office
from .fonts import TextMeasure
from .grid import HEADER_FILL, Cell, Grid, Merge, covered_positions, fit_widths

# Padding added to measured text: LibreOffice's default cell margins (2 x 0.19 cm) plus slack
# so that a measured line does not wrap because of rounding.
CELL_PADDING_CM = 0.6
# A details-page column is centred when all its body cells are at most this many characters
# (level numbers, check marks, years, values), as the offices centre such columns.
SHORT_CELL_CHARS = 8
# Largest share of the text width the label column of a ruled label | value table takes.
RULED_LABEL_SHARE = 0.3


@dataclass(frozen=True)
class WideTable:
    """How one kind of wide (landscape) table is laid out.

    `header` gives, for each printed header row, one (col, rowspan, colspan) per label in the
    order the transcription lists them; `weights` are relative column widths.
    """

    name: str
    header: tuple[tuple[tuple[int, int, int], ...], ...]
    weights: tuple[float, ...]
    align: tuple[office.Align, ...]
    first_level_col: int          # the five criteria-level columns start here

    @property
    def n_cols(self) -> int:
        return len(self.weights)


# ตัวชี้วัด | น้ำหนัก (%) | เป้าหมาย | เกณฑ์การให้คะแนน ๑-๕ | หมายเหตุ: the first three columns and the
# remark span both header rows; "เกณฑ์การให้คะแนน" spans the five level columns.
AGREEMENT = WideTable(
    name="agreement_table",
    header=(((0, 2, 1), (1, 2, 1), (2, 2, 1), (3, 1, 5), (8, 2, 1)),
            ((3, 1, 1), (4, 1, 1), (5, 1, 1), (6, 1, 1), (7, 1, 1))),
    weights=(30, 6, 7, 7, 7, 7, 7, 7, 12),
    align=("left", "center", "center", "center", "center", "center", "center", "center", "left"),
    first_level_col=3,
)

# ประเภทตัวชี้วัด | หน่วยวัด | ระดับคะแนน ๑-๕ | ผู้รับผิดชอบ | เป้าหมาย ๖ / ๑๒ เดือน (each over "ระดับ").
ACTION_PLAN = WideTable(
    name="action_plan_table",
    header=(((0, 3, 1), (1, 3, 1), (2, 1, 5), (7, 3, 1), (8, 1, 2)),
            ((2, 2, 1), (3, 2, 1), (4, 2, 1), (5, 2, 1), (6, 2, 1), (8, 1, 1), (9, 1, 1)),
            ((8, 1, 1), (9, 1, 1))),
    weights=(27, 7, 5, 5, 5, 5, 5, 21, 8, 8),
    align=("left", "center", "center", "center", "center", "center", "center", "left", "center", "center"),
    first_level_col=2,
)

# ตัวชี้วัด (code) | รายละเอียดตัวชี้วัด | คะแนนที่ทำได้ | น้ำหนัก: "ตัวชี้วัด" spans both header rows and
# the unit's name spans the three columns to its right; the total row's label spans code and name.
SCORE_SUMMARY = WideTable(
    name="score_summary_table",
    header=(((0, 2, 1), (1, 1, 3)),
            ((1, 1, 1), (2, 1, 1), (3, 1, 1))),
    weights=(12, 52, 20, 11),
    align=("center", "left", "center", "center"),
    first_level_col=2,            # unused: summary rows have no criteria levels
)

WIDE_TABLES = {spec.name: spec for spec in (AGREEMENT, ACTION_PLAN)}


def wide_table_grid(block: dict[str, Any], spec: WideTable, width_cm: float, pt: float) -> Grid:
    """Build the grid of an agreement_table / action_plan_table block.

    A block with `"col_widths"` gives its own column layout (see `custom_spec`): its header
    rows are full-width and merged by `"header_merges"`.
    """
    if "col_widths" in block:
        return _custom_table_grid(block, custom_spec(block, spec.name), width_cm, pt)
    rows, merges = _header(block["header"], spec)
    return _grid_with_body(block, spec, rows, merges, width_cm, pt, repeat_header=True)


def _grid_with_body(block: dict[str, Any], spec: WideTable, rows: list[list[Cell | None]],
                    merges: list[Merge], width_cm: float, pt: float, repeat_header: bool) -> Grid:
    """The grid of a wide table: its header `rows` (and their `merges`), then the block's
    group and body rows, column widths in proportion to the spec's weights."""
    n_header = len(rows)
    for row in block["rows"]:
        r = len(rows)
        if "group" in row:
            cells, row_merges = _group_row(row, r, spec)
        elif "cells" in row:
            if spec.first_level_col < 0 and (row.get("merge_criteria") or row.get("criteria_rowspan")):
                raise ValueError(f"{spec.name}: merge_criteria needs first_level_col")
            cells, row_merges = _body_row(row, r, spec)
        else:
            raise ValueError(f"{spec.name} row needs 'group' or 'cells': {row}")
        rows.append(cells)
        merges += row_merges
    _check_rowspans(rows, merges, n_header)
    total = sum(spec.weights)
    widths = [width_cm * w / total for w in spec.weights]
    return Grid(rows=rows, widths_cm=widths, pt=pt, merges=merges,
                header_rows=n_header if repeat_header else 0)


def custom_spec(block: dict[str, Any], name: str) -> WideTable:
    """The layout of a wide table that gives its own columns (variant layouts).

    `"col_widths"`: relative widths, one per column; `"align"`: one alignment per column
    (default: left for a column with any body cell over `SHORT_CELL_CHARS` characters, centred
    otherwise); `"first_level_col"`: where the five criteria-level columns start (needed only
    by rows with `merge_criteria` / `criteria_rowspan`; default: the header cell spanning
    five columns).
    """
    weights = tuple(float(w) for w in block["col_widths"])
    n_cols = len(weights)
    if "align" in block:
        align = tuple(block["align"])
        if len(align) != n_cols:
            raise ValueError(f"{name} align needs {n_cols} entries, got {align}")
    else:
        body = [row["cells"] for row in block["rows"] if "cells" in row]
        short = _short_columns(body, n_cols)
        align = tuple("center" if short[c] else "left" for c in range(n_cols))
    first = block.get("first_level_col")
    if first is None:
        spans = [col for row, col, _, colspan in map(_merge, block.get("header_merges", [])) if colspan == 5]
        first = spans[0] if spans else -1
    header = tuple(() for _ in block["header"])   # unused: custom headers are full-width rows
    return WideTable(name=name, header=header, weights=weights, align=align,  # type: ignore[arg-type]
                     first_level_col=int(first))


def _custom_table_grid(block: dict[str, Any], spec: WideTable, width_cm: float, pt: float) -> Grid:
    """A wide table in its own layout: full-width header rows (null where `"header_merges"`
    cover a position), then group and body rows as in the fixed layouts."""
    header: list[list[str | None]] = block["header"]
    merges: list[Merge] = [_merge(m) for m in block.get("header_merges", [])]
    covered = covered_positions(merges)
    rows: list[list[Cell | None]] = []
    for r, labels in enumerate(header):
        if len(labels) != spec.n_cols:
            raise ValueError(f"{spec.name} header row {r} needs {spec.n_cols} cells, got {labels}")
        rows.append([
            None if (r, c) in covered and not (label or "").strip()
            else Cell(label or "", bold=True, align="center", fill=HEADER_FILL, middle=True)
            for c, label in enumerate(labels)
        ])
    return _grid_with_body(block, spec, rows, merges, width_cm, pt,
                           repeat_header=bool(block.get("repeat_header", True)))


def score_summary_grid(block: dict[str, Any], width_cm: float, pt: float) -> Grid:
    """Build the grid of a score_summary_table block: its rows are plain cell lists and its
    `total` row (label, score, weight) is set bold with the label across code and name."""
    rows: list[dict[str, Any]] = [{"cells": cells} for cells in block["rows"]]
    if block.get("total"):
        label, *tail = block["total"]
        rows.append({"group": label, "group_tail": tail})
    return wide_table_grid({"header": block["header"], "rows": rows}, SCORE_SUMMARY, width_cm, pt)


def _header(header: list[list[str]], spec: WideTable) -> tuple[list[list[Cell | None]], list[Merge]]:
    """Lay out the header labels as in the printed tables (see `WideTable.header`)."""
    if len(header) != len(spec.header):
        raise ValueError(f"{spec.name} header needs {len(spec.header)} rows, got {len(header)}")
    rows: list[list[Cell | None]] = [[None] * spec.n_cols for _ in header]
    merges: list[Merge] = []
    for r, (labels, layout) in enumerate(zip(header, spec.header)):
        if len(labels) != len(layout):
            raise ValueError(f"{spec.name} header row {r} needs {len(layout)} labels, got {labels}")
        for label, (col, rowspan, colspan) in zip(labels, layout):
            rows[r][col] = Cell(label, bold=True, align="center", fill=HEADER_FILL, middle=True)
            if rowspan > 1 or colspan > 1:
                merges.append((r, col, rowspan, colspan))
    # Grid positions no label covers (none in the two known layouts) are still shaded cells.
    covered = covered_positions(merges)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is None and (r, c) not in covered:
                row[c] = Cell("", fill=HEADER_FILL)
    return rows, merges


def _group_row(row: dict[str, Any], r: int, spec: WideTable) -> tuple[list[Cell | None], list[Merge]]:
    """A group heading: merged across all columns, or all but the `group_tail` cells."""
    group = row["group"]
    text = "\n".join(group) if isinstance(group, list) else str(group)
    tail: list[str] = row.get("group_tail") or []
    span = spec.n_cols - len(tail)
    if span < 1:
        raise ValueError(f"{spec.name} group_tail has {len(tail)} cells for {spec.n_cols} columns")
    cells: list[Cell | None] = [Cell(text, bold=True)] + [None] * (span - 1)
    cells += [Cell(t, bold=True, align=spec.align[span + i]) for i, t in enumerate(tail)]
    return cells, [(r, 0, 1, span)] if span > 1 else []


def _body_row(row: dict[str, Any], r: int, spec: WideTable) -> tuple[list[Cell | None], list[Merge]]:
    """An indicator row; merge_criteria / criteria_rowspan merge its five level cells."""
    texts: list[str | None] = row["cells"]
    if len(texts) != spec.n_cols:
        raise ValueError(f"{spec.name} row needs {spec.n_cols} cells, got {len(texts)}: {texts}")
    cells: list[Cell | None] = [
        None if text is None else Cell(text, align=spec.align[c]) for c, text in enumerate(texts)
    ]
    first, rowspan = spec.first_level_col, int(row.get("criteria_rowspan", 1))
    if row.get("merge_criteria"):
        # Criteria written as prose over the five columns read as a paragraph: left-aligned.
        anchor = cells[first]
        cells[first] = Cell(anchor.text if anchor else "", align="left")
        return cells, [(r, first, rowspan, 5)]
    if rowspan > 1:
        return cells, [(r, c, rowspan, 1) for c in range(first, first + 5)]
    return cells, []


def _check_rowspans(rows: list[list[Cell | None]], merges: list[Merge], n_header: int) -> None:
    """Check that rows spanned by criteria_rowspan exist (the grid validation does the rest)."""
    for row, _, rowspan, _ in merges:
        if row >= n_header and row + rowspan > len(rows):
            raise ValueError(f"criteria_rowspan {rowspan} at table row {row - n_header} runs past the last row")


def details_table_grid(section: dict[str, Any], measure: TextMeasure, width_cm: float, pt: float) -> Grid:
    """Build the bordered table of a details-page section ("table", "header_rows", "merges")."""
    table: list[list[str | None]] = section["table"]
    n_header = int(section.get("header_rows", 1))
    n_cols = max(len(row) for row in table)
    if "merges" in section:
        merges: list[Merge] = [_merge(m) for m in section["merges"]]
    else:
        merges = infer_header_merges(table, n_header, n_cols)
    centred = _short_columns(table[n_header:], n_cols)
    rows: list[list[Cell | None]] = []
    for r, texts in enumerate(table):
        header = r < n_header
        rows.append([
            None if text is None
            else Cell(text, bold=header, align="center" if header or centred[c] else "left", middle=header)
            for c, text in enumerate(texts)
        ])
    if "col_widths" in section:
        weights = [float(w) for w in section["col_widths"]]
        widths = [width_cm * w / sum(weights) for w in weights]
    else:
        widths = _auto_widths(rows, merges, n_header, measure, width_cm, pt)
    return Grid(rows=rows, widths_cm=widths, pt=pt, merges=merges, header_rows=n_header)


def _merge(value: Any) -> Merge:
    row, col, rowspan, colspan = (int(v) for v in value)
    return row, col, rowspan, colspan


def infer_header_merges(table: list[list[str | None]], n_header: int, n_cols: int) -> list[Merge]:
    """Guess the merges of a multi-row header from its blank cells, as printed headers read.

    A label followed by blank cells whose column headings sit in the next header row spans
    those columns ("ผลการดำเนินงานในอดีต" over "๒๕๖๒", "๒๕๖๓"); a label with blanks below it
    spans those header rows ("หน่วยวัด"). A one-row header is left alone: a blank there is a
    blank heading, not a merge.
    """
    if n_header < 2:
        return []

    def blank(r: int, c: int) -> bool:
        row = table[r]
        return c >= len(row) or not (row[c] or "").strip()

    merges: list[Merge] = []
    taken: set[tuple[int, int]] = set()
    for r in range(n_header):
        for c in range(n_cols):
            if blank(r, c) or (r, c) in taken:
                continue
            colspan = 1
            while (c + colspan < n_cols and blank(r, c + colspan) and (r, c + colspan) not in taken
                   and r + 1 < n_header and not blank(r + 1, c + colspan)):
                colspan += 1
            rowspan = 1
            while r + rowspan < n_header and all(blank(r + rowspan, k) for k in range(c, c + colspan)):
                rowspan += 1
            taken |= {(rr, cc) for rr in range(r, r + rowspan) for cc in range(c, c + colspan)}
            if rowspan > 1 or colspan > 1:
                merges.append((r, c, rowspan, colspan))
    return merges


def _short_columns(body: list[list[str | None]], n_cols: int) -> list[bool]:
    """For each column, whether every body cell in it is short (numbers, marks)."""
    return [
        all(len((row[c] if c < len(row) else None) or "") <= SHORT_CELL_CHARS for row in body) and bool(body)
        for c in range(n_cols)
    ]


def _auto_widths(rows: list[list[Cell | None]], merges: list[Merge], n_header: int,
                 measure: TextMeasure, width_cm: float, pt: float) -> list[float]:
    """Column widths from the widest unmerged cell of each column.

    A header label spanning several columns widens them (equally) to fit on one line, as a
    typist would; spanning body cells are prose and may wrap.
    """
    n_cols = len(rows[0])
    spans = {(r, c): colspan for r, c, _, colspan in merges if colspan > 1}
    natural = [CELL_PADDING_CM * 2] * n_cols
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is not None and (r, c) not in spans:
                natural[c] = max(natural[c], measure.width_cm(cell.text, pt, cell.bold) + CELL_PADDING_CM)
    for (r, c), colspan in spans.items():
        cell = rows[r][c]
        if r < n_header and cell is not None:
            missing = measure.width_cm(cell.text, pt, cell.bold) + CELL_PADDING_CM - sum(natural[c:c + colspan])
            for k in range(c, c + colspan):
                natural[k] += max(missing, 0) / colspan
    return fit_widths(natural, width_cm)


def label_value_grid(pairs: list[list[str]], measure: TextMeasure, width_cm: float, pt: float,
                     borders: bool = False) -> Grid:
    """A two-column table, borderless unless `borders`: bold labels (sized to the longest) and
    their values."""
    label_width = max(measure.width_cm(label, pt, bold=True) for label, _ in pairs) + CELL_PADDING_CM
    # A ruled form gives its labels a narrower column (a long label wraps), as typed forms do.
    label_width = min(label_width, width_cm * (RULED_LABEL_SHARE if borders else 0.45))
    rows: list[list[Cell | None]] = [[Cell(label, bold=True), Cell(value)] for label, value in pairs]
    return Grid(rows=rows, widths_cm=[label_width, width_cm - label_width], pt=pt, borders=borders)
