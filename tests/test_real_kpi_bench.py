"""The comparison rules of bench/real_kpi.py, on small hand-worked truth/export pairs."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH_PATH = Path(__file__).resolve().parent.parent / "bench" / "real_kpi.py"


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("real_kpi_bench", BENCH_PATH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


def test_norm_text_folds_digits_and_whitespace() -> None:
    assert bench.norm_text("ปี ๒๕๖๔\n") == "ปี2564"
    assert bench.norm_text("e\u0301 x") == "\u00e9x"  # NFC composes
    assert bench.norm_text(None) is None


@pytest.mark.parametrize(("value", "number"), [
    ("ร้อยละ 92.5", 92.5), ("1,000", 1000.0), ("๘๐%", 80.0), (7, 7.0),
    ("ไม่น้อยกว่า 85", None), ("-", None), (True, None), (None, None),
])
def test_to_number(value: object, number: float | None) -> None:
    assert bench.to_number(value) == number


@pytest.mark.parametrize(("truth", "got", "equal"), [
    ("ร้อยละ 92.5", 92.5, True),      # a text truth stating a number equals that number
    (80, 80.0000001, True),           # within 1e-6
    (80, 81, False),                  # a wrong number
    ("-", None, True),                # "-" is earned by null ...
    ("-", "-", False),                # ... not by "-" (the export contract turns it into null)
    (None, None, True),
    (None, 0, False),
    ("ขั้นตอนที่ 1-3", "ขั้นตอนที่ 1 - 3", True),  # text without whitespace
    ("ร้อยละ", None, False),
])
def test_values_equal(truth: object, got: object, equal: bool) -> None:
    assert bench.values_equal(truth, got) is equal


def test_match_by_name_ignores_whitespace_and_digits() -> None:
    truth = [{"name": "ร้อยละของเด็กมีพัฒนาการสมวัย"}, {"name": "อัตราส่วนการตายมารดา ๑"},
             {"name": "จำนวนนักศึกษา"}, {"name": None}]
    exported = [{"name": "อัตราส่วนการ ตายมารดา 1"}, {"name": "ร้อยละของเด็กมีพัฒนาการสมวัย"}]
    assert bench.match_indicators(truth, exported) == {0: 1, 1: 0}


def test_match_is_one_to_one_and_code_breaks_ties() -> None:
    truth = [{"code": "1", "name": "ตัวบ่งชี้ที่ 1"}]
    exported = [{"code": "2", "name": "ตัวบ่งชี้ที่ 1"}, {"code": "1", "name": "ตัวบ่งชี้ที่ 1"}]
    assert bench.match_indicators(truth, exported) == {0: 1}
    two = [{"name": "จำนวนบุคลากร"}, {"name": "จำนวนบุคลากร"}]
    assert bench.match_indicators(two, [{"name": "จำนวนบุคลากร"}]) == {0: 0}


def test_dict_points_null_key_and_wrong_value() -> None:
    truth = {"6": "ร้อยละ 92.5", "12": None}  # round 12 not reported yet
    assert bench.dict_points(truth, {"6": 92.5}) == (2, 2)  # "12" absent: earned
    assert bench.dict_points(truth, {"6": 92.5, "12": None}) == (2, 2)
    assert bench.dict_points(truth, {"6": 90, "12": 5}) == (0, 2)
    assert bench.dict_points(truth, None) == (1, 2)


def test_dict_points_dash_target() -> None:
    truth = {"3": "-", "12": "ร้อยละ 85"}
    assert bench.dict_points(truth, {"3": None, "12": 85}) == (2, 2)
    assert bench.dict_points(truth, {"3": "-", "12": "ร้อยละ 85"}) == (1, 2)


def test_target_points_candidates() -> None:
    assert bench.target_points(15, {"target_value": 15}) == (1, 1)
    assert bench.target_points(15, {"target_level": 15.0}) == (1, 1)
    assert bench.target_points(15, {"targets_by_round": {"12": 15}}) == (1, 1)
    assert bench.target_points(15, {"target": "ร้อยละ 15"}) == (1, 1)
    assert bench.target_points(15, {"target": "ไม่เกิน 15"}) == (0, 1)  # not a number on its own
    assert bench.target_points(15, {"targets_by_year": {"2564": 15, "2565": 16}}) == (0, 1)  # not single
    assert bench.target_points("-", {"target_value": None}) == (1, 1)


def test_baseline_points_per_year() -> None:
    truth = [{"fiscal_year": 2556, "value": 22.2}, {"fiscal_year": 2557, "value": None, "printed": "-"},
             {"fiscal_year": None, "value": 21.86}]  # no year: not scored
    assert bench.baseline_points(truth, {"baseline": [{"fiscal_year": 2556, "value": 22.2}]}) == (2, 2)
    in_details = {"baseline": [{"fiscal_year": 2556, "value": 2.22}],
                  "details": {"baseline": [{"fiscal_year": 2556, "value": 22.2}]}}
    assert bench.baseline_points(truth, in_details) == (2, 2)
    wrong = {"baseline": [{"fiscal_year": 2556, "value": 23}, {"fiscal_year": 2557, "value": 9.5}]}
    assert bench.baseline_points(truth, wrong) == (0, 2)


def test_criteria_points_per_level() -> None:
    truth = [{"level": 1, "text": ">7.4"}, {"level": 5, "text": "≤6.5"}]
    assert bench.criteria_points(truth, {"criteria": [{"level": 1, "text": "> 7.4"},
                                                      {"level": 5, "text": "≤ 6.5"}]}) == (2, 2)
    assert bench.criteria_points(truth, {"criteria": [{"level": 1, "text": ">7.4"},
                                                      {"level": 5, "value": 6.5}]}) == (1, 2)
    twice = [{"level": 5, "text": "A"}, {"level": 5, "text": "A"}]
    assert bench.criteria_points(twice, {"criteria": [{"level": 5, "text": "A"}]}) == (1, 2)


def test_totals_points_only_for_score_summaries() -> None:
    truth = {"kind": "score_summary", "totals": [{"value": 4.3, "page": 2}, {"value": 4.44, "page": 3},
                                                  {"value": None, "printed": "-", "page": 3}]}
    export = {"score_summaries": [{"reported_total": {"score": 4.3}, "reported_total_page": 2},
                                  {"reported_total": {"score": 4.44}, "reported_total_page": 4}]}
    assert bench.totals_points(truth, export) == (1, 2)  # 4.44 is printed on page 3, not 4
    assert bench.totals_points({"kind": "agreement", "totals": [{"value": 100}]}, export) is None


def test_field_points_unmatched_and_not_given() -> None:
    truth = {"name": "x", "weight": 5, "targets_by_year": {"2564": 1, "2565": None}, "unit": None}
    assert bench.field_points("targets_by_year", truth, None) == (0, 2)  # unmatched: no free points
    assert bench.field_points("unit", truth, {"unit": "คน"}) is None
    assert bench.field_points("weight", {"weight": "-"}, {"weight": None}) == (1, 1)


TRUTH = {
    "kind": "score_summary", "producer": "Word",
    "indicators": [
        {"code": "1", "name": "ร้อยละของเด็กมีพัฒนาการสมวัย", "unit": "ร้อยละ", "target_value": 85,
         "targets_by_round": {"3": "-", "6": "ร้อยละ 85"}, "responsible": "กรมอนามัย",
         "baseline": [{"fiscal_year": 2555, "value": 67.7}, {"fiscal_year": 2556, "value": None, "printed": "-"}]},
        {"code": "2", "name": "ตัวบ่งชี้ที่ 2.4", "score": 4, "weight": None},
        {"code": "3", "name": "อัตราส่วนการตายมารดา", "weight": 5},  # not exported
        {"code": None, "name": None, "score": 3},  # a row without a name: not scored
    ],
    "totals": [{"value": 4.3, "page": 2}, {"value": 4.44, "page": 3}],
}
EXPORT = {
    "document": {"file": "doc.pdf", "kind": "score_summary"},
    "indicators": [{"code": "1", "name": "ร้อยละของเด็ก มีพัฒนาการสมวัย", "unit": "ร้อยละ", "target": "ร้อยละ 85",
                    "targets_by_round": {"3": None, "6": 85}, "responsible": "กรมอนามัย",
                    "baseline": [{"fiscal_year": 2555, "value": 67.7}]}],
    "score_summaries": [{"rows": [{"code": "2.4", "name": "ตัวบ่งชี้ที่ 2.4", "score": 3, "status": "scored"}],
                         "reported_total": {"score": 4.3}, "reported_total_page": 2}],
}
# Worked by hand: indicator 1 earns all 9 (name, code, unit, target via "ร้อยละ 85", both rounds,
# both baseline years, responsible); 2.4 earns its name only (code "2" != "2.4", score 4 != 3);
# indicator 3 loses name, code, weight; totals 4.3 yes, 4.44 no. 11 of 17.
EXPECTED = {"name": (2, 3), "code": (1, 3), "unit": (1, 1), "weight": (0, 1), "target_value": (1, 1),
            "targets_by_round": (2, 2), "baseline": (2, 2), "score": (0, 1), "responsible": (1, 1),
            "totals": (1, 2)}


def _check(result: Any) -> None:
    assert result.matched == 2 and result.truth_indicators == 3 and result.kind_ok
    got = {k: (v.points, v.possible) for k, v in result.fields.items() if v.possible}
    assert got == EXPECTED
    assert (result.total.points, result.total.possible) == (11, 17)


def test_score_document_by_hand() -> None:
    _check(bench.score_document("doc", TRUTH, EXPORT))


def test_score_document_without_export_scores_zero() -> None:
    result = bench.score_document("doc", TRUTH, None)
    assert result.exported_kind is None and not result.kind_ok
    assert result.total.points == 0 and result.total.possible == 17


@pytest.fixture
def synthetic(tmp_path: Path) -> tuple[Path, Path]:
    folder, exports = tmp_path / "truth", tmp_path / "exports"
    folder.mkdir()
    exports.mkdir()
    (folder / "doc.truth.json").write_text(json.dumps(TRUTH, ensure_ascii=False), encoding="utf-8")
    (exports / "doc.json").write_text(json.dumps(EXPORT, ensure_ascii=False), encoding="utf-8")
    scan = {"kind": "action_plan", "producer": "scan (JPEG)", "indicators": [{"name": "จำนวน", "unit": "คน"}]}
    (folder / "scanned.truth.json").write_text(json.dumps(scan, ensure_ascii=False), encoding="utf-8")
    return folder, exports


def test_bench_documents_on_synthetic_pair(synthetic: tuple[Path, Path]) -> None:
    folder, exports = synthetic
    results = bench.bench_documents(folder, exports=exports)
    assert [r.stem for r in results] == ["doc", "scanned"]
    _check(results[0])
    assert results[1].scan and results[1].exported_kind is None and results[1].error == "scanned.json missing"
    assert [r.stem for r in bench.bench_documents(folder, exports=exports, only="born")] == ["doc"]


def test_cli_output_and_min_accuracy(synthetic: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    folder, exports = synthetic
    monkeypatch.setattr(bench, "SCORE_PY", folder / "no-score.py")  # tests never need ../shared
    base = ["--folder", str(folder), "--exports", str(exports)]
    assert bench.main(base + ["--only", "born", "--min-accuracy", "0.6"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "real_field_accuracy=0.6471"  # 11/17
    assert lines[1].split()[:6] == ["doc", "born", "score_summary", "score_summary", "ok", "2/3"]
    assert bench.main(base + ["--only", "born", "--min-accuracy", "0.7"]) == 1
    capsys.readouterr()
    assert bench.main(base + ["--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["real_field_accuracy"] == pytest.approx(11 / 19)  # the scan has no export: 0 of 2
    assert data["born_field_accuracy"] == pytest.approx(11 / 17)
    assert data["documents"][0]["kind_ok"] and data["score_py_real_field_accuracy"] is None


def test_match_prefers_the_truth_page() -> None:
    """Rows that share a name pair with the row on the truth's page, even when another page's
    row reads the name exactly and this one with a letter misread."""
    truth = [{"name": "ความพึงพอใจ", "page": 4}, {"name": "ความพึงพอใจ", "page": 5}]
    exported = [{"name": "ความพึงพอใจ", "pages": [5]}, {"name": "ความพึงพอไจ", "pages": [4]}]
    assert bench.match_indicators(truth, exported) == {0: 1, 1: 0}
