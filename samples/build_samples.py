"""Build the sample PDFs from their transcriptions: samples/src/<stem>.json → samples/<stem>.pdf.

Run from the repository root:

    /tmp/venv/bin/python samples/build_samples.py            # every samples/src/*.json
    /tmp/venv/bin/python samples/build_samples.py details_moi_2556 agreement_ict_2564
    /tmp/venv/bin/python samples/build_samples.py --keep-docx /tmp/docx   # also keep the .docx
    /tmp/venv/bin/python samples/build_samples.py 'variant_*'   # the layout variants only

Each transcription (format: samples/src/FORMAT.md) is rendered with python-docx to a Word
document like the ones Thai offices type (A4, Thai font, bordered tables with repeated header
rows, landscape pages for the wide tables), converted to PDF by LibreOffice, and the PDF's
sha256 and page count are written into samples/<stem>.expected.json when that file exists.

Needs LibreOffice (`soffice`), fonts-thai-tlwg (or TH Sarabun New) and python-docx — the
`samples` extra: `pip install -e .[samples]`. Users and CI never need any of this: the PDFs
and expected files are committed, and tests only read them. The conversion time, /ID and
/DocChecksum LibreOffice writes are replaced by content-derived values, so rebuilding unchanged
sources with the same LibreOffice and fonts gives byte-identical PDFs.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import shutil
import sys
import tempfile
from pathlib import Path

from builder import convert, render
from builder.fonts import ThaiFont, pick_font

SAMPLES = Path(__file__).resolve().parent
SRC = SAMPLES / "src"


def all_stems() -> list[str]:
    """Return the stems of every transcription in samples/src/."""
    return sorted(path.stem for path in SRC.glob("*.json"))


def expand(patterns: list[str]) -> list[str]:
    """Stems named on the command line; a shell-style pattern ("variant_*") names every
    transcription it matches."""
    stems: list[str] = []
    for pattern in patterns:
        matched = fnmatch.filter(all_stems(), pattern) if any(ch in pattern for ch in "*?[") else [pattern]
        stems += [stem for stem in matched or [pattern] if stem not in stems]
    return stems


def write_docx(stem: str, font: ThaiFont, workdir: Path) -> Path:
    """Render samples/src/<stem>.json to `workdir`/<stem>.docx and return its path."""
    src_path = SRC / f"{stem}.json"
    src = json.loads(src_path.read_text(encoding="utf-8"))
    docx_path = workdir / f"{stem}.docx"
    render.render_document(src, font).save(str(docx_path))
    return docx_path


def build(stems: list[str], keep_docx: Path | None = None) -> dict[str, str]:
    """Build the PDFs of `stems`; return {stem: error} for those that failed."""
    font = pick_font()
    print(f"font: {font.family} {font.body_pt:g}pt (tables {font.table_pt:g}pt)")
    failures: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="kamrap-samples-") as tmp:
        workdir = Path(tmp)
        docx_files: list[Path] = []
        for stem in stems:
            try:
                docx_files.append(write_docx(stem, font, workdir))
            except (OSError, ValueError) as exc:   # json.JSONDecodeError is a ValueError
                failures[stem] = str(exc)
        if docx_files:
            convert.docx_to_pdf(docx_files, workdir)
        for docx_path in docx_files:
            publish(docx_path, workdir, keep_docx)
    return failures


def publish(docx_path: Path, workdir: Path, keep_docx: Path | None) -> None:
    """Move the converted PDF into samples/ and record it in the stem's expected export."""
    stem = docx_path.stem
    pdf = SAMPLES / f"{stem}.pdf"
    shutil.move(workdir / f"{stem}.pdf", pdf)
    convert.make_reproducible(pdf)
    if keep_docx is not None:
        keep_docx.mkdir(parents=True, exist_ok=True)
        shutil.copy(docx_path, keep_docx / docx_path.name)
    sha256, pages = convert.pdf_facts(pdf)
    expected = SAMPLES / f"{stem}.expected.json"
    if expected.is_file():
        convert.update_expected(expected, pdf.name, sha256, pages)
    print(f"{stem}: {pdf.relative_to(SAMPLES.parent)} ({pages} pages, sha256 {sha256[:12]}…)"
          + ("" if expected.is_file() else " — no expected.json"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build samples/<stem>.pdf from samples/src/<stem>.json.")
    parser.add_argument("stems", nargs="*", help="stems to build (default: every samples/src/*.json)")
    parser.add_argument("--keep-docx", type=Path, metavar="DIR", help="also save the .docx files in DIR")
    args = parser.parse_args(argv)
    stems = expand([Path(s).stem for s in args.stems]) or all_stems()
    unknown = [s for s in stems if not (SRC / f"{s}.json").is_file()]
    if unknown:
        parser.error(f"no transcription for {unknown} in {SRC}")
    failures = build(stems, args.keep_docx)
    for stem, error in failures.items():
        print(f"{stem}: FAILED: {error}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
