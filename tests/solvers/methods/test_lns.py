from pathlib import Path

import pytest

from schedkit import read
from schedkit.instances.generators.fjsp import work_center_fjsp
from schedkit.models import Demand, Model
from schedkit.solvers import Status, check, solve
from schedkit.solvers.methods.lns import applies


def shop_with(**change: bool):
    model = Model("m", family="jobshop")
    machine = model.add_machine("m")
    a = model.add_task("a")
    b = model.add_task("b")
    if change.get("reservation"):
        model.add_mode(a, 3, [Demand(machine, 1, offset=1, length=1)])
    else:
        model.add_mode(a, 3, {machine: 1})
    model.add_mode(b, 2, {machine: 1})
    if change.get("cycle"):
        model.set_cycle(5, 8)
    model.minimize("makespan")
    if change.get("levels"):
        model.minimize("total_weighted_completion")
    return model.freeze()


@pytest.mark.parametrize(
    ("change", "reason"),
    [("cycle", "cyclic"), ("reservation", "reservation table"), ("levels", "objective levels")],
)
def test_declines_what_it_does_not_understand(change: str, reason: str) -> None:
    problem = shop_with(**{change: True})
    assert reason in (applies(problem) or "")
    with pytest.raises(ValueError, match="does not apply"):
        solve(problem, method="lns", time_limit=1)


def test_plain_shop_is_accepted_and_solved_to_the_optimum() -> None:
    problem = shop_with()
    assert applies(problem) is None
    result = solve(problem, method="lns", time_limit=2, threads=1)
    assert result.ok and result.violations == [] and result.objective == 5


def test_never_worse_than_its_start_and_checked(benchmarks: Path) -> None:
    problem = read(benchmarks / "fjsp" / "Brandimarte1993" / "mk01.txt")
    start = solve(problem, warm_start="fdd_mwkr", backend="cpsat", time_limit=0.01)
    result = solve(problem, method="lns", time_limit=3, threads=1, warm_start=start.solution)
    assert result.ok and check(problem, result.solution) == []
    assert result.objective <= start.objective
    assert result.stats["lns"]["rounds"] >= 1


def test_large_flexible_shop_returns_a_checked_schedule() -> None:
    problem = work_center_fjsp(num_jobs=15, num_machines=9, ops_per_job=4, seed=2)
    result = solve(problem, method="lns", time_limit=2, threads=1)
    assert result.status in (Status.FEASIBLE, Status.OPTIMAL) and result.violations == []


def test_held_tasks_on_a_cumulative_resource_keep_their_order_but_may_shift() -> None:
    """Relaxing C alone: held A and B keep "A before B" yet B moves left, closing the incumbent's gap."""
    from schedkit.models import Solution
    from schedkit.solvers.methods.lns import _Lns

    model = Model("gap", family="rcpsp")
    crew = model.add_resource("crew", "renewable", capacity=2)
    for name in ("a", "b", "c"):
        model.add_mode(model.add_task(name), 2, {crew: 2})
    model.minimize("makespan")
    problem = model.freeze()
    incumbent = Solution.from_lists([0, 5, 2])  # a, then c, then b after an idle gap: makespan 7
    assert check(problem, incumbent) == []
    lns = _Lns(problem, seed=0, threads=1, params={})
    status, found = lns.sub_solve(incumbent, {2}, seconds=5.0)
    assert status == Status.OPTIMAL and found is not None and check(problem, found) == []
    starts = [t.start for t in found.tasks]
    assert max(s + 2 for s in starts) == 6  # with b's start held the best would be 7
    assert starts[1] >= starts[0] + 2  # a still before b
