"""The schedkit IR: one problem description for every scheduling family.

Build a problem with :class:`Model` (or a family builder such as
:func:`models.jobshop.jobshop`), :meth:`Model.freeze` it into an immutable,
validated :class:`ProblemData`, and describe schedules with :class:`Solution`.
This package imports nothing else of schedkit.
"""

from .builder import Model, term
from .entities import (
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
    Reference,
    Resource,
    Selection,
    Task,
    Term,
)
from .enums import PrecedenceType, ResourceKind, Sense, TermKind
from .errors import ModelError
from .io import (
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
from .problem import ProblemData
from .solution import Solution, TaskAssignment

__all__ = [
    "SCHEMA_VERSION",
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
