"""Benchmark: scanned copies of the samples, read by OCR, against the samples' expected exports.

    python bench/ocr.py                          # every sample, 200 and 300 dpi (+ turned, garbage)
    python bench/ocr.py --stems 'variant_*' --dpi 300
    python bench/ocr.py --scans DIR              # keep the scans (built there once, reused)
    python bench/ocr.py --json

The scans are built by bench/make_scans.py (grey, noise, blur, skew up to 1°; one copy turned
a quarter with /Rotate 0, one under an invisible garbage text layer) into a temporary folder,
then each is parsed in this process, on one core (tesseract runs one thread), and its export
compared with ``samples/<stem>.expected.json``:

- **field accuracy**: every leaf value of the expected export — the document's kind,
  organization, fiscal year and page count; every field of every indicator (paired with the
  exported indicator of the same code, in order; an indicator not found scores 0 on all its
  fields), details included; every field of every score-summary row (paired by code the same
  way) and total — counts one
  point when the exported value is equal (text with whitespace collapsed, numbers within
  1e-6). Findings are not scored (a scan adds its OCR findings), nor sources and pages' boxes.
- **seconds per page**: parse time over the scan's pages.

Targets (issue 10): field accuracy ≥ 0.90, ≤ 2 s per A4 page at 300 dpi.
Last line: ``ocr_field_accuracy=<x> seconds_per_page_300dpi=<y>``.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from make_scans import build_scan  # noqa: E402

SKIPPED = {"sources", "sha256", "file"}


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip()
    return value


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) <= 1e-6
    return _norm(a) == _norm(b)


def _leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf of a JSON value by its path (lists by index, dicts by key)."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        if not value:
            out[prefix] = {}
        for key, item in value.items():
            if key not in SKIPPED:
                out.update(_leaves(item, f"{prefix}.{key}" if prefix else key))
    elif isinstance(value, list):
        if not value:
            out[prefix] = []
        for i, item in enumerate(value):
            out.update(_leaves(item, f"{prefix}[{i}]"))
    else:
        out[prefix] = value
    return out


def compare(expected: dict, actual: dict) -> tuple[int, int, list[str]]:
    """(points, possible, paths wrong) of an export against the expected one."""
    points = possible = 0
    wrong: list[str] = []

    def score(want: Any, got: Any, where: str) -> None:
        nonlocal points, possible
        want_leaves, got_leaves = _leaves(want), _leaves(got) if got is not None else {}
        for path, value in want_leaves.items():
            possible += 1
            if path in got_leaves and _equal(value, got_leaves[path]):
                points += 1
            else:
                wrong.append(f"{where}{path}")

    doc = {k: expected["document"][k] for k in ("kind", "organization", "fiscal_year", "page_count")}
    score(doc, actual["document"], "document.")
    used: set[int] = set()
    for n, want in enumerate(expected["indicators"]):
        match = next((i for i, got in enumerate(actual["indicators"])
                      if i not in used and got.get("code") == want.get("code")), None)
        if match is not None:
            used.add(match)
        score(want, actual["indicators"][match] if match is not None else None, f"indicators[{n}].")
    for n, want in enumerate(expected.get("score_summaries", [])):
        got = actual["score_summaries"][n] if n < len(actual.get("score_summaries", [])) else None
        want_rows, got_rows = want.get("rows", []), (got or {}).get("rows", [])
        score({k: v for k, v in want.items() if k != "rows"},
              {k: v for k, v in got.items() if k != "rows"} if got else None, f"score_summaries[{n}].")
        taken: set[int] = set()
        for r, row in enumerate(want_rows):  # rows paired by code, as indicators are
            hit = next((i for i, other in enumerate(got_rows)
                        if i not in taken and other.get("code") == row.get("code")), None)
            if hit is not None:
                taken.add(hit)
            score(row, got_rows[hit] if hit is not None else None, f"score_summaries[{n}].rows[{r}].")
    return points, possible, wrong


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=Path, default=REPO / "samples")
    parser.add_argument("--stems", default="*")
    parser.add_argument("--dpi", default="200,300")
    parser.add_argument("--scans", type=Path, help="folder for the scans (kept; built when missing)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--wrong", action="store_true", help="list the fields read wrong")
    args = parser.parse_args(argv)

    from kamrap.ingest.parse_job import parse_file

    dpis = [int(d) for d in args.dpi.split(",")]
    folder = args.scans or Path(tempfile.mkdtemp(prefix="kamrap-scans-"))
    sources = sorted(p for p in args.samples.glob("*.pdf") if fnmatch.fnmatch(p.stem, args.stems))
    jobs = [(s, dpi, "") for s in sources for dpi in dpis]
    if sources:
        jobs += [(sources[0], max(dpis), "turned"), (sources[0], max(dpis), "garbage")]
    results = []
    for source, dpi, variant in jobs:
        name = f"{source.stem}.{variant or f'{dpi}dpi'}.pdf"
        scan = folder / name
        if not scan.exists():
            build_scan(source, scan, dpi, turn=variant == "turned", garbage=variant == "garbage")
        expected = json.loads((args.samples / f"{source.stem}.expected.json").read_text(encoding="utf-8"))
        started = time.perf_counter()
        export = json.loads(parse_file(scan, "0" * 64).model_dump_json())
        seconds = time.perf_counter() - started
        points, possible, wrong = compare(expected, export)
        pages = export["document"]["page_count"]
        results.append({"scan": name, "dpi": dpi, "variant": variant or "plain", "pages": pages,
                        "seconds": round(seconds, 2), "seconds_per_page": round(seconds / max(1, pages), 3),
                        "points": points, "possible": possible,
                        "accuracy": round(points / max(1, possible), 4), "wrong": wrong})
        if not args.json:
            print(f"{name:50} {pages:3} p {seconds / max(1, pages):6.2f} s/p  {points:5}/{possible:<5} "
                  f"{points / max(1, possible):.3f}", flush=True)
            if args.wrong:
                for path in wrong:
                    print("    ", path)
    points = sum(r["points"] for r in results)
    possible = sum(r["possible"] for r in results)
    at300 = [r for r in results if r["dpi"] == 300 and r["variant"] == "plain"]
    per_page = (sum(r["seconds"] for r in at300) / max(1, sum(r["pages"] for r in at300))) if at300 else 0.0
    summary = {"field_accuracy": round(points / max(1, possible), 4), "points": points, "possible": possible,
               "seconds_per_page_300dpi": round(per_page, 3)}
    for dpi in dpis:
        of = [r for r in results if r["dpi"] == dpi and r["variant"] == "plain"]
        p, q = sum(r["points"] for r in of), sum(r["possible"] for r in of)
        summary[f"field_accuracy_{dpi}dpi"] = round(p / max(1, q), 4)
    if args.json:
        print(json.dumps({"results": results, "summary": summary}, ensure_ascii=False, indent=2))
    else:
        print(json.dumps(summary))
    print(f"ocr_field_accuracy={summary['field_accuracy']} seconds_per_page_300dpi={summary['seconds_per_page_300dpi']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
