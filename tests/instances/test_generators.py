"""Seeded generators: deterministic, sensitive to the seed, and faithful to their parameters."""

import math
import time
from fractions import Fraction

import pytest

from schedkit.instances import (
    layered_rcpsp,
    potts_vanwassenhove,
    random_jobshop,
    sd2_fjsp,
    tardiness_classes,
)
from schedkit.models import ResourceKind, load_problem, save_problem

GENERATORS = {
    "rcpsp": lambda seed: layered_rcpsp(
        25,
        3,
        seed,
        difficulty=5,
        downtime_probability=0.75,
        window_probability=0.75,
        disjunctive_probability=0.75,
    ),
    "tardiness": lambda seed: potts_vanwassenhove(30, 0.6, 0.4, seed=seed),
    "jobshop": lambda seed: random_jobshop(6, 4, seed=seed),
    "fjsp": lambda seed: sd2_fjsp(5, 4, 6, seed=seed),
}


@pytest.mark.parametrize("family", sorted(GENERATORS))
def test_deterministic_and_seed_sensitive(family):
    make = GENERATORS[family]
    first, again, other = make(1), make(1), make(2)
    assert first == again
    assert first.meta == again.meta
    assert first != other


@pytest.mark.parametrize("family", sorted(GENERATORS))
def test_json_round_trip(tmp_path, family):
    problem = GENERATORS[family](3)
    save_problem(problem, tmp_path / "p.json")
    assert load_problem(tmp_path / "p.json") == problem


# --------------------------------------------------------------------- RCPSP
def reaches(successors, a, b):
    stack, seen = [a], set()
    while stack:
        node = stack.pop()
        for nxt in successors.get(node, ()):
            if nxt == b:
                return True
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def test_rcpsp_sizes_ranges_and_layers():
    problem = layered_rcpsp(40, 3, seed=5, duration_range=(2, 7), demand_range=(1, 4), num_layers=6)
    assert problem.num_tasks == 40 and problem.family == "rcpsp"
    assert [r.kind for r in problem.resources] == [ResourceKind.RENEWABLE] * 3
    layer = problem.meta["layers"]
    assert sorted(set(layer)) == list(range(6)) and layer == sorted(layer)
    for task in problem.tasks:
        mode = task.modes[0]
        assert 2 <= mode.duration <= 7
        assert all(1 <= d.amount <= 4 for d in mode.demands)
    for prec in problem.precedences:
        assert layer[prec.a] < layer[prec.b]
    assert not problem.disjunctive_pairs
    assert all(not r.calendar for r in problem.resources)
    assert all(t.release == 0 and t.deadline is None for t in problem.tasks)


@pytest.mark.parametrize("k", [0, 1, 7, 25])
def test_difficulty_adds_exactly_k_non_redundant_arcs(k):
    problem = layered_rcpsp(30, 2, seed=11, difficulty=k)
    extra = [tuple(arc) for arc in problem.meta["difficulty_arcs"]]
    assert len(extra) == k and len(set(extra)) == k
    arcs = [(p.a, p.b) for p in problem.precedences]
    assert len(arcs) == problem.meta["base_arcs"] + k
    layer = problem.meta["layers"]
    successors = {}
    for a, b in arcs:
        if (a, b) not in extra:
            successors.setdefault(a, set()).add(b)
    for a, b in extra:  # replay in order: no path may already imply the arc
        assert layer[a] < layer[b]
        assert not reaches(successors, a, b), (a, b)
        successors.setdefault(a, set()).add(b)


def test_difficulty_alone_gives_exactly_k_arcs_and_too_many_is_an_error():
    problem = layered_rcpsp(12, 1, seed=2, density=0.0, difficulty=6)
    assert len(problem.precedences) == 6
    with pytest.raises(ValueError, match="difficulty 100 is too high"):
        layered_rcpsp(6, 1, seed=2, density=0.0, difficulty=100)


def witness_violations(problem):
    """An independent check that meta['witness_starts'] is a feasible schedule."""
    starts = problem.meta["witness_starts"]
    ends = [s + t.modes[0].duration for s, t in zip(starts, problem.tasks)]
    problems = []
    for p in problem.precedences:
        if ends[p.a] + p.lag > starts[p.b]:
            problems.append(f"precedence {p.a}->{p.b}")
    for i, task in enumerate(problem.tasks):
        if starts[i] < task.release or (task.deadline is not None and ends[i] > task.deadline):
            problems.append(f"window of {i}")
    for pair in problem.disjunctive_pairs:
        if starts[pair.a] < ends[pair.b] and starts[pair.b] < ends[pair.a]:
            problems.append(f"disjunctive {pair.a},{pair.b}")
    for r, res in enumerate(problem.resources):
        for t in range(max(ends) + 1):
            cap = next((w.capacity for w in res.calendar if w.start <= t < w.end), res.capacity)
            use = sum(
                d.amount
                for i, task in enumerate(problem.tasks)
                for d in task.modes[0].demands
                if d.resource == r and starts[i] <= t < ends[i]
            )
            if use > cap:
                problems.append(f"resource {r} at {t}: {use} > {cap}")
    return problems


