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
