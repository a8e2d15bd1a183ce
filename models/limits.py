"""The largest integers the IR accepts: what every backend can hold without overflow.

CP-SAT stores integer variables and coefficients as 64-bit integers and
refuses domains beyond ``[-(2^62 - 1), 2^62 - 1]`` (it keeps headroom to add
two values without overflow); HiGHS reads numbers as doubles, exact up to
2^53. A value of 2^62 or more in a duration, release, capacity or II bound
used to pass every reader and the IR and then fail inside CP-SAT with a raw
message; validation now refuses it naming the entity and field.
"""

from __future__ import annotations

MAX_MAGNITUDE = 2**62 - 1
"""Every integer of a problem lies in ``[-MAX_MAGNITUDE, MAX_MAGNITUDE]``."""


def too_large(value: int) -> bool:
    """Whether ``value`` is beyond :data:`MAX_MAGNITUDE` in absolute value."""
    return abs(value) > MAX_MAGNITUDE


def describe_limit() -> str:
    """How errors name the limit."""
    return "2^62 - 1, the largest integer the backends accept"


__all__ = ["MAX_MAGNITUDE", "describe_limit", "too_large"]
