"""The ingest job: check which files need parsing, parse them in worker processes, store them.

1. **Check** (main process): hash every file. A file whose bytes are already stored is skipped
   (`unchanged` under its own name, `duplicate` under another name: the name is recorded); files
   with the same bytes in this batch are parsed once, the others recorded as its duplicates. A
   file that timed out in an earlier run, unchanged since, fails at once unless this run's
   timeout is longer (or `force`): a folder's few pathological files do not cost every re-run
   their timeout again.
2. **Parse** (`kamrap.ingest.pool`): one file per worker process at a time, biggest first; a
   crash, a timeout or running out of memory costs only that file, and workers are replaced
   every few files so that memory stays flat over a long batch.
3. **Store** (main process, the only SQLite writer): each file's rows in a savepoint, many files
   per transaction (`Store.batch`). A file is stored whole or not at all, so a run that is killed
   leaves every file stored or absent, and the next run parses only what is missing.

One way to fail: anything that goes wrong with one file (unreadable, unparsable, unstorable, a
bug met on its data) fails that file with a reason, recorded in `ingest_errors`; what stops the
run itself (the database cannot be written: a full disk, an I/O error, another ingest holding
it) ends it with `IngestReport.stopped` set and everything stored so far committed, and the
command exits with a code of its own (`EXIT_*`), not 1.
"""

from __future__ import annotations

import functools
import hashlib
import os
import signal
import sqlite3
import stat
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from kamrap.ingest.discover import _is_dir, discover_pdfs, real_location
from kamrap.ingest.lock import WriterLock
from kamrap.ingest.names import display_name, error_line, real_path, short_line
from kamrap.ingest.pool import (
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT,
    Job,
    Parsed,
    ParsePool,
    WorkerSettings,
    default_workers,
)
from kamrap.schema.models import FAILURE_LABELS, Export, Failure, FailureKind
from kamrap.schema.store import Batch, Store

Status = Literal["ingested", "unchanged", "duplicate", "failed"]

# Exit codes of `kamrap ingest` (sysexits.h where one fits): 1 alone means "some files failed".
EXIT_FAILED_FILES = 1
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in kamrap outside any one file's processing
EXIT_DATABASE = 74  # EX_IOERR: the database cannot be written (full disk, I/O error, damaged)
EXIT_BUSY = 75  # EX_TEMPFAIL: another ingest holds the database; try again later
EXIT_INTERRUPTED = 130  # Ctrl-C or SIGTERM


class RunStopped(Exception):
    """What stops a whole run (not one file): the database cannot be written."""


@dataclass
class FileOutcome:
    path: Path
    status: Status
    failure: Failure | None = None  # why it failed
    kind: str | None = None
    indicators: int = 0
    pages: int = 0
    seconds: float = 0.0  # parsing time
    parsed: bool = False  # went through a worker (the first name of its bytes in this run)
    same_as: str | None = None  # a duplicate: the stored path holding the same bytes

    @property
    def reason(self) -> str | None:
        """The failure's one line for the user."""
        return None if self.failure is None else self.failure.reason


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    interrupted: bool = False
    stopped: str | None = None  # why the run stopped before its end (the database failed)
    lost: list[FileOutcome] = field(default_factory=list)  # done, then lost with the transaction
    seconds: float = 0.0

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0 and not self.interrupted and self.stopped is None

    @property
    def pages(self) -> int:
        """Pages parsed in this run."""
        return sum(o.pages for o in self.outcomes if o.status == "ingested")

    def failed_by_kind(self) -> Counter[FailureKind]:
        return Counter(o.failure.kind for o in self.outcomes if o.status == "failed" and o.failure)

    def failed_by_reason(self) -> Counter[str]:
        """`failed_by_kind` under the kinds' labels ("not a PDF"), as the summary prints them."""
        return Counter({FAILURE_LABELS[kind]: n for kind, n in self.failed_by_kind().items()})


