"""Identify glyphs whose Unicode mapping is missing or wrong, from the embedded font program.

Office tool chains leave some glyphs without text: Acrobat Distiller writes no ToUnicode entry
for DilleniaUPC's raised tone marks (``(cid:201)`` is ่ drawn above an upper vowel), and
LibreOffice gives a mark glyph the text of the first cluster it was drawn in, so one mark glyph
can carry another mark's text (a tone mark mapped to SARA U), mended only by ``/ActualText``.

A glyph is identified the way a reader does it: by its shape. Its outline, read from the font
program embedded in the PDF with fontTools, is compared with the outlines of the same font's
glyphs whose text is known, after moving both to a common origin (the centre of their bounding
boxes), by chamfer distance: the mean distance from each point of one outline to the nearest
point of the other, both ways. Only glyphs of the same zone are compared (under the baseline,
above the consonants, or on the line: a mark is never read as a consonant). A raised tone mark
is the ordinary one drawn higher and a little smaller, so its nearest outline is the ordinary
mark's. The Thai characters of that zone that no glyph of the font is mapped to are candidates
too, with no outline to back them (a subset font may hold SARA AA only as the unmapped glyph).
Where outlines are close, or none backs a candidate, the candidates are tried in the words
around the glyph and the reading that makes the best dictionary words (pythainlp's word list)
is chosen (:func:`choose_by_dictionary`).

The same zones tell when a mapping is wrong (:func:`mapping_contradicts_outline`): a SARA U
glyph that sits above the consonant is not SARA U; a "space" that draws an outline and does not
advance is a mark (:func:`space_draws_ink`: PowerPoint, Excel and Word map the NIKHAHIT of ำ to
U+0020); a SARA AM glyph that stays at consonant height is SARA AA (:func:`am_without_ring`).
An outline far from every mapped one (``_SAME_GLYPH``) is no evidence for the nearest.

Only the font program and the PDF's own mappings are used: nothing here knows a particular
font. Fonts without an embedded TrueType/OpenType program (Type 1, Type 3, non-embedded) are
left alone. Work is done once per font program and glyph (outlines, distances) and once per
PDF font object (candidates), so a document's pages share it.

Usage (what ``pdftext.page_chars`` does by default)::

    text = identify_glyph(font, cid, contexts)   # None when it cannot tell
"""

from __future__ import annotations

import io
import logging
import math
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from pdfminer.pdffont import PDFCIDFont, PDFFont
from pdfminer.pdftypes import PDFStream, resolve1

from kamrap.text.thai import dictionary_score, repair_thai

__all__ = [
    "Candidate",
    "GlyphContext",
    "choose_by_dictionary",
    "chamfer_distance",
    "font_glyphs",
    "identify_glyph",
    "am_without_ring",
    "mapping_contradicts_outline",
    "remember_font_spec",
    "space_draws_ink",
]

#: (text before, text after) a glyph in reading order, within its line. The glyph being
#: identified may occur again inside: those occurrences are written as U+FFFC.
GlyphContext = tuple[str, str]
SELF = "\ufffc"

Zone = Literal["above", "below", "base"]

# Thai marks by where they sit relative to the base consonant.
_BELOW_MARKS = frozenset("\u0e38\u0e39\u0e3a")  # ุ ู ฺ
_ABOVE_MARKS = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
_MARKS = _BELOW_MARKS | _ABOVE_MARKS
# Thai letters on the line: consonants, the vowels that advance, LAKKHANGYAO, MAIYAMOK.
_BASE_LETTERS = frozenset([chr(c) for c in range(0x0E01, 0x0E2F)] + list("\u0e30\u0e32\u0e40\u0e41\u0e42\u0e43\u0e44\u0e45\u0e46"))
_ZONE_CHARS: dict[str, frozenset[str]] = {"above": _ABOVE_MARKS, "below": _BELOW_MARKS, "base": _BASE_LETTERS}

