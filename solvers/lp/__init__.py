"""The LP backend (relaxation bounds) and the direct HiGHS path for hot-path models."""

from schedkit.solvers.lp.backend import solve_lp
from schedkit.solvers.lp.highs_direct import DirectSolve, solve_direct
from schedkit.solvers.lp.selection import SelectionArrays, solve_selection

__all__ = ["DirectSolve", "SelectionArrays", "solve_direct", "solve_lp", "solve_selection"]
