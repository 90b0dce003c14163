"""The layout-variant samples (samples/variant_*) are what they claim to be.

Each variant is a transcription (samples/src/variant_<name>.json) rendered to
samples/variant_<name>.pdf with a hand-typed samples/variant_<name>.expected.json;
tests/test_samples.py compares kamrap's export with the expected file. This file checks the
fixtures themselves, from their sources: that the PDF, source and expected file are there and
agree, and that each source's table really has the layout its variant is named after (the
unit column second, the baseline years before the target, …), so that a passing
test_samples proves kamrap reads tables by what their headers mean, not by position.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from conftest import SAMPLES, expected_export

SRC = SAMPLES / "src"
VARIANTS = ("unit_column", "baseline_years", "reordered", "no_groups", "digits", "digits_mixed",
            "portrait_narrow", "repeated_headers", "details_ruled", "details_no_title")
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
# The builder's fixed agreement layout (samples/builder/tables.py AGREEMENT): where each label
# of the two header rows goes, as (col, colspan).
DEFAULT_LAYOUT = (((0, 1), (1, 1), (2, 1), (3, 5), (8, 1)),
                  ((3, 1), (4, 1), (5, 1), (6, 1), (7, 1)))


def src(name: str) -> dict[str, Any]:
    return json.loads((SRC / f"variant_{name}.json").read_text(encoding="utf-8"))


def table(name: str) -> dict[str, Any]:
    tables = [b for b in src(name)["blocks"] if b["type"] == "agreement_table"]
    assert len(tables) == 1, name
    return tables[0]


def columns(block: dict[str, Any]) -> list[list[str]]:
    """The header labels over each grid column, top row first (a merged label is over every
    column it spans; blank and covered positions add nothing)."""
    if "col_widths" not in block:
        cols: list[list[str]] = [[] for _ in range(9)]
        for labels, layout in zip(block["header"], DEFAULT_LAYOUT, strict=True):
            for label, (col, span) in zip(labels, layout, strict=True):
                for c in range(col, col + span):
                    cols[c].append(label)
        return cols
    n_cols = len(block["col_widths"])
    cols = [[] for _ in range(n_cols)]
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, c, rowspan, colspan in block.get("header_merges", []):
        for rr in range(r, r + rowspan):
            for cc in range(c, c + colspan):
                owner[(rr, cc)] = (r, c)
    for r, labels in enumerate(block["header"]):
        assert len(labels) == n_cols, (r, labels)
        for c in range(n_cols):
            ar, ac = owner.get((r, c), (r, c))
            label = block["header"][ar][ac]
            if label and label.strip() and (ar == r):
                cols[c].append(label)
    return cols


def column_of(cols: list[list[str]], word: str) -> list[int]:
    return [c for c, labels in enumerate(cols) if any(word in label for label in labels)]


def body_rows(block: dict[str, Any]) -> list[list[str | None]]:
    return [row["cells"] for row in block["rows"] if "cells" in row]


def all_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " ".join(all_text(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(all_text(v) for v in value)
    return ""


# -- every variant: files present and consistent ------------------------------------------------
@pytest.mark.parametrize("name", VARIANTS)
def test_variant_files(name: str) -> None:
    stem = f"variant_{name}"
    pdf = SAMPLES / f"{stem}.pdf"
    assert pdf.is_file() and (SAMPLES / f"{stem}.expected.json").is_file() and (SRC / f"{stem}.json").is_file()
    document = expected_export(stem)["document"]
    assert document["file"] == pdf.name
    assert document["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    with pdfplumber.open(pdf) as doc:
        assert document["page_count"] == len(doc.pages)
    assert document["kind"] == src(name)["kind"] == "agreement"
    assert document["organization"] and document["fiscal_year"]


@pytest.mark.parametrize("name", VARIANTS)
def test_expected_indicators_are_the_table_rows(name: str) -> None:
    """The expected file lists the source table's rows, in order, with weights summing to 100
    (so no weight finding is expected) and the criteria texts as printed."""
    rows = body_rows(table(name))
    expected = expected_export(f"variant_{name}")
    codes = [row[0].split()[0].translate(TO_ARABIC) for row in rows]
    assert [i["code"] for i in expected["indicators"]] == codes
    assert sum(i["weight"] for i in expected["indicators"]) == 100
    assert expected["findings"] == []
    cols = columns(table(name))
    levels = [c for c, labels in enumerate(cols) if any("เกณฑ์" in label for label in labels)]
    assert len(levels) == 5, cols
    for row, indicator in zip(rows, expected["indicators"]):
        printed = [" ".join((row[c] or "").split()) for c in levels]
        assert [level["text"] for level in indicator["criteria"]] == [t if t not in ("", "-") else None for t in printed]


# -- each variant's layout ---------------------------------------------------------------------
def test_unit_column_is_second() -> None:
    cols = columns(table("unit_column"))
    assert column_of(cols, "ตัวชี้วัด") == [0]
    assert column_of(cols, "หน่วยวัด") == [1]
    assert column_of(cols, "น้ำหนัก") == [2]
    units = {row[1] for row in body_rows(table("unit_column"))}
    assert units <= {"ร้อยละ", "ครั้ง", "โครงการ"} and len(units) > 1


def test_baseline_years_before_target() -> None:
    block = table("baseline_years")
    cols = columns(block)
    past = column_of(cols, "ผลการดำเนินงานย้อนหลัง")
    assert [cols[c][-1] for c in past] == ["ปี ๒๕๖๑", "ปี ๒๕๖๒", "ปี ๒๕๖๓"]
    (target,) = column_of(cols, "เป้าหมาย")
    assert max(past) < target < min(column_of(cols, "เกณฑ์การให้คะแนน"))
    assert not column_of(cols, "หมายเหตุ")
    expected = expected_export("variant_baseline_years")["indicators"]
    assert all([b["fiscal_year"] for b in i["baseline"]] == [2561, 2562, 2563] for i in expected)


def test_reordered_criteria_before_target_and_weight() -> None:
    cols = columns(table("reordered"))
    criteria = column_of(cols, "เกณฑ์การให้คะแนน")
    (target,), (weight,) = column_of(cols, "เป้าหมาย"), column_of(cols, "น้ำหนัก")
    assert column_of(cols, "ตัวชี้วัด") == [0]
    assert max(criteria) < target < weight == len(cols) - 1
    assert not column_of(cols, "หมายเหตุ")


def test_no_groups() -> None:
    block = table("no_groups")
    assert all("cells" in row for row in block["rows"])
    assert not re.search("มิติ|วัตถุประสงค์|● ด้าน", all_text(block["rows"]))
    expected = expected_export("variant_no_groups")["indicators"]
    assert all(i["dimension"] is i["perspective"] is i["objective"] is None for i in expected)


def test_digits_arabic_throughout() -> None:
    text = all_text(src("digits")["blocks"])
    assert not set(text) & set(THAI_DIGITS)
    assert re.search(r"\d", text)


def test_digits_mixed() -> None:
    block = table("digits_mixed")
    header = block["header"][1]
    assert {d for d in header if d in THAI_DIGITS} and {d for d in header if d.isascii()}
    for part in (body_rows(block), [row["group"] for row in block["rows"] if "group" in row]):
        text = all_text(part)
        assert set(text) & set(THAI_DIGITS) and re.search("[0-9]", text)


def test_portrait_narrow() -> None:
    variant = src("portrait_narrow")
    block = table("portrait_narrow")
    assert block["orientation"] == "portrait"
    assert all(b.get("orientation") != "landscape" for b in variant["blocks"] if b["type"] == "section")
    widths = block["col_widths"]
    # 16.5 cm of portrait text width for nine columns: each level column under 1.7 cm.
    levels = column_of(columns(block), "เกณฑ์การให้คะแนน")
    assert all(16.5 * widths[c] / sum(widths) < 1.7 for c in levels)
    assert 16.5 * widths[0] / sum(widths) < 4.5
    with pdfplumber.open(SAMPLES / "variant_portrait_narrow.pdf") as pdf:
        assert all(page.width < page.height for page in pdf.pages)


def test_repeated_headers_on_every_page() -> None:
    block = table("repeated_headers")
    assert len(block["header"]) == 2 and len(body_rows(block)) >= 15
    with pdfplumber.open(SAMPLES / "variant_repeated_headers.pdf") as pdf:
        assert len(pdf.pages) >= 3
        for page in pdf.pages:
            # The header cells are shaded grey (builder HEADER_FILL D9D9D9): every page starts
            # with the same shaded cells, both header rows, in the same columns. (Shading, not
            # text: pdfplumber's own text of these pages drops SARA AA.)
            shaded = [r for r in page.rects if r.get("fill") and r["non_stroking_color"] == pytest.approx((0.851,) * 3, abs=0.01)]
            assert len(shaded) >= 9, page.page_number
            assert max(r["bottom"] for r in shaded) < page.height * 0.25, page.page_number
            columns_x = sorted({round(r["x0"]) for r in shaded})
            if page.page_number == 1:
                first = columns_x
            assert columns_x == first, page.page_number


def details_pages(name: str) -> list[dict[str, Any]]:
    pages = [b for b in src(name)["blocks"] if b["type"] == "details_page"]
    assert pages, name
    return pages


def test_details_ruled_form() -> None:
    for page in details_pages("details_ruled"):
        assert page["ruled_fields"] is True
        labels = [label for label, _ in page["fields"] + page.get("footer_fields", [])]
        for wanted in ("ตัวชี้วัดที่", "หน่วยวัด", "น้ำหนัก", "คำอธิบาย", "ผู้กำกับดูแลตัวชี้วัด"):
            assert any(label.startswith(wanted) for label in labels), (wanted, labels)
    labels = {label for page in details_pages("details_ruled") for label, _ in page["fields"]}
    assert "สูตรการคำนวณ" in labels
    expected = expected_export("variant_details_ruled")["indicators"]
    assert all(i["details"] is not None for i in expected)


def test_details_without_title() -> None:
    variant = src("details_no_title")
    for page in details_pages("details_no_title"):
        assert not page.get("title")
        assert page["fields"][2][0].startswith("ตัวชี้วัดที่")
    assert "รายละเอียดตัวชี้วัด" not in all_text(variant["blocks"])
    expected = expected_export("variant_details_no_title")["indicators"]
    assert all(i["details"] is not None for i in expected)
