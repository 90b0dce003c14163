"""parsers.pdftext: glyphs → Thai lines and cell text.

The LibreOffice fixture (tests/fixtures/text/libreoffice_thai.pdf, rebuilt by
make_libreoffice_thai.py next to it) must round-trip exactly; the expected strings below are
typed by hand from what the document prints.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from pikepdf import Dictionary, Name, String

from kamrap.parsers.source import UnreadablePDF
from kamrap.parsers.pdftext import (
    TextChar,
    TextLine,
    document_text,
    lines_from_chars,
    page_chars,
    page_lines,
    page_text,
    text_in_bbox,
)

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "text" / "libreoffice_thai.pdf"
REAL = Path(__file__).resolve().parent / "fixtures" / "real"

EXPECTED_LINES = [
    "สำเร็จ ได้ที่ น้ำหนัก ตัวชี้วัด ผู้รับบริการ กำหนด ร้อยละ ๘๐% ที่นี่",
    "คำรับรองการปฏิบัติราชการ ปีงบประมาณ พ.ศ. ๒๕๖๔",
    "ฝ่ายบริหารทั่วไป ป้องกันน้ำท่วม กตัญญู ฐานข้อมูล",
    "ทั้งนี้ สิ่งก่อสร้าง ต่ำกว่า",
    "เงินอุดหนุน 1,250,000.00 บาท (KPI 1.1)",
    "บรรทัดแรก ใช้จ่าย",
    "บรรทัดที่สอง ปู่ย่า",
    "ตัวชี้วัด น้ำหนัก เกณฑ์",
    "๑.๑ ร้อยละความพึงพอใจ ๑๐ ๖๕",
    "ของผู้รับบริการ",
    "๒.๑ ระดับความสำเร็จ ๒๐ มากกว่า ๘๐%",
]
EXPECTED_CELLS = [
    ["ตัวชี้วัด", "น้ำหนัก", "เกณฑ์"],
    ["๑.๑ ร้อยละความพึงพอใจ\nของผู้รับบริการ", "๑๐", "๖๕"],
    ["๒.๑ ระดับความสำเร็จ", "๒๐", "มากกว่า ๘๐%"],
]


# --- the LibreOffice fixture -------------------------------------------------------------


def test_fixture_needs_actualtext() -> None:
    """Without ActualText the fixture's text is broken: the test below is not vacuous."""
    with pdfplumber.open(FIXTURE) as pdf:
        raw = "".join(c["text"] for c in pdf.pages[0].chars)
    assert "(cid:" in raw
    assert "น้ำหนัก" not in raw and "ผู้รับ" not in raw


def test_fixture_round_trips() -> None:
    with pdfplumber.open(FIXTURE) as pdf:
        page = pdf.pages[0]
        assert page_text(page) == "\n".join(EXPECTED_LINES)


def test_fixture_lines_and_geometry() -> None:
    with pdfplumber.open(FIXTURE) as pdf:
        page = pdf.pages[0]
        chars = page_chars(page)
        lines = page_lines(page, chars)
    assert [line.text for line in lines] == EXPECTED_LINES
    assert all(isinstance(line, TextLine) for line in lines)
    tops = [line.top for line in lines]
    assert tops == sorted(tops)
    for line in lines:
        assert line.x0 < line.x1 and line.top < line.bottom
        assert all(line.x0 <= c.x0 and c.x1 <= line.x1 for c in line.chars)
    # ActualText put on one char with the span's bbox: "น้ำ" is น + one char "้ำ"
    first = lines[0]
    texts = [c.text for c in first.chars]
    assert "\u0e49\u0e33" in texts
    span = first.chars[texts.index("\u0e49\u0e33")]
    assert span.x1 > span.x0  # covers the NIKHAHIT, tone and SARA AA glyphs
    assert all(c.fontname.endswith("Garuda") for c in first.chars)


