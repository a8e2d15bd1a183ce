"""What a solve returns: ``Status``, per-level outcomes and the ``Result``."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from schedkit.models import ProblemData, Sense, Solution
from schedkit.solvers.checker import Violation


class Status(str, Enum):
    """Outcome of a solve.

    ``optimal``     a schedule that passed the checker, every level proven optimal
                    (for a problem without objective: a feasible schedule);
    ``feasible``    a schedule that passed the checker, optimality not proven;
    ``infeasible``  proven that no schedule exists;
    ``time_limit``  the time limit ended the search before any schedule was found;
    ``unknown``     no schedule and no proof, for another reason;
    ``error``       the backend failed, or returned a schedule the checker rejects
                    (then ``violations`` says why; such a schedule is never a result).
    """

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time_limit"
    UNKNOWN = "unknown"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value

    @property
    def has_solution(self) -> bool:
        """Whether this status comes with a checked schedule."""
        return self in (Status.OPTIMAL, Status.FEASIBLE)


@dataclass
class Progress:
    """One improving solution seen during a solve (passed to the user's callback)."""

    level: int
    objective: float
    bound: float
    wall_time: float
    solution: Solution


@dataclass
class LevelOutcome:
    """How one lexicographic level ended.

    ``objective`` is the value the backend claims for the level, ``bound`` its
    proven dual bound (a lower bound when minimising, an upper bound when
    maximising), or None when none is known.
    """

    index: int
    name: str
    sense: Sense
    status: Status
    objective: int | None = None
    bound: float | None = None
    wall_time: float = 0.0


@dataclass
class BackendOutcome:
    """What a backend hands to ``solve()`` before the checker has looked at it."""

    status: Status
    solution: Solution | None
    levels: list[LevelOutcome] = field(default_factory=list)
    bound_source: str = ""
    time_to_best: float | None = None
    stats: dict[str, Any] = field(default_factory=dict)
    message: str = ""


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """``|objective - bound| / max(|objective|, |bound|)``, 0 when both are 0, None when unknown.

    For a minimisation with positive values this is the usual
    ``(objective - bound) / objective``.
    """
    if objective is None or bound is None:
        return None
    scale = max(abs(objective), abs(bound))
    return 0.0 if scale == 0 else abs(objective - bound) / scale


@dataclass
class Result:
    """The outcome of :func:`schedkit.solvers.solve`.

    ``objective``, ``lower_bound`` and ``gap`` refer to the primary (first)
    objective level; ``objectives`` lists every level's value as recomputed by
    the checker and ``levels`` how each level ended. ``lower_bound`` is the
    proven dual bound of the primary level (an upper bound for a maximising
    level, see ``sense``) or None: it is never replaced by a made-up value.
    """

    status: Status
    backend: str
    objective: int | None = None
    lower_bound: float | None = None
    bound_source: str | None = None
    gap: float | None = None
    wall_time: float = 0.0
    time_to_best: float | None = None
    solution: Solution | None = None
    violations: list[Violation] = field(default_factory=list)
    objectives: tuple[int, ...] | None = None
    sense: Sense | None = None
    levels: list[LevelOutcome] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    problem: str = ""
    objective_text: str = ""
    """The objective as a person reads it (the family's units, levels by name); set by ``solve()``."""

    def describe(self, problem: ProblemData) -> None:
        """Set :attr:`objective_text` from ``problem`` (e.g. ``1.45`` for a KV tree, ``placed>=2 3, ...``)."""
        from schedkit.models.objective_display import objective_text

        self.objective_text = objective_text(problem, self.objectives, self.solution) if self.objectives else ""

    @property
    def ok(self) -> bool:
        """Whether a checked schedule came back."""
        return self.status.has_solution

    def to_dict(
        self, include_solution: bool = False, problem: ProblemData | None = None, include_schedule: bool = False
    ) -> dict[str, Any]:
        """A JSON-ready summary (the CLI prints this).

        Parameters
        ----------
        include_solution
            Add the solution's JSON (``solution``, the schema of
            :func:`~schedkit.models.solution_to_dict`, with task names and end
            times when ``problem`` is given).
        problem
            The problem solved: adds ``level_names``, ``user_objectives`` and
            ``user_bound`` (the objective in the family's own units, e.g. ETS's
            real objective for the KV tree, where ``objective`` stays the
            scaled IR integer) and ``objective_text`` (what a person reads).
        include_schedule
            With ``problem``: add ``schedule``, one row per task (see
            :func:`schedkit.models.schedule_table.schedule_rows`).
        """

        def num(x: float | None) -> float | None:
            return None if x is None or (isinstance(x, float) and math.isinf(x)) else x

        data: dict[str, Any] = {
            "problem": self.problem,
            "backend": self.backend,
            "status": self.status.value,
            "objective": self.objective,
            "lower_bound": num(self.lower_bound),
            "bound_source": self.bound_source,
            "gap": self.gap,
            "sense": None if self.sense is None else self.sense.value,
            "objectives": None if self.objectives is None else list(self.objectives),
            "wall_time": round(self.wall_time, 4),
            "time_to_best": None if self.time_to_best is None else round(self.time_to_best, 4),
            "violations": [v.message for v in self.violations],
            "levels": [
                {
                    "index": lv.index,
                    "name": lv.name,
                    "sense": Sense(lv.sense).value,
                    "status": lv.status.value,
                    "objective": lv.objective,
                    "bound": num(lv.bound),
                    "wall_time": round(lv.wall_time, 4),
                }
                for lv in self.levels
            ],
            "stats": self.stats,
            "message": self.message,
            "objective_text": self.objective_text,
        }
        if problem is not None:
            from schedkit.models.objective_display import level_names, objective_text, user_bound, user_objectives

            data["level_names"] = level_names(problem)
            data["user_objectives"] = user_objectives(problem, self.objectives, self.solution)
            data["user_bound"] = num(user_bound(problem, self.lower_bound))
            data["objective_text"] = objective_text(problem, self.objectives, self.solution)
            if include_schedule and self.solution is not None and self.ok:
                from schedkit.models.schedule_table import schedule_rows

                data["schedule"] = schedule_rows(problem, self.solution)
        if include_solution and self.solution is not None:
            from schedkit.models import solution_to_dict

            data["solution"] = solution_to_dict(self.solution, problem)
        return data

    def __repr__(self) -> str:
        gap = "-" if self.gap is None else f"{100 * self.gap:.2f}%"
        shown = str(self.objective)
        if self.objective_text and self.objective_text != shown:
            shown = f"{self.objective} ({self.objective_text})"
        return (
            f"Result(status={self.status.value}, objective={shown}, bound={self.lower_bound}, "
            f"gap={gap}, wall_time={self.wall_time:.3f}s, backend={self.backend})"
        )
