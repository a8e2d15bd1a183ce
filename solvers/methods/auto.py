"""Method ``auto``: run what measures best for the problem's structure (the default of ``solve()``).

The choice (measurements behind it: ``/work/notes/readme_quality.md`` and the
report of ``results/scripts/compare_pyjobshop.py``), by the first row that
applies:

=====================================  ===============================================================
structure                              what runs
=====================================  ===============================================================
one machine, total weighted tardiness  the exact method (:mod:`schedkit.solvers.exact_tardiness`): proves
(one level, nothing else)              the optimum (wt40: median 0.7 s); unproven at the time limit it
                                       returns its best schedule and bound
job shop / flexible job shop,          tabu search (:mod:`schedkit.heuristics.shop.local_search`) for
makespan                               ``local_search_share`` of the time, then the backend warm-started
                                       from its schedule for the rest (bounds, proofs, improvements)
(multi-mode) RCPSP, makespan           the genetic algorithm (:mod:`schedkit.heuristics.rcpsp.genetic`)
                                       for ``local_search_share`` of the time, then the backend from
                                       scratch; the shorter of the two schedules is returned
                                       (:data:`DEFAULT_IMPROVER`)
anything else                          the backend alone (warm-started from the given schedule)
=====================================  ===============================================================

Shops and projects of at most :data:`PROBE_TASKS` tasks first get a short
backend probe (:data:`PROBE_SECONDS`): what it proves optimal is returned at
once, and its schedule is the local search's start otherwise. When the best
makespan is then one unit above the best bound (structural or the probe's),
the question left is exactly "is there a schedule ending by the bound?", and
a shaving test asks it on the smaller problem whose horizon is the bound
(:mod:`schedkit.solvers.methods.shaving`, :data:`SHAVE_SHARE` of the time left):
infeasible proves the makespan optimal, a schedule found is optimal.

The local search phase is capped at :data:`SECONDS_PER_TASK` per task.
Without a time limit the local search runs at most its default time (2 s)
and the backend runs unlimited, as ``backend=`` alone would. ``stats["auto"]`` says
what ran, for how long and what each phase reached.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from schedkit.models import ProblemData, Solution
from schedkit.solvers.backends import Backend, run_backend
from schedkit.solvers.checker import check, evaluate
from schedkit.solvers.lexicographic import TimeSplit
from schedkit.solvers.methods.lns import LnsOptions
from schedkit.solvers.methods.lns import applies as lns_applies
from schedkit.solvers.methods.lns import run as run_lns
from schedkit.solvers.methods.registry import Method, register
from schedkit.solvers.methods.shaving import makespan_only
from schedkit.solvers.result import BackendOutcome, LevelOutcome, Progress, Status

PROBE_TASKS = 200
"""Problems with at most this many tasks first get a short backend probe (:data:`PROBE_SECONDS`)."""
PROBE_SECONDS = 1.0
"""The probe's time (at most a tenth of the time limit): CP-SAT proves j30, Patterson, ft06 and the
la-class shops optimal in well under a second, where half the limit spent in local search first would
be wasted."""

SHAVE_GAP = 1
"""Shops and projects of at most :data:`PROBE_TASKS` tasks whose best makespan is at most this far above the
best bound get shaving tests (:mod:`schedkit.solvers.methods.shaving`) before the backend: with a gap this
small the optimum is usually in hand and the proof is what is missing."""
SHAVE_SHARE = 0.9
"""Share of the time left after the local search that shaving may use; the backend, which would only ask
the same question on the larger model, gets the rest."""
SHAVE_THREADS = 1
"""CP-SAT workers of a shaving test: on 2 cores one worker proved Kacem's 15 x 10 infeasible at ``t = 10`` in
21.4 s, two workers in 43.0 s (the second worker's subsolver adds nothing to this proof and halves the first's
share of the machine)."""

SECONDS_PER_TASK: dict[str, float] = {"tabu": 0.02, "ga": 0.3}
"""Cap on the local search phase per task (at least 0.1 s), whatever the time limit; the backend gets the
rest. Tabu: a 10 x 10 job shop gets 2 s, a 20 x 20 one 8 s (at 20 s, ta21 reached 1,675 after 8 s of tabu
and 1,668 after 30 s: the search stagnates, CP-SAT then brings bounds). GA: a j60 project gets 18 s
(with re-sampling on stagnation the GA keeps improving: j609_1/5/6 at 88/87/114 after 6 s, 88/86/112
after 20 s; best known 87/85/111)."""

IMPROVERS = ("backend", "fresh", "lns")
"""What may run after the local search (:attr:`AutoOptions.improve`)."""

DEFAULT_IMPROVER: dict[str, str] = {"tabu": "backend", "ga": "fresh"}
"""What runs after the local search when :attr:`AutoOptions.improve` is None, by plan.

