"""Live ranges (``Demand.until``) and transfer demands: validation, JSON, the checker, CP-SAT against enumeration.

A live range holds a resource from its producer's start until the last read
of its readers; it is the construct behind liveness-based register, shared
memory and tensor-memory pressure in software pipelining. A precedence's
``transfer_demands`` are held only when its two tasks run at different
locations (a value copied between warp groups through a buffer).
"""

from __future__ import annotations

import dataclasses
import json
import random

import pytest

from schedkit.models import Demand, Model, ModelError, ProblemData, Reader, Solution, problem_from_dict, problem_to_dict
from schedkit.solvers import Status, check, solve
from schedkit.solvers.capabilities import features, missing
from tests.brute_force import brute_force


def _chain(kind: str = "modulo", capacity: int = 4, distance: int = 1) -> ProblemData:
    """a -> b -> c on one unit; a's value (amount 2 of R) is read by b and by c of the next iteration."""
    m = Model("chain")
    unit = m.add_resource("U", "modulo" if kind == "modulo" else "unary", 1)
    reg = m.add_resource("R", kind, capacity)
    a, b, c = (m.add_task(name) for name in "abc")
    m.add_mode(
        a, 1, [Demand(unit, 1), m.live_range(reg, 2, [b, (c, distance if kind == "modulo" else 0, 0)], length=0)]
    )
    m.add_mode(b, 1, {unit: 1})
    m.add_mode(c, 1, {unit: 1})
    m.add_precedence(a, b, "start_to_start", lag=1)
    m.add_precedence(b, c, "start_to_start", lag=1)
    if kind == "modulo":
        m.add_precedence(c, a, "start_to_start", lag=1, distance=1)
        m.set_cycle(1, 8)
        m.minimize("initiation_interval")
        m.minimize("schedule_length")
    else:
        m.minimize("makespan")
    m.set_horizon(12)
    return m.freeze()


def test_live_range_is_a_feature_only_cpsat_compiles() -> None:
    problem = _chain()
    assert "live_range" in features(problem)
    assert missing(problem, "cpsat") == []
    assert "live_range" in missing(problem, "modulo")


def test_checker_measures_the_range_until_the_last_reader() -> None:
    problem = _chain(capacity=4)
    # II = 3: a at 0, b at 1, c at 2; a's value lives [0, 2 + 3) = 5 cycles: residues 0, 1 twice (4), 2 once.
    assert check(problem, Solution.from_lists([0, 1, 2], ii=3)) == []
    tight = _chain(capacity=3)
    violations = check(tight, Solution.from_lists([0, 1, 2], ii=3))
    assert [(v.kind, v.resource, v.time) for v in violations] == [("modulo", "R", 0)]
    assert "usage 4 > capacity 3" in violations[0].message


def test_checker_live_range_on_a_renewable_resource() -> None:
    m = Model("renewable")
    reg = m.add_resource("R", "renewable", 3)
    a, b, c = (m.add_task(name) for name in "abc")
    m.add_mode(a, 1, [m.live_range(reg, 2, [c])])  # a's value lives from a's start until c starts
    m.add_mode(b, 1, {reg: 1})
    m.add_mode(c, 1)
    m.set_horizon(8)
    m.minimize("makespan")
    problem = m.freeze()
    assert check(problem, Solution.from_lists([0, 1, 1])) == []  # [0, 1) holds 2, b at 1 holds 1
    assert check(problem, Solution.from_lists([0, 4, 7])) == []  # 2 + 1 = 3 on [4, 5)
    assert check(problem, Solution.from_lists([2, 0, 1])) == []  # c before a: the range is a's duration
    violations = check(problem, Solution.from_lists([0, 1, 1], modes=None))
    assert violations == []
    tight = dataclasses.replace(problem, resources=(dataclasses.replace(problem.resources[0], capacity=2),))
    assert [(v.kind, v.time) for v in check(tight, Solution.from_lists([0, 4, 7]))] == [("capacity", 4)]


