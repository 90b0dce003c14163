"""Digits re-read from the page image by their shapes: tesseract's Thai model confuses Thai
digits (๔ read as ๕, ๖ as ๒, ๗ as ๓, ๘ and ๙ as ๕; ๗๐ as "eo"), and every number of an
agreement — weights, targets, the criteria levels — is printed in them.

A word that OCR read as a number (digits, %, . , - /), or as a short run of Latin letters or
a lone Thai letter where a number stands, is cut into its ink shapes (connected components,
those above one another joined: the two rings and the bar of %), and each shape is compared
with the digits 0–9, ๐–๙ and % of the Thai fonts installed on the machine (fonts-thai-tlwg:
Laksaman is TH Sarabun's design, the government's standard font; Garuda, Loma, Norasi and the
others cover the rest), drawn at the shape's size. The shapes are normalised to one box and
compared by correlation; the word is read again only when every shape looks like one of them
and the correlation is high, else OCR's reading stands. A dot or a comma (a small shape on the
baseline) and a dash (a flat one) are told by their size alone.

Without any Thai font installed, OCR's reading stands everywhere.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import regex

from kamrap.parsers.settings import OCR_SETTINGS

__all__ = ["looks_numeric", "read_digits"]

_FONT_DIRS = ("/usr/share/fonts/truetype/tlwg", "/usr/share/fonts/truetype/thai",
              "/usr/share/fonts/opentype/tlwg", "/usr/local/share/fonts")
#: Upright designs only (an oblique digit is another shape).
_UPRIGHT = regex.compile(r"(?i)oblique|italic")
GLYPHS = "๐๑๒๓๔๕๖๗๘๙0123456789%"

_NUMERIC = regex.compile(r"^[0-9๐-๙%.,\-/|!]*[0-9๐-๙][0-9๐-๙%.,\-/|!]*$")
_JUNK = regex.compile(r"^(?:[A-Za-z]{1,3}|[\u0e01-\u0e2e]|[:;=~_—–])$")
#: A numbered code ("๗.๒", "๑๕.") with digits read as look-alike letters ("ฒ.๒", "lo.m",
#: "ad.", "log." for ๒๔.): pieces of one or two characters around or before points, or of three
#: Latin letters or digits (a Thai digit can come out as two Latin letters: ๒ as "lo"). Its
#: shapes decide: an abbreviation ("พ.ศ.") has letters that do not read as digits.
#: The point is read as a comma too ("low," for ๒๔., "a," for ๙.), and two Thai digits as
#: four Latin letters ("lool," for ๒๗.).
_PIECE = r"(?:[0-9๐-๙\u0e01-\u0e2eA-Za-z]{1,2}|[0-9๐-๙A-Za-z]{3,4})"
_CODE_LIKE = regex.compile(rf"^(?=.*[.,]){_PIECE}(?:\.{_PIECE})*[.,]?$")


def looks_numeric(text: str) -> bool:
    """Whether OCR's reading of a word is a number, or what OCR makes of one (a run of up to
    three Latin letters, a lone Thai consonant, a code with a letter for a digit), so that its
    shapes are worth reading again.

    >>> looks_numeric("ฒ.๒"), looks_numeric("lo.m"), looks_numeric("ad."), looks_numeric("log.")
    (True, True, True, True)
    >>> looks_numeric("low,"), looks_numeric("a,"), looks_numeric("lool,"), looks_numeric("และ,")
    (True, True, True, False)
    >>> looks_numeric("ข้อ"), looks_numeric("กพร."), looks_numeric("Mindset.")
    (False, False, False)
    """
    return bool(_NUMERIC.match(text) or _JUNK.match(text) or _CODE_LIKE.match(text))


def _fonts() -> list[Path]:
    found: list[Path] = []
    for folder in map(Path, _FONT_DIRS):
        if folder.is_dir():
            found += [p for p in sorted(folder.rglob("*.[ot]tf")) if not _UPRIGHT.search(p.stem)]
    return found


def _normalise(mask: np.ndarray) -> np.ndarray:
    """A binary shape (True = ink) scaled into a square of `OCR_SETTINGS.digit_box` pixels by its larger side, centred, and
    blurred a little (so that a stroke a pixel off still correlates), as a zero-mean unit vector."""
    import cv2

    ys, xs = np.nonzero(mask)
    if len(ys) == 0:
        return np.zeros(OCR_SETTINGS.digit_box * OCR_SETTINGS.digit_box, np.float32)
    crop = mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1].astype(np.uint8) * 255
    h, w = crop.shape
    scale = (OCR_SETTINGS.digit_box - 4) / max(h, w)
    resized = cv2.resize(crop, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    canvas = np.zeros((OCR_SETTINGS.digit_box, OCR_SETTINGS.digit_box), np.float32)
    y0, x0 = (OCR_SETTINGS.digit_box - resized.shape[0]) // 2, (OCR_SETTINGS.digit_box - resized.shape[1]) // 2
    canvas[y0:y0 + resized.shape[0], x0:x0 + resized.shape[1]] = resized / 255.0
    flat = cv2.GaussianBlur(canvas, (3, 3), 0).ravel()
    flat -= flat.mean()
    norm = float(np.linalg.norm(flat))
    return flat / norm if norm else flat


@functools.lru_cache(maxsize=1)
def _templates() -> tuple[np.ndarray, tuple[str, ...], np.ndarray]:
    """(normalised drawings, their glyphs, their aspect ratios) of every glyph in every font."""
    from PIL import Image, ImageDraw, ImageFont

    vectors, labels, aspects = [], [], []
    for path in _fonts():
        try:
            font = ImageFont.truetype(str(path), 64)
        except OSError:
            continue
        for glyph in GLYPHS:
            image = Image.new("L", (128, 128), 0)
            ImageDraw.Draw(image).text((20, 10), glyph, fill=255, font=font)
            mask = np.asarray(image) > 127
            if not mask.any():
                continue
            ys, xs = np.nonzero(mask)
            vectors.append(_normalise(mask))
            labels.append(glyph)
            aspects.append((xs.max() - xs.min() + 1) / (ys.max() - ys.min() + 1))
    if not vectors:
        return np.zeros((0, OCR_SETTINGS.digit_box * OCR_SETTINGS.digit_box), np.float32), (), np.zeros(0)
    return np.stack(vectors), tuple(labels), np.asarray(aspects)


def _shapes(ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of the ink shapes of a word, left to right; shapes that overlap
    across are one (the parts of %, a ring over its stem)."""
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    boxes = [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, area in stats[1:count]
             if area >= 4]
    boxes.sort()
    merged: list[list[int]] = []
    for box in boxes:
        if merged and box[0] < merged[-1][2] - 1:
            last = merged[-1]
            merged[-1] = [min(last[0], box[0]), min(last[1], box[1]), max(last[2], box[2]), max(last[3], box[3])]
        else:
            merged.append(list(box))
    return [tuple(b) for b in merged]  # type: ignore[misc]


