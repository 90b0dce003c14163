"""Indicator details pages (รายละเอียดตัวชี้วัด): one record per indicator.

A details page opens with a title (รายละเอียดตัวชี้วัด …), then label/value fields — มิติ
(dimension) with ด้าน (perspective), วัตถุประสงค์ที่ (objective), ตัวชี้วัดที่ (indicator code and
name), หน่วยวัด (unit), น้ำหนัก (weight), คำอธิบาย (description) — then sections under headings:
สูตรการคำนวณ (formula), เกณฑ์การให้คะแนน (criteria, with a table), ข้อมูลพื้นฐาน (baseline
table), แหล่งข้อมูล (data source), เงื่อนไข (condition), and the people: ผู้กำกับดูแลตัวชี้วัด
(supervisor), ผู้จัดเก็บข้อมูล (collector). A page may continue on the next pages until the
next title. The criteria and baseline tables are read from their ruled grids, or, when they
have no ruling lines, from where their words stand (`_TextTables`).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
from pythainlp.tokenize import word_tokenize

from kamrap.text.thai import no_spaces as _compact
from kamrap.text.lines import join_lines, join_wrapped
from kamrap.parsers.agreement import cell_text
from kamrap.parsers.layout import Cell, Grid, PageLayout
from kamrap.parsers.pdftext import TextChar, TextLine, lines_from_chars
from kamrap.parsers.records import DetailsPage, LevelTable
from kamrap.parsers.settings import SETTINGS
from kamrap.parsers.vocabulary import (
    BUDDHIST_ERA, CRITERIA_HEADINGS, DETAILS_LINE_LABELS, DETAILS_TITLE, FORM_HEAD_LABELS, FORM_LABELS,
    INDICATOR_NO, LEVEL_HEADINGS, ColumnRole, FormField, form_label, header_level, header_role,
    header_round, header_year, loose_key, YEAR_WORD,
)

_TITLE = DETAILS_TITLE
_CODE = regex.compile("^" + INDICATOR_NO + r"\s*(?P<code>[\d๐-๙]+(?:\s*\.\s*[\d๐-๙]+)*)\s*:?\s*(?P<name>.*)$")
#: The label with a code no one can read (a scan: ".๑" for ๑.๑, "«๓" for ๔.๓): whatever is no
#: Thai letter up to the name, so that the name still finds the page's row.
_ILLEGIBLE_CODE = regex.compile("^" + INDICATOR_NO + r"[^\u0e01-\u0e2e]*?\s[^\u0e01-\u0e2e\s]{0,2}(?P<name>[\u0e01-\u0e2e].*)$")
_LABEL_VALUE = regex.compile(r"^[^:]*?:\s*(?P<value>.*)$")

_STARTS = DETAILS_LINE_LABELS
# Fields holding paragraphs, where indentation marks a new paragraph; the others are a label's
# value, whose first line starts at the label.
_SECTIONS = {"description", "formula", "condition", "data_source"}
# Sections whose heading line carries no content of its own ("เกณฑ์การให้คะแนน : รายงานรอบ…").
_HEADING_ONLY = {"criteria", "baseline"}
# Fields given once, at the top of the page, by a label and its value.
_LABELS = {"dimension", "objective", "unit", "weight"}
# Fields that head a record: one already read opens the next record.
_HEAD_FIELDS = {"dimension", "objective", "code"}


@dataclass
class _Item:
    top: float
    line: TextLine | None = None
    grid: Grid | None = None


def _start_of(line: str) -> str | None:
    compact = _compact(line)
    for prefix, field in _STARTS:
        if compact.startswith(prefix):
            return field
    return None


def _items(page: PageLayout) -> list[_Item]:
    items = [_Item(line.top, line=line) for line in page.lines_outside_tables()]
    items += [_Item(grid.bbox[1], grid=grid) for grid in page.tables]
    return sorted(items, key=lambda item: item.top)


class _Builder:
    """Collects the lines of one details page into its fields and sections."""

    def __init__(self, page: int, spaces_kept: bool) -> None:
        self.spaces_kept = spaces_kept
        self.record = DetailsPage(page=page, code=None, name=None, pages=[page])
        self.field: str | None = None
        self.texts: dict[str, list[TextLine]] = {}
        self.right_edge = 0.0
        self.text_table = _TextTables(spaces_kept)
        self.ruled: set[str] = set()  # the sections that have a ruled table
        self.titled = False  # a title was seen after this record's code: its page is a new one

    def opens_record(self, line: TextLine) -> bool:
        """Whether head-field `line` starts the next record: the field is read already (or,
        after a title, the code is), and it is not the baseline table's หน่วยวัด heading."""
        field = _start_of(line.text)
        if field == "code":
            return self.record.code is not None
        return field in self.texts or (self.titled and self.record.code is not None)

    def add_line(self, line: TextLine) -> None:
        self.right_edge = max(self.right_edge, line.x1)
        field = _start_of(line.text)
        if field in _LABELS and field in self.texts and self.field in _HEADING_ONLY:
            # "หน่วยวัด" (unit) heading a column of the baseline table, not the unit again
            field = None
        if field is None and self.field in _HEADING_ONLY and self._table_line(line):
            return
        if field is not None and not (field == "code" and self.record.code is not None):
            self.text_table.finish(self.record)
            self.field = field
            if field == "code":
                match = _CODE.match(line.text.strip())
                self.record.code = match["code"] if match else None
                if match is None and (match := _ILLEGIBLE_CODE.match(line.text.strip())):
                    self.record.code = ""  # printed, not legible: the name finds its row
                self.texts["name"] = [_with_text(line, match["name"] if match else "")]
                self.field = "name"
                return
            if field == "dimension":
                self.texts["dimension"] = [line]
                return
            rest = _after_label(line.text, field)
            self.texts[field] = [] if field in _HEADING_ONLY or not rest.strip() else [_with_text(line, rest)]
            return
        if self.field is not None:
            self.texts.setdefault(self.field, []).append(line)

    def _table_line(self, line: TextLine) -> bool:
        """Whether `line` belongs to a criteria or baseline table without ruling lines (and
        was taken into it). A section that has a ruled table has no other."""
        if self.field in self.ruled:
            return False
        if self.field == "criteria":
            return self.text_table.add_criteria_line(line, self.record)
        return self.text_table.add_baseline_line(line, self.record)

    def add_grid(self, grid: Grid) -> None:
        if self.field is not None:
            self.ruled.add(self.field)
        rows = [[cell_text(c) for c in row] for row in grid.rows]
        if self.field == "criteria":
            body = [row for row in rows if not _is_header(row)]
            if self.record.milestones and body and _is_continuation(body[0]):
                # The last row of the table on the previous page, split by the page break.
                level, text = self.record.milestones[-1]
                self.record.milestones[-1] = (
                    level, join_wrapped([text, _cells(body[0])[1] or ""], self.spaces_kept))
            self.record.milestones += _milestones(rows)
        elif self.field == "baseline":
            self.record.baseline += _baseline(rows)

    def finish(self) -> DetailsPage:
        record = self.record
        self.text_table.finish(record)
        text = {field: join_lines(lines, self.right_edge, indent_breaks=field in _SECTIONS,
                                  spaces_kept=self.spaces_kept)
                for field, lines in self.texts.items()}
        record.name = text.get("name")
        dimension = text.get("dimension") or ""
        record.dimension, _, perspective = dimension.partition(" ")
        record.dimension = record.dimension or None
        record.perspective = perspective.strip() or None
        for field in ("objective", "unit", "weight", "description", "formula", "condition",
                      "data_source", "supervisor", "collector"):
            setattr(record, field, text.get(field) or None)
        return record


