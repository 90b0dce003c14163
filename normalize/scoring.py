"""Scores computed the official way: weighted totals, and one indicator's score from its result.

All arithmetic is `decimal.Decimal`; every score and total returned is rounded ROUND_HALF_UP to
four places, as the offices print them ("๔.๕๕๐๐").

**Weighted total** (`weighted_total`): Σ(score × weight) / Σ(weight) over the rows that have
both a score and a weight. Rows not scored yet ("รายงานรอบ ๑๒ เดือน") are left out: a footnote
has moved their weight to other rows. Seed 002, กองบริหารทรัพยากรบุคคล: 455 / 100 = 4.5500.

**One indicator's score** (`score_indicator`), by the first rule that applies:

1. *lookup* — the details page's formula states the score for each result, e.g. seed 000
   indicator 5.1: "ไม่มีการเสนอ… ค่าคะแนนที่ได้เท่ากับ ๑ / … จำนวน ๑ เรื่อง ค่าคะแนนที่ได้เท่ากับ ๓ /
   … ๒ เรื่อง … ๔ / … ๓ เรื่อง … ๕" (none → 1, one item → 3, two → 4, three → 5). The score is
   that of the highest listed result not above the actual one.
2. *milestone* — criteria in prose, a milestone table (ขั้นตอนที่ ๑–๕), or numbers equal to their
   own levels (๑ ๒ ๓ ๔ ๕): the result is the level reached, and the score is the highest level
   reached (whole levels; 3.9 scores 3).
3. *interpolation* (เทียบบัญญัติไตรยางศ์) — numeric criteria: linear between the two levels
   around the result, in the indicator's direction (higher- or lower-is-better). At or past the
   top numeric level the score is that level, never above `max_score` (5). A level printed "-"
   is no threshold: interpolation runs between the numeric levels on either side of it.
   Below the lowest numeric level (below level 1, or below level 4 when levels 1–3 are "-"),
   `ScoringOptions.below_lowest` decides: ``"zero"`` (default: not reaching the lowest level
   earns nothing), ``"lowest"`` (the lowest level's score, a floor) or ``"extrapolate"`` (the
   line through the two lowest numeric levels continued down, never below 0).

**Seed 000, indicator 5.1: formula against table.** Its criteria table prints "- - - ๑ ๒"
(one item reaches level 4, two reach level 5) while its formula gives 0 → 1, 1 → 3, 2 → 4,
3 → 5. The formula governs (``ScoringOptions.lookup_governs = True``): it is the rule the
details page gives for *computing the score* ("ค่าคะแนนที่ได้เท่ากับ", the score obtained equals),
and it defines a score for every result, where the table leaves anything under one item
undefined and prints only its two top thresholds. ``lookup_governs=False`` lets the table
govern instead. Either way the contradiction is reported: `lookup_contradiction` gives both
mappings and `kamrap.normalize.verify` turns them into a ``criteria_formula_mismatch`` warning.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

import regex

from kamrap.text.thai import collapse_ws, no_spaces
from kamrap.normalize.values import arabic_digits, buddhist_year, direction, indicator_code, is_blank
from kamrap.schema.models import Direction, DocumentKind, Export, Indicator, Number, ScoreRow, ScoreSummary, Total

PLACES = Decimal("0.0001")
BelowLowest = Literal["zero", "lowest", "extrapolate"]
Method = Literal["lookup", "milestone", "interpolation"]
Lookup = dict[Decimal, Decimal]  # result → score


@dataclass(frozen=True)
class ScoringOptions:
    """How results outside the printed criteria are scored (see the module docstring)."""

    below_lowest: BelowLowest = "zero"
    lookup_governs: bool = True  # a formula's result → score lookup beats the criteria table
    max_score: Decimal = Decimal(5)

    def __post_init__(self) -> None:
        if self.below_lowest not in ("zero", "lowest", "extrapolate"):
            raise ValueError(f"Scoring option below_lowest={self.below_lowest!r} is not one of "
                             "'zero', 'lowest', 'extrapolate'")
        if Decimal(self.max_score) <= 0:
            raise ValueError(f"Scoring option max_score={self.max_score!r} must be positive")


DEFAULT_OPTIONS = ScoringOptions()


class ResultsError(ValueError):
    """A results file (CSV or JSON of organization, fiscal_year, code, result) cannot be read."""


# -- numbers --------------------------------------------------------------------------------------
def round4(value: Decimal) -> Decimal:
    """`value` rounded half up to four places: 4.55005 → 4.5501."""
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def to_decimal(value: Number | Decimal | str) -> Decimal:
    """An exact Decimal of a number as stored (floats through their shortest repr, so 4.55 is
    4.55 and not 4.5499999…) or as printed ("๔.๕๕๐๐", "80%", "1,200")."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, float)):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    cleaned = regex.sub(r"[\s,%]", "", arabic_digits(value))
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"Not a number: {value!r}") from None


