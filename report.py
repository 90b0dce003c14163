"""`kamrap report`: one self-contained HTML file an auditor reads in a browser.

Per document: its findings (computed from the stored values now, `kamrap.api.verify`), each
with its page and an image of the page region it refers to, rendered from the PDF (pypdfium2)
with the printed value boxed in red, so the reader sees the number without opening the file;
per score summary, every row and the printed total beside the recomputed one; a chart of the
totals per unit where a file holds several summaries; and the document's indicators.
Images are embedded (data: URIs): the file can be mailed or published alone.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import regex

from kamrap.api import recheck
from kamrap.normalize.verify import verify_documents
from kamrap.normalize.scoring import to_decimal
from kamrap.schema.models import Export, Finding, ScoreSummary, Severity
from kamrap.schema.store import Store

_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_PAD = 28.0  # points of page kept above and below the printed value
_SCALE = 2.0  # pixels per point of the rendered region


@dataclass(frozen=True)
class Region:
    """Where a finding's printed value is: page (1-based) and box in PDF points from the top."""

    page: int
    box: tuple[float, float, float, float] | None  # x0, top, x1, bottom; None: the whole page


def _digits_pattern(text: str) -> str:
    """A pattern matching `text` printed in Arabic or Thai digits, with spaces anywhere between
    characters and trailing zeros after the point optional ("4.55" finds "๔.๕๕๐๐")."""
    parts = []
    for ch in text:
        if ch.isdigit():
            parts.append(f"[{ch}{_THAI_DIGITS[int(ch)]}]")
        else:
            parts.append(regex.escape(ch))
    pattern = r"\s*".join(parts)
    return pattern + (r"[0๐]*" if "." in text else r"(?:\.[0๐]+)?") + r"(?![\d๐-๙])"


