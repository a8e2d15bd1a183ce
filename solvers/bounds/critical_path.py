"""``critical_path``: the longest path through the forced tasks bounds the makespan and the schedule length.

For a makespan term over the subset T: the makespan is max_{i in P} E_i over
the present tasks P of T (0 when none), and every forced task k of T is in P,
so ``makespan >= max_{k forced in T} head(E_k)``, where head is the longest
path from the origin in the temporal network (:mod:`.temporal`: releases,
pinned starts, minimum durations, all four precedence types with their lags,
negative lags included, between forced tasks; cyclic problems use
``lag - distance * ii_max``, valid for every II). Optional tasks are left out
(they may be absent, and their precedences then vanish), as are deadlines
(they only cut schedules off).

For a schedule-length term (max E - min S over P): for forced i, k in T,
``max E - min S >= E_k - S_i >= longest path S_i -> E_k``.

A positive cycle proves the problem infeasible: nothing is claimed.
"""

from __future__ import annotations

from schedkit.models import ProblemData, Term, TermKind
from schedkit.solvers.bounds.bound import Bound, Side, TermBound, level_bound
from schedkit.solvers.bounds.temporal import end_node, heads, network, start_node

MAX_PAIRWISE = 300
"""Above this many forced tasks in a schedule-length term, only single tasks (dmin) are used."""


def _forced_members(problem: ProblemData, term: Term) -> list[int]:
    facts = network(problem).facts
    members = range(problem.num_tasks) if term.tasks is None else term.tasks
    return [i for i in members if facts.forced[i]]


def makespan_bound(problem: ProblemData, term: Term) -> TermBound | None:
    """Lower bound on a makespan term: the latest head of a forced end."""
    found = heads(problem)
    members = _forced_members(problem, term)
    if found is None or not members:
        return None
    last = max(members, key=found.end)
    path = network(problem).describe_path(found, end_node(last))
    return found.end(last), f"longest path {path} ends at {found.end(last)}"


def schedule_length_bound(problem: ProblemData, term: Term) -> TermBound | None:
    """Lower bound on a schedule-length term: the longest path S_i -> E_k over forced i, k of the subset."""
    members = _forced_members(problem, term)
    net = network(problem)
    if heads(problem) is None or not members:
        return None
    best, why = max((net.facts.dmin[k], f"duration of {problem.tasks[k].name}") for k in members)
    if len(members) > MAX_PAIRWISE:
        return best, why
    for i in members:
        dist = net.distances_from(start_node(i))
        if dist is None:
            return None
        for k in members:
            value = dist[end_node(k)]
            if value is not None and value > best:
                names = problem.tasks[i].name, problem.tasks[k].name
                best, why = value, "longest path from the start of {} to the end of {}".format(*names)
    return best, why


def critical_path(problem: ProblemData) -> Bound | None:
    """Level 0 with a makespan or schedule-length term: the critical path bound (see the module docstring)."""

    def improve(term: Term, side: Side) -> TermBound | None:
        if side is not Side.LOWER:
            return None
        if term.kind is TermKind.MAKESPAN:
            return makespan_bound(problem, term)
        if term.kind is TermKind.SCHEDULE_LENGTH:
            return schedule_length_bound(problem, term)
        return None

    return level_bound(problem, "critical_path", improve)
