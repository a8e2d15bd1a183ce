"""Reading a ``ProblemData`` as a single-machine tardiness instance ``1 || sum w_j T_j``.

A problem qualifies when one machine (a unary resource, or a renewable one of
capacity 1, without calendar) processes every task, each task has one mode
using the whole machine for its duration, and nothing else constrains the
schedule: no releases, deadlines that could bind, pins, optional tasks,
precedences or logic, no cycle, and a horizon (if any) that fits all the
work. Level 0 must minimise a sum of ``total_weighted_tardiness`` terms with
non-negative weights; job j then costs ``W_j max(0, C_j - d_j)`` with
``W_j = w_j * sum of the weights of the terms that list j`` (0 without a due
date). Anything else raises :class:`UnsupportedTardiness`.

Two reductions keep the core small, and both keep an optimal schedule optimal:

* a job of duration 0 runs at time 0: it occupies no machine time, and no
  completion is earlier than 0, so its cost ``W_j max(0, -d_j)`` is a constant;
* a job that can never be tardy (``W_j = 0``, or ``d_j >= `` the total
  processing time of the jobs still in the core) goes last: moving it to the
  end costs it nothing and moves every other job earlier, which never
  increases a tardiness. Removing such jobs shortens the core, so this repeats
  until no job qualifies.

The core's weights are divided by their greatest common divisor (``scale``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from schedkit.models import ProblemData, ResourceKind, Sense, Solution, TermKind


class UnsupportedTardiness(ValueError):
    """The problem is not a plain single-machine total (weighted) tardiness problem."""


@dataclass(frozen=True)
class TardinessInstance:
    """The core jobs of a ``1 || sum w_j T_j`` problem and how they map back to tasks.

    ``processing``, ``due`` and ``weight`` describe the core jobs (weights
    divided by ``scale``); ``tasks[j]`` is the task index of core job j.
    ``front`` are the zero-duration tasks (at time 0), ``back`` the tasks that
    are never tardy (after the core). The problem's objective of a schedule
    is ``scale * core cost + offset``.
    """

    processing: tuple[int, ...]
    due: tuple[int, ...]
    weight: tuple[int, ...]
    tasks: tuple[int, ...]
    front: tuple[int, ...]
    back: tuple[int, ...]
    scale: int
    offset: int

    @property
    def size(self) -> int:
        """Number of core jobs."""
        return len(self.processing)

    @property
    def unweighted(self) -> bool:
        """Whether all core weights are equal (then they are all 1): ``1 || sum T_j``."""
        return all(w == 1 for w in self.weight)

    def cost(self, order: Sequence[int]) -> int:
        """Core cost ``sum_j w_j max(0, C_j - d_j)`` of core jobs processed in ``order`` from time 0."""
        time = total = 0
        for j in order:
            time += self.processing[j]
            if time > self.due[j]:
                total += self.weight[j] * (time - self.due[j])
        return total

    def objective(self, core_cost: int) -> int:
        """The problem's objective for a core cost."""
        return self.scale * core_cost + self.offset

    def task_sequence(self, order: Sequence[int]) -> list[int]:
        """All task indices in processing order for the core order ``order``."""
        return [*self.front, *(self.tasks[j] for j in order), *self.back]


def _machine(problem: ProblemData) -> int:
    """Index of the single machine, or raise."""
    if len(problem.resources) != 1:
        raise UnsupportedTardiness(f"needs exactly one resource (one machine), found {len(problem.resources)}")
    res = problem.resources[0]
    if res.kind not in (ResourceKind.UNARY, ResourceKind.RENEWABLE) or res.max_capacity != 1:
        raise UnsupportedTardiness(f"resource '{res.name}' is not one machine (a unary resource of capacity 1)")
    if res.calendar:
        raise UnsupportedTardiness(f"machine '{res.name}' has a calendar (downtime)")
    return 0


