"""Resource usage of a schedule as data: usage intervals, step profiles, lanes, bin loads.

The semantics are those of :mod:`schedkit.models.entities`: a present task in mode m
started at S uses each timed resource of a demand ``d`` of m over the half-open
interval ``[S + d.offset, S + d.offset + d.usage_length(duration))``; a usage
of length 0 occupies nothing; absent tasks use nothing. A resource's capacity
at time t is ``Resource.capacity_at(t)`` (calendar windows override the base
capacity; downtime is a window of capacity 0). Bin and consumable resources are
used by the ``amount`` of every present task whose mode demands them.

Nothing here imports matplotlib: :mod:`.gantt` draws what these functions compute.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from schedkit.models import ProblemData, ResourceKind, Solution


@dataclass(frozen=True)
class Usages:
    """Every timed usage of a schedule as parallel arrays (one entry per usage).

    ``task``, ``mode`` and ``resource`` are indices into the problem; a usage
    covers ``[start, end)`` with ``end > start`` and uses ``amount`` units.
    Entries are ordered by task, then by the demand order of the mode.
    """

    task: np.ndarray
    mode: np.ndarray
    resource: np.ndarray
    start: np.ndarray
    end: np.ndarray
    amount: np.ndarray

    def __len__(self) -> int:
        return int(self.task.size)

    def of_resource(self, resource: int) -> np.ndarray:
        """Indices of the usages of ``resource``."""
        return np.flatnonzero(self.resource == resource)


def _check_lengths(problem: ProblemData, solution: Solution) -> None:
    if len(solution.tasks) != problem.num_tasks:
        raise ValueError(f"the solution has {len(solution.tasks)} tasks, the problem {problem.num_tasks}")


def usages(problem: ProblemData, solution: Solution, kinds: tuple[ResourceKind, ...] | None = None) -> Usages:
    """The timed usages (unary, renewable, modulo resources) of ``solution``.

    ``kinds`` restricts the resource kinds (default: every timed kind). Absent
    tasks and usages of length 0 are skipped.
    """
    _check_lengths(problem, solution)
    wanted = {kind for kind in ResourceKind if kind.is_timed} if kinds is None else set(kinds)
    timed = [res.kind in wanted for res in problem.resources]
    rows: list[tuple[int, int, int, int, int, int]] = []
    for index, (task, assignment) in enumerate(zip(problem.tasks, solution.tasks)):
        if not assignment.present or assignment.start is None or assignment.mode is None:
            continue
        mode = task.modes[assignment.mode]
        for demand in mode.demands:
            if not timed[demand.resource]:
                continue
            length = demand.usage_length(mode.duration)
            if length <= 0:
                continue
            begin = assignment.start + demand.offset
            rows.append((index, assignment.mode, demand.resource, begin, begin + length, demand.amount))
    data = np.array(rows, dtype=np.int64).reshape(-1, 6)
    return Usages(*(data[:, column].copy() for column in range(6)))


def usage_profile(starts: np.ndarray, ends: np.ndarray, amounts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The step function ``t -> sum of amounts of the intervals [start, end) covering t``.

    Returns ``(times, levels)``: the sorted distinct breakpoints and, for each,
    the usage on ``[times[i], times[i + 1])``; the last level is the usage after
    the last breakpoint (0). Empty intervals contribute nothing; no intervals
    give empty arrays.
    """
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    amounts = np.asarray(amounts, dtype=np.int64)
    keep = ends > starts
    starts, ends, amounts = starts[keep], ends[keep], amounts[keep]
    if starts.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    points = np.concatenate([starts, ends])
    deltas = np.concatenate([amounts, -amounts])
    times, inverse = np.unique(points, return_inverse=True)
    change = np.zeros(times.size, dtype=np.int64)
    np.add.at(change, inverse, deltas)
    return times, np.cumsum(change)


def resource_usage(problem: ProblemData, solution: Solution, resource: int) -> tuple[np.ndarray, np.ndarray]:
    """The usage step profile of timed ``resource`` under ``solution`` (see :func:`usage_profile`)."""
    found = usages(problem, solution)
    chosen = found.of_resource(resource)
    return usage_profile(found.start[chosen], found.end[chosen], found.amount[chosen])


