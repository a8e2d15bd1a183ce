"""The solution JSON gains end times: written with the problem, type-checked and not read back, round-trips."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from schedkit.instances import bundled, read
from schedkit.models import ModelError, load_solution, save_solution, solution_to_dict
from schedkit.solvers import solve


def test_solution_json_has_end_times_and_round_trips(tmp_path: Path) -> None:
    problem = read(bundled("js3x3"))
    solution = solve(problem, time_limit=10, threads=1).solution
    assert solution is not None
    path = tmp_path / "solution.json"
    save_solution(solution, path, problem)
    data = json.loads(path.read_text())
    assert data["schema"] == "schedkit/solution" and data["version"] == 1
    for entry, assignment, end in zip(data["tasks"], solution.tasks, solution.ends(problem)):
        assert entry["start"] == assignment.start and entry["end"] == end
    assert load_solution(path, problem) == solution
    # without the problem the JSON stays as before (no names, no ends)
    assert set(solution_to_dict(solution)["tasks"][0]) == {"present", "mode", "start"}
    # end is derived: a wrong type is refused naming the field; its value is not read
    data["tasks"][0]["end"] = "late"
    path.write_text(json.dumps(data))
    with pytest.raises(ModelError, match=r"tasks\[0\]\.end"):
        load_solution(path, problem)
    frame = solution.to_frame(problem)
    assert isinstance(frame, pd.DataFrame) and frame["end"].tolist() == solution.ends(problem)