def test_absent_readers_read_nothing() -> None:
    m = Model("optional reader")
    reg = m.add_resource("R", "renewable", 1)
    other = m.add_resource("S", "renewable", 1)
    a = m.add_task("a")
    b = m.add_task("b", optional=True)
    z = m.add_task("z")
    m.add_mode(a, 1, [m.live_range(reg, 1, [b])])
    m.add_mode(b, 1)
    m.add_mode(z, 1, [Demand(reg, 1), Demand(other, 1)])
    m.set_horizon(6)
    m.minimize("makespan")
    problem = m.freeze()
    absent = Solution.from_lists([0, None, 2], present=[True, False, True])
    assert check(problem, absent) == []
    present = Solution.from_lists([0, 4, 2])
    assert [v.kind for v in check(problem, present)] == ["capacity"]  # a's value lives [0, 4) over z at 2


def test_live_range_round_trips_through_json() -> None:
    problem = _chain()
    data = json.loads(json.dumps(problem_to_dict(problem)))
    assert data["tasks"][0]["modes"][0]["demands"][1]["until"] == [{"task": 1}, {"task": 2, "distance": 1}]
    assert problem_from_dict(data) == problem


def test_malformed_reader_in_json_is_named() -> None:
    data = problem_to_dict(_chain())
    data["tasks"][0]["modes"][0]["demands"][1]["until"][0] = {"tsk": 1}
    with pytest.raises(ModelError, match=r"tasks\[0\]\.modes\[0\]\.demands\[1\]\.until\[0\].*missing key"):
        problem_from_dict(data, source="p.json")


@pytest.mark.parametrize(
    ("until", "pattern"),
    [
        ((Reader(9),), r"until\[0\]\.task.*unknown task index 9"),
        ((Reader(1, -1),), r"until\[0\]\.distance.*>= 0"),
        ((Reader(1, 1),), r"until\[0\]\.distance.*needs a cycle"),
        ([Reader(1)], r"until.*must be a tuple"),
    ],
)
def test_validation_names_the_reader(until: object, pattern: str) -> None:
    m = Model("bad")
    reg = m.add_resource("R", "renewable", 2)
    a = m.add_task("a")
    b = m.add_task("b", duration=1)
    m.add_mode(a, 1, [Demand(reg, 1, until=until)])  # type: ignore[arg-type]
    assert b == 1
    with pytest.raises(ModelError, match=pattern):
        m.freeze()


def test_live_range_needs_a_timed_resource() -> None:
    m = Model("bin")
    bin_ = m.add_resource("B", "bin", 2)
    a = m.add_task("a")
    m.add_task("b", duration=1)
    m.add_mode(a, 1, [Demand(bin_, 1, until=(Reader(1),))])
    with pytest.raises(ModelError, match=r"until.*timed resource, not a bin"):
        m.freeze()


def _transfer(buffer: int = 2) -> ProblemData:
    """a -> b on two locations; crossing holds ``buffer`` of B from a's end until b starts (a live range)."""
    m = Model("transfer")
    buf = m.add_resource("B", "renewable", 2)
    a, b, z = (m.add_task(name) for name in "abz")
    for task in (a, b):
        m.add_mode(task, 2, location="x")
        m.add_mode(task, 2, location="y")
    m.add_mode(z, 1, {buf: 1})
    m.add_precedence(
        a, b, transfer_lag=1, transfer_demands=[Demand(buf, buffer, offset=2, length=0, until=(Reader(b),))]
    )
    m.set_horizon(10)
    m.minimize("makespan")
    return m.freeze()


def test_transfer_demands_count_only_across_locations() -> None:
    problem = _transfer()
    assert "transfer_demand" in features(problem) and missing(problem, "cpsat") == []
    same = Solution.from_lists([0, 2, 2], modes=[0, 0, 0])
    assert check(problem, same) == []  # same location: no transfer, z may overlap
    across = Solution.from_lists([0, 3, 2], modes=[0, 1, 0])
    violations = check(problem, across)  # the buffer [2, 3) holds 2, z adds 1 at 2
    assert [(v.kind, v.resource, v.time) for v in violations] == [("capacity", "B", 2)]
    assert check(problem, Solution.from_lists([0, 3, 5], modes=[0, 1, 0])) == []
    result = solve(problem, time_limit=10, threads=1)
    assert result.status == Status.OPTIMAL and result.objective == 4  # stays on one location


