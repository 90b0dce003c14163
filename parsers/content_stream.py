"""A page's content stream tokenized by qpdf (pikepdf) and handed to pdfminer's interpreter.

Why: pdfminer's interpreter is what pdfplumber and kamrap's text layer build on, but its
content-stream tokenizer is pure Python and is most of the time kamrap spends reading a
born-digital PDF (cProfile over the 16 samples: 18 of 45 s in ``psparser.nextobject``). qpdf's
tokenizer (C++, through pikepdf) yields the same operands and operators; this module converts
them to the objects pdfminer's own parser would have produced (names as ``PSLiteral``, strings as
``bytes``, reals as ``float``, dictionaries keyed by name) so the interpreter runs unchanged.

What pdfminer's own parser reads differently is kept pdfminer's: an inline image (``BI … ID …
EI``) is re-read by pdfminer from qpdf's bytes of it, and a stream qpdf cannot tokenize is read
by pdfminer as before (:func:`instructions` returns None).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import pikepdf
import regex
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import KWD, LIT, PSEOF, PSKeyword

_NULL = KWD(b"null")


def _operand(obj: Any) -> Any:
    """A qpdf operand as pdfminer's tokenizer gives it; None for ``null``, which pdfminer pushes
    nothing for (to pdfminer it is a keyword, run as an operator it has no method for)."""
    if obj is None:
        return None
    return _value(obj)


def _value(obj: Any) -> Any:
    """A qpdf object inside an operand as pdfminer's tokenizer gives it (``null`` is the
    keyword ``null`` there, kept in arrays and dictionaries). pikepdf hands numbers and
    booleans over as Python's own; the rest are told apart by qpdf's type code (one attribute
    read, where isinstance against pikepdf's classes costs several)."""
    kind = type(obj)
    if kind is int or kind is bool:
        return obj
    if kind is Decimal:
        return float(obj)
    if obj is None:
        return _NULL
    convert = _BY_TYPE_CODE.get(getattr(obj, "_type_code", None))
    if convert is None:
        raise TypeError(f"no pdfminer reading of {kind.__name__}")  # read by pdfminer instead
    return convert(obj)


def _dictionary(obj: Any) -> dict[str, Any]:
    return {str(k)[1:]: _value(v) for k, v in obj.items()}  # keyed by the name's text, as pdfminer keys it


_BY_TYPE_CODE: dict[Any, Callable[[Any], Any]] = {
    pikepdf.ObjectType.name_: lambda obj: LIT(str(obj)[1:]),
    pikepdf.ObjectType.string: bytes,
    pikepdf.ObjectType.array: lambda obj: [_value(v) for v in obj],
    pikepdf.ObjectType.dictionary: _dictionary,
}


def instructions(streams: Sequence[PDFStream]) -> list[tuple[list[Any], str]] | None:
    """The operands and operator of each instruction of ``streams`` read one after another, or
    None when qpdf finds anything wrong with them (a warning, an operator that is no PDF
    operator's name): damaged content is pdfminer's to read, as it always was. An inline image
    comes back as pdfminer's own reading of it: operands ``[PDFStream]`` and operator ``"EI"``."""
    data = b"\n".join(stream.get_data() for stream in streams)
    scratch = pikepdf.new()  # the stream qpdf reads belongs to a document; one per call, closed
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # pikepdf warns of a stream that ends mid-object
            parsed = pikepdf.parse_content_stream(pikepdf.Stream(scratch, data))
        if scratch.get_warnings():  # qpdf read past damage (a stray ">>", a bad name)
            return None
        out: list[tuple[list[Any], str]] = []
        for item in parsed:
            if isinstance(item, pikepdf.ContentStreamInlineImage):
                # pdfminer finds the image's end only at "EI" followed by white space
                out.extend(_pdfminer_instructions(item.iimage.unparse() + b"\n"))
                continue
            operator = str(item.operator)
            if not _is_operator(operator):  # "1.2.3": pdfminer reads numbers there
                return None
            out.append(([v for v in map(_operand, item.operands) if v is not None], operator))
        return out
    except (pikepdf.PdfError, UserWarning, ValueError, TypeError, UnicodeDecodeError):
        return None
    finally:
        scratch.close()


@functools.cache
def _is_operator(name: str) -> bool:
    """Whether ``name`` is spelled as a PDF operator (letters, digits after the first, ``*``;
    or one of the quote operators)."""
    return bool(_OPERATOR.fullmatch(name))


_OPERATOR = regex.compile(r"[A-Za-z][A-Za-z0-9]*\*?|'|\"")


def _pdfminer_instructions(data: bytes) -> Iterator[tuple[list[Any], str]]:
    """``data`` (a piece of content stream) read by pdfminer's own parser."""
    parser = PDFContentParser([PDFStream({}, data)])
    operands: list[Any] = []
    while True:
        try:
            _, obj = parser.nextobject()
        except PSEOF:
            break
        if isinstance(obj, PSKeyword):
            name = obj.name.decode("latin-1") if isinstance(obj.name, bytes) else str(obj.name)
            yield operands, name
            operands = []
        else:
            operands.append(obj)
    if operands:
        yield operands, ""
