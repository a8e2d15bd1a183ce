"""Compile a ``ProblemData`` into an OR-Tools CP-SAT model.

Every IR construct maps onto CP-SAT as follows (S_i start, E_i end, p_i the
presence literal of task i, x_im the literal of mode m, II the initiation
interval):

* presence and modes: ``sum_m x_im = p_i`` (``= 1`` for mandatory tasks);
  each mode has an optional interval ``[S_i, E_i)`` of fixed size d_m present
  iff x_im, which also enforces ``E_i = S_i + d_m`` for the chosen mode;
* windows: ``release_i <= S_i`` and ``E_i <= deadline_i`` as variable domains;
  pins fix domains;
* precedence (a, b, type, lag, d): ``X_b + d * II >= Y_a + lag`` enforced by
  ``p_a and p_b``; with a transfer lag, one more such constraint with
  ``lag + transfer_lag`` per pair of modes at different locations, enforced by
  the two mode literals;
* unary: ``NoOverlap`` of the usage intervals and of fixed downtime intervals;
* renewable: ``Cumulative`` with capacity C = max capacity, plus fixed
  intervals of demand ``C - c(t)`` where the calendar lowers capacity to c(t);
* consumable: ``sum_im a_im x_im <= c`` (budget); with a profile, for every
  finite capacity segment ending at v with capacity c:
  ``sum_im a_im [x_im and S_i < v] <= c``;
* bin: ``sum_im a_im x_im <= c``;
* modulo: residue ``r = (S_i + offset) mod II`` and a ``Cumulative`` over the
  intervals ``[r - k II, r - k II + L)`` for k = 0..ceil(L / ii_min): on
  ``[0, II)`` they cover exactly the residues the usage occupies (with
  multiplicity), and elsewhere only a subset of some residue's usage, so the
  cumulative holds iff the modulo capacity does; plus the energy cut
  ``sum a L x <= c II``;
* live range (a demand with ``until`` readers): a variable length ``len``
  bounded below by the least length and by every present reader's read end,
  as an interval (unary, renewable) or as folded modulo copies like a fixed
  usage (modulo); see :meth:`CpSatModel.live_range_intervals`;
* implication: clause ``not p_a or p_b1 or ...``; selection: a linear range;
  disjunctive pair: ``NoOverlap`` of the two tasks' positive-length intervals.

Zero-length usages are left out of every resource constraint: in CP-SAT a
zero-size interval still blocks a ``NoOverlap``, while the IR says it
occupies nothing.

Every variable is created with a function computing its value from a
``Solution``, so a warm start hints every variable (CP-SAT reports the hint
complete).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Union

from ortools.sat.python import cp_model

from schedkit.models import PrecedenceType, ProblemData, ResourceKind, Solution, Task, TaskAssignment
from schedkit.solvers.solution_view import SolutionView
from schedkit.solvers.structure import timed_tasks

Lit = Union[cp_model.IntVar, bool]
"""A presence or mode literal: a Boolean variable, or a constant when the choice is fixed."""
Enforcer = Union[cp_model.BoolVarT, bool]
"""A literal that enforces a constraint: a literal, a negated one (``IntVar.Not()``) or a constant."""
Expr = Union[cp_model.LinearExpr, int]
"""An integer expression: CP-SAT's (a variable is one) or a constant.

Not ``cp_model.LinearExprT``, which also admits NumPy integers: no expression
here holds one, and admitting them leaves ``expr + 1`` without a matching
``__add__`` overload in OR-Tools' stubs.
"""
Start = Union[cp_model.IntVar, int]
"""A task's start: a variable, or a constant when its window leaves one value."""


HintFn = Callable[[SolutionView], int]


