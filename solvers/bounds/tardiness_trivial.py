"""``tardiness_trivial``: every forced task is at least as tardy as its earliest possible end makes it.

Total weighted tardiness is ``sum_{j in P, due} w_j max(0, E_j - d_j)`` with
w_j >= 0. Each forced task j of the term's subset is present and ends at
``E_j >= head(E_j)`` (the longest path from the origin in the temporal
network, :mod:`.temporal`: release + duration at least, plus whatever the
precedences force), so it contributes at least ``w_j max(0, head(E_j) -
d_j)``; optional tasks contribute >= 0. Valid for any number of machines
and resources (they are ignored).
"""

from __future__ import annotations

from collections.abc import Iterable

from schedkit.models import ProblemData, Term, TermKind
from schedkit.solvers.bounds.bound import Bound, TermBound, lower_bound_source
from schedkit.solvers.bounds.facts import TaskFacts
from schedkit.solvers.bounds.temporal import Heads, heads, network


def due_tasks(problem: ProblemData, term: Term) -> tuple[Heads, TaskFacts, set[int], dict[int, int]] | None:
    """(heads, facts, the term's subset, due dates of its forced weighted tasks), or None if infeasible."""
    found = heads(problem)
    if found is None:
        return None
    facts = network(problem).facts
    subset = set(range(problem.num_tasks) if term.tasks is None else term.tasks)
    due: dict[int, int] = {}
    for j in subset:
        due_date = problem.tasks[j].due_date
        if facts.forced[j] and due_date is not None and problem.tasks[j].weight:
            due[j] = due_date
    return found, facts, subset, due


def earliest_tardiness(problem: ProblemData, found: Heads, tasks: Iterable[int]) -> int:
    """``sum w_j max(0, head(E_j) - d_j)`` over ``tasks``: each at its earliest end (no due date: never tardy)."""
    total = 0
    for j in tasks:
        due = problem.tasks[j].due_date
        if due is not None:
            total += problem.tasks[j].weight * max(0, found.end(j) - due)
    return total


def trivial_bound(problem: ProblemData, term: Term) -> TermBound | None:
    """Lower bound on a total weighted tardiness term: the sum of the forced tasks' least tardiness."""
    found = heads(problem)
    if found is None:
        return None
    facts = network(problem).facts
    members = range(problem.num_tasks) if term.tasks is None else term.tasks
    value = 0
    counted = 0
    for j in members:
        task = problem.tasks[j]
        if facts.forced[j] and task.due_date is not None and task.weight:
            value += task.weight * max(0, found.end(j) - task.due_date)
            counted += 1
    if not counted:
        return None
    return value, f"{counted} forced tasks each at their earliest end"


def tardiness_trivial(problem: ProblemData) -> Bound | None:
    """Level 0 with a total weighted tardiness term: sum of w max(0, earliest end - due)."""
    return lower_bound_source(problem, "tardiness_trivial", TermKind.TOTAL_WEIGHTED_TARDINESS, trivial_bound)
