"""Exact ``1 || sum w_j T_j``: heuristic upper bound, Lagrangian bound, then the pruned subset DP.

1. Jobs are renumbered in increasing ``(p, -w, d)`` so that the adjacency
   rule of :mod:`.lagrangian` and the dominance rule of :mod:`.subset_dp`
   break ties the same way (see there).
2. Upper bound UB: EDD and the weighted modified due date rule, each improved
   by iterated insertion search (:mod:`.heuristic`).
3. Lower bound: subgradient optimisation of the time-indexed Lagrangian
   relaxation with adjacent-pair states, stopped once ``ceil(L) >= UB``
   (which proves UB optimal). Its best relaxed path, ordered by the jobs'
   first completion and improved by insertion search, may lower UB.
4. Otherwise the subset DP searches every order cheaper than UB, pruned by
   the backward values of the best multipliers: it proves UB optimal or
   returns an optimal order.

When the relaxation's tables would be too large (``T n^2`` beyond
:data:`.lagrangian.MAX_CELLS`) or ``n > 63``, or time runs out, the result is
the best order found with the best bound proven so far.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from schedkit.solvers.exact_tardiness.deadline import Deadline
from schedkit.solvers.exact_tardiness.heuristic import heuristic_order, insertion_search, sequence_cost
from schedkit.solvers.exact_tardiness.lagrangian import AdjacentRelaxation, relaxation_fits
from schedkit.solvers.exact_tardiness.subset_dp import dominance_masks, subset_search

LR_ITERATIONS = 30
"""Subgradient steps before the subset DP takes over (fewer if the bound reaches UB first)."""


@dataclass
class WeightedResult:
    """Best order found (original job numbers), its cost, a proven lower bound, and the work done."""

    order: list[int]
    cost: int
    bound: int
    proven: bool
    nodes: int
    method: str


def _trivial_bound(p: Sequence[int], d: Sequence[int], w: Sequence[int]) -> int:
    """``sum_j w_j max(0, p_j - d_j)``: every job ends at p_j or later."""
    return sum(wj * max(0, pj - dj) for pj, dj, wj in zip(p, d, w))


def _path_order(path: Sequence[int], n: int, p: Sequence[int], d: Sequence[int]) -> list[int]:
    """Jobs ordered by their first completion on a relaxed path (jobs missing from it: by due date, after)."""
    finish: dict[int, int] = {}
    time = 0
    for j in path:
        time += p[j]
        finish.setdefault(j, time)
    return sorted(range(n), key=lambda j: (finish.get(j, d[j] + time), d[j], j))


def solve_weighted(
    p: Sequence[int], d: Sequence[int], w: Sequence[int], deadline: Deadline, ils_rounds: int = 20
) -> WeightedResult:
    """Minimise ``sum_j w_j max(0, C_j - d_j)`` (see the module docstring); job numbers as given."""
    n = len(p)
    label = sorted(range(n), key=lambda j: (p[j], -w[j], d[j], j))  # new number -> original job
    p_, d_, w_ = [p[j] for j in label], [d[j] for j in label], [w[j] for j in label]

    def result(order: list[int], bound: int, proven: bool, nodes: int, method: str) -> WeightedResult:
        cost = sequence_cost(p_, d_, w_, order)
        return WeightedResult([label[j] for j in order], cost, min(bound, cost), proven, nodes, method)

    order, upper = heuristic_order(p_, d_, w_, rounds=ils_rounds if n <= 100 else 0, deadline=deadline)
    bound = _trivial_bound(p_, d_, w_)
    if bound >= upper:
        return result(order, upper, True, 0, "heuristic meets the trivial bound")
    if deadline.expired():
        return result(order, bound, False, 0, "heuristic only (out of time)")
    if n > 63 or not relaxation_fits(p_):
        return result(order, bound, False, 0, "heuristic only (instance too large for the relaxation)")
    relaxation = AdjacentRelaxation(p_, d_, w_)
    lagrangian = relaxation.bound(upper, deadline, iterations=LR_ITERATIONS)
    bound = max(bound, lagrangian.bound)
    nodes = lagrangian.iterations
    candidate = insertion_search(p_, d_, w_, _path_order(lagrangian.path, n, p_, d_), deadline)
    if sequence_cost(p_, d_, w_, candidate) < upper:
        order, upper = candidate, sequence_cost(p_, d_, w_, candidate)
    if bound >= upper:
        return result(order, upper, True, nodes, "Lagrangian bound meets the upper bound")
    if deadline.expired():
        return result(order, bound, False, nodes, "Lagrangian bound (out of time)")
    search = subset_search(relaxation, lagrangian.multipliers, upper, dominance_masks(p_, d_, w_), deadline)
    nodes += search.states
    if search.proven:
        if search.order is not None:
            order = search.order
        return result(order, search.bound, True, nodes, "Lagrangian bound + subset DP")
    return result(order, max(bound, search.bound), False, nodes, "Lagrangian bound + subset DP (stopped)")
