"""Parsers: a PDF in, plain records (`ParsedDocument`) out. No database, no typed values."""

from kamrap.parsers.document import parse_pdf
from kamrap.parsers.records import ParsedDocument
from kamrap.parsers.source import UnreadablePDF

__all__ = ["ParsedDocument", "UnreadablePDF", "parse_pdf"]
