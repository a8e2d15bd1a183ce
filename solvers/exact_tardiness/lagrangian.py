"""The Lagrangian bound of the time-indexed formulation with adjacent-pair dominance (SSDP's first stage).

Let ``T = sum p_j`` and ``f_j(t) = w_j max(0, t - d_j)``. A schedule without
idle time is a path from 0 to T whose arcs ``(t - p_j, t)`` are jobs; drop the
constraint that every job appears exactly once, price it with multipliers
``mu_j`` instead, and the cheapest path with arc costs ``f_j(t) - mu_j`` plus
``sum_j mu_j`` is a lower bound for every ``mu`` (the optimal schedule is one
such path and pays exactly ``sum mu``). This is the relaxation of Tanaka,
Fujikuma & Araki (2009, "An exact algorithm for single-machine scheduling
without machine idle time", J. Scheduling 12), after Abdul-Razaq & Potts
(1988); the dual ``max_mu`` is approached by subgradient steps ``mu_j +=
step (UB - L) / ||g||^2 g_j`` with ``g_j = 1 - (times j is on the path)``.

Adjacent pairs. The path's state is ``(t, last job)`` so that it cannot run a
job twice in a row, nor run i then j (j ending at t) when the interchange is
cheaper: ``f_i(t - p_j) + f_j(t) > f_j(t - p_i) + f_i(t)``, or equally cheap
and ``i > j``. Every optimal schedule avoids the first case; the
lexicographically smallest optimal sequence also avoids the second (swapping
such a pair would give a smaller optimal one). So the bound stays valid, and
much stronger than without states: on OR-Library wt40 its dual optimum
equals the optimum for most instances.

Exact arithmetic: multipliers are kept on a grid of ``1 / 1024``; with integer
costs every sum the dynamic programs form is then a float64 value computed
without rounding (the magnitudes stay far below ``2**43``), so ``ceil`` of the
path value is a proven bound.

The backward values ``G[t, i]`` (the cheapest relaxed completion from time t
after job i) also bound every partial schedule: see :mod:`.subset_dp`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from schedkit.solvers.exact_tardiness.deadline import Deadline

INF = 1e30
GRID = 1024.0
MAX_CELLS = 40_000_000
"""Largest ``T * n * n`` (the adjacency tables) the relaxation is built for."""

_Follow = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""At one end time t: the jobs that can follow another, their predecessors' end, their rows of ``allowed``, 0..k-1."""


def relaxation_fits(p: Sequence[int]) -> bool:
    """Whether the adjacency tables of an instance with processing times ``p`` stay within :data:`MAX_CELLS`."""
    return sum(p) * len(p) * len(p) <= MAX_CELLS


@dataclass
class LagrangianBound:
    """The best multipliers found, their bound, and the relaxed path (job order, with repeats) they gave."""

    bound: int
    multipliers: np.ndarray
    path: list[int]
    iterations: int


