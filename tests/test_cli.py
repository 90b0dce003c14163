"""The command line: exports, show, help texts and exit codes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import expected_export, sample_stems
from kamrap.cli import app

runner = CliRunner(env={"COLUMNS": "250"})  # rich folds tables to the terminal width


@pytest.fixture
def db(samples_db: Path) -> Path:
    """`kamrap ingest samples/` (conftest: once per run; these tests only read it)."""
    return samples_db


def test_csv_export(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "--format", "csv", "--db", str(db), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with (tmp_path / "indicators.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected_count = sum(len(expected_export(stem)["indicators"]) for stem in sample_stems())
    assert len(rows) == expected_count
    row = next(r for r in rows if r["file"] == "agreement_ict_2564.pdf" and r["code"] == "2.2")
    assert (row["name"], row["weight"], row["target_level"]) == ("ร้อยละของระบบงานที่ให้บริการอย่างต่อเนื่อง", "10", "3")
    with (tmp_path / "criteria_levels.csv").open(encoding="utf-8-sig", newline="") as handle:
        levels = [r for r in csv.DictReader(handle) if r["file"] == "agreement_ict_2564.pdf" and r["code"] == "2.2"]
    assert [(r["text"], r["value"]) for r in levels] == [
        ("๘๐%", "80"), ("๘๕%", "85"), ("๙๐%", "90"), ("๙๕%", "95"), ("มากกว่า ๙๙%", "99")]
    with (tmp_path / "findings.csv").open(encoding="utf-8-sig", newline="") as handle:
        kinds = {(r["file"], r["kind"], r["code"]) for r in csv.DictReader(handle)}
    assert ("agreement_ict_2564.pdf", "code_mismatch", "6.2") in kinds


def test_show(db: Path) -> None:
    result = runner.invoke(app, ["show", "agreement_bankruptcy2_2564.pdf", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "กองบังคับคดีล้มละลาย ๒" in result.output
    assert "lower_is_better" in result.output  # 5.1 and 5.2
    assert "6.5" in result.output


def test_show_unknown_file(db: Path) -> None:
    result = runner.invoke(app, ["show", "nothing.pdf", "--db", str(db)])
    assert result.exit_code == 1
    assert "nothing.pdf: not in" in result.output


def test_unknown_export_format(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "--format", "xml", "--db", str(db), "--out", str(tmp_path)])
    assert result.exit_code == 2


def test_commands_need_a_database(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "no database" in result.output


@pytest.mark.parametrize("command", ["ingest", "export", "show"])
def test_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "--db" in result.output
