"""Twill's search (Alg. 1) through ``solve()``: the smallest feasible II first, then the shortest length L.

For II = lb, lb + 1, ... the problem is solved with its cycle fixed to that
II (``Cycle(II, II)``), each time through :func:`schedkit.solvers.solve` (CP-SAT
on the IR, checked by the independent checker): INFEASIBLE proves that no
schedule has this II, so the first II with a schedule is optimal, and its
second objective level (the schedule length) is minimised in the same solve.
This is Twill's two phases in one exact model per II (the modulo schedule
and the warp assignment, registers, memories and synchronisation are decided
jointly), without Twill's restriction that L keeps ``ceil(L / II)`` of the
plain modulo schedule: any L is allowed, so the II found is at most Twill's
and, at equal II, so is L.

``lb`` is the IR's own bound (:func:`schedkit.solvers.bounds.initiation_interval.ii_lower_bound`:
ResMII over every modulo resource and RecMII with transfer lags), raised by
resource projections (:mod:`schedkit.solvers.methods.resource_projection`:
pairs of loaded resources that cannot be saturated together). A warm
start (a schedule at some II, e.g. from iterative modulo scheduling) caps the
search: its II is feasible, so the loop never goes beyond it, and it hints
the solve at that II.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field
from typing import Any

from schedkit.models import Cycle, ProblemData, Solution
from schedkit.solvers.bounds.initiation_interval import ii_lower_bound
from schedkit.solvers.checker import Violation, check, evaluate
from schedkit.solvers.driver import solve
from schedkit.solvers.methods.resource_projection import projection_bound
from schedkit.solvers.result import Status


@dataclass
class Attempt:
    """One fixed-II solve: the II, what CP-SAT concluded, its length and bound when it found a schedule."""

    ii: int
    status: str
    seconds: float
    length: int | None = None
    length_bound: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dataclasses.asdict(self)


@dataclass
class PipelineResult:
    """The outcome of the II search on one pipelining problem.

    ``status`` is ``optimal`` (II proven smallest and L proven shortest for
    it), ``feasible`` (a checked schedule, not both proven), ``infeasible``
    (no II up to ``ii_max``) or ``unknown``. ``ii_lower_bound`` is proven: every
    smaller II is infeasible (or below the IR bound). ``ii_seconds`` is when
    the search held a schedule at the II and the proof that no smaller II has
    one (None while the II is unproven); the rest of the time minimises L.
    ``violations`` is the checker's verdict on ``solution`` against the
    original problem (empty).
    """

    problem: ProblemData
    status: str
    ii: int | None = None
    ii_lower_bound: int = 0
    length: int | None = None
    length_lower_bound: int | None = None
    solution: Solution | None = None
    violations: list[Violation] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    wall_time: float = 0.0
    ii_seconds: float | None = None
    warm_start: dict[str, Any] = field(default_factory=dict)

    @property
    def ii_optimal(self) -> bool:
        """Whether the II is proven optimal (its lower bound meets it)."""
        return self.ii is not None and self.ii == self.ii_lower_bound

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (the schedule itself is left to the caller)."""
        return {
            "problem": self.problem.name,
            "status": self.status,
            "ii": self.ii,
            "ii_lower_bound": self.ii_lower_bound,
            "ii_optimal": self.ii_optimal,
            "length": self.length,
            "length_lower_bound": self.length_lower_bound,
            "seconds": round(self.wall_time, 3),
            "ii_seconds": None if self.ii_seconds is None else round(self.ii_seconds, 3),
            "attempts": [a.to_dict() for a in self.attempts],
            "warm_start": self.warm_start,
            "checker": "passed" if self.solution is not None and not self.violations else "-",
        }


PROJECTION_SHARE = 0.1
"""Share of the time limit the resource projections (:mod:`.resource_projection`) may use to raise the bound."""
DIRECT_SHARE = 0.3
"""Share of the time limit given to the direct II minimisation when no schedule at the bound is known."""


def at_ii(problem: ProblemData, ii: int, horizon: int | None = None, feasibility: bool = False) -> ProblemData:
    """``problem`` with its cycle fixed to ``ii``; optionally a tighter horizon, or only its first level.

    With ``feasibility`` the objective keeps only the II level (a constant
    here), so CP-SAT stops at the first schedule it finds.
    """
    objective = problem.objective
    if feasibility:
        objective = dataclasses.replace(objective, levels=objective.levels[:1])
    return dataclasses.replace(
        problem,
        cycle=Cycle(ii, ii),
        horizon=problem.horizon if horizon is None else horizon,
        objective=objective,
        name=f"{problem.name}@II={ii}",
    )


def shifted(problem: ProblemData, solution: Solution) -> Solution:
    """The schedule translated so that its first op starts at 0 (every constraint is translation-invariant)."""
    first = min(a.start for a in solution.tasks if a.present and a.start is not None)
    return Solution(
        tuple(
            dataclasses.replace(a, start=a.start - first) if a.present and a.start is not None else a
            for a in solution.tasks
        ),
        solution.ii,
    )


