"""`kamrap report` read in a real headless browser (Chromium), as an auditor would: the altered
summary's wrong total beside the recomputed one, its finding with page and the image of the page
region, and the chart of totals per unit.

The altered sample prints 4.5500 for กองบริหารทรัพยากรบุคคล where its rows now give
465 / 100 = 4.6500 (worked out by hand, samples/build_altered.py)."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from conftest import SAMPLES, expected_export, once_per_run
from kamrap.cli import app

runner = CliRunner()
ALTERED = SAMPLES / "altered" / "score_summary_led_2563_altered.pdf"
HR = "กองบริหารทรัพยากรบุคคล"


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "chromium is not installed (apt-get install -y chromium)"
    return subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           "--no-first-run", f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180)


class _Text(HTMLParser):
    """The text of a DOM, by element: section texts and image sources."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.images: list[tuple[str, str]] = []  # (src, alt)
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "section":
            self.sections.append("")
            self.depth += 1
        if tag == "img":
            self.images.append((values.get("src") or "", values.get("alt") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.depth -= 1
        if tag in ("tr", "li", "p", "h2", "h3"):
            self.handle_data("\n")
        if tag in ("td", "th"):
            self.handle_data(" ")

    def handle_data(self, data: str) -> None:
        if self.depth and self.sections:
            self.sections[-1] += data


@pytest.fixture(scope="module")
def report(seed_altered_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The seed samples and ALTERED, ingested from `<folder>/samples/` (conftest, once per run),
    reported with `--pdfs <folder>` and read by Chromium once per run (conftest.once_per_run)."""
    return once_per_run(tmp_path_factory, "report", lambda work: _report(seed_altered_db, work))


def _report(db: Path, work: Path) -> tuple[Path, str]:
    out = work / "report.html"
    result = runner.invoke(app, ["report", "--db", str(db), "--out", str(out), "--pdfs", str(db.parent)])
    assert result.exit_code == 0, result.output
    assert "not found" not in result.output
    browser = _chromium("--dump-dom", out.as_uri(), profile=work / "profile")
    assert browser.returncode == 0, browser.stderr[-2000:]
    assert "</html>" in browser.stdout
    return out, browser.stdout


def _section(dom: str, file: str) -> tuple[str, list[tuple[str, str]]]:
    start = dom.index(f"<h2>{file}</h2>")
    section = dom[dom.rindex("<section", 0, start):dom.index("</section>", start)]
    inner = _Text()
    inner.feed(section)
    return inner.sections[0], inner.images


def test_the_wrong_total_beside_the_recomputed_one(report: tuple[Path, str]) -> None:
    _, dom = report
    text, _ = _section(dom, ALTERED.name)
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    hr = lines.index(f"{HR} — FY 2563")
    after = lines[hr:]
    printed = next(line for line in after if line.startswith("รวม printed total"))
    recomputed = next(line for line in after if line.startswith("คำนวณใหม่ recomputed"))
    assert printed == "รวม printed total (page 8) 4.55 100"
    assert recomputed == "คำนวณใหม่ recomputed (ไม่ตรงกัน — differs) 4.65 100"
    # the other units agree: 6 summaries, as printed in the seed
    summaries = expected_export("score_summary_led_2563")["score_summaries"]
    assert sum(line.startswith("คำนวณใหม่ recomputed (ตรงกัน — agrees)") for line in lines) == len(summaries) - 1
    # the row as altered
    assert "2.1 ระดับความสำเร็จของการดำเนินการตามแผนบริหารทรัพยากรบุคคล 5 10 scored 7" in lines


def test_the_finding_with_its_page_and_the_printed_number(report: tuple[Path, str]) -> None:
    _, dom = report
    text, images = _section(dom, ALTERED.name)
    finding = next(line for line in text.splitlines() if "total_mismatch" in line)
    assert finding.startswith("error: total_mismatch (page 8):")
    assert "printed total 4.55" in finding and "4.6500" in finding
    ((src, alt),) = images
    assert alt == f"page 8 of {ALTERED.name}: the printed value, boxed in red"
    image = Image.open(io.BytesIO(base64.b64decode(src.removeprefix("data:image/png;base64,")))).convert("RGB")
    width, height = image.size
    assert width > 1000 and 60 < height < 400  # a band of the page at 2 px/pt, not the whole page
    pixels = image.load()
    red = sum(1 for x in range(width) for y in range(height)
              if (p := pixels[x, y])[0] > 200 and p[1] < 40 and p[2] < 40)
    assert red > 200  # the box drawn round the printed total


def test_the_chart_of_totals_per_unit(report: tuple[Path, str]) -> None:
    _, dom = report
    start = dom.index(f"<h2>{ALTERED.name}</h2>")
    chart = dom[start:dom.index("</svg>", start)]
    widths = [float(w) for w in re.findall(r'class="printed"[^>]*width="([\d.]+)"', chart)]
    summaries = expected_export("score_summary_led_2563")["score_summaries"]
    # bars 400 px for a score of 5: printed totals 5, 5, 4.55, 5, 4.8, 4.9 (the seed)
    assert widths == [round(400 * s["reported_total"]["score"] / 5, 1) for s in summaries]
    marks = [float(x) for x in re.findall(r'class="recomputed" x1="([\d.]+)"', chart)]
    assert marks[2] == 330 + 400 * 4.65 / 5  # HR's recomputed 4.65, beside its printed 4.55


def test_indicators_per_document_and_a_screenshot(report: tuple[Path, str], tmp_path: Path) -> None:
    out, dom = report
    text, _ = _section(dom, "agreement_ict_2564.pdf")
    for indicator in expected_export("agreement_ict_2564")["indicators"]:
        assert indicator["name"] in text
    shot = tmp_path / "shot.png"
    browser = _chromium(f"--screenshot={shot}", "--window-size=1280,2000", out.as_uri(), profile=tmp_path / "p")
    assert browser.returncode == 0 and shot.exists(), browser.stderr[-2000:]
    assert Image.open(shot).size == (1280, 2000)
