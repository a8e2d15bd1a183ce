"""The input of software pipelining: functional units, warp groups, machines, loop ops and dependence edges.

Plain frozen dataclasses; :mod:`schedkit.models.pipelining.validation` checks them and
:func:`schedkit.models.pipelining.builder.pipelining` turns a loop and a machine into the IR.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """A functional unit (tensor core, exp/SFU, ALU, TMA) with a capacity per cycle."""

    name: str
    capacity: int = 1


@dataclass(frozen=True)
class WarpGroup:
    """A warp group (an issue context): its name, register limit, producer flag and thread count.

    ``register_limit`` is per thread, as ``setmaxnreg`` sets it; the legacy
    :attr:`LoopOp.registers` are in that unit, while register
    :class:`Footprint` amounts count 32-bit registers of the whole group, whose
    capacity is ``threads * register_limit``. Only ``producer`` groups may
    issue variable-latency ops (TMA loads), and they are dedicated to them:
    another op runs on a producer group only when its ``LoopOp.warp_groups``
    names the group. ``threads``: 128 for a warp group of four warps, 32 for
    a single warp; an op needing ``LoopOp.threads`` more cannot run there.
    """

    name: str
    register_limit: int
    producer: bool = False
    threads: int = 128

    @property
    def register_capacity(self) -> int:
        """32-bit registers of the whole group: ``threads * register_limit``."""
        return self.threads * self.register_limit


@dataclass(frozen=True)
class Memory:
    """An SM-wide memory (shared memory, tensor memory) holding values for their lifetimes."""

    name: str
    capacity: int


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
    memories: tuple[Memory, ...] = ()

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


REGISTERS = "registers"
"""The :attr:`Footprint.memory` of values held in the registers of the op's own warp group."""


@dataclass(frozen=True)
class Footprint:
    """What an op's result (or its scratch space) occupies in one memory.

    ``memory`` is :data:`REGISTERS` (the registers of the warp group running
    the op, in 32-bit registers of the whole group) or the name of a machine
    :class:`Memory`. A *value* footprint (``scratch`` False) lives from
    ``issue + offset`` for at least ``length`` cycles (default: the op's
    latency) and until every reader along the op's data edges is done
    (its start plus the edge's ``hold``): a live range; ``readers`` (op
    names) restricts it to some of those edges, when the value in this memory
    is read by only some consumers. A *scratch* footprint is held only during
    ``[issue + offset, issue + offset + length)``.
    """

    memory: str
    amount: int
    scratch: bool = False
    offset: int = 0
    length: int | None = None
    readers: tuple[str, ...] | None = None


@dataclass(frozen=True)
class LoopOp:
    """An op of the loop body.

    ``latency`` is the number of cycles until its result is ready;
    ``reservations`` its reservation table (``Reservation`` objects or
    ``(unit, offset, length, amount)`` tuples); ``registers`` a time-free
    register budget on its warp group (per thread; the Twill kernels use
    ``footprints`` instead); ``variable_latency`` marks TMA-style loads
    (producer warp groups only, ``latency`` = the expected latency);
    ``warp_groups`` optionally restricts the warp groups it may run on.

    Warp-level behaviour (None / 0 = not modelled, as in the legacy presets):

    ``threads``
        threads the issuing group needs (128: a warp-group-wide op such as a
        Hopper ``wgmma`` or a softmax over a 128-row tile).
    ``issue``
        cycles the issuing group's single in-order instruction stream is busy
        with the op: its whole latency for a synchronous op (softmax), the
        issue cost for an asynchronous one (a GEMM, a TMA copy).
    ``flight``
        cycles the op is in flight on its group: a blocking op (one with a
        ``blocking`` in-edge) may not start while another op of its group is
        in flight.
    ``footprints``
        what its result and scratch space occupy (registers of its group,
        shared memory, tensor memory), see :class:`Footprint`.
    ``role``
        what kind of work it is (``mma``, ``softmax``, ``load``, ...): among
        the schedules of optimal II and length, the builder prefers the one
        using the fewest (warp group, role) pairs (see
        :func:`~schedkit.models.pipelining.builder.pipelining`).
    """

    name: str
    latency: int
    reservations: tuple[Reservation, ...] = ()
    registers: int = 0
    variable_latency: bool = False
    warp_groups: tuple[str, ...] | None = None
    threads: int = 1
    issue: int | None = None
    flight: int | None = None
    footprints: tuple[Footprint, ...] = ()
    role: str | None = None

    def __post_init__(self) -> None:
        table = tuple(r if isinstance(r, Reservation) else Reservation(*r) for r in self.reservations)
        object.__setattr__(self, "reservations", table)
        if self.warp_groups is not None:
            object.__setattr__(self, "warp_groups", tuple(self.warp_groups))
        object.__setattr__(self, "footprints", tuple(self.footprints))

    @property
    def span(self) -> int:
        """Cycles from issue until the result is ready and every unit is released."""
        return max([self.latency, *(r.offset + r.length for r in self.reservations)])


@dataclass(frozen=True)
class Edge:
    """Dependence: ``dst`` of iteration i issues >= ``latency`` cycles after ``src`` of iteration i - ``distance``.

    ``distance = 1`` is a loop-carried dependence; ``distance = 0`` an
    intra-iteration one. ``transfer`` is the extra latency when the two ops
    run on different warp groups (None: the machine's ``cross_warp_delay``).
    ``blocking``: ``dst`` waits (blocking synchronisation) for ``src``'s
    asynchronous result, so no other op of ``dst``'s group may be in flight
    when it starts (Twill's CONCURRENCY rule). A ``data`` edge says ``dst``
    reads ``src``'s result, until ``hold`` cycles after its start: it keeps
    ``src``'s value footprints alive; an ordering edge (``data=False``, e.g.
    an anti-dependence on a buffer) does not. When the two ops run on
    different groups, the copy also holds ``transfer_footprints`` (a buffer in
    a machine memory, from ``src``'s issue + offset until ``dst`` is done
    reading, i.e. its start + ``hold``) and ``transfer_reservations`` (units
    such as the shared-memory bandwidth, timed from ``src``'s issue).
    """

    src: str
    dst: str
    latency: int
    distance: int = 0
    transfer: int | None = None
    blocking: bool = False
    hold: int = 0
    data: bool = True
    transfer_footprints: tuple[Footprint, ...] = ()
    transfer_reservations: tuple[Reservation, ...] = ()

    def __post_init__(self) -> None:
        table = tuple(r if isinstance(r, Reservation) else Reservation(*r) for r in self.transfer_reservations)
        object.__setattr__(self, "transfer_reservations", table)
        object.__setattr__(self, "transfer_footprints", tuple(self.transfer_footprints))


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
    ``slot = issue % II`` its cycle within the steady-state kernel;
    ``latency`` its duration in the schedule.
    """

    op: str
    warp_group: str | None
    issue: int
    stage: int
    slot: int
    latency: int = 0
