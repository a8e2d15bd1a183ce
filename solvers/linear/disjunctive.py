"""Disjunctive (big-M) formulation for machine scheduling: shops, flexible shops, disjunctive pairs.

Variables: an integer start ``S_i`` per task in its window, a 0/1 mode
indicator ``u_im`` per allowed mode (the constant 1 for a single mode), the
end ``E_i = S_i + sum_m d_m u_im`` (with ``E_i <= deadline / horizon``), and
one order variable ``y_ij`` per pair of tasks that may meet on a machine
(1: i before j). For every machine both tasks can use, in modes m and n:

    S_j >= S_i + d_im - M_ij (1 - y_ij) - M_ij (2 - u_im - u_jn)
    S_i >= S_j + d_jn - M_ji y_ij      - M_ji (2 - u_im - u_jn)

with the tightest constants that make each row vacuous when it should be,
``M_ij = max(0, ub(S_i) + d_im - lb(S_j))`` (Manne's model with per-pair
big-M; Ozguven et al.'s for machine choice). A downtime window [s, e) of a
machine is a fixed block: with ``b = 1`` when the task ends before it,
``E_i <= s + M (1 - b) + M (1 - u_im)`` and ``S_i >= e - M b - M (1 - u_im)``.
Budgets and bins are the linear sums of the time-indexed model over the
mode indicators. Tasks are mandatory here (the capability matrix routes
optional tasks to the time-indexed formulation).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from schedkit.models import ProblemData, ResourceKind, Solution, TaskAssignment
from schedkit.solvers.linear.encoding import TaskEncoding
from schedkit.solvers.linear.linear import HintFn, LinExpr


class Disjunctive(TaskEncoding):
    """The disjunctive formulation (see the module docstring)."""

    formulation = "disjunctive"

    def __init__(self, problem: ProblemData, ii: int = 0) -> None:
        super().__init__(problem, ii)
        self.start_var: list[int] = []
        self.allowed: list[list[int]] = []
        self.orders: dict[tuple[int, int], int] = {}
        self._build_tasks()
        self._build_resources()

    def _build_tasks(self) -> None:
        lm = self.lm
        for i, task in enumerate(self.problem.tasks):
            pin = task.pin
            allowed = list(range(len(task.modes)))
            if pin is not None and pin.mode is not None:
                allowed = [pin.mode]
            latest_end = self.horizon if task.deadline is None else min(self.horizon, task.deadline)
            low = task.release
            high = latest_end - min(task.modes[m].duration for m in allowed)
            if pin is not None and pin.start is not None:
                low, high = max(low, pin.start), min(high, pin.start)
            if high < low:
                lm.add_row(LinExpr(), lo=1.0, name=f"no_room_{i}")  # infeasible
                high = low
            start = lm.new_var(low, high, f"S_{i}", _start_hint(i, low))
            self.start_var.append(start)
            self.allowed.append(allowed)
            self.present_expr[i] = LinExpr({}, 1.0)
            self.start_expr[i] = LinExpr.var(start)
            end = LinExpr.var(start)
            if len(allowed) == 1:
                self.mode_expr[i][allowed[0]] = LinExpr({}, 1.0)
                end.constant += task.modes[allowed[0]].duration
            else:
                choice = LinExpr()
                for m in allowed:
                    u = lm.new_binary(f"u_{i}_{m}", _mode_hint(i, m))
                    self.mode_expr[i][m] = LinExpr.var(u)
                    choice.add(LinExpr.var(u))
                    end.add(LinExpr.var(u), task.modes[m].duration)
                lm.add_row(choice, lo=1.0, hi=1.0, name=f"mode_{i}")
                lm.add_row(end, hi=latest_end, name=f"end_{i}")
            self.end_expr[i] = end

    def _order(self, i: int, j: int) -> LinExpr:
        """``y_ij`` (1: i before j), one variable per unordered pair."""
        key = (min(i, j), max(i, j))
        if key not in self.orders:
            a, b = key
            self.orders[key] = self.lm.new_binary(f"y_{a}_{b}", _before_hint(a, b))
        y = LinExpr.var(self.orders[key])
        return y if key == (i, j) else 1 - y

    def _mode_pair(self, i: int, m: int, j: int, n: int) -> LinExpr:
        """``2 - u_im - u_jn``: 0 exactly when both modes are chosen."""
        return (2 - self.mode_expr[i][m]).add(self.mode_expr[j][n], -1.0)

    def _separate(self, i: int, m: int, j: int, n: int, tag: str) -> None:
        durations = (self.problem.tasks[i].modes[m].duration, self.problem.tasks[j].modes[n].duration)
        both = self._mode_pair(i, m, j, n)
        for (a, da), (b, _), before in (
            ((i, durations[0]), (j, durations[1]), self._order(i, j)),
            ((j, durations[1]), (i, durations[0]), self._order(j, i)),
        ):
            # S_b >= S_a + d_a - M (1 - before) - M both
            slack = self.start_expr[b] - self.start_expr[a] - da
            big_m = max(0.0, -self.bounds(slack)[0])
            row = LinExpr.of(slack).add(1 - before, big_m)
            if not (both.is_constant and both.constant == 0):
                row.add(both, big_m)
            self.lm.add_row(row, lo=0.0, name=f"{tag}_{a}_{b}")

    def _block(self, i: int, m: int, start: int, end: int, tag: str) -> None:
        """Keep mode m of task i out of the window [start, end)."""
        duration = self.problem.tasks[i].modes[m].duration
        low, high = self.lm.lb[self.start_var[i]], self.lm.ub[self.start_var[i]]
        if high + duration <= start or low >= end:
            return
        chosen = 1 - self.mode_expr[i][m]
        s = LinExpr.var(self.start_var[i])
        b = LinExpr.var(self.lm.new_binary(f"b_{tag}_{i}_{m}", _starts_before_hint(i, start)))
        big = float(high + duration + end)
        # E <= start + M (1 - b) + M (1 - u)
        self.lm.add_row((s + duration - start).add(1 - b, -big).add(chosen, -big), hi=0.0, name=f"{tag}_pre_{i}_{m}")
        # S >= end - M b - M (1 - u)
        self.lm.add_row((s - end).add(b, big).add(chosen, big), lo=0.0, name=f"{tag}_post_{i}_{m}")

    def _build_resources(self) -> None:
        p = self.problem
        usages: list[list[tuple[int, int, int]]] = [[] for _ in p.resources]
        for i, task in enumerate(p.tasks):
            for m in self.allowed[i]:
                for d in task.modes[m].demands:
                    usages[d.resource].append((i, m, d.amount))
        for r, (res, used) in enumerate(zip(p.resources, usages)):
            if res.kind == ResourceKind.UNARY:
                timed = [(i, m) for i, m, amount in used if amount > 0 and p.tasks[i].modes[m].duration > 0]
                self._pairwise(timed, f"mach{r}")
                for w in res.calendar:
                    if w.capacity < 1:
                        for i, m in timed:
                            self._block(i, m, w.start, w.end, f"down{r}_{w.start}")
            elif res.kind in (ResourceKind.CONSUMABLE, ResourceKind.BIN):
                load = LinExpr().add_all((self.mode_expr[i][m], amount) for i, m, amount in used)
                self.lm.add_row(load, hi=res.capacity, name=f"load_{r}")
            else:  # guarded by the capability matrix
                raise ValueError(f"the disjunctive formulation has no {res.kind.value} resources")
        for k, pair in enumerate(p.disjunctive_pairs):
            timed = [(t, m) for t in (pair.a, pair.b) for m in self.allowed[t] if p.tasks[t].modes[m].duration > 0]
            self._pairwise(timed, f"pair{k}")

    def _pairwise(self, timed: Sequence[tuple[int, int]], tag: str) -> None:
        for x, (i, m) in enumerate(timed):
            for j, n in timed[x + 1 :]:
                if i != j:
                    self._separate(i, m, j, n, tag)

    def decode(self, values: Sequence[float]) -> Solution:
        """Starts are the S variables (rounded), modes the indicators set to 1."""
        tasks = []
        for i, allowed in enumerate(self.allowed):
            mode = allowed[0]
            if len(allowed) > 1:
                mode = max(allowed, key=lambda m: self.mode_expr[i][m].value(values))
            tasks.append(TaskAssignment(True, mode, int(math.floor(values[self.start_var[i]] + 0.5))))
        return Solution(tuple(tasks), None)


def build_disjunctive(problem: ProblemData) -> Disjunctive:
    """Build the disjunctive model of ``problem``."""
    encoding = Disjunctive(problem)
    encoding.finish()
    return encoding


def _start_hint(i: int, low: int) -> HintFn:
    """Hint of ``S_i``: task i's start (its lowest start when absent)."""
    return lambda v: v.start[i] if v.present[i] else low


def _mode_hint(i: int, m: int) -> HintFn:
    """Hint of ``u_im``: 1 when task i runs in mode m."""
    return lambda v: int(v.present[i] and v.mode[i] == m)


def _before_hint(a: int, b: int) -> HintFn:
    """Hint of ``y_ab``: 1 when task a starts before task b (ties by index)."""
    return lambda v: int(v.start[a] < v.start[b] or (v.start[a] == v.start[b] and a < b))


def _starts_before_hint(i: int, time: int) -> HintFn:
    """Hint of a window's ``b``: 1 when task i is present and starts before ``time``."""
    return lambda v: int(v.present[i] and v.start[i] < time)
