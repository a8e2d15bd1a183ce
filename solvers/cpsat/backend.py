"""Solve a problem with CP-SAT: one model, its levels solved by the lexicographic loop.

:class:`CpSatLevels` is CP-SAT's :class:`~schedkit.solvers.lexicographic.LevelSession`:
each level becomes the objective of the same compiled model, locks become
constraints and the hint (warm start, then each level's schedule) hints every
variable. The loop itself (time split, bound rounding, locks, the incumbent
rule) is :func:`schedkit.solvers.lexicographic.solve_levels`. An INFEASIBLE
answer is re-checked once with safer parameters (:data:`SAFE_PARAMS`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from ortools.sat.python import cp_model

from schedkit.models import ProblemData, Sense, Solution
from schedkit.solvers.cpsat.compiler import CpSatModel
from schedkit.solvers.lexicographic import LevelAttempt, TimeSplit, solve_levels, status_of
from schedkit.solvers.result import BackendOutcome, Progress, Status


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


LARGE_OPTIONAL_INTERVALS = 3000
"""From this many optional intervals on, probing is off unless ``params`` sets ``cp_model_probing_level``.

Probing a literal of an optional interval propagates through its whole
no-overlap; CP-SAT's deterministic clock undercounts that work (its probe of a
100-job, 60-machine flexible job shop with 8,528 machine options counted 0.05
deterministic seconds for 11 s of wall time, and ran twice), so its time
limits do not cut it: the 60 s budget went to presolve before the first
schedule. Brandimarte's largest (861 options) stays below the threshold.
"""


def _is_interval(constraint: Any) -> bool:
    """Whether a constraint of the model's proto is an interval (protobuf before OR-Tools 9.15, pybind since)."""
    if hasattr(constraint, "WhichOneof"):
        return bool(constraint.WhichOneof("constraint") == "interval")
    return bool(constraint.has_interval())


def _many_optional_intervals(model: cp_model.CpModel) -> bool:
    """Whether ``model`` has at least :data:`LARGE_OPTIONAL_INTERVALS` optional intervals."""
    count = 0
    for ct in model.proto.constraints:
        if _is_interval(ct) and len(ct.enforcement_literal):
            count += 1
            if count >= LARGE_OPTIONAL_INTERVALS:
                return True
    return False


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
    time_split: TimeSplit | None = None,
) -> BackendOutcome:
    """Compile ``problem`` to CP-SAT and solve its levels in order (:mod:`schedkit.solvers.lexicographic`).

    ``params`` sets any CP-SAT parameter by name (e.g. ``{"num_search_workers":
    8}``); ``log`` prints CP-SAT's search log. An INFEASIBLE answer is
    re-checked once with :data:`SAFE_PARAMS` in the time left; if that run
    finds a schedule, it is the result (and ``stats["infeasible_refuted"]``
    says so).
    """
    started = time.perf_counter()
    kwargs: dict[str, Any] = dict(
        threads=threads, seed=seed, warm_start=warm_start, callback=callback, log=log, time_split=time_split
    )
    outcome = _solve_cpsat(problem, time_limit=time_limit, params=params, **kwargs)
    if outcome.status != Status.INFEASIBLE:
        return outcome
    left = None if time_limit is None else max(0.01, time_limit - (time.perf_counter() - started))
    recheck = _solve_cpsat(problem, time_limit=left, params={**(params or {}), **SAFE_PARAMS}, **kwargs)
    if recheck.solution is not None:
        recheck.stats["infeasible_refuted"] = True
        return recheck
    outcome.stats["infeasible_rechecked"] = recheck.status.value
    return outcome


