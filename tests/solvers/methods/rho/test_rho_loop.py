"""RHO end to end: every schedule passes the checker on the whole problem, for every strategy and family."""

from __future__ import annotations

import pytest

from schedkit.instances import layered_rcpsp, random_jobshop, sd2_fjsp
from schedkit.models import Model
from schedkit.solvers import check, solve
from schedkit.solvers.bounds import best_bound
from schedkit.solvers.methods.rho.bounds import lower_bound, pooled_machine_work

FAST = dict(threads=1, window=12, commit=5, window_time_limit=0.5, early_stop=0.2)


@pytest.mark.parametrize("strategy", ["none", "all", "first", "random", "hint"])
def test_rho_schedules_pass_the_checker_on_the_whole_problem(strategy: str) -> None:
    problem = sd2_fjsp(6, 5, 8, seed=3)  # 48 operations: 8 windows of 12
    result = solve(problem, method="rho", strategy=strategy, **FAST)
    assert result.ok, result.message
    assert check(problem, result.solution) == []
    bound = lower_bound(problem)
    assert bound is not None and result.lower_bound == bound.value <= result.objective
    stats = result.stats["rho"]
    assert stats["windows"] == 1 + -(-(48 - 12) // 5)  # each window but the last commits exactly S
    assert stats["deviation"] == pytest.approx((result.objective - bound.value) / bound.value, abs=1e-6)


@pytest.mark.parametrize("backfill", [False, True])
@pytest.mark.parametrize("instance", [lambda: random_jobshop(6, 4, seed=2), lambda: layered_rcpsp(30, seed=2)])
def test_rho_applies_to_job_shops_and_rcpsp(instance, backfill: bool) -> None:
    problem = instance()
    result = solve(problem, method="rho", strategy="all", backfill=backfill, **FAST)
    assert result.ok and check(problem, result.solution) == []


def test_rho_on_one_window_is_the_plain_solve() -> None:
    problem = sd2_fjsp(3, 3, 3, seed=0)  # 9 operations, one window: CP-SAT proves the optimum
    rho = solve(problem, method="rho", window=80, window_objective="makespan", threads=1, early_stop=None)
    full = solve(problem, threads=1, time_limit=10)
    assert full.status.value == "optimal"
    assert rho.objective == full.objective
    assert rho.stats["rho"]["windows"] == 1


def test_rho_refuses_what_it_cannot_decompose() -> None:
    model = Model("tardy")
    machine = model.add_machine("m")
    task = model.add_task("a", due_date=1, duration=2, demands={machine: 1})
    assert task == 0
    model.minimize("total_weighted_tardiness")
    with pytest.raises(ValueError, match="does not apply"):
        solve(model.freeze(), method="rho")


def test_rho_options_are_checked_before_solving() -> None:
    problem = sd2_fjsp(2, 2, 2, seed=0)
    with pytest.raises(ValueError, match="commit"):
        solve(problem, method="rho", window=10, commit=11)
    with pytest.raises(ValueError, match="strategy"):
        solve(problem, method="rho", strategy="sometimes")
    with pytest.raises(ValueError, match="bogus"):
        solve(problem, method="rho", bogus=1)


def test_a_warm_start_better_than_rho_is_kept() -> None:
    problem = sd2_fjsp(6, 5, 8, seed=3)
    best = solve(problem, threads=1, time_limit=5)
    result = solve(
        problem, method="rho", strategy="all", warm_start=best.solution, **{**FAST, "window": 6, "commit": 6}
    )
    assert result.ok and result.objective <= best.objective


def test_the_pooled_machine_work_bound_by_hand() -> None:
    model = Model("pool")
    machines = [model.add_machine(f"m{i}") for i in range(2)]
    for name, times in (("a", (4, 6)), ("b", (5, 3)), ("c", (2, 9))):
        task = model.add_task(name)
        for machine, duration in zip(machines, times):
            model.add_mode(task, duration, {machine: 1})
    model.minimize("makespan")
    problem = model.freeze()
    bound = pooled_machine_work(problem)
    assert bound is not None and bound.value == 5  # least work 4 + 3 + 2 = 9 over 2 machines
    assert lower_bound(problem).value >= best_bound(problem).value  # type: ignore[union-attr]
    assert solve(problem, threads=1).objective >= bound.value
