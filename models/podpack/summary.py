"""A placement read in family terms: pods placed per priority, moves, evictions and node per pod."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from schedkit.models.problem import ProblemData
from schedkit.models.solution import Solution


@dataclass(frozen=True)
class PackingSummary:
    """A placement read in family terms.

    ``placed_by_priority`` / ``total_by_priority``: pods placed / existing per
    priority, highest first (unplaceable pods count in the totals); ``moved``
    and ``evicted``: running pods now on another node / pending;
    ``disruption``: the IR's disruption term (by default 2 per move, 1 per
    eviction); ``disrupted = moved + evicted`` is the count the benchmark's
    ``optimal_min_disruption`` reports.
    """

    placed_by_priority: dict[int, int]
    total_by_priority: dict[int, int]
    moved: int
    evicted: int
    disruption: int

    @property
    def disrupted(self) -> int:
        """Number of running pods that left their node (moved or evicted)."""
        return self.moved + self.evicted


def summarize(problem: ProblemData, solution: Solution) -> PackingSummary:
    """Placed pods per priority and the disruption of ``solution`` (see :class:`PackingSummary`)."""
    if len(solution) != problem.num_tasks:
        raise ValueError(f"the solution has {len(solution)} tasks, the problem {problem.num_tasks}")
    priorities: list[int] = problem.meta["priorities"]
    placed: dict[int, int] = {}
    total: dict[int, int] = {}
    for priority in priorities:
        total[priority] = total.get(priority, 0) + 1
        placed.setdefault(priority, 0)
    for entry in problem.meta.get("unplaceable", []):
        total[entry["priority"]] = total.get(entry["priority"], 0) + 1
        placed.setdefault(entry["priority"], 0)
    moved = evicted = disruption = 0
    for task, assignment, priority in zip(problem.tasks, solution.tasks, priorities):
        if assignment.present:
            placed[priority] += 1
        if task.reference is None:
            continue
        if not assignment.present:
            evicted += 1
            disruption += task.reference.evict_cost
        elif assignment.mode != task.reference.mode:
            moved += 1
            disruption += task.reference.move_cost
    order = sorted(total, reverse=True)
    return PackingSummary(
        placed_by_priority={p: placed[p] for p in order},
        total_by_priority={p: total[p] for p in order},
        moved=moved,
        evicted=evicted,
        disruption=disruption,
    )


def placement(problem: ProblemData, solution: Solution) -> dict[str, str | None]:
    """Node of each placeable pod in ``solution`` (None = pending)."""
    return {
        task.name: task.modes[a.mode].location if a.present and a.mode is not None else None
        for task, a in zip(problem.tasks, solution.tasks)
    }


def compare_placed(a: Mapping[int, int], b: Mapping[int, int]) -> int:
    """+1 if ``a`` places more pods than ``b`` at the highest priority where they differ, -1 if fewer, 0 if equal.

    The paper's ``place_compare``: walk the priorities from the highest down;
    the first one whose counts differ decides (a missing priority counts 0).
    """
    for priority in sorted(set(a) | set(b), reverse=True):
        x, y = a.get(priority, 0), b.get(priority, 0)
        if x != y:
            return 1 if x > y else -1
    return 0
