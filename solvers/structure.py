"""Structural facts about a problem that every compiler needs (which tasks are timed)."""

from __future__ import annotations

from schedkit.models import ProblemData


def timed_tasks(problem: ProblemData) -> list[bool]:
    """Which tasks have a start that matters; the others are time-free and get ``S = 0``.

    A task is timed when it has a window, a pinned or referenced start, a mode
    with positive duration or a timed (or calendared) resource, a precedence or
    disjunctive pair, or appears in a time-dependent objective term. Fixing the
    start of every other task to 0 changes no constraint and no objective value,
    and keeps packing and selection models free of time variables.
    """
    p = problem
    timed = [
        task.release > 0
        or task.deadline is not None
        or (task.pin is not None and task.pin.start is not None)
        or (task.reference is not None and task.reference.start is not None)
        or any(
            mode.duration > 0
            or any(p.resources[d.resource].kind.is_timed or p.resources[d.resource].calendar for d in mode.demands)
            for mode in task.modes
        )
        for task in p.tasks
    ]
    for prec in p.precedences:
        timed[prec.a] = timed[prec.b] = True
    for pair in p.disjunctive_pairs:
        timed[pair.a] = timed[pair.b] = True
    for level in p.objective.levels:
        for term in level.terms:
            if term.kind.depends_on_time:
                for i in range(p.num_tasks) if term.tasks is None else term.tasks:
                    timed[i] = True
    return timed
