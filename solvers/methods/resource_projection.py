"""Lower bounds on the initiation interval from resource projections: a few resources, nothing else.

ResMII (:mod:`schedkit.solvers.bounds.initiation_interval`) counts each modulo
resource's energy on its own. Two resources that are each almost saturated
can still be impossible to saturate *together*: on the Hopper backward kernel
the tensor core and the shared-memory read port both carry 40 units per
iteration, but a GEMM reads shared memory only during the first part of its
tensor-core time while the staging of dS reads it for 4 units with no
tensor-core use. During each staging window the tensor core can only be
finishing a GEMM's read-free tail (at most 2 units), so it idles for at least
2 units per window and II >= 40 + 2 * 2 = 44, where ResMII says 40.

:func:`project` builds the relaxation that makes CP-SAT find such arguments:
the problem at a fixed II restricted to a set R of modulo resources,

* every forced task keeps, in each allowed mode, only its plain demands on R
  (offset and length fixed; live ranges ``until`` a reader are dropped);
  modes that become equal merge, and a task with a mode using nothing on R
  is dropped (it can always avoid R);
* precedences, releases, deadlines, other resources, selections and the
  objective are dropped.

Every schedule of the full problem at II gives a schedule of the projection
at II (same starts and modes, fewer constraints), so **an infeasible
projection proves II infeasible**. With no precedences left, only the
residues ``S_j mod II`` matter, which allows two reductions that keep at
least one schedule of every feasible projection:

* *residues*: ``0 <= S_j <= II - 1`` (the deadline ``E_j <= II - 1 + p_max``);
* *symmetry*: tasks with identical projected modes are interchangeable, so
  their starts are ordered by start-to-start precedences (lag 0); and the
  whole schedule can be rotated (all residues shifted by one constant), so
  the first task of the largest such class starts at 0.

:func:`projection_bound` walks II upwards from a known lower bound, testing
the projections on pairs of the most loaded modulo resources (utilisation
``energy / (capacity * II)`` of at least :data:`MIN_UTILISATION`), and stops at
the first II where no projection is proven infeasible. CP-SAT's INFEASIBLE
answers are re-checked by the backend with safer parameters before they
count.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from schedkit.models import Cycle, Objective, Pin, Precedence, PrecedenceType, ProblemData, ResourceKind, Task
from schedkit.models.entities import Mode
from schedkit.solvers.driver import solve
from schedkit.solvers.result import Status

MIN_UTILISATION = 0.5
"""Modulo resources loaded at least this much at the current bound take part in the projections."""
SECONDS_PER_TEST = 10.0
"""CP-SAT time for one projection at one II (the Hopper backward pair is decided in under a second)."""


def _projected_modes(problem: ProblemData, task: Task, keep: dict[int, int]) -> tuple[Mode, ...] | None:
    """The task's allowed modes restricted to the kept resources (None when one of them uses none of them)."""
    allowed = range(len(task.modes))
    if task.pin is not None and task.pin.mode is not None:
        allowed = range(task.pin.mode, task.pin.mode + 1)
    modes: list[Mode] = []
    for m in allowed:
        mode = task.modes[m]
        demands = tuple(
            dataclasses.replace(d, resource=keep[d.resource])
            for d in mode.demands
            if d.resource in keep and not d.until and d.amount > 0 and d.usage_length(mode.duration) > 0
        )
        if not demands:
            return None
        projected = Mode(mode.duration, demands)
        if projected not in modes:
            modes.append(projected)
    return tuple(modes)


