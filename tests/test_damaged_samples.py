"""Damaged copies of the samples parse to the same export as the originals.

The samples are LibreOffice PDFs: SARA AM and the shifted tone marks are drawn as glyphs whose
ToUnicode text is wrong or partial, mended by ``/ActualText`` spans. Other producers do without
the spans and leave those glyphs unmapped (Acrobat Distiller), map them to the private-use
code points of the legacy Thai fonts (TH SarabunPSK era), or map SARA AM's two glyphs to
NIKHAHIT and SARA AA. Each copy below is made from a sample with pikepdf to look like one of
those producers' output; kamrap must read every one of them exactly as it reads the original.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pikepdf
import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont
from pikepdf import Dictionary, Name

from conftest import SAMPLES, once_per_run, pages_once, sample_stems
from kamrap.ingest.parse_job import parse_file
from kamrap.normalize.canonical import to_export
from kamrap.parsers.document import parse_pages

SHA = "0" * 64
STEMS = sample_stems()
SARA_AM = "\u0e33"
NIKHAHIT = "\u0e4d"
MARKS = set("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")


# --- pikepdf helpers ---------------------------------------------------------------------


def _is_actualtext(operands: list, page: pikepdf.Page) -> str | None:
    """The ActualText of a BDC, inline or named in the page's /Properties."""
    props = operands[1] if len(operands) > 1 else None
    if isinstance(props, Name):
        props = page.Resources.get("/Properties", Dictionary()).get(props)
    if isinstance(props, Dictionary) and "/ActualText" in props:
        return str(props.ActualText)
    return None


def _spans(page: pikepdf.Page) -> list[tuple[str, str, list[int]]]:
    """(font resource name, ActualText, codes drawn) of every ActualText span on the page.

    An instruction's operator is read as an attribute and its operands only where needed:
    unpacking every instruction (``for operands, op in …``) costs ten times as much."""
    out = []
    font, stack = None, []
    for instruction in pikepdf.parse_content_stream(page):
        op = str(instruction.operator)
        if op == "Tf":
            font = str(instruction.operands[0])
        elif op == "BDC":
            text = _is_actualtext(list(instruction.operands), page)
            stack.append(None if text is None else (font, text, []))
        elif op == "BMC":
            stack.append(None)
        elif op == "EMC" and stack:
            span = stack.pop()
            if span is not None:
                out.append(span)
        elif op in ("Tj", "TJ", "'", '"') and stack and stack[-1] is not None:
            operands = instruction.operands
            strings = operands[0] if op == "TJ" else [operands[-1]]
            stack[-1][2].extend(b for s in strings if isinstance(s, pikepdf.String) for b in bytes(s))
    return out


def _strip_spans(pdf: pikepdf.Pdf, page: pikepdf.Page, keep: Callable[[str], bool] = lambda text: False) -> None:
    """Remove the ActualText spans (BDC … EMC, the glyphs stay) whose text ``keep`` rejects.
    The instructions kept are qpdf's own objects (written back far faster than tuples)."""
    out, stack = [], []
    for instruction in pikepdf.parse_content_stream(page):
        name = str(instruction.operator)
        if name in ("BDC", "BMC"):
            text = _is_actualtext(list(instruction.operands), page) if name == "BDC" else None
            drop = text is not None and not keep(text)
            stack.append(drop)
            if drop:
                continue
        elif name == "EMC" and stack and stack.pop():
            continue
        out.append(instruction)
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))


def _remap(pdf: pikepdf.Pdf, font: Dictionary, codes: dict[int, str | None]) -> None:
    """Rewrite the ToUnicode bfchar entries of ``codes``: new text, or no entry (None)."""
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    assert "bfrange" not in cmap  # LibreOffice writes bfchar only

    def entry(m: re.Match[str]) -> str:
        code = int(m.group(1), 16)
        if code not in codes:
            return m.group(0)
        text = codes[code]
        return "" if text is None else f"<{m.group(1)}> <{text.encode('utf-16-be').hex().upper()}>"

    block = re.compile(r"(\d+) beginbfchar\n(.*?)endbfchar", re.S)

    def rewrite(m: re.Match[str]) -> str:
        lines = [entry(e) for e in re.finditer(r"<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>", m.group(2))]
        lines = [line for line in lines if line]
        return f"{len(lines)} beginbfchar\n" + "".join(line + "\n" for line in lines) + "endbfchar"

    font.ToUnicode = pdf.make_stream(block.sub(rewrite, cmap).encode("latin-1"))


