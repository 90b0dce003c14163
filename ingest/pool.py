"""Parsing in worker processes, one file at a time per worker, so a file can cost only itself.

Each worker is a process of its own with a pipe to the main process. The main process knows
which file every worker holds and since when, so a worker that crashes (segfault, killed by the
kernel's OOM killer), runs past the per-file timeout or runs out of memory (an address-space cap
set with `resource.setrlimit`) fails exactly that file; the worker is then replaced and the
batch goes on. `concurrent.futures.ProcessPoolExecutor` cannot do this: one dead worker breaks
the whole pool, and a hung task cannot be cancelled; nor can loky (a worker's crash ends its
executor, and it has no per-task timeout).

pebble (5.2.3, tried on the same cases) does the main part: a per-task timeout, a crash as
`ProcessExpired` with its exit code, recycling after `max_tasks`, a memory cap through an
initializer, a forkserver context. It is not used because of three things it cannot do that a
batch over a real archive needs: (1) its workers write to the terminal's stderr, so a dying
worker's traceback lands in the middle of the one-line-per-file output, while ours each write
to a file of their own and that file's last words become the reason ("worker crashed (killed by
SIGSEGV: Fatal Python error: …)", "out of memory (the worker died of it)"); (2) a result too
large to send kills its worker with only "Abnormal termination", where ours says "out of memory
(the result is too large to send)"; (3) it recycles workers by task count only, and ours also
once a worker holds half its memory cap.

Workers only parse (`kamrap.ingest.parse_job.parse_file`) and send back the canonical `Export`;
the main process is the only one that writes to SQLite.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import recv_handle, send_handle
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Generic

# TypeVar with a default (PEP 696; in `typing` from Python 3.13): a pool is a pool of Exports
# unless its parse function says otherwise
from typing_extensions import TypeVar

from kamrap.ingest import collector
from kamrap.ingest.names import error_line
from kamrap.ingest.orphans import die_with_parent, private_temp_dir
from kamrap.schema.models import Export, Failure, FailureKind


if TYPE_CHECKING:
    from typing import TypeAlias

    from multiprocessing.context import ForkContext, ForkServerContext, SpawnContext

    _Context: TypeAlias = ForkContext | ForkServerContext | SpawnContext

#: What a parse function returns (`Export` for a batch; `kamrap text` sends the page texts).
R = TypeVar("R", default=Export)

DEFAULT_TIMEOUT = 300.0  # seconds per file; a 500-page agreement parses in about a minute
DEFAULT_MEMORY_MB = 2048  # address space per worker; a worker idles at about 150 MB
DEFAULT_FILES_PER_WORKER = 25


@dataclass(frozen=True)
class Job:
    """One file to parse: `path` as found, `sha256` of its bytes."""

    path: Path
    sha256: str


@dataclass(frozen=True)
class Parsed(Generic[R]):
    """A worker's answer for one job: the export, or why it failed."""

    job: Job
    export: R | None
    failure: Failure | None = None
    seconds: float = 0.0

    @property
    def reason(self) -> str | None:
        """The failure's one line for the user."""
        return None if self.failure is None else self.failure.reason


#: ``parse(path, sha256, password) -> Export``; a module-level function (workers import it).
ParseFunction = Callable[[Path, str, str], R]


@dataclass(frozen=True)
class WorkerSettings(Generic[R]):
    password: str = ""
    memory_mb: int = DEFAULT_MEMORY_MB  # 0: no cap
    parse: ParseFunction[R] | None = None  # None: kamrap.ingest.parse_job.parse_file
    # A worker is replaced after this many files, or sooner once it holds half its memory cap:
    # whatever a file leaves behind in a worker (a cache that keeps every PDF's fonts, heap
    # fragmentation) then cannot add up over a batch of thousands.
    files_per_worker: int = DEFAULT_FILES_PER_WORKER


