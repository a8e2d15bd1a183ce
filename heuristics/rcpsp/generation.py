"""``sgs()``: a schedule-generation scheme with a priority rule, optionally improved by justification."""

from __future__ import annotations

from schedkit.heuristics.rcpsp.justification import improve as forward_backward
from schedkit.heuristics.rcpsp.justification import makespan
from schedkit.heuristics.rcpsp.priorities import priority_keys
from schedkit.heuristics.rcpsp.project import ProjectError, read_project
from schedkit.heuristics.rcpsp.schemes import parallel, serial
from schedkit.models import ProblemData, Solution

SCHEMES = {"serial": serial, "parallel": parallel}
"""Scheme name -> ``(project, keys) -> starts``."""


def sgs(
    problem: ProblemData,
    scheme: str = "serial",
    priority: str = "lft",
    seed: int = 0,
    improve: bool = False,
) -> Solution:
    """Schedule an RCPSP with a schedule-generation scheme.

    Parameters
    ----------
    problem
        Renewable (or unary) resources with capacity profiles, releases, end-to-start
        precedences with lags >= 0, one or more modes per activity (each activity
        runs in its shortest resource-feasible mode, see
        :func:`schedkit.heuristics.rcpsp.project.choose_mode`). Anything else raises
        ``ValueError`` naming the construct.
    scheme
        ``serial`` or ``parallel`` (see :mod:`schedkit.heuristics.rcpsp.schemes`).
    priority
        ``lft``, ``lst``, ``mts``, ``grpw`` or ``random`` (see
        :mod:`schedkit.heuristics.rcpsp.priorities`).
    seed
        Seed of the ``random`` priority (the other rules are deterministic).
    improve
        Apply forward-backward improvement (double justification, repeated while
        the makespan decreases; see :mod:`schedkit.heuristics.rcpsp.justification`).

    Returns a solution the checker accepts. If the problem has a ``horizon`` and
    the schedule ends after it, ``ValueError`` is raised instead.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of: {', '.join(SCHEMES)}")
    project = read_project(problem)
    keys = priority_keys(project, priority, seed)
    start = SCHEMES[scheme](project, keys)
    if improve:
        start = forward_backward(project, start)
    end = makespan(project, start)
    if problem.horizon is not None and end > problem.horizon:
        raise ProjectError(
            f"the {scheme} SGS ({priority}) ends problem '{problem.name}' at {end}, after its horizon {problem.horizon}"
        )
    return Solution.from_lists(start, project.mode)