def _after_label(text: str, field: str) -> str:
    """The value after a label: after its colon, or after the label word itself."""
    if field == "objective":  # the label is part of the value ("วัตถุประสงค์ที่ ๑ …")
        return text
    match = _LABEL_VALUE.match(text)
    if match:
        return match["value"]
    label = next(prefix for prefix, f in _STARTS if f == field and _compact(text).startswith(prefix))
    return regex.sub(r"^\s*" + r"\s*".join(map(regex.escape, label)), "", text)


def _with_text(line: TextLine, text: str) -> TextLine:
    return TextLine(text=text, x0=line.x0, x1=line.x1, top=line.top, bottom=line.bottom, chars=())


def _cells(row: list[str | None]) -> list[str | None]:
    return [c for c in row if c is not None]


def _is_header(row: list[str | None]) -> bool:
    """A header row of a criteria table ("ระดับคะแนน | เกณฑ์…", "ขั้นตอน/คะแนน | กิจกรรม"):
    its first cell is text, not a level number."""
    cells = _cells(row)
    first = _compact(cells[0] or "") if cells else ""
    return bool(first) and not regex.fullmatch(r"[๐-๙0-9]+", first)


def _is_continuation(row: list[str | None]) -> bool:
    cells = _cells(row)
    return len(cells) == 2 and not (cells[0] or "").strip() and bool((cells[1] or "").strip())


def _milestones(rows: list[list[str | None]]) -> list[tuple[str, str]]:
    """Level/text rows of a two-column criteria table (ระดับคะแนน | เกณฑ์…)."""
    result = []
    for row in rows:
        cells = _cells(row)
        if len(cells) == 2 and regex.fullmatch(r"[๑-๕1-5]", _compact(cells[0] or "")):
            result.append((cells[0] or "", cells[1] or ""))
    return result


def _baseline(rows: list[list[str | None]]) -> list[tuple[str, str | None]]:
    """(year, value) pairs: the header row of years (๒๕๖๒ ๒๕๖๓) over the first data row."""
    for index, row in enumerate(rows):
        years = [(col, c) for col, c in enumerate(row) if c and regex.fullmatch(r"[๒2][๕5][๐-๙0-9]{2}", _compact(c))]
        if years and index + 1 < len(rows):
            data = rows[index + 1]
            return [(year, data[col] if col < len(data) else None) for col, year in years]
    return []


# -- criteria and baseline tables without ruling lines --------------------------------------------
# The headings of a two-column criteria table (vocabulary.LEVEL_HEADINGS, CRITERIA_HEADINGS).
_LEVEL_HEADING = regex.compile(r"^(?:" + "|".join(LEVEL_HEADINGS) + r")\S*$")
_CRITERIA_HEADING = CRITERIA_HEADINGS
_LEVEL = regex.compile(r"^[๑-๕1-5]$")
_YEAR = regex.compile(r"^[๒2][๕5][๐-๙0-9]{2}$")


