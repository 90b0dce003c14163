"""Throughput of `kamrap ingest` against bare pdfplumber, on a corpus built from samples/.

    python bench/throughput.py                    # N=300, 1 and 2 workers, and bare pdfplumber
    python bench/throughput.py --sizes 100,300    # the same for each N (is memory flat in N?)

The corpus is N PDFs cycling through samples/*.pdf, each re-saved by pikepdf with its own
/Subject so that every file has other bytes (no file is skipped as a duplicate). Every run is a
fresh subprocess and a fresh database:

- pipeline: `python -m kamrap ingest CORPUS --workers W --json` (hashing, parsing in W worker
  processes, normalizing, storing in SQLite);
- bare pdfplumber: one process, `page.extract_text()` on every page of every file.

Peak RSS is sampled from /proc every 50 ms over the process tree (the main process, the
forkserver and the workers), reported as the sum over the tree and as the largest process;
so is the tree's CPU time, which gives pages per CPU-second (a figure that other load on the
machine disturbs less than wall-clock pages/s) and the CPUs the run actually got (CPU time
over wall time). "Workers busy" is the workers' parsing time over wall time: 2.0 when two
workers never wait for work. On a shared machine, 2 workers can only be as fast as the CPUs
they get; the "parallel ceiling" line measures what a trivial CPU loop gets at the start.
Not a test: it takes minutes. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pikepdf

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"

BARE = """
import sys
from pathlib import Path
import pdfplumber
pages = 0
for path in sorted(Path(sys.argv[1]).glob("*.pdf")):
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            pages += 1
print(pages)
"""


@dataclass
class Run:
    label: str
    files: int
    pages: int
    seconds: float
    peak_tree_mb: float
    peak_process_mb: float
    cpu_seconds: float = 0.0
    main_cpu_seconds: float = 0.0  # the main process alone (the SQLite writer)
    busy: float | None = None  # worker-seconds spent parsing per second: how many workers were busy

    @property
    def files_per_s(self) -> float:
        return self.files / self.seconds

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds

    def row(self) -> str:
        return (f"| {self.label} | {self.files} | {self.pages} | {self.seconds:.1f} | {self.files_per_s:.2f} | "
                f"{self.pages_per_s:.1f} | {self.pages / self.cpu_seconds:.1f} | "
                f"{self.cpu_seconds / self.seconds:.2f} | {self.main_cpu_seconds:.1f} | "
                f"{'' if self.busy is None else f'{self.busy:.2f}'} | {self.peak_tree_mb:.0f} | "
                f"{self.peak_process_mb:.0f} |")


def build_corpus(folder: Path, n: int) -> None:
    """`n` PDFs cycling through the samples, each with other bytes."""
    samples = sorted(SAMPLES.glob("*.pdf"))
    if not samples:
        sys.exit("no samples/*.pdf to build the corpus from")
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        source = samples[i % len(samples)]
        with pikepdf.open(source) as pdf:
            pdf.docinfo["/Subject"] = f"kamrap throughput corpus, copy {i}"
            pdf.save(folder / f"{i:04d}_{source.name}")


def measure(label: str, command: list[str], files: int) -> tuple[Run, str]:
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    sampler = _RssSampler(process.pid)
    sampler.start()
    out, _ = process.communicate()
    seconds = time.monotonic() - started
    sampler.stop()
    if process.returncode not in (0, 1):
        sys.exit(f"{label}: {' '.join(command)} exited with {process.returncode}")
    return Run(label, files, 0, seconds, sampler.peak_tree / 2**20, sampler.peak_process / 2**20,
               sampler.cpu_seconds, sampler.cpu_seconds_of(process.pid)), out


def run_pipeline(corpus: Path, files: int, workers: int, work: Path) -> Run:
    db = work / f"bench-{corpus.name}-{workers}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    command = [sys.executable, "-m", "kamrap", "ingest", str(corpus), "--db", str(db),
               "--workers", str(workers), "--json"]
    run, out = measure(f"kamrap ingest, {workers} worker{'s' if workers > 1 else ''}", command, files)
    summary = json.loads(out)
    if summary["ingested"] != files:
        print(f"  warning: {summary['ingested']} of {files} ingested; failures: {summary['failed_by_reason']}")
    run.pages = summary["pages"]
    run.busy = summary["parse_seconds"] / run.seconds
    return run


def run_bare(corpus: Path, files: int) -> Run:
    run, out = measure("bare pdfplumber extract_text()", [sys.executable, "-c", BARE, str(corpus)], files)
    run.pages = int(out.strip())
    return run


class _RssSampler(threading.Thread):
    """Peak resident memory of a process and all its descendants, sampled from /proc."""

    def __init__(self, root: int, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.root, self.every = root, every
        self.peak_tree = self.peak_process = 0
        self._done = threading.Event()

    @property
    def cpu_seconds(self) -> float:
        """CPU time of the tree's processes, as last sampled (each may miss its last 50 ms)."""
        return sum(self._cpu.values()) / os.sysconf("SC_CLK_TCK")

    def cpu_seconds_of(self, pid: int) -> float:
        return self._cpu.get(pid, 0) / os.sysconf("SC_CLK_TCK")

    def run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        self._cpu: dict[int, int] = {}
        while not self._done.is_set():
            tree = _tree(self.root)
            sizes = [rss * page for rss, _ in tree.values()]
            if sizes:
                self.peak_tree = max(self.peak_tree, sum(sizes))
                self.peak_process = max(self.peak_process, max(sizes))
            for pid, (_, cpu) in tree.items():
                self._cpu[pid] = max(self._cpu.get(pid, 0), cpu)
            time.sleep(self.every)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(root: int) -> dict[int, tuple[int, int]]:
    """pid → (resident pages, CPU clock ticks) for `root` and its descendants."""
    parents: dict[int, int] = {}
    usage: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()  # the fields after the name
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])  # ppid
        usage[int(entry)] = (int(fields[21]), int(fields[11]) + int(fields[12]))  # rss; utime + stime
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier += children
    return {pid: usage[pid] for pid in tree if pid in usage}


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def parallel_ceiling(rounds: int = 3) -> float:
    """How much faster 2 processes do twice the work of 1, for a pure-Python CPU loop: what
    this machine allows any 2-worker run at best (2.0 on two free cores)."""
    import multiprocessing

    best = 0.0
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_burn, [1, 1])  # started
        for _ in range(rounds):
            started = time.monotonic()
            _burn(20_000_000)
            one = time.monotonic() - started
            started = time.monotonic()
            pool.map(_burn, [20_000_000, 20_000_000])
            best = max(best, 2 * one / (time.monotonic() - started))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="300", help="corpus sizes N, comma-separated (default 300)")
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated (default 1,2)")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare pdfplumber reference")
    parser.add_argument("--work", type=Path, help="folder for corpora and databases (default: a temporary one)")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    worker_counts = [int(w) for w in args.workers.split(",")]

    with tempfile.TemporaryDirectory(prefix="kamrap-bench-") as temporary:
        work = args.work or Path(temporary)
        print(f"machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
              f"load average {os.getloadavg()[0]:.2f}; work folder {work}")
        print(f"parallel ceiling: 2 processes run a pure-Python loop {parallel_ceiling():.2f}x as fast "
              "as 1 (2.00 on two free cores)", flush=True)
        for n in sizes:
            corpus = work / f"corpus-{n}"
            if not corpus.exists() or len(list(corpus.glob("*.pdf"))) != n:
                build_corpus(corpus, n)
            runs = []
            if not args.no_bare:
                runs.append(run_bare(corpus, n))
                print(f"  {runs[-1].row()}", flush=True)
            for workers in worker_counts:
                runs.append(run_pipeline(corpus, n, workers, work))
                print(f"  {runs[-1].row()}", flush=True)
            print(f"\nN = {n}\n")
            print("| run | files | pages | seconds | files/s | pages/s | pages per CPU-second | "
                  "CPUs used | main process CPU (s) | workers busy | peak RSS, all processes (MB) | "
                  "peak RSS, largest process (MB) |")
            print("|---|---|---|---|---|---|---|---|---|---|---|---|")
            for run in runs:
                print(run.row())
            _ratios(runs)
            print(f"load average after: {os.getloadavg()[0]:.2f}\n", flush=True)


def _ratios(runs: list[Run]) -> None:
    by_label = {run.label.split(",")[-1].strip() if "kamrap" in run.label else "bare": run for run in runs}
    bare, one, two = by_label.get("bare"), by_label.get("1 worker"), by_label.get("2 workers")
    if bare and one:
        print(f"\npipeline, 1 worker / bare pdfplumber, pages/s: {one.pages_per_s / bare.pages_per_s:.2f}x (target >= 0.7x)")
    if one and two:
        print(f"pipeline, 2 workers / 1 worker, pages/s: {two.pages_per_s / one.pages_per_s:.2f}x (target >= 1.8x)")


if __name__ == "__main__":
    main()
