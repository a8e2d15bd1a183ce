"""Objectives in the family's units (the KV tree's real ETS objective) and lexicographic levels by name."""

from __future__ import annotations

import pytest

from schedkit.demo import _kvtree_demo, _podpack_demo
from schedkit.models import Model
from schedkit.models.kvtree import ets_objective
from schedkit.models.objective_display import (
    format_number,
    level_names,
    objective_text,
    user_bound,
    user_objectives,
)
from schedkit.solvers import solve


def test_kvtree_reports_the_ets_objective_not_the_scaled_integer() -> None:
    problem = _kvtree_demo()
    result = solve(problem, time_limit=10, threads=1)
    assert result.objective == 1449999  # the IR's scaled, rounded integer
    exact = ets_objective(problem, result.solution)
    assert user_objectives(problem, result.objectives, result.solution) == [exact]
    assert objective_text(problem, result.objectives, result.solution) == format_number(exact) == "1.45"
    assert user_bound(problem, result.lower_bound) == pytest.approx(result.lower_bound / problem.meta["scale"])
    # without the schedule, the scale alone converts
    assert user_objectives(problem, result.objectives) == [pytest.approx(1.449999)]
    data = result.to_dict(problem=problem)
    assert data["objective"] == 1449999 and data["user_objectives"] == [exact] and data["objective_text"] == "1.45"
    # solve() sets it on the Result itself: its repr and JSON read in ETS's units
    assert result.objective_text == "1.45" and "objective=1449999 (1.45)" in repr(result)
    assert result.to_dict()["objective_text"] == "1.45"


def test_lexicographic_levels_print_by_name() -> None:
    problem = _podpack_demo()
    result = solve(problem, time_limit=10, threads=1)
    names = level_names(problem)
    assert names == ["placed>=2", "disruption>=2", "placed>=1", "disruption>=1"]
    text = objective_text(problem, result.objectives, result.solution)
    assert text == ", ".join(f"{n} {v}" for n, v in zip(names, result.objectives))


def test_unnamed_levels_are_named_by_their_terms() -> None:
    model = Model("lex")
    machine = model.add_machine("m")
    model.add_task("a", duration=3, demands={machine: 1}, due_date=2, weight=2)
    model.minimize("total_weighted_tardiness")
    model.minimize(("makespan", 2), ("total_weighted_tardiness", -1))
    problem = model.freeze()
    assert level_names(problem) == ["total_weighted_tardiness", "2*makespan - total_weighted_tardiness"]
    assert objective_text(problem, (2, 4)) == "total_weighted_tardiness 2, 2*makespan - total_weighted_tardiness 4"
    assert objective_text(problem, None) == "-"
