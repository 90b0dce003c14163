"""Parsers: a PDF in, plain records (`ParsedDocument`) out. No database, no typed values.

The names below are imported when first used, not with the package: a module that needs
only the records or the settings (`kamrap.normalize`, the read commands of the CLI) does not
load pdfplumber and every parser with them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kamrap.lazy import lazy_names

if TYPE_CHECKING:
    from kamrap.parsers.document import parse_pdf as parse_pdf
    from kamrap.parsers.records import ParsedDocument as ParsedDocument
    from kamrap.parsers.source import UnreadablePDF as UnreadablePDF

#: each public name, and the module that defines it
_HOMES = {
    "parse_pdf": "kamrap.parsers.document",
    "ParsedDocument": "kamrap.parsers.records",
    "UnreadablePDF": "kamrap.parsers.source",
}

__all__ = sorted(_HOMES)


__getattr__ = lazy_names(__name__, _HOMES)
