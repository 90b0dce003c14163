"""Failures are values (`models.Failure`: kind, reason, timeout) from the worker to the store to
the CLI; a version-3 database's ingest errors get their kinds once, when it is migrated."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import sqlite_utils
from typer.testing import CliRunner

from kamrap.cli import app
from kamrap.ingest import pipeline
from kamrap.schema.models import Failure, FailureKind
from kamrap.schema.store import STORE_VERSION, Store

runner = CliRunner()

# Reasons as kamrap wrote them before version 4 (texts from its code at that version), with the
# kind and timeout each must be given.
OLD_ROWS = {
    "a/slow.pdf": ("timed out (no result after 2.5 s)", FailureKind.timed_out, 2.5),
    "a/loop.pdf": ("timed out (no result after 300 s)", FailureKind.timed_out, 300.0),
    "a/locked.pdf": ("encrypted PDF with unsupported encryption (AES-512)", FailureKind.encrypted_pdf, None),
    "a/crash.pdf": ("worker crashed (killed by SIGSEGV: Fatal Python error: Segmentation fault)",
                    FailureKind.worker_crashed, None),
    "a/scan.pdf": ("scanned pages need OCR, but tesseract's Thai data is missing: apt-get install "
                   "tesseract-ocr-tha", FailureKind.ocr_unavailable, None),
    "a/folder": ("cannot read folder (Permission denied)", FailureKind.unreadable_folder, None),
    "a/notes.pdf": ("not a PDF (no %PDF- header)", FailureKind.not_a_pdf, None),
    "a/big.pdf": ("out of memory (over the 768 MB limit per worker)", FailureKind.out_of_memory, None),
    "a/odd.pdf": ("something no kamrap wrote", FailureKind.parser_error, None),
}


def _version_3_database(path: Path) -> Path:
    """A database as kamrap's store version 3 left it: ingest_errors without kind and timeout."""
    Store(path).close()
    db = sqlite_utils.Database(path)
    db["ingest_errors"].transform(drop={"kind", "timeout"})
    db["ingest_errors"].insert_all(
        {"file": file, "reason": reason, "at": "2026-12-01T00:00:00+00:00", "sha256": "ab" * 32}
        for file, (reason, _, _) in OLD_ROWS.items())
    db.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    db.conn.commit()
    db.close()
    return path


def test_version_3_errors_get_their_kind_and_timeout(tmp_path: Path) -> None:
    db = _version_3_database(tmp_path / "v3.db")
    with Store(db) as store:
        rows = {row["file"]: (row["reason"], row["kind"], row["timeout"]) for row in store.errors()}
    assert rows == {file: (reason, kind.value, timeout) for file, (reason, kind, timeout) in OLD_ROWS.items()}
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(STORE_VERSION),)
    conn.close()


def test_a_migrated_timeout_is_not_waited_for_again(tmp_path: Path) -> None:
    """The limit an old run timed out at is read from its column: 2.5 s stops a 2 s run, not a
    3 s one."""
    db = _version_3_database(tmp_path / "v3.db")
    with Store(db) as store:
        earlier = pipeline._timed_out_before(store, Path("/x/a/slow.pdf"), "ab" * 32, 2.0)
        assert earlier is not None and earlier.kind is FailureKind.timed_out and earlier.timeout == 2.5
        assert earlier.reason == ("timed out (no result after 2.5 s), in an earlier run; not tried again "
                                  "(--force, or a --timeout above 2.5 s)")
        assert pipeline._timed_out_before(store, Path("/x/a/slow.pdf"), "ab" * 32, 3.0) is None
        assert pipeline._timed_out_before(store, Path("/x/a/slow.pdf"), "cd" * 32, 2.0) is None  # other bytes
        # out of memory says nothing of time: tried again
        assert pipeline._timed_out_before(store, Path("/x/a/big.pdf"), "ab" * 32, 1.0) is None


def test_a_failure_is_stored_as_it_was_given(tmp_path: Path) -> None:
    with Store(tmp_path / "k.db") as store:
        store.save_error("a/x.pdf", Failure.timed_out(7.5), "ef" * 32)
        store.save_error("a/y.pdf", Failure.of(FailureKind.empty_file))
        assert store.earlier_error("a/x.pdf", "ef" * 32) == Failure(
            kind=FailureKind.timed_out, reason="timed out (no result after 7.5 s)", timeout=7.5)
        assert [(r["file"], r["kind"], r["reason"], r["timeout"]) for r in store.errors()] == [
            ("a/x.pdf", "timed_out", "timed out (no result after 7.5 s)", 7.5),
            ("a/y.pdf", "empty_file", "empty file", None)]


def test_the_summary_counts_failures_by_kind(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.pdf").write_bytes(b"")
    (folder / "two.pdf").write_bytes(b"")
    (folder / "three.pdf").write_text("plain text")
    db = tmp_path / "k.db"

    result = runner.invoke(app, ["ingest", str(folder), str(tmp_path / "missing.pdf"), "--db", str(db), "--json"])

    summary = json.loads(result.stdout)
    assert summary["failed_by_kind"] == {"empty_file": 2, "not_a_pdf": 1, "no_such_file": 1}
    assert summary["failed_by_reason"] == {"empty file": 2, "not a PDF": 1, "no such file or folder": 1}
    assert sorted((f["kind"], f["reason"]) for f in summary["failures"]) == [
        ("empty_file", "empty file"), ("empty_file", "empty file"),
        ("no_such_file", "no such file or folder"), ("not_a_pdf", "not a PDF (no %PDF- header)")]
    # the line per file is the reason, as before; the table holds the kind beside it
    assert f"{folder / 'three.pdf'}: not a PDF (no %PDF- header)" in result.stderr.splitlines()
    conn = sqlite3.connect(db)
    assert sorted(conn.execute("SELECT file, kind, reason FROM ingest_errors")) == [
        ("in/one.pdf", "empty_file", "empty file"), ("in/three.pdf", "not_a_pdf", "not a PDF (no %PDF- header)"),
        ("in/two.pdf", "empty_file", "empty file")]
    conn.close()


def test_the_text_summary_names_the_kinds_by_label(tmp_path: Path) -> None:
    (tmp_path / "one.pdf").write_bytes(b"")
    (tmp_path / "two.pdf").write_bytes(b"")
    (tmp_path / "three.pdf").write_text("plain text")

    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "k.db")])

    assert "failed: 2 empty file, 1 not a PDF" in result.stdout.splitlines(), result.stdout


def test_a_version_1_database_error_gets_its_kind(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    conn = sqlite3.connect(db)
    conn.executescript((Path(__file__).parent / "fixtures" / "v1_db" / "kamrap_v1.sql").read_text(encoding="utf-8"))
    conn.close()
    with Store(db) as store:
        assert [(r["file"], r["kind"], r["reason"], r["timeout"]) for r in store.errors()] == [
            ("pdfs/broken.pdf", "truncated_pdf", "truncated PDF", None)]
