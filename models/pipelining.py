"""Software pipelining of a GPU loop with warp specialization (Twill-style).

A loop body is a dependence graph of ops. Each op issues once per iteration,
holds functional units (tensor core, exp/SFU, ALU, TMA) according to its
reservation table, needs registers, and runs on exactly one warp group. A
modulo schedule starts a new iteration every II cycles (the initiation
interval); op v of iteration k issues at ``k * II + t_v``. The goal is the
smallest II, then the shortest schedule length L of one iteration for it.

Mapping onto the IR (one task per op, one mode per eligible warp group):

* **cycle**: II in ``[ii_min, ii_max]`` with ``ii_min = max(1, ResMII, RecMII)``
  (:func:`res_mii`, :func:`rec_mii`) and, by default, ``ii_max`` = the length
  of a sequential schedule of one iteration (:func:`sequential_length`), which
  is feasible whenever the loop is;
* **op** -> task ``op.name``, one mode per eligible warp group (mode
  ``location`` = warp group name), duration = op latency (the cycle its
  result is ready, relative to issue). Variable-latency ops (TMA loads) are
  eligible only on producer warp groups, with their expected latency; producer
  groups are *dedicated* (as in Twill and FA3): other ops go there only if
  their ``warp_groups`` list names them. ``LoopOp.warp_groups`` restricts
  eligibility further, and so do register limits;
* **unit** -> a ``modulo`` resource of capacity ``unit.capacity``; each
  reservation ``(unit, offset, length, amount)`` -> a ``Demand`` covering
  ``[t + offset, t + offset + length)`` counted modulo II: at every residue
  r in [0, II) the usages covering a time congruent to r sum to at most the
  capacity;
* **registers** -> one ``bin`` resource ``<group>.regs`` per warp group with
  the group's register limit; every mode on that group demands the op's
  registers. This is a *time-free per-warp register budget*: the registers of
  all ops assigned to a warp group must fit together, whatever their
  lifetimes (a conservative stand-in for Twill's liveness constraint); a
  warp group whose limit is below an op's need is not eligible for it;
* **edge** ``(u, v, d, delta)`` -> precedence ``start_to_start`` with
  ``lag = d``, ``distance = delta`` and ``transfer_lag`` = the machine's
  cross-warp delay: ``t_v + delta * II >= t_u + d (+ delay if u and v run on
  different warp groups)``;
* **objective**: lexicographic, first minimise ``initiation_interval``, then
  minimise ``schedule_length`` (max end - min start of one iteration).

Twill rescales cycle counts to small integers that keep their ratios before
solving; the presets :func:`hopper`, :func:`blackwell` and
:func:`flash_attention_forward` do the same (see ``FA_FORWARD_CYCLES``).
Not modelled: shared-memory liveness beyond explicit anti-dependence edges,
blocking-synchronisation rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from schedkit.models.builder import Model
from schedkit.models.entities import Demand
from schedkit.models.errors import ModelError
from schedkit.models.problem import ProblemData
from schedkit.models.solution import Solution
from schedkit.models.validation import is_integral


# ----------------------------------------------------------------- data model
@dataclass(frozen=True)
class Unit:
    """A functional unit (tensor core, exp/SFU, ALU, TMA) with a capacity per cycle."""

    name: str
    capacity: int = 1


@dataclass(frozen=True)
class WarpGroup:
    """A warp group: its name, its register limit and whether it is a producer.

    ``register_limit`` is in the same unit as :attr:`LoopOp.registers` (the
    presets use registers per thread, as ``setmaxnreg`` does). Only
    ``producer`` groups may issue variable-latency ops (TMA loads), and they
    are dedicated to them: another op runs on a producer group only when its
    ``LoopOp.warp_groups`` names the group.
    """

    name: str
    register_limit: int
    producer: bool = False


@dataclass(frozen=True)
class Machine:
    """A GPU (SM) description: units, warp groups and the cross-warp delay.

    ``cross_warp_delay`` is the extra latency, in cycles, of a value passed
    from one warp group to another through shared memory.
    """

    name: str
    units: tuple[Unit, ...]
    warp_groups: tuple[WarpGroup, ...]
    cross_warp_delay: int = 0

    @property
    def producer_groups(self) -> tuple[str, ...]:
        """Names of the warp groups that may issue variable-latency ops."""
        return tuple(group.name for group in self.warp_groups if group.producer)


@dataclass(frozen=True)
class Reservation:
    """``amount`` of ``unit`` held during ``[issue + offset, issue + offset + length)``."""

    unit: str
    offset: int = 0
    length: int = 1
    amount: int = 1


@dataclass(frozen=True)
class LoopOp:
    """An op of the loop body.

    ``latency`` is the number of cycles until its result is ready;
    ``reservations`` its reservation table (``Reservation`` objects or
    ``(unit, offset, length, amount)`` tuples); ``registers`` what it needs on
    its warp group; ``variable_latency`` marks TMA-style loads (producer warp
    groups only, ``latency`` = the expected latency); ``warp_groups``
    optionally restricts the warp groups it may run on.
    """

    name: str
    latency: int
    reservations: tuple[Reservation, ...] = ()
    registers: int = 0
    variable_latency: bool = False
    warp_groups: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        table = tuple(r if isinstance(r, Reservation) else Reservation(*r) for r in self.reservations)
        object.__setattr__(self, "reservations", table)
        if self.warp_groups is not None:
            object.__setattr__(self, "warp_groups", tuple(self.warp_groups))

    @property
    def span(self) -> int:
        """Cycles from issue until the result is ready and every unit is released."""
        return max([self.latency, *(r.offset + r.length for r in self.reservations)])


@dataclass(frozen=True)
class Edge:
    """Dependence: ``dst`` of iteration i issues >= ``latency`` cycles after ``src`` of iteration i - ``distance``.

    ``distance = 1`` is a loop-carried dependence; ``distance = 0`` an
    intra-iteration one.
    """

    src: str
    dst: str
    latency: int
    distance: int = 0


@dataclass(frozen=True)
class Loop:
    """A loop body: its ops and dependence edges."""

    ops: tuple[LoopOp, ...]
    edges: tuple[Edge, ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "ops", tuple(self.ops))
        object.__setattr__(self, "edges", tuple(self.edges))


@dataclass(frozen=True)
class OpSchedule:
    """Where and when an op runs in a modulo schedule.

    ``issue`` is its start t in iteration 0; ``stage = issue // II`` the
    pipeline stage (how many iterations later than issue-time zero it runs);
    ``slot = issue % II`` its cycle within the steady-state kernel.
    """

    op: str
    warp_group: str | None
    issue: int
    stage: int
    slot: int


# ----------------------------------------------------------------- validation
def _validate(loop: Loop, machine: Machine) -> None:
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
        groups.add(group.name)
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
        for unit_name, peak in _peak_usage(op).items():
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
        if not _eligible_groups(op, machine):
            raise ModelError(entity, "warp_groups", _no_group_reason(op, machine))
    _validate_edges(loop)


def _validate_edges(loop: Loop) -> None:
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
    intra = nx.DiGraph()
    intra.add_nodes_from(op.name for op in loop.ops)
    intra.add_edges_from((e.src, e.dst) for e in loop.edges if e.distance == 0)
    if not nx.is_directed_acyclic_graph(intra):
        cycle = " -> ".join(u for u, _ in nx.find_cycle(intra))
        raise ModelError(
            f"loop '{loop.name}'", "edges", f"intra-iteration (distance 0) dependences form a cycle: {cycle}"
        )


def _peak_usage(op: LoopOp) -> dict[str, int]:
    """Per unit, the largest amount the op's own reservation table holds at one time."""
    peaks: dict[str, int] = {}
    for unit_name in {r.unit for r in op.reservations}:
        table = [r for r in op.reservations if r.unit == unit_name]
        peaks[unit_name] = max(
            sum(r.amount for r in table if r.offset <= t.offset < r.offset + r.length) for t in table
        )
    return peaks


