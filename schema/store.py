"""The SQLite store: one database file holding every ingested document, through sqlite-utils.

Each document is written in one transaction (`Database.atomic`): a file is either fully
stored or absent, and re-ingesting a changed file replaces its rows in the same transaction.
`load_export` rebuilds the canonical `Export` from the tables, so the JSON export and the
database cannot disagree.

The database records the version of its layout (`meta.schema_version`, `STORE_VERSION`); an
older one is migrated in place when opened (`_MIGRATIONS`), a newer one is refused. Up to 3 it
was the export contract's version too (`models.SCHEMA_VERSION`); version 4 changed the tables
alone (`ingest_errors.kind` and `.timeout`), so the two numbers part there.

`Store(path, readonly=True)` is how readers open a database: SQLite's ``mode=ro``, nothing
created or written (an older schema version is migrated in a copy in memory), so a published
copy on a read-only share opens as it is. A writer that switched to WAL leaves the file
self-contained when it closes: the log checkpointed into it and the journal mode back to
DELETE. What goes wrong with the file itself is a `StoreError`, naming the file and the reason.
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Required, TypedDict

import sqlite_utils
from pydantic import BaseModel
from sqlite_utils.db import Table

from kamrap.schema.flat import FlatTable, SqlValue, field_type, typed_row
from kamrap.schema.models import (
    FAILURE_LABELS,
    BaselineValue,
    CriteriaLevel,
    Document,
    Export,
    Failure,
    FailureKind,
    Finding,
    Indicator,
    IndicatorDetails,
    Milestone,
    RowSource,
    ScoreRow,
    ScoreSummary,
    Total,
    WeightTransfer,
)
from kamrap.text.numbers import int_if_integral

DEFAULT_DB = Path("output/kamrap.db")
#: The version of the database's layout (`meta.schema_version`).
STORE_VERSION = 4
#: Seconds a statement waits for another connection's lock before failing with "database is
#: locked" (SQLite's busy handler retries meanwhile, backing off): readers never hold a writer
#: for long, and the writer commits at least every few seconds.
BUSY_TIMEOUT = 60.0



class _TableSpec(TypedDict, total=False):
    """One table of `_TABLES`: its columns (name -> Python type), primary key, the columns that
    must not be null and its foreign keys (column, other table, other column); for a table that
    holds a model, the model and where each of its fields that is no column of this table is
    kept instead (field -> the table holding it)."""

    columns: Required[dict[str, type]]
    pk: Required[str | tuple[str, ...]]
    not_null: set[str]
    foreign_keys: list[tuple[str, str, str]]
    model: type[BaseModel]
    elsewhere: dict[str, str]


def _model_columns(model: type[BaseModel], *, as_json: Iterable[str] = (), elsewhere: Iterable[str] = (),
                   flattened: Mapping[str, Mapping[str, type]] | None = None,
                   prefix: str = "") -> dict[str, type]:
    """The columns holding `model`'s fields, in the model's order, typed from it
    (`kamrap.schema.flat.field_type`): one each, a field in `as_json` as its JSON text, one in
    `flattened` as the columns given, none for one kept `elsewhere` (a table of its own). Any
    other field that is not one value (a list, a dict, a nested model) raises TypeError: a field
    added to a model without a place in the database fails here."""
    as_json, elsewhere, flattened = set(as_json), set(elsewhere), flattened or {}
    columns: dict[str, type] = {}
    for field in model.model_fields:
        if field in elsewhere:
            continue
        if field in as_json:
            columns[prefix + field] = str
        elif field in flattened:
            columns.update(flattened[field])
        else:
            columns[prefix + field] = field_type(model, field).python
    return columns


def _appended(columns: dict[str, type], *later: str) -> dict[str, type]:
    """`columns` with `later` (added to the table after its first layout, in the order they came)
    last: SQLite appends an added column, so a new database lays them out as a migrated one."""
    return {**{k: v for k, v in columns.items() if k not in later}, **{k: columns[k] for k in later}}


_ID, _SEQ = {"id": int}, {"seq": int}
_OF_DOCUMENT, _OF_INDICATOR = {"document_id": int}, {"indicator_id": int}


def _items(parent: str, columns: dict[str, type], *, model: type[BaseModel] | None = None,
           not_null: Iterable[str] = (), references: str = "id") -> _TableSpec:
    """A list kept under a row of `parent` (an indicator, its details or a score summary): one
    row per item, keyed by the parent's id and the item's position in the list (seq)."""
    key = {"indicators": "indicator_id", "score_summaries": "summary_id", "details": "indicator_id"}[parent]
    spec: _TableSpec = {"columns": {key: int, **_SEQ, **columns}, "pk": (key, "seq"),
                        "foreign_keys": [(key, parent, references)]}
    if model is not None:
        spec["model"] = model
    if not_null:
        spec["not_null"] = set(not_null)
    return spec

_INDICATOR_ELSEWHERE = {
    **{name: "indicator_values" for name in ("targets_by_year", "results_by_round", "results_by_year")},
    "baseline": "indicator_baselines", "assessed_units": "assessed_units", "budget": "indicator_budgets",
    "criteria": "criteria_levels", "details": "details", "sources": "indicator_sources",
}
_DETAILS_ELSEWHERE = {"milestones": "milestones", "baseline": "baselines", "data_items": "data_items"}
_SUMMARY_ELSEWHERE = {"rows": "score_rows", "weight_transfers": "weight_transfers"}

# The tables, their columns derived from the models of `kamrap.schema.models` (ids, positions
# and kamrap's own bookkeeping around them). Child tables hang off documents (or indicators) by
# foreign key; `Store.delete` removes a document and everything parsed from it.
_TABLES: dict[str, _TableSpec] = {
    "documents": {
        "columns": {**_ID, "path": str, **_model_columns(Document), "ingested_at": str},
        "pk": "id", "not_null": {"path", "file", "sha256", "kind"}, "model": Document,
    },
    "indicators": {
        # targets_by_round as JSON: written since version 1 for queries that read it; kamrap
        # itself reads indicator_values
        "columns": _appended(
            {**_ID, **_OF_DOCUMENT, **_SEQ, **_model_columns(
                Indicator, as_json=("targets_by_round", "pages"), elsewhere=_INDICATOR_ELSEWHERE)},
            "target", "target_value", "score", "weighted_score", "status"),
        "pk": "id", "not_null": {"document_id", "code", "name"},
        "foreign_keys": [("document_id", "documents", "id")],
        "model": Indicator, "elsewhere": _INDICATOR_ELSEWHERE,
    },
    # in printed order (seq): an indicator scored per scope has each level once per scope
    "criteria_levels": _items("indicators", _model_columns(CriteriaLevel), model=CriteriaLevel),
    # Indicator.targets_by_round/_by_year and results_by_round/_by_year, one row per period in
    # the dict's order (seq); a number in value_number, a text in value_text, neither for null
    "indicator_values": {
        "columns": {**_OF_INDICATOR, "kind": str, "period_type": str, **_SEQ,
                    "period": str, "value_number": float, "value_text": str},
        "pk": ("indicator_id", "kind", "period_type", "seq"),
        "not_null": {"period"},
        "foreign_keys": [("indicator_id", "indicators", "id")],
    },
    # Which of an indicator's dict fields are given (one row each): an empty dict has no rows in
    # indicator_values or indicator_budgets, yet is not None
    "indicator_maps": {
        "columns": {**_OF_INDICATOR, "field": str},
        "pk": ("indicator_id", "field"),
        "foreign_keys": [("indicator_id", "indicators", "id")],
    },
    # Indicator.baseline (the table's own past-result columns), apart from the details form's
    "indicator_baselines": _items("indicators", _model_columns(BaselineValue), model=BaselineValue,
                                  not_null={"fiscal_year"}),
    "assessed_units": _items("indicators", {"unit": str}, not_null={"unit"}),
    "indicator_budgets": _items("indicators", {"heading": str, "value": float}, not_null={"heading"}),
    # Indicator.sources; a source without a bbox has all four coordinates null
    "indicator_sources": _items("indicators", _model_columns(
        RowSource, flattened={"bbox": {"x0": float, "top": float, "x1": float, "bottom": float}}),
        model=RowSource, not_null={"page", "method"}),
    "details": {
        "columns": {**_OF_INDICATOR, **_model_columns(IndicatorDetails, elsewhere=_DETAILS_ELSEWHERE)},
        "pk": "indicator_id",
        "foreign_keys": [("indicator_id", "indicators", "id")],
        "model": IndicatorDetails, "elsewhere": _DETAILS_ELSEWHERE,
    },
    "data_items": _items("details", {"item": str}, not_null={"item"}, references="indicator_id"),
    # keyed by seq, not level: an indicator with a milestone table per round repeats levels
    "milestones": _items("indicators", _model_columns(Milestone), model=Milestone),
    # IndicatorDetails.baseline
    "baselines": {
        "columns": {**_OF_INDICATOR, **_model_columns(BaselineValue)},
        "pk": ("indicator_id", "fiscal_year"),
        "foreign_keys": [("indicator_id", "indicators", "id")], "model": BaselineValue,
    },
    "findings": {
        "columns": {**_ID, **_OF_DOCUMENT, **_model_columns(Finding, as_json=("expected", "actual"))},
        "pk": "id", "not_null": {"document_id", "kind", "severity"},
        "foreign_keys": [("document_id", "documents", "id")], "model": Finding,
    },
    "score_summaries": {
        "columns": _appended({**_ID, **_OF_DOCUMENT, **_SEQ, **_model_columns(
            ScoreSummary, as_json=("pages",), elsewhere=_SUMMARY_ELSEWHERE, flattened={
                "reported_total": _model_columns(Total, prefix="reported_"),
                "computed_total": _model_columns(Total, prefix="computed_")})},
            "reported_total_page"),
        "pk": "id", "not_null": {"document_id", "seq"},
        "foreign_keys": [("document_id", "documents", "id")],
        "model": ScoreSummary, "elsewhere": _SUMMARY_ELSEWHERE,
    },
    "score_rows": _items("score_summaries", _model_columns(ScoreRow), model=ScoreRow),
    "weight_transfers": _items("score_summaries", _model_columns(WeightTransfer, as_json=("to_codes", "amounts")),
                               model=WeightTransfer),
    # Every name a stored document's bytes were found under (the document's own path and its
    # duplicates: same bytes, other names), with those bytes' sha256; the document is the one
    # whose sha256 matches.
    "document_files": {
        "columns": {"path": str, "sha256": str},
        "pk": "path", "not_null": {"sha256"},
    },
    # Files that could not be ingested (`models.Failure`: its kind, the reason the user read, the
    # timeout in seconds a timed-out file ran past) with the sha256 of the bytes that failed
    # (null when the file could not be read); a file's row goes when it is stored.
    "ingest_errors": {
        "columns": _appended({"file": str, **_model_columns(Failure), "at": str, "sha256": str},
                             "kind", "timeout"),
        "pk": "file", "not_null": {"reason", "at"}, "model": Failure,
    },
}
_INDEXES = [
    ("documents", ["path"], True),
    ("documents", ["sha256"], False),
    ("indicators", ["document_id", "seq"], True),
    ("indicators", ["code"], False),
    ("findings", ["document_id"], False),
    ("findings", ["kind"], False),
    ("score_summaries", ["document_id", "seq"], True),
    ("document_files", ["sha256"], False),
]
# The columns of the full-text index (`Store.refresh_search`).
_SEARCHED = ("code", "name", "description", "formula", "condition", "milestones")
# The tables hanging off an indicator, children before the tables they reference.
_INDICATOR_CHILDREN = ("data_items", "details", "criteria_levels", "milestones", "baselines",
                       "indicator_values", "indicator_maps", "indicator_baselines",
                       "assessed_units", "indicator_budgets", "indicator_sources")
# Indicator's by-period dicts: field → (indicator_values.kind, indicator_values.period_type)
_VALUE_DICTS = {
    "targets_by_round": ("target", "round"),
    "targets_by_year": ("target", "year"),
    "results_by_round": ("result", "round"),
    "results_by_year": ("result", "year"),
}
_DICT_FIELDS = (*_VALUE_DICTS, "budget")
# Indicator fields stored as indicators columns as they are (the rest have tables of their own)
_INDICATOR_COLUMNS = ("code", "name", "dimension", "dimension_weight", "perspective",
                      "objective_no", "objective", "weight", "target", "target_level",
                      "target_value", "unit", "responsible", "score", "weighted_score", "status",
                      "direction", "remark")
_INDICATOR_NUMBERS = ("dimension_weight", "weight", "target_level", "target_value", "score",
                      "weighted_score")


class StoreError(RuntimeError):
    """A database file that cannot be used, and why: `str()` is one line, "FILE: reason"."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path, self.reason = Path(path), reason
        super().__init__(f"{path}: {reason}")


