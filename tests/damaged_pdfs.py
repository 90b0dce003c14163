"""A seeded generator of malformed PDFs, for the acceptance fuzz test (issue 12).

`write_damaged(folder, count, seed, sources)` writes `count` files, cycling through the kinds of
damage in `DAMAGE` (each a function of a random generator, a good PDF's bytes and a scratch
folder), every file named after its kind and number. The same seed writes the same bytes.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

Damage = Callable[[random.Random, bytes, Path], bytes]


def _bit_flips(rng: random.Random, good: bytes, _: Path) -> bytes:
    data = bytearray(good)
    for _ in range(rng.randint(1, 200)):
        position = rng.randrange(len(data))
        data[position] ^= 1 << rng.randrange(8)
    return bytes(data)


def _truncated(rng: random.Random, good: bytes, _: Path) -> bytes:
    return good[: rng.randrange(16, len(good) - 1)]


def _zeroed_span(rng: random.Random, good: bytes, _: Path) -> bytes:
    start = rng.randrange(len(good))
    length = rng.randint(1, 4096)
    return good[:start] + b"\0" * length + good[start + length:]


def _deleted_span(rng: random.Random, good: bytes, _: Path) -> bytes:
    start = rng.randrange(len(good))
    return good[:start] + good[start + rng.randint(1, 2048):]


def _garbage_inserted(rng: random.Random, good: bytes, _: Path) -> bytes:
    start = rng.randrange(len(good))
    return good[:start] + rng.randbytes(rng.randint(1, 1024)) + good[start:]


def _xref_garbled(rng: random.Random, good: bytes, _: Path) -> bytes:
    """Every offset in the cross-reference table (or the startxref) replaced by a random one."""
    def offset(match: re.Match[bytes]) -> bytes:
        return b"%010d" % rng.randrange(10**10)

    damaged = re.sub(rb"(?<=\n)\d{10}(?= \d{5} [nf])", offset, good)
    return re.sub(rb"startxref\s+\d+", b"startxref\n%d" % rng.randrange(10**9), damaged)


def _endobj_removed(rng: random.Random, good: bytes, _: Path) -> bytes:
    return re.sub(rb"endobj", lambda m: b"" if rng.random() < 0.5 else m[0], good)


def _wrong_stream_lengths(rng: random.Random, good: bytes, _: Path) -> bytes:
    return re.sub(rb"/Length \d+", lambda m: b"/Length %d" % rng.randrange(-5, 10**7), good)


def _header_only(rng: random.Random, good: bytes, _: Path) -> bytes:
    return b"%PDF-1." + str(rng.randrange(10)).encode() + b"\n" + rng.randbytes(rng.randint(0, 64))


def _random_bytes(rng: random.Random, good: bytes, _: Path) -> bytes:
    return rng.randbytes(rng.randint(0, 4096))


def _built(build: Callable[[pikepdf.Pdf, random.Random], None]) -> Damage:
    """A damage made by building a PDF with pikepdf (structure a byte edit cannot make)."""
    def damage(rng: random.Random, good: bytes, scratch: Path) -> bytes:
        pdf = pikepdf.new()
        pdf.add_blank_page(page_size=(rng.randint(200, 900), rng.randint(200, 1200)))  # bytes of its own
        build(pdf, rng)
        target = scratch / f"built-{rng.randrange(10**9)}.pdf"
        pdf.save(target, compress_streams=False, fix_metadata_version=False)
        data = target.read_bytes()
        target.unlink()
        return data
    damage.__name__ = build.__name__
    return damage


def _font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))


def _page_tree_loop(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    """A /Pages node listing itself among its kids."""
    pages = pdf.Root.Pages
    pages.Kids.append(pages)
    pages.Count = 2


def _million_operators(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    """A page whose content is a million tiny operators (moves and lines), 6 MB of them."""
    ops = b" ".join(b"%d %d m %d %d l" % (rng.randrange(595), rng.randrange(842), rng.randrange(595),
                                          rng.randrange(842)) for _ in range(250_000))
    pdf.pages[0].Contents = pdf.make_stream(ops + b" S")


def _flate_bomb(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    """A content stream of 200 KB that inflates to 200 MB of spaces."""
    packer = zlib.compressobj(9)
    block = b" " * (1 << 20)
    data = b"".join(packer.compress(block) for _ in range(200)) + packer.flush()
    stream = pikepdf.Stream(pdf, data)
    stream.Filter = Name.FlateDecode
    pdf.pages[0].obj.Contents = pdf.make_indirect(stream)


def _huge_numbers(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    """Operands past any float or integer: a font size, positions and a matrix."""
    huge = b"9" * rng.randint(20, 400)
    pdf.pages[0].Resources = Dictionary(Font=Dictionary(F1=_font(pdf)))
    pdf.pages[0].Contents = pdf.make_stream(
        b"BT /F1 " + huge + b" Tf " + huge + b" -" + huge + b" Td (Hello) Tj ET "
        b"q " + huge + b" 0 0 " + huge + b" 0 0 cm Q")


def _broken_font(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    """A Type0 font without its DescendantFonts."""
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type0, BaseFont=Name.Broken,
                                        Encoding=Name("/Identity-H")))
    pdf.pages[0].Resources = Dictionary(Font=Dictionary(F1=font))
    pdf.pages[0].Contents = pdf.make_stream(b"BT /F1 12 Tf 100 700 Td <0041> Tj ET")


def _self_drawing_form(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    form = pdf.make_stream(b"q /X0 Do Q")
    form.Type, form.Subtype, form.BBox = Name.XObject, Name.Form, [0, 0, 595, 842]
    form.Resources = Dictionary(XObject=Dictionary(X0=form))
    pdf.pages[0].Resources = Dictionary(XObject=Dictionary(X0=form))
    pdf.pages[0].Contents = pdf.make_stream(b"/X0 Do")


def _bad_media_box(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    """A page box of nonsense: inverted, zero-sized or astronomically large."""
    pdf.pages[0].MediaBox = rng.choice([Array([0, 0, 0, 0]), Array([595, 842, 0, 0]),
                                        Array([0, 0, 1e30, -1e30]), Array([0, 0])])
    pdf.pages[0].Resources = Dictionary(Font=Dictionary(F1=_font(pdf)))
    pdf.pages[0].Contents = pdf.make_stream(b"BT /F1 12 Tf 10 10 Td (box) Tj ET")


def _deep_nesting(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    """Arrays nested 100,000 deep in a content stream (parsers that recurse run out of stack)."""
    depth = 100_000
    pdf.pages[0].Contents = pdf.make_stream(b"[" * depth + b"]" * depth + b" TJ")


def _wrong_types(pdf: pikepdf.Pdf, rng: random.Random) -> None:
    """Resources and contents of the wrong types (a number for /Font, a name for /Contents)."""
    pdf.pages[0].Resources = Dictionary(Font=42, XObject=Name.Nothing)
    pdf.pages[0].obj.Contents = Name.NotAStream
    pdf.pages[0].Rotate = 45


def _encrypted(rng: random.Random, good: bytes, scratch: Path) -> bytes:
    source, target = scratch / "source.pdf", scratch / "encrypted.pdf"
    source.write_bytes(good)
    with pikepdf.open(source) as pdf:
        pdf.save(target, encryption=pikepdf.Encryption(owner="o", user=f"u{rng.randrange(10**6)}"))
    data = target.read_bytes()
    source.unlink()
    target.unlink()
    return data


#: Every kind of damage, by name.
DAMAGE: dict[str, Damage] = {
    "bit_flips": _bit_flips, "truncated": _truncated, "zeroed_span": _zeroed_span,
    "deleted_span": _deleted_span, "garbage_inserted": _garbage_inserted,
    "xref_garbled": _xref_garbled, "endobj_removed": _endobj_removed,
    "wrong_stream_lengths": _wrong_stream_lengths, "header_only": _header_only,
    "random_bytes": _random_bytes, "encrypted": _encrypted,
    "page_tree_loop": _built(_page_tree_loop), "million_operators": _built(_million_operators),
    "flate_bomb": _built(_flate_bomb), "huge_numbers": _built(_huge_numbers),
    "broken_font": _built(_broken_font), "self_drawing_form": _built(_self_drawing_form),
    "bad_media_box": _built(_bad_media_box), "deep_nesting": _built(_deep_nesting),
    "wrong_types": _built(_wrong_types),
}
#: Kinds that cost a worker its timeout or memory cap: written once each, not cycled.
EXPENSIVE = {"million_operators", "flate_bomb"}


def write_damaged(folder: Path, count: int, seed: int, sources: list[Path]) -> list[Path]:
    """`count` damaged PDFs in `folder`, the same for the same seed."""
    rng = random.Random(seed)
    scratch = folder / ".scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    goods = [source.read_bytes() for source in sources]
    cheap = [name for name in DAMAGE if name not in EXPENSIVE]
    kinds = sorted(EXPENSIVE) + [cheap[n % len(cheap)] for n in range(count - len(EXPENSIVE))]
    written = []
    for n, kind in enumerate(kinds):
        target = folder / f"{n:03d}_{kind}.pdf"
        target.write_bytes(DAMAGE[kind](rng, rng.choice(goods), scratch))
        written.append(target)
    scratch.rmdir()
    return written