def to_number(value: Decimal) -> Number:
    """A Decimal as a JSON number: int when integral (100), float otherwise (4.55)."""
    return int(value) if value == value.to_integral_value() else float(value)


# -- weighted totals ------------------------------------------------------------------------------
@dataclass(frozen=True)
class WeightedTotal:
    """Σ(score × weight) / Σ(weight), rounded; `score` is None when no row has a score."""

    score: Decimal | None
    weight: Decimal


def weighted_total(pairs: Iterable[tuple[Number | Decimal | None, Number | Decimal | None]]) -> WeightedTotal:
    """The weighted total of (score, weight) pairs; pairs missing either are left out.

    >>> weighted_total([(5, 10), (4, 10), (None, None), (3, 5)]).score  # 105 / 25
    Decimal('4.2000')
    """
    scored = [(to_decimal(s), to_decimal(w)) for s, w in pairs if s is not None and w is not None]
    weight = sum((w for _, w in scored), Decimal(0))
    if not scored or weight == 0:
        return WeightedTotal(score=None, weight=weight)
    return WeightedTotal(score=round4(sum((s * w for s, w in scored), Decimal(0)) / weight), weight=weight)


def rows_total(rows: Iterable[ScoreRow]) -> WeightedTotal:
    """The total a score summary should print, from its scored rows: the weighted total, or
    the plain mean when no row has a weight (a quality assessment's average score)."""
    scored = [row for row in rows if row.status == "scored"]
    if scored and is_unweighted(scored):
        return mean_total(row.score for row in scored)
    return weighted_total((row.score, row.weight) for row in scored)


def is_unweighted(rows: Iterable[ScoreRow]) -> bool:
    """Whether a summary's rows carry no weights at all (every row counts the same)."""
    return all(row.weight is None for row in rows)


def mean_total(scores: Iterable[Number | Decimal | None]) -> WeightedTotal:
    """The mean of the scores given, to 4 places; its `weight` is the number of scores.

    >>> mean_total([4, 4, 5, 4, 5, 4, 5, 4, 5, 3]).score  # 43 / 10
    Decimal('4.3000')
    """
    values = [to_decimal(s) for s in scores if s is not None]
    if not values:
        return WeightedTotal(score=None, weight=Decimal(0))
    return WeightedTotal(score=round4(sum(values, Decimal(0)) / len(values)), weight=Decimal(len(values)))


def summary_total(summary: ScoreSummary) -> WeightedTotal:
    """The total a score summary should print (`rows_total` of its rows)."""
    return rows_total(summary.rows)


def as_total(total: WeightedTotal) -> Total | None:
    """A computed total as the schema's `Total`; None when no row is scored (as the store
    loads a total with neither field)."""
    if total.score is None:
        return None
    return Total(score=to_number(total.score), weight=to_number(total.weight))


def agreement_total(indicators: Iterable[Indicator],
                    scores: Mapping[str, Number | Decimal | None]) -> WeightedTotal:
    """The weighted total of an agreement given each indicator's score by code (indicators
    without a score are left out, as in a summary).

    >>> from kamrap.schema.models import Indicator
    >>> agreement_total([Indicator(code="1.1", name="a", weight=10), Indicator(code="1.2", name="b", weight=5)],
    ...                 {"1.1": 2.5, "1.2": 3}).score  # (25 + 15) / 15
    Decimal('2.6667')
    """
    return weighted_total((scores.get(i.code), i.weight) for i in indicators)


