"""IR-level tests of the Twill-style modulo-scheduling builder (models.pipelining)."""

from __future__ import annotations

import itertools
import json
import math

import networkx as nx
import pytest

from schedkit.models import ModelError, PrecedenceType, ResourceKind, Sense, Solution, TermKind
from schedkit.models.io import problem_from_dict, problem_to_dict
from schedkit.models.pipelining import (
    FA_FORWARD_CYCLES,
    Edge,
    Loop,
    LoopOp,
    Machine,
    Unit,
    WarpGroup,
    blackwell,
    flash_attention_forward,
    hopper,
    pipelining,
    read_schedule,
    rec_mii,
    res_mii,
    res_mii_by_unit,
    sequential_length,
)


def small_machine(delay: int = 1) -> Machine:
    return Machine(
        name="toy",
        units=(Unit("A", 1), Unit("B", 2)),
        warp_groups=(WarpGroup("prod", 16, producer=True), WarpGroup("w0", 64), WarpGroup("w1", 32)),
        cross_warp_delay=delay,
    )


def small_loop() -> Loop:
    """Hand-worked example.

    Usage: A = x 2 + y 1 = 3 -> ResMII_A = 3; B = ld 1 + y 2 + z 1 = 4, capacity 2 -> 2. ResMII = 3.
    Cycles: x -> y -> x: (2 + 2) / 1 = 4; ld -> x -> y -> z -> ld: (3 + 2 + 1 + 3) / 2 = 4.5 -> 5;
    z -> z: 1 / 1. RecMII = 5, so ii_min = 5.
    """
    ops = (
        LoopOp("ld", 3, (("B", 0, 1, 1),), registers=4, variable_latency=True),
        LoopOp("x", 2, (("A", 0, 2, 1),), registers=40),
        LoopOp("y", 1, (("A", 0, 1, 1), ("B", 0, 1, 2)), registers=16),
        LoopOp("z", 1, (("B", 1, 1, 1),), registers=0, warp_groups=("w1",)),
    )
    edges = (
        Edge("ld", "x", 3),
        Edge("x", "y", 2),
        Edge("y", "x", 2, 1),
        Edge("y", "z", 1),
        Edge("z", "z", 1, 1),
        Edge("z", "ld", 3, 2),
    )
    return Loop(ops, edges, name="toy")


def brute_force_rec_mii(loop: Loop) -> int:
    graph = nx.MultiDiGraph()
    for edge in loop.edges:
        graph.add_edge(edge.src, edge.dst, latency=edge.latency, distance=edge.distance)
    best = 0
    for cycle in nx.simple_cycles(graph):
        pairs = list(zip(cycle, cycle[1:] + cycle[:1]))
        for choice in itertools.product(*(list(graph[u][v].values()) for u, v in pairs)):
            latency = sum(e["latency"] for e in choice)
            distance = sum(e["distance"] for e in choice)
            best = max(best, math.ceil(latency / distance))
    return best


# ------------------------------------------------------------------ bounds
def test_res_mii_hand_example():
    assert res_mii_by_unit(small_loop(), small_machine()) == {"A": 3, "B": 2}
    assert res_mii(small_loop(), small_machine()) == 3


def test_rec_mii_hand_example_rounds_up_the_cycle_ratio():
    assert rec_mii(small_loop()) == 5
    assert brute_force_rec_mii(small_loop()) == 5


def test_rec_mii_without_recurrence_is_zero():
    loop = Loop((LoopOp("a", 4), LoopOp("b", 1)), (Edge("a", "b", 4),))
    assert rec_mii(loop) == 0


@pytest.mark.parametrize("seed", range(5))
def test_rec_mii_matches_cycle_enumeration(seed):
    import random

    rng = random.Random(seed)
    names = [f"o{i}" for i in range(5)]
    edges = [Edge(names[i], names[i + 1], rng.randint(0, 6)) for i in range(4)]
    for _ in range(5):
        u, v = rng.choice(names), rng.choice(names)
        edges.append(Edge(u, v, rng.randint(0, 9), rng.randint(1, 3)))
    loop = Loop(tuple(LoopOp(n, 1) for n in names), tuple(edges))
    assert rec_mii(loop) == brute_force_rec_mii(loop)


