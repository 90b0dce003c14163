"""Content streams tokenized by qpdf read as pdfminer's own tokenizer reads them."""

from __future__ import annotations

from typing import Any

import pytest
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import KWD, LIT, PSEOF, PSKeyword

from conftest import SAMPLES
from kamrap.parsers.content_stream import instructions


def _pdfminer(data: bytes) -> list[tuple[list[Any], str]]:
    """What pdfminer's PDFPageInterpreter.execute sees: operands gathered until each keyword."""
    parser = PDFContentParser([PDFStream({}, data)])
    out: list[tuple[list[Any], str]] = []
    operands: list[Any] = []
    while True:
        try:
            _, obj = parser.nextobject()
        except PSEOF:
            break
        if isinstance(obj, PSKeyword):
            name = obj.name.decode() if isinstance(obj.name, bytes) else obj.name
            if name != "null":  # a keyword pdfminer runs and finds no method for: drops nothing
                out.append((operands, name))
                operands = []
        else:
            operands.append(obj)
    return out


def _comparable(value: Any) -> Any:
    if isinstance(value, PDFStream):
        return ("stream", sorted(value.attrs), value.rawdata)
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    return value


STREAM = (
    b"q 1 0 0 1 72.5 -.5 cm BT /F1 12 Tf /F#231 9.75 Tf 0 Tr\n"
    b"[(Th\\(a\\)i) -250 <0E010E34> 3.] TJ (line\\n) Tj 0 -14 Td\n"
    b"/Span <</ActualText (\\376\\377\\016\\001) /MCID 3 /Lang null>> BDC (x) ' EMC\n"
    b"/Artifact /MC0 BDC 1 2 (y) \" EMC ET\n"
    b"BI /W 2 /H 1 /BPC 8 /CS /G ID \x00\xff EI\n"
    b"0 0 m 10 10 l h W* n true false null Q"
)


def test_a_stream_reads_as_pdfminer_reads_it() -> None:
    got = instructions([PDFStream({}, STREAM)])
    assert got is not None
    assert [(_comparable(o), op) for o, op in got] == [(_comparable(o), op) for o, op in _pdfminer(STREAM)]
    by_operator = {op: operands for operands, op in got}
    # worked out by hand from the bytes above
    assert by_operator["cm"] == [1, 0, 0, 1, 72.5, -0.5]
    assert by_operator["TJ"] == [[b"Th(a)i", -250, b"\x0e\x01\x0e\x34", 3.0]]
    assert by_operator["BDC"][0] == LIT("Artifact")  # the later BDC
    span = got[[op for _, op in got].index("BDC")][0]
    # inside a dictionary, null is pdfminer's keyword null
    assert span == [LIT("Span"), {"ActualText": b"\xfe\xff\x0e\x01", "MCID": 3, "Lang": KWD(b"null")}]
    tf = [operands for operands, op in got if op == "Tf"]
    assert tf == [[LIT("F1"), 12], [LIT("F#1"), 9.75]]  # #23 is "#"
    image = by_operator["EI"]
    assert len(image) == 1 and isinstance(image[0], PDFStream) and image[0].attrs["W"] == 2
    assert by_operator["Q"] == [True, False]  # operands left over: pdfminer leaves them on its stack


def test_streams_join_at_token_boundaries() -> None:
    one, two = PDFStream({}, b"BT /F1 12 Tf"), PDFStream({}, b"(a) Tj ET")
    got = instructions([one, two])
    assert got == [([], "BT"), ([LIT("F1"), 12], "Tf"), ([b"a"], "Tj"), ([], "ET")]


@pytest.mark.parametrize("stem", ["agreement_ict_2564", "score_summary_led_2563"])
def test_sample_pages_read_as_pdfminer_reads_them(stem: str) -> None:
    import pdfplumber
    from pdfminer.pdftypes import stream_value

    with pdfplumber.open(SAMPLES / f"{stem}.pdf") as pdf:
        for page in pdf.pages[:3]:
            streams = [stream_value(s) for s in page.page_obj.contents]
            data = b"\n".join(s.get_data() for s in streams)
            got = instructions(streams)
            assert got is not None
            assert [(_comparable(o), op) for o, op in got] == [(_comparable(o), op) for o, op in _pdfminer(data)]


@pytest.mark.parametrize("damaged", [
    b"BT (unterminated",    # ends inside a string
    b"BT [1 2 ET",          # ends inside an array
    b"1 2 3 >> Tj",         # a stray dictionary close
    b"/A#zz 1 Tf",          # a name with a stray #
    b"BT 1.2.3 Tf ET",      # a malformed number, which qpdf would take for an operator
    b"/\xe0\xb8 1 Tf",      # a name that is not UTF-8
])
def test_damaged_content_is_left_to_pdfminer(damaged: bytes) -> None:
    assert instructions([PDFStream({}, damaged)]) is None