Shops: the backend warm-started from the tabu schedule (tabu's schedules are strong and CP-SAT improves and
bounds them). Projects: the backend from scratch, keeping the better of its schedule and the GA's, because the
two searches are best on different projects and a hint keeps CP-SAT in the GA's basin. On the five hard j60
projects at 60 s (``results/j60_improvers.txt``, best known 512 summed): plain CP-SAT 521, GA then CP-SAT
warm-started 519, GA then CP-SAT from scratch 517 (j6013_1 at 113 against 115); an earlier run gave 521 warm
(where the hinted CP-SAT improved none of the five GA schedules) against 519 from scratch."""


@dataclass(frozen=True)
class AutoOptions:
    """Options of ``auto``.

    Attributes
    ----------
    local_search_share
        Share of the time limit the local search (shops, projects) gets
        before the backend (0: backend alone; 1: local search alone).
    improve
        What runs after the local search: ``"backend"`` (the backend
        warm-started from its schedule), ``"fresh"`` (the backend from
        scratch, not warm-started; the better of its schedule and the local
        search's is returned, with the backend's bound) or ``"lns"``
        (:mod:`schedkit.solvers.methods.lns` around CP-SAT from it; bounds
        then come from the probe and the structure only). None (the default)
        picks by plan (:data:`DEFAULT_IMPROVER`). On the five j60 projects of
        the 60 s sample that stay above their best known values, LNS ended at
        519 summed makespan and the warm-started backend at 521 (one seed each,
        ``results/j60_improve_lns.txt``): within noise, so not the default.
    """

    local_search_share: float = 0.5
    improve: str | None = None

    def validate(self) -> None:
        """The share is in [0, 1]; ``improve`` names a known phase."""
        if not 0.0 <= self.local_search_share <= 1.0:
            raise ValueError(f"local_search_share must be in [0, 1], got {self.local_search_share!r}")
        if self.improve is not None and self.improve not in IMPROVERS:
            raise ValueError(f"improve must be one of {', '.join(IMPROVERS)}, got {self.improve!r}")


def plan(problem: ProblemData) -> str:
    """What ``auto`` runs on ``problem``: ``exact_tardiness``, ``tabu``, ``ga`` or ``backend``."""
    if len(problem.objective.levels) == 1:
        from schedkit.solvers.exact_tardiness import UnsupportedTardiness, tardiness_instance

        try:
            tardiness_instance(problem)
            return "exact_tardiness"
        except UnsupportedTardiness:
            pass
    from schedkit.heuristics.local_search import refusal

    for name in ("tabu", "ga"):
        if refusal(problem, name) is None:
            return name
    return "backend"


def _exact_tardiness(problem: ProblemData, time_limit: float | None, info: dict[str, Any]) -> BackendOutcome:
    from schedkit.solvers.exact_tardiness import solve_exact_tardiness, to_solution

    certificate = solve_exact_tardiness(problem, time_limit)
    assert certificate.sequence is not None
    solution = to_solution(problem, certificate.sequence)
    status = Status.OPTIMAL if certificate.proven else Status.FEASIBLE
    level = problem.objective.levels[0]
    info.update(method=certificate.method, proven=certificate.proven, nodes=certificate.nodes)
    outcome = LevelOutcome(
        0,
        level.name or "level0",
        level.sense,
        status,
        objective=certificate.upper_bound,
        bound=float(certificate.lower_bound),
        wall_time=round(certificate.seconds, 4),
    )
    return BackendOutcome(status, solution, [outcome], "exact_tardiness", certificate.seconds)


def _warm_up(name: str) -> float:
    """Compile (or load from Numba's cache) the local search's kernels; the seconds it took."""
    started = time.perf_counter()
    if name == "tabu":
        from schedkit.heuristics.shop.local_search import warm_up

        warm_up()
    return round(time.perf_counter() - started, 3)


def _local_search(
    problem: ProblemData, name: str, seconds: float, seed: int, start: Solution | None, info: dict[str, Any]
) -> Solution | None:
    """The local search's schedule (None if it failed the checker), with its figures in ``info``."""
    from schedkit.heuristics.local_search import run_local_search

    started = time.perf_counter()
    try:
        solution = run_local_search(problem, name, seed=seed, time_limit=seconds, warm_start=start)
    except (ValueError, MemoryError) as error:  # a local search that cannot run leaves the work to the backend
        info["note"] = f"the local search stopped: {type(error).__name__}: {error}"
        return None
    info["seconds"] = round(time.perf_counter() - started, 3)
    if check(problem, solution):
        info["note"] = "the local search's schedule failed the checker; not used"
        return None
    info["objectives"] = list(evaluate(problem, solution))
    return solution


def structural_bound(problem: ProblemData, chosen: str) -> int | None:
    """A cheap makespan lower bound for the local search plans (None for the others).

    Shops: the longest job, the busiest machine and the mean load
    (:func:`schedkit.heuristics.shop.local_search.tabu.simple_lower_bound`);
    projects: the critical path with the shortest modes, resources ignored.
    It stands in when the backend proves nothing within its share of the time.
    """
    if chosen == "tabu":
        from schedkit.heuristics.shop.local_search import shop_arrays
        from schedkit.heuristics.shop.local_search.tabu import simple_lower_bound

        return simple_lower_bound(shop_arrays(problem))
    if chosen == "ga":
        from schedkit.heuristics.rcpsp.genetic import critical_path_bound

        return critical_path_bound(problem)
    return None


def _keep_better(
    problem: ProblemData, outcome: BackendOutcome, found: Solution, found_at: float | None, info: dict[str, Any]
) -> BackendOutcome:
    """``outcome`` with the local search's schedule ``found`` in place of the backend's when ``found`` is shorter.

    The two came from independent searches (``improve="fresh"``); the
    backend's bound holds for both, and the result is optimal when the kept
    makespan meets it. ``info["kept"]`` says whose schedule was returned.
    """
    value = evaluate(problem, found)[0]
    mine = None
    if outcome.solution is not None and not check(problem, outcome.solution):
        mine = evaluate(problem, outcome.solution)[0]
    if mine is not None and mine <= value:
        info["kept"] = "backend"
        return outcome
    info["kept"] = "local search"
    level = problem.objective.levels[0]
    previous = outcome.levels[0] if outcome.levels else None
    bound = previous.bound if previous is not None else None
    status = Status.OPTIMAL if bound is not None and value <= bound + 1e-9 else Status.FEASIBLE
    wall = previous.wall_time if previous is not None else 0.0
    levels = [LevelOutcome(0, level.name or "level0", level.sense, status, value, bound, wall)]
    return BackendOutcome(status, found, levels, outcome.bound_source, found_at, outcome.stats)


def _merge_bound(outcome: BackendOutcome, bound: int | None, source: str, info: dict[str, Any]) -> None:
    """Raise level 0's bound to ``bound`` (proven by ``source``) when the backend proved less (optimal if met)."""
    if bound is None or not outcome.levels or outcome.solution is None:
        return
    level = outcome.levels[0]
    if level.bound is not None and level.bound >= bound:
        return
    level.bound = float(bound)
    info["bound_from"] = source
    if level.objective is not None and level.objective <= bound and len(outcome.levels) == 1:
        level.status = Status.OPTIMAL
        outcome.status = Status.OPTIMAL


def _best_bound(problem: ProblemData, chosen: str, probe_bound: float | None) -> tuple[int | None, str]:
    """The best bound on level 0 known before the backend and where it comes from: the structure or the probe."""
    structural = structural_bound(problem, chosen)
    if probe_bound is not None and (structural is None or probe_bound > structural):
        return math.ceil(probe_bound - 1e-6), "probe"
    return structural, "structure"


def _optimal(
    problem: ProblemData, solution: Solution, value: int, bound: int, source: str, seconds: float
) -> BackendOutcome:
    """An OPTIMAL outcome for ``solution`` (makespan ``value``), whose optimality ``source`` proved with ``bound``."""
    level = problem.objective.levels[0]
    levels = [LevelOutcome(0, level.name or "level0", level.sense, Status.OPTIMAL, objective=value, bound=bound)]
    return BackendOutcome(Status.OPTIMAL, solution, levels, source, seconds)


def _shave(
    problem: ProblemData,
    best: Solution,
    lower: int,
    backend: Backend,
    backend_options: Any,
    seconds: float,
    threads: int | None,
    seed: int,
    info: dict[str, Any],
    ran: list[str],
) -> BackendOutcome | None:
    """Shave the makespan bound when the gap is small (:data:`SHAVE_GAP`); the outcome if that proves optimality.

    ``best`` must pass the checker (otherwise nothing is tried). Returns None
    (the backend runs next, from ``info["shaving"]["bound"]``) when shaving
    does not apply, proves nothing, or leaves a gap.
    """
    from schedkit.solvers.methods.shaving import shave

    if not makespan_only(problem) or seconds <= 0 or check(problem, best):
        return None
    upper = evaluate(problem, best)[0]
    if not 0 < upper - lower <= SHAVE_GAP:
        return None
    result = shave(problem, lower, upper, backend, backend_options, time_limit=seconds, threads=threads, seed=seed)
    ran.append("shaving")
    info["shaving"] = result.to_dict()
    solution, value = best, upper
    if result.solution is not None and not check(problem, result.solution):
        solution, value = result.solution, evaluate(problem, result.solution)[0]
    if value > result.bound:
        return None
    info["ran"] = ran
    info["bound_from"] = "shaving"
    return _optimal(problem, solution, value, result.bound, "shaving", sum(t.seconds for t in result.tests))


def run(
    problem: ProblemData,
    *,
    backend: Backend,
    backend_options: Any,
    options: AutoOptions,
    time_limit: float | None,
    threads: int | None,
    seed: int,
    warm_start: Solution | None,
    callback: Callable[[Progress], Any] | None,
    time_split: TimeSplit | None,
) -> BackendOutcome:
    """Run the plan of :func:`plan` (see the module docstring)."""
    started = time.perf_counter()
    chosen = plan(problem)
    info: dict[str, Any] = {"plan": chosen}
    if chosen == "exact_tardiness":
        outcome = _exact_tardiness(problem, time_limit, info)
        outcome.stats["auto"] = info
        return outcome
    start = warm_start
    searched_at: float | None = None  # when the local search ended (its schedule's time to best)
    ran = []
    probe_bound: float | None = None
    if chosen in ("tabu", "ga") and problem.num_tasks <= PROBE_TASKS and options.local_search_share < 1.0:
        probe_seconds = PROBE_SECONDS if time_limit is None else min(PROBE_SECONDS, 0.1 * time_limit)
        probe = run_backend(
            backend,
            problem,
            backend_options,
            time_limit=probe_seconds,
            threads=threads,
            seed=seed,
            warm_start=warm_start,
            callback=callback,
            time_split=time_split,
        )
        ran.append(f"{backend.name} probe")
        info["probe"] = {"seconds": round(probe_seconds, 3), "status": probe.status.value}
        if probe.status == Status.OPTIMAL:  # proven at once: nothing to add
            info["ran"] = ran
            probe.stats["auto"] = info
            return probe
        if probe.solution is not None and not check(problem, probe.solution):
            start = probe.solution
        if probe.levels and probe.levels[0].bound is not None:
            probe_bound = probe.levels[0].bound
    if chosen in ("tabu", "ga") and options.local_search_share > 0:
        from schedkit.heuristics.local_search import DEFAULT_TIMES

        phase: dict[str, Any] = {"name": chosen}
        phase["compile_seconds"] = _warm_up(chosen)  # counted in the wall-clock limit, not in the search's share
        seconds = DEFAULT_TIMES[chosen] if time_limit is None else options.local_search_share * time_limit
        seconds = min(seconds, max(0.1, SECONDS_PER_TASK[chosen] * problem.num_tasks))
        if time_limit is not None:
            seconds = max(0.01, min(seconds, time_limit - (time.perf_counter() - started)))
        found = _local_search(problem, chosen, seconds, seed, start, phase)
        info["local_search"] = phase
        searched_at = round(time.perf_counter() - started, 3)
        ran.append(chosen)
        if found is not None:
            start = found
        bound = structural_bound(problem, chosen) if found is not None else None
        proven = bound is not None and found is not None and phase["objectives"][0] <= bound
        if found is not None and (proven or (time_limit is not None and options.local_search_share >= 1.0)):
            # the local search met the structural bound (optimal: no backend needed), or was asked to run alone
            level = problem.objective.levels[0]
            value = phase["objectives"][0]
            status = Status.OPTIMAL if proven else Status.FEASIBLE
            levels = [LevelOutcome(0, level.name or "level0", level.sense, status, objective=value, bound=bound)]
            info["ran"] = ran
            if proven:
                info["bound_from"] = "structure"
            source = "structure" if bound is not None else ""
            return BackendOutcome(status, found, levels, source, phase["seconds"], {"auto": info})
    lower, lower_source = _best_bound(problem, chosen, probe_bound)
    if start is not None and lower is not None and not check(problem, start):
        value = evaluate(problem, start)[0]
        if makespan_only(problem) and value <= lower:  # the local search met the probe's bound: optimal
            info["ran"] = ran
            info["bound_from"] = lower_source
            outcome = _optimal(problem, start, value, lower, lower_source, time.perf_counter() - started)
            outcome.stats["auto"] = info
            return outcome
    if start is not None and lower is not None and time_limit is not None and problem.num_tasks <= PROBE_TASKS:
        share = SHAVE_SHARE * (time_limit - (time.perf_counter() - started))
        shaved = _shave(problem, start, lower, backend, backend_options, share, SHAVE_THREADS, seed, info, ran)
        if shaved is not None:
            shaved.stats["auto"] = info
            return shaved
        if "shaving" in info and info["shaving"]["bound"] > lower:
            lower, lower_source = info["shaving"]["bound"], "shaving"
    left = None if time_limit is None else max(0.01, time_limit - (time.perf_counter() - started))
    improve = options.improve or DEFAULT_IMPROVER.get(chosen, "backend")
    if improve == "lns" and start is not None and lns_applies(problem) is None:
        ran.append("lns")
        info["ran"] = ran
        outcome = run_lns(
            problem,
            backend=backend,
            backend_options=backend_options,
            options=LnsOptions(),
            time_limit=left,
            threads=threads,
            seed=seed,
            warm_start=start,
            callback=callback,
            time_split=time_split,
        )
    else:
        fresh = improve == "fresh" and start is not None and makespan_only(problem)
        ran.append(f"{backend.name} (fresh)" if fresh else backend.name)
        info["ran"] = ran
        outcome = run_backend(
            backend,
            problem,
            backend_options,
            time_limit=left,
            threads=threads,
            seed=seed,
            warm_start=None if fresh else start,
            callback=callback,
            time_split=time_split,
        )
        if fresh and start is not None:
            outcome = _keep_better(problem, outcome, start, searched_at, info)
    if problem.objective.levels and problem.objective.levels[0].sense.value == "min":
        _merge_bound(outcome, lower, lower_source, info)
    outcome.stats["auto"] = info
    return outcome


register(
    Method(
        "auto",
        "the strongest measured method for the problem's structure: the exact tardiness method, "
        "tabu search then the backend warm-started, the RCPSP GA then the backend from scratch, or the backend alone",
        run,
        AutoOptions,
    )
)