def test_fixture_table_cells() -> None:
    with pdfplumber.open(FIXTURE) as pdf:
        page = pdf.pages[0]
        chars = page_chars(page)
        tables = page.find_tables()  # pdfplumber reuses the layout page_chars produced
        assert len(tables) == 1
        cells = [[text_in_bbox(chars, bbox) for bbox in row.cells] for row in tables[0].rows]
    assert cells == EXPECTED_CELLS


def test_cropped_page() -> None:
    with pdfplumber.open(FIXTURE) as pdf:
        page = pdf.pages[0]
        cell = page.find_tables()[0].rows[1].cells[0]
        assert page_text(page.crop(cell)) == EXPECTED_CELLS[1][0]


def test_pdfplumber_objects_unchanged() -> None:
    """page_chars hands its layout to pdfplumber; what pdfplumber reports stays the same."""
    with pdfplumber.open(FIXTURE) as pdf:
        fresh = [(c["text"], c["x0"], c["top"], c["mcid"], c["tag"]) for c in pdf.pages[0].chars]
        fresh_rects = len(pdf.pages[0].rects) + len(pdf.pages[0].lines)
    with pdfplumber.open(FIXTURE) as pdf:
        page = pdf.pages[0]
        page_chars(page)
        assert [(c["text"], c["x0"], c["top"], c["mcid"], c["tag"]) for c in page.chars] == fresh
        assert len(page.rects) + len(page.lines) == fresh_rects


def _rewrite(src: Path, dst: Path, edit) -> None:
    with pikepdf.open(src) as pdf:
        page = pdf.pages[0]
        ops = pikepdf.parse_content_stream(page)
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(edit(page, ops)))
        pdf.save(dst)


def test_named_property_lists(tmp_path: Path) -> None:
    """``/Span /MC0 BDC`` with the ActualText in the page's /Properties resource."""

    def to_named(page, ops):
        props = Dictionary()
        out = []
        for operands, op in ops:
            if str(op) == "BDC" and isinstance(operands[1], Dictionary):
                name = Name(f"/MC{len(props)}")
                props[str(name)] = operands[1]
                operands = [operands[0], name]
            out.append((operands, op))
        assert len(props) > 10
        page.Resources.Properties = props
        return out

    named = tmp_path / "named.pdf"
    _rewrite(FIXTURE, named, to_named)
    with pdfplumber.open(named) as pdf:
        assert page_text(pdf.pages[0]) == "\n".join(EXPECTED_LINES)


def _strip_marked_content(page, ops):
    return [(operands, op) for operands, op in ops if str(op) not in ("BDC", "EMC")]


def test_unmapped_glyph_hook(tmp_path: Path) -> None:
    """With the ActualText removed, unmapped glyphs stay ``(cid:N)`` unless the hook resolves
    them; the hook sees each (font, glyph) once, with the text around each occurrence."""
    bare = tmp_path / "bare.pdf"
    _rewrite(FIXTURE, bare, _strip_marked_content)
    calls: list[tuple[str, int, int]] = []

    def resolve(font, cid: int, contexts) -> str | None:
        calls.append((font.fontname, cid, len(contexts)))
        assert all(isinstance(before, str) and isinstance(after, str) for before, after in contexts)
        return "\u0e32"  # pretend every unmapped glyph was identified as SARA AA

    with pdfplumber.open(bare) as pdf:
        assert "(cid:" in page_text(pdf.pages[0], resolve_glyph=None)
        text = page_text(pdf.pages[0], resolve_glyph=resolve)
    assert "(cid:" not in text
    # once per (font, glyph); again for glyphs near other unknown glyphs, with their texts
    assert calls and len(calls) <= 2 * len({(name, cid) for name, cid, _ in calls})
    assert all(isinstance(cid, int) and n > 0 for _, cid, n in calls)
    # the SARA AM of สำเร็จ is drawn as [ำ glyph][SARA AA glyph without Unicode]
    assert text.startswith("สำเร็จ ")


