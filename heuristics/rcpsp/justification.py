"""Forward-backward improvement: double justification of a feasible schedule.

Sources: V. Valls, F. Ballestín & S. Quintanilla (2005), "Justification and
RCPSP: a technique that pays", EJOR 165(2), 375-386; P. Tormos & A. Lova (2001),
"A competitive heuristic solution technique for resource-constrained project
scheduling", Annals of OR 102, 65-81 (the forward-backward improvement, FBI).

Given a feasible schedule S with makespan ``T = max_i (S_i + p_i)``:

*Right justification* (backward pass): take the activities by non-increasing
end ``E_i`` (ties: later in topological order first) and give each the latest
start ``S'_i`` with ``S'_i + p_i <= min(T, min_{j in S_i} (S'_j - l_ij))`` at which
it fits the profile of the activities already moved. Every activity moves right
or stays (``S'_i >= S_i``): the activities already moved ran, before moving, at
every time of ``[S_i, E_i)`` they cover now, so i's old place is still free.
Releases hold because ``S'_i >= S_i >= r_i``; calendars are the same profile.

*Left justification* (forward pass): take the activities by non-decreasing
``S'_i`` (ties: topological order) and give each the earliest start
``S''_i >= max(r_i, max_h (S''_h + p_h + l_hi))`` that fits (a serial SGS with
the priority ``S'``). By the mirror argument ``S''_i <= S'_i``, so the makespan
never grows.

:func:`improve` repeats the double justification while the makespan
strictly decreases and returns the best schedule met (the makespan measures
the gain, whatever the problem's objective).
"""

from __future__ import annotations

from collections.abc import Sequence

from schedkit.heuristics.rcpsp.profile import Profile
from schedkit.heuristics.rcpsp.project import Project
from schedkit.heuristics.rcpsp.schemes import all_placed, earliest_start


def makespan(project: Project, start: Sequence[int]) -> int:
    """``max_i (S_i + p_i)`` (0 for an empty project)."""
    return max((s + d for s, d in zip(start, project.duration)), default=0)


def right_justify(project: Project, start: Sequence[int]) -> list[int] | None:
    """The backward pass: every activity as late as possible without passing the makespan."""
    n = project.num_tasks
    duration = project.duration
    demand = project.demand
    rank = [0] * n
    for position, i in enumerate(project.topo):
        rank[i] = position
    horizon = makespan(project, start)
    order = sorted(range(n), key=lambda i: (-(start[i] + duration[i]), -rank[i]))
    profile = Profile(project.capacity, project.calendar)
    moved: list[int | None] = [None] * n
    for i in order:
        finish_by = horizon
        for j, lag in project.succs[i]:
            after = moved[j]
            if after is None:  # cannot happen: a successor ends no earlier and comes later in topological order
                raise RuntimeError(f"activity #{i} is moved before its successor #{j}")
            bound = after - lag
            if bound < finish_by:
                finish_by = bound
        s = profile.latest(finish_by, duration[i], demand[i], project.release[i])
        if s is None:  # cannot happen for a feasible input (see the module docstring)
            return None
        profile.reserve(s, duration[i], demand[i])
        moved[i] = s
    return all_placed(moved)


def left_justify(project: Project, start: Sequence[int]) -> list[int] | None:
    """The forward pass: every activity as early as possible, taken by non-decreasing start."""
    n = project.num_tasks
    duration = project.duration
    demand = project.demand
    rank = [0] * n
    for position, i in enumerate(project.topo):
        rank[i] = position
    order = sorted(range(n), key=lambda i: (start[i], rank[i]))
    profile = Profile(project.capacity, project.calendar)
    moved: list[int | None] = [None] * n
    for i in order:
        s = profile.earliest(earliest_start(project, i, moved), duration[i], demand[i])
        if s is None:  # cannot happen for a feasible input
            return None
        profile.reserve(s, duration[i], demand[i])
        moved[i] = s
    return all_placed(moved)


def improve(project: Project, start: Sequence[int]) -> list[int]:
    """Double justification repeated while the makespan strictly decreases; the best schedule met."""
    best = list(start)
    best_makespan = makespan(project, best)
    while True:
        backward = right_justify(project, best)
        forward = left_justify(project, backward) if backward is not None else None
        if forward is None:
            return best
        value = makespan(project, forward)
        if value >= best_makespan:
            return best
        best, best_makespan = forward, value
