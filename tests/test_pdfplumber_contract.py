"""kamrap hands pdfplumber two of its private caches (`Page._objects` in parsers/layout.py, so
find_tables sees only ruling objects; `Page._layout` in parsers/pdftext.py, so the layout our
interpreter built is not parsed again). pyproject.toml bounds pdfplumber to the 0.11 series;
these tests fail when a pdfplumber release stops reading those attributes, so the bound is
only raised together with the code that relies on them."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "agreement_ict_2564.pdf"


def test_page_objects_reads_the_objects_cache() -> None:
    with pdfplumber.open(SAMPLE) as pdf:
        page = pdf.pages[0]
        page._objects = {"line": []}
        assert page.objects == {"line": []}
        assert page.lines == [] and page.chars == []  # derived views read the cache too


def test_page_layout_reads_the_layout_cache() -> None:
    with pdfplumber.open(SAMPLE) as pdf:
        page = pdf.pages[0]
        layout = page.layout
        other = pdf.pages[1]
        other._layout = layout
        assert other.layout is layout


def test_pdfplumber_version_is_within_the_bound() -> None:
    major, minor = (int(part) for part in pdfplumber.__version__.split(".")[:2])
    assert (major, minor) == (0, 11)
