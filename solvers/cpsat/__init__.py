"""The CP-SAT backend: compiler (``CpSatModel``) and solve loop (``solve_cpsat``)."""

from .backend import Progress, solve_cpsat
from .compiler import CpSatModel

__all__ = ["CpSatModel", "Progress", "solve_cpsat"]
