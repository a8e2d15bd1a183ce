"""CP-SAT against exhaustive enumeration on tiny random problems covering every IR construct."""

from __future__ import annotations

import pytest

from schedkit.models import ProblemData, Solution
from schedkit.solvers import Status, check, solve
from tests.brute_force import brute_force
from tests.random_ir import random_problem

ACYCLIC = [random_problem(seed) for seed in range(300)]
CYCLIC = [random_problem(1000 + seed, cyclic=True, tasks=3, horizon=5) for seed in range(150)]


def _assert_matches_enumeration(problem: ProblemData) -> tuple[tuple[int, ...] | None, Solution | None]:
    best, witness, _ = brute_force(problem)
    result = solve(problem, time_limit=20, threads=1)
    if best is None:
        assert result.status == Status.INFEASIBLE, (result, result.message)
        assert result.lower_bound is None
    else:
        assert result.status == Status.OPTIMAL, (result, result.message)
        assert check(problem, result.solution) == []
        assert result.objectives == best
    return best, witness


def _assert_witness_hint_complete(problem: ProblemData, best: tuple[int, ...], witness: Solution) -> None:
    """An optimal schedule from enumeration, as a warm start, hints every variable feasibly."""
    result = solve(problem, time_limit=20, threads=1, warm_start=witness)
    assert result.stats["hint_complete"], result.stats
    assert "complete and is feasible" in result.stats["hint_log"], result.stats["hint_log"]
    assert result.objectives == best


@pytest.mark.parametrize("problem", ACYCLIC, ids=lambda p: p.name)
def test_acyclic_random_problem_matches_enumeration(problem: ProblemData) -> None:
    best, witness = _assert_matches_enumeration(problem)
    if best is not None:
        _assert_witness_hint_complete(problem, best, witness)


@pytest.mark.parametrize("problem", CYCLIC, ids=lambda p: p.name)
def test_cyclic_random_problem_matches_enumeration(problem: ProblemData) -> None:
    best, witness = _assert_matches_enumeration(problem)
    if best is not None:
        _assert_witness_hint_complete(problem, best, witness)
