"""What a worker process runs for one file: parsers → normalize, nothing stored.

Kept apart from `kamrap.ingest.pipeline` so that the worker pool's forkserver, which imports
this (`kamrap.ingest.preload`), never imports the store: SQLite and sqlite-utils (and pandas,
which sqlite-utils imports when it is installed) are the main process's alone, and every
worker starts without them, sooner and smaller."""

from __future__ import annotations

from pathlib import Path

from kamrap.ingest.names import display_name
from kamrap.normalize.canonical import to_export
from kamrap.parsers import parse_pdf
from kamrap.schema.models import Export


def parse_file(path: Path, sha256: str, password: str = "", ocr: str = "auto") -> Export:
    """The canonical export of one PDF (parsers → normalize), without storing it."""
    return to_export(parse_pdf(path, password, ocr), file=display_name(path.name), sha256=sha256)
