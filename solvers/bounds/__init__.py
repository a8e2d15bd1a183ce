"""Combinatorial bounds on the primary objective level (level 0) of a ``ProblemData``.

Each source in :data:`BOUND_SOURCES` takes a problem and returns a
:class:`Bound` (a value proven <= the optimum of a minimising level 0, >= the
optimum of a maximising one) or None when it does not apply. A source proves
bounds on the terms it understands and uses the static range of every other
term of the level (:mod:`.bound`, :mod:`.static`), so a level such as
``2 * makespan + mode_cost`` is covered. Sources are conservative: forced
presence, allowed modes, releases, pins, deadlines, all precedence types and
lags, calendars and reservation tables are taken into account or relaxed
away, never assumed.

=======================  =====================================================
``critical_path``        makespan / schedule length: longest path in the temporal network
``resource_energy``      makespan: energy of each resource under its capacity profile
``machine_load``         makespan: Jackson's preemptive schedule on each disjunctive resource
``tardiness_assignment`` total weighted tardiness: jobs of one machine assigned to positions
``tardiness_trivial``    total weighted tardiness: each task at its earliest end
``tardiness_wspt``       total weighted tardiness: best subset's weighted lateness in Smith's order
``max_lateness``         max lateness: earliest ends and preemptive EDD
``ii_bound``             initiation interval: max(ii_min, ResMII, RecMII)
``upper_value``          maximising levels: every term at its best static value
=======================  =====================================================

These modules import only ``schedkit.models``, NumPy, SciPy, NetworkX and the standard library.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from schedkit.models import ProblemData, Sense
from schedkit.solvers.bounds.bound import Bound, primary_sense
from schedkit.solvers.bounds.critical_path import critical_path
from schedkit.solvers.bounds.energy import resource_energy
from schedkit.solvers.bounds.initiation_interval import ii_bound
from schedkit.solvers.bounds.machine_load import machine_load
from schedkit.solvers.bounds.max_lateness import max_lateness
from schedkit.solvers.bounds.static import upper_value
from schedkit.solvers.bounds.tardiness_assignment import tardiness_assignment
from schedkit.solvers.bounds.tardiness_trivial import tardiness_trivial
from schedkit.solvers.bounds.tardiness_wspt import tardiness_wspt

__all__ = ["BOUND_SOURCES", "Bound", "best_bound", "combinatorial_bounds"]

BoundSource = Callable[[ProblemData], "Bound | None"]

BOUND_SOURCES: dict[str, BoundSource] = {
    "critical_path": critical_path,
    "resource_energy": resource_energy,
    "machine_load": machine_load,
    "tardiness_assignment": tardiness_assignment,
    "tardiness_trivial": tardiness_trivial,
    "tardiness_wspt": tardiness_wspt,
    "max_lateness": max_lateness,
    "ii_bound": ii_bound,
    "upper_value": upper_value,
}
"""Registry: source name -> function returning a :class:`Bound` or None (not applicable)."""


def _selected(sources: Iterable[str] | None) -> list[str]:
    if sources is None:
        return list(BOUND_SOURCES)
    names = [sources] if isinstance(sources, str) else list(sources)
    unknown = [name for name in names if name not in BOUND_SOURCES]
    if unknown:
        raise KeyError(f"unknown bound source(s) {', '.join(unknown)}; known: {', '.join(BOUND_SOURCES)}")
    return names


def combinatorial_bounds(problem: ProblemData, sources: Iterable[str] | None = None) -> list[Bound]:
    """Every applicable bound on level 0 (from all sources, or the named ones), in registry order.

    Each source is timed; its wall time is stored in :attr:`Bound.seconds`.
    Raises ``KeyError`` for an unknown source name.
    """
    found: list[Bound] = []
    for name in _selected(sources):
        started = time.perf_counter()
        bound = BOUND_SOURCES[name](problem)
        if bound is not None:
            found.append(Bound(bound.value, bound.source, bound.detail, seconds=time.perf_counter() - started))
    return found


def best_bound(problem: ProblemData, sources: Iterable[str] | None = None) -> Bound | None:
    """The strongest applicable bound: the largest when level 0 minimises, the smallest when it maximises."""
    found = combinatorial_bounds(problem, sources)
    if not found:
        return None
    if primary_sense(problem) == Sense.MAXIMIZE:
        return min(found, key=lambda bound: bound.value)
    return max(found, key=lambda bound: bound.value)