class CpSatLevels:
    """The CP-SAT model of one problem, solved level by level (a :class:`~schedkit.solvers.lexicographic.LevelSession`).

    Each level sets the level's expression as the objective of the same model;
    locks are added as constraints; the hint is the previous level's schedule
    (or the warm start), hinting every variable, helpers included.
    """

    reports_progress = True

    def __init__(
        self,
        problem: ProblemData,
        *,
        started: float,
        threads: int | None,
        seed: int,
        log: bool,
        params: dict[str, Any] | None,
        callback: Callable[[Progress], Any] | None,
    ) -> None:
        self.problem = problem
        self.compiled = CpSatModel(problem)
        self.started = started
        self.threads = threads
        self.seed = seed
        self.log = log
        self.params = params or {}
        self.callback = callback
        self.hint_log: list[str] = []
        self.totals = {"conflicts": 0, "branches": 0}
        self.time_to_best: float | None = None
        self._solved_once = False

    def solve_level(self, level: int | None, time_limit: float | None, hint: Solution | None) -> LevelAttempt:
        """Optimise ``level`` (None: any schedule) within ``time_limit`` seconds, hinting ``hint``."""
        compiled, model = self.compiled, self.compiled.model
        spec = None if level is None else self.problem.objective.levels[level]
        expression = None if level is None else compiled.level_expressions[level]
        if spec is not None and expression is not None:  # both None when any schedule will do
            if spec.sense == Sense.MINIMIZE:
                model.minimize(expression)
            else:
                model.maximize(expression)
        if hint is not None:
            model.clear_hints()
            compiled.add_hints(hint)
        solver = cp_model.CpSolver()
        solver.parameters.random_seed = self.seed
        if self.threads is not None:
            solver.parameters.num_workers = self.threads
        if time_limit is not None:
            solver.parameters.max_time_in_seconds = time_limit
        if "cp_model_probing_level" not in self.params and _many_optional_intervals(model):
            solver.parameters.cp_model_probing_level = 0
        for name, value in self.params.items():
            setattr(solver.parameters, name, value)
        capture_hint = not self._solved_once and hint is not None
        self._solved_once = True
        if self.log or capture_hint:
            solver.parameters.log_search_progress = True
            solver.parameters.log_to_stdout = self.log

            def on_log(line: str) -> None:
                if "solution hint" in line.lower() and not self.hint_log:
                    self.hint_log.append(line.strip())

            solver.log_callback = on_log
        tracker = _SolutionTracker(compiled, level or 0, self.started, self.callback)
        status = _STATUS.get(solver.solve(model, tracker), Status.UNKNOWN)
        self.totals["conflicts"] += solver.num_conflicts
        self.totals["branches"] += solver.num_branches
        if status == Status.UNKNOWN and solver.parameters.max_time_in_seconds < math.inf:
            if solver.wall_time >= 0.95 * solver.parameters.max_time_in_seconds:
                status = Status.TIME_LIMIT
        if status == Status.ERROR:
            return LevelAttempt(status, message=f"CP-SAT: model invalid: {model.validate()}")
        # CP-SAT leaves best_objective_bound at 0 when it stopped before loading the model into the search
        # (e.g. inside presolve): that 0 is no bound at all.
        response = solver.response_proto
        searched = status.has_solution or response.num_booleans > 0 or response.num_integers > 0
        bound = solver.best_objective_bound if spec is not None and searched else None
        if not status.has_solution:
            # a bound is proven even without a solution (not after an infeasibility proof)
            return LevelAttempt(status, bound=bound if status in (Status.UNKNOWN, Status.TIME_LIMIT) else None)
        if tracker.last_time is not None:
            self.time_to_best = tracker.last_time
        solution = compiled.extract(solver.value)
        # The level's value on the returned solution. CP-SAT's own objective_value can be worse: presolve's
        # dual reductions may relax max-equalities of objective-only variables, and postsolve restores
        # the tight values in the solution it returns.
        value = None
        if expression is not None:
            value = expression if isinstance(expression, int) else int(solver.value(expression))
        return LevelAttempt(status, solution, value, bound)

    def lock(self, level: int, value: int, exact: bool) -> None:
        """Add ``f_level == value``, or ``<=`` (``>=`` when maximising) when not proven optimal."""
        expression = self.compiled.level_expressions[level]
        if exact:
            self.compiled.model.add(expression == value)
        elif self.problem.objective.levels[level].sense == Sense.MINIMIZE:
            self.compiled.model.add(expression <= value)
        else:
            self.compiled.model.add(expression >= value)


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
    time_split: TimeSplit | None = None,
) -> BackendOutcome:
    started = time.perf_counter()
    session = CpSatLevels(
        problem, started=started, threads=threads, seed=seed, log=log, params=params, callback=callback
    )
    build_time = time.perf_counter() - started
    compiled = session.compiled
    stats: dict[str, Any] = {
        "build_time": round(build_time, 4),
        "variables": compiled.num_variables,
        "constraints": len(compiled.model.proto.constraints),
    }
    if warm_start is not None:
        stats["hinted_variables"] = compiled.add_hints(warm_start)
        stats["hint_complete"] = stats["hinted_variables"] == compiled.num_variables
        compiled.model.clear_hints()
    run = solve_levels(
        problem,
        session,
        time_limit=time_limit,
        started=started,
        incumbent=warm_start,
        callback=callback,
        time_split=time_split,
    )
    stats.update(session.totals)
    if session.hint_log:
        stats["hint_log"] = session.hint_log[0]
    if run.incumbent_kept:
        stats["incumbent_kept_at_levels"] = run.incumbent_kept
    stats["solve_time"] = round(time.perf_counter() - started - build_time, 4)
    return BackendOutcome(status_of(run), run.solution, run.levels, "cpsat", session.time_to_best, stats, run.message)
