"""The LP backend: relaxation bounds; re-exports the direct HiGHS path and the hot-path selection model."""

from schedkit.solvers.linear.highs_direct import DirectSolve, solve_direct
from schedkit.solvers.linear.selection import SelectionArrays, solve_selection
from schedkit.solvers.lp.backend import solve_lp

__all__ = ["DirectSolve", "SelectionArrays", "solve_direct", "solve_lp", "solve_selection"]