#: Points per outline after resampling; the distance is O(n²) in pure Python.
_SAMPLES = 48
#: Candidates whose distance is within this factor of the best are tried in the dictionary.
_CLOSE = 1.6
#: Characters without an outline are candidates only in a font with at least this many mapped
#: characters: in a font with (next to) no mappings, the dictionary alone would be solving a
#: substitution cipher, slowly and unreliably.
_MIN_MAPPED = 8
#: An outline nearer than this share of its size (the longer side of its bounding box) to a
#: mapped glyph's is that glyph, or a raised or shifted copy of it: DilleniaUPC's raised tone
#: marks lie within 0.022–0.052 of the ordinary ones. Farther (Tahoma's, Angsana New's and TH
#: SarabunPSK's NIKHAHIT: 0.092–0.11 from the nearest tone mark), the outline is no evidence.
_SAME_GLYPH = 0.07
#: At most this many contexts per glyph are tried in the dictionary (a quarter of it when many
#: candidates are tried).
_MAX_CONTEXTS = 16


@dataclass(frozen=True)
class Candidate:
    """A possible text for a glyph, with the outline distance that supports it (inf: none)."""

    text: str
    distance: float


# --- font programs -----------------------------------------------------------------------

# A font's dictionary as written in the PDF (pdfminer keeps only what it needs of it): recorded
# by pdftext's interpreter, read here for /CIDToGIDMap and /Encoding.
_FONT_SPECS: weakref.WeakKeyDictionary[PDFFont, Mapping[str, Any]] = weakref.WeakKeyDictionary()


def remember_font_spec(font: PDFFont, spec: Mapping[str, Any]) -> None:
    """Keep the font dictionary ``spec`` that pdfminer built ``font`` from."""
    _FONT_SPECS.setdefault(font, spec)


