"""The ``locations_used`` objective term: the checker's count by hand, CP-SAT against enumeration both ways."""

from __future__ import annotations

import pytest

from schedkit.models import Model, ProblemData, Solution, TaskAssignment
from schedkit.solvers import evaluate, solve
from schedkit.solvers.capabilities import features, missing
from tests.brute_force import brute_force


def spread(sense: str = "min", optional: bool = False) -> ProblemData:
    """Three tasks, each on machine M or N (locations "M" and "N"); all fit on one machine within the horizon."""
    m = Model("locations")
    machines = {name: m.add_machine(name) for name in "MN"}
    for k, duration in enumerate((2, 1, 1)):
        task = m.add_task(f"t{k}", optional=optional and k == 2)
        for name, machine in machines.items():
            m.add_mode(task, duration, {machine: 1}, location=name)
    m.set_horizon(4)
    if sense == "min":
        m.minimize("locations_used")
    else:
        m.maximize("locations_used")
    return m.freeze()


def test_checker_counts_distinct_locations_of_present_tasks() -> None:
    problem = spread(optional=True)
    assert "term.locations_used" in features(problem) and missing(problem, "cpsat") == []
    assert evaluate(problem, Solution.from_lists([0, 2, 3], modes=[0, 0, 0])) == (1,)
    assert evaluate(problem, Solution.from_lists([0, 0, 1], modes=[0, 1, 1])) == (2,)
    absent = Solution((TaskAssignment(True, 0, 0), TaskAssignment(True, 0, 2), TaskAssignment(False, None, None)))
    assert evaluate(problem, absent) == (1,)


@pytest.mark.parametrize("sense", ["min", "max"])
def test_cpsat_matches_enumeration(sense: str) -> None:
    problem = spread(sense)
    best, _, _ = brute_force(problem)
    result = solve(problem, time_limit=10, threads=1)
    assert result.status.value == "optimal" and result.objectives == best == ((1,) if sense == "min" else (2,))