def heuristic_start(problem: ProblemData, seed: int = 0) -> tuple[Solution | None, dict[str, Any]]:
    """Iterative modulo scheduling's schedule (or None) and what it found: II, length, seconds."""
    from schedkit.heuristics.pipelining import ImsError, iterative_modulo_schedule

    started = time.perf_counter()
    try:
        found = iterative_modulo_schedule(problem, seed=seed)
    except ImsError as error:
        return None, {"rule": "ims", "note": str(error)}
    info: dict[str, Any] = {"rule": "ims", "ii": found.ii, "seconds": round(time.perf_counter() - started, 3)}
    if found.solution is not None:
        info["length"] = evaluate(problem, found.solution)[1]
    return found.solution, info


def relaxation_infeasible(relaxation: ProblemData, ii: int, time_limit: float | None) -> bool:
    """Whether the MIP (time-indexed modulo formulation, HiGHS) proves ``relaxation`` has no schedule at ``ii``."""
    result = solve(at_ii(relaxation, ii, feasibility=True), backend="mip", formulation="modulo", time_limit=time_limit)
    return result.status == Status.INFEASIBLE


def _bracket(
    problem: ProblemData,
    warm_start: Solution | None,
    lowest: int,
    highest: int,
    time_limit: float,
    out: PipelineResult,
    options: dict[str, Any],
) -> tuple[Solution | None, int, int]:
    """No schedule at the bound: find one (at the largest II if needed) and let CP-SAT minimise II directly.

    A fixed II is much easier for CP-SAT than a variable one, so without any
    schedule it first looks at the largest II; the direct minimisation over
    ``[lowest, highest]`` (a share of the time) then improves the schedule and
    proves its own lower bound on II, which skips IIs the ascent would try in
    vain. Returns the best schedule and the new ``(lowest, highest)``.
    """
    if warm_start is None and highest > lowest:
        top = solve(at_ii(problem, highest, feasibility=True), time_limit=time_limit * DIRECT_SHARE / 2, **options)
        out.attempts.append(Attempt(highest, f"upper: {top.status.value}", round(top.wall_time, 3)))
        if top.solution is not None and top.ok:
            warm_start = top.solution
    direct = solve(
        dataclasses.replace(
            problem,
            cycle=Cycle(lowest, highest),
            objective=dataclasses.replace(problem.objective, levels=problem.objective.levels[:1]),
            name=f"{problem.name}@II<={highest}",
        ),
        time_limit=time_limit * DIRECT_SHARE,
        warm_start=warm_start,
        **{k: v for k, v in options.items() if k != "log"},
    )
    out.attempts.append(Attempt(direct.objective or 0, f"direct: {direct.status.value}", round(direct.wall_time, 3)))
    if direct.solution is not None and direct.ok:
        warm_start = direct.solution
        highest = min(highest, direct.solution.ii or highest)
    if direct.status == Status.INFEASIBLE:
        lowest = highest + 1
    elif direct.lower_bound is not None:
        lowest = max(lowest, math.ceil(direct.lower_bound - 1e-6))
    return warm_start, lowest, highest