def _best(shape: np.ndarray, vectors: np.ndarray, labels: tuple[str, ...],
          aspects: np.ndarray, hint: str = "") -> tuple[str, float] | None:
    """The glyph a shape is, and how sure (its correlation), or None when unsure. When the
    two best glyphs are too close to choose between and ``hint`` (what tesseract read for
    this shape) is one of them, two readers agree on it, and it is taken."""
    ys, xs = np.nonzero(shape)
    if len(ys) == 0:
        return None
    aspect = (xs.max() - xs.min() + 1) / (ys.max() - ys.min() + 1)
    scores = vectors @ _normalise(shape)
    # a shape much wider or narrower than a glyph's drawing is not that glyph
    scores = scores - 0.5 * np.abs(np.log(np.maximum(aspects, 1e-3) / max(aspect, 1e-3)))
    order = np.argsort(scores)[::-1]
    best = labels[order[0]]
    second = next((i for i in order[1:] if labels[i] != best), None)
    runner = scores[second] if second is not None else -1.0
    if scores[order[0]] < OCR_SETTINGS.digit_correlation:
        return None
    if scores[order[0]] - runner < OCR_SETTINGS.digit_margin:
        if hint and second is not None and hint in (best, labels[second]):
            return hint, float(scores[order[0]])
        return None
    return best, float(scores[order[0]])


