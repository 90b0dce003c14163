"""A database others can open: read commands open it read-only and never create or change
anything, ingest leaves a self-contained file (no -wal, journal mode DELETE), and a file that is
not a kamrap database is one line naming it, never a traceback.

Tests run as root in CI, where a chmod does not stop writes: the read-only checks then run the
command as the unprivileged user `nobody` (setpriv), and every test also checks that the folder
holds the same files, byte for byte, afterwards."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SAMPLES, FIXTURES, expected_export
from kamrap.cli import app
from kamrap.schema.models import SCHEMA_VERSION, Document, DocumentKind, Export, Failure, FailureKind
from kamrap.schema.store import DatabaseUnwritable, NotADatabase, NoDatabase, Store

runner = CliRunner(env={"COLUMNS": "250"})
#: A small sample for tests about names and paths, where what the file holds is not the point
SMALL = ("details_moi_2556", "variant_digits")


@pytest.fixture(scope="module")
def ingested(seed_db: Path) -> Path:
    """`kamrap ingest` of a folder of the seed samples: the database, beside that folder (the
    run's shared seed database, read only: `published` copies it)."""
    return seed_db


def test_ingest_leaves_a_self_contained_file(ingested: Path) -> None:
    # no -wal, -shm; the writer lock file (ingest/lock.py) stays, empty of meaning once no
    # process holds it, and a copy of kamrap.db alone opens anywhere
    assert sorted(p.name for p in ingested.parent.iterdir()) == ["kamrap.db", "kamrap.db.lock", "samples"]
    conn = sqlite3.connect(f"{ingested.as_uri()}?mode=ro", uri=True)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()


def _snapshot(folder: Path) -> dict[str, tuple[str, float]]:
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime)
            for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def published(ingested: Path) -> Iterator[Path]:
    """A copy of the database in a folder nobody may write (made under /tmp, readable by all)."""
    folder = Path(tempfile.mkdtemp(prefix="kamrap-published-"))
    os.chmod(folder, 0o755)
    shutil.copy(ingested, folder / "kamrap.db")
    os.chmod(folder / "kamrap.db", 0o444)
    os.chmod(folder, 0o555)
    yield folder / "kamrap.db"
    os.chmod(folder, 0o755)
    shutil.rmtree(folder)


_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@functools.cache
def _unprivileged() -> list[str]:
    """The prefix that runs a command as `nobody` when the tests run as root (where a chmod
    stops no write). Where nobody cannot run this checkout's Python (a clone in a private home),
    the commands run as they are, and the byte-for-byte checks of the folder still hold."""
    if os.geteuid() != 0:
        return []
    home = tempfile.mkdtemp(prefix="kamrap-home-")
    os.chmod(home, 0o777)  # pythainlp keeps its data under $HOME
    probe = subprocess.run([*_NOBODY, sys.executable, "-c", "import kamrap.cli"], capture_output=True,
                           cwd="/", timeout=120, env={**os.environ, "HOME": home})
    shutil.rmtree(home)
    return _NOBODY if probe.returncode == 0 else []


def _writable_tmp() -> Path:
    out = Path(tempfile.mkdtemp(prefix="kamrap-out-"))
    os.chmod(out, 0o777)
    return out


#: Runs each command of argv[1] (JSON: [[args, env], …]) through the CLI in this one process,
#: printing JSON [{code, stdout, stderr}, …]: the commands' own process boundary is not the point
#: here, the user who runs them is, and one process keeps that (a Python start costs a second).
_SESSION = """
import json, sys
from typer.testing import CliRunner
from kamrap.cli import app

answers = []
for args, env in json.loads(sys.argv[1]):
    result = CliRunner(env={"COLUMNS": "250", **env}).invoke(app, args)
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    answers.append({"code": result.exit_code, "stdout": result.stdout,
                    "stderr": result.stderr + (repr(result.exception) if crashed else "")})
print(json.dumps(answers))
"""


def _kamrap_session(commands: list[tuple[list[str], dict[str, str | None]]], cwd: Path) -> list[dict]:
    """Each command's exit code, stdout and stderr, all run in one new process as a user who
    cannot write the published folder."""
    done = subprocess.run([*_unprivileged(), sys.executable, "-c", _SESSION, json.dumps(commands)],
                          cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "HOME": str(cwd)})
    assert done.returncode == 0, done.stderr
    answers: list[dict] = json.loads(done.stdout)
    return answers


