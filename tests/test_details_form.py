"""Details pages printed as ruled label | value forms (`kamrap.parsers.details.parse_details`).

The real document is the Ministry of Public Health KPI template (8 indicators over 20 pages,
each a 2-column ruled form over 1–5 pages). Expected values are read off its truth file and
the rendered pages, not off the parser's output. Its text layer swaps า/ำ and loses ำ in
places (being repaired elsewhere), so names and texts are compared with ำ read as า and
without spaces.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex

from conftest import once_per_run, pages_once
from kamrap.parsers.details import parse_details
from kamrap.parsers.layout import Cell, Grid, PageLayout
from kamrap.parsers.records import DetailsPage

REAL = Path(__file__).parent / "fixtures" / "real_kpi"
PDF = REAL / "moph_kpi_template_2559_p1-20.pdf"
TRUTH = REAL / "moph_kpi_template_2559_p1-20.truth.json"
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def fold(text: str | None) -> str:
    """Text compared across the damaged and the repaired text layer: ำ as า, no spaces,
    Arabic digits."""
    text = (text or "").translate(_THAI_DIGITS).replace("\u0e4d\u0e32", "\u0e32").replace("\u0e33", "\u0e32")
    return regex.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[DetailsPage]:
    """Read once per run (conftest.once_per_run: one xdist worker reads, the others unpickle),
    from the pages test_forms parses too (conftest.pages_once)."""
    return once_per_run(tmp_path_factory, "details-form-moph",
                        lambda folder: parse_details(pages_once(tmp_path_factory, PDF)))


@pytest.fixture(scope="module")
def truth() -> list[dict]:
    return json.loads(TRUTH.read_text(encoding="utf-8"))["indicators"]


def test_one_form_record_per_indicator(records: list[DetailsPage], truth: list[dict]) -> None:
    assert [r.code for r in records] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert [fold(r.name) for r in records] == [fold(t["name"]) for t in truth]
    assert all(r.method == "form" for r in records)
    # each starts on the page its ตัวชี้วัด row is printed on (truth pages)
    assert [r.page for r in records] == [1, 3, 5, 8, 10, 12, 17, 20]


def test_units_and_targets(records: list[DetailsPage], truth: list[dict]) -> None:
    assert [fold(r.unit) for r in records] == [fold(t["unit"]) for t in truth]
    assert [fold(r.target) for r in records] == [fold(t["target"]) for t in truth]


def test_targets_by_round(records: list[DetailsPage]) -> None:
    # the เกณฑ์การประเมิน round tables of indicators 1 and 2 (pages 1 and 3)
    assert records[0].targets_by_round == {"3": "-", "6": "-", "9": "-", "12": "ไม่เกิน 15 ต่อการเกิดมีชีพแสนคน"}
    assert records[1].targets_by_round == {"3": "-", "6": "ร้อยละ 85", "9": "-", "12": "ร้อยละ 85"}
    # printed with empty value cells (indicator 4): no targets
    assert records[3].targets_by_round == {}


def test_baseline_years_and_values(records: list[DetailsPage]) -> None:
    assert records[0].baseline == [("2556", "22.2"), ("2557", "23.3"), ("2558", "11.83")]
    # years need not follow each other (2557 is not printed), "-" kept as printed
    assert records[1].baseline == [("2555", "67.7"), ("2556", "-"), ("2558", "72.5")]
    # indicator 5's inner grid lost its last column: the words under 2557 still give it
    assert ("2557", "47.9") in records[4].baseline


def test_fields_of_indicator_1(records: list[DetailsPage], truth: list[dict]) -> None:
    record, details = records[0], truth[0]["details"]
    for field in ("target_population", "data_collection", "data_source", "evaluation_period",
                  "evaluation_method", "formula"):
        assert fold(getattr(record, field)) == fold(details[field]), field
    assert fold(record.description) == fold(details["definition"])
    assert fold(record.responsible) == fold(truth[0]["responsible"])


def test_data_items_one_entry_each(records: list[DetailsPage], truth: list[dict]) -> None:
    assert [len(r.data_items) for r in records] == [len(t["details"]["data_items"]) for t in truth]
    assert [fold(i) for i in records[2].data_items] == [fold(i) for i in truth[2]["details"]["data_items"]]


def test_fields_hold_no_folio_or_page_text(records: list[DetailsPage]) -> None:
    """The folios 41–60 at the foot of each page, and the narrative plan printed after
    indicator 6 (pages 15–16, outside any form), are no field's text."""
    for record in records:
        for name, value in vars(record).items():
            if isinstance(value, str):
                assert not regex.search(r"(?:^|\s)(?:4[1-9]|5\d|60)\s*$", value), (record.code, name)
                assert "แผนงานควบคุมการบริโภค" not in value, (record.code, name)
    assert records[5].pages == [12, 13, 14]