class _TextTables:
    """Reads the criteria table (ระดับคะแนน | เกณฑ์การให้คะแนน) and the baseline table (years
    over values) of a details page from where the words stand, when they have no ruling
    lines and so come as plain lines: a level digit left of the column cut opens a level, a
    line starting right of it continues the level's text; a line of years sets the baseline
    columns and the next line with a word under a year gives the values."""

    def __init__(self, spaces_kept: bool) -> None:
        self.spaces_kept = spaces_kept
        self.in_table = False  # a criteria table's header was read
        self.cut: float | None = None  # between the level column and the criteria column
        self.levels: list[tuple[str, list[str]]] = []
        self.years: list[tuple[str, float, float]] = []  # (year, x0, x1) of a baseline header

    def add_criteria_line(self, line: TextLine, record: DetailsPage) -> bool:
        words, x0s = line.words, line.word_x0s
        if len(words) >= 2 and len(x0s) == len(words) and _LEVEL_HEADING.match(_compact(words[0])) \
                and any(h in _compact(" ".join(words[1:])) for h in _CRITERIA_HEADING):
            self.in_table = True  # the header (again, on a continuation page)
            return True
        if not self.in_table or not words or len(x0s) != len(words):
            return False
        if _LEVEL.match(_compact(words[0])) and len(words) >= 2 and (
                self.cut is None or x0s[0] < self.cut <= x0s[1] + 1.0):
            # the criteria column starts where the first level's text does (its heading is
            # centred, so it does not tell)
            self.cut = x0s[1] - SETTINGS.box_slack / 2 if self.cut is None else self.cut
            self.levels.append((words[0], [line.text[len(words[0]):].lstrip()]))
            return True
        if self.levels and self.cut is not None and line.x0 >= self.cut - SETTINGS.box_slack:
            self.levels[-1][1].append(line.text)
            return True
        self.finish(record)
        return False

    def add_baseline_line(self, line: TextLine, record: DetailsPage) -> bool:
        pieces = list(zip(line.words, line.word_x0s, line.word_x1s))
        years = [(w, x0, x1) for w, x0, x1 in pieces if _YEAR.match(_compact(w))]
        # a header line of years: the years and at most a column heading or two beside them
        # (not a sentence that mentions a year)
        if years and len(pieces) == len(line.words) and len(pieces) - len(years) <= 2:
            self.years = years
            return True
        if not self.years:
            return False
        reach = _reach(self.years)
        values = {year: next((w for w, x0, x1 in pieces if x0 < yx1 + reach and x1 > yx0 - reach), None)
                  for year, yx0, yx1 in self.years}
        if any(v is not None for v in values.values()):
            record.baseline += list(values.items())
            self.years = []
        return True

    def finish(self, record: DetailsPage) -> None:
        """Hand the levels read so far to `record` (a new field or the page's end closes them)."""
        record.milestones += [(level, join_wrapped(lines, self.spaces_kept)) for level, lines in self.levels]
        self.levels = []
        self.cut = None
        self.in_table = False


def _reach(years: list[tuple[str, float, float]]) -> float:
    """How far left or right of a year heading its value may start or end: a third of the
    distance between two year columns (or a year's width when there is one)."""
    if len(years) >= 2:
        return (years[1][1] - years[0][1]) / 3
    return years[0][2] - years[0][1]


def parse_details(pages: list[PageLayout]) -> list[DetailsPage]:
    """Every details record in the document, in order: those printed as plain lines, then,
    from the first page that holds a ruled label | value form on, those read from the forms."""
    start = _first_form_page(pages)
    if start is None:
        return _text_records(pages)
    return _text_records(pages[:start]) + form_records(pages[start:])


def _text_records(pages: list[PageLayout]) -> list[DetailsPage]:
    """Details pages printed as lines. A record opens at the title (รายละเอียดตัวชี้วัด) or,
    without one, at its first head field (มิติ, วัตถุประสงค์ที่, ตัวชี้วัดที่); a head field the
    open record holds already opens the next one, so a title repeated as a running header on a
    continuation page starts nothing."""
    records: list[DetailsPage] = []
    builder: _Builder | None = None
    for page in pages:
        for item in _items(page):
            if item.line is not None and _is_margin_line(item.line, page):
                continue
            if item.line is not None and _compact(item.line.text).startswith(_TITLE):
                if builder is not None and builder.record.code is not None:
                    # a new page of details: the next head field opens a record, and the
                    # lines of the title block (the unit, the year) are no field's
                    builder.titled = True
                    builder.text_table.finish(builder.record)
                    builder.field = None
                builder = builder or _Builder(page.number, page.spaces_kept)
                continue
            line = item.line
            head = line is not None and _start_of(line.text) in _HEAD_FIELDS
            if head and line is not None and (builder is None or builder.opens_record(line)):
                if builder is not None:
                    records.append(builder.finish())
                builder = _Builder(page.number, page.spaces_kept)
            if builder is None:
                continue
            if page.number not in builder.record.pages:
                builder.record.pages.append(page.number)
            if item.grid is not None:
                builder.add_grid(item.grid)
            elif item.line is not None:
                builder.add_line(item.line)
    if builder is not None:
        records.append(builder.finish())
    return [r for r in records if r.code is not None]


# A printed folio: "41", "- ๔๑ -", "(12)", alone on its line.
_FOLIO = regex.compile(r"^[-–(\[]?\s*[\d๐-๙]{1,4}\s*[-–)\]]?$")


def _is_margin_line(line: TextLine, page: PageLayout) -> bool:
    """Whether `line` is a page folio in the top or bottom margin, which belongs to no field."""
    if not _FOLIO.match(line.text.strip()):
        return False
    return line.top > page.height * (1 - SETTINGS.folio_margin) or line.bottom < page.height * SETTINGS.folio_margin


