"""Benchmark: Thai text from the real PDFs in ../shared/real-pdfs, pdfplumber against kamrap.

    python bench/thai_text.py                      # the table
    python bench/thai_text.py --misses 5           # and what kamrap still misses, per PDF
    python bench/thai_text.py --real-pdfs DIR      # another folder laid out the same way

For each PDF in the folder's manifest.json: the share of its reference strings found verbatim
(thai_text_recall) and of its amounts found as one token (amt_token), scored exactly as the
folder's measure.py scores them (its functions are imported from there), for pdfplumber's
``page.extract_text()`` and for kamrap's ``document_text()`` (what ``kamrap text`` prints);
and the time each takes, in this process, after one warm-up call of each (imports, the word
list). Some references carry OCR errors of their own; bench/wrong_refs.json lists those
checked against the rendered page, and the recall without them is printed as well.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pdfplumber

from kamrap.parsers.pdftext import document_text

HERE = Path(__file__).resolve().parent
DEFAULT_REAL = HERE.parent.parent / "shared" / "real-pdfs"
WRONG_REFS = HERE / "wrong_refs.json"


@dataclass
class Score:
    hits: int
    strings: int
    tokens: int
    amounts: int
    seconds: float
    missed: list[str]


def load_measure(folder: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("real_pdfs_measure", folder / "measure.py")
    if spec is None or spec.loader is None:
        sys.exit(f"no measure.py in {folder}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pdfplumber_text(pdf: Path) -> str:
    with pdfplumber.open(pdf) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def kamrap_text(pdf: Path) -> str:
    return document_text(pdf)


def score(measure: ModuleType, extract, pdf: Path, refs: dict) -> Score:
    start = time.perf_counter()
    text = extract(pdf)
    seconds = time.perf_counter() - start
    flat = measure.norm(text)
    strings = [r["s"] for r in refs["strings"]]
    missed = [s for s in strings if measure.norm(s) not in flat]
    tokens = measure.amount_tokens(text)
    amounts = [a["s"] for a in refs["amounts"]]
    return Score(len(strings) - len(missed), len(strings), sum(a in tokens for a in amounts), len(amounts),
                 seconds, missed)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--real-pdfs", type=Path, default=DEFAULT_REAL, help="folder with manifest.json, refs/, measure.py")
    ap.add_argument("--misses", type=int, default=0, help="print up to N strings kamrap misses, per PDF")
    args = ap.parse_args()
    folder: Path = args.real_pdfs
    if not (folder / "manifest.json").exists():
        sys.exit(f"{folder}: no manifest.json (pass --real-pdfs)")
    measure = load_measure(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    wrong = json.loads(WRONG_REFS.read_text(encoding="utf-8")) if WRONG_REFS.exists() else []
    wrong_by_pdf: dict[str, set[str]] = {}
    for entry in wrong:
        wrong_by_pdf.setdefault(entry["pdf"], set()).add(entry["s"])

    first = folder / manifest["subsets"][0]["pdf"]
    pdfplumber_text(first)  # warm-up: imports, fonts
    document_text(first, pages=[1])  # warm-up: imports, the word list

    rows = []
    totals = {"pages": 0, "plumber": Score(0, 0, 0, 0, 0.0, []), "kamrap": Score(0, 0, 0, 0, 0.0, [])}
    excluded = kept_hits = 0
    header = (f"{'PDF':34s} {'pages':>5s}  {'recall':>15s}  {'amt_token':>15s}  {'seconds':>13s}  {'time':>5s}\n"
              f"{'':34s} {'':5s}  {'plumber kamrap':>15s}  {'plumber kamrap':>15s}  {'plumber kamrap':>13s}  {'ratio':>5s}")
    for entry in manifest["subsets"]:
        pdf = folder / entry["pdf"]
        refs = json.loads((folder / entry["refs"]).read_text())
        plumber = score(measure, pdfplumber_text, pdf, refs)
        kamrap = score(measure, kamrap_text, pdf, refs)
        n = entry["n_pages"]
        totals["pages"] += n
        for key, s in (("plumber", plumber), ("kamrap", kamrap)):
            t = totals[key]
            t.hits, t.strings, t.tokens, t.amounts, t.seconds = (
                t.hits + s.hits, t.strings + s.strings, t.tokens + s.tokens, t.amounts + s.amounts, t.seconds + s.seconds)
        bad = wrong_by_pdf.get(entry["pdf"], set())
        excluded += len(bad)
        kept_hits += kamrap.hits - sum(1 for s in bad if s not in kamrap.missed)
        rows.append((entry["pdf"], n, plumber, kamrap, bad))

    print(header)

    def ratio(a: int, b: int) -> str:
        return f"{a / b:.3f}" if b else "  -  "

    for name, n, plumber, kamrap, bad in rows:
        print(f"{name:34s} {n:5d}  {ratio(plumber.hits, plumber.strings):>7s} {ratio(kamrap.hits, kamrap.strings):>7s}"
              f"  {ratio(plumber.tokens, plumber.amounts):>7s} {ratio(kamrap.tokens, kamrap.amounts):>7s}"
              f"  {plumber.seconds:6.2f} {kamrap.seconds:6.2f}  {kamrap.seconds / plumber.seconds:5.2f}")
        for s in kamrap.missed[: args.misses]:
            print(f"    missed{' (reference wrong)' if s in bad else ''}: {s}")
    p, k = totals["plumber"], totals["kamrap"]
    pages = totals["pages"]
    print(f"{'all':34s} {pages:5d}  {ratio(p.hits, p.strings):>7s} {ratio(k.hits, k.strings):>7s}"
          f"  {ratio(p.tokens, p.amounts):>7s} {ratio(k.tokens, k.amounts):>7s}"
          f"  {p.seconds:6.2f} {k.seconds:6.2f}  {k.seconds / p.seconds:5.2f}")
    print(f"pages/s: pdfplumber {pages / p.seconds:.1f}, kamrap {pages / k.seconds:.1f}")
    print(f"thai_text_recall={k.hits / k.strings:.3f} amt_token={k.tokens / k.amounts:.3f}")
    if excluded:
        print(f"without the {excluded} references in {WRONG_REFS.name}: "
              f"thai_text_recall={kept_hits / (k.strings - excluded):.3f}")
        for name, n, plumber, kamrap, bad in rows:
            kept = kamrap.strings - len(bad)
            hits = kamrap.hits - sum(1 for s in bad if s not in kamrap.missed)
            print(f"    {name:34s} {hits}/{kept} = {ratio(hits, kept)}")


if __name__ == "__main__":
    main()
