"""The Flash Attention forward loop (one iteration = one K/V block), built from a GPU spec and a tile.

Per sub-tile x of ``spec.mma_rows`` Q rows (Hopper: two 64-row ``wgmma``
sub-tiles of FA3's 128-row tile; Blackwell: FA4's two 128-row Q tiles):

* ``S_x = Q_x K^T`` (tensor core; accumulator in the issuing group's
  registers on Hopper, in tensor memory on Blackwell);
* ``M_x``: row max ``m = max(m, rowmax S_x)`` and the rescale factor
  ``alpha = exp2(m_old - m)`` (an FP32 pass, then one exp per row); the first
  reader of ``S_x``, it waits for the GEMM (a blocking edge); on Blackwell it
  loads the S rows from tensor memory into its registers;
* ``P_x = exp2(S_x - m)`` (the exp unit, plus an FP32 pass for the scale-subtract);
* ``L_x``: row sum ``l = alpha l + rowsum P_x`` (an FP32 pass);
* ``C_x``: correction ``O_x *= alpha`` (an FP32 pass over the accumulator),
  waiting for the previous ``O_x`` GEMM (blocking);
* ``O_x += P_x V`` (tensor core);

plus ``load_K`` and ``load_V`` (TMA, variable latency, streaming).
Loop-carried: ``M -> M`` (running max), ``L -> L`` (running sum), ``O -> C``
(the accumulator, corrected before the next ``O`` adds to it).
"""

from __future__ import annotations

from collections.abc import Mapping

from schedkit.models.errors import ModelError
from schedkit.models.pipelining.kernels import Kernel, Tile, copy_edge, cycles, require, subtile_names
from schedkit.models.pipelining.loop import REGISTERS, Edge, Footprint, Loop, LoopOp, Reservation
from schedkit.models.pipelining.machines import EXP, FMA, SMEM_READ, TENSOR_CORE, TMA, TMEM, GpuSpec, machine

DEFAULT_TILES = {"hopper": Tile(128, 176, 128), "blackwell": Tile(256, 128, 128)}
"""FA3's tile for head dimension 128, non-causal (``hopper/tile_size.h``: kBlockM = 128, two 64-row consumer
groups, kBlockN = 176); FA4's two 128-row Q tiles per CTA (``q_stage = 2``) with 128-row K/V blocks."""

DEFAULT_KV_STAGES = {"hopper": 2, "blackwell": 3}
"""Shared-memory buffers for K/V tiles: FA3's ``kStages = 2`` for K and 2 for V
(``hopper/flash_fwd_launch_template.h``); FA4's ``kv_stage = (224 KB - Q - O) / 32 KB = 3`` buffers of one K or V
tile each, for 256 Q rows and d = 128 (``flash_fwd_sm100.py``)."""


