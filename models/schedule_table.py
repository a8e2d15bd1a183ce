"""A solution as a table: one row per task, with the names a person looks for.

A :class:`~schedkit.models.solution.Solution` is index based (presence, mode
index and start per task). For a person, a spreadsheet or pandas, the useful
view names things: the task, its job and operation where the family has jobs
(job shops and flexible job shops record them in ``meta["jobs"]``), the mode,
the resources that mode uses, the start and the end. :func:`schedule_rows`
builds that view as plain dictionaries (JSON-ready, no pandas);
:func:`schedule_frame` as a pandas ``DataFrame`` (also
:meth:`Solution.to_frame <schedkit.models.solution.Solution.to_frame>`).

The end of a present task is ``start + duration`` of its mode (the task's own
interval; a reservation table may use a resource beyond it, see
:class:`~schedkit.models.entities.Demand`). Absent tasks keep their row with
``present = False`` and empty mode, start and end, so the table always has one
row per task, in task order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from schedkit.models.problem import ProblemData
    from schedkit.models.solution import Solution

COLUMNS: tuple[str, ...] = ("task", "job", "operation", "mode", "location", "resources", "start", "end", "present")
"""Every column a schedule table can have, in order; ``job``, ``operation`` and ``location`` appear only when used."""


def job_positions(problem: ProblemData) -> dict[int, tuple[int, int]] | None:
    """Task index -> ``(job, operation)`` from ``meta["jobs"]`` (lists of task indices per job), or None.

    None when the problem records no jobs, or records them in a shape that does
    not index its tasks (a hand-edited ``meta`` must not break a table).
    """
    jobs = problem.meta.get("jobs")
    if not isinstance(jobs, (list, tuple)):
        return None
    positions: dict[int, tuple[int, int]] = {}
    for job, tasks in enumerate(jobs):
        if not isinstance(tasks, (list, tuple)):
            return None
        for operation, task in enumerate(tasks):
            if isinstance(task, bool) or not isinstance(task, int) or not 0 <= task < problem.num_tasks:
                return None
            positions[task] = (job, operation)
    return positions


def _check_length(problem: ProblemData, solution: Solution) -> None:
    if len(solution.tasks) != problem.num_tasks:
        raise ValueError(
            f"the solution has {len(solution.tasks)} task assignments, the problem {problem.num_tasks} tasks"
        )


def schedule_rows(problem: ProblemData, solution: Solution) -> list[dict[str, Any]]:
    """One dictionary per task (keys from :data:`COLUMNS`), in task order.

    ``resources`` is the comma-separated names of the resources the chosen
    mode demands (empty for an absent task or a mode without demands).
    ``job`` and ``operation`` are present when the problem records jobs,
    ``location`` when any mode of the problem has one. Raises ``ValueError``
    when the solution does not have one assignment per task, or names a mode
    the task does not have.
    """
    _check_length(problem, solution)
    positions = job_positions(problem)
    located = any(mode.location is not None for task in problem.tasks for mode in task.modes)
    rows: list[dict[str, Any]] = []
    for index, (task, assignment) in enumerate(zip(problem.tasks, solution.tasks)):
        row: dict[str, Any] = {"task": task.name}
        if positions is not None:
            job, operation = positions.get(index, (None, None))
            row["job"] = job
            row["operation"] = operation
        present = bool(assignment.present)
        mode_index = assignment.mode if present else None
        if mode_index is not None and not 0 <= mode_index < len(task.modes):
            raise ValueError(f"{problem.describe_task(index)}: no mode {mode_index} (the task has {len(task.modes)})")
        mode = task.modes[mode_index] if mode_index is not None else None
        row["mode"] = mode_index
        if located:
            row["location"] = None if mode is None else mode.location
        names = dict.fromkeys(problem.resources[d.resource].name for d in mode.demands) if mode is not None else {}
        row["resources"] = ",".join(names)
        start = assignment.start if present else None
        row["start"] = start
        row["end"] = None if start is None or mode is None else start + mode.duration
        row["present"] = present
        rows.append(row)
    return rows


def schedule_frame(problem: ProblemData, solution: Solution) -> pd.DataFrame:
    """The table of :func:`schedule_rows` as a pandas ``DataFrame``.

    Integer columns that may be empty (``job``, ``operation``, ``mode``,
    ``start``, ``end``) use pandas' nullable ``Int64``, so an absent task shows
    ``<NA>`` instead of turning the column into floats.
    """
    import pandas as pd

    rows = schedule_rows(problem, solution)
    columns = [c for c in COLUMNS if c in rows[0]] if rows else ["task", "mode", "resources", "start", "end", "present"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("job", "operation", "mode", "start", "end"):
        if column in frame.columns:
            frame[column] = frame[column].astype("Int64")
    frame["present"] = frame["present"].astype(bool)
    return frame


__all__ = ["COLUMNS", "job_positions", "schedule_frame", "schedule_rows"]
