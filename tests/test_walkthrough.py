"""The README's walk-through, run as written: every command of its block, in a fresh folder
holding the samples, each exiting as the README says; verify finds the altered summary's error,
the report and the exports are written, and Datasette serves the database."""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from conftest import REPO, SAMPLES

BIN = Path(sys.executable).parent


def _commands() -> list[tuple[list[str], int]]:
    """(argv, expected exit code) of each line of the README's walk-through block."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- walkthrough: start -->", 1)[1].split("<!-- walkthrough: end -->", 1)[0]
    commands = []
    for line in block.splitlines():
        line = line.strip()
        if not line or line.startswith("```"):
            continue
        command, _, comment = line.partition("  #")
        code = re.search(r"\bexit (\d+)", comment)
        commands.append((shlex.split(command), int(code.group(1)) if code else 0))
    return commands


def test_the_readme_walkthrough(tmp_path: Path) -> None:
    commands = _commands()
    assert [argv[0] for argv in (c for c, _ in commands)] == ["kamrap"] * 7 + ["datasette"]
    (tmp_path / "samples").symlink_to(SAMPLES)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "120"}
    env.pop("KAMRAP_DB", None)
    outputs = {}
    for argv, code in commands[:-1]:
        done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == code, (argv, done.stdout[-3000:], done.stderr[-3000:])
        assert "Traceback" not in done.stderr, argv
        outputs[argv[1]] = done.stdout + done.stderr
    pdfs = len(list(SAMPLES.rglob("*.pdf")))
    assert f"{pdfs} ingested, 0 unchanged, 0 failed" in outputs["ingest"]
    assert "recomputed: 4.65 over weight 100  (DIFFERENT)" in outputs["show"]
    errors = [line for line in outputs["verify"].splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(
        "error: total_mismatch (score_summary_led_2563_altered.pdf, page 8)")
    assert "printed total 4.55" in errors[0] and "is 4.6500" in errors[0]
    assert "score_summary_led_2563_altered.pdf" in (tmp_path / "output" / "report.html").read_text(encoding="utf-8")
    assert "weighted total: 3.9643 over weight 42" in outputs["score"]
    assert "warning: 10 of 15 indicators have no result" in outputs["score"]
    assert (tmp_path / "output" / "csv" / "datapackage.json").exists()

    # datasette, as the README says, on a free port of 127.0.0.1
    argv, _ = commands[-1]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([*argv, "--host", "127.0.0.1", "--port", str(port)], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2)
                break
            except OSError:
                assert server.poll() is None, "datasette exited"
                time.sleep(0.5)
        query = urllib.parse.urlencode({"_search": "บังคับคดี", "_shape": "array", "_size": "max"})
        with urllib.request.urlopen(f"{base}/kamrap/indicators.json?{query}", timeout=30) as response:
            rows = json.loads(response.read().decode("utf-8"))
        # the same indicators as a plain LIKE over the names and details pages finds
        import sqlite3

        conn = sqlite3.connect(f"{(tmp_path / 'output' / 'kamrap.db').as_uri()}?mode=ro", uri=True)
        like = sorted(r[0] for r in conn.execute(
            "SELECT i.id FROM indicators i LEFT JOIN details d ON d.indicator_id = i.id WHERE "
            "i.name || ' ' || coalesce(d.description, '') || coalesce(d.formula, '') || coalesce(d.condition, '') "
            "|| coalesce((SELECT group_concat(text) FROM milestones m WHERE m.indicator_id = i.id), '') "
            "LIKE '%บังคับคดี%'"))
        conn.close()
        assert len(like) >= 3 and sorted(r["id"] for r in rows) == like
        with urllib.request.urlopen(f"{base}/kamrap/findings", timeout=30) as response:
            assert "total_mismatch" in response.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)
