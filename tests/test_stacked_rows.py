"""A ruled row that stacks several indicators one line each (the real scanned action plan in
tests/fixtures/real_kpi prints a project's three indicators so: page 5, read off the page)."""

from __future__ import annotations

from kamrap.parsers.header import read_header
from kamrap.parsers.indicator_table import stacked_rows
from kamrap.parsers.layout import Cell, Grid


def _cell(x0: float, *lines: str) -> Cell:
    return Cell((x0, 0.0, x0 + 50.0, 60.0), list(lines), " ".join(lines))


def _grid(body: list[Cell | None]) -> Grid:
    header = [_cell(0, "โครงการ"), _cell(50, "ตัวชี้วัด"), _cell(100, "เป้าหมาย"),
              _cell(150, "ผลการดำเนินงาน"), _cell(200, "สรุปสถานะ"), _cell(250, "ผู้ประสานงาน")]
    return Grid(page=1, bbox=(0.0, 0.0, 300.0, 120.0), rows=[header, body])


def test_three_indicators_in_one_row_are_three_rows() -> None:
    body = [_cell(0, "โครงการฝึกอบรมเชิงปฏิบัติการ"),
            _cell(50, "ความพึงพอใจ", "ความรู้ความเข้าใจ", "จำนวนผู้เข้ารับการอบรม"),
            _cell(100, "ร้อยละ 80", "ร้อยละ 80", "400 คน"),
            _cell(150, "ร้อยละ 92.27", "ร้อยละ 85.20", "407 คน"),
            _cell(200, "บรรลุเป้า", "บรรลุเป้า", "บรรลุเป้า"),
            _cell(250, "ศูนย์เทคโนโลยีการศึกษา")]
    grid = _grid(body)
    header = read_header(grid)
    assert header is not None
    rows = stacked_rows(grid.rows[1], header)
    assert [[c.text if c else None for c in row] for row in rows] == [
        ["โครงการฝึกอบรมเชิงปฏิบัติการ", "ความพึงพอใจ", "ร้อยละ 80", "ร้อยละ 92.27", "บรรลุเป้า",
         "ศูนย์เทคโนโลยีการศึกษา"],
        ["", "ความรู้ความเข้าใจ", "ร้อยละ 80", "ร้อยละ 85.20", "บรรลุเป้า", ""],
        ["", "จำนวนผู้เข้ารับการอบรม", "400 คน", "407 คน", "บรรลุเป้า", ""],
    ]


def test_a_wrapped_name_or_target_is_one_row() -> None:
    wrapped_name = [_cell(0, "โครงการ"), _cell(50, "ร้อยละความสำเร็จของการ", "ดำเนินงานตามแผน"),
                    _cell(100, "ร้อยละ 80"), _cell(150, "ร้อยละ 85"), _cell(200, "บรรลุเป้า"), _cell(250, "")]
    wrapped_target = [_cell(0, "โครงการ"), _cell(50, "ความพึงพอใจ", "ของผู้รับบริการ"),
                      _cell(100, "ร้อยละ", "80"), _cell(150, "ร้อยละ", "85"),
                      _cell(200, "บรรลุ", "เป้า"), _cell(250, "")]
    for body in (wrapped_name, wrapped_target):
        grid = _grid(body)
        header = read_header(grid)
        assert header is not None
        assert stacked_rows(grid.rows[1], header) == [grid.rows[1]]
