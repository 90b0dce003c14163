"""Names and paths as data (issue 12): a file name that is not UTF-8, holds a newline or
terminal escape codes, or a path longer than the system opens, never stops a batch; every
file is one line, stored under a faithful escaped name (`kamrap.ingest.names`)."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import SAMPLES
from kamrap.cli import app
from kamrap.ingest.names import display_name, real_name

runner = CliRunner()
GOOD = SAMPLES / "details_moi_2556.pdf"


def _copy(target: str | bytes, n: int) -> None:
    """A copy of the good sample with bytes of its own (a comment after %%EOF)."""
    with open(target, "wb") as handle:
        handle.write(GOOD.read_bytes() + b"%% copy %d\n" % n)


def _rows(db: Path, query: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(query).fetchall()


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\0" not in b))
def test_any_name_is_one_printable_line_and_comes_back_exactly(raw: bytes) -> None:
    name = os.fsdecode(raw)
    shown = display_name(name)
    assert shown.isprintable() and "\n" not in shown and "\x1b" not in shown
    shown.encode("utf-8")  # storable: no lone surrogates
    assert real_name(shown) == name and os.fsencode(real_name(shown)) == raw


def test_display_names_by_hand() -> None:
    assert display_name(os.fsdecode(b"caf\xe9.pdf")) == "caf\\xe9.pdf"
    assert display_name("a\nb: forged.pdf") == "a\\nb: forged.pdf"
    assert display_name("esc\x1b[31mred.pdf") == "esc\\u001b[31mred.pdf"
    assert display_name("back\\slash.pdf") == "back\\\\slash.pdf"
    assert display_name("\u202efdp.exe") == "\\u202efdp.exe"  # right-to-left override
    assert display_name("คำรับรอง ๒๕๖๔.pdf") == "คำรับรอง ๒๕๖๔.pdf"  # Thai stays as it is


def test_names_that_are_not_utf8_or_hold_control_codes(tmp_path: Path) -> None:
    folder, db = tmp_path / "in", tmp_path / "k.db"
    folder.mkdir()
    _copy(folder / "good.pdf", 0)
    _copy(os.fsencode(folder) + b"/caf\xe9 \xa1\xd2\xc3.pdf", 1)  # latin-1 / TIS-620 bytes
    (folder / "bad\nline: forged.pdf").write_text("not a PDF")
    (folder / "esc\x1b[2Jcleared.pdf").write_text("not a PDF either")

    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])

    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.output and "Traceback" not in result.output
    failures = [line for line in result.output.splitlines() if ": not a PDF" in line]
    assert sorted(failures) == [f"{folder}/bad\\nline: forged.pdf: not a PDF (no %PDF- header)",
                        f"{folder}/esc\\u001b[2Jcleared.pdf: not a PDF (no %PDF- header)"]
    assert sorted(_rows(db, "SELECT file FROM documents")) == [("caf\\xe9 \\xa1\\xd2\\xc3.pdf",), ("good.pdf",)]
    # stored relative to the folder ingested, its name kept once (issue 11)
    assert sorted(_rows(db, "SELECT path FROM document_files")) == [
        ("in/caf\\xe9 \\xa1\\xd2\\xc3.pdf",), ("in/good.pdf",)]
    listed = runner.invoke(app, ["errors", "--db", str(db)])
    assert len(listed.output.splitlines()) == 2 and "\x1b" not in listed.output
    summary = json.loads(runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--json"]).stdout)
    assert (summary["ingested"], summary["unchanged"], summary["failed"]) == (0, 2, 2)  # found again


def test_a_path_too_long_to_open_fails_alone(tmp_path: Path) -> None:
    """Folders nested past PATH_MAX (4096 bytes), made through directory descriptors: what lies
    beyond cannot be opened by its path; the good file beside them is stored."""
    top, db = tmp_path / "in", tmp_path / "k.db"
    top.mkdir()
    _copy(top / "good.pdf", 0)
    fd = os.open(top, os.O_RDONLY)
    for _ in range(22):  # 22 × 201 bytes
        os.mkdir("d" * 200, dir_fd=fd)
        inner = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    deep = os.open("deep.pdf", os.O_WRONLY | os.O_CREAT, dir_fd=fd)
    os.write(deep, GOOD.read_bytes())
    os.close(deep)
    os.close(fd)

    result = runner.invoke(app, ["ingest", str(top), "--db", str(db)])

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    failures = [line for line in result.output.splitlines() if "File name too long" in line]
    assert len(failures) == 1 and failures[0].startswith(f"{top}/ddd"), result.output
    assert _rows(db, "SELECT file FROM documents") == [("good.pdf",)]
    assert len(_rows(db, "SELECT file FROM ingest_errors")) == 1


def test_a_long_path_named_on_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    _copy(tmp_path / "good.pdf", 0)
    too_long = tmp_path / ("x" * 300 + ".pdf")  # a name past NAME_MAX (255 bytes)

    result = runner.invoke(app, ["ingest", str(too_long), str(tmp_path / "good.pdf"), "--db", str(db)])

    assert result.exit_code == 1, result.output
    assert f"{too_long}: no such file or folder" in result.output
    assert _rows(db, "SELECT file FROM documents") == [("good.pdf",)]
