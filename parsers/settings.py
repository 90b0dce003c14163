"""Every geometric tolerance of reading a page, in one place (PDF points unless said otherwise).

Resolved once into a frozen `LayoutSettings` and validated there (as pdfplumber's own
`TableSettings`); a parser reads `SETTINGS`, never a bare literal. Tests that try other values
build their own `LayoutSettings(...)`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any


def _check_numbers(settings: object, what: str) -> None:
    """Every field of a settings dataclass is a number (not a bool), at least 0."""
    for setting in fields(settings):  # type: ignore[arg-type]  # a dataclass instance
        value = getattr(settings, setting.name)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise TypeError(f"{what} '{setting.name}' must be a number, not {value!r}")
        if value < 0:
            raise ValueError(f"{what} '{setting.name}' cannot be negative")


@dataclass(frozen=True)
class LayoutSettings:
    # -- text layer (parsers/pdftext.py, parsers/text_table.py) --------------------------------
    #: a horizontal gap wider than this × font size between two glyphs is a word space. Space
    #: glyphs in the Thai office fonts are narrow (DilleniaUPC: 0.22 em; Excel/Distiller often
    #: positions words instead of drawing spaces), while inter-glyph gaps inside words stay
    #: below 0.05 em in the real samples, so 0.12 sits between the two
    space_gap_ratio: float = 0.12
    #: how far apart two glyphs' tops may be and still stand on one line
    line_y_tolerance: float = 3.0
    #: share of a page's glyphs that must run one other way before the page is turned: a
    #: rotated side label or stamp on a page of horizontal text leaves the page as it is
    turn_share: float = 0.6

    # -- ruled tables (pdfplumber's table finder, lines only) ----------------------------------
    #: pdfplumber's snap, join and intersection tolerances for ruling lines
    snap_tolerance: float = 3.0
    join_tolerance: float = 3.0
    intersection_tolerance: float = 3.0

    # -- tables rebuilt from word positions -----------------------------------------------------
    #: a gutter narrower than this is a gap between two words of one cell, not a column gap
    min_gutter: float = 2.0

    # -- reading order of description lines (parsers/reading.py) --------------------------------
    #: a gap between two words wider than this many font sizes separates columns
    column_gap_ems: float = 2.5
    #: a continuation line starts at least this many font sizes right of the description …
    hanging_indent_ems: float = 0.3
    #: … all of them at the same margin, give or take this many points …
    margin_tolerance: float = 1.5
    #: … its top at most this many line heights below the previous line's bottom …
    line_gap_heights: float = 1.0
    #: … in the same type size, give or take this share
    size_tolerance: float = 0.15

    # -- indicator tables (parsers/header.py, parsers/indicator_table.py) -----------------------
    #: how far apart two tables' column centres may be and still be one table continued on the
    #: next page without its header
    continued_table_tolerance: float = 3.0
    #: how far apart a repeated header's column centres may be from the first page's (producers
    #: re-lay a repeated header a few points differently)
    repeated_header_tolerance: float = 10.0
    #: slack when asking whether a header cell lies over a column's centre, and how far from a
    #: word a cut between two columns is put
    cell_margin: float = 0.5
    #: how far a line may overhang the box it is placed in (a cell, a table, a column's cut)
    box_slack: float = 2.0
    #: how far from 100 a column's numbers may sum and still be read as weights
    weight_sum_tolerance: float = 0.5
    #: a details page names a table row when their names are at least this alike
    #: (`kamrap.text.thai.similarity`; a scan misreads a letter or two), and more alike than
    #: with any other row by `name_margin`
    same_name: float = 0.85
    name_margin: float = 0.05
    #: header rows looked for among a table's first rows
    header_search_rows: int = 4

    # -- details forms (parsers/details.py) ------------------------------------------------------
    #: folios stand in this outer share of the page, above or below the text
    folio_margin: float = 0.1
    #: how far a row's first cell may end from the label column's edge and still be its label
    label_edge_slack: float = 8.0
    #: how close a cell must come to the grid's edge to reach it
    edge_touch: float = 2.0
    #: rows of one page's form that must name known labels for a grid to be a form
    min_form_rows: int = 2
    #: how far a line may start right or left of the one above and still continue it in a cell
    cell_indent: float = 6.0
    #: how far above a details-form table its heading may start (three lines of body text)
    heading_reach: float = 40.0
    #: the largest gap (as a fraction of the line height) between two lines of one heading
    heading_line_gap: float = 0.8

    def __post_init__(self) -> None:
        _check_numbers(self, "Layout setting")
        for share in ("space_gap_ratio", "turn_share", "folio_margin", "size_tolerance"):
            if getattr(self, share) > 1:
                raise ValueError(f"Layout setting '{share}' is a share and cannot exceed 1")

    def table_finder(self) -> dict[str, Any]:
        """pdfplumber `find_tables` settings: tables from ruling lines only (office documents
        draw every cell border)."""
        return {"vertical_strategy": "lines", "horizontal_strategy": "lines",
                "snap_tolerance": self.snap_tolerance, "join_tolerance": self.join_tolerance,
                "intersection_tolerance": self.intersection_tolerance}


SETTINGS = LayoutSettings()


@dataclass(frozen=True)
class OcrSettings:
    """The tolerances of reading a page from its image (parsers/ocr.py, ocr_digits.py, layout.py)."""

    #: Resolution pages are rendered at for OCR (dots per inch): tesseract reads 10–12 pt Thai
    #: best at about 300 dpi; its marks above and below the line get lost much lower.
    dpi: int = 300
    #: Resolution for orientation detection and skew: the shape of text lines is enough.
    coarse_dpi: int = 100
    #: A word read with a confidence below this (tesseract's 0–100) is reported (`low_confidence`).
    low_confidence: float = 60.0
    #: Tesseract's orientation answer is taken when at least this confident (its own scale; a
    #: wrong answer on an upright page stays well below it).
    orientation_confidence: float = 5.0
    #: Skew searched for, in degrees either way, and the step of the search.
    max_skew: float = 3.0
    skew_step: float = 0.1
    #: A horizontal gap between two glyphs wider than this × the height of the line's letters
    #: (its consonants, marks left out) is a word space. Glyph boxes from OCR are ink boxes:
    #: inside a word the gaps are side bearings (up to about 0.4 of a consonant's height at
    #: 300 dpi), a Thai word space is half of it or more (the gaps of a page fall in two
    #: groups either side of 0.5).
    space_gap: float = 0.5
    #: Where a number or a Latin word meets a Thai letter the gap inside a word is the
    #: glyph's side bearing alone (about 0.1–0.2 of the letters' height: "๖เดือน"), so a
    #: narrower gap than `space_gap` is already a word space ("ล้มละลาย ๒", "QR code ให้").
    number_space_gap: float = 0.3
    #: Two words closer than this × the letters' height are joined when the dictionary reads
    #: them as one (a wide letter's side bearing read as a space: "จำ นวน").
    join_gap: float = 0.9
    #: A text line tesseract split off the one below it (its stacked marks) is a band at most
    #: this × as tall as that line, reaching into it by at least `split_reach` × its own
    #: height, over a shared stretch of at least `split_shared` × the narrower line's width
    #: (a table row's lines are as tall as each other and only touch).
    split_band: float = 0.75
    split_reach: float = 0.3
    split_shared: float = 0.5
    #: An OCR word of letters or digits less tall than this × the page's letters (the median
    #: height of its lines' consonants) is a speck of the scan, not text: the smallest letters
    #: of a page (a footnote's) are about 0.7 of its body text's.
    speck_height: float = 0.55
    #: Two headings read from page images are the same heading when at least this alike
    #: (`kamrap.text.thai.similarity`): a repeated table header whose unit name OCR misread by
    #: a letter or two still continues its table; two units' names share far less.
    same_heading: float = 0.85
    #: A stroke at least this long (inches) is a ruling line, not part of a letter.
    min_rule_inches: float = 0.3
    #: How far past Otsu's threshold towards white a pixel still counts as a rule's ink.
    rule_leniency: float = 0.0
    #: A ruled stroke thicker than this (inches) is a filled box: its edges are its lines.
    max_rule_inches: float = 0.06
    #: A page read upright with a mean word confidence below this is asked its orientation.
    orientation_retry: float = 70.0
    #: Side of the square every shape is normalised to (pixels).
    digit_box: int = 32
    #: A shape is read as a glyph when its correlation with the glyph's nearest drawing is at
    #: least this (1 = the same image), and clearly better than with any other glyph.
    digit_correlation: float = 0.72
    #: … and better than with the next glyph by at least this
    digit_margin: float = 0.02
    #: A page is a scan when one image covers at least this share of it.
    scan_cover: float = 0.5
    #: The first rows of a table found in an image, where its header is, are read again cell by
    #: cell (tesseract lays a header's short, tight lines out worst).
    header_rows_reread: int = 3

    def __post_init__(self) -> None:
        _check_numbers(self, "OCR setting")

OCR_SETTINGS = OcrSettings()


class OcrMode(StrEnum):
    """When a page is read from its image (``kamrap ingest --ocr``; see `kamrap.parsers.ocr`).
    Here, away from the OCR code and numpy, so that the CLI can offer the choice without
    loading them."""

    auto = "auto"  # pages with no visible text, or a scanned page whose text reads badly
    always = "always"  # every page
    never = "never"  # never: a scan stays without text
