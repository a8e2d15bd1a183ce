"""Validation of a loop on a machine, and which warp groups may run each op."""

from __future__ import annotations

import networkx as nx

from schedkit.models.errors import ModelError
from schedkit.models.pipelining.loop import REGISTERS, Edge, Footprint, Loop, LoopOp, Machine, Unit, WarpGroup
from schedkit.models.validation import is_integral


def validate(loop: Loop, machine: Machine) -> None:
    """Raise ``ModelError`` naming the op, edge, unit or warp group and the field."""
    units: dict[str, Unit] = {}
    for unit in machine.units:
        entity = f"unit '{unit.name}'"
        if not isinstance(unit.name, str) or not unit.name:
            raise ModelError(entity, "name", "must be a non-empty string")
        if unit.name in units:
            raise ModelError(entity, "name", "is used by another unit")
        if not is_integral(unit.capacity) or unit.capacity < 1:
            raise ModelError(entity, "capacity", f"must be an integer >= 1, got {unit.capacity!r}")
        units[unit.name] = unit
    groups: set[str] = set()
    for group in machine.warp_groups:
        entity = f"warp group '{group.name}'"
        if not isinstance(group.name, str) or not group.name:
            raise ModelError(entity, "name", "must be a non-empty string")
        if group.name in groups:
            raise ModelError(entity, "name", "is used by another warp group")
        if not is_integral(group.register_limit) or group.register_limit < 0:
            raise ModelError(entity, "register_limit", f"must be an integer >= 0, got {group.register_limit!r}")
        if not is_integral(group.threads) or group.threads < 1:
            raise ModelError(entity, "threads", f"must be an integer >= 1, got {group.threads!r}")
        groups.add(group.name)
    memories: set[str] = set()
    for memory in machine.memories:
        entity = f"memory '{memory.name}'"
        if not isinstance(memory.name, str) or not memory.name or memory.name == REGISTERS:
            raise ModelError(entity, "name", f"must be a non-empty string other than '{REGISTERS}'")
        if memory.name in memories or memory.name in units:
            raise ModelError(entity, "name", "is used by another memory or unit")
        if not is_integral(memory.capacity) or memory.capacity < 0:
            raise ModelError(entity, "capacity", f"must be an integer >= 0, got {memory.capacity!r}")
        memories.add(memory.name)
    if not groups:
        raise ModelError(f"machine '{machine.name}'", "warp_groups", "needs at least one warp group")
    if not is_integral(machine.cross_warp_delay) or machine.cross_warp_delay < 0:
        raise ModelError(
            f"machine '{machine.name}'",
            "cross_warp_delay",
            f"must be an integer >= 0, got {machine.cross_warp_delay!r}",
        )
    names: set[str] = set()
    for op in loop.ops:
        entity = f"op '{op.name}'"
        if not isinstance(op.name, str) or not op.name:
            raise ModelError(entity, "name", "must be a non-empty string")
        if op.name in names:
            raise ModelError(entity, "name", "is used by another op")
        names.add(op.name)
        if not is_integral(op.latency) or op.latency < 0:
            raise ModelError(entity, "latency", f"must be an integer >= 0, got {op.latency!r}")
        if not is_integral(op.registers) or op.registers < 0:
            raise ModelError(entity, "registers", f"must be an integer >= 0, got {op.registers!r}")
        for index, res in enumerate(op.reservations):
            field_name = f"reservations[{index}]"
            if res.unit not in units:
                raise ModelError(entity, f"{field_name}.unit", f"unknown unit {res.unit!r}")
            if not is_integral(res.offset) or res.offset < 0:
                raise ModelError(entity, f"{field_name}.offset", f"must be an integer >= 0, got {res.offset!r}")
            if not is_integral(res.length) or res.length < 1:
                raise ModelError(entity, f"{field_name}.length", f"must be an integer >= 1, got {res.length!r}")
            if not is_integral(res.amount) or res.amount < 1:
                raise ModelError(entity, f"{field_name}.amount", f"must be an integer >= 1, got {res.amount!r}")
        for unit_name, peak in peak_usage(op).items():
            if peak > units[unit_name].capacity:
                raise ModelError(
                    entity,
                    "reservations",
                    f"holds {peak} of unit '{unit_name}' at once, whose capacity is {units[unit_name].capacity}",
                )
        if op.warp_groups is not None:
            for group_name in op.warp_groups:
                if group_name not in groups:
                    raise ModelError(entity, "warp_groups", f"unknown warp group {group_name!r}")
        validate_warp_fields(op, entity, memories)
        if not eligible_groups(op, machine):
            raise ModelError(entity, "warp_groups", no_group_reason(op, machine))
    validate_edges(loop)
    for index, edge in enumerate(loop.edges):
        validate_edge_fields(edge, f"edge #{index} ({edge.src!r} -> {edge.dst!r})", memories, set(units))