def test_actualtext_removed_reads_the_same(tmp_path: Path) -> None:
    """Without its ActualText the fixture still reads right: the unmapped SARA AA glyph and
    the SARA UU glyph LibreOffice mapped to MAI THO are identified from the font program."""
    bare = tmp_path / "bare.pdf"
    _rewrite(FIXTURE, bare, _strip_marked_content)
    with pdfplumber.open(bare) as pdf:
        assert page_text(pdf.pages[0]) == "\n".join(EXPECTED_LINES)


# --- a hand-made PDF: nesting, empty spans, Form XObjects --------------------------------


def test_actualtext_nesting_and_forms(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding)
    )
    form = pdf.make_stream(b"BT /F1 12 Tf 72 650 Td /Span /MC1 BDC (j) Tj EMC (k) Tj ET")
    form.Type = Name.XObject
    form.Subtype = Name.Form
    form.BBox = [0, 0, 612, 792]
    form.Resources = Dictionary(
        Font=Dictionary(F1=font), Properties=Dictionary(MC1=Dictionary(ActualText=String("F")))
    )
    content = (
        b"BT /F1 12 Tf 72 700 Td "
        b"/P <</MCID 0>> BDC (ab) Tj "
        b"/Span <</ActualText (XY)>> BDC (c) Tj /Span <</ActualText (Q)>> BDC (d) Tj EMC (e) Tj EMC "
        b"(f) Tj EMC "
        b"/Span /MC0 BDC (g) Tj EMC "
        b"/Span <</ActualText ()>> BDC (h) Tj EMC "
        b"/Span <</ActualText (W)>> BDC EMC "
        b"(i) Tj "
        b"/Span <</ActualText <FEFF0E01>>> BDC (m) Tj EMC "
        b"EMC "  # unbalanced EMC: ignored
        b"ET /Fm0 Do"
    )
    page = pdf.add_blank_page(page_size=(612, 792))
    page.Resources = Dictionary(
        Font=Dictionary(F1=font),
        XObject=Dictionary(Fm0=form),
        Properties=Dictionary(MC0=Dictionary(ActualText=String("Z"))),
    )
    page.Contents = pdf.make_stream(content)
    path = tmp_path / "spans.pdf"
    pdf.save(path)

    with pdfplumber.open(path) as doc:
        p = doc.pages[0]
        chars = page_chars(p)
        # outer span wins over the nested one; empty ActualText drops its glyph; a span
        # without glyphs adds nothing; UTF-16BE ActualText decoded
        assert "".join(c.text for c in chars) == "abXYfZiกFk"
        assert page_text(p) == "abXYfZiก\nFk"
        xy = next(c for c in chars if c.text == "XY")
        assert xy.cid is None  # covers three glyphs
        # Helvetica 12 pt from x=72: a b = 2 × 6.672, c = 6.0, d e = 2 × 6.672, f = 3.336
        assert (xy.x0, xy.x1) == (pytest.approx(85.344), pytest.approx(104.688))  # c, d, e
        by_text = {c.text: c for c in chars}
        # the empty span's glyph (h) widens the char before it instead of leaving a gap
        assert by_text["Z"].x1 == pytest.approx(by_text["i"].x0, abs=0.01)
        assert by_text["Z"].x1 - by_text["Z"].x0 == pytest.approx(2 * 6.672)
        assert p.chars[0]["mcid"] == 0  # pdfplumber's marked-content ids still recorded


# --- geometry rules on synthetic chars (numbers taken from the Excel/Distiller samples) ---


def _c(text: str, x0: float, x1: float, top: float = 92.56, size: float = 13.2) -> TextChar:
    return TextChar(text, x0, x1, top, top + 16.0, size, "AJBGEC+DilleniaUPC")


def test_marks_follow_the_stream_not_x() -> None:
    # the mark's x0 (128.6) lies past the start of the next consonant (127.68)
    chars = [_c("ร", 123.72, 127.62), _c("\u0e49", 128.6, 128.6), _c("า", 127.68, 130.95), _c("ง", 130.98, 134.62)]
    assert [line.text for line in lines_from_chars(chars)] == ["ร้าง"]


