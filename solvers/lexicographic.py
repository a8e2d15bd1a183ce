"""The lexicographic loop: solve the levels of an objective in order, for every backend.

A problem's objective is a list of levels ``f_0, f_1, ...``; a lexicographic
optimum minimises (or maximises) ``f_0``, then ``f_1`` among the optima of
``f_0``, and so on. Every backend solves it the same way, here:

for each level k, in order,

1. give the level its time (:class:`TimeSplit`, default :func:`reserve_split`);
2. solve the level with the earlier levels locked, hinting the schedule found
   so far (the backend supplies "solve this level under these locks", a
   :class:`LevelSession`);
3. round the level's proven dual bound to the integers (every level value
   is an integer): ``ceil(bound - 1e-6)`` when minimising, ``floor(bound +
   1e-6)`` when maximising;
4. never lose the incumbent: if the level came back without a schedule, or
   with one worse on this level than the incumbent (the warm start, or the
   previous level's schedule, both of which satisfy every lock so far), or
   equal on this level but worse on the later ones, the incumbent is kept
   and the level reports its value;
5. lock the level at its value: ``f_k == v`` when proven optimal, ``f_k <= v``
   (``>= v`` when maximising) otherwise, so later levels cannot undo it.

The run ends at the first level that neither the backend nor the incumbent
can give a schedule for. The returned schedule satisfies every lock of every
level reached; the checker then verifies it and recomputes every level in
:func:`schedkit.solvers.solve`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from schedkit.models import ProblemData, Sense, Solution
from schedkit.solvers.checker import check, evaluate
from schedkit.solvers.result import LevelOutcome, Progress, Status


class TimeSplit(Protocol):
    """How much of the remaining time one level may use.

    Called before each level with the level's index, the number of levels,
    the seconds left of the whole solve and the whole time limit; returns the
    level's limit in seconds (at most ``time_left``).
    """

    def __call__(self, level: int, n_levels: int, time_left: float, total: float) -> float:
        """Seconds for ``level`` of ``n_levels`` with ``time_left`` of the ``total`` limit remaining."""
        ...


def reserve_split(level: int, n_levels: int, time_left: float, total: float) -> float:
    """The default split: every later level keeps a guaranteed ``total / (2 L)``; the rest is this level's.

    Earlier levels may thus use up to half the budget plus whatever later
    levels will not need, and the last level gets everything left.
    """
    reserve = (n_levels - level - 1) * total / (2 * max(1, n_levels))
    return max(0.01, time_left - reserve)


@dataclass
class LevelAttempt:
    """What a backend returned for one level.

    Attributes
    ----------
    status
        ``optimal`` (the level is proven optimal under the locks), ``feasible``,
        ``infeasible``, ``time_limit``, ``unknown`` or ``error``.
    solution
        The schedule found, or None.
    value
        The level's value on ``solution``, as the backend's own model computes
        it (the checker recomputes it independently later).
    bound
        The proven dual bound of the level under the locks (a lower bound when
        minimising, an upper bound when maximising), unrounded, or None.
    message
        A note on a failure (e.g. an invalid model).
    """

    status: Status
    solution: Solution | None = None
    value: int | None = None
    bound: float | None = None
    message: str = ""


class LevelSession(Protocol):
    """One backend's model of one problem, solved level by level under locks."""

    reports_progress: bool
    """Whether the session calls the progress callback itself (CP-SAT does, at each improving solution)."""

    def solve_level(self, level: int | None, time_limit: float | None, hint: Solution | None) -> LevelAttempt:
        """Optimise ``level`` (None: find any schedule) under the locks so far, starting from ``hint``."""
        ...

    def lock(self, level: int, value: int, exact: bool) -> None:
        """Add ``f_level == value`` (``exact``) or ``f_level <= value`` (``>=`` when maximising)."""
        ...


@dataclass
class LexicographicRun:
    """The outcome of :func:`solve_levels`."""

    levels: list[LevelOutcome]
    solution: Solution | None
    values: tuple[int, ...] = ()
    incumbent_kept: list[int] = field(default_factory=list)
    """Levels at which the backend did not beat the incumbent, which was kept."""
    message: str = ""

    @property
    def all_optimal(self) -> bool:
        """Whether a schedule came back and every level was reached and proven optimal."""
        return self.solution is not None and all(level.status == Status.OPTIMAL for level in self.levels)

    @property
    def infeasible(self) -> bool:
        """Whether the backend proved that no schedule exists."""
        return self.solution is None and bool(self.levels) and self.levels[0].status == Status.INFEASIBLE


def round_bound(bound: float | None, sense: Sense) -> float | None:
    """A level's dual bound rounded to the integers the level can take (None if unknown or infinite)."""
    if bound is None or not math.isfinite(bound):
        return None
    return math.floor(bound + 1e-6) if sense == Sense.MAXIMIZE else math.ceil(bound - 1e-6)


