"""Details printed as a ruled label | value form (parsers/details.py), on the Ministry of
Public Health's KPI template (tests/fixtures/real_kpi/moph_kpi_template_2559_p1-20.pdf). The
expected values are those of the page, as its hand-read truth file records them (and checked
on the rendered pages 1 and 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import once_per_run, pages_once
from kamrap.normalize.canonical import to_export
from kamrap.parsers.document import parse_pages
from kamrap.schema.models import Export, TableMethod

PDF = Path(__file__).resolve().parent / "fixtures" / "real_kpi" / "moph_kpi_template_2559_p1-20.pdf"


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Export:
    """Parsed once per run (conftest.once_per_run: one xdist worker parses, the others read)."""
    return once_per_run(tmp_path_factory, "forms-moph",
                        lambda folder: to_export(parse_pages(pages_once(tmp_path_factory, PDF)), PDF.name, ""))


def test_one_record_per_indicator_label(export: Export) -> None:
    assert export.document.kind == "indicator_details"
    assert [i.code for i in export.indicators] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    first = export.indicators[0]
    assert first.name == "อัตราส่วนการตายมารดา"
    assert first.sources[0].method == TableMethod.form and first.pages == [1, 2]


def test_fields_of_indicator_1(export: Export) -> None:
    first = export.indicators[0]
    assert first.target == "ไม่เกิน 15 ต่อการเกิดมีชีพแสนคน" and first.target_value == 15
    # the unit is the baseline table's หน่วยวัด cell
    assert first.unit == "อัตราส่วนการตายมารดาต่อการเกิด มีชีพ 100,000 คน"
    assert first.targets_by_round == {"3": None, "6": None, "9": None, "12": "ไม่เกิน 15 ต่อการเกิดมีชีพแสนคน"}
    assert first.details is not None
    assert [(b.fiscal_year, b.value) for b in first.details.baseline] == [(2556, 22.2), (2557, 23.3), (2558, 11.83)]
    assert first.details.target_population == "หญิงตั้งครรภ์ หญิงคลอด มารดาหลังคลอด"
    assert len(first.details.data_items) == 2 and first.details.data_items[1].startswith("B =")
    assert first.details.evaluation_period == "ทุก 3 เดือน"


def test_baseline_with_a_dash_and_targets_per_round_of_indicator_2(export: Export) -> None:
    second = export.indicators[1]
    assert second.unit == "ร้อยละ" and second.target_value == 85
    assert second.targets_by_round == {"3": None, "6": 85, "9": None, "12": 85}
    assert second.details is not None
    assert [(b.fiscal_year, b.value) for b in second.details.baseline] == [(2555, 67.7), (2556, None), (2558, 72.5)]
