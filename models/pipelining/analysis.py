"""Lower bounds on the initiation interval (ResMII, RecMII) and the length of a sequential schedule.

ResMII: no unit can be held more than ``II * capacity`` unit-cycles per iteration; RecMII: every
dependence cycle C needs ``II * sum_C distance >= sum_C latency``. A sequential schedule of one
iteration bounds the II from above (it is feasible whenever the loop is).
"""

from __future__ import annotations

import networkx as nx

from schedkit.models.pipelining.loop import Edge, Loop, Machine
from schedkit.models.pipelining.validation import validate, validate_edges


def unit_usage(loop: Loop, machine: Machine) -> dict[str, int]:
    """Total unit-cycles each unit is held per iteration: sum of ``amount * length``."""
    validate(loop, machine)
    usage = {unit.name: 0 for unit in machine.units}
    for op in loop.ops:
        for res in op.reservations:
            usage[res.unit] += res.amount * res.length
    return usage


def res_mii_by_unit(loop: Loop, machine: Machine) -> dict[str, int]:
    """Per unit, ``ceil(usage / capacity)``: II below it overloads that unit."""
    usage = unit_usage(loop, machine)
    return {unit.name: -(-usage[unit.name] // unit.capacity) for unit in machine.units}


def res_mii(loop: Loop, machine: Machine) -> int:
    """Resource-constrained lower bound on II.

    ``ResMII = max over units u of ceil(sum_ops sum_{reservations on u} amount
    * length / capacity_u)``: in II cycles a unit offers ``II * capacity``
    unit-cycles, and every iteration needs its full usage (0 without units).
    """
    return max(res_mii_by_unit(loop, machine).values(), default=0)


def has_positive_cycle(loop: Loop, ii: int) -> bool:
    """Whether some dependence cycle has ``sum(latency) - ii * sum(distance) > 0``."""
    graph = nx.DiGraph()
    graph.add_nodes_from(op.name for op in loop.ops)
    for edge in loop.edges:
        weight = ii * edge.distance - edge.latency
        if not graph.has_edge(edge.src, edge.dst) or graph[edge.src][edge.dst]["weight"] > weight:
            graph.add_edge(edge.src, edge.dst, weight=weight)
    return bool(graph.number_of_edges()) and nx.negative_edge_cycle(graph)


def rec_mii(loop: Loop) -> int:
    """Recurrence-constrained lower bound on II.

    ``RecMII = max over dependence cycles c of ceil(sum_{e in c} latency_e /
    sum_{e in c} distance_e)`` (0 without cycles): going once round a cycle
    moves ``sum distance`` iterations ahead, i.e. ``sum distance * II``
    cycles, which must cover the latencies. Instead of enumerating cycles
    (exponentially many), we use the equivalent test "II >= RecMII iff no cycle
    has positive weight ``latency - II * distance``" (a negative-cycle check
    with networkx's Bellman-Ford on weights ``II * distance - latency``) and
    binary-search the smallest such II in ``[0, sum of latencies]``.
    Intra-iteration edges must form a DAG, so every cycle has distance >= 1.
    """
    validate_edges(loop)
    low, high = 0, sum(edge.latency for edge in loop.edges)
    if not has_positive_cycle(loop, low):
        return 0
    while high - low > 1:  # invariant: positive cycle at low, none at high
        middle = (low + high) // 2
        if has_positive_cycle(loop, middle):
            low = middle
        else:
            high = middle
    return high


def sequential_schedule(loop: Loop, machine: Machine) -> dict[str, int]:
    """Issue times of a schedule running the ops one after another, in dependence order."""
    order = {op.name: index for index, op in enumerate(loop.ops)}
    ops = {op.name: op for op in loop.ops}
    intra = nx.DiGraph()
    intra.add_nodes_from(order)
    intra.add_edges_from((e.src, e.dst) for e in loop.edges if e.distance == 0)
    into: dict[str, list[Edge]] = {name: [] for name in order}
    for edge in loop.edges:
        if edge.distance == 0:
            into[edge.dst].append(edge)
    issue: dict[str, int] = {}
    cursor = 0
    for name in nx.lexicographical_topological_sort(intra, key=order.__getitem__):
        ready = [issue[e.src] + e.latency + machine.cross_warp_delay for e in into[name]]
        issue[name] = max([cursor, *ready])
        cursor = issue[name] + ops[name].span
    return issue


def sequential_length(loop: Loop, machine: Machine) -> int:
    """An initiation interval that is feasible whenever the loop is (the default ``ii_max``).

    Issue the ops one at a time in dependence order, each after the previous
    op's span (latency and reservations) and after its intra-iteration
    predecessors' latency plus the cross-warp delay. Its length L, raised so
    that every loop-carried edge holds (``II >= ceil((t_u + d + delay - t_v) /
    delta)``), is feasible as an II: one iteration fits in [0, II), the ops'
    reservations are disjoint in time and each op alone fits every unit (which
    :func:`pipelining` checks), so no residue is over capacity; registers are
    time-free and do not depend on II.
    """
    validate(loop, machine)
    issue = sequential_schedule(loop, machine)
    spans = {op.name: op.span for op in loop.ops}
    length = max((issue[name] + spans[name] for name in issue), default=0)
    for edge in loop.edges:
        if edge.distance > 0:
            need = issue[edge.src] + edge.latency + machine.cross_warp_delay - issue[edge.dst]
            length = max(length, -(-need // edge.distance))
    return max(1, length)
