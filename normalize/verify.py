"""Checks on score summaries and agreements, as findings: what was expected, what was printed,
and where (file, page, indicator code).

Per document (run by `kamrap.normalize.canonical.to_export`, so they are in every export):

- ``total_mismatch`` (error): the printed total differs from Σ(score × weight) / Σ(weight)
  over the scored rows by more than 0.00005, or the printed total weight from Σ(weight);
- ``weight_sum_not_100`` (error): the scored rows' weights do not sum to 100;
- ``score_out_of_range`` (error): a score outside 0–5, or a scored row without a weight;
- ``weight_transfer_mismatch``: a footnote names a row the table lacks, moves the weight of a
  row that is scored, splits more or less than it moves, or gives a row more than its printed
  weight (errors); a deferred row that no footnote moves (warning);
- ``criteria_formula_mismatch`` (warning): a details page's formula scores a threshold of the
  criteria table differently (seed 000, 5.1; see `kamrap.normalize.scoring`).

Across documents (`verify_documents`, for a summary and the agreement of the same unit and
year): ``missing_indicator`` (error) for an indicator in one but not the other;
``summary_agreement_mismatch`` for names (warning) and weights (error) that differ; and
``weight_transfer_mismatch`` (error) when a footnote moves other than the deferred indicator's
agreed weight, or a receiving row's weight is not its agreed weight plus what it receives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


from kamrap.text.thai import no_spaces
from kamrap.normalize.scoring import (
    WeightedTotal,
    format_lookup,
    is_unweighted,
    lookup_contradiction,
    summary_total,
    to_decimal,
    to_number,
    unit_key,
)
from kamrap.normalize.transfers import received_amounts
from kamrap.schema.models import (
    DocumentKind,
    FindingKind,
    Export,
    Finding,
    Indicator,
    Number,
    ScoreRow,
    ScoreSummary,
    Severity,
    WeightTransfer,
)

TOLERANCE = Decimal("0.00005")
SCORE_RANGE = (Decimal(0), Decimal(5))


@dataclass(frozen=True)
class _Where:
    """One summary being checked, to place and word its findings. A row, the total or a
    footnote is placed on the page it was read from; when that is not known, on the summary's
    first page (rows, total) or last page (footnotes)."""

    file: str
    summary: ScoreSummary

    def row_page(self, code: str | None) -> int | None:
        page = next((row.page for row in self.summary.rows if row.code == code), None)
        return page or self.first

    def total_page(self) -> int | None:
        return self.summary.reported_total_page or self.first

    def footnote_page(self, code: str) -> int | None:
        page = next((t.page for t in self.summary.weight_transfers if t.from_code == code), None)
        return page or (self.summary.pages[-1] if self.summary.pages else None)

    @property
    def first(self) -> int | None:
        return self.summary.pages[0] if self.summary.pages else None

    def finding(self, kind: FindingKind, severity: Severity, page: int | None, code: str | None,
                expected: str | Number | None, actual: str | Number | None, text: str) -> Finding:
        unit = self.summary.organization or "summary"
        place = f"{self.file} p.{page}" if page is not None else self.file
        return Finding(kind=kind, severity=severity, organization=self.summary.organization, code=code,
                       expected=expected, actual=actual, page=page, message=f"{place}, {unit}: {text}")


def _num(value: Decimal | Number) -> Number:
    return to_number(to_decimal(value))


def _fmt(value: Decimal | Number | None) -> str:
    return "none" if value is None else f"{to_decimal(value):f}"


# -- one summary ---------------------------------------------------------------------------------
def summary_findings(summary: ScoreSummary, file: str) -> list[Finding]:
    """Every per-document check of one score summary."""
    where = _Where(file, summary)
    return [*_total_findings(where), *_range_findings(where), *_transfer_findings(where)]


def _total_findings(where: _Where) -> list[Finding]:
    summary, findings = where.summary, []
    computed = summary_total(summary)
    reported = summary.reported_total
    page = where.total_page()
    if computed.score is None:
        return []
    if is_unweighted(r for r in summary.rows if r.status == "scored"):
        return _mean_findings(where, computed)
    if computed.weight != 100:
        findings.append(where.finding(
            FindingKind.weight_sum_not_100, Severity.error, page, None, 100, _num(computed.weight),
            f"the weights of the scored rows sum to {_fmt(computed.weight)}, not 100"))
    if reported is None or reported.score is None:
        return findings
    if abs(to_decimal(reported.score) - computed.score) > TOLERANCE:
        findings.append(where.finding(
            FindingKind.total_mismatch, Severity.error, page, None, _num(computed.score), _num(reported.score),
            f"printed total {_fmt(reported.score)} but Σ(score × weight) / Σ(weight) over the scored "
            f"rows is {_fmt(computed.score)}"))
    if reported.weight is not None and to_decimal(reported.weight) != computed.weight:
        findings.append(where.finding(
            FindingKind.total_mismatch, Severity.error, page, None, _num(computed.weight), _num(reported.weight),
            f"printed total weight {_fmt(reported.weight)} but the scored rows' weights sum to "
            f"{_fmt(computed.weight)}"))
    return findings


def _mean_findings(where: _Where, computed: WeightedTotal) -> list[Finding]:
    """An unweighted summary prints the mean score, rounded as printed ("4.44"): it is wrong
    when the mean rounded to the printed places differs."""
    reported = where.summary.reported_total
    if reported is None or reported.score is None or computed.score is None:
        return []
    places = _places(reported.score)
    rounded = computed.score.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == to_decimal(reported.score).quantize(Decimal(1).scaleb(-places)):
        return []
    return [where.finding(
        FindingKind.total_mismatch, Severity.error, where.total_page(), None, _num(rounded), _num(reported.score),
        f"printed average {_fmt(reported.score)} but the mean of the {_fmt(computed.weight)} "
        f"scored rows is {_fmt(computed.score)}")]


def _places(number: Number) -> int:
    """Decimal places a printed number shows (4.44 → 2, 4.3 → 1, 4 → 0)."""
    text = repr(float(number)) if isinstance(number, float) else str(number)
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def _range_findings(where: _Where) -> list[Finding]:
    low, high = SCORE_RANGE
    findings = []
    unweighted = is_unweighted(r for r in where.summary.rows if r.status == "scored")
    for row in where.summary.rows:
        if row.status != "scored":
            continue
        page = where.row_page(row.code)
        if row.score is not None and not low <= to_decimal(row.score) <= high:
            findings.append(where.finding(
                FindingKind.score_out_of_range, Severity.error, page, row.code, "0–5", row.score,
                f"indicator {row.code} scores {_fmt(row.score)}, outside 0–5"))
        if row.weight is None and not unweighted:
            findings.append(where.finding(
                FindingKind.score_out_of_range, Severity.error, page, row.code, "a weight", None,
                f"indicator {row.code} is scored ({_fmt(row.score)}) but has no weight"))
    reported = where.summary.reported_total
    if reported is not None and reported.score is not None and not low <= to_decimal(reported.score) <= high:
        findings.append(where.finding(
            FindingKind.score_out_of_range, Severity.error, where.total_page(), None, "0–5", reported.score,
            f"printed total {_fmt(reported.score)} is outside 0–5"))
    return findings


def _transfer_findings(where: _Where) -> list[Finding]:
    """Footnotes checked against the summary's own rows (no agreement needed)."""
    rows = {row.code: row for row in where.summary.rows}
    findings: list[Finding] = []
    for transfer in where.summary.weight_transfers:
        findings += _source_findings(where, transfer, rows) + _target_findings(where, transfer, rows)
    return findings + _overfilled_findings(where, rows) + _unmoved_findings(where)


