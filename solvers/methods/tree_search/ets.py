"""ETS selection at one depth: REBASE outcome weights, the 0/1 program of :mod:`schedkit.models.kvtree`, re-allocation.

Steps (``select_softmax_costmodel`` in ETS's ``rebase.py``):

1. outcome weights ``O_i``: REBASE's ceiling walk over the candidates with the
   remaining budget B (earlier candidate first among equal scores), normalised
   to sum 1;
2. clusters: average-linkage cosine clustering of the new steps' embeddings,
   cut at 0.05, used only when the coverage term can matter
   (:mod:`schedkit.models.kvtree.coverage`);
3. the program over the candidates and every ancestor (the root included):
   ``max sum O_i x_i - lambda_c sum C_j (x, y) + lambda_s / K sum_k c_k``,
   solved exactly by the tree DP of :mod:`.ets_dp` (milliseconds), or -- when
   too many clusters span branches, or on request -- built by
   :func:`schedkit.models.kvtree.kvtree` and solved by
   :func:`schedkit.solvers.lp.solve_selection` (LP relaxation first, HiGHS's
   MIP when it is fractional, 20-30 ms then);
4. re-allocation: REBASE's walk over the kept leaves only (the others get
   ``-inf``) with the full budget B. A kept leaf can still get 0 children.

ETS's code turns ``lambda_c = 0`` into a bonus of 1e-4 per kept node (to keep
everything on ties); that guard is not reproduced: with ``lambda_c = 0`` ties
are left to the solver.

The objective is reported in the user's units (:func:`ets_objective`,
recomputed from the unscaled data), never as the IR's scaled integer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.heuristics.kvtree import TEMPERATURE, outcome_weights, rebase_allocation
from schedkit.models import ProblemData
from schedkit.models.kvtree import (
    SearchNode,
    TreeNode,
    cluster_embeddings,
    coverage_clusters,
    ets_objective,
    kvtree,
)
from schedkit.solvers.methods.tree_search.ets_dp import DpResult, solve_ets_dp

LAMBDA_S: dict[int, float] = {16: 1.5, 64: 1.4, 256: 1.45}
"""ETS's released lambda_s per width (``hype-parameters/ets_{16,64,256}_math500.yaml``); 1.45 otherwise."""

CLUSTER_THRESHOLD = 0.05
"""Cosine distance at which ETS cuts the average-linkage dendrogram."""


def default_lambda_s(width: int) -> float:
    """ETS's lambda_s for a width (1.45 for widths without a released configuration)."""
    return LAMBDA_S.get(width, 1.45)


@dataclass
class EtsSelection:
    """The result of one ETS selection.

    ``allocation`` and ``kept`` follow the candidates' order; ``outcome`` is
    O_i; ``clusters`` holds candidate positions (all clusters found, even when
    the coverage term was left out, ``coverage_used``); ``objective`` is the
    optimum in the user's units; ``stats`` the solver's figures.
    """

    allocation: list[int]
    kept: list[bool]
    outcome: list[float]
    clusters: list[list[int]]
    coverage_used: bool
    objective: float
    status: str
    stats: dict[str, Any] = field(default_factory=dict)


def subtree_nodes(
    nodes: Sequence[SearchNode], candidates: Sequence[int], leaf_scores: Sequence[float]
) -> tuple[list[TreeNode], list[int], dict[int, int]]:
    """The candidates and their ancestors as IR tree nodes (named by node id), the leaves' positions and the id map.

    Each candidate's ``score`` is its entry of ``leaf_scores`` (the outcome weight O_i).
    """
    position: dict[int, int] = {}
    order: list[int] = []
    for candidate in candidates:
        current: int | None = candidate
        while current is not None and current not in position:
            position[current] = len(order)
            order.append(current)
            current = nodes[current].parent
    score_of = dict(zip(candidates, leaf_scores))
    tree = []
    for node_id in order:
        node = nodes[node_id]
        parent = None if node.parent is None else position[node.parent]
        tree.append(TreeNode(str(node_id), parent, node.tokens, score_of.get(node_id)))
    return tree, [position[c] for c in candidates], position


def _needed_tasks(problem: ProblemData, kept_nodes: Sequence[int]) -> list[bool]:
    """Presence of every task of a ``kvtree`` problem when the leaves ``kept_nodes`` (node ids) are kept."""
    parent: list[int | None] = problem.meta["parent"]
    present = [False] * problem.num_tasks
    for node in kept_nodes:
        task: int | None = problem.task_index[str(node)]
        while task is not None and not present[task]:
            present[task] = True
            task = parent[task]
    return present


def ets_program(
    nodes: Sequence[SearchNode],
    candidates: Sequence[int],
    outcome: Sequence[float],
    clusters: Sequence[Sequence[int]],
    lambda_c: float,
    lambda_s: float,
    cost: str,
) -> ProblemData:
    """The selection program as an IR problem (:func:`schedkit.models.kvtree.kvtree`); task names are node ids."""
    tree, leaves, _ = subtree_nodes(nodes, candidates, outcome)
    return kvtree(tree, leaves, [[leaves[i] for i in group] for group in clusters], lambda_c, lambda_s, cost)


