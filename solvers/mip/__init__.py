"""The MIP backend: the IR as a Pyomo model, solved by HiGHS or any Pyomo solver.

>>> from solvers.mip import solve_mip, write
"""

from .backend import DEFAULT_SOLVER, solve_mip, write
from .formulations import build, choose
from .linear import LinearModel, LinExpr

__all__ = ["DEFAULT_SOLVER", "LinExpr", "LinearModel", "build", "choose", "solve_mip", "write"]
