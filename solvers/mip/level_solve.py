"""What one solve of a level returns, whichever way the model reached the solver (Pyomo or highspy directly)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PyomoSolve:
    """What one solve of the active objective returned."""

    status: str  # optimal, feasible, infeasible, time_limit, unknown, error
    objective: float | None
    bound: float | None
    values: list[float] | None
    message: str = ""


__all__ = ["PyomoSolve"]
