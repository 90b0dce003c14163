"""The package type-checks: ``mypy -p kamrap`` with the configuration in pyproject.toml (strict
on the package; tests, samples and bench not checked) reports no error.

The repository root is the `kamrap` package, so mypy runs from a temporary folder holding a
`kamrap` link to the root, as the package is imported when installed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_SUMMARY = re.compile(r"^(Success: no issues found in (?P<ok>\d+) source files?"
                      r"|Found \d+ errors? in \d+ files? \(checked (?P<checked>\d+) source files?\))$")


def test_mypy_strict_reports_no_error(tmp_path: Path) -> None:
    (tmp_path / "kamrap").symlink_to(ROOT, target_is_directory=True)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "-p", "kamrap", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", os.devnull],  # one run: mypy writes no cache (its documented way)
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    output = result.stdout + result.stderr
    lines = result.stdout.splitlines()
    # mypy ran and checked the package (a missing mypy or a bad configuration is no pass)
    summary = _SUMMARY.match(lines[-1]) if lines else None
    assert result.returncode in (0, 1) and summary, output
    assert int(summary["ok"] or summary["checked"]) >= 40, output
    errors = [line for line in lines if ": error:" in line]
    assert not errors, output