def test_padding_spaces_overlapping_digits() -> None:
    chars = [_c("ง", 130.98, 134.62)]
    chars += [_c(d, 456.1 + 4.09 * i, 460.19 + 4.09 * i, 92.8) for i, d in enumerate("177")]
    chars += [_c(" ", 424.43 + 2.88 * i, 427.36 + 2.88 * i, 92.8) for i in range(12)]  # last overlaps "1"
    chars += [_c("บ", 502.05, 507.16, 92.8), _c("า", 507.19, 510.46, 92.8), _c("ท", 510.49, 515.6, 92.8)]
    assert [line.text for line in lines_from_chars(chars)] == ["ง 177 บาท"]


def test_gap_makes_a_space_and_marks_never_get_one() -> None:
    chars = [_c("(", 86.14, 88.48), _c("1", 88.43, 92.52), _c(")", 92.47, 94.81)]
    chars += [_c("ค", 97.66, 102.82), _c("ร", 102.8, 106.71), _c("\u0e38", 106.63, 106.63)]
    chars += [_c("ท", 120.0, 125.0), _c("\u0e35", 126.0, 126.0), _c("(cid:201)", 125.9, 125.9), _c("ด", 125.9, 131.0)]
    assert lines_from_chars(chars)[0].text == "(1) ครุ ที(cid:201)ด"


def test_reading_order_and_cells() -> None:
    # stream order: right cell first, then the lower line, then the left cell
    chars = [_c("๑", 300.0, 306.0, 100.0), _c("๐", 306.0, 312.0, 100.0)]
    chars += [_c("ข", 90.0, 96.0, 130.0)]
    chars += [_c("ก", 90.0, 96.0, 100.4)]
    lines = lines_from_chars(chars)
    assert [line.text for line in lines] == ["ก ๑๐", "ข"]
    assert text_in_bbox(chars, (80.0, 90.0, 200.0, 150.0)) == "ก\nข"
    assert text_in_bbox(chars, (290.0, 90.0, 400.0, 150.0)) == "๑๐"
    assert text_in_bbox(chars, (0.0, 0.0, 10.0, 10.0)) == ""


def test_line_text_is_repaired() -> None:
    chars = [_c("ต", 214.89, 219.99), _c("\u0e4d", 220.43, 220.43), _c("\u0e48", 220.96, 220.96), _c("า", 219.9, 223.18)]
    assert lines_from_chars(chars)[0].text == "ต่ำ"


# --- real Excel / InDesign PDFs (pages cut from ../shared/real-pdfs) ----------------------
# The expected lines were read off the pages rendered with pdftoppm.


def test_real_excel_page() -> None:
    """Excel 2013 → Acrobat Distiller, DilleniaUPC: raised tone marks without Unicode
    ((cid:201) ่, (cid:202) ้, (cid:205) ์), marks past the next consonant's x0, space glyphs
    overlapping right-aligned digits ("3 56,759,900" in extract_text())."""
    with pdfplumber.open(REAL / "excel_distiller_raised_tone_marks.pdf") as pdf:
        lines = [line.rstrip() for line in page_text(pdf.pages[0]).split("\n")]
    for expected in [
        "รายละเอียดงบประมาณจำแนกตามงบรายจ่าย",
        "ผลผลิต : ผู้สำเร็จการศึกษาด้านวิทยาศาสตร์และเทคโนโลยี 356,759,900 บาท",
        "1. งบเงินอุดหนุน 356,759,900 บาท",
        "1.1 เงินอุดหนุนทั่วไป 356,759,900 บาท",
        "1) ค่าใช้จ่ายดำเนินงาน 16,878,400 บาท",
        "2) ค่าครุภัณฑ์ 138,386,200 บาท",
        "(1) ครุภัณฑ์การศึกษาที่มีราคาต่อหน่วยต่ำกว่า 1 ล้านบาท",
        "รวม 22 รายการ (รวม 131 หน่วย) 14,256,200 บาท",
        "(2) เครื่องปั่นเหวี่ยงตกตะกอนควบคุมอุณหภูมิแบบตั้งพื้น แขวงทุ่งพญาไท",
        "เขตราชเทวี กรุงเทพมหานคร 1 เครื่อง 2,750,000 บาท",
        "(4) เครื่องแยกสารชีวโมเลกุลให้บริสุทธิ์ แขวงทุ่งพญาไท เขตราชเทวี",
    ]:
        assert expected in lines


