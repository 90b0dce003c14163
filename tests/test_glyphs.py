"""parsers.glyphs: glyphs without (or with a wrong) Unicode mapping, identified by outline and
dictionary. Real glyphs: the Distiller/DilleniaUPC pages cut from ../shared/real-pdfs and the
LibreOffice fixture with its ActualText removed."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from kamrap.parsers import glyphs, pdftext
from kamrap.parsers.glyphs import (
    Candidate,
    chamfer_distance,
    choose_by_dictionary,
    font_glyphs,
    identify_glyph,
    mapping_contradicts_outline,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXCEL = FIXTURES / "real" / "excel_distiller_raised_tone_marks.pdf"
MAI_TRI = FIXTURES / "real" / "excel_distiller_mai_tri.pdf"
LIBREOFFICE = FIXTURES / "text" / "libreoffice_thai.pdf"

MAI_EK, MAI_THO, MAI_TRI_, THANTHAKHAT = "\u0e48", "\u0e49", "\u0e4a", "\u0e4c"


def _unknown_units(page: pdfplumber.page.Page) -> dict[tuple[str, int], list[pdftext._Unit]]:
    out: dict[tuple[str, int], list[pdftext._Unit]] = {}
    for u in pdftext._units(pdftext._interpret(page)):
        if u.unknown and u.font is not None and u.cid is not None:
            out.setdefault((u.fontname, u.cid), []).append(u)
    return out


@pytest.fixture
def bare_libreoffice(tmp_path: Path) -> Path:
    """The LibreOffice fixture without its marked content (ActualText spans)."""
    path = tmp_path / "bare.pdf"
    with pikepdf.open(LIBREOFFICE) as pdf:
        page = pdf.pages[0]
        ops = [(o, op) for o, op in pikepdf.parse_content_stream(page) if str(op) not in ("BDC", "EMC")]
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
        pdf.save(path)
    return path


# --- outlines ----------------------------------------------------------------------------


def test_raised_tone_marks_by_outline_alone() -> None:
    """DilleniaUPC's raised tone marks have no ToUnicode entry in Distiller's output; the nearest
    mapped outline (no dictionary: no contexts) names each of them."""
    with pdfplumber.open(EXCEL) as pdf:
        unknown = _unknown_units(pdf.pages[0])
    found = {cid: identify_glyph(units[0].font, cid) for (_, cid), units in unknown.items()}
    assert found == {201: MAI_EK, 202: MAI_THO, 205: THANTHAKHAT}


def test_candidates_are_ranked_by_outline() -> None:
    with pdfplumber.open(MAI_TRI) as pdf:
        unknown = _unknown_units(pdf.pages[0])
    font = next(units[0].font for (_, cid), units in unknown.items() if cid == 203)
    candidates = font_glyphs(font).candidates(203)
    assert candidates[0].text == MAI_TRI_  # the raised MAI TRI is nearest the ordinary one
    finite = [c.distance for c in candidates if c.distance < math.inf]
    assert finite == sorted(finite)
    # Thai marks no glyph of the font is mapped to come last, with no outline to back them
    assert candidates[-1].distance == math.inf


def test_chamfer_distance() -> None:
    square = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
    assert chamfer_distance(square, square) == 0.0
    shifted = [(x + 0.5, y) for x, y in square]
    assert chamfer_distance(square, shifted) == chamfer_distance(shifted, square) > 0
    assert chamfer_distance(square, []) == math.inf


# --- the dictionary ----------------------------------------------------------------------


def test_dictionary_chooses_between_close_outlines() -> None:
    candidates = [Candidate(MAI_THO, 10.0), Candidate(MAI_EK, 12.0)]
    assert choose_by_dictionary(candidates, [("เครื", "องมือ")]).text == MAI_EK  # เครื่องมือ
    assert choose_by_dictionary(candidates, [("ห", "อง")]).text == MAI_THO  # ห้อง
    assert choose_by_dictionary(candidates, []).text == MAI_THO  # no context: nearest outline
    # a candidate far from the nearest outline is not tried, whatever the dictionary says
    far = [Candidate(MAI_THO, 10.0), Candidate(MAI_EK, 30.0)]
    assert choose_by_dictionary(far, [("เครื", "องมือ")]).text == MAI_THO


def test_dictionary_needs_evidence_for_characters_without_outline() -> None:
    unseen = [Candidate("\u0e38", math.inf), Candidate("\u0e39", math.inf)]  # SARA U, SARA UU
    assert choose_by_dictionary(unseen, [("ผ", "้รับบริการ")]).text == "\u0e39"  # ผู้รับบริการ
    assert choose_by_dictionary(unseen, [("กล", "่มงาน")]).text == "\u0e38"  # กลุ่มงาน
    assert choose_by_dictionary(unseen, [("abc", "def")]) is None  # no reading is better
    assert choose_by_dictionary(unseen, []) is None


def test_a_mark_is_not_its_own_neighbour() -> None:
    """(cid:203) after SARA I: a second SARA I would vanish in the repair and cost nothing,
    but a glyph that is drawn adds something."""
    candidates = [Candidate(MAI_TRI_, 40.0), Candidate("\u0e34", 60.0)]
    assert choose_by_dictionary(candidates, [("เครื่องปริ", "นท์วงจรไฟฟ")]).text == MAI_TRI_


def test_mai_tri_in_context() -> None:
    with pdfplumber.open(MAI_TRI) as pdf:
        text = pdftext.page_text(pdf.pages[0])
    assert "เครื่องปริ๊นท์วงจรไฟฟ้า" in text


# --- mappings the outline contradicts ----------------------------------------------------


def test_libreoffice_positional_mappings(bare_libreoffice: Path) -> None:
    """LibreOffice maps glyphs by their position in the cluster they were first drawn in: in
    ผู้ the SARA UU glyph got MAI THO's text, and the NIKHAHIT glyph of น้ำ got "้ำ"."""
    with pdfplumber.open(bare_libreoffice) as pdf:
        units = pdftext._units(pdftext._interpret(pdf.pages[0]))
    contradicted = {(u.fontname.split("+")[1], u.text) for u in units if u.unknown and not u.text.startswith("(cid:")}
    assert contradicted == {("Garuda", "\u0e49"), ("Laksaman", "\u0e49\u0e33")}
    garuda_uu = next(u for u in units if u.unknown and u.text == "\u0e49")
    assert mapping_contradicts_outline(garuda_uu.font, garuda_uu.cid, "\u0e49")
    assert not mapping_contradicts_outline(garuda_uu.font, garuda_uu.cid, "\u0e39")  # it is below


