"""Table headers read into column roles (parsers/header.py, parsers/vocabulary.py), on grids
built by hand: what each column holds is decided by its header words, never its position."""

from __future__ import annotations

from kamrap.parsers.header import read_header, repeats
from kamrap.parsers.indicator_table import parse_rows
from kamrap.parsers.layout import Cell, Grid, PageLayout
from kamrap.parsers.vocabulary import ColumnRole, form_label, header_role, loose_key

W = 60.0  # column width in points


def _grid(rows: list[list[tuple[str, int] | None]], row_height: float = 20.0, page: int = 1) -> Grid:
    """A grid from rows of (text, column span) or None (covered by a merged cell); a text
    ending in "^" spans two rows down."""
    cells: list[list[Cell | None]] = []
    for r, row in enumerate(rows):
        out: list[Cell | None] = []
        col = 0
        for item in row:
            if item is None:
                out.append(None)
                col += 1
                continue
            text, span = item
            down = 2 if text.endswith("^") else 1
            text = text.rstrip("^")
            bbox = (col * W, r * row_height, (col + span) * W, (r + down) * row_height)
            out.append(Cell(bbox, [text], text))
            out += [None] * (span - 1)
            col += span
        cells.append(out)
    width = max(len(r) for r in cells)
    return Grid(page=page, bbox=(0, 0, width * W, len(rows) * row_height), rows=cells,
                columns=[j * W for j in range(width)])


def _page(*grids: Grid, number: int = 1) -> PageLayout:
    return PageLayout(number=number, width=842, height=595, chars=[], lines=[], tables=list(grids))


def _roles(grid: Grid) -> list[tuple[str | None, int | None, str | None, str | None]]:
    header = read_header(grid)
    assert header is not None
    return [(c.role and c.role.value, c.level, c.round, c.year) for c in header.columns]


def test_unit_column_between_name_and_weight() -> None:
    grid = _grid([
        [("ตัวชี้วัด^", 1), ("หน่วยวัด^", 1), ("น้ำหนัก^", 1), ("เป้าหมาย^", 1), ("เกณฑ์การให้คะแนน", 5)],
        [None, None, None, None, ("๑", 1), ("๒", 1), ("3", 1), ("4", 1), ("๕", 1)],  # mixed digits
        [("๑.๑ ร้อยละ", 1), ("ร้อยละ", 1), ("๑๐", 1), ("๓", 1), ("๖๐", 1), ("๖๕", 1), ("๗๐", 1), ("๗๕", 1), ("๘๐", 1)],
    ])
    assert _roles(grid) == [("name", None, None, None), ("unit", None, None, None),
                            ("weight", None, None, None), ("target", None, None, None),
                            *[("criteria", level, None, None) for level in range(1, 6)]]
    (row,) = parse_rows([_page(grid)])
    assert (row.label, row.unit, row.weight, row.target) == ("๑.๑ ร้อยละ", "ร้อยละ", "๑๐", "๓")
    assert row.criteria == ["๖๐", "๖๕", "๗๐", "๗๕", "๘๐"]


def test_parent_cell_over_rounds_and_years() -> None:
    grid = _grid([
        [("ตัวชี้วัด^", 1), ("ผลการดำเนินงานย้อนหลัง", 2), ("ค่าเป้าหมาย^", 1), ("ผลการดำเนินงาน", 2)],
        [None, ("ปี ๒๕๖๒", 1), ("ปี 2563", 1), None, ("รอบ ๖ เดือน", 1), ("รอบ 12 เดือน", 1)],
        [("ความพึงพอใจ", 1), ("80", 1), ("82", 1), ("ร้อยละ 85", 1), ("84.5", 1), ("", 1)],
    ])
    assert _roles(grid) == [("name", None, None, None), ("baseline", None, None, "2562"),
                            ("baseline", None, None, "2563"), ("target", None, None, None),
                            ("result", None, "6", None), ("result", None, "12", None)]
    (row,) = parse_rows([_page(grid)])
    assert row.baseline == {"2562": "80", "2563": "82"}
    assert row.round_results == {"6": "84.5", "12": None}
    assert row.target == "ร้อยละ 85"


def test_longest_header_word_wins() -> None:
    assert header_role("กลุ่มงานที่รับผิดชอบ") == ColumnRole.responsible  # not a work group
    assert header_role("บรรลุเป้าหมาย") == ColumnRole.status  # not a target
    assert header_role("ตัวชี้วัดที่") == ColumnRole.name  # "ที่" (no.) names a code column only alone
    assert header_role("ที่") == ColumnRole.code
    assert header_role("น้าหนัก") == ColumnRole.weight  # a text layer that lost SARA AM


def test_loose_key_folds_digits_spaces_and_sara_am() -> None:
    assert loose_key("เกณฑ์เป้ำหมำย ปี ๒๕๖๔") == loose_key("เกณฑ์เป้าหมาย ปี2564")
    assert form_label("ประชำกรกลุ่มเป้ำหมำย") is not None


def test_number_column_under_two_name_headers_is_the_code() -> None:
    grid = _grid([
        [("KPI", 1), ("ตัวชี้วัด", 1), ("น้ำหนัก", 1)],
        [("1", 1), ("ร้อยละของเด็ก", 1), ("5", 1)],
        [("2", 1), ("อัตราการคลอด", 1), ("4", 1)],
    ])
    assert [r[0] for r in _roles(grid)] == ["code", "name", "weight"]


