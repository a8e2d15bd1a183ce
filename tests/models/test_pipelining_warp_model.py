"""The warp model of the pipelining builder, constraint by constraint, judged by the independent checker.

Each test builds a small loop that uses one construct (register liveness,
in-order issue, blocking synchronisation, copies between warp groups, threads),
and shows a schedule that respects it passes the checker while one that breaks
it is rejected on the resource that models it.
"""

from __future__ import annotations

import pytest

from schedkit.models import ModelError, ResourceKind, Solution
from schedkit.models.pipelining import (
    CONSTRAINTS,
    REGISTERS,
    Edge,
    Footprint,
    Loop,
    LoopOp,
    Machine,
    Memory,
    Reservation,
    Unit,
    WarpGroup,
    pipelining,
)
from schedkit.models.pipelining.builder import sync_capacity
from schedkit.solvers.checker import check


def machine(*groups: WarpGroup, memories: tuple[Memory, ...] = ()) -> Machine:
    return Machine("toy", (Unit("tc"), Unit("exp")), groups or (WarpGroup("g", 8, threads=4),), memories=memories)


def kinds(problem, solution: Solution) -> list[tuple[str, str | None]]:
    return [(v.kind, v.resource) for v in check(problem, solution)]


def test_in_order_issue_serialises_synchronous_ops_of_a_group() -> None:
    loop = Loop((LoopOp("x", 2, issue=2), LoopOp("y", 2, issue=2)), name="issue")
    problem = pipelining(loop, machine(), ii_max=6)
    assert {r.name for r in problem.resources} >= {"g.issue"}
    assert check(problem, Solution.from_lists([0, 2], ii=4)) == []
    assert kinds(problem, Solution.from_lists([0, 1], ii=4)) == [("modulo", "g.issue")]
    assert kinds(problem, Solution.from_lists([0, 2], ii=3)) == [("modulo", "g.issue")]  # folded: 4 cycles in 3


def test_blocking_op_may_not_start_while_another_op_of_its_group_is_in_flight() -> None:
    """Twill's CONCURRENCY: the GEMM of another iteration in flight when the waiting op starts breaks it."""
    ops = (
        LoopOp("gemm", 3, (Reservation("tc", 0, 3),), flight=3),
        LoopOp("softmax", 1, (Reservation("exp", 0, 1),), issue=1, flight=1),
    )
    loop = Loop(ops, (Edge("gemm", "softmax", 3, blocking=True),), name="blocking")
    two = machine(WarpGroup("g", 8, threads=4), WarpGroup("h", 8, threads=4))
    problem = pipelining(loop, two, ii_max=6)
    spike = sync_capacity(loop, problem.cycle.ii_min)
    softmax = problem.tasks[problem.task_index["softmax"]]
    assert {(d.amount, d.offset, d.length) for d in softmax.modes[0].demands if d.amount == spike} == {(spike, 0, 1)}
    # II = 3 keeps the tensor core busy: the next GEMM (issued at 3) is in flight when softmax waits at 3.
    same = Solution.from_lists([0, 3], modes=[0, 0], ii=3)
    assert kinds(problem, same) == [("modulo", "g.sync")]
    # The same times with the GEMM on another group: the waiting group has nothing in flight.
    assert check(problem, Solution.from_lists([0, 3], modes=[0, 1], ii=3)) == []
    # Or on one group with room: II = 4, softmax at 3 while nothing else runs.
    assert check(problem, Solution.from_lists([0, 3], modes=[0, 0], ii=4)) == []


