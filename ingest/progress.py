"""Showing an ingest while it runs and summing it up: a progress bar on a terminal, a line every
few seconds otherwise (a log file, CI), one line per failed file, and the closing summary as
text or JSON."""

from __future__ import annotations

import json
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from kamrap.ingest.names import display_name, one_line
from kamrap.ingest.pipeline import FileOutcome, IngestListener, IngestReport


class Rates:
    """Files and pages parsed per second since parsing started, and the time left."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.total = self.files = self.pages = 0

    def start(self, total: int) -> None:
        self.started, self.total = time.monotonic(), total

    def add(self, outcome: FileOutcome) -> None:
        if outcome.parsed:
            self.files += 1
            self.pages += outcome.pages

    def describe(self) -> str:
        """"3.1 files/s, 42 pages/s, ETA 4m10s"."""
        elapsed = max(time.monotonic() - self.started, 1e-9)
        files_rate, pages_rate = self.files / elapsed, self.pages / elapsed
        left = self.total - self.files
        eta = _duration(left / files_rate) if files_rate and left else ("0s" if not left else "?")
        return f"{files_rate:.1f} files/s, {pages_rate:.0f} pages/s, ETA {eta}"


class ConsoleReporter(IngestListener):
    """Progress on `err`: a live bar when `live`, else a plain line every `every` seconds;
    failures always, one line each (`FILE: reason`); with `verbose`, every file on `out`."""

    def __init__(self, out: Console, err: Console, *, live: bool, quiet: bool = False,
                 verbose: bool = False, every: float = 10.0) -> None:
        self.out, self.err = out, err
        self.quiet, self.verbose, self.every = quiet, verbose, every
        self.rates = Rates()
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rates]}"), console=err, disable=quiet or not live,
        )
        self.plain = not quiet and not live
        self.task: TaskID | None = None
        self.last_line = time.monotonic()

    def __enter__(self) -> ConsoleReporter:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(None, None, None)

    def checking(self, files: int) -> None:
        self.task = self.progress.add_task("checking", total=files, rates="")
        self._plain(f"checking {files} files")

    def checked(self, path: Path) -> None:
        if self.task is not None:
            self.progress.advance(self.task)

    def parsing(self, files: int, workers: int) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.rates.start(files)
        self.task = self.progress.add_task("parsing", total=files, rates=self.rates.describe())
        if files:
            self._plain(f"parsing {files} files with {workers} worker{'s' if workers != 1 else ''}")

    def finished(self, outcome: FileOutcome) -> None:
        self.rates.add(outcome)
        if outcome.status == "failed":
            self.err.print(failure_line(outcome), markup=False, highlight=False, style="red")
        elif self.verbose:
            self.out.print(f"{display_name(outcome.path)}: {one_line(_describe(outcome))}",
                           markup=False, highlight=False)
        if self.task is not None and outcome.parsed:
            self.progress.update(self.task, advance=1, rates=self.rates.describe())
        self.tick()

    def tick(self) -> None:
        if self.task is not None:
            self.progress.update(self.task, rates=self.rates.describe())
        if self.plain and self.rates.total and time.monotonic() - self.last_line >= self.every:
            self._plain(f"parsed {self.rates.files}/{self.rates.total} files, {self.rates.describe()}")

    def _plain(self, line: str) -> None:
        if self.plain:
            self.err.print(f"ingest: {line}", markup=False, highlight=False)
            self.last_line = time.monotonic()


def failure_line(outcome: FileOutcome) -> str:
    """ "FILE: reason", one line whatever the name holds (newlines, escape codes, bytes that are
    not UTF-8 are escaped: `kamrap.ingest.names`)."""
    return f"{display_name(outcome.path)}: {one_line(outcome.reason or '')}"


def summary_text(report: IngestReport, db: Path) -> str:
    """"3 ingested, 4 unchanged, 2 failed, 1 duplicates in 9.2 s (61 pages) → db", then the
    failures counted by reason."""
    lines = []
    if report.stopped is not None:
        lost = f" ({len(report.lost)} more were done but not stored: they will be again)" if report.lost else ""
        lines.append(f"stopped after {len(report.outcomes)} files{lost}; what is stored is kept: run "
                     "the same command again once the database can be written")
    elif report.interrupted:
        lines.append(f"interrupted after {len(report.outcomes)} files; run the same command "
                     "again to go on (stored files are skipped)")
    lines.append(
        f"{report.count('ingested')} ingested, {report.count('unchanged')} unchanged, "
        f"{report.count('failed')} failed, {report.count('duplicate')} duplicates "
        f"in {report.seconds:.1f} s ({report.pages} pages parsed) → {display_name(db)}")
    by_reason = report.failed_by_reason()
    if by_reason:
        lines.append("failed: " + ", ".join(f"{n} {reason}" for reason, n in by_reason.most_common()))
    return "\n".join(lines)


def summary_json(report: IngestReport, db: Path) -> str:
    return json.dumps({
        "db": display_name(db),
        "files": len(report.outcomes),
        "ingested": report.count("ingested"),
        "unchanged": report.count("unchanged"),
        "duplicates": report.count("duplicate"),
        "failed": report.count("failed"),
        "failed_by_kind": {kind.value: n for kind, n in report.failed_by_kind().most_common()},
        "failed_by_reason": dict(report.failed_by_reason().most_common()),
        "failures": [{"file": display_name(o.path), "kind": o.failure.kind.value, "reason": o.reason}
                     for o in report.outcomes if o.status == "failed" and o.failure],
        "pages": report.pages,
        "seconds": round(report.seconds, 3),
        "parse_seconds": round(sum(o.seconds for o in report.outcomes if o.parsed), 3),
        "interrupted": report.interrupted,
        "stopped": report.stopped,
        "not_stored": len(report.lost),
    }, ensure_ascii=False, indent=2)


def _describe(outcome: FileOutcome) -> str:
    if outcome.status == "ingested":
        return f"{outcome.kind}, {outcome.indicators} indicators, {outcome.pages} pages"
    if outcome.status == "duplicate":
        return f"duplicate of {outcome.same_as}"
    return outcome.status


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{seconds:02d}s" if minutes else f"{seconds}s"
