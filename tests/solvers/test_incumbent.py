"""Never lose an incumbent: whatever the backend, solve() returns at least the warm start it was given."""

from __future__ import annotations

import pytest

from schedkit.instances import sd2_fjsp, taillard_jobshop
from schedkit.models import Solution
from schedkit.solvers import Status, check, evaluate, run_heuristic, solve
from tests.random_families import random_instance


def _no_worse(result_values: tuple[int, ...], warm_values: tuple[int, ...]) -> bool:
    return result_values <= warm_values  # every level of these instances is minimised


@pytest.mark.parametrize(
    ("backend", "instance"),
    [
        ("cpsat", lambda: sd2_fjsp(40, 10, 50, seed=1)),  # 2000 operations: no CP-SAT schedule in 0.3 s
        ("mip", lambda: taillard_jobshop(1)),  # 15 x 15: the disjunctive MIP finds nothing better in 0.3 s
        ("lp", lambda: taillard_jobshop(1)),  # the LP relaxation gives a bound, no schedule
    ],
)
def test_a_backend_out_of_time_returns_the_warm_start(backend: str, instance) -> None:
    problem = instance()
    warm = run_heuristic(problem, "fifo").solution
    assert warm is not None
    result = solve(problem, backend=backend, time_limit=0.3, threads=1, warm_start=warm)
    assert result.ok and check(problem, result.solution) == []
    warm_values = evaluate(problem, warm)
    assert _no_worse(result.objectives, warm_values)
    assert result.stats["warm_start"]["improved"] is (result.objectives < warm_values)
    assert result.status == Status.FEASIBLE


def test_a_named_heuristic_warm_start_is_kept_too() -> None:
    problem = sd2_fjsp(40, 10, 50, seed=2)
    result = solve(problem, backend="cpsat", time_limit=0.3, threads=1, warm_start="auto")
    assert result.ok
    assert result.objective == result.stats["warm_start"]["objectives"][0]


def test_every_lexicographic_level_keeps_its_incumbent() -> None:
    # a two-level problem: the warm start's values are an upper bound on every level that was reached
    problem = random_instance("kvtree", 4)
    best = solve(problem, time_limit=10)
    assert best.ok
    warm: Solution = best.solution
    for backend in ("cpsat", "mip"):
        result = solve(problem, backend=backend, time_limit=0.05, warm_start=warm)
        assert result.ok
        levels = problem.objective.levels
        for value, reference, level in zip(result.objectives, evaluate(problem, warm), levels):
            assert (value >= reference) if level.sense.value == "max" else (value <= reference)


def test_an_improving_backend_says_so() -> None:
    problem = random_instance("jobshop", 1)
    warm = run_heuristic(problem, "fifo").solution
    result = solve(problem, time_limit=10, warm_start=warm)
    assert result.ok
    improved = result.objectives < evaluate(problem, warm)
    assert result.stats["warm_start"]["improved"] is improved


def test_a_search_stopped_before_it_started_proves_no_bound() -> None:
    # CP-SAT leaves its bound at 0 when time runs out inside presolve: for a maximised level that 0 would be
    # a false upper bound (and the result an error); it must read as "no bound".
    import dataclasses

    from schedkit.models import Objective, ObjectiveLevel, Sense, Term, TermKind

    problem = sd2_fjsp(40, 10, 50, seed=3)
    longest = ObjectiveLevel((Term(TermKind.MAKESPAN, 1),), Sense.MAXIMIZE, "longest")
    problem = dataclasses.replace(problem, objective=Objective((longest,)))
    warm = run_heuristic(problem, "fifo").solution
    result = solve(problem, time_limit=0.3, threads=1, warm_start=warm)
    assert result.status != Status.ERROR, result.message
    assert result.lower_bound is None or result.lower_bound >= result.objective


def test_a_rejected_run_leaves_no_bound_and_the_levels_are_the_warm_starts() -> None:
    from schedkit.models import Sense
    from schedkit.solvers.methods.registry import METHODS, Method, register
    from schedkit.solvers.result import BackendOutcome, LevelOutcome

    def lying(problem, **_):  # an overlapping schedule and a made-up bound
        overlapping = Solution.from_lists([0] * problem.num_tasks)
        level = LevelOutcome(0, "makespan", Sense.MINIMIZE, Status.OPTIMAL, objective=5, bound=1_000_000)
        return BackendOutcome(Status.OPTIMAL, overlapping, [level], "liar")

    register(Method("liar", "claims what it likes", lying))
    try:
        problem = random_instance("jobshop", 2)
        warm = run_heuristic(problem, "fifo").solution
        result = solve(problem, method="liar", warm_start=warm)
    finally:
        METHODS.pop("liar")
    assert result.ok and result.solution == warm
    assert result.lower_bound is None and result.gap is None
    assert [level.objective for level in result.levels] == list(evaluate(problem, warm))
    assert result.stats["warm_start"]["kept"] is True and result.stats["warm_start"]["backend_status"] == "error"
