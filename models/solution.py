"""``Solution``: per task presence, mode and start (plus II when cyclic)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from schedkit.models.problem import ProblemData


@dataclass(frozen=True, slots=True)
class TaskAssignment:
    """What a solution says about one task: presence, mode index and start.

    The defaults describe a present task in mode 0 at time 0. For an absent
    task, mode and start carry no meaning (the checker ignores them); write
    ``TaskAssignment(False, None, None)``.
    """

    present: bool = True
    mode: int | None = 0
    start: int | None = 0


@dataclass(frozen=True)
class Solution:
    """An assignment of every task of a problem, in task order.

    A solution is plain data: it is not checked on construction. Use
    ``schedkit.solvers.check(problem, solution)`` to verify it.
    """

    tasks: tuple[TaskAssignment, ...]
    ii: int | None = None

    @classmethod
    def from_lists(
        cls,
        starts: Sequence[int | None],
        modes: Sequence[int | None] | None = None,
        present: Sequence[bool] | None = None,
        ii: int | None = None,
    ) -> Solution:
        """Build a solution from parallel lists (modes default to 0, tasks to present).

        An absent task's start and mode may be None; a present task's may not (``ValueError``).
        """
        n = len(starts)
        modes = [0] * n if modes is None else modes
        present = [True] * n if present is None else present
        if not len(modes) == len(present) == n:
            raise ValueError(f"starts, modes and present differ in length ({n}, {len(modes)}, {len(present)})")
        tasks = []
        for j, (s, m, p) in enumerate(zip(starts, modes, present)):
            if not p:
                tasks.append(TaskAssignment(False, None, None))
            elif s is None or m is None:
                raise ValueError(f"task {j} is present but has no {'start' if s is None else 'mode'}")
            else:
                tasks.append(TaskAssignment(True, int(m), int(s)))
        return cls(tuple(tasks), ii)

    def __len__(self) -> int:
        return len(self.tasks)

    def end(self, problem: ProblemData, index: int) -> int | None:
        """End time of task ``index`` (None when absent)."""
        assignment = self.tasks[index]
        if not assignment.present or assignment.start is None or assignment.mode is None:
            return None
        return assignment.start + problem.tasks[index].modes[assignment.mode].duration

    def ends(self, problem: ProblemData) -> list[int | None]:
        """End time of each task (``start + duration`` of its mode; None when absent)."""
        return [self.end(problem, index) for index in range(len(self.tasks))]

    def to_frame(self, problem: ProblemData) -> pd.DataFrame:
        """The schedule as a pandas ``DataFrame``, one row per task.

        Columns: ``task``, ``job`` and ``operation`` (when the family records
        jobs), ``mode``, ``location`` (when modes have one), ``resources``
        (names the mode uses), ``start``, ``end`` and ``present``. See
        :mod:`schedkit.models.schedule_table`.
        """
        from schedkit.models.schedule_table import schedule_frame

        return schedule_frame(problem, self)

    @property
    def starts(self) -> list[int | None]:
        """Start of each task (None when absent)."""
        return [a.start if a.present else None for a in self.tasks]

    @property
    def modes(self) -> list[int | None]:
        """Mode of each task (None when absent)."""
        return [a.mode if a.present else None for a in self.tasks]

    @property
    def present(self) -> list[bool]:
        """Presence of each task."""
        return [a.present for a in self.tasks]
