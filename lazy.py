"""A package's public names imported when first used (PEP 562 module `__getattr__`), so that
importing one light module of the package does not import its heavy ones."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """The `__getattr__` of `package`: each name of `homes` read from the module `homes`
    gives for it, imported then.

    >>> getattr_ = lazy_names("kamrap.example", {"sqrt": "math"})
    >>> getattr_("sqrt")(9.0)
    3.0
    """
    def __getattr__(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(homes[name]), name)

    return __getattr__
