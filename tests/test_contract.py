"""The README's export contract is checked against the models, not written twice."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kamrap.schema.models import FAILURE_LABELS, FAILURE_MEANINGS, FINDING_MEANINGS, FailureKind, FindingKind

ROOT = Path(__file__).resolve().parent.parent


def _readme_finding_table() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Finding kinds", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([a-z_0-9]+)` \| (.+?) \|$", section, re.M))


def test_readme_lists_every_finding_kind_with_its_meaning() -> None:
    assert _readme_finding_table() == {k.value: FINDING_MEANINGS[k] for k in FindingKind}


def test_every_finding_kind_has_a_meaning() -> None:
    assert set(FINDING_MEANINGS) == set(FindingKind)


def test_json_schema_lists_the_finding_kinds() -> None:
    schema = json.loads((ROOT / "schema" / "kamrap.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["FindingKind"]["enum"] == [k.value for k in FindingKind]


def _readme_failure_table() -> dict[str, tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Failure kinds", 1)[1].split("\n## ", 1)[0]
    return {kind: (label, meaning)
            for kind, label, meaning in re.findall(r"^\| `([a-z_]+)` \| (.+?) \| (.+?) \|$", section, re.M)}


def test_readme_lists_every_failure_kind_with_its_label_and_meaning() -> None:
    assert _readme_failure_table() == {k.value: (FAILURE_LABELS[k], FAILURE_MEANINGS[k]) for k in FailureKind}


def test_every_failure_kind_has_a_label_and_a_meaning() -> None:
    assert set(FAILURE_LABELS) == set(FAILURE_MEANINGS) == set(FailureKind)
    # the version 3 → 4 migration tells stored reasons apart by their labels: none begins another
    labels = list(FAILURE_LABELS.values())
    assert not [(a, b) for a in labels for b in labels if a != b and b.startswith(a)]
