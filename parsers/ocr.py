"""Pages read from their image: scans, and scans under a scanner's own (garbage) text layer.

A scanned page has no text layer, or one a viewer never shows (text render mode 3, a scanner's
OCR) that reads as nonsense for Thai. Such a page is rendered (pypdfium2, which pdfplumber
already depends on), turned upright whatever its ``/Rotate`` says (tesseract's orientation
detection), straightened (the skew that makes the rows of ink line up best), and then read in
two parts that become the same objects the text-layer path builds:

- **ruling lines**, found in the image by morphology (OpenCV: an opening with a long thin
  kernel keeps only strokes longer than any letter), handed to pdfplumber's own table finder as
  explicit lines, so the page's tables become the same `Grid`/`Cell` objects as a born-digital
  page's (``kamrap.parsers.layout``);
- **glyphs**, from tesseract (``tha+eng``) symbol by symbol, as `TextChar`s in page points.
  Every glyph of one tesseract text line gets that line's top and bottom, so that the text
  layer's line grouping puts it on one line; word spaces come from the gaps between glyphs, as
  on a text-layer page (tesseract's own Thai output puts a space after every glyph).

Why tesserocr rather than pytesseract: it calls tesseract's C++ API in-process, so one engine
is loaded per worker and reused for every page (pytesseract starts a tesseract process and
reloads the Thai model for every call), and it gives each glyph its box and each word its
confidence in one pass. Why OpenCV morphology rather than img2table: img2table finds tables and
runs its own OCR over the cells, and returns cell texts; kamrap needs the ruling lines only, in
the page's coordinates, to build the cells the rest of the parsers already read — a dozen lines
of morphology over the image do that, and the glyphs stay ours.

The Thai model is Debian's (``tesseract-ocr-tha``); without it, :class:`OcrUnavailable` says
what to install.
"""

from __future__ import annotations

import os

# One thread per worker: the ingest pool runs one worker per CPU already. (Read by OpenMP
# when tesseract's library loads, so it is set before tesserocr is imported.)
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import functools  # noqa: E402
import math  # noqa: E402
from dataclasses import dataclass, field, replace  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import regex  # noqa: E402

from kamrap.parsers.ocr_digits import looks_numeric, read_digits  # noqa: E402
from kamrap.parsers.pdftext import TextChar  # noqa: E402
from kamrap.parsers.settings import OCR_SETTINGS, SETTINGS, OcrMode  # noqa: E402  (OcrMode: in __all__, its old home)
from kamrap.text.ocr_fix import (  # noqa: E402
    colon_apart, fix_word, joined, label_letter, lost_first_letter, split_given_name)
from kamrap.text.thai import thai_covered  # noqa: E402
from kamrap.text.thai import THAI_COMBINING  # noqa: E402

__all__ = [
    "OcrMode",
    "OcrPage",
    "OcrUnavailable",
    "OcrWord",
    "INSTALL_HINT",
    "ocr_image",
    "render_page",
    "tessdata_dir",
]

BBox = tuple[float, float, float, float]



INSTALL_HINT = "install tesseract-ocr and tesseract-ocr-tha (apt-get install tesseract-ocr tesseract-ocr-tha)"


class OcrUnavailable(RuntimeError):
    """Tesseract or its Thai data is missing; the message says what to install."""


_TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                  "/usr/share/tessdata", "/usr/local/share/tessdata")


def tessdata_dir() -> Path:
    """The folder holding tesseract's ``tha``, ``eng`` and ``osd`` models: ``$TESSDATA_PREFIX``
    when it is set (as tesseract itself does), else where Debian and source builds put them."""
    prefix = os.environ.get("TESSDATA_PREFIX")
    for folder in map(Path, [prefix] if prefix else _TESSDATA_DIRS):
        if all((folder / f"{lang}.traineddata").is_file() for lang in ("tha", "eng", "osd")):
            return folder
    raise OcrUnavailable(f"scanned pages need OCR, but tesseract's Thai data is missing: {INSTALL_HINT}")


@dataclass(frozen=True)
class OcrWord:
    """A word as OCR read it: its text, its box in page points and its confidence (0–100)."""

    text: str
    bbox: BBox
    confidence: float


@dataclass
class OcrPage:
    """One page read from its image, in the upright frame (points, top-down like pdfplumber)."""

    width: float
    height: float
    chars: list[TextChar]
    words: list[OcrWord]
    horizontal: list[BBox] = field(default_factory=list)  # ruling lines found in the image
    vertical: list[BBox] = field(default_factory=list)
    #: the upright, straightened page image with its rules removed (black on white), while the
    #: page's layout is built (`read_cell`); dropped after
    image: np.ndarray | None = None
    turn: int = 0  # degrees clockwise the image was turned to be upright
    skew: float = 0.0  # degrees the image was turned back to straighten it
    dpi: int = OCR_SETTINGS.dpi

    @property
    def mean_confidence(self) -> float:
        """Mean word confidence, by characters (a long word counts more than a stray mark)."""
        weights = [max(1, len(w.text)) for w in self.words]
        if not weights:
            return 0.0
        return sum(w.confidence * n for w, n in zip(self.words, weights)) / sum(weights)


# --- engines (one per process, loaded on first use) -------------------------------------------