@pytest.mark.parametrize("seed", range(8))
def test_extras_with_probability_one_are_everywhere_and_stay_feasible(seed):
    problem = layered_rcpsp(
        20,
        3,
        seed=seed,
        difficulty=4,
        demand_probability=0.8,
        resource_strength=0.2,
        downtime_probability=1.0,
        window_probability=1.0,
        disjunctive_probability=1.0,
    )
    assert all(len(r.calendar) == 1 and r.calendar[0].capacity == 0 for r in problem.resources)
    assert all(t.deadline is not None for t in problem.tasks)
    assert problem.disjunctive_pairs
    assert witness_violations(problem) == []


def test_extras_probability_is_respected_on_average():
    tasks_with_window = total_tasks = 0
    for seed in range(20):
        problem = layered_rcpsp(30, 2, seed=seed, window_probability=0.25)
        tasks_with_window += sum(t.deadline is not None for t in problem.tasks)
        total_tasks += problem.num_tasks
    assert 0.15 < tasks_with_window / total_tasks < 0.35


def test_resource_strength_one_makes_the_earliest_start_schedule_fit():
    problem = layered_rcpsp(30, 3, seed=4, resource_strength=1.0)
    starts = [0] * problem.num_tasks
    for p in sorted(problem.precedences, key=lambda p: p.b):
        starts[p.b] = max(starts[p.b], starts[p.a] + problem.tasks[p.a].modes[0].duration)
    horizon = max(s + t.modes[0].duration for s, t in zip(starts, problem.tasks))
    for r, res in enumerate(problem.resources):
        for t in range(horizon):
            use = sum(
                d.amount
                for i, task in enumerate(problem.tasks)
                for d in task.modes[0].demands
                if d.resource == r and starts[i] <= t < starts[i] + task.modes[0].duration
            )
            assert use <= res.capacity


def test_rcpsp_rejects_bad_parameters():
    with pytest.raises(ValueError, match="density"):
        layered_rcpsp(10, 1, density=1.5)
    with pytest.raises(ValueError, match="num_layers"):
        layered_rcpsp(10, 1, num_layers=11)
    with pytest.raises(ValueError, match="demand_range"):
        layered_rcpsp(10, 1, demand_range=(0, 3))


# ---------------------------------------------------------------- tardiness
@pytest.mark.parametrize("tf, rdd", [(0.2, 0.2), (0.6, 0.4), (1.0, 1.0), (0.8, 0.6)])
def test_potts_vanwassenhove_ranges(tf, rdd):
    problem = potts_vanwassenhove(100, tf, rdd, seed=7)
    p = [t.modes[0].duration for t in problem.tasks]
    assert all(1 <= x <= 100 for x in p)
    assert all(1 <= t.weight <= 10 for t in problem.tasks)
    total = sum(p)
    low = math.ceil(total * (1 - Fraction(str(tf)) - Fraction(str(rdd)) / 2))
    high = math.floor(total * (1 - Fraction(str(tf)) + Fraction(str(rdd)) / 2))
    for task in problem.tasks:
        assert task.due_date >= 0
        assert max(0, low) <= task.due_date <= max(0, high)
    assert problem.meta["weighted"] is True
    assert problem.meta["generator"]["tf"] == tf


def test_unweighted_tardiness():
    problem = potts_vanwassenhove(20, 0.4, 0.2, seed=1, weighted=False)
    assert all(t.weight == 1 for t in problem.tasks)
    assert problem.meta["weighted"] is False


def test_tardiness_classes_grid():
    problems = list(tardiness_classes(10, per_class=2, seed=3))
    assert len(problems) == 50
    assert len({p.name for p in problems}) == 50
    assert problems[0].meta["generator"]["tf"] == 0.2 and problems[0].meta["generator"]["rdd"] == 0.2
    assert problems[-1].meta["generator"]["tf"] == 1.0 and problems[-1].meta["generator"]["rdd"] == 1.0
    again = list(tardiness_classes(10, per_class=2, seed=3))
    assert problems == again
    # Any instance of the grid can be regenerated alone from its recorded seed.
    meta = problems[17].meta["generator"]
    alone = potts_vanwassenhove(10, meta["tf"], meta["rdd"], seed=meta["seed"], name=problems[17].name)
    assert alone == problems[17]


# ----------------------------------------------------------------- job shops
def test_random_jobshop_parameters():
    problem = random_jobshop(7, 5, seed=4, duration_range=(10, 20))
    assert problem.num_tasks == 35 and problem.meta["num_machines"] == 5
    for job in problem.meta["jobs"]:
        machines = [problem.tasks[t].modes[0].demands[0].resource for t in job]
        assert sorted(machines) == list(range(5))
        assert all(10 <= problem.tasks[t].modes[0].duration <= 20 for t in job)


def test_sd2_fjsp_default_size_and_structure():
    problem = sd2_fjsp(seed=0)
    assert problem.num_tasks == 600 and problem.num_resources == 10
    assert len(problem.meta["jobs"]) == 20 and all(len(job) == 30 for job in problem.meta["jobs"])
    counts = set()
    for task in problem.tasks:
        machines = [m.demands[0].resource for m in task.modes]
        assert 1 <= len(machines) <= 10 and len(set(machines)) == len(machines)
        assert all(1 <= m.duration <= 99 for m in task.modes)
        counts.add(len(machines))
    assert counts == set(range(1, 11))  # U{1..m} eligible machines: every count occurs in 600 draws


def test_sd2_fjsp_scales_to_thousands_of_operations():
    start = time.perf_counter()
    problem = sd2_fjsp(50, 20, 60, seed=1)
    assert problem.num_tasks == 3000
    assert time.perf_counter() - start < 5.0
