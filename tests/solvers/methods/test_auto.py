from pathlib import Path

import pytest

from schedkit import read
from schedkit.instances import bundled
from schedkit.solvers import Status, check, solve
from schedkit.solvers.methods.auto import plan


@pytest.mark.parametrize("index", [0, 11])
def test_default_solve_proves_wt40_optima_within_10_s(benchmarks: Path, index: int) -> None:
    optima = [int(x) for x in (benchmarks / "smtt" / "wt40.txt").parent.joinpath("wtopt40.txt").read_text().split()]
    problem = read(benchmarks / "smtt" / "wt40.txt", index=index)
    result = solve(problem, time_limit=10)
    assert result.stats["auto"]["plan"] == "exact_tardiness"
    assert result.status == Status.OPTIMAL and result.objective == optima[index] == result.lower_bound
    assert result.wall_time < 10


def test_plans_by_structure(benchmarks: Path) -> None:
    assert plan(read(bundled("wt5.txt"), index=0)) == "exact_tardiness"
    assert plan(read(bundled("js3x3"))) == "tabu"
    assert plan(read(bundled("fjs3x3.fjs"))) == "tabu"
    assert plan(read(bundled("rcpsp8.sm"))) == "ga"
    assert plan(read(bundled("mrcpsp6.mm"))) == "ga"


def test_a_small_shop_is_proven_by_the_probe_at_once(benchmarks: Path) -> None:
    problem = read(benchmarks / "jobshop" / "instances" / "la02")
    result = solve(problem, time_limit=3, threads=2)
    assert result.stats["auto"]["ran"] == ["cpsat probe"]
    assert result.status == Status.OPTIMAL and result.objective == 655 == result.lower_bound


def test_shop_runs_tabu_then_cpsat_and_says_so(benchmarks: Path) -> None:
    problem = read(benchmarks / "jobshop" / "instances" / "ta21")  # 400 operations: no probe
    result = solve(problem, time_limit=4, threads=2)
    info = result.stats["auto"]
    assert info["ran"] == ["tabu", "cpsat"] and info["local_search"]["seconds"] <= 2.5
    assert result.objective <= info["local_search"]["objectives"][0]
    assert check(problem, result.solution) == [] and result.lower_bound <= 1642 <= result.objective


def test_a_local_search_at_the_structural_bound_is_proven_without_the_backend(benchmarks: Path) -> None:
    problem = read(benchmarks / "jobshop" / "instances" / "la31")  # 300 operations, optimum 1784 = a machine's load
    result = solve(problem, time_limit=10)
    assert result.stats["auto"]["ran"] == ["tabu"]
    assert result.status == Status.OPTIMAL and result.objective == 1784 == result.lower_bound


def test_explicit_backend_is_the_plain_backend() -> None:
    problem = read(bundled("js3x3"))
    result = solve(problem, backend="cpsat", time_limit=5)
    assert result.backend == "cpsat" and "auto" not in result.stats
    assert solve(problem, time_limit=5).backend == "auto:cpsat"
