"""Kernels: a loop body with its machine, built from a GPU spec, a tile and a table of primitive costs.

Each kernel is built in two steps: a *cost table* gives the cycle count of
every primitive (one GEMM of a sub-tile, exp over a sub-tile, one FP32 pass,
a copy between warp groups, ...) from the spec's per-SM rates; the builder
then assembles the loop from such a table. Giving the builder a normalised
table (:mod:`schedkit.models.pipelining.normalisation`) builds the same loop
in small integers; composite durations are sums of normalised primitives, so
the normalised loop stays self-consistent.

Modelling choices shared by the kernels:

* **Issue.** Synchronous ops (softmax, correction, staging) occupy their warp
  group's in-order instruction stream for their whole latency; issuing an
  asynchronous GEMM or copy takes a few cycles (8 ``wgmma`` k-steps, one
  ``tcgen05.mma``), below the resolution of the normalised costs: not counted.
* **Sub-tiles.** As Twill does (§6.2, "we sub-tile the computation for the TC
  instruction sizes of the target hardware"), a tile is split into MMA-sized
  sub-tiles, each with its own ops; nothing ties a sub-tile to a warp group.
* **Loads** are streaming (Twill §5.3): TMA copies with latency 0 on the
  designated load warp, their pipeline depth (the number of shared-memory
  stages) an outer parameter, so those buffers are reserved out of shared
  memory and the rest holds the values the loop keeps there.
* **Copies between warp groups.** A value in registers is private to its
  group; another group reads it after a copy through shared memory
  (:func:`copy_edge`): a transfer lag (write, read back, hand-off), a buffer
  until the reader is done and the shared-memory bandwidth. A value in tensor
  memory is read by any warp group after the MMA's mbarrier: no copy.
* **Blocking edges** mark the first synchronous reader of an asynchronous
  result (a ``wgmma.wait``, an mbarrier wait on a ``tcgen05.commit``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from math import ceil

from schedkit.models.errors import ModelError
from schedkit.models.pipelining.loop import Edge, Footprint, Loop, Machine, Reservation
from schedkit.models.pipelining.machines import SMEM, SMEM_READ, GpuSpec


@dataclass(frozen=True)
class Tile:
    """A CTA tile: ``rows`` (Q rows), ``cols`` (K/V rows of one block) and ``depth`` (the head dimension)."""

    rows: int
    cols: int
    depth: int

    @classmethod
    def parse(cls, text: str) -> Tile:
        """``"128x128x128"`` -> ``Tile(128, 128, 128)``; ``ValueError`` naming the text otherwise."""
        parts = text.lower().split("x")
        if len(parts) != 3 or not all(p.isdigit() and int(p) > 0 for p in parts):
            raise ValueError(f"tile '{text}' is not ROWSxCOLSxDEPTH with positive integers (e.g. 128x128x128)")
        return cls(*(int(p) for p in parts))

    def __str__(self) -> str:
        return f"{self.rows}x{self.cols}x{self.depth}"


@dataclass(frozen=True)
class Kernel:
    """A loop body with its machine, the cost table it was built from and how it was built."""

    name: str
    loop: Loop
    machine: Machine
    costs: dict[str, int]
    tile: Tile
    subtiles: tuple[str, ...]
    notes: dict[str, str] = field(default_factory=dict, compare=False)


def cycles(work: float, rate: float) -> int:
    """``ceil(work / rate)`` cycles, at least 1 for positive work."""
    return max(1, ceil(work / rate)) if work > 0 else 0


def subtile_names(count: int) -> tuple[str, ...]:
    """``a``, ``b``, ... for ``count`` sub-tiles."""
    return tuple("abcdefgh"[k] for k in range(count))


def require(costs: Mapping[str, int], names: list[str], what: str) -> None:
    """Raise ``ModelError`` naming the primitives missing from a cost table."""
    missing = [name for name in names if name not in costs]
    if missing:
        raise ModelError(what, "costs", f"missing primitive(s): {', '.join(missing)}")


def copy_edge(
    costs: Mapping[str, int],
    src: str,
    dst: str,
    latency: int,
    copy: str,
    nbytes: int,
    ready: int,
    *,
    distance: int = 0,
    blocking: bool = False,
    hold: int = 0,
    data: bool = True,
) -> Edge:
    """An edge whose value, when the two ops run on different groups, is copied through shared memory.

    The copy costs ``costs[copy] + costs["handoff"]`` cycles of latency (the
    transfer lag: written to shared memory, read back, an mbarrier hand-off),
    holds ``nbytes`` of shared memory from ``ready`` cycles after the source's
    issue until the reader is done, and the shared-memory bandwidth for
    ``costs[copy]`` cycles. ``distance``, ``blocking``, ``hold`` and ``data``
    are the :class:`Edge` fields of the same names (with its defaults).
    """
    port = (Reservation(SMEM_READ, ready, costs[copy]),) if costs[copy] else ()
    return Edge(
        src,
        dst,
        latency,
        transfer=costs[copy] + costs["handoff"],
        transfer_footprints=(Footprint(SMEM, nbytes, offset=ready, length=0),),
        transfer_reservations=port,
        distance=distance,
        blocking=blocking,
        hold=hold,
        data=data,
    )


KernelBuilder = Callable[..., Kernel]
"""``builder(spec, tile=None, costs=None) -> Kernel``."""


def kernel_names() -> tuple[str, ...]:
    """The kernels :func:`build` knows."""
    return ("forward", "backward")


def cost_table(kind: str, spec: GpuSpec, tile: Tile | None = None) -> dict[str, int]:
    """The primitive costs (cycles) of kernel ``kind`` on ``spec`` with ``tile`` (default: the kernel's)."""
    from schedkit.models.pipelining.fa_backward import DEFAULT_TILES as BACKWARD_TILES
    from schedkit.models.pipelining.fa_backward import backward_costs
    from schedkit.models.pipelining.fa_forward import DEFAULT_TILES as FORWARD_TILES
    from schedkit.models.pipelining.fa_forward import forward_costs

    if kind == "forward":
        return forward_costs(spec, tile or FORWARD_TILES[spec.name])
    if kind == "backward":
        return backward_costs(spec, tile or BACKWARD_TILES[spec.name])
    raise ValueError(f"unknown kernel '{kind}'; known: {', '.join(kernel_names())}")


def build(kind: str, spec: GpuSpec, tile: Tile | None = None, costs: Mapping[str, int] | None = None) -> Kernel:
    """Kernel ``kind`` (``forward`` or ``backward``) on ``spec``; ``ValueError`` for an unknown kind."""
    from schedkit.models.pipelining.fa_backward import flash_attention_backward
    from schedkit.models.pipelining.fa_forward import flash_attention_forward

    if kind == "forward":
        return flash_attention_forward(spec, tile, costs)
    if kind == "backward":
        return flash_attention_backward(spec, tile, costs)
    raise ValueError(f"unknown kernel '{kind}'; known: {', '.join(kernel_names())}")
