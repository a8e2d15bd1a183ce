"""ortools and highspy each bundle libhighs: the pinned pair must load and work together, in either order."""

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
solver = pywraplp.Solver.CreateSolver("HIGHS") or pywraplp.Solver.CreateSolver("GLOP")
print("ok")
"""


@pytest.mark.parametrize("first", ["import highspy", "import ortools.sat.python.cp_model"])
def test_ortools_and_highspy_share_a_process(first: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", first + "\n" + USE_BOTH], capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip().endswith("ok")
