"""Bad input: each kind gets a one-line reason naming the file; good files in the same run are
stored; nothing of a failed file is stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from conftest import SAMPLES, write_bad_files
from kamrap.cli import app
from kamrap.schema.store import Store

GOOD = SAMPLES / "details_moi_2556.pdf"
runner = CliRunner()


@pytest.mark.skipif(not GOOD.exists(), reason="sample PDF not built")
def test_bad_files_reported_good_files_stored(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.pdf")
    expected_reasons = write_bad_files(folder, GOOD)

    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db_path)])

    assert result.exit_code == 1
    lines = result.output.splitlines()
    for name, reason in expected_reasons.items():
        matching = [line for line in lines if line.startswith(str(folder / name) + ":")]
        assert len(matching) == 1, (name, result.output)
        assert f": {reason}" in matching[0]
    with Store(db_path) as store:
        files = [d["file"] for d in store.documents()]
    assert files == ["good.pdf"]


def test_pdf_without_agreement_is_stored_as_unknown(tmp_path: Path, db_path: Path) -> None:
    blank = tmp_path / "blank.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.save(blank)

    result = runner.invoke(app, ["ingest", str(blank), "--db", str(db_path)])

    assert result.exit_code == 0, result.output
    with Store(db_path) as store:
        (doc,) = store.documents()
        export = store.load_export(doc["id"])
    assert export.document.kind == "unknown"
    assert export.document.page_count == 1
    assert [f.kind for f in export.findings] == ["extraction_warning"]


def test_failed_reingest_keeps_stored_version(tmp_path: Path, db_path: Path) -> None:
    """A file stored once and then replaced by a broken copy keeps its stored rows."""
    target = tmp_path / "doc.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(target)
    assert runner.invoke(app, ["ingest", str(target), "--db", str(db_path)]).exit_code == 0
    target.write_bytes(target.read_bytes()[:100])

    result = runner.invoke(app, ["ingest", str(target), "--db", str(db_path)])

    assert result.exit_code == 1
    with Store(db_path) as store:
        assert len(store.documents()) == 1


def test_missing_path_is_an_error(tmp_path: Path, db_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.pdf"), "--db", str(db_path)])
    assert result.exit_code == 1
    assert "nope.pdf: no such file" in result.output
