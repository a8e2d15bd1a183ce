"""The Flash Attention backward loop (single pass, FA3 Alg. 3): one CTA per K/V block, one iteration per Q block.

The K/V block is split into two slices x (FA3's two MMA warp groups each own
half of the K/V rows, and so half of dK and dV); per slice, with B Q rows,
c = cols / 2 K/V rows and head dimension D:

* ``S_x = Q K_x^T`` and ``dP_x = dO V_x^T`` (tensor core, B x c);
* ``P_x = exp(S_x - LSE)`` (exp unit) and ``dS_x = P_x (dP_x - D)`` (two FP32
  passes); the first synchronous readers of S and dP wait for the GEMMs;
* ``dV_x += P_x^T dO`` and ``dK_x += dS_x^T Q`` (tensor core, c x D, the
  loop-carried accumulators, P and dS as register or tensor-memory operands);
* ``dQ_x = dS_x K_x`` (tensor core, B x D: a partial of this iteration's dQ,
  dS read from shared memory);
* ``stage_x`` copies the partial to shared memory (32 columns at a time) and
  ``reduce_x`` adds it into the global dQ with a TMA reduce-add (variable
  latency, on the load warp);

plus the streaming loads ``load_Q`` (with LSE) and ``load_dO`` (with
D = rowsum(dO o O)). K and V stay resident in shared memory for the loop.
"""

from __future__ import annotations

from collections.abc import Mapping

from schedkit.models.errors import ModelError
from schedkit.models.pipelining.kernels import Kernel, Tile, copy_edge, cycles, require, subtile_names
from schedkit.models.pipelining.loop import REGISTERS, Edge, Footprint, Loop, LoopOp, Reservation
from schedkit.models.pipelining.machines import (
    EXP,
    FMA,
    SMEM,
    SMEM_READ,
    TENSOR_CORE,
    TMA,
    TMEM,
    GpuSpec,
    machine,
)

DEFAULT_TILES = {"hopper": Tile(64, 128, 128), "blackwell": Tile(128, 128, 128)}
"""FA3's backward tile for head dimension 128 (64 Q rows causal, ``hopper/flash_bwd_launch_template.h``;
FA3 uses 80 non-causal, Twill 64 for a power of two) and a 128 x 128 block on Blackwell (FA4's 1-CTA tile)."""

SLICES = 2
"""The K/V block is split in two slices (FA3's two MMA warp groups)."""

QDO_STAGES = 2
"""Shared-memory buffers for each of Q and dO (an assumption: two stages, as for K/V in the forward pass)."""

DQ_CHUNK = 32
"""Columns of the dQ partial staged in shared memory at a time (the staging loops over chunks)."""


def backward_costs(spec: GpuSpec, tile: Tile) -> dict[str, int]:
    """Cycle counts of the backward primitives for one slice of c = ``tile.cols / 2`` K/V rows.

    With B = ``tile.rows`` and D = ``tile.depth``:

    ``gemm_s``    2 B c D / tensor rate (S_x and dP_x: B x c outputs, depth D)
    ``gemm_acc``  2 c D B / tensor rate (dV_x and dK_x: c x D outputs, depth B)
    ``gemm_dq``   2 B D c / tensor rate (dQ_x: B x D outputs, depth c)
    ``exp``       B c / exp rate; ``pass``: B c / FP32 lanes
    ``smem_s``    (B D + c D) * 2 / shared-memory rate (Q or dO, and the K or V slice)
    ``smem_acc``  B D * 2 / rate (dO or Q; P^T and dS^T come from registers or tensor memory)
    ``smem_dq``   (B c + c D) * 2 / rate (dS and the K slice)
    ``write``     B c * 2 / rate (dS, bf16, written to shared memory for dQ)
    ``stage``     B D * 4 / rate (the dQ partial written to shared memory)
    ``tma``       B D * 2 / TMA rate (one Q or dO tile); ``reduce``: B D * 4 / TMA rate
    ``handoff``   an mbarrier hand-off between warps
    ``copy_s``    B c fp32 written to and read back from shared memory (a copy between warp groups)
    ``copy_p``    B c bf16 likewise; ``copy_dq``: B D fp32 likewise
    """
    half = tile.cols // SLICES
    b, d = tile.rows, tile.depth
    smem = spec.smem_bandwidth
    return {
        "gemm_s": cycles(2 * b * half * d, spec.tensor_flops),
        "gemm_acc": cycles(2 * half * d * b, spec.tensor_flops),
        "gemm_dq": cycles(2 * b * d * half, spec.tensor_flops),
        "exp": cycles(b * half, spec.exp_rate),
        "pass": cycles(b * half, spec.fma_lanes),
        "smem_s": cycles((b * d + half * d) * 2, smem),
        "smem_acc": cycles(b * d * 2, smem),
        "smem_dq": cycles((b * half + half * d) * 2, smem),
        "write": cycles(b * half * 2, smem),
        "stage": cycles(b * d * 4, smem),
        "tma": cycles(b * d * 2, spec.tma_bandwidth),
        "reduce": cycles(b * d * 4, spec.tma_bandwidth),
        "handoff": spec.handoff,
        "copy_s": 2 * cycles(b * half * 4, smem),
        "copy_p": 2 * cycles(b * half * 2, smem),
        "copy_dq": 2 * cycles(b * d * 4, smem),
    }


