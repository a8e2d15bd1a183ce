"""CP-SAT answers we do not take on faith: an INFEASIBLE claim on a feasible model is re-checked.

OR-Tools 9.15.6755 reports INFEASIBLE for a feasible model in which a
capacity-1 cumulative with downtime meets optional intervals of multi-mode
tasks (found by the seeded sweep of ``random_families``: rcpsp seed 40).
``solve_cpsat`` re-checks every INFEASIBLE answer with presolve, the
disjunctive view of the cumulative and the LP relaxation off
(``SAFE_PARAMS``), which solves it.
"""

from __future__ import annotations

import ortools
import pytest
from ortools.sat.python import cp_model

from schedkit.solvers import Status, check, solve
from tests.random_families import random_instance, witness


def test_false_infeasibility_is_refuted() -> None:
    problem = random_instance("rcpsp", 40)
    assert check(problem, witness(problem)) == []  # feasible: the generator's witness passes the checker
    result = solve(problem, time_limit=10, threads=1)
    assert result.status == Status.OPTIMAL
    assert result.objective == 13
    assert result.stats.get("infeasible_refuted") is (True if _upstream_bug() else None)


def test_safe_parameters_solve_the_reduced_model() -> None:
    model = _reduced_model()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    for name, value in {"cp_model_presolve": False, "use_disjunctive_constraint_in_cumulative": False}.items():
        setattr(solver.parameters, name, value)
    solver.parameters.linearization_level = 0
    assert solver.solve(model) == cp_model.OPTIMAL


@pytest.mark.skipif(not ortools.__version__.startswith("9.15."), reason="the bug was found in OR-Tools 9.15")
def test_upstream_bug_still_present() -> None:
    """When this fails, OR-Tools 9.15 is fixed and SAFE_PARAMS can go (other versions may not have it)."""
    assert _upstream_bug()


def _upstream_bug() -> bool:
    """Whether the installed CP-SAT wrongly claims the reduced (feasible) model infeasible."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return solver.solve(_reduced_model()) == cp_model.INFEASIBLE


def _reduced_model() -> cp_model.CpModel:
    """The reduced CP-SAT model of rcpsp seed 40; feasible: x00=1,s0=5,x20=1,s2=0,s3=7,x40=1,s4=10,x61=1,s6=11."""
    m = cp_model.CpModel()
    x00, x01, x20, x21, x40, x41, x60, x61 = (m.new_bool_var(n) for n in "x00 x01 x20 x21 x40 x41 x60 x61".split())
    s0, e0, s2, e2 = (
        m.new_int_var(0, 11, "s0"),
        m.new_int_var(2, 13, "e0"),
        m.new_int_var(0, 11, "s2"),
        m.new_int_var(2, 13, "e2"),
    )
    s3, s4, s6, e6 = (
        m.new_int_var(0, 10, "s3"),
        m.new_int_var(0, 12, "s4"),
        m.new_int_var(0, 11, "s6"),
        m.new_int_var(2, 13, "e6"),
    )
    m.add(x00 + x01 == 1)
    m.add(x20 + x21 == 1)
    m.add(x40 + x41 == 1)
    optional = m.new_optional_interval_var
    intervals = [
        optional(s0, 2, e0, x00, ""),
        optional(s0, 3, e0, x01, ""),
        optional(s2, 2, e2, x21, ""),
        m.new_interval_var(s3, 3, s3 + 3, ""),
        optional(s4, 1, s4 + 1, x40, ""),
        optional(s4, 1, s4 + 1, x41, ""),
        optional(s6, 3, e6, x60, ""),
        m.new_fixed_size_interval_var(1, 1, ""),
        m.new_fixed_size_interval_var(3, 2, ""),
    ]
    optional(s2, 4, e2, x20, "")
    optional(s6, 2, e6, x61, "")
    m.add_cumulative(intervals, [1] * len(intervals), 1)
    m.add(s3 >= e0)
    m.add(s4 >= e2)
    m.add(s6 >= s3 + 3)
    m.add(s6 >= s4 + 1)
    return m
