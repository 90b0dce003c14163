"""`kamrap text` as a job for a worker process (`kamrap.ingest.pool.run_isolated`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kamrap.parsers.layout import document_text
from kamrap.parsers.ocr import OcrMode


def text_job(path: Path, sha256: str, password: str, *, pages: Sequence[int] | None = None,
             layout: bool = False, ocr: OcrMode = OcrMode.auto) -> tuple[str, str]:
    """("text", the text of the pages), or ("bad pages", why) for a page the PDF does not
    have; a file that cannot be read raises, as for parsing."""
    try:
        return "text", document_text(path, pages, layout, ocr=ocr)
    except ValueError as exc:
        if "out of range" not in str(exc):
            raise
        return "bad pages", str(exc)
