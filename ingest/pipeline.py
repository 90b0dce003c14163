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
   per transaction (`_Batch`). A file is stored whole or not at all, so a run that is killed
   leaves every file stored or absent, and the next run parses only what is missing.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kamrap.ingest.discover import discover_pdfs
from kamrap.ingest.pool import (
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT,
    Job,
    Parsed,
    ParsePool,
    WorkerSettings,
    default_workers,
    timed_out_after,
)
from kamrap.normalize.canonical import to_export
from kamrap.parsers import parse_pdf
from kamrap.schema.models import Export
from kamrap.schema.store import Store

Status = Literal["ingested", "unchanged", "duplicate", "failed"]


@dataclass
class FileOutcome:
    path: Path
    status: Status
    reason: str | None = None  # why it failed
    kind: str | None = None
    indicators: int = 0
    pages: int = 0
    seconds: float = 0.0  # parsing time
    parsed: bool = False  # went through a worker (the first name of its bytes in this run)
    same_as: str | None = None  # a duplicate: the stored path holding the same bytes

    @property
    def reason_kind(self) -> str | None:
        """The reason without its details: "damaged PDF (…)" → "damaged PDF"."""
        return None if self.reason is None else self.reason.split(" (", 1)[0]


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0 and not self.interrupted

    @property
    def pages(self) -> int:
        """Pages parsed in this run."""
        return sum(o.pages for o in self.outcomes if o.status == "ingested")

    def failed_by_reason(self) -> Counter[str]:
        return Counter(o.reason_kind for o in self.outcomes if o.status == "failed" and o.reason_kind)


@dataclass(frozen=True)
class IngestOptions:
    force: bool = False  # re-parse files already stored
    password: str = ""
    workers: int = field(default_factory=default_workers)
    timeout: float = DEFAULT_TIMEOUT  # seconds per file
    memory_mb: int = DEFAULT_MEMORY_MB  # per worker; 0: no cap
    ocr: str = "auto"  # which pages are read from their image: auto, always, never


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


def parse_file(path: Path, sha256: str, password: str = "", ocr: str = "auto") -> Export:
    """The canonical export of one PDF (parsers → normalize), without storing it."""
    return to_export(parse_pdf(path, password, ocr), file=path.name, sha256=sha256)


def ingest_paths(
    paths: Iterable[Path], store: Store, *, options: IngestOptions | None = None,
    listener: IngestListener | None = None,
) -> IngestReport:
    """Ingest the PDF files and folders `paths` (see `discover_pdfs`) into `store`, as the module
    docstring says. Ctrl-C or SIGTERM stops the job: every file parsed completely is stored, and
    `report.interrupted` is set."""
    options = options or IngestOptions()
    listener = listener or IngestListener()
    report = IngestReport()
    started = time.monotonic()

    def done(outcome: FileOutcome) -> None:
        report.outcomes.append(outcome)
        listener.finished(outcome)

    store.enable_wal()
    try:
        with _interrupt_on_sigterm(), _Batch(store) as batch:
            plan = _plan(list(paths), store, options, listener)
            for outcome in plan.missing:
                done(outcome)  # a typo on the command line: not recorded
            for failed in plan.failed:
                batch.write(store.save_error, _key(failed.path), failed.reason or "")
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
    except KeyboardInterrupt:
        report.interrupted = True
    report.seconds = time.monotonic() - started
    return report


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
    plan.missing = [FileOutcome(p, "failed", "no such file or folder") for p in paths if not os.path.lexists(p)]
    files = list(discover_pdfs(
        (p for p in paths if os.path.lexists(p)),
        lambda folder, reason: plan.failed.append(FileOutcome(folder, "failed", reason))))
    listener.checking(len(files))
    groups: dict[str, list[Path]] = {}  # sha256 → the names it was found under, in order
    current: dict[str, str] = {}  # key → sha256 of the file now
    sizes: dict[Path, int] = {}
    for path in files:
        try:
            size, sha256 = _regular_size(path), sha256_of(path)
        except OSError as exc:
            plan.failed.append(FileOutcome(path, "failed", f"cannot read file ({exc.strerror or exc})"))
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


def _timed_out_before(store: Store, path: Path, sha256: str, timeout: float) -> str | None:
    """The reason to give for a file that timed out in an earlier run, unchanged since, with a
    timeout at least as long as this run's: waiting for it again would fail the same way."""
    reason = store.earlier_error(_key(path), sha256)
    limit = timed_out_after(reason) if reason else None
    if limit is None or limit < timeout:
        return None
    return f"{reason}, in an earlier run; not tried again (--force, or a --timeout above {limit:g} s)"


