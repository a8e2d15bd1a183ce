from pathlib import Path

import numpy as np
import pytest

from schedkit import read
from schedkit.heuristics.registry import run_rule
from schedkit.heuristics.tardiness.dynasearch import dynasearch, dynasearch_order
from schedkit.heuristics.tardiness.sequence import JobArrays, total_weighted_tardiness
from schedkit.solvers import check, evaluate


def brute_force(jobs: JobArrays) -> int:
    from itertools import permutations

    return min(total_weighted_tardiness(jobs.p, jobs.d, jobs.w, order) for order in permutations(range(jobs.n)))


def test_small_instances_match_enumeration() -> None:
    rng = np.random.default_rng(5)
    for _ in range(5):
        n = 7
        p = rng.integers(1, 10, n)
        jobs = JobArrays(p=p, d=rng.integers(0, int(p.sum()), n), w=rng.integers(1, 10, n), r=np.zeros(n, dtype=int))
        order = dynasearch_order(jobs, kicks=200)
        assert sorted(order.tolist()) == list(range(n))
        assert total_weighted_tardiness(jobs.p, jobs.d, jobs.w, order) == brute_force(jobs)


@pytest.mark.parametrize("index", [0, 1, 7, 19, 60, 124])
def test_wt40_reaches_the_optimum(benchmarks: Path, index: int) -> None:
    optima = [int(x) for x in (benchmarks / "smtt" / "wtopt40.txt").read_text().split()]
    problem = read(benchmarks / "smtt" / "wt40.txt", index=index)
    solution = dynasearch(problem, time_limit=2.0, target=optima[index])
    assert check(problem, solution) == []
    assert evaluate(problem, solution)[0] == optima[index]


def test_registered_and_refuses_releases(benchmarks: Path) -> None:
    problem = read(benchmarks / "smtt" / "wt40.txt", index=2)
    assert check(problem, run_rule(problem, "dynasearch", time_limit=0.2)) == []
    jobs = JobArrays(p=np.array([1, 2]), d=np.array([1, 1]), w=np.array([1, 1]), r=np.array([0, 3]))
    with pytest.raises(ValueError, match="release"):
        dynasearch_order(jobs, kicks=1)
