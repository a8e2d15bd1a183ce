"""Exact single-machine total (weighted) tardiness: ``1 || sum T_j`` and ``1 || sum w_j T_j``.

>>> from schedkit.solvers.exact_tardiness import solve_exact_tardiness, exact_tardiness_bound, to_solution

:func:`solve_exact_tardiness` proves the optimum of a problem that is one
machine and a total (weighted) tardiness objective, nothing else (see
:mod:`.instance` for what qualifies; anything else raises
:class:`UnsupportedTardiness`):

* equal weights: Lawler's decomposition with the Potts & Van Wassenhove and
  Emmons position rules and a value comparison between positions, as a
  memoised recursion (:mod:`.lawler`);
* other weights (at most 63 jobs): an iterated-local-search upper bound, the
  time-indexed Lagrangian bound with adjacent-pair states
  (:mod:`.lagrangian`), and a dynamic program over job sets pruned by that
  bound (:mod:`.subset_dp`), orchestrated in :mod:`.weighted`.

Reach (``results/scripts/exact_tardiness_scaling.py``, standard generator,
125 instances per size, on a shared 2-core machine): every unweighted
instance of n = 100 in at most 0.12 s, of n = 500 in at most about 40 s
(median 0.1 s; the slow classes are TF 0.4-0.8 with RDD 0.2-0.4); all 125
OR-Library wt40 instances in at most about 6 s (median under 1 s).

With a time limit the answer may be unproven: the certificate then carries
the best schedule found and the best lower bound proven.
:func:`exact_tardiness_bound` is the same, shaped as a bound source for
``certify()``'s ``EXTRA_SOURCES``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from schedkit.models import ProblemData
from schedkit.solvers.bounds.bound import Bound
from schedkit.solvers.exact_tardiness.deadline import Deadline, OutOfTime
from schedkit.solvers.exact_tardiness.heuristic import heuristic_order
from schedkit.solvers.exact_tardiness.instance import (
    TardinessInstance,
    UnsupportedTardiness,
    tardiness_instance,
    to_solution,
)
from schedkit.solvers.exact_tardiness.lawler import solve_unweighted
from schedkit.solvers.exact_tardiness.pairing import pairing_bound
from schedkit.solvers.exact_tardiness.weighted import solve_weighted

__all__ = [
    "TardinessCertificate",
    "TardinessInstance",
    "UnsupportedTardiness",
    "exact_tardiness_bound",
    "solve_exact_tardiness",
    "tardiness_instance",
    "to_solution",
]

SOURCE = "exact_tardiness"
"""The name of the bound source for ``certify()``."""

LAWLER_SHARE = 0.9
"""Share of the time limit the unweighted recursion may use (the rest: a heuristic schedule if it stops)."""


@dataclass
class TardinessCertificate:
    """What :func:`solve_exact_tardiness` proved.

    ``optimum`` is the optimal objective when ``proven`` (else None);
    ``lower_bound`` a proven lower bound on it (the optimum when proven);
    ``sequence`` the task indices in processing order of the best schedule
    found (optimal when proven; :func:`to_solution` makes it a ``Solution``),
    ``upper_bound`` its objective; ``nodes`` the search states (or
    subgradient steps plus states) it took, ``seconds`` the wall time,
    ``method`` what proved it.
    """

    optimum: int | None
    lower_bound: int
    sequence: list[int] | None
    proven: bool
    nodes: int
    seconds: float
    method: str
    upper_bound: int | None = None


def _unweighted(
    core: TardinessInstance, deadline: Deadline, time_limit: float | None
) -> tuple[list[int], int, int, bool, int, str]:
    """(order, cost, bound, proven, nodes, method) for equal weights."""
    p, d = core.processing, core.due
    lawler = Deadline(None if time_limit is None else LAWLER_SHARE * time_limit)
    try:
        found = solve_unweighted(p, d, lawler)
    except OutOfTime:
        order, cost = heuristic_order(p, d, [1] * len(p), deadline=deadline)
        return order, cost, min(cost, pairing_bound(p, d)), False, 0, "Lawler decomposition (out of time)"
    return found.order, found.value, found.value, True, found.states, "Lawler decomposition"


def solve_exact_tardiness(problem: ProblemData, time_limit: float | None = None) -> TardinessCertificate:
    """Prove the optimum of a ``1 || sum w_j T_j`` problem (see the module docstring).

    Raises :class:`UnsupportedTardiness` (a ``ValueError``) naming the first
    construct that is not a plain single-machine tardiness problem (releases,
    precedences, optional tasks, several machines, another objective...).
    """
    started = time.perf_counter()
    core = tardiness_instance(problem)
    deadline = Deadline(time_limit)
    order: list[int]
    if core.size == 0:
        order, cost, bound, proven, nodes, method = [], 0, 0, True, 0, "no job can be tardy"
    elif core.unweighted:
        order, cost, bound, proven, nodes, method = _unweighted(core, deadline, time_limit)
    else:
        found = solve_weighted(core.processing, core.due, core.weight, deadline)
        order, cost, bound, proven, nodes, method = (
            found.order,
            found.cost,
            found.bound,
            found.proven,
            found.nodes,
            found.method,
        )
    value = core.objective(cost)
    return TardinessCertificate(
        optimum=value if proven else None,
        lower_bound=value if proven else core.objective(bound),
        sequence=core.task_sequence(order),
        proven=proven,
        nodes=nodes,
        seconds=time.perf_counter() - started,
        method=method,
        upper_bound=value,
    )


def exact_tardiness_bound(problem: ProblemData, time_limit: float | None = None) -> Bound | None:
    """``certify()`` source: the proven lower bound of :func:`solve_exact_tardiness` (None if not applicable)."""
    started = time.perf_counter()
    try:
        certificate = solve_exact_tardiness(problem, time_limit)
    except UnsupportedTardiness:
        return None
    detail = f"{certificate.method}: " + (
        "optimum proven" if certificate.proven else f"best schedule {certificate.upper_bound}, not proven"
    )
    return Bound(certificate.lower_bound, SOURCE, detail, time.perf_counter() - started, certificate.proven)
