"""Indicator details printed as a ruled form: a label cell beside a value cell, row after row.

KPI templates (the Ministry of Public Health's among them) print each indicator as a two-column
ruled table, label | value, over one to several pages: ตัวชี้วัด | "1. ชื่อ…", คำนิยาม | …,
เกณฑ์เป้าหมาย | …. Labels are read with `kamrap.parsers.vocabulary.form_label`. Inside the form,
small tables sit in the value column: the baseline (หน่วยวัด and the years over their values),
the targets per round (รอบ ๓ เดือน | รอบ ๖ เดือน … over their values) and criteria levels. A
record starts at the indicator's own label; a row continued at the top of the next page with an
empty label continues the field above it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from kamrap.parsers.layout import Cell, Grid, PageLayout
from kamrap.parsers.records import DetailsPage
from kamrap.parsers.vocabulary import (
    ColumnRole,
    FormField,
    form_label,
    header_level,
    header_role,
    header_round,
    header_year,
)

# "1. อัตราส่วนการตายมารดา", "๒.๑ ร้อยละ…": the indicator's code, then its name.
_CODE_NAME = regex.compile(r"^\s*(?:ตัวชี้วัดที่|ตัวชี้วัด)?\s*(?P<code>[\d๐-๙]+(?:\s*\.\s*[\d๐-๙]+)*)\s*\.?\s+(?P<name>.+)$", regex.S)
# Text fields and the DetailsPage attribute each fills.
_TEXT_FIELDS = {
    FormField.name: "name", FormField.unit: "unit", FormField.weight: "weight",
    FormField.description: "description", FormField.formula: "formula", FormField.target: "target",
    FormField.target_population: "target_population", FormField.data_collection: "data_collection",
    FormField.data_source: "data_source", FormField.evaluation_period: "evaluation_period",
    FormField.evaluation_method: "evaluation_method", FormField.condition: "condition",
    FormField.supervisor: "supervisor", FormField.collector: "collector",
    FormField.responsible: "responsible",
}


# Fields whose value may be a small table of its own (years or rounds over values).
_TABLE_FIELDS = (FormField.target, FormField.baseline, FormField.criteria)


@dataclass
class _Row:
    """One grid row: its cells left to right (merged positions left out)."""

    cells: list[Cell]
    page: int

    @property
    def label(self) -> Cell | None:
        return self.cells[0] if self.cells else None


@dataclass
class _Form:
    record: DetailsPage
    current: FormField | None = None  # the field the last label opened
    pending: list[_Row] = field(default_factory=list)  # rows of a nested table


def is_form(grid: Grid) -> bool:
    """A ruled form: most rows open with a cell holding a form label."""
    labels = [form_label(row.cells[0].text) for row in _rows(grid) if row.cells]
    return sum(label is not None for label in labels) >= 3


def parse_forms(pages: list[PageLayout]) -> list[DetailsPage]:
    """Every indicator record of every ruled details form in `pages`, in order."""
    records: list[DetailsPage] = []
    form: _Form | None = None
    for page in pages:
        inner = _nested(page.tables)
        for grid in page.tables:
            if any(grid is g for g in inner) or not (
                    is_form(grid) or (form is not None and _continues_form(grid))):
                continue
            for row in _rows(grid):
                form = _read_row(row, form, records, page)
                if form is not None and form_label(row.cells[0].text) in _TABLE_FIELDS:
                    form.pending += [r for g in inner if _within(g, row) for r in _rows(g)]
            if form is not None:
                for table in inner:
                    _read_levels(form.record, list(_rows(table)))
    if form is not None:
        _close(form)
    return [r for r in records if r.code is not None or r.name]


def _nested(grids: list[Grid]) -> list[Grid]:
    """The grids drawn inside another grid's cell (a baseline or round table in a form)."""
    return [g for g in grids if any(o is not g and _inside(g.bbox, o.bbox) for o in grids)]


def _inside(inner: tuple[float, float, float, float], outer: tuple[float, float, float, float]) -> bool:
    return (inner[0] >= outer[0] - 1 and inner[1] >= outer[1] - 1 and inner[2] <= outer[2] + 1
            and inner[3] <= outer[3] + 1)


def _within(grid: Grid, row: _Row) -> bool:
    """Whether a nested grid stands in the band of a form row (its centre between the row's
    top and bottom)."""
    top = min(c.bbox[1] for c in row.cells)
    bottom = max(c.bbox[3] for c in row.cells)
    return top <= (grid.bbox[1] + grid.bbox[3]) / 2 <= bottom


def _continues_form(grid: Grid) -> bool:
    """A short grid at the top of a page whose rows still open with labels or carry on one."""
    rows = list(_rows(grid))
    return bool(rows) and (form_label(rows[0].cells[0].text) is not None or len(rows[0].cells) >= 2)


def _rows(grid: Grid) -> Iterator[_Row]:
    for cells in grid.rows:
        present = [c for c in cells if c is not None]
        if present:
            yield _Row(present, grid.page)


