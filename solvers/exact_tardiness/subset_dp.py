"""Exact ``1 || sum w_j T_j`` for a few dozen jobs: dynamic programming over job sets, pruned by the Lagrangian bound.

States are ``(S, last)``: the set S of jobs run first (from 0 to ``P(S)``) and
the last of them; ``F(S, last)`` is the least cost of such a prefix. Both the
cost of the remaining jobs and the set of their feasible orders depend only
on ``(S, last)``, so keeping the cheapest prefix per state is exact. The
states are generated level by level (``|S| = 0, 1, ..., n``), vectorised with
NumPy (S is a 64-bit mask, so ``n <= 63``).

Pruning. Any completion of ``(S, last)`` is a relaxed path of
:mod:`.lagrangian` from ``(P(S), last)`` to T that pays ``mu`` for exactly the
jobs outside S, so its cost is at least ``G[P(S), last] + sum_{j not in S}
mu_j`` (``G`` = backward values for the multipliers). A state whose ``F + G +
mu(rest)`` exceeds ``UB - 1`` cannot lead to a schedule cheaper than the
incumbent UB and is dropped. The transitions obey the adjacent-pair rule of
the relaxation and the pairwise dominance of Shwimer (1972) and Rinnooy Kan,
Lageweg & Lenstra (1975): if ``p_i <= p_j``, ``w_i >= w_j`` and ``d_i <= d_j``
then moving i in front of j never costs more (j's tardiness grows by less
than i's shrinks, and the jobs in between move earlier). With jobs numbered
in increasing ``(p, -w, d)`` such an i has the smaller number, so the
lexicographically smallest optimal sequence obeys both rules and every prefix
of it survives as long as it is cheaper than UB.

Outcome: the least complete state is optimal if it beats UB; if no state
survives, UB is optimal. Stopped early (time or memory), the least bound over
the last complete level is still a valid lower bound: every schedule has a
prefix in that level or was pruned at a bound >= UB.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from schedkit.solvers.exact_tardiness.deadline import Deadline
from schedkit.solvers.exact_tardiness.lagrangian import AdjacentRelaxation

MAX_STATES = 4_000_000
"""Largest level kept in memory (the search gives up beyond it)."""


@dataclass
class SubsetResult:
    """The outcome of :func:`subset_search`.

    ``order`` is an optimal order cheaper than the incumbent (None if the
    incumbent is optimal or the search stopped); ``bound`` a proven lower
    bound (the optimum when ``proven``).
    """

    proven: bool
    bound: int
    order: list[int] | None
    states: int


def dominance_masks(p: Sequence[int], d: Sequence[int], w: Sequence[int]) -> list[int]:
    """``masks[j]``: the jobs ``i < j`` with ``p_i <= p_j``, ``w_i >= w_j``, ``d_i <= d_j`` (they precede j)."""
    n = len(p)
    masks = []
    for j in range(n):
        mask = 0
        for i in range(j):
            if p[i] <= p[j] and w[i] >= w[j] and d[i] <= d[j]:
                mask |= 1 << i
        masks.append(mask)
    return masks


def subset_search(
    relaxation: AdjacentRelaxation,
    multipliers: np.ndarray,
    upper: int,
    precede: Sequence[int],
    deadline: Deadline,
) -> SubsetResult:
    """Search all orders cheaper than ``upper`` (see the module docstring)."""
    n = relaxation.n
    if n > 63:
        raise ValueError("the subset search handles at most 63 jobs")
    p = relaxation.p
    cost = relaxation.cost
    rest_value = relaxation.backward(multipliers)
    mu = multipliers
    need = np.array(precede, dtype=np.uint64)
    limit = upper - 1  # a prefix is kept while its bound is <= upper - 1
    # level 0: the empty prefix
    mask = np.zeros(1, dtype=np.uint64)
    last = np.full(1, -1, dtype=np.int64)
    time = np.zeros(1, dtype=np.int64)
    paid = np.zeros(1, dtype=np.int64)
    rest_mu = np.full(1, float(mu.sum()))
    history: list[tuple[np.ndarray, np.ndarray]] = []
    states = 0
    bound = -(1 << 62)  # no level complete yet: the caller's own bound stands
    for _level in range(n):
        level_low = math.inf
        pieces = []
        for j in range(n):
            if deadline.expired():
                return SubsetResult(False, bound, None, states)
            bit = np.uint64(1 << j)
            ok = ((mask & bit) == 0) & ((mask & need[j]) == need[j])
            idx = np.nonzero(ok)[0]
            if not len(idx):
                continue
            end = time[idx] + p[j]
            prev = last[idx]
            rows = relaxation.row[end, j]
            follows = prev < 0
            if (~follows).any():
                has = ~follows & (rows >= 0)
                follows[has] = relaxation.allowed[rows[has], prev[has]]
            idx, end = idx[follows], end[follows]
            if not len(idx):
                continue
            new_paid = paid[idx] + cost[j, end]
            new_rest = rest_mu[idx] - mu[j]
            low = new_paid + rest_value[end, j] + new_rest
            keep = low <= limit
            if not keep.any():
                continue
            level_low = min(level_low, float(low[keep].min()))
            pieces.append((idx[keep], j, end[keep], new_paid[keep], new_rest[keep]))
        if not pieces:
            return SubsetResult(True, upper, None, states)
        parent = np.concatenate([piece[0] for piece in pieces])
        job = np.concatenate([np.full(len(piece[0]), piece[1], dtype=np.int64) for piece in pieces])
        new_mask = mask[parent] | (np.uint64(1) << job.astype(np.uint64))
        new_time = np.concatenate([piece[2] for piece in pieces])
        new_paid = np.concatenate([piece[3] for piece in pieces])
        new_rest = np.concatenate([piece[4] for piece in pieces])
        order = np.lexsort((new_paid, job, new_mask))  # by state, cheapest first
        new_mask, job = new_mask[order], job[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (new_mask[1:] != new_mask[:-1]) | (job[1:] != job[:-1])
        chosen = order[first]
        mask, last = new_mask[first], job[first]
        time, paid, rest_mu, parent = new_time[chosen], new_paid[chosen], new_rest[chosen], parent[chosen]
        history.append((parent.astype(np.int32), last.astype(np.int8)))
        states += len(mask)
        bound = min(upper, math.ceil(level_low))
        if len(mask) > MAX_STATES:
            return SubsetResult(False, bound, None, states)
    # level n: every job once, the prefix is a whole schedule of cost paid <= upper - 1
    best = int(np.argmin(paid))
    value = int(paid[best])
    sequence = []
    at = best
    for parent, jobs in reversed(history):
        sequence.append(int(jobs[at]))
        at = int(parent[at])
    sequence.reverse()
    return SubsetResult(True, value, sequence, states)
