"""JSON round trip of problems of every family and of solutions, with schema checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schedkit.models import (
    ModelError,
    load_problem,
    load_solution,
    problem_from_dict,
    problem_to_dict,
    save_problem,
    save_solution,
    solution_from_dict,
    solution_to_dict,
)
from schedkit.solvers import solve
from tests.tiny_families import FAMILIES


@pytest.mark.parametrize("family", FAMILIES)
def test_problem_round_trips_through_json_text(family: str) -> None:
    problem = FAMILIES[family]()
    text = json.dumps(problem_to_dict(problem))
    again = problem_from_dict(json.loads(text))
    assert again == problem
    assert again.meta == json.loads(json.dumps(problem.meta))
    assert problem_to_dict(again) == problem_to_dict(problem)


@pytest.mark.parametrize("family", FAMILIES)
def test_solution_round_trips_through_files(family: str, tmp_path: Path) -> None:
    problem = FAMILIES[family]()
    result = solve(problem, time_limit=10)
    save_problem(problem, tmp_path / "p.json")
    save_solution(result.solution, tmp_path / "s.json", problem)
    loaded_problem = load_problem(tmp_path / "p.json")
    loaded = load_solution(tmp_path / "s.json", loaded_problem)
    assert loaded_problem == problem
    assert loaded == result.solution
    assert solution_from_dict(solution_to_dict(result.solution)) == result.solution


def test_schema_and_version_are_checked() -> None:
    data = problem_to_dict(FAMILIES["jobshop"]())
    with pytest.raises(ModelError, match="version"):
        problem_from_dict({**data, "version": 99}, source="x.json")
    with pytest.raises(ModelError, match="schema"):
        problem_from_dict({**data, "schema": "other"}, source="x.json")


def test_unknown_and_invalid_fields_are_named() -> None:
    data = problem_to_dict(FAMILIES["jobshop"]())
    data["tasks"][1]["modez"] = []
    with pytest.raises(ModelError, match=r"x\.json.*tasks\[1\].*unknown key\(s\): modez"):
        problem_from_dict(data, source="x.json")
    data = problem_to_dict(FAMILIES["jobshop"]())
    data["tasks"][2]["release"] = -4
    with pytest.raises(ModelError, match=r"x\.json: task 'j1_o0' \(#2\), field 'release': must be >= 0"):
        problem_from_dict(data, source="x.json")


def test_solution_task_names_must_match(tmp_path: Path) -> None:
    problem = FAMILIES["jobshop"]()
    data = solution_to_dict(solve(problem).solution, problem)
    data["tasks"][0]["task"] = "someone-else"
    with pytest.raises(ModelError, match="someone-else"):
        solution_from_dict(data, problem=problem)


def test_invalid_json_names_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"schema": "schedkit/problem",\n "version": 1,\n "tasks": [}\n')
    with pytest.raises(ModelError, match=r"broken\.json.*line 3"):
        load_problem(path)
