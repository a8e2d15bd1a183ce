"""The shared benchmark scenarios (arXiv 2511.08373 transcriptions) as pod-packing problems."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from schedkit.models.errors import ModelError
from schedkit.models.podpack.builder import podpack
from schedkit.models.podpack.cluster import Node, Pod
from schedkit.models.problem import ProblemData


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


def to_scenario(
    nodes: Sequence[Node],
    pods: Sequence[Pod],
    placement: Mapping[str, str | None] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """One scenario in the shared benchmark's format (the inverse of :func:`from_scenario`).

    ``default_node`` of each pod is its node in ``placement`` (default: the
    pod's own ``node``). ``fields`` (``seed``, ``config``, ``num_nodes``, ...)
    come first in the object, as in the shared file.
    """
    where = {pod.name: pod.node for pod in pods} if placement is None else placement
    return {
        **fields,
        "nodes": [{"name": n.name, "cap_cpu_m": n.cpu, "cap_mem_bytes": n.memory} for n in nodes],
        "pods": [
            {
                "name": pod.name,
                "replicaset": pod.replicaset,
                "cpu_m": pod.cpu,
                "mem_bytes": pod.memory,
                "priority": pod.priority,
                "default_node": where.get(pod.name),
            }
            for pod in pods
        ],
    }