@dataclass(frozen=True)
class IngestOptions:
    force: bool = False  # re-parse files already stored
    password: str = ""
    workers: int = field(default_factory=default_workers)
    timeout: float = DEFAULT_TIMEOUT  # seconds per file
    memory_mb: int = DEFAULT_MEMORY_MB  # per worker; 0: no cap
    wait: float = 0.0  # seconds to wait for another ingest of the same database to end
    ocr: str = "auto"  # which pages are read from their image: auto, always, never
    commit_every: float = Batch.max_seconds  # seconds a transaction stays open at most (0: every file)


class IngestListener:
    """What the job tells its caller as it goes (a progress display); every method is optional."""

    def checking(self, files: int) -> None:
        """Hashing `files` files starts."""

    def checked(self, path: Path) -> None:
        """One file was hashed."""

    def parsing(self, files: int, workers: int) -> None:
        """Parsing starts: `files` files (the rest were skipped or failed already)."""

    def finished(self, outcome: FileOutcome) -> None:
        """One file is done: stored, skipped or failed."""

    def tick(self) -> None:
        """Called at least every second while parsing, for periodic displays."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ingest_paths(
    paths: Iterable[Path], store: Store, *, options: IngestOptions | None = None,
    listener: IngestListener | None = None,
) -> IngestReport:
    """Ingest the PDF files and folders `paths` (see `discover_pdfs`) into `store`, as the module
    docstring says. Ctrl-C or SIGTERM stops the job: every file parsed completely is stored, and
    `report.interrupted` is set. A database that cannot be written stops it too, with
    `report.stopped` saying why. Raises `kamrap.ingest.lock.DatabaseBusy` when another process
    holds the database's writer lock for longer than `options.wait` seconds."""
    options = options or IngestOptions()
    listener = listener or IngestListener()
    report = IngestReport()
    started = time.monotonic()

    def done(outcome: FileOutcome) -> None:
        report.outcomes.append(outcome)
        listener.finished(outcome)

    roots = _ROOTS.set(_Roots.of(list(paths)))
    try:
        with WriterLock(store.path, wait=options.wait):
            try:
                store.enable_wal()
                _ingest(paths, store, options, listener, report, done)
            except sqlite3.Error as exc:
                if not _stops_the_run(exc):
                    raise
                report.stopped = database_failure(store.path, exc)
            except RunStopped as exc:
                report.stopped = str(exc)
            except Exception as exc:  # a bug outside any one file: recorded, then the caller's
                store.record_stop(f"internal error ({error_line(exc)})")
                raise
            if report.stopped is not None:
                store.record_stop(report.stopped)
            elif not report.interrupted:
                _quietly(store.clear_stop)
    finally:
        _ROOTS.reset(roots)
    report.seconds = time.monotonic() - started
    return report


def database_failure(db: Path, exc: BaseException) -> str:
    """One line for a database that cannot be written."""
    return f"{display_name(db)}: cannot write the database ({short_line(str(exc))})"


def _stops_the_run(exc: sqlite3.Error) -> bool:
    """An error of the database itself (full, locked, I/O, damaged), not of one file's data
    (a constraint, a value SQLite refuses)."""
    return isinstance(exc, sqlite3.OperationalError) or type(exc) is sqlite3.DatabaseError


def _quietly(action: Callable[[], object]) -> None:
    try:
        action()
    except sqlite3.Error:
        pass


def _ingest(paths: Iterable[Path], store: Store, options: IngestOptions, listener: IngestListener,
            report: IngestReport, done: Callable[[FileOutcome], None]) -> None:
    committed = 0  # report.outcomes up to here are committed

    def stored() -> None:
        nonlocal committed
        committed = len(report.outcomes)

    batch = store.batch(on_commit=stored, max_seconds=options.commit_every)

    def finished(outcome: FileOutcome) -> None:
        done(outcome)
        batch.commit_if_due()  # after the outcome is counted: a commit knows what it holds

    try:
        with _interrupt_on_sigterm(), batch:
            _run(paths, store, options, listener, batch, finished)
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        if batch.rolled_back:  # what the lost transaction held is not stored: not reported as done
            report.lost += report.outcomes[committed:]
            del report.outcomes[committed:]


