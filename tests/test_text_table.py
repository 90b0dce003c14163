"""Agreement tables without ruling lines: the sample agreements with every drawn line removed
(pikepdf) still give the same indicator rows, rebuilt from where the words stand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from conftest import SAMPLES, expected_export, once_per_run
from kamrap.ingest.parse_job import parse_file

# Path construction and painting operators: removing them leaves the text and no ruling lines.
PATH_OPERATORS = {"re", "m", "l", "c", "v", "y", "h", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n",
                  "W", "W*"}
TABLE_FIELDS = ("code", "name", "dimension", "dimension_weight", "perspective", "objective_no",
                "objective", "weight", "target_level", "criteria", "direction", "remark")


def without_lines(source: Path, target: Path) -> Path:
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            kept = [(operands, op) for operands, op in pikepdf.parse_content_stream(page)
                    if str(op) not in PATH_OPERATORS]
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        pdf.save(target)
    return target


@pytest.fixture(scope="module")
def lineless(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], tuple[Path, dict]]:
    """`stem` → (its copy without lines, that copy's export), made once per run
    (conftest.once_per_run): the rows and the details tests read the same copies."""
    def made(stem: str) -> tuple[Path, dict]:
        def build(folder: Path) -> tuple[Path, dict]:
            pdf_path = without_lines(SAMPLES / f"{stem}.pdf", folder / f"{stem}.pdf")
            return pdf_path, parse_file(pdf_path, "0" * 64).model_dump(mode="json")
        return once_per_run(tmp_path_factory, f"lineless-{stem}", build)
    return made


@pytest.mark.parametrize("stem", ["agreement_ict_2564", "agreement_bankruptcy2_2564"])
def test_rows_from_word_positions(stem: str, lineless: Callable[[str], tuple[Path, dict]]) -> None:
    pdf_path, export = lineless(stem)
    with pdfplumber.open(pdf_path) as pdf:
        assert not pdf.pages[1].find_tables(), "the copy must have no ruled table left"

    assert export["document"]["kind"] == "agreement"
    expected = expected_export(stem)["indicators"]
    got = {i["code"]: i for i in export["indicators"]}
    assert list(got) == [i["code"] for i in expected]
    for want in expected:
        if stem == "agreement_bankruptcy2_2564" and want["code"] in ("2.2", "2.3"):
            # Known limit: without lines, a criteria cell merged down over 2.1–2.3 cannot be
            # told from empty cells; the rows below the text come out without criteria.
            assert got[want["code"]]["criteria"] == []
            continue
        for field in TABLE_FIELDS:
            assert got[want["code"]][field] == want[field], (want["code"], field)


@pytest.mark.skipif(not (SAMPLES / "score_summary_led_2563.pdf").exists(), reason="sample PDF not built")
def test_score_summaries_from_word_positions(tmp_path: Path) -> None:
    # seed 002 without a ruling line: six unit tables over 18 pages, rows wrapped over two
    # lines, "รายงานรอบ ๑๒ | เดือน" in the score column, total rows with the year wrapped
    # under the label, headers repeated on continuation pages
    stem = "score_summary_led_2563"
    pdf_path = without_lines(SAMPLES / f"{stem}.pdf", tmp_path / f"{stem}.pdf")
    with pdfplumber.open(pdf_path) as pdf:
        assert not pdf.pages[0].find_tables(), "the copy must have no ruled table left"

    export = parse_file(pdf_path, "0" * 64).model_dump(mode="json")

    expected = expected_export(stem)
    got = export["score_summaries"]
    assert [s["organization"] for s in got] == [s["organization"] for s in expected["score_summaries"]]
    for want, summary in zip(expected["score_summaries"], got):
        for field, value in want.items():
            if field == "rows":
                assert [r["code"] for r in summary["rows"]] == [r["code"] for r in value]
                for want_row, got_row in zip(value, summary["rows"]):
                    assert {k: got_row[k] for k in want_row} == want_row, (want["organization"], want_row["code"])
            elif field == "weight_transfers":
                assert [{k: t[k] for k in w} for t, w in zip(summary[field], value)] == value
            else:
                assert summary[field] == value, (want["organization"], field)
    assert export["findings"] == []  # every total reproduced, every footnote accounted for


@pytest.mark.parametrize("stem", ["agreement_ict_2564", "agreement_bankruptcy2_2564", "details_moi_2556"])
def test_details_tables_from_word_positions(stem: str, lineless: Callable[[str], tuple[Path, dict]]) -> None:
    # criteria tables (ระดับคะแนน | เกณฑ์…, ระดับ/คะแนน | กิจกรรม; levels wrapped, split by a
    # page break under a repeated header) and baseline tables (years over values, with a
    # หน่วยวัด column heading that is not the unit field) without ruling lines
    _, export = lineless(stem)

    got = {i["code"]: i for i in export["indicators"]}
    with_details = [i for i in expected_export(stem)["indicators"] if i.get("details")]
    assert with_details
    for want in with_details:
        assert got[want["code"]]["unit"] == want["unit"], want["code"]
        for key, value in want["details"].items():
            assert got[want["code"]]["details"][key] == value, (want["code"], key)


@pytest.mark.skipif(not (SAMPLES / "action_plan_opdc_2565.pdf").exists(), reason="sample PDF not built")
def test_action_plan_from_word_positions(tmp_path: Path) -> None:
    # seed 003's ten-column plan table without lines: a header over four lines, group rows
    # ("C : …" running over the unit and level columns), several people per row, rows split
    # by a page break under a repeated header
    stem = "action_plan_opdc_2565"
    pdf_path = without_lines(SAMPLES / f"{stem}.pdf", tmp_path / f"{stem}.pdf")

    export = parse_file(pdf_path, "0" * 64).model_dump(mode="json")

    expected = expected_export(stem)["indicators"]
    got = export["indicators"]
    assert [i["code"] for i in got] == [i["code"] for i in expected]
    for want, row in zip(expected, got):
        for field in ("name", "dimension", "unit", "responsible", "targets_by_round", "criteria"):
            assert row[field] == want[field], (want["code"], field)
