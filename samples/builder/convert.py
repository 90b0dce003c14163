"""Convert Word documents to PDF with LibreOffice, and record each PDF in its expected export."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pdfplumber

SOFFICE_TIMEOUT_S = 600
# Tagged PDF, as Word's "Save as PDF" writes by default: paragraphs become marked content, and
# a line that wraps at a space keeps its space glyph even where the space falls past the margin.
PDF_FILTER = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


def docx_to_pdf(docx_files: list[Path], outdir: Path) -> None:
    """Convert `docx_files` to `outdir/<stem>.pdf` in one LibreOffice run.

    LibreOffice refuses to start a second instance on a profile that is in use (and then
    exits 0 without converting), so each run gets a throwaway profile; that also keeps the
    user's own LibreOffice settings out of the output.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) not found; install the libreoffice-writer package")
    with tempfile.TemporaryDirectory(prefix="kamrap-lo-profile-") as profile:
        cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
               "--convert-to", PDF_FILTER, "--outdir", str(outdir), *map(str, docx_files)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT_S)
    missing = [p.name for p in docx_files if not (outdir / f"{p.stem}.pdf").is_file()]
    if done.returncode or missing:
        raise RuntimeError(f"soffice failed (exit {done.returncode}, no PDF for {missing}): "
                           f"{done.stderr.strip() or done.stdout.strip()}")


# LibreOffice stamps each PDF with the conversion time and derives /ID and /DocChecksum from
# it, so two conversions of the same document differ in these bytes only. Fixing them makes a
# rebuild byte-identical (same sha256 in the expected files, no diff to commit) as long as the
# LibreOffice version and fonts are the same.
PDF_DATE = b"20000101000000"
_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{14})")
_DIGESTS = re.compile(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]{32})(>\s*<)([0-9A-Fa-f]{32})(>\s*\])|(/DocChecksum\s*/)([0-9A-Fa-f]{32})")


def make_reproducible(pdf: Path) -> None:
    """Replace `pdf`'s conversion time, /ID and /DocChecksum by values that depend on content only.

    Every replacement has the original's length, so the cross-reference offsets stay valid.
    """
    data = _DATE.sub(lambda m: m.group(1) + PDF_DATE, pdf.read_bytes())
    masked = _DIGESTS.sub(lambda m: b"0" * len(m.group(0)), data)
    digest = hashlib.md5(masked).hexdigest().upper().encode()

    def fill(m: re.Match[bytes]) -> bytes:
        if m.group(6):                                  # /DocChecksum /<hex>
            return m.group(6) + digest
        return m.group(1) + digest + m.group(3) + digest + m.group(5)

    pdf.write_bytes(_DIGESTS.sub(fill, data))


def pdf_facts(pdf: Path) -> tuple[str, int]:
    """Return the SHA-256 (hex) of `pdf`'s bytes and its page count."""
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    with pdfplumber.open(pdf) as doc:
        return digest, len(doc.pages)


def update_expected(expected: Path, pdf_name: str, sha256: str, page_count: int) -> None:
    """Set document.file/sha256/page_count in `expected`; leave everything else as it is.

    The three values are replaced in the text itself, so that the hand layout of the file
    (one criteria level per line, …) survives and a rebuild's diff is three lines. If that is
    not possible (a key missing, unusual layout), the file is rewritten with json.dumps.
    """
    text = expected.read_text(encoding="utf-8")
    data = json.loads(text)
    document = data.setdefault("document", {})
    document.update(sha256=sha256, page_count=page_count, file=pdf_name)
    patched = _patch_document(text, {"file": pdf_name, "sha256": sha256, "page_count": page_count})
    if patched is None or json.loads(patched) != data:
        patched = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    expected.write_text(patched, encoding="utf-8")


_JSON_SCALAR = r'(?:"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|null|true|false)'


def _patch_document(text: str, values: dict[str, str | int]) -> str | None:
    """Replace `values`' keys inside the top-level "document" object of JSON `text`."""
    found = re.search(r'"document"\s*:\s*(?=\{)', text)
    if found is None:
        return None
    start = found.end()
    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError:
        return None
    span = text[start:end]
    for key, value in values.items():
        pattern = re.compile(rf'("{key}"\s*:\s*){_JSON_SCALAR}')
        if len(pattern.findall(span)) != 1:
            return None
        replacement = json.dumps(value, ensure_ascii=False)
        span = pattern.sub(lambda m: m.group(1) + replacement, span)
    return text[:start] + span + text[end:]
