"""Opening a PDF: turn every way a file can fail to be a readable PDF into one clear reason."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from kamrap.schema.models import Failure, FailureKind


class UnreadablePDF(Exception):
    """The file cannot be read as a PDF: `failure` says why (its kind, and `reason`, one line
    for the user)."""

    def __init__(self, path: Path, failure: Failure) -> None:
        super().__init__(f"{path}: {failure.reason}")
        self.path = path
        self.failure = failure

    @property
    def reason(self) -> str:
        return self.failure.reason


def check_bytes(path: Path) -> None:
    """Cheap checks before pdfminer sees the file: empty, not a PDF, cut short."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(1024)
            handle.seek(max(0, size - 2048))
            tail = handle.read()
    except OSError as exc:
        raise UnreadablePDF(path, Failure.of(FailureKind.unreadable_file, exc.strerror or exc)) from exc
    if size == 0:
        raise UnreadablePDF(path, Failure.of(FailureKind.empty_file))
    if b"%PDF-" not in head:
        raise UnreadablePDF(path, Failure.of(FailureKind.not_a_pdf, "no %PDF- header"))
    if b"%%EOF" not in tail:
        raise UnreadablePDF(path, Failure.of(FailureKind.truncated_pdf, "no %%EOF end marker"))


def open_pdf(path: Path, password: str = "") -> pdfplumber.pdf.PDF:
    """pdfplumber's PDF for `path`, or UnreadablePDF with the reason."""
    check_bytes(path)
    try:
        pdf = pdfplumber.open(path, password=password)
        len(pdf.pages)  # forces the page tree, where damaged files fail
    except PdfminerException as exc:
        raise UnreadablePDF(path, describe_pdfminer_error(exc.args[0] if exc.args else exc)) from exc
    except (PDFPasswordIncorrect, PDFEncryptionError, PDFSyntaxError) as exc:
        raise UnreadablePDF(path, describe_pdfminer_error(exc)) from exc
    return pdf


def describe_pdfminer_error(exc: object) -> Failure:
    """Why pdfminer could not read a file, from what it raised."""
    if isinstance(exc, PDFPasswordIncorrect):
        return Failure.of(FailureKind.encrypted_pdf, "password required or wrong; use --password")
    if isinstance(exc, PDFEncryptionError):
        return Failure(kind=FailureKind.encrypted_pdf, reason=f"encrypted PDF with unsupported encryption ({exc})")
    if isinstance(exc, Exception) and not isinstance(exc, PDFSyntaxError):
        return Failure.of(FailureKind.damaged_pdf, f"{type(exc).__name__}: {exc}")
    return Failure.of(FailureKind.damaged_pdf, exc)
