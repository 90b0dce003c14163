"""Map a parser's plain records into the canonical schema (`kamrap.schema.Export`).

Here printed strings become typed values, details pages are attached to their table rows,
summary footnotes become weight transfers, and the document-level checks (weights summing to
100, details pages numbered differently from their row, and those of `kamrap.normalize.verify`:
summary totals, transfers, formulas contradicting their criteria) become findings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import regex
from pydantic import ValidationError

from kamrap.text.numbers import int_if_integral
from kamrap.text.ocr_fix import NUMERAL_LOOKALIKES
from kamrap.normalize import verify
from kamrap.normalize.scoring import as_total, rows_total
from kamrap.text.thai import collapse_ws, no_spaces, similarity
from kamrap.parsers.settings import SETTINGS
from kamrap.normalize.transfers import footnote_transfers
from kamrap.normalize.values import (
    BOUNDS,
    Range,
    buddhist_year,
    cell_value,
    criteria_value,
    direction,
    indicator_code,
    is_blank,
    labelled_code,
    parse_number,
    parse_percent,
    parse_score,
    strip_code,
    target_value,
    unit_of,
    value_problem,
)
from kamrap.parsers.records import (
    DetailsPage,
    Grouping,
    IndicatorRow,
    LevelTable,
    ParsedDocument,
    Source,
    SummaryRow,
    SummaryTable,
)
from kamrap.schema.models import (
    BaselineValue,
    CellValue,
    CriteriaLevel,
    Direction,
    Document,
    DocumentKind,
    Export,
    Finding,
    FindingKind,
    Indicator,
    IndicatorDetails,
    Milestone,
    RowSource,
    ScoreRow,
    ScoreSummary,
    Severity,
    TableMethod,
    Total,
)

_R = TypeVar("_R", IndicatorRow, DetailsPage)
_N = TypeVar("_N")

# "มิติภายนอก (น้ำหนัก ๕๐)": a dimension (มิติ) with its weight (น้ำหนัก) in brackets.
# Its digits may stand apart ("๕ 0"): a Thai digit beside an Arabic one is often drawn in
# another font, and the gap between the two fonts' glyphs reads as a space. The bracketed
# number that closes the heading is the weight whatever the one word before it reads as: on a
# scan OCR makes น้ำหนัก of a small font into Latin letters ("Gwin ๕๐)", "(amin ๕๐)"), and
# the opening bracket may go with it.
_DIMENSION = regex.compile(
    r"^(?P<name>มิติ.*?)\s*(?:(?:\(\s*|\s)(?:[^\s\d๐-๙()]+\s*)?"
    r"(?P<weight>[\d๐-๙.](?:\s?[\d๐-๙.])*)\s*%?\s*\))?$")
# "วัตถุประสงค์ที่ ๑ ความพึงพอใจ…": objective number N (วัตถุประสงค์ที่ N) and its text.
# Where the number goes, MAIYAMOK (ๆ, the repetition mark) is the digit seven (๗) OCR read
# as its look-alike: a repetition mark after ที่ ("no.") repeats no word.
_OBJECTIVE = regex.compile(r"^วัตถุประสงค์ที่\s*(?P<no>[\d๐-๙ๆ]+)\s*(?P<text>.*)$")
_BULLET = regex.compile(r"^[●•·\-\s]+")


def text_or_none(text: str | None) -> str | None:
    """Collapsed text, or None for blanks and "-"."""
    return None if is_blank(text) else collapse_ws(text)


def to_export(parsed: ParsedDocument, file: str, sha256: str) -> Export:
    """The canonical export of one parsed PDF."""
    findings: list[Finding] = [
        Finding(kind=w.kind, severity=w.severity, organization=parsed.organization,
                message=w.message, page=w.page)
        for w in parsed.warnings
    ]
    indicators = _each(parsed.rows, _indicator, findings, parsed.organization)
    details_by_code = _attach_details(indicators, parsed.details, parsed.organization, findings)
    document_values = _Reader(findings, parsed.organization, "document")
    indicators += _each(details_by_code, _indicator_from_details, findings, parsed.organization)
    findings += unparsed_findings(parsed.rows, parsed.organization)
    if parsed.kind == DocumentKind.agreement and indicators:
        findings += _weight_sum_findings(indicators, parsed.organization)
    findings += verify.criteria_findings(indicators, file, text_or_none(parsed.organization))
    summaries = [_summary(table, parsed.fiscal_year, _Reader(findings, parsed.organization, "summary", n))
                 for n, table in enumerate(parsed.summaries, start=1)]
    for summary in summaries:
        findings += verify.summary_findings(summary, file)
    document = Document(
        file=file, sha256=sha256, page_count=parsed.page_count, kind=DocumentKind(parsed.kind),
        organization=text_or_none(parsed.organization),
        fiscal_year=document_values.year(parsed.fiscal_year, "fiscal year"),
    )
    return Export(document=document, indicators=indicators, score_summaries=summaries, findings=findings)


def _each(records: Sequence[_R], build: Callable[[_R, _Reader], Indicator], findings: list[Finding],
          organization: str | None) -> list[Indicator]:
    """`build` applied to every record, reading its numbers through a `_Reader` (a number out
    of its range is a finding, stored as null); a record whose values the schema still rejects
    becomes an `unparsed_value` finding, and the rest of the document is stored all the same."""
    built = []
    for index, record in enumerate(records, start=1):
        pages = getattr(record, "pages", None) or [getattr(record, "page", None)]
        label = getattr(record, "label", None) or getattr(record, "name", None)
        kind = "row" if isinstance(record, IndicatorRow) else "details page"
        reader = _Reader(findings, organization, kind, index, label, pages[0])
        try:
            built.append(build(record, reader))
        except ValidationError as exc:
            label = label or ""
            findings.append(Finding(
                kind=FindingKind.unparsed_value, severity=Severity.warning, organization=organization,
                page=pages[0], actual=collapse_ws(label)[:80] or None,
                message=f"indicator {collapse_ws(label)[:40]!r} on page {pages[0]} was not stored: "
                        f"{exc.error_count()} value(s) out of range "
                        f"({'; '.join(e['msg'] for e in exc.errors()[:3])})"))
    return built


class _Reader:
    """Reads the numbers of one printed record (a table row, a details page, a summary), each
    checked where it is read against what its field may be (`kamrap.normalize.values.BOUNDS`):
    finite, storable, and in range for weights, levels and years. A number that is not becomes
    a `value_out_of_range` finding naming page, row, column and the printed text, and is read
    as None, so a misprint or a misreading never reaches the database or the checks."""

    def __init__(self, findings: list[Finding], organization: str | None, kind: str,
                 index: int | None = None, label: str | None = None, page: int | None = None) -> None:
        self.findings, self.organization = findings, organization
        self.kind, self.index, self.page = kind, index, page
        self.label = collapse_ws(label or "")[:40]
        self.code: str | None = None  # the record's indicator code, once read

    def number(self, parse: Callable[[str | None], _N], text: str | None, column: str,
               bound: Range | None = None) -> _N | None:
        """`parse(text)`, if it is a number that may stand in `column`, else None."""
        return self.check(parse(text), text, column, bound)

    def check(self, value: _N, text: str | None, column: str, bound: Range | None = None,
              page: int | None = None) -> _N | None:
        """`value` read from `text`, or None (and a finding) when it cannot stand."""
        if value is None or isinstance(value, str):
            return value
        problem = value_problem(value, bound)  # type: ignore[arg-type]
        if problem is None:
            return value
        page = page or self.page
        printed = collapse_ws(str(text if text is not None else value))
        shown = printed if len(printed) <= 60 else printed[:60] + "…"
        where = [f"page {page}" if page else None,
                 f"{self.kind} {self.index}" if self.index else self.kind,
                 f"({self.label})" if self.label else None]
        self.findings.append(Finding(
            kind=FindingKind.value_out_of_range, severity=Severity.warning,
            organization=self.organization, code=self.code, page=page,
            expected=None if bound is None else str(bound), actual=shown,
            message=f"{' '.join(w for w in where if w)}, column {column}: {shown!r} is {problem}; "
                    f"stored as null"))
        return None

    def year(self, text: str | None, column: str, page: int | None = None) -> int | None:
        """A Buddhist-era year as printed, in its range."""
        return self.check(buddhist_year(text), text, column, BOUNDS.fiscal_year, page)


# -- indicator rows ---------------------------------------------------------------------------
def _indicator(row: IndicatorRow, read: _Reader) -> Indicator:
    if row.code is not None:  # a code column of its own: the label is the name alone
        code, name = indicator_code(row.code) or collapse_ws(row.code), collapse_ws(row.label)
    else:
        code, name = indicator_code(row.label) or labelled_code(row.label) or "", strip_code(row.label)
    read.code = code or None
    criteria = _criteria(row, read)
    group = _grouping(row.grouping, read)
    return Indicator(
        code=code,
        name=name,
        **group,
        weight=read.number(parse_percent, row.weight, "weight", BOUNDS.weight),
        target=text_or_none(row.target),
        target_level=read.number(parse_number, row.target, "target"),
        target_value=read.number(target_value, row.target, "target"),
        targets_by_round=_round_targets(row.round_targets, read),
        targets_by_year=_values(row.year_targets, read, "target"),
        results_by_round=_values(row.round_results, read, "result"),
        results_by_year=_values(row.year_results, read, "result"),
        baseline=[BaselineValue(fiscal_year=year, value=read.number(parse_number, value, f"baseline {key}"))
                  for key, value in row.baseline.items()
                  if (year := read.year(key, "baseline year")) is not None],
        score=read.number(parse_score, row.score, "score"),
        weighted_score=read.number(parse_number, row.weighted_score, "weighted score"),
        # a table without a unit column prints the unit with the target ("150 คน", "ร้อยละ 80")
        unit=text_or_none(row.unit) or unit_of(row.target),
        responsible=text_or_none(row.responsible),
        assessed_units=[collapse_ws(u) for u in row.assessed_units],
        status=text_or_none(row.status),
        budget={collapse_ws(k): read.number(parse_number, v, f"budget {collapse_ws(k)}")
                for k, v in row.budget.items()} or None,
        criteria=criteria,
        direction=direction([c.value for c in criteria]),
        remark=text_or_none(row.remark),
        pages=row.pages,
        sources=[_source(s) for s in row.sources],
    )


def _source(source: Source) -> RowSource:
    """Where a row is printed; its box to 0.01 pt, finer than any viewer shows."""
    bbox = None if source.bbox is None else (
        round(source.bbox[0], 2), round(source.bbox[1], 2), round(source.bbox[2], 2), round(source.bbox[3], 2))
    return RowSource(page=source.page, bbox=bbox, method=TableMethod(source.method))


def _values(printed: dict[str, str | None], read: _Reader, what: str) -> dict[str, CellValue | None] | None:
    """Printed values by round or year, typed (`kamrap.normalize.values.cell_value`)."""
    return {key: read.number(cell_value, text, f"{what} {key}") for key, text in printed.items()} or None


def _round_targets(printed: dict[str, str | None], read: _Reader) -> dict[str, CellValue | None] | None:
    """Round targets: a level number ("๓"), else the target as printed."""
    return {key: read.check(parse_number(text) if parse_number(text) is not None else cell_value(text),
                            text, f"target {key}")
            for key, text in printed.items()} or None


def _criteria(row: IndicatorRow, read: _Reader) -> list[CriteriaLevel]:
    if not any(not is_blank(t) for t in row.criteria):
        return []
    if row.criteria_merged:
        text = text_or_none(next(t for t in row.criteria if not is_blank(t)))
        return [CriteriaLevel(level=level, text=text) for level in range(1, 6)]
    return [
        CriteriaLevel(level=level, text=text_or_none(text),
                      value=None if is_blank(text) else read.number(criteria_value, text, f"criteria {level}"))
        for level, text in enumerate(row.criteria[:5], start=1)
    ]


def _grouping(grouping: Grouping, read: _Reader) -> dict[str, Any]:
    dimension = text_or_none(_unbullet(grouping.dimension))
    dimension_name, dimension_weight = dimension, None
    if dimension and (match := _DIMENSION.match(dimension)):
        dimension_name = collapse_ws(match["name"])
        dimension_weight = read.check(parse_number(regex.sub(r"\s", "", match["weight"])), match["weight"],
                                      "dimension weight", BOUNDS.weight) if match["weight"] else None
    objective = text_or_none(_unbullet(grouping.objective))
    objective_no, objective_text = None, objective
    if objective and (match := _OBJECTIVE.match(objective)):
        number = read.number(parse_number, match["no"].translate(NUMERAL_LOOKALIKES), "objective number")
        objective_no = None if number is None else int(number)
        objective_text = text_or_none(match["text"])
    return {
        "dimension": dimension_name,
        "dimension_weight": dimension_weight,
        "perspective": text_or_none(_unbullet(grouping.perspective)),
        "objective_no": objective_no,
        "objective": objective_text,
    }


def _unbullet(text: str | None) -> str | None:
    return None if text is None else _BULLET.sub("", text)


# -- details pages ------------------------------------------------------------------------------
def _details(page: DetailsPage, read: _Reader) -> IndicatorDetails:
    def level(printed: str) -> int | None:
        number = read.number(parse_number, printed, "milestone level", BOUNDS.level)
        return None if number is None else int(number)

    return IndicatorDetails(
        description=text_or_none(page.description),
        formula=text_or_none(page.formula),
        condition=text_or_none(page.condition),
        milestones=[Milestone(level=number, text=collapse_ws(text))
                    for printed, text in page.milestones if (number := level(printed)) is not None]
        + [Milestone(level=number, text=collapse_ws(text), round=round_ or None)
           for round_, printed, text in page.round_milestones if (number := level(printed)) is not None],
        baseline=[BaselineValue(fiscal_year=fiscal_year,
                                value=read.number(parse_number, value, f"baseline {year}"))
                  for year, value in page.baseline
                  if (fiscal_year := read.year(year, "baseline year")) is not None],
        data_source=text_or_none(page.data_source),
        supervisor=text_or_none(page.supervisor),
        collector=text_or_none(page.collector),
        target_population=text_or_none(page.target_population),
        data_collection=text_or_none(page.data_collection),
        data_items=[collapse_ws(item) for item in page.data_items if not is_blank(item)],
        evaluation_period=text_or_none(page.evaluation_period),
        evaluation_method=text_or_none(page.evaluation_method),
    )


def _name_key(name: str | None) -> str:
    """Names compared without spaces: tables and details pages wrap them differently."""
    return no_spaces(name)


def _attach_details(
    indicators: list[Indicator], pages: list[DetailsPage], organization: str | None,
    findings: list[Finding],
) -> list[DetailsPage]:
    """Attach each details page to its row: by code, or by name when the page is numbered
    differently (recorded as a `code_mismatch` finding). Returns the pages with no row."""
    by_code = {i.code: i for i in indicators}
    by_name = {_name_key(i.name): i for i in indicators}
    unattached = []
    for index, page in enumerate(pages, start=1):
        read = _Reader(findings, organization, "details page", index, page.name, page.page)
        code = indicator_code(page.code or "")
        coded = by_code.get(code or "")
        named = by_name.get(_name_key(page.name))
        if named is None and page.name and (coded is None or similarity(coded.name, page.name) < SETTINGS.same_name):
            # a name read with a letter or two wrong (OCR) still names its row; the code a
            # scan misreads ("๒๒" for ๒.๒) does not decide then
            named = _most_like(page.name, indicators)
        target = named if named is not None and named.code != code else coded
        if target is None and not code and indicators:
            # its number illegible (a scan) and its name like no row's: which indicator it
            # describes is not known, and a row of its own with no code would be made up
            findings.append(Finding(
                kind=FindingKind.extraction_warning, severity=Severity.warning, organization=organization,
                page=page.page, actual=page.name,
                message=f"details page {page.page} has no number that can be read and names no "
                        f"indicator of the table ({page.name}); not attached"))
            continue
        if target is None:
            unattached.append(page)
            continue
        if target.code != code:
            findings.append(Finding(
                kind=FindingKind.code_mismatch, severity=Severity.warning, organization=organization,
                code=target.code, expected=target.code, actual=code, page=page.page,
                message=(f"details page {page.page} is numbered {code}" if code else
                         f"details page {page.page} has no number that can be read")
                        + f" but names indicator {target.code} ({target.name})",
            ))
        read.code = target.code
        target.details = _details(page, read)
        if not target.criteria:
            target.criteria = _details_criteria(page)
            target.direction = _direction(target.criteria)
        target.unit = target.unit or text_or_none(page.unit)
        target.responsible = target.responsible or text_or_none(page.responsible)
        for field, value in _details_targets(page, read).items():
            if getattr(target, field) is None:
                setattr(target, field, value)
        target.pages = sorted(set(target.pages) | set(page.pages))
    return unattached


def _most_like(name: str, indicators: list[Indicator]) -> Indicator | None:
    """The indicator whose name reads most like ``name``, when alike enough
    (`LayoutSettings.same_name`) and clearly more alike than any other."""
    scored = sorted(((similarity(i.name, name), n) for n, i in enumerate(indicators)), reverse=True)
    if not scored or scored[0][0] < SETTINGS.same_name:
        return None
    if len(scored) > 1 and scored[1][0] >= scored[0][0] - SETTINGS.name_margin:
        return None
    return indicators[scored[0][1]]


def _indicator_from_details(page: DetailsPage, read: _Reader) -> Indicator:
    """An indicator known only from its details page (a details-only document)."""
    grouping = _grouping(Grouping(page.dimension, page.perspective, page.objective), read)
    return Indicator(
        code=indicator_code(page.code or "") or "", name=collapse_ws(page.name or ""), **grouping,
        weight=read.number(parse_percent, page.weight, "weight", BOUNDS.weight), unit=text_or_none(page.unit),
        **_details_targets(page, read),
        responsible=text_or_none(page.responsible),
        criteria=(criteria := _details_criteria(page)), direction=_direction(criteria),
        details=_details(page, read), pages=page.pages,
        sources=[RowSource(page=n, method=TableMethod.form if page.method == "form" else TableMethod.words)
                 for n in page.pages],
    )


def _details_criteria(page: DetailsPage) -> list[CriteriaLevel]:
    """The criteria a details page scores its indicator by: its criteria tables that name no
    assessment round (those are per-round milestones), each level with the table's heading as
    its scope when there are several (one table per scope: national, regional …)."""
    tables = page.level_tables or ([LevelTable(page.milestones)] if page.milestones else [])
    scored = [table for table in tables if not table.round]
    several = len(scored) > 1
    return [
        CriteriaLevel(level=int(level), text=collapse_ws(text) or None,
                      value=None if is_blank(text) else criteria_value(text),
                      scope=text_or_none(table.heading) if several else None)
        for table in scored for printed, text in table.levels
        if (level := parse_number(printed)) is not None and 1 <= level <= 5
    ]


def _direction(criteria: list[CriteriaLevel]) -> Direction | None:
    """The direction of the first scope's levels, in level order."""
    first = [c for c in criteria if c.scope == (criteria[0].scope if criteria else None)]
    return direction([c.value for c in sorted(first, key=lambda c: c.level)])


