"""The subpackages depend on each other one way only: data flows ingest → parsers → normalize →
schema, with the pure Thai text functions (`kamrap.text`) at the bottom. A cycle between two
subpackages (say parsers importing normalize while normalize imports parsers) fails here."""

from __future__ import annotations

import ast
from collections.abc import Mapping, Set as AbstractSet
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUBPACKAGES = ("text", "parsers", "normalize", "schema", "ingest")


@functools.cache  # the sources do not change during a run; parsing them all takes a second
def subpackage_imports() -> dict[str, frozenset[str]]:
    """For each subpackage, the other kamrap subpackages its modules import (at any depth in
    the module, lazy imports included)."""
    graph: dict[str, set[str]] = {name: set() for name in SUBPACKAGES}
    for name in SUBPACKAGES:
        for path in (ROOT / name).glob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                modules: list[str] = []
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    modules = [node.module]
                elif isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                for module in modules:
                    parts = module.split(".")
                    if parts[0] == "kamrap" and len(parts) > 1 and parts[1] in SUBPACKAGES \
                            and parts[1] != name:
                        graph[name].add(parts[1])
    return {name: frozenset(others) for name, others in graph.items()}


def find_cycle(graph: Mapping[str, AbstractSet[str]]) -> list[str] | None:
    """A cycle in `graph` as a list of nodes (first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_find_cycle_sees_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_cycle_between_subpackages() -> None:
    graph = subpackage_imports()
    assert find_cycle(graph) is None, f"import cycle between subpackages: {find_cycle(graph)}"


@pytest.mark.parametrize("lower, upper", [("text", "parsers"), ("text", "normalize"),
                                          ("text", "schema"), ("parsers", "normalize"),
                                          ("schema", "parsers"), ("schema", "normalize")])
def test_lower_layers_do_not_import_upper_ones(lower: str, upper: str) -> None:
    assert upper not in subpackage_imports()[lower]


def test_a_worker_never_imports_the_store() -> None:
    """What the worker pool's forkserver imports (`kamrap.ingest.preload`), every worker holds:
    the parsers and the models, never the store (SQLite writes are the main process's alone)."""
    import subprocess
    import sys

    probe = ("import sys, kamrap.ingest.preload; "
             "print(sorted(m for m in ('kamrap.schema.store', 'sqlite_utils', 'kamrap.ingest.pipeline') "
             "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_command_loads_neither_the_parsers_nor_pandas() -> None:
    """`kamrap`'s own process only stores and reports: the parsers (pdfplumber, pythainlp, numpy)
    are the workers' (`kamrap.ingest.preload`). pandas is installed here (the tests read CSV
    with it); sqlite-utils would import it and numpy, and `kamrap` keeps them out
    (cli._sqlite_utils_without_numpy_or_pandas). A later `import pandas, numpy` works."""
    import importlib.util
    import subprocess
    import sys

    assert importlib.util.find_spec("pandas") is not None  # else this test proves nothing
    heavy = ("pandas", "numpy", "pdfplumber", "pdfminer", "pythainlp", "kamrap.parsers.layout")
    probe = (f"import sys, kamrap.cli; print(sorted(m for m in {heavy!r} if m in sys.modules)); "
             "import pandas, numpy, sqlite_utils.db; "
             "print(pandas.DataFrame({'a': [1]}).shape, numpy.zeros(2).shape, sqlite_utils.db.pd)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["[]", "(1, 1) (2,) None"]