def _run(paths: Iterable[Path], store: Store, options: IngestOptions, listener: IngestListener,
         batch: Batch, done: Callable[[FileOutcome], None]) -> None:
    plan = _plan(list(paths), store, options, listener)
    for outcome in plan.missing:
        done(outcome)  # a typo on the command line: not recorded
    for failed in plan.failed:
        assert failed.failure is not None
        batch.write(store.save_error, _key(failed.path), failed.failure)
        done(failed)
    for skipped in plan.skipped:
        batch.write(_record_skipped, store, skipped)
        done(skipped.outcome)
    for outcome in plan.timed_out_before:
        done(outcome)  # its error stays recorded as it was

    def tick() -> None:
        batch.commit_if_due()
        listener.tick()

    listener.parsing(len(plan.jobs), min(options.workers, len(plan.jobs)))
    for parsed in _parse_all(plan.jobs, options, tick):
        aliases = plan.aliases.get(parsed.job.sha256, [])
        for outcome in _store_parsed(store, batch, parsed, aliases):
            done(outcome)


# -- check: which files need parsing ----------------------------------------------------------
@dataclass(frozen=True)
class _Skip:
    outcome: FileOutcome
    sha256: str
    document_id: int
    move: bool = False  # the document's own file is gone: this is its new name


@dataclass
class _Plan:
    jobs: list[Job] = field(default_factory=list)
    aliases: dict[str, list[Path]] = field(default_factory=dict)  # job sha256 → other names
    skipped: list[_Skip] = field(default_factory=list)
    failed: list[FileOutcome] = field(default_factory=list)  # unreadable files and folders
    missing: list[FileOutcome] = field(default_factory=list)  # paths given that do not exist
    timed_out_before: list[FileOutcome] = field(default_factory=list)  # not tried again


def _plan(paths: list[Path], store: Store, options: IngestOptions, listener: IngestListener) -> _Plan:
    """Find the files, hash them, and sort them into jobs, skips and failures."""
    force = options.force
    plan = _Plan()
    plan.missing = [FileOutcome(p, "failed", Failure.of(FailureKind.no_such_file))
                    for p in paths if not os.path.lexists(p)]
    files = list(discover_pdfs(
        (p for p in paths if os.path.lexists(p)),
        lambda folder, failure: plan.failed.append(FileOutcome(folder, "failed", failure))))
    listener.checking(len(files))
    groups: dict[str, list[Path]] = {}  # sha256 → the names it was found under, in order
    current: dict[str, str] = {}  # key → sha256 of the file now
    sizes: dict[Path, int] = {}
    for path in files:
        try:
            size, sha256 = _regular_size(path), sha256_of(path)
        except OSError as exc:
            plan.failed.append(FileOutcome(path, "failed", Failure.of(FailureKind.unreadable_file, exc.strerror or exc)))
        except Exception as exc:  # whatever else reading it raises costs this file only
            plan.failed.append(FileOutcome(path, "failed", Failure.of(FailureKind.unreadable_file, error_line(exc))))
        else:
            sizes[path], current[_key(path)] = size, sha256
            groups.setdefault(sha256, []).append(path)
        listener.checked(path)

    for sha256, names in groups.items():
        stored = [] if force else _stored_copies(store, sha256, current)
        if stored:
            plan.skipped += _skips(names, sha256, stored)
        elif not force and (earlier := _timed_out_before(store, names[0], sha256, options.timeout)):
            plan.timed_out_before += [FileOutcome(name, "failed", earlier) for name in names]
        else:
            plan.jobs.append(Job(names[0], sha256))
            plan.aliases[sha256] = names[1:]
    plan.jobs.sort(key=lambda job: sizes[job.path], reverse=True)  # biggest first: no long tail
    return plan