class AdjacentRelaxation:
    """The time-indexed relaxation with ``(t, last job)`` states of a ``1 || sum w_j T_j`` instance.

    Job numbers are the tie-breaking order of the adjacency rule: callers that
    add other dominance rules must use the same numbering.
    """

    def __init__(self, p: Sequence[int], d: Sequence[int], w: Sequence[int]) -> None:
        self.p = np.asarray(p, dtype=np.int64)
        self.n = n = len(p)
        self.horizon = horizon = int(self.p.sum())
        times = np.arange(horizon + 1, dtype=np.int64)
        due, weight = np.asarray(d, dtype=np.int64), np.asarray(w, dtype=np.int64)
        self.cost = weight[:, None] * np.maximum(0, times[None, :] - due[:, None])  # cost[j, t] = f_j(t)
        labels = np.arange(n)
        # row[t, j]: the row of `allowed` holding the predecessors i of j when j ends at t (-1: j cannot follow)
        self.row = np.full((horizon + 1, n), -1, dtype=np.int64)
        blocks = []
        rows = 0
        for t in range(1, horizon + 1):
            prev = t - self.p
            jobs = np.nonzero(prev > 0)[0]
            if not len(jobs):
                continue
            before = prev[jobs]
            ij = self.cost[:, before].T + self.cost[jobs, t][:, None]  # i then j: f_i(t - p_j) + f_j(t)
            ji = self.cost[jobs][:, np.clip(t - self.p, 0, horizon)] + self.cost[:, t][None, :]  # f_j(t - p_i) + f_i(t)
            ok = (ij < ji) | ((ij == ji) & (labels[None, :] < jobs[:, None]))
            ok &= before[:, None] >= self.p[None, :]
            ok[np.arange(len(jobs)), jobs] = False
            self.row[t, jobs] = np.arange(rows, rows + len(jobs))
            rows += len(jobs)
            blocks.append(ok)
        self.allowed = np.concatenate(blocks) if blocks else np.zeros((0, n), dtype=bool)
        self.first = [np.nonzero(t - self.p == 0)[0] for t in range(horizon + 1)]
        # per end time t: the jobs that can follow another, their predecessors' end, their rows of `allowed`
        self.steps: list[tuple[int, np.ndarray, _Follow | None]] = []
        for t in range(1, horizon + 1):
            jobs = np.nonzero(self.row[t] >= 0)[0]
            if len(jobs):
                start = int(self.row[t, jobs[0]])
                mask = self.allowed[start : start + len(jobs)]
                self.steps.append((t, self.first[t], (jobs, t - self.p[jobs], mask, np.arange(len(jobs)))))
            else:
                self.steps.append((t, self.first[t], None))

    def forward(self, mu: np.ndarray) -> tuple[float, list[int]]:
        """The relaxed optimum ``min path + sum mu`` and its path (jobs in order)."""
        n, horizon, p = self.n, self.horizon, self.p
        price = (self.cost - mu[:, None]).T.copy()  # price[t, j]
        value = np.full((horizon + 1, n), INF)
        came = np.full((horizon + 1, n), -1, dtype=np.int64)
        for t, first, follow in self.steps:
            if len(first):
                value[t, first] = price[t, first]
            if follow is not None:
                jobs, before, mask, rows = follow
                options = np.where(mask, value[before], INF)
                best = options.argmin(axis=1)
                value[t, jobs] = options[rows, best] + price[t, jobs]  # unreachable states stay near INF
                came[t, jobs] = best
        j = int(value[horizon].argmin())
        total = float(value[horizon, j]) + float(mu.sum())
        path = []
        t = horizon
        while j >= 0:
            path.append(j)
            j, t = int(came[t, j]), t - int(p[j])
        path.reverse()
        return total, path

    def backward(self, mu: np.ndarray) -> np.ndarray:
        """``G[t, i]``: the cheapest relaxed path from time t to T after job i (prices ``f - mu``; INF if none)."""
        n, horizon, p = self.n, self.horizon, self.p
        price = self.cost - mu[:, None]
        value = np.full((horizon + 1, n), INF)
        value[horizon, :] = 0.0
        jobs_all = np.arange(n)
        for t in range(horizon - 1, 0, -1):
            end = t + p
            fits = end <= horizon
            jobs = jobs_all[fits]
            ends = end[fits]
            rows = self.row[ends, jobs]
            usable = rows >= 0
            jobs, ends, rows = jobs[usable], ends[usable], rows[usable]
            if not len(jobs):
                continue
            tail = price[jobs, ends] + value[ends, jobs]
            value[t] = np.where(self.allowed[rows], tail[:, None], INF).min(axis=0)
        return value

    def bound(
        self,
        upper: int,
        deadline: Deadline,
        iterations: int = 400,
        mu: np.ndarray | None = None,
    ) -> LagrangianBound:
        """Subgradient optimisation of the multipliers toward the target ``upper`` (stops once the bound reaches it)."""
        mu = np.zeros(self.n) if mu is None else np.round(mu * GRID) / GRID
        best = LagrangianBound(-(1 << 62), mu.copy(), [], 0)
        best_value = -math.inf
        step, stall = 2.0, 0
        for iteration in range(1, iterations + 1):
            value, path = self.forward(mu)
            best.iterations = iteration
            if value > best_value:
                best_value, stall = value, 0
                best.bound, best.multipliers, best.path = math.ceil(value), mu.copy(), path
            else:
                stall += 1
            if best.bound >= upper or deadline.expired():
                break
            gradient = 1.0 - np.bincount(path, minlength=self.n)
            norm = float(gradient @ gradient)
            if norm == 0.0:
                break  # every job once: the path is a schedule, optimal for the relaxation and so for the problem
            if stall >= 20:
                step, stall = step * 0.7, 0
                if step < 1e-4:
                    break
            mu = np.round((mu + step * max(1.0, upper - value) / norm * gradient) * GRID) / GRID
        return best
