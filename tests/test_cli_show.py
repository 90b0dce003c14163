"""`show`, `verify` and `score` as a user meets them, and the library API they are clients of.

The altered sample (samples/altered/, built by samples/build_altered.py) prints indicator 2.1 of
กองบริหารทรัพยากรบุคคล as 5.0000 where the seed prints 4.0000; worked out by hand: the rows gave
455 over weight 100 (printed 4.5500), 2.1 weighs 10, so they now give 465 / 100 = 4.6500."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kamrap
from conftest import SAMPLES, expected_export
from kamrap.cli import app, wrap_words

runner = CliRunner(env={"COLUMNS": "100"})
ALTERED = SAMPLES / "altered" / "score_summary_led_2563_altered.pdf"
HR = "กองบริหารทรัพยากรบุคคล"
ICT = "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"


@pytest.fixture
def db(seed_altered_db: Path) -> Path:
    """The seed samples and ALTERED ingested from one folder (conftest: once per run; these
    tests only read it, or copy it)."""
    return seed_altered_db


def test_show_a_score_summary_with_printed_and_recomputed_totals(db: Path) -> None:
    result = runner.invoke(app, ["show", ALTERED.name, "--db", str(db)])
    assert result.exit_code == 0, result.output
    expected = expected_export("score_summary_led_2563")["score_summaries"]
    for summary in expected:
        assert f"score summary {summary['organization']}" in result.output
    assert "printed total: 4.55 over weight 100; recomputed: 4.65 over weight 100  (DIFFERENT)" in result.output
    assert "printed total: 4.8 over weight 100; recomputed: 4.8 over weight 100  (they agree)" in result.output
    assert "footnote: weight 10 of 2.4 moved to 2.2, 2.3" in result.output
    assert "total_mismatch" in result.output


def test_show_wraps_thai_between_words(db: Path) -> None:
    result = runner.invoke(app, ["show", "agreement_bankruptcy2_2564.pdf", "--db", str(db)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    # the name as printed, whole on its line (it was cut ร้อยละความพึ|งพอใจ)
    assert "ร้อยละความพึงพอใจของผู้รับบริการ" in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80 + 40  # marks take no cell
    # widths in terminal cells: Thai marks above and below take none ("ร้อยละความพึงพอใจ" is 15)
    assert wrap_words("ร้อยละความพึงพอใจของผู้รับบริการ", 16) == "ร้อยละความพึงพอใจ\nของผู้รับบริการ"
    assert wrap_words("ระบบการบังคับคดี (ขาย)", 16) == "ระบบการบังคับคดี\n(ขาย)"
    # lines that fit come back as they are, spaces at their end dropped, the indent after each break
    assert wrap_words("ร้อยละ\n  ของ  ", 16, "  ") == "ร้อยละ\n    ของ"


def test_show_details_and_action_plan_rounds(db: Path) -> None:
    details = runner.invoke(app, ["show", "details_moi_2556.pdf", "--db", str(db)])
    assert details.exit_code == 0, details.output
    indicator = expected_export("details_moi_2556")["indicators"][0]
    assert f"details {indicator['code']} {indicator['name']}" in details.output
    assert "description: " in details.output
    plan = runner.invoke(app, ["show", "action_plan_opdc_2565.pdf", "--db", str(db)])
    assert plan.exit_code == 0, plan.output
    rounds = expected_export("action_plan_opdc_2565")["indicators"][0]["targets_by_round"]
    assert "targets by round" in plan.output
    assert all(f"{r}: {v}" in plan.output for r, v in rounds.items())


def test_show_json_and_csv(db: Path) -> None:
    shown = runner.invoke(app, ["show", "agreement_ict_2564.pdf", "--db", str(db), "--json"])
    assert shown.exit_code == 0, shown.output
    (export,) = json.loads(shown.stdout)
    assert [i["code"] for i in export["indicators"]] == [i["code"] for i in expected_export("agreement_ict_2564")["indicators"]]
    table = runner.invoke(app, ["show", "agreement_ict_2564.pdf", "--db", str(db), "--csv"])
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    row = next(r for r in rows if r["code"] == "2.2")
    assert (row["weight"], row["level_1"], row["level_5"]) == ("10", "๘๐%", "มากกว่า ๙๙%")


def test_markup_in_a_file_name_is_printed_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    name = "[red]รายงาน [bold]ปี ๖๔.pdf"
    shutil.copy(SAMPLES / "agreement_ict_2564.pdf", folder / name)
    db = tmp_path / "k.db"
    ingested = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "-v"])
    assert ingested.exit_code == 0, ingested.output
    assert name in ingested.output
    shown = runner.invoke(app, ["show", name, "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines()[0].startswith(name + "  agreement")
    verified = runner.invoke(app, ["verify", "--db", str(db)])
    assert name in verified.output


def test_verify_finds_the_altered_total_and_recomputes_after_a_correction(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["verify", "--db", str(db), "--json"])
    assert result.exit_code == 1
    errors = [f for f in json.loads(result.stdout) if f["severity"] == "error"]
    assert [(f["file"], f["kind"], f["organization"], f["expected"], f["actual"], f["page"]) for f in errors] == [
        (ALTERED.name, "total_mismatch", HR, 4.65, 4.55, 8)]
    # the score corrected in the database: verify checks it as it is now
    fixed = tmp_path / "fixed.db"
    shutil.copy(db, fixed)
    conn = sqlite3.connect(fixed)
    conn.execute("UPDATE score_rows SET score = 4 WHERE code = '2.1' AND summary_id = ("
                 "SELECT s.id FROM score_summaries s JOIN documents d ON d.id = s.document_id "
                 "WHERE d.file = ? AND s.organization = ?)", [ALTERED.name, HR])
    conn.commit()
    conn.close()
    again = runner.invoke(app, ["verify", "--db", str(fixed), "--json"])
    assert again.exit_code == 0, again.output
    assert not [f for f in json.loads(again.stdout) if f["severity"] == "error"]


def test_score_folds_digits_and_warns_about_missing_results(db: Path, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    # the agreement prints กองบังคับคดีล้มละลาย ๒; 1.1's criteria ๖๕ ๗๐ ๗๕ ๘๐ ๘๕: 75 is level 3
    results.write_text("organization,fiscal_year,code,result\nกองบังคับคดีล้มละลาย 2,2564,1.1,75\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(results), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    (agreement,) = json.loads(result.stdout)
    assert agreement["organization"] == "กองบังคับคดีล้มละลาย ๒"
    assert agreement["total"] == {"score": 3, "weight": 10}  # 3 × 10 / 10
    count = len(expected_export("agreement_bankruptcy2_2564")["indicators"])
    assert len(agreement["without_result"]) == count - 1
    assert f"warning: {count - 1} of {count} indicators have no result" in result.output


def test_score_template_and_the_example_results(db: Path, tmp_path: Path) -> None:
    template = tmp_path / "fill.csv"
    result = runner.invoke(app, ["score", "--template", str(template), "--db", str(db)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(template.open(encoding="utf-8-sig")))
    agreements = ("agreement_ict_2564", "agreement_bankruptcy2_2564")
    assert len(rows) == sum(len(expected_export(s)["indicators"]) for s in agreements)
    assert {r["result"] for r in rows} == {""}
    # the example shipped in samples/, worked out by hand from the agreement's criteria:
    # 1.1 82.5 between 80 (4) and 85 (5): 4.5 × 10; 2.4 92 between 90 (3) and 95 (4): 3.4 × 5;
    # 3.1 100: 5 × 10; 4.2 4 is level 3 (2 3 4 5 6): 3 × 10; 5.1 lower is better, 5 between 6 (3)
    # and 4 (4): 3.5 × 7. (45 + 17 + 50 + 30 + 24.5) / 42 = 166.5 / 42 = 3.96428… → 3.9643
    example = runner.invoke(app, ["score", str(SAMPLES / "results_example.csv"), "--db", str(db), "--json"])
    assert example.exit_code == 0, example.output
    (scored,) = json.loads(example.stdout)
    assert (scored["organization"], scored["total"]) == ("กองบังคับคดีล้มละลาย ๒", {"score": 3.9643, "weight": 42})
    assert {i["code"]: i["score"] for i in scored["indicators"] if i["score"] is not None} == {
        "1.1": 4.5, "2.4": 3.4, "3.1": 5, "4.2": 3, "5.1": 3.5}


def test_help_renders_defaults_and_choices() -> None:
    score = runner.invoke(app, ["score", "--help"])
    assert "<zero|lowest|extrapolate>" in score.output and "[default: zero]" in score.output
    export = runner.invoke(app, ["export", "--help"])
    assert "<json|ndjson|csv|parquet|xlsx>" in export.output
    assert "a/report.pdf and b/report.pdf" in " ".join(export.output.split())  # how JSON names never collide
    assert "KAMRAP_DB" in runner.invoke(app, ["verify", "--help"]).output
    assert "--install-completion" in runner.invoke(app, ["--help"]).output


def test_library_api(db: Path) -> None:
    export = kamrap.read_pdf(ALTERED)
    assert isinstance(export, kamrap.Export)
    hr = next(s for s in export.score_summaries if s.organization == HR)
    assert (hr.reported_total.score, hr.computed_total.score) == (4.55, 4.65)
    found = kamrap.verify([export])
    assert [(c.file, c.finding.kind, c.finding.expected) for c in found if c.finding.severity == "error"] == [
        (ALTERED.name, "total_mismatch", 4.65)]
    assert len(kamrap.load(db)) == 6
    report = kamrap.score(SAMPLES / "results_example.csv", db)
    (agreement,) = report.agreements
    assert str(agreement.total.score) == "3.9643"  # worked out in test_score_template_and_the_example_results
    assert (Path(kamrap.__file__).parent / "py.typed").exists()


def test_every_agreement_of_a_unit_and_year_is_scored(db: Path) -> None:
    """Two stored agreements of one unit and year (a draft and the final copy): both scored, not
    the one that happened to be read last."""
    from decimal import Decimal

    from kamrap.normalize.scoring import ResultRecord

    (ict,) = [e for e in kamrap.load(db) if e.document.file == "agreement_ict_2564.pdf"]
    draft = ict.model_copy(deep=True)
    draft.document.file = "draft.pdf"
    report = kamrap.score([ResultRecord(ICT, 2564, "1.1", Decimal(80))], [ict, draft])
    assert [(a.file, str(a.total.score)) for a in report.agreements] == [
        ("agreement_ict_2564.pdf", "4.0000"), ("draft.pdf", "4.0000")]  # 1.1: 80 is level 4
