"""The IR of a modulo-scheduling problem: one task per op, one mode per eligible warp group (see the package).

Beyond units, registers and the cross-warp delay of the legacy presets, a loop
that uses the Twill fields (:class:`~schedkit.models.pipelining.loop.Footprint`,
``LoopOp.issue`` / ``flight`` / ``threads``, ``Edge.blocking`` / ``transfer`` /
``hold``, machine memories) gets, per warp group g:

* ``g.registers`` (modulo, capacity ``threads * setmaxnreg``): every value an op
  of g produces is a *live range* (``Demand.until``) from its issue until its
  last reader is done, so the register pressure of g at each cycle of the
  kernel counts exactly the values alive then, all overlapped iterations
  included;
* ``g.issue`` (modulo, capacity 1): a warp group issues in order, one
  instruction stream: an op holds it for its ``issue`` cycles (a synchronous
  op for its whole latency, an asynchronous one for its issue cost), so the
  synchronous ops of one group never overlap;
* ``g.sync`` (modulo, capacity K): every op of g holds 1 while it is in flight
  (``flight`` cycles); an op with a blocking in-edge holds all K in its first
  cycle. K exceeds the number of in-flight usages that can meet at one residue,
  so the capacity fails exactly when a blocking op starts while another op of
  its group is in flight (Twill's CONCURRENCY constraint, as a reservation table);

and per machine memory m (shared memory, tensor memory) a modulo resource of
its capacity holding the live ranges of the values stored there. An edge's
``transfer`` (default: the machine's ``cross_warp_delay``) is the transfer lag
paid when its two ops run on different groups.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from schedkit.models.builder import Model
from schedkit.models.entities import Demand, Reader
from schedkit.models.errors import ModelError
from schedkit.models.pipelining.analysis import rec_mii, res_mii_by_unit, sequential_length
from schedkit.models.pipelining.loop import REGISTERS, Edge, Loop, LoopOp, Machine, WarpGroup
from schedkit.models.pipelining.validation import eligible_groups, validate
from schedkit.models.problem import ProblemData
from schedkit.models.validation import is_integral


def uses_warp_model(loop: Loop, machine: Machine) -> bool:
    """Whether the loop uses any Twill field (footprints, issue, flight, threads, blocking, transfers, memories)."""
    return (
        bool(machine.memories)
        or any(op.footprints or op.issue is not None or op.flight is not None or op.threads > 1 for op in loop.ops)
        or any(
            edge.blocking
            or not edge.data
            or edge.hold
            or edge.transfer is not None
            or edge.transfer_footprints
            or edge.transfer_reservations
            for edge in loop.edges
        )
    )


def blocking_ops(loop: Loop) -> set[str]:
    """Ops with a blocking in-edge (they wait for an asynchronous result)."""
    return {edge.dst for edge in loop.edges if edge.blocking}


def sync_capacity(loop: Loop, ii_min: int) -> int:
    """K of the ``g.sync`` resources: more than the in-flight usages that can cover one residue.

    An op in flight for f cycles covers a residue at most ``f // II + 1``
    times, so K = 1 + sum over ops of ``(flight // ii_min + 1)`` cannot be
    reached by in-flight usages alone; one blocking start (K) plus any other
    usage exceeds it.
    """
    return 1 + sum((op.flight or 0) // ii_min + 1 for op in loop.ops if op.flight)


CONSTRAINTS = ("registers", "issue", "blocking", "memories", "transfers", "threads", "dedicated", "roles")
"""What :func:`pipelining` can leave out (``without=``), for ablations: register liveness per group,
in-order issue, blocking synchronisation, shared/tensor-memory liveness, copies between warp groups
(their lag, buffer and bandwidth), the thread count an op needs, the dedicated warp for variable-latency
ops (Twill's VARIABLE LATENCY rule), and the role-mixing tie-break level."""


def ablated(loop: Loop, machine: Machine, without: frozenset[str]) -> tuple[Loop, Machine]:
    """The loop and machine with the constraint families in ``without`` removed (see :data:`CONSTRAINTS`)."""
    unknown = set(without) - set(CONSTRAINTS)
    if unknown:
        raise ModelError("pipelining", "without", f"unknown constraint(s) {sorted(unknown)}; known: {CONSTRAINTS}")
    ops = []
    for op in loop.ops:
        footprints = tuple(
            f
            for f in op.footprints
            if not (f.memory == REGISTERS and "registers" in without)
            and not (f.memory != REGISTERS and "memories" in without)
        )
        ops.append(
            dataclasses.replace(
                op,
                footprints=footprints,
                issue=None if "issue" in without else op.issue,
                flight=None if "blocking" in without else op.flight,
                threads=1 if "threads" in without else op.threads,
                variable_latency=op.variable_latency and "dedicated" not in without,
                role=None if "roles" in without else op.role,
            )
        )
    edges = [
        dataclasses.replace(
            edge,
            blocking=edge.blocking and "blocking" not in without,
            transfer=0 if "transfers" in without else edge.transfer,
            transfer_footprints=() if {"transfers", "memories"} & without else edge.transfer_footprints,
            transfer_reservations=() if "transfers" in without else edge.transfer_reservations,
        )
        for edge in loop.edges
    ]
    if "memories" in without:
        machine = dataclasses.replace(machine, memories=())
    if "transfers" in without:
        machine = dataclasses.replace(machine, cross_warp_delay=0)
    if "dedicated" in without:
        groups = tuple(dataclasses.replace(group, producer=False) for group in machine.warp_groups)
        machine = dataclasses.replace(machine, warp_groups=groups)
    return dataclasses.replace(loop, ops=tuple(ops), edges=tuple(edges)), machine


def pipelining(
    loop: Loop, machine: Machine, ii_max: int | None = None, name: str = "", without: Iterable[str] = ()
) -> ProblemData:
    """Build the modulo-scheduling problem of ``loop`` on ``machine`` (see the package docstring).

    Parameters
    ----------
    loop
        The loop body (ops and dependence edges).
    machine
        Units, warp groups (register limits, producers), memories and the cross-warp delay.
    ii_max
        Largest initiation interval to consider (default: :func:`sequential_length`,
        always feasible when the legacy loop is). Must be >= ``ii_min``.
    name
        Instance name (default: the loop's name).
    without
        Constraint families to leave out (:data:`CONSTRAINTS`), to measure
        what each contributes; ``meta["without"]`` records them.

    Task ``op.name`` is the op; its modes follow the machine's warp-group order
    among the eligible groups. ``meta`` records the bounds (``res_mii``,
    ``res_mii_by_unit``, ``rec_mii``, ``sequential_length``), the machine, the
    warp groups, the variable-latency ops and, for loops using the warp model,
    what the listing and the plots need (units, issue and flight of each op,
    the blocking ops, the warp groups' threads and register limits).
    """
    removed = frozenset(without)
    if removed:
        loop, machine = ablated(loop, machine, removed)
    validate(loop, machine)
    by_unit = res_mii_by_unit(loop, machine)
    resource_bound = max(by_unit.values(), default=0)
    recurrence_bound = rec_mii(loop)
    ii_min = max(1, resource_bound, recurrence_bound)
    fallback = sequential_length(loop, machine)
    if ii_max is None:
        ii_max = max(ii_min, fallback)
    elif not is_integral(ii_max) or ii_max < ii_min:
        raise ModelError(
            f"loop '{loop.name}'",
            "ii_max",
            f"must be an integer >= ii_min = {ii_min} (ResMII {resource_bound}, RecMII {recurrence_bound}), "
            f"got {ii_max!r}",
        )
    warp_model = uses_warp_model(loop, machine)

    model = Model(name or loop.name, family="pipelining")
    model.set_cycle(ii_min, ii_max)
    units = {unit.name: model.add_resource(unit.name, "modulo", unit.capacity) for unit in machine.units}
    registers = {}
    if not warp_model or any(op.registers > 0 for op in loop.ops):
        registers = {
            group.name: model.add_resource(f"{group.name}.regs", "bin", group.register_limit)
            for group in machine.warp_groups
        }
    group_resources = _group_resources(model, loop, machine, ii_min) if warp_model else {}
    memories = {memory.name: model.add_resource(memory.name, "modulo", memory.capacity) for memory in machine.memories}
    tasks = {op.name: model.add_task(op.name) for op in loop.ops}
    blocking = blocking_ops(loop)
    for op in loop.ops:
        table = [Demand(units[r.unit], r.amount, r.offset, r.length) for r in op.reservations]
        for group in eligible_groups(op, machine):
            demands = list(table)
            if op.registers > 0:
                demands.append(Demand(registers[group.name], op.registers))
            if warp_model:
                demands += _warp_demands(op, group, group_resources, op.name in blocking)
                demands += _footprint_demands(model, loop, op, group, group_resources, memories, tasks)
            model.add_mode(tasks[op.name], op.latency, demands, location=group.name)
    for edge in loop.edges:
        model.add_precedence(
            tasks[edge.src],
            tasks[edge.dst],
            "start_to_start",
            lag=edge.latency,
            distance=edge.distance,
            transfer_lag=machine.cross_warp_delay if edge.transfer is None else edge.transfer,
            transfer_demands=_transfer_demands(edge, units, memories, tasks) if warp_model else (),
        )
    model.minimize("initiation_interval", name="initiation_interval")
    model.minimize("schedule_length", name="schedule_length")
    roles = sorted({op.role for op in loop.ops if op.role})
    if roles:  # among equally fast schedules, the most specialised warp groups (see role_mixing_terms)
        model.minimize(*role_mixing_terms(loop, tasks, roles), name="role_mixing")
    model.meta.update(
        machine=machine.name,
        warp_groups=[group.name for group in machine.warp_groups],
        producer_groups=list(machine.producer_groups),
        cross_warp_delay=machine.cross_warp_delay,
        ops=[op.name for op in loop.ops],
        variable_latency=[op.name for op in loop.ops if op.variable_latency],
        res_mii=resource_bound,
        res_mii_by_unit=by_unit,
        rec_mii=recurrence_bound,
        sequential_length=fallback,
    )
    if removed:
        model.meta["without"] = sorted(removed)
    if warp_model:
        model.meta.update(
            op_units={op.name: sorted({r.unit for r in op.reservations}) for op in loop.ops},
            op_issue={op.name: op.issue or 0 for op in loop.ops},
            op_flight={op.name: op.flight or 0 for op in loop.ops},
            blocking=sorted(blocking),
            group_threads={group.name: group.threads for group in machine.warp_groups},
            memories=[memory.name for memory in machine.memories],
            group_register_limit={group.name: group.register_limit for group in machine.warp_groups},
        )
    return model.freeze()


RELAXED = ("registers", "issue", "blocking", "memories", "transfers", "roles")
"""What :func:`relaxation` drops: every constraint that tells warp groups apart."""


def relaxation(loop: Loop, machine: Machine, name: str = "") -> ProblemData:
    """Twill's phase 1: the plain modulo-scheduling problem, a relaxation of :func:`pipelining`'s.

    Without register liveness, in-order issue, blocking, memories and copies
    (:data:`RELAXED`), nothing but eligibility tells the warp groups apart,
    so they merge into the producers and one compute group (the one with the
    most threads and registers). Every schedule of the full problem maps to
    one of the relaxation with the same II and length (same units, lags and
    distances; fewer constraints), so an II the relaxation cannot reach, the
    full problem cannot either: its smallest II is a lower bound, and its
    infeasibility at an II a proof (its horizon is the full problem's). Ops
    whose only groups are dropped keep theirs.
    """
    full = pipelining(loop, machine, name=name)
    compute = max(
        (g for g in machine.warp_groups if not g.producer), key=lambda g: (g.threads, g.register_capacity), default=None
    )
    keep = {g.name for g in machine.warp_groups if g.producer or g is compute}
    for op in loop.ops:
        groups = {g.name for g in eligible_groups(op, machine)}
        if not groups & keep:
            keep |= groups
    merged = dataclasses.replace(machine, warp_groups=tuple(g for g in machine.warp_groups if g.name in keep))
    relaxed = pipelining(loop, merged, name=f"{name or loop.name}_relaxed", without=RELAXED)
    return dataclasses.replace(relaxed, horizon=full.effective_horizon)


def role_mixing_terms(loop: Loop, tasks: dict[str, int], roles: list[str]) -> list[tuple[str, int, list[int]]]:
    """The third objective level: how many roles the warp groups carry beyond one each.

    ``sum_r |groups running ops of role r| - |groups used|`` (``locations_used``
    terms): 0 when every group runs one role (loads, MMA issue, softmax, ...),
    one more for every extra role a group takes on. It only orders schedules
    of equal II and length; Twill returns whichever satisfying assignment its
    solver finds, this makes the choice explicit and prefers specialised warps.
    """
    terms: list[tuple[str, int, list[int]]] = [
        ("locations_used", 1, [tasks[op.name] for op in loop.ops if op.role == role]) for role in roles
    ]
    terms.append(("locations_used", -1, [tasks[op.name] for op in loop.ops if op.role]))
    return terms


def _group_resources(model: Model, loop: Loop, machine: Machine, ii_min: int) -> dict[tuple[str, str], int]:
    """``(group, kind) -> resource`` for the per-group registers, issue and sync resources the loop needs."""
    out: dict[tuple[str, str], int] = {}
    need_registers = any(f.memory == REGISTERS and f.amount for op in loop.ops for f in op.footprints)
    need_issue = any(op.issue for op in loop.ops)
    need_sync = any(op.flight for op in loop.ops) or any(edge.blocking for edge in loop.edges)
    for group in machine.warp_groups:
        if need_registers:
            out[group.name, "registers"] = model.add_resource(
                f"{group.name}.registers", "modulo", group.register_capacity
            )
        if need_issue:
            out[group.name, "issue"] = model.add_resource(f"{group.name}.issue", "modulo", 1)
        if need_sync:
            out[group.name, "sync"] = model.add_resource(f"{group.name}.sync", "modulo", sync_capacity(loop, ii_min))
    out["", "sync_capacity"] = sync_capacity(loop, ii_min)
    return out


def _warp_demands(op: LoopOp, group: WarpGroup, resources: dict[tuple[str, str], int], blocking: bool) -> list[Demand]:
    """In-order issue and in-flight (blocking) usages of ``op`` on ``group``."""
    out = []
    if op.issue:
        out.append(Demand(resources[group.name, "issue"], 1, 0, op.issue))
    if (group.name, "sync") in resources:
        sync = resources[group.name, "sync"]
        flight = op.flight or 0
        if blocking:
            out.append(Demand(sync, resources["", "sync_capacity"], 0, 1))
            if flight > 1:
                out.append(Demand(sync, 1, 1, flight - 1))
        elif flight:
            out.append(Demand(sync, 1, 0, flight))
    return out


def _transfer_demands(
    edge: Edge, units: dict[str, int], memories: dict[str, int], tasks: dict[str, int]
) -> list[Demand]:
    """What a copy between groups holds: buffers until the reader is done, unit time from the source's issue."""
    out = [
        Demand(
            memories[f.memory], f.amount, f.offset, f.length or 0, (Reader(tasks[edge.dst], edge.distance, edge.hold),)
        )
        for f in edge.transfer_footprints
        if f.amount and f.memory in memories
    ]
    out += [Demand(units[r.unit], r.amount, r.offset, r.length) for r in edge.transfer_reservations]
    return out


def _footprint_demands(
    model: Model,
    loop: Loop,
    op: LoopOp,
    group: WarpGroup,
    resources: dict[tuple[str, str], int],
    memories: dict[str, int],
    tasks: dict[str, int],
) -> list[Demand]:
    """The op's footprints: registers of ``group`` or a memory, scratch or live until the last reader."""
    edges = [e for e in loop.edges if e.src == op.name and e.data]
    out = []
    for footprint in op.footprints:
        if not footprint.amount:
            continue
        readers = [
            (tasks[e.dst], e.distance, e.hold) for e in edges if footprint.readers is None or e.dst in footprint.readers
        ]
        if footprint.memory == REGISTERS:
            resource = resources[group.name, "registers"]
        else:
            resource = memories[footprint.memory]
        length = op.latency if footprint.length is None else footprint.length
        if footprint.scratch or not readers:
            out.append(Demand(resource, footprint.amount, footprint.offset, length))
        else:
            out.append(model.live_range(resource, footprint.amount, readers, footprint.offset, length))
    return out
