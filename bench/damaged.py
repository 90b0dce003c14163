"""A batch of damaged PDFs through `kamrap ingest`: time, outcomes, and the one-line rule.

    python bench/damaged.py                         # 322 damaged files and the 15 samples
    python bench/damaged.py --files 1000 --seed 7

The damaged files come from the test suite's seeded generator (`tests/damaged_pdfs.py`, twenty
kinds of damage), each cut from one of the samples; the samples themselves are mixed in. One
fresh subprocess and database, `--timeout 10 --memory-limit 768`. Printed: the seconds, files
stored and failed (by kind), and whether every file is accounted for exactly once (stored,
or one line and one `ingest_errors` row) with no traceback. Not a test: it takes minutes.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from damaged_pdfs import write_damaged  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=322)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    samples = sorted((REPO / "samples").glob("*.pdf"))
    with tempfile.TemporaryDirectory(prefix="kamrap-bench-") as tmp:
        folder, db = Path(tmp) / "in", Path(tmp) / "k.db"
        folder.mkdir()
        damaged = write_damaged(folder, args.files, args.seed, samples)
        for sample in samples:
            (folder / f"good_{sample.name}").write_bytes(sample.read_bytes())
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "kamrap", "ingest", str(folder), "--db", str(db),
                               "--workers", str(args.workers), "--timeout", "10", "--memory-limit", "768"],
                              cwd=REPO, capture_output=True, text=True)
        seconds = time.monotonic() - started
        lines = [line for line in done.stderr.splitlines() if not line.startswith("ingest: ")]
        failed = {Path(line.split(".pdf: ", 1)[0] + ".pdf").name: line.split(".pdf: ", 1)[1] for line in lines}
        with sqlite3.connect(db) as conn:
            kinds = {Path(f).name: kind for f, kind in conn.execute("SELECT file, kind FROM ingest_errors")}
            errors = set(kinds)
            stored = {Path(p).name for (p,) in conn.execute("SELECT path FROM document_files")}
        everything = {p.name for p in damaged} | {f"good_{s.name}" for s in samples}
    print(f"{len(damaged)} damaged + {len(samples)} good files, {args.workers} workers: {seconds:.1f} s, "
          f"exit code {done.returncode}")
    print(f"stored {len(stored)} (good: {sum(f'good_{s.name}' in stored for s in samples)}/{len(samples)}), "
          f"failed {len(failed)}")
    for kind, n in Counter(kinds.values()).most_common():
        print(f"  {n:4d} {kind}")
    accounted = stored | set(failed) == everything and not stored & set(failed) and errors == set(failed)
    print(f"one line per failed file, each in ingest_errors, every file accounted for once: {accounted}")
    print(f"tracebacks: {(done.stderr + done.stdout).count('Traceback')}")


if __name__ == "__main__":
    main()