class CpSatModel:
    """A CP-SAT model of one problem, with the handles needed to hint, solve and read it back."""

    def __init__(self, problem: ProblemData) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.horizon = problem.effective_horizon
        self._hints: list[tuple[cp_model.IntVar, HintFn]] = []
        self.level_expressions: list[Expr] = []
        self._timed = timed_tasks(problem)
        self.canonical_mode = [list(range(len(task.modes))) for task in problem.tasks]
        self._live_range_cache: dict[tuple, Any] = {}
        self._build_cycle()
        self._build_tasks()
        self._build_resources()
        self._build_relations()
        from schedkit.solvers.cpsat.objective import level_expression

        self.level_expressions = [level_expression(self, level) for level in problem.objective.levels]

    # ------------------------------------------------------------- variables
    def new_int(self, lb: int, ub: int, name: str, hint: HintFn) -> cp_model.IntVar:
        """A new integer variable whose warm-start value is ``hint(view)``."""
        var = self.model.new_int_var(lb, ub, name)
        self._hints.append((var, hint))
        return var

    def new_bool(self, name: str, hint: HintFn) -> cp_model.IntVar:
        """A new Boolean variable whose warm-start value is ``hint(view)``."""
        var = self.model.new_bool_var(name)
        self._hints.append((var, hint))
        return var

    @staticmethod
    def enforcement(*lits: Enforcer) -> list[cp_model.BoolVarT] | None:
        """Literals to enforce a constraint by; None when one of them is constant False."""
        out: list[cp_model.BoolVarT] = []
        for lit in lits:
            if lit is False:
                return None
            if lit is not True:
                out.append(lit)
        return out

    def add_enforced(self, constraint: cp_model.BoundedLinearExpression | bool, *lits: Enforcer) -> None:
        """Post ``constraint`` when every literal of ``lits`` holds."""
        enforce = self.enforcement(*lits)
        if enforce is None:
            return
        if isinstance(constraint, bool):  # both sides were constants
            if not constraint:
                self.model.add_bool_or([lit.Not() for lit in enforce])
            return
        ct = self.model.add(constraint)
        if enforce:
            ct.only_enforce_if(enforce)

    def presence_sum(self, tasks: Iterable[int]) -> Expr:
        """``sum p_i`` over ``tasks`` (constants for mandatory tasks)."""
        return sum((1 if self.present[i] is True else self.present[i]) for i in tasks if self.present[i] is not False)

    # ---------------------------------------------------------------- build
    def _build_cycle(self) -> None:
        cycle = self.problem.cycle
        self.ii: Expr = 0
        if cycle is None:
            return
        if cycle.ii_min == cycle.ii_max:
            self.ii = cycle.ii_min
        else:
            self.ii = self.new_int(cycle.ii_min, cycle.ii_max, "II", lambda v: v.ii)

    def _build_tasks(self) -> None:
        p = self.problem
        model = self.model
        self.present: list[Lit] = []
        self.mode_lits: list[list[Lit]] = []
        self.start: list[Start] = []
        self.end: list[Expr] = []
        self.mode_intervals: list[list[cp_model.IntervalVar | None]] = []
        self.start_hint: list[HintFn] = []
        for i, task in enumerate(p.tasks):
            pin = task.pin
            # presence
            if not task.optional or (pin is not None and pin.present is True):
                present: Lit = True
            elif pin is not None and pin.present is False:
                present = False
            else:
                present = self.new_bool(f"p[{i}]", _present_hint(i))
            allowed: Sequence[int] = range(len(task.modes))
            if pin is not None and pin.mode is not None:
                allowed = range(pin.mode, pin.mode + 1)
            allowed = self._drop_duplicate_modes(i, allowed)
            durations = {task.modes[m].duration for m in allowed}
            # time window of the start and end
            latest_end = self.horizon if task.deadline is None else min(self.horizon, task.deadline)
            start_lb, start_ub = task.release, latest_end - min(durations)
            if pin is not None and pin.start is not None:
                start_lb, start_ub = max(start_lb, pin.start), min(start_ub, pin.start)
            if not self._timed[i]:
                start_lb = start_ub = 0
            if start_lb > start_ub:  # no room for the task at all
                if present is True:
                    model.add_bool_or([])  # infeasible: reported as such by CP-SAT
                present = False
                start_lb = start_ub = task.release
            self.present.append(present)
            # modes
            lits: list[Lit] = [False] * len(task.modes)
            if present is not False:
                if len(allowed) == 1:
                    lits[allowed[0]] = present
                else:
                    for m in allowed:
                        lits[m] = self.new_bool(f"x[{i},{m}]", _mode_hint(i, m))
                    model.add(sum(lits[m] for m in allowed) == (1 if present is True else present))
            self.mode_lits.append(lits)
            # start, end and mode intervals
            # An absent task's start is free; its hint (and every hint derived from it) is the lower bound.
            start_hint = _start_hint(i, start_lb)
            self.start_hint.append(start_hint)
            if start_lb == start_ub:
                start: Start = start_lb
            else:
                start = self.new_int(start_lb, start_ub, f"S[{i}]", start_hint)
            if len(durations) == 1:
                end: Expr = start + next(iter(durations))
            else:
                lo, hi = start_lb + min(durations), min(latest_end, start_ub + max(durations))
                end = self.new_int(lo, hi, f"E[{i}]", _end_hint(i, lo))
            self.start.append(start)
            self.end.append(end)
            intervals: list[cp_model.IntervalVar | None] = [None] * len(task.modes)
            if self._timed[i]:
                for m in allowed:
                    duration = task.modes[m].duration
                    if lits[m] is False or duration == 0:
                        if lits[m] is not False and len(durations) > 1:
                            self.add_enforced(end == start, lits[m])
                        continue
                    intervals[m] = self._interval(start, duration, end, lits[m], f"I[{i},{m}]")
                if len(durations) > 1 and present is not False:
                    self._link_duration(i, start, end, durations, present)
            self.mode_intervals.append(intervals)

    def _link_duration(self, i: int, start: Expr, end: Expr, durations: set[int], present: Lit) -> None:
        """A processing-time variable ``P_i`` for a task whose modes differ in duration.

        ``P_i in {d_m}``, ``x_im => P_i = d_m`` and ``E_i = S_i + P_i`` (when
        present): redundant, as the mode intervals already imply ``E_i = S_i +
        d_m`` for the chosen mode. But without it nothing ties ``E_i`` to
        ``S_i`` before a mode is chosen, and CP-SAT's default search then
        branches on the mode literals alone, each to false first: on a
        100-job, 60-machine flexible job shop its first schedule ran every
        operation on its last eligible machine (makespan 9,138 where a
        dispatch rule gives 172). With ``P_i`` it branches on ``P_i``'s
        smallest value and the start (a greedy shortest-mode schedule, 284,
        in 1,040 branches instead of 8,529), and precedence chains propagate
        ``E_i >= S_i + min_m d_m`` from the root. PyJobShop's main task
        interval, of variable size, has the same effect.
        """
        task = self.problem.tasks[i]
        shortest = min(durations)
        size = self.model.new_int_var_from_domain(cp_model.Domain.from_values(sorted(durations)), f"P[{i}]")
        self._hints.append((size, _duration_hint(task, i, shortest)))
        for m, lit in enumerate(self.mode_lits[i]):
            if lit is not False:
                self.add_enforced(size == task.modes[m].duration, lit)
        self.add_enforced(end == start + size, present)

    def _drop_duplicate_modes(self, i: int, allowed: Sequence[int]) -> list[int]:
        """Keep the first of modes identical in duration, demands, cost and location.

        Identical modes are interchangeable (unless a reference names one), so
        one suffices; the others' literals are constant False and a warm start
        naming one is read as its canonical twin. Besides a smaller model, this
        sidesteps an OR-Tools 9.15 bug: two identical optional intervals of one
        task in a cumulative with downtime can make CP-SAT report a feasible
        model INFEASIBLE (tests/solvers/test_cpsat_regressions.py).
        """
        task = self.problem.tasks[i]
        if task.reference is not None or len(allowed) < 2:
            return list(allowed)
        first: dict[tuple, int] = {}
        keep = []
        for m in allowed:
            mode = task.modes[m]
            key = (mode.duration, mode.demands, mode.cost, mode.location)
            if key in first:
                self.canonical_mode[i][m] = first[key]
                continue
            first[key] = m
            keep.append(m)
        return keep

    def _interval(self, start: Expr, size: int, end: Expr, lit: Lit, name: str) -> cp_model.IntervalVar:
        if lit is True:
            return self.model.new_interval_var(start, size, end, name)
        return self.model.new_optional_interval_var(start, size, end, lit, name)

    def usages_by_resource(self) -> list[list[tuple[int, int, int, int, int]]]:
        """Per resource, its usages as ``(task, mode, amount, offset, length)`` (possible modes only)."""
        out: list[list[tuple[int, int, int, int, int]]] = [[] for _ in self.problem.resources]
        for i, task in enumerate(self.problem.tasks):
            for m, mode in enumerate(task.modes):
                if self.mode_lits[i][m] is False:
                    continue
                for d in mode.demands:
                    if not d.until:  # live ranges have a variable length: see live_range_intervals
                        out[d.resource].append((i, m, d.amount, d.offset, d.usage_length(mode.duration)))
        return out

    def _usage_interval(self, i: int, m: int, offset: int, length: int) -> cp_model.IntervalVar | None:
        """The interval ``[S + offset, S + offset + length)`` of a usage (None if empty)."""
        if length == 0:
            return None
        if offset == 0 and length == self.problem.tasks[i].modes[m].duration:
            return self.mode_intervals[i][m]
        start = self.start[i] + offset
        return self._interval(start, length, start + length, self.mode_lits[i][m], f"U[{i},{m},{offset}]")

    def _capacity_segments(self, resource: int) -> list[tuple[int, int, int]]:
        """The capacity profile of a timed resource as ``(start, end, capacity)`` segments over [0, horizon)."""
        res = self.problem.resources[resource]
        segments, t = [], 0
        for w in res.calendar:
            if w.start > t:
                segments.append((t, w.start, res.capacity))
            segments.append((w.start, w.end, w.capacity))
            t = w.end
        if t < self.horizon:
            segments.append((t, self.horizon, res.capacity))
        return [(s, min(e, self.horizon), c) for s, e, c in segments if s < self.horizon]

    def _build_resources(self) -> None:
        for r, (res, usages) in enumerate(zip(self.problem.resources, self.usages_by_resource())):
            if res.kind == ResourceKind.UNARY:
                self._build_unary(r, usages)
            elif res.kind == ResourceKind.RENEWABLE:
                self._build_renewable(r, usages)
            elif res.kind == ResourceKind.CONSUMABLE:
                self._build_consumable(r, usages)
            elif res.kind == ResourceKind.BIN:
                load = sum(amount * self.mode_lits[i][m] for i, m, amount, _, _ in usages)
                if usages:
                    self.model.add(load <= res.capacity)
            else:
                self._build_modulo(r, usages)

    def _build_unary(self, r: int, usages: Sequence[tuple[int, int, int, int, int]]) -> None:
        usage = [self._usage_interval(i, m, offset, length) for i, m, _, offset, length in usages]
        downtime = [
            self.model.new_fixed_size_interval_var(s, e - s, f"down[{r},{s}]")
            for s, e, c in self._capacity_segments(r)
            if c == 0
        ]
        intervals = [iv for iv in usage if iv is not None] + downtime
        intervals += [iv for iv, _ in self.live_range_intervals(r)]
        if len(intervals) > 1:
            self.model.add_no_overlap(intervals)

    def _build_renewable(self, r: int, usages: Sequence[tuple[int, int, int, int, int]]) -> None:
        cap = self.problem.resources[r].max_capacity
        intervals, demands = [], []
        for i, m, amount, offset, length in usages:
            interval = self._usage_interval(i, m, offset, length)
            if interval is not None:
                intervals.append(interval)
                demands.append(amount)
        for interval, amount in self.live_range_intervals(r):
            intervals.append(interval)
            demands.append(amount)
        if not intervals:
            return
        for s, e, c in self._capacity_segments(r):
            if c < cap:
                intervals.append(self.model.new_fixed_size_interval_var(s, e - s, f"cal[{r},{s}]"))
                demands.append(cap - c)
        if sum(demands) > cap:
            self.model.add_cumulative(intervals, demands, cap)

    def _build_consumable(self, r: int, usages: Sequence[tuple[int, int, int, int, int]]) -> None:
        res = self.problem.resources[r]
        if not usages:
            return
        if not res.calendar:
            self.model.add(sum(amount * self.mode_lits[i][m] for i, m, amount, _, _ in usages) <= res.capacity)
            return
        # Consumption is non-decreasing in time, so within a capacity segment [u, v) with capacity c
        # it peaks at v - 1: the demands of the tasks started before v must fit c. After the last
        # window the base capacity holds forever, so the total must fit it too.
        self.model.add(sum(amount * self.mode_lits[i][m] for i, m, amount, _, _ in usages) <= res.capacity)
        for _, v, c in self._capacity_segments(r):
            terms = []
            for i, m, amount, _, _ in usages:
                started = self.new_bool(f"started[{i},{m},<{v}]", _started_before_hint(i, m, v))
                # started <=> (x_im and S_i < v), so the sum below is exact.
                self.add_enforced(self.start[i] >= v, self.mode_lits[i][m], started.Not())
                self.add_enforced(self.start[i] <= v - 1, started)
                if self.mode_lits[i][m] is not True:
                    self.model.add_implication(started, self.mode_lits[i][m])
                terms.append(amount * started)
            self.model.add(sum(terms) <= c)

    def _build_modulo(self, r: int, usages: Sequence[tuple[int, int, int, int, int]]) -> None:
        cycle = self.problem.cycle
        assert cycle is not None  # validation guarantees it
        cap = self.problem.resources[r].capacity
        intervals, demands, energy = [], [], []
        for i, m, amount, offset, length in usages:
            if length == 0:
                continue
            lit = self.mode_lits[i][m]
            energy.append(amount * length * (1 if lit is True else lit))

            residue_hint = _residue_hint(self.start_hint[i], offset)
            residue = self.new_int(0, cycle.ii_max - 1, f"r[{i},{m},{offset}]", residue_hint)
            self.model.add_modulo_equality(residue, self.start[i] + offset, self.ii)
            for k in range(math.ceil(length / cycle.ii_min) + 1):
                if k == 0:
                    copy: Expr = residue
                elif isinstance(self.ii, int):
                    copy = residue - k * self.ii
                else:
                    copy = self.new_int(
                        -k * cycle.ii_max, cycle.ii_max, f"r[{i},{m},{offset}]-{k}II", _shifted_hint(residue_hint, k)
                    )
                    self.model.add(copy == residue - k * self.ii)
                intervals.append(self._interval(copy, length, copy + length, lit, f"M[{i},{m},{offset},{k}]"))
                demands.append(amount)
        for interval, amount in self.live_range_intervals(r):
            intervals.append(interval)
            demands.append(amount)
        if not intervals:
            return
        self.model.add(sum(energy) <= cap * self.ii)
        if sum(demands) > cap:
            if cap == 1:
                self.model.add_no_overlap(intervals)
            else:
                self.model.add_cumulative(intervals, demands, cap)

    # ------------------------------------------------------------ live ranges
    def live_range_intervals(self, r: int) -> list[tuple[cp_model.IntervalVar, int]]:
        """The intervals (with amounts) of the live ranges on resource ``r``, for its capacity constraint.

        A live range of task i in mode m (``Demand.until``) starts at
        ``B = S_i + offset`` and has a variable length ``len`` with

            ``len >= least``  and  ``len >= S_k + d_k * II + lag_k - B``  (enforced by p_i and p_k)

        for every reader k. Only lower bounds are posted: a longer usage only
        loads the resource more, so a schedule feasible with some ``len`` is
        feasible with the exact maximum the checker computes (which is what the
        warm start hints). On unary and renewable resources the usage is the
        optional interval ``[B, B + len)`` present iff x_im; on a modulo
        resource it is folded like a fixed usage (see the module docstring):
        ``rho = B mod II`` and copies ``[rho - k II, rho - k II + len)`` for
        ``k = 0..ceil(len_max / ii_min)``.
        """
        res = self.problem.resources[r]
        out: list[tuple[cp_model.IntervalVar, int]] = []
        for i, task in enumerate(self.problem.tasks):
            for m, mode in enumerate(task.modes):
                lit = self.mode_lits[i][m]
                if lit is False:
                    continue
                for d in mode.demands:
                    if d.resource != r or not d.until:
                        continue
                    length, longest = self._live_range_length(i, d.offset, d.usage_length(mode.duration), d.until)
                    if longest == 0:
                        continue
                    lit = self._live_range_presence(i, m, lit, d, mode.duration, length)
                    if res.kind != ResourceKind.MODULO:
                        begin = self.start[i] + d.offset
                        end = self._live_range_end(i, d.offset, d.usage_length(mode.duration), d.until, length)
                        out.append((self._sized(begin, length, end, lit, f"LR[{i},{m},{d.offset}]"), d.amount))
                        continue
                    for k, (copy, end) in enumerate(self._live_range_copies(i, d, mode.duration, length, longest)):
                        out.append((self._sized(copy, length, end, lit, f"LRM[{i},{m},{d.offset},{k}]"), d.amount))
        out += self.transfer_intervals(r)
        return out

    # ------------------------------------------------------- transfer demands
    def transfer_intervals(self, r: int) -> list[tuple[cp_model.IntervalVar, int]]:
        """The intervals of ``Precedence.transfer_demands`` on resource ``r``.

        A transfer demand of precedence a -> b is a usage timed from ``S_a``
        (fixed, or a live range as in :meth:`live_range_intervals`) present iff
        ``cross_ab``: a and b run at different locations, with

            ``cross_ab + sum_l z_l = 1``  (both present),  ``z_l = y_al AND y_bl``,  ``y_al = sum_{m at l} x_am``,

        so ``cross_ab`` is exactly "the locations differ".
        """
        res = self.problem.resources[r]
        out: list[tuple[cp_model.IntervalVar, int]] = []
        for k, prec in enumerate(self.problem.precedences):
            for d in prec.transfer_demands:
                if d.resource != r:
                    continue
                a = prec.a
                least = d.length or 0
                length, longest = self._live_range_length(a, d.offset, least, d.until)
                if longest == 0:
                    continue
                cross = self._cross_literal(k)
                if cross is False:
                    continue
                if d.amount > res.max_capacity:  # the transfer never fits: the tasks share a location
                    self.model.add_bool_or([negation(cross)])
                    continue
                lit = self._transfer_presence(k, a, d, cross, length)
                if res.kind != ResourceKind.MODULO:
                    begin = self.start[a] + d.offset
                    end = self._live_range_end(a, d.offset, least, d.until, length)
                    out.append((self._sized(begin, length, end, lit, f"TR[{k},{d.offset}]"), d.amount))
                    continue
                for c, (copy, end) in enumerate(self._live_range_copies(a, d, least, length, longest)):
                    out.append((self._sized(copy, length, end, lit, f"TRM[{k},{d.offset},{c}]"), d.amount))
        return out

    def _cross_literal(self, k: int) -> Lit:
        """True iff precedence k's two tasks are present at different locations (see :meth:`transfer_intervals`)."""
        key = ("cross", k)
        if key in self._live_range_cache:
            return self._live_range_cache[key]
        prec = self.problem.precedences[k]
        a, b = prec.a, prec.b
        tasks = self.problem.tasks

        def location_sum(t: int, location: str | None) -> Expr:
            return sum(
                (1 if lit is True else lit)
                for lit, mode in zip(self.mode_lits[t], tasks[t].modes)
                if lit is not False and mode.location == location
            )

        def hint(v: SolutionView) -> int:
            if not (v.present[a] and v.present[b]):
                return 0
            return int(tasks[a].modes[v.mode[a]].location != tasks[b].modes[v.mode[b]].location)

        if self.present[a] is False or self.present[b] is False:
            self._live_range_cache[key] = False
            return False
        shared = [
            loc
            for loc in dict.fromkeys(m.location for m in tasks[a].modes)
            if any(m.location == loc for m in tasks[b].modes)
        ]
        cross = self.new_bool(f"cross[{k}]", hint)
        same = []
        for loc in shared:
            y_a, y_b = location_sum(a, loc), location_sum(b, loc)
            z = self.new_bool(f"same[{k},{loc}]", _both_at_hint(tasks, a, b, loc))
            self.model.add(z <= y_a)
            self.model.add(z <= y_b)
            self.model.add(z >= y_a + y_b - 1)
            same.append(z)
        both = [lit for lit in (self.present[a], self.present[b]) if lit is not True]
        for lit in both:
            self.model.add_implication(cross, lit)
        self.model.add(cross + sum(same) <= 1)
        self.model.add(cross + sum(same) >= 1 - len(both) + sum(both))
        self._live_range_cache[key] = cross
        return cross

    def _transfer_presence(self, k: int, a: int, d: Any, cross: Lit, length: Expr) -> Lit:
        """``cross_ab``, and ``len >= 1`` when the transfer's usage may be empty (as for live ranges)."""
        least = d.length or 0
        if least >= 1 or isinstance(length, int):
            return cross
        nonempty = self._live_range_presence(a, -1, True, d, least, length)
        hint = self._live_range_hint(a, d.offset, least, d.until)
        cross_hint = self._cross_hint(k)
        both = self.new_bool(f"tr_on[{k},{d.offset}]", lambda v: int(cross_hint(v) and hint(v) >= 1))
        self.model.add_implication(both, cross)
        self.model.add_implication(both, nonempty)
        self.model.add_bool_or([both, negation(cross), negation(nonempty)])
        return both

    def _cross_hint(self, k: int) -> HintFn:
        prec = self.problem.precedences[k]
        tasks = self.problem.tasks

        def hint(v: SolutionView) -> int:
            if not (v.present[prec.a] and v.present[prec.b]):
                return 0
            return int(tasks[prec.a].modes[v.mode[prec.a]].location != tasks[prec.b].modes[v.mode[prec.b]].location)

        return hint

    def _live_range_presence(self, i: int, m: int, lit: Lit, d: Any, duration: int, length: Expr) -> Lit:
        """The literal of a live range's intervals: x_im, and ``len >= 1`` when the range may be empty.

        CP-SAT's ``NoOverlap`` lets a zero-size interval block others, while an
        empty usage occupies nothing, so an interval exists only when it has a
        positive length.
        """
        least = d.usage_length(duration)
        if least >= 1 or isinstance(length, int):
            return lit
        key = ("nonempty", i, d.offset, least, d.until)
        if key not in self._live_range_cache:
            hint = self._live_range_hint(i, d.offset, least, d.until)
            nonempty = self.new_bool(f"lr_on[{i},{d.offset}]", lambda v: int(hint(v) >= 1))
            self.model.add(length >= 1).only_enforce_if(nonempty)
            self.model.add(length == 0).only_enforce_if(nonempty.Not())
            self._live_range_cache[key] = nonempty
        nonempty = self._live_range_cache[key]
        if lit is True:
            return nonempty
        hint = self._live_range_hint(i, d.offset, least, d.until)
        both = self.new_bool(
            f"lr_on[{i},{m},{d.offset}]", lambda v: int(v.present[i] and v.mode[i] == m and hint(v) >= 1)
        )
        self.model.add_implication(both, lit)
        self.model.add_implication(both, nonempty)
        self.model.add_bool_or([both, negation(lit), negation(nonempty)])
        return both

    def _sized(self, start: Expr, size: Expr, end: Expr, lit: Lit, name: str) -> cp_model.IntervalVar:
        """An interval of variable size (optional unless ``lit`` is True)."""
        if lit is True:
            return self.model.new_interval_var(start, size, end, name)
        return self.model.new_optional_interval_var(start, size, end, lit, name)

    def _expr_bounds(self, expr: Start) -> tuple[int, int]:
        """Bounds of a start (an int or a CP-SAT variable)."""
        if isinstance(expr, int):
            return expr, expr
        domain = list(expr.proto.domain)
        return domain[0], domain[-1]

    def _live_range_hint(self, i: int, offset: int, least: int, until: tuple) -> HintFn:
        """The exact length of a live range in a solution (what the checker computes)."""

        def hint(v: SolutionView) -> int:
            begin = self.start_hint[i](v) + offset
            end = begin + least
            for reader in until:
                if v.present[reader.task]:
                    end = max(end, v.start[reader.task] + reader.distance * v.ii + reader.lag)
            return end - begin

        return hint

    def _live_range_length(self, i: int, offset: int, least: int, until: tuple) -> tuple[Expr, int]:
        """The length variable of a live range (shared by the producer's modes) and its upper bound."""
        key = ("len", i, offset, least, until)
        cache = self._live_range_cache
        if key in cache:
            return cache[key]
        cycle = self.problem.cycle
        ii_max = cycle.ii_max if cycle is not None else 0
        begin_lo, _ = self._expr_bounds(self.start[i])
        longest = least
        for reader in until:
            if self.present[reader.task] is False:
                continue
            _, reader_hi = self._expr_bounds(self.start[reader.task])
            longest = max(longest, reader_hi + reader.distance * ii_max + reader.lag - begin_lo - offset)
        if longest == least:
            cache[key] = (least, least)
            return cache[key]
        length = self.new_int(least, longest, f"len[{i},{offset}]", self._live_range_hint(i, offset, least, until))
        for reader in until:
            if self.present[reader.task] is False:
                continue
            shift = reader.distance * self.ii if reader.distance else 0
            reach = self.start[reader.task] + shift + reader.lag - self.start[i] - offset
            self.add_enforced(length >= reach, self.present[i], self.present[reader.task])
        cache[key] = (length, longest)
        return cache[key]

    def _live_range_end(self, i: int, offset: int, least: int, until: tuple, length: Expr) -> Expr:
        """``S_i + offset + len`` as one variable (an interval's end must be affine)."""
        if isinstance(length, int):
            return self.start[i] + offset + length
        key = ("end", i, offset, least, until)
        cache = self._live_range_cache
        if key not in cache:
            lo, hi = self._expr_bounds(self.start[i])
            _, longest = self._live_range_length(i, offset, least, until)
            hint = self._live_range_hint(i, offset, least, until)
            end = self.new_int(
                lo + offset + least,
                hi + offset + longest,
                f"lre[{i},{offset}]",
                lambda v: self.start_hint[i](v) + offset + hint(v),
            )
            self.model.add(end == self.start[i] + offset + length)
            cache[key] = end
        return cache[key]

    def _live_range_copies(self, i: int, d: Any, duration: int, length: Expr, longest: int) -> list[tuple[Expr, Expr]]:
        """``(start, end)`` of the folded copies ``k = 0..ceil(longest / ii_min)`` of a modulo live range."""
        cycle = self.problem.cycle
        assert cycle is not None  # validation guarantees it
        least = d.usage_length(duration)
        key = ("copies", i, d.offset, least, d.until)
        cache = self._live_range_cache
        if key in cache:
            return cache[key]

        start_hint, offset = self.start_hint[i], d.offset

        def residue_hint(v: SolutionView) -> int:
            return (start_hint(v) + offset) % max(v.ii, 1)

        residue = self.new_int(0, cycle.ii_max - 1, f"lrr[{i},{d.offset}]", residue_hint)
        self.model.add_modulo_equality(residue, self.start[i] + d.offset, self.ii)
        hint = self._live_range_hint(i, d.offset, least, d.until)
        first_end: Expr = residue + length
        if not isinstance(length, int):
            first_end = self.new_int(
                least, cycle.ii_max - 1 + longest, f"lrr_end[{i},{d.offset}]", lambda v: residue_hint(v) + hint(v)
            )
            self.model.add(first_end == residue + length)
        copies: list[tuple[Expr, Expr]] = []
        for k in range(math.ceil(longest / cycle.ii_min) + 1):
            if k == 0:
                copies.append((residue, first_end))
            elif isinstance(self.ii, int):
                copies.append((residue - k * self.ii, first_end - k * self.ii))
            else:
                start = self.new_int(
                    -k * cycle.ii_max, cycle.ii_max, f"lrr[{i},{d.offset}]-{k}II", _shifted_hint(residue_hint, k)
                )
                self.model.add(start == residue - k * self.ii)
                end = self.new_int(
                    -k * cycle.ii_max,
                    cycle.ii_max + longest,
                    f"lrr_end[{i},{d.offset}]-{k}II",
                    _shifted_end_hint(residue_hint, k, hint),
                )
                self.model.add(end == start + length)
                copies.append((start, end))
        cache[key] = copies
        return copies

    def _build_relations(self) -> None:
        p = self.problem
        model = self.model
        for prec in p.precedences:
            a, b = prec.a, prec.b
            shift = prec.distance * self.ii if prec.distance else 0
            later: Expr
            earlier: Expr
            if prec.type == PrecedenceType.END_TO_START:
                later, earlier = self.start[b], self.end[a]
            elif prec.type == PrecedenceType.START_TO_START:
                later, earlier = self.start[b], self.start[a]
            elif prec.type == PrecedenceType.END_TO_END:
                later, earlier = self.end[b], self.end[a]
            else:
                later, earlier = self.end[b], self.start[a]
            self.add_enforced(later + shift >= earlier + prec.lag, self.present[a], self.present[b])
            if prec.transfer_lag:
                for ma, mode_a in enumerate(p.tasks[a].modes):
                    for mb, mode_b in enumerate(p.tasks[b].modes):
                        if mode_a.location != mode_b.location:
                            self.add_enforced(
                                later + shift >= earlier + prec.lag + prec.transfer_lag,
                                self.mode_lits[a][ma],
                                self.mode_lits[b][mb],
                            )
        for imp in p.implications:
            consequents = [self.present[t] for t in imp.then_any]
            antecedent = self.present[imp.a]
            if any(lit is True for lit in consequents) or antecedent is False:
                continue
            clause: list[Enforcer] = [lit for lit in consequents if lit is not False]
            if antecedent is not True:
                clause.append(antecedent.Not())
            model.add_bool_or(clause)
        for sel in p.selections:
            count = self.presence_sum(sel.tasks)
            if sel.min_present > 0:
                self.add_enforced(count >= sel.min_present)
            if sel.max_present is not None:
                self.add_enforced(count <= sel.max_present)
        for pair in p.disjunctive_pairs:
            intervals = [iv for t in (pair.a, pair.b) for iv in self.mode_intervals[t] if iv is not None]
            if len(intervals) > 1:
                model.add_no_overlap(intervals)

    # ----------------------------------------------------------- warm start
    def add_hints(self, solution: Solution) -> int:
        """Hint every variable from ``solution``; return how many got a hint."""
        self.model.clear_hints()
        if len(solution.tasks) != self.problem.num_tasks:
            return 0
        view = SolutionView.of(self.problem, solution)
        view.mode = [self.canonical_mode[i][m] for i, m in enumerate(view.mode)]
        hinted: set[int] = set()
        for var, fn in self._hints:
            try:
                value = fn(view)
            except (IndexError, ZeroDivisionError, TypeError):
                continue
            self.model.add_hint(var, value)
            hinted.add(var.index)
        # Constants created by the CP-SAT wrapper (fixed domains) get their only value.
        hint = self.model.proto.solution_hint
        for index, variable in enumerate(self.model.proto.variables):
            domain = list(variable.domain)
            if index not in hinted and len(domain) == 2 and domain[0] == domain[1]:
                hint.vars.append(index)
                hint.values.append(domain[0])
                hinted.add(index)
        return len(hinted)

    @property
    def num_variables(self) -> int:
        """Number of variables in the CP-SAT model."""
        return len(self.model.proto.variables)

    # ---------------------------------------------------------------- read
    def extract(self, value: Callable[[Expr], int]) -> Solution:
        """Read a ``Solution`` back through ``value`` (a solver's or callback's ``value``)."""

        def lit_value(lit: Lit) -> bool:
            return lit if isinstance(lit, bool) else bool(value(lit))

        tasks = []
        for i in range(self.problem.num_tasks):
            if not lit_value(self.present[i]):
                tasks.append(TaskAssignment(False, None, None))
                continue
            lits = self.mode_lits[i]
            mode = next(m for m, lit in enumerate(lits) if lit is not False and lit_value(lit))
            start = self.start[i]
            tasks.append(TaskAssignment(True, mode, start if isinstance(start, int) else int(value(start))))
        ii = None
        if self.problem.cycle is not None:
            ii = self.ii if isinstance(self.ii, int) else int(value(self.ii))
        return Solution(tuple(tasks), ii)


