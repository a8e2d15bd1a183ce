"""solve() and Result: statuses, bounds, the checker's verdict, warm starts, lexicographic locking, callbacks."""

from __future__ import annotations

import dataclasses

import pytest

from schedkit.instances import taillard_jobshop
from schedkit.models import Model, Sense, Solution, TaskAssignment
from schedkit.models.jobshop import jobshop
from schedkit.solvers import Status, solve
from schedkit.solvers.cpsat import CpSatModel
from schedkit.solvers.result import BackendOutcome, LevelOutcome, relative_gap
from tests.tiny_families import jobshop_tiny, podpack_tiny


def test_infeasible_problem_has_no_bound_and_no_solution() -> None:
    model = Model("too tight")
    machine = model.add_machine("m")
    a = model.add_task("a", duration=3, demands={machine: 1}, deadline=4)
    b = model.add_task("b", duration=3, demands={machine: 1}, deadline=4)
    model.add_precedence(a, b)
    model.minimize("makespan")
    result = solve(model.freeze())
    assert result.status == Status.INFEASIBLE
    assert result.solution is None and result.lower_bound is None and result.objective is None
    assert result.gap is None


def test_feasibility_problem_without_objective() -> None:
    model = Model("feasibility")
    machine = model.add_machine("m", downtime=[(0, 2)])
    model.add_task("a", duration=2, demands={machine: 1})
    result = solve(model.freeze())
    assert result.status == Status.OPTIMAL
    assert result.objective is None and result.objectives == ()
    assert result.solution.tasks[0].start >= 2


def test_time_limit_gives_checked_schedule_with_true_bound() -> None:
    problem = taillard_jobshop(21)  # 20x20, best known 1642: not proven in 2 s
    result = solve(problem, time_limit=2, threads=2)
    assert result.status in (Status.FEASIBLE, Status.TIME_LIMIT)
    if result.status == Status.FEASIBLE:
        assert result.violations == []
        assert result.lower_bound <= 1642 <= result.objective
        assert 0 < result.gap < 1
        assert result.wall_time < 4


def test_gap_definition() -> None:
    assert relative_gap(100, 90) == pytest.approx(0.1)
    assert relative_gap(0, 0) == 0.0
    assert relative_gap(None, 3) is None
    assert relative_gap(-10, -20) == pytest.approx(0.5)


def test_warm_start_hints_every_variable() -> None:
    problem = taillard_jobshop(1)
    first = solve(problem, time_limit=2, threads=2)
    again = solve(problem, time_limit=2, threads=2, warm_start=first.solution)
    assert again.stats["hint_complete"]
    assert again.stats["hinted_variables"] == CpSatModel(problem).num_variables
    assert "complete and is feasible" in again.stats["hint_log"]
    assert again.objective <= first.objective


def test_warm_start_of_wrong_size_is_rejected() -> None:
    problem = jobshop_tiny()
    with pytest.raises(ValueError, match="warm start has 1 task assignments"):
        solve(problem, warm_start=Solution((TaskAssignment(),)))


def test_unknown_backend_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown backend 'gurobi'"):
        solve(jobshop_tiny(), backend="gurobi")


def test_callback_sees_improving_solutions() -> None:
    seen = []
    result = solve(taillard_jobshop(2), time_limit=2, threads=2, callback=seen.append)
    assert seen, "at least one solution reported"
    objectives = [event.objective for event in seen]
    assert objectives == sorted(objectives, reverse=True)
    assert seen[-1].objective >= result.objective
    assert all(len(event.solution.tasks) == 225 for event in seen)


def test_lexicographic_levels_are_locked_in_order() -> None:
    """Level 1 (makespan) must not be sacrificed for level 2 (total completion time)."""
    model = Model("lex")
    machine = model.add_machine("m")
    long = model.add_task("long", duration=5, demands={machine: 1})
    short = model.add_task("short", duration=1, demands={machine: 1})
    follower = model.add_task("follower", duration=4)
    model.add_precedence(long, follower)
    model.minimize("makespan")
    model.minimize("total_weighted_completion")
    result = solve(model.freeze())
    # makespan 9 needs 'long' first (long 0-5, follower 5-9, short 5-6); total completion 5 + 6 + 9 = 20.
    # 'short' first would give total completion 1 + 6 + 10 = 17 but makespan 10.
    assert result.objectives == (9, 20)
    assert result.solution.tasks[long].start == 0
    assert result.solution.tasks[short].start == 5
    assert [lv.status for lv in result.levels] == [Status.OPTIMAL, Status.OPTIMAL]


def test_lexicographic_podpack_result_reports_every_level() -> None:
    problem = podpack_tiny()
    result = solve(problem)
    assert len(result.levels) == len(problem.objective.levels) == len(result.objectives)
    assert result.sense is Sense.MAXIMIZE
    assert result.objective == result.objectives[0]


def test_schedule_rejected_by_checker_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A backend returning a bad schedule must never look like a success."""
    problem = jobshop([[(0, 2), (1, 3)], [(1, 2), (0, 1)]], name="js")
    # j0_o1 starts before j0_o0 ends, and overlaps j1_o0 on machine 1.
    overlapping = Solution.from_lists([0, 1, 0, 2])

    def broken_backend(_problem, **_kwargs):
        return BackendOutcome(
            Status.OPTIMAL,
            overlapping,
            [LevelOutcome(0, "", Sense.MINIMIZE, Status.OPTIMAL, objective=5, bound=5)],
            "cpsat",
        )

    monkeypatch.setattr(
        "schedkit.solvers.driver._run_backend", lambda backend, problem, **kw: broken_backend(problem, **kw)
    )
    result = solve(problem, backend="cpsat")
    assert result.status == Status.ERROR
    assert not result.ok
    assert {v.kind for v in result.violations} == {"precedence", "capacity"}


def test_objective_mismatch_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = dataclasses.replace(jobshop_tiny(), horizon=None)
    good = solve(problem, backend="cpsat")

    def lying_backend(_problem, **_kwargs):
        levels = [
            LevelOutcome(0, "", Sense.MINIMIZE, Status.OPTIMAL, objective=good.objective - 1, bound=good.objective - 1)
        ]
        return BackendOutcome(Status.OPTIMAL, good.solution, levels, "cpsat")

    monkeypatch.setattr(
        "schedkit.solvers.driver._run_backend", lambda backend, problem, **kw: lying_backend(problem, **kw)
    )
    result = solve(problem, backend="cpsat")
    assert result.status == Status.ERROR
    assert "objective mismatch" in result.message


def test_backend_exception_becomes_error_result(monkeypatch: pytest.MonkeyPatch) -> None:
    def crashing(*_args, **_kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr("schedkit.solvers.driver._run_backend", crashing)
    result = solve(jobshop_tiny(), backend="cpsat")
    assert result.status == Status.ERROR
    assert "solver exploded" in result.message


def test_result_to_dict_has_cli_keys() -> None:
    data = solve(jobshop_tiny(), backend="cpsat").to_dict()
    for key in ("status", "objective", "lower_bound", "bound_source", "gap", "wall_time", "violations"):
        assert key in data
    assert data["status"] == "optimal" and data["bound_source"] == "cpsat" and data["violations"] == []
