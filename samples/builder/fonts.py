"""Pick an installed Thai font and measure text set in it."""

from __future__ import annotations

import functools
import subprocess
import unicodedata
from dataclasses import dataclass
from typing import Any

# (family, body size, table size) in order of preference. The "TH" fonts have a small x-height
# (about 0.4 em), so Thai offices set them at 16pt. The tlwg fonts draw Thai about 1.5 times
# larger at the same size (x-height about 0.6 em; Laksaman is tlwg's rescaled libre version of
# TH Sarabun PSK), so they get 14pt, the smallest body size that still reads as a Thai office
# document at 16pt Sarabun.
PREFERRED_FONTS: tuple[tuple[str, float, float], ...] = (
    ("TH Sarabun New", 16, 14),
    ("TH SarabunPSK", 16, 14),
    ("Laksaman", 14, 12),
    ("Garuda", 14, 12),
    ("Loma", 14, 12),
    ("Norasi", 14, 12),
)

POINTS_PER_CM = 72 / 2.54


@dataclass(frozen=True)
class ThaiFont:
    """A Thai font family with the sizes the builder sets it at."""

    family: str
    body_pt: float
    table_pt: float
    regular_file: str | None
    bold_file: str | None


def installed_families() -> set[str]:
    """Return every font family name fontconfig knows (aliases included)."""
    out = _run(["fc-list", ":", "family"])
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def pick_font() -> ThaiFont:
    """Return the first installed font of `PREFERRED_FONTS`.

    Raises RuntimeError when none is installed: LibreOffice would silently substitute a font
    without Thai glyphs and the PDFs would be full of boxes.
    """
    families = installed_families()
    for family, body_pt, table_pt in PREFERRED_FONTS:
        if family in families:
            return ThaiFont(family, body_pt, table_pt, _font_file(family, False), _font_file(family, True))
    wanted = ", ".join(name for name, _, _ in PREFERRED_FONTS)
    raise RuntimeError(f"No Thai font installed (looked for {wanted}); install fonts-thai-tlwg")


def _font_file(family: str, bold: bool) -> str | None:
    """Return the file fontconfig uses for `family` (bold or regular), None if it substitutes."""
    style = ":bold" if bold else ":regular"
    found = _run(["fc-match", "-f", "%{family}\t%{file}", family + style])
    names, _, path = found.partition("\t")
    return path if family in names.split(",") and path else None


def _run(cmd: list[str]) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


class TextMeasure:
    """Width of text set in a `ThaiFont`, used to size table columns.

    Uses Pillow (already installed as a pdfplumber dependency) with the font file; falls back to
    an average advance per spacing character when Pillow or the file is missing.
    """

    def __init__(self, font: ThaiFont) -> None:
        self.font = font

    def width_cm(self, text: str, pt: float, bold: bool = False) -> float:
        """Return the width of the widest line of `text` at `pt` points, in centimetres."""
        return max((self._line_pt(line, pt, bold) for line in text.split("\n")), default=0.0) / POINTS_PER_CM

    def _line_pt(self, line: str, pt: float, bold: bool) -> float:
        pil_font = _pil_font(self.font.bold_file if bold else self.font.regular_file, pt)
        if pil_font is not None:
            return float(pil_font.getlength(line))
        # Thai vowels and tone marks above/below the line (category Mn) take no width.
        spacing = sum(1 for ch in line if unicodedata.category(ch) != "Mn")
        return spacing * pt * 0.5


@functools.lru_cache(maxsize=None)
def _pil_font(path: str | None, pt: float) -> Any:
    """Return a Pillow font at `pt` (1 pixel = 1 point), or None when unavailable."""
    if path is None:
        return None
    try:
        from PIL import ImageFont
    except ImportError:
        return None
    # The basic layout engine sums glyph advances, which is what a width estimate needs and
    # does not depend on whether Pillow was built with libraqm.
    return ImageFont.truetype(path, size=pt, layout_engine=ImageFont.Layout.BASIC)
