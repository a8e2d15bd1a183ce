"""Time-indexed (pulse) formulation; with one time point per task it is the 0/1 assignment model.

Variables: ``x_imt = 1`` iff task i runs in mode m starting at t, for every
start t its window allows (release, deadline, horizon, pins). Then

* presence ``p_i = sum_mt x_imt`` (``= 1`` for a mandatory task, ``<= 1``
  otherwise), mode ``u_im = sum_t x_imt``, start ``S_i = sum_mt t x_imt``,
  end ``E_i = sum_mt (t + d_m) x_imt``; any function of the end is exact:
  ``f(E_i) = sum_mt f(t + d_m) x_imt`` (tardiness, tardy indicator);
* unary / renewable resource r at every time u:
  ``sum_{usages (i,m,a,o,L)} a * sum_{t: t + o <= u < t + o + L} x_imt <= c_r(u)``
  (rows that cannot bind are left out). For long usages the inner sum uses
  the cumulative ``Z_imt = sum_{tau <= t} x_imtau`` (one row each) as
  ``Z_{i,m,u-o} - Z_{i,m,u-o-L}``, which keeps the matrix linear in the
  horizon instead of quadratic;
* consumable: for every capacity segment ending at v with capacity c,
  ``sum_{t < v} a x_imt <= c``, and the total within the base capacity;
* bin: ``sum a u_im <= c``;
* modulo (a fixed initiation interval II): for every residue r in [0, II),
  ``sum a * n(t + o, L, r) x_imt <= c`` where n counts the k in [0, L) with
  ``t + o + k = r (mod II)``;
* disjunctive pair (a, b): at every u, the pulses of a and b covering u sum
  to at most 1.

A time-free task (see :func:`schedkit.solvers.structure.timed_tasks`) has the single
start 0, so a problem without timed tasks becomes the direct 0/1 model
(``assignment``). The LP relaxation of the pulse formulation is the strongest
of the classic scheduling relaxations, at the price of size: one variable per
task, mode and start.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from schedkit.models import ProblemData, ResourceKind, Solution, TaskAssignment
from schedkit.solvers.linear.encoding import TaskEncoding
from schedkit.solvers.linear.linear import HintFn, LinExpr
from schedkit.solvers.solution_view import SolutionView
from schedkit.solvers.structure import timed_tasks

CUMULATIVE_FROM_LENGTH = 5
"""Usages at least this long are counted through cumulative variables Z (linear, not quadratic, nonzeros)."""


def time_indexed_size(problem: ProblemData, ii: int = 0) -> int:
    """Number of pulse variables the formulation would create (to choose a formulation before building)."""
    timed = timed_tasks(problem)
    horizon = problem.effective_horizon
    total = 0
    for i, task in enumerate(problem.tasks):
        for mode in task.modes:
            if not timed[i]:
                total += 1
                continue
            latest_end = horizon if task.deadline is None else min(horizon, task.deadline)
            total += max(0, latest_end - mode.duration - task.release + 1)
    return total


class TimeIndexed(TaskEncoding):
    """The pulse formulation (see the module docstring)."""

    formulation = "time_indexed"

    def __init__(self, problem: ProblemData, ii: int = 0) -> None:
        super().__init__(problem, ii)
        self.timed = timed_tasks(problem)
        if problem.is_cyclic:
            self.formulation = self.lm.formulation = "modulo"
        elif not any(self.timed):
            self.formulation = self.lm.formulation = "assignment"
        # pulses[i][m] = {start: variable}
        self.pulses: list[list[dict[int, int]]] = []
        self.cumulative: dict[tuple[int, int], dict[int, int]] = {}
        self._build_tasks()
        self._build_resources()
        self._build_disjunctive_pairs()

    # ----------------------------------------------------------------- tasks
    def _starts(self, i: int, m: int) -> range:
        task = self.problem.tasks[i]
        pin = task.pin
        if pin is not None and (pin.present is False or (pin.mode is not None and pin.mode != m)):
            return range(0)
        if not self.timed[i]:
            return range(1)
        duration = task.modes[m].duration
        latest_end = self.horizon if task.deadline is None else min(self.horizon, task.deadline)
        low, high = task.release, latest_end - duration
        if pin is not None and pin.start is not None:
            low, high = max(low, pin.start), min(high, pin.start)
        return range(low, high + 1)

    def _build_tasks(self) -> None:
        lm = self.lm
        for i, task in enumerate(self.problem.tasks):
            mandatory = not task.optional or (task.pin is not None and task.pin.present is True)
            per_mode: list[dict[int, int]] = []
            presence = LinExpr()
            for m, mode in enumerate(task.modes):
                variables: dict[int, int] = {}
                for t in self._starts(i, m):
                    variables[t] = lm.new_binary(f"x_{i}_{m}_{t}", _starts_at(i, m, t))
                per_mode.append(variables)
                usage = LinExpr({x: 1.0 for x in variables.values()})
                self.mode_expr[i][m] = usage
                presence.add(usage)
                self.start_expr[i].add(LinExpr({x: float(t) for t, x in variables.items()}))
                self.end_expr[i].add(LinExpr({x: float(t + mode.duration) for t, x in variables.items()}))
            self.pulses.append(per_mode)
            if mandatory:
                lm.add_row(presence, lo=1.0, hi=1.0, name=f"present_{i}")
                self.present_expr[i] = LinExpr({}, 1.0)
            else:
                lm.add_row(presence, hi=1.0, name=f"present_{i}")
                self.present_expr[i] = presence

    def end_function(self, i: int, f: Callable[[int], float]) -> LinExpr | None:
        """``sum_mt f(t + d_m) x_imt``: exact for any f."""
        expr = LinExpr()
        for m, variables in enumerate(self.pulses[i]):
            duration = self.problem.tasks[i].modes[m].duration
            for t, x in variables.items():
                value = f(t + duration)
                if value:
                    expr.coefs[x] = float(value)
        return expr

    def same_as_reference(self, i: int) -> LinExpr | None:
        """The pulses of the reference mode (at the reference start, if it names one)."""
        ref = self.problem.tasks[i].reference
        assert ref is not None
        variables = self.pulses[i][ref.mode]
        if ref.start is None:
            return LinExpr({x: 1.0 for x in variables.values()})
        x = variables.get(ref.start)
        return LinExpr() if x is None else LinExpr.var(x)

    # ------------------------------------------------------------- coverage
    def _cumulative(self, i: int, m: int) -> dict[int, int]:
        """``Z_imt = sum_{tau <= t} x_im tau`` for t over the mode's starts (created once)."""
        key = (i, m)
        if key in self.cumulative:
            return self.cumulative[key]
        variables = self.pulses[i][m]
        z: dict[int, int] = {}
        previous: int | None = None
        for t in sorted(variables):
            var = self.lm.new_var(0, 1, f"Z_{i}_{m}_{t}", _started_by(i, m, t), False)
            row = LinExpr({var: 1.0, variables[t]: -1.0})
            if previous is not None:
                row.coefs[previous] = -1.0
            self.lm.add_row(row, lo=0.0, hi=0.0, name=f"cum_{i}_{m}_{t}")
            z[t] = var
            previous = var
        self.cumulative[key] = z
        return z

    def _cover(self, i: int, m: int, offset: int, length: int, amount: float) -> dict[int, list[tuple[int, float]]]:
        """Per time u, the terms of ``amount * [usage (offset, length) of (i, m) covers u]``."""
        variables = self.pulses[i][m]
        out: dict[int, list[tuple[int, float]]] = defaultdict(list)
        if not variables or length <= 0:
            return out
        if length < CUMULATIVE_FROM_LENGTH:
            for t, x in variables.items():
                for u in range(t + offset, t + offset + length):
                    out[u].append((x, amount))
            return out
        z = self._cumulative(i, m)
        first, last = min(variables), max(variables)
        # covered at u  <=>  start in (u - offset - length, u - offset]  =  Z[u - o] - Z[u - o - L]
        for u in range(first + offset, last + offset + length):
            high = min(u - offset, last)
            out[u].append((z[high], amount))
            low = u - offset - length
            if low >= first:
                out[u].append((z[low], -amount))
        return out

    # ------------------------------------------------------------ resources
    def _usages(self) -> list[list[tuple[int, int, int, int, int]]]:
        out: list[list[tuple[int, int, int, int, int]]] = [[] for _ in self.problem.resources]
        for i, task in enumerate(self.problem.tasks):
            for m, mode in enumerate(task.modes):
                if not self.pulses[i][m]:
                    continue
                for d in mode.demands:
                    out[d.resource].append((i, m, d.amount, d.offset, d.usage_length(mode.duration)))
        return out

    def _build_resources(self) -> None:
        for r, (res, usages) in enumerate(zip(self.problem.resources, self._usages())):
            if not usages:
                continue
            if res.kind in (ResourceKind.UNARY, ResourceKind.RENEWABLE):
                self._timed_rows(r, usages)
            elif res.kind == ResourceKind.CONSUMABLE:
                self._consumable_rows(r, usages)
            elif res.kind == ResourceKind.BIN:
                load = LinExpr()
                for i, m, amount, _, _ in usages:
                    load.add(self.mode_expr[i][m], amount)
                self.lm.add_row(load, hi=res.capacity, name=f"bin_{r}")
            else:
                self._modulo_rows(r, usages)

    def _timed_rows(self, r: int, usages: Sequence[tuple[int, int, int, int, int]]) -> None:
        res = self.problem.resources[r]
        rows: dict[int, LinExpr] = defaultdict(LinExpr)
        potential: dict[int, float] = defaultdict(float)
        for i, m, amount, offset, length in usages:
            if amount == 0:
                continue
            for u, terms in self._cover(i, m, offset, length, float(amount)).items():
                row = rows[u]
                for var, coef in terms:
                    row.coefs[var] = row.coefs.get(var, 0.0) + coef
                potential[u] += amount
        for u in sorted(rows):
            capacity = res.capacity_at(u)
            if potential[u] <= capacity:
                continue
            self.lm.add_row(rows[u], hi=capacity, name=f"cap_{r}_{u}")

    def _consumable_rows(self, r: int, usages: Sequence[tuple[int, int, int, int, int]]) -> None:
        res = self.problem.resources[r]
        total = LinExpr()
        for i, m, amount, _, _ in usages:
            total.add(self.mode_expr[i][m], amount)
        self.lm.add_row(total, hi=res.capacity, name=f"budget_{r}")
        t = 0
        segments = []
        for w in res.calendar:
            if w.start > t:
                segments.append((w.start, res.capacity))
            segments.append((w.end, w.capacity))
            t = w.end
        for v, capacity in segments:
            started = LinExpr()
            for i, m, amount, _, _ in usages:
                for start, x in self.pulses[i][m].items():
                    if start < v:
                        started.coefs[x] = started.coefs.get(x, 0.0) + amount
            self.lm.add_row(started, hi=capacity, name=f"budget_{r}_before_{v}")

    def _modulo_rows(self, r: int, usages: Sequence[tuple[int, int, int, int, int]]) -> None:
        ii = self.ii
        capacity = self.problem.resources[r].capacity
        rows = [LinExpr() for _ in range(ii)]
        for i, m, amount, offset, length in usages:
            if length <= 0 or amount == 0:
                continue
            full, rest = divmod(length, ii)
            for t, x in self.pulses[i][m].items():
                first = (t + offset) % ii
                for residue in range(ii):
                    count = full + (1 if (residue - first) % ii < rest else 0)
                    if count:
                        rows[residue].coefs[x] = rows[residue].coefs.get(x, 0.0) + amount * count
        for residue, row in enumerate(rows):
            if row.coefs:
                self.lm.add_row(row, hi=capacity, name=f"modulo_{r}_{residue}")

    def _build_disjunctive_pairs(self) -> None:
        for k, pair in enumerate(self.problem.disjunctive_pairs):
            rows: dict[int, LinExpr] = defaultdict(LinExpr)
            owners: dict[int, set[int]] = defaultdict(set)
            for task in (pair.a, pair.b):
                for m, mode in enumerate(self.problem.tasks[task].modes):
                    for u, terms in self._cover(task, m, 0, mode.duration, 1.0).items():
                        for var, coef in terms:
                            rows[u].coefs[var] = rows[u].coefs.get(var, 0.0) + coef
                        owners[u].add(task)
            for u, row in rows.items():
                if len(owners[u]) == 2:
                    self.lm.add_row(row, hi=1.0, name=f"disj_{k}_{u}")

    # --------------------------------------------------------------- decode
    def decode(self, values: Sequence[float]) -> Solution:
        """The pulse set to 1 gives each task's presence, mode and start."""
        tasks = []
        for per_mode in self.pulses:
            chosen = None
            for m, variables in enumerate(per_mode):
                for t, x in variables.items():
                    if values[x] > 0.5:
                        chosen = TaskAssignment(True, m, t)
                        break
                if chosen is not None:
                    break
            tasks.append(chosen or TaskAssignment(False, None, None))
        return Solution(tuple(tasks), self.ii if self.problem.is_cyclic else None)


def build_time_indexed(problem: ProblemData, ii: int = 0) -> TimeIndexed:
    """Build the time-indexed model of ``problem`` (for a cyclic problem, at initiation interval ``ii``)."""
    encoding = TimeIndexed(problem, ii)
    encoding.finish()
    return encoding


def view_of(problem: ProblemData, solution: Solution) -> SolutionView:
    """The :class:`SolutionView` of ``solution`` (for MIP starts)."""
    return SolutionView.of(problem, solution)


def _starts_at(i: int, m: int, t: int) -> HintFn:
    """Hint of ``x_imt``: 1 when task i runs in mode m from time t."""
    return lambda v: int(v.present[i] and v.mode[i] == m and v.start[i] == t)


def _started_by(i: int, m: int, t: int) -> HintFn:
    """Hint of ``Z_imt``: 1 when task i runs in mode m and has started by time t."""
    return lambda v: int(v.present[i] and v.mode[i] == m and v.start[i] <= t)