def _details_targets(page: DetailsPage, read: _Reader) -> dict[str, Any]:
    """The target fields a details page gives (เกณฑ์เป้าหมาย, targets per round or year)."""
    return {
        "target": text_or_none(page.target),
        "target_value": read.number(target_value, page.target, "target"),
        "targets_by_round": _values(page.targets_by_round, read, "target"),
        "targets_by_year": _values(page.targets_by_year, read, "target"),
    }


# -- score summaries ------------------------------------------------------------------------------
def _score_row(row: SummaryRow, read: _Reader) -> ScoreRow:
    """A summary row: scored when its score cell is a number, deferred otherwise (the cell then
    says why: "รายงานรอบ ๑๒ เดือน", reported at 12 months)."""
    page = row.pages[0] if row.pages else None
    code = indicator_code(row.code) or labelled_code(row.code) or collapse_ws(row.code)
    read.code = code
    score = read.check(parse_score(row.score), row.score, f"score (row {code})", page=page)
    return ScoreRow(
        code=code,
        name=collapse_ws(row.name),
        score=score, weight=read.check(parse_percent(row.weight), row.weight, f"weight (row {code})",
                                       BOUNDS.weight, page),
        status="scored" if score is not None else "deferred",
        status_text=None if score is not None else text_or_none(row.score),
        page=row.pages[0] if row.pages else None,
    )


