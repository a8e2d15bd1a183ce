"""Turn a :class:`~schedkit.solvers.linear.linear.LinearModel` into a Pyomo model, and solve it with any Pyomo solver.

The Pyomo model has one indexed variable ``x`` (indexed by the formulation's
variable names, so ``.lp`` files stay readable), one constraint list ``rows``,
one objective per lexicographic level (only the current one active) and a
constraint list ``locks`` that fixes the levels already solved.

HiGHS is driven through Pyomo's persistent APPSI interface (``appsi_highs``,
the default): rows added for locks are passed on incrementally, MIP starts
are supported, and the dual bound is read from HiGHS. Any other name goes
through ``pyomo.environ.SolverFactory`` with the time limit mapped to that
solver's option name where known.
"""

from __future__ import annotations

import math
import time
from typing import Any

import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from schedkit.solvers.linear.deadline import OutOfTime, load_seconds, tick
from schedkit.solvers.linear.linear import LinearModel, LinExpr
from schedkit.solvers.linear.log import streamed_log
from schedkit.solvers.linear.threads import highs_threads
from schedkit.solvers.mip.level_solve import PyomoSolve

TIME_LIMIT_OPTION: dict[str, str] = {
    "glpk": "tmlim",
    "cbc": "seconds",
    "gurobi": "TimeLimit",
    "gurobi_direct": "TimeLimit",
    "gurobi_persistent": "TimeLimit",
    "cplex": "timelimit",
    "cplex_direct": "timelimit",
    "scip": "limits/time",
    "highs": "time_limit",
}
"""How each Pyomo solver calls its time limit (seconds)."""

HIGHS_NAMES = ("appsi_highs", "highs_appsi")

SHELL_SOLVERS = ("cbc", "glpk", "scip", "cplex", "gurobi")
"""Pyomo solvers run as a separate process: Pyomo can kill them at a hard time limit (``timelimit=``)."""

HIGHS_TIME_SHARE = 0.85
"""HiGHS gets this share of the time left: its presolve checks the clock rarely (an 8 s limit
ran 8.2 s of presolve on a j30 time-indexed model), and loading its answer follows."""


PROBING_RULE = 1 << 15
"""HiGHS 1.12's presolve rule bit of probing, which reads no clock: on a j30 time-indexed model it ran
9 s past a 4.3 s limit, and switched off the same model was solved to optimality in 9 s instead of 28.
Under a time limit it is switched off (``presolve_rule_off``); the other presolve rules keep running."""


def highs_time_limit(seconds: float) -> float:
    """The time limit handed to HiGHS for ``seconds`` left (see :data:`HIGHS_TIME_SHARE`)."""
    return max(0.01, HIGHS_TIME_SHARE * seconds - 0.02)