def capacity_profile(problem: ProblemData, resource: int, begin: int, end: int) -> tuple[np.ndarray, np.ndarray]:
    """The capacity step profile of ``resource`` on ``[begin, end)``, calendars included.

    Returns ``(times, levels)`` with ``times[0] == begin``, ``times[-1] == end``
    and ``levels[i]`` the capacity on ``[times[i], times[i + 1])`` (the last
    level repeats the one before, for step plots).
    """
    res = problem.resources[resource]
    if end <= begin:
        end = begin + 1
    cuts = {begin, end}
    for window in res.calendar:
        for point in (window.start, window.end):
            if begin < point < end:
                cuts.add(point)
    times = np.array(sorted(cuts), dtype=np.int64)
    levels = np.array([res.capacity_at(int(t)) for t in times[:-1]] + [res.capacity_at(int(times[-2]))])
    return times, levels


def downtime(problem: ProblemData, resource: int) -> list[tuple[int, int]]:
    """The calendar windows of ``resource`` with capacity 0, as ``(start, end)`` pairs."""
    return [(w.start, w.end) for w in problem.resources[resource].calendar if w.capacity == 0]


def modulo_usage(starts: np.ndarray, ends: np.ndarray, amounts: np.ndarray, ii: int) -> np.ndarray:
    """Usage per residue ``r`` in ``[0, ii)`` of intervals counted modulo ``ii`` (``modulo`` resources).

    ``result[r]`` sums the amounts of the intervals over the times t of each
    interval with ``t mod ii == r`` (an interval longer than ii covers a residue
    several times, and counts each time, as the checker does).
    """
    if ii < 1:
        raise ValueError(f"the initiation interval must be >= 1, got {ii}")
    result = np.zeros(ii, dtype=np.int64)
    for start, end, amount in zip(np.asarray(starts), np.asarray(ends), np.asarray(amounts)):
        length = int(end) - int(start)
        if length <= 0:
            continue
        full, rest = divmod(length, ii)
        result += full * int(amount)
        first = int(start) % ii
        for k in range(rest):
            result[(first + k) % ii] += int(amount)
    return result


def assign_lanes(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Lane of each interval: intervals in one lane never overlap; the lane count is minimal.

    Greedy interval partitioning by start time (ties: the earlier end first),
    reusing the lane that frees up first; returns an integer array aligned with
    the input.
    """
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    lanes = np.zeros(starts.size, dtype=np.int64)
    free: list[tuple[int, int]] = []  # (end time, lane) of the lanes in use
    spare: list[int] = []
    count = 0
    for index in np.lexsort((ends, starts)):
        start = int(starts[index])
        while free and free[0][0] <= start:
            heapq.heappush(spare, heapq.heappop(free)[1])
        if spare:
            lane = heapq.heappop(spare)
        else:
            lane, count = count, count + 1
        lanes[index] = lane
        heapq.heappush(free, (int(ends[index]), lane))
    return lanes


def bin_loads(problem: ProblemData, solution: Solution) -> list[tuple[int, int, int]]:
    """``(resource, load, capacity)`` of every bin and consumable resource under ``solution``.

    The load sums the demand amounts of the present tasks' chosen modes; the
    capacity is the largest the resource ever has (a consumable's final budget).
    """
    _check_lengths(problem, solution)
    indices = [i for i, res in enumerate(problem.resources) if res.kind in (ResourceKind.BIN, ResourceKind.CONSUMABLE)]
    loads = dict.fromkeys(indices, 0)
    for task, assignment in zip(problem.tasks, solution.tasks):
        if not assignment.present or assignment.mode is None:
            continue
        for demand in task.modes[assignment.mode].demands:
            if demand.resource in loads:
                loads[demand.resource] += demand.amount
    return [(i, loads[i], problem.resources[i].max_capacity) for i in indices]


__all__ = [
    "Usages",
    "assign_lanes",
    "bin_loads",
    "capacity_profile",
    "downtime",
    "modulo_usage",
    "resource_usage",
    "usage_profile",
    "usages",
]