class NoDatabase(StoreError):
    """The file does not exist (a reader never creates one)."""


class NotADatabase(StoreError):
    """The file is not SQLite, or not a kamrap database."""


class DatabaseTooNew(StoreError):
    """Written by a newer kamrap: its schema version is above `STORE_VERSION`."""


class DatabaseUnwritable(StoreError):
    """A writer cannot write the file or its folder (read-only place, permissions)."""


class Batch:
    """Writes grouped into transactions of up to `max_files` writes or `max_seconds` seconds,
    each write a savepoint inside it: one commit per batch, yet each write all or nothing.
    Whatever ends the batch (Ctrl-C included), the writes completed so far are committed. When
    the database itself fails (a full disk) and the open transaction cannot be committed, it is
    rolled back and `rolled_back` is set. `on_commit()` is called after every commit, so the
    caller knows what is stored. Made by `Store.batch`."""

    max_files = 100
    max_seconds = 2.0  # the default of `kamrap ingest --commit-every`

    def __init__(self, db: sqlite_utils.Database, on_commit: Callable[[], None] | None = None,
                 max_seconds: float | None = None) -> None:
        self.db, self.on_commit = db, on_commit
        if max_seconds is not None:
            if max_seconds < 0:
                raise ValueError(f"max_seconds must be 0 or more, not {max_seconds}")
            self.max_seconds = max_seconds
        self.files, self.opened = 0, 0.0
        self.rolled_back = False

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if exc_type is not None and issubclass(exc_type, sqlite3.Error):
            # the database failed (a full disk): keep what can be kept, never leave it open
            try:
                if not self.db.conn.in_transaction:  # SQLite rolled it back itself (SQLITE_FULL)
                    raise sqlite3.OperationalError("transaction rolled back")
                self.commit()
            except sqlite3.Error:
                self.db.rollback()
                self.rolled_back = True
            return
        self.commit()

    def write(self, action: Callable[..., object], *args: object) -> None:
        """Run `action(*args)` in a savepoint of the open transaction (opened if need be)."""
        if not self.db.conn.in_transaction:
            # IMMEDIATE: the write lock is taken (waiting for it if need be) before the first
            # read, so no other writer can make this transaction's snapshot stale
            self.db.execute("BEGIN IMMEDIATE")
            self.files, self.opened = 0, time.monotonic()
        with self.db.atomic():
            action(*args)
        self.files += 1

    def commit_if_due(self) -> None:
        """Commit a transaction of `max_files` writes, or open for `max_seconds`: a slow file
        must not hold back those parsed before it."""
        if self.db.conn.in_transaction and (
                self.files >= self.max_files or time.monotonic() - self.opened >= self.max_seconds):
            self.commit()

    def commit(self) -> None:
        self.db.commit()
        if self.on_commit is not None:
            self.on_commit()


