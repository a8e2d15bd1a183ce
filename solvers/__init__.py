"""Solvers: ``solve()``, the independent checker and one compiler per backend.

>>> from solvers import solve, check
"""

from .checker import Violation, check, evaluate
from .result import LevelOutcome, Result, Status
from .solve import BACKENDS, solve

__all__ = ["BACKENDS", "LevelOutcome", "Result", "Status", "Violation", "check", "evaluate", "solve"]
