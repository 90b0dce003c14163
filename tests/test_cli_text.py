"""`kamrap text`: the repaired text of a PDF, page selection and errors."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from conftest import SAMPLES
from kamrap.cli import app

runner = CliRunner()
ICT = SAMPLES / "agreement_ict_2564.pdf"


def test_text_of_one_page() -> None:
    result = runner.invoke(app, ["text", str(ICT), "--pages", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # Written by hand from seed 000's table: LibreOffice's /ActualText spans honoured
    # (no "ำา", no "ไดู"), marks in order.
    assert "คำรับรองการปฏิบัติราชการประจำปีงบประมาณ พ.ศ. ๒๕๖๔ ของ ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร" in lines
    assert "๑.๑ ร้อยละความพึงพอใจของผู้รับบริการ ๑๐ ๓ ๖๕ ๗๐ ๗๕ ๘๐ ๘๕" in lines
    assert "\f" not in result.output


def test_page_ranges_are_separated_by_form_feeds() -> None:
    result = runner.invoke(app, ["text", str(ICT), "--pages", "1-2,4"])
    assert result.exit_code == 0, result.output
    assert result.output.count("\f") == 2


def test_bad_page_and_bad_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["text", str(ICT), "--pages", "99"])
    assert result.exit_code == 2
    assert "page 99 is out of range" in result.output
    bogus = tmp_path / "x.pdf"
    bogus.write_text("hello", encoding="utf-8")
    result = runner.invoke(app, ["text", str(bogus)])
    assert result.exit_code == 1
    assert f"{bogus}: not a PDF" in result.output
