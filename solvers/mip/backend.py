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

import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from schedkit.models import ProblemData, Sense, Solution
from schedkit.solvers.lexicographic import LevelAttempt, LexicographicRun, TimeSplit, solve_levels
from schedkit.solvers.linear.deadline import OutOfTime, build_and_load_seconds, building_until
from schedkit.solvers.linear.encoding import TaskEncoding
from schedkit.solvers.linear.formulations import build, choose, ii_first
from schedkit.solvers.linear.linear import LinearModel
from schedkit.solvers.mip.level_solve import PyomoSolve
from schedkit.solvers.result import BackendOutcome, LevelOutcome, Status
from schedkit.solvers.solution_view import SolutionView

if TYPE_CHECKING:
    from schedkit.solvers.mip.pyomo_model import PyomoModel

PYOMO_IMPORT_SECONDS = 2.5
"""Importing Pyomo the first time in a process (2 to 4 s measured on the 2-core machine): part of the budget."""

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
        if solver == DIRECT_SOLVER:
            self.model: PyomoModel | _DirectModel = _DirectModel(self.lm)
        else:
            from schedkit.solvers.mip.pyomo_model import PyomoModel  # Pyomo only when a Pyomo model is built

            self.model = PyomoModel(self.lm, problem.name or "schedkit")
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
        load_time = getattr(self.model, "load_time", None)
        if load_time is not None:
            self.stats["load_time"] = round(load_time, 4)
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

        result = solve_direct(self.lm, self.level or 0, False, time_limit, threads, seed, self.locks, log=log)
        values = None if result.values is None else result.values.tolist()
        return PyomoSolve(result.status, result.objective, result.bound, values)


def _better(a: tuple[int, ...], b: tuple[int, ...], senses: list[bool]) -> bool:
    """Whether level values ``a`` beat ``b`` lexicographically (``senses``: True = maximise)."""
    for x, y, maximize in zip(a, b, senses):
        if x != y:
            return x > y if maximize else x < y
    return False


class _Unbuilt:
    """A session whose model could not be built or loaded in time: every level ends at the time limit.

    Run through the lexicographic loop it keeps the incumbent (the warm start
    or the auto heuristic's schedule) on every level, as a solve that found
    nothing better would.
    """

    reports_progress = False

    def __init__(self, message: str) -> None:
        self.message = message

    def solve_level(self, level: int | None, time_limit: float | None, hint: Solution | None) -> LevelAttempt:
        return LevelAttempt(Status.TIME_LIMIT, message=self.message)

    def lock(self, level: int, value: int, exact: bool) -> None:
        """Nothing to lock: there is no model."""


