"""`kamrap ingest samples/` then `kamrap export --format json` reproduces every sample's
hand-checked expected JSON (samples/*.expected.json), field by field."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SAMPLES, copy_db, expected_export, sample_stems, seed_stems
from kamrap.cli import app

runner = CliRunner()
STEMS = sample_stems()
# Finding fields the expected files pin down; the message wording and page are free.
FINDING_FIELDS = ("kind", "severity", "code", "expected", "actual")


@pytest.fixture(scope="module")
def exported(samples_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """`kamrap ingest samples/` (conftest's samples_db, once per run), then `kamrap export`."""
    out = tmp_path_factory.mktemp("samples") / "export"
    result = runner.invoke(app, ["export", "--format", "json", "--db", str(samples_db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")}


def test_every_sample_exported(exported: dict[str, dict]) -> None:
    assert sorted(exported) == STEMS


@pytest.mark.parametrize("stem", STEMS)
def test_document(stem: str, exported: dict[str, dict]) -> None:
    expected = expected_export(stem)
    actual = exported[stem]
    assert actual["schema_version"] == expected["schema_version"] == 3
    assert actual["document"] == expected["document"]
    pdf = SAMPLES / f"{stem}.pdf"
    assert actual["document"]["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()


@pytest.mark.parametrize("stem", STEMS)
def test_indicators(stem: str, exported: dict[str, dict]) -> None:
    expected = expected_export(stem)["indicators"]
    actual = exported[stem]["indicators"]
    assert [i["code"] for i in actual] == [i["code"] for i in expected]
    for want, got in zip(expected, actual):
        for field, value in want.items():
            if field == "details" and value is not None and got["details"] is not None:
                for key, sub in value.items():
                    assert got["details"][key] == sub, (want["code"], "details", key)
            else:
                assert got[field] == value, (want["code"], field)


@pytest.mark.parametrize("stem", STEMS)
def test_score_summaries(stem: str, exported: dict[str, dict]) -> None:
    """Every summary field the expected file gives (all but `pages`), row by row."""
    expected = expected_export(stem)["score_summaries"]
    actual = exported[stem]["score_summaries"]
    assert [s["organization"] for s in actual] == [s["organization"] for s in expected]
    for want, got in zip(expected, actual):
        unit = want["organization"]
        for field, value in want.items():
            if field == "rows":
                assert [r["code"] for r in got["rows"]] == [r["code"] for r in value], unit
                for want_row, got_row in zip(value, got["rows"]):
                    for key, sub in want_row.items():
                        assert got_row[key] == sub, (unit, want_row["code"], key)
            elif field == "weight_transfers":
                assert len(got[field]) == len(value), unit
                for want_t, got_t in zip(value, got[field]):
                    for key, sub in want_t.items():
                        assert got_t[key] == sub, (unit, want_t["from_code"], key)
            else:
                assert got[field] == value, (unit, field)


@pytest.mark.parametrize("stem", STEMS)
def test_summary_pages_are_in_the_document(stem: str, exported: dict[str, dict]) -> None:
    doc = exported[stem]
    for summary in doc["score_summaries"]:
        assert summary["pages"], summary["organization"]
        assert all(1 <= p <= doc["document"]["page_count"] for p in summary["pages"])


@pytest.mark.parametrize("stem", STEMS)
def test_findings(stem: str, exported: dict[str, dict]) -> None:
    def key(f: dict) -> tuple:
        return tuple(f.get(k) for k in FINDING_FIELDS)

    expected = sorted(map(key, expected_export(stem)["findings"]), key=str)
    actual = sorted(map(key, exported[stem]["findings"]), key=str)
    assert actual == expected


@pytest.mark.parametrize("stem", STEMS)
def test_pages_point_at_the_indicator(stem: str, exported: dict[str, dict]) -> None:
    """Every indicator records the pages it was read from, within the document."""
    doc = exported[stem]
    for indicator in doc["indicators"]:
        assert indicator["pages"], indicator["code"]
        assert all(1 <= p <= doc["document"]["page_count"] for p in indicator["pages"])


def test_agreement_weights_sum_to_100(exported: dict[str, dict]) -> None:
    """The seeds' agreements are whole: their weights sum to 100 (the layout variants are cut
    to a few indicators)."""
    agreements = [exported[s] for s in seed_stems() if exported[s]["document"]["kind"] == "agreement"]
    assert len(agreements) == 2
    for doc in agreements:
        assert sum(i["weight"] for i in doc["indicators"]) == 100
        assert not [f for f in doc["findings"] if f["kind"] == "weight_sum_not_100"]


def test_reingest_changes_nothing(samples_db: Path, tmp_path: Path) -> None:
    # the first `kamrap ingest samples/` is conftest's (exit code 0 checked there), copied
    db = copy_db(samples_db, tmp_path / "kamrap.db")
    dump_before = _dump(db)
    second = runner.invoke(app, ["ingest", str(SAMPLES), "--db", str(db)])
    assert second.exit_code == 0
    pdfs = len(list(SAMPLES.rglob("*.pdf")))  # the samples and samples/altered/
    assert f"0 ingested, {pdfs} unchanged, 0 failed" in second.output
    assert _dump(db) == dump_before


def _dump(db: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())
