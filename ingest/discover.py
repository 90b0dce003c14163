"""Finding the PDF files named on the command line: files as given, folders recursively."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path


def discover_pdfs(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named explicitly (whatever their extension), and every `.pdf` (any letter case)
    under the folders named, in sorted order. Each real file is yielded once, even when
    reachable through symlinks; symlink loops are not followed twice."""
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            candidates: Iterable[Path] = _walk(path)
        else:
            candidates = [path]
        for candidate in candidates:
            key = candidate.resolve() if candidate.exists() else candidate.absolute()
            if key not in seen:
                seen.add(key)
                yield candidate


def _walk(folder: Path) -> Iterator[Path]:
    visited: set[Path] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = Path(root).resolve()
        if real in visited:  # a symlink loop brought us back
            dirs[:] = []
            continue
        visited.add(real)
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(".pdf"):
                yield Path(root) / name
