"""L-RHO's look-ahead oracle: which overlap operations did not need to change machine.

The window is re-solved ``trials`` times *without* fixing anything, each time
hinting every overlap operation's previous machine (no start hints), with a
different CP-SAT seed (L-RHO's trials differ only by multithreaded
non-determinism; single-threaded runs need seeds to differ). The trial with
the smallest window makespan is kept (the first on ties), and an overlap
operation is labelled 1 when its machine there equals its machine in the
previous window's solution: fixing it would have cost nothing.
"""

from __future__ import annotations

import time

from schedkit.solvers.methods.rho.loop import Oracle, WindowContext
from schedkit.solvers.methods.rho.options import RhoOptions
from schedkit.solvers.methods.rho.window import WindowProblem
from schedkit.solvers.methods.rho.window_solver import WindowResult, solve_window_cpsat


def make_oracle(options: RhoOptions, threads: int | None, seed: int) -> Oracle:
    """An oracle with ``options.oracle_trials`` trials and the window limits of ``options``."""

    def oracle(context: WindowContext, free: WindowProblem) -> tuple[list[int], float]:
        started = time.perf_counter()
        local = free.local()
        hints = {local[t]: context.previous[t][0] for t in context.overlap}
        best: WindowResult | None = None
        best_objective: int | None = None  # best's objective, never None once best is set
        for trial in range(options.oracle_trials):
            result = solve_window_cpsat(
                free.problem,
                time_limit=options.window_time_limit,
                early_stop=options.early_stop,
                threads=threads,
                seed=seed * 7919 + context.index * 31 + trial,
                mode_hints=hints,
                conflict_limit=options.conflict_limit,
            )
            if result.objective is not None and (best_objective is None or result.objective < best_objective):
                best, best_objective = result, result.objective
        if best is None or best.solution is None:  # no trial found a schedule: label nothing stable
            return [0] * len(context.overlap), time.perf_counter() - started
        modes = best.solution.modes
        labels = [int(modes[local[t]] == context.previous[t][0]) for t in context.overlap]
        return labels, time.perf_counter() - started

    return oracle