# -- ruled forms (label cell | value cell) -------------------------------------------------------
# A details form is a ruled table whose rows put a label cell (หน่วยวัด, คำนิยาม, เกณฑ์เป้าหมาย …,
# matched with `form_label`) beside a value cell. Small tables inside the value column (the
# baseline: years over values; the targets per round: รอบ ๓ เดือน … over values; criteria
# levels) come either as grids of their own inside the value cell or, when pdfplumber merges
# their rules into the form's, as extra rows of the form whose label position is covered by
# the label cell above (None). A form runs over pages: a row at the top of a page with an empty
# label cell (or a label cell that only ends a label wrapped over the page break) continues the
# field above. A label cell holding several labels, one a line, beside a value cell holding
# their values, one under another, gives each label the values level with it.

_EXTRA_FORM_LABELS = FORM_HEAD_LABELS
# Form fields and the DetailsPage attribute holding each as text.
_FORM_TEXT_FIELDS: dict[str, str] = {
    FormField.name: "name", FormField.unit: "unit", FormField.weight: "weight",
    FormField.description: "description", FormField.formula: "formula", FormField.target: "target",
    FormField.target_population: "target_population", FormField.data_collection: "data_collection",
    FormField.data_source: "data_source", FormField.evaluation_period: "evaluation_period",
    FormField.evaluation_method: "evaluation_method", FormField.condition: "condition",
    FormField.supervisor: "supervisor", FormField.collector: "collector",
    FormField.responsible: "responsible", "objective": "objective",
}
# A code printed before the name: "1. อัตราส่วน…", "๒.๑ ร้อยละ…", "ตัวชี้วัดที่ 1.1 …".
_FORM_CODE = regex.compile(r"^\s*(?P<code>[\d๐-๙]+(?:\s*\.\s*[\d๐-๙]+)*)\s*\.?(?:\s+|$)(?P<name>.*)$", regex.S)
# A year heading of a years-over-values table: "2556", "ปี 2556", "พ.ศ.2556", "ปี54".
_YEAR_HEADING = regex.compile(
    "^(?:" + YEAR_WORD + "|" + regex.escape(BUDDHIST_ERA) + r")?(?:25\d\d|\d\d)$")
# A criteria level as printed in a level cell: "๓", "ระดับ 3", "A (5.00)" (a grade and its score).
_GRADE_LEVEL = regex.compile(r"^[A-Ea-e]?\(?([1-5])(?:\.0+)?\)?$")


@dataclass
class _FormEvent:
    """One step of reading a form: a label and its value ("label"), more text for the field
    above ("more"), or a table in the value column ("table")."""

    kind: str
    page: PageLayout
    label: str = ""
    text: str = ""
    rows: list[list[Cell | None]] | None = None
    area: tuple[float, float, float, float] | None = None  # where a table's words stand
    #: a table nested in a form's cell: its own ruled box (`area` is then the cell's)
    drawn: tuple[float, float, float, float] | None = None
    first_on_page: bool = False
    beside: bool = False  # the value has a cell of its own (else it follows the label words)


def _first_form_page(pages: list[PageLayout]) -> int | None:
    """The index of the first page holding a ruled details form, or None."""
    return next((i for i, page in enumerate(pages) if any(_is_form(g) for g in page.tables)), None)


def _label_of(text: str | None) -> str | None:
    """The field a label cell or line names (a FormField value, "dimension", "objective")."""
    key = loose_key(text)
    extra = next((field for label, field in _EXTRA_FORM_LABELS if key.startswith(label)), None)
    found = form_label(text)
    return extra if extra is not None and found is None else (str(found) if found else None)


def _cells_of(row: list[Cell | None]) -> list[Cell]:
    return [cell for cell in row if cell is not None]


def _is_label_pair(row: list[Cell | None]) -> bool:
    """A row of a known label cell and one value cell beside it."""
    cells = _cells_of(row)
    return row[0] is not None and len(cells) == 2 and _label_of(cells[0].text) is not None


def _is_form(grid: Grid) -> bool:
    return sum(_is_label_pair(row) for row in grid.rows if row) >= SETTINGS.min_form_rows


