"""Document kinds are weighed from several cues; no one word decides (parsers/classify.py)."""

from __future__ import annotations

import pytest

from conftest import SAMPLES, expected_export, pages_once, sample_stems
from kamrap.parsers.classify import classify
from kamrap.parsers.document import classify_pages, form_label_count
from kamrap.parsers.header import read_header
from kamrap.parsers.layout import PageLayout
from kamrap.schema.models import DocumentKind


def _pages(factory: pytest.TempPathFactory, stem: str) -> list[PageLayout]:
    """The sample's pages as ingest reads them, read once per run (conftest.pages_once)."""
    return pages_once(factory, SAMPLES / f"{stem}.pdf")


@pytest.mark.parametrize("stem", sample_stems())
def test_every_sample_is_classified_as_its_expected_kind(stem: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    assert classify_pages(_pages(tmp_path_factory, stem)) == expected_export(stem)["document"]["kind"]


def test_a_misread_title_does_not_make_an_action_plan_a_details_document(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    pages = _pages(tmp_path_factory, "action_plan_opdc_2565")
    headers = [h for p in pages for g in p.tables if (h := read_header(g)) is not None]
    # the title read wrong (แผนปฏิบัติการ lost), and a details title printed on a page
    texts = [p.text.replace("แผนปฏิบัติ", "แผนปฏบัติ") for p in pages]
    texts[0] = "รายละเอียดตัวชี้วัด\n" + texts[0]
    assert classify(texts, headers, form_label_count(pages)) == DocumentKind.action_plan


def test_title_alone_is_not_enough() -> None:
    # a page that only mentions an agreement, with no table or form behind it
    assert classify(["คำรับรองการปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๔"], [], 0) == DocumentKind.unknown
