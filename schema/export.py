"""Writing stored documents out: one canonical JSON per source PDF, or flat CSV tables."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from kamrap.schema.models import Export
from kamrap.schema.store import Store


def export_json(export: Export) -> str:
    return json.dumps(export.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def write_json(store: Store, out_dir: Path) -> list[Path]:
    """`<pdf stem>.json` for every stored document; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for export in store.exports():
        target = out_dir / (Path(export.document.file).stem + ".json")
        target.write_text(export_json(export), encoding="utf-8")
        written.append(target)
    return written


_CSV_QUERIES = {
    "documents": "SELECT id AS document_id, file, path, sha256, page_count, kind, organization, "
                 "fiscal_year, ingested_at FROM documents ORDER BY file",
    "indicators": "SELECT d.file, i.document_id, i.seq, i.code, i.name, i.dimension, i.dimension_weight, "
                  "i.perspective, i.objective_no, i.objective, i.weight, i.target_level, "
                  "i.targets_by_round, i.unit, i.responsible, i.direction, i.remark, i.pages "
                  "FROM indicators i JOIN documents d ON d.id = i.document_id ORDER BY d.file, i.seq",
    "criteria_levels": "SELECT d.file, i.code, c.level, c.text, c.value FROM criteria_levels c "
                       "JOIN indicators i ON i.id = c.indicator_id JOIN documents d ON d.id = i.document_id "
                       "ORDER BY d.file, i.seq, c.level",
    "findings": "SELECT d.file, f.kind, f.severity, f.organization, f.code, f.expected, f.actual, "
                "f.message, f.page FROM findings f JOIN documents d ON d.id = f.document_id "
                "ORDER BY d.file, f.id",
}


def write_csv(store: Store, out_dir: Path) -> list[Path]:
    """One CSV per table (UTF-8 with BOM, so Excel shows Thai correctly)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, query in _CSV_QUERIES.items():
        cursor = store.db.execute(query)
        target = out_dir / f"{name}.csv"
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([d[0] for d in cursor.description])
            writer.writerows([_cell(v) for v in row] for row in cursor)
        written.append(target)
    return written


def _cell(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
