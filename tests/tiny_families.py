"""Tiny hand-made instances of every family, small enough for exhaustive enumeration.

Built with the family builders (the path users take) and given a small
explicit horizon so that :mod:`brute_force` can enumerate every presence,
mode, start and II.
"""

from __future__ import annotations

import dataclasses

from schedkit.models import ProblemData
from schedkit.models.fjsp import fjsp
from schedkit.models.jobshop import jobshop
from schedkit.models.kvtree import TreeNode, kvtree
from schedkit.models.pipelining import Edge, Loop, LoopOp, Machine, Unit, WarpGroup, pipelining
from schedkit.models.podpack import Node, Pod, podpack
from schedkit.models.rcpsp import Activity, RcpspCalendar, rcpsp
from schedkit.models.tardiness import tardiness


def rcpsp_tiny() -> ProblemData:
    """Capacity 2 with downtime on [2, 4), a release/deadline window and a disjunctive pair."""
    activities = [
        Activity.single(2, [1], [2]),
        Activity.single(3, [1], [3]),
        Activity.single(1, [2], release=1, deadline=9),
        Activity.single(2, [1]),
    ]
    problem = rcpsp(
        activities,
        capacities=[2],
        calendars=[RcpspCalendar(0, ((2, 4, 0),))],
        disjunctive_pairs=[(1, 3)],
        name="rcpsp-tiny",
    )
    return dataclasses.replace(problem, horizon=10)


def tardiness_tiny() -> ProblemData:
    return dataclasses.replace(tardiness([3, 1, 2, 2], [2, 1, 6, 3], [1, 3, 2, 2], name="wt-tiny"), horizon=8)


def jobshop_tiny() -> ProblemData:
    return dataclasses.replace(jobshop([[(0, 2), (1, 3)], [(1, 2), (0, 1)]], name="js-tiny"), horizon=8)


def fjsp_tiny() -> ProblemData:
    jobs = [[[(0, 2), (1, 3)], [(1, 2), (0, 3)]], [[(0, 1), (1, 2)], [(0, 2)]]]
    return dataclasses.replace(fjsp(jobs, name="fjsp-tiny"), horizon=6)


def pipelining_tiny() -> ProblemData:
    """Two ops sharing one unit, a consumer on another, a loop-carried accumulator edge, two warp groups."""
    machine = Machine(
        "tiny-gpu",
        units=(Unit("mma"), Unit("alu")),
        warp_groups=(WarpGroup("wg0", register_limit=6), WarpGroup("wg1", register_limit=6)),
        cross_warp_delay=1,
    )
    loop = Loop(
        ops=(
            LoopOp("S", latency=2, reservations=(("mma", 0, 1, 1),), registers=4),
            LoopOp("P", latency=1, reservations=(("alu", 0, 1, 1),), registers=3),
            LoopOp("O", latency=2, reservations=(("mma", 0, 1, 1),), registers=3),
        ),
        edges=(Edge("S", "P", 2), Edge("P", "O", 1), Edge("O", "O", 2, distance=1)),
        name="tiny-loop",
    )
    return dataclasses.replace(pipelining(loop, machine, ii_max=4, name="pipe-tiny"), horizon=7)


def podpack_tiny() -> ProblemData:
    """Two nodes, two priorities, a running low-priority pod in the way of a high-priority one."""
    nodes = [Node("n0", cpu=1000, memory=1000), Node("n1", cpu=1000, memory=1000)]
    pods = [
        Pod("low-a", 600, 500, priority=1, node="n0"),
        Pod("low-b", 500, 600, priority=1),
        Pod("high-a", 700, 700, priority=2),
        Pod("high-b", 400, 300, priority=2),
    ]
    return dataclasses.replace(podpack(nodes, pods, name="pods-tiny"), horizon=0)


def kvtree_tiny() -> ProblemData:
    nodes = [
        TreeNode("root", None, 10),
        TreeNode("a", 0, 6),
        TreeNode("b", 0, 4),
        TreeNode("a1", 1, 3, score=0.4),
        TreeNode("a2", 1, 2, score=0.3),
        TreeNode("b1", 2, 5, score=0.2),
        TreeNode("b2", 2, 1, score=0.1),
    ]
    problem = kvtree(
        nodes, leaves=[3, 4, 5, 6], clusters=[[3, 4], [5], [6]], lambda_c=1.0, lambda_s=0.3, name="kv-tiny"
    )
    return dataclasses.replace(problem, horizon=0)


FAMILIES = {
    "rcpsp": rcpsp_tiny,
    "tardiness": tardiness_tiny,
    "jobshop": jobshop_tiny,
    "fjsp": fjsp_tiny,
    "pipelining": pipelining_tiny,
    "podpack": podpack_tiny,
    "kvtree": kvtree_tiny,
}
