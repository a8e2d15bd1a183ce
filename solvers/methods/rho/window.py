"""One RHO window as an ordinary ``ProblemData``: the next H uncommitted operations, the rest frozen.

The window problem holds only the window's tasks (same modes, same mode
indices, same resources in the same order, so a window solution maps back
one to one). Committed operations appear through releases and calendars
(:mod:`schedkit.solvers.methods.rho.state`); precedences between two window
tasks are kept; the objective is the window's makespan, as in L-RHO.

*Fixing* an operation (L-RHO's meaning) pins its mode, i.e. keeps only the
machine it had in the previous window's solution; its start and its place in
the machine's sequence stay free.

Calendars are trimmed to the windows that can matter: a left-justified
schedule of the window ends before ``t = latest + work`` (latest committed end
or release, plus the window's longest durations), pushed later by each
capacity window that starts before ``t``; later windows are dropped, which
keeps the CP-SAT horizon near L-RHO's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from schedkit.models import (
    CapacityWindow,
    Objective,
    ObjectiveLevel,
    Pin,
    ProblemData,
    Solution,
    Term,
    TermKind,
)
from schedkit.solvers.methods.rho.state import CommittedState
from schedkit.solvers.methods.rho.structure import RhoStructure


@dataclass(frozen=True)
class WindowProblem:
    """A window's problem and the original index of each of its tasks."""

    problem: ProblemData
    tasks: tuple[int, ...]

    def local(self) -> dict[int, int]:
        """Original task index -> index in the window problem."""
        return {t: i for i, t in enumerate(self.tasks)}

    def hint(self, modes: Mapping[int, int], starts: Mapping[int, int]) -> Solution | None:
        """A complete window solution from per-task modes and starts (original indices), or None if one is missing."""
        if any(t not in modes or t not in starts for t in self.tasks):
            return None
        return Solution.from_lists([starts[t] for t in self.tasks], [modes[t] for t in self.tasks])


def build_window(
    problem: ProblemData,
    structure: RhoStructure,
    state: CommittedState,
    tasks: Sequence[int],
    fixed: Mapping[int, int],
    backfill: bool = False,
    objective: str = "makespan",
) -> WindowProblem:
    """The window problem of ``tasks`` given the committed ``state``; ``fixed`` maps a task to its pinned mode.

    ``objective`` is ``"makespan"`` (L-RHO) or ``"makespan_flow"``: ``|W| * C_max + sum_i E_i``, the
    makespan first and, among schedules of equal makespan, the earliest ends (trading one unit of
    makespan for no less than ``|W|`` units of total completion), which stops the window from
    parking non-critical operations on slow machines.
    """
    local = {t: i for i, t in enumerate(tasks)}
    new_tasks = []
    for t in tasks:
        task = problem.tasks[t]
        release = state.release_of(t, structure.predecessors[t])
        pin = task.pin
        if t in fixed:
            pin = Pin(
                present=None if pin is None else pin.present, mode=fixed[t], start=None if pin is None else pin.start
            )
        new_tasks.append(dataclasses.replace(task, release=release, pin=pin))
    precedences = []
    for t in tasks:
        for index in structure.predecessors[t]:
            prec = problem.precedences[index]
            if prec.a in local:
                precedences.append(dataclasses.replace(prec, a=local[prec.a], b=local[t]))
            elif not state.is_committed(prec.a):
                raise ValueError(
                    f"{problem.describe_task(prec.a)} precedes a window task but is neither committed nor in the window"
                )
    latest = max([state.latest_end, *(task.release for task in new_tasks)])
    work = sum(task.max_duration for task in new_tasks)
    calendars = [state.calendar_of(r, backfill) for r in range(problem.num_resources)]
    cutoff = _cutoff(latest + work, calendars)
    resources = tuple(
        dataclasses.replace(res, calendar=tuple(w for w in calendar if w.start < cutoff))
        for res, calendar in zip(problem.resources, calendars)
    )
    terms = [Term(TermKind.MAKESPAN, weight=len(tasks) if objective == "makespan_flow" else 1)]
    if objective == "makespan_flow":
        terms.append(Term(TermKind.TOTAL_WEIGHTED_COMPLETION))
        new_tasks = [dataclasses.replace(task, weight=1) for task in new_tasks]
    elif objective != "makespan":
        raise ValueError(f"unknown window objective {objective!r}; one of: makespan, makespan_flow")
    window = ProblemData(
        resources=resources,
        tasks=tuple(new_tasks),
        precedences=tuple(precedences),
        objective=Objective((ObjectiveLevel(tuple(terms)),)),
        name=f"{problem.name}:window",
        family=problem.family,
    )
    return WindowProblem(window, tuple(tasks))


def _cutoff(start: int, calendars: Sequence[tuple[CapacityWindow, ...]]) -> int:
    """``start`` pushed later by the length of every capacity window that begins before it (module docstring)."""
    cutoff = start
    for w in sorted((w for calendar in calendars for w in calendar), key=lambda w: w.start):
        if w.start < cutoff and w.end > start:
            cutoff += w.end - max(w.start, start)
    return cutoff
