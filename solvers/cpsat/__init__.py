"""The CP-SAT backend: compiler (``CpSatModel``) and solve loop (``solve_cpsat``)."""

from schedkit.solvers.cpsat.backend import Progress, solve_cpsat
from schedkit.solvers.cpsat.compiler import CpSatModel

__all__ = ["CpSatModel", "Progress", "solve_cpsat"]
