"""HiGHS fixes its thread count per process: solves asking for different counts in one process all still solve."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import highspy
import numpy as np
user = highspy.Highs()  # user code solves a small MIP first, with HiGHS's default count: the scheduler starts
user.setOptionValue("output_flag", False)
user.addVars(2, np.zeros(2), np.full(2, 10.0))
user.changeColsCost(2, np.arange(2, dtype=np.int32), -np.ones(2))
user.changeColsIntegrality(2, np.arange(2, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * 2))
user.addRow(-highspy.kHighsInf, 7.5, 2, np.arange(2, dtype=np.int32), np.ones(2))
user.run()
from schedkit.instances import bundled, read
from schedkit.solvers import solve
problem = read(bundled("rcpsp8.sm"))
for threads in (2, 1, None, 1, 2):
    result = solve(problem, backend="mip", time_limit=60, threads=threads)
    print(threads, result.status.value, result.objective)
    lp = solve(problem, backend="lp", time_limit=60, threads=threads)
    print(threads, lp.status.value, lp.lower_bound)
"""


def test_every_thread_count_solves_in_one_process() -> None:
    # a fresh process: HiGHS's scheduler starts with the first count asked for (2), then 1 must still solve
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if line.split()[:1] in (["1"], ["2"], ["None"])]  # no banner
    mip = [line.split() for line in lines[0::2] if line]
    lp = [line.split() for line in lines[1::2] if line]
    assert [row[1:] for row in mip] == [["optimal", "16"]] * 5, done.stdout  # was "feasible" (the warm start) at 1
    bounds = {row[2] for row in lp}  # the LP relaxation gives a bound only (status unknown), the same every time
    assert len(bounds) == 1 and "None" not in bounds and float(bounds.pop()) <= 16, done.stdout
