from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def sample_stems() -> list[str]:
    return sorted(p.name.removesuffix(".expected.json") for p in SAMPLES.glob("*.expected.json")
                  if (SAMPLES / (p.name.removesuffix(".expected.json") + ".pdf")).exists())


def expected_export(stem: str) -> dict:
    return json.loads((SAMPLES / f"{stem}.expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "kamrap.db"