def _no_worse(value: int, than: int, sense: Sense) -> bool:
    return value >= than if sense == Sense.MAXIMIZE else value <= than


def _later_levels_better(
    problem: ProblemData, incumbent_values: tuple[int, ...], solution: Solution, level: int
) -> bool:
    """On a tie at ``level``: whether the incumbent is lexicographically better on the levels after it."""
    if level + 1 >= len(incumbent_values) or check(problem, solution):
        return False
    values = evaluate(problem, solution)
    for k in range(level + 1, len(values)):
        if values[k] != incumbent_values[k]:
            return not _no_worse(values[k], incumbent_values[k], problem.objective.levels[k].sense)
    return False


def solve_levels(
    problem: ProblemData,
    session: LevelSession,
    *,
    time_limit: float | None = None,
    started: float | None = None,
    incumbent: Solution | None = None,
    callback: Callable[[Progress], Any] | None = None,
    time_split: TimeSplit | None = None,
) -> LexicographicRun:
    """Solve the levels of ``problem`` in order with ``session`` (see the module docstring).

    Parameters
    ----------
    problem
        The problem (its levels give names, senses and the count).
    session
        The backend's model, solved level by level.
    time_limit
        Seconds for all levels together, counted from ``started``; None = no limit.
    started
        ``time.perf_counter()`` at the start of the solve (default: now).
    incumbent
        A schedule to keep if a level does no better (the warm start). It must
        satisfy the problem (the caller checks it); it is also the first hint.
    callback
        Called with a :class:`~schedkit.solvers.result.Progress` after each
        solved level, unless the session reports progress itself.
    time_split
        Each level's share of the time (default :func:`reserve_split`).
    """
    started = time.perf_counter() if started is None else started
    split = time_split or reserve_split
    specs = problem.objective.levels
    n_levels = max(1, len(specs))
    deadline = None if time_limit is None else started + time_limit
    run = LexicographicRun([], None)
    hint = incumbent  # a warm start is hinted even when invalid (a backend may repair it) ...
    if incumbent is not None and check(problem, incumbent):
        incumbent = None  # ... but only a schedule the checker accepts is kept
    incumbent_values = evaluate(problem, incumbent) if incumbent is not None else ()
    values: list[int] = []
    for k in range(n_levels):
        spec = specs[k] if specs else None
        budget = None
        if deadline is not None and time_limit is not None:
            left = max(0.0, deadline - time.perf_counter())
            budget = max(0.01, min(left, split(k, n_levels, left, time_limit)))
        level_started = time.perf_counter()
        attempt = session.solve_level(k if spec is not None else None, budget, hint)
        outcome = LevelOutcome(
            k,
            (spec.name if spec else "") or f"level{k}",
            spec.sense if spec else Sense.MINIMIZE,
            attempt.status,
            wall_time=round(time.perf_counter() - level_started, 4),
        )
        run.levels.append(outcome)
        if attempt.status == Status.ERROR:
            run.message = attempt.message
        solution, value = attempt.solution, attempt.value
        if spec is not None:
            outcome.bound = round_bound(attempt.bound, spec.sense)
        if incumbent is not None:
            kept_value = incumbent_values[k] if spec is not None else None
            if solution is None or (
                spec is not None
                and (
                    value is None
                    or not _no_worse(value, incumbent_values[k], spec.sense)
                    or (value == incumbent_values[k] and _later_levels_better(problem, incumbent_values, solution, k))
                )
            ):
                solution, value = incumbent, kept_value  # the backend did not beat the incumbent: keep it
                proven = outcome.bound is not None and outcome.bound == value
                outcome.status = Status.OPTIMAL if proven else Status.FEASIBLE
                run.incumbent_kept.append(k)
        if solution is None:
            break
        run.solution = solution
        hint = solution
        if spec is None:
            break
        assert value is not None
        outcome.objective = value
        if outcome.status == Status.OPTIMAL and outcome.bound is None:
            outcome.bound = value
        values.append(value)
        if callback is not None and not session.reports_progress:
            bound = math.nan if outcome.bound is None else float(outcome.bound)
            callback(Progress(k, float(value), bound, time.perf_counter() - started, solution))
        session.lock(k, value, exact=outcome.status == Status.OPTIMAL)
        incumbent = solution  # satisfies every lock so far: the incumbent of the next level
        incumbent_values = evaluate(problem, solution) if k + 1 < n_levels else ()
    run.values = tuple(values)
    return run


def status_of(run: LexicographicRun) -> Status:
    """Optimal when every level is proven, else feasible; without a schedule, the first level's status."""
    if run.solution is None:
        return run.levels[0].status if run.levels else Status.UNKNOWN
    return Status.OPTIMAL if run.all_optimal else Status.FEASIBLE
