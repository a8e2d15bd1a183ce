"""Published optima of standard benchmark instances, solved by CP-SAT and verified by the checker.

The instances come from the shared benchmark folder (skipped cleanly when it
is absent); the optima from its bound files, never from this repository.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from schedkit.instances import read
from schedkit.solvers import Status, check, evaluate, solve


def _bounds(path: Path, key: str, value: str) -> dict[str, int]:
    with open(path) as handle:
        return {row[key]: int(row[value]) for row in csv.DictReader(handle) if row[value]}


def _solve_to_optimum(path: Path, optimum: int, time_limit: float = 60) -> None:
    problem = read(path)
    result = solve(problem, time_limit=time_limit, threads=2)
    assert result.status == Status.OPTIMAL, result
    assert result.objective == optimum
    assert result.lower_bound == optimum
    assert check(problem, result.solution) == []
    assert evaluate(problem, result.solution)[0] == optimum


@pytest.mark.parametrize("name", ["ft06", "la01", "la05", "la10"])
def test_jobshop_optimum(benchmarks: Path, name: str) -> None:
    bounds = _bounds(benchmarks / "jobshop" / "bounds.csv", "instance", "upper_bound")
    assert (name, bounds[name]) in {("ft06", 55), ("la01", 666), ("la05", 593), ("la10", 958)}
    _solve_to_optimum(benchmarks / "jobshop" / "instances" / name, bounds[name])


@pytest.mark.parametrize("name", ["mk01"])
def test_fjsp_optimum(benchmarks: Path, name: str) -> None:
    bounds = _bounds(benchmarks / "fjsp" / "bounds.csv", "bks_key", "upper_bound")
    assert bounds["mk01"] == 40
    _solve_to_optimum(benchmarks / "fjsp" / "Brandimarte1993" / f"{name}.txt", bounds[name])


@pytest.mark.parametrize(
    "name", ["j301_1", "j305_3", "j309_7", "j3017_4", "j3021_1", "j3025_6", "j3033_8", "j3037_4", "j3041_9"]
)
def test_j30_optimum(benchmarks: Path, name: str) -> None:
    bounds = _bounds(benchmarks / "rcpsp" / "j30_bounds.csv", "instance", "upper_bound")
    _solve_to_optimum(benchmarks / "rcpsp" / "j30" / f"{name}.sm", bounds[name])


@pytest.mark.parametrize("number", [1, 2, 3, 10, 20, 40, 60, 80, 100, 110])
def test_patterson_optimum(benchmarks: Path, number: int) -> None:
    bounds = _bounds(benchmarks / "rcpsp" / "patterson_optimum.csv", "problem", "optimum")
    _solve_to_optimum(benchmarks / "rcpsp" / "patterson" / f"pat{number}.rcp", bounds[f"pat{number}.rcp"])


@pytest.mark.parametrize("index", [0, 1, 2, 5, 10, 40, 80, 124])
def test_wt40_never_below_optimum(benchmarks: Path, index: int) -> None:
    """CP-SAT alone need not prove wt40 optima quickly; it must never beat them, and its schedules must check."""
    optima = [int(line) for line in (benchmarks / "smtt" / "wtopt40.txt").read_text().split()]
    problem = read(benchmarks / "smtt" / "wt40.txt", index=index)
    result = solve(problem, time_limit=3, threads=2)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE), result
    assert check(problem, result.solution) == []
    assert result.objective >= optima[index]
    assert result.lower_bound is None or result.lower_bound <= optima[index]
    if result.status == Status.OPTIMAL:
        assert result.objective == optima[index]