def test_unmapped_sara_aa_chosen_by_dictionary(bare_libreoffice: Path) -> None:
    """The Garuda subset has no mapped SARA AA: its only SARA AA glyph is the unmapped one.
    Nearest outline is WO WAEN; the dictionary picks SARA AA (การ, กำหนด) over it."""
    with pdfplumber.open(bare_libreoffice) as pdf:
        unknown = _unknown_units(pdf.pages[0])
        units = pdftext._units(pdftext._interpret(pdf.pages[0]))
    found = next(v for k, v in unknown.items() if k[0].endswith("Garuda") and k[1] == 3)
    font, cid = found[0].font, 3
    assert font_glyphs(font).candidates(cid)[0].text == "\u0e27"  # ว
    at = [k for k, u in enumerate(units) if u.font is font and u.cid == cid]
    contexts = pdftext._contexts(units, at, (id(font), cid), {})
    assert identify_glyph(font, cid, contexts) == "\u0e32"


def test_fonts_without_a_program_are_left_alone() -> None:
    """Type 1 base fonts have no embedded program: nothing to compare, no guess."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page = pdf.add_blank_page(page_size=(200, 200))
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(b"BT /F1 12 Tf 20 100 Td (abc) Tj ET")
    buf = io.BytesIO()
    pdf.save(buf)
    buf.seek(0)
    with pdfplumber.open(buf) as doc:
        dev = pdftext._interpret(doc.pages[0])
        g = dev.glyphs[0]
        assert glyphs.font_glyphs(g.font) is None
        assert identify_glyph(g.font, g.cid, [("", "bc")]) is None
        assert pdftext.page_text(doc.pages[0]) == "abc"


# --- mappings the outline contradicts (real KPI fixtures) ----------------------------------

REAL_KPI = FIXTURES / "real_kpi"


def _fonts_by_cid(path: Path, page_number: int) -> dict[tuple[str, int], object]:
    with pdfplumber.open(path) as pdf:
        device = pdftext._interpret(pdf.pages[page_number - 1])
        return {(g.item.fontname, g.cid): g.font for g in device.glyphs}


def test_space_that_draws_ink_is_no_space() -> None:
    """Word 2013 maps TH SarabunPSK's NIKHAHIT glyph (286) to a space; the real space (32) of
    the same font draws nothing and stays a space."""
    fonts = _fonts_by_cid(REAL_KPI / "moph_kpi_template_2559_p1-20.pdf", 1)
    nikhahit = fonts[("ABCDEE+TH SarabunPSK,Bold", 286)]
    space = fonts[("ABCDEE+TH SarabunPSK,Bold", 32)]
    assert glyphs.space_draws_ink(nikhahit, 286)
    assert mapping_contradicts_outline(nikhahit, 286, " ")
    assert not glyphs.space_draws_ink(space, 32)


def test_sara_am_without_its_ring_is_sara_aa() -> None:
    fonts = _fonts_by_cid(REAL_KPI / "moph_kpi_template_2559_p1-20.pdf", 1)
    bold = fonts[("ABCDEE+TH SarabunPSK,Bold", 263)]  # mapped ำ, draws า
    assert glyphs.am_without_ring(bold, 263)
    assert not glyphs.am_without_ring(bold, 286)  # the ring itself: not a glyph on the line
