"""Ingest: find PDF files, parse each one, store the result; one bad file never stops a batch."""

from kamrap.ingest.discover import discover_pdfs
from kamrap.ingest.pipeline import FileOutcome, IngestReport, ingest_paths

__all__ = ["FileOutcome", "IngestReport", "discover_pdfs", "ingest_paths"]
