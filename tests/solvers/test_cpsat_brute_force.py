"""CP-SAT against exhaustive enumeration on tiny random problems covering every IR construct."""

from __future__ import annotations

import pytest
from brute_force import brute_force
from random_ir import random_problem

from solvers import Status, check, solve


@pytest.mark.parametrize("seed", range(300))
def test_acyclic_random_problem_matches_enumeration(seed: int) -> None:
    problem = random_problem(seed)
    best, _, feasible = brute_force(problem)
    result = solve(problem, time_limit=20, threads=1)
    if best is None:
        assert result.status == Status.INFEASIBLE, result
        assert result.lower_bound is None
        return
    assert result.status == Status.OPTIMAL, (result, result.message)
    assert check(problem, result.solution) == []
    assert result.objectives == best


@pytest.mark.parametrize("seed", range(150))
def test_cyclic_random_problem_matches_enumeration(seed: int) -> None:
    problem = random_problem(1000 + seed, cyclic=True, tasks=3, horizon=5)
    best, _, _ = brute_force(problem)
    result = solve(problem, time_limit=20, threads=1)
    if best is None:
        assert result.status == Status.INFEASIBLE, result
        return
    assert result.status == Status.OPTIMAL, (result, result.message)
    assert result.objectives == best
