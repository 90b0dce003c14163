"""Numbers as a user's PDF prints them (issue 12), end to end: a sample agreement whose weight
cell for indicator 1.1 (page 2, printed ๑๐) is made to read otherwise through an /ActualText
span on its marked content, as a producer's misprint or a damaged text layer would read. The
document is stored, the weight is null, and a finding names page, row, column and the text."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from pikepdf import Dictionary, String
from typer.testing import CliRunner

from conftest import SAMPLES
from kamrap.cli import app
from kamrap.schema.store import Store

runner = CliRunner()
ICT = SAMPLES / "agreement_ict_2564.pdf"
WEIGHT_MCID = 31  # page 2: the marked content of indicator 1.1's weight, "๑๐" (seen with pdfplumber)


def _with_weight(target: Path, printed: str) -> Path:
    with pikepdf.open(ICT) as pdf:
        page = pdf.pages[1]
        ops = []
        for operands, op in pikepdf.parse_content_stream(page):
            operands = list(operands)
            if str(op) == "BDC":
                props = operands[1]
                if isinstance(props, pikepdf.Name):
                    props = page.Resources.Properties[props]
                if isinstance(props, Dictionary) and props.get("/MCID") == WEIGHT_MCID:
                    props.ActualText = String(printed)
            ops.append((operands, op))
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
        pdf.save(target)
    return target


@pytest.mark.parametrize(("printed", "kind", "problem"), [
    ("99999999999999999999", "value_out_of_range", "is too large a number to store (over a 64-bit integer)"),
    ("-50", "value_out_of_range", "is outside 0–100 for a weight"),
    ("abc", "unparsed_value", "is not a number"),
])
def test_a_misprinted_weight_is_a_finding_and_the_document_is_stored(
        tmp_path: Path, printed: str, kind: str, problem: str) -> None:
    pdf, db = _with_weight(tmp_path / "ict.pdf", printed), tmp_path / "k.db"

    result = runner.invoke(app, ["ingest", str(pdf), "--db", str(db)])

    assert result.exit_code == 0, result.output
    with Store(db) as store:
        (doc,) = store.documents()
        export = store.load_export(doc["id"])
    first = next(i for i in export.indicators if i.code == "1.1")
    assert first.weight is None
    (finding,) = [f for f in export.findings if f.kind == kind]
    assert (finding.page, finding.code, finding.actual) == (2, "1.1", printed)
    assert "row 1 (๑.๑ ร้อยละความพึงพอใจของผู้รับบริการ), column weight" in finding.message
    assert f"{printed!r} {problem}; stored as null" in finding.message
    # the other weights (90 of the 100) are not reported as a wrong sum
    (unchecked,) = [f for f in export.findings if f.kind == "weight_sum_unchecked"]
    assert unchecked.actual == 90
    assert not [f for f in export.findings if f.kind == "weight_sum_not_100"]