# -- one indicator ----------------------------------------------------------------------------------
def interpolate(levels: Sequence[tuple[int, Decimal]], result: Decimal, higher_is_better: bool,
                options: ScoringOptions = DEFAULT_OPTIONS) -> Decimal:
    """The score of `result` between numeric criteria levels [(level, value), …] by linear
    interpolation; needs two levels whose values move in the stated direction.

    >>> interpolate([(1, Decimal(65)), (2, Decimal(70)), (3, Decimal(75))], Decimal("72.5"), True)
    Decimal('2.5000')
    >>> interpolate([(1, Decimal(10)), (5, Decimal(2))], Decimal(6), False)
    Decimal('3.0000')
    """
    sign = 1 if higher_is_better else -1
    points = sorted((Decimal(level), sign * value) for level, value in levels)
    x = sign * result
    if len(points) < 2 or any(b[1] <= a[1] for a, b in zip(points, points[1:])):
        raise ValueError(f"Criteria {list(levels)} are not two or more values in the "
                         f"{'higher' if higher_is_better else 'lower'}-is-better direction")
    (low_level, low_value), (next_level, next_value) = points[0], points[1]
    if x < low_value:
        if options.below_lowest == "lowest":
            return round4(min(low_level, options.max_score))
        if options.below_lowest == "extrapolate":
            line = low_level + (next_level - low_level) * (x - low_value) / (next_value - low_value)
            return round4(max(line, Decimal(0)))
        return round4(Decimal(0))
    for (level_a, value_a), (level_b, value_b) in zip(points, points[1:]):
        if value_a <= x < value_b:
            score = level_a + (level_b - level_a) * (x - value_a) / (value_b - value_a)
            return round4(min(score, options.max_score))
    return round4(min(points[-1][0], options.max_score))


def milestone_score(levels: Iterable[int], result: Decimal,
                    options: ScoringOptions = DEFAULT_OPTIONS) -> Decimal:
    """The highest of the milestone `levels` that `result` (the level reached) reaches.

    >>> milestone_score([1, 2, 3, 4, 5], Decimal("3.9"))
    Decimal('3.0000')
    """
    defined = sorted(Decimal(level) for level in levels)
    if not defined:
        raise ValueError("A milestone indicator needs at least one defined level")
    reached = [level for level in defined if level <= result]
    if reached:
        return round4(min(reached[-1], options.max_score))
    return round4(min(defined[0], options.max_score) if options.below_lowest == "lowest" else Decimal(0))


def lookup_score(lookup: Mapping[Decimal, Decimal], result: Decimal,
                 options: ScoringOptions = DEFAULT_OPTIONS) -> Decimal:
    """The score a result → score lookup gives: that of the highest listed result ≤ `result`.

    >>> table = {Decimal(0): Decimal(1), Decimal(1): Decimal(3), Decimal(2): Decimal(4), Decimal(3): Decimal(5)}
    >>> lookup_score(table, Decimal(7))
    Decimal('5.0000')
    """
    if not lookup:
        raise ValueError("An empty lookup gives no score")
    reached = [key for key in sorted(lookup) if key <= result]
    if reached:
        return round4(min(lookup[reached[-1]], options.max_score))
    lowest = lookup[min(lookup)]
    return round4(min(lowest, options.max_score) if options.below_lowest == "lowest" else Decimal(0))


# "ค่าคะแนนที่ได้เท่ากับ ๓": the score obtained (ค่าคะแนนที่ได้) equals (เท่ากับ) 3; matched on the
# formula with spaces removed and Arabic digits.
_LOOKUP_SCORE = regex.compile(r"(?:ค่า)?คะแนน(?:ที่ได้(?:รับ)?)?(?:เท่ากับ|=)(?P<score>\d+(?:\.\d+)?)")
_LOOKUP_COUNT = regex.compile(r"จำนวน(?P<count>\d+(?:\.\d+)?)")  # "จำนวน ๑ เรื่อง": 1 item
_LOOKUP_NONE = "ไม่มี"  # "ไม่มีการเสนอ": none proposed → 0


def formula_lookup(formula: str | None) -> Lookup | None:
    """The result → score lookup a details-page formula states, or None if it states none
    (two or more "… จำนวน N … ค่าคะแนนที่ได้เท่ากับ S" clauses, "ไม่มี…" standing for 0).

    >>> formula_lookup("- ไม่มีการเสนอ ค่าคะแนนที่ได้เท่ากับ ๑ - มีการเสนอ จำนวน ๑ เรื่อง ค่าคะแนนที่ได้เท่ากับ ๓")
    {Decimal('0'): Decimal('1'), Decimal('1'): Decimal('3')}
    """
    if not formula:
        return None
    compact = no_spaces(arabic_digits(formula))
    lookup: Lookup = {}
    start = 0
    for match in _LOOKUP_SCORE.finditer(compact):
        condition = compact[start:match.start()]
        start = match.end()
        counts = _LOOKUP_COUNT.findall(condition)
        if counts:
            key = Decimal(counts[-1])
        elif _LOOKUP_NONE in condition:
            key = Decimal(0)
        else:
            return None
        lookup[key] = Decimal(match["score"])
    return lookup if len(lookup) >= 2 else None


