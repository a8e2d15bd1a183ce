"""Constructs that constructive schedulers (dispatch rules, SGS) cannot honour, refused in one place.

A dispatch rule or a schedule-generation scheme places every task once, as
early as its predecessors and resources allow. That cannot respect a cyclic
schedule, disjunctive pairs, optional tasks, deadlines, pinned starts, a
selection that leaves tasks out, or precedences other than end-to-start with
a non-negative lag. :func:`refuse_common` raises the caller's error type,
naming the construct and the entity, for the first one it finds.
"""

from __future__ import annotations

from collections.abc import Callable

from schedkit.models import PrecedenceType, ProblemData

Refusal = Callable[[str, str], Exception]
"""``(construct, detail) -> error`` built by the caller (it knows its own error type and wording)."""


def refuse_common(problem: ProblemData, unsupported: Refusal) -> None:
    """Raise ``unsupported(construct, detail)`` for the first construct a constructive scheduler cannot honour."""
    if problem.cycle is not None:
        raise unsupported("cycle", "an initiation interval (cyclic schedule)")
    if problem.disjunctive_pairs:
        raise unsupported("disjunctive_pair", f"{len(problem.disjunctive_pairs)} disjunctive pairs")
    for i, task in enumerate(problem.tasks):
        what = problem.describe_task(i)
        if task.optional:
            raise unsupported("optional_tasks", f"{what} is optional")
        if task.deadline is not None:
            raise unsupported("deadline", f"{what} has deadline {task.deadline}")
        if task.pin is not None and task.pin.start is not None:
            raise unsupported("pin", f"{what} is pinned to start at {task.pin.start}")
    for selection in problem.selections:  # every task is present: a selection holds or never can
        too_many = selection.max_present is not None and len(selection.tasks) > selection.max_present
        if len(selection.tasks) < selection.min_present or too_many:
            raise unsupported("selection", "a selection that excludes some of the (mandatory) tasks")
    for prec in problem.precedences:
        names = f"{problem.describe_task(prec.a)} -> {problem.describe_task(prec.b)}"
        if prec.type != PrecedenceType.END_TO_START:
            raise unsupported(f"precedence.{prec.type.value}", names)
        if prec.lag < 0:
            raise unsupported("a negative lag (maximum time lag)", f"{names} has lag {prec.lag}")
        if prec.distance:
            raise unsupported("iteration_distance", f"{names} has distance {prec.distance}")
        if prec.transfer_lag:
            raise unsupported("transfer_lag", f"{names} has transfer lag {prec.transfer_lag}")
        if prec.a == prec.b:
            raise unsupported("a precedence loop", names)
