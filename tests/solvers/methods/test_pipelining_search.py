"""The II search (Twill's Alg. 1 through solve()) and what it derives on the Flash Attention kernels.

The kernels are solved at a small normalisation budget (U = 20: one unit is
about 135 cycles on Hopper) so that each solve takes seconds; the full-size
runs are in ``results/scripts/pipelining_times.py``.
"""

from __future__ import annotations

import dataclasses

import pytest

from schedkit.models.pipelining import (
    Tile,
    blackwell_b200,
    build,
    fa3_structure,
    fa4_structure,
    hopper_h100,
    pipelining,
    read_schedule,
)
from schedkit.models.pipelining.machines import WarpGroupSpec
from schedkit.solvers import solve
from schedkit.solvers.checker import check
from schedkit.solvers.methods.flash_attention import KernelRun, run_kernel
from schedkit.solvers.methods.pipelining import at_ii, solve_pipelining
from tests.pipelining_cases import blocked_gemm, twill_figure_1


def test_twill_figure_1_is_ii_2_length_4() -> None:
    result = solve_pipelining(twill_figure_1(), time_limit=20, threads=1)
    assert (result.status, result.ii, result.ii_lower_bound, result.length) == ("optimal", 2, 2, 4)
    schedule = read_schedule(result.problem, result.solution)
    assert schedule["S"].issue + 2 < schedule["O"].issue + 1  # the next S is issued before this O ends
    assert result.warm_start["rule"] == "ims" and result.warm_start["ii"] == 2


def test_blocking_raises_the_ii_above_the_resource_bound() -> None:
    """Twill's observation that WS can be infeasible at the modulo-scheduling II: here one group needs II = 3."""
    one = solve_pipelining(blocked_gemm(1), time_limit=20, threads=1, warm_start=None)
    assert one.problem.meta["res_mii"] == 2
    assert one.ii == one.ii_lower_bound == 3 and one.status == "optimal"  # II = 2 proven impossible
    exhaustive = solve_pipelining(blocked_gemm(1), threads=1, warm_start=None)  # no time limit: the plain ascent
    # the tensor core and the group's sync slot taken together already rule out II = 2
    steps = [(a.ii, a.status) for a in exhaustive.attempts]
    assert steps == [(2, "infeasible (projection TC+g0.sync)"), (3, "optimal")]
    full = solve(at_ii(blocked_gemm(1), 2, feasibility=True), threads=1)
    assert full.status.value == "infeasible"  # the full model agrees
    two = solve_pipelining(blocked_gemm(2), time_limit=20, threads=1)
    assert two.ii == 2 and two.status == "optimal"
    schedule = read_schedule(two.problem, two.solution)
    assert schedule["gemm"].warp_group != schedule["wait"].warp_group  # warp specialisation, derived


def test_warm_start_caps_the_search_and_must_be_valid() -> None:
    problem = twill_figure_1()
    first = solve_pipelining(problem, time_limit=20, threads=1)
    capped = solve_pipelining(problem, time_limit=20, threads=1, warm_start=first.solution)
    assert capped.ii == 2 and capped.warm_start["ii"] == 2
    broken = dataclasses.replace(first.solution, ii=1)
    with pytest.raises(ValueError, match="warm start fails the checker"):
        solve_pipelining(problem, warm_start=broken)


def restricted(run: KernelRun, pins: dict[str, str], ii: int, length: int) -> str:
    """Status of the counterfactual: the ops of ``pins`` forced onto those groups, at this II and length.

    Used only to show that a structure is *forced*: when every schedule that
    breaks it is infeasible at the optimal II and length, the model derives it.
    """
    ops = tuple(
        dataclasses.replace(op, warp_groups=(pins[op.name],)) if op.name in pins else op for op in run.kernel.loop.ops
    )
    loop = dataclasses.replace(run.kernel.loop, ops=ops)
    problem = pipelining(loop, run.kernel.machine, name="counterfactual")
    return solve(at_ii(problem, ii, horizon=length, feasibility=True), time_limit=30, threads=2).status.value


@pytest.fixture(scope="module")
def hopper_forward() -> KernelRun:
    return run_kernel("forward", hopper_h100(), budget=20, time_limit=60, threads=2, warm_start=None)


def test_hopper_forward_derives_fa3(hopper_forward: KernelRun) -> None:
    """No op is pinned: loads, two consumer groups with their own sub-tile, ping-pong, S hoisted."""
    run = hopper_forward
    result = run.result
    assert result.status == "optimal" and result.ii == result.ii_lower_bound  # II proven optimal
    assert check(run.problem, result.solution) == []
    assert result.ii == run.problem.meta["res_mii_by_unit"]["tensor_core"]  # the tensor core binds
    assert all(op.warp_groups is None for op in run.kernel.loop.ops)  # nothing pinned
    structure = fa3_structure(read_schedule(run.problem, result.solution), result.ii)
    assert structure.holds, structure.evidence


