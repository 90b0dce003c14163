"""Mapping plain records to the canonical schema; expectations written by hand."""

from kamrap.normalize.canonical import to_export
from kamrap.parsers.records import DetailsPage, Grouping, IndicatorRow, ParsedDocument

GROUP = Grouping("● มิติภายนอก (น้ำหนัก ๕๐)", "● ด้านคุณภาพการให้บริการ",
                 "● วัตถุประสงค์ที่ ๒ ผู้รับบริการได้รับบริการตามภารกิจ")


def _row(label: str, weight: str, criteria: list[str | None]) -> IndicatorRow:
    return IndicatorRow(label=label, grouping=GROUP, weight=weight, target="๓", criteria=criteria,
                        pages=[2])


def _agreement(*rows: IndicatorRow, details: list[DetailsPage] = ()) -> ParsedDocument:
    return ParsedDocument(kind="agreement", page_count=9, organization="กองทดสอบ",
                          fiscal_year="๒๕๖๔", rows=list(rows), details=list(details))


def test_row_values_are_typed() -> None:
    export = to_export(_agreement(
        _row("๒.๒ ร้อยละของระบบงาน", "๖๐", ["๘๐%", "๘๕%", "๙๐%", "๙๕%", "มากกว่า ๙๙%"]),
        _row("๕.๑ ร้อยละของข้อมูลที่ไม่ทัน", "๔๐", ["๑๐ %", "๘ %", "๖ %", "๔ %", "๒ %"]),
    ), file="x.pdf", sha256="0" * 64)
    first, second = export.indicators
    assert (first.code, first.name, first.weight, first.target_level) == ("2.2", "ร้อยละของระบบงาน", 60, 3)
    assert (first.dimension, first.dimension_weight) == ("มิติภายนอก", 50)
    assert first.perspective == "ด้านคุณภาพการให้บริการ"
    assert (first.objective_no, first.objective) == (2, "ผู้รับบริการได้รับบริการตามภารกิจ")
    assert [c.value for c in first.criteria] == [80, 85, 90, 95, 99]
    assert first.criteria[4].text == "มากกว่า ๙๙%"
    assert first.direction == "higher_is_better"
    assert [c.value for c in second.criteria] == [10, 8, 6, 4, 2]
    assert second.direction == "lower_is_better"
    assert export.document.fiscal_year == 2564
    assert export.findings == []


def test_dash_cells_are_null() -> None:
    export = to_export(_agreement(_row("๕.๑ จำนวนเรื่อง", "๑๐๐", ["-", "-", "-", "๑", "๒"])),
                       file="x.pdf", sha256="")
    criteria = export.indicators[0].criteria
    assert [(c.text, c.value) for c in criteria[:3]] == [(None, None)] * 3
    assert [(c.text, c.value) for c in criteria[3:]] == [("๑", 1), ("๒", 2)]


def test_weights_not_summing_to_100_are_flagged() -> None:
    export = to_export(_agreement(
        _row("๑.๑ ก", "๕๐", ["๑", "๒", "๓", "๔", "๕"]),
        _row("๑.๒ ข", "๔๘", ["๑", "๒", "๓", "๔", "๕"]),
    ), file="x.pdf", sha256="")
    (finding,) = export.findings
    assert (finding.kind, finding.severity, finding.expected, finding.actual) == (
        "weight_sum_not_100", "error", 100, 98)


def test_details_page_numbered_differently_attaches_by_name() -> None:
    page = DetailsPage(page=7, code="๒.๒", name="ระดับความสำเร็จการนำเสนอผลงาน", unit="ร้อยละ",
                       description="คำอธิบาย", pages=[7])
    export = to_export(_agreement(
        _row("๒.๒ ร้อยละของระบบงาน", "๕๐", ["๑", "๒", "๓", "๔", "๕"]),
        _row("๖.๒ ระดับความสำเร็จการนำเสนอผลงาน", "๕๐", ["๑", "๒", "๓", "๔", "๕"]),
        details=[page],
    ), file="x.pdf", sha256="")
    by_code = {i.code: i for i in export.indicators}
    assert by_code["2.2"].details is None
    assert by_code["6.2"].details.description == "คำอธิบาย"
    assert by_code["6.2"].unit == "ร้อยละ"
    assert by_code["6.2"].pages == [2, 7]
    (finding,) = export.findings
    assert (finding.kind, finding.code, finding.expected, finding.actual) == ("code_mismatch", "6.2", "6.2", "2.2")


def test_details_page_with_an_illegible_number_attaches_by_name_or_is_reported() -> None:
    # a scan's details page: "ตัวชี้วัดที่ .๑" (the parser keeps the code as "", printed but
    # not legible); its name finds its row, and a page whose name is like no row's is reported
    named = DetailsPage(page=5, code="", name="ระดับความสำเร็จการนำเสนอผลงาน", description="คำอธิบาย", pages=[5])
    lost = DetailsPage(page=9, code="", name="จำนวนครั้งของการประชุมคณะกรรมการ", description="อื่น", pages=[9])
    export = to_export(_agreement(
        _row("๒.๒ ร้อยละของระบบงาน", "๕๐", ["๑", "๒", "๓", "๔", "๕"]),
        _row("๖.๒ ระดับความสำเร็จการนำเสนอผลงาน", "๕๐", ["๑", "๒", "๓", "๔", "๕"]),
        details=[named, lost],
    ), file="x.pdf", sha256="")
    assert [i.code for i in export.indicators] == ["2.2", "6.2"]  # no row made up for the lost page
    assert export.indicators[1].details.description == "คำอธิบาย"
    kinds = [(f.kind, f.page) for f in export.findings]
    assert kinds == [("code_mismatch", 5), ("extraction_warning", 9)]
    assert "has no number that can be read" in export.findings[0].message


