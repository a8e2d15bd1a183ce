"""ortools bundles libhighs, highspy links HiGHS statically: both load and solve in one process, in either order."""

from __future__ import annotations

import subprocess
import sys

import pytest

USE_BOTH = """
from ortools.sat.python import cp_model
import highspy
h = highspy.Highs(); h.setOptionValue("output_flag", False)
lp = highspy.HighsLp(); lp.num_col_ = 1; lp.num_row_ = 0
lp.col_cost_ = [1.0]; lp.col_lower_ = [2.0]; lp.col_upper_ = [5.0]
h.passModel(lp); h.run()
assert abs(h.getInfo().objective_function_value - 2.0) < 1e-9
m = cp_model.CpModel(); x = m.new_int_var(0, 3, "x"); m.maximize(x)
s = cp_model.CpSolver(); assert s.solve(m) == cp_model.OPTIMAL and s.value(x) == 3
from ortools.linear_solver import pywraplp
solver = pywraplp.Solver.CreateSolver("HIGHS") or pywraplp.Solver.CreateSolver("SCIP")
x, y = solver.NumVar(0, 10, "x"), solver.IntVar(0, 10, "y")
solver.Add(x + 2 * y <= 7.5); solver.Maximize(x + 3 * y)
assert solver.Solve() == pywraplp.Solver.OPTIMAL and abs(solver.Objective().Value() - 10.5) < 1e-6
mip = highspy.HighsLp(); mip.num_col_ = 2; mip.num_row_ = 1
mip.col_cost_ = [1.0, 3.0]; mip.col_lower_ = [0.0, 0.0]; mip.col_upper_ = [10.0, 10.0]
mip.row_lower_ = [-highspy.kHighsInf]; mip.row_upper_ = [7.5]; mip.sense_ = highspy.ObjSense.kMaximize
mip.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
mip.a_matrix_.start_ = [0, 2]; mip.a_matrix_.index_ = [0, 1]; mip.a_matrix_.value_ = [1.0, 2.0]
mip.integrality_ = [highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger]
h = highspy.Highs(); h.setOptionValue("output_flag", False); h.passModel(mip); h.run()
assert abs(h.getInfo().objective_function_value - 10.5) < 1e-6
print("ok")
"""


@pytest.mark.parametrize("first", ["import highspy", "import ortools.sat.python.cp_model"])
def test_ortools_and_highspy_share_a_process(first: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", first + "\n" + USE_BOTH], capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip().endswith("ok")