def test_sequential_length_hand_example():
    # ld at 0 (span 3); x at max(3, 0 + 3 + 1) = 4 (span 2); y at max(6, 4 + 2 + 1) = 7 (span 1);
    # z at max(8, 7 + 1 + 1) = 9 (span max(1, 1 + 1) = 2) -> L = 11; z -> ld needs ceil((9 + 3 + 1 - 0) / 2) = 7.
    assert sequential_length(small_loop(), small_machine()) == 11
    assert sequential_length(small_loop(), small_machine(delay=0)) == 8


# ----------------------------------------------------------------- builder
def test_structure_of_hand_example():
    problem = pipelining(small_loop(), small_machine())
    assert problem.family == "pipelining"
    assert problem.cycle is not None
    assert (problem.cycle.ii_min, problem.cycle.ii_max) == (5, 11)
    assert problem.meta["res_mii"] == 3 and problem.meta["rec_mii"] == 5

    kinds = {r.name: (r.kind, r.capacity) for r in problem.resources}
    assert kinds == {
        "A": (ResourceKind.MODULO, 1),
        "B": (ResourceKind.MODULO, 2),
        "prod.regs": (ResourceKind.BIN, 16),
        "w0.regs": (ResourceKind.BIN, 64),
        "w1.regs": (ResourceKind.BIN, 32),
    }
    locations = {t.name: [m.location for m in t.modes] for t in problem.tasks}
    # ld: producer only; x: 40 registers exceed w1's 32 and the producer is dedicated; z: restricted to w1.
    assert locations == {"ld": ["prod"], "x": ["w0"], "y": ["w0", "w1"], "z": ["w1"]}

    index = problem.resource_index
    y = problem.tasks[problem.task_index["y"]]
    assert [m.duration for m in y.modes] == [1, 1]
    demands = {(problem.resources[d.resource].name, d.amount, d.offset, d.length) for d in y.modes[1].demands}
    assert demands == {("A", 1, 0, 1), ("B", 2, 0, 1), ("w1.regs", 16, 0, None)}
    z = problem.tasks[problem.task_index["z"]]
    assert [(d.resource, d.offset, d.length) for d in z.modes[0].demands] == [(index["B"], 1, 1)]

    precedences = {(problem.tasks[p.a].name, problem.tasks[p.b].name, p.lag, p.distance) for p in problem.precedences}
    assert precedences == {(e.src, e.dst, e.latency, e.distance) for e in small_loop().edges}
    assert all(p.type == PrecedenceType.START_TO_START and p.transfer_lag == 1 for p in problem.precedences)

    levels = problem.objective.levels
    assert [(lv.sense, [t.kind for t in lv.terms]) for lv in levels] == [
        (Sense.MINIMIZE, [TermKind.INITIATION_INTERVAL]),
        (Sense.MINIMIZE, [TermKind.SCHEDULE_LENGTH]),
    ]


def test_explicit_ii_max():
    problem = pipelining(small_loop(), small_machine(), ii_max=20, name="custom")
    assert problem.cycle.ii_max == 20 and problem.name == "custom"
    with pytest.raises(ModelError, match=r"ii_max.*ii_min = 5"):
        pipelining(small_loop(), small_machine(), ii_max=4)


def test_json_round_trip():
    problem = pipelining(small_loop(), small_machine())
    data = json.loads(json.dumps(problem_to_dict(problem)))
    again = problem_from_dict(data)
    assert again == problem
    assert again.meta == problem.meta


