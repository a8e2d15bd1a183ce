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
schedule is proven optimal. Bounds refer to the primary (first) objective
level; for several levels, ``optimal`` also needs an exact backend to prove
the whole lexicographic vector optimal.

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
class Certificate:
    """The outcome of :func:`certify`."""

    objective: int | None
    lower_bound: float | None
    bound_source: str | None
    gap: float | None
    optimal: bool
    sense: str
    sources: list[SourceReport] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    objectives: tuple[int, ...] | None = None
    wall_time: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (the CLI prints this)."""
        return {
            "objective": self.objective,
            "objectives": None if self.objectives is None else list(self.objectives),
            "lower_bound": self.lower_bound,
            "bound_source": self.bound_source,
            "gap": self.gap,
            "optimal": self.optimal,
            "sense": self.sense,
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
    """Certify ``solution``: the best proven bound on its primary level, its source, the gap (see the module doc).

    ``sources`` restricts the sources by name (see :func:`all_sources`);
    ``time_limit`` is shared by the exact backends (the combinatorial
    bounds take milliseconds and are not limited).
    """
    started = time.perf_counter()
    names = all_sources() if sources is None else list(sources)
    unknown = [name for name in names if name not in all_sources()]
    if unknown:
        raise ValueError(f"unknown bound source(s) {', '.join(unknown)}; known: {', '.join(all_sources())}")
    levels = problem.objective.levels
    maximize = bool(levels) and levels[0].sense == Sense.MAXIMIZE
    certificate = Certificate(None, None, None, None, False, "max" if maximize else "min")
    certificate.violations = check(problem, solution)
    if certificate.violations:
        certificate.wall_time = time.perf_counter() - started
        return certificate
    values = evaluate(problem, solution)
    certificate.objectives = values
    if not levels:
        certificate.optimal = True
        certificate.gap = 0.0
        return certificate
    objective = values[0]
    certificate.objective = objective

    def better(bound: float, than: float | None) -> bool:
        return than is None or (bound < than if maximize else bound > than)

    def offer(source: str, bound: float | None, seconds: float, note: str = "") -> None:
        if bound is not None and ((bound > objective + 1e-6) if not maximize else (bound < objective - 1e-6)):
            # A bound beyond a checked schedule's value is false: a bug in that source. Never use it.
            note = f"INVALID: bound {bound} beyond the objective {objective} of a checked schedule; ignored"
            bound = None
        certificate.sources.append(SourceReport(source, bound, seconds, note))
        if bound is None:
            return
        if better(bound, certificate.lower_bound):
            certificate.lower_bound = bound
            certificate.bound_source = source

    def proven() -> bool:
        return certificate.lower_bound is not None and abs(certificate.lower_bound - objective) < 1e-6

    optimum_known = False  # a source proved the optimum of level 0 itself: nothing can tighten the bound
    for name in names:
        if name in BOUND_SOURCES:
            t = time.perf_counter()
            bound = BOUND_SOURCES[name](problem)
            offer(
                name, None if bound is None else bound.value, time.perf_counter() - t, "" if bound else "not applicable"
            )
        elif name in EXTRA_SOURCES:
            t = time.perf_counter()
            bound = EXTRA_SOURCES[name](problem, time_limit)
            note = bound.detail if bound else "not applicable"
            offer(name, None if bound is None else bound.value, time.perf_counter() - t, note)
            if bound is not None and bound.is_optimum and certificate.bound_source == name:
                optimum_known = True
        if proven():
            break
    exact = [name for name in names if name in EXACT_SOURCES]
    whole_vector = len(levels) == 1
    for k, name in enumerate(exact):
        if proven() and whole_vector:
            break
        if optimum_known and (len(levels) == 1 or not proven()):
            break  # the bound is final; only a multi-level schedule at the optimum still needs an exact backend
        if proven() and name == "lp":
            continue  # the level-0 bound is tight already; only an exact backend can prove the later levels
        share = None
        if time_limit is not None:
            left = time_limit - (time.perf_counter() - started)
            heavy = [n for n in exact[k:] if n != "lp"]
            share = max(0.05, left / max(1, len(heavy))) if name != "lp" else max(0.05, left)
        t = time.perf_counter()
        bound, note, vector = _exact_bound(problem, solution, name, share, threads, seed)
        offer(name, bound, time.perf_counter() - t, note)
        if vector is not None and tuple(vector) == tuple(values):
            whole_vector = True
    certificate.gap = relative_gap(objective, certificate.lower_bound)
    certificate.optimal = proven() and whole_vector
    certificate.wall_time = time.perf_counter() - started
    return certificate


def _exact_bound(
    problem: ProblemData, solution: Solution, backend: str, time_limit: float | None, threads: int | None, seed: int
) -> tuple[float | None, str, tuple[int, ...] | None]:
    """(bound on level 0, note, the objective vector when the backend proved every level optimal)."""
    from schedkit.solvers.driver import solve

    try:
        warm = None if backend == "lp" else solution
        result = solve(problem, backend=backend, time_limit=time_limit, threads=threads, seed=seed, warm_start=warm)
    except UnsupportedFeature as error:
        return None, f"unsupported: {error}", None
    if result.status == Status.ERROR:
        return None, f"error: {result.message}", None
    if result.status == Status.INFEASIBLE:
        return None, "backend claims infeasible for a valid schedule (bug)", None
    bound = result.lower_bound
    if bound is not None and not math.isfinite(bound):
        bound = None
    vector = result.objectives if result.status == Status.OPTIMAL else None
    note = f"{result.status.value} in {result.wall_time:.2f} s"
    if result.objective is not None:
        note += f", best schedule found {result.objective}"
    return bound, note, vector
