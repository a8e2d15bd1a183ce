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
