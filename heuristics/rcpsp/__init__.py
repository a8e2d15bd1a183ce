"""Schedule-generation schemes for the RCPSP (serial, parallel) with forward-backward improvement.

>>> from heuristics.rcpsp import sgs, RULES
>>> solution = sgs(problem, scheme="serial", priority="lft", improve=True)
>>> solution = RULES["sgs_parallel"](problem)

Modules: :mod:`.project` reads the project out of the IR (and refuses other
problems; it also fixes each activity's mode), :mod:`.profile` the resource
profile as a step function, :mod:`.priorities` the priority rules and their
formulas, :mod:`.schemes` the serial and parallel SGS, :mod:`.justification`
the forward-backward improvement, :mod:`.generation` the entry point
:func:`sgs`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from schedkit.heuristics.rcpsp.generation import SCHEMES, sgs
from schedkit.heuristics.rcpsp.priorities import PRIORITIES
from schedkit.heuristics.rcpsp.project import Project, ProjectError, choose_mode, read_project
from schedkit.models import ProblemData, Solution

RULES: dict[str, Callable[[ProblemData], Solution]] = {
    "sgs_serial": partial(sgs, scheme="serial", priority="lft"),
    "sgs_parallel": partial(sgs, scheme="parallel", priority="lft"),
}
"""Name -> ``problem -> Solution``: the serial or parallel SGS with the LFT priority, no improvement."""

__all__ = [
    "PRIORITIES",
    "RULES",
    "SCHEMES",
    "Project",
    "ProjectError",
    "choose_mode",
    "read_project",
    "sgs",
]
