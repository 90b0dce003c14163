"""Parse one PDF: open it, read every page once, classify it, and run the parser for its kind."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Protocol

import regex

from kamrap.text.quality import LOW_QUALITY, text_quality
from kamrap.parsers import action_plan, agreement, details, indicator_table, score_summary
from kamrap.parsers.classify import classify, fiscal_year, organization
from kamrap.parsers.header import Column, TableHeader, read_header
from kamrap.parsers.layout import PageLayout, read_pages
from kamrap.parsers.ocr import OcrMode, OcrUnavailable
from kamrap.parsers.settings import OCR_SETTINGS
from kamrap.parsers.records import PageWarning, ParsedDocument
from kamrap.parsers.vocabulary import DIRECTOR_WORD, PHONE_WORD, FormField, form_label, header_role
from kamrap.parsers.source import UnreadablePDF, describe_pdfminer_error, open_pdf
from kamrap.schema.models import DocumentKind, Failure, FailureKind, FindingKind, Severity


def parse_pdf(path: Path, password: str = "", ocr: OcrMode | str = OcrMode.auto) -> ParsedDocument:
    """Everything kamrap can read from the PDF at `path`; UnreadablePDF if it is not readable
    (or needs OCR and tesseract is not installed). `ocr`: which pages are read from their image
    (see `kamrap.parsers.ocr.OcrMode`)."""
    with open_pdf(path, password) as pdf:
        try:
            pages = read_pages(pdf, OcrMode(ocr))
        except UnreadablePDF:
            raise
        except OcrUnavailable as exc:
            raise UnreadablePDF(path, Failure(kind=FailureKind.ocr_unavailable, reason=str(exc))) from exc
        except Exception as exc:  # pdfminer raises many types on damaged content streams
            raise UnreadablePDF(path, describe_pdfminer_error(exc)) from exc
    return parse_pages(pages)


class DocumentParser(Protocol):
    """What every document kind's parser does: read the kind's records from the pages into
    `parsed` (rows, details, summaries); classification has been done already."""

    def __call__(self, pages: list[PageLayout], parsed: ParsedDocument) -> None: ...


def _agreement(pages: list[PageLayout], parsed: ParsedDocument) -> None:
    # an agreement laid out like the samples (group rows, merged criteria), else any table of
    # indicators read by its header
    parsed.rows = agreement.parse_rows(pages) or indicator_table.parse_rows(pages)
    parsed.details = details.parse_details(pages)


def _action_plan(pages: list[PageLayout], parsed: ParsedDocument) -> None:
    parsed.rows = action_plan.parse_rows(pages)
    parsed.details = details.parse_details(pages)


def _indicator_details(pages: list[PageLayout], parsed: ParsedDocument) -> None:
    parsed.details = details.parse_details(pages)
    parsed.organization = parsed.organization or _unit_of_supervisor(parsed)


def _score_summary(pages: list[PageLayout], parsed: ParsedDocument) -> None:
    parsed.summaries = score_summary.parse_summaries(pages)
    parsed.organization = parsed.organization or _single_unit(parsed)
    if not parsed.summaries:  # scores per indicator without weights (quality assessments)
        read = indicator_table.read_tables(pages)
        parsed.rows, parsed.summaries = read.rows, read.summaries


def _kpi_table(pages: list[PageLayout], parsed: ParsedDocument) -> None:
    parsed.rows = indicator_table.parse_rows(pages)


def _unknown(pages: list[PageLayout], parsed: ParsedDocument) -> None:
    return None


#: The parser of each document kind: a new kind is a new entry (and a module), not a branch.
PARSERS: dict[DocumentKind, DocumentParser] = {
    DocumentKind.agreement: _agreement,
    DocumentKind.action_plan: _action_plan,
    DocumentKind.indicator_details: _indicator_details,
    DocumentKind.score_summary: _score_summary,
    DocumentKind.kpi_table: _kpi_table,
    DocumentKind.unknown: _unknown,
}


def classify_pages(pages: list[PageLayout]) -> DocumentKind:
    """The kind of the document these pages make, from their text, their tables' headers and
    their details-form labels."""
    headers = [h for page in pages for grid in page.tables if (h := read_header(grid)) is not None]
    # a table drawn without ruling lines: its header words over up to three lines
    headers += [h for page in pages if not page.tables for i in range(len(page.lines))
                if (h := line_header(tuple(w for line in page.lines[i:i + 3] for w in line.words)))
                is not None]
    return classify([p.text for p in pages], headers, form_label_count(pages))


def line_header(words: tuple[str, ...]) -> TableHeader | None:
    """The header of a table drawn without ruling lines, from the words of its header lines:
    the roles they name, when they are three or more ("ตัวชี้วัด น้ำหนัก เป้าหมาย")."""
    columns = [Column((i,), role, (word,)) for i, word in enumerate(words)
               if (role := header_role(word)) is not None]
    return TableHeader(rows=0, columns=columns) if len({c.role for c in columns}) >= 3 else None


def form_label_count(pages: list[PageLayout]) -> int:
    """How many distinct details-form fields (หน่วยวัด, สูตรการคำนวณ, แหล่งข้อมูล …) open a line
    or a table cell somewhere in the document."""
    texts = [line.text for page in pages for line in page.lines]
    texts += [cell.text for page in pages for grid in page.tables for row in grid.rows
              for cell in row if cell is not None]
    fields = {form_label(text) for text in texts}
    return len(fields - {None, FormField.indicator, FormField.other})


def parse_pages(pages: list[PageLayout]) -> ParsedDocument:
    texts = [p.text for p in pages]
    kind = classify_pages(pages)
    parsed = ParsedDocument(
        kind=kind, page_count=len(pages),
        organization=organization(texts, kind), fiscal_year=fiscal_year(texts),
    )
    PARSERS[kind](pages, parsed)
    if not any(p.text.strip() for p in pages):
        parsed.warnings.append(PageWarning(None, "no text layer on any page (scanned PDF?)"))
    elif kind == DocumentKind.unknown:
        parsed.warnings.append(PageWarning(
            None, "no performance agreement, details page, action plan or score summary found"))
    elif kind in (DocumentKind.agreement, DocumentKind.action_plan, DocumentKind.kpi_table) \
            and not parsed.rows:
        parsed.warnings.append(PageWarning(None, f"classified as {kind} but no indicator rows were read"))
    elif kind == DocumentKind.score_summary and not (parsed.summaries or parsed.rows):
        parsed.warnings.append(PageWarning(None, "classified as score_summary but no summary table was read"))
    parsed.warnings += low_quality_warnings([p for p in pages if p.ocr is None])
    _mark_ocr(pages, parsed)
    return parsed


def _mark_ocr(pages: list[PageLayout], parsed: ParsedDocument) -> None:
    """Provenance of the pages read from their image: every record printed on one says so
    (method "ocr"), every such page gets an `ocr_page` finding with its mean word confidence,
    and every table cell (or line) holding a word read below `OCR_SETTINGS.low_confidence` a
    `low_confidence` finding naming the page and the cell."""
    scanned = {p.number for p in pages if p.ocr is not None}
    if not scanned:
        return
    for row in parsed.rows:
        row.sources = [replace(s, method="ocr") if s.page in scanned else s for s in row.sources]
    for page in pages:
        if page.ocr is None:
            continue
        read = page.ocr
        parsed.warnings.append(PageWarning(
            page.number, f"page {page.number} read by OCR: mean word confidence {read.mean_confidence:.1f}"
                         f" (turned {read.turn}°, straightened {read.skew:+.1f}°)", kind=FindingKind.ocr_page,
            severity=Severity.info))
        parsed.warnings += _low_confidence(page)


def _low_confidence(page: PageLayout) -> list[PageWarning]:
    """One `low_confidence` warning per table cell, or per line outside tables, holding words
    OCR read with a confidence below `OCR_SETTINGS.low_confidence`."""
    assert page.ocr is not None
    places: dict[str, list[tuple[str, float]]] = {}
    for word in page.ocr.words:
        if word.confidence >= OCR_SETTINGS.low_confidence:
            continue
        x, y = (word.bbox[0] + word.bbox[2]) / 2, (word.bbox[1] + word.bbox[3]) / 2
        place = None
        for t, grid in enumerate(page.tables, 1):
            for r, row in enumerate(grid.rows, 1):
                for c, cell in enumerate(row, 1):
                    if cell is not None and cell.bbox[0] <= x <= cell.bbox[2] and cell.bbox[1] <= y <= cell.bbox[3]:
                        place = f"table {t}, row {r}, column {c}"
        place = place or f"line at {y:.0f} pt from the top"
        places.setdefault(place, []).append((word.text, word.confidence))
    return [PageWarning(page.number, f"page {page.number}, {place}: OCR read "
                        + ", ".join(f"'{text}' ({conf:.0f})" for text, conf in words)
                        + f" with a confidence below {OCR_SETTINGS.low_confidence:.0f}; check it against the page",
                        kind=FindingKind.low_confidence)
            for place, words in places.items()]


def low_quality_warnings(pages: list[PageLayout]) -> list[PageWarning]:
    """A warning for each page whose text layer reads badly (see `kamrap.text.quality`):
    the user checks that page against the PDF, and a later OCR pass knows where to act."""
    warnings = []
    for page in pages:
        quality = text_quality(page.text)
        if quality.score < LOW_QUALITY:
            warnings.append(PageWarning(
                page.number, f"low text quality on page {page.number} ({quality.describe()}); "
                             "check the text read from it against the PDF"))
    return warnings


# "ผู้อำนวยการศูนย์เทคโนโลยีสารสนเทศฯ สป. เบอร์ติดต่อ …": the director (ผู้อำนวยการ) of a unit,
# then a phone number (เบอร์ติดต่อ).
_DIRECTOR = regex.compile("^" + DIRECTOR_WORD + r"\s*(?P<unit>.+?)(?:\s+" + PHONE_WORD + "|$)")


def _unit_of_supervisor(parsed: ParsedDocument) -> str | None:
    """A details-only document often names no unit in its title; the indicator's supervisor is
    the director of the unit it belongs to."""
    for page in parsed.details:
        if page.supervisor and (match := _DIRECTOR.match(page.supervisor.strip())):
            return match["unit"]
    return None


def _single_unit(parsed: ParsedDocument) -> str | None:
    """A summary document is about one unit only when all its tables name the same one; a
    file summarising several units (seed 002: six units of กรมบังคับคดี) has no single
    organization, and each of its summaries carries its own."""
    units = {summary.organization for summary in parsed.summaries}
    return units.pop() if len(units) == 1 else None