def _skips(names: list[Path], sha256: str, stored: list[dict]) -> list[_Skip]:
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


def _stored_copies(store: Store, sha256: str, current: dict[str, str]) -> list[dict]:
    """Stored documents of these bytes whose file still holds them ("there") or no longer exists
    ("gone"); a document whose file now holds other bytes is about to be replaced."""
    copies = []
    for doc in store.documents_with_sha256(sha256):
        now = current.get(doc["path"]) or _sha256_or_none(Path(doc["path"]))
        if now == sha256:
            copies.append({**doc, "state": "there"})
        elif now is None and not os.path.lexists(doc["path"]):
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
        store.move_document(skipped.document_id, key, skipped.outcome.path.name)
    store.record_file(key, skipped.sha256, skipped.document_id)


def _key(path: Path) -> str:
    """The name a file is stored under: its absolute path, symlinks resolved (those that lead
    nowhere or in a loop are kept as they are)."""
    return str(path.resolve()) if path.exists() else os.path.abspath(path)


# -- parse -----------------------------------------------------------------------------------
def _parse_all(jobs: list[Job], options: IngestOptions, tick: Callable[[], None]) -> Iterator[Parsed]:
    """The workers' answers, as they come; `tick()` at least once a second meanwhile."""
    if not jobs:
        return
    parse = None if options.ocr == "auto" else functools.partial(parse_file, ocr=options.ocr)
    settings = WorkerSettings(password=options.password, memory_mb=options.memory_mb, parse=parse)
    queue = deque(jobs)
    with ParsePool(min(options.workers, len(jobs)), timeout=options.timeout, settings=settings) as pool:
        while queue or pool.pending:
            while queue and pool.has_room():
                pool.submit(queue.popleft())
            yield from pool.answers(wait_at_most=1.0)
            tick()


# -- store ------------------------------------------------------------------------------------
def _store_parsed(store: Store, batch: _Batch, parsed: Parsed, aliases: list[Path]) -> list[FileOutcome]:
    path, sha256, export = parsed.job.path, parsed.job.sha256, parsed.export
    reason = parsed.reason
    if export is not None:
        def save() -> None:
            document_id = store.save(_key(path), export)
            for name in [path, *aliases]:
                store.record_file(_key(name), sha256, document_id)
        try:
            batch.write(save)
        except (sqlite3.IntegrityError, ValueError) as exc:  # this file's data, not the database
            reason = f"cannot store ({type(exc).__name__}: {exc})"
    if reason is None:
        assert export is not None
        doc = export.document
        return [FileOutcome(path, "ingested", kind=doc.kind, indicators=len(export.indicators),
                            pages=doc.page_count, seconds=parsed.seconds, parsed=True)] + [
            FileOutcome(alias, "duplicate", same_as=_key(path)) for alias in aliases]
    for name in [path, *aliases]:
        batch.write(store.save_error, _key(name), reason, sha256)
    return [FileOutcome(path, "failed", reason, seconds=parsed.seconds, parsed=True)] + [
        FileOutcome(alias, "failed", reason) for alias in aliases]


class _Batch:
    """Writes grouped into transactions of up to `max_files` files or `max_seconds` seconds,
    each write a savepoint inside it: one commit per batch, yet one file all or nothing.
    Whatever ends the job (Ctrl-C included), the writes completed so far are committed."""

    def __init__(self, store: Store, max_files: int = 100, max_seconds: float = 2.0) -> None:
        self.db = store.db
        self.max_files, self.max_seconds = max_files, max_seconds
        self.files, self.opened = 0, 0.0

    def __enter__(self) -> _Batch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.commit()

    def write(self, action: Callable[..., object], *args: object) -> None:
        """Run `action(*args)` in a savepoint of the open transaction."""
        if not self.db.conn.in_transaction:
            self.db.begin()
            self.files, self.opened = 0, time.monotonic()
        with self.db.atomic():
            action(*args)
        self.files += 1
        if self.files >= self.max_files:
            self.commit()
        self.commit_if_due()

    def commit_if_due(self) -> None:
        """Commit a transaction open for `max_seconds`: a slow file must not hold back those
        parsed before it."""
        if self.db.conn.in_transaction and time.monotonic() - self.opened >= self.max_seconds:
            self.commit()

    def commit(self) -> None:
        self.db.commit()


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