def test_weights_found_by_their_sum_when_the_header_is_unreadable() -> None:
    # a rotated header read as garbage: its numbers add up to 100 (the total row aside)
    grid = _grid([
        [("ลำดับ", 1), ("ตัวชี้วัด", 1), ("กนัหาน้", 1), ("กลุ่มงาน", 1)],
        [("1", 1), ("ก", 1), ("50", 1), ("ส่งเสริมสุขภาพ", 1)],
        [("4", 1), ("ง", 1), ("10", 1), ("ส่งเสริมสุขภาพ", 1)],
        [("2", 1), ("ข", 1), ("-", 1), ("ควบคุมโรค", 1)],
        [("3", 1), ("ค", 1), ("40", 1), ("ควบคุมโรค", 1)],
        [("", 1), ("รวม", 1), ("100", 1), ("", 1)],
    ])
    assert [r[0] for r in _roles(grid)] == ["code", "name", "weight", "responsible"]
    rows = parse_rows([_page(grid)])
    assert [(r.code, r.weight) for r in rows] == [("1", "50"), ("4", "10"), ("2", "-"), ("3", "40")]  # no total row


def test_comparison_row_under_a_merged_code_is_not_an_indicator() -> None:
    grid = _grid([
        [("ลำดับ", 1), ("ตัวชี้วัด", 1), ("ค่าเป้าหมาย", 1), ("2564", 1), ("2565", 1)],
        [("1^", 1), ("ร้อยละความพึงพอใจ", 1), (">85%", 1), ("85.9", 1), ("85.21", 1)],
        [None, ("รพ.คู่เทียบ", 1), (">90%", 1), ("86.42", 1), ("84.78", 1)],
    ])
    (row,) = parse_rows([_page(grid)])
    assert (row.code, row.target, row.year_results) == ("1", ">85%", {"2564": "85.9", "2565": "85.21"})


def test_table_continued_without_its_header_and_a_repeated_header() -> None:
    first = _grid([[("ลำดับ", 1), ("ตัวชี้วัด", 1), ("ค่าเป้าหมาย", 1), ("2564", 1)],
                   [("1", 1), ("ก", 1), ("0", 1), ("0", 1)]])
    continued = _grid([[("2", 1), ("ข", 1), ("1", 1), ("3", 1)]], page=2)
    rows = parse_rows([_page(first), _page(continued, number=2)])
    assert [(r.code, r.year_results, r.pages) for r in rows] == [
        ("1", {"2564": "0"}, [1]), ("2", {"2564": "3"}, [2])]
    again = read_header(_grid([[("ลำดับที่", 1), ("ชื่อตัวชี้วัด", 1), ("เป้าหมาย", 1), ("ปี 2564", 1)]]))
    header = read_header(first)
    assert header is not None and again is not None and repeats(header, again)


def test_agreement_row_split_by_a_page_break_never_joins_numbers() -> None:
    from kamrap.parsers.agreement import parse_rows as agreement_rows

    def page_grid(body: list[tuple[str, int]], page: int) -> Grid:
        return _grid([
            [("ตัวชี้วัด^", 1), ("น้ำหนัก^", 1), ("เกณฑ์การให้คะแนน", 5)],
            [None, None, ("1", 1), ("2", 1), ("3", 1), ("4", 1), ("5", 1)],
            body,
        ], page=page)

    first = page_grid([("๑.๑ ร้อยละของ", 1), ("1", 1), ("60", 1), ("65", 1), ("70", 1), ("75", 1), ("80", 1)], 1)
    rest = page_grid([("ผู้รับบริการ", 1), ("0", 1), ("", 1), ("", 1), ("", 1), ("", 1), ("", 1)], 2)
    (row,) = agreement_rows([_page(first), _page(rest, number=2)])
    assert row.weight == "1"  # the "0" of the next page is not appended: 10 was never printed
    assert row.label == "๑.๑ ร้อยละของผู้รับบริการ" and row.pages == [1, 2]


def test_a_repeated_header_with_a_cell_misread_is_the_header_repeated() -> None:
    """A scan's shaded weight cell read as Latin letters ("tow wun" for น้ำหนัก, the 300 dpi
    scan of variant_repeated_headers, page 3) names no role; the other columns name the first
    page's roles in place, so the table goes on under the first page's header. A header with
    a different role in a column, or as many roles all named, is not such a repeat."""
    from kamrap.parsers.header import Column, TableHeader, misread_repeat
    from kamrap.parsers.vocabulary import ColumnRole as R

    def header(*roles: R | None) -> TableHeader:
        return TableHeader(rows=2, columns=[Column((i,), role, ()) for i, role in enumerate(roles)])

    first = header(R.name, R.weight, R.target, R.criteria, R.remark)
    assert misread_repeat(header(R.name, None, R.target, R.criteria, R.remark), first)
    assert not misread_repeat(header(R.name, R.unit, R.target, R.criteria, R.remark), first)
    assert not misread_repeat(header(R.name, R.weight, R.target, R.criteria, R.remark), first)
    assert not misread_repeat(header(R.name, None, R.target, R.criteria), first)