def _timed_out_before(store: Store, path: Path, sha256: str, timeout: float) -> Failure | None:
    """The failure to give for a file that timed out in an earlier run, unchanged since, with a
    timeout at least as long as this run's: waiting for it again would fail the same way."""
    earlier = store.earlier_error(_key(path), sha256)
    if earlier is None or earlier.kind is not FailureKind.timed_out or earlier.timeout is None \
            or earlier.timeout < timeout:
        return None
    return earlier.model_copy(update={"reason": f"{earlier.reason}, in an earlier run; not tried again "
                                                f"(--force, or a --timeout above {earlier.timeout:g} s)"})


def _skips(names: list[Path], sha256: str, stored: list[dict[str, Any]]) -> list[_Skip]:
    """Files whose bytes are stored: `unchanged` under the stored name, `duplicate` under others.
    A document whose file is gone (moved, renamed) is taken over by the first name."""
    keys = [_key(name) for name in names]
    there = [d for d in stored if d["state"] == "there"]
    canonical = next((d for d in there if d["path"] in keys), there[0] if there else None)
    moved = None
    if canonical is None:
        canonical, moved = {**stored[0], "path": keys[0]}, keys[0]
    skips = []
    for name, key in zip(names, keys):
        if key == canonical["path"]:
            outcome = FileOutcome(name, "unchanged")
        else:
            outcome = FileOutcome(name, "duplicate", same_as=canonical["path"])
        skips.append(_Skip(outcome, sha256, canonical["id"], move=key == moved))
    return skips


def _stored_copies(store: Store, sha256: str, current: dict[str, str]) -> list[dict[str, Any]]:
    """Stored documents of these bytes whose file still holds them ("there") or no longer exists
    ("gone"); a document whose file now holds other bytes is about to be replaced."""
    copies = []
    for doc in store.documents_with_sha256(sha256):
        location = _ROOTS.get().location(str(real_path(doc["path"])))
        if location is None:  # stored from a folder not ingested now: cannot be checked
            copies.append({**doc, "state": "there"})
            continue
        now = current.get(doc["path"]) or _sha256_or_none(location)
        if now == sha256:
            copies.append({**doc, "state": "there"})
        elif now is None and not os.path.lexists(location):
            copies.append({**doc, "state": "gone"})
    return copies


def _regular_size(path: Path) -> int:
    """The file's size; OSError for what is not a regular file (a FIFO would block reading)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise OSError(0, "not a regular file")
    return info.st_size


def _sha256_or_none(path: Path) -> str | None:
    try:
        _regular_size(path)
        return sha256_of(path)
    except OSError:
        return None


def _record_skipped(store: Store, skipped: _Skip) -> None:
    key = _key(skipped.outcome.path)
    if skipped.move:
        store.move_document(skipped.document_id, key, display_name(skipped.outcome.path.name))
    store.record_file(key, skipped.sha256, skipped.document_id)


def _key(path: Path) -> str:
    """The name a file is stored under: its path inside the folder it was found in, that
    folder's name kept once (`kamrap ingest /data/archive` stores archive/2564/x.pdf; a file
    named alone is under its own folder: samples/x.pdf), in its escaped display form
    (`kamrap.ingest.names`): any name the file system holds is one printable line. No absolute
    path is stored, so a database can be published without the machine's folders in it."""
    return display_name(_ROOTS.get().key(path))


