"""``tardiness_wspt``: tardiness is at least lateness, and Smith's rule minimises weighted completion.

Let J be a set of forced tasks that run one at a time (:mod:`.disjunctive`),
p_j their minimum durations and t0 the smallest head of a start in J. For any
subset S of the due-dated jobs of J in the term's subset, ``T_j >= C_j - d_j``
on S and ``T_j >= 0`` elsewhere, so

    TWT >= min_schedules sum_{j in S} w_j C_j - sum_{j in S} w_j d_j >= f(S),
    f(S) = sum_{j in S} w_j (t0 + sum_{i in S, i <= j} p_i - d_j),

where ``i <= j`` is a WSPT order (p/w ascending): in any schedule the jobs of S
complete no earlier than back to back from t0, and Smith's rule orders them
optimally for ``sum w_j C_j``. Since f is a linear term plus products
``w_j p_i x_i x_j`` with nonnegative coefficients (supermodular), its
maximum over all S is a maximum-weight closure: with a node per job (weight
``w_j (t0 + p_j - d_j)``) and a node per ordered pair (weight ``w_j p_i``,
requiring both jobs), the best S is found by one minimum cut
(``scipy.sparse.csgraph.maximum_flow``) for up to ``MAX_EXACT`` jobs; beyond
that, or if the capacities do not fit 32 bits, the best prefix of a few job
orders is used (still a valid S). Forced due-dated tasks of the subset
outside J add ``w max(0, head(E) - d)``. The bound is the largest over the
disjunctive sets (and at least 0).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from schedkit.models import ProblemData, Term, TermKind
from schedkit.solvers.bounds.bound import Bound, TermBound, lower_bound_source
from schedkit.solvers.bounds.disjunctive import disjunctive_sets
from schedkit.solvers.bounds.tardiness_trivial import due_tasks, earliest_tardiness

MAX_EXACT = 300
"""Largest number of jobs for the exact (minimum cut) choice of S."""
_INT32 = 2**31 - 1


def _wspt_value(jobs: list[tuple[int, int, int]], t0: int) -> int:
    """f(S) for jobs ``(p, w, d)`` of S."""
    t = t0
    total = 0
    for p, w, d in sorted(jobs, key=lambda job: (job[0] * 1.0 / job[1]) if job[1] else float("inf")):
        t += p
        total += w * (t - d)
    return total


def _best_prefix(jobs: list[tuple[int, int, int]], t0: int) -> int:
    """The largest f(S) over the prefixes of a few orders (due date, slack, weighted due date, WSPT)."""
    best = 0
    orders = [
        lambda job: job[2],
        lambda job: job[2] - job[0],
        lambda job: job[2] / job[1],
        lambda job: job[0] / job[1],
    ]
    for key in orders:
        ordered = sorted(jobs, key=key)
        for k in range(1, len(ordered) + 1):
            best = max(best, _wspt_value(ordered[:k], t0))
    return best


def _best_subset(jobs: list[tuple[int, int, int]], t0: int) -> int:
    """The largest f(S) over all S (the empty S gives 0): exact by minimum cut when small enough."""
    n = len(jobs)
    if n > MAX_EXACT:
        return _best_prefix(jobs, t0)
    order = sorted(range(n), key=lambda j: jobs[j][0] / jobs[j][1])
    source, sink = n, n + 1
    rows: list[int] = []
    cols: list[int] = []
    caps: list[int] = []
    gain = 0
    for j, (p, w, d) in enumerate(jobs):
        weight = w * (t0 + p - d)
        if weight > 0:
            rows.append(source)
            cols.append(j)
            caps.append(weight)
            gain += weight
        elif weight < 0:
            rows.append(j)
            cols.append(sink)
            caps.append(-weight)
    pairs: list[tuple[int, int, int]] = []
    for a in range(n):
        i = order[a]
        for b in range(a + 1, n):
            j = order[b]
            weight = jobs[j][1] * jobs[i][0]
            if weight > 0:
                pairs.append((i, j, weight))
                gain += weight
    if gain >= _INT32:
        return _best_prefix(jobs, t0)
    infinite = gain + 1
    for index, (i, j, weight) in enumerate(pairs):
        node = n + 2 + index
        rows += [source, node, node]
        cols += [node, i, j]
        caps += [weight, infinite, infinite]
    size = n + 2 + len(pairs)
    graph = csr_matrix((np.array(caps, dtype=np.int32), (rows, cols)), shape=(size, size))
    graph.sum_duplicates()
    cut = maximum_flow(graph, source, sink).flow_value
    return max(0, gain - int(cut))


def wspt_bound(problem: ProblemData, term: Term) -> TermBound | None:
    """Lower bound on a total weighted tardiness term (see the module docstring)."""
    context = due_tasks(problem, term)
    if context is None:
        return None
    found, facts, members, due = context
    best: TermBound | None = None
    for group in disjunctive_sets(problem):
        inside = set(group.tasks)
        chosen = [j for j in due if j in inside]
        if not chosen:
            continue
        t0 = min(found.start(j) for j in group.tasks)
        jobs = [(facts.dmin[j], problem.tasks[j].weight, due[j]) for j in chosen]
        value = _best_subset(jobs, t0)
        value += earliest_tardiness(problem, found, (j for j in due if j not in inside))
        if best is None or value > best[0]:
            name = problem.resources[group.resource].name
            best = (value, f"best lateness subset of {len(chosen)} jobs on {name} in WSPT order")
    return best


def tardiness_wspt(problem: ProblemData) -> Bound | None:
    """Level 0 with a total weighted tardiness term: the WSPT lateness bound (see the module docstring)."""
    return lower_bound_source(problem, "tardiness_wspt", TermKind.TOTAL_WEIGHTED_TARDINESS, wspt_bound)
