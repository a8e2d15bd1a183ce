from pathlib import Path

import pytest

from schedkit import read
from schedkit.instances import bundled
from schedkit.models import Solution
from schedkit.solvers import Status, check, evaluate, solve
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


def test_improve_lns_runs_lns_after_the_ga_and_keeps_the_bound(benchmarks: Path) -> None:
    problem = read(benchmarks / "rcpsp" / "j60" / "j609_1.sm")  # best known 87, not proven in seconds
    result = solve(problem, time_limit=4, threads=1, improve="lns")
    info = result.stats["auto"]
    assert info["ran"] == ["cpsat probe", "ga", "lns"] and result.stats["lns"]["rounds"] >= 1
    assert result.objective <= info["local_search"]["objectives"][0]
    assert check(problem, result.solution) == [] and result.lower_bound <= 87 <= result.objective


def test_projects_run_the_ga_then_cpsat_from_scratch_and_keep_the_shorter(benchmarks: Path) -> None:
    problem = read(benchmarks / "rcpsp" / "j60" / "j609_1.sm")  # best known 87, not proven in seconds
    result = solve(problem, time_limit=4, threads=1)
    info = result.stats["auto"]
    assert info["ran"] == ["cpsat probe", "ga", "cpsat (fresh)"] and info["kept"] in ("backend", "local search")
    assert result.objective <= info["local_search"]["objectives"][0]
    assert check(problem, result.solution) == [] and result.lower_bound <= 87 <= result.objective


def _shifted(solution: Solution, by: int) -> Solution:
    """``solution`` with every start ``by`` later (feasible when nothing has a deadline)."""
    return Solution.from_lists([(t.start or 0) + by for t in solution.tasks], [t.mode for t in solution.tasks])


@pytest.mark.parametrize(
    ("backend_delay", "bound", "kept", "status"),
    [
        (None, 10.0, "local search", Status.FEASIBLE),  # the backend found nothing
        (3, 10.0, "local search", Status.FEASIBLE),  # the backend's schedule is longer
        (3, None, "local search", Status.FEASIBLE),  # ... and it proved no bound
        (0, 10.0, "backend", Status.FEASIBLE),  # a tie keeps the backend's (its own claims stand)
    ],
)
def test_keep_better_returns_the_shorter_schedule_with_the_backends_bound(
    backend_delay: int | None, bound: float | None, kept: str, status: Status
) -> None:
    from schedkit.solvers.methods.auto import _keep_better
    from schedkit.solvers.result import BackendOutcome, LevelOutcome

    problem = read(bundled("rcpsp8.sm"))
    found = solve(problem, backend="cpsat", time_limit=5).solution
    assert found is not None
    value = evaluate(problem, found)[0]
    mine = None if backend_delay is None else _shifted(found, backend_delay)
    level = problem.objective.levels[0]
    backend_value = None if mine is None else evaluate(problem, mine)[0]
    outcome = BackendOutcome(
        Status.FEASIBLE if mine is not None else Status.UNKNOWN,
        mine,
        [LevelOutcome(0, "makespan", level.sense, Status.FEASIBLE, backend_value, bound)],
    )
    info: dict = {}
    kept_outcome = _keep_better(problem, outcome, found, 1.5, info)
    assert info["kept"] == kept and kept_outcome.status == status
    if kept == "local search":
        assert kept_outcome.solution is found and kept_outcome.levels[0].objective == value
        assert kept_outcome.levels[0].bound == bound and kept_outcome.time_to_best == 1.5
    else:
        assert kept_outcome is outcome


def test_keep_better_is_optimal_when_the_kept_schedule_meets_the_bound() -> None:
    from schedkit.solvers.methods.auto import _keep_better
    from schedkit.solvers.result import BackendOutcome, LevelOutcome

    problem = read(bundled("rcpsp8.sm"))
    found = solve(problem, backend="cpsat", time_limit=5).solution
    assert found is not None
    value = evaluate(problem, found)[0]
    level = problem.objective.levels[0]
    outcome = BackendOutcome(
        Status.UNKNOWN, None, [LevelOutcome(0, "makespan", level.sense, Status.UNKNOWN, None, value)]
    )
    kept = _keep_better(problem, outcome, found, None, {})
    assert kept.status == Status.OPTIMAL and kept.levels[0].status == Status.OPTIMAL


def test_an_unknown_improver_is_refused() -> None:
    with pytest.raises(ValueError, match="improve must be one of backend, fresh, lns"):
        solve(read(bundled("js3x3")), time_limit=1, improve="tabu")


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


def test_a_gap_of_one_unit_is_closed_by_shaving() -> None:
    # two jobs queueing on the same two machines: optimum 9, every load bound 6; a schedule of
    # makespan 9 and a bound of 8 leave one question, "does one end by 8?", which shaving answers
    from schedkit import jobshop
    from schedkit.solvers.backends import get_backend
    from schedkit.solvers.methods.auto import _shave

    problem = jobshop([[(0, 3), (1, 3)], [(0, 3), (1, 3)]], name="queue")
    best = solve(problem, backend="cpsat", time_limit=5).solution
    assert best is not None
    cpsat = get_backend("cpsat")
    info: dict = {}
    outcome = _shave(problem, best, 8, cpsat, cpsat.parse_options({}), 10.0, 1, 0, info, [])
    assert outcome is not None and outcome.status == Status.OPTIMAL
    assert outcome.levels[0].objective == 9 == outcome.levels[0].bound and info["bound_from"] == "shaving"
    assert [t["horizon"] for t in info["shaving"]["tests"]] == [8]
    # a gap of more than one unit is left to the backend
    assert _shave(problem, best, 7, cpsat, cpsat.parse_options({}), 10.0, 1, 0, {}, []) is None


def test_default_solve_proves_mk02_optimal_by_shaving(benchmarks: Path) -> None:
    # Brandimarte's mk02: tabu finds the optimum 26 at once, every bound CP-SAT proves in a minute is 25;
    # the shaving test "does a schedule end by 25?" is infeasible (about 25 s on one worker)
    problem = read(benchmarks / "fjsp" / "Brandimarte1993" / "mk02.txt")
    result = solve(problem, time_limit=45, threads=2)
    info = result.stats["auto"]
    assert info["ran"] == ["cpsat probe", "tabu", "shaving"] and info["bound_from"] == "shaving"
    assert result.status == Status.OPTIMAL and result.objective == 26 == result.lower_bound
    assert check(problem, result.solution) == []


def test_a_local_search_at_the_probes_bound_is_returned_as_optimal(monkeypatch: pytest.MonkeyPatch) -> None:
    # the probe's bound (here stood in for: 9) met by tabu's schedule proves it; no backend needed
    from schedkit import jobshop
    from schedkit.solvers.methods import auto

    monkeypatch.setattr(auto, "PROBE_TASKS", 0)
    monkeypatch.setattr(auto, "_best_bound", lambda problem, chosen, probe_bound: (9, "probe"))
    problem = jobshop([[(0, 3), (1, 3)], [(0, 3), (1, 3)]], name="queue")
    result = solve(problem, time_limit=5)
    assert result.stats["auto"]["ran"] == ["tabu"] and result.stats["auto"]["bound_from"] == "probe"
    assert result.status == Status.OPTIMAL and result.objective == 9 == result.lower_bound
