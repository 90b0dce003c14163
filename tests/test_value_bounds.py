"""Values with bounds (issue 12): every number read from a page is checked where it is read —
finite, storable in SQLite, and in range for weights (0–100), levels (1–5) and Buddhist-era
years (2400–2700); anything else is a `value_out_of_range` finding naming page, row, column and
the printed text, and the value is stored as null. Then property tests feed the number and
text normalisers arbitrary Thai, Arabic and other Unicode text.

Expected values are worked out by hand from the printed strings."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kamrap.normalize.canonical import to_export
from kamrap.normalize.values import (
    BOUNDS,
    arabic_digits,
    buddhist_year,
    cell_value,
    criteria_value,
    indicator_code,
    parse_number,
    parse_percent,
    parse_score,
    target_value,
    unit_of,
    value_problem,
)
from kamrap.parsers.records import DetailsPage, Grouping, IndicatorRow, ParsedDocument, SummaryRow, SummaryTable
from kamrap.schema.models import FindingKind
from kamrap.schema.store import Store
from kamrap.text.thai import collapse_ws, repair_thai

GROUP = Grouping("มิติภายนอก", None, None)
HUGE = "99999999999999999999"  # 20 digits: past SQLite's 64-bit integers (19 digits)


def _row(label: str, weight: str | None, **fields: object) -> IndicatorRow:
    return IndicatorRow(label=label, grouping=GROUP, weight=weight, target="๓",
                        criteria=["๑", "๒", "๓", "๔", "๕"], pages=[4], **fields)


def _agreement(*rows: IndicatorRow, year: str = "๒๕๖๔", **fields: object) -> ParsedDocument:
    return ParsedDocument(kind="agreement", page_count=9, organization="กองทดสอบ", fiscal_year=year,
                          rows=list(rows), **fields)


def _out_of_range(export) -> list:
    return [f for f in export.findings if f.kind == FindingKind.value_out_of_range]


def test_a_negative_weight_is_a_finding_and_stored_as_null() -> None:
    export = to_export(_agreement(_row("๑.๑ ก", "-50"), _row("๑.๒ ข", "50"), _row("๑.๓ ค", "100")),
                       file="x.pdf", sha256="")
    assert [i.weight for i in export.indicators] == [None, 50, 100]
    (finding,) = _out_of_range(export)
    assert (finding.page, finding.code, finding.actual, finding.expected) == (4, "1.1", "-50", "0–100")
    assert finding.message == ("page 4 row 1 (๑.๑ ก), column weight: '-50' is outside 0–100 for a "
                               "weight; stored as null")
    # 50 + 100 without the unreadable weight: the sum is not reported as 150
    assert [f.kind for f in export.findings if f.kind.startswith("weight_sum")] == ["weight_sum_unchecked"]


def test_abc_beside_two_fifties_is_a_finding() -> None:
    export = to_export(_agreement(_row("๑.๑ ก", "abc"), _row("๑.๒ ข", "๕๐"), _row("๑.๓ ค", "๕๐")),
                       file="x.pdf", sha256="")
    assert [i.weight for i in export.indicators] == [None, 50, 50]
    (unparsed,) = [f for f in export.findings if f.kind == FindingKind.unparsed_value]
    assert (unparsed.page, unparsed.code, unparsed.actual) == (4, "1.1", "abc")
    assert "row 1" in unparsed.message and "column weight" in unparsed.message


def test_a_huge_weight_is_a_finding_and_the_document_stores(tmp_path: Path) -> None:
    """The issue's `OverflowError: Python int too large to convert to SQLite INTEGER`."""
    row = _row("๑.๑ ก", HUGE, budget={"งปม.": "1" + "0" * 30}, year_results={"2564": "9" * 400 + ".5"})
    export = to_export(_agreement(row, _row("๑.๒ ข", "๑๐๐")), file="x.pdf", sha256="0" * 64)
    first = export.indicators[0]
    assert (first.weight, first.budget, first.results_by_year) == (None, {"งปม.": None}, {"2564": None})
    columns = sorted(f.message.split("column ")[1].split(":")[0] for f in _out_of_range(export))
    assert columns == ["budget งปม.", "result 2564", "weight"]
    assert all("too large a number to store" in f.message for f in _out_of_range(export))
    with Store(tmp_path / "k.db") as store:
        document_id = store.save("/x.pdf", export)
        assert store.load_export(document_id) == export


