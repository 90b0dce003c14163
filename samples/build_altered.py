"""Build samples/altered/score_summary_led_2563_altered.pdf: the score summary sample with one
printed score changed, so that its printed total no longer adds up (the error `kamrap verify`
exists to find; the README's walk-through shows it).

The change: in the summary of กองบริหารทรัพยากรบุคคล (page 7), indicator ๒.๑'s score
"๔.๐๐๐๐" becomes "๕.๐๐๐๐" — the glyph of the digit ๔ swapped for the font's own glyph of ๕ in
the page's content stream, nothing else touched. The printed total stays "๔.๕๕๐๐".

Worked out by hand from the seed's rows (weights and scores as printed, 2.4 and 7.1 deferred):
Σ(score × weight) was 455 over weight 100 (printed total 4.5500); 2.1 weighs 10, so its score
going from 4 to 5 adds 10: 465 / 100 = 4.6500 ≠ the printed 4.5500 — one `total_mismatch`,
expected 4.65, actual 4.55.

    python samples/build_altered.py     # needs pikepdf (pip install -e '.[test]')
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "score_summary_led_2563.pdf"
TARGET = HERE / "altered" / "score_summary_led_2563_altered.pdf"
UNIT = "กองบริหารทรัพยากรบุคคล"
CODE = ("๒", "๑")  # indicator ๒.๑: its code is drawn as two runs, ๒ and ๑
OLD, NEW = "๔", "๕"


def to_unicode(font: pikepdf.Object) -> dict[int, str]:
    """A simple font's code → text, from its ToUnicode CMap (bfchar and bfrange entries)."""
    data = font.ToUnicode.read_bytes().decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for first, last, start in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for n, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                mapping[code] = chr(int(start, 16) + n)
    return mapping


def alter(pdf: pikepdf.Pdf) -> int:
    """Swap the glyph; returns the 1-based page changed."""
    for number, page in enumerate(pdf.pages, start=1):
        maps = {name: to_unicode(font) for name, font in page.Resources.Font.items()}
        ops = pikepdf.parse_content_stream(page)
        font, runs = None, []  # runs: (op index, font, text) of every text-showing op
        for index, (operands, operator) in enumerate(ops):
            if str(operator) == "Tf":
                font = str(operands[0])
            elif str(operator) in ("Tj", "TJ"):
                parts = operands[0] if str(operator) == "TJ" else [operands[0]]
                text = "".join(maps[font].get(b, "") for p in parts if isinstance(p, pikepdf.String)
                               for b in bytes(p))
                runs.append((index, font, text))
        texts = [text for _, _, text in runs]
        if UNIT not in texts:
            continue
        # after the unit's title, the runs of digits only: a row's code (๒, ๑), then its score's
        # whole part and decimals (๔, ๐๐๐๐), then its weight
        digits = [run for run in runs[texts.index(UNIT):] if re.fullmatch(r"[๐-๙]+", run[2])]
        for n in range(len(digits) - 3):
            if tuple(d[2] for d in digits[n:n + 2]) == CODE and digits[n + 2][2] == OLD \
                    and digits[n + 3][2] == "๐๐๐๐":
                index, font, _ = digits[n + 2]
                code = next(c for c, t in maps[font].items() if t == NEW)
                operands, operator = ops[index]
                ops[index] = pikepdf.ContentStreamInstruction([pikepdf.String(bytes([code]))], pikepdf.Operator("Tj"))
                page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
                return number
    raise SystemExit(f"{SOURCE.name}: no score {OLD}.๐๐๐๐ of indicator {'.'.join(CODE)} under {UNIT}")


def main() -> None:
    TARGET.parent.mkdir(exist_ok=True)
    with pikepdf.open(SOURCE) as pdf:
        page = alter(pdf)
        pdf.docinfo["/Title"] = "score_summary_led_2563, altered: indicator 2.1 scores 5.0000"
        pdf.save(TARGET, deterministic_id=True)
    print(f"wrote {TARGET} (page {page} changed)")


if __name__ == "__main__":
    main()
