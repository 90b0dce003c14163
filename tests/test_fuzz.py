"""Acceptance (issue 12): a hundred malformed PDFs of twenty kinds of damage (a seeded
generator, `damaged_pdfs.py`), with good files among them, ingested as one batch: every good
file stored, every other file either stored or one line and one row in `ingest_errors`, never
both, and no traceback; `kamrap text` on one file of each kind is its text or one line."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from conftest import REPO, SAMPLES
from damaged_pdfs import DAMAGE, write_damaged
from kamrap.cli import app
from kamrap.ingest.pipeline import _key

runner = CliRunner()
GOOD = ["details_moi_2556.pdf", "action_plan_opdc_2565.pdf", "variant_digits.pdf", "variant_no_groups.pdf"]
SEED = 12


def test_a_hundred_damaged_pdfs_in_one_batch(tmp_path: Path) -> None:
    folder, db = tmp_path / "in", tmp_path / "k.db"
    folder.mkdir()
    damaged = write_damaged(folder, 100, SEED, [SAMPLES / name for name in GOOD])
    good = []
    for name in GOOD:
        (folder / f"good_{name}").write_bytes((SAMPLES / name).read_bytes())
        good.append(folder / f"good_{name}")
    assert len({p.name.split("_", 1)[1] for p in damaged}) == len(DAMAGE) >= 12

    # a subprocess, as a user runs it: tracebacks would reach its stderr. 3 s: the good files
    # (seven pages at most) parse in under half a second each; a damaged file slower than that
    # may fail, as any may (a file that loops keeps a core busy until the timeout)
    done = subprocess.run([sys.executable, "-m", "kamrap", "ingest", str(folder), "--db", str(db),
                           "--timeout", "3", "--memory-limit", "768"],
                          cwd=REPO, capture_output=True, text=True, timeout=600)

    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    lines = [line for line in done.stderr.splitlines() if not line.startswith("ingest: ")]
    failed: dict[str, str] = {}
    for line in lines:
        path, sep, reason = line.partition(".pdf: ")
        assert sep and Path(path + ".pdf").parent == folder, line  # every other line is a file's
        name = Path(path + ".pdf").name
        assert name not in failed, f"two lines for {name}"
        failed[name] = reason
    with sqlite3.connect(db) as conn:
        errors = {Path(f).name: r for f, r in conn.execute("SELECT file, reason FROM ingest_errors")}
        stored = {Path(p).name for (p,) in conn.execute("SELECT path FROM document_files")}
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert errors == failed  # each failure a line and a row, the same reason
    assert not stored & set(failed)
    assert stored | set(failed) == {p.name for p in damaged + good}  # every file accounted for
    assert {p.name for p in good} <= stored
    assert len(failed) >= 25  # most damage is fatal (at this seed: 38 files)
    # the damage that must fail does
    for kind in ("truncated", "header_only", "encrypted", "broken_font", "random_bytes"):
        assert all(p.name in failed for p in damaged if p.name.split("_", 1)[1] == f"{kind}.pdf"), kind


def test_kamrap_text_on_damaged_files_is_text_or_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    damaged = write_damaged(folder, len(DAMAGE), SEED, [SAMPLES / GOOD[0]])  # one of each kind
    failures = 0
    for path in damaged:
        result = runner.invoke(app, ["text", str(path), "--timeout", "3", "--memory-limit", "768"])
        assert result.exit_code in (0, 1), (path.name, result.output)
        assert "Traceback" not in result.output
        if result.exit_code == 1:
            failures += 1
            assert result.stdout == ""
            (line,) = result.stderr.splitlines()
            assert line.startswith(f"{path}: "), line
    assert failures >= 8
