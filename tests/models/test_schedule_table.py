"""Schedules as tables: one row per task with job, operation, mode, resources, start, end; and the JSON's end times."""

from __future__ import annotations

import pytest

from schedkit.instances import bundled, read
from schedkit.models import Model, Solution
from schedkit.models.schedule_table import job_positions, schedule_rows
from schedkit.solvers import check, solve
from tests import tiny_families


def test_fjsp_frame_by_hand() -> None:
    problem = read(bundled("fjs3x3.fjs"))
    result = solve(problem, time_limit=10, threads=1)
    assert result.solution is not None and check(problem, result.solution) == []
    frame = result.solution.to_frame(problem)
    assert list(frame.columns) == [
        "task",
        "job",
        "operation",
        "mode",
        "location",
        "resources",
        "start",
        "end",
        "present",
    ]
    assert len(frame) == problem.num_tasks
    for index, row in frame.iterrows():
        task = problem.tasks[int(index)]
        assignment = result.solution.tasks[int(index)]
        mode = task.modes[assignment.mode]
        assert row["task"] == task.name
        assert row["mode"] == assignment.mode
        assert row["start"] == assignment.start
        assert row["end"] == assignment.start + mode.duration
        assert row["resources"] == ",".join(problem.resources[d.resource].name for d in mode.demands)
        assert bool(row["present"])
    # the jobs recorded by the builder: job j's operations in order
    for job, tasks in enumerate(problem.meta["jobs"]):
        assert frame.loc[tasks, "job"].tolist() == [job] * len(tasks)
        assert frame.loc[tasks, "operation"].tolist() == list(range(len(tasks)))
    # the makespan is the largest end
    assert frame["end"].max() == result.objective


def test_absent_tasks_keep_their_row_with_empty_times() -> None:
    problem = tiny_families.podpack_tiny()
    solution = solve(problem, time_limit=10, threads=1).solution
    assert solution is not None and not all(solution.present)
    frame = solution.to_frame(problem)
    assert "job" not in frame.columns and "location" in frame.columns  # pods have nodes, not jobs
    absent = frame[~frame["present"]]
    assert len(absent) == problem.num_tasks - sum(solution.present)
    assert absent["start"].isna().all() and absent["end"].isna().all() and absent["mode"].isna().all()
    assert str(frame["start"].dtype) == "Int64"  # nullable integers, not floats
    assert (absent["resources"] == "").all()


def test_rows_without_jobs_and_with_several_resources() -> None:
    model = Model("two resources")
    crane = model.add_resource("crane", "renewable", 2)
    crew = model.add_resource("crew", "renewable", 3)
    model.add_task("lift", duration=4, demands={crane: 1, crew: 2})
    problem = model.freeze()
    rows = schedule_rows(problem, Solution.from_lists([5]))
    assert rows == [{"task": "lift", "mode": 0, "resources": "crane,crew", "start": 5, "end": 9, "present": True}]


def test_job_positions_ignore_a_malformed_meta() -> None:
    problem = read(bundled("js3x3"))
    assert job_positions(problem) == {
        t: (j, k) for j, job in enumerate(problem.meta["jobs"]) for k, t in enumerate(job)
    }
    problem.meta["jobs"] = [[0, 99]]  # not the problem's tasks: no job columns rather than a crash
    assert job_positions(problem) is None


def test_frame_rejects_a_solution_of_another_problem() -> None:
    problem = read(bundled("js3x3"))
    with pytest.raises(ValueError, match="2 task assignments"):
        Solution.from_lists([0, 0]).to_frame(problem)
