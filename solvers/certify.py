"""``certify()``: prove how good a given schedule is.

The schedule is checked first (a schedule the checker rejects is not
certified). Then bound sources run in order of cost, each timed:

1. the combinatorial bounds of :mod:`schedkit.solvers.bounds` (critical path,
   resource energy, machine load, single-machine relaxations, II bounds...),
   then the extra sources: the exact single-machine tardiness method of
   :mod:`schedkit.solvers.exact_tardiness` (its bound is the optimum when it proves one);
2. ``lp``: the LP relaxation of the MIP formulation;
3. ``cpsat`` and ``mip``: the exact backends, warm-started from the schedule
   and given a share of the time limit; each contributes its proven dual
   bound, and a proof of optimality when it finishes.

A source that proves the schedule optimal (bound equal to its objective)
stops the run. The certificate reports the best bound with its source, the
gap ``|objective - bound| / max(|objective|, |bound|)`` and whether the
schedule is proven optimal.

Several lexicographic levels are certified one after the other
(:class:`LevelCertificate`): level 0 by every source above; level k > 0 only
once every earlier level is proven optimal, by the exact backends with the
earlier levels locked at their (optimal) values, so the bound of level k is
a bound among the lexicographically optimal schedules so far. A level after
an unproven one is reported unproven, with no bound: the schedule is called
``optimal`` only when every level is proven, and the certificate names the
order of the levels (their names, and the problem's ``level_order`` or
``disruption_order`` when its builder records one).

Extra sources (such as the exact tardiness certifier) register themselves in
:data:`EXTRA_SOURCES`: a name mapped to ``f(problem, time_limit) -> Bound | None``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from schedkit.models import ProblemData, Sense, Solution
from schedkit.solvers.bounds import BOUND_SOURCES, Bound
from schedkit.solvers.capabilities import UnsupportedFeature
from schedkit.solvers.checker import Violation, check, evaluate
from schedkit.solvers.exact_tardiness import exact_tardiness_bound
from schedkit.solvers.result import Status, relative_gap

EXACT_SOURCES: tuple[str, ...] = ("lp", "cpsat", "mip")
EXTRA_SOURCES: dict[str, Callable[[ProblemData, float | None], Bound | None]] = {}
"""Further bound sources (name -> ``f(problem, time_limit)``), run after the combinatorial ones."""
EXTRA_SOURCES["exact_tardiness"] = exact_tardiness_bound


@dataclass
class SourceReport:
    """What one bound source contributed: its bound (None if none), the time it took, a note."""

    source: str
    bound: float | None
    seconds: float
    note: str = ""


@dataclass
class LevelCertificate:
    """The certificate of one lexicographic level.

    ``value`` is the schedule's value of the level (as the checker computes
    it); ``bound`` the best proven bound on the level given that every
    earlier level is at its (proven optimal) value, or None; ``proven`` is
    True when the bound meets the value.
    """

    index: int
    name: str
    sense: Sense
    value: int
    bound: float | None = None
    bound_source: str | None = None
    gap: float | None = None
    proven: bool = False
    note: str = ""
    sources: list[SourceReport] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "index": self.index,
            "name": self.name,
            "sense": self.sense.value,
            "value": self.value,
            "bound": self.bound,
            "bound_source": self.bound_source,
            "gap": self.gap,
            "proven": self.proven,
            "note": self.note,
        }


@dataclass
class Certificate:
    """The outcome of :func:`certify`.

    ``objective``, ``lower_bound``, ``bound_source`` and ``gap`` refer to the
    first level (kept for single-level use); ``levels`` certifies every level;
    ``optimal`` is True only when every level is proven; ``ordering`` names the
    levels in the order they were certified and ``order`` is the family's name
    for that order (e.g. ``per_tier`` for pod packing), when it has one.
    """

    objective: int | None
    lower_bound: float | None
    bound_source: str | None
    gap: float | None
    optimal: bool
    sense: Sense
    sources: list[SourceReport] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    objectives: tuple[int, ...] | None = None
    wall_time: float = 0.0
    levels: list[LevelCertificate] = field(default_factory=list)
    ordering: tuple[str, ...] = ()
    order: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (the CLI prints this)."""
        return {
            "objective": self.objective,
            "objectives": None if self.objectives is None else list(self.objectives),
            "lower_bound": self.lower_bound,
            "bound_source": self.bound_source,
            "gap": self.gap,
            "optimal": self.optimal,
            "sense": self.sense.value,
            "order": self.order,
            "ordering": list(self.ordering),
            "levels": [level.to_dict() for level in self.levels],
            "violations": [v.message for v in self.violations],
            "wall_time": round(self.wall_time, 4),
            "sources": [
                {"source": s.source, "bound": s.bound, "seconds": round(s.seconds, 4), "note": s.note}
                for s in self.sources
            ],
        }


