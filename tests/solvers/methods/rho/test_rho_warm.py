"""Each window's starting schedule: the previous placements stay feasible, new operations are appended first-fit."""

from __future__ import annotations

from schedkit.instances.generators.fjsp import sd2_fjsp_breakdowns
from schedkit.solvers import check
from schedkit.solvers.methods.rho import RhoOptions, run_rho
from schedkit.solvers.methods.rho.loop import WindowContext
from schedkit.solvers.methods.rho.strategies import Decision
from schedkit.solvers.methods.rho.warm import left_justify, window_warm_start
from schedkit.solvers.methods.rho.window import build_window
from schedkit.solvers.methods.rho.window_solver import WindowResult


def test_the_previous_placements_stay_feasible_in_the_next_window() -> None:
    problem = sd2_fjsp_breakdowns(6, 10, 8, seed=1)  # downtime calendars included
    checked: list[int] = []

    def look(context: WindowContext, decision: Decision, result: WindowResult) -> None:
        # the context's state is live: look at it now, before this window's operations are committed
        if not context.overlap:
            return
        window = build_window(problem, context.structure, context.state, context.tasks, {})
        warm = window_warm_start(window, context.previous)
        assert warm is not None and check(window.problem, warm) == []
        local = window.local()
        for task in context.overlap:  # the overlap keeps exactly its previous mode and start
            assert (warm.tasks[local[task]].mode, warm.tasks[local[task]].start) == context.previous[task]
        shifted = left_justify(window, warm)
        assert check(window.problem, shifted) == []
        assert all(a.start <= b.start for a, b in zip(shifted.tasks, warm.tasks))  # type: ignore[operator]
        checked.append(context.index)

    options = RhoOptions(window=12, commit=5, window_time_limit=0.3, early_stop=0.1)
    run = run_rho(problem, options, threads=1, observer=look)
    assert run.solution is not None and check(problem, run.solution) == []
    assert len(checked) >= 5
