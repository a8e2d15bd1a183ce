"""Machine presets (Hopper, Blackwell) and the Flash Attention forward loop with rescaled cycle costs."""

from __future__ import annotations

from dataclasses import dataclass, field

from schedkit.models.errors import ModelError
from schedkit.models.pipelining.loop import Edge, Loop, LoopOp, Machine, Reservation, Unit, WarpGroup
from schedkit.models.validation import is_integral


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
        LoopOp(
            "load_K", c.load_latency, (Reservation("tma", 0, c.load_issue, 1),), c.load_registers, variable_latency=True
        ),
        LoopOp(
            "load_V", c.load_latency, (Reservation("tma", 0, c.load_issue, 1),), c.load_registers, variable_latency=True
        ),
        LoopOp("S", c.gemm, (Reservation("tensor_core", 0, c.gemm, 1),), c.s_registers),
        LoopOp("P", c.exp, (Reservation("exp", 0, c.exp, 1),), c.p_registers),
        LoopOp("O", c.gemm, (Reservation("tensor_core", 0, c.gemm, 1),), c.o_registers),
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
