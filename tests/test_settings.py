"""The layout tolerances are one validated object (parsers/settings.py), and the parsers hold
no tolerance of their own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kamrap.parsers.settings import SETTINGS, LayoutSettings

PARSERS = Path(__file__).resolve().parent.parent / "parsers"


@pytest.mark.parametrize("field, value, error", [
    ("space_gap_ratio", -0.1, ValueError),  # negative
    ("turn_share", 1.5, ValueError),  # a share above 1
    ("snap_tolerance", "3", TypeError),  # not a number
    ("header_search_rows", True, TypeError),
])
def test_bad_settings_are_refused(field: str, value: object, error: type[Exception]) -> None:
    with pytest.raises(error, match=field):
        LayoutSettings(**{field: value})


def test_table_finder_uses_the_tolerances() -> None:
    finder = LayoutSettings(snap_tolerance=1.5).table_finder()
    assert finder["snap_tolerance"] == 1.5 and finder["join_tolerance"] == SETTINGS.join_tolerance
    assert finder["vertical_strategy"] == finder["horizontal_strategy"] == "lines"


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        SETTINGS.box_slack = 5  # type: ignore[misc]


# Module-level numbers in parsers/ that are not layout tolerances: glyph identification
# thresholds (glyphs.py) and the size of a dictionary context window (pdftext.py).
NOT_LAYOUT = {("glyphs.py", "_SAMPLES"), ("glyphs.py", "_CLOSE"), ("glyphs.py", "_MIN_MAPPED"),
              ("glyphs.py", "_SAME_GLYPH"), ("glyphs.py", "_MAX_CONTEXTS"), ("pdftext.py", "_CONTEXT_UNITS")}


def test_no_parser_module_defines_a_tolerance_of_its_own() -> None:
    found = set()
    for path in PARSERS.glob("*.py"):
        if path.name == "settings.py":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            value = getattr(node, "value", None)
            if isinstance(value, ast.Constant) and isinstance(value.value, (int, float)) \
                    and not isinstance(value.value, bool):
                found |= {(path.name, t.id) for t in targets if isinstance(t, ast.Name)}
    assert found <= NOT_LAYOUT, found - NOT_LAYOUT