def numeric_levels(indicator: Indicator) -> list[tuple[int, Decimal]]:
    """The (level, value) of every criteria level that names a number."""
    return [(c.level, to_decimal(c.value)) for c in indicator.criteria if c.value is not None]


def criteria_lookup(indicator: Indicator) -> Lookup:
    """What the criteria table says each printed threshold scores: value → level ("- - - ๑ ๒"
    → {1: 4, 2: 5})."""
    return {value: Decimal(level) for level, value in numeric_levels(indicator)}


def lookup_contradiction(indicator: Indicator,
                         options: ScoringOptions = DEFAULT_OPTIONS) -> tuple[Lookup, Lookup] | None:
    """(the table's value → level, the formula's result → score) when the details-page formula
    scores a threshold of the criteria table differently (seed 000, 5.1); None otherwise."""
    formula = formula_lookup(indicator.details.formula if indicator.details else None)
    table = criteria_lookup(indicator)
    if formula is None or not table:
        return None
    if all(lookup_score(formula, value, options) == round4(level) for value, level in table.items()):
        return None
    return table, formula


def format_lookup(lookup: Mapping[Decimal, Decimal]) -> str:
    """A lookup as "0→1, 1→3, 2→4, 3→5" (the form findings report)."""
    return ", ".join(f"{to_number(k)}→{to_number(v)}" for k, v in sorted(lookup.items()))


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator's score from its result; `score` is None when it cannot be scored (`note`
    says why)."""

    code: str
    name: str
    weight: Decimal | None
    result: Decimal | None
    score: Decimal | None
    method: Method | None
    note: str | None = None


def _milestone_levels(indicator: Indicator) -> list[int] | None:
    """The defined levels of a milestone indicator, or None if its criteria are numeric.

    Numeric criteria in the table win over a milestone table on the details page: 2.2 of seed
    000 prints ๘๐%…มากกว่า ๙๙% in its row and "ระบบพร้อมใช้งาน ร้อยละ ๘๐"… as milestones."""
    defined = [c for c in indicator.criteria if c.text is not None]
    numeric = [(c.level, c.value) for c in defined if c.value is not None]
    if len(numeric) >= 2 and not all(to_decimal(value) == level for level, value in numeric):
        return None
    if indicator.details and indicator.details.milestones:
        return [m.level for m in indicator.details.milestones]
    if defined and all(c.value is None for c in defined):  # prose criteria
        return [c.level for c in defined]
    if len(numeric) >= 2 and all(to_decimal(value) == level for level, value in numeric):  # ๑ ๒ ๓ ๔ ๕
        return [level for level, _ in numeric]
    return None


def _by_criteria(indicator: Indicator, result: Decimal,
                 options: ScoringOptions) -> tuple[Decimal, Method] | str:
    """Score by the criteria table (milestone or interpolation), or why that is impossible."""
    milestones = _milestone_levels(indicator)
    if milestones is not None:
        return milestone_score(milestones, result, options), "milestone"
    levels = numeric_levels(indicator)
    if len(levels) < 2:
        return "fewer than two numeric criteria levels"
    way = indicator.direction or direction([float(v) for _, v in levels])
    if way is None:
        return "criteria values do not rise or fall with the level"
    return interpolate(levels, result, way == Direction.higher_is_better, options), "interpolation"


def score_indicator(indicator: Indicator, result: Number | Decimal | str | None,
                    options: ScoringOptions = DEFAULT_OPTIONS) -> IndicatorScore:
    """The score `result` earns on `indicator` (see the module docstring for the rules)."""
    weight = None if indicator.weight is None else to_decimal(indicator.weight)

    def scored(score: Decimal | None, method: Method | None, note: str | None = None) -> IndicatorScore:
        return IndicatorScore(code=indicator.code, name=indicator.name, weight=weight,
                              result=value, score=score, method=method, note=note)

    value = None if result is None else to_decimal(result)
    if value is None:
        return scored(None, None, "no result")
    lookup = formula_lookup(indicator.details.formula if indicator.details else None)
    if lookup is not None and options.lookup_governs:
        return scored(lookup_score(lookup, value, options), "lookup")
    outcome = _by_criteria(indicator, value, options)
    if isinstance(outcome, tuple):
        return scored(*outcome)
    if lookup is not None:
        return scored(lookup_score(lookup, value, options), "lookup")
    return scored(None, None, outcome)


# -- results files ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResultRecord:
    """One row of a results file: an indicator's actual result (None: not reported yet)."""

    organization: str
    fiscal_year: int
    code: str
    result: Decimal | None


