"""The rolling-horizon loop (L-RHO's procedure over the IR).

::

    order the operations by relative position (structure.py)
    repeat until every operation is committed:
        W  = the next H uncommitted operations in that order
        O  = the operations of the previous window that are in W again (the overlap)
        decide which of O to fix or hint (strategies.py; learned: model.py; oracle: oracle.py)
        solve the window problem (window.py) within the window limit, early-stopping
        commit the S operations of W with the earliest starts (all of W at the end);
            an operation is committed only after all its predecessors
        the rest of W overlaps into the next window

The committed operations, with the mode and start they had in the window that
committed them, form the schedule of the whole problem; the caller checks it.
``solve_time`` adds up the window solvers' wall times (L-RHO's reported time);
``wall_time`` is everything, model building, features and oracle included.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.models import ProblemData, Solution
from schedkit.solvers.checker import evaluate
from schedkit.solvers.methods.rho.options import RhoOptions
from schedkit.solvers.methods.rho.state import CommittedState
from schedkit.solvers.methods.rho.strategies import Decision, decide
from schedkit.solvers.methods.rho.structure import RhoStructure
from schedkit.solvers.methods.rho.warm import left_justify, window_warm_start
from schedkit.solvers.methods.rho.window import WindowProblem, build_window
from schedkit.solvers.methods.rho.window_solver import WindowResult, solve_window_backend, solve_window_cpsat


@dataclass
class WindowContext:
    """What a strategy may look at before a window is solved.

    ``previous`` maps each task of the previous window to ``(mode, start)`` in
    that window's solution; ``overlap`` lists the tasks of this window that
    were in the previous one, in the previous window's order. ``state`` is the
    live committed state: it describes this window only until the window's
    operations are committed (read it in a predictor, oracle or observer call,
    not later).
    """

    problem: ProblemData
    structure: RhoStructure
    state: CommittedState
    tasks: tuple[int, ...]
    overlap: tuple[int, ...]
    previous: Mapping[int, tuple[int, int]]
    index: int


@dataclass
class WindowRecord:
    """One window of a run: sizes, decision, result and times."""

    index: int
    size: int
    overlap: int
    fixed: int
    hinted: int
    objective: int | None
    status: str
    solve_time: float
    wall_time: float
    committed: int
    early_stopped: bool
    threshold: float | None = None
    oracle_time: float = 0.0


@dataclass
class RhoRun:
    """The outcome of :func:`run_rho`."""

    solution: Solution | None
    windows: list[WindowRecord] = field(default_factory=list)
    solve_time: float = 0.0
    wall_time: float = 0.0
    message: str = ""

    def stats(self) -> dict[str, Any]:
        """A JSON-ready summary for ``Result.stats``."""
        fixed = sum(w.fixed for w in self.windows)
        overlap = sum(w.overlap for w in self.windows)
        return {
            "windows": len(self.windows),
            "solve_time": round(self.solve_time, 4),
            "wall_time": round(self.wall_time, 4),
            "fixed_fraction": round(fixed / overlap, 4) if overlap else None,
            "early_stopped_windows": sum(w.early_stopped for w in self.windows),
            "oracle_time": round(sum(w.oracle_time for w in self.windows), 4),
        }


Predictor = Callable[[WindowContext], np.ndarray]
"""Probability that each overlap operation keeps its machine (learned strategy)."""
Oracle = Callable[[WindowContext, WindowProblem], tuple[list[int], float]]
"""Labels of the overlap operations and the seconds spent (oracle strategy)."""
Observer = Callable[[WindowContext, Decision, WindowResult], None]
"""Called after each window solve (training data collection)."""


def run_rho(
    problem: ProblemData,
    options: RhoOptions,
    *,
    backend: str = "cpsat",
    backend_options: Mapping[str, Any] | None = None,
    time_limit: float | None = None,
    threads: int | None = None,
    seed: int = 0,
    predictor: Predictor | None = None,
    oracle: Oracle | None = None,
    observer: Observer | None = None,
) -> RhoRun:
    """Run RHO on ``problem`` (see the module docstring); a window without a schedule ends the run with a message.

    The learned strategy uses ``predictor`` (default: the packaged model), the
    oracle strategy ``oracle`` (default: L-RHO's look-ahead oracle with the
    window limits of ``options``); ``observer`` sees every solved window.
    """
    started = time.perf_counter()
    if options.strategy == "learned" and predictor is None:
        from schedkit.solvers.methods.rho.model import packaged_model

        predictor = packaged_model()
    if options.strategy == "oracle" and oracle is None:
        from schedkit.solvers.methods.rho.oracle import make_oracle

        oracle = make_oracle(options, threads, seed)
    deadline = None if time_limit is None else started + time_limit
    structure = RhoStructure.of(problem, seed)
    state = CommittedState(problem)
    rng = np.random.default_rng(seed)
    position = {t: i for i, t in enumerate(structure.order)}
    run = RhoRun(None)
    previous: dict[int, tuple[int, int]] = {}
    previous_tasks: tuple[int, ...] = ()
    index = 0
    while state.num_committed < problem.num_tasks:
        window_started = time.perf_counter()
        pending = [t for t in structure.order if not state.is_committed(t)]
        tasks = tuple(pending[: options.window])
        members = set(tasks)
        overlap = tuple(t for t in previous_tasks if t in members)
        context = WindowContext(problem, structure, state, tasks, overlap, previous, index)
        decision, oracle_time = _decide(context, options, rng, predictor, oracle, backfill=options.backfill)
        window = build_window(
            problem, structure, state, tasks, decision.fixed, options.backfill, options.window_objective
        )
        left = math.inf if deadline is None else deadline - time.perf_counter()
        windows_left = 1 + max(0, math.ceil((len(pending) - options.window) / options.commit))
        limit = min(options.window_time_limit, max(0.05, left / windows_left))
        warm = window_warm_start(window, previous) if options.warm_windows else None
        result = _solve(window, decision, options, backend, backend_options, limit, threads, seed + index, warm)
        if result.solution is None and warm is None:  # out of time before a first schedule: take CP-SAT's first
            result = _solve(
                window,
                decision,
                options,
                backend,
                backend_options,
                options.window_time_limit,
                threads,
                seed + index,
                None,
                first_only=True,
            )
        run.solve_time += result.wall_time
        result = _keep_warm(window, result, warm)
        if result.solution is not None:
            result.solution = left_justify(window, result.solution)
        if result.solution is None:
            run.message = f"window {index} ({len(tasks)} operations) got no schedule: {result.status}"
            break
        if observer is not None:
            observer(context, decision, result)
        modes: dict[int, int] = {}
        starts: dict[int, int] = {}
        for t, a in zip(tasks, result.solution.tasks):
            # A checked window schedule places every task (RHO refuses optional tasks).
            assert a.mode is not None and a.start is not None
            modes[t], starts[t] = a.mode, a.start
        chosen = _to_commit(
            problem, structure, state, tasks, starts, position, options.commit, last=len(pending) <= options.window
        )
        for t in chosen:
            state.commit(t, modes[t], starts[t])
        run.windows.append(
            WindowRecord(
                index,
                len(tasks),
                len(overlap),
                len(decision.fixed),
                len(decision.hinted),
                result.objective,
                result.status,
                result.wall_time,
                time.perf_counter() - window_started,
                len(chosen),
                result.early_stopped,
                decision.threshold,
                oracle_time,
            )
        )
        previous = {t: (modes[t], starts[t]) for t in tasks}
        previous_tasks = tasks
        index += 1
    if state.num_committed == problem.num_tasks:
        run.solution = Solution.from_lists(state.start, state.mode)
    run.wall_time = time.perf_counter() - started
    return run


def _decide(
    context: WindowContext,
    options: RhoOptions,
    rng: np.random.Generator,
    predictor: Predictor | None,
    oracle: Oracle | None,
    backfill: bool,
) -> tuple[Decision, float]:
    """The strategy's decision on the overlap, and the oracle's seconds (0 for other strategies)."""
    previous_mode = {t: context.previous[t][0] for t in context.overlap}
    probabilities, labels, seconds = None, None, 0.0
    if context.overlap and options.strategy == "learned":
        if predictor is None:
            raise ValueError("strategy='learned' needs a predictor")
        probabilities = predictor(context)
    if context.overlap and options.strategy == "oracle":
        if oracle is None:
            raise ValueError("strategy='oracle' needs an oracle")
        free = build_window(
            context.problem,
            context.structure,
            context.state,
            context.tasks,
            {},
            options.backfill,
            options.window_objective,
        )
        labels, seconds = oracle(context, free)
    decision = decide(
        options.strategy,
        context.overlap,
        previous_mode,
        rng=rng,
        fix_fraction=options.fix_fraction,
        fix_probability=options.fix_probability,
        probabilities=probabilities,
        threshold=options.threshold,
        labels=labels,
    )
    return decision, seconds


def _solve(
    window: WindowProblem,
    decision: Decision,
    options: RhoOptions,
    backend: str,
    backend_options: Mapping[str, Any] | None,
    limit: float,
    threads: int | None,
    seed: int,
    warm: Solution | None,
    first_only: bool = False,
) -> WindowResult:
    """Solve the window with CP-SAT (early stop, machine hints, warm start) or another backend."""
    local = window.local()
    if backend != "cpsat":
        return solve_window_backend(
            window.problem,
            backend,
            time_limit=limit,
            threads=threads,
            seed=seed,
            warm_start=warm,
            options=backend_options,
        )
    params = dict((backend_options or {}).get("params") or {})
    if first_only:
        params["stop_after_first_solution"] = True
    return solve_window_cpsat(
        window.problem,
        time_limit=limit,
        early_stop=options.early_stop,
        threads=threads,
        seed=seed,
        mode_hints={local[t]: m for t, m in decision.hinted.items()},
        warm_start=warm,
        conflict_limit=None if first_only else options.conflict_limit,
        params=params,
    )


def _keep_warm(window: WindowProblem, result: WindowResult, warm: Solution | None) -> WindowResult:
    """The solver's window schedule, or the warm start when the solver has nothing better."""
    if warm is None:
        return result
    value = evaluate(window.problem, warm)[0]
    if result.solution is not None and result.objective is not None and result.objective <= value:
        return result
    return WindowResult(
        warm,
        value,
        result.bound,
        f"warm_start_kept:{result.status}",
        result.wall_time,
        result.solutions,
        result.early_stopped,
    )


def _to_commit(
    problem: ProblemData,
    structure: RhoStructure,
    state: CommittedState,
    tasks: tuple[int, ...],
    starts: Mapping[int, int | None],
    position: Mapping[int, int],
    count: int,
    last: bool,
) -> list[int]:
    """The window tasks to commit: all in the last window, else the ``count`` earliest starts.

    An operation is committed only when all its predecessors are (or were just) committed.
    """
    if last:
        ordered = sorted(tasks, key=lambda t: (starts[t], position[t]))
        return ordered
    chosen: list[int] = []
    done: set[int] = set()
    for t in sorted(tasks, key=lambda t: (starts[t], position[t])):
        preds = (problem.precedences[i].a for i in structure.predecessors[t])
        if all(state.is_committed(a) or a in done for a in preds):
            chosen.append(t)
            done.add(t)
            if len(chosen) == count:
                break
    return chosen