def test_a_details_label_whose_number_is_illegible_still_gives_the_name() -> None:
    from kamrap.parsers.details import _CODE, _ILLEGIBLE_CODE

    # agreement_ict_2564 scanned at 300 dpi, pp.5 and 19 (read by eye: ๑.๑ and ๔.๓)
    for line, name in (("ตัวชี้วัดที่ .๑ ร้อยละความพึงพอใจของผู้รับบริการ", "ร้อยละความพึงพอใจของผู้รับบริการ"),
                       ("ตัวชี้วัดที่«๓ 7ร้อยละความสำเร็จของการประเมินผล", "ร้อยละความสำเร็จของการประเมินผล")):
        assert _CODE.match(line) is None
        assert _ILLEGIBLE_CODE.match(line)["name"] == name
    assert _ILLEGIBLE_CODE.match("ตัวชี้วัดที่หนึ่ง") is None  # no gap before a name: not the label


def test_merged_criteria_text_applies_to_all_levels() -> None:
    row = _row("๒.๑ มูลค่าทรัพย์สิน", "๑๐๐", ["แจ้งเวียนในระบบสารบรรณอิเล็กทรอนิกส์", None, None, None, None])
    row.criteria_merged = True
    criteria = to_export(_agreement(row), file="x.pdf", sha256="").indicators[0].criteria
    assert [(c.level, c.text, c.value) for c in criteria] == [
        (level, "แจ้งเวียนในระบบสารบรรณอิเล็กทรอนิกส์", None) for level in range(1, 6)]


def test_weight_sum_with_a_missing_weight_is_not_checked() -> None:
    # ๕๐ + ๔๐ = 90 with the third weight printed "abc": the sum cannot be checked
    export = to_export(_agreement(
        _row("๑.๑ ก", "๕๐", ["๑", "๒", "๓", "๔", "๕"]),
        _row("๑.๒ ข", "๔๐", ["๑", "๒", "๓", "๔", "๕"]),
        _row("๑.๓ ค", "abc", ["๑", "๒", "๓", "๔", "๕"]),
    ), file="x.pdf", sha256="")
    kinds = {f.kind: f for f in export.findings}
    assert "weight_sum_not_100" not in kinds
    assert (kinds["weight_sum_unchecked"].expected, kinds["weight_sum_unchecked"].actual) == (100, 90)
    unparsed = kinds["unparsed_value"]
    assert (unparsed.code, unparsed.actual) == ("1.3", "abc")
    assert "row 3" in unparsed.message and "weight" in unparsed.message
    assert export.indicators[2].weight is None


def test_a_record_the_schema_rejects_is_a_finding_not_a_lost_document() -> None:
    from kamrap.normalize.canonical import _each
    from kamrap.schema.models import Indicator

    def build(row: IndicatorRow, read: object) -> Indicator:  # a level the schema bounds to 1–5
        return Indicator(code="1.1", name=row.label, criteria=[{"level": int(row.weight or 0)}])

    rows = [_row("๑.๑ ก", "3", []), _row("๑.๒ ข", "7", [])]
    findings: list = []
    built = _each(rows, build, findings, None)
    assert [i.name for i in built] == ["๑.๑ ก"]
    (finding,) = findings
    assert finding.kind == "unparsed_value" and "not stored" in finding.message


def test_a_dimension_weight_whose_word_ocr_misread_is_still_the_weight() -> None:
    """On a scan OCR reads the small น้ำหนัก as Latin letters and may lose the opening bracket
    ("Gwin ๕๐)", read off the 200 dpi scan of agreement_ict_2564): the bracketed number
    closing the heading is the weight. A MAIYAMOK where the objective's number goes is ๗."""
    rows = []
    for dimension, objective in (("● มิติภายนอก Gwin ๕๐)", "วัตถุประสงค์ที่ๆ พัฒนามาตรฐานการทำงาน"),
                                 ("มิติภายใน (amin 50)", "วัตถุประสงค์ที่ ๓ บุคลากร")):
        grouping = Grouping(dimension, "ด้านการพัฒนาองค์กร", objective)
        rows.append(IndicatorRow(label="๑.๑ ก", grouping=grouping, weight="๑๐๐", target="๓",
                                 criteria=["๑", "๒", "๓", "๔", "๕"], pages=[2]))
    first, second = to_export(_agreement(*rows), file="x.pdf", sha256="").indicators
    assert (first.dimension, first.dimension_weight, first.objective_no, first.objective) == (
        "มิติภายนอก", 50, 7, "พัฒนามาตรฐานการทำงาน")
    assert (second.dimension, second.dimension_weight, second.objective_no) == ("มิติภายใน", 50, 3)
    plain = to_export(_agreement(IndicatorRow(label="๑.๑ ก", grouping=Grouping("มิติภายใน"), weight="๑๐๐",
                                              target="๓", criteria=["๑"] * 5, pages=[2])),
                      file="x.pdf", sha256="").indicators[0]
    assert (plain.dimension, plain.dimension_weight) == ("มิติภายใน", None)