def _transfer_error(where: _Where, transfer: WeightTransfer, code: str | None,
                    expected: str | Number | None, actual: str | Number | None, text: str) -> Finding:
    return where.finding(FindingKind.weight_transfer_mismatch, Severity.error, where.footnote_page(transfer.from_code),
                         code, expected, actual, text)


def _source_findings(where: _Where, transfer: WeightTransfer, rows: Mapping[str, ScoreRow]) -> list[Finding]:
    """The row a footnote moves weight from must be listed and not scored, and the printed
    shares must add up to the weight moved."""
    code, findings = transfer.from_code, []
    source = rows.get(code)
    if source is None:
        findings.append(_transfer_error(
            where, transfer, code, code, None,
            f"a footnote moves the weight of indicator {code}, which the table does not list"))
    elif source.status == "scored":
        findings.append(_transfer_error(
            where, transfer, code, "deferred", "scored",
            f"a footnote moves the weight of indicator {code}, but that row is scored"))
    if transfer.amounts and transfer.weight is not None:
        shared = sum((to_decimal(a) for a in transfer.amounts if a is not None), Decimal(0))
        if shared != to_decimal(transfer.weight):
            findings.append(_transfer_error(
                where, transfer, code, transfer.weight, _num(shared),
                f"the footnote on {code} moves weight {_fmt(transfer.weight)} but shares out {_fmt(shared)}"))
    return findings


