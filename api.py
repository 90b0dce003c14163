"""kamrap's library API — what the `kamrap` command is a thin client of.

    import kamrap

    export = kamrap.read_pdf("samples/agreement_ict_2564.pdf")     # a kamrap.schema.Export
    exports = kamrap.load("output/kamrap.db")                       # every stored document
    for checked in kamrap.verify(exports):                          # recomputed now
        print(checked.file, checked.finding.kind, checked.finding.message)
    report = kamrap.score("results.csv", exports)                   # scored the official way

Errors about files are exceptions naming the file: `kamrap.schema.store.StoreError` (a database
that cannot be opened), `kamrap.parsers.source.UnreadablePDF` (a PDF that cannot be read),
`kamrap.normalize.scoring.ResultsError` (a results file that cannot be read).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from kamrap.normalize import scoring
from kamrap.normalize.canonical import _weight_sum_findings
from kamrap.normalize.verify import document_findings, verify_documents
from kamrap.schema.models import DocumentKind, Export, Finding, Indicator, Severity
from kamrap.schema.store import Store

#: Finding kinds worked out from the stored values, so `verify` computes them again (the others,
#: such as code_mismatch or extraction_warning, come from reading the PDF and are kept).
RECOMPUTED_KINDS = frozenset({"total_mismatch", "weight_sum_not_100", "weight_sum_unchecked",
                              "score_out_of_range", "weight_transfer_mismatch",
                              "criteria_formula_mismatch", "missing_indicator",
                              "summary_agreement_mismatch"})


def read_pdf(path: Path | str, password: str = "") -> Export:
    """One PDF parsed into the canonical `Export` (nothing stored).

    Raises `kamrap.parsers.source.UnreadablePDF` (with `.failure`: its `kind` and `reason`)
    for a file that is not a readable PDF."""
    from kamrap.ingest.parse_job import parse_file
    from kamrap.ingest.pipeline import sha256_of

    path = Path(path)
    return parse_file(path, sha256_of(path), password)


def load(db: Path | str) -> list[Export]:
    """Every document stored in the database `db`, opened read-only."""
    with Store(db, readonly=True) as store:
        return list(store.exports())


def _exports(source: Path | str | Iterable[Export]) -> list[Export]:
    return load(source) if isinstance(source, (str, Path)) else list(source)


def recheck(export: Export) -> Export:
    """The export with every finding that depends on its values computed again from them (a
    corrected value in the database no longer reports the old state), and each summary's
    `computed_total` recomputed."""
    fresh = export.model_copy(deep=True)
    for summary in fresh.score_summaries:
        summary.computed_total = scoring.as_total(scoring.summary_total(summary))
    kept = [f for f in fresh.findings if f.kind not in RECOMPUTED_KINDS]
    if fresh.document.kind == DocumentKind.agreement and fresh.indicators:
        kept += _weight_sum_findings(fresh.indicators, fresh.document.organization)
    fresh.findings = kept + document_findings(fresh)
    return fresh


class Checked(NamedTuple):
    """A finding and the file it is about (None: it compares two documents, both named in
    its message)."""

    file: str | None
    finding: Finding


def verify(source: Path | str | Iterable[Export]) -> list[Checked]:
    """Every check of kamrap on the documents of a database (a path) or on exports, computed
    from the values as they are now: printed totals against recomputed ones, weights, weight
    transfers, formulas against criteria, and each score summary against its unit's agreement."""
    exports = [recheck(e) for e in _exports(source)]
    found = [Checked(e.document.file, f) for e in exports for f in e.findings]
    return found + [Checked(None, f) for f in verify_documents(exports)]


def has_errors(found: Iterable[Checked]) -> bool:
    return any(c.finding.severity == Severity.error for c in found)


@dataclass(frozen=True)
class ScoreReport:
    """`score`'s answer: each agreement scored, the results that match none, and per agreement
    the indicators that have no result (its total is over the others only)."""

    agreements: list[scoring.AgreementScore]
    unmatched: list[tuple[str, int]] = field(default_factory=list)

    @staticmethod
    def without_result(agreement: scoring.AgreementScore) -> list[str]:
        return [s.code for s in agreement.indicators if s.score is None]


def score(results: Path | str | Sequence[scoring.ResultRecord], source: Path | str | Iterable[Export],
          options: scoring.ScoringOptions = scoring.DEFAULT_OPTIONS) -> ScoreReport:
    """Score the agreements of `source` (a database path or exports) from `results` (a CSV or
    JSON results file, or records): each indicator from its criteria, then the weighted total."""
    records = scoring.read_results(Path(results)) if isinstance(results, (str, Path)) else list(results)
    agreements: dict[tuple[str, int | None], list[Export]] = {}
    for export in _exports(source):
        if export.document.kind == DocumentKind.agreement:
            key = (scoring.unit_key(export.document.organization), export.document.fiscal_year)
            agreements.setdefault(key, []).append(export)
    wanted: dict[tuple[str, int], tuple[str, int]] = {}
    for r in records:
        wanted.setdefault((scoring.unit_key(r.organization), r.fiscal_year), (r.organization, r.fiscal_year))
    # several stored agreements of one unit and year (drafts, copies): each is scored
    scored = [scoring.score_results(agreement, records, options)
              for key in wanted for agreement in agreements.get(key, [])]
    return ScoreReport(scored, [shown for key, shown in wanted.items() if key not in agreements])


def results_template(source: Path | str | Iterable[Export]) -> list[dict[str, object]]:
    """A results file to fill in: one row per indicator of every agreement (organization,
    fiscal_year, code, result left blank, and the indicator's name to know what it is)."""
    rows: list[dict[str, object]] = []
    for export in _exports(source):
        if export.document.kind != DocumentKind.agreement:
            continue
        indicator: Indicator
        for indicator in export.indicators:
            rows.append({"organization": export.document.organization or "",
                         "fiscal_year": export.document.fiscal_year or "", "code": indicator.code,
                         "result": "", "name": indicator.name})
    return rows

