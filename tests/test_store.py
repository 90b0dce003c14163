"""The SQLite store: round-trips the canonical export, replaces a changed file atomically."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kamrap.schema.models import (
    CriteriaLevel,
    Document,
    Export,
    Finding,
    Indicator,
    IndicatorDetails,
    Milestone,
    BaselineValue,
    ScoreRow,
    ScoreSummary,
    Total,
    WeightTransfer,
)
from kamrap.schema.store import Store

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "kamrap.schema.json"


def _export(name: str = "ทดสอบ", weight: float = 60) -> Export:
    return Export(
        document=Document(file="a.pdf", sha256="ab" * 32, page_count=3, kind="agreement",
                          organization="กองทดสอบ", fiscal_year=2564),
        indicators=[Indicator(
            code="1.1", name=name, dimension="มิติภายนอก", dimension_weight=50, weight=weight,
            target_level=3, targets_by_round={"6": 3, "12": 5}, unit="ร้อยละ",
            criteria=[CriteriaLevel(level=i, text=str(60 + 5 * i), value=60 + 5 * i) for i in range(1, 6)],
            direction="higher_is_better", remark=None, pages=[2, 7],
            details=IndicatorDetails(description="คำอธิบาย", formula="ก/ข", milestones=[Milestone(level=1, text="ขั้น ๑")],
                                     baseline=[BaselineValue(fiscal_year=2562, value=80.98)],
                                     supervisor="ผอ.", collector="หัวหน้า"),
        )],
        score_summaries=[ScoreSummary(
            organization="กองทดสอบ", fiscal_year=2563, pages=[1],
            rows=[ScoreRow(code="1.1", name="ก", score=4.55, weight=10, status="scored"),
                  ScoreRow(code="2.4", name="ข", status="deferred", status_text="รายงานรอบ ๑๒ เดือน")],
            reported_total=Total(score=4.55, weight=100), computed_total=Total(score=4.55, weight=100),
            weight_transfers=[WeightTransfer(from_code="2.4", to_codes=["2.2", "2.3"], weight=10,
                                             amounts=[5, 5], text="เชิงอรรถ")],
        )],
        findings=[Finding(kind="weight_sum_not_100", severity="error", expected=100, actual=60,
                          message="weights sum to 60")],
    )


def test_round_trip(tmp_path: Path) -> None:
    export = _export()
    with Store(tmp_path / "k.db") as store:
        document_id = store.save("/x/a.pdf", export)
        assert store.load_export(document_id) == export


def test_replacing_a_file_leaves_no_rows_of_the_old_version(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    with Store(db) as store:
        store.save("/x/a.pdf", _export("เก่า"))
        store.save("/x/a.pdf", _export("ใหม่"))
        (doc,) = store.documents()
        assert store.load_export(doc["id"]).indicators[0].name == "ใหม่"
    with sqlite3.connect(db) as conn:
        for table, expected in (("documents", 1), ("indicators", 1), ("criteria_levels", 5),
                                ("milestones", 1), ("baselines", 1), ("findings", 1),
                                ("score_summaries", 1), ("score_rows", 2), ("weight_transfers", 1)):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == expected, table


def test_failed_save_keeps_the_stored_version(tmp_path: Path) -> None:
    with Store(tmp_path / "k.db") as store:
        store.save("/x/a.pdf", _export("เก่า"))
        broken = _export("ใหม่")
        broken.indicators[0].criteria.append(broken.indicators[0].criteria[0])  # duplicate level: PK clash
        with pytest.raises(sqlite3.IntegrityError):
            store.save("/x/a.pdf", broken)
        (doc,) = store.documents()
        assert store.load_export(doc["id"]).indicators[0].name == "เก่า"


def test_schema_version_recorded_and_checked(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("1",)
        conn.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    with pytest.raises(RuntimeError, match="schema version 99"):
        Store(db)


def test_foreign_keys_declared(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        targets = {row[2] for row in conn.execute("PRAGMA foreign_key_list(criteria_levels)")}
    assert targets == {"indicators"}


def test_committed_json_schema_is_current() -> None:
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == Export.model_json_schema(), (
        "run `python -m kamrap.schema` and commit schema/kamrap.schema.json")


def test_ingest_errors_of_an_older_database_get_the_sha256_column(db_path: Path) -> None:
    with Store(db_path) as store:
        store.db["ingest_errors"].transform(drop={"sha256"})  # as kamrap 0.1 wrote it
        store.db["ingest_errors"].insert({"file": "/a.pdf", "reason": "empty file", "at": "2026-11-01"})
    with Store(db_path) as store:
        assert "sha256" in store.db["ingest_errors"].columns_dict
        assert store.errors() == [{"file": "/a.pdf", "reason": "empty file", "at": "2026-11-01"}]
        store.save_error("/b.pdf", "timed out (no result after 5 s)", "ab12")
        assert store.earlier_error("/b.pdf", "ab12") == "timed out (no result after 5 s)"
        assert store.earlier_error("/b.pdf", "other bytes") is None
        assert store.earlier_error("/a.pdf", "ab12") is None
