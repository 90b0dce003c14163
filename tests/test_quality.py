"""normalize.quality: a score for each page's text layer, and the warning a low score raises."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from conftest import SAMPLES, pages_once, sample_stems
from kamrap.ingest.parse_job import parse_file
from kamrap.text.quality import LOW_QUALITY, MIN_THAI_CHARS, text_quality
from kamrap.parsers.document import low_quality_warnings
from kamrap.parsers.layout import PageLayout
from kamrap.parsers.pdftext import TextLine, document_text, page_text

REAL = Path(__file__).resolve().parent / "fixtures" / "real"

# --- the score on text -------------------------------------------------------------------

GOOD = ("รายละเอียดงบประมาณจำแนกตามงบรายจ่าย\n"
        "(1) ครุภัณฑ์การศึกษาที่มีราคาต่อหน่วยต่ำกว่า 1 ล้านบาท")
# the same lines as pdfplumber's extract_text() gives them (excel_distiller_raised_tone_marks.pdf:
# marks sorted by x past their consonant, SARA AM in pieces, raised tone marks without Unicode)
BROKEN = ("รายละเอยี ดงบประมาณจาํ แนกตามงบรายจา่ ย\n"
          "(1)ครุภณั ฑก์ ารศึกษาท(cid:201)มี รี าคาต่อหน่วยตาํ(cid:201)กวา่ 1 ลา้นบาท")


def test_correct_text_scores_high() -> None:
    q = text_quality(GOOD)
    assert q.score >= 0.95 and q.junk == 0
    assert q.thai_chars == sum(1 for ch in GOOD if "\u0e01" <= ch <= "\u0e4e")


def test_broken_text_scores_low() -> None:
    q = text_quality(BROKEN)
    assert q.score < LOW_QUALITY
    assert q.unmapped == 2
    assert "unmapped glyphs (cid:N)" in q.describe()


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("ตัวชี้วัด\ufffdน้ำหนัก " * 5, "replacement"),  # U+FFFD
        ("ก\uf70aอนหน้านี้ " * 5, "private_use"),  # PUA MAI EK shifted down
        ("สำาเร็จ น้ำหนัก " * 5, "misplaced"),  # ำา: SARA AM and SARA AA left in pieces
        ("เงินอุดหนุน ่ทั่วไป " * 5, "misplaced"),  # a tone mark after a space
    ],
)
def test_leftovers_are_counted(text: str, field: str) -> None:
    q = text_quality(text)
    assert getattr(q, field) == 5
    assert q.score < LOW_QUALITY


def test_too_little_thai_is_not_judged() -> None:
    assert text_quality("").score == 1.0
    assert text_quality("1,250,000.00 บาท (KPI 1.1)").score == 1.0
    assert text_quality("ก" * (MIN_THAI_CHARS - 1)).score == 1.0
    assert text_quality("ก(cid:3)").score < LOW_QUALITY  # unless there are leftovers


# --- pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", sample_stems())
def test_samples_read_well(stem: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    # each page's lines as ingest reads them (conftest.pages_once: read once per run)
    scores = [text_quality(page.text).score for page in pages_once(tmp_path_factory, SAMPLES / f"{stem}.pdf")]
    assert len(scores) >= 1 and min(scores) >= LOW_QUALITY + 0.1  # well clear of the warning


def test_real_page_scores() -> None:
    with pdfplumber.open(REAL / "excel_distiller_raised_tone_marks.pdf") as pdf:
        page = pdf.pages[0]
        assert text_quality(page.extract_text()).score < LOW_QUALITY  # pdfplumber's own text
        assert text_quality(page_text(page, resolve_glyph=None)).score < LOW_QUALITY  # (cid:N) left
        assert text_quality(page_text(page)).score >= 0.9


def test_hidden_title_is_not_read_and_the_cover_reads_well() -> None:
    """The InDesign cover hides another volume's title (เล่มที่ ๓, กระทรวงการอุดมศึกษา…) under this
    one's, outside the clipping path; the rendered page shows only เล่มที่ ๖ and กระทรวง
    ทรัพยากรธรรมชาติและสิ่งแวดล้อม (read by eye at 50 dpi). Clipped away, the cover reads well
    and gets no low-quality finding."""
    export = parse_file(REAL / "indesign_cluster_text.pdf", "0" * 64)
    text = document_text(REAL / "indesign_cluster_text.pdf", pages=[1])
    assert "เล่มที่ ๖" in text and "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม" in text
    assert "อุดมศึกษา" not in text
    assert not [f for f in export.findings if f.kind == "extraction_warning" and f.page == 1]


def test_low_quality_page_becomes_a_finding() -> None:
    """A page whose text is unmapped glyphs: the export says which page to check."""
    line = TextLine(text="(cid:201)(cid:77) (cid:12)", x0=0, x1=100, top=0, bottom=10, chars=())
    good = TextLine(text="ร้อยละความพึงพอใจของผู้รับบริการ", x0=0, x1=100, top=0, bottom=10, chars=())
    pages = [PageLayout(number=n, width=595, height=842, chars=[], lines=[ln], tables=[])
             for n, ln in ((1, good), (2, line))]
    (warning,) = low_quality_warnings(pages)
    assert warning.page == 2 and "score 0." in warning.message