def _checksequential_schedule(loop: Loop, machine: Machine) -> None:
    """The default ii_max is feasible: verify the sequential schedule by hand at II = ii_max."""
    from schedkit.models.pipelining.analysis import sequential_schedule

    problem = pipelining(loop, machine)
    ii = problem.cycle.ii_max
    issue = sequential_schedule(loop, machine)
    starts = [issue[t.name] for t in problem.tasks]
    modes = []
    load = {r.name: 0 for r in problem.resources if r.kind == ResourceKind.BIN}
    for task in problem.tasks:  # first mode whose registers still fit
        for m, mode in enumerate(task.modes):
            bins = [(problem.resources[d.resource].name, d.amount) for d in mode.demands if d.length is None]
            if all(
                load[name] + amount <= problem.resources[problem.resource_index[name]].capacity for name, amount in bins
            ):
                for name, amount in bins:
                    load[name] += amount
                modes.append(m)
                break
        else:
            raise AssertionError(f"registers do not fit for {task.name}")
    for p in problem.precedences:
        same = problem.tasks[p.a].modes[modes[p.a]].location == problem.tasks[p.b].modes[modes[p.b]].location
        assert starts[p.b] + p.distance * ii >= starts[p.a] + p.lag + (0 if same else p.transfer_lag)
    for r_index, res in enumerate(problem.resources):
        if res.kind != ResourceKind.MODULO:
            continue
        usage = [0] * ii
        for t, task in enumerate(problem.tasks):
            for d in task.modes[modes[t]].demands:
                if d.resource == r_index:
                    for time in range(starts[t] + d.offset, starts[t] + d.offset + d.length):
                        usage[time % ii] += d.amount
        assert max(usage) <= res.capacity, res.name


@pytest.mark.parametrize("make", [small_machine, hopper, blackwell])
def test_default_ii_max_is_feasible(make):
    machine = make()
    loop = small_loop() if machine.name == "toy" else flash_attention_forward(machine)
    _checksequential_schedule(loop, machine)


# ----------------------------------------------------------------- presets
def test_hopper_flash_attention_tensor_core_bound():
    machine = hopper()
    loop = flash_attention_forward(machine)
    assert {op.name for op in loop.ops} == {"load_K", "load_V", "S", "P", "O"}
    cycles = FA_FORWARD_CYCLES["hopper"]
    assert cycles.gemm == cycles.exp  # a GEMM tile and an exp tile cost the same
    by_unit = res_mii_by_unit(loop, machine)
    assert by_unit["tensor_core"] == 2 * cycles.gemm == 2
    assert by_unit["exp"] == 1
    problem = pipelining(loop, machine)
    assert problem.cycle.ii_min == 2
    carried = [p for p in problem.precedences if p.a == p.b]
    assert [(problem.tasks[p.a].name, p.distance) for p in carried] == [("O", 1)]
    for task in problem.tasks:
        groups = {m.location for m in task.modes}
        if task.name.startswith("load"):
            assert groups == {"producer"}
        else:
            assert groups == {"consumer0", "consumer1"}


def test_blackwell_flash_attention_exp_bound():
    machine = blackwell()
    loop = flash_attention_forward(machine)
    cycles = FA_FORWARD_CYCLES["blackwell"]
    assert 2 <= cycles.exp / cycles.gemm <= 2.5  # tensor core about twice as fast, exp not
    by_unit = res_mii_by_unit(loop, machine)
    assert by_unit["exp"] > by_unit["tensor_core"]
    problem = pipelining(loop, machine)
    assert problem.cycle.ii_min == by_unit["exp"] == cycles.exp
    assert problem.meta["rec_mii"] < problem.cycle.ii_min
    p_modes = problem.tasks[problem.task_index["P"]].modes
    assert {m.location for m in p_modes} == {"softmax0", "softmax1"}  # 128 registers: softmax groups only
    assert {m.location for m in problem.tasks[problem.task_index["load_K"]].modes} == {"load"}


def test_flash_attention_without_smem_stages_has_fewer_edges():
    machine = hopper()
    assert len(flash_attention_forward(machine).edges) == 7
    assert len(flash_attention_forward(machine, smem_stages=None).edges) == 5