def _number_text(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    return format(to_decimal(value).normalize(), "f")


def find_region(pdf: Path, finding: Finding) -> Region | None:
    """The box on the finding's page of the value it is about: the printed number (`actual`)
    or, for a row, its indicator code; the whole page when neither is found."""
    if finding.page is None:
        return None
    import pdfplumber

    wanted = [text for text in (_number_text(finding.actual), finding.code) if text]
    with pdfplumber.open(pdf) as document:
        if not 1 <= finding.page <= len(document.pages):
            return None
        page = document.pages[finding.page - 1]
        for text in wanted:
            matches = page.search(r"(?<![\d๐-๙.])" + _digits_pattern(text), regex=True)
            if matches:
                m = matches[-1] if finding.code is None else matches[0]  # a total is printed last
                return Region(finding.page, (m["x0"], m["top"], m["x1"], m["bottom"]))
    return Region(finding.page, None)


def render_region(pdf: Path, region: Region) -> bytes:
    """PNG of the page band around the region's box (the whole page scaled down when there is
    no box), the box outlined in red."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[region.page - 1]
        width, height = page.get_size()
        if region.box is None:
            image = page.render(scale=0.8).to_pil()
        else:
            x0, top, x1, bottom = region.box
            cut_top, cut_bottom = max(0.0, top - _PAD), max(0.0, height - bottom - _PAD)
            image = page.render(scale=_SCALE, crop=(0, cut_bottom, 0, cut_top)).to_pil()
            draw = ImageDraw.Draw(image)
            def y(v: float) -> float:
                return (v - cut_top) * _SCALE

            draw.rectangle([(x0 - 3) * _SCALE, y(top - 3), (x1 + 3) * _SCALE, y(bottom + 3)],
                           outline=(220, 0, 0), width=3)
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()


# -- HTML -------------------------------------------------------------------------------------
def _e(value: object) -> str:
    return "" if value is None else html.escape(str(value))


_STYLE = """
body { font-family: "Noto Sans Thai", "TH Sarabun New", "Loma", sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.6em; } h2 { border-top: 2px solid #888; padding-top: .6em; }
table { border-collapse: collapse; margin: .6em 0; } th, td { border: 1px solid #bbb; padding: .2em .5em;
  vertical-align: top; } th { background: #eee; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.error { color: #b00000; } .warning { color: #8a5a00; } .info { color: #555; }
tr.mismatch td { background: #fde8e8; font-weight: bold; }
figure { margin: .5em 0 1em 0; } figure img { border: 1px solid #999; max-width: 100%; }
li.finding { margin-bottom: .8em; }
"""


def _summary_table(summary: ScoreSummary) -> str:
    rows = "".join(
        f"<tr><td>{_e(r.code)}</td><td>{_e(r.name)}</td><td class=n>{_e(r.score)}</td>"
        f"<td class=n>{_e(r.weight)}</td><td>{_e(r.status_text or r.status)}</td><td>{_e(r.page)}</td></tr>"
        for r in summary.rows)
    printed, computed = summary.reported_total, summary.computed_total
    differs = (printed is not None and computed is not None and printed.score is not None
               and computed.score is not None
               and abs(to_decimal(printed.score) - to_decimal(computed.score)) > Decimal("0.00005"))
    verdict = "ไม่ตรงกัน — differs" if differs else "ตรงกัน — agrees"
    totals = (f"<tr class='{'mismatch' if differs else 'total'}'><td colspan=2>รวม printed total "
              f"(page {_e(summary.reported_total_page)})</td><td class=n>{_e(printed.score if printed else None)}</td>"
              f"<td class=n>{_e(printed.weight if printed else None)}</td><td colspan=2></td></tr>"
              f"<tr class='{'mismatch' if differs else 'total'}'><td colspan=2>คำนวณใหม่ recomputed "
              f"({verdict})</td><td class=n>{_e(computed.score if computed else None)}</td>"
              f"<td class=n>{_e(computed.weight if computed else None)}</td><td colspan=2></td></tr>")
    return (f"<h3 class=summary>{_e(summary.organization or '?')} — FY {_e(summary.fiscal_year)}</h3>"
            "<table><tr><th>code</th><th>indicator</th><th>score</th><th>weight</th><th>status</th>"
            f"<th>page</th></tr>{rows}{totals}</table>")


def _chart(summaries: list[ScoreSummary]) -> str:
    """Horizontal bars of the printed total per unit (0–5), the recomputed total as a mark."""
    bar_h, label_w, plot_w = 22, 330, 400
    height = bar_h * len(summaries) + 40
    parts = [f"<svg class=chart role=img aria-label='scores per unit' width='{label_w + plot_w + 80}' "
             f"height='{height}' xmlns='http://www.w3.org/2000/svg' font-size='13'>"]
    for n in range(6):
        x = label_w + plot_w * n / 5
        parts.append(f"<line x1='{x}' y1='0' x2='{x}' y2='{height - 25}' stroke='#ddd'/>"
                     f"<text x='{x}' y='{height - 8}' text-anchor='middle'>{n}</text>")
    for i, s in enumerate(summaries):
        y = i * bar_h + 4
        printed = s.reported_total.score if s.reported_total else None
        computed = s.computed_total.score if s.computed_total else None
        parts.append(f"<text x='{label_w - 6}' y='{y + 14}' text-anchor='end'>{_e(s.organization or '?')}</text>")
        if printed is not None:
            parts.append(f"<rect class=printed x='{label_w}' y='{y}' width='{plot_w * float(printed) / 5:.1f}' "
                         f"height='{bar_h - 6}' fill='#6a8caf'><title>printed {printed}</title></rect>"
                         f"<text x='{label_w + plot_w * float(printed) / 5 + 4:.1f}' y='{y + 13}'>{_e(printed)}</text>")
        if computed is not None:
            x = label_w + plot_w * float(computed) / 5
            parts.append(f"<line class=recomputed x1='{x:.1f}' y1='{y - 2}' x2='{x:.1f}' y2='{y + bar_h - 4}' "
                         f"stroke='#b00000' stroke-width='3'><title>recomputed {computed}</title></line>")
    parts.append("</svg>")
    return ("<figure><figcaption>คะแนนรวมรายหน่วยงาน — total score per unit (bar: printed; red mark: "
            "recomputed)</figcaption>" + "".join(parts) + "</figure>")


def _indicators(export: Export) -> str:
    if not export.indicators:
        return ""
    rows = []
    for i in export.indicators:
        levels = {c.level: c.text for c in i.criteria}
        rows.append(f"<tr><td>{_e(i.code)}</td><td>{_e(i.name)}</td><td class=n>{_e(i.weight)}</td>"
                    f"<td>{_e(i.target if i.target is not None else i.target_level)}</td>"
                    + "".join(f"<td>{_e(levels.get(n))}</td>" for n in range(1, 6)) + "</tr>")
    return ("<h3>ตัวชี้วัด — indicators</h3><table class=indicators><tr><th>code</th><th>indicator</th>"
            "<th>weight</th><th>target</th><th>1</th><th>2</th><th>3</th><th>4</th><th>5</th></tr>"
            + "".join(rows) + "</table>")


def _finding_item(finding: Finding, pdf: Path | None) -> str:
    where = f"page {finding.page}" if finding.page else "no page"
    image = ""
    if pdf is not None and finding.page is not None:
        region = find_region(pdf, finding)
        if region is not None:
            data = base64.b64encode(render_region(pdf, region)).decode("ascii")
            what = "the whole page" if region.box is None else "the printed value, boxed in red"
            image = (f"<figure><img src='data:image/png;base64,{data}' alt='page {finding.page} of "
                     f"{_e(pdf.name)}: {what}'><figcaption>{_e(pdf.name)}, page {finding.page}: {what}"
                     "</figcaption></figure>")
    elif finding.page is not None:
        image = "<p class=info>(the PDF was not found: no image)</p>"
    return (f"<li class='finding {finding.severity.value}'><b>{finding.severity.value}: {_e(finding.kind)}</b>"
            f" ({where}{', indicator ' + _e(finding.code) if finding.code else ''}): {_e(finding.message)}"
            f"{image}</li>")


def build_report(exports: list[Export], pdfs: dict[str, Path | None], title: str = "kamrap") -> str:
    """The report's HTML for `exports` (as stored); `pdfs` maps each document's sha256 to its
    PDF on this machine (None: not found, no images)."""
    rechecked = [recheck(e) for e in exports]
    across = verify_documents(rechecked)
    everything = [f for e in rechecked for f in e.findings] + across
    errors = sum(f.severity == Severity.error for f in everything)
    body = [f"<h1>รายงานการตรวจสอบ — audit report: {_e(title)}</h1>",
            f"<p class=counts>{len(exports)} documents, {len(everything)} findings, {errors} errors.</p>",
            "<ul class=toc>" + "".join(f"<li><a href='#doc-{n}'>{_e(e.document.file)}</a> "
                                       f"({_e(e.document.kind.value)})</li>" for n, e in enumerate(exports)) + "</ul>"]
    for n, export in enumerate(rechecked):
        doc, pdf = export.document, pdfs.get(export.document.sha256)
        body.append(f"<section class=document id='doc-{n}'><h2>{_e(doc.file)}</h2>"
                    f"<p>{_e(doc.kind.value)} · {_e(doc.organization or '?')} · FY {_e(doc.fiscal_year)} · "
                    f"{doc.page_count} pages</p>")
        if export.findings:
            body.append("<h3>ข้อสังเกต — findings</h3><ul class=findings>"
                        + "".join(_finding_item(f, pdf) for f in export.findings) + "</ul>")
        if len(export.score_summaries) > 1:
            body.append(_chart(export.score_summaries))
        body += [_summary_table(s) for s in export.score_summaries]
        body.append(_indicators(export))
        body.append("</section>")
    if across:
        body.append("<section id=across><h2>ข้อสังเกตระหว่างเอกสาร — findings across documents</h2>"
                    "<ul class=findings>" + "".join(_finding_item(f, None) for f in across) + "</ul></section>")
    return ("<!DOCTYPE html><html lang=th><head><meta charset=utf-8>"
            f"<title>kamrap audit report — {_e(title)}</title><style>{_STYLE}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")


def locate_pdfs(store: Store, base: Path) -> dict[str, Path | None]:
    """Each stored document's PDF under `base` (stored names are relative to the parent of the
    folder ingested): its own name, else any name its bytes were found under."""
    found: dict[str, Path | None] = {}
    for doc in store.documents():
        names = store.file_names(doc["id"])
        found[doc["sha256"]] = next((base / name for name in names if (base / name).is_file()), None)
    return found


def write_report(db: Path | str, out: Path, base: Path = Path(".")) -> Path:
    """Write the report of database `db` to `out`; PDFs are looked for under `base`."""
    with Store(db, readonly=True) as store:
        exports = list(store.exports())
        pdfs = locate_pdfs(store, base)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_report(exports, pdfs, Path(db).name), encoding="utf-8")
    return out


def missing_pdfs(pdfs: dict[str, Path | None]) -> int:
    return sum(path is None for path in pdfs.values())

