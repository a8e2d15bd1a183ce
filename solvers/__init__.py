"""Solvers: ``solve()``, ``certify()``, the independent checker and one compiler per backend.

>>> from solvers import solve, check, certify
"""

from .capabilities import UnsupportedFeature
from .certify import Certificate, certify
from .checker import Violation, check, evaluate
from .driver import BACKENDS, run_heuristic, solve
from .result import LevelOutcome, Result, Status

__all__ = [
    "BACKENDS",
    "Certificate",
    "LevelOutcome",
    "Result",
    "Status",
    "UnsupportedFeature",
    "Violation",
    "certify",
    "check",
    "evaluate",
    "run_heuristic",
    "solve",
]
