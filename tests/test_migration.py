"""A database written by kamrap's schema version 1 is migrated in place when opened.

The fixture `tests/fixtures/v1_db/kamrap_v1.sql` was written by the version-1 store itself
(`tests/fixtures/v1_db/build.py`), with `exports_v1.json` holding what it loaded back.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kamrap.schema import store as store_module
from kamrap.schema.models import (
    SCHEMA_VERSION, CriteriaLevel, Export, Indicator, IndicatorDetails, Milestone,
)
from kamrap.schema.store import _TABLES, STORE_VERSION, Store

V1 = Path(__file__).resolve().parent / "fixtures" / "v1_db"
NEW_TABLES = {"indicator_values", "indicator_maps", "indicator_baselines", "assessed_units",
              "indicator_budgets", "indicator_sources", "data_items"}


def _database_from(sql: Path, path: Path) -> Path:
    """The database a fixture's SQL dump describes, written at `path`."""
    with sqlite3.connect(path) as conn:
        conn.executescript(sql.read_text(encoding="utf-8"))
    conn.close()
    return path


@pytest.fixture
def v1_db(tmp_path: Path) -> Path:
    return _database_from(V1 / "kamrap_v1.sql", tmp_path / "kamrap_v1.db")


def _version(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    conn.close()
    return version


def _tables(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, under the columns the table has now, in a fixed order."""
    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        tables = {name: sorted(conn.execute(f"SELECT * FROM [{name}]").fetchall(), key=repr)
                  for name in names}
    conn.close()
    return tables


def _columns(path: Path, table: str) -> list[str]:
    with sqlite3.connect(path) as conn:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")]
    conn.close()
    return columns


def test_fixture_is_a_version_1_database(v1_db: Path) -> None:
    assert _version(v1_db) == "1"
    assert not NEW_TABLES & set(_tables(v1_db))


def test_every_v1_row_is_kept(v1_db: Path) -> None:
    before = {name: (_columns(v1_db, name), rows) for name, rows in _tables(v1_db).items()}
    Store(v1_db).close()
    assert _version(v1_db) == str(STORE_VERSION)
    for name, (columns, rows) in before.items():
        if name == "meta":
            continue
        with sqlite3.connect(v1_db) as conn:
            after = sorted(conn.execute(f"SELECT {', '.join(columns)} FROM [{name}]").fetchall(), key=repr)
        conn.close()
        if name in ("documents", "document_files", "ingest_errors"):
            # stored names become relative: /pdfs is the folder all of them share, its name kept
            rows = sorted([tuple(_relative(v) for v in row) for row in rows], key=repr)
        assert after == rows, name


def _relative(value: object) -> object:
    return value.removeprefix("/") if isinstance(value, str) and value.startswith("/pdfs/") else value


def test_migrated_database_loads_what_version_1_stored(v1_db: Path) -> None:
    expected = json.loads((V1 / "exports_v1.json").read_text(encoding="utf-8"))
    with Store(v1_db) as store:
        loaded = {"/" + d["path"]: store.load_export(d["id"]) for d in store.documents()}
        assert store.errors()[0]["file"] == "pdfs/broken.pdf"
        assert store.file_names(1) == ["pdfs/a.pdf", "pdfs/copy of a.pdf"]
    assert set(loaded) == set(expected)
    for path, export in expected.items():
        # a version-1 export is a valid version-2 one: every new field has its default
        assert loaded[path] == Export.model_validate({**export, "schema_version": SCHEMA_VERSION}), path
    indicator = loaded["/pdfs/a.pdf"].indicators[0]
    assert indicator.targets_by_round == {"12": 5, "6": 2.5, "9": None}
    assert list(indicator.targets_by_round) == ["12", "6", "9"]  # the printed order, as v1 kept it
    assert loaded["/pdfs/a.pdf"].indicators[1].targets_by_round == {}


def test_new_tables_columns_and_keys_exist_after_migration(v1_db: Path) -> None:
    Store(v1_db).close()
    tables = _tables(v1_db)
    assert set(_TABLES) <= set(tables)
    for name, spec in _TABLES.items():
        assert set(spec["columns"]) <= set(_columns(v1_db, name)), name
    with sqlite3.connect(v1_db) as conn:
        key = [r[1] for r in sorted(conn.execute("PRAGMA table_info(milestones)"), key=lambda r: r[5]) if r[5]]
        milestones = conn.execute("SELECT indicator_id, seq, level FROM milestones ORDER BY indicator_id, seq").fetchall()
        fks = {r[2] for r in conn.execute("PRAGMA foreign_key_list(milestones)")}
    conn.close()
    assert key == ["indicator_id", "seq"] and fks == {"indicators"}
    assert milestones == [(1, 0, 1), (1, 1, 2), (1, 2, 5), (4, 0, 1)]  # v1 read them by level


def test_migrated_database_takes_version_2_data(v1_db: Path) -> None:
    export = Export.model_validate(json.loads((V1 / "exports_v1.json").read_text(encoding="utf-8"))["/pdfs/b.pdf"]
                                   | {"schema_version": SCHEMA_VERSION})
    export.indicators = [Indicator(
        code="4", name="ระดับความสำเร็จ", targets_by_year={"2564": "ร้อยละ ๘๐"}, assessed_units=["สพป."],
        details=IndicatorDetails(milestones=[Milestone(level=1, text="ก", round="6"),
                                             Milestone(level=1, text="ข", round="12")], data_items=["ค"]))]
    with Store(v1_db) as store:
        document_id = store.save("pdfs/b.pdf", export)
        assert store.load_export(document_id) == export
    with Store(v1_db) as store:  # opening a migrated database again changes nothing
        assert store.load_export(store.find_documents("b.pdf")[0]["id"]) == export


def test_a_failed_migration_leaves_the_version_1_database(v1_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _tables(v1_db)

    def failing(db: object) -> None:
        store_module._migrate_1_to_2(db)
        raise RuntimeError("disk full")

    monkeypatch.setitem(store_module._MIGRATIONS, 1, failing)
    with pytest.raises(RuntimeError, match="disk full"):
        Store(v1_db)
    assert _tables(v1_db) == before
    assert _columns(v1_db, "milestones") == ["indicator_id", "level", "text"]


def test_a_newer_database_is_refused(v1_db: Path) -> None:
    with sqlite3.connect(v1_db) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(STORE_VERSION + 1)])
    conn.close()
    with pytest.raises(RuntimeError, match=f"schema version {STORE_VERSION + 1}, this kamrap writes"):
        Store(v1_db)
    assert _version(v1_db) == str(STORE_VERSION + 1)


# -- version 2 → 3: criteria levels keyed by position (a level repeats once per scope) ---------
V2 = Path(__file__).resolve().parent / "fixtures" / "v2_db"


@pytest.fixture
def v2_db(tmp_path: Path) -> Path:
    return _database_from(V2 / "kamrap_v2.sql", tmp_path / "kamrap_v2.db")


def test_version_2_database_migrates_and_loads_what_it_stored(v2_db: Path) -> None:
    assert _version(v2_db) == "2"
    expected = json.loads((V2 / "exports_v2.json").read_text(encoding="utf-8"))
    with Store(v2_db) as store:
        loaded = {"/" + d["path"]: store.load_export(d["id"]) for d in store.documents()}
    assert _version(v2_db) == str(STORE_VERSION)
    for path, export in expected.items():
        assert loaded[path] == Export.model_validate({**export, "schema_version": SCHEMA_VERSION}), path
    levels = loaded["/pdfs/a.pdf"].indicators[0].criteria
    assert [(c.level, c.value, c.scope) for c in levels] == [(i, 60 + 5 * i, None) for i in range(1, 6)]
    with sqlite3.connect(v2_db) as conn:
        key = [r[1] for r in sorted(conn.execute("PRAGMA table_info(criteria_levels)"), key=lambda r: r[5]) if r[5]]
        rows = conn.execute("SELECT seq, level FROM criteria_levels ORDER BY seq").fetchall()
    conn.close()
    assert key == ["indicator_id", "seq"]
    assert rows == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]


def test_migrated_version_2_database_takes_scoped_criteria(v2_db: Path) -> None:
    export = Export.model_validate(json.loads((V2 / "exports_v2.json").read_text(encoding="utf-8"))["/pdfs/b.pdf"]
                                   | {"schema_version": SCHEMA_VERSION})
    export.indicators[0].criteria = [
        CriteriaLevel(level=level, text=text, scope=scope)
        for scope in ("เป้าหมายระดับประเทศ", "เป้าหมายระดับเขต") for level, text in ((5, "ก"), (1, "ข"))]
    with Store(v2_db) as store:
        document_id = store.save("pdfs/b.pdf", export)
        assert store.load_export(document_id) == export  # both scopes, in the printed order