def _descendant(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    fonts = resolve1(spec.get("DescendantFonts"))
    if isinstance(fonts, list) and fonts:
        d = resolve1(fonts[0])
        if isinstance(d, dict):
            return d
    return spec


class _PointsPen(BasePen):  # type: ignore[misc]  # fontTools ships no type hints
    """Collects an outline as polylines (curves flattened)."""

    def __init__(self, glyph_set: Any) -> None:
        super().__init__(glyph_set)
        self.contours: list[list[tuple[float, float]]] = []

    def _moveTo(self, pt: tuple[float, float]) -> None:
        self.contours.append([pt])

    def _lineTo(self, pt: tuple[float, float]) -> None:
        self.contours[-1].append(pt)

    def _curveToOne(self, p1: tuple[float, float], p2: tuple[float, float], p3: tuple[float, float]) -> None:
        (x0, y0) = self.contours[-1][-1]
        for i in range(1, 7):
            t = i / 6
            mt = 1 - t
            a, b, c, d = mt * mt * mt, 3 * mt * mt * t, 3 * mt * t * t, t * t * t
            self.contours[-1].append((a * x0 + b * p1[0] + c * p2[0] + d * p3[0],
                                      a * y0 + b * p1[1] + c * p2[1] + d * p3[1]))

    def _closePath(self) -> None:
        if self.contours and self.contours[-1]:
            self.contours[-1].append(self.contours[-1][0])

    _endPath = _closePath


def _resample(contours: list[list[tuple[float, float]]], n: int) -> list[tuple[float, float]]:
    """``n`` points spread evenly along all contours together."""
    segments = [(a, b, math.dist(a, b)) for c in contours for a, b in zip(c, c[1:]) if a != b]
    total = sum(length for _, _, length in segments)
    if total == 0:
        return []
    step = total / n
    out: list[tuple[float, float]] = []
    walked = 0.0  # along the current segment, where the next point falls
    for a, b, length in segments:
        while walked <= length and len(out) < n:
            t = walked / length
            out.append((a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t))
            walked += step
        walked -= length
    return out


@dataclass(frozen=True)
class _Shape:
    points: tuple[tuple[float, float], ...]  # centred on the bbox centre
    bounds: tuple[float, float, float, float]  # xmin, ymin, xmax, ymax in font units
    advance: int
    zone: Zone


def _zone(bounds: tuple[float, float, float, float], upm: int) -> Zone:
    """Where a glyph sits: wholly under the baseline (ุ ู ฺ), wholly above the height of the
    consonants (the upper vowels and tone marks, at whatever height they were shifted to), or
    in between. From the outline alone: mark glyphs of some fonts advance."""
    _, ymin, _, ymax = bounds
    if ymax <= 0.1 * upm and ymin < 0:
        return "below"
    if ymin >= 0.3 * upm:
        return "above"
    return "base"


class _FontProgram:
    """An embedded TrueType/OpenType program: glyph outlines by glyph id, lazily."""

    def __init__(self, data: bytes) -> None:
        self.tt = TTFont(io.BytesIO(data), lazy=True)
        head = logging.getLogger("fontTools.ttLib.tables._h_e_a_d")
        level = head.level
        head.setLevel(logging.ERROR)  # subset fonts carry odd timestamps; fontTools warns
        try:
            self.upm = self.tt["head"].unitsPerEm if "head" in self.tt else 1000
        finally:
            head.setLevel(level)
        self.order = self.tt.getGlyphOrder()
        self.glyph_set = self.tt.getGlyphSet()
        self.hmtx = self.tt["hmtx"] if "hmtx" in self.tt else None
        self._shapes: dict[int, _Shape | None] = {}
        self._distances: dict[tuple[int, int], float] = {}  # by id() of shapes kept in _shapes
        self._cmaps: list[tuple[int, int, dict[int, str]]] | None = None

    def shape(self, gid: int) -> _Shape | None:
        if gid not in self._shapes:
            self._shapes[gid] = self._read_shape(gid)
        return self._shapes[gid]

    def _read_shape(self, gid: int) -> _Shape | None:
        if not 0 < gid < len(self.order):
            return None
        name = self.order[gid]
        pen = _PointsPen(self.glyph_set)
        try:
            self.glyph_set[name].draw(pen)
        except Exception:  # a damaged glyph: no shape rather than no text
            return None
        pts = [p for c in pen.contours for p in c]
        if not pts:
            return None
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        bounds = (min(xs), min(ys), max(xs), max(ys))
        cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
        points = tuple((x - cx, y - cy) for x, y in _resample(pen.contours, _SAMPLES))
        advance = self.hmtx[name][0] if self.hmtx is not None and name in self.hmtx.metrics else 0
        return _Shape(points, bounds, advance, _zone(bounds, self.upm))

    def distance(self, a: _Shape, b: _Shape) -> float:
        """Chamfer distance between two of this font's glyph shapes, computed once per pair
        (font objects of one PDF often share one embedded program)."""
        key = (id(a), id(b))
        if key not in self._distances:
            self._distances[key] = chamfer_distance(a.points, b.points)
        return self._distances[key]

    def cmaps(self) -> list[tuple[int, int, dict[int, str]]]:
        if self._cmaps is None:
            self._cmaps = []
            if "cmap" in self.tt:
                self._cmaps = [(t.platformID, t.platEncID, t.cmap) for t in self.tt["cmap"].tables
                               if t.cmap is not None]
        return self._cmaps

    def gid_of_name(self, name: str) -> int | None:
        try:
            return int(self.tt.getGlyphID(name))
        except KeyError:
            return None


_PROGRAMS: weakref.WeakKeyDictionary[PDFStream, _FontProgram | None] = weakref.WeakKeyDictionary()


def _font_file(font: PDFFont) -> PDFStream | None:
    descriptor = font.descriptor if isinstance(font.descriptor, dict) else {}
    for key in ("FontFile2", "FontFile3"):
        stream = resolve1(descriptor.get(key))
        if isinstance(stream, PDFStream):
            if key == "FontFile3" and getattr(resolve1(stream.get("Subtype")), "name", None) != "OpenType":
                continue  # bare CFF: not read here
            return stream
    return None


def _program(font: PDFFont) -> _FontProgram | None:
    """The font's embedded program, parsed once per font-file stream (fonts share them)."""
    stream = _font_file(font)
    if stream is None:
        return None
    if stream not in _PROGRAMS:
        try:
            _PROGRAMS[stream] = _FontProgram(stream.get_data())
        except Exception:  # not a font fontTools can read: the glyphs stay unidentified
            _PROGRAMS[stream] = None
    return _PROGRAMS[stream]


class _FontGlyphs:
    """One PDF font: its codes' glyphs and the text the PDF gives them."""

    def __init__(self, font: PDFFont, program: _FontProgram) -> None:
        # the font's mappings, not the font: _GLYPHS holds this object weakly keyed by the font,
        # and a reference back to the font would keep both alive for good
        umap = getattr(font, "unicode_map", None)
        self._cid2unichr: dict[object, str] = getattr(umap, "cid2unichr", None) or {}
        self._cid2unicode: dict[int, str] = getattr(font, "cid2unicode", None) or {}
        self.program = program
        spec = _FONT_SPECS.get(font, {})
        self.is_cid = isinstance(font, PDFCIDFont)
        self._cid_to_gid: bytes | None = None
        if self.is_cid:
            c2g = resolve1(_descendant(spec).get("CIDToGIDMap"))
            if isinstance(c2g, PDFStream):
                self._cid_to_gid = c2g.get_data()
        #: symbolic simple font without /Encoding: pdfminer's fallback to WinAnsi is made up
        self.encoding_made_up = (not self.is_cid and "Encoding" not in spec
                                 and bool(getattr(font, "flags", 0) & 4))
        self._mapped: dict[int, str] | None = None
        self._refs: list[tuple[str, _Shape]] | None = None
        self._contradicted: dict[tuple[int, str], bool] = {}
        self._candidates: dict[int, list[Candidate]] = {}
        self._height: float | None = None

    def gid(self, code: int) -> int | None:
        if self.is_cid:
            if self._cid_to_gid is None:
                return code
            i = 2 * code
            return int.from_bytes(self._cid_to_gid[i:i + 2], "big") if i + 2 <= len(self._cid_to_gid) else None
        # simple TrueType: (3,0) symbol cmap at code or 0xF000+code, then (1,0), then (3,1) by
        # the encoding's Unicode (PDF 32000-1, 9.6.6.4)
        tables = self.program.cmaps()
        for pid, eid, cmap in tables:
            if (pid, eid) == (3, 0):
                for c in (code, 0xF000 + code, 0xF100 + code, 0xF200 + code):
                    if c in cmap:
                        return self.program.gid_of_name(cmap[c])
        for pid, eid, cmap in tables:
            if (pid, eid) == (1, 0) and code in cmap:
                return self.program.gid_of_name(cmap[code])
        uni = self._cid2unicode.get(code)
        if uni:
            for pid, eid, cmap in tables:
                if (pid, eid) in ((3, 1), (3, 10), (0, 3), (0, 4)) and ord(uni[0]) in cmap:
                    return self.program.gid_of_name(cmap[ord(uni[0])])
        return None

    def shape(self, code: int) -> _Shape | None:
        gid = self.gid(code)
        return None if gid is None else self.program.shape(gid)

    def mapped(self) -> dict[int, str]:
        """Code → text for every code the PDF maps to one character (ToUnicode, or encoding)."""
        if self._mapped is None:
            out: dict[int, str] = {}
            for code, text in self._cid2unichr.items():
                if isinstance(code, int) and isinstance(text, str) and len(text) == 1:
                    out[code] = text
            if not self.is_cid and not self.encoding_made_up:
                for code, text in self._cid2unicode.items():
                    if len(text) == 1:
                        out.setdefault(code, text)
            self._mapped = out
        return self._mapped

    def references(self) -> list[tuple[str, _Shape]]:
        """(text, shape) of the mapped glyphs whose shape agrees with their text."""
        if self._refs is None:
            refs = []
            for code, text in self.mapped().items():
                if text == "\ufffd" or not text.isprintable() or text.isspace():
                    continue  # "no text here" is no reference
                s = self.shape(code)
                if s is not None and s.points and not _contradicts(text, s):
                    refs.append((text, s))
            self._refs = refs
        return self._refs

    def candidates(self, code: int) -> list[Candidate]:
        """Texts this glyph may stand for, nearest outline first.

        The font's mapped glyphs in the same zone (under the base, above it, or on the line;
        advancing or not) are compared by outline. The Thai characters of that zone that no
        glyph of the font is mapped to follow with distance inf: nothing speaks against them
        (a subset font may hold SARA AA only as the unmapped glyph), and the dictionary may
        pick them.
        """
        if code in self._candidates:
            return self._candidates[code]
        target = self.shape(code)
        if target is None or not target.points:
            self._candidates[code] = []
            return []
        best: dict[str, float] = {}
        for text, ref in self.references():
            if ref.zone != target.zone or (ref.advance == 0) != (target.advance == 0):
                continue
            d = self.program.distance(target, ref)
            if d < best.get(text, math.inf):
                best[text] = d
        mapped = {text for text, _ in self.references()}  # contradicted mappings are no evidence
        if len(mapped) >= _MIN_MAPPED:
            for ch in _ZONE_CHARS[target.zone]:
                if ch not in mapped:
                    best.setdefault(ch, math.inf)
        self._candidates[code] = sorted((Candidate(t, d) for t, d in best.items()), key=lambda c: (c.distance, c.text))
        return self._candidates[code]

    def consonant_height(self) -> float | None:
        """The median top of the font's mapped Thai consonants, in font units (None: fewer
        than five mapped). The median: a few consonants (ป ฝ ฟ ฬ) rise above the others."""
        if self._height is None:
            tops = sorted(s.bounds[3] for t, s in self.references() if "\u0e01" <= t <= "\u0e2e")
            self._height = tops[len(tops) // 2] if len(tops) >= 5 else math.nan
        return None if math.isnan(self._height) else self._height

    def outline_matches(self, code: int) -> bool:
        """Whether the glyph's nearest mapped outline is close enough to be the same glyph
        (see ``_SAME_GLYPH``)."""
        target = self.shape(code)
        finite = [c for c in self.candidates(code) if c.distance < math.inf]
        if target is None or not finite:
            return False
        xmin, ymin, xmax, ymax = target.bounds
        return finite[0].distance <= _SAME_GLYPH * max(xmax - xmin, ymax - ymin, 1.0)

    def contradicts(self, code: int, text: str) -> bool:
        key = (code, text)
        if key not in self._contradicted:
            s = self.shape(code)
            self._contradicted[key] = s is not None and _contradicts(text, s)
        return self._contradicted[key]


def _contradicts(text: str, shape: _Shape) -> bool:
    """A Thai mark whose glyph sits on the other side of the base: SARA U drawn above the
    consonants, a tone mark under the baseline. (A glyph on the line proves nothing: fonts
    differ in how high they put their marks.)"""
    if len(text) != 1:
        return False
    if text in _BELOW_MARKS:
        return shape.zone == "above"
    if text in _ABOVE_MARKS:
        return shape.zone == "below"
    return False


_GLYPHS: weakref.WeakKeyDictionary[PDFFont, _FontGlyphs | None] = weakref.WeakKeyDictionary()


def font_glyphs(font: PDFFont) -> _FontGlyphs | None:
    """The glyph identifier of one PDF font object, built once (None: no readable program)."""
    if font not in _GLYPHS:
        program = _program(font)
        _GLYPHS[font] = None if program is None else _FontGlyphs(font, program)
    return _GLYPHS[font]


def mapping_contradicts_outline(font: PDFFont, cid: int, text: str) -> bool:
    """Whether the text the PDF gives glyph ``cid`` cannot be what the glyph draws.

    Three cases: a Thai mark whose glyph sits on the wrong side of the base (LibreOffice's
    ToUnicode can give a tone-mark glyph the text SARA U); one mark glyph given several marks
    (LibreOffice maps the NIKHAHIT glyph of น้ำ to "้ำ", and keeps that text wherever the glyph
    is drawn); and a code missing from the ToUnicode of a symbolic TrueType font without
    /Encoding, which pdfminer reads as WinAnsi (code 0x3C → "<") though such a font has no
    encoding at all.
    """
    if len(text) == 1 and (text in _BELOW_MARKS or text in _ABOVE_MARKS):
        glyphs = font_glyphs(font)
        return glyphs is not None and glyphs.contradicts(cid, text)
    if text == " ":
        return space_draws_ink(font, cid)
    if len(text) > 1:
        if all(ch in _MARKS or ch == "\u0e33" for ch in text):
            glyphs = font_glyphs(font)
            shape = None if glyphs is None else glyphs.shape(cid)
            return shape is not None and shape.zone != "base" and shape.advance == 0
        return False
    if not ("\x20" < text < "\u0100") or isinstance(font, PDFCIDFont) or not (font.flags & 4):
        return False
    umap = getattr(font, "unicode_map", None)
    cid2unichr = getattr(umap, "cid2unichr", None)
    if cid2unichr is None or cid in cid2unichr:
        return False
    spec = _FONT_SPECS.get(font)
    return spec is not None and "Encoding" not in spec


def space_draws_ink(font: PDFFont, cid: int) -> bool:
    """Whether a glyph the PDF maps to a space draws an outline: then it is no space.

    PowerPoint 2019, Excel 2010 and Word 2013 map the NIKHAHIT glyph of SARA AM (drawn as
    NIKHAHIT + SARA AA) to U+0020, so ``จำนวน`` reads ``จ านวน`` and ``น้ำหนัก`` reads
    ``น ้าหนัก``. A space glyph has no contours and advances; a glyph with contours and no
    advance is a mark, identified by its outline like an unmapped one (here: NIKHAHIT, and
    ``ํา`` is then SARA AM). The advance is checked too because a simple TrueType font's code
    can lead to the wrong glyph of a subset program (THSarabunIT๙: code 32 to "at").
    """
    glyphs = font_glyphs(font)
    shape = None if glyphs is None else glyphs.shape(cid)
    return shape is not None and bool(shape.points) and shape.advance == 0


def am_without_ring(font: PDFFont, cid: int) -> bool:
    """Whether a glyph the PDF maps to SARA AM (ำ) draws SARA AA (า) only.

    ำ is a ring (NIKHAHIT) above the consonants and SARA AA on the line. Word 2013's ToUnicode
    for TH SarabunPSK Bold gives the SARA AA glyph the text ำ (the cluster it was first drawn
    in) and the ring glyph a space: ``เกณฑ์เป้ำหมำย`` for เกณฑ์เป้าหมาย. A glyph whose outline
    stays at the height of the font's consonants has no ring: it is SARA AA. (A glyph that does
    draw the whole ำ reaches above the consonants and keeps its mapping.)
    """
    glyphs = font_glyphs(font)
    shape = None if glyphs is None else glyphs.shape(cid)
    height = None if glyphs is None else glyphs.consonant_height()
    return shape is not None and height is not None and shape.zone == "base" and shape.bounds[3] <= 1.15 * height


# --- distance ----------------------------------------------------------------------------


def chamfer_distance(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]]) -> float:
    """Symmetric mean nearest-point distance between two point sets (font units).

    >>> chamfer_distance([(0, 0), (1, 0)], [(0, 0), (1, 0)])
    0.0
    """
    if not a or not b:
        return math.inf

    def one_way(p: Sequence[tuple[float, float]], q: Sequence[tuple[float, float]]) -> float:
        total = 0.0
        for x, y in p:
            total += math.sqrt(min((x - u) * (x - u) + (y - v) * (y - v) for u, v in q))
        return total / len(p)

    return (one_way(a, b) + one_way(b, a)) / 2