# The installed TLW fonts (fonts-thai-tlwg, which the samples were made with) name their glyphs
# by character and variant: uni0E48.low is MAI EK shifted down. The variants' private-use code
# points in the legacy Thai fonts, by suffix (Windows PUA; see kamrap.text.thai):
PUA_BY_VARIANT = {
    "low": dict(zip("\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e38\u0e39\u0e3a",
                    "\uf70a\uf70b\uf70c\uf70d\uf70e\uf718\uf719\uf71a")),  # shifted down
    "low_left": dict(zip("\u0e48\u0e49\u0e4a\u0e4b\u0e4c", "\uf705\uf706\uf707\uf708\uf709")),
    "left": dict(zip("\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47\u0e4d",
                     "\uf713\uf714\uf715\uf716\uf717\uf710\uf701\uf702\uf703\uf704\uf712\uf711")),
    "descless": {"\u0e0d": "\uf70f", "\u0e10": "\uf700"},  # consonants without descender
}
TLWG = Path("/usr/share/fonts/truetype/tlwg")


def _signature(glyph_set: object, name: str) -> tuple:
    pen = DecomposingRecordingPen(glyph_set)
    glyph_set[name].draw(pen)
    return tuple((op, tuple(pt and tuple(round(v) for v in pt) for pt in pts)) for op, pts in pen.value)


@lru_cache(maxsize=None)
def _installed(family: str) -> dict[tuple, str] | None:
    """Outline signature → glyph name of an installed TLWG font (None if not installed)."""
    path = TLWG / f"{family}.ttf"
    if not path.exists():
        return None
    font = TTFont(path)
    glyph_set = font.getGlyphSet()
    return {_signature(glyph_set, name): name for name in font.getGlyphOrder()}


def _true_glyphs(font: Dictionary) -> dict[int, tuple[str, str]]:
    """Code → (character, variant suffix or "") of the font's Thai mark and consonant glyphs,
    found by matching each glyph's outline with the installed font of the same name."""
    return _true_glyphs_of(str(font.BaseFont).split("+", 1)[-1], font.FontDescriptor.FontFile2.read_bytes())


@lru_cache(maxsize=None)
def _true_glyphs_of(family: str, program: bytes) -> dict[int, tuple[str, str]]:
    """`_true_glyphs` of one embedded font program (the same for every copy of a sample)."""
    names = _installed(family)
    if names is None:  # not a Thai font of the samples (DejaVu Sans for the bullets)
        return {}
    subset = TTFont(io.BytesIO(program))
    glyph_set = subset.getGlyphSet()
    cmap = subset["cmap"].getcmap(1, 0).cmap  # LibreOffice: code → glyph
    out = {}
    for code, glyph in cmap.items():
        name = names.get(_signature(glyph_set, glyph), "")
        if name.startswith("uni0E"):
            base, _, variant = name.partition(".")
            out[code] = (chr(int(base[3:], 16)), variant)
    return out


def _mapped_by_shape(pdf: pikepdf.Pdf, pua: bool) -> None:
    """Every Thai glyph mapped to the character it draws, as a producer without ActualText
    does; the shifted variants mapped to their private-use code point (``pua``) or not at all."""
    done = set()
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            if font.objgen in done or "/ToUnicode" not in font:
                continue
            done.add(font.objgen)
            codes: dict[int, str | None] = {}
            for code, (char, variant) in _true_glyphs(font).items():
                if variant in PUA_BY_VARIANT and char in PUA_BY_VARIANT[variant]:
                    codes[code] = PUA_BY_VARIANT[variant][char] if pua else None
                elif char in MARKS:
                    codes[code] = char
            _remap(pdf, font, codes)
        _strip_spans(pdf, page)


# --- the damaged copies ------------------------------------------------------------------


def actualtext_removed(pdf: pikepdf.Pdf) -> None:
    """No ActualText at all: every glyph's own ToUnicode text, right or wrong, is all there is."""
    for page in pdf.pages:
        _strip_spans(pdf, page)


