"""Solvers: ``solve()``, the independent checker and one compiler per backend.

>>> from solvers import solve, check
"""

from .checker import Violation, check, evaluate
from .driver import BACKENDS, solve
from .result import LevelOutcome, Result, Status

__all__ = ["BACKENDS", "LevelOutcome", "Result", "Status", "Violation", "check", "evaluate", "solve"]
