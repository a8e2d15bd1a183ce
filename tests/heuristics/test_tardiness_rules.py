"""Single-machine tardiness heuristics: feasibility, objective, optimality special cases, challengers, speed."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import numpy as np
import pytest

from schedkit.heuristics.tardiness import (
    ORDERS,
    RULES,
    JobArrays,
    challenge,
    edd_order,
    job_arrays,
    mdd_order,
    move_deltas,
    schedule,
    sequence_of,
    total_weighted_tardiness,
)
from schedkit.instances.generators.tardiness import potts_vanwassenhove
from schedkit.models import Model, ProblemData
from schedkit.models.tardiness import tardiness
from schedkit.solvers import check, evaluate


def _random_problem(
    n: int, seed: int, weighted: bool, releases: bool, tf: float = 0.6, rdd: float = 0.6
) -> ProblemData:
    """A Potts & Van Wassenhove instance, with releases r_j ~ U{0..P/2} when asked."""
    base = potts_vanwassenhove(n, tf, rdd, seed=seed, weighted=weighted)
    if not releases:
        return base
    jobs = job_arrays(base)
    rng = np.random.default_rng(seed + 7919)
    r = rng.integers(0, max(1, int(jobs.p.sum()) // 2), size=n, endpoint=True)
    weights = jobs.w.tolist() if weighted else None
    return tardiness(jobs.p.tolist(), jobs.d.tolist(), weights, name=f"{base.name}_r", release_dates=r.tolist())


def _twt(problem: ProblemData, order: np.ndarray | list[int]) -> int:
    jobs = job_arrays(problem)
    return total_weighted_tardiness(jobs.p, jobs.d, jobs.w, order, jobs.r)


def _brute_force(problem: ProblemData) -> int:
    """Optimum over all permutations (left-justified schedules dominate for a regular objective)."""
    jobs = job_arrays(problem)
    perms = np.array(list(itertools.permutations(range(jobs.n))), dtype=np.int64)
    p, r = jobs.p[perms], jobs.r[perms]
    prefix = np.cumsum(p, axis=1)
    completion = prefix + np.maximum.accumulate(r - (prefix - p), axis=1)
    values = (jobs.w[perms] * np.maximum(completion - jobs.d[perms], 0)).sum(axis=1)
    return int(values.min())


CASES = [
    (n, seed, weighted, releases)
    for n in (1, 2, 7, 25)
    for seed in (0, 1)
    for weighted in (False, True)
    for releases in (False, True)
]


@pytest.mark.parametrize("name", sorted(RULES))
def test_rule_is_feasible_and_its_objective_is_the_vectorised_twt(name: str) -> None:
    for n, seed, weighted, releases in CASES:
        problem = _random_problem(n, seed, weighted, releases)
        solution = RULES[name](problem)
        assert check(problem, solution) == [], (name, problem.name)
        order = sequence_of(solution, problem)
        assert evaluate(problem, solution) == (_twt(problem, order),), (name, problem.name)
        # the order-level function gives the same sequence
        assert ORDERS[name](job_arrays(problem)).tolist() == order or n == 1


@pytest.mark.parametrize("name", sorted(RULES))
def test_rules_are_deterministic(name: str) -> None:
    problem = _random_problem(30, 3, weighted=True, releases=False)
    assert RULES[name](problem) == RULES[name](problem)


def test_spt_minimises_total_completion_time() -> None:
    # due dates 0: total tardiness = total completion time (1 || sum C_j), minimised by SPT
    rng = np.random.default_rng(11)
    for _ in range(3):
        p = rng.integers(1, 20, size=6).tolist()
        problem = tardiness(p, [0] * 6)
        best = min(evaluate(problem, schedule(problem, perm))[0] for perm in itertools.permutations(range(6)))
        solution = RULES["spt"](problem)
        assert evaluate(problem, solution)[0] == best == sum(np.cumsum(sorted(p)))


def test_wspt_minimises_weighted_completion_time() -> None:
    rng = np.random.default_rng(12)
    for _ in range(3):
        p = rng.integers(1, 20, size=6).tolist()
        w = rng.integers(1, 10, size=6).tolist()
        problem = tardiness(p, [0] * 6, w)
        best = min(evaluate(problem, schedule(problem, perm))[0] for perm in itertools.permutations(range(6)))
        assert evaluate(problem, RULES["wspt"](problem))[0] == best


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("releases", [False, True])
def test_brute_force_optimum_is_a_lower_bound_of_every_rule(weighted: bool, releases: bool) -> None:
    for seed in range(6):
        n = 4 + seed % 4  # 4..7 jobs
        problem = _random_problem(n, 100 + seed, weighted, releases, tf=0.4 + 0.1 * seed, rdd=0.4)
        optimum = _brute_force(problem)
        for name, rule in RULES.items():
            assert evaluate(problem, rule(problem))[0] >= optimum, (name, problem.name)


def test_challengers_never_worsen_their_construction() -> None:
    for n in (5, 12, 40):
        for seed in range(4):
            for weighted in (False, True):
                for releases in (False, True):
                    problem = _random_problem(n, seed, weighted, releases, tf=0.2 + 0.2 * seed, rdd=0.2 + 0.2 * seed)
                    jobs = job_arrays(problem)
                    assert _twt(problem, ORDERS["eddc"](jobs)) <= _twt(problem, edd_order(jobs))
                    assert _twt(problem, ORDERS["mddc"](jobs)) <= _twt(problem, mdd_order(jobs))


def test_challengers_improve_on_average() -> None:
    problems = [_random_problem(30, seed, True, False, tf=0.6, rdd=0.4) for seed in range(5)]
    for construct, challenger in (("edd", "eddc"), ("mdd", "mddc")):
        before = sum(_twt(p, ORDERS[construct](job_arrays(p))) for p in problems)
        after = sum(_twt(p, ORDERS[challenger](job_arrays(p))) for p in problems)
        assert after < before


@pytest.mark.parametrize("releases", [False, True])
def test_move_deltas_are_exact(releases: bool) -> None:
    rng = np.random.default_rng(5)
    for seed in range(3):
        problem = _random_problem(9, 200 + seed, weighted=True, releases=releases)
        jobs = job_arrays(problem)
        seq = rng.permutation(jobs.n)
        current = _twt(problem, seq)
        for i in range(1, jobs.n):
            deltas = move_deltas(jobs, seq, i)
            assert deltas.shape == (2 * i,)
            for k in range(i):
                inserted = np.concatenate((seq[:k], [seq[i]], seq[k:i], seq[i + 1 :]))
                swapped = seq.copy()
                swapped[k], swapped[i] = seq[i], seq[k]
                assert deltas[k] == _twt(problem, inserted) - current
                assert deltas[i + k] == _twt(problem, swapped) - current


def test_challenge_respects_the_pass_bound() -> None:
    problem = _random_problem(40, 1, weighted=True, releases=False)
    jobs = job_arrays(problem)
    _, passes = challenge(jobs, edd_order(jobs), max_passes=1)
    assert passes == 1
    _, passes = challenge(jobs, edd_order(jobs))
    assert 1 <= passes <= jobs.n


def test_mdd_matches_a_plain_reference() -> None:
    # the vectorised MDD equals the textbook loop: at t pick the least max(t + p_j, d_j), ties by EDD
    for seed in range(5):
        problem = _random_problem(60, seed, weighted=False, releases=False)
        jobs = job_arrays(problem)
        p, d = jobs.p.tolist(), jobs.d.tolist()
        remaining = sorted(range(jobs.n), key=lambda j: (d[j], p[j], j))
        t, order = 0, []
        while remaining:
            j = min(remaining, key=lambda j: max(t + p[j], d[j]))
            remaining.remove(j)
            order.append(j)
            t += p[j]
        assert mdd_order(jobs).tolist() == order


def test_weights_and_releases_are_used() -> None:
    # one job: starts at its release
    problem = tardiness([3], [2], release_dates=[5])
    solution = RULES["mdd"](problem)
    assert solution.starts == [5] and evaluate(problem, solution) == (6,)
    # WSPT follows the weights: the heavy long job goes first
    problem = tardiness([5, 1], [0, 0], [20, 1])
    assert sequence_of(RULES["wspt"](problem), problem) == [0, 1]


def test_general_single_machine_problems() -> None:
    # no due date, zero weight, zero length, a release, a term weight and a term over a subset:
    # the effective weights make the vectorised objective equal the checker's
    model = Model("general")
    machine = model.add_machine("M")
    rng = np.random.default_rng(3)
    for j in range(9):
        model.add_task(
            f"t{j}",
            duration=0 if j == 4 else int(rng.integers(1, 9)),
            demands={machine: 1},
            due_date=None if j == 2 else int(rng.integers(0, 30)),
            weight=0 if j == 5 else int(rng.integers(1, 5)),
            release=int(rng.integers(0, 10)) if j % 3 == 0 else 0,
        )
    model.minimize(("total_weighted_tardiness", 3), ("total_weighted_tardiness", 2, [0, 1, 6]))
    problem = model.freeze()
    optimum = _brute_force(problem)
    for name, rule in RULES.items():
        solution = rule(problem)
        assert check(problem, solution) == [], name
        value = evaluate(problem, solution)[0]
        assert value == _twt(problem, sequence_of(solution, problem)) >= optimum, name
    empty = tardiness([], [])
    for name, rule in RULES.items():
        assert evaluate(empty, rule(empty)) == (0,), name


def _model(**changes: object) -> ProblemData:
    model = Model("m")
    machine = model.add_machine("M")
    a = model.add_task("a", duration=2, demands={machine: 1}, due_date=1)
    b = model.add_task("b", duration=3, demands={machine: 1}, due_date=2)
    if changes.get("precedence"):
        model.add_precedence(a, b)
    if changes.get("second_machine"):
        other = model.add_machine("N")
        model.add_task("c", duration=1, demands={other: 1}, due_date=0)
    model.minimize(changes.get("objective", "total_weighted_tardiness"))  # type: ignore[arg-type]
    return model.freeze()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"precedence": True}, "precedences"),
        ({"second_machine": True}, "2 resources"),
        ({"objective": "makespan"}, "'makespan' term"),
    ],
)
def test_other_problems_are_rejected_with_the_reason(changes: dict[str, object], reason: str) -> None:
    problem = _model(**changes)
    for rule in RULES.values():
        with pytest.raises(ValueError, match=reason):
            rule(problem)


def test_schedule_rejects_a_non_permutation() -> None:
    problem = tardiness([1, 2, 3], [1, 2, 3])
    with pytest.raises(ValueError, match="permutation"):
        schedule(problem, [0, 0, 1])


def test_mdd_is_fast_on_500_jobs() -> None:
    for weighted in (False, True):
        jobs = job_arrays(potts_vanwassenhove(500, 0.6, 0.4, seed=0, weighted=weighted))
        mdd_order(jobs)  # warm up
        seconds = min(_timed(mdd_order, jobs) for _ in range(3))
        print(f"MDD n=500 ({'weighted' if weighted else 'unweighted'}): {seconds * 1000:.2f} ms")
        assert seconds < 0.05


def _timed(call: Callable[[JobArrays], object], jobs: JobArrays) -> float:
    start = time.perf_counter()
    call(jobs)
    return time.perf_counter() - start
