"""Modulo-scheduling heuristics: iterative modulo scheduling (Rau 1994) as a warm start and a baseline."""

from schedkit.heuristics.pipelining.ims import ImsError, ImsResult, iterative_modulo_schedule

__all__ = ["ImsError", "ImsResult", "iterative_modulo_schedule"]
