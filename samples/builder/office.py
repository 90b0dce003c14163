"""Low-level python-docx helpers: fonts for Thai, A4 pages, runs, borders, table properties.

python-docx covers only part of WordprocessingML; what it lacks (complex-script fonts and
sizes, table borders, repeated header rows, cell shading) is written here as raw XML, each
element inserted at its schema position so that Word would open the file too.
"""

from __future__ import annotations

from typing import Literal

from docx import Document as new_docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Length, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from .fonts import ThaiFont

Orientation = Literal["portrait", "landscape"]
Align = Literal["left", "center", "right"]

ALIGNMENTS: dict[str, WD_ALIGN_PARAGRAPH] = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}

A4_SHORT, A4_LONG = Cm(21.0), Cm(29.7)
# (top, bottom, left, right): the usual Thai government margins in portrait (wide left margin for
# binding); landscape pages for the wide tables use narrower ones, as the offices do.
MARGINS_CM: dict[Orientation, tuple[float, float, float, float]] = {
    "portrait": (2.0, 2.0, 2.5, 2.0),
    "landscape": (2.0, 1.5, 1.5, 1.5),
}

# Schema order (ECMA-376 CT_RPr, CT_TcPr, CT_TblPr) of the children this module writes, so each
# new element is inserted where Word expects it.
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
    "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)
_TCPR_ORDER = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
)
_TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
)


def put_child(parent: BaseOxmlElement, tag: str, order: tuple[str, ...], **attrs: str) -> BaseOxmlElement:
    """Replace `parent`'s `tag` child with a new one carrying `attrs`, at its schema position."""
    old = parent.find(qn(tag))
    if old is not None:
        parent.remove(old)
    child = OxmlElement(tag, attrs={qn(f"w:{name}"): value for name, value in attrs.items()})
    parent.insert_element_before(child, *order[order.index(tag) + 1:])
    return child


def set_rpr(rpr: BaseOxmlElement, *, family: str | None = None, pt: float | None = None,
            bold: bool | None = None) -> None:
    """Set font, size and weight on a <w:rPr> for Latin *and* complex scripts.

    LibreOffice treats Thai as a complex (CTL) script: it takes the font from w:cs, the size from
    w:szCs and bold from w:bCs, so each setting is written twice.
    """
    if family is not None:
        # A fresh rFonts drops the template's theme-font attributes, which would win over names.
        put_child(rpr, "w:rFonts", _RPR_ORDER, ascii=family, hAnsi=family, eastAsia=family, cs=family)
    if bold is not None:
        value = "1" if bold else "0"
        put_child(rpr, "w:b", _RPR_ORDER, val=value)
        put_child(rpr, "w:bCs", _RPR_ORDER, val=value)
    if pt is not None:
        half_points = str(round(pt * 2))
        put_child(rpr, "w:sz", _RPR_ORDER, val=half_points)
        put_child(rpr, "w:szCs", _RPR_ORDER, val=half_points)


def new_document(font: ThaiFont) -> Document:
    """Return an empty A4 portrait document whose default text is `font` at body size."""
    doc = new_docx()
    styles = doc.styles.element
    defaults_rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_rpr(defaults_rpr, family=font.family, pt=font.body_pt)
    # Thai as the complex-script language: LibreOffice then breaks lines with its Thai dictionary.
    put_child(defaults_rpr, "w:lang", _RPR_ORDER, val="th-TH", eastAsia="th-TH", bidi="th-TH")
    # Single spacing and no space after paragraphs, like documents typed in Word by the offices
    # (the python-docx template has 10pt after and 1.15 line spacing).
    default_ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    default_ppr.find(qn("w:spacing")).set(qn("w:after"), "0")
    default_ppr.find(qn("w:spacing")).set(qn("w:line"), "240")
    # Word's own Normal template turns widow/orphan control on; the python-docx one leaves it off.
    default_ppr.insert(0, OxmlElement("w:widowControl"))
    set_rpr(doc.styles["Normal"].element.get_or_add_rPr(), family=font.family, pt=font.body_pt)
    set_page(doc.sections[0], "portrait")
    props = doc.core_properties
    props.author = props.last_modified_by = "kamrap samples"
    props.title = props.subject = props.comments = ""
    return doc


def set_page(section: Section, orientation: Orientation) -> None:
    """Make `section` an A4 page in `orientation` with that orientation's margins."""
    landscape = orientation == "landscape"
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    top, bottom, left, right = MARGINS_CM[orientation]
    section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
    section.left_margin, section.right_margin = Cm(left), Cm(right)


def usable_width_cm(section: Section) -> float:
    """Return the text width between `section`'s margins, in centimetres."""
    sizes = (section.page_width, section.left_margin, section.right_margin)
    if any(size is None for size in sizes):
        raise ValueError("Section has no page width or margins; call set_page() first")
    page, left, right = (int(size or 0) for size in sizes)
    return float(Length(page - left - right).cm)


def add_text(paragraph: Paragraph, text: str, *, pt: float | None = None, bold: bool = False) -> None:
    """Append `text` to `paragraph` as one run; each "\\n" becomes a line break."""
    run = paragraph.add_run()
    for i, line in enumerate(text.split("\n")):
        if i:
            run.add_break()
        if line:
            run.add_text(line)
    set_rpr(run._r.get_or_add_rPr(), pt=pt, bold=bold or None)


def indent_for_leading_spaces(paragraph: Paragraph, text: str, cm_per_space: float = 0.5) -> str:
    """Turn `text`'s leading spaces into a left indent of `paragraph`; return the rest of it.

    Transcriptions mark list items with leading spaces; typed documents indent them instead.
    """
    stripped = text.lstrip(" ")
    spaces = len(text) - len(stripped)
    if spaces:
        paragraph.paragraph_format.left_indent = Cm(spaces * cm_per_space)
    return stripped


def set_alignment(paragraph: Paragraph, align: str) -> None:
    """Align `paragraph` left/center/right; raises ValueError for anything else."""
    if align not in ALIGNMENTS:
        raise ValueError(f"Unknown alignment {align!r}; expected one of {sorted(ALIGNMENTS)}")
    paragraph.alignment = ALIGNMENTS[align]


def spacing(paragraph: Paragraph, *, before: float = 0, after: float = 0) -> None:
    """Set the space before/after `paragraph`, in points."""
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)


def set_table_layout(table: Table, widths_cm: list[float]) -> None:
    """Give `table` fixed column widths (long cells wrap instead of widening the table)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    put_child(tbl_pr, "w:tblW", _TBLPR_ORDER, w=str(_twips(sum(widths_cm))), type="dxa")
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def set_table_borders(table: Table, visible: bool) -> None:
    """Draw every border of `table` (outer and between all cells) as single 0.5pt lines, or none."""
    borders = put_child(table._tbl.tblPr, "w:tblBorders", _TBLPR_ORDER)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        if visible:
            for name, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
                line.set(qn(f"w:{name}"), value)
        else:
            line.set(qn("w:val"), "nil")
        borders.append(line)


def repeat_as_header(row: _Row) -> None:
    """Mark `row` as a header row that Word/LibreOffice repeat at the top of every page."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def shade(cell: _Cell, fill: str) -> None:
    """Fill `cell`'s background with the hex colour `fill` (e.g. "D9D9D9")."""
    put_child(cell._tc.get_or_add_tcPr(), "w:shd", _TCPR_ORDER, val="clear", color="auto", fill=fill)


def set_vertical_center(cell: _Cell) -> None:
    """Centre `cell`'s content vertically (header cells spanning several rows)."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _twips(cm: float) -> int:
    return round(cm / 2.54 * 1440)