def negation(lit: Lit) -> Enforcer:
    """``not lit``: the negated literal of a variable, the opposite constant of a bool."""
    return not lit if isinstance(lit, bool) else lit.Not()


# Hint functions. Each computes a variable's value in a solution (see ``CpSatModel.new_int``); they are
# built by factories, not default-argument lambdas, so that each binds its own task, mode and time.
def _present_hint(i: int) -> HintFn:
    """Hint of ``p_i``: 1 when task i is present."""
    return lambda v: int(v.present[i])


def _mode_hint(i: int, m: int) -> HintFn:
    """Hint of ``x_im``: 1 when task i runs in mode m."""
    return lambda v: int(v.present[i] and v.mode[i] == m)


def _start_hint(i: int, lowest: int) -> HintFn:
    """Hint of ``S_i``: task i's start, its lowest start when absent (an absent task's start is free)."""
    return lambda v: v.start[i] if v.present[i] else lowest


def _end_hint(i: int, lowest: int) -> HintFn:
    """Hint of ``E_i``: task i's end, its lowest end when absent."""
    return lambda v: v.end[i] if v.present[i] else lowest


def _duration_hint(task: Task, i: int, shortest: int) -> HintFn:
    """Hint of ``P_i``: the duration of task i's mode, its shortest one when absent."""
    return lambda v: task.modes[v.mode[i]].duration if v.present[i] else shortest