def auto_start(problem: ProblemData, stats: dict[str, Any]) -> Solution | None:
    """The best applicable heuristic's schedule (``auto``), checked, or None; its rule and time go in ``stats``.

    The MIP starts from it when the caller gave no warm start: HiGHS then
    improves a schedule instead of searching for a first one, and a solve
    stopped by its time limit (or a model too large to load in time) still
    returns a checked schedule.
    """
    from schedkit.heuristics.registry import auto
    from schedkit.solvers.checker import check, evaluate

    began = time.perf_counter()

    def score(candidate: ProblemData, solution: Solution) -> tuple[int, ...] | None:
        if check(candidate, solution):
            return None
        values = evaluate(candidate, solution)
        return tuple(-v if lv.sense == Sense.MAXIMIZE else v for v, lv in zip(values, candidate.objective.levels))

    try:
        found = auto(problem, score)
    except Exception as error:  # a heuristic failure must not stop the MIP
        stats["auto_start"] = {"note": f"auto failed: {type(error).__name__}: {error}"}
        return None
    info: dict[str, Any] = {"seconds": round(time.perf_counter() - began, 4)}
    if found is None or check(problem, found.solution):
        info["note"] = "no heuristic applies" if found is None else "the heuristic's schedule failed the checker"
        stats["auto_start"] = info
        return None
    info.update(rule=found.rule, objectives=list(evaluate(problem, found.solution)))
    stats["auto_start"] = info
    return found.solution


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
    started: float | None = None,
) -> BackendOutcome:
    """Solve ``problem`` with the MIP backend (see :func:`schedkit.solvers.solve`, ``backend="mip"``).

    The time limit covers everything from ``started`` (default: now; the
    backend registry passes the moment before Pyomo was imported): the auto
    heuristic, encoding the IR, the Pyomo model, loading it into the solver
    and the search. Building stops when the limit passes, and a load that
    cannot finish in time is not started (:mod:`schedkit.solvers.linear.deadline`);
    without a warm start the MIP starts from the ``auto`` heuristic's schedule,
    which is what comes back when the model could not be solved in time.
    """
    started = time.perf_counter() if started is None else started
    deadline = None if time_limit is None else started + time_limit
    name = choose(problem, formulation)
    if solver == DIRECT_SOLVER and name == "assignment":
        from schedkit.solvers.linear.selection import solve_selection

        remaining = None if deadline is None else max(0.01, deadline - time.perf_counter())
        return solve_selection(
            problem, time_limit=remaining, seed=seed, warm_start=warm_start, time_split=time_split, checked=True
        )
    stats: dict[str, Any] = {"formulation": name, "solver": solver}
    if warm_start is None and not problem.is_cyclic:
        warm_start = auto_start(problem, stats)
    if not problem.is_cyclic:
        session: MipLevels | _Unbuilt
        try:
            with building_until(deadline):
                encoding_started = time.perf_counter()
                encoding = build(problem, name)
                stats.update(encoding.lm.summary())
                stats["build_time"] = round(time.perf_counter() - encoding_started, 4)
                left = None if deadline is None else deadline - time.perf_counter()
                needed = 0.0
                if solver != DIRECT_SOLVER:
                    needed = build_and_load_seconds(encoding.lm.num_rows, encoding.lm.num_nonzeros)
                    if "pyomo.environ" not in sys.modules:
                        needed += PYOMO_IMPORT_SECONDS
                if left is not None and needed > left:
                    raise OutOfTime(
                        "before building the Pyomo model",
                        f"{encoding.lm.num_nonzeros} nonzeros need about {needed:.2f} s for the Pyomo model and load, "
                        f"{max(0.0, left):.2f} s were left",
                    )
                if warm_start is not None:
                    start = encoding.lm.hint_values(SolutionView.of(problem, warm_start))
                    stats["warm_start_violations"] = len(encoding.lm.violated_rows(start))
                session = MipLevels(problem, encoding, solver, threads, seed, log)
            run = _run_levels(problem, session, time_limit, started, warm_start, callback, time_split)
        except OutOfTime as error:
            session = _Unbuilt(f"the MIP was not solved: {error}")
            stats["out_of_time"] = str(error)
            run = _run_levels(problem, session, time_limit, started, warm_start, callback, time_split)
            run.message = session.message + (
                "; the warm start (or the auto heuristic's schedule) is returned" if run.solution is not None else ""
            )
        if isinstance(session, MipLevels):
            stats.update(session.stats)
        if run.incumbent_kept:
            stats["incumbent_kept_at_levels"] = run.incumbent_kept
        return _outcome(run.levels, run.solution, run.all_optimal, run.infeasible, stats, started, run.message)
    return _solve_cyclic(problem, name, solver, deadline, threads, seed, warm_start, log, stats, started)


def _run_levels(
    problem: ProblemData,
    session: MipLevels | _Unbuilt,
    time_limit: float | None,
    started: float,
    incumbent: Solution | None,
    callback: Callable[[Any], Any] | None,
    time_split: TimeSplit | None,
) -> LexicographicRun:
    return solve_levels(
        problem,
        session,
        time_limit=time_limit,
        started=started,
        incumbent=incumbent,
        callback=callback,
        time_split=time_split,
    )


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
        incumbent = warm_start if warm_start is not None and warm_start.ii == ii else None
        try:
            with building_until(deadline):
                encoding = build(problem, name, ii)
                session = MipLevels(problem, encoding, solver, threads, seed, log)
            remaining = None if deadline is None else max(0.01, deadline - time.perf_counter())
            run = solve_levels(problem, session, time_limit=remaining, incumbent=incumbent)
        except OutOfTime as error:
            stats["out_of_time"] = f"II {ii}: {error}"
            resolved = False
            break
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
