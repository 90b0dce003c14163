"""Parse one PDF: open it, read every page once, classify it, and run the parser for its kind."""

from __future__ import annotations

from pathlib import Path

import regex

from kamrap.text.quality import LOW_QUALITY, text_quality
from kamrap.parsers import action_plan, agreement, details, score_summary
from kamrap.parsers.classify import classify, fiscal_year, organization
from kamrap.parsers.layout import PageLayout, read_pages
from kamrap.parsers.records import PageWarning, ParsedDocument
from kamrap.parsers.source import UnreadablePDF, describe_pdfminer_error, open_pdf


def parse_pdf(path: Path, password: str = "") -> ParsedDocument:
    """Everything kamrap can read from the PDF at `path`; UnreadablePDF if it is not readable."""
    with open_pdf(path, password) as pdf:
        try:
            pages = read_pages(pdf)
        except UnreadablePDF:
            raise
        except Exception as exc:  # pdfminer raises many types on damaged content streams
            raise UnreadablePDF(path, describe_pdfminer_error(exc)) from exc
    return parse_pages(pages)


def parse_pages(pages: list[PageLayout]) -> ParsedDocument:
    texts = [p.text for p in pages]
    kind = classify(texts)
    parsed = ParsedDocument(
        kind=kind, page_count=len(pages),
        organization=organization(texts, kind), fiscal_year=fiscal_year(texts),
    )
    if kind == "agreement":
        parsed.rows = agreement.parse_rows(pages)
        parsed.details = details.parse_details(pages)
    elif kind == "action_plan":
        parsed.rows = action_plan.parse_rows(pages)
        parsed.details = details.parse_details(pages)
    elif kind == "indicator_details":
        parsed.details = details.parse_details(pages)
        parsed.organization = parsed.organization or _unit_of_supervisor(parsed)
    elif kind == "score_summary":
        parsed.summaries = score_summary.parse_summaries(pages)
        parsed.organization = parsed.organization or _single_unit(parsed)
    if not any(p.text.strip() for p in pages):
        parsed.warnings.append(PageWarning(None, "no text layer on any page (scanned PDF?)"))
    elif kind == "unknown":
        parsed.warnings.append(PageWarning(
            None, "no performance agreement, details page, action plan or score summary found"))
    elif kind in ("agreement", "action_plan") and not parsed.rows:
        parsed.warnings.append(PageWarning(None, f"classified as {kind} but no indicator rows were read"))
    elif kind == "score_summary" and not parsed.summaries:
        parsed.warnings.append(PageWarning(None, "classified as score_summary but no summary table was read"))
    parsed.warnings += low_quality_warnings(pages)
    return parsed


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
_DIRECTOR = regex.compile(r"^ผู้อำนวยการ\s*(?P<unit>.+?)(?:\s+เบอร์|$)")


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