def project(problem: ProblemData, resources: Sequence[int], ii: int, symmetry: bool = True) -> ProblemData:
    """The relaxation of ``problem`` at ``ii`` keeping only ``resources`` (see the module docstring).

    ``symmetry`` adds the residue windows, the order of interchangeable tasks
    and the rotation pin; without it the projection keeps every schedule of
    the full problem as it is (used to test the relaxation).
    """
    if problem.cycle is None:
        raise ValueError(f"problem '{problem.name}' has no cycle: resource projections need a modulo schedule")
    for r in resources:
        if problem.resources[r].kind is not ResourceKind.MODULO:
            raise ValueError(f"{problem.describe_resource(r)} is not a modulo resource")
    keep = {r: k for k, r in enumerate(resources)}
    tasks: list[Task] = []
    for task in problem.tasks:
        if task.optional or (task.pin is not None and task.pin.present is False):
            continue
        modes = _projected_modes(problem, task, keep)
        if modes is None:
            continue
        tasks.append(Task(task.name, modes))
    longest = max((m.duration for t in tasks for m in t.modes), default=0)
    precedences: list[Precedence] = []
    if symmetry:
        tasks = [dataclasses.replace(t, deadline=ii - 1 + max(m.duration for m in t.modes)) for t in tasks]
        classes: dict[tuple[Mode, ...], list[int]] = {}
        for j, t in enumerate(tasks):
            classes.setdefault(t.modes, []).append(j)
        for members in classes.values():
            precedences += [Precedence(a, b, PrecedenceType.START_TO_START) for a, b in itertools.pairwise(members)]
        if tasks:
            first = max(classes.values(), key=len)[0]
            tasks[first] = dataclasses.replace(tasks[first], pin=Pin(start=0))
    names = "+".join(problem.resources[r].name for r in resources)
    return ProblemData(
        resources=tuple(problem.resources[r] for r in resources),
        tasks=tuple(tasks),
        precedences=tuple(precedences),
        cycle=Cycle(ii, ii),
        objective=Objective(problem.objective.levels[:1]),
        horizon=(ii - 1 + longest) if symmetry else problem.horizon,
        name=f"{problem.name}@II={ii}[{names}]",
    )


def loaded_resources(problem: ProblemData, ii: int) -> list[int]:
    """Modulo resources whose least energy per iteration is at least :data:`MIN_UTILISATION` of ``capacity * ii``."""
    out = []
    for r, res in enumerate(problem.resources):
        if res.kind is not ResourceKind.MODULO or res.capacity <= 0:
            continue
        energy = 0
        for task in project(problem, [r], ii, symmetry=False).tasks:
            energy += min(sum(d.amount * d.usage_length(m.duration) for d in m.demands) for m in task.modes)
        if energy >= MIN_UTILISATION * res.capacity * ii:
            out.append(r)
    return out


@dataclass
class ProjectionTest:
    """One projection solved at one II."""

    ii: int
    resources: tuple[str, ...]
    status: str
    seconds: float


@dataclass
class ProjectionBound:
    """The II lower bound the projections prove, and the tests behind it."""

    lower_bound: int
    tests: list[ProjectionTest] = field(default_factory=list)


def projection_bound(
    problem: ProblemData,
    lowest: int,
    highest: int,
    time_limit: float | None = None,
    threads: int | None = None,
    seed: int = 0,
) -> ProjectionBound:
    """Raise the II lower bound ``lowest`` (never past ``highest``, a known feasible II) by projections.

    At each II from ``lowest`` the pairs of loaded resources
    (:func:`loaded_resources`) are projected and solved; an INFEASIBLE answer
    proves the II impossible and the walk moves on, otherwise it stops.
    ``time_limit`` caps the whole walk.
    """
    started = time.perf_counter()
    out = ProjectionBound(lowest)
    ii = lowest
    while ii < highest:
        loaded = loaded_resources(problem, ii)
        proven = False
        for pair in itertools.combinations(loaded, 2):
            left = None if time_limit is None else time_limit - (time.perf_counter() - started)
            if left is not None and left <= 0:
                return out
            seconds = SECONDS_PER_TEST if left is None else min(SECONDS_PER_TEST, left)
            step = time.perf_counter()
            result = solve(project(problem, pair, ii), backend="cpsat", time_limit=seconds, threads=threads, seed=seed)
            names = tuple(problem.resources[r].name for r in pair)
            out.tests.append(ProjectionTest(ii, names, result.status.value, round(time.perf_counter() - step, 3)))
            if result.status == Status.INFEASIBLE:
                proven = True
                break
        if not proven:
            return out
        ii += 1
        out.lower_bound = ii
    return out
