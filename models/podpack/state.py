"""Cluster states of a pod-packing problem: the nodes and pods back from the IR, placements as solutions.

A *placement* maps every pod name to a node name or None (pending). The
running placement is the one recorded in the problem (``meta["current"]``,
the reference of each running pod); :func:`running_solution` turns it into a
:class:`~schedkit.models.Solution`, so a solver can start from it and a
certificate can judge it without the caller building a Solution by hand.
"""

from __future__ import annotations

from collections.abc import Mapping

from schedkit.models.podpack.cluster import Node, Pod
from schedkit.models.problem import ProblemData
from schedkit.models.solution import Solution, TaskAssignment

Placement = dict[str, str | None]
"""Node name per pod name (None = pending)."""


def _require_podpack(problem: ProblemData) -> None:
    if problem.family != "podpack" or "pods" not in problem.meta:
        raise ValueError(f"problem {problem.name!r} is not a pod-packing problem (family {problem.family!r})")


def nodes_of(problem: ProblemData) -> list[Node]:
    """The nodes of ``problem`` with their capacities (from the ``<node>.cpu`` / ``<node>.mem`` bins)."""
    _require_podpack(problem)
    capacity = {r.name: r.capacity for r in problem.resources}
    return [Node(name, capacity[f"{name}.cpu"], capacity[f"{name}.mem"]) for name in problem.meta["nodes"]]


def pods_of(problem: ProblemData, placement: Mapping[str, str | None] | None = None) -> list[Pod]:
    """The pods of ``problem`` (placeable ones in task order, then the unplaceable ones).

    Each pod's ``node`` is its node in ``placement`` (default: the running
    placement recorded in the problem). Protection and ReplicaSets are kept.
    """
    _require_podpack(problem)
    meta = problem.meta
    protected = set(meta.get("protected", []))
    current = running_placement(problem) if placement is None else placement
    pods = []
    for index, name in enumerate(meta["pods"]):
        cpu, memory = meta["requests"][index] if "requests" in meta else _requests_from_modes(problem, index)
        pods.append(
            Pod(
                name,
                cpu,
                memory,
                meta["priorities"][index],
                node=current.get(name),
                protected=name in protected,
                replicaset=meta["replicasets"][index],
            )
        )
    for entry in meta.get("unplaceable", []):
        pods.append(Pod(entry["name"], entry.get("cpu", 0), entry.get("memory", 0), entry["priority"]))
    return pods


def _requests_from_modes(problem: ProblemData, index: int) -> tuple[int, int]:
    """(cpu, memory) of task ``index`` read from its first mode's demands (for problems saved without requests)."""
    amounts = {
        problem.resources[d.resource].name.rsplit(".", 1)[1]: d.amount for d in problem.tasks[index].modes[0].demands
    }
    return amounts.get("cpu", 0), amounts.get("mem", 0)


def running_placement(problem: ProblemData) -> Placement:
    """The running placement: each pod's current node (None = pending), unplaceable pods included."""
    _require_podpack(problem)
    out: Placement = dict(zip(problem.meta["pods"], problem.meta["current"]))
    for entry in problem.meta.get("unplaceable", []):
        out[entry["name"]] = None
    return out


def solution_from_placement(problem: ProblemData, placement: Mapping[str, str | None]) -> Solution:
    """The Solution putting each pod on its node in ``placement`` (missing or None = pending).

    Raises ``ValueError`` naming the pod when a node is not one of the pod's
    eligible nodes (it does not fit there alone, or is unknown).
    """
    _require_podpack(problem)
    assignments = []
    for task in problem.tasks:
        node = placement.get(task.name)
        if node is None:
            assignments.append(TaskAssignment(False, None, None))
            continue
        modes = [m for m, mode in enumerate(task.modes) if mode.location == node]
        if not modes:
            raise ValueError(f"pod '{task.name}': node {node!r} is unknown or cannot host it")
        assignments.append(TaskAssignment(True, modes[0], 0))
    return Solution(tuple(assignments))


def running_solution(problem: ProblemData) -> Solution:
    """The running placement recorded in the problem as a Solution (pending pods absent, nothing moved)."""
    return solution_from_placement(problem, running_placement(problem))


def placement_of(problem: ProblemData, solution: Solution) -> Placement:
    """Node of every pod in ``solution`` (None = pending), unplaceable pods included (always pending)."""
    _require_podpack(problem)
    if len(solution) != problem.num_tasks:
        raise ValueError(f"the solution has {len(solution)} tasks, the problem {problem.num_tasks}")
    out: Placement = {
        task.name: task.modes[a.mode].location if a.present and a.mode is not None else None
        for task, a in zip(problem.tasks, solution.tasks)
    }
    for entry in problem.meta.get("unplaceable", []):
        out[entry["name"]] = None
    return out
