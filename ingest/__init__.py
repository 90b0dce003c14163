"""Ingest: find PDF files, parse them in worker processes, store the results; one bad file never
stops a batch.

The names below are imported when first used, not with the package: the worker pool's
forkserver imports modules of this package (`kamrap.ingest.preload`) and must not import the
pipeline, and with it the store (see `kamrap.ingest.parse_job`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kamrap.lazy import lazy_names

if TYPE_CHECKING:
    from kamrap.ingest.discover import discover_pdfs as discover_pdfs
    from kamrap.ingest.pipeline import FileOutcome as FileOutcome
    from kamrap.ingest.pipeline import IngestListener as IngestListener
    from kamrap.ingest.pipeline import IngestOptions as IngestOptions
    from kamrap.ingest.pipeline import IngestReport as IngestReport
    from kamrap.ingest.pipeline import ingest_paths as ingest_paths

#: each public name, and the module that defines it
_HOMES = {
    "discover_pdfs": "kamrap.ingest.discover",
    "FileOutcome": "kamrap.ingest.pipeline",
    "IngestListener": "kamrap.ingest.pipeline",
    "IngestOptions": "kamrap.ingest.pipeline",
    "IngestReport": "kamrap.ingest.pipeline",
    "ingest_paths": "kamrap.ingest.pipeline",
}

__all__ = sorted(_HOMES)


__getattr__ = lazy_names(__name__, _HOMES)
