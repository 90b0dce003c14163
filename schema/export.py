"""Writing stored documents out, for other tools.

- ``json``: one canonical `Export` per stored document (`document_json_names` says where);
- ``ndjson``: every `Export` in one file, one JSON document per line;
- ``csv``, ``parquet``, ``xlsx``: every table of the database as flat, typed tables (`TABLES`):
  each row carries the stable ids of what it belongs to (``document_id``, ``indicator_id``,
  ``summary_id``: the database's own keys, so the tables join with each other and with the
  SQLite file), lists and by-period maps are child tables (no JSON in a cell), a value that
  may be a number or a text (a finding's expected/actual) is two columns, ``_number`` and
  ``_text``. Codes, years-as-labels and other identifiers are strings; numbers are numbers.

CSV files are UTF-8 with a BOM (Excel reads the Thai) and come with ``datapackage.json``, a
Frictionless Data Package whose Table Schemas (every column's type, description, allowed values,
keys) are generated from the pydantic models of `kamrap.schema.models`. A text cell that a
spreadsheet would run as a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is written with a leading ``'``, as OWASP recommends; `unneutralise` undoes it.
In xlsx such cells are typed as text, so they need no prefix.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from kamrap.schema.flat import TABLES, TABLES_BY_NAME, Column, FlatTable
from kamrap.schema.models import Export
from kamrap.schema.store import Store

__all__ = ["FORMATS", "TABLES", "TABLES_BY_NAME", "WRITERS", "Column", "FlatTable", "datapackage",
           "document_json_names", "export_json", "neutralise", "pandas_dtypes", "table_schema",
           "unneutralise"]

FORMATS = ("json", "ndjson", "csv", "parquet", "xlsx")


# -- json / ndjson ----------------------------------------------------------------------------
def export_json(export: Export) -> str:
    return json.dumps(export.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def document_json_names(paths: Sequence[str]) -> list[str]:
    """The file each stored document's JSON is written to, for documents stored under `paths`.

    A document's JSON goes at its path relative to the folder all stored paths share, with
    ``.pdf`` replaced by ``.json``: documents ingested from one folder give flat ``<stem>.json``
    files, while ``a/report.pdf`` and ``b/report.pdf`` give ``a/report.json`` and
    ``b/report.json``. Two paths that would still give the same name (``x.pdf`` and ``x.PDF``, or
    names equal but for letter case, which some file systems do not tell apart) are told apart by
    the start of their path's position: ``x.json``, ``x~2.json``.
    """
    parts = [PurePosixPath(p.replace("\\", "/")).parts for p in paths]
    common = 0
    if parts:
        shortest = min(len(p) for p in parts) - 1  # the file name itself is never shared
        while common < shortest and len({p[common] for p in parts}) == 1:
            common += 1
    names, taken = [], set()
    for p in parts:
        relative = PurePosixPath(*p[common:])
        stem = relative.name[: -len(relative.suffix)] if relative.suffix.lower() == ".pdf" else relative.name
        base = str(relative.with_name(stem)).lstrip("/")
        name, n = base + ".json", 1
        while name.casefold() in taken:
            n += 1
            name = f"{base}~{n}.json"
        taken.add(name.casefold())
        names.append(name)
    return names


def write_json(store: Store, out_dir: Path) -> list[Path]:
    """One JSON file per stored document (named by `document_json_names`); the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    docs = store.documents()
    written = []
    for doc, name in zip(docs, document_json_names([d["path"] for d in docs])):
        target = out_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(export_json(store.load_export(doc["id"])), encoding="utf-8")
        written.append(target)
    return written


