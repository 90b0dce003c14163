"""Publishing a kamrap database with Datasette: its metadata (titles and descriptions in Thai
and English for every table and column, label columns, facets, the full-text search).

    kamrap datasette-metadata --db output/kamrap.db > metadata.json
    datasette serve output/kamrap.db --metadata metadata.json

The search runs through `indicator_search`, the trigram full-text index the store keeps over
every indicator's code, name and details (`kamrap.schema.store.Store.refresh_search`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kamrap.schema.export import TABLES_BY_NAME
from kamrap.schema.store import Store

# table → (Thai title, English title, description, label column, facets)
_TABLES: dict[str, tuple[str, str, str, str | None, list[str]]] = {
    "documents": ("เอกสาร", "Documents", "One row per PDF stored: what it is, the unit and the fiscal year.",
                  "file", ["kind", "organization", "fiscal_year"]),
    "indicators": ("ตัวชี้วัด", "Indicators", "Every indicator of every document, in printed order. "
                   "Search: the names and details pages (any 3 characters or more).", "name",
                   ["document_id", "dimension", "direction"]),
    "criteria_levels": ("เกณฑ์การให้คะแนน", "Criteria levels", "The five-level criteria of an indicator.",
                        "text", ["level"]),
    "indicator_values": ("ค่าเป้าหมายและผลการดำเนินงาน", "Targets and results",
                         "Targets and results by round (months) or by fiscal year.", "period",
                         ["kind", "period_type", "period"]),
    "indicator_maps": ("รายการที่มีในตัวชี้วัด", "Maps given", "Which of an indicator's by-period maps are "
                       "given (an empty map has no rows elsewhere).", "field", ["field"]),
    "indicator_baselines": ("ข้อมูลพื้นฐาน", "Baselines", "Past results by fiscal year from the "
                            "indicator's own table.", None, ["fiscal_year"]),
    "assessed_units": ("หน่วยงานที่รับการประเมิน", "Assessed units", "Units a check-mark column marks "
                       "as assessed.", "unit", ["unit"]),
    "indicator_budgets": ("งบประมาณ", "Budgets", "Budget amounts by column heading.", "heading", ["heading"]),
    "indicator_sources": ("ตำแหน่งในเอกสาร", "Where printed", "The page and box each part of an "
                          "indicator is printed in, and how its table was read.", None, ["method", "page"]),
    "details": ("รายละเอียดตัวชี้วัด", "Indicator details", "Details pages: description, formula, "
                "data source, evaluation.", "description", []),
    "data_items": ("รายการข้อมูล", "Data items", "Data items of a details page.", "item", []),
    "milestones": ("ขั้นตอนการดำเนินงาน", "Milestones", "Milestone levels of a details page.", "text",
                   ["level", "round"]),
    "baselines": ("ข้อมูลพื้นฐาน (รายละเอียด)", "Details baselines", "Baseline data by fiscal year from "
                  "a details page.", None, ["fiscal_year"]),
    "findings": ("ข้อสังเกตจากการตรวจสอบ", "Findings", "What kamrap found wrong or doubtful, with the "
                 "expected and the printed value and the page.", "message", ["kind", "severity", "organization"]),
    "score_summaries": ("สรุปผลคะแนน", "Score summaries", "Each printed total beside the one kamrap "
                        "recomputes from the rows.", "organization", ["organization", "fiscal_year"]),
    "score_rows": ("คะแนนรายตัวชี้วัด", "Score rows", "The rows of a score summary.", "name",
                   ["status", "code"]),
    "weight_transfers": ("การโอนน้ำหนัก", "Weight transfers", "Footnotes moving the weight of a deferred "
                         "indicator; to_codes and amounts are JSON lists.", "from_code", ["from_code"]),
    "document_files": ("ชื่อไฟล์", "File names", "Every name a stored document's bytes were found under.",
                       "path", []),
    "ingest_errors": ("ไฟล์ที่อ่านไม่ได้", "Files not ingested", "Files that could not be ingested, and why.",
                      "file", ["kind"]),
    "meta": ("ข้อมูลฐานข้อมูล", "About this database", "The schema version and path layout.", "key", []),
}
# Database columns named differently from the export's (or not in it).
_COLUMNS = {
    "id": "The row's id (other tables refer to it).",
    "document_id": "The document (documents.id).",
    "indicator_id": "The indicator (indicators.id).",
    "summary_id": "The score summary (score_summaries.id).",
    "seq": "Position in its list, from 0.",
    "pages": "Pages it is printed on (JSON list).",
    "targets_by_round": "Targets by round as JSON (also in indicator_values).",
    "to_codes": "Indicators receiving weight (JSON list).",
    "amounts": "Weight each receives, when printed (JSON list, in to_codes order).",
    "expected": "What was expected (JSON: a number or a text).",
    "actual": "What is printed (JSON: a number or a text).",
    "field": "The indicator field given.",
    "key": "Setting.", "value": "Its value.",
}
_EXPORT_NAME = {"baselines": "details_baselines"}


def _column_descriptions(store: Store, table: str) -> dict[str, str]:
    exported = TABLES_BY_NAME.get(_EXPORT_NAME.get(table, table))
    known = {c.name: c.description for c in exported.columns} if exported else {}
    described = {}
    for column in store.db[table].columns_dict:
        ids = column in ("id", "document_id", "indicator_id", "summary_id")
        text = _COLUMNS[column] if ids else known.get(column) or _COLUMNS.get(column)
        if text:
            described[column] = text
    return described


def datasette_metadata(db: Path | str) -> dict[str, Any]:
    """Datasette metadata for the kamrap database `db` (its database name is the file's stem)."""
    with Store(db, readonly=True) as store:
        present = set(store.db.table_names())
        tables = {}
        for name, (thai, english, description, label, facets) in _TABLES.items():
            if name not in present:
                continue
            entry: dict[str, Any] = {"title": f"{thai} — {english}", "description": description,
                           "columns": _column_descriptions(store, name)}
            if label:
                entry["label_column"] = label
            if facets:
                entry["facets"] = facets
            tables[name] = entry
        if "indicator_search" in present and "indicators" in tables:
            tables["indicators"].update({"fts_table": "indicator_search", "fts_pk": "id"})
        hidden = [t for t in present if t.startswith("indicator_search")]
        for name in hidden:
            tables[name] = {"hidden": True}
    return {
        "title": "คำรับรองการปฏิบัติราชการ — Thai performance agreements (kamrap)",
        "description": "ตัวชี้วัด เกณฑ์ และสรุปผลคะแนนจากไฟล์ PDF คำรับรองการปฏิบัติราชการ "
                       "— indicators, criteria and score summaries read from Thai government "
                       "performance-agreement PDFs by kamrap, with the totals it recomputed.",
        "databases": {Path(db).stem: {"tables": tables}},
    }