def shifted_marks_unmapped(pdf: pikepdf.Pdf) -> None:
    """Acrobat Distiller's way: the shifted variants of the marks have no ToUnicode entry."""
    _mapped_by_shape(pdf, pua=False)


def shifted_marks_pua(pdf: pikepdf.Pdf) -> None:
    """The legacy Thai fonts' way: the shifted variants map to the private-use code points
    U+F700–U+F71A."""
    _mapped_by_shape(pdf, pua=True)


def sara_am_two_glyphs(pdf: pikepdf.Pdf) -> None:
    """SARA AM as NIKHAHIT + SARA AA with nothing to join them: the spans whose text holds
    SARA AM go, and the NIKHAHIT glyph (mapped to SARA AM by LibreOffice) maps to NIKHAHIT."""
    for page in pdf.pages:
        fonts = page.Resources.Font
        nikhahit: dict[tuple[int, int], tuple[Dictionary, int]] = {}
        for font_name, text, codes in _spans(page):
            if SARA_AM in text and codes:
                font = fonts[font_name]
                nikhahit[font.objgen] = (font, codes[0])
        for font, code in nikhahit.values():
            _remap(pdf, font, {code: NIKHAHIT})
        _strip_spans(pdf, page, keep=lambda text: SARA_AM not in text)


DAMAGES = {f.__name__: f for f in (actualtext_removed, shifted_marks_unmapped, shifted_marks_pua, sara_am_two_glyphs)}


def _export(path: Path) -> dict:
    return _comparable(parse_file(path, SHA).model_dump())


def _comparable(dump: dict) -> dict:
    dump["document"].pop("sha256")
    dump["document"].pop("file")
    return dump


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """The export of every undamaged sample, once per run (conftest.once_per_run: one xdist
    worker builds, the others read), from the pages ingest reads (conftest.pages_once: read
    once per run for the other tests of the samples' pages too), as `parse_file` makes it."""
    return once_per_run(tmp_path_factory, "damaged-originals", lambda folder: {
        stem: _comparable(to_export(parse_pages(pages_once(tmp_path_factory, SAMPLES / f"{stem}.pdf")),
                                    file=f"{stem}.pdf", sha256=SHA).model_dump())
        for stem in STEMS})


needs_tlwg = pytest.mark.skipif(not (TLWG / "Laksaman.ttf").exists(),
                                reason="fonts-thai-tlwg not installed: the glyphs' identities are unknown")


@needs_tlwg
@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("stem", STEMS)
def test_damaged_copy_parses_like_the_original(stem: str, damage: str, tmp_path: Path,
                                               originals: dict[str, dict]) -> None:
    copy = tmp_path / f"{stem}.pdf"
    with pikepdf.open(SAMPLES / f"{stem}.pdf") as pdf:
        DAMAGES[damage](pdf)
        pdf.save(copy)
    assert _export(copy) == originals[stem]


@needs_tlwg
def test_the_damage_is_real(tmp_path: Path) -> None:
    """Each copy's raw text differs from the original's; where only the glyph identification
    can tell the glyphs (no ActualText, no mapping), the text without it differs too."""
    import pdfplumber

    from kamrap.parsers.pdftext import page_text

    stem = "agreement_ict_2564"
    with pdfplumber.open(SAMPLES / f"{stem}.pdf") as pdf:
        original = page_text(pdf.pages[1])
    for name, damage in DAMAGES.items():
        copy = tmp_path / f"{name}.pdf"
        with pikepdf.open(SAMPLES / f"{stem}.pdf") as pdf:
            damage(pdf)
            pdf.save(copy)
        with pdfplumber.open(copy) as pdf:
            raw = "".join(c["text"] for c in pdf.pages[1].chars)
            if name in ("actualtext_removed", "shifted_marks_unmapped"):
                assert page_text(pdf.pages[1], resolve_glyph=None) != original, name
            assert page_text(pdf.pages[1]) == original, name
        if name == "shifted_marks_unmapped":
            assert "(cid:" in raw
        if name == "shifted_marks_pua":
            assert any(0xF700 <= ord(ch) <= 0xF71A for ch in raw)
        if name == "sara_am_two_glyphs":
            assert NIKHAHIT in raw
