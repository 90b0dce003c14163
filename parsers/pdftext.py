"""The PDF text layer: from a pdfplumber page's glyphs to correct Thai lines and cell text.

Why not ``page.extract_text()``: it re-sorts characters by x, and Thai marks are zero-width with
an x0 past the start of the next consonant, so marks land on the wrong consonant. The content
stream holds the glyphs in logical order, so this module keeps that order and only uses
geometry to group glyphs into lines and to order *clusters* (a base character plus the marks
that follow it in the stream) from left to right.

LibreOffice (and other tools) wrap glyphs whose ToUnicode mapping is wrong or missing — SARA AM
drawn as two glyphs, shifted tone marks — in ``/Span <</ActualText (…)>> BDC … EMC``. pdfminer
ignores marked-content properties, and pdfplumber's aggregator keeps only ``MCID`` and the tag,
so the ActualText is captured here by a subclass of pdfplumber's own aggregator
(:class:`_ActualTextAggregator`) driven by a subclass of pdfminer's interpreter that resolves
named property lists (``/Span /MC0 BDC`` with ``/Properties`` in the resources). The span's text
replaces the glyphs it covers: it is put on the first covered glyph, with the bounding box of
all of them, and the others are dropped.

Glyphs without a Unicode mapping come out of pdfminer as ``(cid:N)``; so do, here, glyphs whose
mapping their outline contradicts (a tone-mark glyph mapped to SARA U, one mark glyph mapped to
two marks: LibreOffice's ToUnicode, right only with its ActualText). :func:`page_chars` hands
them to a ``resolve_glyph(font, cid, contexts)`` hook, by default
:func:`kamrap.parsers.glyphs.identify_glyph` (nearest outline among the font's mapped glyphs,
checked against the dictionary in the text around each occurrence); with ``resolve_glyph=None``,
or when it returns None, they stay ``(cid:N)``. A glyph mapped to U+FFFD has no text by its
producer's account: InDesign maps the mark glyphs of a cluster whose text it gave to the
cluster's first glyph that way, but also a NIKHAHIT whose text it gave to no glyph at all. Such a
glyph is identified too, and kept only if the text around it reads better with it; otherwise it
is dropped, its width given to the char before it. A guess never beats the file's own mapping
unless the glyph's in-order text reads at least as well with it (:func:`_guess_or_mapping`).
A glyph drawn twice on the same spot (a shadow, fake bold) counts once. Glyphs drawn turned
(a header running up a narrow table column) are read along their own baseline.

Usage::

    page, chars = upright_page_chars(page)         # once per page (turned if sideways)
    lines = page_lines(page, chars)                # reading order, repaired text
    cell = text_in_bbox(chars, (x0, top, x1, bottom))
    text = document_text(path, pages=[1, 2])       # what ``kamrap text`` prints

``page_chars`` runs the interpreter once and, when pdfplumber has not parsed the page yet, hands
the same layout to pdfplumber (``page.rects``, ``page.find_tables()`` … then do not re-parse).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import pdfplumber
from pdfminer.pdffont import PDFFont
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, resolve1, stream_value
from pdfminer.utils import apply_matrix_pt
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text as _pdfdoc_decode
from pdfplumber.page import PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException

from kamrap.parsers.content_stream import instructions
from kamrap.parsers.settings import SETTINGS
from kamrap.text.thai import THAI_COMBINING, THAI_PUA_MAP, dictionary_score, map_pua, repair_thai
from kamrap.parsers.orientation import glyph_direction, text_turn, turned_page
from kamrap.parsers.reading import value_after_description
from kamrap.parsers.source import UnreadablePDF, describe_pdfminer_error, open_pdf
from kamrap.parsers.glyphs import (
    SELF,
    GlyphContext,
    am_without_ring,
    identify_glyph,
    mapping_contradicts_outline,
    remember_font_spec,
)

__all__ = [
    "GlyphResolver",
    "document_text",
    "layout_text",
    "TextChar",
    "TextLine",
    "lines_from_chars",
    "page_chars",
    "page_lines",
    "page_text",
    "text_in_bbox",
    "upright_page_chars",
]

#: ``resolve_glyph(font, cid, contexts) -> text | None``: identify a glyph that has no Unicode
#: mapping (or one its outline contradicts). ``contexts`` holds the (before, after) text of each
#: occurrence on the page (see :data:`kamrap.parsers.glyphs.GlyphContext`). Called once per
#: (font object, cid) per page, and once more for a glyph whose contexts hold other unknown
#: glyphs, with their first answers filled in; ``None`` keeps pdfminer's ``(cid:N)``.
GlyphResolver = Callable[[PDFFont, int, Sequence[GlyphContext]], "str | None"]


@dataclass(frozen=True)
class TextChar:
    """One glyph (or one ActualText span) in page coordinates (pdfplumber's: top-down)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    fontname: str
    #: glyph id in its font (None for an ActualText span covering several glyphs)
    cid: int | None = None
    #: which way the glyph's baseline runs on the page: 0 right, 90 up, 180 left, 270 down
    direction: int = 0
    #: drawn in text render mode 3 or 7 (neither filled nor stroked): a viewer shows nothing,
    #: as with a scanner's OCR layer over the page image
    invisible: bool = False


@dataclass(frozen=True)
class TextLine:
    """One line of text in reading order; ``chars`` are the non-space chars in that order."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    chars: tuple[TextChar, ...]
    #: the pieces of ``text`` between the spaces put in for gaps, and the left edge of each
    #: (for the layout rendering; a piece may hold a space the PDF itself has)
    words: tuple[str, ...] = ()
    word_x0s: tuple[float, ...] = ()
    word_x1s: tuple[float, ...] = ()  # the right edge of each word
    #: whether the PDF draws a space glyph right after each word (LibreOffice and Word keep
    #: the space where a cell's text wraps, which tells a wrap between words from one inside
    #: a word when the cell is rebuilt without ruling lines)
    word_spaced: tuple[bool, ...] = ()


# --- PDF side: capturing ActualText ------------------------------------------------------


def _decode_pdf_text(value: Any) -> str | None:
    """A PDF text string (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding) to str."""
    value = resolve1(value)
    if isinstance(value, str):
        return value
    if not isinstance(value, (bytes, bytearray)):
        return None
    b = bytes(value)
    if b.startswith(b"\xfe\xff"):
        return b[2:].decode("utf-16-be", "replace")
    if b.startswith(b"\xff\xfe"):  # not allowed by the spec, written by some tools anyway
        return b[2:].decode("utf-16-le", "replace")
    if b.startswith(b"\xef\xbb\xbf"):  # PDF 2.0
        return b[3:].decode("utf-8", "replace")
    return _pdfdoc_decode(b)


class _PropertiesInterpreter(PDFPageInterpreter):
    """pdfminer's interpreter, resolving named property lists of BDC (``/Tag /Name BDC``).

    ``dup()`` uses ``self.__class__``, so Form XObjects are interpreted by this class too, with
    their own resources.
    """

    def execute(self, streams: Sequence[object]) -> None:
        """pdfminer's ``execute``, its operands and operators tokenized by qpdf
        (:mod:`kamrap.parsers.content_stream`); pdfminer's own tokenizer where qpdf fails."""
        valid: list[PDFStream] = []
        self.stream_ids.clear()
        for obj in streams:  # pdfminer's guard against a Form XObject drawing itself
            stream = stream_value(obj)
            if stream.objid is None or stream.objid in self.parent_stream_ids:
                continue
            valid.append(stream)
            self.stream_ids.add(stream.objid)
        parsed = instructions(valid) if valid else []
        if parsed is None:
            super().execute(streams)
            return
        for operands, operator in parsed:
            self.argstack.extend(operands)
            found = _operator_method(operator)
            if found is None:
                continue
            func, nargs = found
            if nargs:
                args = self.pop(nargs)
                if len(args) == nargs:
                    func(self, *args)
            else:
                func(self)

    def init_resources(self, resources: dict[object, object]) -> None:
        super().init_resources(resources)
        fonts = resolve1(resolve1(resources or {}).get("Font")) if resources else None
        if isinstance(fonts, dict):
            for fontid, spec in fonts.items():
                spec = resolve1(spec)
                if fontid in self.fontmap and isinstance(spec, dict):
                    remember_font_spec(self.fontmap[fontid], spec)

    # -- clipping: pdfminer ignores W / W*, but a viewer shows nothing outside the clip (Word
    # and LibreOffice clip a table row's text at a page break and draw it again on the next
    # page). The clip is kept as a box in device space, saved and restored with q / Q.
    def init_state(self, ctm: Any) -> None:
        super().init_state(ctm)
        self._clip: tuple[float, float, float, float] | None = getattr(self.device, "clip", None)
        self._clips: list[tuple[float, float, float, float] | None] = []

    def do_q(self) -> None:
        super().do_q()
        self._clips.append(self._clip)

    def do_Q(self) -> None:
        super().do_Q()
        if self._clips:
            self._set_clip(self._clips.pop())

    def do_W(self) -> None:
        points = [apply_matrix_pt(self.ctm, (seg[-2], seg[-1])) for seg in self.curpath if len(seg) >= 3]
        if not points:
            return
        box = (min(x for x, _ in points), min(y for _, y in points),
               max(x for x, _ in points), max(y for _, y in points))
        if self._clip is not None:
            box = (max(box[0], self._clip[0]), max(box[1], self._clip[1]),
                   min(box[2], self._clip[2]), min(box[3], self._clip[3]))
        self._set_clip(box)

    do_W_a = do_W  # W*: the even-odd rule clips to the same bounding box

    def do_Do(self, xobjid: Any) -> None:
        saved = self._clip  # a Form XObject runs inside q … Q: its clip ends with it
        super().do_Do(xobjid)
        self._set_clip(saved)

    def _set_clip(self, box: tuple[float, float, float, float] | None) -> None:
        self._clip = box
        self.device.clip = box  # type: ignore[attr-defined]

    def do_BDC(self, tag: Any, props: Any) -> None:
        if isinstance(props, PSLiteral):
            named = resolve1(resolve1(self.resources.get("Properties")) or {})
            if isinstance(named, dict):
                props = resolve1(named.get(props.name)) or props
        super().do_BDC(tag, props)


@functools.cache
def _operator_method(operator: str) -> tuple[Callable[..., None], int] | None:
    """The interpreter's method that runs `operator` and the number of operands it takes,
    looked up as pdfminer looks it up (``do_`` + the name, ``*`` spelled ``_a``, ``"`` ``_w``,
    ``'`` ``_q``); None for an operator pdfminer has no method for."""
    attr = "do_" + operator.replace("*", "_a").replace('"', "_w").replace("'", "_q")
    func = getattr(_PropertiesInterpreter, attr, None) if operator else None
    return None if func is None else (func, func.__code__.co_argcount - 1)


class _Glyph:
    """A glyph as drawn: its pdfminer LTChar (``item``), cid, font, enclosing ActualText span
    (index into _ActualTextAggregator.spans), whether drawn invisible (text render mode 3 or
    7), and which way its baseline runs (`glyph_direction`)."""

    __slots__ = ("item", "cid", "font", "span", "invisible", "direction")

    def __init__(self, item: Any, cid: int, font: PDFFont, span: int | None, invisible: bool = False) -> None:
        self.item, self.cid, self.font, self.span, self.invisible = item, cid, font, span, invisible
        self.direction = glyph_direction(item.matrix)


class _ActualTextAggregator(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's aggregator (mcid/tag kept as pdfplumber sets them) that also records, in
    content-stream order, every glyph with its cid, font and enclosing ActualText span.

    Spans nest: an ActualText inside another ActualText span is covered by the outer one.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.glyphs: list[_Glyph] = []
        self.spans: list[str] = []
        self._frames: list[bool] = []  # per open marked-content sequence: did it open a span?
        self._span: int | None = None
        self.clip: tuple[float, float, float, float] | None = None  # set by the interpreter
        self._invisible = False  # the text render mode of the string being drawn is 3 or 7

    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        self._invisible = textstate.render in (3, 7)
        super().render_string(textstate, seq, ncs, graphicstate)

    def begin_tag(self, tag: PSLiteral, props: Any = None) -> None:
        super().begin_tag(tag, props)
        opened = False
        if self._span is None and isinstance(props, dict) and "ActualText" in props:
            text = _decode_pdf_text(props["ActualText"])
            if text is not None:
                self._span = len(self.spans)
                self.spans.append(text)
                opened = True
        self._frames.append(opened)

    def end_tag(self) -> None:
        super().end_tag()
        if self._frames and self._frames.pop():
            self._span = None

    def render_char(
        self,
        matrix: Any,
        font: PDFFont,
        fontsize: float,
        scaling: float,
        rise: float,
        cid: int,
        ncs: Any,
        graphicstate: Any,
    ) -> float:
        adv = super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate)
        item = self.cur_item._objs[-1]
        if not _inside_clip(item, self.clip):
            self.cur_item._objs.pop()  # clipped away: a viewer does not show it
            return adv
        self.glyphs.append(_Glyph(item, cid, font, self._span, self._invisible))
        return adv


def _inside_clip(item: Any, clip: tuple[float, float, float, float] | None) -> bool:
    """Whether a glyph's centre lies inside the clipping box (no clip: everything shows)."""
    if clip is None:
        return True
    x = (item.x0 + item.x1) / 2
    y = (item.y0 + item.y1) / 2
    return bool(clip[0] - 0.5 <= x <= clip[2] + 0.5 and clip[1] - 0.5 <= y <= clip[3] + 0.5)


def _interpret(page: pdfplumber.page.Page) -> _ActualTextAggregator:
    device = _ActualTextAggregator(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    interpreter = _PropertiesInterpreter(page.pdf.rsrcmgr, device)
    try:
        interpreter.process_page(page.page_obj)
    except Exception as e:  # same contract as pdfplumber's Page.layout
        raise PdfminerException(e) from e
    if not hasattr(page, "_layout"):
        # Page.layout is a lazily cached property (pdfplumber 0.11: attribute ``_layout``). Hand
        # it this identical layout so later page.rects / find_tables() do not parse again.
        page._layout = device.get_result()
    return device


def _is_unmapped(text: str) -> bool:
    return text.startswith("(cid:")


#: U+FFFD: what a producer maps a glyph to when it gives the glyph's text elsewhere (InDesign:
#: the marks of a cluster whose first glyph carries the whole cluster's text, ว → "วิ") or has
#: none to give (InDesign on a cover: NIKHAHIT of จำ, drawn as NIKHAHIT + SARA AA).
_NO_TEXT = "\ufffd"


@dataclass
class _Unit:
    """A glyph, or an ActualText span with the glyphs it covers, before the text is final."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    fontname: str
    cid: int | None
    font: PDFFont | None  # None for a span
    unknown: bool = False  # no mapping, or a mapping the glyph's outline contradicts
    direction: int = 0  # see TextChar.direction
    invisible: bool = False  # see TextChar.invisible


def _drawn_before(seen: dict[tuple[str, int, int, int], list[tuple[float, float]]],
                  fontname: str, cid: int, x0: float, y0: float, tolerance: float = 1.0) -> bool:
    """Whether the same glyph of the same font was drawn within ``tolerance`` of (x0, y0)
    (a shadow or outline drawn over the fill, fake bold); records this one otherwise.

    Positions are filed under squares four tolerances wide: a position lies within the
    tolerance of a neighbouring square's edge on half of each axis only, so most glyphs are
    looked up under one to four keys."""
    side = 4 * max(tolerance, 0.25)  # never 0: a zero tolerance still files by position
    kx0, kx1 = int((x0 - tolerance) // side), int((x0 + tolerance) // side)
    ky0, ky1 = int((y0 - tolerance) // side), int((y0 + tolerance) // side)
    for kx in range(kx0, kx1 + 1):
        for ky in range(ky0, ky1 + 1):
            near = seen.get((fontname, cid, kx, ky))
            if near is not None:
                for x, y in near:
                    if abs(x - x0) <= tolerance and abs(y - y0) <= tolerance:
                        return True
    own = (fontname, cid, int(x0 // side), int(y0 // side))
    filed = seen.get(own)
    if filed is None:
        seen[own] = [(x0, y0)]
    else:
        filed.append((x0, y0))
    return False


def _units(device: _ActualTextAggregator) -> list[_Unit]:
    out: list[_Unit] = []
    glyphs, spans = device.glyphs, device.spans
    seen: dict[tuple[str, int, int, int], list[tuple[float, float]]] = {}
    # (font, cid, pdfminer's text) -> (text, unknown): the same for every time a glyph is drawn
    read: dict[tuple[PDFFont, int, str], tuple[str, bool]] = {}
    n = len(glyphs)
    i = 0
    while i < n:
        g = glyphs[i]
        it = g.item
        fontname = it.fontname.decode("latin-1") if isinstance(it.fontname, bytes) else it.fontname
        if g.span is not None:
            # ActualText span: replacement text on the first glyph, bbox of all covered glyphs
            j = i + 1
            x0, y0, x1, y1 = it.x0, it.y0, it.x1, it.y1
            while j < n and glyphs[j].span == g.span:
                o = glyphs[j].item
                x0, y0, x1, y1 = min(x0, o.x0), min(y0, o.y0), max(x1, o.x1), max(y1, o.y1)
                j += 1
            cid = g.cid if j == i + 1 else None
            out.append(_Unit(spans[g.span], x0, y0, x1, y1, it.size, fontname, cid, None,
                             direction=g.direction, invisible=g.invisible))
            i = j
        else:
            i += 1
            if _drawn_before(seen, fontname, g.cid, it.x0, it.y0):
                continue
            drawn = it.get_text()
            key = (g.font, g.cid, drawn)
            known = read.get(key)
            if known is None:
                text = drawn
                if text == _SARA_AM and am_without_ring(g.font, g.cid):
                    text = "\u0e32"  # SARA AA: the ring is its own glyph (see am_without_ring)
                unknown = (_is_unmapped(text) or text == _NO_TEXT
                           or (len(text) <= 3 and mapping_contradicts_outline(g.font, g.cid, text)))
                known = read[key] = (text, unknown)
            out.append(_Unit(known[0], it.x0, it.y0, it.x1, it.y1, it.size, fontname, g.cid, g.font, known[1],
                             g.direction, g.invisible))
    if spans:
        # A producer that writes ActualText gives a cluster's text to its glyphs in order, not by
        # shape (LibreOffice: ผู้ is [ผ][ActualText ู over the ้ glyph][the ู glyph, mapped ้]):
        # next to a span, a mapping that contradicts the outline is still the right text.
        for k, u in enumerate(out):
            if u.unknown and not _is_unmapped(u.text) and (
                    (k > 0 and out[k - 1].font is None) or (k + 1 < len(out) and out[k + 1].font is None)):
                u.unknown = False
    return out


#: Reading context of a glyph for the dictionary check: this many units either side.
_CONTEXT_UNITS = 10


def _contexts(units: list[_Unit], at: list[int], key: tuple[int, int],
              guesses: dict[tuple[int, int], str | None]) -> list[GlyphContext]:
    """(before, after) text around each occurrence of an unknown glyph, within its line and
    phrase (stopping at a space or a jump in height); other occurrences of the same glyph are
    written as SELF, other unknown glyphs as ``guesses`` has them (left out if not there)."""

    def text_of(u: _Unit) -> str:
        if not u.unknown:
            return u.text
        assert u.font is not None and u.cid is not None
        other = (id(u.font), u.cid)
        return SELF if other == key else guesses.get(other) or ""

    out: list[GlyphContext] = []
    for k in at:
        me = units[k]
        tol = 0.8 * (me.size or 10.0)
        parts: list[list[str]] = [[], []]
        for side, rng in ((0, range(k - 1, max(-1, k - 1 - _CONTEXT_UNITS), -1)),
                          (1, range(k + 1, min(len(units), k + 1 + _CONTEXT_UNITS)))):
            for j in rng:
                u = units[j]
                if (u.text.isspace() and not u.unknown) or abs(u.y1 - me.y1) > tol and abs(u.y0 - me.y0) > tol:
                    break
                parts[side].append(text_of(u))
        out.append(("".join(reversed(parts[0])), "".join(parts[1])))
    return out


def _resolve_unknown(units: list[_Unit], resolve_glyph: GlyphResolver) -> None:
    """Give every unknown glyph the text ``resolve_glyph`` finds (once per font and glyph).

    Two unknown glyphs can share a word (ส-[MAI EK]-[SARA UU] in สู่): a glyph whose contexts
    hold other unknown glyphs is tried again with their first-round texts in its contexts.
    """
    where: dict[tuple[int, int], list[int]] = {}
    for k, u in enumerate(units):
        if u.unknown and u.font is not None and u.cid is not None:
            where.setdefault((id(u.font), u.cid), []).append(k)
    found: dict[tuple[int, int], str | None] = {}
    again: list[tuple[int, int]] = []
    for key, at in where.items():
        first = units[at[0]]
        assert first.font is not None and first.cid is not None
        found[key] = resolve_glyph(first.font, first.cid, _contexts(units, at, key, {}))
        if len(where) > 1 and any(_near_other_unknown(units, k, key) for k in at):
            again.append(key)
    if again:
        first_round = dict(found)
        for key in again:
            at = where[key]
            first = units[at[0]]
            assert first.font is not None and first.cid is not None
            found[key] = resolve_glyph(first.font, first.cid, _contexts(units, at, key, first_round))
    for key, at in where.items():
        text = found[key]
        first = units[at[0]]
        if first.text == _NO_TEXT:
            text = _text_or_nothing(text, _contexts(units, at, key, found))
        elif not _is_unmapped(first.text):
            text = _guess_or_mapping(text, first.text, first.cid, _contexts(units, at, key, found))
        if text is not None:
            for k in at:
                units[k].text = text


def _reading_score(text: str, contexts: Sequence[GlyphContext]) -> int:
    """How well the contexts (the glyph's in-order neighbours) read with ``text`` in the
    glyph's place, repaired, as dictionary words."""
    return sum(dictionary_score(repair_thai((b + SELF + a).replace(SELF, text))) for b, a in contexts[:16])


def _guess_or_mapping(guess: str | None, mapped: str, cid: int | None, contexts: Sequence[GlyphContext]) -> str:
    """For a glyph whose mapping its outline contradicts: the outline's ``guess`` only if the
    glyph's in-order text reads at least as well with it as with the file's own ``mapped`` text;
    with no guess, the mapping if it reads better than nothing, else ``(cid:N)``.

    The outline test can be wrong where the file is right, and the file then must win: a bold
    ผู้ whose SARA UU glyph the outline calls a tone mark would read ``ผ้(cid:59)รับบริการ``;
    ``ผ|้รับบริการ`` reads better with the file's ู than with ้ or nothing, so ู stays. A space
    that draws ink (:func:`~kamrap.parsers.glyphs.space_draws_ink`) is kept as a space when
    nothing is found: ``จ านวน`` is what the file says.
    """
    if guess is not None and (not contexts or _reading_score(guess, contexts) >= _reading_score(mapped, contexts)):
        return guess
    if mapped.isspace() or (contexts and _reading_score(mapped, contexts) > _reading_score("", contexts)):
        return mapped
    return f"(cid:{cid})"


def _text_or_nothing(text: str | None, contexts: list[GlyphContext]) -> str:
    """For a glyph its producer mapped to U+FFFD: ``text`` if the contexts read better as
    dictionary words with it than without it, else nothing (the producer's account)."""
    if not text:
        return ""

    return text if _reading_score(text, contexts) > _reading_score("", contexts) else ""


def _near_other_unknown(units: list[_Unit], k: int, key: tuple[int, int]) -> bool:
    """Whether another unknown glyph is within the context reach of unit k."""
    for j in range(max(0, k - _CONTEXT_UNITS), min(len(units), k + _CONTEXT_UNITS + 1)):
        u = units[j]
        if u.unknown and u.font is not None and (id(u.font), u.cid) != key:
            return True
    return False


def page_chars(
    page: pdfplumber.page.Page, *, resolve_glyph: GlyphResolver | None = identify_glyph
) -> list[TextChar]:
    """The page's glyphs in content-stream order, ActualText applied, PUA code points mapped,
    unmapped glyphs (and mapped ones whose outline contradicts their text) passed to
    ``resolve_glyph``, U+FFFD dropped.

    The default resolver identifies glyphs from the embedded font program (see
    :mod:`kamrap.parsers.glyphs`); ``resolve_glyph=None`` leaves them ``(cid:N)``.

    A cropped page (``page.crop(bbox)``) gives the chars of its root page whose centre lies in
    its bbox; other derived pages (``filter``, ``outside_bbox``) are not honoured.
    """
    root = page.root_page if hasattr(page, "root_page") else page
    return _chars(page, root, _interpret(root), resolve_glyph)


def upright_page_chars(
    page: pdfplumber.page.Page, *, resolve_glyph: GlyphResolver | None = identify_glyph
) -> tuple[pdfplumber.page.Page, list[TextChar]]:
    """The page turned so that its text reads left to right, and its chars (see
    :func:`page_chars`). Most pages come back as they are; a page whose text mostly runs up,
    down or upside down (a landscape table set on a portrait page, a page rotated the wrong
    way) comes back as a new page object with its ``/Rotate`` changed to undo that, so that
    lines, words and tables read as a person turning the page would read them."""
    device = _interpret(page)
    turn = text_turn(device.glyphs)
    if turn:
        page = turned_page(page, turn)
        device = _interpret(page)
    return page, _chars(page, page, device, resolve_glyph)


def _chars(page: pdfplumber.page.Page, root: pdfplumber.page.Page, device: _ActualTextAggregator,
           resolve_glyph: GlyphResolver | None) -> list[TextChar]:
    height = root.height
    mb_x0, mb_top = root.mediabox[0], root.mediabox[1]
    units = _units(device)
    if resolve_glyph is not None:
        _resolve_unknown(units, resolve_glyph)
    out: list[TextChar] = []
    for u in units:
        text = u.text
        if "\ufffd" in text:
            # U+FFFD is what a producer maps a glyph to when its text is given elsewhere (InDesign:
            # the marks of a cluster whose first glyph carries the whole cluster's text)
            text = text.replace("\ufffd", "")
        top, bottom = height - u.y1 + mb_top, height - u.y0 + mb_top
        if not text:
            # a glyph (or span) with no text still takes up room: give it to the preceding char
            # on the same line, so that the gap it leaves is not read as a word space
            if out and abs(out[-1].top - top) < 1 and out[-1].x0 <= u.x0 + mb_x0:
                prev = out[-1]
                out[-1] = replace(prev, x1=max(prev.x1, u.x1 + mb_x0))
            continue
        if len(text) == 1:
            text = THAI_PUA_MAP.get(ord(text), text)
        else:
            text = map_pua(text)
        out.append(TextChar(text=text, x0=u.x0 + mb_x0, x1=u.x1 + mb_x0, top=top, bottom=bottom,
                            size=u.size, fontname=u.fontname, cid=u.cid, direction=u.direction,
                            invisible=u.invisible))
    if root is not page:
        bx0, btop, bx1, bbottom = page.bbox
        out = [c for c in out if bx0 <= (c.x0 + c.x1) / 2 <= bx1 and btop <= (c.top + c.bottom) / 2 <= bbottom]
    return out


# --- lines -------------------------------------------------------------------------------

_SARA_AM = "\u0e33"



#: Stands for a space put in for a gap while a line is assembled, so that the line's words can
#: be told from spaces the PDF's own text holds (U+001F INFORMATION SEPARATOR ONE: no PDF text
#: has it, and no repair touches it).
_GAP = "\x1f"


class _Cluster:
    """A base char and the marks that follow it in the content stream."""

    __slots__ = ("chars", "x0", "x1", "top", "bottom", "size", "space", "order")

    def __init__(self, ch: TextChar, order: int) -> None:
        self.chars = [ch]
        self.x0, self.x1, self.top, self.bottom, self.size = ch.x0, ch.x1, ch.top, ch.bottom, ch.size
        self.space = ch.text.isspace()
        self.order = order

    def add(self, ch: TextChar) -> None:
        self.chars.append(ch)
        if ch.x0 < self.x0:
            self.x0 = ch.x0
        if ch.x1 > self.x1:
            self.x1 = ch.x1


def _is_attached(ch: TextChar) -> bool:
    """A char that belongs to the preceding base: a Thai combining mark, SARA AM, or any other
    zero-width glyph (unmapped raised tone marks come out as zero-width ``(cid:N)``)."""
    t = ch.text
    return t[0] in THAI_COMBINING or t[0] == _SARA_AM or (ch.x1 - ch.x0 < 0.01 and not t.isspace())


def _clusters(chars: Iterable[TextChar], y_tolerance: float) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    base: _Cluster | None = None  # last non-space cluster (Excel puts space glyphs before marks)
    for ch in chars:
        if not ch.text:
            continue
        if base is not None and _is_attached(ch):
            # attach to the last base if it is plausibly the mark's consonant: same line, and
            # the mark's x0 within the base's extent (give or take half an em)
            tol = 0.5 * max(base.size, ch.size)
            if abs(ch.top - base.top) <= y_tolerance and base.x0 - tol <= ch.x0 <= base.x1 + tol:
                base.add(ch)
                continue
        cl = _Cluster(ch, len(clusters))
        clusters.append(cl)
        if not cl.space:
            base = cl
    return clusters


def _line_of(clusters: list[_Cluster]) -> TextLine | None:
    """Assemble one line from its clusters (any order): left to right, spaces from geometry."""
    clusters.sort(key=lambda c: (c.x0, c.order))
    parts: list[str] = []
    chars: list[TextChar] = []
    prev: _Cluster | None = None
    space_mid: float | None = None  # centre of the last space glyph since prev
    word_x0s: list[float] = []
    word_x1s: list[float] = []
    word_spaced: list[bool] = []
    for cl in clusters:
        if cl.space:
            space_mid = (cl.x0 + cl.x1) / 2
            continue
        first = cl.chars[0].text[0]
        if prev is not None and first not in THAI_COMBINING and first != _SARA_AM:
            size = max(prev.size, cl.size) or 1.0
            eps = 0.05 * size
            gap = cl.x0 - prev.x1
            if gap > SETTINGS.space_gap_ratio * size or (space_mid is not None and prev.x1 - eps <= space_mid <= cl.x0 + eps):
                parts.append(_GAP)
                word_x1s.append(prev.x1)
                word_spaced.append(space_mid is not None)
                word_x0s.append(cl.x0)
        elif prev is None:
            word_x0s.append(cl.x0)
        for ch in cl.chars:
            parts.append(ch.text)
        chars.extend(cl.chars)
        prev = cl
        space_mid = None
    if not chars:
        return None
    if prev is not None:
        word_x1s.append(prev.x1)
        word_spaced.append(space_mid is not None)
    pieces = repair_thai("".join(parts)).strip().split(_GAP)
    text = " ".join(pieces)
    if not text:
        return None
    if space_mid is not None:
        # A space glyph after the last word: the line wrapped at a space (LibreOffice keeps it),
        # so joining this line to the next needs that space; Thai words wrap without one.
        text += " "
    return TextLine(
        text=text,
        x0=min(c.x0 for c in chars),
        x1=max(c.x1 for c in chars),
        top=min(c.top for c in chars),
        bottom=max(c.bottom for c in chars),
        chars=tuple(chars),
        words=tuple(p.strip() for p in pieces),
        word_x0s=tuple(word_x0s),
        word_x1s=tuple(word_x1s),
        word_spaced=tuple(word_spaced),
    )


def lines_from_chars(chars: Sequence[TextChar], y_tolerance: float | None = None) -> list[TextLine]:
    """Group chars (in content-stream order) into lines: top to bottom, each left to right.

    Chars drawn turned (a table header set running up a narrow column: PowerPoint's rotated
    น้ำหนัก and สสอ. / รพ. / รพ.สต. cells, which read ``กนัหาน้`` and ``. อสส`` when taken as
    horizontal text) are read along their own baseline (:func:`_turned_lines`) and their lines
    put among the others by their top.
    """
    if y_tolerance is None:
        y_tolerance = SETTINGS.line_y_tolerance
    upright = [c for c in chars if c.direction == 0]
    lines = _upright_lines(upright, y_tolerance)
    if len(upright) == len(chars):
        return lines
    for direction in sorted({c.direction for c in chars} - {0}):
        lines += _turned_lines([c for c in chars if c.direction == direction], direction, y_tolerance)
    return sorted(lines, key=lambda line: line.top)


def _to_reading_frame(ch: TextChar, direction: int) -> TextChar:
    """``ch`` in the frame where its baseline runs left to right (coordinates only relative:
    negated where the turn reverses an axis). Its size is its extent across the baseline."""
    if direction == 90:  # running up: along the baseline is up the page, "down" is right
        x0, x1, top, bottom = -ch.bottom, -ch.top, ch.x0, ch.x1
    elif direction == 270:  # running down: "down" is left
        x0, x1, top, bottom = ch.top, ch.bottom, -ch.x1, -ch.x0
    else:  # 180: upside down
        x0, x1, top, bottom = -ch.x1, -ch.x0, -ch.bottom, -ch.top
    return replace(ch, x0=x0, x1=x1, top=top, bottom=bottom, size=bottom - top, direction=0)


def _turned_lines(chars: Sequence[TextChar], direction: int, y_tolerance: float) -> list[TextLine]:
    """Lines of chars that all run ``direction``: assembled in their reading frame, then given
    back their page chars and bounding box (one word each: a turned line has no columns)."""
    turned = [_to_reading_frame(c, direction) for c in chars]
    page_char = {id(t): c for t, c in zip(turned, chars)}
    out: list[TextLine] = []
    for line in _upright_lines(turned, y_tolerance):
        originals = tuple(page_char[id(t)] for t in line.chars)
        x0, x1 = min(c.x0 for c in originals), max(c.x1 for c in originals)
        out.append(TextLine(text=line.text, x0=x0, x1=x1, top=min(c.top for c in originals),
                            bottom=max(c.bottom for c in originals), chars=originals,
                            words=(line.text.strip(),), word_x0s=(x0,), word_x1s=(x1,), word_spaced=(False,)))
    return out


def _upright_lines(chars: Sequence[TextChar], y_tolerance: float) -> list[TextLine]:
    clusters = _clusters(chars, y_tolerance)
    if not clusters:
        return []
    clusters.sort(key=lambda c: (c.top, c.order))
    lines: list[TextLine] = []
    current: list[_Cluster] = []
    last_top = None
    for cl in clusters:
        if last_top is not None and cl.top - last_top > y_tolerance:
            line = _line_of(current)
            if line is not None:
                lines.append(line)
            current = []
        current.append(cl)
        last_top = cl.top
    line = _line_of(current)
    if line is not None:
        lines.append(line)
    return lines


def page_lines(
    page: pdfplumber.page.Page,
    chars: list[TextChar] | None = None,
    y_tolerance: float = 3,
    *,
    resolve_glyph: GlyphResolver | None = identify_glyph,
) -> list[TextLine]:
    """The page's lines in reading order (top to bottom, each left to right), text repaired."""
    if chars is None:
        chars = page_chars(page, resolve_glyph=resolve_glyph)
    return lines_from_chars(chars, y_tolerance)


def text_in_bbox(
    chars: Sequence[TextChar], bbox: tuple[float, float, float, float], y_tolerance: float = 3
) -> str:
    """The repaired text of the chars whose centre lies in bbox ``(x0, top, x1, bottom)``,
    lines joined by "\\n" (for table cells)."""
    x0, top, x1, bottom = bbox
    # A space glyph that ends a wrapped line may stick out past the cell's border; it belongs
    # to the cell if it starts inside.
    inside = [c for c in chars
              if top <= (c.top + c.bottom) / 2 <= bottom
              and (x0 <= (c.x0 + c.x1) / 2 <= x1 or (c.text == " " and x0 <= c.x0 < x1))]
    return "\n".join(line.text for line in lines_from_chars(inside, y_tolerance))


def page_text(page: pdfplumber.page.Page, *, resolve_glyph: GlyphResolver | None = identify_glyph) -> str:
    """The page's lines joined by "\\n"."""
    return "\n".join(line.text for line in page_lines(page, resolve_glyph=resolve_glyph))


# --- whole documents ---------------------------------------------------------------------


#: ``read_chars(page) -> (upright page, chars)``: how :func:`document_text` reads a page
#: (:func:`upright_page_chars` by default; the OCR path passes its own).
PageReader = Callable[[pdfplumber.page.Page], "tuple[pdfplumber.page.Page, list[TextChar]]"]


def document_text(path: Path | str, pages: Sequence[int] | None = None, layout: bool = False,
                  read_chars: PageReader | None = None) -> str:
    """The repaired text of the PDF at ``path``: every page (or the 1-based ``pages``), each
    page's lines ended by "\\n" and pages separated by a form feed ("\\f"), as pdftotext does.
    A value printed beside the first line of a wrapped description follows the description
    (see :mod:`kamrap.parsers.reading`).

    ``layout=True`` keeps the horizontal arrangement: every word starts at the column its x
    position gives, on a grid of the page's typical character width, so table columns line up.

    Raises :class:`~kamrap.parsers.source.UnreadablePDF` for a file that is not a readable PDF,
    ``ValueError`` for a page number the PDF does not have.
    """
    path = Path(path)
    with open_pdf(path) as pdf:
        count = len(pdf.pages)
        wanted = list(range(1, count + 1)) if pages is None else list(pages)
        bad = [n for n in wanted if not 1 <= n <= count]
        if bad:
            raise ValueError(f"page {bad[0]} is out of range: {path.name} has {count} page{'s' * (count != 1)}")
        out = []
        for n in wanted:
            page = pdf.pages[n - 1]
            try:
                page, chars = (read_chars or upright_page_chars)(page)
            except PdfminerException as exc:
                raise UnreadablePDF(path, describe_pdfminer_error(exc.args[0] if exc.args else exc)) from exc
            lines = lines_from_chars(chars)
            text = layout_text(lines, chars) if layout else "\n".join(value_after_description(lines))
            out.append(text + "\n" if text else "")
            page.close()
    return "\f".join(out)


def _display_width(text: str) -> int:
    """Terminal columns: Thai combining marks take none."""
    return sum(1 for ch in text if ch not in THAI_COMBINING)


def layout_text(lines: Sequence[TextLine], chars: Sequence[TextChar]) -> str:
    """Lines rendered with their words at the columns of their x positions (see
    :func:`document_text`), on a grid of the page's narrow letters' width."""
    # a narrow column (the 20th percentile of the letters' widths) so that a line of narrow
    # letters still ends before the next column starts
    widths = sorted(c.x1 - c.x0 for c in chars if c.x1 - c.x0 > 0.25 * c.size and not c.text.isspace())
    unit = widths[len(widths) // 5] if widths else 5.0
    left = min((line.x0 for line in lines), default=0.0)
    out = []
    for line in lines:
        words: Sequence[str] = line.words
        xs: Sequence[float] = line.word_x0s
        if len(xs) != len(words) or not words:
            words, xs = [line.text.strip()], [line.x0]
        buf = ""
        for x, word in zip(xs, words):
            col = round((x - left) / unit)
            buf += " " * max(col - _display_width(buf), 1 if buf else 0) + word
        out.append(buf)
    return "\n".join(out)