def test_register_values_live_until_their_last_reader_on_the_producers_group() -> None:
    """A value read by the next iteration occupies the producer's registers until then."""
    ops = (
        LoopOp("acc", 1, (Reservation("tc", 0, 1),), footprints=(Footprint(REGISTERS, 20, offset=1, length=0),)),
        LoopOp("use", 1, (Reservation("exp", 0, 1),), footprints=(Footprint(REGISTERS, 12, scratch=True),)),
    )
    loop = Loop(ops, (Edge("acc", "use", 1, distance=1),), name="registers")
    problem = pipelining(loop, machine(WarpGroup("g", 8, threads=4)), ii_max=4)  # 32 registers
    resource = problem.resources[problem.resource_index["g.registers"]]
    assert (resource.kind, resource.capacity) == (ResourceKind.MODULO, 32)
    demand = next(d for d in problem.tasks[0].modes[0].demands if d.until)
    assert [(r.task, r.distance, r.lag) for r in demand.until] == [(1, 1, 0)]
    # acc's value lives [1, S_use + II): with use at 1 and II = 2, [1, 3): 20, plus 12 while use runs: 32 fits.
    assert check(problem, Solution.from_lists([0, 1], ii=2)) == []
    # With use at 3 the value lives [1, 5): two iterations' values overlap, 40 > 32.
    assert set(kinds(problem, Solution.from_lists([0, 3], ii=2))) == {("modulo", "g.registers")}


def test_copies_between_groups_hold_a_buffer_only_when_they_cross() -> None:
    ops = (
        LoopOp("p", 1, (Reservation("exp", 0, 1),)),
        LoopOp("q", 1, (Reservation("tc", 0, 1),)),
        LoopOp("z", 1, footprints=(Footprint("smem", 3, scratch=True, length=1),), warp_groups=("g",)),
    )
    edge = Edge("p", "q", 1, transfer=1, transfer_footprints=(Footprint("smem", 2, offset=1, length=0),))
    loop = Loop(ops, (edge,), name="copies")
    m = machine(WarpGroup("g", 8, threads=4), WarpGroup("h", 8, threads=4), memories=(Memory("smem", 4),))
    problem = pipelining(loop, m, ii_max=4)
    assert problem.precedences[0].transfer_demands
    # p on g and q on h: the copy holds 2 of smem on [1, 3); z holds 3 on [1, 2): 5 > 4.
    assert kinds(problem, Solution.from_lists([0, 2, 1], modes=[0, 1, 0], ii=4)) == [("modulo", "smem")]
    # Same group: no copy, no buffer (and no transfer lag).
    assert check(problem, Solution.from_lists([0, 1, 1], modes=[0, 0, 0], ii=4)) == []
    assert [v.kind for v in check(problem, Solution.from_lists([0, 1, 2], modes=[0, 1, 0], ii=4))] == ["precedence"]


def test_threads_decide_eligibility() -> None:
    loop = Loop((LoopOp("wide", 1, threads=128), LoopOp("narrow", 1, threads=1)), name="threads")
    m = Machine("toy", (Unit("tc"),), (WarpGroup("wg", 8, threads=128), WarpGroup("warp", 8, threads=32)))
    problem = pipelining(loop, m)
    assert [[mode.location for mode in t.modes] for t in problem.tasks] == [["wg"], ["wg", "warp"]]
    with pytest.raises(ModelError, match="op 'big', field 'warp_groups'.*holds its 2000 registers"):
        pipelining(Loop((LoopOp("big", 1, footprints=(Footprint(REGISTERS, 2000),)),), name="x"), m)


def test_constraint_families_can_be_left_out() -> None:
    ops = (
        LoopOp("a", 2, issue=2, flight=2, footprints=(Footprint(REGISTERS, 4),)),
        LoopOp("b", 1, issue=1, flight=1),
    )
    loop = Loop(ops, (Edge("a", "b", 2, blocking=True, transfer=3),), name="ablate")
    full = pipelining(loop, machine())
    assert {"g.registers", "g.issue", "g.sync"} <= {r.name for r in full.resources}
    assert full.precedences[0].transfer_lag == 3
    bare = pipelining(loop, machine(), without=CONSTRAINTS)
    assert not {"g.registers", "g.issue", "g.sync"} & {r.name for r in bare.resources}
    assert bare.precedences[0].transfer_lag == 0 and bare.meta["without"] == sorted(CONSTRAINTS)
    with pytest.raises(ModelError, match="unknown constraint"):
        pipelining(loop, machine(), without=["lunch"])


def test_legacy_loops_build_as_before() -> None:
    loop = Loop((LoopOp("x", 1, (("tc", 0, 1, 1),), registers=2),), name="legacy")
    problem = pipelining(loop, machine())
    assert [r.name for r in problem.resources] == ["tc", "exp", "g.regs"]
    assert "blocking" not in problem.meta
