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
