"""The time budget of building and loading a linear model: building stops when the solve's time is up.

A solve's time limit covers everything after the call: importing Pyomo,
encoding the IR as rows, the Pyomo model, loading it into the solver, and the
search. Building a large disjunctive FJSP used to run for tens of seconds on a
0.3 s limit, because the budget was only checked before the search. Now the
builders call :func:`tick` as they add rows, and inside
``with building_until(deadline):`` a tick past the deadline raises
:class:`OutOfTime`, which the backend turns into a ``time_limit`` outcome (or
the heuristic incumbent) instead of going on building.

The deadline lives in a context variable, so the formulations keep their
signatures and a build outside any budget (``write_model``, tests) never stops.

Loading a model into HiGHS through APPSI (``set_instance``) cannot be
interrupted; :func:`load_seconds` estimates it from the rows and nonzeros so
the backend can decline to start a load that cannot finish in time.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager

CHECK_EVERY = 1024
"""Rows (or constraints) between two clock readings: cheap, and about a millisecond of building."""

LOAD_SECONDS = (140e-6, 13e-6)
"""Seconds per row and per nonzero to load a Pyomo model into HiGHS with APPSI's ``set_instance``.

Fitted on the project's 2-core machine with other jobs running: a j30 time-indexed model
(5,681 rows, 57,804 nonzeros) loaded in 1.55 s, a 60-activity one (12,493 rows, 240,112
nonzeros) in 4.9 s, disjunctive FJSPs of 100 operations (18,844 rows, 92k nonzeros) in 4.1 s.
"""

PYOMO_SECONDS = (30e-6, 10e-6)
"""Seconds per row and per nonzero to build the Pyomo model of a :class:`LinearModel` (same models: 0.7, 2.6, 1.6 s)."""

MARGIN = 1.25
"""Estimates are multiplied by this: a load is declined rather than overrun."""

_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("schedkit_build_deadline", default=None)
_TICKS: contextvars.ContextVar[int] = contextvars.ContextVar("schedkit_build_ticks", default=0)


class OutOfTime(Exception):
    """The time limit ran out while a model was being built or before it could be loaded."""

    def __init__(self, phase: str, detail: str = "") -> None:
        self.phase = phase
        self.detail = detail
        super().__init__(f"the time limit ran out {phase}" + (f" ({detail})" if detail else ""))


@contextmanager
def building_until(deadline: float | None) -> Iterator[None]:
    """Within the block, :func:`tick` raises :class:`OutOfTime` once ``time.perf_counter()`` passes ``deadline``."""
    token = _DEADLINE.set(deadline)
    ticks = _TICKS.set(0)
    try:
        yield
    finally:
        _DEADLINE.reset(token)
        _TICKS.reset(ticks)


def tick(phase: str = "while building the model") -> None:
    """Count one unit of building work; every :data:`CHECK_EVERY` units, stop if the deadline has passed."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return
    count = _TICKS.get() + 1
    _TICKS.set(count)
    if count % CHECK_EVERY == 0 and time.perf_counter() > deadline:
        raise OutOfTime(phase)


def deadline() -> float | None:
    """The deadline in force (None outside :func:`building_until` or without a limit)."""
    return _DEADLINE.get()


def load_seconds(rows: int, nonzeros: int) -> float:
    """Estimated seconds to load a model of ``rows`` and ``nonzeros`` into HiGHS with APPSI."""
    return MARGIN * (LOAD_SECONDS[0] * rows + LOAD_SECONDS[1] * nonzeros)


def build_and_load_seconds(rows: int, nonzeros: int) -> float:
    """Estimated seconds for the Pyomo model and its load, once the rows exist."""
    pyomo = PYOMO_SECONDS[0] * rows + PYOMO_SECONDS[1] * nonzeros
    return MARGIN * pyomo + load_seconds(rows, nonzeros)


__all__ = [
    "CHECK_EVERY",
    "LOAD_SECONDS",
    "MARGIN",
    "OutOfTime",
    "PYOMO_SECONDS",
    "build_and_load_seconds",
    "building_until",
    "deadline",
    "load_seconds",
    "tick",
]
