"""CP-SAT, MIP and LP against each other on 60 seeded instances of each of the seven families.

For every instance: CP-SAT and the MIP (the formulation chosen by
structure) both prove an optimum and agree on every lexicographic level; the
LP relaxation and every combinatorial bound lie on the right side of the
optimum; every schedule has passed the checker (``solve()`` returns status
error otherwise). Each MIP formulation that supports the instance also
accepts CP-SAT's optimum as a complete, feasible MIP start whose level values
are the checker's (so the formulations and their hint functions encode the
IR exactly). The time-free families are also solved on the highspy hot path.
"""

from __future__ import annotations

import pytest

from schedkit.solvers import Status, solve
from schedkit.solvers.bounds import combinatorial_bounds
from schedkit.solvers.capabilities import MIP_FORMULATIONS, missing
from schedkit.solvers.linear.formulations import build
from schedkit.solvers.linear.positional import single_machine
from schedkit.solvers.solution_view import SolutionView
from tests.random_families import FAMILIES, random_instance

SEEDS = range(60)
CASES = [(family, seed) for family in FAMILIES for seed in SEEDS]


def _on_right_side(bound: float, optimum: int, sense: str) -> bool:
    return bound <= optimum + 1e-6 if sense == "min" else bound >= optimum - 1e-6


@pytest.mark.parametrize(("family", "seed"), CASES, ids=[f"{f}-{s}" for f, s in CASES])
def test_cpsat_mip_lp_agree(family: str, seed: int) -> None:
    problem = random_instance(family, seed)
    exact = solve(problem, time_limit=20, threads=1)
    assert exact.status == Status.OPTIMAL, exact
    mip = solve(problem, backend="mip", time_limit=60)
    assert mip.status == Status.OPTIMAL, (mip, mip.message)
    assert mip.objectives == exact.objectives
    assert mip.violations == []
    optimum, sense = exact.objective, exact.sense
    if optimum is None:  # no objective: nothing to bound
        return
    lp = solve(problem, backend="lp")
    assert lp.status != Status.ERROR, lp.message
    assert lp.lower_bound is not None
    assert _on_right_side(lp.lower_bound, optimum, sense)
    for bound in combinatorial_bounds(problem):
        assert _on_right_side(bound.value, optimum, sense), bound


@pytest.mark.parametrize(("family", "seed"), CASES, ids=[f"{f}-{s}" for f, s in CASES])
def test_optimum_is_a_complete_mip_start_in_every_formulation(family: str, seed: int) -> None:
    problem = random_instance(family, seed)
    exact = solve(problem, time_limit=20, threads=1)
    assert exact.solution is not None
    view = SolutionView.of(problem, exact.solution)
    ii = exact.solution.ii or 0
    for formulation in MIP_FORMULATIONS:
        if missing(problem, formulation) or (formulation == "positional" and single_machine(problem) is None):
            continue
        lm = build(problem, formulation, ii).lm
        start = lm.hint_values(view)
        assert lm.violated_rows(start) == [], formulation
        values = tuple(round(level.expr.value(start)) for level in lm.levels)
        assert values == exact.objectives, formulation


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("family", ["podpack", "kvtree"])
def test_hot_path_agrees(family: str, seed: int) -> None:
    problem = random_instance(family, seed)
    exact = solve(problem, time_limit=20, threads=1)
    fast = solve(problem, backend="mip", solver="highspy")
    assert fast.status == Status.OPTIMAL, fast
    assert fast.objectives == exact.objectives
