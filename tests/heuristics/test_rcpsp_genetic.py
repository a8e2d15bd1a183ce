import csv
from pathlib import Path

import pytest

from schedkit import read
from schedkit.heuristics.rcpsp.genetic import critical_path_bound, genetic
from schedkit.instances import bundled
from schedkit.solvers import check, evaluate, solve


def optima(benchmarks: Path) -> dict[str, int]:
    with open(benchmarks / "rcpsp" / "j30_bounds.csv") as handle:
        return {row["instance"]: int(row["upper_bound"]) for row in csv.DictReader(handle) if row["optimal"] == "1"}


@pytest.mark.parametrize("name", ["j301_1", "j3010_1", "j3029_3", "j3045_7", "j3046_2"])
def test_j30_reaches_the_optimum(benchmarks: Path, name: str) -> None:
    problem = read(benchmarks / "rcpsp" / "j30" / f"{name}.sm")
    best = optima(benchmarks)[name]
    solution = genetic(problem, time_limit=3.0, target=best, seed=0)
    assert check(problem, solution) == []
    assert evaluate(problem, solution)[0] == best
    assert critical_path_bound(problem) <= best


def test_multi_mode_matches_cpsat() -> None:
    problem = read(bundled("mrcpsp6.mm"))
    solution = genetic(problem, schedules=2000, seed=1)
    assert check(problem, solution) == []
    assert evaluate(problem, solution)[0] == solve(problem, backend="cpsat", time_limit=10).objective


def test_survivors_are_the_best_distinct_schedules_then_copies() -> None:
    import numpy as np

    from schedkit.heuristics.rcpsp.genetic import _survivors

    def individual(fitness: int, starts: list[int]) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
        empty = np.zeros(0, dtype=np.int64)
        return fitness, empty, empty, np.array(starts, dtype=np.int64)

    best, copy, other, worse = (
        individual(5, [0, 5]),
        individual(5, [0, 5]),
        individual(6, [0, 6]),
        individual(7, [1, 7]),
    )
    kept = _survivors([worse, copy, other, best], 3)
    assert [k[0] for k in kept] == [5, 6, 7]  # the copy of the best schedule gives way to worse distinct ones
    assert len(_survivors([best, copy], 2)) == 2  # copies fill what distinct schedules leave


def test_refuses_other_objectives() -> None:
    problem = read(bundled("wt5.txt"), index=0)
    with pytest.raises(ValueError, match="makespan"):
        genetic(problem, schedules=10)
