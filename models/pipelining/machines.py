"""Machine models of one SM of NVIDIA Hopper (H100 SXM5) and Blackwell (B200), with the source of every number.

A :class:`GpuSpec` holds per-SM rates and capacities in cycles and bytes; the
kernel builders (:mod:`schedkit.models.pipelining.kernels`) turn the work of
each tile op into cycles with them, and :func:`machine` turns a spec into the
:class:`~schedkit.models.pipelining.loop.Machine` the IR builder reads (units,
warp groups with their ``setmaxnreg`` limits, shared and tensor memory).

Sources (keys used below):

* **FA3**: Shah et al., "FlashAttention-3", arXiv 2407.08608, App. C.1: the
  H100 SXM5 "has 989 TFLOPS of FP16 matmul but only 3.9 TFLOPS of special
  functions", clock 1830 MHz, 132 SMs; so 989.4e12 / (132 * 1.83e9) = 4096
  FLOP/clk/SM and 3.9e12 / (132 * 1.83e9) = 16 exp/clk/SM.
* **FA3-code**: github.com/Dao-AILab/flash-attention, ``hopper/flash_fwd_kernel_sm90.h``
  lines 82-83 (``LoadRegisterRequirement`` 24 and ``MmaRegisterRequirement``
  240 with two MMA warp groups and TMA for K/V), ``hopper/tile_size.h``
  (kBlockM = 128 = two 64-row ``wgmma`` warp groups).
* **FA4**: Zadouri et al., "FlashAttention-4", arXiv 2603.05451, Table 1 (read
  through third-party summaries): B200 BF16 MMA 8192 FLOP/clk/SM against 4096
  on H100, MUFU ex2 16/clk/SM on both, shared-memory reads 128 B/clk/SM on
  both, 256 KB of tensor memory per SM.
* **FA4-code**: ``flash_attn/cute/flash_fwd_sm100.py`` (16 warps: softmax
  warp groups 0-3 and 4-7 at 192 registers, correction 8-11 at 80, MMA warp
  12, epilogue 13, load 14 and an empty warp at 48 = 512 - 2 * 192 - 80;
  TMEM offsets S 0/128 and O 256/384 of 512 columns, P aliased into S).
* **HTG** / **BWTG**: NVIDIA Hopper / Blackwell Tuning Guides: 64K 32-bit
  registers and 228 KB of shared memory per SM, 227 KB per thread block.
* **H100-WP**: NVIDIA H100 Tensor Core GPU Architecture whitepaper: 4
  sub-partitions of 32 FP32 lanes = 128 FP32 FMA/clk/SM.
* **PTX**: PTX ISA, ``setmaxnreg`` (24..256 per thread, multiple of 8) and
  ``tcgen05`` (tensor memory of 128 lanes x 512 columns of 32 bits).
* **TLX**: measured B200 hand-offs quoted in a Triton TLX design note (third
  party): an mbarrier signal-to-wake round costs about 92 cycles.
"""

from __future__ import annotations

from dataclasses import dataclass

from schedkit.models.pipelining.loop import Machine, Memory, Unit, WarpGroup

TENSOR_CORE = "tensor_core"
"""The tensor-core unit (wgmma / tcgen05.mma)."""
EXP = "exp"
"""The special-function unit (MUFU.EX2)."""
FMA = "fma"
"""The FP32 FMA/ALU pipes."""
SMEM_READ = "smem_read"
"""Shared-memory read bandwidth (operands of GEMMs, values passed between warps)."""
TMA = "tma"
"""The tensor memory accelerator (bulk copies global -> shared memory)."""
SMEM = "smem"
"""Shared memory capacity (bytes)."""
TMEM = "tmem"
"""Tensor memory capacity (32-bit columns of 128 lanes)."""


@dataclass(frozen=True)
class WarpGroupSpec:
    """An issue context of the kernel: a warp group (128 threads) or a single warp (32), its ``setmaxnreg``.

    ``producer`` marks the context Twill designates for variable-latency ops
    (the TMA loads).
    """

    name: str
    threads: int
    registers_per_thread: int
    producer: bool = False


