"""The MIP backend: the IR as a Pyomo model, solved by HiGHS or any Pyomo solver.

>>> from schedkit.solvers.mip import solve_mip, write
"""

from schedkit.solvers.linear.formulations import build, choose
from schedkit.solvers.linear.linear import LinearModel, LinExpr
from schedkit.solvers.mip.backend import DEFAULT_SOLVER, solve_mip, write
from schedkit.solvers.mip.export import WrittenModel, write_model

__all__ = [
    "DEFAULT_SOLVER",
    "LinExpr",
    "LinearModel",
    "WrittenModel",
    "build",
    "choose",
    "solve_mip",
    "write",
    "write_model",
]
