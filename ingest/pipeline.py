"""The ingest job: parse each PDF, normalize it and store it, file by file.

Each file is stored in its own transaction after it was parsed completely, so a failure
(unreadable PDF, parser crash) leaves nothing of that file in the database and the batch
goes on with the next file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kamrap.normalize.canonical import to_export
from kamrap.parsers import UnreadablePDF, parse_pdf
from kamrap.schema.models import Export
from kamrap.schema.store import Store

Status = Literal["ingested", "unchanged", "failed"]


@dataclass
class FileOutcome:
    path: Path
    status: Status
    reason: str | None = None  # why it failed
    kind: str | None = None
    indicators: int = 0
    pages: int = 0


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_file(path: Path, sha256: str, password: str = "") -> Export:
    """The canonical export of one PDF (parsers → normalize), without storing it."""
    return to_export(parse_pdf(path, password), file=path.name, sha256=sha256)


def ingest_file(path: Path, store: Store, *, force: bool = False, password: str = "") -> FileOutcome:
    key = str(path.resolve())
    try:
        sha256 = sha256_of(path)
    except OSError as exc:
        return FileOutcome(path, "failed", f"cannot read file ({exc.strerror or exc})")
    if not force and store.stored_sha256(key) == sha256:
        return FileOutcome(path, "unchanged")
    try:
        export = parse_file(path, sha256, password)
    except UnreadablePDF as exc:
        return FileOutcome(path, "failed", exc.reason)
    except Exception as exc:  # a parser bug must cost only this file
        return FileOutcome(path, "failed", f"parser error ({type(exc).__name__}: {exc})")
    store.save(key, export)
    return FileOutcome(path, "ingested", kind=export.document.kind,
                       indicators=len(export.indicators), pages=export.document.page_count)


def ingest_paths(
    paths: Iterable[Path], store: Store, *, force: bool = False, password: str = "",
    on_file: Callable[[FileOutcome], None] | None = None,
) -> IngestReport:
    report = IngestReport()
    for path in paths:
        outcome = ingest_file(path, store, force=force, password=password)
        report.outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    return report