@pytest.mark.parametrize("wal", [False, True], ids=["delete", "left-in-wal"])
def test_read_commands_on_a_read_only_folder(published: Path, wal: bool) -> None:
    if wal:  # a database an older kamrap left in WAL mode
        folder = published.parent
        os.chmod(folder, 0o755)
        os.chmod(published, 0o644)
        conn = sqlite3.connect(published)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.close()
        os.chmod(published, 0o444)
        os.chmod(folder, 0o555)
    before = _snapshot(published.parent)
    out = _writable_tmp()
    try:
        db = str(published)
        no_variable: dict[str, str | None] = {"KAMRAP_DB": None}
        verify, listed, shown, exported, env_verify = _kamrap_session([
            (["verify", "--db", db], no_variable),
            (["errors", "--db", db], no_variable),
            (["show", "agreement_ict_2564.pdf", "--db", db], no_variable),
            (["export", "--format", "csv", "--db", db, "--out", str(out / "csv")], no_variable),
            (["verify"], {"KAMRAP_DB": db}),  # the KAMRAP_DB variable names the database as --db does
        ], cwd=out)
        assert "documents" in verify["stdout"] and "Traceback" not in verify["stderr"], verify["stderr"]
        assert verify["code"] == 0, verify["stderr"]
        assert listed["code"] == 0 and listed["stdout"] == "", listed["stderr"]
        assert shown["code"] == 0, shown["stderr"]
        assert expected_export("agreement_ict_2564")["document"]["organization"] in shown["stdout"]
        assert exported["code"] == 0, exported["stderr"]
        assert (out / "csv" / "indicators.csv").stat().st_size > 0
        assert env_verify["stdout"] == verify["stdout"]
    finally:
        shutil.rmtree(out)
    after = _snapshot(published.parent)
    if wal and os.geteuid() == 0 and not _unprivileged():
        # root, where nobody cannot run this checkout: SQLite may add its -shm beside a WAL
        # database (the folder cannot be made read-only to root); the database itself is untouched
        after = {name: value for name, value in after.items() if name == "kamrap.db"}
    assert after == before


def test_reading_never_creates_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "kamrap.db"
    for command in (["verify"], ["errors"], ["show", "x.pdf"], ["export", "--out", str(tmp_path / "o")]):
        result = runner.invoke(app, [*command, "--db", str(missing)])
        assert result.exit_code == 1, command
        assert result.output == f"{missing}: no database (run `kamrap ingest` first, or pass --db)\n"
    assert list(tmp_path.iterdir()) == []


def test_a_db_that_is_not_sqlite(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("ตัวชี้วัด: not a database\n" * 100, encoding="utf-8")
    before = notes.read_bytes()
    for command in (["verify"], ["errors"], ["export", "--out", str(tmp_path / "o")], ["show", "a.pdf"],
                    ["ingest", str(SAMPLES / "agreement_ict_2564.pdf")]):
        result = runner.invoke(app, [*command, "--db", str(notes)])
        code = 74 if command[0] == "ingest" else 1  # a database ingest cannot write stops the run
        assert (result.exit_code, result.output) == (code, f"{notes}: not an SQLite database\n"), command
    assert notes.read_bytes() == before
    with pytest.raises(NotADatabase):
        Store(notes, readonly=True)


def test_a_db_that_is_a_folder_or_another_sqlite_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["verify", "--db", str(tmp_path)])
    assert (result.exit_code, result.output) == (1, f"{tmp_path}: a folder, not a database file\n")
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE birds (name TEXT)")
    conn.commit()
    conn.close()
    result = runner.invoke(app, ["export", "--db", str(other), "--out", str(tmp_path / "o")])
    assert (result.exit_code, result.output) == (1, f"{other}: not a kamrap database (no documents table)\n")
    with pytest.raises(NoDatabase):
        Store(tmp_path / "none.db", readonly=True)


def test_an_older_database_reads_without_being_changed(tmp_path: Path) -> None:
    path = tmp_path / "kamrap_v1.db"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "v1_db" / "kamrap_v1.sql").read_text(encoding="utf-8"))
    conn.close()
    before = path.read_bytes()
    with Store(path, readonly=True) as store:
        docs = store.documents()
        assert docs and all(store.load_export(d["id"]).schema_version == SCHEMA_VERSION for d in docs)
    assert path.read_bytes() == before
    result = runner.invoke(app, ["verify", "--db", str(path)])
    assert "Traceback" not in result.output and "documents" in result.output


def test_pages_backwards_is_an_error() -> None:
    result = runner.invoke(app, ["text", str(SAMPLES / "agreement_ict_2564.pdf"), "--pages", "3-1"])
    assert result.exit_code == 2
    assert "3-1 is no range of pages" in result.output


def test_read_only_mode_is_what_stops_writes(published: Path) -> None:
    """Even where the process could write (root), a read-only store refuses to."""
    with Store(published, readonly=True) as store:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.db.execute("DELETE FROM documents")
    assert stat.S_IMODE(published.stat().st_mode) == 0o444


