"""Exact single-machine tardiness (solvers.exact_tardiness): brute force, the checker, wt40 optima, n = 100."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest

from schedkit.instances import read
from schedkit.instances.generators.tardiness import potts_vanwassenhove
from schedkit.models import Model, ProblemData
from schedkit.models.tardiness import tardiness
from schedkit.solvers import certify, check, evaluate
from schedkit.solvers.certify import EXTRA_SOURCES
from schedkit.solvers.exact_tardiness import (
    UnsupportedTardiness,
    exact_tardiness_bound,
    solve_exact_tardiness,
    tardiness_instance,
    to_solution,
)
from schedkit.solvers.exact_tardiness.deadline import Deadline
from schedkit.solvers.exact_tardiness.heuristic import sequence_cost
from schedkit.solvers.exact_tardiness.lagrangian import AdjacentRelaxation
from schedkit.solvers.exact_tardiness.lawler import solve_unweighted
from schedkit.solvers.exact_tardiness.weighted import solve_weighted


def _brute_force(problem: ProblemData) -> int:
    """Least objective over all task permutations, left-justified, computed from the task data."""
    best = None
    for order in itertools.permutations(range(problem.num_tasks)):
        time = total = 0
        for j in order:
            task = problem.tasks[j]
            time += task.modes[0].duration
            total += task.weight * max(0, time - task.due_date)
        best = total if best is None else min(best, total)
    return best or 0


def _random_tardiness(rng: random.Random, weighted: bool) -> ProblemData:
    n = rng.randint(1, 7) if rng.random() < 0.85 else 8
    top = rng.choice([3, 5, 10, 30])
    p = [rng.randint(1, top) for _ in range(n)]
    total = sum(p)
    style = rng.random()
    if style < 0.5:
        d = [rng.randint(0, total) for _ in range(n)]
    elif style < 0.8:
        d = [rng.randint(0, 6) for _ in range(n)]  # many ties, most jobs tardy
    else:
        d = [rng.randint(-3, total // 2) for _ in range(n)]
    w = [rng.randint(1, rng.choice([2, 10])) for _ in range(n)] if weighted else None
    return tardiness(p, d, w)


def _assert_certified(problem: ProblemData, optimum: int, time_limit: float | None = None) -> None:
    certificate = solve_exact_tardiness(problem, time_limit=time_limit)
    assert certificate.proven, certificate
    assert certificate.optimum == certificate.lower_bound == certificate.upper_bound == optimum
    solution = to_solution(problem, certificate.sequence)
    assert check(problem, solution) == []
    assert evaluate(problem, solution)[0] == optimum


@pytest.mark.parametrize("weighted", [False, True])
def test_tiny_instances_match_brute_force(weighted: bool) -> None:
    rng = random.Random(2024 + weighted)
    for _ in range(40):
        problem = _random_tardiness(rng, weighted)
        _assert_certified(problem, _brute_force(problem))


def test_lawler_recursion_on_many_tiny_instances() -> None:
    rng = random.Random(7)
    for _ in range(300):
        n = rng.randint(1, 6)
        p = [rng.randint(1, rng.choice([2, 4, 100])) for _ in range(n)]
        d = [rng.randint(-2, sum(p)) if rng.random() < 0.6 else rng.randint(0, 5) for _ in range(n)]
        found = solve_unweighted(p, d)
        best = min(sequence_cost(p, d, [1] * n, order) for order in itertools.permutations(range(n)))
        assert found.value == best == sequence_cost(p, d, [1] * n, found.order)


@pytest.mark.parametrize("seed", range(3))
def test_weighted_method_agrees_with_lawler_beyond_brute_force(seed: int) -> None:
    """Two independent exact methods on 25-job unweighted instances."""
    problem = potts_vanwassenhove(25, 0.6, 0.2 + 0.2 * seed, seed=seed, weighted=False)
    p = [task.modes[0].duration for task in problem.tasks]
    d = [task.due_date for task in problem.tasks]
    lawler = solve_unweighted(p, d)
    weighted = solve_weighted(p, d, [1] * len(p), Deadline(30))
    assert weighted.proven
    assert weighted.cost == weighted.bound == lawler.value


def test_lagrangian_bound_is_below_the_optimum_for_any_multipliers() -> None:
    rng = random.Random(3)
    for _ in range(60):
        n = rng.randint(2, 6)
        p = sorted(rng.randint(1, 6) for _ in range(n))  # numbered in (p, -w, d) order, as the weighted method does
        d = [rng.randint(0, sum(p)) for _ in range(n)]
        w = [rng.randint(1, 5) for _ in range(n)]
        best = min(sequence_cost(p, d, w, order) for order in itertools.permutations(range(n)))
        relaxation = AdjacentRelaxation(p, d, w)
        for _ in range(3):
            multipliers = np.round(np.array([rng.uniform(-20, 40) for _ in range(n)]) * 1024) / 1024
            value, path = relaxation.forward(multipliers)
            assert value <= best
            assert sum(p[j] for j in path) == sum(p)


def test_zero_durations_zero_weights_and_term_weights() -> None:
    rng = random.Random(5)
    for _ in range(15):
        model = Model("mixed")
        machine = model.add_machine("m")
        n = rng.randint(2, 6)
        for j in range(n):
            model.add_task(
                f"j{j}",
                duration=rng.choice([0, 1, 3, 5]),
                demands={machine: 1},
                due_date=rng.choice([None, -1, 0, 4, 9]),
                weight=rng.choice([0, 1, 2]),
            )
        subset = [j for j in range(n) if rng.random() < 0.6]
        model.minimize(("total_weighted_tardiness", 2), ("total_weighted_tardiness", 3, subset))
        problem = model.freeze()
        best = min(
            evaluate(problem, to_solution(problem, list(order)))[0] for order in itertools.permutations(range(n))
        )
        _assert_certified(problem, best)


def test_unsupported_problems_are_refused() -> None:
    released = tardiness([2, 3], [2, 3], release_dates=[0, 1])
    with pytest.raises(UnsupportedTardiness, match="release"):
        solve_exact_tardiness(released)
    assert exact_tardiness_bound(released) is None
    model = Model("two machines")
    a, b = model.add_machine("a"), model.add_machine("b")
    model.add_task("x", duration=2, demands={a: 1}, due_date=1)
    model.add_task("y", duration=2, demands={b: 1}, due_date=1)
    model.minimize("total_weighted_tardiness")
    with pytest.raises(UnsupportedTardiness, match="one machine"):
        tardiness_instance(model.freeze())
    model = Model("precedence")
    m = model.add_machine("m")
    x = model.add_task("x", duration=2, demands={m: 1}, due_date=1)
    y = model.add_task("y", duration=2, demands={m: 1}, due_date=1)
    model.add_precedence(x, y)
    model.minimize("total_weighted_tardiness")
    with pytest.raises(UnsupportedTardiness, match="precedences"):
        tardiness_instance(model.freeze())
    model = Model("optional")
    m = model.add_machine("m")
    model.add_task("x", duration=2, demands={m: 1}, due_date=1, optional=True)
    model.minimize("total_weighted_tardiness")
    with pytest.raises(UnsupportedTardiness, match="optional"):
        tardiness_instance(model.freeze())
    model = Model("makespan")
    m = model.add_machine("m")
    model.add_task("x", duration=2, demands={m: 1}, due_date=1)
    model.minimize("makespan")
    with pytest.raises(UnsupportedTardiness, match="makespan"):
        tardiness_instance(model.freeze())


@pytest.mark.parametrize(("tf", "rdd"), [(0.4, 0.2), (0.6, 0.2), (0.6, 0.6), (0.8, 0.2), (1.0, 0.4)])
def test_unweighted_100_jobs_proven_quickly(tf: float, rdd: float) -> None:
    problem = potts_vanwassenhove(100, tf, rdd, seed=11, weighted=False)
    certificate = solve_exact_tardiness(problem, time_limit=10)
    assert certificate.proven and certificate.seconds < 5, certificate.seconds
    solution = to_solution(problem, certificate.sequence)
    assert check(problem, solution) == []
    assert evaluate(problem, solution)[0] == certificate.optimum


def test_time_limit_gives_a_valid_bound_and_schedule() -> None:
    problem = potts_vanwassenhove(300, 0.6, 0.2, seed=0, weighted=False)
    certificate = solve_exact_tardiness(problem, time_limit=0.3)
    assert not certificate.proven and certificate.optimum is None
    solution = to_solution(problem, certificate.sequence)
    assert check(problem, solution) == []
    assert 0 < certificate.lower_bound <= evaluate(problem, solution)[0] == certificate.upper_bound


def test_weighted_beyond_63_jobs_returns_a_valid_unproven_answer() -> None:
    problem = potts_vanwassenhove(70, 0.6, 0.4, seed=1, weighted=True)
    certificate = solve_exact_tardiness(problem, time_limit=10)
    solution = to_solution(problem, certificate.sequence)
    assert check(problem, solution) == []
    assert certificate.lower_bound <= evaluate(problem, solution)[0] == certificate.upper_bound
    assert certificate.proven == (certificate.lower_bound == certificate.upper_bound)
    with pytest.raises(ValueError, match="each of the 70 task indices once"):
        to_solution(problem, certificate.sequence[:-1])


def test_certify_source(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = potts_vanwassenhove(30, 0.6, 0.4, seed=3, weighted=False)
    certificate = solve_exact_tardiness(problem)
    bound = exact_tardiness_bound(problem, 10)
    assert bound is not None and bound.value == certificate.optimum and bound.source == "exact_tardiness"
    monkeypatch.setitem(EXTRA_SOURCES, "exact_tardiness", exact_tardiness_bound)
    report = certify(problem, to_solution(problem, certificate.sequence), sources=["exact_tardiness"])
    assert report.optimal and report.bound_source == "exact_tardiness"


@pytest.mark.parametrize("index", [0, 2, 12, 60])
def test_wt40_optima(benchmarks: Path, index: int) -> None:
    folder = benchmarks / "smtt"
    optima = [int(value) for value in (folder / "wtopt40.txt").read_text().split()]
    _assert_certified(read(folder / "wt40.txt", index=index), optima[index], time_limit=60)