def _started_before_hint(i: int, m: int, time: int) -> HintFn:
    """Hint of ``started``: 1 when task i runs in mode m and starts before ``time``."""
    return lambda v: int(v.present[i] and v.mode[i] == m and v.start[i] < time)


def _residue_hint(start: HintFn, offset: int) -> HintFn:
    """Hint of a residue ``(S_i + offset) mod II`` (II at least 1, so an absent II gives no division by 0)."""
    return lambda v: (start(v) + offset) % max(v.ii, 1)


def _shifted_hint(residue: HintFn, k: int) -> HintFn:
    """Hint of a folded copy's start ``r - k II``."""
    return lambda v: residue(v) - k * v.ii


def _shifted_end_hint(residue: HintFn, k: int, length: HintFn) -> HintFn:
    """Hint of a folded live-range copy's end ``r - k II + len``."""
    return lambda v: residue(v) - k * v.ii + length(v)


def _both_at_hint(tasks: Sequence[Task], a: int, b: int, location: str | None) -> HintFn:
    """Hint of ``z_l``: 1 when tasks a and b are both present at ``location``."""
    return lambda v: int(
        v.present[a]
        and v.present[b]
        and tasks[a].modes[v.mode[a]].location == location
        and tasks[b].modes[v.mode[b]].location == location
    )
