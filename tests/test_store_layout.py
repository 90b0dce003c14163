"""The store owns persistence: its tables are derived from the models (a model field without a
place in the database fails), its batches group writes into transactions, and it runs the
export's queries."""

from __future__ import annotations

import inspect
import sqlite3
from pathlib import Path

import pytest
from pydantic import BaseModel

from kamrap.schema import models
from kamrap.schema.flat import TABLES
from kamrap.schema.models import Document, DocumentKind, Export, Failure, FailureKind
from kamrap.schema.store import _TABLES, Batch, Store, _model_columns

# Fields stored as several columns (written out here by hand, from the models' comments).
FLATTENED = {
    ("indicator_sources", "bbox"): ("x0", "top", "x1", "bottom"),
    ("score_summaries", "reported_total"): ("reported_score", "reported_weight"),
    ("score_summaries", "computed_total"): ("computed_score", "computed_weight"),
}
# Export is the document and its lists, each a table of its own.
EXPORT_TABLES = {"document": "documents", "indicators": "indicators",
                 "score_summaries": "score_summaries", "findings": "findings"}


def test_every_model_field_has_a_column_or_a_table() -> None:
    for name, spec in _TABLES.items():
        if "model" not in spec:
            continue
        elsewhere = spec.get("elsewhere", {})
        for field in spec["model"].model_fields:
            flat = FLATTENED.get((name, field))
            if flat:
                assert set(flat) <= set(spec["columns"]), (name, field)
            elif field in elsewhere:
                assert elsewhere[field] in _TABLES, (name, field, elsewhere[field])
            else:
                assert field in spec["columns"], f"{spec['model'].__name__}.{field} has no column in {name}"


def test_every_model_is_stored() -> None:
    stored = {spec["model"] for spec in _TABLES.values() if "model" in spec} | {models.Total}
    defined = {cls for _, cls in inspect.getmembers(models, inspect.isclass)
               if issubclass(cls, BaseModel) and cls.__module__ == models.__name__ and not cls.__name__.startswith("_")}
    assert defined - stored == {Export}
    assert set(Export.model_fields) - set(EXPORT_TABLES) == {"schema_version"}  # in meta
    assert set(EXPORT_TABLES.values()) <= set(_TABLES)


def test_columns_take_the_models_types() -> None:
    assert _TABLES["documents"]["columns"] == {
        "id": int, "path": str, "file": str, "sha256": str, "page_count": int, "kind": str,
        "organization": str, "fiscal_year": int, "ingested_at": str}
    assert _TABLES["ingest_errors"]["columns"] == {
        "file": str, "reason": str, "at": str, "sha256": str, "kind": str, "timeout": float}
    columns = _TABLES["indicators"]["columns"]
    assert (columns["weight"], columns["objective_no"], columns["direction"], columns["pages"]) == (float, int, str, str)


def test_a_field_with_no_place_in_the_database_fails() -> None:
    class WithList(BaseModel):
        code: str
        notes: list[str] = []

    with pytest.raises(TypeError, match="WithList.notes"):
        _model_columns(WithList)
    assert _model_columns(WithList, elsewhere=("notes",)) == {"code": str}
    assert _model_columns(WithList, as_json=("notes",)) == {"code": str, "notes": str}


def _export(name: str) -> Export:
    return Export(document=Document(file=name, sha256=name * 64, page_count=1, kind=DocumentKind.unknown))


def _stored(db: Path) -> list[str]:
    conn = sqlite3.connect(db)  # another connection: what is committed
    try:
        return [row[0] for row in conn.execute("SELECT path FROM documents ORDER BY path")]
    finally:
        conn.close()


def test_a_batch_commits_every_max_files_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Batch, "max_files", 2)
    commits: list[int] = []
    with Store(tmp_path / "k.db") as store:
        with store.batch(on_commit=lambda: commits.append(len(_stored(tmp_path / "k.db")))) as batch:
            batch.write(store.save, "a.pdf", _export("a"))
            batch.commit_if_due()
            assert _stored(tmp_path / "k.db") == [] and commits == []  # one write: still open
            batch.write(store.save, "b.pdf", _export("b"))
            batch.commit_if_due()
            assert _stored(tmp_path / "k.db") == ["a.pdf", "b.pdf"] and commits == [2]
            batch.write(store.save_error, "c.pdf", Failure.of(FailureKind.empty_file))
        assert commits == [2, 2]  # the last write is committed when the batch ends
        assert [e["file"] for e in store.errors()] == ["c.pdf"]


def test_a_batch_commits_once_max_seconds_have_passed(tmp_path: Path) -> None:
    commits: list[int] = []
    with Store(tmp_path / "k.db") as store:
        with store.batch(on_commit=lambda: commits.append(len(_stored(tmp_path / "k.db"))),
                         max_seconds=3600) as hourly:
            hourly.write(store.save, "a.pdf", _export("a"))
            hourly.commit_if_due()
            assert commits == []  # an hour has not passed
        assert commits == [1]
        with store.batch(on_commit=lambda: commits.append(len(_stored(tmp_path / "k.db"))),
                         max_seconds=0) as every:
            every.write(store.save, "b.pdf", _export("b"))
            every.commit_if_due()
            assert commits == [1, 2]  # 0: every write is due at once
            every.write(store.save, "c.pdf", _export("c"))
            every.commit_if_due()
            assert commits == [1, 2, 3]
        with pytest.raises(ValueError, match="0 or more"):
            store.batch(max_seconds=-1)


def test_a_write_that_fails_costs_only_itself(tmp_path: Path) -> None:
    def broken() -> None:
        store.save("x.pdf", _export("x"))
        raise ValueError("bad data")

    with Store(tmp_path / "k.db") as store:
        with store.batch() as batch:
            batch.write(store.save, "a.pdf", _export("a"))
            with pytest.raises(ValueError):
                batch.write(broken)
        assert not batch.rolled_back
    assert _stored(tmp_path / "k.db") == ["a.pdf"]  # x.pdf's savepoint went, a.pdf stayed


def test_a_batch_the_database_fails_under_is_rolled_back(tmp_path: Path) -> None:
    with Store(tmp_path / "k.db") as store:
        with pytest.raises(sqlite3.OperationalError):
            with store.batch() as batch:
                batch.write(store.save, "a.pdf", _export("a"))
                store.db.conn.rollback()  # as SQLite does itself on a full disk (SQLITE_FULL)
                raise sqlite3.OperationalError("database or disk is full")
        assert batch.rolled_back
    assert _stored(tmp_path / "k.db") == []


def test_the_store_runs_every_flat_query(tmp_path: Path) -> None:
    with Store(tmp_path / "k.db") as store:
        store.save("in/a.pdf", _export("a"))
        store.save_error("in/b.pdf", Failure.timed_out(2))
        rows = {table.name: list(store.flat_rows(table)) for table in TABLES}
    assert rows["documents"][0][1:3] == ["in/a.pdf", "a"]
    assert rows["ingest_errors"] == [["in/b.pdf", "timed_out", "timed out (no result after 2 s)", 2,
                                      rows["ingest_errors"][0][4], None]]
    assert all(len(row) == len(table.columns) for table in TABLES for row in rows[table.name])
