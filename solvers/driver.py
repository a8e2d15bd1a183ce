"""``solve()``: run a backend, then let the independent checker judge its schedule."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any

from schedkit.models import ProblemData, Solution
from schedkit.solvers.backends import get_backend, run_backend
from schedkit.solvers.checker import check, evaluate
from schedkit.solvers.lexicographic import TimeSplit
from schedkit.solvers.methods.registry import get_method, split_options
from schedkit.solvers.result import BackendOutcome, LevelOutcome, Progress, Result, Status, relative_gap


def _run_backend(backend: str, problem: ProblemData, **kwargs: Any) -> BackendOutcome:
    """Run the backend called ``backend`` (the one indirection point between ``solve()`` and the backends)."""
    spec = get_backend(backend)
    return run_backend(spec, problem, **kwargs)


def heuristic_score(problem: ProblemData, solution: Solution) -> tuple[int, ...] | None:
    """Checker-based key of a schedule, smaller is better (maximised levels negated); None if it is invalid."""
    if check(problem, solution):
        return None
    values = evaluate(problem, solution)
    return tuple(-v if level.sense.value == "max" else v for v, level in zip(values, problem.objective.levels))


def _resolve_warm_start(
    problem: ProblemData, warm_start: Solution | str | None, stats: dict[str, Any]
) -> Solution | None:
    """The warm start as a Solution: given, from a named rule, or the best rule (``"auto"``)."""
    if warm_start is None or isinstance(warm_start, Solution):
        if warm_start is not None and len(warm_start.tasks) != problem.num_tasks:
            raise ValueError(
                f"warm start has {len(warm_start.tasks)} task assignments, the problem has {problem.num_tasks} tasks"
            )
        return warm_start
    from schedkit.heuristics.registry import HeuristicError, auto, run_rule

    started = time.perf_counter()
    if warm_start == "auto":
        found = auto(problem, heuristic_score)
        info: dict[str, Any] = {"rule": "auto", "seconds": round(time.perf_counter() - started, 4)}
        if found is None:
            info["note"] = "no heuristic applies to this problem: solved without a warm start"
            stats["warm_start"] = info
            return None
        info.update(chosen=found.rule, options=found.options)
        solution = found.solution
    else:
        try:
            solution = run_rule(problem, warm_start)
        except HeuristicError as error:
            raise ValueError(str(error)) from None
        info = {"rule": warm_start, "seconds": round(time.perf_counter() - started, 4)}
    violations = check(problem, solution)
    if violations:  # a heuristic bug: never start from a schedule the checker rejects
        info["note"] = f"the heuristic's schedule failed the checker ({violations[0].message}); not used"
        stats["warm_start"] = info
        return None
    info["objectives"] = list(evaluate(problem, solution))
    stats["warm_start"] = info
    return solution


def solve(
    problem: ProblemData,
    backend: str | None = None,
    time_limit: float | None = None,
    threads: int | None = None,
    seed: int = 0,
    warm_start: Solution | str | None = None,
    callback: Callable[[Progress], Any] | None = None,
    *,
    method: str | None = None,
    time_split: TimeSplit | None = None,
    **options: Any,
) -> Result:
    """Solve ``problem`` and return a checked :class:`Result`.

    Parameters
    ----------
    problem
        The frozen problem.
    backend
        None (the default: ``"cpsat"`` under method ``auto``, see
        ``method``), ``"cpsat"`` (OR-Tools CP-SAT, every construct), ``"mip"`` (a Pyomo
        model solved by HiGHS, or by the Pyomo solver named with
        ``solver=``; ``formulation=`` forces one of ``time_indexed``,
        ``disjunctive``, ``positional``, ``assignment``, ``modulo``) or
        ``"lp"`` (the LP relaxation of that model: a bound, and a schedule
        only when the LP optimum is integral). See
        :mod:`schedkit.solvers.capabilities` for what each supports; an unsupported
        construct raises :class:`~schedkit.solvers.capabilities.UnsupportedFeature`
        before anything is solved.
    time_limit
        Wall-clock limit in seconds for the whole solve (all levels), or None.
    threads
        Solver threads (None: the backend's default, all cores for CP-SAT).
    seed
        Random seed of the backend.
    warm_start
        A :class:`Solution` to start from (every CP-SAT variable is hinted;
        a complete MIP start for the MIP), a heuristic's name (``"mwkr"``,
        ``"sgs_parallel"``, ``"mddc"``, ... see :mod:`schedkit.heuristics.registry`),
        or ``"auto"``: the best applicable rule. The heuristic's rule, time
        and objective are in ``stats["warm_start"]``. A warm start the checker
        accepts is never lost: the result is at least as good on every level
        (``stats["warm_start"]["improved"]`` says whether the solver beat it).
    callback
        Called with a :class:`~schedkit.solvers.result.Progress` record (level, objective,
        bound, wall time, solution) at each improving solution (CP-SAT) or
        each solved level (MIP).
    method
        A method around the backend (:mod:`schedkit.solvers.methods.registry`:
        large neighbourhood search, rolling horizon, ...); ``"backend"``
        runs the backend alone. None (the default) means ``"auto"`` (the
        strongest measured method for the problem's structure, see
        :mod:`schedkit.solvers.methods.auto`) when ``backend`` is not given,
        and the backend alone when it is: ``solve(problem, backend="cpsat")``
        is plain CP-SAT. Options the method takes are passed to it, the
        others to the backend.
    time_split
        How the time limit is shared among lexicographic levels (a
        :class:`~schedkit.solvers.lexicographic.TimeSplit`; default: every
        later level keeps ``T / (2 L)``).
    options
        Backend options (:mod:`schedkit.solvers.backends`): ``log=True`` and
        ``params={...}`` for CP-SAT; ``solver=``, ``formulation=`` and ``log``
        for the MIP; ``formulation=`` and ``log`` for the LP. An option the
        backend does not take raises ``ValueError`` before anything is solved.

    Notes
    -----
    The returned schedule has been verified by :func:`schedkit.solvers.check`; if the
    checker rejects it, or the objective it recomputes differs from the one the
    backend claims, the status is ``error`` and ``violations`` says why.
    Invalid arguments (unknown backend or option, a warm start of the wrong
    size) raise ``ValueError``; a failure inside the backend becomes status ``error``.
    """
    if method is None and backend is None:
        method = "auto"  # the default: what measures best for the problem's structure
    backend = backend or "cpsat"
    spec = get_backend(backend)
    chosen = None if method in (None, "backend") else get_method(method)
    method_options, backend_options = split_options(chosen, spec.option_names, options)
    if chosen is not None:
        foreign = sorted(set(backend_options) - set(spec.option_names))
        if foreign:
            raise ValueError(
                f"neither method {chosen.name!r} ({', '.join(chosen.option_names) or 'no options'}) nor backend "
                f"{backend!r} ({', '.join(spec.option_names)}) takes {', '.join(f'{name}=' for name in foreign)}"
            )
        reason = chosen.applies(problem)
        if reason is not None:
            raise ValueError(f"method {chosen.name!r} does not apply to this problem: {reason}")
    parsed = spec.parse_options(backend_options)
    parsed_method = chosen.parse_options(method_options) if chosen is not None else None
    started = time.perf_counter()
    warm_stats: dict[str, Any] = {}
    warm = _resolve_warm_start(problem, warm_start, warm_stats)
    if time_limit is not None and warm_stats:  # the heuristic's time is part of the budget
        time_limit = max(0.01, time_limit - (time.perf_counter() - started))
    if backend in ("mip", "lp"):
        from schedkit.solvers.linear.formulations import choose

        choose(problem, parsed.formulation)  # refuse unsupported constructs before solving
    common: dict[str, Any] = dict(
        time_limit=time_limit, threads=threads, seed=seed, warm_start=warm, callback=callback, time_split=time_split
    )
    label = backend if chosen is None else f"{chosen.name}:{backend}"
    try:
        if chosen is None:
            outcome = _run_backend(backend, problem, options=parsed, **common)
        else:
            outcome = chosen.run(problem, backend=spec, backend_options=parsed, options=parsed_method, **common)
            outcome.stats.setdefault("method", chosen.name)
    except Exception as error:  # a backend failure is a result, not a crash of the caller
        outcome = BackendOutcome(
            Status.ERROR,
            None,
            message=f"{type(error).__name__}: {error}",
            stats={"traceback": traceback.format_exc(limit=8)},
        )
    outcome.stats.update(warm_stats)
    result = _judge(problem, label, outcome, time.perf_counter() - started)
    result = _keep_incumbent(problem, result, warm)
    result.describe(problem)  # the objective in the family's units, levels by name
    return result


def _keep_incumbent(problem: ProblemData, result: Result, warm: Solution | None) -> Result:
    """Never return less than a valid warm start: keep it when the backend's schedule is missing, rejected or worse.

    ``stats["warm_start"]["improved"]`` says whether the backend's schedule is
    lexicographically better than the warm start.
    """
    if warm is None or check(problem, warm):
        return result
    warm_key = heuristic_score(problem, warm)
    result_key = heuristic_score(problem, result.solution) if result.ok and result.solution is not None else None
    info = result.stats.setdefault("warm_start", {})
    info["improved"] = result_key is not None and warm_key is not None and result_key < warm_key
    if result_key is not None and warm_key is not None and result_key <= warm_key:
        return result
    # The backend gave nothing better: the warm start is the answer. A bound is kept only from a run that
    # ended normally (a backend whose schedule the checker rejected may have claimed anything).
    failed = result.status == Status.ERROR
    info["kept"] = True
    info["backend_status"] = result.status.value
    if result.message:
        info["backend_message"] = result.message
    result.solution = warm
    result.violations = []
    result.objectives = evaluate(problem, warm)
    result.objective = result.objectives[0] if result.objectives else None
    result.message = "the backend did not improve on the warm start, which is returned"
    bounds = {} if failed else {level.index: level.bound for level in result.levels}
    result.levels = [
        LevelOutcome(k, spec.name or f"level{k}", spec.sense, Status.FEASIBLE, objective=value, bound=bounds.get(k))
        for k, (spec, value) in enumerate(zip(problem.objective.levels, result.objectives))
    ]
    bound = None if failed else result.lower_bound
    result.lower_bound = bound
    result.bound_source = None if bound is None else result.bound_source
    proven = bound is not None and result.objective is not None and abs(bound - result.objective) < 1e-6
    result.status = Status.OPTIMAL if proven and len(result.objectives) <= 1 else Status.FEASIBLE
    if result.levels and proven:
        result.levels[0].status = Status.OPTIMAL
    result.gap = relative_gap(result.objective, bound) if bound is not None else None
    return result


def _claim_mismatches(problem: ProblemData, outcome: BackendOutcome, values: tuple[int, ...]) -> list[str]:
    """Levels whose claimed value the checker's recomputation contradicts.

    The last solved level and every level proven optimal (then locked with
    ``==``) must match exactly; a level locked with ``<=`` (``>=``) may only
    have improved since.
    """
    solved = [(lv, claimed) for lv in outcome.levels if (claimed := lv.objective) is not None]
    out = []
    for lv, claimed in solved:
        value = values[lv.index]
        exact = lv is solved[-1][0] or lv.status == Status.OPTIMAL
        minimise = problem.objective.levels[lv.index].sense.value == "min"
        if exact and value != claimed:
            out.append(f"level {lv.index}: backend says {claimed}, checker computes {value}")
        elif not exact and (value > claimed if minimise else value < claimed):
            out.append(f"level {lv.index}: locked at {claimed}, checker computes {value}")
    return out


def _judge(problem: ProblemData, backend: str, outcome: BackendOutcome, wall_time: float) -> Result:
    """Turn a backend outcome into a Result, with the checker's verdict and recomputed objective."""
    levels = problem.objective.levels
    result = Result(
        status=outcome.status,
        backend=backend,
        wall_time=wall_time,
        time_to_best=outcome.time_to_best,
        levels=outcome.levels,
        stats=outcome.stats,
        message=outcome.message,
        problem=problem.name,
        sense=levels[0].sense if levels else None,
        bound_source=outcome.bound_source if outcome.levels and outcome.levels[0].bound is not None else None,
    )
    if outcome.levels and levels:
        result.lower_bound = outcome.levels[0].bound
    if outcome.solution is None:
        if outcome.status.has_solution:
            result.status = Status.ERROR
            result.message = "backend reported a solution but returned none"
        return result
    result.solution = outcome.solution
    result.violations = check(problem, outcome.solution)
    if result.violations:
        result.status = Status.ERROR
        result.message = f"the checker rejected the backend's schedule ({len(result.violations)} violations)"
        return result
    values = evaluate(problem, outcome.solution)
    result.objectives = values
    if values:
        result.objective = values[0]
    mismatches = _claim_mismatches(problem, outcome, values)
    if mismatches:
        result.status = Status.ERROR
        result.message = "objective mismatch between backend and checker: " + "; ".join(mismatches)
        return result
    if result.objective is not None and result.lower_bound is not None:
        bound = result.lower_bound
        if levels[0].sense.value == "min" and bound > result.objective:
            result.status = Status.ERROR
            result.message = f"bound {bound} exceeds the objective {result.objective}"
        elif levels[0].sense.value == "max" and bound < result.objective:
            result.status = Status.ERROR
            result.message = f"bound {bound} is below the objective {result.objective}"
        result.gap = relative_gap(result.objective, bound)
    elif result.status == Status.OPTIMAL and not levels:
        result.gap = 0.0
    return result


