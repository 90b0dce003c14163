"""Build scanned copies of PDFs: what a scanner makes of a printed agreement.

    python bench/make_scans.py OUT_DIR [--samples samples] [--stems 'agreement_*'] [--dpi 200,300]

Each page is rendered grey (pypdfium2) at the scan's resolution, given a little sensor noise
and blur (a scanner's optics), turned by a skew of up to 1° (a sheet fed a little askew), and
saved as a JPEG page image in a PDF with no text at all. Two extra copies per set, as real
scans come:

- ``<stem>.turned.pdf``: every page image turned 90° while the PDF says ``/Rotate 0``;
- ``<stem>.garbage.pdf``: the scan under an invisible text layer (render mode 3, Helvetica)
  of nonsense Latin words, as a scanner's own OCR writes over Thai.

Scans are written to OUT_DIR (never into the repository: they are large) as
``<stem>.<dpi>dpi.pdf``. `build_scan` is what tests and ``bench/ocr.py`` call. Deterministic:
the noise and the skew of each page come from a seed made of the stem and the page number.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import io
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent

#: Standard deviation of the grey-level noise (0–255) and the blur's kernel at 300 dpi.
NOISE = 12.0
BLUR_SIGMA_300DPI = 0.8
MAX_SKEW_DEGREES = 1.0
JPEG_QUALITY = 75


def _rng(stem: str, page: int) -> np.random.Generator:
    seed = int.from_bytes(hashlib.sha256(f"{stem}:{page}".encode()).digest()[:8], "little")
    return np.random.default_rng(seed)


def scan_image(grey: np.ndarray, dpi: int, rng: np.random.Generator, skew: float | None = None) -> np.ndarray:
    """A clean grey page image made to look scanned: skewed, blurred, noisy, slightly grey paper."""
    import cv2

    h, w = grey.shape
    angle = float(rng.uniform(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES)) if skew is None else skew
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    image = cv2.warpAffine(grey, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    sigma = BLUR_SIGMA_300DPI * dpi / 300
    image = cv2.GaussianBlur(image, (0, 0), sigma)
    paper = 235 + rng.normal(0, NOISE, image.shape)  # off-white paper with grain
    ink = image.astype(np.float32) / 255.0
    out = ink * paper + (1 - ink) * rng.normal(30, NOISE, image.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def build_scan(source: Path, out: Path, dpi: int = 300, *, turn: bool = False, garbage: bool = False,
               pages: list[int] | None = None) -> Path:
    """Write a scanned copy of ``source`` to ``out`` (see the module docstring); ``pages``
    (1-based) to scan only some pages. Returns ``out``."""
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(str(source))
    images = []
    try:
        numbers = pages or list(range(1, len(document) + 1))
        for number in numbers:
            page = document[number - 1]
            grey = page.render(scale=dpi / 72, grayscale=True).to_numpy()
            page.close()
            if grey.ndim == 3:
                grey = grey[:, :, 0]
            image = scan_image(np.ascontiguousarray(grey), dpi, _rng(source.stem, number))
            if turn:
                image = np.ascontiguousarray(np.rot90(image, k=-1))  # a quarter clockwise
            images.append(Image.fromarray(image))
    finally:
        document.close()
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:],
                   quality=JPEG_QUALITY)
    out.parent.mkdir(parents=True, exist_ok=True)
    if garbage:
        out.write_bytes(_with_garbage_layer(buffer.getvalue(), _rng(source.stem, 0)))
    else:
        out.write_bytes(buffer.getvalue())
    return out


_SYLLABLES = ("dru", "rnn", "lu", "la", "dar", "eu", "md", "qv", "ron", "rao", "rifi", "tns", "uli",
              "uT", "f,", "qu", "wf", "ss", "rlw", "ws")


def _with_garbage_layer(pdf: bytes, rng: np.random.Generator) -> bytes:
    """``pdf`` with an invisible (render mode 3) Helvetica text layer of nonsense words over
    every page, lines 14 pt apart, as a scanner's OCR writes over Thai it cannot read."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        font = doc.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                    BaseFont=pikepdf.Name.Helvetica,
                                                    Encoding=pikepdf.Name.WinAnsiEncoding))
        for page in doc.pages:
            width, height = float(page.mediabox[2]), float(page.mediabox[3])
            parts = ["BT 3 Tr /FOCR 10 Tf"]
            y = height - 60
            while y > 50:
                words = " ".join("".join(rng.choice(_SYLLABLES, size=int(rng.integers(2, 5))))
                                 for _ in range(int(rng.integers(3, 9))))
                parts.append(f"1 0 0 1 50 {y:.1f} Tm ({words}) Tj")
                y -= 14
            parts.append("ET")
            resources = page.obj.get("/Resources") or pikepdf.Dictionary()
            fonts = resources.get("/Font") or pikepdf.Dictionary()
            fonts["/FOCR"] = font
            resources["/Font"] = fonts
            page.obj["/Resources"] = resources
            page.contents_add(doc.make_stream("\n".join(parts).encode("latin-1")), prepend=False)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def build_set(samples: Path, out: Path, stems: str = "*", dpis: tuple[int, ...] = (200, 300)) -> list[Path]:
    """Scans of every ``samples/<stem>.pdf`` matching ``stems``: one per resolution, and for the
    first matching stem a turned copy and one under a garbage text layer (at the highest dpi)."""
    sources = sorted(p for p in samples.glob("*.pdf") if fnmatch.fnmatch(p.stem, stems))
    written = []
    for source in sources:
        for dpi in dpis:
            written.append(build_scan(source, out / f"{source.stem}.{dpi}dpi.pdf", dpi))
    if sources:
        first = sources[0]
        written.append(build_scan(first, out / f"{first.stem}.turned.pdf", max(dpis), turn=True))
        written.append(build_scan(first, out / f"{first.stem}.garbage.pdf", max(dpis), garbage=True))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--samples", type=Path, default=REPO / "samples")
    parser.add_argument("--stems", default="*", help="fnmatch pattern of sample stems")
    parser.add_argument("--dpi", default="200,300")
    args = parser.parse_args(argv)
    dpis = tuple(int(d) for d in args.dpi.split(","))
    for path in build_set(args.samples, args.out, args.stems, dpis):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
