"""The SQLite store: round-trips the canonical export, replaces a changed file atomically."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from kamrap.schema.models import (
    CriteriaLevel,
    Document,
    DocumentKind,
    Export,
    Failure,
    FailureKind,
    Finding,
    Indicator,
    IndicatorDetails,
    Milestone,
    BaselineValue,
    RowSource,
    ScoreRow,
    ScoreSummary,
    Total,
    WeightTransfer,
)
from kamrap.schema.export import write_csv
from kamrap.schema.store import _TABLES, STORE_VERSION, Store

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


def _updated(indicator: Indicator, fields: dict) -> Indicator:
    """`indicator` with `fields` changed, validated (model_copy would not)."""
    return Indicator.model_validate({**dict(indicator), **fields})


def _full_export() -> Export:
    """An export using every version-2 field, with the cases a store can lose: key order, a
    number beside a text beside a null, an empty dict that is not None, repeated levels."""
    export = _export()
    export.document = export.document.model_copy(update={"kind": DocumentKind.kpi_table})
    export.indicators[0] = _updated(export.indicators[0], {
        "target": "ร้อยละ ๘๐", "target_value": 80, "targets_by_round": {"12": 5, "6": "ครบ", "9": None},
        "targets_by_year": {"2565": 80.5, "2564": 80}, "results_by_round": {"6": "ยังไม่ได้ดำเนินการ"},
        "results_by_year": {},
        "baseline": [BaselineValue(fiscal_year=2563, value=71.25), BaselineValue(fiscal_year=2561),
                     BaselineValue(fiscal_year=2562, value=70)],
        "score": 4.5, "weighted_score": 0.45, "assessed_units": ["สพป.", "สพม.", "สพป."],
        "status": "บรรลุเป้า", "budget": {"งปม.": 50000, "เงินนอก": 1250.75, "อื่น ๆ": None},
        "sources": [RowSource(page=2, bbox=(10.5, 20, 300, 40.25), method="ruled"),
                    RowSource(page=7, method="ocr")],
        "details": IndicatorDetails(
            description="คำอธิบาย", formula="ก/ข",
            milestones=[Milestone(level=2, text="ขั้น ๒", round="6"), Milestone(level=1, text="ขั้น ๑", round="6"),
                        Milestone(level=1, text="ขั้น ๑ รอบ ๑๒", round="12"), Milestone(level=5, text="ขั้น ๕")],
            baseline=[BaselineValue(fiscal_year=2562, value=80.98)],
            target_population="ประชาชน", data_collection="แบบสอบถาม",
            data_items=["จำนวนผู้ตอบ", "จำนวนผู้พึงพอใจ"], evaluation_period="ต.ค.-ก.ย.",
            evaluation_method="ร้อยละ"),
    })
    export.indicators.append(Indicator(code="2", name="ว่าง", budget={}, targets_by_year=None,
                                       sources=[RowSource(page=1, method="words")]))
    return export


def test_round_trip_of_every_version_2_field(tmp_path: Path) -> None:
    export = _full_export()
    with Store(tmp_path / "k.db") as store:
        document_id = store.save("/x/a.pdf", export)
        loaded = store.load_export(document_id)
    assert loaded == export
    # == on models compares 80 and 80.0 equal; the number/text/null kinds must survive too
    assert loaded.model_dump(mode="json") == export.model_dump(mode="json")
    assert [type(v) for v in loaded.indicators[0].targets_by_round.values()] == [int, str, type(None)]
    assert loaded.indicators[1].budget == {} and loaded.indicators[1].targets_by_round is None


def test_new_fields_are_stored_in_tables_of_their_own(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    with Store(db) as store:
        store.save("/x/a.pdf", _full_export())
    with sqlite3.connect(db) as conn:
        values = conn.execute("SELECT kind, period_type, period, value_number, value_text "
                              "FROM indicator_values ORDER BY kind, period_type, seq").fetchall()
        sources = conn.execute("SELECT page, x0, top, x1, bottom, method FROM indicator_sources "
                               "ORDER BY indicator_id, seq").fetchall()
    assert values == [("result", "round", "6", None, "ยังไม่ได้ดำเนินการ"),
                      ("target", "round", "12", 5, None), ("target", "round", "6", None, "ครบ"),
                      ("target", "round", "9", None, None),
                      ("target", "year", "2565", 80.5, None), ("target", "year", "2564", 80, None)]
    assert sources == [(2, 10.5, 20, 300, 40.25, "ruled"), (7, None, None, None, None, "ocr"),
                       (1, None, None, None, None, "words")]


def test_a_number_too_long_for_sqlite_is_stored_not_fatal(tmp_path: Path) -> None:
    export = _export()
    huge = 10**30  # a misread run of digits: past SQLite's 64-bit integers
    export.indicators[0] = _updated(export.indicators[0], {
        "target_value": huge, "weight": 10**400, "results_by_year": {"2564": huge},
        "budget": {"งปม.": -huge}})
    with Store(tmp_path / "k.db") as store:
        loaded = store.load_export(store.save("/x/a.pdf", export)).indicators[0]
    assert loaded.target_value == float(huge) and loaded.results_by_year == {"2564": float(huge)}
    assert loaded.budget == {"งปม.": -float(huge)} and loaded.weight == float("inf")


def test_csv_export_writes_every_stored_table(tmp_path: Path) -> None:
    with Store(tmp_path / "k.db") as store:
        store.save("/x/a.pdf", _full_export())
        written = {p.stem for p in write_csv(store, tmp_path / "csv")}
    # every stored table but indicator_maps (which records empty maps); details' baselines renamed
    assert written >= {"details_baselines" if t == "baselines" else t for t in _TABLES} - {"indicator_maps"}
    with (tmp_path / "csv" / "indicator_budgets.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["code"], r["heading"], r["value"]) for r in rows] == [
        ("1.1", "งปม.", "50000"), ("1.1", "เงินนอก", "1250.75"), ("1.1", "อื่น ๆ", "")]


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


def test_replacing_a_file_clears_the_version_2_tables(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    with Store(db) as store:
        store.save("/x/a.pdf", _full_export())
        store.save("/x/a.pdf", _export())
    with sqlite3.connect(db) as conn:
        for table, expected in (("indicator_values", 2), ("indicator_maps", 1), ("indicator_baselines", 0),
                                ("assessed_units", 0), ("indicator_budgets", 0), ("indicator_sources", 0),
                                ("data_items", 0), ("milestones", 1), ("details", 1)):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == expected, table


def test_failed_save_keeps_the_stored_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(tmp_path / "k.db") as store:
        store.save("/x/a.pdf", _export("เก่า"))
        insert = Store._insert

        def failing(self: Store, table: str, *args: object) -> None:
            if table == "criteria_levels":  # fails after the document and indicator rows are written
                raise sqlite3.IntegrityError("injected")
            insert(self, table, *args)

        monkeypatch.setattr(Store, "_insert", failing)
        with pytest.raises(sqlite3.IntegrityError):
            store.save("/x/a.pdf", _export("ใหม่"))
        monkeypatch.setattr(Store, "_insert", insert)
        (doc,) = store.documents()
        assert store.load_export(doc["id"]).indicators[0].name == "เก่า"


def test_schema_version_recorded_and_checked(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (str(STORE_VERSION),)
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
        # written past the store (no kind): listed as it is, never taken for an earlier timeout
        assert store.errors() == [{"file": "/a.pdf", "kind": None, "reason": "empty file",
                                   "timeout": None, "at": "2026-11-01"}]
        store.save_error("/b.pdf", Failure.timed_out(5), "ab12")
        assert store.earlier_error("/b.pdf", "ab12") == Failure(
            kind=FailureKind.timed_out, reason="timed out (no result after 5 s)", timeout=5.0)
        assert store.earlier_error("/b.pdf", "other bytes") is None
        assert store.earlier_error("/a.pdf", "ab12") is None
