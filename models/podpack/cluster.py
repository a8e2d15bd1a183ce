"""Nodes and pods of a Kubernetes cluster, their validation and the disruption costs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from schedkit.models.errors import ModelError
from schedkit.models.validation import is_integral

MOVE_COST = 2
"""Disruption of a running pod placed on another node."""
EVICT_COST = 1
"""Disruption of a running pod left pending."""


class ModeInfeasible(ModelError):
    """The plugin mode asked for cannot be met by any plan (no pending pod, or the preemptor, fits any node)."""


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


def check_nodes(nodes: Sequence[Node]) -> dict[str, Node]:
    """The nodes by name; raises ``ModelError`` naming the node and field when one is invalid."""
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


def check_pod(index: int, pod: Pod, nodes: Mapping[str, Node], seen: set[str]) -> None:
    """Raise ``ModelError`` naming the pod and field when it is invalid (``seen``: names so far)."""
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
    if pod.node is not None and not fits(pod, nodes[pod.node]):
        node = nodes[pod.node]
        raise ModelError(
            entity,
            "node",
            f"does not fit its current node {pod.node!r} alone (requests cpu {pod.cpu}, memory {pod.memory}; "
            f"capacity cpu {node.cpu}, memory {node.memory})",
        )


def fits(pod: Pod, node: Node) -> bool:
    """Whether the pod alone fits the node (cpu and memory)."""
    return pod.cpu <= node.cpu and pod.memory <= node.memory