def all_sources() -> list[str]:
    """Every source name certify() knows, in the order it runs them."""
    return [*BOUND_SOURCES, *EXTRA_SOURCES, *EXACT_SOURCES]


def certify(
    problem: ProblemData,
    solution: Solution,
    time_limit: float | None = 10.0,
    sources: Iterable[str] | None = None,
    threads: int | None = None,
    seed: int = 0,
) -> Certificate:
    """Certify ``solution`` level by level: proven bounds, their sources, gaps (see the module docstring).

    ``sources`` restricts the sources by name (see :func:`all_sources`);
    ``time_limit`` is shared by the exact backends over all levels (the
    combinatorial bounds take milliseconds and are not limited).
    """
    started = time.perf_counter()
    names = all_sources() if sources is None else list(sources)
    unknown = [name for name in names if name not in all_sources()]
    if unknown:
        raise ValueError(f"unknown bound source(s) {', '.join(unknown)}; known: {', '.join(all_sources())}")
    specs = problem.objective.levels
    sense = specs[0].sense if specs else Sense.MINIMIZE
    certificate = Certificate(None, None, None, None, False, sense)
    certificate.ordering = tuple(level.name or f"level{k}" for k, level in enumerate(specs))
    order = problem.meta.get("level_order") or problem.meta.get("disruption_order")
    certificate.order = str(order) if order is not None else None
    certificate.violations = check(problem, solution)
    if certificate.violations:
        certificate.wall_time = time.perf_counter() - started
        return certificate
    values = evaluate(problem, solution)
    certificate.objectives = values
    if not specs:
        certificate.optimal = True
        certificate.gap = 0.0
        return certificate
    deadline = None if time_limit is None else started + time_limit
    exact = [name for name in names if name in EXACT_SOURCES and name != "lp"]
    for k, spec in enumerate(specs):
        level = LevelCertificate(k, certificate.ordering[k], spec.sense, values[k])
        certificate.levels.append(level)
        if k > 0 and not certificate.levels[k - 1].proven:
            level.note = f"not certified: level {certificate.levels[k - 1].name!r} is not proven optimal"
            continue
        runs_left = (len(specs) - k) * max(1, len(exact))
        if k == 0:
            _certify_first_level(problem, solution, level, names, deadline, runs_left, threads, seed)
        else:
            _certify_locked_level(problem, solution, values, level, exact, deadline, runs_left, threads, seed)
        level.gap = relative_gap(level.value, level.bound)
        level.proven = level.bound is not None and abs(level.bound - level.value) < 1e-6
    first = certificate.levels[0]
    certificate.objective = first.value
    certificate.lower_bound = first.bound
    certificate.bound_source = first.bound_source
    certificate.gap = first.gap
    certificate.sources = first.sources
    certificate.optimal = all(level.proven for level in certificate.levels)
    certificate.wall_time = time.perf_counter() - started
    return certificate


def _offer(level: LevelCertificate, source: str, bound: float | None, seconds: float, note: str = "") -> None:
    """Record a source's bound on ``level``, keeping the best; a bound past a checked value is void."""
    maximize = level.sense == Sense.MAXIMIZE
    if bound is not None and ((bound < level.value - 1e-6) if maximize else (bound > level.value + 1e-6)):
        # A bound beyond a checked schedule's value is false: a bug in that source. Never use it.
        note = f"INVALID: bound {bound} beyond the value {level.value} of a checked schedule; ignored"
        bound = None
    level.sources.append(SourceReport(source, bound, seconds, note))
    if bound is None:
        return
    if level.bound is None or (bound < level.bound if maximize else bound > level.bound):
        level.bound = bound
        level.bound_source = source


def _meets(level: LevelCertificate) -> bool:
    return level.bound is not None and abs(level.bound - level.value) < 1e-6


def _share(deadline: float | None, runs_left: int) -> float | None:
    """An exact run's time: what is left, shared by the runs still to come."""
    if deadline is None:
        return None
    return max(0.05, (deadline - time.perf_counter()) / max(1, runs_left))