def default_workers() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ParsePool(Generic[R]):
    """`workers` parsing processes, started as needed. Use as a context manager.

    `submit` a job while `has_room()`, then collect answers with `answers()`; every submitted
    job gets exactly one `Parsed`, whatever happens to its worker.
    """

    def __init__(self, workers: int, *, timeout: float = DEFAULT_TIMEOUT,
                 settings: WorkerSettings[R] = WorkerSettings(), start_method: str | None = None) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, not {timeout}")
        self.size = workers
        self.timeout = timeout
        self.settings = settings
        self._context = _context(start_method)
        self._idle: list[_Worker[R]] = []
        self._busy: list[_Worker[R]] = []

    def __enter__(self) -> ParsePool[R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has_room(self) -> bool:
        return len(self._busy) < self.size

    @property
    def pending(self) -> int:
        return len(self._busy)

    def submit(self, job: Job) -> None:
        if not self.has_room():
            raise RuntimeError("every worker is busy; collect answers() first")
        worker = self._idle.pop() if self._idle else _Worker.start(self._context, self.settings)
        try:
            worker.send(job)
        except OSError:  # the idle worker died meanwhile: give the job to a fresh one
            worker.stop()
            worker = _Worker.start(self._context, self.settings)
            worker.send(job)
        self._busy.append(worker)

    def answers(self, wait_at_most: float | None = None) -> Iterator[Parsed[R]]:
        """Answers that are ready within `wait_at_most` seconds (None: until at least one is)."""
        if not self._busy:
            return
        now = time.monotonic()
        deadline = min(w.started + self.timeout for w in self._busy)
        limit = max(0.0, deadline - now)
        if wait_at_most is not None:
            limit = min(limit, wait_at_most)
        ready = set(wait([w.conn for w in self._busy] + [w.process.sentinel for w in self._busy], limit))
        now = time.monotonic()
        for worker in list(self._busy):
            if worker.conn in ready or worker.process.sentinel in ready:
                answer = worker.receive()
            elif now - worker.started >= self.timeout:
                worker.stop()
                answer = worker.failed(Failure.timed_out(self.timeout))
            else:
                continue
            self._busy.remove(worker)
            if worker.alive():
                self._idle.append(worker)
            yield answer

    def close(self) -> None:
        """Stop every worker; a job still running is abandoned."""
        for worker in self._idle:
            worker.finish()
        for worker in self._busy:
            worker.stop()
        self._idle, self._busy = [], []


def run_isolated(parse: ParseFunction[R], path: Path, *, timeout: float = DEFAULT_TIMEOUT,
                 memory_mb: int = DEFAULT_MEMORY_MB, password: str = "") -> Parsed[R]:
    """`parse(path, "", password)` in a worker process of its own, as a batch runs each file:
    a timeout, a memory cap, and a crash or any exception turned into `Parsed.failure`. The
    worker is forked from this process (already warm) where the system can and this process
    runs one thread: a fork copies no other thread, so a lock one held (OpenCV's or
    OpenMP's pool, after a caller used them) would stay locked in the worker for ever."""
    settings: WorkerSettings[R] = WorkerSettings(password=password, memory_mb=memory_mb, parse=parse, files_per_worker=1)
    forkable = "fork" in multiprocessing.get_all_start_methods() and _threads() == 1
    method = "fork" if forkable else None
    with ParsePool(1, timeout=timeout, settings=settings, start_method=method) as pool:
        pool.submit(Job(path, ""))
        while True:
            for answer in pool.answers():
                return answer


def _threads() -> int:
    """Threads of this process, native ones included (Linux's /proc; elsewhere Python's own)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        import threading

        return threading.active_count()


def _context(start_method: str | None = None) -> _Context:
    if start_method is not None:
        context = multiprocessing.get_context(start_method)
        # typeshed gives a method's name as `str` a BaseContext; each method has its own class
        if not isinstance(context, (multiprocessing.context.ForkContext,
                                    multiprocessing.context.ForkServerContext,
                                    multiprocessing.context.SpawnContext)):
            raise ValueError(f"unknown start method {start_method!r}")
        return context
    # forkserver: workers fork from a clean server that imported and warmed the parsers once
    # (`kamrap.ingest.preload`), so a new worker starts warm in milliseconds and never inherits
    # the main process's threads (rich's refresh thread) or its SQLite connection.
    # The forkserver and the workers die with the main process (`kamrap.ingest.orphans`), and
    # the forkserver's socket lives in a folder named after the main process, removed by the
    # next run if this one is killed.
    private_temp_dir()
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["kamrap.ingest.forkserver_guard", "kamrap.ingest.preload"])
        return context
    return multiprocessing.get_context("spawn")


class _Worker(Generic[R]):
    def __init__(self, process: multiprocessing.process.BaseProcess, conn: Connection,
                 log: BinaryIO) -> None:
        self.process = process
        self.conn = conn
        self.log = log  # the worker's stderr: why it died, if it did
        self.job: Job | None = None
        self.started = 0.0

    @classmethod
    def start(cls, context: _Context, settings: WorkerSettings[R]) -> _Worker[R]:
        ours, theirs = context.Pipe()
        process = context.Process(target=worker_main, args=(theirs, settings), daemon=True)
        process.start()
        theirs.close()
        # An unnamed file (gone with the last process holding it, however they end) for the
        # worker's stderr, handed over the pipe as a file descriptor.
        log = tempfile.TemporaryFile(prefix="kamrap-worker-")
        send_handle(ours, log.fileno(), process.pid)
        return cls(process, ours, log)

    def send(self, job: Job) -> None:
        self.job, self.started = job, time.monotonic()
        self.conn.send(job)

    def receive(self) -> Parsed[R]:
        try:
            if self.conn.poll():
                export, failure, seconds, retiring = self.conn.recv()
                if retiring:  # the worker exits after this answer
                    self.finish()
                if export is not None:
                    return Parsed(self._job(), export, seconds=seconds)
                return self.failed(failure, seconds)
        except (EOFError, OSError):
            pass
        # The worker died without an answer: it crashed on this file.
        self.process.join(5)
        last_words = _tail(self.log)
        self.stop()
        return self.failed(_death_reason(self.process.exitcode, last_words))

    def failed(self, failure: Failure, seconds: float | None = None) -> Parsed[R]:
        spent = time.monotonic() - self.started if seconds is None else seconds
        return Parsed(self._job(), None, failure, spent)

    def _job(self) -> Job:
        assert self.job is not None
        return self.job

    def alive(self) -> bool:
        return self.process.is_alive()

    def finish(self) -> None:
        """Ask an idle worker to exit, then make sure it did."""
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(1)
        self.stop()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()
        self.log.close()


def _death_reason(exitcode: int | None, last_words: str) -> Failure:
    """ "worker crashed (killed by SIGSEGV: Fatal Python error: Segmentation fault)"; running out
    of memory under the cap can kill CPython itself ("Cannot recover from MemoryErrors")."""
    if "MemoryError" in last_words:  # CPython's own last words (not ours)
        return Failure.of(FailureKind.out_of_memory, "the worker died of it")
    if exitcode is not None and exitcode < 0:
        how = f"killed by {signal.Signals(-exitcode).name}"
        if -exitcode == signal.SIGKILL:
            how += ", perhaps by the system for lack of memory"
    else:
        how = f"exit code {exitcode}"
    first = next((line.strip() for line in last_words.splitlines() if line.strip()), "")
    return Failure.of(FailureKind.worker_crashed, f"{how}: {first}" if first else how)


def _tail(log: BinaryIO, size: int = 65536) -> str:
    # 64 KB: a fatal error's first line comes before the list of every extension module the
    # worker had loaded (numpy, pyarrow, pandas … several KB), which a short tail cut off
    try:
        end = os.fstat(log.fileno()).st_size
        return os.pread(log.fileno(), size, max(0, end - size)).decode("utf-8", "replace")
    except OSError:
        return ""


# -- in the worker process -------------------------------------------------------------------
def worker_main(conn: Connection, settings: WorkerSettings[object]) -> None:
    """Parse the jobs the main process sends until it sends None or goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    die_with_parent()  # the forkserver (or, spawned, the main process): no orphan keeps parsing
    # stderr goes to the file the main process sends first: a fatal error's last words there
    # tell it why the worker died, and nothing is written over the progress display.
    try:
        log = recv_handle(conn)
    except (EOFError, OSError):
        return
    os.dup2(log, 2)
    os.close(log)
    # pdfminer and fontTools warn on every odd object they meet; the file's outcome is what the
    # user needs.
    logging.disable(logging.WARNING)
    collector.for_parsing()  # on again (the forkserver warmed up without it), less often
    started_mb = _resident_mb()
    _cap_memory(settings.memory_mb)
    parse: ParseFunction[object]
    if settings.parse is None:
        from kamrap.ingest.parse_job import parse_file

        parse = parse_file
    else:
        parse = settings.parse

    done = 0
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        started = time.monotonic()
        export, failure = _parse_one(parse, job, settings)
        done += 1
        out_of_memory = failure is not None and failure.kind is FailureKind.out_of_memory
        retiring = out_of_memory or done >= settings.files_per_worker or (
            settings.memory_mb > 0 and _resident_mb() - started_mb > settings.memory_mb / 2)
        try:
            conn.send((export, failure, time.monotonic() - started, retiring))
        except (OSError, ValueError):  # the main process is gone
            return
        except MemoryError:
            conn.send((None, Failure.of(FailureKind.out_of_memory, "the result is too large to send"), 0.0, True))
            return
        if retiring:
            return


def _parse_one(parse: ParseFunction[object], job: Job,
               settings: WorkerSettings[object]) -> tuple[object, Failure | None]:
    """The export, or None and why."""
    from kamrap.parsers import UnreadablePDF  # a worker's: the main process never loads the parsers

    out_of_memory = Failure.of(FailureKind.out_of_memory, f"over the {settings.memory_mb} MB limit per worker"
                               if settings.memory_mb else None)
    try:
        return parse(job.path, job.sha256, settings.password), None
    except MemoryError:
        return None, out_of_memory
    except UnreadablePDF as exc:
        return None, out_of_memory if _caused_by_memory(exc) else exc.failure
    except RecursionError:
        return None, Failure.of(FailureKind.parser_error, "RecursionError: nesting too deep")
    except Exception as exc:  # a parser bug must cost only this file
        if _caused_by_memory(exc):
            return None, out_of_memory
        # raised inside the PDF libraries (a page box of two numbers: pdfplumber's IndexError)
        kind = FailureKind.damaged_pdf if _raised_in(exc, _PDF_LIBRARIES) else FailureKind.parser_error
        return None, Failure.of(kind, error_line(exc))


#: Modules whose exceptions mean the file is damaged (they read the file's own structure).
_PDF_LIBRARIES = ("pdfminer", "pdfplumber", "pypdfium2", "pikepdf", "fontTools")


def _raised_in(exc: BaseException, modules: tuple[str, ...]) -> bool:
    """Whether the innermost frame that raised `exc` belongs to one of `modules`."""
    traceback, last = exc.__traceback__, None
    while traceback is not None:
        last, traceback = traceback, traceback.tb_next
    if last is None:
        return False
    name = last.tb_frame.f_globals.get("__name__", "")
    return any(name == m or name.startswith(m + ".") for m in modules)


def _resident_mb() -> float:
    return _statm_mb(1)


def _address_space_mb() -> float:
    return _statm_mb(0)


def _statm_mb(field: int) -> float:
    """A size from /proc/self/statm (0: address space, 1: resident), in MB."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[field]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not on Linux: only the file count retires workers
        return 0.0


def _caused_by_memory(exc: BaseException | None) -> bool:
    """Whether a MemoryError is behind `exc` (pdfminer and pdfplumber wrap what they catch)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, MemoryError) or any(isinstance(a, MemoryError) for a in exc.args):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _cap_memory(memory_mb: int) -> None:
    if memory_mb <= 0:
        return
    try:
        import resource
    except ImportError:  # not on Unix: no cap
        return
    # on top of what the worker holds when it starts: a worker forked from a large process
    # (`run_isolated` in a long-running program) inherits its address space, and a file must
    # not fail there for memory it never asked for
    limit = int((_address_space_mb() + memory_mb) * 1024 * 1024)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