def _solve_dp(
    nodes: Sequence[SearchNode],
    candidates: Sequence[int],
    outcome: Sequence[float],
    clusters: Sequence[Sequence[int]],
    lambda_c: float,
    lambda_s: float,
    cost: str,
) -> DpResult | None:
    position: dict[int, int] = {}
    order: list[int] = []
    for candidate in candidates:
        current: int | None = candidate
        while current is not None and current not in position:
            position[current] = len(order)
            order.append(current)
            current = nodes[current].parent
    parent = [None if (up := nodes[v].parent) is None else position[up] for v in order]
    if cost == "nodes":
        costs = [lambda_c / len(order)] * len(order)
    else:
        total = sum(nodes[v].tokens for v in order)
        if total == 0:
            raise ValueError("token costs need at least one token among the candidates and their ancestors")
        costs = [lambda_c * nodes[v].tokens / total for v in order]
    label = [-1] * len(candidates)
    for k, group in enumerate(clusters):
        for member in group:
            label[member] = k
    rho = lambda_s / len(clusters) if clusters else 0.0
    return solve_ets_dp(parent, [position[c] for c in candidates], outcome, costs, label, rho)


def ets_select(
    nodes: Sequence[SearchNode],
    candidates: Sequence[int],
    budget: int,
    embeddings: Any = None,
    lambda_c: float = 1.0,
    lambda_s: float = 1.45,
    cost: str = "nodes",
    temperature: float = TEMPERATURE,
    threshold: float = CLUSTER_THRESHOLD,
    check: bool = False,
    solver: str = "auto",
) -> EtsSelection:
    """ETS's selection over ``candidates`` (node ids) with budget B (see the module docstring).

    ``embeddings`` is an (n, d) array, one row per candidate, or None (no
    coverage term). ``solver``: ``"auto"`` solves the program by the exact
    tree DP (:mod:`.ets_dp`) and falls back to ``"mip"`` -- the IR problem
    solved by :func:`schedkit.solvers.lp.solve_selection` -- when the DP's
    tables grow too large or ``lambda_c < 0``. ``check`` builds the IR problem,
    runs the independent checker on the selection and compares the objective
    with the IR's exact recomputation; it raises on any disagreement.
    """
    if not candidates:
        raise ValueError("ETS selection needs at least one candidate")
    if solver not in ("auto", "mip"):
        raise ValueError(f"solver must be 'auto' or 'mip', got {solver!r}")
    if cost not in ("nodes", "tokens"):
        raise ValueError(f"cost must be 'nodes' or 'tokens', got {cost!r}")
    scores = [float(nodes[c].score) for c in candidates]
    outcome = outcome_weights(scores, budget, temperature)
    clusters: list[list[int]] = [[i] for i in range(len(candidates))]
    if embeddings is not None and len(candidates) > 1:
        matrix = np.asarray(embeddings, dtype=float)
        if matrix.shape[0] != len(candidates):
            raise ValueError(f"{matrix.shape[0]} embeddings for {len(candidates)} candidates")
        clusters = cluster_embeddings(matrix, threshold)
    rewarded = coverage_clusters(clusters, lambda_s, len(candidates)) if embeddings is not None else []
    stats: dict[str, Any] = {}
    problem: ProblemData | None = None
    result = None
    if solver == "auto" and lambda_c >= 0:
        result = _solve_dp(nodes, candidates, outcome, rewarded, lambda_c, lambda_s, cost)
    if result is not None:
        kept_positions = set(result.kept)
        kept = [i in kept_positions for i in range(len(candidates))]
        objective, status = result.objective, "optimal"
        stats.update(solver="dp", global_clusters=result.global_clusters)
    else:
        from schedkit.solvers.lp import solve_selection

        problem = ets_program(nodes, candidates, outcome, rewarded, lambda_c, lambda_s, cost)
        solved = solve_selection(problem)
        if solved.solution is None:
            raise RuntimeError(f"the ETS selection program was not solved: {solved.status.value}")
        kept = [solved.solution.tasks[problem.task_index[str(c)]].present for c in candidates]
        objective, status = ets_objective(problem, solved.solution), solved.status.value
        stats.update(solved.stats)
    if check:
        _check(nodes, candidates, outcome, rewarded, lambda_c, lambda_s, cost, kept, objective, problem)
    weights = [score if keep else -math.inf for score, keep in zip(scores, kept)]
    allocation = rebase_allocation(weights, budget, temperature, ties="later")
    return EtsSelection(allocation, kept, outcome, clusters, bool(rewarded), objective, status, stats)


def _check(
    nodes: Sequence[SearchNode],
    candidates: Sequence[int],
    outcome: Sequence[float],
    rewarded: Sequence[Sequence[int]],
    lambda_c: float,
    lambda_s: float,
    cost: str,
    kept: Sequence[bool],
    objective: float,
    problem: ProblemData | None,
) -> None:
    """Check a selection with the independent checker and recompute its objective from the IR's data."""
    from schedkit.models import Solution
    from schedkit.solvers.checker import check as check_solution

    if problem is None:
        problem = ets_program(nodes, candidates, outcome, rewarded, lambda_c, lambda_s, cost)
    present = _needed_tasks(problem, [c for c, keep in zip(candidates, kept) if keep])
    solution = Solution.from_lists(starts=[0 if p else None for p in present], present=present)
    violations = check_solution(problem, solution)
    if violations:
        raise RuntimeError(f"the ETS selection violates its program: {violations[0].message}")
    exact = ets_objective(problem, solution)
    if abs(exact - objective) > 1e-9 * max(1.0, abs(exact)):
        raise RuntimeError(f"the ETS objective {objective!r} disagrees with its recomputation {exact!r}")
