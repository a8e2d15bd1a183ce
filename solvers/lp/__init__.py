"""The LP backend (relaxation bounds) and the direct HiGHS path for hot-path models."""

from .backend import solve_lp
from .highs_direct import DirectSolve, solve_direct
from .selection import SelectionArrays, solve_selection

__all__ = ["DirectSolve", "SelectionArrays", "solve_direct", "solve_lp", "solve_selection"]
