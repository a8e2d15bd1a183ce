"""Iterative modulo scheduling: Twill's running example, checked schedules, and never below the exact II."""

from __future__ import annotations

import pytest

from schedkit.heuristics.pipelining import ImsError, iterative_modulo_schedule
from schedkit.models import Model
from schedkit.solvers import check, evaluate, solve
from tests.pipelining_cases import blocked_gemm, twill_figure_1
from tests.random_families import random_instance


def test_twill_figure_1() -> None:
    problem = twill_figure_1()
    found = iterative_modulo_schedule(problem)
    assert found.ii == 2 and check(problem, found.solution) == []
    assert evaluate(problem, found.solution) == (2, 4)  # the hoisted GEMM: S at 0, P at 1 or 2, O at 3


def test_blocking_consumer_on_one_group_needs_a_longer_ii() -> None:
    assert iterative_modulo_schedule(blocked_gemm(1)).ii == 3
    found = iterative_modulo_schedule(blocked_gemm(2))
    assert found.ii == 2
    modes = found.solution.modes
    assert modes[0] != modes[1]  # the waiting op runs on the other group


@pytest.mark.parametrize("seed", range(12))
def test_random_pipelining_problems_get_checked_schedules_no_better_than_the_optimum(seed: int) -> None:
    problem = random_instance("pipelining", seed)
    found = iterative_modulo_schedule(problem, restarts=2)
    if found.solution is None:
        return  # a heuristic may fail; it never returns an unchecked schedule
    assert check(problem, found.solution) == []
    exact = solve(problem, time_limit=20, threads=1)
    assert exact.status.value == "optimal"
    assert found.ii >= exact.objectives[0]


def test_refuses_acyclic_problems() -> None:
    m = Model("acyclic")
    m.add_task("a", duration=1)
    with pytest.raises(ImsError, match="cyclic"):
        iterative_modulo_schedule(m.freeze())
