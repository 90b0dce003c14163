"""The examples in kamrap's docstrings run as tests: every module of the package is imported
by its `kamrap.` name (not by file path, which would load a second copy under the checkout
folder's name) and its doctests must all pass."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import kamrap

MODULES = sorted(m.name for m in pkgutil.walk_packages(kamrap.__path__, "kamrap.")
                 if not m.name.endswith("__main__"))


def _examples(name: str) -> int:
    finder = doctest.DocTestFinder()
    return sum(len(t.examples) for t in finder.find(importlib.import_module(name)))


WITH_EXAMPLES = [name for name in MODULES if _examples(name)]


def test_modules_with_examples_are_found() -> None:
    # the text and value normalisers document themselves by example
    assert {"kamrap.text.thai", "kamrap.normalize.values"} <= set(WITH_EXAMPLES)


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
