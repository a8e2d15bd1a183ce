"""Small pipelining problems shared by the tests of the builder, the II search, the heuristic, the plot and the CLI."""

from __future__ import annotations

from schedkit.models import ProblemData
from schedkit.models.pipelining import Edge, Loop, LoopOp, Machine, Reservation, Unit, WarpGroup, pipelining


def twill_figure_1() -> ProblemData:
    """Twill's running example (Fig. 1): S = GEMM, P = EXP(S), O += GEMM(P), O loop-carried.

    GEMM and EXP take one cycle each on their unit (TC and EXP, capacity 1).
    The optimum is II = 2 (two GEMMs on the TC) and L = 4 (M = {S: 0, P: 2,
    O: 3} or P at 1): the first GEMM of the next iteration is hoisted, FA3's
    software pipeline.
    """
    machine = Machine("fig1", (Unit("TC"), Unit("EXP")), (WarpGroup("w", 255),))
    ops = (
        LoopOp("S", 1, (Reservation("TC", 0, 1),)),
        LoopOp("P", 1, (Reservation("EXP", 0, 1),)),
        LoopOp("O", 1, (Reservation("TC", 0, 1),)),
    )
    edges = (Edge("S", "P", 1), Edge("P", "O", 1), Edge("O", "O", 1, distance=1))
    return pipelining(Loop(ops, edges, name="twill_fig1"), machine)


def blocked_gemm(groups: int = 1) -> ProblemData:
    """A 2-cycle GEMM and its blocking consumer: ResMII is 2, but on one group the consumer never finds the group free.

    At II = 2 the GEMM of the next iteration is always in flight on the group
    that issued it, so the consumer (which waits for its GEMM, Twill's
    CONCURRENCY rule) cannot start there: one group needs II = 3; with two
    groups the consumer runs on the other one and II = 2.
    """
    machine = Machine("blocked", (Unit("TC"), Unit("EXP")), tuple(WarpGroup(f"g{k}", 255) for k in range(groups)))
    ops = (
        LoopOp("gemm", 2, (Reservation("TC", 0, 2),), flight=2),
        LoopOp("wait", 1, (Reservation("EXP", 0, 1),), issue=1, flight=1),
    )
    loop = Loop(ops, (Edge("gemm", "wait", 2, blocking=True, transfer=0),), name=f"blocked{groups}")
    return pipelining(loop, machine)


def read_tail_and_staging() -> ProblemData:
    """Two GEMMs that read shared memory for the first half of their tensor-core time, and a staging copy.

    Each unit carries 8 of II cycles (ResMII = 8), but during the copy's 4
    cycles on the read port the tensor core can only finish one GEMM's
    2-cycle read-free tail, so it idles at least 2 cycles: II >= 10, which
    only the two units taken together show (the Hopper backward kernel's
    tensor core and read port in miniature). II = 10: G1 at 0, copy at 2, G2 at 6.
    """
    machine = Machine("read_tail", (Unit("TC"), Unit("SMEM")), (WarpGroup("w", 255),))
    gemm = (Reservation("TC", 0, 4), Reservation("SMEM", 0, 2))
    ops = (LoopOp("G1", 4, gemm), LoopOp("G2", 4, gemm), LoopOp("copy", 4, (Reservation("SMEM", 0, 4),)))
    return pipelining(Loop(ops, (), name="read_tail"), machine)