_ENGINES: dict[str, Any] = {}


def _engine(kind: str) -> Any:
    """tesserocr's API for ``kind`` "text" (tha+eng) or "osd"; loaded once per process."""
    if kind not in _ENGINES:
        try:
            import tesserocr
        except ImportError as exc:  # pragma: no cover - a dependency of kamrap
            raise OcrUnavailable(f"scanned pages need OCR, but tesserocr is not installed ({exc}): "
                                 f"pip install tesserocr, and {INSTALL_HINT}") from exc
        path = str(tessdata_dir()) + "/"
        if kind == "osd":
            api = tesserocr.PyTessBaseAPI(path=path, lang="osd", psm=tesserocr.PSM.OSD_ONLY)
        else:
            api = tesserocr.PyTessBaseAPI(path=path, lang="tha+eng", psm=tesserocr.PSM.AUTO,
                                          oem=tesserocr.OEM.LSTM_ONLY)
            # tesseract 5 reads every line a second time inverted when it reads badly (white on
            # black); a table's shaded header is still dark on light, and the retry doubles the
            # time on a noisy scan
            api.SetVariable("tessedit_do_invert", "0")
        _ENGINES[kind] = api
    return _ENGINES[kind]


# --- rendering ----------------------------------------------------------------------------------

def render_page(document: Any, index: int, dpi: int = OCR_SETTINGS.dpi) -> np.ndarray:
    """Page ``index`` (0-based) of a pypdfium2 document as a grey image (uint8, 0 = black),
    as a viewer shows it (``/Rotate`` applied; text in render mode 3 is not drawn)."""
    page = document[index]
    try:
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        image = bitmap.to_numpy()
    finally:
        page.close()
    if image.ndim == 3:
        image = image[:, :, 0]
    return np.ascontiguousarray(image)


# --- orientation and skew -----------------------------------------------------------------------

def _cv2() -> Any:
    import cv2

    cv2.setNumThreads(1)
    return cv2


