"""One writer per database: a lock file beside it that says who holds it.

`kamrap ingest` holds ``DB.lock`` (an advisory `flock`, released by the kernel however the
holder ends, kill -9 included, so a lock is never left stale) for as long as it writes, and
writes its pid, host, start time and command into it. A second ingest of the same database
waits for it up to `wait` seconds, then leaves with one line naming the holder
(`DatabaseBusy`), before it has parsed or written anything. Readers (export, verify, errors)
take no lock: SQLite's write-ahead log lets them read while the writer writes.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from kamrap.schema.store import DatabaseUnwritable

try:
    import fcntl
except ImportError:  # not on Unix: no lock (SQLite's own busy timeout still serialises writes)
    fcntl = None  # type: ignore[assignment]


class DatabaseBusy(Exception):
    """Another process holds the database's writer lock."""

    def __init__(self, db: Path, holder: str) -> None:
        super().__init__(f"{db}: another kamrap ingest is writing to this database ({holder}); "
                         "wait for it to end (or --wait SECONDS), or use another --db")
        self.db, self.holder = db, holder


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


class WriterLock:
    """The writer lock of database `db`; a context manager."""

    def __init__(self, db: Path, wait: float = 0.0, poll: float = 0.2) -> None:
        self.db, self.wait, self.poll = Path(db), wait, poll
        self.path = lock_path(self.db)
        self._fd: int | None = None

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        if fcntl is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
                # the lock lives beside the database: a folder that cannot hold it cannot hold
                # a database being written either
                raise DatabaseUnwritable(self.db, "cannot write: the file or its folder is read-only") from exc
            raise
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read(fd) or "holder unknown"
                    os.close(fd)
                    raise DatabaseBusy(self.db, holder) from None
                time.sleep(self.poll)
        os.ftruncate(fd, 0)
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        command = " ".join(os.path.basename(a) if n == 0 else a for n, a in enumerate(sys.argv))
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}, since {started}: "
                      f"{command}"[:300].encode("utf-8", "backslashreplace"), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)
            except OSError:
                pass
            os.close(self._fd)  # closing releases the flock
            self._fd = None


def _read(fd: int) -> str:
    try:
        return os.pread(fd, 400, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""
