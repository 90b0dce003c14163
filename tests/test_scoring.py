"""The scorer (`kamrap.normalize.scoring`): expectations computed by hand, plus property tests."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import expected_export
from kamrap.normalize.scoring import (
    ResultRecord,
    ResultsError,
    ScoringOptions,
    agreement_total,
    formula_lookup,
    interpolate,
    lookup_contradiction,
    lookup_score,
    milestone_score,
    read_results,
    score_all,
    score_indicator,
    score_results,
    weighted_total,
)
from kamrap.schema.models import CriteriaLevel, Export, Indicator

D = Decimal
OPTIONS = [ScoringOptions(below_lowest=rule) for rule in ("zero", "lowest", "extrapolate")]
# Seed 000 (agreement_ict_2564), indicator 1.1: ๖๕ ๗๐ ๗๕ ๘๐ ๘๕, higher is better.
SATISFACTION = [(1, D(65)), (2, D(70)), (3, D(75)), (4, D(80)), (5, D(85))]
# Seed 004 (agreement_bankruptcy2_2564), indicator 5.1: ๑๐ % ๘ % ๖ % ๔ % ๒ %, lower is better.
LATE_DATA = [(1, D(10)), (2, D(8)), (3, D(6)), (4, D(4)), (5, D(2))]
# Seed 000, indicator 5.1: "- - - ๑ ๒".
PROPOSALS = [(4, D(1)), (5, D(2))]


def _ict_indicator(code: str) -> Indicator:
    doc = expected_export("agreement_ict_2564")
    return Indicator.model_validate(next(i for i in doc["indicators"] if i["code"] == code))


# -- weighted totals ---------------------------------------------------------------------------------
def test_weighted_total_of_seed_002_hr_unit() -> None:
    # กองบริหารทรัพยากรบุคคล: Σ(score × weight) = 455 over weights summing to 100 → 4.5500.
    rows = [(5, 10), (4, 10), (5, 10), (5, 10), (None, None), (2, 5), (5, 5), (5, 10), (5, 5),
            (5, 5), (5, 5), (5, 5), (4, 5), (3, 5), (5, 5), (4, 3), (None, None), (4, 2)]
    total = weighted_total(rows)
    assert (total.score, total.weight) == (D("4.5500"), D(100))


def test_weighted_total_rounds_half_up_to_four_places() -> None:
    # 4.55005 is a tie at the fifth place: half-up gives 4.5501 (half-even would give 4.5500).
    assert weighted_total([(D("4.55005"), 1)]).score == D("4.5501")
    # 2 × 1 + 1 × 2 = 4 over 3 → 1.33333… → 1.3333.
    assert weighted_total([(2, 1), (1, 2)]).score == D("1.3333")


def test_weighted_total_reads_floats_exactly() -> None:
    # 4.55 as a float is 4.5499999…; read through its repr it stays 4.55.
    assert weighted_total([(4.55, 100)]).score == D("4.5500")


def test_weighted_total_of_nothing_scored() -> None:
    total = weighted_total([(None, 5), (3, None)])
    assert (total.score, total.weight) == (None, D(0))


# -- interpolation ---------------------------------------------------------------------------------
def test_interpolation_higher_is_better() -> None:
    assert interpolate(SATISFACTION, D("72.5"), True) == D("2.5000")  # halfway from 70 to 75
    assert interpolate(SATISFACTION, D(71), True) == D("2.2000")  # 2 + 1/5
    assert interpolate(SATISFACTION, D(85), True) == D(5)
    assert interpolate(SATISFACTION, D(99), True) == D(5)  # capped at the top level


def test_interpolation_lower_is_better() -> None:
    assert interpolate(LATE_DATA, D(5), False) == D("3.5000")  # halfway from 6% to 4%
    assert interpolate(LATE_DATA, D(10), False) == D(1)
    assert interpolate(LATE_DATA, D(0), False) == D(5)


def test_below_level_1_follows_the_option() -> None:
    zero, lowest, extrapolate = OPTIONS
    assert interpolate(SATISFACTION, D(60), True, zero) == D(0)
    assert interpolate(SATISFACTION, D(60), True, lowest) == D(1)
    # The 65 → 70 line continued down: 1 − 2.5/5 = 0.5 at 62.5, and 0 at 60 (never below 0).
    assert interpolate(SATISFACTION, D("62.5"), True, extrapolate) == D("0.5000")
    assert interpolate(SATISFACTION, D(50), True, extrapolate) == D(0)
    assert interpolate(LATE_DATA, D(12), False, zero) == D(0)


def test_dash_levels_are_not_thresholds() -> None:
    zero, _, extrapolate = OPTIONS
    assert interpolate(PROPOSALS, D(1), True) == D(4)
    assert interpolate(PROPOSALS, D("1.5"), True) == D("4.5000")
    assert interpolate(PROPOSALS, D(0), True, zero) == D(0)
    assert interpolate(PROPOSALS, D(0), True, extrapolate) == D(3)  # one level per proposal
    # A "-" between two numeric levels: 1 → 50, 3 → 70, so 60 scores 2.
    assert interpolate([(1, D(50)), (3, D(70))], D(60), True) == D(2)


def test_interpolation_needs_a_direction() -> None:
    with pytest.raises(ValueError, match="higher-is-better"):
        interpolate([(1, D(5)), (2, D(3))], D(4), True)


def test_bad_option_is_named() -> None:
    with pytest.raises(ValueError, match="below_lowest='floor'"):
        ScoringOptions(below_lowest="floor")  # type: ignore[arg-type]


# -- milestones and lookups ------------------------------------------------------------------------
def test_milestone_scores_the_highest_level_reached() -> None:
    assert milestone_score([1, 2, 3, 4, 5], D(3)) == D(3)
    assert milestone_score([1, 2, 3, 4, 5], D("3.9")) == D(3)
    assert milestone_score([1, 2, 3, 4, 5], D(0)) == D(0)
    assert milestone_score([1, 2, 3, 4, 5], D(7)) == D(5)
    assert milestone_score([3, 4, 5], D(2), OPTIONS[1]) == D(3)


def test_formula_lookup_of_seed_000_indicator_5_1() -> None:
    formula = _ict_indicator("5.1").details.formula
    assert formula_lookup(formula) == {D(0): D(1), D(1): D(3), D(2): D(4), D(3): D(5)}
    assert formula_lookup("จำนวนเรื่องที่เสนอ X ๑๐๐") is None  # a plain formula states no lookup
    assert formula_lookup(None) is None


def test_lookup_score() -> None:
    table = {D(0): D(1), D(1): D(3), D(2): D(4), D(3): D(5)}
    assert [lookup_score(table, D(n)) for n in range(5)] == [D(1), D(3), D(4), D(5), D(5)]
    assert lookup_score(table, D("1.5")) == D(3)  # the highest listed result reached
    assert lookup_score(table, D(-1)) == D(0)


def test_seed_000_indicator_5_1_formula_governs() -> None:
    indicator = _ict_indicator("5.1")
    # The formula: one proposal scores 3 (the table alone would give 4).
    one = score_indicator(indicator, 1)
    assert (one.score, one.method) == (D(3), "lookup")
    assert score_indicator(indicator, 0).score == D(1)
    table_rules = ScoringOptions(lookup_governs=False)
    governed_by_table = score_indicator(indicator, 1, table_rules)
    assert (governed_by_table.score, governed_by_table.method) == (D(4), "interpolation")


def test_seed_000_indicator_5_1_contradiction() -> None:
    contradiction = lookup_contradiction(_ict_indicator("5.1"))
    assert contradiction == ({D(1): D(4), D(2): D(5)}, {D(0): D(1), D(1): D(3), D(2): D(4), D(3): D(5)})
    assert lookup_contradiction(_ict_indicator("6.1")) is None  # "- - - ๑ ๒" with no lookup formula


def test_score_indicator_picks_the_rule() -> None:
    assert score_indicator(_ict_indicator("1.1"), D("72.5")).method == "interpolation"
    # 6.2: "๑ ๒ ๓ ๔ ๕" is a level reached: milestone.
    level = score_indicator(_ict_indicator("6.2"), D("3.5"))
    assert (level.score, level.method) == (D(3), "milestone")
    prose = Indicator(code="9.9", name="x", weight=5,
                      criteria=[CriteriaLevel(level=n, text="แจ้งเวียน") for n in range(1, 6)])
    assert score_indicator(prose, 4).score == D(4)
    none = score_indicator(Indicator(code="9.8", name="y"), 3)
    assert (none.score, none.note) == (None, "fewer than two numeric criteria levels")
    assert score_indicator(prose, None).note == "no result"


# -- results files and agreements --------------------------------------------------------------------
ICT = "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"


def test_read_results_csv_and_json(tmp_path: Path) -> None:
    csv_path = tmp_path / "results.csv"
    csv_path.write_text(f"organization,fiscal_year,code,result\n{ICT},๒๕๖๔,๑.๑,๗๒.๕\n{ICT},2564,5.1,\n",
                        encoding="utf-8")
    json_path = tmp_path / "results.json"
    json_path.write_text(json.dumps({"results": [
        {"organization": ICT, "fiscal_year": 2564, "code": "1.1", "result": 72.5},
        {"organization": ICT, "fiscal_year": 2564, "code": "5.1", "result": None}]}), encoding="utf-8")
    want = [ResultRecord(ICT, 2564, "1.1", D("72.5")), ResultRecord(ICT, 2564, "5.1", None)]
    assert read_results(csv_path) == want
    assert read_results(json_path) == want


def test_read_results_names_the_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    path.write_text(f"organization,fiscal_year,code,result\n{ICT},2564,1.1,80\n{ICT},2564,1.2,มาก\n",
                    encoding="utf-8")
    with pytest.raises(ResultsError, match=r"results.csv row 2: result 'มาก' is not a number"):
        read_results(path)
    with pytest.raises(ResultsError, match="unknown results format"):
        read_results(tmp_path / "results.xlsx")


def test_score_results_of_the_ict_agreement() -> None:
    export = Export.model_validate({**expected_export("agreement_ict_2564"), "findings": []})
    results = [ResultRecord(ICT, 2564, "1.1", D("72.5")),  # weight 10, score 2.5
               ResultRecord(ICT, 2564, "5.1", D(1)),  # weight 5, score 3 (formula)
               ResultRecord(ICT, 2564, "9.9", D(1)),  # no such indicator
               ResultRecord("กองอื่น", 2564, "2.1", D(5))]  # another unit: ignored
    scored = score_results(export, results)
    by_code = {s.code: s for s in scored.indicators}
    assert (by_code["1.1"].score, by_code["5.1"].score, by_code["2.1"].score) == (D("2.5000"), D(3), None)
    # (2.5 × 10 + 3 × 5) / 15 = 40 / 15 = 2.6666… → 2.6667
    assert (scored.total.score, scored.total.weight) == (D("2.6667"), D(15))
    assert scored.unknown_codes == ["9.9"]
    assert agreement_total(export.indicators, {"1.1": D("2.5"), "5.1": 3}) == scored.total
    agreements, unmatched = score_all([export], results)
    assert [a.file for a in agreements] == ["agreement_ict_2564.pdf"]
    assert unmatched == [("กองอื่น", 2564)]


# -- properties --------------------------------------------------------------------------------------
@st.composite
def numeric_criteria(draw: st.DrawFn) -> tuple[list[tuple[int, Decimal]], bool]:
    """Two to five numeric levels (the others "-"), values strictly rising or falling."""
    levels = sorted(draw(st.sets(st.integers(1, 5), min_size=2, max_size=5)))
    steps = draw(st.lists(st.integers(1, 50), min_size=len(levels), max_size=len(levels)))
    start = draw(st.integers(-100, 100))
    values = [D(start + sum(steps[:i + 1])) for i in range(len(levels))]
    higher = draw(st.booleans())
    if not higher:
        values = [-v for v in values]
    return list(zip(levels, values)), higher


results = st.decimals(min_value=-400, max_value=400, places=2, allow_nan=False, allow_infinity=False)


@given(numeric_criteria(), results, results, st.sampled_from(OPTIONS))
def test_score_never_decreases_as_the_result_improves(criteria, a, b, options) -> None:
    levels, higher = criteria
    worse, better = (min(a, b), max(a, b)) if higher else (max(a, b), min(a, b))
    assert interpolate(levels, worse, higher, options) <= interpolate(levels, better, higher, options)


@given(numeric_criteria(), results, st.sampled_from(OPTIONS))
def test_score_stays_within_bounds(criteria, result, options) -> None:
    levels, higher = criteria
    assert D(0) <= interpolate(levels, result, higher, options) <= D(5)


@given(numeric_criteria(), st.sampled_from(OPTIONS))
def test_score_equals_the_level_at_each_threshold(criteria, options) -> None:
    levels, higher = criteria
    for level, value in levels:
        assert interpolate(levels, value, higher, options) == D(level)


@given(st.lists(st.integers(0, 5), min_size=1, max_size=5, unique=True), results, results,
       st.sampled_from(OPTIONS))
def test_milestones_and_lookups_never_decrease(levels, a, b, options) -> None:
    low, high = min(a, b), max(a, b)
    milestones = [n for n in levels if n >= 1] or [1]
    assert milestone_score(milestones, low, options) <= milestone_score(milestones, high, options)
    table = {D(n): D(min(n + 1, 5)) for n in levels}
    assert lookup_score(table, low, options) <= lookup_score(table, high, options) <= D(5)


pairs = st.lists(st.tuples(
    st.one_of(st.none(), st.decimals(min_value=0, max_value=5, places=4)),
    st.one_of(st.none(), st.integers(0, 20))), max_size=25)


@given(pairs, st.randoms())
def test_totals_are_invariant_to_row_order(rows, rng) -> None:
    shuffled = list(rows)
    rng.shuffle(shuffled)
    assert weighted_total(rows) == weighted_total(shuffled)
