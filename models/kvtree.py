"""KV-sharing tree search selection (ETS).

In a tree search over reasoning steps, the frontier leaves share KV cache
through their common ancestors. At each depth ETS keeps a subset of the leaves
that trades search quality (REBASE allocations, diversity over clusters of
step embeddings) against KV size (the kept leaves and every ancestor they
still need). The selection is the 0/1 program

    maximise   sum_i O_i x_i - lambda_c * sum_{j kept} C_j + (lambda_s / K) * sum_k c_k
    subject to y_j >= x_i           for every leaf i below node j
               y_j <= sum_{i below j} x_i
               sum_i x_i >= 1
               c_k <= sum_{i in cluster k} x_i

with x_i (keep leaf i), y_j (ancestor j still needed), c_k (cluster k
covered), O_i the leaf's score (in ETS its REBASE allocation normalised to sum
1), K the number of clusters and C_j the cost of keeping node j: ``1 / (number
of leaves + ancestors)`` for ``cost="nodes"`` (ETS's node count), ``tokens_j /
total tokens`` for ``cost="tokens"``.

Mapping onto the IR (integers only, so every real is scaled by ``scale`` and
rounded):

* one optional task per node among the leaves and their ancestors, duration
  0, no resources, a single mode whose ``cost`` is ``round(scale * lambda_c *
  C_j)``; a leaf's ``value`` is ``round(scale * O_i)``;
* implication node -> parent for every non-root node (chained, this gives
  ``y_j >= x_i`` for every leaf i below j), and implication internal node j ->
  ``then_any`` (the leaves below j): ``y_j <= sum x_i``;
* a selection "at least one leaf" (``min_present = 1``);
* one coverage group per cluster (its leaves) with reward
  ``round(scale * lambda_s / K)``;
* objective: one level maximising ``present_value`` (weight 1) +
  ``coverage_reward`` (weight 1) + ``mode_cost`` (weight -1).

The IR objective is therefore ``scale`` times the ETS objective up to
rounding (at most 0.5 per rounded number): :func:`ets_objective_from_ir`
divides it back, :func:`ets_objective` recomputes it exactly from the
unrounded data kept in ``meta``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from schedkit.models.builder import Model
from schedkit.models.errors import ModelError
from schedkit.models.problem import ProblemData
from schedkit.models.solution import Solution
from schedkit.models.validation import is_integral


@dataclass(frozen=True)
class TreeNode:
    """A node of the search tree.

    ``parent`` is the index of the parent in the node list (None for the
    root); ``tokens`` the number of tokens of this step (its KV size);
    ``score`` the leaf score O_i (required for frontier leaves, ignored
    otherwise).
    """

    name: str
    parent: int | None
    tokens: int
    score: float | None = None


def _ancestors(nodes: Sequence[TreeNode], index: int) -> list[int]:
    """Ancestors of node ``index``, parent first (raises on a parent cycle)."""
    chain: list[int] = []
    seen = {index}
    parent = nodes[index].parent
    while parent is not None:
        if parent in seen:
            raise ModelError(f"node '{nodes[index].name}' (#{index})", "parent", "the parent links form a cycle")
        seen.add(parent)
        chain.append(parent)
        parent = nodes[parent].parent
    return chain


def _validate_nodes(nodes: Sequence[TreeNode]) -> None:
    names: set[str] = set()
    for index, node in enumerate(nodes):
        entity = f"node '{node.name}' (#{index})"
        if not isinstance(node.name, str) or not node.name:
            raise ModelError(f"node #{index}", "name", "must be a non-empty string")
        if node.name in names:
            raise ModelError(entity, "name", "is used by another node")
        names.add(node.name)
        if node.parent is not None and not (is_integral(node.parent) and 0 <= node.parent < len(nodes)):
            raise ModelError(entity, "parent", f"refers to unknown node index {node.parent!r}")
        if node.parent == index:
            raise ModelError(entity, "parent", "a node cannot be its own parent")
        if not is_integral(node.tokens) or node.tokens < 0:
            raise ModelError(entity, "tokens", f"must be an integer >= 0, got {node.tokens!r}")


def kvtree(
    nodes: Sequence[TreeNode],
    leaves: Sequence[int],
    clusters: Sequence[Sequence[int]] = (),
    lambda_c: float = 1.0,
    lambda_s: float = 1.45,
    cost: str = "nodes",
    scale: int = 10**6,
    name: str = "",
) -> ProblemData:
    """Build the ETS selection problem at one depth (see the module docstring).

    Parameters
    ----------
    nodes
        The search tree (any superset of the leaves and their ancestors).
    leaves
        Indices (into ``nodes``) of the frontier leaves to select from; each
        needs a finite ``score``, and no leaf may be an ancestor of another.
    clusters
        Groups of leaf indices (into ``nodes``) with similar step embeddings,
        e.g. ``[[leaves[i] for i in group] for group in cluster_embeddings(E)]``.
        Each leaf is in at most one cluster; K = ``len(clusters)``.
    lambda_c, lambda_s
        Weights of the KV cost and of the diversity reward.
    cost
        ``"nodes"`` (C_j = 1 / number of tasks) or ``"tokens"`` (C_j =
        tokens_j / total tokens of the tasks).
    scale
        Integer factor applied to every real coefficient before rounding.
    name
        Instance name.

    Tasks are the leaves (in the order given) followed by their ancestors in
    order of first appearance; task names are node names. ``meta`` records
    ``scale``, the lambdas, ``cost``, ``nodes`` (node index per task),
    ``parent`` (parent task per task), ``tokens``, ``leaves`` (leaf tasks),
    ``scores`` and ``unit_costs`` (unrounded O_i and C_j) and ``clusters``.
    """
    _validate_nodes(nodes)
    if cost not in ("nodes", "tokens"):
        raise ModelError("kvtree", "cost", f"must be 'nodes' or 'tokens', got {cost!r}")
    if not is_integral(scale) or scale < 1:
        raise ModelError("kvtree", "scale", f"must be an integer >= 1, got {scale!r}")
    for label, value in (("lambda_c", lambda_c), ("lambda_s", lambda_s)):
        if not math.isfinite(value):
            raise ModelError("kvtree", label, f"must be finite, got {value!r}")
    if not leaves:
        raise ModelError("kvtree", "leaves", "needs at least one leaf")
    leaf_list = [int(i) for i in leaves]
    for position, index in enumerate(leaf_list):
        if not 0 <= index < len(nodes):
            raise ModelError("kvtree", f"leaves[{position}]", f"refers to unknown node index {index!r}")
    if len(set(leaf_list)) != len(leaf_list):
        raise ModelError("kvtree", "leaves", "lists a node twice")
    ancestors = {index: _ancestors(nodes, index) for index in leaf_list}
    leaf_set = set(leaf_list)
    for index in leaf_list:
        node = nodes[index]
        entity = f"node '{node.name}' (#{index})"
        if node.score is None or not math.isfinite(node.score):
            raise ModelError(entity, "score", f"a leaf needs a finite score, got {node.score!r}")
        above = leaf_set.intersection(ancestors[index])
        if above:
            other = nodes[min(above)]
            raise ModelError(entity, "parent", f"lies below leaf '{other.name}'; leaves must be frontier nodes")

    order = list(leaf_list)
    listed = set(order)
    for index in leaf_list:
        for ancestor in ancestors[index]:
            if ancestor not in listed:
                listed.add(ancestor)
                order.append(ancestor)
    task_of = {node_index: task for task, node_index in enumerate(order)}
    below: dict[int, list[int]] = {index: [] for index in order}
    for index in leaf_list:
        for ancestor in ancestors[index]:
            below[ancestor].append(index)

    group_of: dict[int, int] = {}
    for k, group in enumerate(clusters):
        if not group:
            raise ModelError(f"cluster #{k}", "members", "must not be empty")
        for raw in group:
            member = int(raw)
            if member not in leaf_set:
                raise ModelError(f"cluster #{k}", "members", f"node index {member} is not a leaf")
            if member in group_of:
                raise ModelError(f"cluster #{k}", "members", f"leaf {member} is also in cluster #{group_of[member]}")
            group_of[member] = k

    if cost == "nodes":
        unit_costs = [1.0 / len(order)] * len(order)
    else:
        total = sum(nodes[index].tokens for index in order)
        if total == 0:
            raise ModelError("kvtree", "cost", "token costs need at least one token among the leaves and ancestors")
        unit_costs = [nodes[index].tokens / total for index in order]
    scores = [float(nodes[index].score) if index in leaf_set else 0.0 for index in order]  # type: ignore[arg-type]

    model = Model(name, family="kvtree")
    for task, index in enumerate(order):
        model.add_task(
            nodes[index].name,
            optional=True,
            value=round(scale * scores[task]) if index in leaf_set else 0,
        )
        model.add_mode(task, 0, cost=round(scale * lambda_c * unit_costs[task]))
    for index in order:
        parent = nodes[index].parent
        if parent is not None:
            model.add_implication(task_of[index], task_of[parent])
        if below[index]:
            model.add_implication(task_of[index], [task_of[leaf] for leaf in below[index]])
    leaf_tasks = [task_of[index] for index in leaf_list]
    model.add_selection(leaf_tasks, min_present=1)
    reward = round(scale * lambda_s / len(clusters)) if clusters else 0
    for k, group in enumerate(clusters):
        model.add_coverage_group([task_of[int(m)] for m in group], reward=reward, name=f"cluster{k}")
    model.maximize(("present_value", 1), ("coverage_reward", 1), ("mode_cost", -1), name="ets")
    model.meta.update(
        scale=scale,
        lambda_c=float(lambda_c),
        lambda_s=float(lambda_s),
        cost=cost,
        num_clusters=len(clusters),
        nodes=[int(index) for index in order],
        parent=[None if nodes[index].parent is None else task_of[nodes[index].parent] for index in order],  # type: ignore[index]
        tokens=[int(nodes[index].tokens) for index in order],
        leaves=leaf_tasks,
        scores=scores,
        unit_costs=unit_costs,
        clusters=[[task_of[int(m)] for m in group] for group in clusters],
    )
    return model.freeze()


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


def cluster_embeddings(
    embeddings: Any, threshold: float = 0.05, items: Sequence[Hashable] | None = None
) -> list[list[Any]]:
    """Group step embeddings by average-linkage cosine clustering cut at ``threshold``.

    ``embeddings`` is an (n, d) array, one row per leaf. Agglomerative
    clustering (scipy ``linkage(method="average", metric="cosine")``) merges
    the two groups with the smallest mean cosine distance ``1 - cos(u, v)``
    until it exceeds ``threshold`` (``fcluster`` with criterion
    ``"distance"``), as ETS does with 0.05. Returns groups of row positions
    (or of ``items[pos]`` when ``items`` is given, e.g. the leaves' node
    indices), each sorted, ordered by their first member.
    """
    from scipy.cluster.hierarchy import fcluster, linkage

    matrix = np.asarray(embeddings, dtype=float)
    if matrix.ndim != 2:
        raise ValueError(f"embeddings must be a 2-d array (one row per leaf), got shape {matrix.shape}")
    n = matrix.shape[0]
    if items is not None and len(items) != n:
        raise ValueError(f"items has {len(items)} entries for {n} embeddings")
    if not np.all(np.isfinite(matrix)):
        raise ValueError("embeddings must be finite")
    zero = np.flatnonzero(np.linalg.norm(matrix, axis=1) == 0) if n else np.array([], dtype=int)
    if zero.size:
        raise ValueError(f"embedding row {int(zero[0])} is zero: its cosine distance is undefined")
    if n == 0:
        return []
    if n == 1:
        labels = np.array([1])
    else:
        labels = fcluster(linkage(matrix, method="average", metric="cosine"), t=threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for position, label in enumerate(labels):
        groups.setdefault(int(label), []).append(position)
    ordered = sorted(groups.values(), key=lambda members: members[0])
    if items is None:
        return ordered
    return [[items[position] for position in group] for group in ordered]


__all__ = [
    "TreeNode",
    "cluster_embeddings",
    "ets_objective",
    "ets_objective_from_ir",
    "kv_size",
    "kvtree",
]