def _allowed_groups(op: LoopOp, machine: Machine) -> list[WarpGroup]:
    """Warp groups the op may run on before registers are considered.

    Variable-latency ops run only on producer groups. Producer groups are
    dedicated: other ops run there only when ``op.warp_groups`` names them.
    """
    if op.warp_groups is not None:
        listed = [group for group in machine.warp_groups if group.name in op.warp_groups]
        return [group for group in listed if group.producer or not op.variable_latency]
    return [group for group in machine.warp_groups if group.producer == op.variable_latency]


def _eligible_groups(op: LoopOp, machine: Machine) -> list[WarpGroup]:
    """Warp groups the op may run on: allowed (see ``_allowed_groups``) with enough registers."""
    return [group for group in _allowed_groups(op, machine) if op.registers <= group.register_limit]


def _no_group_reason(op: LoopOp, machine: Machine) -> str:
    allowed = _allowed_groups(op, machine)
    if not allowed:
        if op.variable_latency:
            return "a variable-latency op needs a producer warp group, and none is allowed"
        return "no non-producer warp group is allowed (list producer groups in warp_groups to use them)"
    limits = ", ".join(f"{g.name}: {g.register_limit}" for g in allowed)
    return f"no allowed warp group has {op.registers} registers (limits {limits})"


