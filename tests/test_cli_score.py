"""`kamrap score` and `kamrap verify` on the ingested samples; numbers worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kamrap.cli import app
from kamrap.schema.store import Store

runner = CliRunner(env={"COLUMNS": "250"})
ICT = "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"


@pytest.fixture
def db(seed_db: Path) -> Path:
    """The seed samples ingested from a folder of their own (conftest: once per run; these
    tests only read it, or copy it)."""
    return seed_db


def test_score_results(db: Path, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text(
        "organization,fiscal_year,code,result\n"
        f"{ICT},2564,1.1,80\n"       # criteria 65 70 75 80 85: exactly level 4
        f"{ICT},๒๕๖๔,2.2,97\n"       # 95 → 4, 99 → 5: 4 + (97-95)/(99-95) = 4.5
        f"{ICT},2564,5.1,1\n"        # the formula governs: one item → 3
        f"{ICT},2564,2.1,4\n",       # milestone level 4 reached → 4
        encoding="utf-8")
    result = runner.invoke(app, ["score", str(results), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    (agreement,) = json.loads(result.stdout)  # stderr warns of the indicators without a result
    scores = {i["code"]: i["score"] for i in agreement["indicators"] if i["score"] is not None}
    assert scores == {"1.1": 4, "2.2": 4.5, "2.1": 4, "5.1": 3}
    # (4×10 + 4.5×10 + 3×5 + 4×5) / (10 + 10 + 5 + 5) = 120 / 30
    assert agreement["total"] == {"score": 4, "weight": 30}


def test_score_unknown_unit_exits_1(db: Path, tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    results.write_text(json.dumps([{"organization": "กองที่ไม่มี", "fiscal_year": 2564, "code": "1.1",
                                    "result": 1}], ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["score", str(results), "--db", str(db)])
    assert result.exit_code == 1
    assert "no ingested agreement for กองที่ไม่มี" in result.output


def test_score_bad_results_file(db: Path, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text("organization,code\nก,1.1\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(results), "--db", str(db)])
    assert result.exit_code == 2
    assert "missing fiscal_year, result" in result.output


def test_verify_clean_samples(db: Path) -> None:
    result = runner.invoke(app, ["verify", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)
    assert not [f for f in findings if f["severity"] == "error"]
    assert {(f["kind"], f["code"]) for f in findings} >= {("code_mismatch", "6.2"),
                                                          ("criteria_formula_mismatch", "5.1")}


def test_verify_flags_an_altered_total(db: Path, tmp_path: Path) -> None:
    altered = tmp_path / "altered.db"
    altered.write_bytes(db.read_bytes())
    with Store(altered) as store:
        (doc,) = [d for d in store.documents() if d["kind"] == "score_summary"]
        export = store.load_export(doc["id"])
    summary = export.score_summaries[2]
    summary.reported_total.score = 4.56  # printed 4.5500; the rows give 455 / 100
    from kamrap.normalize.verify import document_findings

    export.findings = document_findings(export)
    with Store(altered) as store:
        store.save(doc["path"], export)
    result = runner.invoke(app, ["verify", "--db", str(altered), "--json"])
    assert result.exit_code == 1
    mismatches = [f for f in json.loads(result.output) if f["kind"] == "total_mismatch"]
    assert len(mismatches) == 1
    assert (mismatches[0]["expected"], mismatches[0]["actual"]) in ((4.55, 4.56), ("4.5500", "4.5600"))
