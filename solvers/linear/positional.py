"""Positional (assignment) formulation for one machine: job j in position k.

For n mandatory single-mode tasks on one unary machine without downtime,
``x_jk = 1`` iff job j is the k-th processed (each job one position, each
position one job). With ``C_k`` the completion of the k-th job:

    C_1 >= sum_j (r_j + p_j) x_j1
    C_k >= C_{k-1} + sum_j p_j x_jk
    C_k >= sum_j (r_j + p_j) x_jk
    E_j >= C_k - M_k (1 - x_jk),   E_j >= r_j + p_j

so ``E_j`` bounds job j's completion from below and equals it wherever the
objective pushes it down (tardiness, completion, makespan, lateness; the
capability matrix admits only those). The schedule is read back as the
sequence, each job starting as early as its release and its predecessor
allow. The model has n^2 binaries whatever the horizon, which is why it is
chosen for single machines whose time-indexed model would be too large.
"""

from __future__ import annotations

from collections.abc import Sequence

from schedkit.models import ProblemData, ResourceKind, Solution, TaskAssignment
from schedkit.solvers.capabilities import UnsupportedFeature
from schedkit.solvers.linear.encoding import TaskEncoding
from schedkit.solvers.linear.linear import HintFn, LinExpr
from schedkit.solvers.solution_view import SolutionView


def single_machine(problem: ProblemData) -> int | None:
    """The machine when every task is mandatory, single-mode, and uses exactly one unary resource without downtime."""
    machines = problem.resources_of_kind(ResourceKind.UNARY)
    if len(machines) != 1 or problem.resources[machines[0]].calendar or problem.num_tasks == 0:
        return None
    machine = machines[0]
    for task in problem.tasks:
        if task.optional or len(task.modes) != 1 or task.pin is not None:
            return None
        demands = task.modes[0].demands
        if [d.resource for d in demands] != [machine] or demands[0].amount < 1 or task.modes[0].duration <= 0:
            return None
    return machine


class Positional(TaskEncoding):
    """The positional formulation (see the module docstring)."""

    formulation = "positional"

    def __init__(self, problem: ProblemData, ii: int = 0) -> None:
        super().__init__(problem, ii)
        if single_machine(problem) is None:
            raise UnsupportedFeature(
                "positional",
                ["structure"],
                "needs mandatory single-mode tasks that all use one unary machine without downtime",
            )
        self._build()

    def _build(self) -> None:
        lm = self.lm
        tasks = self.problem.tasks
        n = len(tasks)
        p = [task.modes[0].duration for task in tasks]
        r = [task.release for task in tasks]
        horizon = float(self.horizon)

        self.x = [[lm.new_binary(f"x_{j}_{k}", _at_position_hint(n, j, k)) for k in range(n)] for j in range(n)]
        for j in range(n):
            lm.add_row(LinExpr({self.x[j][k]: 1.0 for k in range(n)}), lo=1.0, hi=1.0, name=f"job_{j}")
        for k in range(n):
            lm.add_row(LinExpr({self.x[j][k]: 1.0 for j in range(n)}), lo=1.0, hi=1.0, name=f"pos_{k}")

        c = [lm.new_var(min(r) + min(p), horizon, f"C_{k}", _completion_hint(n, k)) for k in range(n)]
        for k in range(n):
            ready = LinExpr({self.x[j][k]: float(r[j] + p[j]) for j in range(n)})
            lm.add_le(ready, LinExpr.var(c[k]), name=f"ready_{k}")
            if k > 0:
                chain = LinExpr.var(c[k - 1]).add(LinExpr({self.x[j][k]: float(p[j]) for j in range(n)}))
                lm.add_le(chain, LinExpr.var(c[k]), name=f"chain_{k}")
        for j in range(n):
            e = lm.new_var(r[j] + p[j], horizon, f"E_{j}", _end_hint(j))
            for k in range(n):
                big_m = horizon - (r[j] + p[j])
                # E_j >= C_k - M (1 - x_jk)
                row = LinExpr.var(e).add(LinExpr.var(c[k]), -1.0).add(1 - LinExpr.var(self.x[j][k]), big_m)
                lm.add_row(row, lo=0.0, name=f"end_{j}_{k}")
            self.present_expr[j] = LinExpr({}, 1.0)
            self.mode_expr[j][0] = LinExpr({}, 1.0)
            self.end_expr[j] = LinExpr.var(e)
            self.start_expr[j] = LinExpr.var(e) - p[j]

    def decode(self, values: Sequence[float]) -> Solution:
        """The sequence of positions, each job started as early as release and predecessor allow."""
        tasks = self.problem.tasks
        n = len(tasks)
        order = sorted(range(n), key=lambda j: max(range(n), key=lambda k: values[self.x[j][k]]))
        starts = [0] * n
        time = 0
        for j in order:
            starts[j] = max(time, tasks[j].release)
            time = starts[j] + tasks[j].modes[0].duration
        return Solution(tuple(TaskAssignment(True, 0, s) for s in starts), None)


def build_positional(problem: ProblemData) -> Positional:
    """Build the positional model of ``problem`` (one machine)."""
    encoding = Positional(problem)
    encoding.finish()
    return encoding


def _sequence(v: SolutionView, n: int) -> list[int]:
    """Tasks 0..n-1 of the hinted solution in order of start (ties by index): the k-th runs at position k."""
    return sorted(range(n), key=lambda i: (v.start[i], i))


def _at_position_hint(n: int, j: int, k: int) -> HintFn:
    """Hint of ``x_jk``: 1 when task j runs at position k."""
    return lambda v: int(_sequence(v, n).index(j) == k)


def _completion_hint(n: int, k: int) -> HintFn:
    """Hint of ``C_k``: the end of the task at position k."""
    return lambda v: v.end[_sequence(v, n)[k]]


def _end_hint(j: int) -> HintFn:
    """Hint of ``E_j``: task j's end."""
    return lambda v: v.end[j]