class Store:
    """A kamrap database. Use as a context manager or call `close()`.

    `readonly=True` opens it with SQLite's ``mode=ro`` and never creates or changes anything."""

    def __init__(self, path: Path | str = DEFAULT_DB, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        if self.path.is_dir():
            raise NotADatabase(self.path, "a folder, not a database file")
        try:
            conn = self._connect_readonly() if readonly else self._connect()
        except sqlite3.DatabaseError as exc:
            raise _store_error(self.path, exc) from exc
        self.db = sqlite_utils.Database(conn)
        try:
            self.db.execute("PRAGMA foreign_keys = ON")
            if readonly:
                self._check_readable()
            else:
                self._ensure_schema()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise _store_error(self.path, exc) from exc
        except BaseException:
            self.db.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnwritable(self.path, f"cannot create its folder ({exc.strerror or exc})") from exc
        if not self.path.exists() and not os.access(self.path.parent, os.W_OK):
            raise DatabaseUnwritable(self.path, "cannot create the database: its folder is not writable")
        return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT)

    def _connect_readonly(self) -> sqlite3.Connection:
        if not self.path.exists():
            raise NoDatabase(self.path, "no database (run `kamrap ingest` first, or pass --db)")
        uri = self.path.absolute().as_uri()
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            # a database left in WAL mode, in a folder we cannot write: SQLite cannot make its
            # -shm file, so read the file as it is (nothing else can be writing it there)
            conn.close()
            if os.access(self.path.parent, os.W_OK):
                raise
            conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=BUSY_TIMEOUT)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn

    def _check_readable(self) -> None:
        """A kamrap database of a version this kamrap reads; an older one is migrated in a copy
        in memory (the file stays as it is)."""
        tables = set(self.db.table_names())
        if "meta" not in tables or "documents" not in tables:
            raise NotADatabase(self.path, "not a kamrap database (no documents table)")
        stored = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(stored[0]) if stored else STORE_VERSION
        if version > STORE_VERSION:
            raise DatabaseTooNew(self.path, _too_new(stored[0]))
        if version < STORE_VERSION or _path_layout(self.db) != "relative":
            memory = sqlite3.connect(":memory:")
            self.db.conn.backup(memory)
            self.db.close()
            self.db = sqlite_utils.Database(memory)
            self._ensure_schema()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file; a writer leaves it self-contained (no -wal file, journal mode DELETE),
        so a copy of it opens anywhere, read-only places included, with its search index
        (`refresh_search`) up to date."""
        # a transaction left open (its work unfinished) is rolled back by closing, as always
        if not self.readonly and not self.db.conn.in_transaction:
            try:
                self.refresh_search()
                mode = self.db.execute("PRAGMA journal_mode").fetchone()[0]
                if mode == "wal":
                    self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    self.db.execute("PRAGMA journal_mode = DELETE")
            except sqlite3.OperationalError:
                pass  # another process holds it open: it stays in WAL until the last one closes
        self.db.close()

    # -- schema ---------------------------------------------------------------------------
    def _ensure_schema(self) -> None:
        if self._schema_current():
            return  # nothing to write: opening a database another process writes to never waits
        # one transaction, taken for writing at once (IMMEDIATE: a reader's snapshot cannot go
        # stale before its first write), so a migration that fails leaves the database as the
        # older kamrap wrote it
        self.db.execute("BEGIN IMMEDIATE")
        try:
            with self.db.atomic():
                self._write_schema()
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise

    def _schema_current(self) -> bool:
        """Whether the database holds this version's tables, columns, keys and indexes."""
        try:
            stored = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.OperationalError:  # no meta table: a new database
            return False
        if stored is None or stored[0] != str(STORE_VERSION) or _path_layout(self.db) != "relative":
            return False
        for name, spec in _TABLES.items():
            if not self.db.table(name).exists() or not set(spec["columns"]) <= set(self.db.table(name).columns_dict):
                return False
            pk = spec["pk"]
            if self.db.table(name).pks != ([pk] if isinstance(pk, str) else list(pk)):
                return False
        indexes = {tuple(i.columns) for table in {t for t, _, _ in _INDEXES} for i in self.db.table(table).indexes}
        return all(tuple(columns) in indexes for _, columns, _ in _INDEXES)

    def _write_schema(self) -> None:
        self.db.table("meta").create({"key": str, "value": str}, pk="key", if_not_exists=True)
        stored = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(stored[0]) if stored else STORE_VERSION
        if version > STORE_VERSION:
            raise DatabaseTooNew(self.path, _too_new(stored[0]))
        self._create_tables()
        for old in range(version, STORE_VERSION):
            _MIGRATIONS[old](self.db)
        self._rebuild_changed_keys()
        for table, columns, unique in _INDEXES:
            self.db.table(table).create_index(columns, unique=unique, if_not_exists=True)
        if _path_layout(self.db) != "relative":
            _relative_paths(self.db)
        self.db.table("meta").upsert({"key": "schema_version", "value": str(STORE_VERSION)}, pk="key")

    def _create_tables(self) -> None:
        for name, spec in _TABLES.items():
            self.db.table(name).create(
                spec["columns"], pk=spec["pk"], not_null=spec.get("not_null"),
                foreign_keys=spec.get("foreign_keys"), if_not_exists=True,
            )
            # a database written before a column was added gets it (empty for old rows)
            present = self.db.table(name).columns_dict
            for column, kind in spec["columns"].items():
                if column not in present:
                    self.db.table(name).add_column(column, kind)

    def _rebuild_changed_keys(self) -> None:
        """SQLite cannot alter a primary key: a table whose key changed is copied into a new one
        (sqlite-utils `transform`), rows kept; the migrations have filled the new key's columns."""
        for name, spec in _TABLES.items():
            pk = spec["pk"]
            wanted = [pk] if isinstance(pk, str) else list(pk)
            if self.db.table(name).pks != wanted:
                self.db.table(name).transform(pk=pk)

    # -- writing --------------------------------------------------------------------------
    def stored_sha256(self, path: str) -> str | None:
        row = self.db.execute("SELECT sha256 FROM documents WHERE path = ?", [path]).fetchone()
        return row[0] if row else None

    def save(self, path: str, export: Export) -> int:
        """Store one parsed document, replacing what was stored for `path`, atomically."""
        with self.db.atomic():
            self._delete_path(path)
            doc = export.document
            document_id = _row_id(self.db.table("documents").insert(
                _fit({**doc.model_dump(mode="json"), "path": path, "ingested_at": _now()})
            ))
            for seq, indicator in enumerate(export.indicators):
                self._save_indicator(document_id, seq, indicator)
            for seq, summary in enumerate(export.score_summaries):
                self._save_summary(document_id, seq, summary)
            self.db.table("findings").insert_all(
                [_finding_row(document_id, f) for f in export.findings],
            )
            self.db.execute("DELETE FROM ingest_errors WHERE file = ?", [path])
        return document_id

    def save_error(self, path: str, failure: Failure, sha256: str | None = None) -> None:
        """Record that `path` (holding the bytes `sha256`) could not be ingested, and why (what
        was stored for it stays)."""
        self.db.table("ingest_errors").upsert(
            {"file": path, "kind": failure.kind.value, "reason": failure.reason,
             "timeout": failure.timeout, "at": _now(), "sha256": sha256}, pk="file")

    def earlier_error(self, path: str, sha256: str) -> Failure | None:
        """Why `path` failed in an earlier run, if it held the same bytes then."""
        row = self.db.execute("SELECT kind, reason, timeout FROM ingest_errors "
                              "WHERE file = ? AND sha256 = ? AND kind IS NOT NULL",
                              [path, sha256]).fetchone()
        return Failure(kind=row[0], reason=row[1], timeout=row[2]) if row else None

    def errors(self) -> list[dict[str, Any]]:
        """The files that failed: file, kind, reason, timeout (seconds, for a timed-out file)
        and when (`at`), by file."""
        return list(self.db.query("SELECT file, kind, reason, timeout, at FROM ingest_errors ORDER BY file"))

    def refresh_search(self) -> None:
        """Rebuild `indicator_search`, the full-text index over every indicator's code, name
        and details (FTS5 with the trigram tokenizer: Thai has no spaces between words, so an
        index of words would hold whole phrases; any 3 characters or more are found). Its rowid
        is indicators.id; Datasette searches the indicators table through it."""
        with self.db.atomic():
            self.db.execute("DROP TABLE IF EXISTS indicator_search")
            self.db.execute(f"CREATE VIRTUAL TABLE indicator_search USING fts5("
                            f"{', '.join(_SEARCHED)}, tokenize = 'trigram')")
            self.db.execute(
                f"INSERT INTO indicator_search (rowid, {', '.join(_SEARCHED)}) "
                "SELECT i.id, i.code, i.name, d.description, d.formula, d.condition, "
                "(SELECT group_concat(m.text, ' ') FROM milestones m WHERE m.indicator_id = i.id) "
                "FROM indicators i LEFT JOIN details d ON d.indicator_id = i.id")

    # -- batch ingest: transactions, write-ahead log, duplicates, moved files ------------------
    def batch(self, on_commit: Callable[[], None] | None = None, max_seconds: float | None = None) -> Batch:
        """Many writes per transaction, each all or nothing (`Batch`); use as a context manager.
        `max_seconds`: how long a transaction stays open at most (default `Batch.max_seconds`;
        0 commits at every `commit_if_due`)."""
        return Batch(self.db, on_commit, max_seconds)

    def enable_wal(self) -> None:
        """Write-ahead logging: readers (`kamrap errors`, `export`) may run during an ingest.
        `synchronous = FULL`: every commit is on disk when it returns, so a power cut loses no
        committed transaction (an ingest commits every few seconds, so the fsync costs nothing
        measurable); a killed process loses none in any mode."""
        self.db.enable_wal()
        self.db.execute("PRAGMA synchronous = FULL")

    def record_stop(self, reason: str) -> None:
        """Record why the last run stopped before its end (best effort: the disk may be full)."""
        try:
            with self.db.atomic():
                self.db.table("meta").upsert({"key": "last_stop", "value": f"{_now()} {reason}"}, pk="key")
        except sqlite3.Error:
            pass

    def clear_stop(self) -> None:
        self.db.execute("DELETE FROM meta WHERE key = 'last_stop'")

    def last_stop(self) -> str | None:
        """ "AT REASON" of the last run that stopped before its end, if the one after it did too."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'last_stop'").fetchone()
        return row[0] if row else None

    def documents_with_sha256(self, sha256: str) -> list[dict[str, Any]]:
        """The stored documents parsed from these bytes (`id`, `path`), oldest first."""
        return list(self.db.query(
            "SELECT id, path FROM documents WHERE sha256 = ? ORDER BY id", [sha256]))

    def record_file(self, path: str, sha256: str, document_id: int) -> None:
        """Record that `path` holds the bytes of stored document `document_id`: any other
        document stored under `path` goes (the file changed into a copy of that one), and so
        does its ingest error."""
        with self.db.atomic():
            for (other,) in self.db.execute(
                    "SELECT id FROM documents WHERE path = ? AND id != ?", [path, document_id]).fetchall():
                self._delete_document(other)
            stored = self.db.execute(
                "SELECT sha256 FROM document_files WHERE path = ?", [path]).fetchone()
            if stored is None or stored[0] != sha256:
                self.db.table("document_files").upsert({"path": path, "sha256": sha256}, pk="path")
            self.db.execute("DELETE FROM ingest_errors WHERE file = ?", [path])

    def file_names(self, document_id: int) -> list[str]:
        """Every path the document's bytes were recorded under, its own path first."""
        doc = self.db.execute("SELECT path, sha256 FROM documents WHERE id = ?", [document_id]).fetchone()
        if doc is None:
            return []
        others = [row[0] for row in self.db.execute(
            "SELECT path FROM document_files WHERE sha256 = ? AND path != ? ORDER BY path",
            [doc[1], doc[0]])]
        return [doc[0], *others]

    def move_document(self, document_id: int, path: str, file: str) -> None:
        """The document's file was moved (or renamed) to `path`: the same bytes under a new name."""
        with self.db.atomic():
            for (other,) in self.db.execute(
                    "SELECT id FROM documents WHERE path = ? AND id != ?", [path, document_id]).fetchall():
                self._delete_document(other)
            self.db.execute("UPDATE documents SET path = ?, file = ? WHERE id = ?", [path, file, document_id])

    def _delete_document(self, document_id: int) -> None:
        path = self.db.execute("SELECT path FROM documents WHERE id = ?", [document_id]).fetchone()[0]
        self._delete_path(path)

    def _save_summary(self, document_id: int, seq: int, summary: ScoreSummary) -> None:
        reported = summary.reported_total or Total()
        computed = summary.computed_total or Total()
        summary_id = _row_id(self.db.table("score_summaries").insert(_fit({
            "document_id": document_id, "seq": seq, "organization": summary.organization,
            "fiscal_year": summary.fiscal_year, "pages": json.dumps(summary.pages),
            "reported_score": reported.score, "reported_weight": reported.weight,
            "computed_score": computed.score, "computed_weight": computed.weight,
            "reported_total_page": summary.reported_total_page,
        })))
        self.db.table("score_rows").insert_all(
            [_fit({**row.model_dump(mode="json"), "summary_id": summary_id, "seq": n})
             for n, row in enumerate(summary.rows)])
        self.db.table("weight_transfers").insert_all(
            [_fit({**t.model_dump(mode="json"), "to_codes": json.dumps(t.to_codes, ensure_ascii=False),
                   "amounts": json.dumps(t.amounts), "summary_id": summary_id, "seq": n})
             for n, t in enumerate(summary.weight_transfers)])

    def _delete_path(self, path: str) -> None:
        for (document_id,) in self.db.execute("SELECT id FROM documents WHERE path = ?", [path]).fetchall():
            indicator_ids = "SELECT id FROM indicators WHERE document_id = ?"
            for child in _INDICATOR_CHILDREN:
                self.db.execute(f"DELETE FROM {child} WHERE indicator_id IN ({indicator_ids})", [document_id])
            summary_ids = "SELECT id FROM score_summaries WHERE document_id = ?"
            for child in ("score_rows", "weight_transfers"):
                self.db.execute(f"DELETE FROM {child} WHERE summary_id IN ({summary_ids})", [document_id])
            for child in ("indicators", "findings", "score_summaries"):
                self.db.execute(f"DELETE FROM {child} WHERE document_id = ?", [document_id])
            self.db.execute("DELETE FROM documents WHERE id = ?", [document_id])

    def _save_indicator(self, document_id: int, seq: int, indicator: Indicator) -> None:
        row = {key: getattr(indicator, key) for key in _INDICATOR_COLUMNS}
        row["targets_by_round"] = _json_or_none(indicator.targets_by_round)
        row["pages"] = json.dumps(indicator.pages)
        indicator_id = _row_id(self.db.table("indicators").insert(
            _fit({**row, "document_id": document_id, "seq": seq})
        ))
        self._insert("criteria_levels", indicator_id,
                     [{**c.model_dump(mode="json"), "seq": seq} for seq, c in enumerate(indicator.criteria)])
        self._save_indicator_tables(indicator_id, indicator)
        if indicator.details is not None:
            self._save_details(indicator_id, indicator.details)

    def _save_indicator_tables(self, indicator_id: int, indicator: Indicator) -> None:
        """The version-2 fields: by-period values, baseline, units, budget, sources."""
        self._insert("indicator_maps", indicator_id, [
            {"field": name} for name in _DICT_FIELDS if getattr(indicator, name) is not None])
        for name, (kind, period_type) in _VALUE_DICTS.items():
            self._insert("indicator_values", indicator_id,
                         _value_rows(kind, period_type, getattr(indicator, name) or {}))
        self._insert("indicator_baselines", indicator_id,
                     _numbered(b.model_dump() for b in indicator.baseline))
        self._insert("assessed_units", indicator_id,
                     _numbered({"unit": unit} for unit in indicator.assessed_units))
        self._insert("indicator_budgets", indicator_id, _numbered(
            {"heading": heading, "value": value} for heading, value in (indicator.budget or {}).items()))
        self._insert("indicator_sources", indicator_id,
                     _numbered(_source_row(source) for source in indicator.sources))

    def _save_details(self, indicator_id: int, details: IndicatorDetails) -> None:
        self.db.table("details").insert(
            {**details.model_dump(mode="json", exclude={"milestones", "baseline", "data_items"}),
             "indicator_id": indicator_id}
        )
        self._insert("data_items", indicator_id, _numbered({"item": item} for item in details.data_items))
        self._insert("milestones", indicator_id, _numbered(m.model_dump() for m in details.milestones))
        self._insert("baselines", indicator_id, [b.model_dump() for b in details.baseline])

    def _insert(self, table: str, indicator_id: int, rows: list[dict[str, Any]]) -> None:
        self.db.table(table).insert_all([_fit({**row, "indicator_id": indicator_id}) for row in rows])

    # -- reading --------------------------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM documents ORDER BY file, path"))

    def find_documents(self, name: str) -> list[dict[str, Any]]:
        """Documents stored under `name`: a path or file name (or the end of a path, or a path
        on this machine ending with the stored one), the document's own or one of its
        duplicates' (`document_files`)."""
        name = Path(name).as_posix()

        def named(path: str) -> bool:
            return path == name or path.endswith("/" + name) or name.endswith("/" + path)

        shas = {row[1] for row in self.db.execute("SELECT path, sha256 FROM document_files")
                if named(row[0])}
        return [d for d in self.documents()
                if named(d["path"]) or d["file"] == name or d["sha256"] in shas]

    def load_export(self, document_id: int) -> Export:
        doc = next(self.db.query("SELECT * FROM documents WHERE id = ?", [document_id]))
        indicators = [self._load_indicator(row) for row in self.db.query(
            "SELECT * FROM indicators WHERE document_id = ? ORDER BY seq", [document_id])]
        findings = [
            Finding.model_validate({k: _typed(row[k]) if k in ("expected", "actual") else row[k]
                                    for k in Finding.model_fields})
            for row in self.db.query("SELECT * FROM findings WHERE document_id = ? ORDER BY id",
                                     [document_id])
        ]
        summaries = [self._load_summary(row) for row in self.db.query(
            "SELECT * FROM score_summaries WHERE document_id = ? ORDER BY seq", [document_id])]
        return Export(
            document=Document(**{k: doc[k] for k in Document.model_fields}),
            indicators=indicators, score_summaries=summaries, findings=findings,
        )

    def _load_summary(self, row: dict[str, Any]) -> ScoreSummary:
        def total(score: float | None, weight: float | None) -> Total | None:
            if score is None and weight is None:
                return None
            return Total(score=int_if_integral(score), weight=int_if_integral(weight))

        rows = [
            ScoreRow(**{**r, "score": int_if_integral(r["score"]), "weight": int_if_integral(r["weight"])})
            for r in self.db.query(
                "SELECT code, name, score, weight, status, status_text, page FROM score_rows "
                "WHERE summary_id = ? ORDER BY seq", [row["id"]])
        ]
        transfers = [
            WeightTransfer(from_code=t["from_code"], to_codes=json.loads(t["to_codes"]),
                           weight=int_if_integral(t["weight"]),
                           amounts=[int_if_integral(a) for a in json.loads(t["amounts"] or "[]")],
                           text=t["text"], page=t["page"])
            for t in self.db.query(
                "SELECT * FROM weight_transfers WHERE summary_id = ? ORDER BY seq", [row["id"]])
        ]
        return ScoreSummary(
            organization=row["organization"], fiscal_year=row["fiscal_year"],
            pages=json.loads(row["pages"] or "[]"), rows=rows,
            reported_total=total(row["reported_score"], row["reported_weight"]),
            reported_total_page=row["reported_total_page"],
            computed_total=total(row["computed_score"], row["computed_weight"]),
            weight_transfers=transfers,
        )

    def _load_indicator(self, row: dict[str, Any]) -> Indicator:
        indicator_id = row["id"]
        fields: dict[str, Any] = {key: row[key] for key in _INDICATOR_COLUMNS}
        for key in _INDICATOR_NUMBERS:
            fields[key] = int_if_integral(fields[key])
        fields["pages"] = json.loads(row["pages"] or "[]")
        fields["criteria"] = [
            {**c, "value": int_if_integral(c["value"])} for c in self._rows(
                "SELECT level, text, value, scope FROM criteria_levels WHERE indicator_id = ? ORDER BY seq",
                indicator_id)
        ]
        fields.update(self._load_indicator_tables(indicator_id))
        detail_rows = self._rows("SELECT * FROM details WHERE indicator_id = ?", indicator_id)
        if detail_rows:
            fields["details"] = self._load_details(detail_rows[0])
        return Indicator(**fields)

    def _load_indicator_tables(self, indicator_id: int) -> dict[str, Any]:
        given = {r["field"] for r in self._rows(
            "SELECT field FROM indicator_maps WHERE indicator_id = ?", indicator_id)}
        fields: dict[str, Any] = {name: {} if name in given else None for name in _DICT_FIELDS}
        for r in self._rows("SELECT kind, period_type, period, value_number, value_text "
                            "FROM indicator_values WHERE indicator_id = ? ORDER BY seq", indicator_id):
            name = next(n for n, key in _VALUE_DICTS.items() if key == (r["kind"], r["period_type"]))
            fields[name][r["period"]] = _cell_value(r["value_number"], r["value_text"])
        for r in self._rows("SELECT heading, value FROM indicator_budgets WHERE indicator_id = ? "
                            "ORDER BY seq", indicator_id):
            fields["budget"][r["heading"]] = int_if_integral(r["value"])
        fields["baseline"] = [
            {**b, "value": int_if_integral(b["value"])} for b in self._rows(
                "SELECT fiscal_year, value FROM indicator_baselines WHERE indicator_id = ? ORDER BY seq",
                indicator_id)
        ]
        fields["assessed_units"] = [r["unit"] for r in self._rows(
            "SELECT unit FROM assessed_units WHERE indicator_id = ? ORDER BY seq", indicator_id)]
        fields["sources"] = [_source(r) for r in self._rows(
            "SELECT * FROM indicator_sources WHERE indicator_id = ? ORDER BY seq", indicator_id)]
        return fields

    def _load_details(self, row: dict[str, Any]) -> IndicatorDetails:
        indicator_id = row["indicator_id"]
        details = {k: v for k, v in row.items() if k != "indicator_id"}
        details["milestones"] = self._rows(
            "SELECT level, text, round FROM milestones WHERE indicator_id = ? ORDER BY seq", indicator_id)
        details["baseline"] = [
            {**b, "value": int_if_integral(b["value"])} for b in self._rows(
                "SELECT fiscal_year, value FROM baselines WHERE indicator_id = ? ORDER BY fiscal_year",
                indicator_id)
        ]
        details["data_items"] = [r["item"] for r in self._rows(
            "SELECT item FROM data_items WHERE indicator_id = ? ORDER BY seq", indicator_id)]
        return IndicatorDetails(**details)

    def _rows(self, sql: str, indicator_id: int) -> list[dict[str, Any]]:
        return list(self.db.query(sql, [indicator_id]))

    def flat_rows(self, table: FlatTable) -> Iterator[list[SqlValue]]:
        """The rows of one flat table of the exports (`kamrap.schema.flat`), typed as its
        columns say."""
        for row in self.db.execute(table.query):
            yield typed_row(table, row)

    def exports(self) -> Iterator[Export]:
        for doc in self.documents():
            yield self.load_export(doc["id"])


