"""The SQLite store: one database file holding every ingested document, through sqlite-utils.

Each document is written in one transaction (`Database.atomic`): a file is either fully
stored or absent, and re-ingesting a changed file replaces its rows in the same transaction.
`load_export` rebuilds the canonical `Export` from the tables, so the JSON export and the
database cannot disagree.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from kamrap.schema.models import (
    SCHEMA_VERSION,
    Document,
    Export,
    Finding,
    Indicator,
    IndicatorDetails,
)

DEFAULT_DB = Path("output/kamrap.db")

# Child tables hang off documents (or indicators) by foreign key; `Store.delete` removes a
# document and everything parsed from it.
_TABLES: dict[str, dict] = {
    "documents": {
        "columns": {"id": int, "path": str, "file": str, "sha256": str, "page_count": int,
                    "kind": str, "organization": str, "fiscal_year": int, "ingested_at": str},
        "pk": "id", "not_null": {"path", "file", "sha256", "kind"},
    },
    "indicators": {
        "columns": {"id": int, "document_id": int, "seq": int, "code": str, "name": str,
                    "dimension": str, "dimension_weight": float, "perspective": str,
                    "objective_no": int, "objective": str, "weight": float, "target_level": float,
                    "targets_by_round": str, "unit": str, "responsible": str, "direction": str,
                    "remark": str, "pages": str},
        "pk": "id", "not_null": {"document_id", "code", "name"},
        "foreign_keys": [("document_id", "documents", "id")],
    },
    "criteria_levels": {
        "columns": {"indicator_id": int, "level": int, "text": str, "value": float},
        "pk": ("indicator_id", "level"),
        "foreign_keys": [("indicator_id", "indicators", "id")],
    },
    "details": {
        "columns": {"indicator_id": int, "description": str, "formula": str, "condition": str,
                    "data_source": str, "supervisor": str, "collector": str},
        "pk": "indicator_id",
        "foreign_keys": [("indicator_id", "indicators", "id")],
    },
    "milestones": {
        "columns": {"indicator_id": int, "level": int, "text": str},
        "pk": ("indicator_id", "level"),
        "foreign_keys": [("indicator_id", "indicators", "id")],
    },
    "baselines": {
        "columns": {"indicator_id": int, "fiscal_year": int, "value": float},
        "pk": ("indicator_id", "fiscal_year"),
        "foreign_keys": [("indicator_id", "indicators", "id")],
    },
    "findings": {
        "columns": {"id": int, "document_id": int, "kind": str, "severity": str,
                    "organization": str, "code": str, "expected": str, "actual": str,
                    "message": str, "page": int},
        "pk": "id", "not_null": {"document_id", "kind", "severity"},
        "foreign_keys": [("document_id", "documents", "id")],
    },
}
_INDEXES = [
    ("documents", ["path"], True),
    ("documents", ["sha256"], False),
    ("indicators", ["document_id", "seq"], True),
    ("indicators", ["code"], False),
    ("findings", ["document_id"], False),
    ("findings", ["kind"], False),
]


class Store:
    """A kamrap database. Use as a context manager or call `close()`."""

    def __init__(self, path: Path | str = DEFAULT_DB) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.path)
        self.db.execute("PRAGMA foreign_keys = ON")
        self._ensure_schema()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- schema ---------------------------------------------------------------------------
    def _ensure_schema(self) -> None:
        with self.db.atomic():
            self.db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
            stored = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if stored and int(stored[0]) != SCHEMA_VERSION:
                raise RuntimeError(
                    f"{self.path}: database schema version {stored[0]}, this kamrap writes "
                    f"{SCHEMA_VERSION}; ingest into a new database"
                )
            for name, spec in _TABLES.items():
                self.db[name].create(
                    spec["columns"], pk=spec["pk"], not_null=spec.get("not_null"),
                    foreign_keys=spec.get("foreign_keys"), if_not_exists=True,
                )
            for table, columns, unique in _INDEXES:
                self.db[table].create_index(columns, unique=unique, if_not_exists=True)
            self.db["meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")

    # -- writing --------------------------------------------------------------------------
    def stored_sha256(self, path: str) -> str | None:
        row = self.db.execute("SELECT sha256 FROM documents WHERE path = ?", [path]).fetchone()
        return row[0] if row else None

    def save(self, path: str, export: Export) -> int:
        """Store one parsed document, replacing what was stored for `path`, atomically."""
        with self.db.atomic():
            self._delete_path(path)
            doc = export.document
            document_id = self.db["documents"].insert(
                {**doc.model_dump(mode="json"), "path": path,
                 "ingested_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
            ).last_pk
            for seq, indicator in enumerate(export.indicators):
                self._save_indicator(document_id, seq, indicator)
            self.db["findings"].insert_all(
                [_finding_row(document_id, f) for f in export.findings],
            )
        return document_id

    def _delete_path(self, path: str) -> None:
        for (document_id,) in self.db.execute("SELECT id FROM documents WHERE path = ?", [path]).fetchall():
            indicator_ids = "SELECT id FROM indicators WHERE document_id = ?"
            for child in ("criteria_levels", "details", "milestones", "baselines"):
                self.db.execute(f"DELETE FROM {child} WHERE indicator_id IN ({indicator_ids})", [document_id])
            for child in ("indicators", "findings"):
                self.db.execute(f"DELETE FROM {child} WHERE document_id = ?", [document_id])
            self.db.execute("DELETE FROM documents WHERE id = ?", [document_id])

    def _save_indicator(self, document_id: int, seq: int, indicator: Indicator) -> None:
        row = indicator.model_dump(mode="json", exclude={"criteria", "details"})
        row["targets_by_round"] = _json_or_none(row["targets_by_round"])
        row["pages"] = json.dumps(row["pages"])
        indicator_id = self.db["indicators"].insert(
            {**row, "document_id": document_id, "seq": seq}
        ).last_pk
        self.db["criteria_levels"].insert_all(
            [{**c.model_dump(mode="json"), "indicator_id": indicator_id} for c in indicator.criteria]
        )
        details = indicator.details
        if details is None:
            return
        self.db["details"].insert(
            {**details.model_dump(mode="json", exclude={"milestones", "baseline"}),
             "indicator_id": indicator_id}
        )
        self.db["milestones"].insert_all(
            [{**m.model_dump(), "indicator_id": indicator_id} for m in details.milestones]
        )
        self.db["baselines"].insert_all(
            [{**b.model_dump(), "indicator_id": indicator_id} for b in details.baseline]
        )

    # -- reading --------------------------------------------------------------------------
    def documents(self) -> list[dict]:
        return list(self.db.query("SELECT * FROM documents ORDER BY file, path"))

    def find_documents(self, name: str) -> list[dict]:
        """Documents whose stored path or file name is `name` (or ends with it)."""
        return [d for d in self.documents()
                if d["path"] == name or d["file"] == name or d["path"].endswith("/" + name)]

    def load_export(self, document_id: int) -> Export:
        doc = next(self.db.query("SELECT * FROM documents WHERE id = ?", [document_id]))
        indicators = [self._load_indicator(row) for row in self.db.query(
            "SELECT * FROM indicators WHERE document_id = ? ORDER BY seq", [document_id])]
        findings = [
            Finding(**{k: _typed(row[k]) if k in ("expected", "actual") else row[k]
                       for k in Finding.model_fields})
            for row in self.db.query("SELECT * FROM findings WHERE document_id = ? ORDER BY id",
                                     [document_id])
        ]
        return Export(
            document=Document(**{k: doc[k] for k in Document.model_fields}),
            indicators=indicators, findings=findings,
        )

    def _load_indicator(self, row: dict) -> Indicator:
        indicator_id = row["id"]
        fields = {k: row[k] for k in Indicator.model_fields if k in row}
        fields["targets_by_round"] = json.loads(row["targets_by_round"]) if row["targets_by_round"] else None
        fields["pages"] = json.loads(row["pages"] or "[]")
        for key in ("dimension_weight", "weight", "target_level"):
            fields[key] = _int_if_integral(fields[key])
        fields["criteria"] = [
            {**c, "value": _int_if_integral(c["value"])} for c in self.db.query(
                "SELECT level, text, value FROM criteria_levels WHERE indicator_id = ? ORDER BY level",
                [indicator_id])
        ]
        detail_rows = list(self.db.query("SELECT * FROM details WHERE indicator_id = ?", [indicator_id]))
        if detail_rows:
            details = {k: v for k, v in detail_rows[0].items() if k != "indicator_id"}
            details["milestones"] = list(self.db.query(
                "SELECT level, text FROM milestones WHERE indicator_id = ? ORDER BY level", [indicator_id]))
            details["baseline"] = [
                {**b, "value": _int_if_integral(b["value"])} for b in self.db.query(
                    "SELECT fiscal_year, value FROM baselines WHERE indicator_id = ? ORDER BY fiscal_year",
                    [indicator_id])
            ]
            fields["details"] = IndicatorDetails(**details)
        return Indicator(**fields)

    def exports(self) -> Iterator[Export]:
        for doc in self.documents():
            yield self.load_export(doc["id"])


def _finding_row(document_id: int, finding: Finding) -> dict:
    row = finding.model_dump(mode="json")
    for key in ("expected", "actual"):
        row[key] = None if row[key] is None else json.dumps(row[key], ensure_ascii=False)
    return {**row, "document_id": document_id}


def _typed(stored: str | None) -> str | int | float | None:
    return None if stored is None else json.loads(stored)


def _json_or_none(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _int_if_integral(value: float | int | None) -> float | int | None:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
