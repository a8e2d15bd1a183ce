"""The schedkit IR: one problem description for every scheduling family.

Build a problem with :class:`Model` (or a family builder such as
:func:`schedkit.models.jobshop.jobshop`), :meth:`Model.freeze` it into an immutable,
validated :class:`ProblemData`, and describe schedules with :class:`Solution`.
This package imports nothing else of schedkit.
"""

from schedkit.models.builder import Model, term
from schedkit.models.entities import (
    CapacityWindow,
    CoverageGroup,
    Cycle,
    Demand,
    DisjunctivePair,
    Implication,
    Mode,
    Objective,
    ObjectiveLevel,
    Pin,
    Precedence,
    Reader,
    Reference,
    Resource,
    Selection,
    Task,
    Term,
)
from schedkit.models.enums import PrecedenceType, ResourceKind, Sense, TermKind
from schedkit.models.errors import ModelError
from schedkit.models.io import (
    SCHEMA_VERSION,
    load_problem,
    load_solution,
    problem_from_dict,
    problem_to_dict,
    save_problem,
    save_solution,
    solution_from_dict,
    solution_to_dict,
)
from schedkit.models.problem import ProblemData
from schedkit.models.solution import Solution, TaskAssignment
from schedkit.models.terms import TERMS, Aggregate, PresenceValues, TermDefinition, presence_values

__all__ = [
    "SCHEMA_VERSION",
    "TERMS",
    "Aggregate",
    "PresenceValues",
    "TermDefinition",
    "presence_values",
    "CapacityWindow",
    "CoverageGroup",
    "Cycle",
    "Demand",
    "DisjunctivePair",
    "Implication",
    "Mode",
    "Model",
    "ModelError",
    "Objective",
    "ObjectiveLevel",
    "Pin",
    "Precedence",
    "PrecedenceType",
    "ProblemData",
    "Reader",
    "Reference",
    "Resource",
    "ResourceKind",
    "Selection",
    "Sense",
    "Solution",
    "Task",
    "TaskAssignment",
    "Term",
    "TermKind",
    "load_problem",
    "load_solution",
    "problem_from_dict",
    "problem_to_dict",
    "save_problem",
    "save_solution",
    "solution_from_dict",
    "solution_to_dict",
    "term",
]

# The folder installs as schedkit.models; a bare import would load a second copy of every module.
if __name__ != "schedkit.models":
    raise ImportError(f"import schedkit.models, not {__name__}")