def test_flash_attention_unknown_machine():
    other = Machine("mi300", (Unit("tensor_core"),), (WarpGroup("w", 10),))
    with pytest.raises(ModelError, match=r"machine 'mi300'.*name.*cycles="):
        flash_attention_forward(other)


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    ("loop", "pattern"),
    [
        (Loop((LoopOp("a", 1, (("Z", 0, 1, 1),)),)), r"op 'a', field 'reservations\[0\]\.unit'.*'Z'"),
        (Loop((LoopOp("a", 1, (("A", 0, 0, 1),)),)), r"op 'a', field 'reservations\[0\]\.length'"),
        (Loop((LoopOp("a", 1, (("A", 0, 1, 2),)),)), r"op 'a', field 'reservations'.*capacity is 1"),
        (Loop((LoopOp("a", -1),)), r"op 'a', field 'latency'"),
        (Loop((LoopOp("a", 1, registers=100),)), r"op 'a', field 'warp_groups'.*100 registers"),
        (Loop((LoopOp("a", 1, warp_groups=("nope",)),)), r"op 'a', field 'warp_groups'.*'nope'"),
        (Loop((LoopOp("a", 1), LoopOp("a", 2))), r"op 'a', field 'name'"),
        (Loop((LoopOp("a", 1),), (Edge("a", "b", 1),)), r"edge #0 .*field 'dst'.*'b'"),
        (Loop((LoopOp("a", 1),), (Edge("a", "a", 1),)), r"edge #0 .*field 'distance'"),
        (
            Loop((LoopOp("a", 1), LoopOp("b", 1)), (Edge("a", "b", 1), Edge("b", "a", 0))),
            r"loop 'toy', field 'edges'.*cycle",
        ),
    ],
)
def test_bad_loops_raise_model_errors(loop, pattern):
    loop = Loop(loop.ops, loop.edges, name="toy")
    with pytest.raises(ModelError, match=pattern):
        pipelining(loop, small_machine())


def test_variable_latency_op_needs_a_producer():
    machine = Machine("m", (Unit("A"),), (WarpGroup("w", 10),))
    with pytest.raises(ModelError, match=r"op 'ld', field 'warp_groups'.*producer"):
        pipelining(Loop((LoopOp("ld", 1, variable_latency=True),)), machine)


def test_producer_groups_are_dedicated_unless_listed():
    machine = Machine("m", (Unit("A"),), (WarpGroup("p", 10, producer=True), WarpGroup("w", 10)))
    loop = Loop((LoopOp("a", 1), LoopOp("b", 1, warp_groups=("p", "w"))))
    problem = pipelining(loop, machine)
    assert [m.location for m in problem.tasks[0].modes] == ["w"]
    assert [m.location for m in problem.tasks[1].modes] == ["p", "w"]


def test_bad_machine_raises_model_error():
    machine = Machine("m", (Unit("A", 0),), (WarpGroup("w", 10),))
    with pytest.raises(ModelError, match=r"unit 'A', field 'capacity'"):
        pipelining(Loop((LoopOp("a", 1),)), machine)


# ------------------------------------------------------------ read_schedule
def test_read_schedule_stage_and_slot():
    problem = pipelining(small_loop(), small_machine())
    # tasks: ld, x, y, z; y in its second mode (w1)
    solution = Solution.from_lists(starts=[0, 4, 7, 9], modes=[0, 0, 1, 0], ii=5)
    schedule = read_schedule(problem, solution)
    assert {name: (s.warp_group, s.issue, s.stage, s.slot) for name, s in schedule.items()} == {
        "ld": ("prod", 0, 0, 0),
        "x": ("w0", 4, 0, 4),
        "y": ("w1", 7, 1, 2),
        "z": ("w1", 9, 1, 4),
    }
    with pytest.raises(ValueError, match="initiation interval"):
        read_schedule(problem, Solution.from_lists(starts=[0, 4, 7, 9]))


def test_rec_mii_rejects_zero_distance_cycles():
    loop = Loop((LoopOp("a", 1), LoopOp("b", 1)), (Edge("a", "b", 2), Edge("b", "a", 3)), name="bad")
    with pytest.raises(ModelError, match=r"loop 'bad', field 'edges'.*a -> b"):
        rec_mii(loop)
