"""Machine models (H100, B200) and the Flash Attention kernels built from them, in raw cycles."""

from __future__ import annotations

import dataclasses

import pytest

from schedkit.models import ModelError
from schedkit.models.pipelining import (
    REGISTERS,
    Tile,
    blackwell_b200,
    build,
    cost_table,
    gpu,
    hopper_h100,
    pipelining,
    res_mii_by_unit,
)
from schedkit.models.pipelining.machines import TMEM, check_register_file, machine


def test_hopper_rates_follow_fa3_appendix() -> None:
    spec = hopper_h100()
    # FA3 App. C.1: 989 TFLOPS and 3.9 TFLOPS on 132 SMs at 1830 MHz.
    assert round(989.4e12 / (132 * 1.83e9)) == spec.tensor_flops == 4096
    assert round(3.9e12 / (132 * 1.83e9)) == spec.exp_rate == 16
    assert [g.registers_per_thread for g in spec.warp_groups] == [24, 240, 240]
    assert sum(g.threads * g.registers_per_thread for g in spec.warp_groups) <= spec.registers


def test_blackwell_tensor_core_doubles_exp_does_not() -> None:
    h, b = hopper_h100(), blackwell_b200()
    assert b.tensor_flops == 2 * h.tensor_flops
    assert b.exp_rate == h.exp_rate
    assert b.tmem_columns == 512 and h.tmem_columns == 0
    check_register_file(b)  # 2 * 192 + 80 registers per thread for the warp groups, 48 for the two warps


def test_register_file_is_checked() -> None:
    spec = dataclasses.replace(hopper_h100(), warp_groups=(*hopper_h100().warp_groups,) * 2)
    with pytest.raises(ValueError, match="hold .* registers, the SM has 65536"):
        machine(spec)
    odd = dataclasses.replace(
        hopper_h100(), warp_groups=(dataclasses.replace(hopper_h100().warp_groups[1], registers_per_thread=241),)
    )
    with pytest.raises(ValueError, match="setmaxnreg 241"):
        machine(odd)


def test_unknown_machine_is_named() -> None:
    with pytest.raises(ValueError, match="unknown machine 'mi300'; known: hopper, blackwell"):
        gpu("mi300")


def test_forward_costs_per_subtile() -> None:
    h = cost_table("forward", hopper_h100(), Tile(128, 128, 128))
    assert (h["gemm"], h["exp"], h["pass_s"], h["alpha"]) == (512, 512, 64, 4)  # 64-row wgmma sub-tiles
    b = cost_table("forward", blackwell_b200(), Tile(256, 128, 128))
    assert (b["gemm"], b["exp"], b["pass_s"], b["alpha"]) == (512, 1024, 128, 8)  # 128-row tcgen05 sub-tiles
    assert b["p_tail"] == 256 and h["p_tail"] == 0


def test_hopper_is_tensor_core_bound_blackwell_exp_bound() -> None:
    """The tensor core needs 2x the exp unit on Hopper; on Blackwell exp (with the per-row rescale) exceeds it."""
    hopper = build("forward", hopper_h100())
    by_unit = res_mii_by_unit(hopper.loop, hopper.machine)
    assert by_unit["tensor_core"] == 4 * 704 and by_unit["tensor_core"] > by_unit["exp"]
    blackwell = build("forward", blackwell_b200())
    by_unit = res_mii_by_unit(blackwell.loop, blackwell.machine)
    assert by_unit["tensor_core"] == 4 * 512 == 2048
    assert by_unit["exp"] == 2 * (1024 + 8) == 2064 > by_unit["tensor_core"]
    assert max(by_unit, key=by_unit.__getitem__) == "exp"