def solve_pipelining(
    problem: ProblemData,
    time_limit: float | None = None,
    threads: int | None = None,
    seed: int = 0,
    warm_start: Solution | str | None = "ims",
    log: bool = False,
    params: dict[str, Any] | None = None,
    relaxation: ProblemData | None = None,
) -> PipelineResult:
    """Search II upwards from the IR's lower bound, solving each II exactly (see the module docstring).

    ``time_limit`` covers the whole search. ``warm_start`` is a schedule of
    ``problem`` that the checker accepts, ``"ims"`` (iterative modulo
    scheduling, the default) or None; its II caps the search. ``relaxation``
    is a problem whose schedules include every schedule of ``problem`` at the
    same II (e.g. :func:`schedkit.models.pipelining.builder.relaxation`, Twill's
    phase 1): at each II where CP-SAT finds no schedule quickly, the MIP
    tries to prove the relaxation infeasible there, which proves the II
    infeasible for ``problem`` too.
    """
    if problem.cycle is None:
        raise ValueError(f"problem '{problem.name}' has no cycle: it is not a modulo-scheduling problem")
    started = time.perf_counter()
    out = PipelineResult(problem, "unknown")
    if warm_start == "ims":
        warm_start, out.warm_start = heuristic_start(problem, seed)
    elif isinstance(warm_start, str):
        raise ValueError(f"unknown warm start '{warm_start}'; use 'ims', a Solution or None")
    bound = ii_lower_bound(problem)
    if bound is None:
        out.status = "infeasible"
        out.wall_time = time.perf_counter() - started
        return out
    lowest = bound[0]
    highest = problem.cycle.ii_max
    if warm_start is not None:
        violations = check(problem, warm_start)
        if violations:
            raise ValueError(f"the warm start fails the checker: {violations[0]}")
        assert warm_start.ii is not None
        highest = min(highest, warm_start.ii)
        out.warm_start.setdefault("ii", warm_start.ii)
        out.warm_start.setdefault("length", evaluate(problem, warm_start)[1])
    options: dict[str, Any] = dict(threads=threads, seed=seed, log=log, params=params)
    if highest > lowest:  # two loaded resources may be impossible to saturate together
        walk = projection_bound(
            problem,
            lowest,
            highest,
            time_limit=None if time_limit is None else PROJECTION_SHARE * time_limit,
            threads=threads,
            seed=seed,
        )
        for test in walk.tests:
            if test.status == Status.INFEASIBLE.value:
                proof = f"infeasible (projection {'+'.join(test.resources)})"
                out.attempts.append(Attempt(test.ii, proof, test.seconds))
        lowest = walk.lower_bound
    if time_limit is not None and (warm_start is None or (warm_start.ii or 0) > lowest):
        probe = solve(
            at_ii(problem, lowest, horizon=3 * lowest, feasibility=True), time_limit=time_limit / 10, **options
        )
        if probe.solution is not None and probe.ok:  # a schedule at the bound: nothing else is needed
            warm_start, highest = probe.solution, lowest
        else:
            warm_start, lowest, highest = _bracket(problem, warm_start, lowest, highest, time_limit, out, options)
    out.ii_lower_bound = lowest
    for ii in range(lowest, highest + 1):
        left = None if time_limit is None else time_limit - (time.perf_counter() - started)
        if left is not None and left <= 0:
            break
        hint = warm_start if warm_start is not None and warm_start.ii == ii else None
        step = time.perf_counter()
        if hint is None:  # is there a schedule at all with this II? First among schedules of at most 3 stages.
            short = None if left is None else left / 4
            found = solve(at_ii(problem, ii, horizon=3 * ii, feasibility=True), time_limit=short, **options)
            if found.solution is None and relaxation is not None:  # Twill's phase 1: can the relaxation do it?
                left = None if time_limit is None else time_limit - (time.perf_counter() - started)
                if relaxation_infeasible(relaxation, ii, None if left is None else left / 2):
                    out.attempts.append(Attempt(ii, "infeasible (relaxation)", round(time.perf_counter() - step, 3)))
                    out.ii_lower_bound = ii + 1
                    continue
            if found.solution is None:  # not found there (which proves nothing): search every length
                left = None if time_limit is None else time_limit - (time.perf_counter() - started)
                found = solve(at_ii(problem, ii, feasibility=True), time_limit=left, **options)
            attempt = Attempt(ii, found.status.value, round(time.perf_counter() - step, 3))
            out.attempts.append(attempt)
            if found.status == Status.INFEASIBLE:
                out.ii_lower_bound = ii + 1
                continue
            if found.solution is None or not found.ok:
                break  # time limit or error: the II stays unproven
            hint = found.solution
        else:
            attempt = Attempt(ii, "feasible", 0.0)
            out.attempts.append(attempt)
        if ii == out.ii_lower_bound:
            out.ii_seconds = time.perf_counter() - started
        # The shortest length: any schedule of length <= L fits [0, L] once translated, so the
        # horizon can drop to the length of the schedule in hand.
        hint = shifted(problem, hint)
        length = evaluate(problem, hint)[1]
        left = None if time_limit is None else max(0.01, time_limit - (time.perf_counter() - started))
        best = solve(at_ii(problem, ii, horizon=length), time_limit=left, warm_start=hint, **options)
        attempt.seconds = round(time.perf_counter() - step, 3)
        if best.solution is not None and best.ok:
            attempt.status = best.status.value
            attempt.length = best.objectives[1] if best.objectives else None
            level_bound = best.levels[1].bound if len(best.levels) > 1 else None
            attempt.length_bound = None if level_bound is None else int(level_bound)
            out.solution = best.solution
        else:  # keep the feasibility schedule
            attempt.length = length
            out.solution = hint
        out.ii = ii
        out.length = attempt.length
        out.length_lower_bound = attempt.length_bound
        break
    if out.solution is None and warm_start is not None and warm_start.ii is not None:
        # The search stopped below the warm start's II without a schedule: the warm start is the best known.
        out.solution = shifted(problem, warm_start)
        out.ii = warm_start.ii
        out.length = evaluate(problem, out.solution)[1]
    out.wall_time = time.perf_counter() - started
    if out.solution is not None:
        out.violations = check(problem, out.solution)
        proven = out.ii_optimal and out.length is not None and out.length == out.length_lower_bound
        out.status = "error" if out.violations else ("optimal" if proven else "feasible")
    elif out.ii_lower_bound > highest:
        out.status = "infeasible"
    return out
