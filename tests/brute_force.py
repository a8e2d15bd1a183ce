"""Exhaustive reference solver for tiny problems: enumerate, let the checker judge.

Used by tests to establish optima independently of every backend: each task is
absent (if optional) or present in some mode at some start in
``[release, horizon - duration]``, II ranges over its bounds; the checker
filters feasible assignments and ``evaluate`` scores them.
"""

from __future__ import annotations

import itertools

from schedkit.models import ProblemData, Sense, Solution, TaskAssignment
from schedkit.solvers.checker import evaluate, is_feasible


def task_options(problem: ProblemData, index: int, horizon: int) -> list[TaskAssignment]:
    task = problem.tasks[index]
    options = [TaskAssignment(False, None, None)] if task.optional else []
    for m, mode in enumerate(task.modes):
        latest = horizon - mode.duration
        if task.deadline is not None:
            latest = min(latest, task.deadline - mode.duration)
        options += [TaskAssignment(True, m, s) for s in range(task.release, latest + 1)]
    return options


def brute_force(problem: ProblemData, limit: int = 400_000) -> tuple[tuple[int, ...] | None, Solution | None, int]:
    """Return (best level values, a witness, number of feasible assignments).

    Levels are compared lexicographically in their own senses. Raises when the
    enumeration would exceed ``limit`` assignments (keep test instances tiny).
    """
    assert problem.horizon is not None, "brute force needs an explicit horizon"
    options = [task_options(problem, i, problem.horizon) for i in range(problem.num_tasks)]
    iis: list[int | None] = [None]
    if problem.cycle is not None:
        iis = list(range(problem.cycle.ii_min, problem.cycle.ii_max + 1))
    size = len(iis)
    for opts in options:
        size *= len(opts)
    assert size <= limit, f"brute force over {size} assignments is too large for a test"
    signs = [1 if level.sense == Sense.MINIMIZE else -1 for level in problem.objective.levels]
    best_key, best_values, best_solution, feasible = None, None, None, 0
    for ii in iis:
        for combo in itertools.product(*options):
            solution = Solution(tuple(combo), ii)
            if not is_feasible(problem, solution):
                continue
            feasible += 1
            values = evaluate(problem, solution)
            key = tuple(sign * value for sign, value in zip(signs, values))
            if best_key is None or key < best_key:
                best_key, best_values, best_solution = key, values, solution
    return best_values, best_solution, feasible
