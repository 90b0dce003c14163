"""Finding the PDF files named on the command line: files as given, folders recursively."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kamrap.schema.models import Failure, FailureKind

#: ``on_error(folder, failure)``: a folder that could not be listed (its files are not found).
FolderError = Callable[[Path, Failure], None]


def discover_pdfs(paths: Iterable[Path], on_error: FolderError | None = None) -> Iterator[Path]:
    """Files named explicitly (whatever their extension), and every `.pdf` (any letter case)
    under the folders named, in sorted order. Each real file is yielded once, even when
    reachable through symlinks; symlink loops are not followed twice. A broken or looping
    symlink named `*.pdf` is yielded as it is: reading it fails, and that is reported. So is a
    path too long for the system to open (`OSError: File name too long`): it is yielded, and
    fails alone when it is read."""
    seen: set[Path] = set()
    for path in paths:
        if _is_dir(path):
            candidates: Iterable[Path] = _walk(path, on_error)
        else:
            candidates = [path]
        for candidate in candidates:
            key = real_location(candidate)
            if key not in seen:
                seen.add(key)
                yield candidate


def real_location(path: Path) -> Path:
    """The file's absolute path with symlinks resolved; a path that leads nowhere, in a loop or
    past what the system can open (too long) as it is, made absolute."""
    try:
        if path.exists():
            return path.resolve()
    except (OSError, RuntimeError):  # too long; a symlink loop (RuntimeError before 3.13)
        pass
    return Path(os.path.abspath(path))


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _walk(folder: Path, on_error: FolderError | None) -> Iterator[Path]:
    def report(exc: OSError) -> None:
        if on_error is not None:
            on_error(Path(exc.filename or folder), Failure.of(FailureKind.unreadable_folder, exc.strerror or exc))

    visited: set[Path] = set()
    for root, dirs, files in os.walk(folder, followlinks=True, onerror=report):
        real = real_location(Path(root))
        if real in visited:  # a symlink loop brought us back
            dirs[:] = []
            continue
        visited.add(real)
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(".pdf"):
                yield Path(root) / name
