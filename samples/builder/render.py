"""Build a Word document from one transcription (`samples/src/<stem>.json`)."""

from __future__ import annotations

from typing import Any, Callable

from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from . import grid, office, tables
from .fonts import TextMeasure, ThaiFont

Block = dict[str, Any]
SPACE_BEFORE_HEADING_PT = 6
SPACER_PT = 6


class DocumentBuilder:
    """Renders blocks in order, keeping track of pages, orientation and pending page breaks."""

    def __init__(self, font: ThaiFont) -> None:
        self.font = font
        self.measure = TextMeasure(font)
        self.doc: Document = office.new_document(font)
        self.orientation: office.Orientation = "portrait"
        self.fresh_page = True         # nothing on the current page yet: a new page needs no break
        self.pending_break = False     # the next paragraph starts a new page
        self.last_was_table = False    # two adjacent Word tables would fuse into one
        self.renderers: dict[str, Callable[[Block], None]] = {
            "page_break": self.page_break,
            "section": self.section,
            "heading": self.heading,
            "paragraph": self.paragraph,
            "agreement_table": self.wide_table,
            "action_plan_table": self.wide_table,
            "details_page": self.details_page,
            "score_summary_table": self.score_summary_table,
        }

    def render(self, blocks: list[Block]) -> Document:
        """Render `blocks` and return the document."""
        for i, block in enumerate(blocks):
            kind = block.get("type")
            if kind not in self.renderers:
                raise ValueError(f"Block {i}: unknown type {kind!r}; known: {sorted(self.renderers)}")
            try:
                self.renderers[kind](block)
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"Block {i} ({kind}): {exc!r}") from exc
        return self.doc

    # -- pages -------------------------------------------------------------------------------

    def new_page(self, orientation: office.Orientation) -> None:
        """Continue on a new page in `orientation` (a new section only if orientation changes)."""
        if self.fresh_page:
            # The current section has nothing on it yet (document start, or a section block just
            # before a details page): re-orient it instead of leaving an empty page behind.
            office.set_page(self.doc.sections[-1], orientation)
        elif orientation != self.orientation:
            office.set_page(self.doc.add_section(WD_SECTION.NEW_PAGE), orientation)
            self.fresh_page, self.pending_break = True, False
            self.last_was_table = False   # add_section ended the old section with a paragraph
        else:
            self.pending_break = True
        self.orientation = orientation

    def page_break(self, block: Block) -> None:
        if not self.fresh_page:
            self.pending_break = True

    def section(self, block: Block) -> None:
        orientation = block.get("orientation", "portrait")
        if orientation not in office.MARGINS_CM:
            raise ValueError(f"Unknown orientation {orientation!r}")
        self.new_page(orientation)

    @property
    def width_cm(self) -> float:
        return office.usable_width_cm(self.doc.sections[-1])

    # -- text --------------------------------------------------------------------------------

    def new_paragraph(self, text: str = "", *, bold: bool = False, align: str = "left",
                      pt: float | None = None) -> Paragraph:
        """Append a paragraph (on a new page if one is pending); leading spaces become indent."""
        paragraph = self.doc.add_paragraph()
        if self.pending_break:
            paragraph.paragraph_format.page_break_before = True
            self.pending_break = False
        office.set_alignment(paragraph, align)
        text = office.indent_for_leading_spaces(paragraph, text)
        if text:
            office.add_text(paragraph, text, pt=pt, bold=bold)
        self.fresh_page, self.last_was_table = False, False
        return paragraph

    def heading(self, block: Block) -> None:
        paragraph = self.new_paragraph(block["text"], bold=True, align=block.get("align", "left"))
        # Like Word's heading styles: never the last line of a page, apart from what it heads.
        paragraph.paragraph_format.keep_with_next = True

    def paragraph(self, block: Block) -> None:
        self.new_paragraph(block["text"], align=block.get("align", "left"))

    # -- tables ------------------------------------------------------------------------------

    def add_grid(self, table_grid: grid.Grid) -> None:
        """Append a table, separated from a preceding table so Word keeps them apart."""
        if self.pending_break or self.last_was_table:
            self.spacer()
        grid.render(self.doc, table_grid)
        self.fresh_page, self.last_was_table = False, True

    def wide_table(self, block: Block) -> None:
        """An agreement / action-plan table; on landscape pages, as printed, unless the block
        asks for `"orientation": "portrait"` (a portrait page, as some offices type it)."""
        orientation = block.get("orientation", "landscape")
        if orientation not in office.MARGINS_CM:
            raise ValueError(f"Unknown orientation {orientation!r}")
        if self.orientation != orientation:
            self.new_page(orientation)
        spec = tables.WIDE_TABLES[block["type"]]
        self.add_grid(tables.wide_table_grid(block, spec, self.width_cm, self.font.table_pt))

    def score_summary_table(self, block: Block) -> None:
        """A สรุปผลคะแนน table; set in the current orientation (portrait unless a section says)."""
        self.add_grid(tables.score_summary_grid(block, self.width_cm, self.font.table_pt))

    # -- details pages -----------------------------------------------------------------------

    def details_page(self, block: Block) -> None:
        """A รายละเอียดตัวชี้วัด page: title, label table, sections, footer label table."""
        self.new_page("portrait")
        for line in block.get("title", []):
            self.new_paragraph(line, bold=True, align="center")
        ruled = bool(block.get("ruled_fields"))
        if block.get("fields"):
            if block.get("title"):
                self.spacer()
            self.label_table(block["fields"], ruled)
        for section in block.get("sections", []):
            self.details_section(section)
        if block.get("footer_fields"):
            self.spacer()
            self.label_table(block["footer_fields"], ruled)

    def details_section(self, section: Block) -> None:
        """Heading (own line, or run-in with `inline`), paragraphs, then an optional table."""
        heading: str | None = section.get("heading")
        paragraphs: list[str] = list(section.get("paragraphs", []))
        last: Paragraph | None = None
        if heading and section.get("inline") and paragraphs:
            last = self.new_paragraph()
            office.add_text(last, heading, bold=True)
            office.add_text(last, " " + paragraphs.pop(0))
            office.spacing(last, before=SPACE_BEFORE_HEADING_PT)
        elif heading:
            last = self.new_paragraph(heading, bold=True)
            office.spacing(last, before=SPACE_BEFORE_HEADING_PT)
            last.paragraph_format.keep_with_next = True
        for text in paragraphs:
            last = self.new_paragraph(text)
        if section.get("table"):
            if last is not None:
                # The line introducing a table stays on the page where the table starts.
                last.paragraph_format.keep_with_next = True
            self.spacer().paragraph_format.keep_with_next = True
            self.add_grid(tables.details_table_grid(section, self.measure, self.width_cm, self.font.body_pt))

    def label_table(self, pairs: list[list[str]], ruled: bool = False) -> None:
        self.add_grid(tables.label_value_grid(pairs, self.measure, self.width_cm, self.font.body_pt,
                                              borders=ruled))

    def spacer(self) -> Paragraph:
        """A small empty paragraph, the gap typists leave before a table."""
        paragraph = self.new_paragraph(pt=SPACER_PT)
        paragraph.paragraph_format.line_spacing = Pt(SPACER_PT)
        return paragraph


def render_document(src: dict[str, Any], font: ThaiFont) -> Document:
    """Return the Word document for a loaded transcription."""
    blocks = src.get("blocks")
    if not isinstance(blocks, list):
        raise ValueError("Transcription has no 'blocks' list")
    return DocumentBuilder(font).render(blocks)