def test_real_excel_page_mai_tri() -> None:
    """A raised MAI TRI ((cid:203), once on the page) over SARA I: the outline is nearest to
    ๊, and the dictionary must not prefer a second SARA I (which the repair would drop)."""
    with pdfplumber.open(REAL / "excel_distiller_mai_tri.pdf") as pdf:
        lines = [line.rstrip() for line in page_text(pdf.pages[0]).split("\n")]
    assert "(3) เครื่องปริ๊นท์วงจรไฟฟ้าประสิทธิภาพสูง ตำบลศาลายา อำเภอพุทธมณฑล" in lines


def test_real_indesign_pages() -> None:
    """InDesign: a consonant glyph carries its cluster's text (ว → "วิ") and the mark glyphs
    map to U+FFFD; on the cover, NIKHAHIT maps to U+FFFD with nothing else carrying it (ประจำ
    is ป ร ะ จ [U+FFFD] า), and every title is drawn twice, 0.4 pt apart (a shadow)."""
    with pdfplumber.open(REAL / "indesign_cluster_text.pdf") as pdf:
        cover = [line.rstrip() for line in page_text(pdf.pages[0]).split("\n")]
        contents = [line.rstrip() for line in page_text(pdf.pages[1]).split("\n")]
    for expected in ["เอกสารงบประมาณ ฉบับที่ ๓", "งบประมาณรายจ่าย", "ประจำปีงบประมาณ พ.ศ. ๒๕๖๕",
                     "สำนักงบประมาณ", "สำนักนายกรัฐมนตรี"]:
        assert expected in cover
    for expected in [
        "สารบัญ",
        "1. วิสัยทัศน์ 1",
        "2. พันธกิจ 1",
        "3. ผลสัมฤทธิ์และประโยชน์ที่คาดว่าจะได้รับจากการใช้จ่ายงบประมาณ 2",
        "(1) สำนักงานปลัดกระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม 11 ถึง 41",
        "1. วิสัยทัศน์ 11",
        "จำแนกตามประเภทงบประมาณรายจ่าย 13",
    ]:
        assert expected in contents


# --- document_text -----------------------------------------------------------------------


def test_document_text_pages_and_form_feeds() -> None:
    text = document_text(REAL / "indesign_cluster_text.pdf")
    pages = text.split("\f")
    assert len(pages) == 2 and all(p.endswith("\n") for p in pages)
    assert pages[1].startswith("สารบัญ\n")
    assert document_text(REAL / "indesign_cluster_text.pdf", pages=[2]) == pages[1]
    assert document_text(FIXTURE) == "\n".join(EXPECTED_LINES) + "\n"


def test_document_text_layout_keeps_columns() -> None:
    text = document_text(REAL / "excel_distiller_raised_tone_marks.pdf", layout=True)
    lines = text.split("\n")
    amounts = [line for line in lines if line.endswith(" บาท") and "," in line]
    assert len(amounts) > 10
    # the amounts are right-aligned in one column: their "บาท" all end in the same place
    # (Thai combining marks take no column)
    from kamrap.parsers.pdftext import _display_width

    ends = {_display_width(line) for line in amounts}
    assert max(ends) - min(ends) <= 2
    # indented as printed: the items under "2) ค่าครุภัณฑ์", which is under "1.1 …"
    indent = {line.split()[0]: len(line) - len(line.lstrip()) for line in lines if line.strip()}
    assert indent["1."] < indent["1.1"] < indent["2)"] < indent["(2)"]
    # the same words as without layout
    assert text.split() == document_text(REAL / "excel_distiller_raised_tone_marks.pdf").split()


