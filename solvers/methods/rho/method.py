"""``solve(problem, method="rho", ...)``: the rolling-horizon loop as a registered method.

The run's schedule is the union of the committed windows; ``solve()`` then
checks it on the whole problem like any backend's. The level's bound is the
best combinatorial lower bound of :mod:`schedkit.solvers.bounds` (RHO proves
nothing itself), or the pooled machine work bound of :mod:`.bounds` when
larger, so the result's gap is the deviation from that bound;
``stats["rho"]`` has the windows, the summed window solve time and the
fraction of overlap operations fixed.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from schedkit.models import ProblemData, Sense, Solution
from schedkit.solvers.checker import evaluate
from schedkit.solvers.methods.registry import Method
from schedkit.solvers.methods.rho.loop import run_rho
from schedkit.solvers.methods.rho.options import RhoOptions
from schedkit.solvers.methods.rho.structure import rho_applies
from schedkit.solvers.result import BackendOutcome, LevelOutcome, Progress, Status


def run_method(
    problem: ProblemData,
    *,
    backend: Any,
    backend_options: Any,
    options: RhoOptions,
    time_limit: float | None,
    threads: int | None,
    seed: int,
    warm_start: Solution | None,
    callback: Any,
    time_split: Any,
) -> BackendOutcome:
    """Run RHO (see the module docstring); a warm start is kept by ``solve()`` if RHO does worse."""
    from schedkit.solvers.methods.rho.bounds import lower_bound

    started = time.perf_counter()
    run = run_rho(
        problem,
        options,
        backend=backend.name,
        backend_options=dataclasses.asdict(backend_options)
        if backend.name != "cpsat"
        else {"params": backend_options.params},
        time_limit=time_limit,
        threads=threads,
        seed=seed,
    )
    stats: dict[str, Any] = {"rho": {**run.stats(), "strategy": options.strategy}}
    if run.solution is None:
        return BackendOutcome(Status.UNKNOWN, None, stats=stats, message=run.message)
    makespan = evaluate(problem, run.solution)[0]
    bound = lower_bound(problem)
    value = None if bound is None else min(bound.value, makespan)
    if bound is not None:
        stats["rho"]["lower_bound"] = {"value": bound.value, "source": bound.source}
        stats["rho"]["deviation"] = round((makespan - bound.value) / max(1, bound.value), 6)
    proven = value is not None and value == makespan
    level = LevelOutcome(
        0,
        problem.objective.levels[0].name or "level0",
        Sense.MINIMIZE,
        Status.OPTIMAL if proven else Status.FEASIBLE,
        objective=makespan,
        bound=value,
        wall_time=round(time.perf_counter() - started, 4),
    )
    if callback is not None:
        callback(
            Progress(0, float(makespan), float("nan") if value is None else float(value), run.wall_time, run.solution)
        )
    return BackendOutcome(
        Status.OPTIMAL if proven else Status.FEASIBLE,
        run.solution,
        [level],
        bound_source="" if bound is None else bound.source,
        time_to_best=run.wall_time,
        stats=stats,
    )


RHO_METHOD = Method(
    name="rho",
    description="rolling-horizon optimisation (L-RHO / Graph-RHO): windows of H operations, S committed per window",
    run=run_method,
    options=RhoOptions,
    applies=rho_applies,
)