def _check_structure(problem: ProblemData) -> None:
    """Raise unless nothing but one machine constrains the schedule."""
    for what, items in (
        ("precedences", problem.precedences),
        ("implications", problem.implications),
        ("selections", problem.selections),
        ("coverage groups", problem.coverage_groups),
        ("disjunctive pairs", problem.disjunctive_pairs),
    ):
        if items:
            raise UnsupportedTardiness(f"the problem has {what}")
    if problem.cycle is not None:
        raise UnsupportedTardiness("the problem is cyclic (has an initiation interval)")
    machine = _machine(problem)
    work = 0
    for index, task in enumerate(problem.tasks):
        where = problem.describe_task(index)
        if len(task.modes) != 1:
            raise UnsupportedTardiness(f"{where} has {len(task.modes)} modes")
        mode = task.modes[0]
        work += mode.duration
        if len(mode.demands) != 1 or mode.demands[0].resource != machine:
            raise UnsupportedTardiness(f"{where} does not use exactly the one machine")
        demand = mode.demands[0]
        if demand.offset != 0 or demand.usage_length(mode.duration) != mode.duration:
            raise UnsupportedTardiness(f"{where} uses the machine for part of its duration only")
        if task.release:
            raise UnsupportedTardiness(f"{where} has a release date")
        if task.optional:
            raise UnsupportedTardiness(f"{where} is optional")
        if task.pin is not None and (
            task.pin.start is not None or task.pin.present is False or task.pin.mode not in (None, 0)
        ):
            raise UnsupportedTardiness(f"{where} is pinned")
    for index, task in enumerate(problem.tasks):
        if task.deadline is not None and task.deadline < work:
            raise UnsupportedTardiness(f"{problem.describe_task(index)} has a deadline")
    if problem.horizon is not None and problem.horizon < work:
        raise UnsupportedTardiness(f"the horizon {problem.horizon} is shorter than the total work {work}")


def _weights(problem: ProblemData) -> list[int]:
    """``W_j``: the weight of each task's tardiness in level 0 (see the module docstring)."""
    levels = problem.objective.levels
    if not levels:
        raise UnsupportedTardiness("the problem has no objective")
    level = levels[0]
    if level.sense != Sense.MINIMIZE:
        raise UnsupportedTardiness("level 0 maximises")
    factor = [0] * problem.num_tasks
    for term in level.terms:
        if term.weight == 0:
            continue
        if term.kind != TermKind.TOTAL_WEIGHTED_TARDINESS:
            raise UnsupportedTardiness(f"level 0 has a '{term.kind.value}' term")
        if term.weight < 0:
            raise UnsupportedTardiness("level 0 rewards tardiness (a negative term weight)")
        for j in range(problem.num_tasks) if term.tasks is None else term.tasks:
            factor[j] += term.weight
    return [0 if task.due_date is None else factor[j] * task.weight for j, task in enumerate(problem.tasks)]


def tardiness_instance(problem: ProblemData) -> TardinessInstance:
    """The core ``1 || sum w_j T_j`` instance of ``problem`` (see the module docstring), or raise."""
    _check_structure(problem)
    weights = _weights(problem)
    durations = [task.modes[0].duration for task in problem.tasks]
    due = [task.due_date if task.due_date is not None else 0 for task in problem.tasks]
    front = [j for j in range(problem.num_tasks) if durations[j] == 0]
    offset = sum(weights[j] * max(0, -due[j]) for j in front)
    core = [j for j in range(problem.num_tasks) if durations[j] > 0]
    back: list[int] = []
    total = sum(durations[j] for j in core)
    while True:
        late = [j for j in core if weights[j] == 0 or due[j] >= total]
        if not late:
            break
        gone = set(late)
        core = [j for j in core if j not in gone]
        back = late + back  # each later batch goes before the earlier ones: it ends no later than its due date
        total -= sum(durations[j] for j in late)
    scale = math.gcd(*(weights[j] for j in core)) if core else 1
    return TardinessInstance(
        processing=tuple(durations[j] for j in core),
        due=tuple(due[j] for j in core),
        weight=tuple(weights[j] // scale for j in core),
        tasks=tuple(core),
        front=tuple(front),
        back=tuple(back),
        scale=max(1, scale),
        offset=offset,
    )


def to_solution(problem: ProblemData, sequence: Sequence[int]) -> Solution:
    """The left-justified schedule processing the tasks in ``sequence`` (every task index once)."""
    if sorted(sequence) != list(range(problem.num_tasks)):
        raise ValueError(f"the sequence must list each of the {problem.num_tasks} task indices once")
    starts = [0] * problem.num_tasks
    time = 0
    for j in sequence:
        starts[j] = time
        time += problem.tasks[j].modes[0].duration
    return Solution.from_lists(starts)
