"""Solve a problem as a MIP through Pyomo: formulation choice, lexicographic levels, MIP starts, II search.

Levels are solved in order on one Pyomo model by the lexicographic loop
(:func:`schedkit.solvers.lexicographic.solve_levels`); :class:`MipLevels`
supplies "solve this level under these locks", with the schedule found so far
as a complete MIP start. The value of a level is the formulation's own
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

import time
from collections.abc import Callable
from typing import Any

from schedkit.models import ProblemData, Sense, Solution
from schedkit.solvers.lexicographic import LevelAttempt, LexicographicRun, TimeSplit, solve_levels
from schedkit.solvers.linear.encoding import TaskEncoding
from schedkit.solvers.linear.formulations import build, choose, ii_first
from schedkit.solvers.linear.linear import LinearModel
from schedkit.solvers.mip.pyomo_model import PyomoModel, PyomoSolve
from schedkit.solvers.result import BackendOutcome, LevelOutcome, Status
from schedkit.solvers.solution_view import SolutionView

DEFAULT_SOLVER = "appsi_highs"
DIRECT_SOLVER = "highspy"
"""``solver="highspy"``: the same formulation handed to HiGHS directly, without building a Pyomo model."""
_STATUSES = {status.value for status in Status}


class MipLevels:
    """A MIP formulation of one problem, solved level by level (a ``LevelSession`` of the lexicographic loop).

    The level's value is the formulation's own expression evaluated at the
    decoded schedule (helper variables set tight), so a slack helper in a
    solver incumbent never inflates what is reported.
    """

    reports_progress = False

    def __init__(
        self,
        problem: ProblemData,
        encoding: TaskEncoding,
        solver: str,
        threads: int | None,
        seed: int,
        log: bool,
    ) -> None:
        self.problem = problem
        self.encoding = encoding
        self.lm = encoding.lm
        self.solver = solver
        self.threads = threads
        self.seed = seed
        self.log = log
        build_started = time.perf_counter()
        self.model: PyomoModel | _DirectModel = (
            _DirectModel(self.lm) if solver == DIRECT_SOLVER else PyomoModel(self.lm, problem.name or "schedkit")
        )
        self.stats: dict[str, Any] = {"pyomo_build_time": round(time.perf_counter() - build_started, 4)}

    def solve_level(self, level: int | None, time_limit: float | None, hint: Solution | None) -> LevelAttempt:
        """Optimise ``level`` (None: any schedule), starting from ``hint`` as a complete MIP start."""
        self.model.activate(level)
        if hint is not None:
            start = self.lm.hint_values(SolutionView.of(self.problem, hint))
            self.model.set_start(start)
        spec = None if level is None else self.lm.levels[level]
        result = self.model.solve(
            self.solver, time_limit, self.threads, self.seed, hint is not None, self.log, bool(spec and spec.maximize)
        )
        status = Status(result.status) if result.status in _STATUSES else Status.UNKNOWN
        if result.objective is not None:
            self.stats.setdefault("solver_objectives", []).append(result.objective)
        if result.values is None:
            return LevelAttempt(status, bound=result.bound, message=result.message)
        solution = self.encoding.decode(result.values)
        values = self.lm.hint_values(SolutionView.of(self.problem, solution))
        broken = self.lm.violated_rows(values)
        if broken:
            self.stats.setdefault("decode_violations", broken[:5])
        value = None if spec is None else int(round(spec.expr.value(values)))
        return LevelAttempt(status, solution, value, result.bound)

    def lock(self, level: int, value: int, exact: bool) -> None:
        """Add ``f_level == value``, or ``<=`` (``>=`` when maximising) when not proven optimal."""
        self.model.lock(level, value, exact)


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
        from schedkit.solvers.linear.highs_direct import solve_direct

        result = solve_direct(self.lm, self.level or 0, False, time_limit, threads, seed, self.locks)
        values = None if result.values is None else result.values.tolist()
        return PyomoSolve(result.status, result.objective, result.bound, values)


def _better(a: tuple[int, ...], b: tuple[int, ...], senses: list[bool]) -> bool:
    """Whether level values ``a`` beat ``b`` lexicographically (``senses``: True = maximise)."""
    for x, y, maximize in zip(a, b, senses):
        if x != y:
            return x > y if maximize else x < y
    return False


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
    time_split: TimeSplit | None = None,
) -> BackendOutcome:
    """Solve ``problem`` with the MIP backend (see :func:`schedkit.solvers.solve`, ``backend="mip"``)."""
    started = time.perf_counter()
    deadline = None if time_limit is None else started + time_limit
    name = choose(problem, formulation)
    if solver == DIRECT_SOLVER and name == "assignment":
        from schedkit.solvers.linear.selection import solve_selection

        return solve_selection(
            problem, time_limit=time_limit, seed=seed, warm_start=warm_start, time_split=time_split, checked=True
        )
    stats: dict[str, Any] = {"formulation": name, "solver": solver}
    if not problem.is_cyclic:
        encoding = build(problem, name)
        stats.update(encoding.lm.summary())
        stats["build_time"] = round(time.perf_counter() - started, 4)
        if warm_start is not None:
            start = encoding.lm.hint_values(SolutionView.of(problem, warm_start))
            stats["warm_start_violations"] = len(encoding.lm.violated_rows(start))
        session = MipLevels(problem, encoding, solver, threads, seed, log)
        run = solve_levels(
            problem,
            session,
            time_limit=time_limit,
            started=started,
            incumbent=warm_start,
            callback=callback,
            time_split=time_split,
        )
        stats.update(session.stats)
        if run.incumbent_kept:
            stats["incumbent_kept_at_levels"] = run.incumbent_kept
        return _outcome(run.levels, run.solution, run.all_optimal, run.infeasible, stats, started, run.message)
    return _solve_cyclic(problem, name, solver, deadline, threads, seed, warm_start, log, stats, started)


def _solve_cyclic(
    problem: ProblemData,
    name: str,
    solver: str,
    deadline: float | None,
    threads: int | None,
    seed: int,
    warm_start: Solution | None,
    log: bool,
    stats: dict[str, Any],
    started: float,
) -> BackendOutcome:
    """Solve at each II from ``ii_min`` up (see the module docstring); keep the lexicographically best."""
    cycle = problem.cycle
    assert cycle is not None
    senses = [level.sense == Sense.MAXIMIZE for level in problem.objective.levels]
    ii_alone_first = ii_first(problem)
    best: LexicographicRun | None = None
    resolved = True  # every II tried so far ended optimal or infeasible
    tried: dict[int, str] = {}
    for ii in range(cycle.ii_min, cycle.ii_max + 1):
        if deadline is not None and time.perf_counter() >= deadline:
            resolved = False
            break
        encoding = build(problem, name, ii)
        incumbent = warm_start if warm_start is not None and warm_start.ii == ii else None
        remaining = None if deadline is None else max(0.01, deadline - time.perf_counter())
        session = MipLevels(problem, encoding, solver, threads, seed, log)
        run = solve_levels(problem, session, time_limit=remaining, incumbent=incumbent)
        tried[ii] = "infeasible" if run.infeasible else ("optimal" if run.all_optimal else run.levels[0].status.value)
        if not (run.infeasible or run.all_optimal):
            resolved = False
        if run.solution is not None and (best is None or _better(run.values, best.values, senses)):
            best = run
        if run.solution is not None and ii_alone_first:
            break
    stats.update({"ii_tried": tried, "formulation": name})
    if best is None:
        status = Status.INFEASIBLE if resolved and len(tried) == cycle.ii_max - cycle.ii_min + 1 else Status.UNKNOWN
        if status != Status.INFEASIBLE and deadline is not None and time.perf_counter() >= deadline:
            status = Status.TIME_LIMIT
        return BackendOutcome(status, None, [], "mip", None, stats)
    levels = best.levels
    complete = ii_alone_first or len(tried) == cycle.ii_max - cycle.ii_min + 1
    optimal = resolved and complete
    if levels and problem.objective.levels:
        if ii_alone_first and resolved:
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
    message: str = "",
) -> BackendOutcome:
    stats["solve_time"] = round(time.perf_counter() - started, 4)
    if solution is None:
        status = Status.INFEASIBLE if infeasible else (levels[0].status if levels else Status.UNKNOWN)
        return BackendOutcome(status, None, levels, "mip", None, stats, message)
    status = Status.OPTIMAL if all_optimal else Status.FEASIBLE
    return BackendOutcome(status, solution, levels, "mip", time.perf_counter() - started, stats, message)


def write(problem: ProblemData, path: str, formulation: str | None = None, ii: int | None = None) -> str:
    """Write the MIP of a single-level problem to ``path`` (``.lp`` or ``.mps``, by extension); return the formulation.

    A lexicographic problem is refused (an LP/MPS file holds one objective):
    :func:`schedkit.solvers.mip.export.write_model` writes one of its levels
    with the earlier ones fixed. A cyclic problem is written at ``ii``
    (default: its smallest II).
    """
    from schedkit.solvers.mip.export import write_model

    return write_model(problem, path, formulation=formulation, ii=ii).formulation
