"""Solve a problem as a MIP through Pyomo: formulation choice, lexicographic levels, MIP starts, II search.

Levels are solved in order on one Pyomo model; after level k the model gets
``level_k == value`` when proven optimal and ``level_k <= value`` (``>=``
when maximising) otherwise, and the schedule found so far becomes a complete
MIP start for the next level. The value of a level is the formulation's own
expression evaluated at the decoded schedule (helper variables set tight),
so a slack helper in a solver incumbent never inflates what is reported; the
checker then recomputes it independently.

A cyclic problem is solved at each initiation interval from ``ii_min`` up
(the time-indexed model is linear only for a fixed II). When the first
level minimises II alone, the first II with a schedule is optimal once the
smaller ones are proven infeasible; otherwise every II in range is solved
and the lexicographically best result kept.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from schedkit.models import ProblemData, Sense, Solution, TermKind
from schedkit.solvers.mip.encoding import TaskEncoding
from schedkit.solvers.mip.formulations import build, choose
from schedkit.solvers.mip.linear import LinearModel
from schedkit.solvers.mip.pyomo_model import PyomoModel, PyomoSolve
from schedkit.solvers.result import BackendOutcome, LevelOutcome, Progress, Status
from schedkit.solvers.solution_view import SolutionView

DEFAULT_SOLVER = "appsi_highs"
DIRECT_SOLVER = "highspy"
"""``solver="highspy"``: the same formulation handed to HiGHS directly, without building a Pyomo model."""
_STATUSES = {status.value for status in Status}


@dataclass
class _Run:
    """The outcome of the lexicographic solve of one model."""

    levels: list[LevelOutcome]
    solution: Solution | None
    values: tuple[int, ...] = ()
    infeasible: bool = False
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def all_optimal(self) -> bool:
        return self.solution is not None and all(lv.status == Status.OPTIMAL for lv in self.levels)


def _budget(deadline: float | None, level: int, n_levels: int, total: float | None) -> float | None:
    """Time for ``level``: what is left, minus a reserve of ``total / (2 L)`` per later level."""
    if deadline is None or total is None:
        return None
    reserve = (n_levels - level - 1) * total / (2 * max(1, n_levels))
    return max(0.01, deadline - time.perf_counter() - reserve)


def _round_bound(bound: float | None, maximize: bool) -> float | None:
    if bound is None or not math.isfinite(bound):
        return None
    return math.floor(bound + 1e-6) if maximize else math.ceil(bound - 1e-6)


def solve_levels(
    problem: ProblemData,
    encoding: TaskEncoding,
    solver: str,
    deadline: float | None,
    total: float | None,
    threads: int | None,
    seed: int,
    start: list[float] | None,
    log: bool,
    started: float,
    callback: Callable[[Any], Any] | None = None,
) -> _Run:
    """Solve the levels of one encoded model in order (see the module docstring)."""
    lm = encoding.lm
    build_started = time.perf_counter()
    pm = _DirectModel(lm) if solver == DIRECT_SOLVER else PyomoModel(lm, problem.name or "schedkit")
    stats: dict[str, Any] = {"pyomo_build_time": round(time.perf_counter() - build_started, 4)}
    levels: list[LevelOutcome] = []
    solution: Solution | None = None
    values: list[int] = []
    n_levels = len(lm.levels)
    for k in range(max(1, n_levels)):
        level = lm.levels[k] if n_levels else None
        spec = problem.objective.levels[k] if n_levels else None
        pm.activate(k if n_levels else None)
        if start is not None:
            pm.set_start(start)
        level_started = time.perf_counter()
        result = pm.solve(
            solver,
            _budget(deadline, k, n_levels, total),
            threads,
            seed,
            start is not None,
            log,
            bool(level and level.maximize),
        )
        outcome = LevelOutcome(
            k,
            (spec.name if spec else "") or f"level{k}",
            spec.sense.value if spec else Sense.MINIMIZE.value,
            Status(result.status) if result.status in _STATUSES else Status.UNKNOWN,
            wall_time=round(time.perf_counter() - level_started, 4),
        )
        if result.values is None:
            if level is not None:
                outcome.bound = _round_bound(result.bound, level.maximize)
            levels.append(outcome)
            return _Run(
                levels, solution, tuple(values), infeasible=result.status == "infeasible" and k == 0, stats=stats
            )
        solution = encoding.decode(result.values)
        start = lm.hint_values(SolutionView.of(problem, solution))
        broken = lm.violated_rows(start)
        if broken:
            stats.setdefault("decode_violations", broken[:5])
        if level is None:
            levels.append(outcome)
            break
        value = int(round(level.expr.value(start)))
        outcome.objective = value
        outcome.bound = _round_bound(result.bound, level.maximize)
        if result.status == "optimal":
            outcome.bound = value if outcome.bound is None else outcome.bound
        if result.objective is not None:
            stats.setdefault("solver_objectives", []).append(result.objective)
        levels.append(outcome)
        values.append(value)
        if callback is not None:
            bound = float(outcome.bound) if outcome.bound is not None else math.nan
            callback(Progress(k, float(value), bound, time.perf_counter() - started, solution))

        pm.lock(k, value, exact=result.status == "optimal")
    return _Run(levels, solution, tuple(values), stats=stats)


class _DirectModel:
    """The level-by-level interface of :class:`PyomoModel`, solved by highspy without Pyomo."""

    def __init__(self, lm: LinearModel) -> None:
        self.lm = lm
        self.level: int | None = None
        self.locks: list[tuple[int, float]] = []

    def activate(self, level: int | None) -> None:
        self.level = level

    def set_start(self, values: list[float]) -> None:
        """MIP starts are not passed on this path, which serves small hot-path models."""

    def lock(self, level: int, value: float, exact: bool) -> None:
        self.locks.append((level, value))

    def solve(
        self,
        solver: str,
        time_limit: float | None,
        threads: int | None,
        seed: int,
        warm: bool,
        log: bool,
        maximize: bool,
    ) -> PyomoSolve:
        from schedkit.solvers.lp.highs_direct import solve_direct

        result = solve_direct(self.lm, self.level or 0, False, time_limit, threads, seed, self.locks)
        values = None if result.values is None else result.values.tolist()
        return PyomoSolve(result.status, result.objective, result.bound, values)


def _better(a: tuple[int, ...], b: tuple[int, ...], senses: list[bool]) -> bool:
    """Whether level values ``a`` beat ``b`` lexicographically (``senses``: True = maximise)."""
    for x, y, maximize in zip(a, b, senses):
        if x != y:
            return x > y if maximize else x < y
    return False


def _ii_first(problem: ProblemData) -> bool:
    """Whether the first level minimises the initiation interval alone."""
    levels = problem.objective.levels
    if not levels:
        return True
    terms = levels[0].terms
    return all(t.kind == TermKind.INITIATION_INTERVAL for t in terms) and all(
        (t.weight > 0) == (levels[0].sense == Sense.MINIMIZE) for t in terms
    )


def solve_mip(
    problem: ProblemData,
    time_limit: float | None = None,
    threads: int | None = None,
    seed: int = 0,
    warm_start: Solution | None = None,
    callback: Callable[[Any], Any] | None = None,
    solver: str = DEFAULT_SOLVER,
    formulation: str | None = None,
    log: bool = False,
) -> BackendOutcome:
    """Solve ``problem`` with the MIP backend (see :func:`schedkit.solvers.solve`, ``backend="mip"``)."""
    started = time.perf_counter()
    deadline = None if time_limit is None else started + time_limit
    name = choose(problem, formulation)
    if solver == DIRECT_SOLVER and name == "assignment":
        from schedkit.solvers.lp.selection import solve_selection

        return solve_selection(problem, time_limit=time_limit, seed=seed, checked=True)
    stats: dict[str, Any] = {"formulation": name, "solver": solver}
    if not problem.is_cyclic:
        encoding = build(problem, name)
        stats.update(encoding.lm.summary())
        stats["build_time"] = round(time.perf_counter() - started, 4)
        start = None
        if warm_start is not None:
            start = encoding.lm.hint_values(SolutionView.of(problem, warm_start))
            stats["warm_start_violations"] = len(encoding.lm.violated_rows(start))
        run = solve_levels(
            problem, encoding, solver, deadline, time_limit, threads, seed, start, log, started, callback
        )
        stats.update(run.stats)
        return _outcome(run.levels, run.solution, run.all_optimal, run.infeasible, stats, started)
    return _solve_cyclic(problem, name, solver, deadline, time_limit, threads, seed, warm_start, log, started, stats)


def _solve_cyclic(
    problem: ProblemData,
    name: str,
    solver: str,
    deadline: float | None,
    time_limit: float | None,
    threads: int | None,
    seed: int,
    warm_start: Solution | None,
    log: bool,
    started: float,
    stats: dict[str, Any],
) -> BackendOutcome:
    cycle = problem.cycle
    assert cycle is not None
    senses = [level.sense == Sense.MAXIMIZE for level in problem.objective.levels]
    ii_first = _ii_first(problem)
    best: _Run | None = None
    resolved = True  # every II tried so far ended optimal or infeasible
    tried: dict[int, str] = {}
    for ii in range(cycle.ii_min, cycle.ii_max + 1):
        if deadline is not None and time.perf_counter() >= deadline:
            resolved = False
            break
        encoding = build(problem, name, ii)
        start = None
        if warm_start is not None and warm_start.ii == ii:
            start = encoding.lm.hint_values(SolutionView.of(problem, warm_start))
        remaining = None if deadline is None else max(0.01, deadline - time.perf_counter())
        run = solve_levels(problem, encoding, solver, deadline, remaining, threads, seed, start, log, started)
        tried[ii] = "infeasible" if run.infeasible else ("optimal" if run.all_optimal else run.levels[0].status.value)
        if not (run.infeasible or run.all_optimal):
            resolved = False
        if run.solution is not None and (best is None or _better(run.values, best.values, senses)):
            best = run
        if run.solution is not None and ii_first:
            break
    stats.update({"ii_tried": tried, "formulation": name})
    if best is None:
        status = Status.INFEASIBLE if resolved and len(tried) == cycle.ii_max - cycle.ii_min + 1 else Status.UNKNOWN
        if status != Status.INFEASIBLE and deadline is not None and time.perf_counter() >= deadline:
            status = Status.TIME_LIMIT
        return BackendOutcome(status, None, [], "mip", None, stats)
    levels = best.levels
    complete = ii_first or len(tried) == cycle.ii_max - cycle.ii_min + 1
    optimal = resolved and complete
    if levels and problem.objective.levels:
        if ii_first and resolved:
            levels[0].bound = levels[0].objective  # every smaller II is proven infeasible
        elif not optimal:
            levels[0].bound = None  # untried IIs could still be better
    return _outcome(levels, best.solution, optimal, False, stats, started)


def _outcome(
    levels: list[LevelOutcome],
    solution: Solution | None,
    all_optimal: bool,
    infeasible: bool,
    stats: dict[str, Any],
    started: float,
) -> BackendOutcome:
    stats["solve_time"] = round(time.perf_counter() - started, 4)
    if solution is None:
        status = Status.INFEASIBLE if infeasible else (levels[0].status if levels else Status.UNKNOWN)
        return BackendOutcome(status, None, levels, "mip", None, stats)
    status = Status.OPTIMAL if all_optimal else Status.FEASIBLE
    return BackendOutcome(status, solution, levels, "mip", time.perf_counter() - started, stats)


def write(problem: ProblemData, path: str, formulation: str | None = None, ii: int | None = None) -> str:
    """Write the MIP of ``problem`` to ``path`` (``.lp`` or ``.mps``, by extension); return the formulation.

    The first objective level is the objective of the file. A cyclic problem
    is written at ``ii`` (default: its smallest II).
    """
    if not (path.endswith(".lp") or path.endswith(".mps")):
        raise ValueError(f"{path}: write .lp or .mps files")
    name = choose(problem, formulation)
    if problem.is_cyclic:
        assert problem.cycle is not None
        ii = problem.cycle.ii_min if ii is None else ii
    encoding = build(problem, name, ii or 0)
    PyomoModel(encoding.lm, problem.name or "schedkit").write(path)
    return name
