"""`kamrap export` in every format, as a user loading it into other tools meets it: same-named
files in two folders, every table in the CSV, pandas reading codes as text, Parquet typed,
spreadsheet formulas neutralised. Expectations come from the hand-checked samples/*.expected.json
and from a hand-built document stored beside them."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from conftest import SAMPLES, expected_export, ingested_once
from kamrap.cli import app
from kamrap.schema.export import TABLES, TABLES_BY_NAME, document_json_names, pandas_dtypes, unneutralise
from kamrap.schema.models import CriteriaLevel, Document, DocumentKind, Export, Finding, Indicator
from kamrap.schema.store import Store

runner = CliRunner(env={"COLUMNS": "250"})

# A document written by hand: a code with a trailing zero, texts a spreadsheet would run.
CRAFTED = Export(
    document=Document(file="crafted.pdf", sha256="0" * 64, page_count=1, kind=DocumentKind.agreement,
                      organization="=HYPERLINK(\"http://example.invalid\")", fiscal_year=2564),
    indicators=[Indicator(code="2.10", name="-ร้อยละของงาน", weight=7.5, pages=[1, 2],
                          criteria=[CriteriaLevel(level=1, text="@SUM(A1)", value=60),
                                    CriteriaLevel(level=2, text="+70", value=70)])],
    findings=[Finding(kind="total_mismatch", severity="error", expected=4.55, actual="๔.๕๖",
                      message="hand-made", page=2)],
)


def _archive_db(work: Path) -> Path:
    root = work / "archive"
    for folder, stem in (("a", "agreement_ict_2564"), ("b", "agreement_bankruptcy2_2564"),
                         ("c", "score_summary_led_2563")):
        (root / folder).mkdir(parents=True)
        shutil.copy(SAMPLES / f"{stem}.pdf", root / folder / ("report.pdf" if folder != "c" else f"{stem}.pdf"))
    path = root.parent / "kamrap.db"
    result = runner.invoke(app, ["ingest", str(root), "--db", str(path), "-j", "1"])
    assert result.exit_code == 0, result.output
    with Store(path) as store:
        store.save("archive/z/crafted.pdf", CRAFTED)
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Two different agreements both named report.pdf, in folders a/ and b/, and the score
    summary; built once per run (conftest), only read here."""
    yield from ingested_once(tmp_path_factory, "export-archive", _archive_db)