def _classify(shape: np.ndarray, vectors: np.ndarray, labels: tuple[str, ...], aspects: np.ndarray,
              depth: int = 0, hint: str = "") -> str | None:
    """The glyphs of one ink shape: one glyph, or, when it is none and is wide enough to be
    two touching ones (blur joins neighbours), the glyphs of its two halves, cut where the
    fewest ink pixels stand between its middle thirds. ``hint``: see `_best`."""
    found = _best(shape, vectors, labels, aspects, hint)
    if found is not None:
        return found[0]
    h, w = shape.shape
    if depth >= 2 or w < 1.1 * h * 0.6:
        return None
    columns = shape.sum(axis=0)
    lo, hi = w // 4, w - w // 4
    if hi <= lo:
        return None
    cut = lo + int(np.argmin(columns[lo:hi]))
    left = _classify(shape[:, :cut], vectors, labels, aspects, depth + 1)
    right = _classify(shape[:, cut:], vectors, labels, aspects, depth + 1)
    return left + right if left and right else None


def read_digits(image: np.ndarray, box: tuple[int, int, int, int], read_as: str = "") -> str | None:
    """The digits (and %, . , -) printed in ``box`` (pixels: x0, top, x1, bottom) of a grey
    page image, read by their shapes; None when a shape is no digit or the match is unsure.
    ``read_as``: what tesseract read there; where it read as many digits as there are digit
    shapes, its digit settles a shape whose two best matches are too close (see `_best`)."""
    vectors, labels, aspects = _templates()
    if not labels:
        return None
    hints = regex.sub(r"[^0-9๐-๙]", "", read_as)
    first = _read(image, box, vectors, labels, aspects, hints)
    if first is None:
        return None
    thai = sum(1 for ch in first if "๐" <= ch <= "๙")
    arabic = sum(1 for ch in first if ch.isascii() and ch.isdigit())
    if thai and arabic:  # one number is printed in one script: read it again in the majority's
        keep = np.asarray([(("๐" <= g <= "๙") if thai >= arabic else not ("๐" <= g <= "๙"))
                           for g in labels])
        first = _read(image, box, vectors[keep], tuple(g for g, k in zip(labels, keep) if k), aspects[keep],
                      hints)
    return first


def _read(image: np.ndarray, box: tuple[int, int, int, int], vectors: np.ndarray,
          labels: tuple[str, ...], aspects: np.ndarray, hints: str = "") -> str | None:
    x0, top, x1, bottom = box
    # OCR's glyph boxes are approximate: the crop reaches past them, and a shape belongs to
    # the word when its centre lies inside the word's box
    reach = (bottom - top) // 2
    left = max(0, x0 - reach)
    crop = image[max(0, top):bottom, left:x1 + reach]
    if crop.size == 0:
        return None
    import cv2

    _, thresholded = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    ink = thresholded > 0
    shapes = [b for b in _shapes(ink) if x0 <= left + (b[0] + b[2]) / 2 <= x1]
    if not shapes:
        return None
    tallest = max(b[3] - b[1] for b in shapes)
    base = max(b[3] for b in shapes if b[3] - b[1] >= 0.4 * tallest)  # the digits' baseline
    big = [b for b in shapes if b[3] - b[1] >= 0.4 * tallest]
    hints = hints if len(hints) == len(big) else ""  # tesseract's digits, one per shape, or none
    out = []
    for sx0, sy0, sx1, sy1 in shapes:
        h, w = sy1 - sy0, sx1 - sx0
        if h < 0.4 * tallest:  # a small shape: a dot or comma on the line, a dash in the middle
            if w > 1.5 * h and sy1 < base - 0.15 * tallest:
                out.append("-")
            elif h <= 0.45 * tallest and sy1 > base + 0.08 * tallest:
                out.append(",")  # hangs below the line
            elif h <= 0.3 * tallest and sy1 >= base - 0.15 * tallest:
                out.append(".")
            else:
                return None
            continue
        hint = hints[big.index((sx0, sy0, sx1, sy1))] if hints else ""
        glyphs = _classify(ink[sy0:sy1, sx0:sx1], vectors, labels, aspects, hint=hint)
        if glyphs is None:
            return None
        out.append(glyphs)
    text = "".join(out)
    return text if regex.search(r"[0-9๐-๙]", text) else None