# -- stored names: relative to the folder ingested, that folder's name kept once ----------------
def _paths(db: Path) -> list[str]:
    with Store(db, readonly=True) as store:
        return sorted([d["path"] for d in store.documents()] + [e["file"] for e in store.errors()])


def test_stored_paths_are_relative_to_the_folder_ingested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "deep" / "archive"
    (archive / "2564").mkdir(parents=True)
    shutil.copy(SAMPLES / f"{SMALL[0]}.pdf", archive / "2564" / "report.pdf")
    (archive / "empty.pdf").write_bytes(b"")
    db = tmp_path / "k.db"
    assert runner.invoke(app, ["ingest", str(archive), "--db", str(db), "-j", "1"]).exit_code == 1
    assert _paths(db) == ["archive/2564/report.pdf", "archive/empty.pdf"]
    with sqlite3.connect(db) as conn:  # no absolute path anywhere in the file
        dump = "\n".join(conn.iterdump())
    conn.close()
    assert str(tmp_path) not in dump
    # run again from elsewhere, naming the folder differently: the same files, unchanged
    monkeypatch.chdir(archive.parent)
    again = runner.invoke(app, ["ingest", "archive", "--db", str(db), "-j", "1"])
    monkeypatch.undo()
    assert "0 ingested, 1 unchanged, 1 failed" in again.stdout, again.output
    # a file named alone is under its own folder's name
    single = tmp_path / "single.db"
    assert runner.invoke(app, ["ingest", str(archive / "2564" / "report.pdf"), "--db", str(single)]).exit_code == 0
    assert _paths(single) == ["2564/report.pdf"]


def test_two_folders_of_the_same_name_keep_their_files_apart(tmp_path: Path) -> None:
    for parent, stem in zip("xy", SMALL):
        (tmp_path / parent / "samples").mkdir(parents=True)
        shutil.copy(SAMPLES / f"{stem}.pdf", tmp_path / parent / "samples" / "report.pdf")
    db = tmp_path / "k.db"
    result = runner.invoke(app, ["ingest", str(tmp_path / "x" / "samples"), str(tmp_path / "y" / "samples"),
                                 "--db", str(db), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert _paths(db) == ["x/samples/report.pdf", "y/samples/report.pdf"]


def test_absolute_paths_of_an_older_database_become_relative(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with Store(db) as store:
        store.save("/home/u/kpi/2563/a.pdf", Export(document=Document(
            file="a.pdf", sha256="a" * 64, page_count=1, kind=DocumentKind.unknown)))
        store.save_error("/home/u/kpi/bad.pdf", Failure.of(FailureKind.empty_file))
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM meta WHERE key = 'path_layout'")  # as kamrap wrote them before
    conn.commit()
    conn.close()
    before = db.read_bytes()
    # read-only: shown relative, the file untouched
    assert _paths(db) == ["kpi/2563/a.pdf", "kpi/bad.pdf"]
    assert db.read_bytes() == before
    Store(db).close()  # a writer migrates the file itself
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT path FROM documents").fetchall() == [("kpi/2563/a.pdf",)]
    conn.close()


def test_writing_where_nothing_can_be_written_is_one_line(published: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """ingest into a database in a read-only folder, and an export onto a file: FILE: reason."""
    if os.geteuid() == 0 and not _unprivileged():  # root writes anywhere: the folder check alone
        monkeypatch.setattr("kamrap.schema.store.os.access", lambda path, mode: False)
        new = published.parent / "new.db"
        with pytest.raises(DatabaseUnwritable) as raised:
            Store(new)
        assert str(raised.value) == f"{new}: cannot create the database: its folder is not writable"
        assert not new.exists()
        return
    out = _writable_tmp()
    try:
        new = published.parent / "new.db"
        ingest, created = _kamrap_session([
            (["ingest", str(SAMPLES / "agreement_ict_2564.pdf"), "--db", str(published)], {}),
            (["ingest", str(SAMPLES / "agreement_ict_2564.pdf"), "--db", str(new)], {}),
        ], cwd=out)
        assert (ingest["code"], ingest["stderr"].strip().splitlines()[-1]) == (
            74, f"{published}: cannot write: the file or its folder is read-only"), ingest["stderr"]
        assert (created["code"], created["stderr"].strip()) == (
            74, f"{new}: cannot create the database: its folder is not writable"), created["stderr"]
    finally:
        shutil.rmtree(out)
    blocker = tmp_path / "taken"
    blocker.write_text("a file where the export folder should go")
    result = runner.invoke(app, ["export", "--db", str(published), "--out", str(blocker / "csv")])
    assert result.exit_code == 1
    assert result.output == f"{blocker / 'csv'}: Not a directory\n"
