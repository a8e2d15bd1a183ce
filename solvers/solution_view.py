"""``SolutionView``: a solution's values as flat lists, for the warm-start hint functions of every compiler."""

from __future__ import annotations

from dataclasses import dataclass

from schedkit.models import ProblemData, Solution, TaskAssignment


@dataclass
class SolutionView:
    """A solution's values, precomputed for hint functions (absent tasks: start and end 0)."""

    present: list[bool]
    mode: list[int]
    start: list[int]
    end: list[int]
    ii: int

    @classmethod
    def of(cls, problem: ProblemData, solution: Solution) -> SolutionView:
        """Read ``solution`` against ``problem``; a malformed assignment counts as absent."""
        present: list[bool] = []
        mode: list[int] = []
        start: list[int] = []
        end: list[int] = []
        for task, a in zip(problem.tasks, solution.tasks):
            if (
                isinstance(a, TaskAssignment)
                and a.present
                and a.mode is not None
                and a.start is not None
                and 0 <= a.mode < len(task.modes)
            ):
                present.append(True)
                mode.append(a.mode)
                start.append(a.start)
                end.append(a.start + task.modes[a.mode].duration)
            else:
                present.append(False)
                mode.append(0)
                start.append(0)
                end.append(0)
        return cls(present, mode, start, end, solution.ii or 0)
