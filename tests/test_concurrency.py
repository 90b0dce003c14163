"""Several processes, one database (issue 12): a second ingest leaves with one line (or waits
with --wait), readers run during an ingest without an error, and a full disk ends the run with
one line, the summary so far and a consistent database that the next run completes."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO, SAMPLES, seed_stems, short_samples
from kamrap.cli import app
from kamrap.ingest import pipeline
from kamrap.ingest.lock import lock_path
from kamrap.schema.store import Batch, Store

runner = CliRunner()
KAMRAP = [sys.executable, "-m", "kamrap"]


def _folder(tmp_path: Path, copies: int = 1, seeds_only: bool = False, short_only: bool = False) -> Path:
    """The samples (or the seed samples only, or the short ones), `copies` times over, each copy
    with bytes of its own."""
    folder = tmp_path / "in"
    folder.mkdir()
    samples = ([SAMPLES / f"{stem}.pdf" for stem in seed_stems()] if seeds_only
               else short_samples() if short_only else sorted(SAMPLES.glob("*.pdf")))
    for n in range(copies):
        for sample in samples:
            (folder / f"{n}_{sample.name}").write_bytes(sample.read_bytes() + b"%% copy %d\n" % n)
    return folder


def _count(db: Path, table: str = "documents") -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _consistent(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def _wait_for_lock(db: Path, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not (lock_path(db).exists() and lock_path(db).read_text()):
        assert process.poll() is None and time.monotonic() < deadline, "the ingest never took its lock"
        time.sleep(0.05)


def test_a_full_disk_stops_the_run_with_one_line_and_the_next_run_completes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLITE_FULL injected the way SQLite itself raises it when the disk is full: the database
    may grow to 60 pages (240 KB) only, which holds some of the twelve short samples (five, on
    2026-12-03)."""
    folder, db = _folder(tmp_path, short_only=True), tmp_path / "k.db"
    total = len(list(folder.iterdir()))
    real_enable_wal = Store.enable_wal

    def enable_wal_on_a_small_disk(store: Store) -> None:
        real_enable_wal(store)
        store.db.execute("PRAGMA max_page_count = 60")

    monkeypatch.setattr(Store, "enable_wal", enable_wal_on_a_small_disk)
    # a commit per file, so that what is stored before the disk fills does not hang on timing
    monkeypatch.setattr(Batch, "max_files", 1)
    full = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--json"])

    assert full.exit_code == 74, full.output
    assert "Traceback" not in full.output
    stop_lines = [line for line in full.stderr.splitlines() if line.startswith("stopped: ")]
    assert stop_lines == [f"stopped: {db}: cannot write the database (database or disk is full)"]
    summary = json.loads(full.stdout)
    assert summary["stopped"] == stop_lines[0].removeprefix("stopped: ")
    _consistent(db)
    stored = _count(db)
    assert 0 < stored < total
    assert summary["ingested"] == stored  # the summary counts only what is stored
    assert summary["ingested"] + summary["not_stored"] + summary["failed"] <= total
    listed = runner.invoke(app, ["errors", "--db", str(db)])
    assert "the last ingest stopped before its end" in listed.stderr

    monkeypatch.setattr(Store, "enable_wal", real_enable_wal)  # room again
    again = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--json"])

    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout)
    assert (summary["unchanged"], summary["ingested"]) == (stored, total - stored)
    _consistent(db)
    assert _count(db) == total
    assert "stopped" not in runner.invoke(app, ["errors", "--db", str(db)]).stderr


def test_a_database_that_cannot_be_opened_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    db.write_bytes(b"this is not an SQLite database, just some bytes" * 100)
    (tmp_path / "a.pdf").write_bytes((SAMPLES / "details_moi_2556.pdf").read_bytes())

    result = runner.invoke(app, ["ingest", str(tmp_path / "a.pdf"), "--db", str(db)])

    assert result.exit_code == 74
    assert result.output.strip().splitlines() == [
        f"{db}: not an SQLite database"]


def test_a_second_ingest_leaves_with_one_line_or_waits(tmp_path: Path) -> None:
    """The first ingest is a process of its own; the second and the waiting one run in this
    process (the CLI in-process), so they are other processes than the lock's holder. The
    seed samples keep the first busy for seconds, ample for the second's try."""
    folder, db = _folder(tmp_path, seeds_only=True), tmp_path / "k.db"
    options = ["ingest", str(folder), "--db", str(db), "--workers", "1", "--quiet"]
    first = subprocess.Popen([*KAMRAP, *options], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_lock(db, first)
        second = runner.invoke(app, options)
        assert first.poll() is None, "the first ingest ended before the second was tried"
        waiting = runner.invoke(app, [*options, "--wait", "300", "--json"])  # returns once the first ends
        out, err = first.communicate(timeout=300)
        assert first.returncode == 0, err
    finally:
        first.kill()
    assert second.exit_code == 75, second.output
    assert second.stdout == ""
    (line,) = second.stderr.splitlines()
    assert line.startswith(f"{db}: another kamrap ingest is writing to this database (pid {first.pid} ")
    assert waiting.exit_code == 0, waiting.output
    assert json.loads(waiting.stdout)["unchanged"] == len(list(folder.iterdir()))  # it waited, then had nothing to do
    assert _count(db) == len(list(folder.iterdir()))


def test_readers_in_a_loop_during_an_ingest_never_fail(tmp_path: Path) -> None:
    """The ingest is a process of its own; the readers run in this one (the CLI in-process, as
    a library client would read), so each read is one command, not an interpreter start: the
    seed samples' ingest lasts for dozens of reads."""
    folder, db = _folder(tmp_path, seeds_only=True), tmp_path / "k.db"
    total = len(list(folder.iterdir()))
    ingest = subprocess.Popen([*KAMRAP, "ingest", str(folder), "--db", str(db), "--quiet"], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reads = []
    try:
        _wait_for_lock(db, ingest)
        while ingest.poll() is None or len(reads) < 3:
            for command in (["errors"], ["export", "--format", "json", "--out", str(tmp_path / "out")],
                            ["verify", "--json"]):
                done = runner.invoke(app, [*command, "--db", str(db)])
                # an exception the CLI let through counts as a failure, whatever the exit code
                escaped = "" if done.exception is None or isinstance(done.exception, SystemExit) \
                    else f"{type(done.exception).__name__}: {done.exception}"
                reads.append((command[0], done.exit_code, done.stderr + escaped))
            time.sleep(0.1)  # reads spread over the ingest, not a core taken from it
        out, err = ingest.communicate(timeout=300)
    finally:
        ingest.kill()
    assert ingest.returncode == 0, err
    assert len(reads) >= 6
    # verify exits 1 when a finding is an error (the samples hold some); nothing else may fail
    failed = [(name, code, stderr) for name, code, stderr in reads
              if stderr.strip() or code not in ((0, 1) if name == "verify" else (0,))]
    assert failed == []
    assert _count(db) == total
    _consistent(db)


def test_an_internal_error_is_one_line_its_own_code_and_recorded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug outside any one file's processing (here: planning the run raises)."""
    folder, db = _folder(tmp_path), tmp_path / "k.db"

    def broken_plan(*args: object) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(pipeline, "_plan", broken_plan)
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])

    assert result.exit_code == 70
    assert result.stderr.splitlines()[-1] == "kamrap ingest: internal error (KeyError: 'a bug')"
    assert "Traceback" not in result.output
    listed = runner.invoke(app, ["errors", "--db", str(db)])
    assert "the last ingest stopped before its end" in listed.stderr
    assert "internal error (KeyError: 'a bug')" in listed.stderr
