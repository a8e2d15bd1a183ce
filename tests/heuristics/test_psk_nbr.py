"""PSK and NBR for 1 || sum T_j: hand-computed cases, optimality special cases, exact relocation benefits."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from schedkit.heuristics.tardiness import RULES, job_arrays, nbr_order, psk_order, total_weighted_tardiness
from schedkit.heuristics.tardiness.nbr import relocation_benefits
from schedkit.instances.generators.tardiness import potts_vanwassenhove
from schedkit.models.tardiness import tardiness
from schedkit.solvers import check, evaluate
from schedkit.solvers.exact_tardiness import solve_exact_tardiness


def _tt(p: list[int], d: list[int], order: np.ndarray | list[int]) -> int:
    ones = np.ones(len(p), dtype=np.int64)
    return total_weighted_tardiness(np.asarray(p), np.asarray(d), ones, order)


def _brute(p: list[int], d: list[int]) -> int:
    return min(_tt(p, d, list(perm)) for perm in itertools.permutations(range(len(p))))


def test_psk_hand_computed() -> None:
    # SPT list: job0 (p2, d9), job1 (p3, d3), job2 (p4, d5). At t = 0 job1 overtakes job0 (d3 < d9 and
    # 9 > 0 + 3), then 3 <= 0 + 4 schedules job1; at t = 3 job2 overtakes job0 and is last: scheduled.
    jobs = job_arrays(tardiness([2, 3, 4], [9, 3, 5]))
    assert psk_order(jobs).tolist() == [1, 2, 0]
    assert _tt([2, 3, 4], [9, 3, 5], [1, 2, 0]) == 2 == _brute([2, 3, 4], [9, 3, 5])


def test_psk_is_spt_when_every_job_is_late() -> None:
    # due dates 0: total tardiness = total completion time, minimised by SPT (which PSK then is)
    p = [7, 3, 9, 1, 4]
    jobs = job_arrays(tardiness(p, [0] * 5))
    assert psk_order(jobs).tolist() == [3, 1, 4, 0, 2]


def test_psk_and_nbr_are_optimal_on_agreeable_instances() -> None:
    # p_i <= p_j  <=>  d_i <= d_j: the SPT = EDD order is optimal (Emmons); both rules return it
    rng = np.random.default_rng(4)
    for _ in range(5):
        p = np.sort(rng.integers(1, 20, size=7))
        d = np.sort(rng.integers(0, 60, size=7))
        optimum = _brute(p.tolist(), d.tolist())
        jobs = job_arrays(tardiness(p.tolist(), d.tolist()))
        assert _tt(p.tolist(), d.tolist(), psk_order(jobs)) == optimum
        assert _tt(p.tolist(), d.tolist(), nbr_order(jobs)) == optimum


def test_relocation_benefit_is_the_exact_drop_in_tardiness() -> None:
    rng = np.random.default_rng(8)
    for _ in range(20):
        n = 9
        p = rng.integers(1, 15, size=n)
        d = rng.integers(0, int(p.sum()), size=n)
        k = int(rng.integers(1, n))
        candidates = np.arange(k)
        benefits = relocation_benefits(p, d, k, candidates)
        before = _tt(p.tolist(), d.tolist(), list(range(n)))
        for j, benefit in zip(candidates.tolist(), benefits.tolist()):
            moved = [*range(j), *range(j + 1, k + 1), j, *range(k + 1, n)]
            assert benefit == before - _tt(p.tolist(), d.tolist(), moved)


def test_nbr_never_worse_than_edd_on_modified_due_dates() -> None:
    for seed in range(6):
        problem = potts_vanwassenhove(40, 0.2 + 0.1 * seed, 0.4, seed=seed, weighted=False)
        jobs = job_arrays(problem)
        modified = np.maximum(jobs.d, jobs.p)
        edd = np.lexsort((np.arange(jobs.n), jobs.p, modified))
        assert _tt(jobs.p.tolist(), jobs.d.tolist(), nbr_order(jobs)) <= _tt(jobs.p.tolist(), jobs.d.tolist(), edd)


@pytest.mark.parametrize("name", ["psk", "nbr"])
def test_close_to_the_certified_optimum(name: str) -> None:
    # both rules are near-optimal constructive rules: mean gap well below EDD's ~50% (measured ~1-4%)
    gaps = []
    for seed in range(8):
        problem = potts_vanwassenhove(60, 0.6, 0.4, seed=seed, weighted=False)
        optimum = solve_exact_tardiness(problem, 20).optimum
        solution = RULES[name](problem)
        assert check(problem, solution) == []
        value = evaluate(problem, solution)[0]
        assert optimum is not None and value >= optimum
        gaps.append((value - optimum) / optimum)
    assert float(np.mean(gaps)) < 0.1


def test_large_instances_give_permutations() -> None:
    jobs = job_arrays(potts_vanwassenhove(500, 0.6, 0.2, seed=1, weighted=False))
    for order in (psk_order(jobs), nbr_order(jobs)):
        assert sorted(order.tolist()) == list(range(500))
