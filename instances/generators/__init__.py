"""Seeded instance generators: the same arguments and seed always give the same problem.

Every generator returns a ``ProblemData`` built through the family builders of
:mod:`schedkit.models` and records its parameters in ``problem.meta["generator"]``.
Random numbers come from ``numpy.random.default_rng(seed)`` (Taillard's
generator uses its own published LCG).
"""
