"""The real KPI documents agencies publish (tests/fixtures/real_kpi, with hand-read truth): each
born-digital one is classified right and read to at least its floor of field accuracy, measured
by bench/real_kpi.py's comparison with the truth. A floor only goes up: when a change lowers a
document below it, the change is wrong (or the floor was, and the note says why)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from conftest import once_per_run
from kamrap.schema.models import Export

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "real_kpi"

# Field accuracy each born-digital document must reach (the issue asks 0.90 of every one).
FLOORS = {
    "chonburi_kpi_weights_2564": 0.95,  # agreement-like KPI list, PowerPoint slides
    "rbru_action_2554_r6": 0.95,  # action-plan report, Excel
    "rbru_qa_2553": 0.95,  # internal QA scores, Word
    "ycph_nursing_kpi_2564-2567_p38-40": 0.95,  # targets and results by year, Word
    "moph_kpi_template_2559_p1-20": 0.90,  # KPI template: ruled details forms
}


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("real_kpi_bench", ROOT / "bench" / "real_kpi.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _bench_born(folder: Path) -> tuple[dict[str, object], dict[str, Export]]:
    """Each born-digital document parsed once, as the bench parses it (`export_pdf`), written
    where the bench reads exports from, and scored from there; the exports kept for the tests
    below that look at one document's records."""
    bench = _bench()
    exports = {}
    for stem in bench.load_truths(FIXTURES, only="born"):
        data = bench.export_pdf(FIXTURES / f"{stem}.pdf")
        (folder / f"{stem}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        exports[stem] = Export.model_validate(data)
    results = bench.bench_documents(FIXTURES, exports=folder, only="born")
    assert not [r.stem for r in results if r.scan]
    return {r.stem: r for r in results}, exports


@pytest.fixture(scope="module")
def benched(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], dict[str, Export]]:
    """The born-digital documents only: the scan (half a minute of OCR) has no floor here and
    none of these tests reads its result (`python bench/real_kpi.py --only scan` scores it).
    Benched once per run (conftest.once_per_run: one xdist worker benches, the others read)."""
    _bench()  # the results' classes, for reading them back
    return once_per_run(tmp_path_factory, "real-kpi-bench", _bench_born)


@pytest.fixture(scope="module")
def results(benched: tuple[dict[str, object], dict[str, Export]]) -> dict[str, object]:
    return benched[0]


@pytest.fixture(scope="module")
def exports(benched: tuple[dict[str, object], dict[str, Export]]) -> dict[str, Export]:
    return benched[1]


def test_every_born_digital_document_is_benched(results: dict[str, object]) -> None:
    assert sorted(results) == sorted(FLOORS)


@pytest.mark.parametrize("stem", sorted(FLOORS))
def test_document_kind(stem: str, results: dict[str, object]) -> None:
    result = results[stem]
    assert result.kind_ok, (result.truth_kind, result.exported_kind)


@pytest.mark.parametrize("stem", sorted(FLOORS))
def test_field_accuracy_floor(stem: str, results: dict[str, object]) -> None:
    result = results[stem]
    assert result.error is None, result.error
    assert result.total.accuracy >= FLOORS[stem], (stem, result.total, result.fields)


def test_qa_average_that_does_not_match_its_rows_is_flagged(exports: dict[str, Export]) -> None:
    """rbru_qa_2553 p.9–10: 43 indicator scores under ตารางที่ ป.1 (ต่อ) average 190/43 = 4.42,
    but the page prints 4.44 (read by eye; the truth file's notes say the same). The first
    table (p.8, 10 rows: 4+4+5+4+5+4+5+4+5+3 = 43 → 4.3) prints 4.3 and is right."""
    export = exports["rbru_qa_2553"]
    summaries = [(s.pages, len(s.rows), s.reported_total.score if s.reported_total else None)
                 for s in export.score_summaries]
    assert summaries == [([8], 10, 4.3), ([9, 10], 43, 4.44)]
    mismatches = [(f.expected, f.actual, f.page) for f in export.findings if f.kind == "total_mismatch"]
    assert mismatches == [(4.42, 4.44, 10)]


def test_details_criteria_tables_per_scope(exports: dict[str, Export]) -> None:
    """moph_kpi_template_2559 p.11 (read by eye): indicator 5 is scored by two A(5.00)..E(1.00)
    tables, each under an underlined heading (เป้าหมายระดับประเทศ, เป้าหมายระดับเขตสุขภาพ/จังหวัด);
    p.18: indicator 7 by two คะแนน 1–5 tables inside วิธีการประเมินผล, each under a paragraph
    opening with a bold run-in term (ส่วนกลาง, ระดับเขตบริการสุขภาพ). Indicator 4 (p.8) has one
    table: its levels carry no scope."""
    export = exports["moph_kpi_template_2559_p1-20"]
    by_code = {i.code: i for i in export.indicators}
    five = [(c.scope, c.level, c.text) for c in by_code["5"].criteria]
    assert five[:4] == [("เป้าหมายระดับประเทศ", 5, "≤ 45"), ("เป้าหมายระดับประเทศ", 4, "44.9-49.9"),
                        ("เป้าหมายระดับประเทศ", 3, "50.0-54.9"), ("เป้าหมายระดับประเทศ", 2, "55.0-59.9")]
    assert five[5] == ("เป้าหมายระดับเขตสุขภาพ/จังหวัด", 5, "อัตราการคลอดปี 2558 ลดลงมากกว่า 5.0 ขึ้นไป")
    assert [c.level for c in by_code["5"].criteria] == [5, 4, 3, 2, 1, 5, 4, 3, 2, 1]
    seven = [(c.scope, c.level, c.text) for c in by_code["7"].criteria]
    assert seven[:2] == [("ส่วนกลาง", 1, "≥18"), ("ส่วนกลาง", 2, "≥17.5")]
    assert seven[5] == ("ระดับเขตบริการสุขภาพ", 1, "≤ 14% จากค่า base line ค่ามัธยฐาน 3 ปี (ปี 53-55)")
    assert [(c.scope, c.level, c.text) for c in by_code["4"].criteria][:2] == [(None, 1, ">7.4"), (None, 2, ">7.1 - 7.4")]
    assert by_code["8"].criteria == []  # no เกณฑ์การประเมิน table
