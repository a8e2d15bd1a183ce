"""Small helpers shared by the generators: argument checks and integer ranges."""

from __future__ import annotations

from collections.abc import Sequence


def check_positive(name: str, value: int) -> None:
    """Raise ``ValueError`` unless ``value`` is an integer >= 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def check_range(name: str, bounds: Sequence[int], minimum: int = 0) -> tuple[int, int]:
    """``(low, high)`` from a pair of integers with ``minimum <= low <= high``."""
    if len(bounds) != 2:
        raise ValueError(f"{name} must be a pair (low, high), got {bounds!r}")
    low, high = (int(x) for x in bounds)
    if not minimum <= low <= high:
        raise ValueError(f"{name} must satisfy {minimum} <= low <= high, got {bounds!r}")
    return low, high


def check_probability(name: str, value: float) -> float:
    """``value`` as a float in [0, 1]."""
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}")
    return value
