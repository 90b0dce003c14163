from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def seed_stems() -> list[str]:
    """The samples transcribed from the five seed documents (not the layout variants, which
    reuse the seeds' units and years)."""
    return [s for s in sample_stems() if not s.startswith("variant_")]


def seed_samples(folder: Path) -> Path:
    """`folder` holding links to the seed samples' PDFs only, for tests that look documents
    up by unit and year."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem in seed_stems():
        (folder / f"{stem}.pdf").symlink_to(SAMPLES / f"{stem}.pdf")
    return folder


def sample_stems() -> list[str]:
    return sorted(p.name.removesuffix(".expected.json") for p in SAMPLES.glob("*.expected.json")
                  if (SAMPLES / (p.name.removesuffix(".expected.json") + ".pdf")).exists())


def expected_export(stem: str) -> dict:
    return json.loads((SAMPLES / f"{stem}.expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "kamrap.db"


def write_bad_files(folder: Path, source: Path) -> dict[str, str]:
    """The kinds of bad file every ingest test meets, written into ``folder`` (``source`` is a
    good PDF to cut and encrypt), mapped to the start of the reason ``kamrap ingest`` gives."""
    (folder / "notes.pdf").write_text("ตัวชี้วัด — a text file, not a PDF\n", encoding="utf-8")
    (folder / "empty.pdf").write_bytes(b"")
    data = source.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 2])
    with pikepdf.open(source) as pdf:
        pdf.save(folder / "encrypted.pdf", encryption=pikepdf.Encryption(owner="o", user="secret"))
    return {"notes.pdf": "not a PDF", "empty.pdf": "empty file", "truncated.pdf": "truncated PDF",
            "encrypted.pdf": "encrypted PDF"}