def _target_findings(where: _Where, transfer: WeightTransfer, rows: Mapping[str, ScoreRow]) -> list[Finding]:
    """Every row a footnote moves weight to must be listed and scored."""
    findings = []
    for code in transfer.to_codes:
        target = rows.get(code)
        if target is None:
            findings.append(_transfer_error(
                where, transfer, code, code, None,
                f"a footnote moves weight from {transfer.from_code} to indicator {code}, "
                f"which the table does not list"))
        elif target.status != "scored":
            findings.append(_transfer_error(
                where, transfer, code, "scored", "deferred",
                f"a footnote moves weight from {transfer.from_code} to indicator {code}, "
                f"which is not scored either"))
    return findings


def _overfilled_findings(where: _Where, rows: Mapping[str, ScoreRow]) -> list[Finding]:
    """A row cannot receive as much weight as it prints or more: nothing would be left of its own."""
    findings = []
    for code, amount in _received(where.summary).items():
        row = rows.get(code)
        if row is not None and row.weight is not None and to_decimal(row.weight) <= amount:
            findings.append(where.finding(
                FindingKind.weight_transfer_mismatch, Severity.error, where.row_page(code), code,
                f"more than {_fmt(amount)}", row.weight,
                f"indicator {code} receives weight {_fmt(amount)} by footnote but its printed weight "
                f"is only {_fmt(row.weight)}"))
    return findings


def _unmoved_findings(where: _Where) -> list[Finding]:
    """A warning for each deferred row that no footnote moves the weight of."""
    moved_from = {t.from_code for t in where.summary.weight_transfers}
    return [
        where.finding(FindingKind.weight_transfer_mismatch, Severity.warning, where.row_page(row.code), row.code,
                      "a footnote moving its weight", None,
                      f"indicator {row.code} is not scored ({row.status_text or 'blank'}) and no footnote "
                      f"says where its weight went")
        for row in where.summary.rows if row.status == "deferred" and row.code not in moved_from
    ]


def _received(summary: ScoreSummary) -> dict[str, Decimal]:
    """The weight each row receives by footnote, where the amounts are known."""
    received: dict[str, Decimal] = {}
    for transfer in summary.weight_transfers:
        for code, amount in received_amounts(transfer).items():
            if amount is not None:
                received[code] = received.get(code, Decimal(0)) + to_decimal(amount)
    return received


# -- criteria against formulas -----------------------------------------------------------------------
def criteria_findings(indicators: Iterable[Indicator], file: str, organization: str | None) -> list[Finding]:
    """A ``criteria_formula_mismatch`` warning for every indicator whose details-page formula
    scores a threshold of its criteria table differently (seed 000, 5.1)."""
    findings = []
    for indicator in indicators:
        contradiction = lookup_contradiction(indicator)
        if contradiction is None:
            continue
        table, formula = contradiction
        page = indicator.pages[-1] if indicator.pages else None
        place = f"{file} p.{page}" if page is not None else file
        findings.append(Finding(
            kind=FindingKind.criteria_formula_mismatch, severity=Severity.warning, organization=organization,
            code=indicator.code, expected=format_lookup(table), actual=format_lookup(formula), page=page,
            message=f"{place}, indicator {indicator.code}: the criteria table scores "
                    f"{format_lookup(table)} (result→score) but the formula on its details page says "
                    f"{format_lookup(formula)}; the formula governs scoring",
        ))
    return findings


