"""The LP backend: the LP relaxation of the MIP formulation, a proven bound in little time.

The relaxation is solved by HiGHS directly (no Pyomo). Its optimum bounds the
first level (rounded up when the level's coefficients are integral on
integer variables, since every schedule then has an integer value). When the
LP optimum happens to be integral, it is a schedule: it is decoded, and the
checker judges it like any other. A cyclic problem is relaxed at each
initiation interval: when the first level minimises II, the first II whose
relaxation is feasible is a lower bound; otherwise the bound is the best
relaxation over all II.
"""

from __future__ import annotations

import math
import time
from typing import Any

from schedkit.models import ProblemData, Sense, Solution
from schedkit.solvers.linear.highs_direct import DirectSolve, solve_direct
from schedkit.solvers.result import BackendOutcome, LevelOutcome, Status
from schedkit.solvers.solution_view import SolutionView


def _integral(lm: Any, values: Any) -> bool:
    return all(abs(v - round(v)) <= 1e-6 for v, integer in zip(values, lm.integer) if integer)


def _integral_level(lm: Any, level: int) -> bool:
    expr = lm.levels[level].expr
    return all(lm.integer[i] and float(c).is_integer() for i, c in expr.coefs.items())


def _rounded(lm: Any, result: DirectSolve) -> float | None:
    if result.objective is None:
        return None
    if not lm.levels:
        return None
    maximize = lm.levels[0].maximize
    if _integral_level(lm, 0):
        return math.floor(result.objective + 1e-6) if maximize else math.ceil(result.objective - 1e-6)
    return result.objective


def solve_lp(
    problem: ProblemData,
    time_limit: float | None = None,
    threads: int | None = None,
    seed: int = 0,
    warm_start: Solution | None = None,
    callback: Any = None,
    formulation: str | None = None,
    log: bool = False,
    started: float | None = None,
) -> BackendOutcome:
    """Bound ``problem``'s first level by the LP relaxation (see :func:`schedkit.solvers.solve`, ``backend="lp"``).

    The time limit counts from ``started`` (default: now) and covers building
    the relaxation, which stops when the limit passes; ``log`` streams
    HiGHS's log line by line.
    """
    from schedkit.solvers.linear.deadline import OutOfTime, building_until
    from schedkit.solvers.linear.formulations import build, choose

    started = time.perf_counter() if started is None else started
    name = choose(problem, formulation)
    stats: dict[str, Any] = {"formulation": name, "relaxation": "lp"}
    levels = problem.objective.levels
    level_name = (levels[0].name or "level0") if levels else "feasibility"
    sense = levels[0].sense if levels else Sense.MINIMIZE
    iis = [0]
    if problem.is_cyclic:
        assert problem.cycle is not None
        iis = list(range(problem.cycle.ii_min, problem.cycle.ii_max + 1))
    from schedkit.solvers.linear.formulations import ii_first

    best_bound: float | None = None
    solution: Solution | None = None
    solution_value: int | None = None
    feasible_any = False
    for ii in iis:
        left = None if time_limit is None else time_limit - (time.perf_counter() - started)
        if left is not None and left <= 0:
            stats["ii_unfinished"] = ii
            best_bound = None if not (problem.is_cyclic and ii_first(problem)) else best_bound
            break
        try:
            with building_until(None if time_limit is None else started + time_limit):
                encoding = build(problem, name, ii)
        except OutOfTime as error:
            stats["ii_unfinished"] = ii
            stats["out_of_time"] = str(error)
            best_bound = None if not (problem.is_cyclic and ii_first(problem)) else best_bound
            break
        lm = encoding.lm
        stats.update(lm.summary())
        left = None if time_limit is None else max(0.001, time_limit - (time.perf_counter() - started))
        result = solve_direct(lm, 0, relax=True, time_limit=left, threads=threads, seed=seed, log=log)
        if result.status == "infeasible":
            continue
        if result.status != "optimal":
            stats["lp_status"] = result.status
            best_bound = None
            break
        feasible_any = True
        bound = float(ii) if problem.is_cyclic and ii_first(problem) else _rounded(lm, result)
        if bound is not None and (
            best_bound is None
            or (bound > best_bound if levels and levels[0].sense == Sense.MAXIMIZE else bound < best_bound)
        ):
            best_bound = bound
        if result.values is not None and _integral(lm, result.values) and solution is None:
            solution = encoding.decode(result.values.tolist())
            if lm.levels:
                solution_value = int(round(lm.levels[0].expr.value(lm.hint_values(SolutionView.of(problem, solution)))))
        if problem.is_cyclic and ii_first(problem):
            break
    stats["solve_time"] = round(time.perf_counter() - started, 4)
    if not feasible_any and "lp_status" not in stats and "ii_unfinished" not in stats:
        return BackendOutcome(
            Status.INFEASIBLE, None, [LevelOutcome(0, level_name, sense, Status.INFEASIBLE)], "lp", None, stats
        )
    optimal = solution is not None and len(levels) <= 1 and best_bound is not None and solution_value == best_bound
    status = Status.OPTIMAL if optimal else (Status.FEASIBLE if solution is not None else Status.UNKNOWN)
    outcome = LevelOutcome(0, level_name, sense, status, objective=solution_value, bound=best_bound)
    outcome.wall_time = stats["solve_time"]
    if solution is not None and len(levels) > 1:
        return BackendOutcome(status, solution, [outcome], "lp", None, stats, "LP relaxation: first level only")
    message = "" if solution is not None else "LP relaxation: a bound, no schedule (the LP optimum is fractional)"
    return BackendOutcome(status, solution, [outcome], "lp", None, stats, message)
