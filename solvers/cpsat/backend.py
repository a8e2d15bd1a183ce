"""Solve a problem with CP-SAT: lexicographic levels, warm starts, progress callbacks.

Levels are solved in order on one model. After level k the model gets
``level_k == value`` when it was proven optimal, ``level_k <= value`` (``>=``
when maximising) otherwise, and the whole solution is carried forward as a
complete hint. With a time limit T and L levels, every later level keeps a
guaranteed share of ``T / (2 L)``; the rest is a pool that earlier levels may
use up (the split the pod-packing paper uses).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from ortools.sat.python import cp_model

from schedkit.models import ProblemData, Sense, Solution
from schedkit.solvers.cpsat.compiler import CpSatModel
from schedkit.solvers.result import BackendOutcome, LevelOutcome, Progress, Status


class _SolutionTracker(cp_model.CpSolverSolutionCallback):
    """Records when solutions arrive and relays them to the user's callback."""

    def __init__(
        self, compiled: CpSatModel, level: int, started: float, callback: Callable[[Progress], Any] | None
    ) -> None:
        super().__init__()
        self.compiled = compiled
        self.level = level
        self.started = started
        self.callback = callback
        self.last_time: float | None = None
        self.count = 0

    def on_solution_callback(self) -> None:
        self.count += 1
        self.last_time = time.perf_counter() - self.started
        if self.callback is not None:
            self.callback(
                Progress(
                    level=self.level,
                    objective=self.objective_value,
                    bound=self.best_objective_bound,
                    wall_time=self.last_time,
                    solution=self.compiled.extract(self.value),
                )
            )


_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.MODEL_INVALID: Status.ERROR,
    cp_model.UNKNOWN: Status.UNKNOWN,
}


SAFE_PARAMS: dict[str, Any] = {
    "cp_model_presolve": False,
    "use_disjunctive_constraint_in_cumulative": False,
    "linearization_level": 0,
}
"""Parameters for re-checking an infeasibility claim.

OR-Tools 9.15 can report a feasible model INFEASIBLE when a capacity-1
cumulative with downtime meets optional intervals of multi-mode tasks
(tests/solvers/test_cpsat_regressions.py holds the instance); with presolve,
the disjunctive view of the cumulative and the LP relaxation off, the same
model solves. So an INFEASIBLE answer is re-checked once with these settings.
"""


def solve_cpsat(
    problem: ProblemData,
    *,
    time_limit: float | None = None,
    threads: int | None = None,
    seed: int = 0,
    warm_start: Solution | None = None,
    callback: Callable[[Progress], Any] | None = None,
    log: bool = False,
    params: dict[str, Any] | None = None,
) -> BackendOutcome:
    """Compile ``problem`` to CP-SAT and solve its levels in order.

    ``params`` sets any CP-SAT parameter by name (e.g. ``{"num_search_workers":
    8}``); ``log`` prints CP-SAT's search log. An INFEASIBLE answer is
    re-checked once with :data:`SAFE_PARAMS` in the time left; if that run
    finds a schedule, it is the result (and ``stats["infeasible_refuted"]``
    says so).
    """
    started = time.perf_counter()
    kwargs = dict(threads=threads, seed=seed, warm_start=warm_start, callback=callback, log=log)
    outcome = _solve_cpsat(problem, time_limit=time_limit, params=params, **kwargs)  # type: ignore[arg-type]
    if outcome.status != Status.INFEASIBLE:
        return outcome
    left = None if time_limit is None else max(0.01, time_limit - (time.perf_counter() - started))
    recheck = _solve_cpsat(problem, time_limit=left, params={**(params or {}), **SAFE_PARAMS}, **kwargs)  # type: ignore[arg-type]
    if recheck.solution is not None:
        recheck.stats["infeasible_refuted"] = True
        return recheck
    outcome.stats["infeasible_rechecked"] = recheck.status.value
    return outcome