def document_findings(export: Export) -> list[Finding]:
    """All per-document checks of one export."""
    file = export.document.file
    findings = criteria_findings(export.indicators, file, export.document.organization)
    for summary in export.score_summaries:
        findings += summary_findings(summary, file)
    return findings


# -- summaries against agreements ----------------------------------------------------------------
def _name_key(name: str | None) -> str:
    return no_spaces(name)


def verify_documents(exports: list[Export]) -> list[Finding]:
    """The cross-document checks: each score summary against the agreement of the same unit
    and fiscal year, when one is among `exports`. (Per-document findings are already in each
    export's `findings`.)"""
    agreements = {(unit_key(e.document.organization), e.document.fiscal_year): e
                  for e in exports if e.document.kind == DocumentKind.agreement}
    findings = []
    for export in exports:
        for summary in export.score_summaries:
            agreement = agreements.get((unit_key(summary.organization), summary.fiscal_year))
            if agreement is not None:
                findings += summary_agreement_findings(summary, export.document.file, agreement)
    return findings


def summary_agreement_findings(summary: ScoreSummary, file: str, agreement: Export) -> list[Finding]:
    """One summary against its unit's agreement: indicators, names and weights."""
    where = _Where(file, summary)
    agreed = {i.code: i for i in agreement.indicators}
    rows = {row.code: row for row in summary.rows}
    other = agreement.document.file
    findings = []
    for code, indicator in agreed.items():
        if code not in rows:
            findings.append(where.finding(
                FindingKind.missing_indicator, Severity.error, where.first, code, code, None,
                f"indicator {code} ({indicator.name}) is in the agreement {other} but not in the summary"))
    for code, row in rows.items():
        match = agreed.get(code)
        if match is None:
            findings.append(where.finding(
                FindingKind.missing_indicator, Severity.error, where.row_page(code), code, None, code,
                f"indicator {code} ({row.name}) is in the summary but not in the agreement {other}"))
        elif _name_key(match.name) != _name_key(row.name):
            findings.append(where.finding(
                FindingKind.summary_agreement_mismatch, Severity.warning, where.row_page(code), code,
                match.name, row.name, f"indicator {code} is named differently in the agreement {other}"))
    findings += _agreed_weight_findings(where, rows, agreed, other)
    return findings


def _agreed_weight_findings(where: _Where, rows: Mapping[str, ScoreRow],
                            agreed: Mapping[str, Indicator], other: str) -> list[Finding]:
    """Transfers and weights against the agreed weights: a deferred indicator moves exactly its
    agreed weight; a scored row weighs its agreed weight plus what it receives."""
    findings = []
    received = _received(where.summary)
    for transfer in where.summary.weight_transfers:
        source = agreed.get(transfer.from_code)
        if source is not None and source.weight is not None and transfer.weight is not None \
                and to_decimal(source.weight) != to_decimal(transfer.weight):
            findings.append(where.finding(
                FindingKind.weight_transfer_mismatch, Severity.error, where.footnote_page(transfer.from_code),
                transfer.from_code, source.weight, transfer.weight,
                f"a footnote moves weight {_fmt(transfer.weight)} from indicator {transfer.from_code}, "
                f"whose weight in the agreement {other} is {_fmt(source.weight)}"))
    for code, row in rows.items():
        indicator = agreed.get(code)
        if row.status != "scored" or row.weight is None or indicator is None or indicator.weight is None:
            continue
        expected = to_decimal(indicator.weight) + received.get(code, Decimal(0))
        if to_decimal(row.weight) == expected:
            continue
        moved = received.get(code)
        kind = FindingKind.weight_transfer_mismatch if moved else FindingKind.summary_agreement_mismatch
        because = f" plus {_fmt(moved)} moved to it by footnote" if moved else ""
        findings.append(where.finding(
            kind, Severity.error, where.row_page(code), code, _num(expected), row.weight,
            f"indicator {code} weighs {_fmt(row.weight)} in the summary but "
            f"{_fmt(indicator.weight)} in the agreement {other}{because}"))
    return findings