# --------------------------------------------------------------------- bounds
def unit_usage(loop: Loop, machine: Machine) -> dict[str, int]:
    """Total unit-cycles each unit is held per iteration: sum of ``amount * length``."""
    _validate(loop, machine)
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


def _has_positive_cycle(loop: Loop, ii: int) -> bool:
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
    _validate_edges(loop)
    low, high = 0, sum(edge.latency for edge in loop.edges)
    if not _has_positive_cycle(loop, low):
        return 0
    while high - low > 1:  # invariant: positive cycle at low, none at high
        middle = (low + high) // 2
        if _has_positive_cycle(loop, middle):
            low = middle
        else:
            high = middle
    return high


def _sequential_schedule(loop: Loop, machine: Machine) -> dict[str, int]:
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
    _validate(loop, machine)
    issue = _sequential_schedule(loop, machine)
    spans = {op.name: op.span for op in loop.ops}
    length = max((issue[name] + spans[name] for name in issue), default=0)
    for edge in loop.edges:
        if edge.distance > 0:
            need = issue[edge.src] + edge.latency + machine.cross_warp_delay - issue[edge.dst]
            length = max(length, -(-need // edge.distance))
    return max(1, length)


# -------------------------------------------------------------------- builder
def pipelining(loop: Loop, machine: Machine, ii_max: int | None = None, name: str = "") -> ProblemData:
    """Build the modulo-scheduling problem of ``loop`` on ``machine`` (see the module docstring).

    Parameters
    ----------
    loop
        The loop body (ops and dependence edges).
    machine
        Units, warp groups (register limits, producers) and the cross-warp delay.
    ii_max
        Largest initiation interval to consider (default: :func:`sequential_length`,
        always feasible when the loop is). Must be >= ``ii_min``.
    name
        Instance name (default: the loop's name).

    Task ``op.name`` is the op; its modes follow the machine's warp-group order
    among the eligible groups. ``meta`` records the bounds (``res_mii``,
    ``res_mii_by_unit``, ``rec_mii``, ``sequential_length``), the machine, the
    warp groups and the variable-latency ops.
    """
    _validate(loop, machine)
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

    model = Model(name or loop.name, family="pipelining")
    model.set_cycle(ii_min, ii_max)
    units = {unit.name: model.add_resource(unit.name, "modulo", unit.capacity) for unit in machine.units}
    registers = {
        group.name: model.add_resource(f"{group.name}.regs", "bin", group.register_limit)
        for group in machine.warp_groups
    }
    tasks: dict[str, int] = {}
    for op in loop.ops:
        task = model.add_task(op.name)
        tasks[op.name] = task
        table = [Demand(units[r.unit], r.amount, r.offset, r.length) for r in op.reservations]
        for group in _eligible_groups(op, machine):
            demands = list(table)
            if op.registers > 0:
                demands.append(Demand(registers[group.name], op.registers))
            model.add_mode(task, op.latency, demands, location=group.name)
    for edge in loop.edges:
        model.add_precedence(
            tasks[edge.src],
            tasks[edge.dst],
            "start_to_start",
            lag=edge.latency,
            distance=edge.distance,
            transfer_lag=machine.cross_warp_delay,
        )
    model.minimize("initiation_interval", name="initiation_interval")
    model.minimize("schedule_length", name="schedule_length")
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
    return model.freeze()


def read_schedule(problem: ProblemData, solution: Solution) -> dict[str, OpSchedule]:
    """Per op (task name): warp group, issue cycle, stage (``start // II``) and slot (``start % II``).

    Raises ``ValueError`` when the solution has no II, or an op is absent or
    unscheduled (a modulo schedule issues every op).
    """
    if solution.ii is None or solution.ii < 1:
        raise ValueError(f"a modulo schedule needs an initiation interval >= 1, got {solution.ii!r}")
    if len(solution) != problem.num_tasks:
        raise ValueError(f"the solution has {len(solution)} tasks, the problem {problem.num_tasks}")
    schedule: dict[str, OpSchedule] = {}
    for index, (task, assignment) in enumerate(zip(problem.tasks, solution.tasks)):
        if not assignment.present or assignment.start is None or assignment.mode is None:
            raise ValueError(f"{problem.describe_task(index)} is not scheduled")
        start = assignment.start
        schedule[task.name] = OpSchedule(
            op=task.name,
            warp_group=task.modes[assignment.mode].location,
            issue=start,
            stage=start // solution.ii,
            slot=start % solution.ii,
        )
    return schedule


# -------------------------------------------------------------------- presets
@dataclass(frozen=True)
class FlashAttentionCycles:
    """Rescaled costs of the Flash Attention forward primitives on one machine.

    ``gemm``: latency and tensor-core occupancy of one tile GEMM (S = QK^T or
    O += PV); ``exp``: latency and exp-unit occupancy of exp over one S tile;
    ``load_latency``: expected latency of a TMA tile load (``load_issue``
    cycles of TMA occupancy); ``*_registers``: registers per thread the op
    needs on its warp group.
    """

    gemm: int
    exp: int
    load_latency: int
    load_issue: int = 1
    s_registers: int = 0
    p_registers: int = 0
    o_registers: int = 0
    load_registers: int = 0
    notes: str = field(default="", compare=False)


# Costs are per 128 x 128 tile (head dimension 128) for the whole SM. Per SM
# and clock, Hopper (H100) does 4096 dense BF16 tensor-core FLOP and 16
# exponentials (MUFU.EX2), so one tile GEMM (2 * 128^3 FLOP) takes 1024 cycles
# and exp over one S tile (128^2 values) also 1024 cycles: the unit is 1024
# cycles, GEMM = exp = 1, and with two GEMMs per iteration the tensor core
# forces II >= 2 (exp is busy half the time). Blackwell (B200) raises BF16
# tensor throughput from about 1 to 2.25 PFLOP/s while the SFU rate stays at
# 16/clock/SM (FA4's "asymmetric scaling"): a GEMM tile costs about
# 1024 / 2.25 = 455 cycles, exp still 1024. GEMM : exp = 4 : 9 keeps that
# ratio in small integers (unit ~ 114 cycles), so the tensor core needs 8 per
# iteration and exp 9: exp is the bottleneck (II >= 9, i.e. ~1024 cycles).
# Caveat: counted per SM and clock the tensor-core speed-up is closer to 2x
# (B200 also has more SMs), which would make the units tie at GEMM : exp =
# 1 : 2; we follow the 2.25x figure FA4 quotes, which matches its finding that
# exp binds. A TMA tile load that hits L2 takes roughly 1000 cycles: 1 unit on
# Hopper, 9 on Blackwell; it holds the TMA issue slot for one unit. Registers
# are per thread of the warp group running the op: FA3 splits the 128 rows of
# a Q tile over two consumer warp groups, 64 rows each, so S and O (64 x 128
# fp32 over 128 threads) take 64 registers and P (bf16) 32; on Blackwell the
# accumulators live in tensor memory, so issuing a GEMM needs a few registers
# (8) while a softmax thread holds a 128-wide S row (128).
FA_FORWARD_CYCLES: dict[str, FlashAttentionCycles] = {
    "hopper": FlashAttentionCycles(
        gemm=1,
        exp=1,
        load_latency=1,
        s_registers=64,
        p_registers=32,
        o_registers=64,
        load_registers=8,
        notes="unit = 1024 cycles; GEMM tile = exp tile = 1024 cycles",
    ),
    "blackwell": FlashAttentionCycles(
        gemm=4,
        exp=9,
        load_latency=9,
        s_registers=8,
        p_registers=128,
        o_registers=8,
        load_registers=8,
        notes="unit ~ 114 cycles; GEMM tile ~ 455 cycles, exp tile = 1024 cycles",
    ),
}
"""Rescaled Flash Attention forward costs per preset machine name (see the comment above)."""


def hopper() -> Machine:
    """NVIDIA Hopper (H100) SM as in FA3, in rescaled cycles (1 unit = 1024 cycles).

    Units: ``tensor_core`` (1), ``exp`` (the SFU, 1), ``alu`` (1) and ``tma``
    (2: a bulk copy is issued in far less than a unit, so both tile loads of an
    iteration may issue in the same unit). Warp groups with ``setmaxnreg``
    register limits per thread as in FA3: ``producer`` (24, issues the TMA
    loads) and two consumers ``consumer0`` / ``consumer1`` (240 each;
    24 + 2 * 240 <= 512 = 65536 registers / 128 threads). A hand-off through
    shared memory plus an mbarrier wait costs some 100-200 cycles, under a
    fifth of a unit, so the cross-warp delay rounds to 0.
    """
    return Machine(
        name="hopper",
        units=(Unit("tensor_core", 1), Unit("exp", 1), Unit("alu", 1), Unit("tma", 2)),
        warp_groups=(
            WarpGroup("producer", 24, producer=True),
            WarpGroup("consumer0", 240),
            WarpGroup("consumer1", 240),
        ),
        cross_warp_delay=0,
    )


def blackwell() -> Machine:
    """NVIDIA Blackwell (B200) SM as in FA4, in rescaled cycles (1 unit ~ 114 cycles).

    Units as on Hopper. Warp groups as in FA4: a ``load`` producer warp (TMA),
    an ``mma`` warp issuing tensor-core ops, two softmax warp groups
    (``softmax0`` / ``softmax1``) and a ``correction`` warp group; register
    limits per thread 32, 32, 192, 192 and 96 (approximate). The cross-warp
    delay (an mbarrier hand-off, ~100 cycles) is 1 unit.
    """
    return Machine(
        name="blackwell",
        units=(Unit("tensor_core", 1), Unit("exp", 1), Unit("alu", 1), Unit("tma", 2)),
        warp_groups=(
            WarpGroup("load", 32, producer=True),
            WarpGroup("mma", 32),
            WarpGroup("softmax0", 192),
            WarpGroup("softmax1", 192),
            WarpGroup("correction", 96),
        ),
        cross_warp_delay=1,
    )


def flash_attention_forward(
    machine: Machine, cycles: FlashAttentionCycles | None = None, smem_stages: int | None = 2
) -> Loop:
    """The Flash Attention forward loop (one K/V tile per iteration).

    Ops: ``load_K`` and ``load_V`` (variable-latency TMA loads), ``S = QK^T``
    (tensor core), ``P = exp(S)`` (exp unit), ``O += PV`` (tensor core).
    Edges (latency, distance): load_K -> S (load, 0), S -> P (gemm, 0), P -> O
    (exp, 0), load_V -> O (load, 0), O -> O (gemm, 1: the accumulator is
    loop-carried) and, with ``smem_stages`` = s shared-memory buffers per
    operand, the anti-dependences S -> load_K and O -> load_V (gemm, s): a
    buffer is refilled only after the GEMM of s iterations earlier read it.

    ``cycles`` defaults to ``FA_FORWARD_CYCLES[machine.name]`` (``hopper``,
    ``blackwell``); give it explicitly for another machine.
    """
    if cycles is None:
        if machine.name not in FA_FORWARD_CYCLES:
            known = ", ".join(sorted(FA_FORWARD_CYCLES))
            raise ModelError(
                f"machine '{machine.name}'", "name", f"no Flash Attention cycle table (known: {known}); pass cycles="
            )
        cycles = FA_FORWARD_CYCLES[machine.name]
    if smem_stages is not None and (not is_integral(smem_stages) or smem_stages < 1):
        raise ModelError("flash_attention_forward", "smem_stages", f"must be an integer >= 1, got {smem_stages!r}")
    c = cycles
    ops = (
        LoopOp("load_K", c.load_latency, (("tma", 0, c.load_issue, 1),), c.load_registers, variable_latency=True),
        LoopOp("load_V", c.load_latency, (("tma", 0, c.load_issue, 1),), c.load_registers, variable_latency=True),
        LoopOp("S", c.gemm, (("tensor_core", 0, c.gemm, 1),), c.s_registers),
        LoopOp("P", c.exp, (("exp", 0, c.exp, 1),), c.p_registers),
        LoopOp("O", c.gemm, (("tensor_core", 0, c.gemm, 1),), c.o_registers),
    )
    edges = [
        Edge("load_K", "S", c.load_latency),
        Edge("S", "P", c.gemm),
        Edge("P", "O", c.exp),
        Edge("load_V", "O", c.load_latency),
        Edge("O", "O", c.gemm, 1),
    ]
    if smem_stages is not None:
        edges += [Edge("S", "load_K", c.gemm, smem_stages), Edge("O", "load_V", c.gemm, smem_stages)]
    return Loop(ops, tuple(edges), name=f"flash_attention_forward_{machine.name}")


__all__ = [
    "FA_FORWARD_CYCLES",
    "Edge",
    "FlashAttentionCycles",
    "Loop",
    "LoopOp",
    "Machine",
    "OpSchedule",
    "Reservation",
    "Unit",
    "WarpGroup",
    "blackwell",
    "flash_attention_forward",
    "hopper",
    "pipelining",
    "read_schedule",
    "rec_mii",
    "res_mii",
    "res_mii_by_unit",
    "sequential_length",
    "unit_usage",
]