# --- dictionary --------------------------------------------------------------------------


def choose_by_dictionary(candidates: Sequence[Candidate], contexts: Sequence[GlyphContext],
                         outline_matches: bool = True) -> Candidate | None:
    """The candidate whose text, put in each context (the context then repaired), reads best
    as dictionary words (:func:`~kamrap.text.thai.dictionary_score`); ties go to the
    nearer outline.

    Tried: the candidates whose outline distance is within ``_CLOSE`` of the nearest, and those
    without an outline to compare (distance inf). One of the latter must do strictly better
    than every outline candidate, and, if there is none, better than leaving the glyph out;
    otherwise None. A mark next to the same mark scores nothing: the glyph would add nothing.

    With ``outline_matches=False`` (the nearest outline is not the same glyph) the characters no
    glyph of the font is mapped to come first on a tie: the font draws its ้ elsewhere, and a
    glyph unlike it is more likely a character the font has no other glyph for. Word 2013's TH
    SarabunPSK Bold reads ``ค|านิยาม`` as ค้านิยาม and as คำนิยาม equally well by the
    dictionary; its NIKHAHIT glyph is 0.10 of its size from the nearest tone mark, so ํ wins.
    """
    finite = [c for c in candidates if c.distance < math.inf]
    pool = [c for c in finite if c.distance <= finite[0].distance * _CLOSE + 1e-9] if finite else []
    unbacked = [c for c in candidates if c.distance == math.inf]
    pool = pool + unbacked if outline_matches else unbacked + pool
    if not pool:
        return None
    if not contexts or (len(pool) == 1 and finite):
        return finite[0] if finite else None
    used = contexts[: _MAX_CONTEXTS if len(pool) <= 4 else _MAX_CONTEXTS // 4]

    def score(text: str) -> int:
        total = 0
        for before, after in used:
            if text and text in (before[-1:], after[:1]) and text in _MARKS:
                total -= len(before) + len(after) + 1  # the same mark twice on one base
                continue
            total += dictionary_score(repair_thai((before + SELF + after).replace(SELF, text)))
        return total

    scored = sorted(((-score(c.text), rank, c) for rank, c in enumerate(pool)), key=lambda s: s[:2])
    best_score, _, best = scored[0]
    if best.distance == math.inf and not finite and -best_score <= score(""):
        return None
    return best


# --- the resolver ------------------------------------------------------------------------


def identify_glyph(font: PDFFont, cid: int, contexts: Sequence[GlyphContext] = ()) -> str | None:
    """The text of glyph ``cid`` of ``font``: the nearest outline among the font's mapped
    glyphs, checked against the dictionary in ``contexts`` (see :func:`choose_by_dictionary`);
    None when the font program is not readable, has no such glyph, or nothing speaks for any
    candidate. Outlines and candidates are computed once per font (see the module docstring);
    the dictionary check runs per call, on the contexts given."""
    glyphs = font_glyphs(font)
    if glyphs is None:
        return None
    cands = glyphs.candidates(cid)
    if not cands:
        return None
    if not contexts:
        return cands[0].text if cands[0].distance < math.inf else None
    chosen = choose_by_dictionary(cands, contexts, glyphs.outline_matches(cid))
    return None if chosen is None else chosen.text