class PyomoModel:
    """A Pyomo model of a LinearModel, with level switching and locks."""

    def __init__(self, lm: LinearModel, name: str = "schedkit") -> None:
        started = time.perf_counter()
        self.lm = lm
        self.load_time: float | None = None
        model = pyo.ConcreteModel(name=name)
        names = lm.names
        model.x = pyo.Var(names, dense=True)
        self.vars = [model.x[name] for name in names]
        for var, low, high, integer in zip(self.vars, lm.lb, lm.ub, lm.integer):
            if integer:
                var.domain = pyo.Binary if (low >= 0 and high <= 1) else pyo.Integers
            var.setlb(None if math.isinf(low) else low)
            var.setub(None if math.isinf(high) else high)
        model.rows = pyo.ConstraintList()
        for row in lm.rows:
            tick("while building the Pyomo model")
            expr = LinearExpression(
                constant=0.0, linear_coefs=row.coefs, linear_vars=[self.vars[i] for i in row.indices]
            )
            row_low = None if math.isinf(row.lo) else row.lo
            row_high = None if math.isinf(row.hi) else row.hi
            if not row.indices:
                model.rows.add(expr >= 1) if (row_low or 0) > 0 else model.rows.add(expr <= -1)
                continue
            model.rows.add((row_low, expr, row_high))
        self.objectives = []
        for index, level in enumerate(lm.levels):
            objective = pyo.Objective(
                expr=self.expression(level.expr), sense=pyo.maximize if level.maximize else pyo.minimize
            )
            objective.deactivate()
            model.add_component(f"level{index}", objective)
            self.objectives.append(objective)
        model.locks = pyo.ConstraintList()
        self.model = model
        self._persistent: Any = None
        self.build_time = time.perf_counter() - started

    def expression(self, expr: LinExpr) -> Any:
        """A Pyomo linear expression for ``expr``."""
        items = [(i, c) for i, c in expr.coefs.items() if c]
        return LinearExpression(
            constant=expr.constant, linear_coefs=[c for _, c in items], linear_vars=[self.vars[i] for i, _ in items]
        )

    def activate(self, level: int | None) -> None:
        """Make ``level`` the objective (None: a feasibility problem)."""
        for index, objective in enumerate(self.objectives):
            if index == level:
                objective.activate()
            else:
                objective.deactivate()
        if level is None and not hasattr(self.model, "feasibility"):
            self.model.feasibility = pyo.Objective(expr=0.0)
        elif level is not None and hasattr(self.model, "feasibility"):
            self.model.feasibility.deactivate()

    def lock(self, level: int, value: float, exact: bool) -> None:
        """Keep level ``level`` at ``value`` (exactly, or no worse)."""
        expr = self.expression(self.lm.levels[level].expr)
        if exact:
            self.model.locks.add(expr == value)
        elif self.lm.levels[level].maximize:
            self.model.locks.add(expr >= value)
        else:
            self.model.locks.add(expr <= value)

    def set_start(self, values: list[float]) -> None:
        """Load a MIP start into the variables."""
        for var, value in zip(self.vars, values):
            var.set_value(value, skip_validation=True)

    def write(self, path: str, level: int | None = 0) -> None:
        """Write the model with ``level`` active (None or no level: a feasibility model) as ``.lp`` or ``.mps``."""
        self.activate(level if self.objectives else None)
        self.model.write(path, io_options={"symbolic_solver_labels": True})

    # ---------------------------------------------------------------- solve
    def solve(
        self,
        solver: str,
        time_limit: float | None,
        threads: int | None,
        seed: int,
        warm: bool,
        log: bool,
        maximize: bool,
    ) -> PyomoSolve:
        """Solve the active objective with ``solver``."""
        if solver in HIGHS_NAMES:
            return self._solve_appsi_highs(time_limit, threads, seed, warm, log)
        return self._solve_factory(solver, time_limit, threads, warm, log, maximize)

    def _solve_appsi_highs(
        self, time_limit: float | None, threads: int | None, seed: int, warm: bool, log: bool
    ) -> PyomoSolve:
        from pyomo.contrib.appsi.base import TerminationCondition as TC
        from pyomo.contrib.appsi.solvers.highs import Highs

        entered = time.perf_counter()
        if self._persistent is None:
            needed = load_seconds(self.lm.num_rows, self.lm.num_nonzeros)
            if time_limit is not None and needed > time_limit:  # set_instance cannot be interrupted: do not start it
                raise OutOfTime(
                    "before loading the model into HiGHS",
                    f"{self.lm.num_nonzeros} nonzeros need about {needed:.2f} s to load, {time_limit:.2f} s were left",
                )
            self._persistent = Highs()
            self._persistent.set_instance(self.model)  # loading into HiGHS counts against the time limit
            self.load_time = time.perf_counter() - entered
        opt = self._persistent
        opt.config.load_solution = False
        opt.config.stream_solver = False  # the log goes through HiGHS's logging callback, line by line
        if time_limit is not None:
            time_limit -= time.perf_counter() - entered
        opt.config.time_limit = None if time_limit is None else highs_time_limit(time_limit)
        opt.config.mip_gap = 0.0
        opt.config.warmstart = warm
        options: dict[str, Any] = {"random_seed": seed, "mip_abs_gap": 1e-6, "output_flag": True}
        if self._integral_objective():
            options["mip_abs_gap"] = 1 - 1e-6  # integer objective: a gap below 1 is a proof
        threads = highs_threads(threads)
        if threads is not None:
            options["threads"] = threads
        if time_limit is not None:
            options["presolve_rule_off"] = PROBING_RULE
        opt.highs_options = options
        with streamed_log(opt._solver_model, show=log):
            results = opt.solve(self.model)
        term = results.termination_condition
        values = None
        if results.best_feasible_objective is not None:
            results.solution_loader.load_vars()
            values = [var.value if var.value is not None else 0.0 for var in self.vars]
        bound = results.best_objective_bound
        if bound is not None and not math.isfinite(bound):
            bound = None
        if term == TC.optimal:
            status = "optimal"
        elif term in (TC.infeasible, TC.infeasibleOrUnbounded):
            status = "infeasible"
        elif term == TC.maxTimeLimit:
            status = "time_limit"
        else:
            status = "unknown"
        if values is not None and status != "optimal":
            status = "feasible"
        return PyomoSolve(status, results.best_feasible_objective, bound, values, str(term))

    def _integral_objective(self) -> bool:
        active = next((k for k, o in enumerate(self.objectives) if o.active), None)
        if active is None:
            return False
        expr = self.lm.levels[active].expr
        return all(self.lm.integer[i] and float(c).is_integer() for i, c in expr.coefs.items())

    def _solve_factory(
        self, solver: str, time_limit: float | None, threads: int | None, warm: bool, log: bool, maximize: bool
    ) -> PyomoSolve:
        from pyomo.opt import SolverStatus, TerminationCondition

        opt = pyo.SolverFactory(solver)
        if opt is None or not opt.available(exception_flag=False):
            raise ValueError(f"Pyomo solver '{solver}' is not available on this machine")
        entered = time.perf_counter()
        kwargs: dict[str, Any] = {"tee": log, "load_solutions": False}
        if time_limit is not None:
            # the solver's own limit leaves room for writing the model, starting the solver and reading
            # its answer (about twice what building the Pyomo model took); a solver run as a separate
            # process is also killed a little after the whole budget (cbc ran 7.7 s on a 5 s limit)
            overhead = 2.0 * self.build_time + 0.2
            own = max(0.05, 0.9 * time_limit - overhead)
            if solver in TIME_LIMIT_OPTION:
                opt.options[TIME_LIMIT_OPTION[solver]] = round(own, 2)
            if solver == "highs":
                opt.options["presolve_rule_off"] = PROBING_RULE
            if solver in SHELL_SOLVERS:
                kwargs["timelimit"] = max(1, math.ceil(time_limit + 0.5))
        if solver == "highs":
            threads = highs_threads(threads)
        if threads is not None and solver in ("cbc", "gurobi", "cplex", "highs"):
            opt.options["threads"] = threads
        if warm and getattr(opt, "warm_start_capable", lambda: False)():
            kwargs["warmstart"] = True
        try:
            results = opt.solve(self.model, **kwargs)
        except Exception as error:  # a solver process killed at its hard limit: no answer, not a crash
            if time_limit is not None and time.perf_counter() - entered >= time_limit:
                return PyomoSolve("time_limit", None, None, None, f"{solver} stopped at the time limit: {error}")
            raise
        term = results.solver.termination_condition
        values = None
        if len(results.solution) > 0:
            self.model.solutions.load_from(results)
            values = [var.value if var.value is not None else 0.0 for var in self.vars]
        bound = results.problem.upper_bound if maximize else results.problem.lower_bound
        bound = float(bound) if bound is not None and math.isfinite(float(bound)) else None
        objective = None
        if values is not None:
            active = next(o for o in self.objectives if o.active) if any(o.active for o in self.objectives) else None
            objective = pyo.value(active) if active is not None else 0.0
        if term == TerminationCondition.optimal and values is not None:
            status = "optimal"
            bound = objective if bound is None else bound
        elif term in (TerminationCondition.infeasible, TerminationCondition.infeasibleOrUnbounded):
            status = "infeasible"
        elif values is not None:
            status = "feasible"
        elif term == TerminationCondition.maxTimeLimit or results.solver.status == SolverStatus.aborted:
            status = "time_limit"
        else:
            status = "unknown"
        return PyomoSolve(status, objective, bound, values, str(term))
