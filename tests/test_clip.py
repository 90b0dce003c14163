"""Text outside the clipping path is not text: a viewer does not show it (Word and LibreOffice
clip the part of a table row that a page break pushed to the next page, and draw it there)."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from kamrap.parsers.pdftext import document_text

# A rectangle clip around the left half of the page; "SHOWN" is drawn inside it, "HIDDEN"
# outside it, then, after Q restores the state, "AFTER" anywhere (no clip any more).
CONTENT = b"""
q 0 0 200 800 re W n
BT /F1 12 Tf 20 700 Td (SHOWN) Tj ET
BT /F1 12 Tf 300 700 Td (HIDDEN) Tj ET
Q
BT /F1 12 Tf 300 600 Td (AFTER) Tj ET
"""


def _clipped_pdf(path: Path) -> Path:
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    page = pikepdf.Page(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=pdf.make_stream(CONTENT)))
    pdf.pages.append(page)
    pdf.save(path)
    return path


def test_glyphs_outside_the_clip_are_not_read(tmp_path: Path) -> None:
    text = document_text(_clipped_pdf(tmp_path / "clipped.pdf"))
    assert "SHOWN" in text and "AFTER" in text
    assert "HIDDEN" not in text
