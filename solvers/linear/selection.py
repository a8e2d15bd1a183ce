"""The hot path: time-free 0/1 selection and packing models built as arrays and solved by highspy.

The KV-tree selection of a tree search is solved at every expansion step, so
its latency matters more than its generality. For a problem without timed
tasks (the ``assignment`` column of the capability matrix) this module
writes the same 0/1 model as :mod:`schedkit.solvers.linear.time_indexed` does with one
time point per task, but straight into NumPy arrays, with no per-variable
Python objects:

* ``x_im``: task i present in mode m; ``sum_m x_im = 1`` (mandatory) or
  ``<= 1`` (optional);
* bins and budgets: ``sum a_im x_im <= c``;
* implication ``sum_m x_am - sum_{b} sum_m x_bm <= 0``; selection
  ``k_min <= sum x <= k_max``;
* coverage ``y_g = OR x``: ``y_g <= sum_{i in g} x_i`` and ``x_im <= y_g``;
* each level: ``value_i``, ``-penalty_i`` (plus a constant), ``cost_m``,
  disruption ``evict (1 - p) + move (p - x_ref)`` and rewards on the y.

It first solves the LP relaxation with presolve off (a few milliseconds at
256 leaves); when the LP optimum is integral it is optimal for the 0/1 model,
otherwise the 0/1 model is solved by HiGHS's MIP solver. The differential
tests check that this model and the general one always reach the same
optimum.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np

from schedkit.models import ProblemData, Sense, Solution, TaskAssignment, TermKind
from schedkit.models.terms import TERMS, presence_values
from schedkit.solvers.capabilities import require
from schedkit.solvers.lexicographic import LevelAttempt, TimeSplit, solve_levels, status_of
from schedkit.solvers.result import BackendOutcome, Status


@dataclass
class SelectionArrays:
    """The 0/1 model as arrays: columns, rows in triplet form and one cost vector per level."""

    problem: ProblemData
    owner: np.ndarray  # task of each x column
    mode: np.ndarray  # mode of each x column
    n_cols: int
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=lambda: [0])
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    _arrays: tuple[np.ndarray, ...] | None = None
    costs: list[tuple[np.ndarray, float, bool]] = field(default_factory=list)  # (cost, constant, maximise)

    @classmethod
    def build(cls, problem: ProblemData, checked: bool = False) -> SelectionArrays:
        """The model of a time-free ``problem`` (raises UnsupportedFeature otherwise, unless ``checked``)."""
        if not checked:
            require(problem, "assignment")
        owner_list: list[int] = []
        mode_list: list[int] = []
        columns: list[list[int]] = []
        mandatory = []
        for i, task in enumerate(problem.tasks):
            pin = task.pin
            allowed: list[int] = []
            if pin is None or pin.present is not False:
                allowed = [pin.mode] if pin is not None and pin.mode is not None else list(range(len(task.modes)))
            columns.append(list(range(len(owner_list), len(owner_list) + len(allowed))))
            owner_list.extend([i] * len(allowed))
            mode_list.extend(allowed)
            mandatory.append(not task.optional or (pin is not None and pin.present is True))
        n_x = len(owner_list)
        groups = problem.coverage_groups
        model = cls(problem, np.asarray(owner_list), np.asarray(mode_list), n_x + len(groups))
        for i, cols in enumerate(columns):
            model.add(cols, [1.0] * len(cols), 1.0 if mandatory[i] else -np.inf, 1.0)
        usage: dict[int, tuple[list[int], list[float]]] = {}
        for col, (i, m) in enumerate(zip(owner_list, mode_list)):
            for d in problem.tasks[i].modes[m].demands:
                usage.setdefault(d.resource, ([], []))[0].append(col)
                usage[d.resource][1].append(float(d.amount))
        for r, (cols, amounts) in usage.items():
            model.add(cols, amounts, -np.inf, float(problem.resources[r].capacity))
        for imp in problem.implications:
            lhs = columns[imp.a]
            rhs = [c for b in imp.then_any for c in columns[b]]
            model.add(lhs + rhs, [1.0] * len(lhs) + [-1.0] * len(rhs), -np.inf, 0.0)
        for sel in problem.selections:
            cols = [c for i in sel.tasks for c in columns[i]]
            high = np.inf if sel.max_present is None else float(sel.max_present)
            model.add(cols, [1.0] * len(cols), float(sel.min_present), high)
        for g, group in enumerate(groups):
            y = n_x + g
            cols = [c for i in group.tasks for c in columns[i]]
            model.add([y, *cols], [1.0] + [-1.0] * len(cols), -np.inf, 0.0)
            for c in cols:
                model.add([c, y], [1.0, -1.0], -np.inf, 0.0)
        for level in problem.objective.levels:
            model.costs.append(model._level_costs(level.terms, columns) + (level.sense == Sense.MAXIMIZE,))
        return model

    def add(self, cols: list[int], coefs: list[float], low: float, high: float) -> None:
        """Add the row ``low <= sum coefs * x[cols] <= high``."""
        self.index.extend(cols)
        self.value.extend(coefs)
        self.starts.append(len(self.index))
        self.lower.append(low)
        self.upper.append(high)
        self._arrays = None

    @property
    def num_rows(self) -> int:
        """Number of rows (without level locks)."""
        return len(self.lower)

    def _level_costs(self, terms: Any, columns: list[list[int]]) -> tuple[np.ndarray, float]:
        """Cost vector and constant of one level (vectorised over the x columns)."""
        p = self.problem
        tasks = p.tasks
        n_x = len(self.owner)
        cost = np.zeros(self.n_cols)
        constant = 0.0
        owner, mode = self.owner, self.mode
        for term in terms:
            w = float(term.weight)
            if term.kind == TermKind.COVERAGE_REWARD:
                cost[n_x:] += w * np.fromiter((g.reward for g in p.coverage_groups), dtype=float)
                continue
            if term.tasks is None:
                chosen = np.ones(n_x, dtype=bool)
            else:
                chosen = np.isin(owner, np.asarray(term.tasks, dtype=int))
            if TERMS[term.kind].linear_in_presence:  # a_i (1 - p_i) + sum_m c_im x_im (models.terms)
                values = [presence_values(term.kind, task) for task in tasks]
                absent = np.fromiter((v.absent for v in values), dtype=float, count=len(tasks))
                per_column = np.fromiter(
                    (values[i].per_mode[m] for i, m in zip(owner.tolist(), mode.tolist())), dtype=float, count=n_x
                )
                cost[:n_x] += w * (per_column - absent[owner]) * chosen
                subset = slice(None) if term.tasks is None else np.asarray(term.tasks, dtype=int)
                constant += w * float(absent[subset].sum())
        return cost, constant

    def highs_lp(self, level: int, relax: bool, locks: list[tuple[int, float]]) -> highspy.HighsLp:
        """The HiGHS model of level ``level`` with rows locking earlier levels."""
        if self._arrays is None:  # the rows as arrays, converted once per model
            self._arrays = (
                np.asarray(self.index, dtype=np.int32),
                np.asarray(self.value, dtype=np.float64),
                np.asarray(self.starts, dtype=np.int32),
                np.asarray(self.lower, dtype=np.float64),
                np.asarray(self.upper, dtype=np.float64),
            )
        index, value, starts, lower, upper = ([array] for array in self._arrays)
        last = int(self._arrays[2][-1])
        for k, locked in locks:
            cost, constant, maximize = self.costs[k]
            cols = np.flatnonzero(cost)
            index.append(cols.astype(np.int32))
            value.append(cost[cols])
            last += len(cols)
            starts.append(np.asarray([last], dtype=np.int32))
            lower.append(np.asarray([locked - constant if maximize else -np.inf]))
            upper.append(np.asarray([np.inf if maximize else locked - constant]))
        n_rows = len(self.lower) + len(locks)
        lp = highspy.HighsLp()
        lp.num_col_ = self.n_cols
        lp.num_row_ = n_rows
        if self.costs:
            cost, constant, maximize = self.costs[level]
            lp.col_cost_ = cost
            lp.offset_ = constant
            lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
        else:
            lp.col_cost_ = np.zeros(self.n_cols)
        lp.col_lower_ = np.zeros(self.n_cols)
        lp.col_upper_ = np.ones(self.n_cols)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.concatenate(starts)
        lp.a_matrix_.index_ = np.concatenate(index)
        lp.a_matrix_.value_ = np.concatenate(value)
        lp.a_matrix_.num_col_ = self.n_cols
        lp.a_matrix_.num_row_ = n_rows
        lp.row_lower_ = np.concatenate(lower)
        lp.row_upper_ = np.concatenate(upper)
        if not relax:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * self.n_cols
        return lp

    def decode(self, values: np.ndarray) -> Solution:
        """Presence and mode of each task from the x columns."""
        tasks = [TaskAssignment(False, None, None)] * self.problem.num_tasks
        for col in np.flatnonzero(values[: len(self.owner)] > 0.5):
            tasks[int(self.owner[col])] = TaskAssignment(True, int(self.mode[col]), 0)
        return Solution(tuple(tasks), None)


def _run(lp: highspy.HighsLp, presolve: bool, time_limit: float | None, seed: int) -> tuple[Any, np.ndarray | None]:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", seed)
    h.setOptionValue("mip_rel_gap", 0.0)
    if not presolve:
        h.setOptionValue("presolve", "off")
    if time_limit is not None:
        h.setOptionValue("time_limit", max(0.001, time_limit))
    h.passModel(lp)
    h.run()
    if h.getInfo().primal_solution_status != 2:
        return h, None
    return h, np.asarray(h.getSolution().col_value)


class SelectionLevels:
    """The array model of a time-free problem, solved level by level (a ``LevelSession`` of the lexicographic loop).

    Each level is solved as an LP with presence off first: an integral LP
    optimum is optimal for the 0/1 model; otherwise the 0/1 model is solved by
    HiGHS's MIP solver. Locks are rows on earlier levels' cost vectors.
    """

    reports_progress = False

    def __init__(self, arrays: SelectionArrays, seed: int) -> None:
        self.arrays = arrays
        self.seed = seed
        self.locks: list[tuple[int, float]] = []
        self.lp_integral = 0

    def solve_level(self, level: int | None, time_limit: float | None, hint: Solution | None) -> LevelAttempt:
        """Optimise ``level`` (None: any selection) under the locks; the hint is not needed at this size."""
        arrays, k = self.arrays, level or 0
        h, values = _run(arrays.highs_lp(k, True, self.locks), False, time_limit, self.seed)
        if h.getModelStatus() == highspy.HighsModelStatus.kInfeasible:
            return LevelAttempt(Status.INFEASIBLE)
        integral = values is not None and bool(np.all(np.abs(values - np.round(values)) <= 1e-7))
        proven = integral and h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        if proven:
            self.lp_integral += 1
        else:
            h, values = _run(arrays.highs_lp(k, False, self.locks), True, time_limit, self.seed)
            proven = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        if values is None:
            timed_out = h.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
            return LevelAttempt(Status.TIME_LIMIT if timed_out else Status.UNKNOWN)
        values = np.round(values)
        value = None
        if arrays.costs and level is not None:
            cost, constant, _ = arrays.costs[k]
            value = int(round(float(cost @ values) + constant))
        return LevelAttempt(
            Status.OPTIMAL if proven else Status.FEASIBLE, arrays.decode(values), value, value if proven else None
        )

    def lock(self, level: int, value: int, exact: bool) -> None:
        """Keep level ``level`` at ``value`` or better (a row on its cost vector)."""
        self.locks.append((level, value))


def solve_selection(
    problem: ProblemData,
    time_limit: float | None = None,
    seed: int = 0,
    warm_start: Solution | None = None,
    time_split: TimeSplit | None = None,
    checked: bool = False,
) -> BackendOutcome:
    """Solve a time-free problem's levels in order on the array model (LP first, MIP when fractional).

    ``checked``: the caller has already checked the constructs against the
    capability matrix.
    """
    started = time.perf_counter()
    arrays = SelectionArrays.build(problem, checked)
    stats: dict[str, Any] = {"formulation": "assignment", "solver": "highspy", "variables": arrays.n_cols}
    stats["rows"] = arrays.num_rows
    stats["build_time"] = round(time.perf_counter() - started, 5)
    session = SelectionLevels(arrays, seed)
    run = solve_levels(
        problem, session, time_limit=time_limit, started=started, incumbent=warm_start, time_split=time_split
    )
    stats["lp_integral_levels"] = session.lp_integral
    stats["solve_time"] = round(time.perf_counter() - started, 5)
    if run.incumbent_kept:
        stats["incumbent_kept_at_levels"] = run.incumbent_kept
    return BackendOutcome(status_of(run), run.solution, run.levels, "mip", None, stats, run.message)
