"""Document kinds are weighed from several cues; no one word decides (parsers/classify.py)."""

from __future__ import annotations

import pdfplumber
import pytest

from conftest import SAMPLES, expected_export, sample_stems
from kamrap.parsers.classify import classify
from kamrap.parsers.document import classify_pages, form_label_count
from kamrap.parsers.header import read_header
from kamrap.parsers.layout import PageLayout, read_pages
from kamrap.schema.models import DocumentKind


def _pages(stem: str) -> list[PageLayout]:
    with pdfplumber.open(SAMPLES / f"{stem}.pdf") as pdf:
        return read_pages(pdf)


@pytest.mark.parametrize("stem", sample_stems())
def test_every_sample_is_classified_as_its_expected_kind(stem: str) -> None:
    assert classify_pages(_pages(stem)) == expected_export(stem)["document"]["kind"]


def test_a_misread_title_does_not_make_an_action_plan_a_details_document() -> None:
    pages = _pages("action_plan_opdc_2565")
    headers = [h for p in pages for g in p.tables if (h := read_header(g)) is not None]
    # the title read wrong (แผนปฏิบัติการ lost), and a details title printed on a page
    texts = [p.text.replace("แผนปฏิบัติ", "แผนปฏบัติ") for p in pages]
    texts[0] = "รายละเอียดตัวชี้วัด\n" + texts[0]
    assert classify(texts, headers, form_label_count(pages)) == DocumentKind.action_plan


def test_title_alone_is_not_enough() -> None:
    # a page that only mentions an agreement, with no table or form behind it
    assert classify(["คำรับรองการปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๔"], [], 0) == DocumentKind.unknown