def test_forward_kernel_ops_and_carried_edges() -> None:
    kernel = build("forward", hopper_h100(), Tile(128, 128, 128))
    assert kernel.subtiles == ("a", "b")
    names = {op.name for op in kernel.loop.ops}
    assert names == {"load_K", "load_V"} | {f"{k}_{x}" for k in "SMPLCO" for x in "ab"}
    carried = {(e.src, e.dst) for e in kernel.loop.edges if e.distance == 1}
    assert carried == {(f"{a}_{x}", f"{b}_{x}") for a, b in (("M", "M"), ("L", "L"), ("O", "C")) for x in "ab"}
    blocking = {(e.src, e.dst) for e in kernel.loop.edges if e.blocking}
    assert blocking == {(f"{a}_{x}", f"{b}_{x}") for a, b in (("S", "M"), ("O", "C")) for x in "ab"}
    loads = [op for op in kernel.loop.ops if op.variable_latency]
    assert {op.name for op in loads} == {"load_K", "load_V"} and all(op.latency == 0 for op in loads)
    s_a = next(op for op in kernel.loop.ops if op.name == "S_a")
    assert s_a.footprints[0].memory == REGISTERS and s_a.footprints[0].amount == 64 * 128  # S in registers


def test_blackwell_forward_keeps_accumulators_in_tensor_memory() -> None:
    kernel = build("forward", blackwell_b200())
    s_a = next(op for op in kernel.loop.ops if op.name == "S_a")
    assert s_a.footprints[0].memory == TMEM and s_a.footprints[0].amount == 128
    tmem = next(m for m in kernel.machine.memories if m.name == TMEM)
    assert tmem.capacity == 512  # S_a, S_b, O_a, O_b: 4 x 128 columns, as FA4 lays them out
    p_to_o = next(e for e in kernel.loop.edges if (e.src, e.dst) == ("P_a", "O_a"))
    assert p_to_o.latency == 1024 - 256  # FA4's split_P_arrive: P V starts once 3/4 of P is stored


def test_shared_memory_left_for_copies() -> None:
    hopper = build("forward", hopper_h100())  # FA3 tile 128 x 176, 2 K and 2 V stages
    smem = next(m for m in hopper.machine.memories if m.name == "smem")
    assert smem.capacity == 227 * 1024 - (128 * 128 * 2 + 2 * 2 * 176 * 128 * 2)
    assert smem.capacity < 64 * 176 * 2  # a P sub-tile (bf16) does not fit: P cannot cross warp groups
    small = build("forward", hopper_h100(), Tile(128, 128, 128))
    assert next(m for m in small.machine.memories if m.name == "smem").capacity > 2 * 64 * 128 * 2


def test_backward_kernel() -> None:
    kernel = build("backward", hopper_h100())
    names = {op.name for op in kernel.loop.ops}
    expected = {f"{k}_{x}" for k in ("S", "dP", "P", "dS", "dV", "dK", "dQ", "stage", "reduce") for x in "ab"}
    assert names == {"load_Q", "load_dO"} | expected
    carried = {(e.src, e.dst) for e in kernel.loop.edges if e.distance == 1}
    assert carried == {(f"{k}_{x}", f"{k}_{x}") for k in ("dV", "dK") for x in "ab"}
    variable = {op.name for op in kernel.loop.ops if op.variable_latency}
    assert variable == {"load_Q", "load_dO", "reduce_a", "reduce_b"}
    raw = build("backward", blackwell_b200())
    by_unit = res_mii_by_unit(raw.loop, raw.machine)
    assert by_unit["tensor_core"] > by_unit["exp"]  # 5 GEMMs against one exp


@pytest.mark.parametrize(
    ("text", "pattern"), [("128x128", "ROWSxCOLSxDEPTH"), ("0x1x1", "positive"), ("axbxc", "ROWS")]
)
def test_bad_tiles(text: str, pattern: str) -> None:
    with pytest.raises(ValueError, match=pattern):
        Tile.parse(text)


def test_tile_rows_must_split_into_mma_subtiles() -> None:
    with pytest.raises(ModelError, match="multiples of the 64-row MMA of hopper"):
        build("forward", hopper_h100(), Tile(96, 128, 128))
    assert build("forward", blackwell_b200(), Tile(128, 128, 128)).subtiles == ("a",)


def test_raw_kernels_build_into_the_ir() -> None:
    for kind in ("forward", "backward"):
        for spec in (hopper_h100(), blackwell_b200()):
            kernel = build(kind, spec)
            problem = pipelining(kernel.loop, kernel.machine)
            names = {r.name for r in problem.resources}
            assert {"tensor_core", "exp", "smem"} <= names
            assert {f"{g.name}.registers" for g in spec.warp_groups} <= names
            assert problem.meta["blocking"]