def _certify_first_level(
    problem: ProblemData,
    solution: Solution,
    level: LevelCertificate,
    names: list[str],
    deadline: float | None,
    runs_left: int,
    threads: int | None,
    seed: int,
) -> None:
    """Bound level 0: combinatorial bounds, extra sources, the LP, then the exact backends (in that order)."""
    for name in names:
        if _meets(level):
            return
        t = time.perf_counter()
        if name in BOUND_SOURCES:
            bound = BOUND_SOURCES[name](problem)
            _offer(
                level,
                name,
                None if bound is None else bound.value,
                time.perf_counter() - t,
                "" if bound else "not applicable",
            )
        elif name in EXTRA_SOURCES:
            left = None if deadline is None else max(0.05, deadline - time.perf_counter())
            bound = EXTRA_SOURCES[name](problem, left)
            note = bound.detail if bound else "not applicable"
            _offer(level, name, None if bound is None else bound.value, time.perf_counter() - t, note)
            if bound is not None and bound.is_optimum and level.bound_source == name:
                return  # the source proved the optimum itself: no other bound can be tighter
        elif name == "lp":
            left = None if deadline is None else max(0.05, deadline - time.perf_counter())
            value, note = _lp_bound(problem, left, threads, seed)
            _offer(level, name, value, time.perf_counter() - t, note)
        elif name in EXACT_SOURCES:
            value, note = _exact_level_bound(problem, solution, (), 0, name, _share(deadline, runs_left), threads, seed)
            runs_left -= 1
            _offer(level, name, value, time.perf_counter() - t, note)


def _certify_locked_level(
    problem: ProblemData,
    solution: Solution,
    values: tuple[int, ...],
    level: LevelCertificate,
    exact: list[str],
    deadline: float | None,
    runs_left: int,
    threads: int | None,
    seed: int,
) -> None:
    """Bound level k > 0 with every earlier level locked at its proven optimal value (exact backends only)."""
    if not exact:
        level.note = "no exact source selected: a later level needs cpsat or mip"
    for name in exact:
        if _meets(level):
            return
        t = time.perf_counter()
        value, note = _exact_level_bound(
            problem, solution, values[: level.index], level.index, name, _share(deadline, runs_left), threads, seed
        )
        runs_left -= 1
        _offer(level, name, value, time.perf_counter() - t, note)


def _lp_bound(
    problem: ProblemData, time_limit: float | None, threads: int | None, seed: int
) -> tuple[float | None, str]:
    """The LP relaxation's bound on level 0."""
    from schedkit.solvers.driver import solve

    try:
        result = solve(problem, backend="lp", time_limit=time_limit, threads=threads, seed=seed)
    except UnsupportedFeature as error:
        return None, f"unsupported: {error}"
    if result.status == Status.ERROR:
        return None, f"error: {result.message}"
    bound = result.lower_bound
    return (
        bound if bound is not None and math.isfinite(bound) else None
    ), f"{result.status.value} in {result.wall_time:.2f} s"


def _exact_level_bound(
    problem: ProblemData,
    solution: Solution,
    locked: tuple[int, ...],
    level: int,
    backend: str,
    time_limit: float | None,
    threads: int | None,
    seed: int,
) -> tuple[float | None, str]:
    """(bound on ``level`` with the levels before it locked ``==`` at ``locked``, note), by CP-SAT or the MIP.

    The backend's model of the problem is built once, the earlier levels are
    locked, and the level is optimised from the schedule (a complete hint).
    """
    from schedkit.solvers.lexicographic import round_bound

    started = time.perf_counter()
    try:
        session = _session(problem, backend, threads, seed)
    except UnsupportedFeature as error:
        return None, f"unsupported: {error}"
    except _NotApplicable as reason:
        return None, str(reason)
    for k, value in enumerate(locked):
        session.lock(k, value, exact=True)
    left = None if time_limit is None else max(0.05, time_limit - (time.perf_counter() - started))
    attempt = session.solve_level(level, left, solution)
    if attempt.status == Status.ERROR:
        return None, f"error: {attempt.message}"
    if attempt.status == Status.INFEASIBLE:
        return None, "backend claims infeasible for a valid schedule (bug)"
    bound = round_bound(attempt.bound, problem.objective.levels[level].sense)
    if attempt.status == Status.OPTIMAL and attempt.value is not None:
        bound = attempt.value if bound is None else bound
    note = f"{attempt.status.value} in {time.perf_counter() - started:.2f} s"
    if attempt.value is not None:
        note += f", best schedule found {attempt.value}"
    return bound, note


class _NotApplicable(Exception):
    """An exact source that does not apply to this problem (the message says why)."""


def _session(problem: ProblemData, backend: str, threads: int | None, seed: int) -> Any:
    """The backend's level session of ``problem`` (CP-SAT, or the MIP of an acyclic problem)."""
    if backend == "cpsat":
        from schedkit.solvers.cpsat.backend import CpSatLevels

        return CpSatLevels(
            problem, started=time.perf_counter(), threads=threads, seed=seed, log=False, params=None, callback=None
        )
    if problem.is_cyclic:
        raise _NotApplicable("not applicable: the MIP of a cyclic problem is solved per II (use cpsat)")
    from schedkit.solvers.linear.formulations import build, choose
    from schedkit.solvers.mip.backend import DEFAULT_SOLVER, MipLevels

    encoding = build(problem, choose(problem, None))
    return MipLevels(problem, encoding, DEFAULT_SOLVER, threads, seed, False)
