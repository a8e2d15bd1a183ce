"""certify(): proven bounds with their sources, gaps, optimality proofs, invalid schedules refused."""

from __future__ import annotations

import pytest

from schedkit.models import Solution, TaskAssignment
from schedkit.solvers import certify, run_heuristic, solve
from schedkit.solvers.certify import all_sources
from tests.random_families import FAMILIES, random_instance, witness


@pytest.mark.parametrize("family", FAMILIES)
def test_optimal_schedule_is_proven_optimal(family: str) -> None:
    problem = random_instance(family, 1)
    best = solve(problem, time_limit=10, threads=1)
    certificate = certify(problem, best.solution, time_limit=10, threads=1)
    assert certificate.violations == []
    assert certificate.objective == best.objective
    assert certificate.optimal, certificate.to_dict()
    assert certificate.gap == 0.0
    assert certificate.bound_source in all_sources()


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("family", ["rcpsp", "tardiness", "jobshop", "fjsp"])
def test_heuristic_schedule_gets_a_true_gap(family: str, seed: int) -> None:
    problem = random_instance(family, seed)
    schedule = witness(problem)  # a feasible, usually poor, schedule
    optimum = solve(problem, time_limit=10, threads=1).objective
    certificate = certify(problem, schedule, time_limit=10, threads=1)
    assert certificate.lower_bound is not None
    assert certificate.lower_bound <= optimum
    assert certificate.optimal == (certificate.objective == optimum)
    timed = {report.source: report.seconds for report in certificate.sources}
    assert all(seconds >= 0 for seconds in timed.values())


def test_combinatorial_sources_alone() -> None:
    problem = random_instance("jobshop", 2)
    schedule = witness(problem)
    certificate = certify(problem, schedule, sources=["critical_path", "machine_load"])
    assert {report.source for report in certificate.sources} <= {"critical_path", "machine_load"}
    assert certificate.bound_source in ("critical_path", "machine_load")


def test_invalid_schedule_is_not_certified() -> None:
    problem = random_instance("jobshop", 0)
    broken = Solution(tuple(TaskAssignment(True, 0, 0) for _ in problem.tasks))
    certificate = certify(problem, broken)
    assert certificate.violations
    assert certificate.lower_bound is None and not certificate.optimal


def test_unknown_source_is_refused() -> None:
    problem = random_instance("jobshop", 0)
    with pytest.raises(ValueError, match="unknown bound source"):
        certify(problem, witness(problem), sources=["oracle"])


def test_exact_tardiness_source_gives_the_optimum_and_ends_the_run() -> None:
    from schedkit.instances.generators.tardiness import potts_vanwassenhove

    problem = potts_vanwassenhove(30, 0.6, 0.4, seed=3)
    schedule = run_heuristic(problem, "edd").solution
    certificate = certify(problem, schedule, time_limit=20)
    assert certificate.bound_source == "exact_tardiness"
    sources = [report.source for report in certificate.sources]
    assert "cpsat" not in sources and "mip" not in sources  # nothing can beat a proven optimum
    optimum = run_heuristic(problem, "mddc").objective
    assert certificate.lower_bound <= optimum
    assert certificate.optimal == (certificate.objective == certificate.lower_bound)


# ------------------------------------------------------------- several levels
def _two_level_shop():
    from schedkit.models import Model

    model = Model("two levels")
    press = model.add_machine("press")
    for name, duration in (("a", 3), ("b", 2), ("c", 4)):
        model.add_task(name, duration=duration, demands={press: 1})
    model.minimize("makespan")
    model.minimize("total_weighted_completion")
    return model.freeze()


def test_every_level_is_certified_in_order_with_the_earlier_levels_locked() -> None:
    problem = _two_level_shop()
    best = solve(problem, time_limit=10)
    certificate = certify(problem, best.solution, time_limit=10)
    assert len(certificate.ordering) == 2
    assert [level.value for level in certificate.levels] == list(best.objectives)
    assert all(level.proven for level in certificate.levels) and certificate.optimal
    assert certificate.levels[1].bound == best.objectives[1]  # SPT order: 2 + 5 + 9 = 16
    assert best.objectives == (9, 16)


def test_a_worse_second_level_is_not_optimal_and_shows_its_gap() -> None:
    problem = _two_level_shop()
    from schedkit.models import Solution

    lpt = Solution.from_lists([4, 7, 0])  # c, a, b: makespan 9 (optimal), completions 4 + 7 + 9 = 20
    certificate = certify(problem, lpt, time_limit=10)
    first, second = certificate.levels
    assert first.proven and first.value == 9
    assert not second.proven and second.value == 20 and second.bound == 16
    assert not certificate.optimal
    assert certificate.to_dict()["levels"][1]["bound"] == 16


def test_a_level_after_an_unproven_one_is_reported_unproven() -> None:
    problem = _two_level_shop()
    from schedkit.models import Solution

    late = Solution.from_lists([1, 10, 20])  # makespan 24: level 0 not optimal
    certificate = certify(problem, late, time_limit=10)
    first, second = certificate.levels
    assert not first.proven and first.bound == 9
    assert not second.proven and second.bound is None and "not proven" in second.note