@dataclass(frozen=True)
class GpuSpec:
    """Per-SM rates and capacities of one GPU (see the module docstring for the sources).

    Rates are per clock and per SM: ``tensor_flops`` dense BF16 FLOP,
    ``exp_rate`` MUFU.EX2 results, ``fma_lanes`` FP32 operations,
    ``smem_bandwidth`` bytes read from shared memory, ``tma_bandwidth`` bytes a
    TMA copy writes to shared memory. ``smem_bytes`` is the shared memory a
    thread block may use, ``tmem_columns`` the tensor memory (0 on Hopper).
    ``accumulators`` says where the tensor core writes: ``"registers"`` of the
    issuing warp group (Hopper ``wgmma``) or ``"tmem"`` (Blackwell
    ``tcgen05``). ``mma_rows`` is the row count of one MMA instruction as the
    kernels use it (the sub-tile height), ``mma_threads`` the threads that
    issue it. ``handoff`` is the cost in cycles of a synchronisation between
    two warps (an mbarrier arrive and wait). ``warp_groups`` is the kernel's
    configuration of issue contexts and their ``setmaxnreg`` limits.
    """

    name: str
    tensor_flops: int
    exp_rate: int
    fma_lanes: int
    smem_bandwidth: int
    tma_bandwidth: int
    smem_bytes: int
    tmem_columns: int
    registers: int
    accumulators: str
    mma_rows: int
    mma_threads: int
    handoff: int
    warp_groups: tuple[WarpGroupSpec, ...]
    notes: str = ""


def hopper_h100() -> GpuSpec:
    """H100 SXM5, as FA3 configures it (two consumer warp groups).

    * tensor core 4096 FLOP/clk/SM, exp 16/clk/SM (FA3 App. C.1: 989 and 3.9
      TFLOPS at 1830 MHz on 132 SMs): one 64x128x128 GEMM takes 512 cycles
      and exp over a 64x128 tile 512 cycles, "exponential can take 50% of the
      cycle compared to matmul" (FA3 §3.1);
    * 128 FP32 lanes/clk/SM (H100-WP), 128 B/clk/SM of shared-memory reads (FA4 Table 1),
      227 KB of shared memory per block and 64K registers (HTG);
    * ``wgmma`` is a warp-group instruction of 64 rows whose accumulator lives
      in the issuing group's registers (PTX, FA3-code: kBlockM = 128 is two
      64-row consumer groups);
    * warp groups as FA3 sets them (FA3-code): ``wg0`` the producer at 24
      registers per thread, ``wg1`` and ``wg2`` at 240 (24 + 2 * 240 <= 512 =
      65536 / 128);
    * a TMA copy writes shared memory at up to 128 B/clk (assumed equal to the
      read rate), and a hand-off between warp groups costs ~92 cycles (TLX,
      measured on B200; taken for Hopper too).
    """
    return GpuSpec(
        name="hopper",
        tensor_flops=4096,
        exp_rate=16,
        fma_lanes=128,
        smem_bandwidth=128,
        tma_bandwidth=128,
        smem_bytes=227 * 1024,
        tmem_columns=0,
        registers=65536,
        accumulators="registers",
        mma_rows=64,
        mma_threads=128,
        handoff=92,
        warp_groups=(
            WarpGroupSpec("wg0", 128, 24, producer=True),
            WarpGroupSpec("wg1", 128, 240),
            WarpGroupSpec("wg2", 128, 240),
        ),
        notes="H100 SXM5: FA3 App. C.1 rates at 1830 MHz; FA3 setmaxnreg 24/240/240",
    )


