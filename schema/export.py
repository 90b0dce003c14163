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


# Rows of a table that hangs off an indicator, named by the file and indicator code they belong to.
_BY_INDICATOR = ("FROM {table} t JOIN indicators i ON i.id = t.indicator_id "
                 "JOIN documents d ON d.id = i.document_id ORDER BY d.file, i.seq, {order}")


def _indicator_table(table: str, columns: str, order: str = "t.seq") -> str:
    return f"SELECT d.file, i.code, {columns} " + _BY_INDICATOR.format(table=table, order=order)


_CSV_QUERIES = {
    "documents": "SELECT id AS document_id, file, path, sha256, page_count, kind, organization, "
                 "fiscal_year, ingested_at FROM documents ORDER BY file",
    "indicators": "SELECT d.file, i.document_id, i.seq, i.code, i.name, i.dimension, i.dimension_weight, "
                  "i.perspective, i.objective_no, i.objective, i.weight, i.target, i.target_level, "
                  "i.target_value, i.targets_by_round, i.score, i.weighted_score, i.status, i.unit, "
                  "i.responsible, i.direction, i.remark, i.pages "
                  "FROM indicators i JOIN documents d ON d.id = i.document_id ORDER BY d.file, i.seq",
    "criteria_levels": _indicator_table("criteria_levels", "t.level, t.text, t.value", "t.level"),
    "indicator_values": _indicator_table(
        "indicator_values", "t.kind, t.period_type, t.seq, t.period, t.value_number, t.value_text",
        "t.kind, t.period_type, t.seq"),
    "indicator_maps": _indicator_table("indicator_maps", "t.field", "t.field"),
    "indicator_baselines": _indicator_table("indicator_baselines", "t.seq, t.fiscal_year, t.value"),
    "assessed_units": _indicator_table("assessed_units", "t.seq, t.unit"),
    "indicator_budgets": _indicator_table("indicator_budgets", "t.seq, t.heading, t.value"),
    "indicator_sources": _indicator_table(
        "indicator_sources", "t.seq, t.page, t.x0, t.top, t.x1, t.bottom, t.method"),
    "details": _indicator_table(
        "details", "t.description, t.formula, t.condition, t.data_source, t.supervisor, "
        "t.collector, t.target_population, t.data_collection, t.evaluation_period, "
        "t.evaluation_method", "t.indicator_id"),
    "data_items": _indicator_table("data_items", "t.seq, t.item"),
    "milestones": _indicator_table("milestones", "t.seq, t.level, t.text, t.round"),
    "baselines": _indicator_table("baselines", "t.fiscal_year, t.value", "t.fiscal_year"),
    "score_summaries": "SELECT d.file, s.seq, s.organization, s.fiscal_year, s.pages, s.reported_score, "
                       "s.reported_weight, s.reported_total_page, s.computed_score, s.computed_weight "
                       "FROM score_summaries s JOIN documents d ON d.id = s.document_id "
                       "ORDER BY d.file, s.seq",
    "score_rows": "SELECT d.file, s.seq AS summary_seq, r.seq, r.code, r.name, r.score, r.weight, "
                  "r.status, r.status_text, r.page FROM score_rows r "
                  "JOIN score_summaries s ON s.id = r.summary_id JOIN documents d ON d.id = s.document_id "
                  "ORDER BY d.file, s.seq, r.seq",
    "weight_transfers": "SELECT d.file, s.seq AS summary_seq, w.seq, w.from_code, w.to_codes, w.weight, "
                        "w.amounts, w.text, w.page FROM weight_transfers w "
                        "JOIN score_summaries s ON s.id = w.summary_id "
                        "JOIN documents d ON d.id = s.document_id ORDER BY d.file, s.seq, w.seq",
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
