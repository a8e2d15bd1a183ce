"""One tiny hand-made instance per family: brute-force enumeration establishes the optimum, CP-SAT must reach it.

The instances (tests/tiny_families.py) are judged by the brute force through
the independent checker only.
"""

from __future__ import annotations

import pytest

from schedkit.solvers import Status, check, solve
from tests.brute_force import brute_force
from tests.tiny_families import FAMILIES, kvtree_tiny, pipelining_tiny, podpack_tiny


@pytest.mark.parametrize("family", FAMILIES)
def test_cpsat_reaches_enumerated_optimum(family: str) -> None:
    problem = FAMILIES[family]()
    assert problem.family == family
    best, witness, feasible = brute_force(problem)
    assert best is not None and feasible > 1, "the instance must be feasible with a real choice to make"
    result = solve(problem, time_limit=30, threads=2)
    assert result.status == Status.OPTIMAL, (result, result.message)
    assert check(problem, result.solution) == []
    assert result.objectives == best


def test_pipelining_tiny_is_cyclic_with_loop_carried_edge() -> None:
    problem = pipelining_tiny()
    assert problem.cycle is not None
    assert any(p.distance == 1 for p in problem.precedences)
    result = solve(problem, time_limit=30)
    assert result.solution.ii == result.objectives[0]
    assert result.solution.ii >= problem.cycle.ii_min


def test_podpack_tiny_has_two_priorities_and_a_running_pod() -> None:
    problem = podpack_tiny()
    assert {task.reference is not None for task in problem.tasks} == {True, False}
    assert len(problem.objective.levels) == 4  # placed and disruption per priority tier


def test_kvtree_tiny_uses_coverage_groups() -> None:
    problem = kvtree_tiny()
    assert len(problem.coverage_groups) == 3
    result = solve(problem)
    covered = [any(result.solution.tasks[t].present for t in g.tasks) for g in problem.coverage_groups]
    assert any(covered)