def blackwell_b200() -> GpuSpec:
    """B200, as FA4 configures it (two softmax warp groups, a correction group, MMA and load warps).

    * tensor core 8192 FLOP/clk/SM, twice Hopper's, while exp stays at 16/clk/SM
      (FA4 Table 1): one 128x128x128 GEMM takes 512 cycles and exp over a
      128x128 tile 1024, so exp, not the tensor core, bounds the forward pass;
    * 128 FP32 lanes and 128 B/clk/SM of shared-memory reads, 227 KB of shared
      memory per block, 64K registers (FA4 Table 1, BWTG);
    * ``tcgen05.mma`` is issued by one thread and accumulates in tensor memory
      (128 lanes x 512 columns, PTX), read back by warp groups (a warp reaches
      only its 32 lanes, so a 128-row tile needs a warp group); one MMA covers
      128 rows, so a 256-row CTA tile is two sub-tiles, as FA4's ``q_stage = 2``;
    * issue contexts as FA4 sets them (FA4-code): ``wg0``, ``wg1`` at 192
      registers per thread, ``wg2`` at 80, and two single warps of the fourth
      group at 48: ``w12`` and the designated load warp ``w14``
      (2 * 192 + 80 + 48 = 512);
    * a hand-off between warps costs ~92 cycles (TLX, measured on B200).
    """
    return GpuSpec(
        name="blackwell",
        tensor_flops=8192,
        exp_rate=16,
        fma_lanes=128,
        smem_bandwidth=128,
        tma_bandwidth=128,
        smem_bytes=227 * 1024,
        tmem_columns=512,
        registers=65536,
        accumulators="tmem",
        mma_rows=128,
        mma_threads=1,
        handoff=92,
        warp_groups=(
            WarpGroupSpec("wg0", 128, 192),
            WarpGroupSpec("wg1", 128, 192),
            WarpGroupSpec("wg2", 128, 80),
            WarpGroupSpec("w12", 32, 48),
            WarpGroupSpec("w14", 32, 48, producer=True),
        ),
        notes="B200: FA4 Table 1 per-SM rates; FA4 setmaxnreg 192/192/80/48",
    )


GPUS = {"hopper": hopper_h100, "blackwell": blackwell_b200}
"""The machine models by name."""


def gpu(name: str) -> GpuSpec:
    """The spec called ``name`` (``hopper`` or ``blackwell``); ``ValueError`` naming the known ones otherwise."""
    if name not in GPUS:
        raise ValueError(f"unknown machine '{name}'; known: {', '.join(GPUS)}")
    return GPUS[name]()


def check_register_file(spec: GpuSpec) -> None:
    """Raise ``ValueError`` unless the warp groups' ``setmaxnreg`` limits fit the register file.

    ``setmaxnreg`` takes 24..256 in steps of 8 (PTX); the limits times the
    threads must fit the SM's registers.
    """
    total = 0
    for group in spec.warp_groups:
        limit = group.registers_per_thread
        if group.threads == 128 and (limit % 8 or not 24 <= limit <= 256):
            raise ValueError(f"{spec.name}: warp group {group.name} has setmaxnreg {limit}, not 24..256 in steps of 8")
        total += group.threads * limit
    if total > spec.registers:
        raise ValueError(f"{spec.name}: the warp groups hold {total} registers, the SM has {spec.registers}")


def machine(spec: GpuSpec, resident_smem: int = 0) -> Machine:
    """The :class:`Machine` of ``spec`` in cycles (normalise it with the loop).

    Units of capacity 1 (one SM-wide unit each, so an op's reservation length
    is its time on that unit): tensor core, exp, FMA, shared-memory reads and
    TMA. Memories: shared memory in bytes, less ``resident_smem`` (the Q tile
    the kernel keeps for the whole loop), and tensor memory in columns when
    the GPU has it. Cross-warp costs are on the edges (``Edge.transfer``), so
    the machine's default delay is 0.
    """
    check_register_file(spec)
    memories = [Memory(SMEM, spec.smem_bytes - resident_smem)]
    if spec.tmem_columns:
        memories.append(Memory(TMEM, spec.tmem_columns))
    return Machine(
        name=spec.name,
        units=(Unit(TENSOR_CORE), Unit(EXP), Unit(FMA), Unit(SMEM_READ), Unit(TMA)),
        warp_groups=tuple(
            WarpGroup(group.name, group.registers_per_thread, producer=group.producer, threads=group.threads)
            for group in spec.warp_groups
        ),
        cross_warp_delay=0,
        memories=tuple(memories),
    )
