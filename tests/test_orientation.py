"""Pages whose text runs sideways or upside down are read turned upright."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from conftest import FIXTURES, SAMPLES, sample_export
from kamrap.ingest.parse_job import parse_file
from kamrap.parsers.orientation import glyph_direction
from kamrap.parsers.pdftext import document_text

REAL_PAGE = FIXTURES / "real" / "excel_distiller_mai_tri.pdf"  # one Excel/Distiller page


def _rotated(source: Path, target: Path, degrees: int) -> Path:
    """`source` with every page's /Rotate turned `degrees` further: the text runs sideways."""
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            page.Rotate = (int(page.obj.get("/Rotate", 0)) + degrees) % 360
        pdf.save(target)
    return target


def _drawn_sideways(source: Path, target: Path) -> Path:
    """`source` with every page drawn turned 90° anticlockwise on a landscape page (no /Rotate):
    how a landscape table set on a portrait page looks from the other side."""
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
            width, height = x1 - x0, y1 - y0
            page.MediaBox = [0, 0, height, width]
            # map (x, y) to (height - (y - y0), x - x0): a quarter turn anticlockwise
            page.contents_add(pdf.make_stream(f"q 0 1 -1 0 {height + y0:g} {-x0:g} cm".encode()), prepend=True)
            page.contents_add(pdf.make_stream(b"Q"))
        pdf.save(target)
    return target


@pytest.mark.parametrize(
    ("matrix", "direction"),
    [
        ((12, 0, 0, 12, 100, 700), 0),
        ((0, 12, -12, 0, 100, 700), 90),  # baseline runs up the page
        ((-12, 0, 0, -12, 100, 700), 180),
        ((0, -12, 12, 0, 100, 700), 270),
        ((11.9, 0.5, -0.5, 11.9, 0, 0), 0),  # slightly tilted is still horizontal
    ],
)
def test_glyph_direction(matrix: tuple[float, ...], direction: int) -> None:
    assert glyph_direction(matrix) == direction


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_rotated_page_reads_as_the_upright_one(tmp_path: Path, degrees: int) -> None:
    upright = document_text(REAL_PAGE)
    assert "ตำบลศาลายา" in upright  # the page has text to compare
    assert document_text(_rotated(REAL_PAGE, tmp_path / "rotated.pdf", degrees)) == upright


def test_a_page_drawn_sideways_reads_as_the_upright_one(tmp_path: Path) -> None:
    upright = document_text(REAL_PAGE)
    assert document_text(_drawn_sideways(REAL_PAGE, tmp_path / "sideways.pdf")) == upright


def test_layout_of_a_rotated_page(tmp_path: Path) -> None:
    rotated = _rotated(REAL_PAGE, tmp_path / "rotated.pdf", 90)
    assert document_text(rotated, layout=True) == document_text(REAL_PAGE, layout=True)


@pytest.mark.skipif(not (SAMPLES / "agreement_ict_2564.pdf").exists(), reason="sample PDF not built")
def test_a_rotated_agreement_parses_to_the_same_export(tmp_path: Path,
                                                      tmp_path_factory: pytest.TempPathFactory) -> None:
    # ruled tables are found on the turned page too: the same indicators, criteria and findings
    source = SAMPLES / "agreement_ict_2564.pdf"
    rotated = _rotated(source, tmp_path / "agreement_ict_2564.pdf", 270)
    expected = sample_export(tmp_path_factory, "agreement_ict_2564")  # the upright file's, once per run
    assert parse_file(rotated, "0" * 64).model_dump(mode="json") == expected