@pytest.mark.parametrize(
    "pins",
    [
        {"S_a": "wg1", "S_b": "wg1"},  # both sub-tiles on one consumer group
        {"S_a": "wg1", "P_a": "wg2"},  # the softmax away from its GEMM (FA4-like, P copied)
        {"S_a": "wg1", "O_a": "wg2"},  # the second GEMM away from the first
        {"S_a": "wg1", "C_a": "wg2"},  # the correction away from the accumulator
    ],
    ids=["one_group", "softmax_elsewhere", "pv_elsewhere", "correction_elsewhere"],
)
def test_every_alternative_to_fa3_is_slower(hopper_forward: KernelRun, pins: dict[str, str]) -> None:
    """FA3's structure is forced: each way of breaking it has no schedule at the optimal II and length."""
    result = hopper_forward.result
    assert restricted(hopper_forward, pins, result.ii, result.length) == "infeasible"


def test_hopper_forward_fa3_layout_itself_is_feasible(hopper_forward: KernelRun) -> None:
    result = hopper_forward.result
    pins = {f"{k}_{x}": g for k in "SMPLCO" for x, g in (("a", "wg1"), ("b", "wg2"))}
    assert restricted(hopper_forward, pins, result.ii, result.length) == "optimal"


@pytest.fixture(scope="module")
def blackwell_forward() -> KernelRun:
    return run_kernel("forward", blackwell_b200(), budget=20, time_limit=60, threads=2)  # IMS warm start


def test_blackwell_forward_returns_fa4(blackwell_forward: KernelRun) -> None:
    run = blackwell_forward
    result = run.result
    assert result.status == "optimal" and result.ii == result.ii_lower_bound
    assert result.ii == run.problem.meta["res_mii_by_unit"]["exp"]  # exp binds, not the tensor core
    structure = fa4_structure(read_schedule(run.problem, result.solution), result.ii)
    assert structure.holds, structure.evidence


@pytest.mark.parametrize(
    ("pins", "forced"),
    [
        ({"P_a": "wg0", "P_b": "wg0"}, True),  # both softmaxes on one group: exp-bound, one stream each
        ({"P_a": "wg0", "C_a": "wg0"}, True),  # the correction on its sub-tile's softmax group
        ({"P_a": "wg0", "S_a": "wg0"}, False),  # MMA issued by a softmax group: as fast (a tie)
        ({"P_a": "wg0", "C_a": "wg1", "P_b": "wg1"}, False),  # correction on the other softmax group: a tie
    ],
    ids=["softmax_shared", "correction_on_own_softmax", "mma_on_softmax", "correction_crossed"],
)
def test_which_fa4_facts_are_forced(blackwell_forward: KernelRun, pins: dict[str, str], forced: bool) -> None:
    """Forced: one softmax group per sub-tile, corrections off their softmax group. Tied: the MMA warp.

    The ties are broken by the role-mixing level (fewest roles per warp group),
    which is how the returned schedule becomes exactly FA4's.
    """
    result = blackwell_forward.result
    status = restricted(blackwell_forward, pins, result.ii, result.length)
    assert status == ("infeasible" if forced else "optimal")


def fa3_machine(registers: int, consumers: int):
    """H100 with ``consumers`` consumer groups of ``registers`` per thread (the producer at 24)."""
    groups = (WarpGroupSpec("wg0", 128, 24, producer=True),) + tuple(
        WarpGroupSpec(f"wg{k + 1}", 128, registers) for k in range(consumers)
    )
    return dataclasses.replace(hopper_h100(), warp_groups=groups, registers=10**6)


def test_a_register_limit_too_small_for_two_tiles_forces_the_split() -> None:
    """Per thread, one 64 x 64 sub-tile holds S 32 + P 16 + O 64 registers; two need up to about 224.

    Blocking synchronisation (one group cannot wait while it keeps a saturated
    tensor core busy) and in-order issue (one stream for both softmaxes) also
    force the split, so they are left out here to isolate the registers: at
    the II two groups of 160 registers reach (one sub-tile each),
    one group of 240 also has a schedule (it holds both sub-tiles), one group
    of 160 has none.
    """
    tile = Tile(128, 64, 128)
    split = run_kernel(
        "forward",
        fa3_machine(160, 2),
        tile,
        budget=12,
        time_limit=30,
        threads=2,
        warm_start=None,
        without=["blocking", "issue"],
    )
    assert split.result.status == "optimal"
    schedule = read_schedule(split.problem, split.result.solution)
    assert fa3_structure(schedule, split.result.ii).facts["each_consumer_runs_its_subtile"]
    ii = split.result.ii

    def one_group(registers: int) -> str:
        kernel = build("forward", fa3_machine(registers, 1), tile, costs=split.kernel.costs)
        problem = pipelining(kernel.loop, kernel.machine, name="one_group", without=["blocking", "issue"])
        return solve(at_ii(problem, ii, feasibility=True), time_limit=30, threads=2).status.value

    assert one_group(240) == "optimal"
    assert one_group(160) == "infeasible"
