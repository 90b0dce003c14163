"""Scanned pages read by OCR into the same records as their born-digital twins.

The scans are built here, in a temporary folder, by bench/make_scans.py from the committed
samples (rendered grey, noise, blur, skew up to 1°; a copy turned a quarter with /Rotate 0; a
copy under an invisible garbage text layer). What they must parse to is the samples' own
hand-checked expected exports (samples/*.expected.json). These tests need tesseract-ocr and
tesseract-ocr-tha (the README's set-up command installs them) and fail without them.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pdfplumber
import pytest

from typer.testing import CliRunner

from conftest import SAMPLES, expected_export, once_per_run
from kamrap.cli import app
from kamrap.ingest.parse_job import parse_file
from kamrap.parsers import ocr as ocr_module
from kamrap.parsers.layout import read_pages
from kamrap.parsers.ocr import OcrMode, OcrUnavailable, tessdata_dir
from kamrap.parsers.source import open_pdf

REPO = Path(__file__).resolve().parent.parent


def _load_make_scans() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_scans", REPO / "bench" / "make_scans.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_scans = _load_make_scans()


def _build_scans(folder: Path) -> dict[str, Path]:
    source = SAMPLES / "variant_digits.pdf"
    return {
        "300": make_scans.build_scan(source, folder / "variant_digits.300dpi.pdf", 300),
        "200": make_scans.build_scan(source, folder / "variant_digits.200dpi.pdf", 200),
        "turned": make_scans.build_scan(source, folder / "variant_digits.turned.pdf", 300, turn=True),
        "garbage": make_scans.build_scan(source, folder / "variant_digits.garbage.pdf", 300, garbage=True),
    }


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Built once per run (conftest.once_per_run: one xdist worker builds, the others read)."""
    return once_per_run(tmp_path_factory, "ocr-scans", _build_scans)