def _label_edge(grid: Grid) -> float | None:
    """The right edge of the label column: where the known label cells end (their median)."""
    edges = sorted(row[0].bbox[2] for row in grid.rows
                   if row and row[0] is not None and _label_of(row[0].text) is not None
                   and row[0].bbox[2] < grid.bbox[2] - SETTINGS.edge_touch)
    return edges[len(edges) // 2] if edges else None


def _inside_bbox(inner: tuple[float, float, float, float], outer: tuple[float, float, float, float]) -> bool:
    return (inner[0] >= outer[0] - SETTINGS.edge_touch and inner[1] >= outer[1] - SETTINGS.edge_touch
            and inner[2] <= outer[2] + SETTINGS.edge_touch and inner[3] <= outer[3] + SETTINGS.edge_touch)


def _nested_grids(page: PageLayout) -> dict[int, list[Grid]]:
    """The grids drawn inside another grid's bbox, by the index of the grid holding them."""
    nested: dict[int, list[Grid]] = {}
    for grid in page.tables:
        holder = next((i for i, other in enumerate(page.tables)
                       if other is not grid and _inside_bbox(grid.bbox, other.bbox)), None)
        if holder is not None:
            nested.setdefault(holder, []).append(grid)
    return nested


def page_to_events(page: PageLayout) -> list[_FormEvent]:
    """The form events of one page, top to bottom: its top-level grids row by row, and the
    lines outside them (a label printed as a heading above a table, folios, running headers)."""
    nested = _nested_grids(page)
    inner = {id(g) for grids in nested.values() for g in grids}
    placed: list[tuple[float, list[_FormEvent]]] = []
    for index, grid in enumerate(page.tables):
        if id(grid) not in inner:
            placed.append((grid.bbox[1], grid_to_events(grid, nested.get(index, []), page)))
    for line in page.lines_outside_tables():
        if not _is_margin_line(line, page):
            placed.append((line.top, [_FormEvent("line", page, text=line.text)]))
    events = [event for _, group in sorted(placed, key=lambda p: p[0]) for event in group]
    if events:
        events[0].first_on_page = True
    return events


def grid_to_events(grid: Grid, nested: list[Grid], page: PageLayout) -> list[_FormEvent]:
    """The events of one top-level grid: a form's rows, or the grid as one table."""
    if not any(row and row[0] is not None and _label_of(row[0].text) for row in grid.rows):
        if all(row and row[0] is not None and not row[0].text.strip() for row in grid.rows):
            # only the value column of a row continued from the page before
            return [_FormEvent("more", page, text=" ".join(c.text for c in _cells_of(row)[1:]))
                    for row in grid.rows]
        return [_FormEvent("table", page, rows=grid.rows, area=grid.bbox)]
    edge = _label_edge(grid)
    events: list[_FormEvent] = []
    table: list[list[Cell | None]] = []
    for row in grid.rows:
        if _opens_with_table(row):
            # the label's value is a table whose first row is this one (the label cell covers
            # the rows below); its columns keep their places
            events += [_table_event(table, page)] if table else []
            events.append(_FormEvent("label", page, label=row[0].text if row[0] else "", beside=True))
            table = [[None, *row[1:]]]
            continue
        row_events = _row_events(row, grid, edge, nested, page)
        if row_events is None:  # a row of a table in the value column
            table.append(row)
            continue
        if table:
            events.append(_table_event(table, page))
            table = []
        events += row_events
    if table:
        events.append(_table_event(table, page))
    return events


def _table_event(rows: list[list[Cell | None]], page: PageLayout) -> _FormEvent:
    boxes = [cell.bbox for row in rows for cell in _cells_of(row)]
    area = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    return _FormEvent("table", page, rows=rows, area=area)


def _row_events(row: list[Cell | None], grid: Grid, edge: float | None, nested: list[Grid],
                page: PageLayout) -> list[_FormEvent] | None:
    """The events of one form row, or None for a row of a table inside the value column."""
    first = row[0] if row else None
    cells = _cells_of(row)
    if first is None or not cells:
        return None
    if first.bbox[2] >= grid.bbox[2] - SETTINGS.edge_touch:  # a cell across the whole form
        return _wide_row_events(first, nested, page)
    at_edge = edge is not None and abs(first.bbox[2] - edge) <= SETTINGS.label_edge_slack
    known = _label_of(first.text) is not None
    pair = len(cells) == 2 and cells[1].bbox[2] >= grid.bbox[2] - SETTINGS.edge_touch
    if not (known or (at_edge and pair and header_level(first.text) is None)):
        return None
    value = cells[1] if len(cells) == 2 else None
    if not first.text.strip():
        return [_FormEvent("more", page, text=value.text if value else "")]
    stacked = _stacked_pairs(first, value, page) if value else None
    if stacked:
        return [_FormEvent("label", page, label=label, text=text, beside=True) for label, text in stacked]
    return [_FormEvent("label", page, label=first.text, text=_value_text(value, nested, page), beside=True),
            *_nested_events(value, nested, page)]


def _opens_with_table(row: list[Cell | None]) -> bool:
    """A known label cell beside several cells: the first row of a table in its value."""
    return bool(row) and row[0] is not None and _label_of(row[0].text) is not None \
        and len(_cells_of(row)) > 2


def _wide_row_events(cell: Cell, nested: list[Grid], page: PageLayout) -> list[_FormEvent]:
    """A cell across the form: a label with its value after it ("เกณฑ์การประเมิน : …" over
    the round table), more text for the field above, or a blank spacer."""
    text = _value_text(cell, nested, page)
    if not text.strip():
        return _nested_events(cell, nested, page)
    if _label_of(text) is None:
        return [_FormEvent("more", page, text=text), *_nested_events(cell, nested, page)]
    return [_FormEvent("label", page, label=text), *_nested_events(cell, nested, page)]


def _grids_in(cell: Cell | None, nested: list[Grid]) -> list[Grid]:
    if cell is None:
        return []
    return [g for g in nested if _inside_bbox(g.bbox, cell.bbox)]


def _nested_events(cell: Cell | None, nested: list[Grid], page: PageLayout) -> list[_FormEvent]:
    # the cell's area, not the inner grid's: a nested grid may miss its outer rules, and the
    # words beyond them are still its columns
    return [_FormEvent("table", page, rows=g.rows, area=cell.bbox, drawn=g.bbox)
            for g in _grids_in(cell, nested) if cell]


def _value_text(cell: Cell | None, nested: list[Grid], page: PageLayout) -> str:
    """A cell's text without the tables drawn inside it."""
    if cell is None:
        return ""
    inner = _grids_in(cell, nested)
    chars = [c for c in page.chars if _char_in(c, cell.bbox) and not any(_char_in(c, g.bbox) for g in inner)]
    lines = lines_from_chars(chars)
    if not lines:  # a grid built without its page's chars
        return cell.text
    # text may run to the cell's right rule less the padding it keeps on the left
    right = cell.bbox[2] - (min(line.x0 for line in lines) - cell.bbox[0])
    text = lines[0].text
    for above, below in zip(lines, lines[1:]):
        if _cell_paragraph_break(above, below, right):
            text = text.rstrip() + " " + below.text.lstrip()
        else:
            text = join_wrapped([text, below.text], page.spaces_kept)
    return text




def _cell_paragraph_break(above: TextLine, below: TextLine, right: float) -> bool:
    """Whether `below` starts a paragraph of its own in a narrow cell: it is indented
    differently, or its first word would have fitted at the end of `above` ("… ความพึงพอใจ"
    over "จำนวนผู้รับบริการ…"). A cell is too narrow for `join_lines`' rule that a line ending
    in the last third of the column wrapped: there most lines end in it."""
    if abs(below.x0 - above.x0) > SETTINGS.cell_indent:
        return True
    if above.text.endswith(" "):  # wrapped at a space
        return False
    text = below.text.strip()
    words = word_tokenize(text, engine="newmm", keep_whitespace=True) if text else []
    first = (below.x1 - below.x0) * len(words[0]) / len(text) if words else 0.0
    return right - above.x1 > first + SETTINGS.cell_indent


def _char_in(char: TextChar, bbox: tuple[float, float, float, float]) -> bool:
    x, y = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _stacked_pairs(labels: Cell, values: Cell, page: PageLayout) -> list[tuple[str, str]] | None:
    """Labels stacked in one cell (one a line, each a different field) and their values
    stacked in the next: each value line goes to the label level with it or above it (by
    their tops when the page has the chars, else line by line when the counts agree)."""
    label_lines = [line for line in labels.lines if line.strip()]
    fields = [_label_of(line) for line in label_lines]
    if len(label_lines) < 2 or None in fields or len(set(fields)) < len(fields):
        return None
    placed_labels = lines_from_chars([c for c in page.chars if _char_in(c, labels.bbox)])
    placed_values = lines_from_chars([c for c in page.chars if _char_in(c, values.bbox)])
    if len(placed_labels) == len(label_lines) and placed_values:
        texts: list[list[str]] = [[] for _ in label_lines]
        for line in placed_values:
            above = [i for i, label in enumerate(placed_labels) if label.top <= line.top + SETTINGS.edge_touch]
            texts[above[-1] if above else 0].append(line.text)
        return [(label, join_wrapped(text, page.spaces_kept)) for label, text in zip(label_lines, texts)]
    value_lines = [line for line in values.lines if line.strip()]
    if len(value_lines) != len(label_lines):
        return None
    return list(zip(label_lines, value_lines))


def _after_form_label(text: str) -> str:
    """What follows the label words in a label cell or heading: "ตัวชี้วัดที่ 1.1" → "1.1",
    "เกณฑ์การประเมิน : รอบ…" → "รอบ…" (the label matched loosely, so its printed length is
    found by growing a prefix until its loose key is as long)."""
    key = loose_key(text)
    labels = [label for label, _ in FORM_LABELS + _EXTRA_FORM_LABELS if key.startswith(label)]
    if not labels:
        return text
    length = max(len(label) for label in labels)
    cut = next(i for i in range(len(text) + 1) if len(loose_key(text[:i])) >= length)
    return text[cut:].lstrip(" :")


class _FormReader:
    """Builds DetailsPage records from form events, across pages."""

    def __init__(self) -> None:
        self.records: list[DetailsPage] = []
        self.record: DetailsPage | None = None
        self.field: str | None = None  # the field the last label opened
        self.texts: dict[str, list[str]] = {}
        self.head: dict[str, str] = {}  # dimension / objective rows read before the record
        self.spaces_kept = False
        self.tables = 0  # criteria tables read into the record

    def add(self, event: _FormEvent) -> None:
        self.spaces_kept = event.page.spaces_kept
        if event.kind == "label":
            self.add_label(event)
        elif event.kind == "more":
            self.add_text(event.text)
        elif event.kind == "line":
            self.add_line(event)
        elif event.kind == "table" and event.rows is not None:
            self.add_table(event)
        # a page the form goes on to (lines outside the form, as a narrative after it, are not)
        if self.record is not None and event.kind != "line" and event.page.number not in self.record.pages:
            self.record.pages.append(event.page.number)

    def add_label(self, event: _FormEvent) -> None:
        field = _label_of(event.label)
        rest = _after_form_label(event.label)
        if field is None and event.first_on_page and self.field is not None:
            self.add_text(event.text)  # the end of a label wrapped over the page break
            return
        if field in (FormField.indicator, FormField.name) and (
                field == FormField.indicator or self.record is None or self.record.name):
            self.open_record(event, rest)
            return
        if field in ("dimension", "objective") and (self.record is None or field in self.texts):
            self.close_record()
            self.head[field] = " ".join(t for t in (event.label, event.text) if t.strip())
            self.field = None
            return
        # a label cell's own words after the label ("รายการข้อมูล 1", "(ส่วนกลาง)") are not
        # its value; a label printed inline has its value after it
        self.field = self.start_field(field, event.text if event.beside else rest)

    def start_field(self, field: str | None, text: str) -> str | None:
        """The field a label opens; a field read already takes nothing more (a second
        label naming it, as ผู้ประสานงานตัวชี้วัด beside ผู้ให้ข้อมูลทางวิชาการ, names another)."""
        if self.record is None or field is None or field == FormField.other:
            return None
        if field == FormField.data_items:
            self.record.data_items.append(text.strip())
            return field
        if field in self.texts:
            return None
        self.texts[field] = [text]
        return field

    def add_text(self, text: str) -> None:
        if self.record is None or self.field is None or not text.strip():
            return
        if self.field == FormField.data_items and self.record.data_items:
            self.record.data_items[-1] = join_wrapped([self.record.data_items[-1], text], self.spaces_kept)
        elif self.field in self.texts:
            self.texts[self.field].append(text)

    def add_line(self, event: _FormEvent) -> None:
        """A line outside the form: a label printed as a heading (เกณฑ์การให้คะแนน above its
        table) opens a field the record has not read yet; any other line is no field's."""
        field = _label_of(event.text)
        if self.record is None or field is None or field in self.texts or field in (
                FormField.indicator, FormField.name, FormField.other, FormField.data_items):
            return
        self.field = self.start_field(field, _after_form_label(event.text))

    def open_record(self, event: _FormEvent, rest: str) -> None:
        """A new record at the indicator's label: its code after the label or before the name."""
        self.close_record()
        page = event.page.number
        self.record = DetailsPage(page=page, code=None, name=None, pages=[page], method="form")
        # the code after the label ("ตัวชี้วัดที่ 1.1 | name") or before the name ("1. name")
        in_label = _FORM_CODE.match(rest)
        match = in_label or _FORM_CODE.match(event.text)
        name = event.text if in_label and event.beside else (match["name"] if match else event.text)
        self.record.code = _compact(match["code"]) if match else None
        self.texts = {FormField.name: [name]}
        self.field = FormField.name
        self.tables = 0
        self.apply_head()

    def apply_head(self) -> None:
        """The dimension (and perspective beside it) and objective printed above the record."""
        assert self.record is not None
        dimension = self.head.pop("dimension", "")
        self.record.dimension, _, perspective = dimension.partition(" ")
        self.record.dimension = self.record.dimension or None
        self.record.perspective = perspective.strip() or None
        if "objective" in self.head:
            self.texts["objective"] = [self.head.pop("objective")]

    def close_record(self) -> None:
        if self.record is None:
            return
        for field, attribute in _FORM_TEXT_FIELDS.items():
            parts = [part for part in self.texts.get(field, []) if part.strip()]
            if parts and getattr(self.record, attribute) is None:
                setattr(self.record, attribute, join_wrapped(parts, self.spaces_kept).strip())
        self.records.append(self.record)
        self.record, self.field, self.texts = None, None, {}

    def add_table(self, event: _FormEvent) -> None:
        """A table in the value column, read by what its headings say."""
        if self.record is None or event.rows is None:
            return
        texts = [[cell_text(c) for c in row] for row in event.rows]
        if _round_targets(texts, self.record):
            return
        if self.field == FormField.baseline:
            _form_baseline(event, texts, self.record)
            return
        levels = _vertical_levels(texts) or _horizontal_levels(texts)
        if levels:
            heading = _heading_above(event.drawn, event.page, (event.area[0], event.area[2])) \
                if event.drawn and event.area else _heading_above(event.area, event.page) if event.area else None
            self.add_levels(levels, self.texts.get(self.field or "", []), heading)
        elif not self.record.targets_by_year:
            self.record.targets_by_year = dict(_years_over_values(texts))

    def add_levels(self, levels: list[tuple[str, str]], above: list[str], heading: str | None) -> None:
        """The first criteria table is the record's milestones; later ones (one per round)
        its round milestones, with the round the text above names, when it names one. Each
        is kept with the heading printed over it too (`level_tables`)."""
        assert self.record is not None
        round_ = None
        if self.tables == 0:
            self.record.milestones += levels
        else:
            round_ = header_round(" ".join(above)) or ""
            self.record.round_milestones += [(round_, level, text) for level, text in levels]
        self.record.level_tables.append(LevelTable(levels, round_ or None, heading))
        self.tables += 1

    def finish(self) -> list[DetailsPage]:
        self.close_record()
        return [r for r in self.records if r.code is not None or r.name]


def _heading_above(area: tuple[float, float, float, float], page: PageLayout,
                   span: tuple[float, float] | None = None) -> str | None:
    """The heading printed just above a table: the paragraph whose last line ends less than a
    line over the table's top, within `span` (the cell holding the table) or the smallest
    ruled cell holding it, else across the page. A bold run-in term opening the paragraph
    ("ส่วนกลาง ดูอัตราตาย…") is the heading alone."""
    left, right = span or _holding_span(area, page)
    top = area[1]
    chars = [c for c in page.chars if left <= (c.x0 + c.x1) / 2 <= right
             and top - SETTINGS.heading_reach <= (c.top + c.bottom) / 2 < top]
    lines = [line for line in lines_from_chars(chars) if line.text.strip()]
    if not lines:
        return None
    height = lines[-1].bottom - lines[-1].top
    if top - lines[-1].bottom > height:
        return None
    paragraph = [lines[-1]]
    for line in reversed(lines[:-1]):
        if paragraph[0].top - line.bottom > SETTINGS.heading_line_gap * height:
            break
        paragraph.insert(0, line)
    run_in = _bold_run_in(paragraph[0])
    text = run_in or join_wrapped([line.text for line in paragraph], page.spaces_kept)
    return text.strip().rstrip(":").strip() or None


def _holding_span(area: tuple[float, float, float, float], page: PageLayout) -> tuple[float, float]:
    """The left and right edges of the smallest ruled cell holding `area` (a table nested in
    a form's value cell), or the page's edges."""
    margin = SETTINGS.cell_margin
    holders = [cell.bbox for grid in page.tables for row in grid.rows for cell in row
               if cell is not None and cell.bbox[0] <= area[0] + margin and cell.bbox[2] >= area[2] - margin
               and cell.bbox[1] <= area[1] + margin and cell.bbox[3] >= area[3] - margin
               and (cell.bbox[3] - cell.bbox[1]) > (area[3] - area[1]) + margin]
    if not holders:
        return 0.0, page.width
    smallest = min(holders, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    return smallest[0], smallest[2]


def _bold_run_in(line: TextLine) -> str | None:
    """The bold words opening a line that goes on in a regular face, or None."""
    bold = next((i for i, c in enumerate(line.chars) if not _is_bold(c)), len(line.chars))
    if bold == 0 or bold == len(line.chars):
        return None
    wanted = sum(len("".join(c.text.split())) for c in line.chars[:bold])
    seen = 0
    for end, char in enumerate(line.text):  # `chars` are the text's non-space characters
        if not char.isspace():
            seen += 1
            if seen == wanted:
                return line.text[:end + 1].strip() or None
    return None


def _is_bold(char: TextChar) -> bool:
    """Whether a glyph is set in a bold face, by its font's name (…-Bold, …,Bold, …Bold)."""
    return "bold" in char.fontname.lower()


def form_records(pages: list[PageLayout]) -> list[DetailsPage]:
    """The details records of pages printed as ruled forms."""
    reader = _FormReader()
    for page in pages:
        for event in page_to_events(page):
            reader.add(event)
    return reader.finish()


def _round_targets(rows: list[list[str | None]], record: DetailsPage) -> bool:
    """Fill `record.targets_by_round` from a round table (รอบ ๓ เดือน | รอบ ๖ เดือน … over
    their values). Whether `rows` was one; a table printed with no value fills nothing."""
    for index, row in enumerate(rows):
        rounds = {col: r for col, text in enumerate(row) if text and (r := header_round(text)) is not None}
        if len(rounds) < 2:
            continue
        below = rows[index + 1] if index + 1 < len(rows) else []
        values = {r: (below[col] or "").strip() or None if col < len(below) else None for col, r in rounds.items()}
        if any(values.values()) and not record.targets_by_round:
            record.targets_by_round = values
        return True
    return False


def _level_of(text: str | None) -> str | None:
    """The criteria level a level cell names, as a digit string."""
    level = header_level(text)
    if level is not None:
        return str(level)
    match = _GRADE_LEVEL.match(loose_key(text))
    return match.group(1) if match else None


def _vertical_levels(rows: list[list[str | None]]) -> list[tuple[str, str]]:
    """Level | text rows (ระดับคะแนน | เกณฑ์…; A (5.00) | ≤ 45)."""
    result = []
    for row in rows:
        cells = [c for c in row if c is not None]
        level = _level_of(cells[0]) if len(cells) == 2 else None
        if level is not None:
            result.append((level, (cells[1] or "").strip()))
    return result if len(result) >= 2 else []


def _horizontal_levels(rows: list[list[str | None]]) -> list[tuple[str, str]]:
    """A heading row of levels (คะแนน | 1 | 2 … | 5) over a row of their texts."""
    for index, row in enumerate(rows[:-1]):
        levels = {col: level for col, text in enumerate(row) if text and (level := _level_of(text)) is not None}
        if len(levels) >= 3:
            below = rows[index + 1]
            return [(level, (below[col] or "").strip()) for col, level in levels.items() if col < len(below)]
    return []


def _years_over_values(rows: list[list[str | None]]) -> list[tuple[str, str | None]]:
    """(year, value) pairs of a years-over-values table: the row of year headings ("2556",
    "ปี54") and, by column, the first row below with text under them."""
    for index, row in enumerate(rows):
        years = {col: year for col, text in enumerate(row)
                 if text and _YEAR_HEADING.match(loose_key(text)) and (year := header_year(text)) is not None}
        if len(years) < 2 and not (years and index + 1 < len(rows)):
            continue
        for below in rows[index + 1:]:
            values = {year: (below[col] or "").strip() if col < len(below) else "" for col, year in years.items()}
            if any(values.values()):
                return [(year, value or None) for year, value in values.items()]
    return []


def _form_baseline(event: _FormEvent, rows: list[list[str | None]], record: DetailsPage) -> None:
    """The baseline table of a form: years over values (from the grid, or from where the words
    stand when the grid lost columns), the unit under หน่วยวัด, and a value under its
    "Baseline data" heading."""
    pairs = _years_over_values(rows)
    placed = _placed_baseline(event)
    record.baseline += placed if len(placed) > len(pairs) else pairs
    for heading, value in _column_values(rows):
        if header_role(heading) == ColumnRole.unit and record.unit is None:
            record.unit = value
        elif loose_key(heading).lower().startswith("baseline"):
            number = regex.match(r"^[\d๐-๙][\d๐-๙.,]*", value.strip())
            year = regex.search(r"[(\s]([๒2][๕5][\d๐-๙]{2})\)?", value)
            if number:
                record.baseline.insert(0, (year.group(1) if year else heading, number.group(0)))


def _column_values(rows: list[list[str | None]]) -> list[tuple[str, str]]:
    """(heading, value) per column headed in the first row: the first text below the heading
    in that column (header rows spanning two lines leave the position below them None)."""
    if not rows:
        return []
    result = []
    for col, heading in enumerate(rows[0]):
        below = [text for row in rows[1:] if col < len(row) and (text := row[col]) and text.strip()]
        if heading and heading.strip() and below:
            result.append((heading.strip(), below[0].strip()))
    return result


def _placed_baseline(event: _FormEvent) -> list[tuple[str, str | None]]:
    """Years over values read from where the words of the table's area stand."""
    if event.area is None:
        return []
    lines = lines_from_chars([c for c in event.page.chars if _char_in(c, event.area)])
    found = DetailsPage(page=event.page.number, code=None, name=None)
    tables = _TextTables(event.page.spaces_kept)
    for line in lines:
        tables.add_baseline_line(line, found)
    return found.baseline