def test_years_outside_the_buddhist_era_range_are_findings() -> None:
    row = _row("๑.๑ ก", "๑๐๐", baseline={"๒๕๖๒": "๘๐", "๙๙๙๙": "๙๐"})
    export = to_export(_agreement(row, year="พ.ศ. ๓๐๐๐"), file="x.pdf", sha256="")
    assert export.document.fiscal_year is None
    assert [(b.fiscal_year, b.value) for b in export.indicators[0].baseline] == [(2562, 80)]
    found = sorted((f.actual, f.expected) for f in _out_of_range(export))
    assert found == [("พ.ศ. ๓๐๐๐", "2400–2700"), ("๙๙๙๙", "2400–2700")]


def test_a_milestone_level_outside_1_to_5_is_a_finding() -> None:
    page = DetailsPage(page=7, code="๑.๑", name="ก", milestones=[("๑", "เริ่ม"), ("๗", "เกิน")], pages=[7])
    export = to_export(ParsedDocument(kind="indicator_details", page_count=9, organization=None,
                                      fiscal_year=None, details=[page]), file="x.pdf", sha256="")
    assert [m.level for m in export.indicators[0].details.milestones] == [1]
    (finding,) = _out_of_range(export)
    assert (finding.page, finding.actual, finding.expected) == (7, "๗", "1–5")
    assert "column milestone level" in finding.message


def test_summary_numbers_are_bounded() -> None:
    table = SummaryTable(organization="กอง", fiscal_year="๒๕๖๓", pages=[2], rows=[
        SummaryRow(code="๑", name="ก", score="๔", weight="๑๕๐", pages=[2]),
        SummaryRow(code="๒", name="ข", score=HUGE, weight="๕๐", pages=[2])])
    export = to_export(ParsedDocument(kind="score_summary", page_count=2, organization=None,
                                      fiscal_year=None, summaries=[table]), file="x.pdf", sha256="")
    rows = export.score_summaries[0].rows
    assert [(r.score, r.weight) for r in rows] == [(4, None), (None, 50)]
    assert sorted(f.actual for f in _out_of_range(export)) == [HUGE, "๑๕๐"]


def test_value_problem() -> None:
    assert value_problem(2**63 - 1) is None
    assert value_problem(2**63) == "too large a number to store (over a 64-bit integer)"
    assert value_problem(math.inf) == "too large a number to store"
    assert value_problem(math.nan) == "not a number"
    assert value_problem(0, BOUNDS.level) == "outside 1–5 for a level"
    assert value_problem(2564, BOUNDS.fiscal_year) is None


# -- properties -------------------------------------------------------------------------------
THAI = [chr(c) for c in range(0x0E01, 0x0E5C) if c not in range(0x0E3B, 0x0E3F)]
PIECES = THAI + list("0123456789 ,.-+%:<>≤≥/()\u00a0\n") + ["ร้อยละ ", "ไม่เกิน ", "๑๒๓", "1,000", "-"]
PRINTED = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
ANY_TEXT = st.one_of(PRINTED, st.text())  # and any Unicode at all
NUMBER_READERS = (parse_number, parse_percent, criteria_value, target_value, parse_score, cell_value)


def _storable(value: object) -> bool:
    with sqlite3.connect(":memory:") as conn:
        conn.execute("CREATE TABLE t (v)")
        conn.execute("INSERT INTO t VALUES (?)", [value])
        return conn.execute("SELECT v FROM t").fetchone()[0] == value


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_number_readers_never_raise_and_return_numbers(text: str) -> None:
    for read in NUMBER_READERS:
        value = read(text)
        assert value is None or type(value) in (int, float, str), (read, text, value)
        if type(value) in (int, float) and value_problem(value) is None:
            assert _storable(value), (read, text, value)  # what passes the check fits SQLite
    year = buddhist_year(text)
    assert year is None or isinstance(year, int) and 0 <= year <= 9999
    code = indicator_code(text)
    assert code is None or code == arabic_digits(code) and not any(c.isspace() for c in code)
    unit = unit_of(text)
    assert unit is None or unit == collapse_ws(unit) != ""


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**30), st.booleans(), st.booleans())
def test_integers_read_the_same_in_thai_and_arabic_digits(number: int, thai: bool, grouped: bool) -> None:
    printed = f"{number:,}" if grouped else str(number)
    if thai:
        printed = printed.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert parse_number(printed) == number  # exactly, however long
    assert parse_percent(f"ร้อยละ {printed}") == number
    assert (value_problem(number) is None) == (number <= 2**63 - 1)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_text_normalisers_are_total_and_stable(text: str) -> None:
    collapsed = collapse_ws(text)
    assert collapse_ws(collapsed) == collapsed
    assert "  " not in collapsed and collapsed == collapsed.strip()
    value = cell_value(text)
    assert value is None or not isinstance(value, str) or value == collapsed
    repaired = repair_thai(text)
    assert isinstance(repaired, str)