def validate_warp_fields(op: LoopOp, entity: str, memories: set[str]) -> None:
    """The Twill fields of an op: threads, issue, flight and footprints."""
    if not is_integral(op.threads) or op.threads < 1:
        raise ModelError(entity, "threads", f"must be an integer >= 1, got {op.threads!r}")
    for name in ("issue", "flight"):
        value = getattr(op, name)
        if value is not None and (not is_integral(value) or value < 0):
            raise ModelError(entity, name, f"must be None or an integer >= 0, got {value!r}")
    for index, footprint in enumerate(op.footprints):
        where = f"footprints[{index}]"
        if not isinstance(footprint, Footprint):
            raise ModelError(entity, where, f"must be a Footprint, got {footprint!r}")
        if footprint.memory != REGISTERS and footprint.memory not in memories:
            known = ", ".join([REGISTERS, *sorted(memories)])
            raise ModelError(entity, f"{where}.memory", f"unknown memory {footprint.memory!r} (known: {known})")
        if not is_integral(footprint.amount) or footprint.amount < 0:
            raise ModelError(entity, f"{where}.amount", f"must be an integer >= 0, got {footprint.amount!r}")
        if not is_integral(footprint.offset) or footprint.offset < 0:
            raise ModelError(entity, f"{where}.offset", f"must be an integer >= 0, got {footprint.offset!r}")
        if footprint.length is not None and (not is_integral(footprint.length) or footprint.length < 0):
            raise ModelError(entity, f"{where}.length", f"must be None or an integer >= 0, got {footprint.length!r}")
        if footprint.readers is not None and not all(isinstance(r, str) for r in footprint.readers):
            raise ModelError(entity, f"{where}.readers", f"must be None or op names, got {footprint.readers!r}")


def validate_edge_fields(
    edge: Edge, entity: str, memories: set[str] | None = None, units: set[str] | None = None
) -> None:
    """The Twill fields of an edge: transfer cost, hold, blocking and data flags, transfer buffers and units."""
    for index, footprint in enumerate(edge.transfer_footprints):
        where = f"transfer_footprints[{index}]"
        if footprint.memory == REGISTERS or (memories is not None and footprint.memory not in memories):
            raise ModelError(entity, f"{where}.memory", f"must name a machine memory, got {footprint.memory!r}")
        if not is_integral(footprint.amount) or footprint.amount < 0:
            raise ModelError(entity, f"{where}.amount", f"must be an integer >= 0, got {footprint.amount!r}")
        if not is_integral(footprint.offset) or footprint.offset < 0:
            raise ModelError(entity, f"{where}.offset", f"must be an integer >= 0, got {footprint.offset!r}")
    for index, res in enumerate(edge.transfer_reservations):
        where = f"transfer_reservations[{index}]"
        if units is not None and res.unit not in units:
            raise ModelError(entity, f"{where}.unit", f"unknown unit {res.unit!r}")
        if not is_integral(res.offset) or res.offset < 0 or not is_integral(res.length) or res.length < 1:
            raise ModelError(entity, where, "needs an integer offset >= 0 and length >= 1")
    if edge.transfer is not None and (not is_integral(edge.transfer) or edge.transfer < 0):
        raise ModelError(entity, "transfer", f"must be None or an integer >= 0, got {edge.transfer!r}")
    if not is_integral(edge.hold) or edge.hold < 0:
        raise ModelError(entity, "hold", f"must be an integer >= 0, got {edge.hold!r}")
    for name in ("blocking", "data"):
        if not isinstance(getattr(edge, name), bool):
            raise ModelError(entity, name, f"must be a bool, got {getattr(edge, name)!r}")


