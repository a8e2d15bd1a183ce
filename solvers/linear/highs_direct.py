"""Solve a :class:`~schedkit.solvers.linear.linear.LinearModel` with highspy directly, without Pyomo.

For models solved thousands of times (the KV-tree selection of a tree
search, LP bounds inside a loop) building a Pyomo model costs more than
solving. Here the model goes to HiGHS as arrays in one ``passModel`` call:
columns with costs, bounds and integrality, rows in compressed sparse row
form. ``relax=True`` drops integrality (the LP relaxation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import highspy
import numpy as np

from schedkit.solvers.linear.linear import LinearModel, LinExpr
from schedkit.solvers.linear.threads import highs_threads


@dataclass
class DirectSolve:
    """Outcome of one direct HiGHS solve: status, objective, dual bound and column values."""

    status: str  # optimal, feasible, infeasible, time_limit, unknown
    objective: float | None
    bound: float | None
    values: np.ndarray | None


def _highs(time_limit: float | None, threads: int | None, seed: int) -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", seed)
    h.setOptionValue("mip_rel_gap", 0.0)
    threads = highs_threads(threads)
    if threads is not None:
        h.setOptionValue("threads", threads)
    if time_limit is not None:
        h.setOptionValue("time_limit", max(0.001, float(time_limit)))
        h.setOptionValue("presolve_rule_off", 1 << 15)  # probing reads no clock (see mip.pyomo_model.PROBING_RULE)
    return h


def to_highs_lp(lm: LinearModel, objective: LinExpr, maximize: bool, relax: bool) -> highspy.HighsLp:
    """The HiGHS model of ``lm`` with ``objective``."""
    lp = highspy.HighsLp()
    n = lm.num_vars
    lp.num_col_ = n
    lp.num_row_ = lm.num_rows
    cost = np.zeros(n)
    for i, c in objective.coefs.items():
        cost[i] += c
    lp.col_cost_ = cost
    lp.offset_ = objective.constant
    lp.col_lower_ = np.asarray(lm.lb, dtype=np.float64)
    lp.col_upper_ = np.asarray(lm.ub, dtype=np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    starts, indices, values, lo, hi = lm.csr()
    lp.row_lower_ = lo
    lp.row_upper_ = hi
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = indices
    lp.a_matrix_.value_ = values
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = lm.num_rows
    if not relax and any(lm.integer):
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous for integer in lm.integer
        ]
    return lp


def solve_direct(
    lm: LinearModel,
    level: int = 0,
    relax: bool = False,
    time_limit: float | None = None,
    threads: int | None = None,
    seed: int = 0,
    locks: list[tuple[int, float]] | None = None,
    log: bool = False,
) -> DirectSolve:
    """Solve level ``level`` of ``lm`` (a feasibility problem when it has no levels).

    ``locks`` holds ``(level, value)`` pairs for earlier levels, added as rows
    ``level <= value`` (``>=`` when maximising). ``log`` writes HiGHS's log to
    standard output line by line as HiGHS produces it.
    """
    if lm.levels:
        objective, maximize = lm.levels[level].expr, lm.levels[level].maximize
    else:
        objective, maximize = LinExpr(), False
    h = _highs(time_limit, threads, seed)
    h.passModel(to_highs_lp(lm, objective, maximize, relax))
    for k, value in locks or []:
        expr = lm.levels[k].expr
        idx = np.fromiter(expr.coefs.keys(), dtype=np.int32)
        val = np.fromiter(expr.coefs.values(), dtype=np.float64)
        lo, hi = (
            (value - expr.constant, highspy.kHighsInf)
            if lm.levels[k].maximize
            else (-highspy.kHighsInf, value - expr.constant)
        )
        h.addRow(lo, hi, len(idx), idx, val)
    if log:
        from schedkit.solvers.linear.log import streamed_log

        h.setOptionValue("output_flag", True)
        with streamed_log(h):
            h.run()
    else:
        h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    values = np.asarray(h.getSolution().col_value) if has_solution else None
    objective_value = info.objective_function_value if has_solution else None
    is_mip = not relax and any(lm.integer)
    bound: float | None
    if status == highspy.HighsModelStatus.kOptimal:
        bound = objective_value if not is_mip else info.mip_dual_bound
        name = "optimal"
    elif status == highspy.HighsModelStatus.kInfeasible:
        bound, name = None, "infeasible"
    else:
        bound = info.mip_dual_bound if is_mip else None
        name = "time_limit" if status == highspy.HighsModelStatus.kTimeLimit else "unknown"
        if values is not None:
            name = "feasible"
    if bound is not None and not math.isfinite(bound):
        bound = None
    return DirectSolve(name, objective_value, bound, values)
