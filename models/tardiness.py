"""Single-machine total (weighted) tardiness: ``1 || sum w_j T_j``.

One machine processes n jobs without preemption; job j has processing time
p_j, due date d_j and weight w_j; its tardiness is T_j = max(0, C_j - d_j).
Minimise sum_j w_j T_j (w_j = 1: total tardiness). Compiles to one unary
resource and the ``total_weighted_tardiness`` term.
"""

from __future__ import annotations

from collections.abc import Sequence

from schedkit.models.builder import Model
from schedkit.models.errors import ModelError
from schedkit.models.problem import ProblemData


def tardiness(
    processing_times: Sequence[int],
    due_dates: Sequence[int],
    weights: Sequence[int] | None = None,
    name: str = "",
    release_dates: Sequence[int] | None = None,
) -> ProblemData:
    """Build a single-machine total (weighted) tardiness problem.

    Task ``job{j}`` is job j. ``meta["weighted"]`` tells whether weights were given.
    """
    n = len(processing_times)
    if len(due_dates) != n:
        raise ModelError("tardiness instance", "due_dates", f"has {len(due_dates)} entries for {n} jobs")
    if weights is not None and len(weights) != n:
        raise ModelError("tardiness instance", "weights", f"has {len(weights)} entries for {n} jobs")
    if release_dates is not None and len(release_dates) != n:
        raise ModelError("tardiness instance", "release_dates", f"has {len(release_dates)} entries for {n} jobs")
    model = Model(name, family="tardiness")
    machine = model.add_machine("machine")
    on_machine: dict[int | str, int] = {machine: 1}
    for j in range(n):
        model.add_task(
            f"job{j}",
            duration=processing_times[j],
            demands=on_machine,
            due_date=due_dates[j],
            weight=1 if weights is None else weights[j],
            release=0 if release_dates is None else release_dates[j],
        )
    model.minimize("total_weighted_tardiness")
    model.meta.update(weighted=weights is not None, num_jobs=n)
    return model.freeze()