def validate_edges(loop: Loop) -> None:
    """Edges refer to ops, have latency and distance >= 0, and distance-0 edges form a DAG."""
    names = {op.name for op in loop.ops}
    for index, edge in enumerate(loop.edges):
        entity = f"edge #{index} ({edge.src!r} -> {edge.dst!r})"
        if edge.src not in names:
            raise ModelError(entity, "src", f"unknown op {edge.src!r}")
        if edge.dst not in names:
            raise ModelError(entity, "dst", f"unknown op {edge.dst!r}")
        if not is_integral(edge.latency) or edge.latency < 0:
            raise ModelError(entity, "latency", f"must be an integer >= 0, got {edge.latency!r}")
        if not is_integral(edge.distance) or edge.distance < 0:
            raise ModelError(entity, "distance", f"must be an integer >= 0, got {edge.distance!r}")
        if edge.src == edge.dst and edge.distance == 0:
            raise ModelError(entity, "distance", "an op may only depend on itself across iterations (distance > 0)")
        validate_edge_fields(edge, entity)
    intra = nx.DiGraph()
    intra.add_nodes_from(op.name for op in loop.ops)
    intra.add_edges_from((e.src, e.dst) for e in loop.edges if e.distance == 0)
    if not nx.is_directed_acyclic_graph(intra):
        cycle = " -> ".join(u for u, _ in nx.find_cycle(intra))
        raise ModelError(
            f"loop '{loop.name}'", "edges", f"intra-iteration (distance 0) dependences form a cycle: {cycle}"
        )


def peak_usage(op: LoopOp) -> dict[str, int]:
    """Per unit, the largest amount the op's own reservation table holds at one time."""
    peaks: dict[str, int] = {}
    for unit_name in {r.unit for r in op.reservations}:
        table = [r for r in op.reservations if r.unit == unit_name]
        peaks[unit_name] = max(
            sum(r.amount for r in table if r.offset <= t.offset < r.offset + r.length) for t in table
        )
    return peaks


def allowed_groups(op: LoopOp, machine: Machine) -> list[WarpGroup]:
    """Warp groups the op may run on before registers are considered.

    Variable-latency ops run only on producer groups. Producer groups are
    dedicated: other ops run there only when ``op.warp_groups`` names them.
    """
    if op.warp_groups is not None:
        listed = [group for group in machine.warp_groups if group.name in op.warp_groups]
        return [group for group in listed if group.producer or not op.variable_latency]
    return [group for group in machine.warp_groups if group.producer == op.variable_latency]


def register_need(op: LoopOp) -> int:
    """The largest register footprint of the op (32-bit registers of its group): a group with less cannot run it."""
    return max((f.amount for f in op.footprints if f.memory == REGISTERS), default=0)


def fits(op: LoopOp, group: WarpGroup) -> bool:
    """Whether ``group`` has the threads and registers ``op`` needs (legacy budget and footprints)."""
    return (
        op.registers <= group.register_limit
        and op.threads <= group.threads
        and register_need(op) <= group.register_capacity
    )


def eligible_groups(op: LoopOp, machine: Machine) -> list[WarpGroup]:
    """Warp groups the op may run on: allowed (see ``allowed_groups``) with enough threads and registers."""
    return [group for group in allowed_groups(op, machine) if fits(op, group)]


def no_group_reason(op: LoopOp, machine: Machine) -> str:
    """Why no warp group can run ``op`` (for the error message)."""
    allowed = allowed_groups(op, machine)
    if not allowed:
        if op.variable_latency:
            return "a variable-latency op needs a producer warp group, and none is allowed"
        return "no non-producer warp group is allowed (list producer groups in warp_groups to use them)"
    if all(op.threads > g.threads for g in allowed):
        return f"no allowed warp group has the {op.threads} threads it needs"
    if register_need(op) and all(register_need(op) > g.register_capacity for g in allowed):
        limits = ", ".join(f"{g.name}: {g.register_capacity}" for g in allowed)
        return f"no allowed warp group holds its {register_need(op)} registers (capacities {limits})"
    limits = ", ".join(f"{g.name}: {g.register_limit}" for g in allowed)
    return f"no allowed warp group has {op.registers} registers (limits {limits})"
