"""Kubernetes pod packing with priorities ("Priority Matters", arXiv 2511.08373).

Nodes have a CPU capacity (millicores) and a memory capacity (bytes); pods
request CPU and memory and carry an integer priority (higher = more
important). Running pods may be moved or evicted unless protected. Place pods
on nodes (or leave them pending) so that per node the summed requests fit,
lexicographically from the highest priority down: first place as many pods of
priority >= p as possible, then disturb the running ones of priority >= p as
little as possible, then the next priority.

Mapping onto the IR (``placed_i`` = task present, ``assign_ij`` = mode j):

* **node** n -> two ``bin`` resources ``<n>.cpu`` and ``<n>.mem`` with the
  node's capacities: ``sum_{i on n} cpu_i <= cpu_n`` and the same for memory;
* **pod** i -> an optional task (value 1, duration 0) with one mode per
  *eligible* node (one that can host the pod alone: ``cpu_i <= cpu_n`` and
  ``mem_i <= mem_n``), mode ``location`` = node name, demanding the pod's
  requests on that node's two bins; ``sum_j assign_ij = placed_i`` is the
  IR's "a present task runs in exactly one mode";
* a **running** pod (current node set) gets a ``reference`` on its current
  node's mode with ``move_cost`` 2 and ``evict_cost`` 1 (by default), so the
  ``disruption`` term scores stay 0, evict 1, move 2;
* a **protected** pod is pinned present on its current node;
* a pod with **no eligible node** can never be placed: it is not a task (the
  IR would reject a task without modes); it is listed in
  ``meta["unplaceable"]`` so that totals per priority stay complete;
* **objective**, for each priority p present among the tasks, from the highest
  down: a level ``placed>=p`` maximising ``present_value`` over the tasks of
  priority >= p, then a level ``disruption>=p`` minimising ``disruption`` over
  the running tasks of priority >= p (a level with an empty task set when no
  pod of priority >= p is running, so every tier has exactly two levels).

Order of the disruption levels. The default (``disruption_order="per_tier"``)
is the tier-by-tier order above (families.md): once tier p's disruption is
locked, running pods of priority >= p are never disturbed to make room for
lower tiers. The reference optima shipped with the shared benchmark
(``optimal_placed_by_priority``, ``optimal_min_disruption``) follow the other
order: all placement levels first, highest priority first, then one
disruption level over every running pod, counting moves and evictions alike.
``disruption_order="after_placement"`` with ``move_cost=1`` builds that order;
solved level by level with CP-SAT it reproduces all 7 reference optima, while
``per_tier`` places fewer low-priority pods in 5 of the 7 scenarios.

``meta`` holds ``pods`` (pod name per task), ``priorities`` (per task),
``tiers`` (priorities, highest first), ``disruption_order``, ``nodes``,
``current`` (current node per task or None), ``protected``, ``replicasets``
and ``unplaceable`` (name and priority of each pod that fits no node).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from schedkit.models.builder import Model
from schedkit.models.errors import ModelError
from schedkit.models.problem import ProblemData
from schedkit.models.solution import Solution
from schedkit.models.validation import is_integral

MOVE_COST = 2
"""Disruption of a running pod placed on another node."""
EVICT_COST = 1
"""Disruption of a running pod left pending."""


@dataclass(frozen=True)
class Node:
    """A node with ``cpu`` millicores and ``memory`` bytes of allocatable capacity."""

    name: str
    cpu: int
    memory: int


@dataclass(frozen=True)
class Pod:
    """A pod: requests, priority (higher = more important) and its current state.

    ``node`` is the node it runs on now (None = pending); a ``protected`` pod
    must stay there. ``replicaset`` is informational.
    """

    name: str
    cpu: int
    memory: int
    priority: int
    node: str | None = None
    protected: bool = False
    replicaset: str | None = None


@dataclass(frozen=True)
class PackingSummary:
    """A placement read in family terms.

    ``placed_by_priority`` / ``total_by_priority``: pods placed / existing per
    priority, highest first (unplaceable pods count in the totals); ``moved``
    and ``evicted``: running pods now on another node / pending;
    ``disruption``: the IR's disruption term (by default 2 per move, 1 per
    eviction); ``disrupted = moved + evicted`` is the count the benchmark's
    ``optimal_min_disruption`` reports.
    """

    placed_by_priority: dict[int, int]
    total_by_priority: dict[int, int]
    moved: int
    evicted: int
    disruption: int

    @property
    def disrupted(self) -> int:
        """Number of running pods that left their node (moved or evicted)."""
        return self.moved + self.evicted


def _check_nodes(nodes: Sequence[Node]) -> dict[str, Node]:
    by_name: dict[str, Node] = {}
    for index, node in enumerate(nodes):
        entity = f"node '{node.name}' (#{index})"
        if not isinstance(node.name, str) or not node.name:
            raise ModelError(f"node #{index}", "name", "must be a non-empty string")
        if node.name in by_name:
            raise ModelError(entity, "name", "is used by another node")
        for field_name in ("cpu", "memory"):
            value = getattr(node, field_name)
            if not is_integral(value) or value < 0:
                raise ModelError(entity, field_name, f"must be an integer >= 0, got {value!r}")
        by_name[node.name] = node
    return by_name


def _check_pod(index: int, pod: Pod, nodes: Mapping[str, Node], seen: set[str]) -> None:
    entity = f"pod '{pod.name}' (#{index})"
    if not isinstance(pod.name, str) or not pod.name:
        raise ModelError(f"pod #{index}", "name", "must be a non-empty string")
    if pod.name in seen:
        raise ModelError(entity, "name", "is used by another pod")
    for field_name in ("cpu", "memory"):
        value = getattr(pod, field_name)
        if not is_integral(value) or value < 0:
            raise ModelError(entity, field_name, f"must be an integer >= 0, got {value!r}")
    if not is_integral(pod.priority):
        raise ModelError(entity, "priority", f"must be an integer, got {pod.priority!r}")
    if pod.node is not None and pod.node not in nodes:
        raise ModelError(entity, "node", f"unknown node {pod.node!r}")
    if pod.protected and pod.node is None:
        raise ModelError(entity, "protected", "a protected pod needs a current node")
    if pod.node is not None and not _fits(pod, nodes[pod.node]):
        node = nodes[pod.node]
        raise ModelError(
            entity,
            "node",
            f"does not fit its current node {pod.node!r} alone (requests cpu {pod.cpu}, memory {pod.memory}; "
            f"capacity cpu {node.cpu}, memory {node.memory})",
        )


def _fits(pod: Pod, node: Node) -> bool:
    return pod.cpu <= node.cpu and pod.memory <= node.memory


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
    by_name = _check_nodes(nodes)
    seen: set[str] = set()
    for index, pod in enumerate(pods):
        _check_pod(index, pod, by_name, seen)
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
        eligible = [node for node in nodes if _fits(pod, node)]
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


def _field(data: Mapping[str, Any], key: str, path: str) -> Any:
    if not isinstance(data, Mapping):
        raise ModelError("scenario", path, f"must be an object, got {type(data).__name__}")
    if key not in data:
        raise ModelError("scenario", f"{path}.{key}" if path else key, "is missing")
    return data[key]


def from_scenario(scenario: Mapping[str, Any], name: str | None = None, **options: Any) -> ProblemData:
    """Build the problem of one scenario of the shared "Priority Matters" benchmark.

    ``scenario`` is one element of ``scenarios_*.json``: ``nodes`` with
    ``name``, ``cap_cpu_m``, ``cap_mem_bytes``; ``pods`` with ``name``,
    ``cpu_m``, ``mem_bytes``, ``priority``, ``default_node`` (the node the
    default scheduler used, or null) and optionally ``replicaset``. The
    current node of a pod is its ``default_node``; no pod is protected. Pure
    data: no file is read here. The name defaults to ``<config>_seed<seed>``.
    ``options`` go to :func:`podpack` (e.g. ``disruption_order="after_placement",
    move_cost=1`` reproduces the definition of the scenarios' reference optima).
    """
    nodes = [
        Node(
            _field(node, "name", f"nodes[{i}]"),
            _field(node, "cap_cpu_m", f"nodes[{i}]"),
            _field(node, "cap_mem_bytes", f"nodes[{i}]"),
        )
        for i, node in enumerate(_field(scenario, "nodes", ""))
    ]
    pods = [
        Pod(
            name=_field(pod, "name", f"pods[{i}]"),
            cpu=_field(pod, "cpu_m", f"pods[{i}]"),
            memory=_field(pod, "mem_bytes", f"pods[{i}]"),
            priority=_field(pod, "priority", f"pods[{i}]"),
            node=_field(pod, "default_node", f"pods[{i}]"),
            replicaset=pod.get("replicaset"),
        )
        for i, pod in enumerate(_field(scenario, "pods", ""))
    ]
    if name is None:
        config, seed = scenario.get("config"), scenario.get("seed")
        name = f"{config or 'podpack'}_seed{seed}" if seed is not None else str(config or "")
    return podpack(nodes, pods, name=name, **options)


def summarize(problem: ProblemData, solution: Solution) -> PackingSummary:
    """Placed pods per priority and the disruption of ``solution`` (see :class:`PackingSummary`)."""
    if len(solution) != problem.num_tasks:
        raise ValueError(f"the solution has {len(solution)} tasks, the problem {problem.num_tasks}")
    priorities: list[int] = problem.meta["priorities"]
    placed: dict[int, int] = {}
    total: dict[int, int] = {}
    for priority in priorities:
        total[priority] = total.get(priority, 0) + 1
        placed.setdefault(priority, 0)
    for entry in problem.meta.get("unplaceable", []):
        total[entry["priority"]] = total.get(entry["priority"], 0) + 1
        placed.setdefault(entry["priority"], 0)
    moved = evicted = disruption = 0
    for task, assignment, priority in zip(problem.tasks, solution.tasks, priorities):
        if assignment.present:
            placed[priority] += 1
        if task.reference is None:
            continue
        if not assignment.present:
            evicted += 1
            disruption += task.reference.evict_cost
        elif assignment.mode != task.reference.mode:
            moved += 1
            disruption += task.reference.move_cost
    order = sorted(total, reverse=True)
    return PackingSummary(
        placed_by_priority={p: placed[p] for p in order},
        total_by_priority={p: total[p] for p in order},
        moved=moved,
        evicted=evicted,
        disruption=disruption,
    )


def placement(problem: ProblemData, solution: Solution) -> dict[str, str | None]:
    """Node of each placeable pod in ``solution`` (None = pending)."""
    return {
        task.name: task.modes[a.mode].location if a.present and a.mode is not None else None
        for task, a in zip(problem.tasks, solution.tasks)
    }


__all__ = [
    "EVICT_COST",
    "MOVE_COST",
    "Node",
    "PackingSummary",
    "Pod",
    "from_scenario",
    "placement",
    "podpack",
    "summarize",
]
