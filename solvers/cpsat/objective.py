"""CP-SAT expressions for the objective terms of the IR.

Each term is encoded *exactly* (its value in every feasible assignment equals
the value the checker recomputes), not just at the optimum: lexicographic
locking and the objective/checker agreement test both rely on it. Helpers that
exist only for absent optional tasks ("value when present, else a default")
are created only for optional tasks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from schedkit.models import ObjectiveLevel, Term, TermKind
from schedkit.models.terms import TERMS, presence_values, start_moved_cost
from schedkit.solvers.cpsat.compiler import negation

if TYPE_CHECKING:
    from schedkit.solvers.cpsat.compiler import CpSatModel, Expr, HintFn, Lit
    from schedkit.solvers.solution_view import SolutionView


def level_expression(c: CpSatModel, level: ObjectiveLevel) -> Expr:
    """``sum_t weight_t * term_t`` of one level.

    Built as one weighted sum (not Python's ``sum``): OR-Tools before 9.15 cannot add some expression types
    to each other (a weighted sum plus an affine sum raises TypeError there).
    """
    terms = [term for term in level.terms if term.weight]
    expressions = [term_expression(c, term) for term in terms]
    if all(isinstance(e, int) for e in expressions):
        return sum(term.weight * e for term, e in zip(terms, expressions))
    return cp_model.LinearExpr.weighted_sum(expressions, [term.weight for term in terms])


def term_expression(c: CpSatModel, term: Term) -> Expr:
    """The exact expression of one (unweighted) term."""
    tasks = list(range(c.problem.num_tasks)) if term.tasks is None else list(term.tasks)
    tasks = [i for i in tasks if c.present[i] is not False]
    problem = c.problem
    kind = term.kind
    if kind == TermKind.MAKESPAN:
        return _max_end(c, tasks, f"makespan{id(term)}")
    if kind == TermKind.SCHEDULE_LENGTH:
        if not tasks:
            return 0
        return _max_end(c, tasks, f"length_end{id(term)}") - _min_start(c, tasks, f"length_start{id(term)}")
    if kind == TermKind.TOTAL_WEIGHTED_TARDINESS:
        return sum(problem.tasks[i].weight * _tardiness(c, i) for i in tasks if problem.tasks[i].due_date is not None)
    if kind == TermKind.TOTAL_WEIGHTED_COMPLETION:
        return sum(problem.tasks[i].weight * _when_present(c, i, c.end[i], _end_hint(i), 0, c.horizon) for i in tasks)
    if kind == TermKind.MAX_LATENESS:
        return _max_lateness(c, tasks, f"lmax{id(term)}")
    if kind == TermKind.WEIGHTED_TARDY_COUNT:
        return sum(problem.tasks[i].weight * _tardy(c, i) for i in tasks if problem.tasks[i].due_date is not None)
    if TERMS[kind].linear_in_presence:
        return sum(_presence_term(c, kind, i) for i in (range(problem.num_tasks) if term.tasks is None else term.tasks))
    if kind == TermKind.COVERAGE_REWARD:
        return sum(group.reward * _covered(c, g) for g, group in enumerate(problem.coverage_groups))
    if kind == TermKind.INITIATION_INTERVAL:
        return c.ii
    if kind == TermKind.LOCATIONS_USED:
        return _locations_used(c, tasks, f"loc{id(term)}")
    raise ValueError(f"CP-SAT compiler: no encoding for objective term '{kind.value}'")


def _locations_used(c: CpSatModel, tasks: Sequence[int], name: str) -> Expr:
    """``sum_l u_l`` with ``u_l = OR_{i, m at l} x_im`` (exactly: ``u_l >= x_im`` and ``u_l <= sum x_im``)."""
    problem = c.problem
    by_location: dict[str | None, list[Lit]] = {}
    for i in tasks:
        for m, mode in enumerate(problem.tasks[i].modes):
            lit = c.mode_lits[i][m]
            if lit is not False:
                by_location.setdefault(mode.location, []).append(lit)
    total: list[Expr] = []
    for k, (location, lits) in enumerate(by_location.items()):
        if any(lit is True for lit in lits):
            total.append(1)
            continue

        def hint(v: SolutionView, location: str | None = location) -> int:
            return int(any(v.present[i] and problem.tasks[i].modes[v.mode[i]].location == location for i in tasks))

        used = c.new_bool(f"{name}[{k}]", hint)
        for lit in lits:
            c.model.add_implication(lit, used)
        c.model.add_bool_or(lits).only_enforce_if(used)
        total.append(used)
    return sum(total)


def _as_expr(lit: Lit) -> Expr:
    if lit is True:
        return 1
    if lit is False:
        return 0
    return lit


def _when_present(c: CpSatModel, i: int, expr: Expr, hint: HintFn, lb: int, ub: int, default: int = 0) -> Expr:
    """``expr`` (within ``[lb, ub]``) when task i is present, else ``default``: a helper for optional tasks."""
    present = c.present[i]
    if present is True:
        return expr
    var = c.new_int(
        min(lb, default), max(ub, default), f"present_or_default[{i}]", lambda v: hint(v) if v.present[i] else default
    )
    c.add_enforced(var == expr, present)
    c.model.add(var == default).only_enforce_if(negation(present))
    return var


def _any_present(c: CpSatModel, tasks: Sequence[int], name: str) -> Lit:
    """``OR_{i in tasks} p_i`` (constant True when a task is mandatory)."""
    if any(c.present[i] is True for i in tasks):
        return True
    lits = [c.present[i] for i in tasks]
    var = c.new_bool(name, lambda v: int(any(v.present[i] for i in tasks)))
    c.model.add_bool_or(lits).only_enforce_if(var)
    for lit in lits:
        c.model.add_implication(lit, var)
    return var


def _extreme_over_present(
    c: CpSatModel,
    tasks: Sequence[int],
    expr: Callable[[int], Expr],
    value: Callable[[SolutionView, int], int],
    bounds: tuple[int, int],
    name: str,
    maximum: bool,
) -> Expr:
    """``max`` (or ``min``) of ``expr(i)`` over the present tasks, 0 when none is present.

    ``value(v, i)`` is the hint of ``expr(i)`` and ``bounds`` bounds every
    ``expr(i)``. Absent tasks take the neutral element (the lower bound for a
    maximum, the upper one for a minimum); when no task can be present, a
    Boolean ``any`` switches the result to 0, matching the checker.
    """
    lb, ub = bounds
    neutral, pick = (lb, max) if maximum else (ub, min)
    add_extreme = c.model.add_max_equality if maximum else c.model.add_min_equality
    candidates = [_when_present(c, i, expr(i), _value_hint(value, i), lb, ub, default=neutral) for i in tasks]

    def present_values(v: SolutionView) -> list[int]:
        return [value(v, i) for i in tasks if v.present[i]]

    var = c.new_int(min(lb, 0), max(ub, 0), name, lambda v: pick(present_values(v), default=0))
    any_present = _any_present(c, tasks, f"{name}_any")
    if any_present is True:
        add_extreme(var, candidates)
        return var
    raw = c.new_int(lb, ub, f"{name}_raw", lambda v: pick(present_values(v), default=neutral))
    add_extreme(raw, candidates)
    c.model.add(var == raw).only_enforce_if(any_present)
    c.model.add(var == 0).only_enforce_if(negation(any_present))
    return var


def _max_end(c: CpSatModel, tasks: Sequence[int], name: str) -> Expr:
    """``max_{i present} E_i`` (0 when none is present)."""
    if not tasks:
        return 0
    return _extreme_over_present(
        c, tasks, lambda i: c.end[i], lambda v, i: v.end[i], (0, c.horizon), name, maximum=True
    )


def _min_start(c: CpSatModel, tasks: Sequence[int], name: str) -> Expr:
    """``min_{i present} S_i`` (0 when none is present, matching an empty schedule length)."""
    return _extreme_over_present(
        c, tasks, lambda i: c.start[i], lambda v, i: v.start[i], (0, c.horizon), name, maximum=False
    )


def _max_lateness(c: CpSatModel, tasks: Sequence[int], name: str) -> Expr:
    """``max_{i present} (E_i - d_i)`` over the tasks with a due date, 0 when none is present."""
    due = {i: d for i in tasks if (d := c.problem.tasks[i].due_date) is not None}
    if not due:
        return 0
    bounds = (-max(due.values()), c.horizon - min(due.values()))
    return _extreme_over_present(
        c, list(due), lambda i: c.end[i] - due[i], lambda v, i: v.end[i] - due[i], bounds, name, maximum=True
    )


def _tardiness(c: CpSatModel, i: int) -> Expr:
    """``T_i = max(0, E_i - d_i)`` when present, else 0."""
    due = c.problem.tasks[i].due_date
    assert due is not None
    lateness = _when_present(c, i, c.end[i] - due, lambda v: v.end[i] - due, -due, c.horizon - due)
    var = c.new_int(0, max(0, c.horizon - due), f"T[{i}]", lambda v: max(0, v.end[i] - due) if v.present[i] else 0)
    c.model.add_max_equality(var, [lateness, 0])
    return var


def _tardy(c: CpSatModel, i: int) -> Expr:
    """``U_i = [present and E_i > d_i]``."""
    due = c.problem.tasks[i].due_date
    assert due is not None
    var = c.new_bool(f"U[{i}]", lambda v: int(v.present[i] and v.end[i] > due))
    c.add_enforced(c.end[i] >= due + 1, var)
    c.add_enforced(c.end[i] <= due, c.present[i], var.Not())
    if c.present[i] is not True:
        c.model.add_implication(var, c.present[i])
    return var


def _presence_term(c: CpSatModel, kind: TermKind, i: int) -> Expr:
    """Task i's share of a presence-and-mode term: ``a_i (1 - p_i) + sum_m c_im x_im``.

    The coefficients come from :func:`schedkit.models.terms.presence_values`;
    for disruption against a reference start, ``move_cost (x_ref - stay_i)``
    is added, with ``stay_i`` = in the reference mode at the reference start,
    so the term is ``evict (1 - p_i) + move (p_i - stay_i)`` in total.
    """
    task = c.problem.tasks[i]
    values = presence_values(kind, task)
    # Terms with a zero coefficient are left out: OR-Tools < 9.15 cannot add a constant 0-expression to a sum.
    expr: Expr = 0
    if values.absent:
        expr = values.absent * (1 - _as_expr(c.present[i]))
    for m, cost in enumerate(values.per_mode):
        literal = _as_expr(c.mode_lits[i][m])
        if cost and not (isinstance(literal, int) and literal == 0):
            expr = expr + cost * literal
    if kind is TermKind.DISRUPTION and start_moved_cost(task):
        assert task.reference is not None
        expr = expr + start_moved_cost(task) * (_as_expr(c.mode_lits[i][task.reference.mode]) - _stay(c, i))
    return expr


def _stay(c: CpSatModel, i: int) -> Expr:
    """``stay_i``: task i runs in its reference mode at its reference start."""
    ref = c.problem.tasks[i].reference
    assert ref is not None and ref.start is not None
    same_mode = c.mode_lits[i][ref.mode]

    def stays(v: SolutionView) -> int:
        return int(v.present[i] and v.mode[i] == ref.mode and v.start[i] == ref.start)

    stay = c.new_bool(f"stay[{i}]", stays)
    on_time = c.new_bool(f"on_reference_start[{i}]", lambda v: int(c.start_hint[i](v) == ref.start))
    c.add_enforced(c.start[i] == ref.start, on_time)
    c.add_enforced(c.start[i] != ref.start, on_time.Not())
    # stay = same_mode AND on_time
    c.model.add_implication(stay, on_time)
    if isinstance(same_mode, bool):  # the reference mode is impossible (False) or certain (True)
        if not same_mode:
            c.model.add(stay == 0)
        else:
            c.model.add_bool_or([on_time.Not(), stay])
    else:
        c.model.add_implication(stay, same_mode)
        c.model.add_bool_or([same_mode.Not(), on_time.Not(), stay])
    return stay


def _covered(c: CpSatModel, g: int) -> Expr:
    """``c_g = OR_{i in group} p_i``."""
    members = c.problem.coverage_groups[g].tasks
    return _as_expr(_any_present(c, members, f"covered[{g}]"))


def _end_hint(i: int) -> HintFn:
    """Hint of ``E_i`` (task i present)."""
    return lambda v: v.end[i]


def _value_hint(value: Callable[[SolutionView, int], int], i: int) -> HintFn:
    """``value(v, i)`` as the hint of task i's expression."""
    return lambda v: value(v, i)
