from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pickle
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pikepdf
import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
T = TypeVar("T")


def seed_stems() -> list[str]:
    """The samples transcribed from the five seed documents (not the layout variants, which
    reuse the seeds' units and years)."""
    return [s for s in sample_stems() if not s.startswith("variant_")]


def seed_samples(folder: Path) -> Path:
    """`folder` holding links to the seed samples' PDFs only, for tests that look documents
    up by unit and year."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem in seed_stems():
        (folder / f"{stem}.pdf").symlink_to(SAMPLES / f"{stem}.pdf")
    return folder


def short_samples(pages: int = 7) -> list[Path]:
    """The samples of at most `pages` pages (every layout variant among them): for tests about
    the batch, where what a file holds is not the point, the long agreements only cost time."""
    found = []
    for sample in sorted(SAMPLES.glob("*.pdf")):
        with pikepdf.open(sample) as pdf:
            if len(pdf.pages) <= pages:
                found.append(sample)
    return found


def sample_stems() -> list[str]:
    return sorted(p.name.removesuffix(".expected.json") for p in SAMPLES.glob("*.expected.json")
                  if (SAMPLES / (p.name.removesuffix(".expected.json") + ".pdf")).exists())


def expected_export(stem: str) -> dict:
    return json.loads((SAMPLES / f"{stem}.expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "kamrap.db"


def write_bad_files(folder: Path, source: Path) -> dict[str, str]:
    """The kinds of bad file every ingest test meets, written into ``folder`` (``source`` is a
    good PDF to cut and encrypt), mapped to the start of the reason ``kamrap ingest`` gives."""
    (folder / "notes.pdf").write_text("ตัวชี้วัด — a text file, not a PDF\n", encoding="utf-8")
    (folder / "empty.pdf").write_bytes(b"")
    data = source.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 2])
    with pikepdf.open(source) as pdf:
        pdf.save(folder / "encrypted.pdf", encryption=pikepdf.Encryption(owner="o", user="secret"))
    return {"notes.pdf": "not a PDF", "empty.pdf": "empty file", "truncated.pdf": "truncated PDF",
            "encrypted.pdf": "encrypted PDF"}


def pytest_configure(config: pytest.Config) -> None:
    # Tests parse in this process too (the samples' pages, damaged copies): the collector runs
    # as it does in a worker of the pool (kamrap.ingest.collector), not every 700 objects
    from kamrap.ingest.collector import for_parsing

    for_parsing()


# -- built once per test run ---------------------------------------------------------------------
# What several tests read and is costly to make (the samples ingested by `kamrap ingest`, scans
# read by OCR) is made once per run, even under pytest-xdist: the first worker to ask builds it
# in the run's shared temporary folder under a file lock, the others wait for it and read the
# same files. Tests only read these (a test that writes to a database copies it first, with
# `copy_db`); each worker checks at its end that a shared database's bytes did not change.

def _shared_temp(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this run that every xdist worker sees (each has its own below it)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def once_per_run(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], T]) -> T:
    """`build(folder)` (`folder` empty, its own), computed by the first xdist worker that asks
    and read back (pickled) by the others. Whatever `build` writes into `folder` is shared:
    tests only read it."""
    shared = _shared_temp(factory)
    folder = shared / f"once-{name}"
    with open(shared / f"once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / f"once-{name}.pickle"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker that failed here left
            folder.mkdir()
            value = build(folder)
            done.write_bytes(pickle.dumps(value))
            return value
        loaded: T = pickle.loads(done.read_bytes())
        return loaded


def pages_once(factory: pytest.TempPathFactory, pdf: Path) -> list:
    """`read_pages` of `pdf` (text layer and OCR as ingest reads them), read once per run for
    every test module that parses the same pages; each caller but the first gets a copy of its
    own (unpickled), so a parser that changes the pages it is given changes no one else's."""
    def read(folder: Path) -> list:
        from kamrap.parsers.layout import read_pages
        from kamrap.parsers.source import open_pdf

        with open_pdf(pdf) as opened:
            return read_pages(opened)

    return once_per_run(factory, f"pages-{pdf.stem}", read)


def sample_export(factory: pytest.TempPathFactory, stem: str) -> dict:
    """The export of `samples/<stem>.pdf` (as `parse_file` makes it, with sha256 "0" × 64 and
    JSON types), parsed once per run from the pages ingest reads (`pages_once`)."""
    def parse(folder: Path) -> dict:
        from kamrap.normalize.canonical import to_export
        from kamrap.parsers.document import parse_pages

        pages = pages_once(factory, SAMPLES / f"{stem}.pdf")
        return to_export(parse_pages(pages), file=f"{stem}.pdf", sha256="0" * 64).model_dump(mode="json")

    return once_per_run(factory, f"export-{stem}", parse)


def ingested_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], Path]) -> Iterator[Path]:
    """The database `build(folder)` writes, built once per run; the run fails if a test
    changed it."""
    db = once_per_run(factory, name, build)
    digest = _sha256(db)
    yield db
    assert _sha256(db) == digest, f"a test wrote to the shared database {db}; copy it first (copy_db)"


def _ingest(folder: Path, db: Path, *options: str) -> Path:
    result = CliRunner().invoke(_cli_app(), ["ingest", str(folder), "--db", str(db), *options])
    assert result.exit_code == 0, result.output
    return db


def _cli_app():  # imported late: collecting tests that never ingest does not need the CLI
    from kamrap.cli import app

    return app


ALTERED = SAMPLES / "altered" / "score_summary_led_2563_altered.pdf"


@pytest.fixture(scope="session")
def samples_db(tmp_path_factory: pytest.TempPathFactory, seed_db: Path) -> Iterator[Path]:
    """`kamrap ingest samples/` (every sample, and samples/altered/) into a copy of the seed
    database: the seeds are stored already under the same names (`samples/<name>.pdf`), so the
    other eleven are parsed, as when a folder grows between runs. (Its JSON export is the same
    as a fresh database's, 2026-12-03; test_walkthrough ingests samples/ into a fresh one.)
    Read only."""
    yield from ingested_once(tmp_path_factory, "samples",
                              lambda folder: _ingest(SAMPLES, copy_db(seed_db, folder / "kamrap.db")))


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The five seed samples ingested from a folder of their own. Read only."""
    yield from ingested_once(tmp_path_factory, "seed",
                              lambda folder: _ingest(seed_samples(folder / "samples"), folder / "kamrap.db"))


def _seed_and_altered(seed_db: Path, folder: Path) -> Path:
    samples = seed_samples(folder / "samples")
    (samples / ALTERED.name).symlink_to(ALTERED)
    # the seeds are stored already (same bytes, same names relative to the folder): only the
    # altered summary is parsed, as when a user adds a file to a folder ingested before
    return _ingest(samples, copy_db(seed_db, folder / "kamrap.db"), "-j", "1")


@pytest.fixture(scope="session")
def seed_altered_db(tmp_path_factory: pytest.TempPathFactory, seed_db: Path) -> Iterator[Path]:
    """The seed database with the altered score summary added: one folder (`<folder>/samples/`,
    beside the database) of the five seed samples and ALTERED, ingested again by one worker.
    Read only."""
    yield from ingested_once(tmp_path_factory, "seed-altered", lambda folder: _seed_and_altered(seed_db, folder))


def copy_db(source: Path, target: Path) -> Path:
    """A copy of the database `source` at `target`, for a test that writes to it."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target
