"""Benchmark: kamrap's exports of real KPI PDFs against hand-read truth, field by field.

    python bench/real_kpi.py                       # parse tests/fixtures/real_kpi/*.pdf in-process
    python bench/real_kpi.py --exports DIR         # score <stem>.json from `kamrap export --format json`
    python bench/real_kpi.py --only born --min-accuracy 0.5   # exit 1 if a born-digital PDF falls short
    python bench/real_kpi.py --json                # the results as JSON

The folder holds `<stem>.pdf` and `<stem>.truth.json` (tests/fixtures/real_kpi/README.md describes
them and the scoring rules). Each truth indicator is matched one-to-one to an exported indicator
or score-summary row by name, then scored on every field the truth gives: name, code, unit,
weight, target_value, targets/results by round and by year (a point per key), baseline (a point
per year), criteria (a point per level), score, responsible; and, for score-summary documents,
the printed totals. Unlike ../shared/real-kpi/score.py, a truth null or "-" is earned by a null or
absent exported value. When that score.py exists its stricter figure is printed as well.
Last line: `real_field_accuracy=<0..1>` over the documents scored.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = REPO / "tests" / "fixtures" / "real_kpi"
SCORE_PY = REPO.parent / "shared" / "real-kpi" / "score.py"

Json = dict[str, Any]
Points = tuple[int, int]  # (earned, possible)

TH2AR = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
MATCH_RATIO = 0.85
TOLERANCE = 1e-6
TEXT_FIELDS = ("name", "code")  # compared as text only: "1.10" is not the code "1.1"
VALUE_FIELDS = ("unit", "weight", "score", "responsible")
DICT_FIELDS = ("targets_by_round", "results_by_round", "targets_by_year", "results_by_year")
FIELDS = ("name", "code", "unit", "weight", "target_value", *DICT_FIELDS, "baseline", "criteria",
          "score", "responsible", "totals")


# --- comparison rules: pure functions on JSON-shaped dicts -------------------------------------

def norm_text(value: object) -> str | None:
    """The text of `value` in NFC, Thai digits folded to Arabic, all whitespace removed."""
    if value is None:
        return None
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", str(value)).translate(TH2AR))


def to_number(value: object) -> float | None:
    """The number `value` is or states on its own ("ร้อยละ 92.5", "1,000", "80%"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = (norm_text(value) or "").replace("%", "").replace("ร้อยละ", "")
        if re.fullmatch(r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?", text):
            return float(text.replace(",", ""))
    return None


def is_blank(truth: object) -> bool:
    """Whether a truth value says "nothing here": null, or "-" printed in the slot."""
    return truth is None or (isinstance(truth, str) and norm_text(truth) == "-")


def values_equal(truth: object, got: object) -> bool:
    """Whether an exported value earns the truth value: blank by null, numbers within 1e-6, else text."""
    if is_blank(truth):
        return got is None
    a, b = to_number(truth), to_number(got)
    if a is not None and b is not None:
        return abs(a - b) <= TOLERANCE
    return got is not None and norm_text(truth) == norm_text(got)


def text_equal(truth: object, got: object) -> bool:
    """Whether two texts are equal after normalisation (no number reading)."""
    return got is not None and norm_text(truth) == norm_text(got)


def is_given(truth: object) -> bool:
    """Whether the truth gives a field at all (null, {} and [] give nothing to score)."""
    return truth is not None and truth != {} and truth != []


def dict_points(truth: Json, got: object) -> Points:
    """A point per truth key whose exported value (absent counts as null) earns the truth value."""
    exported = {norm_text(k): v for k, v in got.items()} if isinstance(got, dict) else {}
    earned = sum(values_equal(v, exported.get(norm_text(k))) for k, v in truth.items())
    return earned, len(truth)


def target_candidates(indicator: Json) -> list[object]:
    """The exported values that may state the target: target_value, target_level, a single
    value by year or round, and the number `target` states."""
    found: list[object] = [indicator.get("target_value"), indicator.get("target_level"),
                           to_number(indicator.get("target"))]
    for key in ("targets_by_year", "targets_by_round"):
        by_key = indicator.get(key)
        if isinstance(by_key, dict) and len(by_key) == 1:
            found.append(next(iter(by_key.values())))
    return [v for v in found if v is not None]


def target_points(truth: object, indicator: Json) -> Points:
    """One point if any target candidate earns the truth target_value (a blank one: target_value null)."""
    if is_blank(truth):
        return int(indicator.get("target_value") is None), 1
    return int(any(values_equal(truth, c) for c in target_candidates(indicator))), 1


def baseline_points(truth: list[Json], indicator: Json) -> Points:
    """A point per truth baseline year whose value the indicator's `baseline` or
    `details.baseline` gives (a blank value: no non-null value for that year); a truth entry
    without a year is not scored (the export cannot hold it)."""
    exported = list(indicator.get("baseline") or []) + list((indicator.get("details") or {}).get("baseline") or [])
    earned = possible = 0
    for entry in truth:
        year = entry.get("fiscal_year")
        if year is None:
            continue
        values = [e.get("value") for e in exported if e.get("fiscal_year") == year]
        possible += 1
        if is_blank(entry.get("value")):
            earned += all(v is None for v in values)
        else:
            earned += any(values_equal(entry.get("value"), v) for v in values)
    return earned, possible


def criteria_points(truth: list[Json], indicator: Json) -> Points:
    """A point per truth criteria level met one-to-one by an exported level of that number whose
    text (or value) earns the truth text."""
    unused = list(indicator.get("criteria") or [])
    earned = 0
    for entry in truth:
        for got in unused:
            if got.get("level") == entry.get("level") and (
                    values_equal(entry.get("text"), got.get("text"))
                    or values_equal(entry.get("text"), got.get("value"))):
                unused.remove(got)
                earned += 1
                break
    return earned, len(truth)


def field_points(name: str, truth: Json, indicator: Json | None) -> Points | None:
    """The points of one truth indicator's field against its matched export (None: not scored)."""
    value: Any = truth.get(name)
    if not is_given(value):
        return None
    possible = _possible(name, value)
    if indicator is None:
        return 0, possible
    if name in TEXT_FIELDS:
        return int(text_equal(value, indicator.get(name))), 1
    if name == "target_value":
        return target_points(value, indicator)
    if name == "baseline":
        return baseline_points(value, indicator)
    if name == "criteria":
        return criteria_points(value, indicator)
    if isinstance(value, dict):
        return dict_points(value, indicator.get(name))
    return int(values_equal(value, indicator.get(name))), 1


def _possible(name: str, value: Any) -> int:
    """How many points a given truth field is worth."""
    if name == "baseline":
        return sum(1 for e in value if e.get("fiscal_year") is not None)
    return len(value) if isinstance(value, (dict, list)) else 1


def match_indicators(truth: list[Json], exported: list[Json]) -> dict[int, int]:
    """Truth index → exported index, one-to-one by name similarity >= 0.85: pairs on the page
    the truth gives first (many rows share a name, "จำนวน"; a row on another page is another
    indicator), then the best, an equal code breaking ties (then the earlier rows)."""
    pairs: list[tuple[float, bool, int, int]] = []
    for i, t in enumerate(truth):
        name = norm_text(t.get("name"))
        if not name:
            continue
        for j, o in enumerate(exported):
            ratio = difflib.SequenceMatcher(None, name, norm_text(o.get("name")) or "", autojunk=False).ratio()
            if ratio >= MATCH_RATIO:
                same_code = bool(t.get("code")) and norm_text(t.get("code")) == norm_text(o.get("code"))
                same_page = t.get("page") is not None and t.get("page") in (o.get("pages") or [])
                pairs.append((same_page, ratio, same_code, i, j))
    pairs.sort(key=lambda p: (not p[0], -p[1], not p[2], p[3], p[4]))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, _, _, i, j in pairs:
        if i not in matched and j not in used:
            matched[i] = j
            used.add(j)
    return matched


def exported_rows(export: Json | None) -> list[Json]:
    """The export's indicators followed by its score summaries' rows (which count as indicators)."""
    if not export:
        return []
    rows = list(export.get("indicators") or [])
    for summary in export.get("score_summaries") or []:
        rows += summary.get("rows") or []
    return rows


def totals_points(truth: Json, export: Json | None) -> Points | None:
    """For a score-summary truth, a point per printed numeric total that an unused exported
    reported_total.score equals (on the same page when the export gives it); else None."""
    if truth.get("kind") != "score_summary":
        return None
    wanted = [t for t in truth.get("totals") or [] if to_number(t.get("value")) is not None]
    reported = [(s["reported_total"].get("score"), s.get("reported_total_page"))
                for s in (export or {}).get("score_summaries") or [] if s.get("reported_total")]
    earned = 0
    for total in wanted:
        for got in reported:
            if values_equal(total["value"], got[0]) and got[1] in (None, total.get("page")):
                reported.remove(got)
                earned += 1
                break
    return earned, len(wanted)


# --- results ------------------------------------------------------------------------------------

@dataclass
class FieldScore:
    """Points earned out of points possible for one field."""

    points: int = 0
    possible: int = 0

    def add(self, earned: Points) -> None:
        """Add (earned, possible) to this score."""
        self.points += earned[0]
        self.possible += earned[1]

    @property
    def accuracy(self) -> float:
        """Points over possible (0 when nothing is possible)."""
        return self.points / self.possible if self.possible else 0.0


@dataclass
class DocumentResult:
    """How one export scores against its truth."""

    stem: str
    scan: bool
    truth_kind: str
    exported_kind: str | None  # None: no export (missing file or parse error)
    matched: int
    truth_indicators: int
    fields: dict[str, FieldScore] = field(default_factory=dict)
    error: str | None = None

    @property
    def kind_ok(self) -> bool:
        """Whether the export's document kind is the truth's."""
        return self.exported_kind == self.truth_kind

    @property
    def total(self) -> FieldScore:
        """All field points of the document together."""
        out = FieldScore()
        for score in self.fields.values():
            out.add((score.points, score.possible))
        return out


def score_document(stem: str, truth: Json, export: Json | None, error: str | None = None) -> DocumentResult:
    """Score one export (None: missing) against its truth, field by field."""
    named = [t for t in truth.get("indicators") or [] if t.get("name")]
    rows = exported_rows(export)
    matched = match_indicators(named, rows)
    fields = {name: FieldScore() for name in FIELDS if name != "totals"}
    for i, t in enumerate(named):
        indicator = rows[matched[i]] if i in matched else None
        for name in fields:
            earned = field_points(name, t, indicator)
            if earned is not None:
                fields[name].add(earned)
    totals = totals_points(truth, export)
    if totals is not None:
        fields["totals"] = FieldScore(*totals)
    kind = (export.get("document") or {}).get("kind") if export else None
    return DocumentResult(stem=stem, scan=is_scan(truth), truth_kind=truth.get("kind") or "?",
                          exported_kind=kind, matched=len(matched), truth_indicators=len(named),
                          fields=fields, error=error)


def is_scan(truth: Json) -> bool:
    """Whether the truth's PDF is a scan (its producer says so)."""
    return str(truth.get("producer") or "").lower().startswith("scan")


def field_totals(results: list[DocumentResult]) -> dict[str, FieldScore]:
    """Per-field points summed over documents, in FIELDS order."""
    totals = {name: FieldScore() for name in FIELDS}
    for result in results:
        for name, score in result.fields.items():
            totals[name].add((score.points, score.possible))
    return totals


def overall(results: list[DocumentResult]) -> FieldScore:
    """All field points of `results` together."""
    out = FieldScore()
    for result in results:
        out.add((result.total.points, result.total.possible))
    return out


# --- running ------------------------------------------------------------------------------------

def load_truths(folder: Path, only: str | None = None) -> dict[str, Json]:
    """Stem → truth for every `<stem>.truth.json` in `folder` (only born or scan ones if asked)."""
    truths = {}
    for path in sorted(folder.glob("*.truth.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        if only is None or (only == "scan") == is_scan(truth):
            truths[path.name.removesuffix(".truth.json")] = truth
    return truths


def export_pdf(pdf: Path) -> Json:
    """The export of one PDF, parsed in this process, as JSON-shaped data."""
    from kamrap.normalize.canonical import to_export
    from kamrap.parsers import parse_pdf

    sha256 = hashlib.sha256(pdf.read_bytes()).hexdigest()
    export = to_export(parse_pdf(pdf), file=pdf.name, sha256=sha256)
    data: Json = export.model_dump(mode="json")
    return data


def collect_exports(folder: Path, stems: list[str], exports: Path | None) -> dict[str, tuple[Json | None, str | None]]:
    """Stem → (export or None, error or None): read from `exports` if given, else parsed from `folder`."""
    out: dict[str, tuple[Json | None, str | None]] = {}
    for stem in stems:
        path = (exports / f"{stem}.json") if exports else (folder / f"{stem}.pdf")
        if not path.exists():
            out[stem] = (None, f"{path.name} missing")
            continue
        try:
            out[stem] = (json.loads(path.read_text(encoding="utf-8")) if exports else export_pdf(path), None)
        except Exception as exc:  # one broken file must not stop the bench: it scores zero
            out[stem] = (None, f"{type(exc).__name__}: {exc}")
    return out


def bench_documents(folder: Path = DEFAULT_FOLDER, exports: Path | None = None,
                    only: str | None = None) -> list[DocumentResult]:
    """Score every truth document in `folder` (exports parsed in-process unless `exports` is given)."""
    truths = load_truths(folder, only)
    got = collect_exports(folder, list(truths), exports)
    return [score_document(stem, truth, *got[stem]) for stem, truth in truths.items()]


def strict_accuracy(folder: Path, exports: Path, only: str | None) -> float | None:
    """score.py's real_field_accuracy for the same exports, or None when it is not there or fails."""
    if not SCORE_PY.exists():
        return None
    cmd = [sys.executable, str(SCORE_PY), "--truth", str(folder), "--outputs", str(exports), "--quiet"]
    try:
        run = subprocess.run(cmd + (["--only", only] if only else []), capture_output=True, text=True,
                             timeout=300, check=True)
        return float(run.stdout.strip().splitlines()[-1].split("=", 1)[1])
    except (subprocess.SubprocessError, OSError, IndexError, ValueError):
        return None


def strict_accuracy_in_process(folder: Path, exports: dict[str, tuple[Json | None, str | None]],
                               only: str | None) -> float | None:
    """score.py's figure for exports held in memory (written to a temporary folder first)."""
    if not SCORE_PY.exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        for stem, (export, _) in exports.items():
            if export is not None:
                (Path(tmp) / f"{stem}.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
        return strict_accuracy(folder, Path(tmp), only)


def render(results: list[DocumentResult], strict: float | None) -> str:
    """The report: a row per document, per-field accuracy, overall figures, last the key=value line."""
    def frac(s: FieldScore) -> str:
        return f"{s.accuracy:.3f} ({s.points}/{s.possible})"

    lines = [f"{'document':40s} {'type':4s} {'truth kind':17s} {'exported kind':17s} {'kind':4s} "
             f"{'matched':>8s}  field accuracy"]
    for r in results:
        kind = r.exported_kind or ("ERROR" if r.error and "missing" not in r.error else "MISSING")
        lines.append(f"{r.stem:40s} {'scan' if r.scan else 'born':4s} {r.truth_kind:17s} {kind:17s} "
                     f"{'ok' if r.kind_ok else 'no':4s} {f'{r.matched}/{r.truth_indicators}':>8s}  {frac(r.total)}"
                     + (f"  [{r.error}]" if r.error else ""))
    lines.append("per field (all documents above):")
    lines += [f"  {name:18s} {frac(s)}" for name, s in field_totals(results).items() if s.possible]
    lines.append("  (totals are scored for score_summary documents only)")
    lines.append(f"born-digital field accuracy  {frac(overall([r for r in results if not r.scan]))}")
    lines.append(f"all field accuracy           {frac(overall(results))}")
    if strict is not None:
        lines.append(f"score.py (stricter)          real_field_accuracy={strict:.4f}")
    lines.append(f"real_field_accuracy={overall(results).accuracy:.4f}")
    return "\n".join(lines)


def as_json(results: list[DocumentResult], strict: float | None) -> Json:
    """The results as JSON-ready data."""
    docs = [asdict(r) | {"kind_ok": r.kind_ok, "points": r.total.points, "possible": r.total.possible,
                         "accuracy": r.total.accuracy} for r in results]
    return {"documents": docs,
            "fields": {k: asdict(v) | {"accuracy": v.accuracy} for k, v in field_totals(results).items()},
            "born_field_accuracy": overall([r for r in results if not r.scan]).accuracy,
            "real_field_accuracy": overall(results).accuracy,
            "score_py_real_field_accuracy": strict}


def failures(results: list[DocumentResult], minimum: float) -> list[str]:
    """Born-digital documents below `minimum` field accuracy or of the wrong kind, described."""
    return [f"{r.stem}: field accuracy {r.total.accuracy:.3f} < {minimum}" if r.total.accuracy < minimum
            else f"{r.stem}: kind {r.exported_kind} != {r.truth_kind}"
            for r in results if not r.scan and (r.total.accuracy < minimum or not r.kind_ok)]


def main(argv: list[str] | None = None) -> int:
    """Run the bench from the command line; the exit code is 1 when --min-accuracy fails."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", type=Path, default=DEFAULT_FOLDER, help="PDFs and <stem>.truth.json")
    ap.add_argument("--exports", type=Path, help="read <stem>.json exports from here instead of parsing")
    ap.add_argument("--only", choices=["born", "scan"], help="score born-digital or scanned documents only")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--min-accuracy", type=float, help="exit 1 if a born-digital document is below this "
                                                       "field accuracy or misclassified")
    args = ap.parse_args(argv)
    truths = load_truths(args.folder, args.only)
    exports = collect_exports(args.folder, list(truths), args.exports)
    results = [score_document(stem, truth, *exports[stem]) for stem, truth in truths.items()]
    strict = (strict_accuracy(args.folder, args.exports, args.only) if args.exports
              else strict_accuracy_in_process(args.folder, exports, args.only))
    print(json.dumps(as_json(results, strict), ensure_ascii=False, indent=2) if args.json
          else render(results, strict))
    if args.min_accuracy is not None:
        failed = failures(results, args.min_accuracy)
        for line in failed:
            print(f"FAIL {line}", file=sys.stderr)
        return 1 if failed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