def write_ndjson(store: Store, out_dir: Path) -> list[Path]:
    """``documents.ndjson``: one `Export` per line, in the order of `Store.documents`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "documents.ndjson"
    with target.open("w", encoding="utf-8", newline="\n") as handle:
        for doc in store.documents():
            handle.write(json.dumps(store.load_export(doc["id"]).model_dump(mode="json"),
                                    ensure_ascii=False) + "\n")
    return [target]


# -- csv + datapackage ---------------------------------------------------------------------------
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet would run as a formula, made inert with a leading '."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def unneutralise(text: str) -> str:
    """The text as stored, from a cell `neutralise` wrote."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def write_csv(store: Store, out_dir: Path) -> list[Path]:
    """One CSV per table of `TABLES` (UTF-8 with BOM), and ``datapackage.json`` describing them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        target = out_dir / f"{table.name}.csv"
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([c.name for c in table.columns])
            writer.writerows([neutralise(v) if isinstance(v, str) else v for v in row]
                             for row in store.flat_rows(table))
        written.append(target)
    package = out_dir / "datapackage.json"
    package.write_text(json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [*written, package]


def table_schema(table: FlatTable) -> dict[str, Any]:
    """The Frictionless Table Schema of one flat table."""
    fields = []
    for c in table.columns:
        field: dict[str, Any] = {"name": c.name, "type": c.type, "description": c.description}
        constraints: dict[str, Any] = {}
        if c.required:
            constraints["required"] = True
        if c.enum:
            constraints["enum"] = list(c.enum)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [{"fields": list(own), "reference": {"resource": other, "fields": list(theirs)}}
                                 for own, other, theirs in table.foreign_keys]
    return schema


def datapackage() -> dict[str, Any]:
    """The Data Package describing the CSV export (its types come from the pydantic models)."""
    return {
        "profile": "tabular-data-package",
        "name": "kamrap-export",
        "title": "kamrap: Thai performance agreements (คำรับรองการปฏิบัติราชการ) as data",
        "description": "Tables of every document kamrap stored. Text cells beginning with =, +, -, @, "
                       "a tab or a carriage return carry a leading ' so that spreadsheets do not "
                       "run them as formulas.",
        "resources": [{
            "name": t.name, "path": f"{t.name}.csv", "profile": "tabular-data-resource",
            "description": t.description, "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8-sig", "schema": table_schema(t),
        } for t in TABLES],
    }


def pandas_dtypes(table: FlatTable) -> dict[str, str]:
    """`pandas.read_csv(..., dtype=pandas_dtypes(t))`: codes stay text ("2.10", not 2.1)."""
    return {c.name: {"string": "string", "integer": "Int64", "number": "float64",
                     "boolean": "boolean"}[c.type] for c in table.columns}


# -- parquet / xlsx -----------------------------------------------------------------------------
def write_parquet(store: Store, out_dir: Path) -> list[Path]:
    """One Parquet file per table of `TABLES`, typed by its columns (pyarrow)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        schema = pa.schema([pa.field(c.name, arrow[c.type], nullable=not c.required,
                                     metadata={"description": c.description}) for c in table.columns],
                           metadata={"description": table.description})
        rows = list(store.flat_rows(table))
        columns = [[v if v is None or c.type != "number" else float(v) for v in (row[n] for row in rows)]
                   for n, c in enumerate(table.columns)]
        target = out_dir / f"{table.name}.parquet"
        pq.write_table(pa.table(columns, schema=schema), target)
        written.append(target)
    return written


def write_xlsx(store: Store, out_dir: Path) -> list[Path]:
    """``kamrap.xlsx``: a sheet per table of `TABLES` (openpyxl); texts are text cells, so a
    cell beginning with "=" is never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.utils import get_column_letter

    out_dir.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    if book.active is not None:  # a new workbook's one empty sheet
        book.remove(book.active)
    for table in TABLES:
        sheet = book.create_sheet(table.name[:31])
        sheet.append([c.name for c in table.columns])
        for r, row in enumerate(store.flat_rows(table), start=2):
            for n, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=n)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = TYPE_STRING
        sheet.freeze_panes = "A2"
        for n, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(n)].width = max(10, min(40, len(column.name) + 2))
    target = out_dir / "kamrap.xlsx"
    book.save(target)
    return [target]


WRITERS = {"json": write_json, "ndjson": write_ndjson, "csv": write_csv, "parquet": write_parquet,
           "xlsx": write_xlsx}
