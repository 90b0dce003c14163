"""The flat tables of the CSV, Parquet and xlsx exports: each column typed from the pydantic
models (`kamrap.schema.models`, the one source of types), and the query that reads it from the
database. The store runs the queries (`Store.flat_rows`); `kamrap.schema.export` only formats
and writes what they give.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from pydantic import BaseModel

from kamrap.schema import models
from kamrap.text.numbers import int_if_integral


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string, integer, number, boolean
    description: str
    enum: tuple[str, ...] | None = None
    required: bool = False


@dataclass(frozen=True)
class FlatTable:
    """One table of the flat exports: its columns, and the SQL that reads them in this order."""

    name: str
    description: str
    columns: tuple[Column, ...]
    query: str
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class FieldType:
    """What one column holding a pydantic model's field is: the Python type of its values
    (int, float, str or bool; an enum or a Literal is str), the values it may take, and whether
    it must be given."""

    python: type
    enum: tuple[str, ...] | None
    required: bool


def field_type(model: type[BaseModel], field: str) -> FieldType:
    """The one column `model.field` is stored and exported as; TypeError for a field that is not
    one value (a list, a dict, a nested model: a table or columns of its own)."""
    info = model.model_fields[field]
    annotation = info.annotation
    options = typing.get_args(annotation) if isinstance(annotation, types.UnionType) or \
        typing.get_origin(annotation) is typing.Union else (annotation,)
    required = info.is_required() and type(None) not in options
    options = tuple(o for o in options if o is not type(None))
    if all(isinstance(o, type) and issubclass(o, Enum) for o in options):
        return FieldType(str, tuple(m.value for o in options for m in o), required)
    if all(typing.get_origin(o) is typing.Literal for o in options):
        return FieldType(str, tuple(str(v) for o in options for v in typing.get_args(o)), required)
    for python, allowed in ((bool, {bool}), (int, {int}), (float, {int, float}), (str, {str})):
        if set(options) <= allowed:
            return FieldType(python, None, required)
    raise TypeError(f"{model.__name__}.{field}: {annotation} is not one column")


#: Table Schema's type of a column of each Python type.
_TABLE_SCHEMA_TYPES = {int: "integer", float: "number", str: "string", bool: "boolean"}


def _col(name: str, description: str, model: type[BaseModel] | None = None, field: str | None = None,
         type: str | None = None, required: bool | None = None) -> Column:
    """A column typed like `model.field` (the pydantic model is the one source of types), or
    of the given `type` for what no model field holds (ids, positions)."""
    enum = None
    if model is not None:
        found = field_type(model, field or name)
        type, enum = _TABLE_SCHEMA_TYPES[found.python], found.enum
        required = found.required if required is None else required
    assert type is not None
    return Column(name, type, description, enum, bool(required))


_DOC_ID = _col("document_id", "The document's id (documents.document_id).", type="integer", required=True)
_FILE = _col("file", "The document's file name (documents.file), for reading the table alone.",
             models.Document, "file")
_IND_ID = _col("indicator_id", "The indicator's id (indicators.indicator_id).", type="integer", required=True)
_CODE = _col("code", "The indicator's code (indicators.code), for reading the table alone.",
             models.Indicator, "code")
_SUM_ID = _col("summary_id", "The score summary's id (score_summaries.summary_id).", type="integer",
               required=True)
_SEQ = _col("seq", "Position in the list it comes from, from 0.", type="integer", required=True)
_DOC_FK = ((("document_id",), "documents", ("document_id",)),)
_IND_FK = _DOC_FK + ((("indicator_id",), "indicators", ("indicator_id",)),)
_SUM_FK = _DOC_FK + ((("summary_id",), "score_summaries", ("summary_id",)),)

# Rows of a table that hangs off an indicator, with the ids and names it belongs to.
_OF_INDICATOR = ("SELECT i.document_id, d.file, t.indicator_id, i.code, {columns} FROM {table} t "
                 "JOIN indicators i ON i.id = t.indicator_id JOIN documents d ON d.id = i.document_id "
                 "ORDER BY i.document_id, i.seq, {order}")
_OF_SUMMARY = ("SELECT s.document_id, d.file, t.summary_id, {columns} FROM {table} t "
               "JOIN score_summaries s ON s.id = t.summary_id JOIN documents d ON d.id = s.document_id "
               "ORDER BY s.document_id, s.seq, {order}")


def _indicator_table(name: str, description: str, table: str, columns: Sequence[Column],
                     key: tuple[str, ...], select: str | None = None, order: str = "t.seq") -> FlatTable:
    select = select or ", ".join(f"t.{c.name}" for c in columns)
    return FlatTable(name, description, (_DOC_ID, _FILE, _IND_ID, _CODE, *columns),
                     _OF_INDICATOR.format(columns=select, table=table, order=order),
                     ("indicator_id", *key), _IND_FK)


def _summary_table(name: str, description: str, table: str, columns: Sequence[Column],
                   key: tuple[str, ...], select: str | None = None, order: str = "t.seq") -> FlatTable:
    select = select or ", ".join(f"t.{c.name}" for c in columns)
    return FlatTable(name, description, (_DOC_ID, _FILE, _SUM_ID, *columns),
                     _OF_SUMMARY.format(columns=select, table=table, order=order),
                     ("summary_id", *key), _SUM_FK)


_I, _D, _S = models.Indicator, models.IndicatorDetails, models.ScoreSummary
_INDICATOR_FIELDS = ("dimension", "dimension_weight", "perspective", "objective_no", "objective",
                     "weight", "target", "target_level", "target_value", "score", "weighted_score",
                     "status", "unit", "responsible", "direction", "remark")
_DETAILS_FIELDS = ("description", "formula", "condition", "data_source", "supervisor", "collector",
                   "target_population", "data_collection", "evaluation_period", "evaluation_method")
_DESCRIBE = {
    "dimension": "The dimension (มิติ) the indicator is grouped under.",
    "dimension_weight": "The weight of its dimension, as printed.",
    "perspective": "The perspective (ประเด็น/มุมมอง) it is grouped under.",
    "objective_no": "The number of the objective (เป้าประสงค์) it serves.",
    "objective": "The objective it serves.",
    "weight": "Its weight (น้ำหนัก), percent of the agreement's total.",
    "target": "The target as printed (เป้าหมาย).",
    "target_level": "The criteria level that is the target.",
    "target_value": "The number the target names (\"ร้อยละ ๘๐\" → 80).",
    "score": "The score printed for it (คะแนนที่ได้).",
    "weighted_score": "Its weighted score as printed (คะแนนถ่วงน้ำหนัก).",
    "status": "Its status as printed (สถานะ).",
    "unit": "The unit of measure (หน่วยวัด).",
    "responsible": "Who is responsible (ผู้รับผิดชอบ).",
    "direction": "Whether a higher or a lower result is better.",
    "remark": "The remark printed beside it (หมายเหตุ).",
    "description": "คำอธิบาย: what the indicator measures.",
    "formula": "สูตรการคำนวณ: how the result is computed.",
    "condition": "เงื่อนไข: conditions of the indicator.",
    "data_source": "แหล่งข้อมูล: where its data come from.",
    "supervisor": "ผู้กำกับดูแลตัวชี้วัด: who supervises it.",
    "collector": "ผู้จัดเก็บข้อมูล: who collects its data.",
    "target_population": "ประชากรกลุ่มเป้าหมาย: the target population.",
    "data_collection": "วิธีการจัดเก็บข้อมูล: how the data are collected.",
    "evaluation_period": "ระยะเวลาประเมินผล: when it is evaluated.",
    "evaluation_method": "วิธีการประเมินผล: how it is evaluated.",
}

TABLES: tuple[FlatTable, ...] = (
    FlatTable("documents", "One row per stored PDF document.", (
        _col("document_id", "The document's id in the database (stable while it is stored).",
             type="integer", required=True),
        _col("path", "Where the file was read, as stored.", type="string", required=True),
        _col("file", "The file name.", models.Document),
        _col("sha256", "SHA-256 of the file's bytes.", models.Document),
        _col("page_count", "Pages in the PDF.", models.Document),
        _col("kind", "What the document is: agreement (คำรับรอง), indicator_details, action_plan, "
                     "score_summary, kpi_table or unknown.", models.Document),
        _col("organization", "The unit the document is about.", models.Document),
        _col("fiscal_year", "Fiscal year, Buddhist era (2564 = 2021).", models.Document),
        _col("ingested_at", "When it was stored (UTC, ISO 8601).", type="string"),
    ), "SELECT id, path, file, sha256, page_count, kind, organization, fiscal_year, ingested_at "
       "FROM documents ORDER BY id", ("document_id",)),
    FlatTable("document_files", "Every name a stored document's bytes were found under (its own "
                                "and its duplicates').", (
        _DOC_ID, _col("path", "A path holding the document's bytes.", type="string", required=True),
        _col("sha256", "SHA-256 of the bytes.", models.Document),
    ), "SELECT d.id, f.path, f.sha256 FROM document_files f JOIN documents d ON d.sha256 = f.sha256 "
       "ORDER BY d.id, f.path", ("document_id", "path"), _DOC_FK),
    FlatTable("indicators", "One row per indicator of a document, in printed order.", (
        _DOC_ID, _FILE,
        _col("indicator_id", "The indicator's id in the database.", type="integer", required=True),
        _SEQ, _col("code", "The indicator's code as printed, Arabic digits (\"2.10\").", _I),
        _col("name", "The indicator's name.", _I),
        *(_col(f, _DESCRIBE[f], _I) for f in _INDICATOR_FIELDS),
    ), "SELECT i.document_id, d.file, i.id, i.seq, i.code, i.name, "
       + ", ".join(f"i.{f}" for f in _INDICATOR_FIELDS)
       + " FROM indicators i JOIN documents d ON d.id = i.document_id ORDER BY i.document_id, i.seq",
       ("indicator_id",), _DOC_FK),
    FlatTable("indicator_pages", "The pages an indicator is printed on.", (
        _DOC_ID, _FILE, _IND_ID, _CODE, _SEQ, _col("page", "A page, from 1.", type="integer", required=True)),
        "SELECT i.document_id, d.file, i.id, i.code, p.key, p.value FROM indicators i "
        "JOIN json_each(i.pages) p JOIN documents d ON d.id = i.document_id "
        "ORDER BY i.document_id, i.seq, p.key", ("indicator_id", "seq"), _IND_FK),
    _indicator_table("criteria_levels", "The five-level criteria (เกณฑ์การให้คะแนน) of an indicator.",
                     "criteria_levels", (
                         _col("level", "The level, 1 to 5.", models.CriteriaLevel),
                         _col("text", "The level's criterion as printed.", models.CriteriaLevel),
                         _col("value", "The number the level names (null for prose).", models.CriteriaLevel),
                     ), ("level",), order="t.level"),
    _indicator_table("indicator_values", "Targets and results by round (months) or by fiscal year.",
                     "indicator_values", (
                         _col("kind", "target or result.", type="string", required=True),
                         _col("period_type", "round (months of the year: \"6\", \"12\") or year "
                                             "(Buddhist era).", type="string", required=True),
                         _SEQ, _col("period", "The round or the year, as a label.", type="string",
                                    required=True),
                         _col("value_number", "The value, where the cell states a number.", type="number"),
                         _col("value_text", "The value, where the cell holds a text.", type="string"),
                     ), ("kind", "period_type", "seq"), order="t.kind, t.period_type, t.seq"),
    _indicator_table("indicator_baselines", "Past results by fiscal year from the indicator's own "
                                            "table (ข้อมูลพื้นฐาน).", "indicator_baselines", (
        _SEQ, _col("fiscal_year", "Fiscal year, Buddhist era.", models.BaselineValue),
        _col("value", "The result that year.", models.BaselineValue)), ("seq",)),
    _indicator_table("assessed_units", "The units a check-mark column marks as assessed.",
                     "assessed_units", (_SEQ, _col("unit", "A unit.", type="string", required=True)),
                     ("seq",)),
    _indicator_table("indicator_budgets", "Budget amounts by column heading.", "indicator_budgets", (
        _SEQ, _col("heading", "The column heading (\"งปม.\").", type="string", required=True),
        _col("value", "The amount.", type="number")), ("seq",)),
    _indicator_table("indicator_sources", "Where each part of an indicator is printed.",
                     "indicator_sources", (
                         _SEQ, _col("page", "Page, from 1.", models.RowSource),
                         _col("x0", "Left edge, PDF points.", type="number"),
                         _col("top", "Top edge, PDF points from the page top.", type="number"),
                         _col("x1", "Right edge, PDF points.", type="number"),
                         _col("bottom", "Bottom edge, PDF points from the page top.", type="number"),
                         _col("method", "How its table was read: ruled, words, form or ocr.",
                              models.RowSource),
                     ), ("seq",)),
    _indicator_table("details", "An indicator's details page (รายละเอียดตัวชี้วัด).", "details",
                     tuple(_col(f, _DESCRIBE[f], _D) for f in _DETAILS_FIELDS), (),
                     order="t.indicator_id"),
    _indicator_table("data_items", "The data items (รายการข้อมูล) of a details page.", "data_items",
                     (_SEQ, _col("item", "A data item.", type="string", required=True)), ("seq",)),
    _indicator_table("milestones", "Milestone levels (ขั้นตอนที่ ๑–๕) of a details page.", "milestones", (
        _SEQ, _col("level", "The level.", models.Milestone), _col("text", "What it takes.", models.Milestone),
        _col("round", "The assessment round of its table (months), when it has one.", models.Milestone),
    ), ("seq",)),
    _indicator_table("details_baselines", "Baseline data by fiscal year from a details page.", "baselines", (
        _col("fiscal_year", "Fiscal year, Buddhist era.", models.BaselineValue),
        _col("value", "The result that year.", models.BaselineValue)), ("fiscal_year",),
        order="t.fiscal_year"),
    FlatTable("score_summaries", "Score summaries (สรุปผลคะแนน): the printed total beside the one "
                                 "kamrap recomputes.", (
        _DOC_ID, _FILE, _col("summary_id", "The summary's id in the database.", type="integer",
                             required=True),
        _SEQ, _col("organization", "The unit scored.", _S), _col("fiscal_year", "Fiscal year, Buddhist era.", _S),
        _col("reported_score", "The total score as printed.", type="number"),
        _col("reported_weight", "The total weight as printed.", type="number"),
        _col("reported_total_page", "The page of the printed total row.", _S),
        _col("computed_score", "Σ(score × weight) / Σ(weight) over the scored rows, 4 places.", type="number"),
        _col("computed_weight", "Σ(weight) over the scored rows.", type="number"),
    ), "SELECT s.document_id, d.file, s.id, s.seq, s.organization, s.fiscal_year, s.reported_score, "
       "s.reported_weight, s.reported_total_page, s.computed_score, s.computed_weight "
       "FROM score_summaries s JOIN documents d ON d.id = s.document_id ORDER BY s.document_id, s.seq",
       ("summary_id",), _DOC_FK),
    FlatTable("summary_pages", "The pages a score summary is printed on.", (
        _DOC_ID, _FILE, _SUM_ID, _SEQ, _col("page", "A page, from 1.", type="integer", required=True)),
        "SELECT s.document_id, d.file, s.id, p.key, p.value FROM score_summaries s "
        "JOIN json_each(s.pages) p JOIN documents d ON d.id = s.document_id "
        "ORDER BY s.document_id, s.seq, p.key", ("summary_id", "seq"), _SUM_FK),
    _summary_table("score_rows", "The rows of a score summary.", "score_rows", (
        _SEQ, *(_col(f, d, models.ScoreRow) for f, d in (
            ("code", "The indicator's code."), ("name", "The indicator's name."),
            ("score", "Its score as printed."), ("weight", "Its weight as printed."),
            ("status", "scored, or deferred (not scored yet: its weight moved by footnote)."),
            ("status_text", "What the row prints instead of a score."),
            ("page", "Where the row starts."))),
    ), ("seq",)),
    _summary_table("weight_transfers", "Footnotes moving the weight of a deferred indicator.",
                   "weight_transfers", (
                       _SEQ, _col("from_code", "The deferred indicator.", models.WeightTransfer),
                       _col("weight", "The weight moved in all.", models.WeightTransfer),
                       _col("text", "The footnote as printed.", models.WeightTransfer),
                       _col("page", "Where the footnote is printed.", models.WeightTransfer),
                   ), ("seq",)),
    FlatTable("weight_transfer_targets", "Where a footnote moves weight to, one row per receiving row.", (
        _DOC_ID, _FILE, _SUM_ID, _col("transfer_seq", "The footnote (weight_transfers.seq).",
                                      type="integer", required=True),
        _SEQ, _col("to_code", "The indicator receiving weight.", type="string", required=True),
        _col("amount", "The weight it receives, when printed.", type="number")),
        "SELECT s.document_id, d.file, s.id, w.seq, c.key, c.value, "
        "json_extract(w.amounts, '$[' || c.key || ']') FROM weight_transfers w "
        "JOIN json_each(w.to_codes) c JOIN score_summaries s ON s.id = w.summary_id "
        "JOIN documents d ON d.id = s.document_id ORDER BY s.document_id, s.seq, w.seq, c.key",
        ("summary_id", "transfer_seq", "seq"), _SUM_FK),
    FlatTable("findings", "What kamrap found wrong or doubtful in a document, and where.", (
        _DOC_ID, _FILE, _col("finding_id", "The finding's id in the database.", type="integer", required=True),
        _col("kind", "What was found (total_mismatch, weight_sum_not_100, …).", models.Finding),
        _col("severity", "info, warning or error.", models.Finding),
        _col("organization", "The unit concerned.", models.Finding),
        _col("code", "The indicator concerned.", models.Finding),
        _col("expected_number", "What was expected, when a number.", type="number"),
        _col("expected_text", "What was expected, when a text.", type="string"),
        _col("actual_number", "What is printed, when a number.", type="number"),
        _col("actual_text", "What is printed, when a text.", type="string"),
        _col("message", "The finding in words.", models.Finding),
        _col("page", "The page it is on.", models.Finding),
    ), "SELECT f.document_id, d.file, f.id, f.kind, f.severity, f.organization, f.code, "
       + ", ".join(f"CASE WHEN json_type(f.{c}) IN ('integer', 'real') THEN json_extract(f.{c}, '$') END, "
                   f"CASE WHEN json_type(f.{c}) = 'text' THEN json_extract(f.{c}, '$') END"
                   for c in ("expected", "actual"))
       + ", f.message, f.page FROM findings f JOIN documents d ON d.id = f.document_id "
         "ORDER BY f.document_id, f.id", ("finding_id",), _DOC_FK),
    FlatTable("ingest_errors", "Files that could not be ingested, and why.", (
        _col("file", "The file.", type="string", required=True),
        _col("kind", "What went wrong (not_a_pdf, timed_out, …: README's failure kinds).", models.Failure),
        _col("reason", "Why it failed, in words (the line `kamrap ingest` printed).", models.Failure),
        _col("timeout", "The per-file timeout a timed-out file ran past, in seconds.", models.Failure),
        _col("at", "When (UTC, ISO 8601).", type="string", required=True),
        _col("sha256", "SHA-256 of the bytes that failed (null when unreadable).", type="string"),
    ), "SELECT file, kind, reason, timeout, at, sha256 FROM ingest_errors ORDER BY file", ("file",)),
)
TABLES_BY_NAME = {t.name: t for t in TABLES}


#: A value as SQLite gives it back (and as `Store.flat_rows` yields it).
SqlValue = int | float | str | bytes | None


def typed_row(table: FlatTable, row: Sequence[SqlValue]) -> list[SqlValue]:
    """A row of `table` as SQLite gave it, typed as its columns say (integral numbers as ints)."""
    return [_typed(value, column.type) for value, column in zip(row, table.columns)]


def _typed(value: SqlValue, kind: str) -> SqlValue:
    if value is None:
        return None
    if kind == "string":
        return value if isinstance(value, str) else str(value)
    if kind == "integer":
        return int(value)
    if kind == "number":
        return int_if_integral(value) if isinstance(value, float) else value
    return value