def _turn(image: np.ndarray, degrees: int) -> np.ndarray:
    """``image`` turned ``degrees`` (0, 90, 180, 270) clockwise."""
    return np.ascontiguousarray(np.rot90(image, k=-(degrees // 90) % 4))


def upright_turn(image: np.ndarray, dpi: int) -> int:
    """Degrees clockwise that turn the page image upright (0 when unsure or no text)."""
    from PIL import Image

    cv2 = _cv2()
    scale = OCR_SETTINGS.coarse_dpi * 2 / dpi  # tesseract's OSD needs letters of some 20 pixels
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
    api = _engine("osd")
    api.SetImage(Image.fromarray(small))
    try:
        found = api.DetectOrientationScript()
    except RuntimeError:
        return 0
    if not found or found.get("orient_conf", 0) < OCR_SETTINGS.orientation_confidence:
        return 0
    # orient_deg is how far the page is turned clockwise: the rest of a full turn brings it
    # upright
    return (360 - int(found["orient_deg"])) % 360


def _ink(image: np.ndarray, lenient: float = 0.0) -> np.ndarray:
    """Binary ink mask (255 = ink) of a grey image: Otsu's threshold after a light blur, moved
    ``lenient`` of the way towards white (a thin rule, blurred and lightened by the scan, is
    lighter than the letters' strokes)."""
    cv2 = _cv2()
    blurred = cv2.GaussianBlur(image, (3, 3), 0)
    otsu, ink = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if lenient:
        _, ink = cv2.threshold(blurred, otsu + (255 - otsu) * lenient, 255, cv2.THRESH_BINARY_INV)
    return np.asarray(ink)


def skew_angle(image: np.ndarray, dpi: int) -> float:
    """Degrees the page's content is turned anticlockwise (the angle that makes the rows of
    ink, text lines and rules, line up best: the largest variance of the row sums)."""
    cv2 = _cv2()
    scale = OCR_SETTINGS.coarse_dpi / dpi
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = _ink(small).astype(np.float32)
    if ink.sum() == 0:
        return 0.0
    h, w = ink.shape
    centre = (w / 2, h / 2)
    best, best_score = 0.0, -1.0
    steps = int(round(OCR_SETTINGS.max_skew / OCR_SETTINGS.skew_step))
    for k in range(-steps, steps + 1):
        angle = k * OCR_SETTINGS.skew_step
        turned = cv2.warpAffine(ink, cv2.getRotationMatrix2D(centre, -angle, 1.0), (w, h),
                                flags=cv2.INTER_NEAREST, borderValue=0)
        rows = turned.sum(axis=1)
        score = float(np.var(rows))
        if score > best_score + 1e-6 * abs(best_score) or (math.isclose(score, best_score) and abs(angle) < abs(best)):
            best, best_score = angle, score
    return best


def _straighten(image: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < OCR_SETTINGS.skew_step / 2:
        return image
    cv2 = _cv2()
    h, w = image.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return np.asarray(cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255))


# --- ruling lines ------------------------------------------------------------------------------

def ruling_lines(image: np.ndarray, dpi: int) -> tuple[list[BBox], list[BBox], np.ndarray]:
    """The horizontal and vertical ruling lines of a page image, as boxes in pixels
    ``(x0, top, x1, bottom)``, and the image with them painted white (for the OCR)."""
    cv2 = _cv2()
    ink = _ink(image, OCR_SETTINGS.rule_leniency)
    length = max(10, int(OCR_SETTINGS.min_rule_inches * dpi))
    thick = max(2, int(OCR_SETTINGS.max_rule_inches * dpi))
    lines: dict[str, list[BBox]] = {}
    paint = np.zeros_like(ink)
    for name, kernel in (("h", (length, 1)), ("v", (1, length))):
        # an opening keeps only the ink a long thin bar fits in: rules, never letters (a line
        # of letters has gaps between them; closing those first would turn a baseline of
        # flat-bottomed letters into a rule)
        mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        found: list[BBox] = []
        for label in range(1, count):
            x, y, w, h, _area = (int(v) for v in stats[label])
            across = h if name == "h" else w
            if across <= thick:
                found.append((float(x), float(y), float(x + w), float(y + h)))
                paint[y:y + h, x:x + w] |= mask[y:y + h, x:x + w]
            elif name == "h":  # a filled box (a shaded header, a banner): its edges are lines
                found += [(float(x), float(y), float(x + w), float(y + 1)),
                          (float(x), float(y + h - 1), float(x + w), float(y + h))]
            else:
                found += [(float(x), float(y), float(x + 1), float(y + h)),
                          (float(x + w - 1), float(y), float(x + w), float(y + h))]
        lines[name] = found
    # the rules are painted white for the OCR (tesseract reads a rule touching a letter as part
    # of it), a pixel wider than found (their anti-aliased edges)
    paint = cv2.dilate(paint, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    # tesseract reads a clean black-on-white page best: its own threshold on a shaded header
    # with grain breaks letters and floats their marks off as lines of their own
    cleaned = np.where(_ink(image) > 0, 0, 255).astype(np.uint8)
    cleaned[paint > 0] = 255
    return lines["h"], lines["v"], cleaned


# --- OCR ---------------------------------------------------------------------------------------

@dataclass
class _Glyph:
    text: str
    box: tuple[int, int, int, int]  # pixels
    line: tuple[int, int, int, int]
    confidence: float
    bullet: bool = False  # a list bullet found by its shape: a word of its own


def _glyphs(image: np.ndarray, block: bool = False, offset: tuple[int, int] = (0, 0),
            line: bool = False) -> list[_Glyph]:
    """Tesseract's symbols in reading order, each with its text line's box and confidence;
    ``block``: the image is one block of text (a table cell), not a page to lay out; ``line``:
    it is one line of text; ``offset`` is added to every box (where the image lies in the page)."""
    import tesserocr
    from PIL import Image

    api = _engine("text")
    api.SetImage(Image.fromarray(image))
    if block or line:
        api.SetPageSegMode(tesserocr.PSM.SINGLE_LINE if line else tesserocr.PSM.SINGLE_BLOCK)
    try:
        api.Recognize()
    finally:
        if block or line:
            api.SetPageSegMode(tesserocr.PSM.AUTO)
    out: list[_Glyph] = []
    iterator = api.GetIterator()
    if iterator is None:
        return out
    level, line_level = tesserocr.RIL.SYMBOL, tesserocr.RIL.TEXTLINE
    line_box = None
    while True:
        if line_box is None or iterator.IsAtBeginningOf(line_level):
            line_box = iterator.BoundingBox(line_level)
        try:
            text = iterator.GetUTF8Text(level)
            box = iterator.BoundingBox(level)
        except RuntimeError:  # an empty result (a crop with no text)
            break
        if text and text.strip() and box and line_box:
            dx, dy = offset
            out.append(_Glyph(text.strip(), (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy),
                              (line_box[0] + dx, line_box[1] + dy, line_box[2] + dx, line_box[3] + dy),
                              float(iterator.Confidence(level))))
        if not iterator.Next(level):
            break
    return out


def _crosses_rule(left: int, right: int, top: int, bottom: int, rules: list[BBox]) -> bool:
    """Whether a vertical ruling line (pixel boxes) stands between x ``left`` and ``right``
    across the text line ``top``–``bottom``: the rules are painted out before tesseract reads
    the page, so two cells' words a rule apart can come back as one word."""
    middle = (top + bottom) / 2
    return any(left <= (r[0] + r[2]) / 2 <= right and r[1] <= middle <= r[3] for r in rules)


def _chars_and_words(glyphs: list[_Glyph], dpi: int, image: np.ndarray | None = None,
                     rules: list[BBox] | None = None) -> tuple[list[TextChar], list[OcrWord]]:
    """The OCR'd words as TextChars in page points, one per word (spaces put in between, as a
    text layer's space glyphs), and the words with their confidences.

    Words are cut where the gap between glyphs is wide (`OCR_SETTINGS.space_gap`) or a vertical
    ruling line (``rules``, pixel boxes) stands in it; two words a narrow gap apart that the
    dictionary reads as one are joined (never across a rule), and every word gets the
    dictionary's corrections of look-alike letters (`kamrap.text.ocr_fix`)."""
    k = 72.0 / dpi
    chars: list[TextChar] = []
    words: list[OcrWord] = []
    lines = _by_line(glyphs)
    heights = sorted(ln[0].line[3] - ln[0].line[1] for ln in lines)
    typical = heights[len(heights) // 2] if heights else 0
    letters = [_body_height(ln) for ln in lines if sum("\u0e01" <= g.text[0] <= "\u0e2e" for g in ln) >= 3]
    page_body = float(np.median(letters)) if letters else 0.0
    for line in lines:
        top, bottom = line[0].line[1], line[0].line[3]
        first = line[0]
        if (image is not None and not _THAI_OR_DIGIT.match(first.text) and _is_disc(image, first.box)) \
                or _bullet_read_as_digit(line):
            # a list bullet (tesseract reads ● as @, © or o, or as ๑ run into a heading), a word
            # of its own
            line[0] = _Glyph(BULLET, first.box, first.line, first.confidence, bullet=True)
        height = max(1, bottom - top)
        body = _body_height(line)
        pieces: list[list[_Glyph]] = []
        gaps: list[float] = []
        ink_end = None  # a mark's box counts too: tesseract gives a mark a slot of its own
        for glyph in line:
            attached = glyph.text[0] in THAI_COMBINING or glyph.text[0] == "\u0e33"
            ruled = bool(rules) and ink_end is not None and not attached and _crosses_rule(
                int(ink_end), glyph.box[0], top, bottom, rules or [])
            gap = OCR_SETTINGS.number_space_gap if pieces and _number_meets_letter(
                pieces[-1][-1].text, glyph.text) else OCR_SETTINGS.space_gap
            if ink_end is None or pieces[-1][-1].bullet or ruled or (
                    not attached and glyph.box[0] - ink_end > gap * body):
                if ink_end is not None:
                    gaps.append(float("inf") if ruled else glyph.box[0] - ink_end)
                pieces.append([])
                ink_end = glyph.box[2]
            pieces[-1].append(glyph)
            ink_end = max(ink_end, glyph.box[2])
        texts = ["".join(g.text for g in piece) for piece in pieces]
        if _floating_marks(texts, bottom - top, typical):
            continue
        merged: list[tuple[str, list[_Glyph]]] = []
        for i, (text, piece) in enumerate(zip(texts, pieces)):
            if merged and gaps[i - 1] < OCR_SETTINGS.join_gap * body and (one := joined(merged[-1][0], text)):
                merged[-1] = (one, merged[-1][1] + piece)
            else:
                merged.append((text, piece))
        merged = _colons_apart(merged)
        merged = [(label_letter(text, merged[n + 1][0]) if n + 1 < len(merged) else text, piece)
                  for n, (text, piece) in enumerate(merged)]
        previous_x1 = None
        for n, (text, piece) in enumerate(merged):
            if _speck(text, piece, page_body):
                continue
            if image is not None and looks_numeric(text):
                # a number: its digits read again by their shapes (`kamrap.parsers.ocr_digits`),
                # the box reaching a letter's width past the digits read (a number's first
                # digit is the one tesseract drops: "๕๖๕" for ๒๕๖๕), never into the next word
                pad = 2
                reach = int(body) if _DIGIT.search(text) else pad
                left = _digits_left(merged, n, reach, pad)
                right = max(g.box[2] for g in piece) + reach
                if n + 1 < len(merged):
                    right = min(right, min(g.box[0] for g in merged[n + 1][1]) - pad)
                tight0, tight1 = min(g.box[0] for g in piece) - pad, max(g.box[2] for g in piece) + pad
                # the widest box first; a point or colon beside the number fails it, and the
                # narrower ones are tried (the digits as tesseract boxed them last)
                for box in ((left, top, right, bottom), (left, top, tight1, bottom), (tight0, top, tight1, bottom)):
                    if digits := read_digits(image, box, read_as=text):
                        text = digits
                        break
            elif image is not None and (lead := _leading_digits(piece)):
                # a number run into its unit ("๖เดือน", "30เรื่อง"): its digits read by shape
                left = _digits_left(merged, n, int(body), 2)
                digits = read_digits(image, (left, top, max(g.box[2] for g in piece[:lead]) + 2, bottom))
                printed = "".join(g.text for g in piece[:lead])
                if digits and text.startswith(printed):
                    text = digits + text[len(printed):]
            elif image is not None and (tail := _trailing_digits(piece)):
                # a number run onto the label before it ("ตัวชี้วัดที่๒๒" for ตัวชี้วัดที่ ๒.๒,
                # the point lost): its digits read by shape, the box reaching a letter's width
                # past them (tesseract's box of the first digit may be the point's) but never
                # back into the label's last glyph
                first_digit = max(min(g.box[0] for g in piece[-tail:]) - int(body),
                                  piece[-tail - 1].box[2])
                right = max(g.box[2] for g in piece) + int(body)
                if n + 1 < len(merged):
                    right = min(right, min(g.box[0] for g in merged[n + 1][1]) - 2)
                digits = read_digits(image, (first_digit, top, right, bottom))
                printed = "".join(g.text for g in piece[-tail:])
                if digits and text.endswith(printed):
                    text = text[:-len(printed)] + digits
            text = fix_word(text, vocabulary_words())
            if n == 0:
                text = lost_first_letter(text, vocabulary_words())
            if n + 1 == len(merged) or merged[n + 1][0].startswith(_titles()):
                # a person's name ending its line (or before the next person's title): a given
                # name run into the surname gets its space back; a name followed by another
                # word on its line has its surname apart already
                text = split_given_name(text, _titles())
            if not text:
                continue
            x0, x1 = min(g.box[0] for g in piece) * k, max(g.box[2] for g in piece) * k
            size = _size(body, k)
            if previous_x1 is not None:
                chars.append(TextChar(" ", previous_x1, x0, top * k, bottom * k, size, "OCR"))
            chars.append(TextChar(text, x0, x1, top * k, bottom * k, size, "OCR"))
            words.append(OcrWord(text, (x0, top * k, x1, bottom * k), min(g.confidence for g in piece)))
            previous_x1 = x1
    return chars, words


def _number_meets_letter(before: str, after: str) -> bool:
    """Whether a digit or Latin letter and a Thai consonant or leading vowel stand side by side
    (either way): two scripts meet, and no word of one font is set in both."""
    left, right = before[-1:], after[:1]
    return bool((_OTHER_SCRIPT.match(left) and _THAI_LETTER.match(right))
                or (_THAI_LETTER.match(left) and _OTHER_SCRIPT.match(right)))


_OTHER_SCRIPT = regex.compile(r"[0-9๐-๙A-Za-z]")


_THAI_LETTER = regex.compile(r"[\u0e01-\u0e2e\u0e40-\u0e44]")


def _colons_apart(words: list[tuple[str, list[_Glyph]]]) -> list[tuple[str, list[_Glyph]]]:
    """The words of a line with a colon that opens a word made a word of its own
    (`kamrap.text.ocr_fix.colon_apart`), where tesseract's glyphs part there."""
    out: list[tuple[str, list[_Glyph]]] = []
    for text, piece in words:
        parts = colon_apart(text)
        ends = [sum(len(g.text) for g in piece[:i + 1]) for i in range(len(piece))]
        cuts = [sum(map(len, parts[:i + 1])) for i in range(len(parts) - 1)]
        if len(parts) == 1 or "".join(g.text for g in piece) != text or not all(c in ends for c in cuts):
            out.append((text, piece))
            continue
        start = 0
        for part, cut in zip(parts, [*cuts, len(text)]):
            stop = ends.index(cut) + 1
            out.append((part, piece[start:stop]))
            start = stop
    return out


#: What a filled round blob opening a line is: the bullet the vocabulary knows (มิติ lines).
BULLET = "●"
_THAI_OR_DIGIT = regex.compile(r"[\u0e01-\u0e5b0-9]")


def _bullet_read_as_digit(line: list[_Glyph]) -> bool:
    """Whether the line opens with a bullet read as the digit one (a small scan's disc comes
    out as ๑): the digit is run into a word that opens a group heading (มิติ…, ด้าน…,
    วัตถุประสงค์…, see `kamrap.parsers.vocabulary.group_level`) with no gap a word space
    leaves; a heading numbered "๑ ด้าน…" has that gap, and "๑. ด้าน…" its point."""
    from kamrap.parsers.vocabulary import group_level

    if len(line) < 2 or line[0].text not in ("๑", "1"):
        return False
    gap = line[1].box[0] - line[0].box[2]
    return gap <= OCR_SETTINGS.space_gap * _body_height(line) and \
        group_level("".join(g.text for g in line[1:])) is not None


def _is_disc(image: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Whether the ink in ``box`` (pixels) is one filled round blob: about as wide as tall,
    and filling most of its square (a disc fills π/4 of it)."""
    x0, top, x1, bottom = box
    crop = image[max(0, top):bottom, max(0, x0):x1] < 128
    if crop.size == 0 or not crop.any():
        return False
    ys, xs = np.nonzero(crop)
    h, w = ys.max() - ys.min() + 1, xs.max() - xs.min() + 1
    fill = crop[ys.min():ys.max() + 1, xs.min():xs.max() + 1].mean()
    return bool(0.75 <= w / h <= 1.33 and fill >= 0.65 and h >= 6)


def _floating_marks(words: list[str], height: int, typical: int) -> bool:
    """A text line tesseract made of the marks over the line below (stacked tone marks on a
    tight line: ชี้, ที่), read as stray Latin letters and punctuation: few Thai letters or
    digits, and words of one or two letters (or a line much lower than the page's lines).
    Its marks are lost; the dictionary and the vocabulary put them back."""
    text = "".join(words)
    letters = len(regex.findall(r"[\u0e01-\u0e2e0-9๐-๙]", text))
    if letters > 0.25 * len(text):
        return False
    short = sum(1 for w in words if len(w) <= 2) >= 0.6 * len(words)
    return short or height < 0.6 * typical


def _titles() -> tuple[str, ...]:
    from kamrap.parsers.vocabulary import PERSONAL_TITLES

    return PERSONAL_TITLES


@functools.lru_cache(maxsize=1)
def vocabulary_words() -> tuple[str, ...]:
    """The words of kamrap's vocabulary (header words, form labels, title cues): OCR text in
    which one of them is misread by a lost mark or a look-alike letter is read as that word."""
    from kamrap.parsers import vocabulary as v

    words = {w for entry in v.HEADER_WORDS for w in entry.words} | {w for w, _ in v.FORM_LABELS} | {
        w for w, _ in v.TITLE_CUES} | {w for w, _ in v.GROUP_WORDS} | set(_PATTERN_WORDS) | {
        v.SCORE_OBTAINED, v.CRITERIA_TITLE, v.RESPONSIBLE_WORD, v.UNIT_WORD, v.MONTHS_WORD, v.LEVEL_WORD,
        v.INDICATOR_TYPE_WORD}
    return tuple(sorted(words))


#: Phrases the parsers' own patterns open with (besides the vocabulary's words), which OCR
#: most often loses a mark of: the tone mark of ที่ over SARA II.
_PATTERN_WORDS = (
    "วัตถุประสงค์ที่",  # objective no. (normalize.canonical's objective heading)
    "ยุทธศาสตร์ที่",  # strategy no.
    "ปีงบประมาณ",  # fiscal year (classify's fiscal-year pattern)
    "ประจำปี",  # annual
)


def _mend_split_lines(glyphs: list[_Glyph], image: np.ndarray) -> list[_Glyph]:
    """The page's glyphs with each text line that tesseract's layout split in two read again as
    one line. Stacked marks over a tight line (ชี้, ที่) are taken for a line of their own, read
    as stray letters, and the line below loses them and often its first letters ("วัชวัดที"
    for ตัวชี้วัดที่). Two text lines of a page cannot overlap over the same stretch of it: two
    that do are read again as one line from the crop that holds both, and that reading is kept
    when it does not look misread and the dictionary covers at least as much of it as of
    either line (two real lines read as one come back as garbage)."""
    lines = _by_line(glyphs)
    out: list[_Glyph] = []
    i = 0
    while i < len(lines):
        box = lines[i][0].line
        if i + 1 < len(lines) and _split_pair(box, lines[i + 1][0].line):
            below = lines[i + 1][0].line
            x0, top = min(box[0], below[0]), min(box[1], below[1])
            x1, bottom = max(box[2], below[2]), max(box[3], below[3])
            # the crop reaches a line's height past both ends: a letter the split lost lies
            # outside tesseract's box of the line
            reach = bottom - top
            x0, x1 = max(0, x0 - reach), min(image.shape[1], x1 + reach)
            pad = 10
            crop = np.pad(image[top:bottom, x0:x1], pad, constant_values=255)
            again = _glyphs(crop, offset=(x0 - pad, top - pad), line=True)
            if again and not doubtful("".join(g.text for g in again)) and _covered(again) >= max(
                    _covered(lines[i]), _covered(lines[i + 1])):
                out += again
                i += 2
                continue
        out += lines[i]
        i += 1
    return _fold_inner_lines(out)


def _fold_inner_lines(glyphs: list[_Glyph]) -> list[_Glyph]:
    """The glyphs with each thin text line that lies inside another line's height (`_inside`)
    folded into that line (`_one_line`), wherever tesseract listed the two."""
    lines = _by_line(glyphs)
    host_of: dict[int, int] = {}
    for n, line in enumerate(lines):
        if len(line) < 3:  # a speck or two read as a line: `_speck` decides about those
            continue
        hosts = [k for k, other in enumerate(lines) if k != n and _inside(line[0].line, other[0].line)]
        if hosts:  # the tallest line it lies in
            host_of[n] = max(hosts, key=lambda k: lines[k][0].line[3] - lines[k][0].line[1])
    out: list[_Glyph] = []
    for n, line in enumerate(lines):
        if n in host_of and host_of[n] not in host_of:
            continue
        for band, host in host_of.items():
            if host == n:
                line = _one_line(line, lines[band])
        out += line
    return out


def _one_line(line: list[_Glyph], band: list[_Glyph]) -> list[_Glyph]:
    """A text line and a thin line tesseract found inside its height (`_inside`): where the line
    has read the band's stretch itself, the band is its marks read a second time and goes
    (``จฉัมด|`` over ``ตัวชี้วัดตามหน้าที่/งานประจำ``); where the line has a gap there, the
    band is the part of the line it lost (``.๑ร้อยละความพึงพอ`` inside ``๑ใจของผู้รับบริการ``)
    and the two are one line, in reading order."""
    x0, x1 = min(g.box[0] for g in band), max(g.box[2] for g in band)
    ink = sum(max(0, min(g.box[2], x1) - max(g.box[0], x0)) for g in line if g.text[0] not in THAI_COMBINING)
    if ink >= OCR_SETTINGS.split_shared * (x1 - x0):
        return line
    box = line[0].line
    # what the line read within the band's stretch, the band reads again
    kept = [g for g in line if not x0 <= (g.box[0] + g.box[2]) / 2 <= x1]
    at = next((k for k, g in enumerate(kept) if g.box[0] >= x0 and g.text[0] not in THAI_COMBINING), len(kept))
    return kept[:at] + [replace(g, line=box) for g in band] + kept[at:]


def _inside(band: tuple[int, int, int, int], line: tuple[int, int, int, int]) -> bool:
    """Whether a thin text line (pixel box) lies within another line's height, over a shared
    stretch of at least half the narrower one: the other line's marks read as a line of their
    own a second time (``จฉัมด|`` over ``ตัวชี้วัดตามหน้าที่/งานประจำ``), which the line
    itself has read too."""
    height = band[3] - band[1]
    if not (line[1] <= band[1] and band[3] <= line[3]) or height > OCR_SETTINGS.split_band * (line[3] - line[1]):
        return False
    shared = min(band[2], line[2]) - max(band[0], line[0])
    return shared >= OCR_SETTINGS.split_shared * min(band[2] - band[0], line[2] - line[0])


def _covered(line: list[_Glyph]) -> int:
    """How many of a line's Thai letters dictionary words cover, as read."""
    return thai_covered("".join(g.text for g in line))[0]


def _split_pair(upper: tuple[int, int, int, int], lower: tuple[int, int, int, int]) -> bool:
    """Whether two consecutive text lines (pixel boxes) are one line split in two: the first,
    a thin band (the marks), starts above the second and reaches well into it, over a shared
    stretch of at least half the narrower one. (Two lines of a table row are as tall as each
    other; one cell's line centred beside two lines of the next cell is a line of its own.)"""
    height = upper[3] - upper[1]
    if not (upper[1] < lower[1] < upper[3] < lower[3]) or height > OCR_SETTINGS.split_band * (lower[3] - lower[1]):
        return False
    if upper[3] - lower[1] < OCR_SETTINGS.split_reach * height:
        return False
    shared = min(upper[2], lower[2]) - max(upper[0], lower[0])
    return shared >= OCR_SETTINGS.split_shared * min(upper[2] - upper[0], lower[2] - lower[0])


_DIGIT = regex.compile(r"[0-9๐-๙]")
_LETTER_OR_DIGIT = regex.compile(r"[\u0e01-\u0e2e0-9๐-๙A-Za-z]")


def _digits_left(words: list[tuple[str, list[_Glyph]]], n: int, reach: int, pad: int) -> int:
    """The left edge of the box word ``n``'s digits are re-read in: ``reach`` pixels before its
    first glyph, never into the word before it."""
    left = min(g.box[0] for g in words[n][1]) - reach
    if n:
        left = max(left, max(g.box[2] for g in words[n - 1][1]) + pad)
    return left


def _leading_digits(piece: list[_Glyph]) -> int:
    """How many glyphs of a word that goes on in letters are the digits it opens with."""
    n = 0
    while n < len(piece) and _DIGIT.fullmatch(piece[n].text):
        n += 1
    return n if 0 < n < len(piece) and regex.match(r"[\u0e01-\u0e2e\u0e40-\u0e44]", piece[n].text) else 0


def _trailing_digits(piece: list[_Glyph]) -> int:
    """How many glyphs of a word that opens in Thai letters are the digits it ends with."""
    n = 0
    while n < len(piece) and _DIGIT.fullmatch(piece[len(piece) - 1 - n].text):
        n += 1
    return n if 0 < n < len(piece) and regex.match(r"[\u0e01-\u0e2e\u0e40-\u0e44]", piece[0].text) else 0


def _speck(text: str, piece: list[_Glyph], page_body: float) -> bool:
    """Whether an OCR word is a speck of the scan read as text: a word of letters or digits
    far shorter than the page's letters (noise on a scan comes back as "2", "บ", "oo."), or
    a point standing alone (a printed point ends a word or a number)."""
    if text.strip(".") == "":
        return True
    height = max(g.box[3] for g in piece) - min(g.box[1] for g in piece)
    return bool(_LETTER_OR_DIGIT.search(text)) and height < OCR_SETTINGS.speck_height * page_body


def _body_height(line: list[_Glyph]) -> float:
    """The height of the line's letters without their marks (pixels): the median height of its
    Thai consonants, else of its glyphs that are no marks. Word spaces scale with the type; the
    line's own box does not (a line with stacked marks is twice as tall as one without), nor
    does a symbol of tesseract's that holds a consonant with its marks ("ผู้", "ชี้")."""
    consonants = [g.box[3] - g.box[1] for g in line if len(g.text) == 1 and "\u0e01" <= g.text <= "\u0e2e"]
    others = [g.box[3] - g.box[1] for g in line if g.text[0] not in THAI_COMBINING]
    heights = consonants if len(consonants) >= 2 else others or [line[0].line[3] - line[0].line[1]]
    return max(1.0, float(np.median(heights)))


def _by_line(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    lines: list[list[_Glyph]] = []
    for glyph in glyphs:
        if lines and lines[-1][0].line == glyph.line:
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    return lines


def _size(body_px: float, k: float) -> float:
    """The font size given to OCR glyphs: the text layer puts a word space where the gap between
    two glyphs exceeds SPACE_GAP_RATIO × size; an OCR line gets its spaces from
    OCR_SETTINGS.space_gap × its letters' height, so its size is that height scaled to make the
    two rules one."""
    return body_px * k * OCR_SETTINGS.space_gap / SETTINGS.space_gap_ratio * 0.999


def ocr_image(image: np.ndarray, dpi: int = OCR_SETTINGS.dpi, *, orient: bool = True) -> OcrPage:
    """Read a grey page image: upright it, straighten it, find its ruling lines, OCR it.

    Orientation costs a second of tesseract's OSD, so it is asked only when it can matter: when
    the page's ink runs in columns rather than rows (a page on its side), or when the page read
    as it stands comes out with a low confidence (upside down); its answer is then read again.
    """
    turn = upright_turn(image, dpi) if orient and _sideways(image, dpi) else 0
    page = _read_upright(_turn(image, turn) if turn else image, dpi, turn)
    if orient and not turn and page.words and page.mean_confidence < OCR_SETTINGS.orientation_retry:
        again = upright_turn(image, dpi)
        if again:
            turned = _read_upright(_turn(image, again), dpi, again)
            if turned.mean_confidence > page.mean_confidence:
                page = turned
    return page




def _sideways(image: np.ndarray, dpi: int) -> bool:
    """Whether the page's ink lines up in columns more than in rows: text lines (and a
    table's rules) run up or down the page image."""
    cv2 = _cv2()
    scale = OCR_SETTINGS.coarse_dpi / dpi
    small = _ink(cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)).astype(np.float32)
    if not small.any():
        return False
    rows, columns = small.sum(axis=1), small.sum(axis=0)
    # relative variance (each profile over its mean): lines of text make the profile across
    # them swing between ink and the white between lines
    return float(np.var(columns / columns.mean())) > float(np.var(rows / rows.mean()))


def _read_upright(image: np.ndarray, dpi: int, turn: int) -> OcrPage:
    skew = skew_angle(image, dpi)
    image = _straighten(image, skew)
    horizontal, vertical, cleaned = ruling_lines(image, dpi)
    glyphs = _mend_split_lines(_glyphs(cleaned), cleaned)
    chars, words = _chars_and_words(glyphs, dpi, cleaned, vertical)
    k = 72.0 / dpi
    h, w = image.shape
    return OcrPage(width=w * k, height=h * k, chars=chars, words=words,
                   horizontal=[tuple(v * k for v in b) for b in horizontal],  # type: ignore[misc]
                   vertical=[tuple(v * k for v in b) for b in vertical],  # type: ignore[misc]
                   image=cleaned, turn=turn, skew=skew, dpi=dpi)


def read_cell(page: OcrPage, bbox: BBox) -> tuple[str, float] | None:
    """The text of a table cell the page's OCR found nothing in, read from its own crop: a lone
    digit or word in a cell is often dropped by tesseract's page layout as a speck. Digits are
    read by their shapes first; else tesseract reads the crop as one line. None when the cell
    has no ink or nothing readable; else (text, confidence)."""
    import tesserocr
    from PIL import Image

    if page.image is None:
        return None
    k = page.dpi / 72.0
    x0, top, x1, bottom = (int(round(v * k)) for v in bbox)
    margin = max(2, int(0.02 * page.dpi))
    crop = page.image[top + margin:bottom - margin, x0 + margin:x1 - margin]
    if crop.size == 0 or int((crop < 128).sum()) < 0.0005 * page.dpi * page.dpi:
        return None
    ys, xs = np.nonzero(crop < 128)
    ink_box = (int(xs.min()) + x0 + margin - 2, int(ys.min()) + top + margin - 2,
               int(xs.max()) + x0 + margin + 3, int(ys.max()) + top + margin + 3)
    digits = read_digits(page.image, ink_box)
    if digits:
        return digits, 100.0
    api = _engine("text")
    api.SetPageSegMode(tesserocr.PSM.SINGLE_LINE)
    try:
        api.SetImage(Image.fromarray(np.pad(page.image[ink_box[1]:ink_box[3], ink_box[0]:ink_box[2]], 10,
                                            constant_values=255)))
        text = (api.GetUTF8Text() or "").strip()
        confidence = float(api.MeanTextConf())
    finally:
        api.SetPageSegMode(tesserocr.PSM.AUTO)
    text = fix_word(regex.sub(r"\s+", "", text), vocabulary_words()) if text else ""
    return (text, confidence) if text else None


def doubtful(text: str) -> bool:
    """Whether OCR's text of a cell looks misread: Latin letters stuck to Thai ones or standing
    alone in ones and twos (marks read as letters), or Thai that dictionary words cover less
    than three quarters of."""
    if regex.search(r"[\u0e01-\u0e4e][A-Za-z]|[A-Za-z][\u0e01-\u0e4e]|(?:^|\s)[A-Za-z]{1,2}(?:\s|$)"
                    r"|[^\u0e01-\u0e5bA-Za-z0-9\s.,:;()/%+\-–●\"']", text):
        return True  # also: a sign no Thai document prints in a cell (¢ « | !), a misread mark
    covered, thai = thai_covered(text)
    return thai >= 4 and covered < 0.75 * thai


def reread_cell(page: OcrPage, bbox: BBox) -> tuple[list[TextChar], list[OcrWord]] | None:
    """A table cell read again from its own crop, as one block of text (tesseract's page
    layout splits a header cell's stacked marks and tight lines into lines of their own)."""
    if page.image is None:
        return None
    k = page.dpi / 72.0
    x0, top, x1, bottom = (int(round(v * k)) for v in bbox)
    inset = max(2, int(0.01 * page.dpi))
    x0, top, x1, bottom = x0 + inset, top + inset, x1 - inset, bottom - inset
    if x1 - x0 < 4 or bottom - top < 4:
        return None
    pad = 10
    crop = np.pad(page.image[top:bottom, x0:x1], pad, constant_values=255)
    glyphs = _glyphs(crop, block=True, offset=(x0 - pad, top - pad))
    if not glyphs:
        return None
    return _chars_and_words(glyphs, page.dpi, page.image)