def _export(db: Path, tmp_path: Path, fmt: str) -> Path:
    out = tmp_path / fmt
    result = runner.invoke(app, ["export", "--format", fmt, "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_json_names_never_collide(db: Path, tmp_path: Path) -> None:
    out = _export(db, tmp_path, "json")
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*.json"))
    assert files == ["a/report.json", "b/report.json", "c/score_summary_led_2563.json", "z/crafted.json"]
    with Store(db, readonly=True) as store:  # stored relative to the folder ingested, its name kept once
        assert sorted(d["path"] for d in store.documents()) == [
            "archive/a/report.pdf", "archive/b/report.pdf", "archive/c/score_summary_led_2563.pdf",
            "archive/z/crafted.pdf"]
    for name, stem in (("a/report.json", "agreement_ict_2564"), ("b/report.json", "agreement_bankruptcy2_2564")):
        exported = json.loads((out / name).read_text(encoding="utf-8"))
        assert exported["document"]["organization"] == expected_export(stem)["document"]["organization"]
        assert len(exported["indicators"]) == len(expected_export(stem)["indicators"])


def test_json_names_by_hand() -> None:
    assert document_json_names(["/x/samples/a.pdf", "/x/samples/b.pdf"]) == ["a.json", "b.json"]
    assert document_json_names(["r/2563/report.pdf", "r/2564/report.PDF"]) == ["2563/report.json", "2564/report.json"]
    assert document_json_names(["only.pdf"]) == ["only.json"]
    # names that differ only by letter case are one file on some file systems
    assert document_json_names(["d/x.pdf", "d/X.PDF", "d/y.pdf"]) == ["x.json", "X~2.json", "y.json"]


def test_ndjson_one_document_per_line(db: Path, tmp_path: Path) -> None:
    out = _export(db, tmp_path, "ndjson")
    lines = (out / "documents.ndjson").read_text(encoding="utf-8").splitlines()
    exports = [Export.model_validate_json(line) for line in lines]
    assert sorted(e.document.sha256 for e in exports) == sorted(
        [expected_export(s)["document"]["sha256"] for s in
         ("agreement_ict_2564", "agreement_bankruptcy2_2564", "score_summary_led_2563")] + ["0" * 64])
    assert CRAFTED in exports


def test_every_stored_table_is_exported(db: Path) -> None:
    """Each table of the database has its flat table (indicator_maps only records which of an
    indicator's maps are empty rather than absent; lists stored as JSON get tables of their own)."""
    with sqlite3.connect(db) as conn:
        stored = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    renamed = {"baselines": "details_baselines"}
    internal = {"meta", "indicator_maps"} | {t for t in stored if t.startswith("indicator_search")}  # the FTS index
    assert {renamed.get(t, t) for t in stored - internal} <= set(TABLES_BY_NAME)
    assert {"indicator_pages", "summary_pages", "weight_transfer_targets"} <= set(TABLES_BY_NAME)


def _read_csv(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=pandas_dtypes(TABLES_BY_NAME[name]),
                       keep_default_na=False, na_values=[""])


def test_csv_round_trip_in_pandas(db: Path, tmp_path: Path) -> None:
    out = _export(db, tmp_path, "csv")
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == {t.name for t in TABLES}
    assert {p.stem for p in out.glob("*.csv")} == set(resources)
    kinds = {"string": "string", "integer": "Int64", "number": "float64"}
    for name, resource in resources.items():
        frame = _read_csv(out, name)
        fields = resource["schema"]["fields"]
        assert list(frame.columns) == [f["name"] for f in fields], name
        assert [str(frame[f["name"]].dtype) for f in fields] == [kinds[f["type"]] for f in fields], name
        assert all(f["description"] for f in fields)
    types = {f["name"]: f for f in resources["documents"]["schema"]["fields"]}
    assert types["kind"]["constraints"]["enum"] == [k.value for k in DocumentKind]
    assert types["fiscal_year"]["type"] == "integer"

    indicators = _read_csv(out, "indicators")
    assert len(indicators) == 1 + sum(len(expected_export(s)["indicators"])
                                      for s in ("agreement_ict_2564", "agreement_bankruptcy2_2564"))
    crafted = indicators[indicators["file"] == "crafted.pdf"].iloc[0]
    assert crafted["code"] == "2.10"  # not the float 2.1
    assert crafted["weight"] == 7.5
    assert unneutralise(crafted["name"]) == "-ร้อยละของงาน"

    # the same code in two documents: told apart by document_id and indicator_id, in every child table
    levels = _read_csv(out, "criteria_levels")
    ict = indicators[(indicators["code"] == "2.2")]
    assert ict["document_id"].nunique() == 2 and ict["indicator_id"].nunique() == 2
    ict_id = indicators[(indicators["file"] == "report.pdf") & (indicators["code"] == "2.2") &
                        (indicators["name"] == "ร้อยละของระบบงานที่ให้บริการอย่างต่อเนื่อง")]["indicator_id"].item()
    mine = levels[levels["indicator_id"] == ict_id].sort_values("level")
    assert list(mine["text"]) == ["๘๐%", "๘๕%", "๙๐%", "๙๕%", "มากกว่า ๙๙%"]
    assert list(mine["value"]) == [80, 85, 90, 95, 99]

    pages = _read_csv(out, "indicator_pages")
    assert list(pages[pages["code"] == "2.10"]["page"]) == [1, 2]

    # finding values: numbers in _number, texts in _text
    findings = _read_csv(out, "findings")
    made = findings[findings["message"] == "hand-made"].iloc[0]
    assert made["expected_number"] == 4.55 and pd.isna(made["expected_text"])
    assert made["actual_text"] == "๔.๕๖" and pd.isna(made["actual_number"])

    # every score summary and its rows, footnotes and their receiving rows (hand-read in the seed)
    expected = expected_export("score_summary_led_2563")["score_summaries"]
    summaries = _read_csv(out, "score_summaries")
    assert list(summaries["organization"]) == [s["organization"] for s in expected]
    assert list(summaries["reported_score"]) == [s["reported_total"]["score"] for s in expected]
    rows = _read_csv(out, "score_rows")
    assert len(rows) == sum(len(s["rows"]) for s in expected)
    targets = _read_csv(out, "weight_transfer_targets")
    hr = summaries[summaries["organization"] == "กองบริหารทรัพยากรบุคคล"]["summary_id"].item()
    moved = targets[targets["summary_id"] == hr]
    assert [(r.transfer_seq, r.to_code) for r in moved.itertuples()] == [(0, "2.2"), (0, "2.3"), (1, "6.1")]
    assert list(moved["amount"].iloc[:2]) == [5, 5] and pd.isna(moved["amount"].iloc[2])


def test_csv_neutralises_formulas(db: Path, tmp_path: Path) -> None:
    out = _export(db, tmp_path, "csv")
    text = (out / "criteria_levels.csv").read_text(encoding="utf-8-sig")
    assert ",'@SUM(A1)," in text and ",'+70," in text
    assert ",'-ร้อยละของงาน," in (out / "indicators.csv").read_text(encoding="utf-8-sig")
    docs = _read_csv(out, "documents")
    assert docs[docs["file"] == "crafted.pdf"]["organization"].item() == "'=HYPERLINK(\"http://example.invalid\")"
    # numbers are not texts: a negative number is never prefixed
    assert unneutralise("'-5") == "-5" and unneutralise("'quote") == "'quote"


def test_parquet_typed(db: Path, tmp_path: Path) -> None:
    out = _export(db, tmp_path, "parquet")
    csv_out = _export(db, tmp_path, "csv")
    assert {p.stem for p in out.glob("*.parquet")} == {t.name for t in TABLES}
    arrow = {"string": "string", "integer": "int64", "number": "double"}
    for table in TABLES:
        parquet = pq.read_table(out / f"{table.name}.parquet")
        assert [str(f.type) for f in parquet.schema] == [arrow[c.type] for c in table.columns], table.name
        frame = pd.read_parquet(out / f"{table.name}.parquet")
        from_csv = _read_csv(csv_out, table.name)
        for column in table.columns:
            if column.type == "string":  # the CSV has the spreadsheet prefix
                from_csv[column.name] = from_csv[column.name].map(lambda v: v if pd.isna(v) else unneutralise(v))
        pd.testing.assert_frame_equal(frame, from_csv, check_dtype=False, obj=table.name)
    indicators = pd.read_parquet(out / "indicators.parquet")
    assert indicators[indicators["file"] == "crafted.pdf"]["code"].item() == "2.10"
    assert str(indicators["weight"].dtype) == "float64"
    assert str(pd.read_parquet(out / "documents.parquet")["fiscal_year"].dtype) == "int64"


def test_xlsx_sheets_typed(db: Path, tmp_path: Path) -> None:
    out = _export(db, tmp_path, "xlsx")
    book = load_workbook(out / "kamrap.xlsx")
    assert book.sheetnames == [t.name for t in TABLES]
    sheet = book["indicators"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("file")].value == "crafted.pdf")
    code, weight = row[header.index("code")], row[header.index("weight")]
    assert (code.value, code.data_type) == ("2.10", "s")
    assert (weight.value, weight.data_type) == (7.5, "n")
    docs = book["documents"]
    header = [c.value for c in docs[1]]
    organization = next(r for r in docs.iter_rows(min_row=2)
                        if r[header.index("file")].value == "crafted.pdf")[header.index("organization")]
    assert organization.data_type == "s"  # a text cell, never a formula
    assert organization.value == "=HYPERLINK(\"http://example.invalid\")"
