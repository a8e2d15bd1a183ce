"""The ``Bound`` record and how a bound on one objective term becomes a bound on a whole level.

A level's value is ``sum_k w_k * T_k`` over its terms. If every feasible
solution satisfies ``L_k <= T_k <= U_k``, then the level value lies in
``[sum_k w_k * (L_k if w_k > 0 else U_k), sum_k w_k * (U_k if w_k > 0 else L_k)]``
for every feasible solution, hence so does its optimum. A minimising level
therefore needs, per term, a *lower* bound when the weight is positive and an
*upper* bound when it is negative (a maximising level the other way round):
:func:`side_of` says which. :func:`level_bound` asks a source for an improved
bound on each term on that side, falls back to the static range of
:mod:`.static` for the terms the source knows nothing about, and returns a
:class:`Bound` only when the source improved at least one term (otherwise it
is not applicable). Nothing is claimed when presence propagation shows the
problem infeasible.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from schedkit.models import ProblemData, Sense, Term, TermKind


@dataclass(frozen=True)
class Bound:
    """A proven bound on the primary objective level (level 0) of a problem.

    ``value`` is <= the optimum when level 0 minimises and >= the optimum when
    it maximises (for an infeasible problem it claims nothing). ``source`` is
    the registry name of the bound (see ``BOUND_SOURCES``), ``detail`` one line
    on how it was obtained, ``seconds`` the time its source took (filled in by
    :func:`schedkit.solvers.bounds.combinatorial_bounds`; not part of equality).
    ``is_optimum`` says the value is the proven optimum itself (an exact
    method finished), so no other source can tighten it.
    """

    value: int
    source: str
    detail: str = ""
    seconds: float = field(default=0.0, compare=False)
    is_optimum: bool = False


class Side(str, Enum):
    """Which side of a term's value a bound must be on."""

    LOWER = "lower"
    UPPER = "upper"


TermBound = tuple[int, str]
"""A bound on the (unweighted) value of one term, and a short phrase saying why."""


def primary_sense(problem: ProblemData) -> Sense | None:
    """Sense of level 0, or None for a feasibility problem (no levels)."""
    levels = problem.objective.levels
    return levels[0].sense if levels else None


def side_of(sense: Sense, term: Term) -> Side:
    """The side of ``term`` that bounds its level in the level's direction.

    Minimising ``w * T`` needs a lower bound on T when w > 0 and an upper
    bound when w < 0; maximising needs the opposite.
    """
    return Side.LOWER if (sense == Sense.MINIMIZE) == (term.weight > 0) else Side.UPPER


def level_bound(
    problem: ProblemData,
    source: str,
    improve: Callable[[Term, Side], TermBound | None],
) -> Bound | None:
    """Bound level 0 from the source's per-term bounds ``improve(term, side)``.

    Terms the source cannot bound (``improve`` returns None) get their static
    range (:func:`.static.term_range`). Returns None when the problem has no
    objective, when the source improved no term, or when some term has no
    bound on the side needed (e.g. an upper bound on a makespan without a
    horizon or deadlines).
    """
    from schedkit.solvers.bounds.facts import task_facts
    from schedkit.solvers.bounds.static import term_range  # local import: static builds on this module

    levels = problem.objective.levels
    if not levels or not task_facts(problem).consistent:
        return None
    level = levels[0]
    total = 0
    improved = False
    static_terms = 0
    details: list[str] = []
    for term in level.terms:
        if term.weight == 0:
            continue
        side = side_of(level.sense, term)
        low, high = term_range(problem, term)
        static = low if side is Side.LOWER else high
        better = improve(term, side)
        if better is not None:
            value, why = better
            if static is not None:
                value = max(value, static) if side is Side.LOWER else min(value, static)
            improved = True
            details.append(f"{term.kind.value}: {why}")
        elif static is None:
            return None
        else:
            value = static
            static_terms += 1
        total += term.weight * value
    if not improved:
        return None
    if static_terms:
        details.append(f"{static_terms} other term(s) at their static bounds")
    return Bound(total, source, "; ".join(details))


def lower_bound_source(
    problem: ProblemData, name: str, kind: TermKind, term_bound: Callable[[ProblemData, Term], TermBound | None]
) -> Bound | None:
    """The level-0 bound of a source that improves the lower side of one kind of term.

    ``term_bound(problem, term)`` bounds a term of ``kind`` from below; every
    other term keeps its static range (:func:`level_bound`).
    """

    def improve(term: Term, side: Side) -> TermBound | None:
        if side is Side.LOWER and term.kind is kind:
            return term_bound(problem, term)
        return None

    return level_bound(problem, name, improve)