def _summary(table: SummaryTable, document_year: str | None, read: _Reader) -> ScoreSummary:
    read.page = table.pages[0] if table.pages else None
    rows = [_score_row(row, read) for row in table.rows]
    read.code = None
    reported = None
    if not (is_blank(table.total_score) and is_blank(table.total_weight)):
        reported = Total(
            score=read.check(parse_score(table.total_score), table.total_score, "total score",
                             page=table.total_page),
            weight=read.check(parse_number(table.total_weight), table.total_weight, "total weight",
                              page=table.total_page))
    transfers = []
    for note in table.footnotes:
        for t in footnote_transfers(note.text):
            transfers.append(t.model_copy(update={
                "page": note.page,
                "weight": read.check(t.weight, note.text, "footnote weight", page=note.page),
                "amounts": [read.check(a, note.text, "footnote amount", page=note.page) for a in t.amounts]}))
    return ScoreSummary(
        organization=text_or_none(table.organization),
        fiscal_year=read.year(table.fiscal_year or document_year, "fiscal year"),
        pages=table.pages, rows=rows, reported_total=reported,
        reported_total_page=table.total_page if reported is not None else None,
        computed_total=as_total(rows_total(rows)),
        weight_transfers=transfers,
    )


# -- document checks ------------------------------------------------------------------------------
def _weight_sum_findings(indicators: list[Indicator], organization: str | None) -> list[Finding]:
    """Weights that do not sum to 100 are an error; when some indicator's weight could not be
    read the sum cannot be checked, and the finding says so instead of reporting a false sum."""
    weights = [i.weight for i in indicators if i.weight is not None]
    if not weights:
        return []
    total = int_if_integral(round(float(sum(weights)), 4)) or 0
    if abs(total - 100) < 1e-9:
        return []
    missing = [i.code or i.name for i in indicators if i.weight is None]
    if missing:
        return [Finding(
            kind=FindingKind.weight_sum_unchecked, severity=Severity.warning, organization=organization,
            expected=100, actual=total,
            message=f"weights sum to {total} without the {len(missing)} indicator(s) whose weight "
                    f"is missing or unreadable ({', '.join(missing[:5])}); the sum was not checked",
        )]
    return [Finding(
        kind=FindingKind.weight_sum_not_100, severity=Severity.error, organization=organization,
        expected=100, actual=total,
        message=f"indicator weights sum to {total}, not 100",
    )]


#: Fields of a row whose printed text must be a number, with how the column is named.
_NUMERIC_FIELDS = (("weight", "weight", parse_percent), ("score", "score", parse_score),
                   ("weighted_score", "weighted score", parse_number))


def unparsed_findings(rows: list[IndicatorRow], organization: str | None) -> list[Finding]:
    """An `unparsed_value` finding for each number cell whose text is not a number (a weight
    printed "abc"), naming page, row and column; the value itself is stored as null."""
    findings = []
    for index, row in enumerate(rows, start=1):
        for attr, column, parse in _NUMERIC_FIELDS:
            text = getattr(row, attr)
            if is_blank(text) or parse(text) is not None:
                continue
            page = row.pages[0] if row.pages else None
            findings.append(Finding(
                kind=FindingKind.unparsed_value, severity=Severity.warning, organization=organization,
                code=indicator_code(row.code or row.label), actual=collapse_ws(text), page=page,
                message=f"page {page}, row {index} ({collapse_ws(row.label)[:40]}), column "
                        f"{column}: {collapse_ws(text)!r} is not a number; stored as null",
            ))
    return findings
