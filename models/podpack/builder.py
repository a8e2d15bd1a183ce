"""The lexicographic pod-packing problem as IR (see the package docstring for the mapping and the level orders)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from schedkit.models.builder import Model
from schedkit.models.errors import ModelError
from schedkit.models.podpack.cluster import EVICT_COST, MOVE_COST, Node, Pod, check_nodes, check_pod, fits
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
) -> ProblemData:
    """Build the lexicographic pod-packing problem (see the module docstring).

    ``disruption_order`` is ``"per_tier"`` (placed>=p, disruption>=p, then the
    next tier) or ``"after_placement"`` (every placed>=p level, then a single
    ``disruption`` level over all running pods); ``move_cost`` and
    ``evict_cost`` weigh a moved and an evicted running pod.

    Raises ``ModelError`` naming the node or pod and the field for bad input:
    duplicate names, negative requests or capacities, an unknown current node,
    a running pod that does not fit its current node alone (for a protected pod
    this is the "cannot stay where it is pinned" error), a protected pod
    without a node, or protected pods that together overflow their node.
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
            unplaceable.append({"name": pod.name, "priority": pod.priority})
            continue
        task = model.add_task(pod.name, optional=True, value=1)
        reference_mode = None
        for node in eligible:
            cpu_bin, mem_bin = bins[node.name]
            demands = {res: amount for res, amount in ((cpu_bin, pod.cpu), (mem_bin, pod.memory)) if amount > 0}
            mode = model.add_mode(task, 0, demands, location=node.name)
            if node.name == pod.node:
                reference_mode = mode
        if reference_mode is not None:
            model.set_reference(task, reference_mode, move_cost=move_cost, evict_cost=evict_cost)
            if pod.protected:
                model.pin(task, present=True, mode=reference_mode)
        task_pods.append(pod)

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
        unplaceable=unplaceable,
    )
    return model.freeze()