def _too_new(version: str) -> str:
    return (f"database schema version {version}, this kamrap writes {STORE_VERSION}; "
            "upgrade kamrap or ingest into a new database")


def _store_error(path: Path, exc: sqlite3.DatabaseError) -> StoreError:
    """SQLite's complaint about the file itself, as a StoreError."""
    text = str(exc)
    if "not a database" in text:
        return NotADatabase(path, "not an SQLite database")
    if "readonly" in text or "read-only" in text:
        return DatabaseUnwritable(path, "cannot write: the file or its folder is read-only")
    if "unable to open" in text:
        return StoreError(path, "cannot open the database file (its folder missing or not readable?)")
    return StoreError(path, f"database error ({text})")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _numbered(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with their position (`seq`): the order a list or dict had is part of the data."""
    return [{**row, "seq": seq} for seq, row in enumerate(rows)]


def _value_rows(kind: str, period_type: str, values: Mapping[str, object]) -> list[dict[str, Any]]:
    return _numbered(
        {"kind": kind, "period_type": period_type, "period": period,
         "value_number": None if isinstance(value, str) else value,
         "value_text": value if isinstance(value, str) else None}
        for period, value in values.items())


def _cell_value(number: float | None, text: str | None) -> int | float | str | None:
    return text if text is not None else int_if_integral(number)


def _source_row(source: RowSource) -> dict[str, Any]:
    x0, top, x1, bottom = source.bbox or (None, None, None, None)
    return {"page": source.page, "x0": x0, "top": top, "x1": x1, "bottom": bottom,
            "method": source.method.value}


def _source(row: dict[str, Any]) -> RowSource:
    corners = (row["x0"], row["top"], row["x1"], row["bottom"])
    return RowSource(page=row["page"], bbox=None if corners[0] is None else corners,
                     method=row["method"])


_SQLITE_INT = 2**63 - 1


def _row_id(table: Table) -> int:
    """The integer key of the row `table` just inserted (sqlite-utils types `last_pk` as
    `Any | None`; a table keyed by an integer `id` always gives one)."""
    if not isinstance(table.last_pk, int):
        raise TypeError(f"{table.name}: inserted row has no integer key ({table.last_pk!r})")
    return table.last_pk


def _fit(row: dict[str, Any]) -> dict[str, Any]:
    """SQLite integers are 64-bit: a longer one (a misread run of digits on a page) is stored
    as the nearest REAL (or infinity past REAL's range) instead of failing the whole file."""
    def fit(value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _SQLITE_INT:
            try:
                return float(value)
            except OverflowError:
                return math.inf if value > 0 else -math.inf
        return value

    return {key: fit(value) for key, value in row.items()}


def _finding_row(document_id: int, finding: Finding) -> dict[str, Any]:
    row = finding.model_dump(mode="json")
    for key in ("expected", "actual"):
        row[key] = None if row[key] is None else json.dumps(row[key], ensure_ascii=False)
    return _fit({**row, "document_id": document_id})


def _typed(stored: str | None) -> str | int | float | None:
    return None if stored is None else json.loads(stored)


def _migrate_1_to_2(db: sqlite_utils.Database) -> None:
    """Fill what version 2 keys or reads differently; new tables and columns exist by now."""
    # milestones are keyed by position now; v1 kept one per level and read them by level
    db.execute("UPDATE milestones SET seq = (SELECT count(*) FROM milestones AS m "
               "WHERE m.indicator_id = milestones.indicator_id AND m.level < milestones.level)")
    # v1 kept targets_by_round only as JSON in its column; version 2 reads indicator_values
    for indicator_id, stored in db.execute(
            "SELECT id, targets_by_round FROM indicators WHERE targets_by_round IS NOT NULL").fetchall():
        db.table("indicator_maps").insert({"indicator_id": indicator_id, "field": "targets_by_round"})
        db.table("indicator_values").insert_all([
            _fit({**row, "indicator_id": indicator_id})
            for row in _value_rows("target", "round", json.loads(stored))])


def _migrate_2_to_3(db: sqlite_utils.Database) -> None:
    """Criteria levels are keyed by position now (levels repeat per scope); v2 kept one per level."""
    db.execute("UPDATE criteria_levels SET seq = (SELECT count(*) FROM criteria_levels AS c "
               "WHERE c.indicator_id = criteria_levels.indicator_id AND c.level < criteria_levels.level)")


def _migrate_3_to_4(db: sqlite_utils.Database) -> None:
    """Each ingest error gets its kind, and a timed-out one its timeout in seconds, as columns:
    kamrap before version 4 stored the reason's text alone. This one-time step is the only place
    that reads our own messages back (their labels and the timeout's number, by a regex over the
    text kamrap wrote); the live code reads the columns."""
    timed_out = re.compile(r"^timed out \(no result after (?P<seconds>[\d.]+) s\)")
    # the longest label first: none is the start of another today, but a later one might be
    labels = sorted(FAILURE_LABELS.items(), key=lambda item: -len(item[1]))
    for file, reason in db.execute("SELECT file, reason FROM ingest_errors WHERE kind IS NULL").fetchall():
        # every reason kamrap has written begins with its kind's label; what begins with none
        # (not written by kamrap) is counted with the bugs, as a parser error
        kind = next((k for k, label in labels if reason.startswith(label)), FailureKind.parser_error)
        match = timed_out.match(reason) if kind is FailureKind.timed_out else None
        db.execute("UPDATE ingest_errors SET kind = ?, timeout = ? WHERE file = ?",
                   [kind.value, float(match["seconds"]) if match else None, file])


# Where stored files are named: documents.path, document_files.path, ingest_errors.file.
_PATH_COLUMNS = (("documents", "path"), ("document_files", "path"), ("ingest_errors", "file"))


def _path_layout(db: sqlite_utils.Database) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = 'path_layout'").fetchone()
    return row[0] if row else None


def _relative_paths(db: sqlite_utils.Database) -> None:
    """Stored names relative to the folder they were ingested from (kamrap before this stored
    absolute paths, which leak a machine's folders when a database is published): each absolute
    path becomes relative to the parent of the folder all of them share, so that folder's name
    is kept once (/home/u/samples/a.pdf, /home/u/samples/b.pdf → samples/a.pdf, samples/b.pdf)."""
    absolute = sorted({path for table, column in _PATH_COLUMNS
                       for (path,) in db.execute(f"SELECT {column} FROM {table}")
                       if os.path.isabs(path)})
    if absolute:
        shared = os.path.commonpath([os.path.dirname(p) for p in absolute])
        base = os.path.dirname(shared)
        for table, column in _PATH_COLUMNS:
            for (path,) in db.execute(f"SELECT {column} FROM {table}").fetchall():
                if os.path.isabs(path):
                    relative = Path(os.path.relpath(path, base)).as_posix()
                    db.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", [relative, path])
    db.table("meta").upsert({"key": "path_layout", "value": "relative"}, pk="key")


# schema version → the step that brings a database of that version to the next
_MIGRATIONS = {1: _migrate_1_to_2, 2: _migrate_2_to_3, 3: _migrate_3_to_4}


def _json_or_none(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)

