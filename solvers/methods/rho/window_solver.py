"""Solve one window: CP-SAT on the project's compiled model, with L-RHO's early stop and machine hints.

The window problem is compiled by :class:`schedkit.solvers.cpsat.compiler.CpSatModel`
(the same model ``solve(backend="cpsat")`` builds, so improvements to it carry
over) and solved directly, because RHO needs two things ``solve()`` does not
offer: stopping after ``early_stop`` seconds without an improving solution (a
watchdog thread calls ``StopSearch``; the clock starts at the first solution,
as in L-RHO) and hinting only the machine of some operations (L-RHO's
"hint instead of fixing": the previous machine's mode literal hinted 1, the
others 0, no start hints). Any other backend solves the window through
:func:`schedkit.solvers.solve` with the window limit and no early stop.

Every window schedule is verified by the independent checker on the window
problem before RHO commits any of it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from schedkit.models import ProblemData, Solution
from schedkit.solvers.checker import check


@dataclass
class WindowResult:
    """A window solve: its schedule (window indices), makespan, bound and effort."""

    solution: Solution | None
    objective: int | None
    bound: float | None
    status: str
    wall_time: float
    solutions: int = 0
    early_stopped: bool = False


class _Tracker(cp_model.CpSolverSolutionCallback):
    """Remembers the time of the last improving solution."""

    def __init__(self) -> None:
        super().__init__()
        self.best: float | None = None
        self.last_improvement: float | None = None
        self.count = 0

    def on_solution_callback(self) -> None:
        value = self.objective_value
        self.count += 1
        if self.best is None or value < self.best:
            self.best = value
            self.last_improvement = time.perf_counter()


def solve_window_cpsat(
    problem: ProblemData,
    *,
    time_limit: float,
    early_stop: float | None = None,
    threads: int | None = None,
    seed: int = 0,
    mode_hints: Mapping[int, int] | None = None,
    warm_start: Solution | None = None,
    conflict_limit: int | None = None,
    params: Mapping[str, Any] | None = None,
) -> WindowResult:
    """Minimise the window's makespan with CP-SAT (see the module docstring).

    ``mode_hints`` maps a window task to the mode to hint; ``warm_start`` hints
    every variable (it wins over ``mode_hints``).
    """
    from schedkit.solvers.cpsat.compiler import CpSatModel

    started = time.perf_counter()
    compiled = CpSatModel(problem)
    expression = compiled.level_expressions[0]
    compiled.model.minimize(expression)
    if warm_start is not None:
        compiled.add_hints(warm_start)
    elif mode_hints:
        for task, mode in mode_hints.items():
            canonical = compiled.canonical_mode[task][mode]
            for m, lit in enumerate(compiled.mode_lits[task]):
                if not isinstance(lit, bool):
                    compiled.model.add_hint(lit, int(m == canonical))
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    if threads is not None:
        solver.parameters.num_workers = threads
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    if conflict_limit is not None:
        solver.parameters.max_number_of_conflicts = conflict_limit
    for name, value in (params or {}).items():
        setattr(solver.parameters, name, value)
    tracker = _Tracker()
    stopped = threading.Event()
    finished = threading.Event()

    def watchdog() -> None:
        while not finished.wait(0.05):
            last = tracker.last_improvement
            if last is not None and early_stop is not None and time.perf_counter() - last > early_stop:
                stopped.set()
                solver.stop_search()
                return

    watcher = threading.Thread(target=watchdog, daemon=True) if early_stop is not None else None
    if watcher is not None:
        watcher.start()
    try:
        status = solver.solve(compiled.model, tracker)
    finally:
        finished.set()
        if watcher is not None:
            watcher.join()
    name = solver.status_name(status).lower()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return WindowResult(None, None, None, name, time.perf_counter() - started, tracker.count, stopped.is_set())
    solution = compiled.extract(solver.value)
    violations = check(problem, solution)
    if violations:
        raise RuntimeError(f"CP-SAT returned a window schedule the checker rejects: {violations[0].message}")
    value = expression if isinstance(expression, int) else int(solver.value(expression))
    return WindowResult(
        solution,
        value,
        solver.best_objective_bound,
        name,
        time.perf_counter() - started,
        tracker.count,
        stopped.is_set(),
    )


def solve_window_backend(
    problem: ProblemData,
    backend: str,
    *,
    time_limit: float,
    threads: int | None,
    seed: int,
    warm_start: Solution | None,
    options: Mapping[str, Any] | None = None,
) -> WindowResult:
    """Solve a window with any backend through :func:`schedkit.solvers.solve` (checked there)."""
    from schedkit.solvers.driver import solve

    started = time.perf_counter()
    result = solve(
        problem,
        backend=backend,
        time_limit=time_limit,
        threads=threads,
        seed=seed,
        warm_start=warm_start,
        **dict(options or {}),
    )
    solution = result.solution if result.ok else None
    return WindowResult(
        solution,
        result.objective if solution is not None else None,
        result.lower_bound,
        result.status.value,
        time.perf_counter() - started,
    )