RESULT_FIELDS = ("organization", "fiscal_year", "code", "result")


def unit_key(name: str | None) -> str:
    """A unit's name for matching documents: NFC, no spaces, Arabic digits ("กอง บริหาร" =
    "กองบริหาร", "กองบังคับคดีล้มละลาย 2" = "กองบังคับคดีล้มละลาย ๒")."""
    return no_spaces(arabic_digits(collapse_ws(name or "")))


def result_records(rows: Iterable[Mapping[str, object]], source: str) -> list[ResultRecord]:
    """Typed result records from raw rows (CSV dicts or JSON objects); ResultsError names the
    source and row of the first bad one."""
    records = []
    for n, row in enumerate(rows, start=1):
        missing = [f for f in RESULT_FIELDS if f not in row]
        if missing:
            raise ResultsError(f"{source} row {n}: missing {', '.join(missing)}")
        year = buddhist_year(str(row["fiscal_year"]))
        code = indicator_code(str(row["code"] or ""))
        if year is None or code is None:
            raise ResultsError(f"{source} row {n}: bad fiscal_year {row['fiscal_year']!r} or code {row['code']!r}")
        raw = row["result"]
        try:
            result = None if raw is None or is_blank(str(raw)) else to_decimal(
                raw if isinstance(raw, (int, float, Decimal)) else str(raw))
        except ValueError:
            raise ResultsError(f"{source} row {n}: result {raw!r} is not a number") from None
        records.append(ResultRecord(organization=collapse_ws(str(row["organization"])),
                                    fiscal_year=year, code=code, result=result))
    return records


def read_results(path: Path) -> list[ResultRecord]:
    """The results in a .csv (header: organization,fiscal_year,code,result) or .json file (a
    list of such objects, or {"results": [...]}); numbers are read exactly (no float rounding)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ResultsError(f"{path}: unknown results format {path.suffix!r} (use .csv or .json)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ResultsError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if suffix == ".json":
        try:
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise ResultsError(f"{path}: not valid JSON ({exc})") from exc
        rows = data.get("results") if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ResultsError(f"{path}: expected a list of objects with {', '.join(RESULT_FIELDS)}")
        return result_records(rows, str(path))
    return result_records(csv.DictReader(text.splitlines()), str(path))


# -- an agreement's results -------------------------------------------------------------------------
@dataclass(frozen=True)
class AgreementScore:
    """Every indicator of one agreement scored from its results, and the weighted total."""

    organization: str | None
    fiscal_year: int | None
    file: str
    indicators: list[IndicatorScore]
    total: WeightedTotal
    unknown_codes: list[str] = field(default_factory=list)  # results for codes not in the agreement


def score_results(export: Export, results: Iterable[ResultRecord],
                  options: ScoringOptions = DEFAULT_OPTIONS) -> AgreementScore:
    """Score an agreement's indicators from the results given for its unit and year (other
    results are ignored); indicators without a result are listed unscored ("no result")."""
    doc = export.document
    mine = {r.code: r.result for r in results
            if unit_key(r.organization) == unit_key(doc.organization) and r.fiscal_year == doc.fiscal_year}
    scores = [score_indicator(i, mine.get(i.code), options) for i in export.indicators]
    known = {i.code for i in export.indicators}
    return AgreementScore(
        organization=doc.organization, fiscal_year=doc.fiscal_year, file=doc.file, indicators=scores,
        total=weighted_total((s.score, s.weight) for s in scores),
        unknown_codes=sorted(code for code in mine if code not in known),
    )


def score_all(exports: Iterable[Export], results: Sequence[ResultRecord],
              options: ScoringOptions = DEFAULT_OPTIONS) -> tuple[list[AgreementScore], list[tuple[str, int]]]:
    """Score every agreement some results are for; also the (organization, fiscal_year) of
    results that match no agreement."""
    agreements = {(unit_key(e.document.organization), e.document.fiscal_year): e
                  for e in exports if e.document.kind == DocumentKind.agreement}
    wanted: dict[tuple[str, int], tuple[str, int]] = {}
    for r in results:
        wanted.setdefault((unit_key(r.organization), r.fiscal_year), (r.organization, r.fiscal_year))
    scored = [score_results(agreements[key], results, options) for key in wanted if key in agreements]
    return scored, [shown for key, shown in wanted.items() if key not in agreements]
