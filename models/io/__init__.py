"""JSON round-trip of problems and solutions, with a schema version.

The JSON mirrors the index-based IR: tasks and resources are lists, references
are indices, enums are their string values. Unknown keys are rejected (a typo
in a hand-written file must not be silently ignored) and every error names the
JSON path of the offending field.
"""

from __future__ import annotations

from schedkit.models.io.files import load_problem, load_solution, save_problem, save_solution
from schedkit.models.io.read_problem import problem_from_dict
from schedkit.models.io.read_solution import solution_from_dict
from schedkit.models.io.schema import PROBLEM_SCHEMA, SCHEMA_VERSION, SOLUTION_SCHEMA
from schedkit.models.io.write import problem_to_dict, solution_to_dict

__all__ = [
    "PROBLEM_SCHEMA",
    "SCHEMA_VERSION",
    "SOLUTION_SCHEMA",
    "load_problem",
    "load_solution",
    "problem_from_dict",
    "problem_to_dict",
    "save_problem",
    "save_solution",
    "solution_from_dict",
    "solution_to_dict",
]
