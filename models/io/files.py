"""Problems and solutions in JSON files: one-line errors naming the file (and line) when they cannot be read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from schedkit.models.errors import ModelError
from schedkit.models.io.read_problem import problem_from_dict
from schedkit.models.io.read_solution import solution_from_dict
from schedkit.models.io.write import problem_to_dict, solution_to_dict
from schedkit.models.problem import ProblemData
from schedkit.models.solution import Solution


def _load_json(path: str | Path) -> Any:
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as error:
        raise ModelError(str(path), "(file)", f"cannot be read: {error.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ModelError(str(path), f"line {error.lineno}", f"invalid JSON: {error.msg}") from None
    except RecursionError:
        raise ModelError(str(path), "(file)", "invalid JSON: nested too deeply") from None
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise ModelError(str(path), "(file)", f"invalid JSON: {str(error).splitlines()[0]}") from None


def save_problem(problem: ProblemData, path: str | Path) -> None:
    """Write ``problem`` as JSON to ``path``."""
    Path(path).write_text(json.dumps(problem_to_dict(problem), indent=1) + "\n")


def load_problem(path: str | Path) -> ProblemData:
    """Read a problem written by :func:`save_problem`."""
    return problem_from_dict(_load_json(path), source=str(path))


def save_solution(solution: Solution, path: str | Path, problem: ProblemData | None = None) -> None:
    """Write ``solution`` as JSON to ``path`` (with task names when ``problem`` is given)."""
    Path(path).write_text(json.dumps(solution_to_dict(solution, problem), indent=1) + "\n")


def load_solution(path: str | Path, problem: ProblemData | None = None) -> Solution:
    """Read a solution written by :func:`save_solution`."""
    return solution_from_dict(_load_json(path), source=str(path), problem=problem)
