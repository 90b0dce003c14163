"""Number helpers shared by every layer (normalize and the store alike)."""

from __future__ import annotations


def int_if_integral(value: float | int | None) -> float | int | None:
    """A float that holds a whole number as an int, so it prints and exports as printed
    ("๕๐" → 50, not 50.0); anything else unchanged.

    >>> int_if_integral(50.0), int_if_integral(12.5), int_if_integral(None), int_if_integral(3)
    (50, 12.5, None, 3)
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
