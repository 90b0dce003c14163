"""Ingest: find PDF files, parse them in worker processes, store the results; one bad file never
stops a batch."""

from kamrap.ingest.discover import discover_pdfs
from kamrap.ingest.pipeline import (
    FileOutcome,
    IngestListener,
    IngestOptions,
    IngestReport,
    ingest_paths,
)

__all__ = ["FileOutcome", "IngestListener", "IngestOptions", "IngestReport", "discover_pdfs", "ingest_paths"]