def _solve_cpsat(
    problem: ProblemData,
    *,
    time_limit: float | None = None,
    threads: int | None = None,
    seed: int = 0,
    warm_start: Solution | None = None,
    callback: Callable[[Progress], Any] | None = None,
    log: bool = False,
    params: dict[str, Any] | None = None,
) -> BackendOutcome:
    started = time.perf_counter()
    compiled = CpSatModel(problem)
    model = compiled.model
    build_time = time.perf_counter() - started
    stats: dict[str, Any] = {
        "build_time": round(build_time, 4),
        "variables": compiled.num_variables,
        "constraints": len(model.proto.constraints),
    }
    if warm_start is not None:
        stats["hinted_variables"] = compiled.add_hints(warm_start)
        stats["hint_complete"] = stats["hinted_variables"] == compiled.num_variables
    levels = problem.objective.levels
    n_levels = max(1, len(levels))
    reserve = 0.0 if time_limit is None else 0.5 * time_limit / n_levels
    outcomes: list[LevelOutcome] = []
    solution: Solution | None = None
    time_to_best: float | None = None
    hint_log: list[str] = []
    totals = {"conflicts": 0, "branches": 0}

    for k in range(n_levels):
        level = levels[k] if levels else None
        expression = compiled.level_expressions[k] if levels else None
        if level is not None:
            if level.sense == Sense.MINIMIZE:
                model.minimize(expression)
            else:
                model.maximize(expression)
        solver = cp_model.CpSolver()
        solver.parameters.random_seed = seed
        if threads is not None:
            solver.parameters.num_workers = threads
        if time_limit is not None:
            remaining = time_limit - (time.perf_counter() - started)
            solver.parameters.max_time_in_seconds = max(0.01, remaining - reserve * (n_levels - k - 1))
        for name, value in (params or {}).items():
            setattr(solver.parameters, name, value)
        capture_hint = k == 0 and warm_start is not None
        if log or capture_hint:
            solver.parameters.log_search_progress = True
            solver.parameters.log_to_stdout = log

            def on_log(line: str) -> None:
                if "solution hint" in line.lower() and not hint_log:
                    hint_log.append(line.strip())

            solver.log_callback = on_log
        tracker = _SolutionTracker(compiled, k, started, callback)
        level_started = time.perf_counter()
        raw_status = solver.solve(model, tracker)
        status = _STATUS.get(raw_status, Status.UNKNOWN)
        totals["conflicts"] += solver.num_conflicts
        totals["branches"] += solver.num_branches
        if status == Status.UNKNOWN and solver.parameters.max_time_in_seconds < math.inf:
            if solver.wall_time >= 0.95 * solver.parameters.max_time_in_seconds:
                status = Status.TIME_LIMIT
        outcome = LevelOutcome(
            index=k,
            name="" if level is None else level.name,
            sense="" if level is None else level.sense.value,
            status=status,
            wall_time=time.perf_counter() - level_started,
        )
        outcomes.append(outcome)
        if status == Status.ERROR:
            return BackendOutcome(
                Status.ERROR, None, outcomes, "cpsat", None, stats, f"CP-SAT: model invalid: {model.validate()}"
            )
        if not status.has_solution:
            if level is not None and status in (Status.UNKNOWN, Status.TIME_LIMIT):
                bound = solver.best_objective_bound  # proven even without a solution
                if math.isfinite(bound):
                    outcome.bound = (
                        math.ceil(bound - 1e-6) if level.sense == Sense.MINIMIZE else math.floor(bound + 1e-6)
                    )
            break
        solution = compiled.extract(solver.value)
        if tracker.last_time is not None:
            time_to_best = tracker.last_time
        if level is None:
            break
        # The level's value on the returned solution. CP-SAT's own objective_value can be worse: presolve's
        # dual reductions may relax max-equalities of objective-only variables, and postsolve restores
        # the tight values in the solution it returns.
        value = expression if isinstance(expression, int) else int(solver.value(expression))
        outcome.objective = value
        if level.sense == Sense.MINIMIZE:
            outcome.bound = math.ceil(solver.best_objective_bound - 1e-6)
            model.add(expression == value if status == Status.OPTIMAL else expression <= value)
        else:
            outcome.bound = math.floor(solver.best_objective_bound + 1e-6)
            model.add(expression == value if status == Status.OPTIMAL else expression >= value)
        # Carry the whole solution forward as a complete hint for the next level.
        model.clear_hints()
        values = list(solver.response_proto.solution)
        hint = model.proto.solution_hint
        hint.vars.extend(range(len(values)))
        hint.values.extend(values)

    stats.update(totals)
    if hint_log:
        stats["hint_log"] = hint_log[0]
    stats["solve_time"] = round(time.perf_counter() - started - build_time, 4)

    if solution is None:
        return BackendOutcome(outcomes[0].status, None, outcomes, "cpsat", None, stats)
    solved = [o for o in outcomes if o.status.has_solution]
    all_optimal = len(solved) == n_levels and all(o.status == Status.OPTIMAL for o in solved)
    status = Status.OPTIMAL if all_optimal else Status.FEASIBLE
    return BackendOutcome(status, solution, outcomes, "cpsat", time_to_best, stats)
