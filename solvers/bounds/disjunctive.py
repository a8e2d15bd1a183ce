"""Sets of forced tasks that run one at a time: each holds a common resource for its whole duration.

On a unary or renewable resource r of largest capacity c, pieces of amount
> c / 2 can never overlap. If every allowed mode of a forced task j has
duration 0 or such a piece covering ``[S_j, E_j)`` (offset 0, length >=
duration; ``UsageShape.covers``), then the execution intervals ``[S_j, E_j)``
of these tasks are pairwise disjoint, and none of them (of positive length)
meets a time where the capacity of r is below the smallest of their amounts.
:func:`disjunctive_sets` returns one such set per resource (when it has at
least two tasks or unavailable periods), with the machine's unavailable
periods and each task's minimum duration.
"""

from __future__ import annotations

from dataclasses import dataclass

from schedkit.models import ProblemData, ResourceKind
from schedkit.solvers.bounds.capacity import Profile
from schedkit.solvers.bounds.facts import task_facts
from schedkit.solvers.bounds.usage import heavy_amount, usage_shape


@dataclass(frozen=True)
class DisjunctiveSet:
    """Forced tasks with pairwise disjoint ``[S, E)`` on ``resource``, and the machine's availability."""

    resource: int
    tasks: tuple[int, ...]
    availability: Profile
    """1 where the tasks may run, 0 where none of them can (see :meth:`Profile.at_least`)."""


def disjunctive_sets(problem: ProblemData) -> list[DisjunctiveSet]:
    """One :class:`DisjunctiveSet` per unary or renewable resource that has one."""
    facts = task_facts(problem)
    found: list[DisjunctiveSet] = []
    for r, res in enumerate(problem.resources):
        if res.kind not in (ResourceKind.UNARY, ResourceKind.RENEWABLE):
            continue
        threshold = heavy_amount(res.max_capacity)
        members: list[int] = []
        smallest = None
        for j in range(problem.num_tasks):
            if not facts.forced[j]:
                continue
            shape = usage_shape(problem, facts, j, r, threshold)
            if shape is None or not shape.covers:
                continue
            members.append(j)
            smallest = shape.amount if smallest is None else min(smallest, shape.amount)
        if smallest is not None:
            found.append(DisjunctiveSet(r, tuple(members), Profile.of(res).at_least(smallest)))
    return found