@pytest.fixture(scope="module")
def exports(scans: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Each scan parsed (OCR) once per run, as JSON."""
    return once_per_run(tmp_path_factory, "ocr-exports", lambda folder: {
        name: json.loads(parse_file(path, "0" * 64).model_dump_json()) for name, path in scans.items()})


def test_tesseract_and_its_thai_data_are_installed() -> None:
    """CI installs them (.ci/run); the OCR tests must never be skipped for want of them."""
    folder = tessdata_dir()
    assert (folder / "tha.traineddata").is_file() and (folder / "osd.traineddata").is_file()


def test_the_scans_have_no_visible_text(scans: dict[str, Path]) -> None:
    """The scans are what the test says: an image, and at most an invisible text layer."""
    for name, path in scans.items():
        with pdfplumber.open(path) as pdf:
            page = pdf.pages[0]
            assert len(page.images) == 1
            assert all(c.get("text_rendering_mode", 3) == 3 for c in page.chars) or not page.chars, name
    with pdfplumber.open(scans["garbage"]) as pdf:
        assert len(pdf.pages[0].chars) > 100  # the garbage layer is there
    with pdfplumber.open(scans["300"]) as pdf:
        upright = pdf.pages[0].width, pdf.pages[0].height
    with pdfplumber.open(scans["turned"]) as pdf:
        page = pdf.pages[0]
        # the landscape page lies on its side, and the PDF does not say so
        assert page.rotation == 0 and upright[0] > upright[1]
        assert (round(page.width), round(page.height)) == (round(upright[1]), round(upright[0]))


@pytest.mark.parametrize("name", ["300", "200", "turned", "garbage"])
def test_scan_parses_to_the_samples_indicators(name: str, exports: dict[str, dict]) -> None:
    """Kind, codes, names and weights as the hand-checked expected export of the sample."""
    expected = expected_export("variant_digits")
    got = exports[name]
    assert got["document"]["kind"] == expected["document"]["kind"] == "agreement"
    assert [i["code"] for i in got["indicators"]] == [i["code"] for i in expected["indicators"]]
    assert [i["weight"] for i in got["indicators"]] == [i["weight"] for i in expected["indicators"]]
    assert got["indicators"][0]["name"] == expected["indicators"][0]["name"]
    for indicator in got["indicators"]:
        assert {s["method"] for s in indicator["sources"]} == {"ocr"}


def test_every_ocr_page_records_it_with_its_confidence(exports: dict[str, dict]) -> None:
    for name, export in exports.items():
        pages = [f for f in export["findings"] if f["kind"] == "ocr_page"]
        assert [f["page"] for f in pages] == [1], name
        assert pages[0]["severity"] == "info"
        assert "mean word confidence" in pages[0]["message"]


def test_the_turned_scan_is_read_upright(exports: dict[str, dict]) -> None:
    """The page image lies a quarter turn clockwise; a quarter anticlockwise (270° clockwise)
    stands it up."""
    message = next(f["message"] for f in exports["turned"]["findings"] if f["kind"] == "ocr_page")
    assert "turned 270°" in message
    normal = next(f["message"] for f in exports["300"]["findings"] if f["kind"] == "ocr_page")
    assert "turned 0°" in normal


def test_ruling_lines_from_the_image_make_the_born_digital_grid(scans: dict[str, Path]) -> None:
    """The table built from the scan's ruling lines has the born-digital table's rows and
    columns, each cell within 3 pt of where the PDF's own lines put it."""
    with open_pdf(SAMPLES / "variant_digits.pdf") as pdf:
        born = read_pages(pdf, OcrMode.never)[0]
    with open_pdf(scans["300"]) as pdf:
        scanned = read_pages(pdf, OcrMode.auto)[0]
    assert scanned.ocr is not None and born.ocr is None
    assert len(scanned.tables) == len(born.tables) == 1
    a, b = born.tables[0], scanned.tables[0]
    assert len(a.rows) == len(b.rows) and [len(r) for r in a.rows] == [len(r) for r in b.rows]
    for row_a, row_b in zip(a.rows, b.rows):
        for cell_a, cell_b in zip(row_a, row_b):
            assert (cell_a is None) == (cell_b is None)
            if cell_a is not None and cell_b is not None:
                # the scan is skewed up to 1° and straightened: its cells sit within a few points
                assert all(abs(p - q) < 4 for p, q in zip(cell_a.bbox, cell_b.bbox)), (cell_a.bbox, cell_b.bbox)


def test_ocr_never_leaves_a_scan_unread(scans: dict[str, Path]) -> None:
    export = parse_file(scans["300"], "0" * 64, ocr="never")
    assert export.document.kind == "unknown" and not export.indicators
    assert any("no text layer" in f.message for f in export.findings)


def test_born_digital_pages_stay_on_the_text_layer() -> None:
    export = parse_file(SAMPLES / "variant_digits.pdf", "0" * 64)
    assert not [f for f in export.findings if f.kind == "ocr_page"]
    assert {s.method.value for i in export.indicators for s in i.sources} == {"ruled"}


def test_kamrap_text_prints_the_ocr_text(scans: dict[str, Path]) -> None:
    """The page's title, as printed on it (read off the rendered page). The CLI in-process:
    `kamrap text` reads the file in a worker process of its own either way."""
    done = CliRunner().invoke(app, ["text", str(scans["garbage"])])
    assert done.exit_code == 0, done.output
    out = done.stdout
    assert "ร้อยละความพึงพอใจของผู้รับบริการ" in out
    assert "drurnn" not in out and "rifi" not in out  # not the invisible layer
    never = CliRunner().invoke(app, ["text", "--ocr", "never", str(scans["garbage"])])
    assert never.exit_code == 0, never.output
    assert "ร้อยละ" not in never.stdout


def test_missing_tesseract_data_says_what_to_install(scans: dict[str, Path], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    monkeypatch.setattr(ocr_module, "_TESSDATA_DIRS", ())
    monkeypatch.setattr(ocr_module, "_ENGINES", {})
    with pytest.raises(OcrUnavailable, match="apt-get install tesseract-ocr tesseract-ocr-tha"):
        tessdata_dir()
    from kamrap.parsers.source import UnreadablePDF

    with pytest.raises(UnreadablePDF) as failure:
        parse_file(scans["300"], "0" * 64)
    assert "\n" not in failure.value.reason and "tesseract-ocr-tha" in failure.value.reason


def test_ingest_without_tesseract_data_fails_the_file_in_one_line(scans: dict[str, Path], tmp_path: Path) -> None:
    """Through the CLI and its worker pool: one line, FILE: reason naming what to install."""
    env = {"TESSDATA_PREFIX": str(tmp_path / "empty"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "kamrap", "ingest", "--quiet", "--db", str(tmp_path / "k.db"),
                             str(scans["300"])], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() + result.stdout.splitlines() if line.strip()]
    failure = [line for line in lines if "tesseract-ocr-tha" in line]
    assert len(failure) == 1 and failure[0].startswith(str(scans["300"]))
