"""The ETS selection of one depth as an IR problem (see the package docstring for the mapping)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from schedkit.models.builder import Model
from schedkit.models.errors import ModelError
from schedkit.models.kvtree.tree import TreeNode, ancestors_of, validate_nodes
from schedkit.models.problem import ProblemData
from schedkit.models.validation import is_integral


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
    validate_nodes(nodes)
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
    ancestors = {index: ancestors_of(nodes, index) for index in leaf_list}
    leaf_set = set(leaf_list)
    leaf_score: dict[int, float] = {}
    for index in leaf_list:
        node = nodes[index]
        entity = f"node '{node.name}' (#{index})"
        if node.score is None or not math.isfinite(node.score):
            raise ModelError(entity, "score", f"a leaf needs a finite score, got {node.score!r}")
        leaf_score[index] = float(node.score)
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
    children: dict[int, list[int]] = {index: [] for index in order}
    for index in order:
        parent = nodes[index].parent
        if parent is not None:
            children[parent].append(index)

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
    scores = [leaf_score.get(index, 0.0) for index in order]

    model = Model(name, family="kvtree")
    for task, index in enumerate(order):
        model.add_task(
            nodes[index].name,
            optional=True,
            value=round(scale * scores[task]) if index in leaf_set else 0,
        )
        model.add_mode(task, 0, cost=round(scale * lambda_c * unit_costs[task]))
    parent_task: list[int | None] = []
    for index in order:
        parent = nodes[index].parent
        parent_task.append(None if parent is None else task_of[parent])
        if parent is not None:
            model.add_implication(task_of[index], task_of[parent])
        if children[index]:
            model.add_implication(task_of[index], [task_of[child] for child in children[index]])
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
        parent=parent_task,
        tokens=[int(nodes[index].tokens) for index in order],
        leaves=leaf_tasks,
        scores=scores,
        unit_costs=unit_costs,
        clusters=[[task_of[int(m)] for m in group] for group in clusters],
    )
    return model.freeze()
