"""The ETS objective and the KV size of a selection, recomputed exactly from the unscaled data."""

from __future__ import annotations

from collections.abc import Sequence

from schedkit.models.problem import ProblemData
from schedkit.models.solution import Solution


def ets_objective_from_ir(problem: ProblemData, value: float) -> float:
    """The real-valued ETS objective of an IR objective ``value`` (``value / scale``).

    Exact up to the rounding of the scaled coefficients: at most ``0.5 /
    scale`` per leaf value, node cost and cluster reward involved.
    """
    return value / problem.meta["scale"]


def _kept_leaves(problem: ProblemData, solution: Solution) -> list[int]:
    if len(solution) != problem.num_tasks:
        raise ValueError(f"the solution has {len(solution)} tasks, the problem {problem.num_tasks}")
    return [task for task in problem.meta["leaves"] if solution.tasks[task].present]


def _needed(problem: ProblemData, kept: Sequence[int]) -> set[int]:
    """The kept leaves and the union of their ancestors (task indices)."""
    parent: list[int | None] = problem.meta["parent"]
    needed: set[int] = set()
    for task in kept:
        current: int | None = task
        while current is not None and current not in needed:
            needed.add(current)
            current = parent[current]
    return needed


def kv_size(problem: ProblemData, solution: Solution) -> int:
    """KV size of a selection: tokens of the kept leaves plus tokens of the union of their ancestors."""
    tokens: list[int] = problem.meta["tokens"]
    return sum(tokens[task] for task in _needed(problem, _kept_leaves(problem, solution)))


def ets_objective(problem: ProblemData, solution: Solution) -> float:
    """The ETS objective of a selection, from the unrounded data in ``meta``.

    ``sum_{kept leaves} O_i - lambda_c * sum_{needed nodes} C_j + lambda_s / K *
    (covered clusters)``, where the needed nodes are the kept leaves and their
    ancestors (what the implications force for a feasible selection).
    """
    meta = problem.meta
    kept = _kept_leaves(problem, solution)
    needed = _needed(problem, kept)
    kept_set = set(kept)
    covered = sum(1 for group in meta["clusters"] if kept_set.intersection(group))
    reward = meta["lambda_s"] / meta["num_clusters"] * covered if meta["num_clusters"] else 0.0
    return (
        sum(meta["scores"][task] for task in kept)
        - meta["lambda_c"] * sum(meta["unit_costs"][task] for task in needed)
        + reward
    )