def flash_attention_backward(spec: GpuSpec, tile: Tile | None = None, costs: Mapping[str, int] | None = None) -> Kernel:
    """The Flash Attention backward loop on ``spec`` (see the module docstring).

    Footprints: accumulators (S_x, dP_x, dQ_x, and the loop-carried dK_x and
    dV_x, fp32) in the issuing group's registers (Hopper) or in tensor memory
    (Blackwell, columns of 128 lanes, P^T and dS^T written over S and dP as
    FA4 aliases them); P_x and dS_x (bf16) in registers of the group computing
    them (Hopper: the register operands of the dV and dK wgmma); dS_x and the
    staged dQ chunk in shared memory, whose capacity is what K, V and
    :data:`QDO_STAGES` stages of Q and dO leave.
    """
    tile = tile or DEFAULT_TILES[spec.name]
    if tile.cols % SLICES or tile.cols // SLICES < 16:
        raise ModelError("backward tile", "cols", f"must be even and >= 32 (two K/V slices), got {tile.cols}")
    subs = subtile_names(SLICES)
    c = dict(backward_costs(spec, tile) if costs is None else costs)
    require(c, list(backward_costs(spec, tile)), "flash_attention_backward")
    b, d, half = tile.rows, tile.depth, tile.cols // SLICES
    tmem = spec.accumulators == "tmem"
    wide = 128

    def acc(words: int, offset: int = 0, length: int | None = None) -> Footprint:
        """An MMA accumulator: tensor-memory columns (128 lanes) or registers of the issuing group."""
        if tmem:
            return Footprint(TMEM, max(1, words // 128), offset=offset, length=length)
        return Footprint(REGISTERS, words, offset=offset, length=length)

    def gemm(name: str, latency: int, smem_cycles: int, footprint: Footprint) -> LoopOp:
        return LoopOp(
            name,
            latency,
            (Reservation(TENSOR_CORE, 0, latency), Reservation(SMEM_READ, 0, smem_cycles)),
            threads=spec.mma_threads,
            role="mma",
            flight=latency,
            footprints=(footprint,),
        )

    def sync(name: str, latency: int, table: tuple[Reservation, ...], footprints: tuple[Footprint, ...]) -> LoopOp:
        role = "staging" if name.startswith("stage") else "softmax"
        return LoopOp(
            name, latency, table, threads=wide, issue=latency, flight=latency, footprints=footprints, role=role
        )

    ops: list[LoopOp] = [
        LoopOp(name, 0, (Reservation(TMA, 0, c["tma"]),), variable_latency=True, role="load")
        for name in ("load_Q", "load_dO")
    ]
    edges: list[Edge] = []
    s_bytes, p_bytes, dq_bytes = b * half * 4, b * half * 2, b * d * 4
    two = 2 * c["pass"]
    for x in subs:
        p_regs = Footprint(REGISTERS, b * half // 2, scratch=tmem, readers=(f"dS_{x}", f"dV_{x}"))
        ds_regs = Footprint(REGISTERS, b * half // 2, scratch=tmem, readers=(f"dK_{x}",))
        ops += [
            gemm(f"S_{x}", c["gemm_s"], c["smem_s"], acc(b * half)),
            gemm(f"dP_{x}", c["gemm_s"], c["smem_s"], acc(b * half)),
            sync(f"P_{x}", c["exp"], (Reservation(EXP, 0, c["exp"]), Reservation(FMA, 0, c["pass"])), (p_regs,)),
            sync(
                f"dS_{x}",
                two,
                (Reservation(FMA, 0, two), Reservation(SMEM_READ, 0, c["write"])),
                (ds_regs, Footprint(SMEM, b * half * 2, readers=(f"dQ_{x}",))),
            ),
            gemm(f"dV_{x}", c["gemm_acc"], c["smem_acc"], acc(half * d, offset=c["gemm_acc"], length=0)),
            gemm(f"dK_{x}", c["gemm_acc"], c["smem_acc"], acc(half * d, offset=c["gemm_acc"], length=0)),
            gemm(f"dQ_{x}", c["gemm_dq"], c["smem_dq"], acc(b * d)),
            sync(
                f"stage_{x}",
                c["stage"],
                (Reservation(SMEM_READ, 0, c["stage"]),),
                (Footprint(SMEM, b * DQ_CHUNK * 4, offset=0, length=c["stage"]),),
            ),
            LoopOp(f"reduce_{x}", c["reduce"], (Reservation(TMA, 0, c["reduce"]),), variable_latency=True, role="load"),
        ]
        edges += [
            Edge("load_Q", f"S_{x}", 0, transfer=0, hold=c["gemm_s"]),
            Edge("load_Q", f"dK_{x}", 0, transfer=0, hold=c["gemm_acc"]),
            Edge("load_dO", f"dP_{x}", 0, transfer=0, hold=c["gemm_s"]),
            Edge("load_dO", f"dV_{x}", 0, transfer=0, hold=c["gemm_acc"]),
            Edge("load_dO", f"dS_{x}", 0, transfer=0),  # D = rowsum(dO o O) comes with dO
            copy_edge(c, f"P_{x}", f"dS_{x}", c["exp"], "copy_p", p_bytes, c["exp"], hold=two),
            Edge(f"dS_{x}", f"dQ_{x}", two, transfer=c["handoff"], hold=c["gemm_dq"]),  # dS through shared memory
            Edge(f"dV_{x}", f"dV_{x}", c["gemm_acc"], distance=1, transfer=0, hold=c["gemm_acc"]),
            Edge(f"dK_{x}", f"dK_{x}", c["gemm_acc"], distance=1, transfer=0, hold=c["gemm_acc"]),
            Edge(f"stage_{x}", f"reduce_{x}", c["stage"], transfer=c["handoff"], hold=c["reduce"]),
        ]
        if tmem:  # accumulators in tensor memory: no copies; P^T over S and dS^T over dP until dV and dK read them
            edges += [
                Edge(f"S_{x}", f"P_{x}", c["gemm_s"], transfer=0, blocking=True, hold=c["exp"]),
                Edge(f"dP_{x}", f"dS_{x}", c["gemm_s"], transfer=0, blocking=True, hold=two),
                Edge(f"S_{x}", f"dV_{x}", c["gemm_s"], transfer=0, hold=c["gemm_acc"]),
                Edge(f"dP_{x}", f"dK_{x}", c["gemm_s"], transfer=0, hold=c["gemm_acc"]),
                Edge(f"P_{x}", f"dV_{x}", c["exp"], transfer=c["handoff"], hold=c["gemm_acc"]),
                Edge(f"dS_{x}", f"dK_{x}", two, transfer=c["handoff"], hold=c["gemm_acc"]),
                Edge(f"dQ_{x}", f"stage_{x}", c["gemm_dq"], transfer=0, blocking=True, hold=c["stage"]),
            ]
        else:  # registers of the issuing group; another group needs a copy through shared memory
            edges += [
                copy_edge(
                    c, f"S_{x}", f"P_{x}", c["gemm_s"], "copy_s", s_bytes, c["gemm_s"], blocking=True, hold=c["exp"]
                ),
                copy_edge(
                    c, f"dP_{x}", f"dS_{x}", c["gemm_s"], "copy_s", s_bytes, c["gemm_s"], blocking=True, hold=two
                ),
                copy_edge(c, f"P_{x}", f"dV_{x}", c["exp"], "copy_p", p_bytes, c["exp"], hold=c["gemm_acc"]),
                copy_edge(c, f"dS_{x}", f"dK_{x}", two, "copy_p", p_bytes, two, hold=c["gemm_acc"]),
                copy_edge(
                    c,
                    f"dQ_{x}",
                    f"stage_{x}",
                    c["gemm_dq"],
                    "copy_dq",
                    dq_bytes,
                    c["gemm_dq"],
                    blocking=True,
                    hold=c["stage"],
                ),
            ]
    resident = 2 * tile.cols * d * 2 + QDO_STAGES * 2 * b * d * 2  # K and V, and the Q / dO buffers
    return Kernel(
        name=f"backward/{spec.name}/{tile}",
        loop=Loop(tuple(ops), tuple(edges), name=f"fa_backward_{spec.name}_{tile}"),
        machine=machine(spec, resident_smem=resident),
        costs=c,
        tile=tile,
        subtiles=subs,
        notes={"gpu": spec.notes, "resident_smem": str(resident)},
    )
