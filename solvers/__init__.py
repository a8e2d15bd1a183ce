"""Solvers: ``solve()``, ``certify()``, the independent checker and one compiler per backend.

>>> from solvers import solve, check, certify
"""

from schedkit.solvers.backends import BACKENDS
from schedkit.solvers.capabilities import UnsupportedFeature
from schedkit.solvers.certify import Certificate, certify
from schedkit.solvers.checker import Violation, check, evaluate
from schedkit.solvers.driver import run_heuristic, solve
from schedkit.solvers.result import LevelOutcome, Result, Status

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

# The folder installs as schedkit.solvers; a bare import would load a second copy of every module.
if __name__ != "schedkit.solvers":
    raise ImportError(f"import schedkit.solvers, not {__name__}")
