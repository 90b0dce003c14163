"""Score summaries (seed 002): parsing the sample PDF, reproducing the six printed totals, and the
verifier on altered copies of the parsed records (a total off by 0.01, weights summing to 98, a
footnote naming a row that does not exist, …) and against an agreement."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from conftest import SAMPLES, once_per_run
from kamrap.normalize.canonical import to_export
from kamrap.normalize.scoring import summary_total
from kamrap.normalize.transfers import footnote_transfer, footnote_transfers
from kamrap.normalize.verify import verify_documents
from kamrap.parsers import ParsedDocument, parse_pdf
from kamrap.parsers.records import SummaryTable
from kamrap.schema.models import Document, Export, Finding, Indicator, ScoreSummary

FILE = "score_summary_led_2563.pdf"
HR = "กองบริหารทรัพยากรบุคคล"
# The printed totals, each checked by hand as Σ(score × weight) / Σ(weight) over the scored rows.
TOTALS = {
    "สำนักงานเลขาธิการกรม": ("5.0000", 500, 100),
    "กองพัฒนาระบบการบังคับคดีและประเมินราคาทรัพย์สิน": ("5.0000", 500, 100),
    HR: ("4.5500", 455, 100),
    "กองติดตามและเฉลี่ยทรัพย์สินในคดีล้มละลาย": ("5.0000", 500, 100),
    "กองบริหารการคลัง": ("4.8000", 480, 100),
    "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร": ("4.9000", 490, 100),
}


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> ParsedDocument:
    """Parsed once per run (conftest.once_per_run: one xdist worker parses, the others read)."""
    return once_per_run(tmp_path_factory, "score-summary-led", lambda folder: parse_pdf(SAMPLES / FILE))


@pytest.fixture(scope="module")
def export(parsed: ParsedDocument) -> Export:
    return to_export(parsed, file=FILE, sha256="")


def _table(parsed: ParsedDocument, unit: str) -> SummaryTable:
    return next(t for t in parsed.summaries if t.organization == unit)


def _summary(export: Export, unit: str) -> ScoreSummary:
    return next(s for s in export.score_summaries if s.organization == unit)


def _altered(parsed: ParsedDocument, change) -> list[Finding]:
    """The findings of a copy of the parsed sample after `change(copy)`."""
    altered = copy.deepcopy(parsed)
    change(altered)
    return to_export(altered, file=FILE, sha256="").findings


def _errors(findings: list[Finding]) -> list[tuple]:
    return [(f.kind, f.code, f.expected, f.actual) for f in findings if f.severity == "error"]


# -- the untouched sample --------------------------------------------------------------------------
def test_six_units_in_order(parsed: ParsedDocument) -> None:
    assert parsed.kind == "score_summary"
    assert [t.organization for t in parsed.summaries] == list(TOTALS)
    assert [len(t.rows) for t in parsed.summaries] == [21, 16, 18, 17, 18, 17]
    assert parsed.organization is None  # six units: no single organization


@pytest.mark.parametrize("unit", TOTALS)
def test_totals_reproduced_exactly_from_the_parsed_rows(export: Export, unit: str) -> None:
    printed, products, weights = TOTALS[unit]
    summary = _summary(export, unit)
    scored = [r for r in summary.rows if r.status == "scored"]
    assert sum(Decimal(str(r.score)) * r.weight for r in scored) == products
    assert sum(r.weight for r in scored) == weights
    total = summary_total(summary)
    assert (total.score, total.weight) == (Decimal(printed), Decimal(weights))
    assert Decimal(str(summary.reported_total.score)).quantize(Decimal("0.0001")) == Decimal(printed)


def test_untouched_sample_has_no_findings(export: Export) -> None:
    assert export.findings == []


def test_deferred_rows_keep_their_reason(export: Export) -> None:
    hr = {r.code: r for r in _summary(export, HR).rows}
    assert (hr["2.4"].status, hr["2.4"].status_text, hr["2.4"].weight) == ("deferred", "สำรวจปีละ๑ครั้ง", None)
    assert (hr["7.2"].status, hr["7.2"].score, hr["7.2"].weight) == ("scored", 4, 2)


def test_row_split_by_a_page_break(parsed: ParsedDocument) -> None:
    # กองบริหารการคลัง 7.1: "…เป็นหน่วยงาน | มาตรฐาน" and "รายงานรอบ ๑๒ | เดือน" on two pages.
    row = next(r for r in _table(parsed, "กองบริหารการคลัง").rows if r.code == "๗.๑")
    assert (row.name, row.score, len(row.pages)) == (
        "ระดับความสำเร็จการเสนอขอรับรองเป็นหน่วยงานมาตรฐาน", "รายงานรอบ ๑๒ เดือน", 2)


def test_footnotes_become_transfers(export: Export) -> None:
    hr = _summary(export, HR).weight_transfers
    assert [(t.from_code, t.to_codes, t.weight, t.amounts) for t in hr] == [
        ("2.4", ["2.2", "2.3"], 10, [5, 5]), ("7.1", ["6.1"], 2, [])]
    # กองติดตามฯ: "จะนำ | หน้าหลัก 2" (หน้าหลัก for น้ำหนัก), wrapped.
    bankrupt = _summary(export, "กองติดตามและเฉลี่ยทรัพย์สินในคดีล้มละลาย").weight_transfers
    assert [(t.from_code, t.to_codes, t.weight) for t in bankrupt] == [("7.1", ["6.1"], 2), ("7.2", ["6.2"], 2)]


# -- altered copies ----------------------------------------------------------------------------------
def test_total_off_by_a_hundredth(parsed: ParsedDocument) -> None:
    def change(doc: ParsedDocument) -> None:
        _table(doc, HR).total_score = "๔.๕๖๐๐"

    assert _errors(_altered(parsed, change)) == [("total_mismatch", None, 4.55, 4.56)]


def test_total_within_the_tolerance_passes(parsed: ParsedDocument) -> None:
    def change(doc: ParsedDocument) -> None:
        _table(doc, HR).total_score = "4.55004"  # |4.55004 − 4.5500| = 0.00004 ≤ 0.00005

    assert _errors(_altered(parsed, change)) == []


def test_weights_summing_to_98(parsed: ParsedDocument) -> None:
    def change(doc: ParsedDocument) -> None:
        row = next(r for r in _table(doc, HR).rows if r.code == "๒.๑")
        row.weight = "๘"  # 10 → 8: the scored weights now sum to 98

    errors = _errors(_altered(parsed, change))
    assert ("weight_sum_not_100", None, 100, 98) in errors
    # and the printed total no longer matches: (455 − 2 × 4) / 98 = 447 / 98 = 4.56122… → 4.5612
    assert ("total_mismatch", None, 4.5612, 4.55) in errors


def test_footnote_moving_weight_to_a_missing_row(parsed: ParsedDocument) -> None:
    def change(doc: ParsedDocument) -> None:
        note = _table(doc, HR).footnotes[0]
        note.text = note.text.replace("ใส่ไว้ในข้อ 2.3", "ใส่ไว้ในข้อ 2.9")

    assert _errors(_altered(parsed, change)) == [("weight_transfer_mismatch", "2.9", "2.9", None)]


def test_footnote_moving_weight_from_a_scored_row(parsed: ParsedDocument) -> None:
    def change(doc: ParsedDocument) -> None:
        note = _table(doc, HR).footnotes[1]
        note.text = note.text.replace("ข้อ 7.1", "ข้อ 7.2", 1)

    errors = _errors(_altered(parsed, change))
    assert ("weight_transfer_mismatch", "7.2", "deferred", "scored") in errors


def test_footnote_sharing_out_less_than_it_moves(parsed: ParsedDocument) -> None:
    def change(doc: ParsedDocument) -> None:
        note = _table(doc, HR).footnotes[0]
        note.text = note.text.replace("(5) และ", "(4) และ")

    assert _errors(_altered(parsed, change)) == [("weight_transfer_mismatch", "2.4", 10, 9)]


def test_score_out_of_range_and_missing_weight(parsed: ParsedDocument) -> None:
    def change(doc: ParsedDocument) -> None:
        rows = {r.code: r for r in _table(doc, HR).rows}
        rows["๒.๕"].score = "๕.๕๐๐๐"
        rows["๕.๑"].weight = ""

    errors = _errors(_altered(parsed, change))
    assert ("score_out_of_range", "2.5", "0–5", 5.5) in errors
    assert ("score_out_of_range", "5.1", "a weight", None) in errors


def test_findings_say_where(parsed: ParsedDocument) -> None:
    def change(doc: ParsedDocument) -> None:
        _table(doc, HR).total_score = "๔.๕๖๐๐"

    (finding,) = _altered(parsed, change)
    table = _table(parsed, HR)
    assert (finding.organization, finding.page) == (HR, table.total_page)
    assert finding.message.startswith(f"{FILE} p.{table.total_page}, {HR}: printed total 4.56")


def test_deferred_row_without_footnote_is_a_warning(parsed: ParsedDocument) -> None:
    def change(doc: ParsedDocument) -> None:
        del _table(doc, HR).footnotes[1]  # nothing says where 7.1's weight went

    (finding,) = _altered(parsed, change)
    assert (finding.kind, finding.severity, finding.code) == ("weight_transfer_mismatch", "warning", "7.1")


# -- footnote text -----------------------------------------------------------------------------------
def test_footnote_with_typo_thai_digits_and_wraps() -> None:
    text = "ตัวชี้วัด ข้อ ๗.๑ ระดับความสำเร็จการเสนอขอรับรอง จะนำ\nหน้าหลัก ๒ ใส่ไว้ใน\nข้อ ๖.๑ ร้อยละของข้อมูล"
    transfer = footnote_transfer(text)
    assert (transfer.from_code, transfer.to_codes, transfer.weight, transfer.amounts) == ("7.1", ["6.1"], 2, [])
    assert transfer.text == "ตัวชี้วัด ข้อ ๗.๑ ระดับความสำเร็จการเสนอขอรับรอง จะนำ หน้าหลัก ๒ ใส่ไว้ใน ข้อ ๖.๑ ร้อยละของข้อมูล"
    # A wrap inside the word น้ำ|หนัก, and the amounts in brackets.
    wrapped = footnote_transfer("ตัวชี้วัด ข้อ 2.4 ระดับคะแนน จะนำน้ำ\nหนัก 10 ใส่ไว้ในข้อ 2.2 ร้อยละของผู้รับ"
                                "บริการที่มีข้อร้องเรียน (5) และนำไปใส่ไว้ในข้อ 2.3 ร้อยละ (๕)")
    assert (wrapped.weight, wrapped.to_codes, wrapped.amounts) == (10, ["2.2", "2.3"], [5, 5])


def test_footnotes_that_move_nothing() -> None:
    assert footnote_transfer("หมายเหตุ ตัวชี้วัดนี้รายงานรอบ ๑๒ เดือน") is None
    assert footnote_transfers("ตัวชี้วัด ข้อ 7.1 ระดับความสำเร็จ ไม่มีการประเมิน") == []


def test_two_footnotes_in_one_paragraph() -> None:
    text = ("ตัวชี้วัด ข้อ 7.1 ก จะนำน้ำหนัก 2 ใส่ไว้ในข้อ 6.1 ข "
            "ตัวชี้วัด ข้อ 7.2 ค จะนำน้ำหนัก 2 ใส่ไว้ในข้อ 6.2 ง")
    assert [(t.from_code, t.to_codes) for t in footnote_transfers(text)] == [("7.1", ["6.1"]), ("7.2", ["6.2"])]


# -- against the unit's agreement --------------------------------------------------------------------
def _hr_agreement(export: Export, **weights: int) -> Export:
    """An agreement of กองบริหารทรัพยากรบุคคล FY 2563 with the summary's indicators and names,
    weighted as before the footnotes moved anything (2.4: 10, 7.1: 2; 2.2 and 2.3: 5, 6.1: 3),
    with `weights` ("2_2"=…) changed."""
    agreed = {"2.2": 5, "2.3": 5, "6.1": 3, "2.4": 10, "7.1": 2}
    agreed |= {code.replace("_", "."): w for code, w in weights.items()}
    indicators = [Indicator(code=r.code, name=r.name, weight=agreed.get(r.code, r.weight))
                  for r in _summary(export, HR).rows]
    document = Document(file="agreement_hr_2563.pdf", sha256="", page_count=1, kind="agreement",
                        organization=HR, fiscal_year=2563)
    return Export(document=document, indicators=indicators)


def test_summary_agrees_with_its_agreement(export: Export) -> None:
    assert sum(i.weight for i in _hr_agreement(export).indicators) == 100
    assert verify_documents([export, _hr_agreement(export)]) == []


def test_footnote_moving_other_than_the_agreed_weight(export: Export) -> None:
    # The agreement gives 2.4 a weight of 8, but the footnote moves 10.
    findings = verify_documents([export, _hr_agreement(export, **{"2_4": 8, "1_1": 12})])
    assert _errors(findings) == [("weight_transfer_mismatch", "2.4", 8, 10),
                                 ("summary_agreement_mismatch", "1.1", 12, 10)]


def test_receiving_row_that_does_not_add_up(export: Export) -> None:
    # 6.1 agreed at 4: 4 + 2 moved from 7.1 = 6, but the summary prints 5.
    findings = verify_documents([export, _hr_agreement(export, **{"6_1": 4})])
    assert _errors(findings) == [("weight_transfer_mismatch", "6.1", 6, 5)]


def test_indicators_missing_on_either_side(export: Export) -> None:
    agreement = _hr_agreement(export)
    agreement.indicators = [i for i in agreement.indicators if i.code != "4.6"]
    agreement.indicators.append(Indicator(code="8.1", name="ตัวชี้วัดใหม่", weight=0))
    findings = verify_documents([export, agreement])
    assert sorted(_errors(findings), key=str) == [
        ("missing_indicator", "4.6", None, "4.6"), ("missing_indicator", "8.1", "8.1", None)]


def test_names_that_differ_are_a_warning(export: Export) -> None:
    agreement = _hr_agreement(export)
    agreement.indicators[0].name = "ร้อยละความพึงพอใจของผู้รับบริการของกอง"
    (finding,) = verify_documents([export, agreement])
    assert (finding.kind, finding.severity, finding.code) == ("summary_agreement_mismatch", "warning", "1.1")


def test_other_units_and_years_are_not_compared(export: Export) -> None:
    agreement = _hr_agreement(export, **{"2_4": 8})
    agreement.document.fiscal_year = 2564
    assert verify_documents([export, agreement]) == []


# -- where each part is printed -------------------------------------------------------------------
def test_rows_total_and_footnotes_carry_their_page(export: Export) -> None:
    # Read off the rendered sample: กองบริหารทรัพยากรบุคคล's table starts on page 7 and ends
    # on page 8 with row ๗.๒ and the total row; its two footnotes (2.4 and 7.1) are on page 9.
    hr = _summary(export, HR)
    pages = {row.code: row.page for row in hr.rows}
    assert (pages["1.1"], pages["6.2"], pages["7.1"], pages["7.2"]) == (7, 7, 7, 8)
    assert hr.reported_total_page == 8
    assert [(t.from_code, t.page) for t in hr.weight_transfers] == [("2.4", 9), ("7.1", 9)]


def test_findings_after_a_store_round_trip_name_the_same_pages(export: Export, tmp_path) -> None:
    from kamrap.schema.store import Store

    agreement = _hr_agreement(export, **{"2_4": 8, "7_2": 3})  # 2.4's footnote and 7.2's row
    direct = verify_documents([export, agreement])
    with Store(tmp_path / "k.db") as store:
        loaded = store.load_export(store.save("/x/" + FILE, export))
    assert [(f.code, f.page) for f in direct] == [("2.4", 9), ("7.2", 8)]
    assert verify_documents([loaded, agreement]) == direct
