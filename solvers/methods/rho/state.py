"""The committed part of a rolling-horizon schedule and what it leaves free for the next window.

Committed operations never move again. What they leave to later windows is
expressed in the IR itself:

* a successor's earliest start (its ``release``) from each committed
  predecessor, for the four precedence types;
* each timed resource's remaining capacity as a *calendar*: on a unary
  resource, by default (as L-RHO) the resource is unavailable from 0 until
  its last committed operation ends, so a window never back-fills an idle gap
  left before it; with ``backfill`` (and always on renewable resources) the
  capacity in force is the calendar's minus the committed usage at every
  instant, ``c'(t) = c(t) - sum_{committed i using r at t} a_i``.

So a window is an ordinary ``ProblemData`` that every backend and the checker
understand, and its schedules, put together with the committed part, form a
schedule of the whole problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schedkit.models import CapacityWindow, PrecedenceType, ProblemData, Resource, ResourceKind


@dataclass
class CommittedState:
    """Committed operations (mode and start) and, per resource, what they occupy.

    Attributes
    ----------
    mode, start
        Per task, its committed mode and start (None while uncommitted).
    last_end
        Per resource, the latest end of a committed usage (0 when none).
    usages
        Per resource, the committed usages ``(start, end, amount)``.
    """

    problem: ProblemData
    mode: list[int | None] = field(default_factory=list)
    start: list[int | None] = field(default_factory=list)
    last_end: list[int] = field(default_factory=list)
    usages: list[list[tuple[int, int, int]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        n, r = self.problem.num_tasks, self.problem.num_resources
        self.mode = self.mode or [None] * n
        self.start = self.start or [None] * n
        self.last_end = self.last_end or [0] * r
        self.usages = self.usages or [[] for _ in range(r)]

    @property
    def num_committed(self) -> int:
        """How many tasks are committed."""
        return sum(m is not None for m in self.mode)

    def is_committed(self, task: int) -> bool:
        """Whether ``task`` is committed."""
        return self.mode[task] is not None

    def end(self, task: int) -> int:
        """End of a committed task."""
        mode, start = self.mode[task], self.start[task]
        assert mode is not None and start is not None, "the task is not committed"
        return start + self.problem.tasks[task].modes[mode].duration

    def commit(self, task: int, mode: int, start: int) -> None:
        """Commit ``task`` in ``mode`` at ``start`` and record what it occupies."""
        self.mode[task], self.start[task] = mode, start
        chosen = self.problem.tasks[task].modes[mode]
        for demand in chosen.demands:
            length = demand.usage_length(chosen.duration)
            if length == 0 or not self.problem.resources[demand.resource].kind.is_timed:
                continue
            begin = start + demand.offset
            self.usages[demand.resource].append((begin, begin + length, demand.amount))
            self.last_end[demand.resource] = max(self.last_end[demand.resource], begin + length)

    @property
    def latest_end(self) -> int:
        """The latest end of any committed usage or task (0 when nothing is committed)."""
        ends = [self.end(t) for t in range(self.problem.num_tasks) if self.is_committed(t)]
        return max([0, *self.last_end, *ends])

    def release_of(self, task: int, predecessors: tuple[int, ...]) -> int:
        """Earliest start of uncommitted ``task`` given its committed predecessors.

        For a precedence (a, b, type, lag) with a committed: ``S_b >= E_a + lag``
        (end-to-start), ``S_a + lag`` (start-to-start), ``E_a + lag - d_min``
        (end-to-end) or ``S_a + lag - d_min`` (start-to-end), where d_min is b's
        shortest duration (the bound every mode of b satisfies); a transfer lag is
        added when a mode of b runs elsewhere than a. ``predecessors`` are the
        indices of the precedences whose successor is ``task``.
        """
        problem = self.problem
        spec = problem.tasks[task]
        release = spec.release
        for index in predecessors:
            prec = problem.precedences[index]
            a_index, a_start = self.mode[prec.a], self.start[prec.a]
            if a_index is None:  # not committed
                continue
            assert a_start is not None
            a_mode = problem.tasks[prec.a].modes[a_index]
            lag = prec.lag
            if prec.transfer_lag and any(m.location != a_mode.location for m in spec.modes):
                lag += prec.transfer_lag
            if prec.type in (PrecedenceType.END_TO_START, PrecedenceType.END_TO_END):
                bound = a_start + a_mode.duration + lag
            else:
                bound = a_start + lag
            if prec.type in (PrecedenceType.END_TO_END, PrecedenceType.START_TO_END):
                bound -= spec.min_duration
            release = max(release, bound)
        return release

    def calendar_of(self, resource: int, backfill: bool) -> tuple[CapacityWindow, ...]:
        """The calendar of ``resource`` for the next window (see the module docstring)."""
        res = self.problem.resources[resource]
        if res.kind == ResourceKind.UNARY and not backfill:
            return _block_until(res, self.last_end[resource])
        return _minus_usage(res, self.usages[resource])


def _block_until(res: Resource, until: int) -> tuple[CapacityWindow, ...]:
    """``res``'s calendar with capacity 0 on ``[0, until)``."""
    if until <= 0:
        return res.calendar
    later = [
        CapacityWindow(max(w.start, until), w.end, w.capacity)
        for w in res.calendar
        if w.end > until and w.capacity != res.capacity
    ]
    return (CapacityWindow(0, until, 0), *later)


def _minus_usage(res: Resource, usages: list[tuple[int, int, int]]) -> tuple[CapacityWindow, ...]:
    """The calendar of ``res`` lowered by committed ``usages``: one window per maximal segment off the base."""
    if not usages:
        return res.calendar
    points = sorted(
        {0, *(w.start for w in res.calendar), *(w.end for w in res.calendar)}
        | {s for s, _, _ in usages}
        | {e for _, e, _ in usages}
    )
    delta: dict[int, int] = {}
    for s, e, amount in usages:
        delta[s] = delta.get(s, 0) + amount
        delta[e] = delta.get(e, 0) - amount
    windows: list[CapacityWindow] = []
    used = 0
    for left, right in zip(points, points[1:]):
        used += delta.get(left, 0)
        capacity = res.capacity_at(left) - used
        if capacity == res.capacity:
            continue
        if windows and windows[-1].end == left and windows[-1].capacity == capacity:
            windows[-1] = CapacityWindow(windows[-1].start, right, capacity)
        else:
            windows.append(CapacityWindow(left, right, capacity))
    return tuple(windows)  # the points include every calendar window's end: nothing lies beyond
