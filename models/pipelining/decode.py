"""Reading a modulo schedule back from an IR solution: warp group, issue cycle, stage and slot per op."""

from __future__ import annotations

from schedkit.models.pipelining.loop import OpSchedule
from schedkit.models.problem import ProblemData
from schedkit.models.solution import Solution


def read_schedule(problem: ProblemData, solution: Solution) -> dict[str, OpSchedule]:
    """Per op (task name): warp group, issue cycle, stage (``start // II``), slot (``start % II``), latency.

    Raises ``ValueError`` when the solution has no II, or an op is absent or
    unscheduled (a modulo schedule issues every op).
    """
    if solution.ii is None or solution.ii < 1:
        raise ValueError(f"a modulo schedule needs an initiation interval >= 1, got {solution.ii!r}")
    if len(solution) != problem.num_tasks:
        raise ValueError(f"the solution has {len(solution)} tasks, the problem {problem.num_tasks}")
    schedule: dict[str, OpSchedule] = {}
    for index, (task, assignment) in enumerate(zip(problem.tasks, solution.tasks)):
        if not assignment.present or assignment.start is None or assignment.mode is None:
            raise ValueError(f"{problem.describe_task(index)} is not scheduled")
        start = assignment.start
        schedule[task.name] = OpSchedule(
            op=task.name,
            warp_group=task.modes[assignment.mode].location,
            issue=start,
            stage=start // solution.ii,
            slot=start % solution.ii,
            latency=task.modes[assignment.mode].duration,
        )
    return schedule
