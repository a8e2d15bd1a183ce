"""``tardiness_assignment``: jobs on one machine assigned to completion positions.

Let J be a set of forced tasks that run one at a time (:mod:`.disjunctive`),
p_j their minimum durations, t0 the smallest head of a start in J and
``avail`` the machine's availability. In any feasible schedule, order J by
completion; the job j completing k-th shares ``[t0, C_j]`` with the k - 1
jobs completing before it, all processed disjointly in available time, so

    C_j >= c(j, k) = max(head(E_j), reach(t0, p_j + sum of the k - 1 smallest p_i, i in J - {j}))

(``reach`` = first time the available time from t0 reaches that amount,
t0 + amount without downtime). Tardiness ``w_j max(0, C_j - d_j)`` is
nondecreasing in C_j, so the cheapest assignment of jobs to positions with
costs ``w_j max(0, c(j, k) - d_j)`` (for jobs of the term's subset with a due
date; 0 for the others, which still take their positions) is a lower bound
on their total weighted tardiness: the actual completion order is one
assignment (``scipy.optimize.linear_sum_assignment``). Forced tasks of the
subset outside J add their own ``w max(0, head(E) - d)``; optional tasks add
>= 0. The bound is the largest over the disjunctive sets.
"""

from __future__ import annotations

import numpy as np

from schedkit.models import ProblemData, Term, TermKind
from schedkit.solvers.bounds.bound import Bound, TermBound, lower_bound_source
from schedkit.solvers.bounds.disjunctive import DisjunctiveSet, disjunctive_sets
from schedkit.solvers.bounds.tardiness_trivial import due_tasks, earliest_tardiness
from schedkit.solvers.bounds.temporal import Heads, network

MAX_JOBS = 600
"""Larger disjunctive sets are skipped (the assignment is cubic)."""


def _assignment(problem: ProblemData, found: Heads, group: DisjunctiveSet, subset: set[int]) -> int | None:
    """The cheapest assignment, or None when the jobs can never all complete (infeasible problem)."""
    facts = network(problem).facts
    jobs = list(group.tasks)
    n = len(jobs)
    p = np.array([facts.dmin[j] for j in jobs], dtype=np.int64)
    order = np.argsort(p, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    prefix = np.concatenate(([0], np.cumsum(p[order])))  # prefix[k] = sum of the k smallest
    t0 = min(found.start(j) for j in jobs)
    positions = np.arange(1, n + 1)
    profile = group.availability
    if profile.reach(t0, int(prefix[-1])) is None:
        return None
    steady = not profile.windows and profile.base == 1
    reach: dict[int, int] = {}
    cost = np.zeros((n, n), dtype=np.int64)
    for row, j in enumerate(jobs):
        task = problem.tasks[j]
        if j not in subset or task.due_date is None or task.weight == 0:
            continue
        # p_j + the k - 1 smallest of the others: the k smallest if j is among them, else k - 1 smallest + p_j
        work = np.where(rank[row] < positions, prefix[positions], prefix[positions - 1] + p[row])
        if steady:
            completion = t0 + work
        else:
            for amount in work.tolist():
                if amount not in reach:
                    at = profile.reach(t0, amount)
                    assert at is not None  # amount <= prefix[-1], whose end was reachable
                    reach[amount] = at
            completion = np.array([reach[amount] for amount in work.tolist()], dtype=np.int64)
        completion = np.maximum(completion, found.end(j))
        cost[row] = task.weight * np.maximum(0, completion - task.due_date)
    from scipy.optimize import linear_sum_assignment  # scipy.optimize costs 0.3 s to import: only when used

    rows, cols = linear_sum_assignment(cost)
    return int(cost[rows, cols].sum())


def assignment_bound(problem: ProblemData, term: Term) -> TermBound | None:
    """Lower bound on a total weighted tardiness term (see the module docstring)."""
    context = due_tasks(problem, term)
    if context is None:
        return None
    found, facts, subset, due = context
    best: TermBound | None = None
    for group in disjunctive_sets(problem):
        inside = set(group.tasks)
        if not inside & set(due) or len(group.tasks) > MAX_JOBS:
            continue
        value = _assignment(problem, found, group, subset)
        if value is None:
            return None
        value += earliest_tardiness(problem, found, (j for j in due if j not in inside))
        if best is None or value > best[0]:
            name = problem.resources[group.resource].name
            best = (value, f"assignment of {len(group.tasks)} jobs on {name} to completion positions")
    return best


def tardiness_assignment(problem: ProblemData) -> Bound | None:
    """Level 0 with a total weighted tardiness term: the assignment bound (see the module docstring)."""
    return lower_bound_source(problem, "tardiness_assignment", TermKind.TOTAL_WEIGHTED_TARDINESS, assignment_bound)