def test_transfer_demands_round_trip_and_validation() -> None:
    problem = _transfer()
    data = json.loads(json.dumps(problem_to_dict(problem)))
    assert data["precedences"][0]["transfer_demands"] == [
        {"resource": 0, "amount": 2, "offset": 2, "length": 0, "until": [{"task": 1}]}
    ]
    assert problem_from_dict(data) == problem
    m = Model("bad")
    buf = m.add_resource("B", "renewable", 2)
    a, b = m.add_task("a", duration=1), m.add_task("b", duration=1)
    m.add_precedence(a, b, transfer_demands=[Demand(buf, 1)])  # no explicit length
    with pytest.raises(ModelError, match=r"transfer_demands\[0\]\.length.*integer"):
        m.freeze()


def _random_live_range_problem(seed: int) -> ProblemData:
    """Three ops on a modulo unit (or a unary machine), one or two live ranges on a small resource."""
    rng = random.Random(seed)
    cyclic = rng.random() < 0.6
    m = Model(f"lr{seed}")
    unit = m.add_resource("U", "modulo" if cyclic else "unary", 1)
    kind = "modulo" if cyclic else rng.choice(["renewable", "unary"])
    capacity = 1 if kind == "unary" else rng.randint(1, 3)
    reg = m.add_resource("R", kind, capacity)
    tasks = [m.add_task(f"t{k}") for k in range(3)]
    two_places = rng.random() < 0.4
    for k in tasks:
        demands: list[Demand] = [Demand(unit, 1)] if rng.random() < 0.7 else []
        if rng.random() < 0.6:
            readers = [(j, rng.choice([0, 1]) if cyclic else 0, rng.randint(0, 1)) for j in tasks if rng.random() < 0.5]
            amount = rng.randint(1, min(2, capacity))
            demands.append(m.live_range(reg, amount, readers, length=rng.choice([0, None])))
        duration = rng.randint(1, 2)
        m.add_mode(k, duration, demands, location="x")
        if two_places and rng.random() < 0.7:
            m.add_mode(k, duration, demands, location="y")
    for k in range(2):
        if rng.random() < 0.7:
            transfer: list[Demand] = []
            if two_places and rng.random() < 0.7:
                until = (Reader(tasks[k + 1]),) if rng.random() < 0.5 else ()
                transfer.append(Demand(reg, 1, rng.randint(0, 1), rng.randint(0, 1), until))
            m.add_precedence(tasks[k], tasks[k + 1], "start_to_start", lag=rng.randint(0, 2), transfer_demands=transfer)
    if cyclic:
        m.add_precedence(tasks[2], tasks[0], "start_to_start", lag=1, distance=1)
        m.set_cycle(1, 4)
        m.minimize("initiation_interval")
        m.minimize("schedule_length")
    else:
        m.minimize("makespan")
    m.set_horizon(5)
    return m.freeze()


PROBLEMS = [_random_live_range_problem(seed) for seed in range(60)]


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
def test_cpsat_matches_enumeration_with_live_ranges(problem: ProblemData) -> None:
    best, witness, _ = brute_force(problem)
    result = solve(problem, time_limit=20, threads=1)
    if best is None:
        assert result.status == Status.INFEASIBLE, result
        return
    assert result.status == Status.OPTIMAL, result
    assert check(problem, result.solution) == []
    assert result.objectives == best
    hinted = solve(problem, time_limit=20, threads=1, warm_start=witness)
    assert hinted.stats["hint_complete"], hinted.stats
    assert "complete and is feasible" in hinted.stats["hint_log"], hinted.stats["hint_log"]


def test_the_random_problems_exercise_live_ranges() -> None:
    used = [p for p in PROBLEMS if "live_range" in features(p)]
    assert len(used) >= 25
    assert sum(p.cycle is not None for p in used) >= 10
    assert sum(brute_force(p)[0] is None for p in used) >= 3  # some are infeasible because of the ranges
    assert sum("transfer_demand" in features(p) for p in PROBLEMS) >= 10
