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
                                       for ``local_search_share`` of the time, then the backend
                                       warm-started
anything else                          the backend alone (warm-started from the given schedule)
=====================================  ===============================================================

Shops and projects of at most :data:`PROBE_TASKS` tasks first get a short
backend probe (:data:`PROBE_SECONDS`): what it proves optimal is returned at
once, and its schedule is the local search's start otherwise.

The local search phase is capped at :data:`SECONDS_PER_TASK` per task.
Without a time limit the local search runs at most its default time (2 s)
and the backend runs unlimited, as ``backend=`` alone would. ``stats["auto"]`` says
what ran, for how long and what each phase reached.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from schedkit.models import ProblemData, Solution
from schedkit.solvers.backends import Backend, run_backend
from schedkit.solvers.checker import check, evaluate
from schedkit.solvers.lexicographic import TimeSplit
from schedkit.solvers.methods.registry import Method, register
from schedkit.solvers.result import BackendOutcome, LevelOutcome, Progress, Status

PROBE_TASKS = 200
"""Problems with at most this many tasks first get a short backend probe (:data:`PROBE_SECONDS`)."""
PROBE_SECONDS = 1.0
"""The probe's time (at most a tenth of the time limit): CP-SAT proves j30, Patterson, ft06 and the
la-class shops optimal in well under a second, where half the limit spent in local search first would
be wasted."""

SECONDS_PER_TASK: dict[str, float] = {"tabu": 0.02, "ga": 0.3}
"""Cap on the local search phase per task (at least 0.1 s), whatever the time limit; the backend gets the
rest. Tabu: a 10 x 10 job shop gets 2 s, a 20 x 20 one 8 s (at 20 s, ta21 reached 1,675 after 8 s of tabu
and 1,668 after 30 s: the search stagnates, CP-SAT then brings bounds). GA: a j60 project gets 18 s
(with re-sampling on stagnation the GA keeps improving: j609_1/5/6 at 88/87/114 after 6 s, 88/86/112
after 20 s; best known 87/85/111)."""


@dataclass(frozen=True)
class AutoOptions:
    """Options of ``auto``.

    Attributes
    ----------
    local_search_share
        Share of the time limit the local search (shops, projects) gets
        before the backend (0: backend alone; 1: local search alone).
    """

    local_search_share: float = 0.5

    def validate(self) -> None:
        """The share is in [0, 1]."""
        if not 0.0 <= self.local_search_share <= 1.0:
            raise ValueError(f"local_search_share must be in [0, 1], got {self.local_search_share!r}")


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


def _merge_bound(outcome: BackendOutcome, bound: int | None, info: dict[str, Any]) -> None:
    """Raise level 0's bound to ``bound`` when the backend proved less (optimal if it meets the value)."""
    if bound is None or not outcome.levels or outcome.solution is None:
        return
    level = outcome.levels[0]
    if level.bound is not None and level.bound >= bound:
        return
    level.bound = float(bound)
    info["bound_from"] = "structure"
    if level.objective is not None and level.objective <= bound and len(outcome.levels) == 1:
        level.status = Status.OPTIMAL
        outcome.status = Status.OPTIMAL


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
    ran = []
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
    left = None if time_limit is None else max(0.01, time_limit - (time.perf_counter() - started))
    ran.append(backend.name)
    info["ran"] = ran
    outcome = run_backend(
        backend,
        problem,
        backend_options,
        time_limit=left,
        threads=threads,
        seed=seed,
        warm_start=start,
        callback=callback,
        time_split=time_split,
    )
    if problem.objective.levels and problem.objective.levels[0].sense.value == "min":
        _merge_bound(outcome, structural_bound(problem, chosen), info)
    outcome.stats["auto"] = info
    return outcome


register(
    Method(
        "auto",
        "the strongest measured method for the problem's structure: the exact tardiness method, "
        "tabu search or the RCPSP GA then the backend warm-started, or the backend alone",
        run,
        AutoOptions,
    )
)
