"""Pure-text repair rules for Thai extracted from PDFs.

Nothing here knows about PDFs; `kamrap.parsers.pdftext` applies these rules to the text it
assembles from glyphs. Every rule only rewrites sequences that never occur in correctly
written Thai, so text that is already correct comes out unchanged (tests check this on a
sample of pythainlp's word list).

The faults repaired, and where they come from:

* SARA AM written in pieces. Fonts draw ำ (U+0E33) as NIKHAHIT (U+0E4D) + SARA AA (U+0E32),
  with any tone mark drawn *between* the two (the shaping rule in HarfBuzz's Thai shaper and
  in Uniscribe: "decompose SARA AM and move the NIKHAHIT backwards over any tone mark"). A PDF
  whose glyphs map back one-to-one yields ``ตํ่า`` for ``ต่ำ`` and, sorted by x, ``สาํนัก``
  for ``สำนัก``. A font that maps the NIKHAHIT glyph to U+0E33 yields ``ำา`` or ``ำ่า``.
* Private-use glyphs. Thai fonts without OpenType tables (TH SarabunPSK, the UPC/PSK families,
  fonts made for Windows' pre-OpenType Thai shaping) carry shifted variants of the marks at
  fixed PUA code points, and some PDFs map those glyphs to the PUA code points.
* Spaces before marks (Excel pads text with space glyphs that end up inside words), doubled
  marks and SARA AM (InDesign gives a cluster's full text to its first glyph and the marks'
  own glyphs repeat them: ``วิิสััยทััศน์์``, ``จำำ``) and marks in non-canonical order.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

__all__ = [
    "THAI_PUA_MAP",
    "THAI_COMBINING",
    "collapse_ws",
    "dictionary_coverage",
    "dictionary_score",
    "is_thai_combining",
    "map_pua",
    "repair_thai",
    "similarity",
    "thai_covered",
]

# --- character classes -------------------------------------------------------------------

#: Thai combining (zero-width, general category Mn) marks.
THAI_COMBINING = frozenset("\u0e31" + "".join(map(chr, range(0x0E34, 0x0E3B))) + "".join(map(chr, range(0x0E47, 0x0E4F))))

_ABOVE_BELOW_VOWELS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47"  # ั ิ ี ึ ื ุ ู ฺ ็
_TONES = "\u0e48\u0e49\u0e4a\u0e4b"  # ่ ้ ๊ ๋
_OTHER_MARKS = "\u0e4c\u0e4d\u0e4e"  # ์ ํ ๎

NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"
SARA_AM = "\u0e33"

# Rank of a mark inside a run of marks on one base: vowel, then tone, then the rest. This is
# the order Thai is typed and stored in (upper/lower vowel before tone mark, THANTHAKHAT last);
# it agrees with Unicode canonical ordering wherever that applies (ุ ู ccc 103 before tones 107).
_MARK_RANK = {**dict.fromkeys(_ABOVE_BELOW_VOWELS, 0), **dict.fromkeys(_TONES, 1), **dict.fromkeys(_OTHER_MARKS, 2)}


def is_thai_combining(ch: str) -> bool:
    """True for a Thai zero-width combining mark (U+0E31, U+0E34–U+0E3A, U+0E47–U+0E4E)."""
    return ch in THAI_COMBINING


# --- PUA ---------------------------------------------------------------------------------
# Source: the Windows / Mac private-use code points of Thai positional glyph variants, as
# used by fonts made for Windows' legacy Thai shaping (TH SarabunPSK and the other SIPA
# "PSK" fonts, Microsoft's UPC fonts such as DilleniaUPC / AngsanaUPC) and listed in
# HarfBuzz's Thai shaper (src/hb-ot-shaper-thai.cc, tables SD_mappings, SDL_mappings,
# SL_mappings and RD_mappings: {Unicode, Windows PUA, Mac PUA}); the same table is in
# Theppitak Karoonboonyanan's "Thai OpenType shaping" notes (linux.thai.net/~thep/th-otf).
# SD = shifted down, SDL = shifted down-left, SL = shifted left, RD = removed descender.
_PUA_PAIRS: tuple[tuple[str, int, int], ...] = (
    # SD: shifted down (tone marks on a consonant without upper vowel; lower vowels under
    # a consonant with a descender)
    ("\u0e48", 0xF70A, 0xF88B),  # MAI EK
    ("\u0e49", 0xF70B, 0xF88E),  # MAI THO
    ("\u0e4a", 0xF70C, 0xF891),  # MAI TRI
    ("\u0e4b", 0xF70D, 0xF894),  # MAI CHATTAWA
    ("\u0e4c", 0xF70E, 0xF897),  # THANTHAKHAT
    ("\u0e38", 0xF718, 0xF89B),  # SARA U
    ("\u0e39", 0xF719, 0xF89C),  # SARA UU
    ("\u0e3a", 0xF71A, 0xF89D),  # PHINTHU
    # SDL: shifted down and left (on a consonant with an ascender: ป ฝ ฟ)
    ("\u0e48", 0xF705, 0xF88C),  # MAI EK
    ("\u0e49", 0xF706, 0xF88F),  # MAI THO
    ("\u0e4a", 0xF707, 0xF892),  # MAI TRI
    ("\u0e4b", 0xF708, 0xF895),  # MAI CHATTAWA
    ("\u0e4c", 0xF709, 0xF898),  # THANTHAKHAT
    # SL: shifted left (above an ascender consonant)
    ("\u0e48", 0xF713, 0xF88A),  # MAI EK
    ("\u0e49", 0xF714, 0xF88D),  # MAI THO
    ("\u0e4a", 0xF715, 0xF890),  # MAI TRI
    ("\u0e4b", 0xF716, 0xF893),  # MAI CHATTAWA
    ("\u0e4c", 0xF717, 0xF896),  # THANTHAKHAT
    ("\u0e31", 0xF710, 0xF884),  # MAI HAN-AKAT
    ("\u0e34", 0xF701, 0xF885),  # SARA I
    ("\u0e35", 0xF702, 0xF886),  # SARA II
    ("\u0e36", 0xF703, 0xF887),  # SARA UE
    ("\u0e37", 0xF704, 0xF888),  # SARA UEE
    ("\u0e47", 0xF712, 0xF889),  # MAITAIKHU
    ("\u0e4d", 0xF711, 0xF899),  # NIKHAHIT
    # RD: consonant with its descender removed (before a lower vowel)
    ("\u0e0d", 0xF70F, 0xF89A),  # YO YING
    ("\u0e10", 0xF700, 0xF89E),  # THO THAN
)

#: ``str.translate`` table: Windows PUA U+F700–U+F71A and Mac PUA U+F884–U+F89E → standard Thai.
THAI_PUA_MAP: dict[int, str] = {}
for _u, _win, _mac in _PUA_PAIRS:
    THAI_PUA_MAP[_win] = _u
    THAI_PUA_MAP[_mac] = _u
del _u, _win, _mac
assert sorted(k for k in THAI_PUA_MAP if k < 0xF800) == list(range(0xF700, 0xF71B))

_HAS_PUA = regex.compile(r"[\uf700-\uf71a\uf884-\uf89e]")


def map_pua(text: str) -> str:
    """Thai PUA glyph code points (Windows U+F700–U+F71A, Mac U+F884–U+F89E) → standard Thai."""
    if _HAS_PUA.search(text) is None:
        return text
    return text.translate(THAI_PUA_MAP)


# --- repair ------------------------------------------------------------------------------

_MARKS_CLASS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_TONE_CLASS = "\u0e48-\u0e4b"

# Horizontal whitespace between a Thai character and a following combining mark or SARA AM
# (neither can begin a word, so the space is an artefact of glyph geometry).
_SPACE_BEFORE_MARK = regex.compile(rf"(?<=[\u0e01-\u0e4e])[ \t\u00a0\u200b]+(?=[{_MARKS_CLASS}\u0e33])")
# NIKHAHIT [tone] SARA AA → [tone] SARA AM     (ตํ่า → ต่ำ, glyph order)
_AM_NIKHAHIT_FIRST = regex.compile(rf"\u0e4d([{_TONE_CLASS}]?)\u0e32")
# SARA AA [tone] NIKHAHIT [tone] → tone SARA AM  (สาํนัก → สำนัก, x-sorted order)
_AM_AA_FIRST = regex.compile(rf"\u0e32([{_TONE_CLASS}]?)\u0e4d([{_TONE_CLASS}]?)")
# SARA AM [tone] SARA AA|SARA AM → [tone] SARA AM   (the NIKHAHIT glyph mapped to U+0E33:
# ำา, ำ้า; InDesign's cluster text repeated by the next glyph: ำำ)
_AM_LEFTOVER = regex.compile(rf"\u0e33([{_TONE_CLASS}]?)[\u0e32\u0e33]")
# A run of two or more marks (to order and de-duplicate).
_MARK_RUN = regex.compile(rf"[{_MARKS_CLASS}]{{2,}}")


def _fix_mark_run(m: regex.Match[str]) -> str:
    run = m.group()
    out: list[str] = []
    for ch in sorted(run, key=_MARK_RANK.__getitem__):  # stable: keeps order within a rank
        if not out or out[-1] != ch:  # a doubled mark is never valid Thai
            out.append(ch)
    return "".join(out)


def _repair_once(text: str) -> str:
    text = map_pua(text)
    if " " in text or "\u00a0" in text or "\t" in text or "\u200b" in text:
        text = _SPACE_BEFORE_MARK.sub("", text)
    text = _MARK_RUN.sub(_fix_mark_run, text)
    if NIKHAHIT in text:
        text = _AM_NIKHAHIT_FIRST.sub(r"\1" + SARA_AM, text)
        if NIKHAHIT in text:
            text = _AM_AA_FIRST.sub(r"\1\2" + SARA_AM, text)
    if SARA_AM in text:
        text = _AM_LEFTOVER.sub(r"\1" + SARA_AM, text)
    return unicodedata.normalize("NFC", text)


def repair_thai(text: str) -> str:
    """Repair Thai text extracted from a PDF; correct text comes out unchanged.

    In order: PUA glyph code points to standard characters; spaces before combining marks (and
    SARA AM) removed; runs of marks on one base put in canonical order (vowel, tone, other)
    with doubled marks dropped; SARA AM recomposed from NIKHAHIT [+ tone] + SARA AA in either
    order; ำา / ำ+tone+า / ำำ leftovers collapsed; Unicode NFC. A repair can bring new
    sequences together, so the rules are re-applied until nothing changes (text that needed no
    repair costs one pass).
    """
    if not text:
        return text
    for _ in range(4):
        fixed = _repair_once(text)
        if fixed == text:
            break
        text = fixed
    return text


# --- dictionary --------------------------------------------------------------------------

#: Longer dictionary words are not looked for (compounds; their parts are in the list too).
_LONGEST_WORD = 20


@lru_cache(maxsize=1)
def _words() -> tuple[frozenset[str], int]:
    from pythainlp.corpus import thai_words

    words = frozenset(w for w in thai_words() if 2 <= len(w) <= _LONGEST_WORD and " " not in w)
    return words, max(map(len, words))


@lru_cache(maxsize=1 << 16)  # the same texts are scored again and again (each glyph guess)
def dictionary_coverage(text: str, min_len: int = 2) -> int:
    """How many characters of ``text`` dictionary words of ``min_len`` or more characters
    cover, in the segmentation that covers the most (maximal matching over pythainlp's word
    list, words of up to 20 characters).

    >>> dictionary_coverage("ต่ำกว่า"), dictionary_coverage("ต้ำกว่า")
    (7, 4)
    """
    words, longest = _words()
    n = len(text)
    best = [0] * (n + 1)
    for i in range(1, n + 1):
        b = best[i - 1]
        for j in range(max(0, i - longest), i - min_len + 1):
            if best[j] + (i - j) > b and text[j:i] in words:
                b = best[j] + (i - j)
        best[i] = b
    return best[n]


@lru_cache(maxsize=1 << 16)  # a page's readings share most of their texts: 3137 of 14758 differ
def dictionary_score(text: str) -> int:
    """How well ``text`` reads as dictionary words: in the best segmentation, the characters
    dictionary words cover minus one per word, so fewer, longer words score higher (the
    maximal-matching principle). Used to choose between readings of one text.

    >>> dictionary_score("ประจำปีงบ") > dictionary_score("ประจ๋าปีงบ")
    True
    """
    words, longest = _words()
    n = len(text)
    best = [0] * (n + 1)
    for i in range(1, n + 1):
        b = best[i - 1]
        for j in range(max(0, i - longest), i - 1):
            if best[j] + (i - j - 1) > b and text[j:i] in words:
                b = best[j] + (i - j - 1)
        best[i] = b
    return best[n]


_WS_RUN = regex.compile(r"\s+")


def no_spaces(text: str | None) -> str:
    """The text with every whitespace character removed (None gives ""): extracted Thai is
    spaced unpredictably, so words and labels are compared without spaces.

    >>> no_spaces("ตัวชี้ วัด ที่\t๑ .๑")
    'ตัวชี้วัดที่๑.๑'
    >>> no_spaces(None)
    ''
    """
    return _WS_RUN.sub("", text or "")


def collapse_ws(text: str | None) -> str:
    """Unicode NFC, every run of whitespace (line breaks included) to one space, stripped ("" for None)."""
    return _WS_RUN.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def similarity(a: str | None, b: str | None) -> float:
    """How alike two texts read, spaces ignored: 1.0 when the same, towards 0.0 the more
    letters must change (rapidfuzz's normalized Indel similarity). OCR misreads a letter or
    two of a repeated heading; this says it is still the same heading.

    >>> similarity("กองบริหาร การคลัง", "กองบริหารการคลัง")
    1.0
    >>> round(similarity("กองบริหารการคลัง", "กองบริหารการคลง"), 2)
    0.97
    """
    from rapidfuzz.distance import Indel

    return float(Indel.normalized_similarity(no_spaces(a), no_spaces(b)))


_THAI_LETTERS = regex.compile(r"[\u0e01-\u0e4e]+")


def thai_covered(text: str) -> tuple[int, int]:
    """(Thai letters dictionary words cover, Thai letters) of ``text``, each run of Thai
    segmented on its own: how well a reading of mixed text reads as Thai.

    >>> thai_covered("ร้อยละ 80 ของผู้รับบริการ"), thai_covered("ต้ำกว่า 80")
    ((21, 21), (4, 7))
    """
    runs = _THAI_LETTERS.findall(text)
    return sum(dictionary_coverage(run, 2) for run in runs), sum(map(len, runs))