def _read_row(row: _Row, form: _Form | None, records: list[DetailsPage], page: PageLayout) -> _Form | None:
    label = row.label
    assert label is not None
    kind = form_label(label.text)
    values = [c for c in row.cells[1:] if c.bbox[0] >= label.bbox[2] - 1.0]
    if kind == FormField.indicator and values:
        if form is not None:
            _close(form)
        form = _Form(DetailsPage(page=page.number, code=None, name=None, pages=[page.number],
                                 method="form"))
        records.append(form.record)
        _set_code_name(form.record, _text(values, page))
        return form
    if form is None:
        return None
    if page.number not in form.record.pages:
        form.record.pages.append(page.number)
    if kind is not None and kind != FormField.indicator:
        _flush(form)
        form.current = kind
        text = _text(values, page) if values else _after_colon(label.text)
        _fill(form, kind, text, page)
        return form
    # no label: a nested table's row, or a field's text continued on the next page
    if form.current in _TABLE_FIELDS:
        form.pending.append(row)
    elif form.current is not None and not label.text.strip() and values:
        _fill(form, form.current, _text(values, page), page, append=True)
    return form


def _text(cells: list[Cell], page: PageLayout) -> str:
    return " ".join(c.text.strip() for c in cells if c.text.strip())


def _after_colon(text: str) -> str:
    return text.split(":", 1)[1].strip() if ":" in text else ""


def _set_code_name(record: DetailsPage, text: str) -> None:
    match = _CODE_NAME.match(text)
    record.code, record.name = (match["code"], match["name"].strip()) if match else (None, text.strip())


def _fill(form: _Form, kind: FormField, text: str, page: PageLayout, append: bool = False) -> None:
    record = form.record
    if kind == FormField.data_items:
        if append and record.data_items:
            record.data_items[-1] = f"{record.data_items[-1]} {text}".strip()
        elif text:
            record.data_items.append(text)
        return
    attr = _TEXT_FIELDS.get(kind)
    if attr is None or not text:
        return
    before = getattr(record, attr)
    setattr(record, attr, f"{before} {text}" if append and before else (before or text))


def _flush(form: _Form) -> None:
    """Read the nested table collected under a baseline or criteria label."""
    rows, form.pending = form.pending, []
    if form.current == FormField.target:
        form.record.targets_by_year.update(_years_over_values(rows))
    elif form.current == FormField.baseline:
        _read_baseline(form.record, rows)
    elif form.current == FormField.criteria:
        _read_rounds(form.record, rows)


def _close(form: _Form) -> None:
    _flush(form)


def _under(cells: list[Cell], heading: Cell) -> Cell | None:
    """The cell of a row that stands under `heading` (holds its centre)."""
    x = (heading.bbox[0] + heading.bbox[2]) / 2
    return next((c for c in cells if c.bbox[0] - 0.5 <= x <= c.bbox[2] + 0.5), None)


def _read_baseline(record: DetailsPage, rows: list[_Row]) -> None:
    """A baseline table: a row of years over a row of values; a หน่วยวัด (unit) heading over
    the unit the values are in."""
    for index, row in enumerate(rows):
        years = [(y, c) for c in row.cells if (y := header_year(c.text)) and len(c.text.strip()) <= 8]
        if not years or index + 1 >= len(rows):
            continue
        values = rows[index + 1].cells
        record.baseline += [(year, (cell.text if (cell := _under(values, c)) else None))
                            for year, c in years]
        unit_heading = next((c for r in rows[:index] for c in r.cells
                             if header_role(c.text) == ColumnRole.unit), None)
        if unit_heading is not None and (unit := _under(values, unit_heading)) and unit.text.strip():
            record.unit = record.unit or unit.text.strip()
        return


def _years_over_values(rows: list[_Row]) -> dict[str, str | None]:
    """{year: value} from a row of years (ปี 2554 … 2563) over the row of values under them."""
    for index, row in enumerate(rows[:-1]):
        years = [(y, c) for c in row.cells if (y := header_year(c.text)) and len(c.text.strip()) <= 9]
        if len(years) >= 2:
            values = rows[index + 1].cells
            return {y: (cell.text.strip() if (cell := _under(values, c)) else None) for y, c in years}
    return {}


def _read_rounds(record: DetailsPage, rows: list[_Row]) -> None:
    """Targets per round (รอบ ๓ เดือน … over their values) or criteria levels (levels over
    their texts, or level | text rows)."""
    for index, row in enumerate(rows):
        rounds = [(r, c) for c in row.cells if (r := header_round(c.text))]
        if len(rounds) >= 2 and index + 1 < len(rows):
            values = rows[index + 1].cells
            for round_, heading in rounds:
                cell = _under(values, heading)
                record.targets_by_round[round_] = cell.text.strip() if cell else None
            return
        if len(row.cells) >= 2 and header_level(row.cells[0].text) is not None:
            record.milestones.append((row.cells[0].text.strip(), row.cells[1].text.strip()))


def _read_levels(record: DetailsPage, rows: list[_Row]) -> None:
    """A scoring table: a row of levels (คะแนน | 1 | 2 | 3 | 4 | 5) over rows of what each
    level needs (อัตรา | >7.4 | >7.1 - 7.4 …)."""
    for index, row in enumerate(rows):
        levels = [(lv, c) for c in row.cells if (lv := header_level(c.text)) is not None]
        if len(levels) < 3 or [lv for lv, _ in levels] != sorted(lv for lv, _ in levels):
            continue
        for below in rows[index + 1:]:
            for level, heading in levels:
                cell = _under(below.cells, heading)
                if cell is not None and cell.text.strip() and cell is not below.cells[0]:
                    record.criteria.append((str(level), cell.text.strip()))
        return
