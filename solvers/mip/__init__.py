"""The MIP backend: the IR as a Pyomo model, solved by HiGHS or any Pyomo solver.

>>> from solvers.mip import solve_mip, write
"""

from schedkit.solvers.mip.backend import DEFAULT_SOLVER, solve_mip, write
from schedkit.solvers.mip.formulations import build, choose
from schedkit.solvers.mip.linear import LinearModel, LinExpr

__all__ = ["DEFAULT_SOLVER", "LinExpr", "LinearModel", "build", "choose", "solve_mip", "write"]
