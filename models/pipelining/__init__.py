"""Software pipelining of a GPU loop with warp specialization (Twill: Soi et al., OSDI '26).

A loop body is a dependence graph of tile-level ops. Each op issues once per
iteration, holds functional units (tensor core, exp, FMA, shared-memory
bandwidth, TMA) according to its reservation table and runs on exactly one
warp group. A modulo schedule starts a new iteration every II cycles (the
initiation interval); op v of iteration k issues at ``k * II + t_v``. The goal
is the smallest II, then the shortest schedule length L of one iteration for
it (and, among equally fast schedules, the fewest roles per warp group).

Modules: :mod:`.loop` (units, warp groups, memories, ops, edges, footprints),
:mod:`.machines` (H100 and B200 with the source of every number),
:mod:`.kernels`, :mod:`.fa_forward`, :mod:`.fa_backward` (the Flash Attention
loops from a tile and a cost table), :mod:`.normalisation` (Twill's cost
normalisation; its integer program is solved in
:mod:`schedkit.solvers.methods.cost_normalisation`), :mod:`.builder` (the IR),
:mod:`.decode`, :mod:`.listing` (prologue / kernel / epilogue), :mod:`.roles`
(what each warp group does, the FA3 / FA4 facts) and :mod:`.presets` (the
original five-op loop, kept for the other families' tests).

Mapping onto the IR (one task per op, one mode per eligible warp group):

* **cycle**: II in ``[ii_min, ii_max]`` with ``ii_min = max(1, ResMII, RecMII)``
  over the units (:func:`res_mii`, :func:`rec_mii`) and ``ii_max`` the length of
  a sequential schedule (:func:`sequential_length`) unless given;
* **op** -> task, one mode per eligible warp group (``location`` = the group):
  variable-latency ops only on the designated producer, which runs nothing
  else (Twill's VARIABLE LATENCY rule); an op needing ``threads`` more than a
  group has, or registers it cannot hold, is not eligible there;
* **unit** -> a ``modulo`` resource; each reservation -> a ``Demand`` counted
  modulo II;
* **warp model** (see :mod:`.builder`): per group a modulo ``registers``
  resource holding every value as a live range (``Demand.until``: from its
  producer's issue until its last reader is done), an ``issue`` resource
  (in-order issue of synchronous work), a ``sync`` resource (a blocking op may
  not start while another op of its group is in flight: Twill's CONCURRENCY);
  shared and tensor memory as modulo resources of live ranges;
* **edge** ``(u, v, d, delta)`` -> precedence ``start_to_start`` with ``lag = d``,
  ``distance = delta``; across warp groups a ``transfer_lag`` (the copy) and
  ``transfer_demands`` (its shared-memory buffer and bandwidth);
* **objective**: minimise ``initiation_interval``, then ``schedule_length``,
  then the role mixing (``locations_used`` terms) when ops carry roles.

The loops without the Twill fields (the presets, the random families) build
exactly as before: time-free register bins, a uniform cross-warp delay.
"""

from __future__ import annotations

from schedkit.models.pipelining.analysis import rec_mii, res_mii, res_mii_by_unit, sequential_length, unit_usage
from schedkit.models.pipelining.builder import CONSTRAINTS, pipelining
from schedkit.models.pipelining.decode import read_schedule
from schedkit.models.pipelining.kernels import Kernel, Tile, build, cost_table, kernel_names
from schedkit.models.pipelining.listing import Listing, format_listing, listing
from schedkit.models.pipelining.loop import (
    REGISTERS,
    Edge,
    Footprint,
    Loop,
    LoopOp,
    Machine,
    Memory,
    OpSchedule,
    Reservation,
    Unit,
    WarpGroup,
)
from schedkit.models.pipelining.machines import GpuSpec, blackwell_b200, gpu, hopper_h100
from schedkit.models.pipelining.normalisation import Normalisation, ratio_error
from schedkit.models.pipelining.presets import (
    FA_FORWARD_CYCLES,
    FlashAttentionCycles,
    blackwell,
    flash_attention_forward,
    hopper,
)
from schedkit.models.pipelining.roles import describe, fa3_structure, fa4_structure

__all__ = [
    "CONSTRAINTS",
    "FA_FORWARD_CYCLES",
    "REGISTERS",
    "Edge",
    "FlashAttentionCycles",
    "Footprint",
    "GpuSpec",
    "Kernel",
    "Listing",
    "Loop",
    "LoopOp",
    "Machine",
    "Memory",
    "Normalisation",
    "OpSchedule",
    "Reservation",
    "Tile",
    "Unit",
    "WarpGroup",
    "blackwell",
    "blackwell_b200",
    "build",
    "cost_table",
    "describe",
    "fa3_structure",
    "fa4_structure",
    "flash_attention_forward",
    "format_listing",
    "gpu",
    "hopper",
    "hopper_h100",
    "kernel_names",
    "listing",
    "pipelining",
    "ratio_error",
    "read_schedule",
    "rec_mii",
    "res_mii",
    "res_mii_by_unit",
    "sequential_length",
    "unit_usage",
]