def test_layout_with_spaces_of_the_pdf_own() -> None:
    """InDesign gives some glyphs a cluster text ending in a space: the page numbers of the
    contents still line up, though the line's text has more spaces than gaps."""
    from kamrap.parsers.pdftext import _display_width

    lines = document_text(REAL / "indesign_cluster_text.pdf", pages=[2], layout=True).split("\n")
    numbered = [line for line in lines if line.split() and line.split()[-1].isdigit()
                and ("แหล่งเงิน" in line or "วิสัยทัศน์" in line or "พันธกิจ" in line)]
    assert len(numbered) >= 6
    assert len({_display_width(line) for line in numbered}) <= 2  # 1 or 2 digits, right-aligned


def test_document_text_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="page 3 is out of range: indesign_cluster_text.pdf has 2 pages"):
        document_text(REAL / "indesign_cluster_text.pdf", pages=[1, 3])
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("hello")
    with pytest.raises(UnreadablePDF, match="not a PDF"):
        document_text(not_pdf)


def test_a_guess_must_read_as_well_as_the_file_mapping() -> None:
    """A mapping the outline contradicts loses only to a guess that reads at least as well in
    the glyph's in-order text: the file's ู of ผู้รับบริการ beats a guessed ้ (ผ้รับบริการ) and,
    with no guess at all, beats ``(cid:59)``; a space that draws ink stays a space unguessed."""
    from kamrap.parsers.pdftext import _guess_or_mapping

    contexts = [("ผ", "\u0e49รับบริการ")]
    assert _guess_or_mapping("\u0e49", "\u0e39", 59, contexts) == "\u0e39"
    assert _guess_or_mapping(None, "\u0e39", 59, contexts) == "\u0e39"
    assert _guess_or_mapping("\u0e39", "\u0e49", 59, contexts) == "\u0e39"  # and the other way round
    assert _guess_or_mapping(None, "\u0e49", 59, [("ก", "ข")]) == "(cid:59)"
    assert _guess_or_mapping(None, " ", 286, [("จ", "านวน")]) == " "
    assert _guess_or_mapping("\u0e4d", " ", 286, [("จ", "านวน")]) == "\u0e4d"


def test_turned_chars_read_along_their_baseline() -> None:
    """Chars running up the page (x fixed, top falling) read bottom to top, marks on their
    base; chars running down read top to bottom."""
    up = [TextChar("ร", 100, 110, 95, 100, 10, "F", direction=90),
          TextChar("พ", 100, 110, 87, 95, 10, "F", direction=90),
          TextChar(".", 100, 110, 84, 87, 10, "F", direction=90)]
    down = [TextChar("ก", 200, 210, 50, 57, 10, "F", direction=270),
            TextChar("\u0e49", 200, 210, 56, 56, 10, "F", direction=270),
            TextChar("า", 200, 210, 57, 62, 10, "F", direction=270)]
    assert [line.text for line in lines_from_chars(up + down)] == ["ก้า", "รพ."]


def test_a_glyph_drawn_again_within_a_point_is_seen_wherever_it_lies() -> None:
    """`_drawn_before` files positions under squares; against every position seen so far, it
    answers as the definition does (the same glyph within 1 pt on both axes), across squares'
    edges and at negative coordinates."""
    import random

    from kamrap.parsers.pdftext import _drawn_before

    rng = random.Random(1)
    seen: dict = {}
    drawn: list[tuple[float, float]] = []
    for _ in range(3000):
        x, y = rng.uniform(-20, 50), rng.uniform(-20, 50)
        if drawn and rng.random() < 0.4:  # near one drawn before: just inside or just outside
            px, py = rng.choice(drawn)
            x, y = px + rng.uniform(-1.3, 1.3), py + rng.uniform(-1.3, 1.3)
        expected = any(abs(px - x) <= 1 and abs(py - y) <= 1 for px, py in drawn)
        assert _drawn_before(seen, "F", 7, x, y) == expected, (x, y)
        if not expected:
            drawn.append((x, y))
    assert _drawn_before(seen, "G", 7, *drawn[0]) is False  # another font's glyph is another glyph
