"""What every MIP formulation shares: task expressions, relations and objective terms.

A formulation (time-indexed, disjunctive, positional) subclasses
:class:`TaskEncoding` and defines, per task i, linear expressions for the
presence p_i, the mode indicators u_im, the start S_i and the end E_i. On
top of those, this module writes the constraints that read the same in every
formulation:

* precedence (a, b, type, lag, distance d, transfer lag l):
  ``X_b + d II - Y_a - lag - l * delta_ab >= -M (2 - p_a - p_b)``
  where X, Y are the start or end named by the type, ``delta_ab`` is 1 when
  a and b run at different locations (exact linearisation below) and M is
  the smallest constant that makes the row vacuous when a task is absent,
  computed from the expressions' bounds;
* ``delta_ab = 1 - sum_l z_l`` with ``z_l = u_a(l) AND u_b(l)`` linearised
  exactly: ``z_l <= u_a(l)``, ``z_l <= u_b(l)``, ``z_l >= u_a(l) + u_b(l) - 1``,
  where ``u_a(l)`` sums a's modes at location l;
* implication ``p_a <= sum_{b in then_any} p_b``; selection
  ``k_min <= sum p_i <= k_max``;
* the objective terms (see :meth:`TaskEncoding.term`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from schedkit.models import PrecedenceType, ProblemData, Sense, Solution, TaskAssignment, Term, TermKind
from schedkit.models.terms import TERMS, presence_values, start_moved_cost
from schedkit.solvers.capabilities import term_direction
from schedkit.solvers.linear.linear import HintFn, LevelObjective, LinearModel, LinExpr
from schedkit.solvers.solution_view import SolutionView


class TaskEncoding:
    """Base class of the formulations: expressions per task, shared rows and objective terms.

    Subclasses fill ``lm`` with their variables and set, for every task,
    ``present_expr``, ``mode_expr``, ``start_expr`` and ``end_expr``, then call
    :meth:`finish`. Subclasses that can express any function of the end
    exactly (the time-indexed one) override :meth:`end_function`.
    """

    formulation = "base"

    def __init__(self, problem: ProblemData, ii: int = 0) -> None:
        self.problem = problem
        self.ii = ii
        self.horizon = problem.effective_horizon
        self.lm = LinearModel(self.formulation)
        n = problem.num_tasks
        self.present_expr: list[LinExpr] = [LinExpr() for _ in range(n)]
        self.mode_expr: list[list[LinExpr]] = [[LinExpr() for _ in task.modes] for task in problem.tasks]
        self.start_expr: list[LinExpr] = [LinExpr() for _ in range(n)]
        self.end_expr: list[LinExpr] = [LinExpr() for _ in range(n)]

    # ------------------------------------------------------------ interface
    def end_function(self, i: int, f: Callable[[int], float]) -> LinExpr | None:
        """``f(E_i)`` for a present task and 0 for an absent one, exactly, or None if not linear here."""
        return None

    def same_as_reference(self, i: int) -> LinExpr | None:
        """1 when task i runs in its reference mode (and at its reference start), else 0; None if unsupported."""
        ref = self.problem.tasks[i].reference
        assert ref is not None
        if ref.start is not None:
            return None
        return LinExpr.of(self.mode_expr[i][ref.mode])

    def decode(self, values: Sequence[float]) -> Solution:
        """Read a ``Solution`` from variable values."""
        raise NotImplementedError

    def bounds(self, expr: LinExpr) -> tuple[float, float]:
        """Interval bounds of ``expr`` over the variable bounds."""
        return expr.bounds(self.lm.lb, self.lm.ub)

    # -------------------------------------------------------------- finish
    def finish(self) -> LinearModel:
        """Add relations and objective levels; return the model."""
        self._precedences()
        self._presence_logic()
        p = self.problem
        for index, level in enumerate(p.objective.levels):
            expr = LinExpr()
            for t, term in enumerate(level.terms):
                expr.add(self.term(term, level.sense, f"L{index}T{t}"), term.weight)
            self.lm.levels.append(_level(expr, level.sense, level.name or f"level{index}"))
        self.lm.decode = self.decode
        return self.lm

    # ---------------------------------------------------------- relations
    def _point(self, i: int, at_end: bool) -> LinExpr:
        return self.end_expr[i] if at_end else self.start_expr[i]

    def _precedences(self) -> None:
        p = self.problem
        for k, prec in enumerate(p.precedences):
            a, b = prec.a, prec.b
            kind = PrecedenceType(prec.type)
            y_a = self._point(a, kind in (PrecedenceType.END_TO_START, PrecedenceType.END_TO_END))
            x_b = self._point(b, kind in (PrecedenceType.END_TO_END, PrecedenceType.START_TO_END))
            slack = LinExpr.of(x_b).add(y_a, -1.0)
            slack.constant += prec.distance * self.ii - prec.lag
            if prec.transfer_lag:
                slack.add(self._location_difference(a, b, f"P{k}"), -prec.transfer_lag)
            relax = (1 - self.present_expr[a]).add(1 - self.present_expr[b])
            if relax.is_constant and relax.constant == 0:
                self.lm.add_row(slack, lo=0.0, name=f"prec{k}")
                continue
            big_m = max(0.0, -self.bounds(slack)[0])
            self.lm.add_row(slack.add(relax, big_m), lo=0.0, name=f"prec{k}")

    def _location_difference(self, a: int, b: int, tag: str) -> LinExpr:
        """``delta_ab``: 1 - [a and b present at one location] (exact, see the module docstring)."""
        tasks = self.problem.tasks

        def by_location(i: int) -> dict[str | None, LinExpr]:
            out: dict[str | None, LinExpr] = {}
            for m, mode in enumerate(tasks[i].modes):
                expr = self.mode_expr[i][m]
                if expr.is_constant and expr.constant == 0:
                    continue
                out.setdefault(mode.location, LinExpr()).add(expr)
            return out

        at_a, at_b = by_location(a), by_location(b)
        delta = LinExpr({}, 1.0)
        for location in set(at_a) & set(at_b):
            u_a, u_b = at_a[location], at_b[location]
            if u_a.is_constant and u_b.is_constant:
                delta.constant -= min(u_a.constant, u_b.constant)
                continue

            def together(v: SolutionView, location: str | None = location) -> int:
                return int(
                    v.present[a]
                    and v.present[b]
                    and tasks[a].modes[v.mode[a]].location == location
                    and tasks[b].modes[v.mode[b]].location == location
                )

            z = self.lm.new_var(0, 1, f"z_{tag}_{location}", together, integer=False)
            self.lm.add_le(LinExpr.var(z), u_a)
            self.lm.add_le(LinExpr.var(z), u_b)
            self.lm.add_le(u_a + u_b - 1, LinExpr.var(z))
            delta.add(LinExpr.var(z), -1.0)
        return delta

    def _presence_logic(self) -> None:
        p = self.problem
        for k, imp in enumerate(p.implications):
            consequents = LinExpr()
            for b in imp.then_any:
                consequents.add(self.present_expr[b])
            self.lm.add_le(self.present_expr[imp.a], consequents, name=f"imp{k}")
        for k, sel in enumerate(p.selections):
            count = LinExpr()
            for i in sel.tasks:
                count.add(self.present_expr[i])
            hi = math.inf if sel.max_present is None else sel.max_present
            self.lm.add_row(count, lo=sel.min_present, hi=hi, name=f"sel{k}")

    # ---------------------------------------------------------------- terms
    def term(self, term: Term, sense: Sense, tag: str) -> LinExpr:
        """The linear expression of one objective term (without its weight)."""
        p = self.problem
        tasks = range(p.num_tasks) if term.tasks is None else term.tasks
        kind = term.kind
        down = term_direction(sense, term.weight) >= 0
        if kind == TermKind.MAKESPAN:
            return self._max_end(list(tasks), tag)
        if kind == TermKind.SCHEDULE_LENGTH:
            return self._schedule_length(list(tasks), tag)
        if kind == TermKind.MAX_LATENESS:
            return self._max_lateness(self._due_dates(tasks), tag)
        if kind == TermKind.TOTAL_WEIGHTED_COMPLETION:
            return LinExpr.of(0).add_all((self.end_expr[i], p.tasks[i].weight) for i in tasks)
        if kind == TermKind.TOTAL_WEIGHTED_TARDINESS:
            return self._tardiness(self._due_dates(tasks), down)
        if kind == TermKind.WEIGHTED_TARDY_COUNT:
            return self._tardy_count(self._due_dates(tasks), down)
        if TERMS[kind].linear_in_presence:
            return self._presence_term(kind, tasks)
        if kind == TermKind.COVERAGE_REWARD:
            return self._coverage(tag)
        if kind == TermKind.INITIATION_INTERVAL:
            return LinExpr({}, float(self.ii))
        raise ValueError(f"objective term {kind.value} has no MIP encoding")  # pragma: no cover

    def _due_dates(self, tasks: Sequence[int]) -> dict[int, int]:
        """The due date of every task of ``tasks`` that has one (the others are never late)."""
        due: dict[int, int] = {}
        for i in tasks:
            due_date = self.problem.tasks[i].due_date
            if due_date is not None:
                due[i] = due_date
        return due

    def _new_max(self, exprs: list[tuple[int, LinExpr]], name: str, value: Callable[[SolutionView], float]) -> LinExpr:
        """A variable ``y >= expr`` for every expression: equals their maximum when minimised."""
        lows, highs = zip(*(self.bounds(e) for _, e in exprs))
        y = self.lm.new_var(math.floor(min(0.0, *lows)), math.ceil(max(0.0, *highs)), name, value)
        for _, e in exprs:
            self.lm.add_le(e, LinExpr.var(y))
        return LinExpr.var(y)

    def _max_end(self, tasks: list[int], tag: str) -> LinExpr:
        """Makespan over ``tasks``: ``C >= E_i`` (``E_i`` is 0 for absent tasks in these encodings)."""
        if not tasks:
            return LinExpr()
        ends = [(i, self._end_or_zero(i)) for i in tasks]
        return self._new_max(ends, f"Cmax_{tag}", lambda v: max((v.end[i] for i in tasks if v.present[i]), default=0))

    def _end_or_zero(self, i: int) -> LinExpr:
        """``E_i`` when present, 0 when absent (for encodings whose absent tasks keep a free end)."""
        exact = self.end_function(i, float)
        if exact is not None:
            return exact
        if not (self.present_expr[i].is_constant and self.present_expr[i].constant == 1):
            raise ValueError("optional tasks need an encoding with exact end functions")  # pragma: no cover
        return self.end_expr[i]

    def _schedule_length(self, tasks: list[int], tag: str) -> LinExpr:
        """``C - D`` with ``C >= E_i`` and ``D <= S_i + M (1 - p_i)``, ``D <= C`` (0 when nothing is present)."""
        if not tasks:
            return LinExpr()
        present = list(tasks)

        def first(v: SolutionView) -> float:
            starts = [v.start[i] for i in present if v.present[i]]
            return min(starts) if starts else max((v.end[i] for i in present if v.present[i]), default=0)

        c = self._max_end(tasks, tag)
        d = self.lm.new_var(0, self.horizon, f"Smin_{tag}", first)
        self.lm.add_le(LinExpr.var(d), c)
        for i in tasks:
            start = LinExpr.of(self.start_expr[i])
            relax = 1 - self.present_expr[i]
            if not relax.is_constant or relax.constant != 0:
                start.add(relax, self.horizon)
            self.lm.add_le(LinExpr.var(d), start)
        return c - LinExpr.var(d)

    def _max_lateness(self, due: dict[int, int], tag: str) -> LinExpr:
        """``L >= E_i - d_i - M (1 - p_i)`` and ``L >= -M sum p_i`` (so an empty set gives 0); ``due``: i -> d_i."""
        if not due:
            return LinExpr()
        tasks = list(due)
        big_m = float(max(due.values()) + self.horizon)
        lateness = []
        for i in tasks:
            expr = self.end_expr[i] - due[i]
            relax = 1 - self.present_expr[i]
            if not relax.is_constant or relax.constant != 0:
                expr = self._end_or_zero(i) - LinExpr.of(self.present_expr[i]) * due[i]
                expr.add(relax, -big_m)
            lateness.append((i, expr))

        def value(v: SolutionView) -> float:
            return max((v.end[i] - due[i] for i in tasks if v.present[i]), default=0)

        y = self._new_max(lateness, f"Lmax_{tag}", value)
        self.lm.lb[next(iter(y.coefs))] = -big_m
        anyone = LinExpr.of(0).add_all((self.present_expr[i], 1.0) for i in tasks)
        if not anyone.is_constant:
            self.lm.add_le(anyone * -big_m, y)
        elif anyone.constant == 0:
            self.lm.add_eq(y, 0)
        return y

    def _tardiness(self, due_dates: dict[int, int], down: bool) -> LinExpr:
        """``sum w_i T_i``: exact via end functions, else ``T_i >= E_i - d_i``, ``T_i >= 0`` (pushed down)."""
        out = LinExpr()
        for i, due in due_dates.items():
            task = self.problem.tasks[i]
            exact = self.end_function(i, _tardiness_at(due))
            if exact is not None:
                out.add(exact, task.weight)
                continue
            if not down:
                raise ValueError("tardiness pushed upwards needs the time-indexed formulation")  # pragma: no cover
            high = max(0.0, self.bounds(self.end_expr[i])[1] - due)
            t = self.lm.new_var(0, high, f"T_{i}", _tardiness_hint(i, due))
            self.lm.add_le(self.end_expr[i] - due, LinExpr.var(t))
            out.add(LinExpr.var(t), task.weight)
        return out

    def _tardy_count(self, due_dates: dict[int, int], down: bool) -> LinExpr:
        """``sum w_i U_i``: exact via end functions, else ``E_i - d_i <= M U_i`` (pushed down)."""
        out = LinExpr()
        for i, due in due_dates.items():
            task = self.problem.tasks[i]
            exact = self.end_function(i, _tardy_at(due))
            if exact is not None:
                out.add(exact, task.weight)
                continue
            high = self.bounds(self.end_expr[i])[1] - due
            u = self.lm.new_binary(f"U_{i}", _tardy_hint(i, due))
            if high > 0:
                self.lm.add_le(self.end_expr[i] - due, LinExpr.var(u, high))
            out.add(LinExpr.var(u), task.weight)
        return out

    def _presence_term(self, kind: TermKind, tasks: Sequence[int]) -> LinExpr:
        """``sum_i a_i (1 - p_i) + sum_m c_im x_im`` (:func:`schedkit.models.terms.presence_values`).

        Disruption against a reference start adds ``move (x_ref - same_i)``,
        with ``same_i`` = in the reference mode at the reference start
        (:meth:`same_as_reference`, which only the time-indexed formulation
        can express), so the task pays ``evict (1 - p_i) + move (p_i - same_i)``.
        """
        out = LinExpr()
        for i in tasks:
            task = self.problem.tasks[i]
            values = presence_values(kind, task)
            if values.absent:
                out.add(1 - self.present_expr[i], values.absent)
            for m, cost in enumerate(values.per_mode):
                if cost:
                    out.add(self.mode_expr[i][m], cost)
            if kind is TermKind.DISRUPTION and start_moved_cost(task):
                assert task.reference is not None
                same = self.same_as_reference(i)
                if same is None:
                    raise ValueError("a reference start needs the time-indexed formulation")  # pragma: no cover
                out.add(self.mode_expr[i][task.reference.mode] - same, start_moved_cost(task))
        return out

    def _coverage(self, tag: str) -> LinExpr:
        """``sum reward_g y_g`` with ``y_g = OR p_i`` exactly: ``y_g >= p_i`` and ``y_g <= sum p_i``."""
        out = LinExpr()
        for g, group in enumerate(self.problem.coverage_groups):
            members = LinExpr.of(0).add_all((self.present_expr[i], 1.0) for i in group.tasks)
            if members.is_constant:
                out.add(min(1.0, members.constant), group.reward)
                continue
            y = self.lm.new_binary(f"cov_{g}", _any_present_hint(group.tasks))
            self.lm.add_le(LinExpr.var(y), members)
            for i in group.tasks:
                self.lm.add_le(self.present_expr[i], LinExpr.var(y))
            out.add(LinExpr.var(y), group.reward)
        return out


def _level(expr: LinExpr, sense: Sense, name: str) -> LevelObjective:
    return LevelObjective(expr, sense == Sense.MAXIMIZE, name)


def _tardiness_at(due: int) -> Callable[[int], float]:
    """The tardiness ``max(0, e - d)`` as a function of the end e."""
    return lambda e: max(0, e - due)


def _tardy_at(due: int) -> Callable[[int], float]:
    """The tardy indicator ``[e > d]`` as a function of the end e."""
    return lambda e: 1.0 if e > due else 0.0


def _tardiness_hint(i: int, due: int) -> HintFn:
    """Hint of ``T_i``: task i's tardiness (0 when absent)."""
    return lambda v: max(0, v.end[i] - due) if v.present[i] else 0


def _tardy_hint(i: int, due: int) -> HintFn:
    """Hint of ``U_i``: 1 when task i is present and late."""
    return lambda v: int(v.present[i] and v.end[i] > due)


def _any_present_hint(tasks: Sequence[int]) -> HintFn:
    """Hint of a coverage indicator: 1 when any of ``tasks`` is present."""
    return lambda v: int(any(v.present[i] for i in tasks))


def absent_assignment() -> TaskAssignment:
    """The assignment of an absent task."""
    return TaskAssignment(False, None, None)
