"""The lexicographic pod-packing problem as IR (see the package docstring for the mapping and the level orders)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from schedkit.models.builder import Model
from schedkit.models.errors import ModelError
from schedkit.models.podpack.cluster import (
    EVICT_COST,
    MOVE_COST,
    ModeInfeasible,
    Node,
    Pod,
    check_nodes,
    check_pod,
    fits,
)
from schedkit.models.problem import ProblemData
from schedkit.models.validation import is_integral


def podpack(
    nodes: Sequence[Node],
    pods: Sequence[Pod],
    name: str = "",
    *,
    disruption_order: str = "per_tier",
    move_cost: int = MOVE_COST,
    evict_cost: int = EVICT_COST,
    require_pending: bool = False,
    preemptor: str | None = None,
) -> ProblemData:
    """Build the lexicographic pod-packing problem (see the module docstring).

    ``disruption_order`` is ``"per_tier"`` (placed>=p, disruption>=p, then the
    next tier) or ``"after_placement"`` (every placed>=p level, then a single
    ``disruption`` level over all running pods); ``move_cost`` and
    ``evict_cost`` weigh a moved and an evicted running pod.

    The two modes of the paper's plugin add one constraint each:
    ``require_pending=True`` (its background modes) asks that at least one
    pending pod be placed, ``sum_{i pending} placed_i >= 1`` (an IR
    selection); ``preemptor="<pod>"`` (its per-pod mode) pins that pod
    present, ``placed_preemptor = 1``, on any node. ``meta["mode"]`` records
    which one applies (``"free"``, ``"require_pending"``, ``"preemptor"``).

    Raises ``ModelError`` naming the node or pod and the field for bad input:
    duplicate names, negative requests or capacities, an unknown current node,
    a running pod that does not fit its current node alone (for a protected pod
    this is the "cannot stay where it is pinned" error), a protected pod
    without a node, or protected pods that together overflow their node; for
    the modes, an unknown preemptor or both modes at once; and
    :class:`~schedkit.models.podpack.cluster.ModeInfeasible` (a ``ModelError``)
    when no plan can satisfy the mode: the preemptor fits no node, or no pod
    is pending or none of the pending pods fits any node.
    """
    if disruption_order not in ("per_tier", "after_placement"):
        raise ModelError(
            "podpack", "disruption_order", f"must be 'per_tier' or 'after_placement', got {disruption_order!r}"
        )
    for label, value in (("move_cost", move_cost), ("evict_cost", evict_cost)):
        if not is_integral(value) or value < 0:
            raise ModelError("podpack", label, f"must be an integer >= 0, got {value!r}")
    by_name = check_nodes(nodes)
    seen: set[str] = set()
    for index, pod in enumerate(pods):
        check_pod(index, pod, by_name, seen)
        seen.add(pod.name)
    _check_mode(nodes, pods, require_pending, preemptor)
    for node in nodes:
        pinned = [pod for pod in pods if pod.protected and pod.node == node.name]
        cpu, memory = sum(p.cpu for p in pinned), sum(p.memory for p in pinned)
        if cpu > node.cpu or memory > node.memory:
            raise ModelError(
                f"node '{node.name}'",
                "protected pods",
                f"protected pods {', '.join(repr(p.name) for p in pinned)} need cpu {cpu}, memory {memory}; "
                f"capacity is cpu {node.cpu}, memory {node.memory}",
            )

    model = Model(name, family="podpack")
    bins = {
        node.name: (
            model.add_resource(f"{node.name}.cpu", "bin", node.cpu),
            model.add_resource(f"{node.name}.mem", "bin", node.memory),
        )
        for node in nodes
    }
    task_pods: list[Pod] = []
    unplaceable: list[dict[str, Any]] = []
    for pod in pods:
        eligible = [node for node in nodes if fits(pod, node)]
        if not eligible:
            unplaceable.append({"name": pod.name, "priority": pod.priority, "cpu": pod.cpu, "memory": pod.memory})
            continue
        task = model.add_task(pod.name, optional=True, value=1)
        reference_mode = None
        for node in eligible:
            cpu_bin, mem_bin = bins[node.name]
            demands: dict[int | str, int] = {
                res: amount for res, amount in ((cpu_bin, pod.cpu), (mem_bin, pod.memory)) if amount > 0
            }
            mode = model.add_mode(task, 0, demands, location=node.name)
            if node.name == pod.node:
                reference_mode = mode
        if reference_mode is not None:
            model.set_reference(task, reference_mode, move_cost=move_cost, evict_cost=evict_cost)
            if pod.protected:
                model.pin(task, present=True, mode=reference_mode)
        if pod.name == preemptor and not pod.protected:
            model.pin(task, present=True)
        task_pods.append(pod)
    if require_pending:
        model.add_selection([i for i, pod in enumerate(task_pods) if pod.node is None], min_present=1)

    tiers = sorted({pod.priority for pod in task_pods}, reverse=True)
    for tier in tiers:
        members = [index for index, pod in enumerate(task_pods) if pod.priority >= tier]
        running = [index for index in members if task_pods[index].node is not None]
        model.maximize(("present_value", 1, members), name=f"placed>={tier}")
        if disruption_order == "per_tier":
            model.minimize(("disruption", 1, running), name=f"disruption>={tier}")
    if disruption_order == "after_placement" and tiers:
        running = [index for index, pod in enumerate(task_pods) if pod.node is not None]
        model.minimize(("disruption", 1, running), name="disruption")
    model.meta.update(
        pods=[pod.name for pod in task_pods],
        priorities=[pod.priority for pod in task_pods],
        tiers=tiers,
        disruption_order=disruption_order,
        nodes=[node.name for node in nodes],
        current=[pod.node for pod in task_pods],
        protected=[pod.name for pod in task_pods if pod.protected],
        replicasets=[pod.replicaset for pod in task_pods],
        requests=[[pod.cpu, pod.memory] for pod in task_pods],
        unplaceable=unplaceable,
        mode="preemptor" if preemptor is not None else "require_pending" if require_pending else "free",
        preemptor=preemptor,
        move_cost=move_cost,
        evict_cost=evict_cost,
    )
    return model.freeze()


def _check_mode(nodes: Sequence[Node], pods: Sequence[Pod], require_pending: bool, preemptor: str | None) -> None:
    """Refuse a mode no plan can satisfy (see :func:`podpack`), naming the field."""
    if require_pending and preemptor is not None:
        raise ModelError("podpack", "preemptor", "the preemptor mode and require_pending exclude each other")
    if preemptor is not None:
        match = [pod for pod in pods if pod.name == preemptor]
        if not match:
            raise ModelError("podpack", "preemptor", f"unknown pod {preemptor!r}")
        if not any(fits(match[0], node) for node in nodes):
            raise ModeInfeasible(f"pod '{preemptor}'", "preemptor", "fits no node alone: it cannot be placed")
    if require_pending:
        pending = [pod for pod in pods if pod.node is None]
        if not pending:
            raise ModeInfeasible("podpack", "require_pending", "no pod is pending")
        if not any(fits(pod, node) for pod in pending for node in nodes):
            raise ModeInfeasible("podpack", "require_pending", "no pending pod fits any node alone: none can be placed")
