"""The serial and parallel schedule-generation schemes (Kelley 1963; Kolisch 1996).

Both build a schedule one activity at a time from a priority key per activity
(smaller first, ties to the lower index). An activity is *eligible* once all
its predecessors are scheduled; its earliest precedence-feasible start is
``ES_i = max(r_i, max over predecessors h of (S_h + p_h + l_hi))``.

Serial SGS (activity-incremented): n stages; at each, the eligible activity
with the best key starts at the earliest ``t >= ES_i`` where it fits the
resource profile over ``[t, t + p_i)``. Generates active schedules.

Parallel SGS (time-incremented): a decision time t, starting at the smallest
ES; at t, the eligible activities with ``ES_i <= t`` are taken in key order and
each one that fits over ``[t, t + p_i)`` starts at t (the whole interval is
checked, so capacity drops of a calendar later on count). Then t moves to the
next time something can change: the next breakpoint of the profile (an
activity's end, a calendar window bound) or the next ES of an eligible
activity. Generates non-delay schedules (without calendars).

Both raise ``ValueError`` when an activity can never fit (a demand above every
capacity the resource offers from its ES on).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from schedkit.heuristics.rcpsp.profile import Profile
from schedkit.heuristics.rcpsp.project import Project, ProjectError


def _never_fits(project: Project, i: int) -> ProjectError:
    return ProjectError(
        f"activity #{i} (duration {project.duration[i]}, demands {dict(project.demand[i])} on resource slots) "
        "never fits the capacity profile"
    )


def earliest_start(project: Project, i: int, start: Sequence[int | None]) -> int:
    """``ES_i`` given the starts of i's predecessors (all scheduled)."""
    es = project.release[i]
    duration = project.duration
    for h, lag in project.preds[i]:
        before = start[h]
        if before is None:
            raise RuntimeError(f"activity #{i} is placed before its predecessor #{h}")
        value = before + duration[h] + lag
        if value > es:
            es = value
    return es


def all_placed(start: Sequence[int | None]) -> list[int]:
    """``start`` once every activity has one (a scheme places them all: the precedences are acyclic)."""
    placed: list[int] = []
    for i, s in enumerate(start):
        if s is None:
            raise RuntimeError(f"activity #{i} was never placed")
        placed.append(s)
    return placed


def serial(project: Project, keys: Sequence[float]) -> list[int]:
    """Starts of the serial SGS with priority ``keys``."""
    n = project.num_tasks
    profile = Profile(project.capacity, project.calendar)
    start: list[int | None] = [None] * n
    missing = [len(p) for p in project.preds]
    heap = [(keys[i], i) for i in range(n) if missing[i] == 0]
    heapq.heapify(heap)
    duration = project.duration
    demand = project.demand
    while heap:
        _, i = heapq.heappop(heap)
        s = profile.earliest(earliest_start(project, i, start), duration[i], demand[i])
        if s is None:
            raise _never_fits(project, i)
        profile.reserve(s, duration[i], demand[i])
        start[i] = s
        for j, _ in project.succs[i]:
            missing[j] -= 1
            if missing[j] == 0:
                heapq.heappush(heap, (keys[j], j))
    return all_placed(start)


def parallel(project: Project, keys: Sequence[float]) -> list[int]:
    """Starts of the parallel SGS with priority ``keys``."""
    n = project.num_tasks
    profile = Profile(project.capacity, project.calendar)
    start: list[int | None] = [None] * n
    missing = [len(p) for p in project.preds]
    es = [0] * n
    eligible: list[int] = []
    for i in range(n):
        if missing[i] == 0:
            es[i] = project.release[i]
            eligible.append(i)
    duration = project.duration
    demand = project.demand
    done = 0
    t = min((es[i] for i in eligible), default=0)
    while done < n:
        changed = True
        while changed:  # a zero-duration activity may make a successor eligible at t itself
            changed = False
            candidates = sorted((i for i in eligible if es[i] <= t), key=lambda i: (keys[i], i))
            for i in candidates:
                if not profile.fits(t, duration[i], demand[i]):
                    continue  # it fits even less once more is placed at t
                profile.reserve(t, duration[i], demand[i])
                start[i] = t
                eligible.remove(i)
                done += 1
                for j, _ in project.succs[i]:
                    missing[j] -= 1
                    if missing[j] == 0:
                        es[j] = earliest_start(project, j, start)
                        eligible.append(j)
                        changed = changed or es[j] <= t
                if changed:
                    break  # re-rank with the newly eligible activities
        if done == n:
            break
        later = [es[i] for i in eligible if es[i] > t]
        change = profile.next_change(t)
        if change is not None:
            later.append(change)
        if not later:
            raise _never_fits(project, min(eligible, key=lambda i: (keys[i], i)))
        t = min(later)
    return all_placed(start)
