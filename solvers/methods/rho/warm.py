"""A complete starting schedule for a window: the previous window's placements, new operations first-fit.

Single-threaded CP-SAT is slow to find a good first schedule of an 80-operation
flexible job shop window, so each window starts from one (``warm_windows``):

* an overlap operation keeps the mode and start it had in the previous
  window's solution. That placement is still feasible: the committed
  operations were the earliest-starting ones, so on every machine and in
  every job they precede the uncommitted ones, and a machine's availability
  (the end of its last committed operation) is at most the start of any
  uncommitted operation on it;
* each new operation, in window order (a topological order), takes the mode
  and the earliest start at which all its predecessors have ended and every
  unary resource it uses is free (calendars included, gaps allowed), choosing
  the mode that ends first.

The result is verified by the checker on the window problem; when the
placement cannot be made (a renewable resource, a precedence type other than
end-to-start) or the checker rejects it, there is no warm start. The window's
solver is then hinted with it, and a window solver that returns nothing
better leaves this schedule in place: a window never loses its incumbent.
"""

from __future__ import annotations

from collections.abc import Mapping

from schedkit.models import PrecedenceType, ProblemData, ResourceKind, Solution
from schedkit.solvers.checker import check
from schedkit.solvers.methods.rho.window import WindowProblem


def window_warm_start(window: WindowProblem, previous: Mapping[int, tuple[int, int]]) -> Solution | None:
    """The starting schedule of ``window`` (window indices), or None (see the module docstring)."""
    problem = window.problem
    if any(res.kind != ResourceKind.UNARY for res in problem.resources):
        return None
    if any(prec.type != PrecedenceType.END_TO_START for prec in problem.precedences):
        return None
    busy: list[list[tuple[int, int]]] = [
        [(w.start, w.end) for w in res.calendar if w.capacity == 0] for res in problem.resources
    ]
    preds: list[list[tuple[int, int]]] = [[] for _ in problem.tasks]
    for prec in problem.precedences:
        preds[prec.b].append((prec.a, prec.lag + prec.transfer_lag))
    modes: list[int] = [0] * problem.num_tasks
    starts: list[int] = [0] * problem.num_tasks
    placed: list[bool] = [False] * problem.num_tasks
    for i, t in enumerate(window.tasks):  # the overlap first: its placements are fixed
        if t in previous:
            modes[i], starts[i] = previous[t]
            pin = problem.tasks[i].pin
            if pin is not None and pin.mode is not None and pin.mode != modes[i]:
                return None
            placed[i] = True
            _occupy(problem, i, modes[i], starts[i], busy)
    for i, task in enumerate(problem.tasks):
        if placed[i]:
            continue
        earliest = task.release
        for a, lag in preds[i]:
            if not placed[a]:
                return None
            earliest = max(earliest, starts[a] + problem.tasks[a].modes[modes[a]].duration + lag)
        allowed = range(len(task.modes)) if task.pin is None or task.pin.mode is None else [task.pin.mode]
        best: tuple[int, int, int] | None = None
        for m in allowed:
            start = _first_fit(problem, i, m, earliest, busy)
            end = start + task.modes[m].duration
            if best is None or (end, task.modes[m].duration) < (best[0], task.modes[best[2]].duration):
                best = (end, start, m)
        assert best is not None
        modes[i], starts[i] = best[2], best[1]
        placed[i] = True
        _occupy(problem, i, modes[i], starts[i], busy)
    solution = Solution.from_lists(starts, modes)
    return None if check(problem, solution) else solution


def left_justify(window: WindowProblem, solution: Solution) -> Solution:
    """Shift every operation of a window schedule as early as its modes and machine sequences allow.

    Operations are taken in order of their start; each starts at the earliest
    time after its release, its predecessors' ends plus lags, and the end of
    the operation before it on each unary resource it uses (and outside
    downtime), never later than before. A CP-SAT schedule optimal for the
    window's makespan may leave non-critical operations late; since RHO
    commits the earliest operations and makes each machine available only
    after its last committed operation, such slack would be paid for in later
    windows. The makespan never grows. Returned unchanged when the window has
    other than unary resources or end-to-start precedences, when a task has no
    mode or start (absent), or if the checker rejects the result.
    """
    problem = window.problem
    if any(res.kind != ResourceKind.UNARY for res in problem.resources):
        return solution
    if any(prec.type != PrecedenceType.END_TO_START for prec in problem.precedences):
        return solution
    preds: list[list[tuple[int, int]]] = [[] for _ in problem.tasks]
    for prec in problem.precedences:
        preds[prec.b].append((prec.a, prec.lag + prec.transfer_lag))
    modes: list[int] = []
    old: list[int] = []
    for assignment in solution.tasks:
        if assignment.mode is None or assignment.start is None:  # absent (RHO windows have none): nothing to shift
            return solution
        modes.append(assignment.mode)
        old.append(assignment.start)
    starts = list(old)
    busy: list[list[tuple[int, int]]] = [
        [(w.start, w.end) for w in res.calendar if w.capacity == 0] for res in problem.resources
    ]
    for i in sorted(range(problem.num_tasks), key=lambda i: (old[i], i)):
        task = problem.tasks[i]
        earliest = task.release
        for a, lag in preds[i]:
            earliest = max(earliest, starts[a] + problem.tasks[a].modes[modes[a]].duration + lag)
        start = min(_first_fit(problem, i, modes[i], earliest, busy), old[i])
        starts[i] = start
        _occupy(problem, i, modes[i], start, busy)
    shifted = Solution.from_lists(starts, modes)
    return solution if check(problem, shifted) else shifted


def _usages(problem: ProblemData, task: int, mode: int) -> list[tuple[int, int, int]]:
    """``(resource, offset, length)`` of each non-empty usage of a mode."""
    chosen = problem.tasks[task].modes[mode]
    out = []
    for d in chosen.demands:
        length = d.usage_length(chosen.duration)
        if length > 0:
            out.append((d.resource, d.offset, length))
    return out


def _occupy(problem: ProblemData, task: int, mode: int, start: int, busy: list[list[tuple[int, int]]]) -> None:
    for r, offset, length in _usages(problem, task, mode):
        busy[r].append((start + offset, start + offset + length))


def _first_fit(problem: ProblemData, task: int, mode: int, earliest: int, busy: list[list[tuple[int, int]]]) -> int:
    """The earliest start >= ``earliest`` at which every usage of the mode avoids every busy interval."""
    start = earliest
    usages = _usages(problem, task, mode)
    moved = True
    while moved:
        moved = False
        for r, offset, length in usages:
            begin, end = start + offset, start + offset + length
            for s, e in busy[r]:
                if s < end and begin < e:  # overlap: start after this interval
                    start = e - offset
                    moved = True
                    break
            if moved:
                break
    return start
