"""Objective values as a person reads them: in the family's own units, lexicographic levels by name.

The IR keeps every objective an integer (exact checking, exact locking of
lexicographic levels), so a family with real-valued data scales it: the KV
tree multiplies ETS's objective by ``meta["scale"]`` (10^6 by default) and an
IR objective of ``1449999`` means an ETS objective of ``1.449999``. Reports
must show the latter. Each family with its own units registers a converter in
:data:`USER_UNITS`; the value of an unlisted family is the IR value itself.

A problem with several lexicographic levels is reported level by level with
each level's name (``placed>=2 3, disruption>=2 0``) rather than as a bare
tuple: :func:`level_names` uses the level's ``name`` or, when it has none, a
name built from its terms (``makespan``, ``2*total_weighted_tardiness + makespan``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from schedkit.models.entities import ObjectiveLevel
from schedkit.models.problem import ProblemData
from schedkit.models.solution import Solution

Number = int | float


def _kvtree_units(problem: ProblemData, level: int, value: Number, solution: Solution | None) -> Number:
    """ETS's objective: exact from the unrounded data when the selection is known, else ``value / scale``."""
    from schedkit.models.kvtree.objective import ets_objective, ets_objective_from_ir

    if solution is not None and len(solution.tasks) == problem.num_tasks:
        return ets_objective(problem, solution)
    return ets_objective_from_ir(problem, value)


USER_UNITS: dict[str, Callable[[ProblemData, int, Number, Solution | None], Number]] = {"kvtree": _kvtree_units}
"""Per family, ``(problem, level, IR value, solution or None) -> value in the user's units``."""


def level_name(level: ObjectiveLevel, index: int = 0) -> str:
    """The level's ``name``, or its terms written out (``makespan``, ``2*total_weighted_tardiness + makespan``)."""
    if level.name:
        return str(level.name)
    parts = []
    for term in level.terms:
        weight = "" if term.weight == 1 else ("-" if term.weight == -1 else f"{term.weight}*")
        subset = "" if term.tasks is None else f"[{len(term.tasks)} tasks]"
        parts.append(f"{weight}{term.kind.value}{subset}")
    text = " + ".join(parts).replace("+ -", "- ")
    return text or f"level {index}"


def level_names(problem: ProblemData) -> list[str]:
    """The name of every objective level (see :func:`level_name`)."""
    return [level_name(level, index) for index, level in enumerate(problem.objective.levels)]


def user_value(
    problem: ProblemData, value: int | None, level: int = 0, solution: Solution | None = None
) -> Number | None:
    """The IR value ``value`` of objective level ``level`` in the user's units (None stays None)."""
    if value is None:
        return None
    return _in_user_units(problem, value, level, solution)


def _in_user_units(problem: ProblemData, value: int, level: int, solution: Solution | None) -> Number:
    """:func:`user_value` of a known value (the family's converter, or the IR value itself)."""
    convert = USER_UNITS.get(problem.family or "")
    if convert is None or problem.meta.get("scale") is None:
        return value
    return convert(problem, level, value, solution)


def user_objectives(
    problem: ProblemData, values: Sequence[int] | None, solution: Solution | None = None
) -> list[Number] | None:
    """Every level's value in the user's units (None when ``values`` is None)."""
    if values is None:
        return None
    return [_in_user_units(problem, int(v), k, solution) for k, v in enumerate(values)]


def user_bound(problem: ProblemData, bound: float | None, level: int = 0) -> Number | None:
    """A bound of level ``level`` in the user's units (a bound has no schedule: converted from the value alone)."""
    if bound is None:
        return None
    convert = USER_UNITS.get(problem.family or "")
    if convert is None or problem.meta.get("scale") is None:
        return bound
    return convert(problem, level, bound, None)


def format_number(value: Number | None) -> str:
    """``-`` for None, integers as they are, other numbers with up to 6 significant digits."""
    if value is None:
        return "-"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e15):
        return str(int(value))
    return f"{value:.6g}"


def objective_text(problem: ProblemData, values: Sequence[int] | None, solution: Solution | None = None) -> str:
    """The objective as one line: ``55``; ``1.45`` (KV tree); ``placed>=2 3, disruption>=2 0`` (several levels)."""
    shown = user_objectives(problem, values, solution)
    if not shown:
        return "-"
    if len(shown) == 1:
        return format_number(shown[0])
    names = level_names(problem)
    return ", ".join(f"{name} {format_number(value)}" for name, value in zip(names, shown))


__all__ = [
    "USER_UNITS",
    "format_number",
    "level_name",
    "level_names",
    "objective_text",
    "user_bound",
    "user_objectives",
    "user_value",
]
