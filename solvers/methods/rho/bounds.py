"""A makespan lower bound for flexible shops: the least total machine work spread over all unary machines.

Every mode of a flexible-job-shop operation occupies unary resources (machines,
capacity 1); whatever mode it runs in, operation i keeps them busy for at least
``w_i = min_m sum_{unary demands d of m} len_d``. Unary machines process one
thing at a time, so over ``[0, C_max)`` the ``U`` machines offer at most
``U * C_max`` units (downtime only lowers that), hence

    ``C_max >= ceil(sum_i w_i / U)``.

On SD2 flexible job shops this is far above the critical-path and per-machine
bounds, which do not pool alternative machines (600 operations: about 1,200
against 814). :func:`lower_bound` returns the best of it and
:func:`schedkit.solvers.bounds.best_bound`.
"""

from __future__ import annotations

import math

from schedkit.models import ProblemData, ResourceKind
from schedkit.solvers.bounds import Bound, best_bound


def pooled_machine_work(problem: ProblemData) -> Bound | None:
    """The bound of the module docstring, or None without unary resources or unary work."""
    unary = {r for r, res in enumerate(problem.resources) if res.kind == ResourceKind.UNARY}
    if not unary:
        return None
    work = 0
    for task in problem.tasks:
        work += min(
            sum(d.usage_length(mode.duration) for d in mode.demands if d.resource in unary) for mode in task.modes
        )
    if work == 0:
        return None
    value = math.ceil(work / len(unary))
    return Bound(value, "pooled_machine_work", f"{work} units of least machine work over {len(unary)} machines")


def lower_bound(problem: ProblemData) -> Bound | None:
    """The larger of :func:`pooled_machine_work` and the best combinatorial bound of ``schedkit.solvers.bounds``."""
    found = [b for b in (best_bound(problem), pooled_machine_work(problem)) if b is not None]
    return max(found, key=lambda b: b.value) if found else None