@dataclass(frozen=True)
class _Roots:
    """The folders of one ingest run (a file named alone counts as its folder), each with the
    label its files' stored names start with: the folder's name, or as many of its last names
    as tell it from the run's other folders of the same name."""

    given: tuple[tuple[Path, Path, str], ...]  # (path as given, its folder, label)

    @staticmethod
    def of(paths: list[Path]) -> _Roots:
        folders = []
        for path in paths:
            folder = path if _is_dir(path) else path.parent
            folders.append((path, folder, real_location(folder)))
        labels = {}
        for _, _, real in folders:
            depth = 1
            while depth < len(real.parts) and any(
                    other != real and other.parts[-depth:] == real.parts[-depth:] for _, _, other in folders):
                depth += 1
            labels[real] = PurePosixPath(*real.parts[-depth:]).as_posix() if real.name else ""
        return _Roots(tuple((path, folder, labels[real]) for path, folder, real in folders))

    def key(self, path: Path) -> str:
        for given, folder, label in self.given:
            if path == given or (_is_dir(given) and path.is_relative_to(given)):
                inside = path.relative_to(folder).parts
                return PurePosixPath(label, *inside).as_posix().lstrip("/")
        return PurePosixPath(path.parent.name, path.name).as_posix()  # not under any: its folder

    def location(self, key: str) -> Path | None:
        """Where a stored name is on this machine, when it is under one of this run's folders."""
        for _, folder, label in self.given:
            if label and (key == label or key.startswith(label + "/")):
                return folder / key[len(label):].lstrip("/")
            if not label:
                return folder / key
        return None


_ROOTS: ContextVar[_Roots] = ContextVar("kamrap_ingest_roots", default=_Roots(()))


# -- parse -----------------------------------------------------------------------------------
def _parse_all(jobs: list[Job], options: IngestOptions, tick: Callable[[], None]) -> Iterator[Parsed]:
    """The workers' answers, as they come; `tick()` at least once a second meanwhile."""
    if not jobs:
        return
    parse = None
    if options.ocr != "auto":
        from kamrap.ingest.parse_job import parse_file  # named for the workers; run only there

        parse = functools.partial(parse_file, ocr=options.ocr)
    settings = WorkerSettings(password=options.password, memory_mb=options.memory_mb, parse=parse)
    queue = deque(jobs)
    with ParsePool(min(options.workers, len(jobs)), timeout=options.timeout, settings=settings) as pool:
        while queue or pool.pending:
            while queue and pool.has_room():
                pool.submit(queue.popleft())
            yield from pool.answers(wait_at_most=1.0)
            tick()


# -- store ------------------------------------------------------------------------------------
def _store_parsed(store: Store, batch: Batch, parsed: Parsed, aliases: list[Path]) -> list[FileOutcome]:
    path, sha256, export = parsed.job.path, parsed.job.sha256, parsed.export
    failure = parsed.failure
    if export is not None:
        def save() -> None:
            document_id = store.save(_key(path), export)
            for name in [path, *aliases]:
                store.record_file(_key(name), sha256, document_id)
        try:
            batch.write(save)
        except sqlite3.Error as exc:
            if _stops_the_run(exc):
                raise
            failure = Failure.of(FailureKind.cannot_store, error_line(exc))  # this file's data, not the database
        except Exception as exc:  # a bug met on this file's data costs this file only
            failure = Failure.of(FailureKind.cannot_store, error_line(exc))
    if failure is None:
        assert export is not None
        doc = export.document
        return [FileOutcome(path, "ingested", kind=doc.kind, indicators=len(export.indicators),
                            pages=doc.page_count, seconds=parsed.seconds, parsed=True)] + [
            FileOutcome(alias, "duplicate", same_as=_key(path)) for alias in aliases]
    for name in [path, *aliases]:
        batch.write(store.save_error, _key(name), failure, sha256)
    return [FileOutcome(path, "failed", failure, seconds=parsed.seconds, parsed=True)] + [
        FileOutcome(alias, "failed", failure) for alias in aliases]


@contextmanager
def _interrupt_on_sigterm() -> Iterator[None]:
    """SIGTERM (`kill`, a shutdown) stops the job the way Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