def forward_costs(spec: GpuSpec, tile: Tile) -> dict[str, int]:
    """Cycle counts of the forward primitives for one sub-tile of R = ``spec.mma_rows`` rows.

    With N = ``tile.cols`` and D = ``tile.depth``:

    ``gemm``      2 R N D / tensor FLOP per clock (``S = Q K^T``)
    ``gemm_pv``   2 R N D / tensor FLOP per clock (``O += P V``)
    ``exp``       R N / exp per clock (MUFU.EX2 over the sub-tile)
    ``pass_s``    R N / FP32 lanes (one FP32 pass over S: max, scale-subtract or sum)
    ``pass_o``    R D / FP32 lanes (one pass over the accumulator: the correction)
    ``alpha``     R / exp per clock (one exp per row for the rescale factor)
    ``smem_qk``   (R D + N D) * 2 bytes / shared-memory bytes per clock (the Q and K operands)
    ``smem_pv``   N D * 2 / bytes per clock (V; P comes from registers or tensor memory)
    ``tma``       N D * 2 / TMA bytes per clock (one K or V tile written to shared memory)
    ``handoff``   an mbarrier hand-off between warps
    ``copy_s``    S (R N fp32) written to and read back from shared memory (a copy between warp groups)
    ``copy_p``    P (R N bf16) likewise
    ``copy_o``    O (R D fp32) likewise
    ``copy_row``  a per-row vector (R fp32) likewise
    ``p_tail``    Blackwell: the exp time of the last quarter of P, which the P V MMA overlaps (FA4
                  signals it once 3/4 of P is in tensor memory); 0 on Hopper (P V reads P from registers)
    """
    rows = spec.mma_rows
    n, d = tile.cols, tile.depth
    smem = spec.smem_bandwidth
    return {
        "gemm": cycles(2 * rows * n * d, spec.tensor_flops),
        "gemm_pv": cycles(2 * rows * n * d, spec.tensor_flops),
        "exp": cycles(rows * n, spec.exp_rate),
        "pass_s": cycles(rows * n, spec.fma_lanes),
        "pass_o": cycles(rows * d, spec.fma_lanes),
        "alpha": cycles(rows, spec.exp_rate),
        "smem_qk": cycles((rows * d + n * d) * 2, smem),
        "smem_pv": cycles(n * d * 2, smem),
        "tma": cycles(n * d * 2, spec.tma_bandwidth),
        "handoff": spec.handoff,
        "copy_s": 2 * cycles(rows * n * 4, smem),
        "copy_p": 2 * cycles(rows * n * 2, smem),
        "copy_o": 2 * cycles(rows * d * 4, smem),
        "copy_row": 2 * cycles(rows * 4, smem),
        "p_tail": cycles(rows * n // 4, spec.exp_rate) if spec.accumulators == "tmem" else 0,
    }


def _subtiles(spec: GpuSpec, rows: int) -> tuple[str, ...]:
    if rows % spec.mma_rows or not 1 <= rows // spec.mma_rows <= 8:
        raise ModelError(
            "forward tile", "rows", f"must be 1..8 multiples of the {spec.mma_rows}-row MMA of {spec.name}, got {rows}"
        )
    return subtile_names(rows // spec.mma_rows)


def flash_attention_forward(
    spec: GpuSpec, tile: Tile | None = None, costs: Mapping[str, int] | None = None, kv_stages: int | None = None
) -> Kernel:
    """The Flash Attention forward loop on ``spec`` (see the module docstring).

    ``costs`` defaults to :func:`forward_costs` (cycles); pass a normalised
    table to build the same loop in small integers. Footprints: registers in
    32-bit words of the group (Hopper: S and O fp32 ``R x N`` and ``R x D``,
    P bf16 half of S; Blackwell: the S rows a softmax group loads, R N words,
    P R N / 2 words while it is computed, a 32-column chunk of O during the
    correction), tensor memory in 128-lane columns (S and O of each sub-tile,
    P aliased into S as FA4 does), shared memory in bytes: ``kv_stages`` K/V
    buffers (default :data:`DEFAULT_KV_STAGES`), the Q tile and, on
    Blackwell, FA4's O staging buffer are reserved; the rest holds copies
    between warp groups.
    """
    tile = tile or DEFAULT_TILES[spec.name]
    stages = DEFAULT_KV_STAGES[spec.name] if kv_stages is None else kv_stages
    subs = _subtiles(spec, tile.rows)
    c = dict(forward_costs(spec, tile) if costs is None else costs)
    require(c, list(forward_costs(spec, tile)), "flash_attention_forward")
    rows, n, d = spec.mma_rows, tile.cols, tile.depth
    tmem = spec.accumulators == "tmem"
    wide = 128  # threads of a warp-group-wide op (a wgmma, a softmax over a 128-row tile)
    m_latency = c["pass_s"] + c["alpha"]
    s_bytes, p_bytes, o_bytes, row_bytes = rows * n * 4, rows * n * 2, rows * d * 4, rows * 4

    ops: list[LoopOp] = [
        LoopOp(name, 0, (Reservation(TMA, 0, c["tma"]),), variable_latency=True, role="load")
        for name in ("load_K", "load_V")
    ]
    edges: list[Edge] = []
    for x in subs:
        ops += _subtile_ops(spec, c, x, tmem, wide, m_latency, rows, n, d)
        # Blackwell: the softmax stores P into tensor memory in chunks and signals the MMA once 3/4 of it is
        # there (FA4-code: split_P_arrive = n_block * 3 / 4), so P V may start before P is complete.
        p_ready = c["exp"] - c["p_tail"] if tmem else c["exp"]
        edges += [
            Edge("load_K", f"S_{x}", 0, transfer=0, hold=c["gemm"]),
            Edge("load_V", f"O_{x}", 0, transfer=0, hold=c["gemm_pv"]),
            copy_edge(c, f"M_{x}", f"M_{x}", m_latency, "copy_row", row_bytes, m_latency, distance=1),
            copy_edge(c, f"M_{x}", f"L_{x}", m_latency, "copy_row", row_bytes, m_latency),
            copy_edge(c, f"M_{x}", f"C_{x}", m_latency, "copy_row", row_bytes, m_latency),
            copy_edge(c, f"P_{x}", f"L_{x}", c["exp"], "copy_p", p_bytes, c["exp"]),
            copy_edge(c, f"L_{x}", f"L_{x}", c["pass_s"], "copy_row", row_bytes, c["pass_s"], distance=1),
        ]
        if tmem:
            # S and O live in tensor memory, which any warp group reads after the MMA's mbarrier: no copy.
            # P is written into S's columns, which O reads: S's region lives until O is done.
            edges += [
                Edge(f"S_{x}", f"M_{x}", c["gemm"], transfer=0, blocking=True, hold=m_latency),
                copy_edge(c, f"M_{x}", f"P_{x}", m_latency, "copy_s", s_bytes, m_latency, hold=c["exp"]),
                Edge(f"S_{x}", f"O_{x}", c["gemm"], transfer=0, hold=c["gemm_pv"]),
                Edge(f"P_{x}", f"O_{x}", p_ready, transfer=c["handoff"], hold=c["gemm_pv"]),
                Edge(f"C_{x}", f"O_{x}", c["pass_o"], transfer=c["handoff"], hold=c["gemm_pv"]),
                Edge(f"O_{x}", f"C_{x}", c["gemm_pv"], distance=1, transfer=0, blocking=True, hold=c["pass_o"]),
            ]
        else:
            # Hopper: S, P and O are registers of the group holding them; another group needs a copy.
            edges += [
                copy_edge(
                    c, f"S_{x}", f"M_{x}", c["gemm"], "copy_s", s_bytes, c["gemm"], blocking=True, hold=m_latency
                ),
                copy_edge(c, f"S_{x}", f"P_{x}", c["gemm"], "copy_s", s_bytes, c["gemm"], hold=c["exp"]),
                copy_edge(c, f"M_{x}", f"P_{x}", m_latency, "copy_row", row_bytes, m_latency, hold=c["exp"]),
                copy_edge(c, f"P_{x}", f"O_{x}", p_ready, "copy_p", p_bytes, c["exp"], hold=c["gemm_pv"]),
                copy_edge(c, f"C_{x}", f"O_{x}", c["pass_o"], "copy_o", o_bytes, c["pass_o"], hold=c["gemm_pv"]),
                copy_edge(
                    c,
                    f"O_{x}",
                    f"C_{x}",
                    c["gemm_pv"],
                    "copy_o",
                    o_bytes,
                    c["gemm_pv"],
                    distance=1,
                    blocking=True,
                    hold=c["pass_o"],
                ),
            ]
    # The Q tile, and the K/V buffers: FA3 has kStages for K and as many for V; FA4's kv_stage buffers hold
    # one K or V tile each, and FA4 also stages O in shared memory for the epilogue.
    resident = tile.rows * d * 2 + stages * (1 if tmem else 2) * n * d * 2
    if tmem:
        resident += tile.rows * d * 2
    return Kernel(
        name=f"forward/{spec.name}/{tile}",
        loop=Loop(tuple(ops), tuple(edges), name=f"fa_forward_{spec.name}_{tile}"),
        machine=machine(spec, resident_smem=resident),
        costs=c,
        tile=tile,
        subtiles=subs,
        notes={"gpu": spec.notes, "kv_stages": str(stages), "resident_smem": str(resident)},
    )


def _subtile_ops(
    spec: GpuSpec, c: Mapping[str, int], x: str, tmem: bool, wide: int, m_latency: int, rows: int, n: int, d: int
) -> list[LoopOp]:
    """The six ops of sub-tile x."""
    s_tile = Footprint(TMEM, n) if tmem else Footprint(REGISTERS, rows * n)
    o_tile = (
        Footprint(TMEM, d, offset=c["gemm_pv"], length=0)
        if tmem
        else Footprint(REGISTERS, rows * d, offset=c["gemm_pv"], length=0)
    )
    corrected = (
        (Footprint(REGISTERS, rows * 32, scratch=True), Footprint(TMEM, d, offset=c["pass_o"], length=0))
        if tmem
        else (Footprint(REGISTERS, rows * d, offset=c["pass_o"], length=0),)
    )
    return [
        LoopOp(
            f"S_{x}",
            c["gemm"],
            (Reservation(TENSOR_CORE, 0, c["gemm"]), Reservation(SMEM_READ, 0, c["smem_qk"])),
            threads=spec.mma_threads,
            role="mma",
            flight=c["gemm"],
            footprints=(s_tile,),
        ),
        LoopOp(
            f"M_{x}",
            m_latency,
            (Reservation(FMA, 0, c["pass_s"]), Reservation(EXP, c["pass_s"], c["alpha"])),
            threads=wide,
            role="softmax",
            issue=m_latency,
            flight=m_latency,
            # Blackwell: the softmax group loads the S rows from tensor memory into its registers.
            footprints=(Footprint(REGISTERS, rows * n, readers=(f"P_{x}",)),) if tmem else (),
        ),
        LoopOp(
            f"P_{x}",
            c["exp"],
            (Reservation(EXP, 0, c["exp"]), Reservation(FMA, 0, c["pass_s"])),
            threads=wide,
            role="softmax",
            issue=c["exp"],
            flight=c["exp"],
            # Hopper: P (bf16) stays in registers as the A operand of the P V wgmma;
            # Blackwell: P is built in registers and stored into S's tensor-memory columns.
            footprints=(Footprint(REGISTERS, rows * n // 2, scratch=tmem),),
        ),
        LoopOp(
            f"L_{x}",
            c["pass_s"],
            (Reservation(FMA, 0, c["pass_s"]),),
            threads=wide,
            role="softmax",
            issue=c["pass_s"],
            flight=c["pass_s"],
        ),
        LoopOp(
            f"C_{x}",
            c["pass_o"],
            (Reservation(FMA, 0, c["pass_o"]),),
            threads=wide,
            role="correction",
            issue=c["pass_o"],
            flight=c["pass_o"],
            # The corrected accumulator is the same storage as O (in place): it lives from C's end.
            footprints=corrected,
        ),
        LoopOp(
            f"O_{x}",
            c["gemm_pv"],
            (Reservation(TENSOR_CORE, 0, c["gemm_pv"]), Reservation(SMEM_READ, 0, c["smem_pv"])),
            threads=spec.mma_threads,
            role="mma",
            flight=c["gemm_pv"],
            footprints=(o_tile,),
        ),
    ]