def run_heuristic(
    problem: ProblemData, rule: str, priority: str | None = None, seed: int = 0, improve: bool = False
) -> Result:
    """Run one heuristic (or ``"auto"``) alone and return a checked :class:`Result` like a solve's.

    The status is ``feasible`` (a heuristic proves nothing) or ``error`` when
    the checker rejects the schedule; there is no bound.
    """
    from schedkit.heuristics.registry import HeuristicError, auto, run_rule

    started = time.perf_counter()
    stats: dict[str, Any] = {"rule": rule}
    if rule == "auto":
        if priority is not None:
            raise ValueError("--priority does not apply to auto (it tries the priorities itself)")
        found = auto(problem, heuristic_score)
        if found is None:
            raise ValueError("no heuristic applies to this problem")
        solution = found.solution
        stats.update(chosen=found.rule, options=found.options)
    else:
        try:
            solution = run_rule(problem, rule, priority=priority, seed=seed, improve=improve)
        except HeuristicError as error:
            raise ValueError(str(error)) from None
        if priority is not None:
            stats["priority"] = priority
    levels = problem.objective.levels
    result = Result(
        Status.FEASIBLE,
        f"heuristic:{rule}",
        wall_time=time.perf_counter() - started,
        solution=solution,
        problem=problem.name,
        sense=levels[0].sense if levels else None,
        stats=stats,
    )
    result.time_to_best = result.wall_time
    result.violations = check(problem, solution)
    if result.violations:
        result.status = Status.ERROR
        result.message = f"the checker rejected the heuristic's schedule ({len(result.violations)} violations)"
        return result
    result.objectives = evaluate(problem, solution)
    result.objective = result.objectives[0] if result.objectives else None
    result.describe(problem)
    return result