def test_a_field_continued_on_the_next_page(records: list[DetailsPage]) -> None:
    # indicator 4's responsible cell runs from page 8 to page 9 under an empty label cell
    assert "นางสาวส้ม" in (records[3].responsible or "")
    assert records[3].pages == [8, 9]


def test_criteria_tables(records: list[DetailsPage]) -> None:
    # indicator 4: a level row (คะแนน | 1 … 5) over a row of thresholds
    assert [level for level, _ in records[3].milestones] == ["1", "2", "3", "4", "5"]
    assert records[3].milestones[0][1] == ">7.4"
    # indicator 5: two grade tables (A (5.00) … E (1.00)); the second one is a later table
    assert [level for level, _ in records[4].milestones] == ["5", "4", "3", "2", "1"]
    assert [level for _, level, _ in records[4].round_milestones] == ["5", "4", "3", "2", "1"]


# -- synthetic forms ---------------------------------------------------------------------------
def _cell(x0: float, top: float, x1: float, bottom: float, *lines: str) -> Cell:
    return Cell((x0, top, x1, bottom), list(lines), " ".join(lines))


def _page(rows: list[list[Cell | None]], number: int = 1) -> PageLayout:
    grid = Grid(page=number, bbox=(50, 50, 550, 50 + 30 * len(rows)), rows=rows, columns=[50, 200])
    return PageLayout(number=number, width=600, height=800, chars=[], lines=[], tables=[grid])


def _row(top: float, label: str, *value: str) -> list[Cell | None]:
    height = 15 * max(1, len(value), len(label.split("\n")))
    return [_cell(50, top, 200, top + height, *label.split("\n")), _cell(200, top, 550, top + height, *value)]


def test_stacked_labels_beside_stacked_values() -> None:
    """Labels stacked in one cell and their values stacked in the next, paired line by line."""
    page = _page([
        _row(50, "ตัวชี้วัดที่ 2.1", "ร้อยละของงานที่สำเร็จ"),
        _row(80, "หน่วยวัด\nน้ำหนัก", "ร้อยละ", "10"),
        _row(120, "คำอธิบาย", "งานที่สำเร็จตามแผน"),
    ])
    [record] = parse_details([page])
    assert (record.code, record.name, record.method) == ("2.1", "ร้อยละของงานที่สำเร็จ", "form")
    assert (record.unit, record.weight, record.description) == ("ร้อยละ", "10", "งานที่สำเร็จตามแผน")


def test_one_label_wrapped_over_two_lines_is_not_stacked() -> None:
    page = _page([
        _row(50, "ตัวชี้วัด", "3. อัตราการตาย"),
        _row(80, "ผู้ให้ข้อมูลทางวิชาการ /\nผู้ประสานงานตัวชี้วัด", "นายหนึ่ง", "นางสอง"),
    ])
    [record] = parse_details([page])
    assert (record.code, record.name, record.responsible) == ("3", "อัตราการตาย", "นายหนึ่ง นางสอง")


def test_damaged_labels_and_a_row_continued_on_the_next_page() -> None:
    first = _page([
        _row(50, "ตัวชี้วัด", "1. อัตราส่วนการตาย"),
        _row(80, "เกณฑ์เป้ำหมำย", "ไม่เกิน 15"),  # SARA AM for SARA AA, as the damaged layer reads
        _row(110, "แหล่งข้อมูล", "ฐานข้อมูลการตาย"),
    ])
    second = _page([[_cell(50, 50, 200, 65, ""), _cell(200, 50, 550, 65, "กระทรวงมหาดไทย")],
                    _row(65, "ระยะเวลาประเมินผล", "ทุก 3 เดือน")], number=2)
    [record] = parse_details([first, second])
    assert record.target == "ไม่เกิน 15"
    # the page break is a line wrap: whether it stood for a space is join_wrapped's call
    assert fold(record.data_source) == fold("ฐานข้อมูลการตาย กระทรวงมหาดไทย")
    assert record.evaluation_period == "ทุก 3 เดือน"
    assert record.pages == [1, 2]
