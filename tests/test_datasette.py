"""The database served by Datasette, as a user publishing it would: the metadata kamrap writes
(Thai and English titles, every column described, facets) and the full-text search over
indicator names and details, on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import expected_export, seed_stems
from kamrap.cli import app

runner = CliRunner()
WORD = "ความพึงพอใจ"  # satisfaction: inside longer words, no spaces around it


@pytest.fixture(scope="module")
def served(seed_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The seed samples ingested from a folder of their own (conftest, once per run), served."""
    work = tmp_path_factory.mktemp("datasette")
    db = seed_db
    metadata = work / "metadata.json"
    result = runner.invoke(app, ["datasette-metadata", "--db", str(db), "--out", str(metadata)])
    assert result.exit_code == 0, result.output
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    datasette = Path(sys.executable).with_name("datasette")
    server = subprocess.Popen([str(datasette), "serve", "--immutable", str(db), "--metadata", str(metadata),
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    raise AssertionError(server.stdout.read() if server.stdout else "datasette exited")
                time.sleep(0.5)
        else:
            raise AssertionError("datasette did not start")
        yield base, metadata
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return response.read().decode("utf-8")


def test_a_table_page_with_titles_and_facets(served: tuple[str, Path]) -> None:
    base, _ = served
    page = _get(base + "/kamrap/documents")
    assert "เอกสาร — Documents" in page
    for stem in seed_stems():
        assert f"{stem}.pdf" in page
    data = json.loads(_get(base + "/kamrap/documents.json"))
    facets = data["facet_results"]
    facets = facets.get("results", facets)
    kinds = {f["value"]: f["count"] for f in facets["kind"]["results"]}
    expected = Counter(expected_export(s)["document"]["kind"] for s in seed_stems())
    assert kinds == dict(expected)


def test_every_column_is_described(served: tuple[str, Path]) -> None:
    _, metadata = served
    tables = json.loads(metadata.read_text(encoding="utf-8"))["databases"]["kamrap"]["tables"]
    findings = tables["findings"]
    assert findings["facets"] == ["kind", "severity", "organization"]
    assert {"kind", "organization", "fiscal_year"} <= set(tables["documents"]["facets"])
    for name, table in tables.items():
        if not table.get("hidden"):
            assert " — " in table["title"], name  # ไทย — English
            assert all(table["columns"].values()), name


def test_search_finds_thai_inside_words(served: tuple[str, Path]) -> None:
    base, _ = served
    query = urllib.parse.urlencode({"_search": WORD, "_shape": "array", "_size": "max"})
    rows = json.loads(_get(f"{base}/kamrap/indicators.json?{query}"))
    found = Counter((r["code"], r["name"]) for r in rows)

    def mentions(indicator: dict) -> bool:
        details = indicator.get("details") or {}
        texts = [indicator["name"], details.get("description"), details.get("formula"), details.get("condition"),
                 *(m["text"] for m in details.get("milestones", []))]
        return any(WORD in (t or "") for t in texts)

    expected = Counter((i["code"], i["name"]) for s in seed_stems()
                       for i in expected_export(s)["indicators"] if mentions(i))
    assert found == expected and len(found) >= 3
