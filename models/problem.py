"""The frozen, validated problem: ``ProblemData``."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from schedkit.models.entities import (
    CoverageGroup,
    Cycle,
    DisjunctivePair,
    Implication,
    Objective,
    Precedence,
    Resource,
    Selection,
    Task,
)
from schedkit.models.enums import ResourceKind


@dataclass(frozen=True, eq=True)
class ProblemData:
    """An immutable, index-based scheduling or allocation problem.

    Build one with :class:`models.Model` (or a family builder) rather than by hand;
    constructing it directly runs the same validation, so an invalid problem
    never exists. ``horizon`` optionally bounds every end time; when None,
    :attr:`effective_horizon` computes a bound that every left-justified
    schedule respects. ``family`` and ``meta`` carry what the family builder
    knows (e.g. the job of each operation) for heuristics and reports.
    """

    resources: tuple[Resource, ...] = ()
    tasks: tuple[Task, ...] = ()
    precedences: tuple[Precedence, ...] = ()
    implications: tuple[Implication, ...] = ()
    selections: tuple[Selection, ...] = ()
    coverage_groups: tuple[CoverageGroup, ...] = ()
    disjunctive_pairs: tuple[DisjunctivePair, ...] = ()
    cycle: Cycle | None = None
    objective: Objective = field(default_factory=Objective)
    horizon: int | None = None
    name: str = ""
    family: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        from schedkit.models.validation import validate

        validate(self)

    # ------------------------------------------------------------------ sizes
    @property
    def num_tasks(self) -> int:
        """Number of tasks."""
        return len(self.tasks)

    @property
    def num_resources(self) -> int:
        """Number of resources."""
        return len(self.resources)

    @property
    def is_cyclic(self) -> bool:
        """Whether the problem has an initiation interval (a modulo schedule)."""
        return self.cycle is not None

    # ---------------------------------------------------------------- lookups
    @cached_property
    def task_index(self) -> dict[str, int]:
        """Task name -> index."""
        return {task.name: index for index, task in enumerate(self.tasks)}

    @cached_property
    def resource_index(self) -> dict[str, int]:
        """Resource name -> index."""
        return {res.name: index for index, res in enumerate(self.resources)}

    @cached_property
    def effective_horizon(self) -> int:
        """An upper bound on every end time.

        The user's ``horizon`` when set. Otherwise the latest of all releases and
        calendar window ends, plus, summed over tasks, the longest mode duration
        (or usage end, if a reservation reaches beyond it), plus every positive
        lag and transfer lag: a schedule that never waits without a reason fits.
        """
        if self.horizon is not None:
            return self.horizon
        latest_event = max(
            [0]
            + [task.release for task in self.tasks]
            + [window.end for res in self.resources for window in res.calendar]
        )
        work = 0
        for task in self.tasks:
            longest = 0
            for mode in task.modes:
                longest = max(longest, mode.duration)
                for demand in mode.demands:
                    if self.resources[demand.resource].kind.is_timed:
                        longest = max(longest, demand.offset + demand.usage_length(mode.duration))
            work += longest
        lags = sum(max(0, prec.lag) + max(0, prec.transfer_lag) for prec in self.precedences)
        horizon = latest_event + work + lags
        deadlines = [task.deadline for task in self.tasks if task.deadline is not None]
        return max([horizon, *deadlines]) if deadlines else horizon

    def resources_of_kind(self, kind: ResourceKind) -> list[int]:
        """Indices of the resources of ``kind``."""
        return [index for index, res in enumerate(self.resources) if res.kind == kind]

    def describe_task(self, index: int) -> str:
        """``task 'name' (#index)`` for messages."""
        return f"task '{self.tasks[index].name}' (#{index})"

    def describe_resource(self, index: int) -> str:
        """``resource 'name' (#index)`` for messages."""
        return f"resource '{self.resources[index].name}' (#{index})"

    def __repr__(self) -> str:
        family = f", family={self.family!r}" if self.family else ""
        return (
            f"ProblemData(name={self.name!r}{family}, tasks={self.num_tasks}, "
            f"resources={self.num_resources}, precedences={len(self.precedences)}, "
            f"levels={len(self.objective.levels)})"
        )
