"""The text layer on the real KPI documents in tests/fixtures/real_kpi (born-digital Office PDFs).

Every expected string is read off the page rendered with ``pdftoppm -r 150``, not copied from
kamrap's output: what the page shows is what the text layer must give.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pytest

from kamrap.parsers.pdftext import lines_from_chars, text_in_bbox, upright_page_chars

REAL_KPI = Path(__file__).resolve().parent / "fixtures" / "real_kpi"
CHONBURI = REAL_KPI / "chonburi_kpi_weights_2564.pdf"  # PowerPoint 2019, Tahoma
RBRU_ACTION = REAL_KPI / "rbru_action_2554_r6.pdf"  # Excel 2010, Angsana New
MOPH = REAL_KPI / "moph_kpi_template_2559_p1-20.pdf"  # Word 2013, TH SarabunPSK
RBRU_QA = REAL_KPI / "rbru_qa_2553.pdf"  # Word 2010, Angsana New


@lru_cache(maxsize=None)
def _document_lines(path: Path) -> tuple[tuple[str, ...], ...]:
    """The lines of every page of ``path``, the file opened once (not once per page)."""
    with pdfplumber.open(path) as pdf:
        return tuple(tuple(line.text.strip() for line in lines_from_chars(upright_page_chars(page)[1]))
                     for page in pdf.pages)


@lru_cache(maxsize=None)
def _lines(path: Path, page_number: int) -> tuple[str, ...]:
    with pdfplumber.open(path) as pdf:
        page, chars = upright_page_chars(pdf.pages[page_number - 1])
        return tuple(line.text.strip() for line in lines_from_chars(chars))


def _page(path: Path, page_number: int) -> str:
    return "\n".join(_lines(path, page_number))


# --- 1. SARA AM: the NIKHAHIT glyph mapped to a space ------------------------------------


@pytest.mark.parametrize("line", [
    "4 ระดับความสำเร็จการพัฒนาตำบลส่งเสริมดูแลผู้สูงอายุระยะยาว 4 / / / ส่งเสริมสุขภาพ",
    "23 หน่วยงานในสังกัดสำนักงานสาธารณสุขจังหวัดชลบุรี ผ่านเกณฑ์การประเมิน ITA 4 / / / บริหารทั่วไป",
    "14 อัตราความครอบคลุมการขึ้นทะเบียนรักษาผู้ป่วยวัณโรครายใหม่และกลับเป็นซ้ำ 3 / ควบคุมโรคติดต่อ",
])
def test_powerpoint_sara_am(line: str) -> None:
    """PowerPoint 2019 maps Tahoma's NIKHAHIT glyph to U+0020: the rows read ``ความส าเร็จ``,
    ``ต าบล``, ``ซ้า`` before the glyph is identified by its outline."""
    assert line in _lines(CHONBURI, 2)


def test_powerpoint_title() -> None:
    assert _lines(CHONBURI, 1)[0] == (
        "สรุปจำนวนตัวชี้วัดและน้ำหนักคะแนนตามคำรับรองการปฏิบัติราชการ ปีงบประมาณ 2564")


def test_excel_sara_am() -> None:
    """Excel 2010 does the same with Angsana New (``ส านักวิทยบริการ``)."""
    lines = _lines(RBRU_ACTION, 1)
    assert lines[2].startswith("สำนักวิทยบริการและเทคโนโลยีสารสนเทศเป็นแหล่งรวมทรัพยากรสารสนเทศทุกชนิด "
                               "พัฒนาและนำเทคโนโลยีสารสนเทศมาใช้ในการศึกษา")
    assert "จำนวนบุคลากร" in _page(RBRU_ACTION, 1)


# --- 2. TH SarabunPSK (Word 2013): SARA AA mapped to SARA AM in the bold face -------------


@pytest.mark.parametrize("line", [
    "เกณฑ์เป้าหมาย ไม่เกิน 15 ต่อการเกิดมีชีพแสนคน",
    "ประชากรกลุ่มเป้าหมาย หญิงตั้งครรภ์ หญิงคลอด มารดาหลังคลอด",
    "รายละเอียดข้อมูลพื้นฐาน",
    "ระยะเวลาประเมินผล ทุก 3 เดือน",
])
def test_sarabun_bold_sara_aa(line: str) -> None:
    """The bold face's SARA AA glyph is mapped to ำ (``เกณฑ์เป้ำหมำย``); its outline has no
    ring, so it is า."""
    assert line in _lines(MOPH, 1)


def test_sarabun_real_sara_am_stays() -> None:
    """คำนิยาม: one real ำ (ring glyph mapped to a space + the SARA AA glyph) and one า; the
    regular face beside it drops ำ the PowerPoint way (``ต าแหน่ง``)."""
    lines = _lines(MOPH, 1)
    assert lines[1].startswith("คำนิยาม การตายมารดา หมายถึง การตายของมารดาไทยตั้งแต่ขณะตั้งครรภ์")
    assert "ไม่ว่าอายุครรภ์จะเป็นเท่าใดหรือการตั้งครรภ์ที่ตำแหน่งใด" in lines[2]
    assert "สูตรคำนวณตัวชี้วัด (A/B) x ๑๐๐,๐๐๐" in lines


# --- 3. tone marks: no ASCII in Thai words -------------------------------------------------


def test_angsana_tone_marks_are_thai() -> None:
    """Word 2010 / Angsana New: the page shows ตัวบ่งชี้ (not ``ตัวบ2งชี้``, a tone mark read
    through a made-up encoding) and its ำ (``ร าไพพรรณี``) whole."""
    lines = _document_lines(RBRU_QA)[8]
    assert lines[0] == "อัตลักษณ์มหาวิทยาลัยราชภัฏรำไพพรรณี และองค์ประกอบตามนโยบายรัฐบาล “สถานศึกษา 3 ดี (3D)”"
    assert any(line.startswith("ตัวบ่งชี้ที่ 10.1.1 2 วัน 2 วัน") for line in lines)
    for path in (RBRU_QA, MOPH, CHONBURI, RBRU_ACTION):
        for page in _document_lines(path):
            assert not re.search(r"[\u0e01-\u0e4e][0-9!#$&*+;<=>?@^_`|~][\u0e01-\u0e4e]", "\n".join(page))


# --- 5. text drawn turned 90° inside a table cell ------------------------------------------


def test_rotated_header_cells_read_along_their_baseline() -> None:
    """PowerPoint sets the weight header and the assessed-unit sub-headers running up their
    narrow columns; read as horizontal text they were ``กนัหาน้`` and ``. อสส``."""
    with pdfplumber.open(CHONBURI) as pdf:
        page, chars = upright_page_chars(pdf.pages[1])
        table = page.find_tables()[0]
        header, units = ([None if c is None else text_in_bbox(chars, c) for c in row.cells]
                         for row in table.rows[:2])
    assert header[:4] == ["KPI", "ตัวชี้วัด", "น้ำหนัก", "หน่วยประเมิน"]
    assert units[3:6] == ["สสอ.", "รพ.", "รพ.สต."]


def test_turned_lines_among_the_page_lines() -> None:
    lines = _lines(CHONBURI, 2)
    for text in ("น้ำหนัก", "สสอ.", "รพ.", "รพ.สต."):
        assert text in lines


# --- 6. PowerPoint: every glyph its own run, words still whole ---------------------------


def test_powerpoint_cells_read_as_the_hand_read_names() -> None:
    """PowerPoint 2019 positions every glyph on its own (one text matrix per glyph); the
    ตัวชี้วัด cells still read as continuous words: each cell, wrapped lines joined, is the
    name read by eye from the page (tests/fixtures/real_kpi/*.truth.json)."""
    truth = json.loads(CHONBURI.with_suffix(".truth.json").read_text(encoding="utf-8"))
    names = {i["code"]: _squeeze(i["name"]) for i in truth["indicators"]}
    with pdfplumber.open(CHONBURI) as pdf:
        page, chars = upright_page_chars(pdf.pages[1])
        rows = page.find_tables()[0].rows[2:]
        cells = {text_in_bbox(chars, r.cells[0]): text_in_bbox(chars, r.cells[1]) for r in rows if r.cells[1]}
    assert {code: _squeeze(cells.get(code, "")) for code in names} == names


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))
