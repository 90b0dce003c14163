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

from kamrap.text.lines import join_lines, join_wrapped
from kamrap.parsers.agreement import cell_text
from kamrap.parsers.layout import Grid, PageLayout
from kamrap.parsers.pdftext import TextLine
from kamrap.parsers.records import DetailsPage

_TITLE = "รายละเอียดตัวชี้วัด"
_CODE = regex.compile(r"^ตัวชี้วัดที่\s*(?P<code>[\d๐-๙]+(?:\s*\.\s*[\d๐-๙]+)*)\s*:?\s*(?P<name>.*)$")
_LABEL_VALUE = regex.compile(r"^[^:]*?:\s*(?P<value>.*)$")

# Line starts (spaces removed) and the field or section they open. Order matters: longer
# labels first where one is a prefix of another.
_STARTS: list[tuple[str, str]] = [
    ("มิติ", "dimension"),
    ("วัตถุประสงค์ที่", "objective"),
    ("ตัวชี้วัดที่", "code"),
    ("หน่วยวัด", "unit"),
    ("น้ำหนัก", "weight"),
    ("คำอธิบาย", "description"),
    ("สูตรการคำนวณ", "formula"),
    ("สูตรคำนวณ", "formula"),
    ("กำหนดเกณฑ์การให้คะแนน", "criteria"),
    ("เกณฑ์การให้คะแนน", "criteria"),
    ("โดยที่", "criteria"),
    ("รายละเอียดข้อมูลพื้นฐาน", "baseline"),
    ("ข้อมูลพื้นฐาน", "baseline"),
    ("แหล่งข้อมูล", "data_source"),
    ("เงื่อนไข", "condition"),
    ("ผู้กำกับดูแลตัวชี้วัด", "supervisor"),
    ("ผู้จัดเก็บข้อมูล", "collector"),
    ("-ผู้จัดเก็บข้อมูล", "collector"),
]
# Fields holding paragraphs, where indentation marks a new paragraph; the others are a label's
# value, whose first line starts at the label.
_SECTIONS = {"description", "formula", "condition", "data_source"}
# Sections whose heading line carries no content of its own ("เกณฑ์การให้คะแนน : รายงานรอบ…").
_HEADING_ONLY = {"criteria", "baseline"}
# Fields given once, at the top of the page, by a label and its value.
_LABELS = {"dimension", "objective", "unit", "weight"}


@dataclass
class _Item:
    top: float
    line: TextLine | None = None
    grid: Grid | None = None


def _compact(text: str) -> str:
    return regex.sub(r"\s+", "", text)


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
            result.append((cells[0], cells[1] or ""))
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
# The first heading of a two-column criteria table: ระดับคะแนน (score level), ขั้นตอน… (step);
# the second names the criteria: เกณฑ์… (criteria), กิจกรรม (activity), รายละเอียด (details).
_LEVEL_HEADING = regex.compile(r"^(?:ระดับ|คะแนน|ขั้นตอน)\S*$")
_CRITERIA_HEADING = ("เกณฑ์", "กิจกรรม", "รายละเอียด")
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
            self.cut = x0s[1] - 1.0 if self.cut is None else self.cut
            self.levels.append((words[0], [line.text[len(words[0]):].lstrip()]))
            return True
        if self.levels and self.cut is not None and line.x0 >= self.cut - 2.0:
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
    """Every details page in the document, in order."""
    records: list[DetailsPage] = []
    builder: _Builder | None = None
    for page in pages:
        for item in _items(page):
            if item.line is not None and _compact(item.line.text).startswith(_TITLE):
                if builder is not None:
                    records.append(builder.finish())
                builder = _Builder(page.number, page.spaces_kept)
                continue
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
