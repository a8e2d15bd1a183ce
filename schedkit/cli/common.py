"""What every command shares: exit codes, the one-line input error, reading problems and solutions, printing."""

from __future__ import annotations

import argparse
import json
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
"""Exit codes: success, a failed check or solve, unusable input."""


class InputError(Exception):
    """A user input problem, reported in one line (exit code 2)."""


def add_input(parser: argparse.ArgumentParser, name: str = "path") -> None:
    """The instance argument with ``--format`` and ``--index``."""
    parser.add_argument(name, help="instance file")
    parser.add_argument("--format", help="input format (default: detect); one of schedkit.instances.FORMATS")
    parser.add_argument("--index", type=int, help="instance number inside a multi-instance file (wt)")


def read_problem(path: str, fmt: str | None, index: int | None) -> Any:
    """Read an instance, turning every input problem into an :class:`InputError`."""
    from schedkit.instances import read
    from schedkit.models import ModelError

    try:
        return read(path, format=fmt, index=index)
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    except (ModelError, ValueError, TypeError) as error:  # FormatError is a ValueError
        raise InputError(str(error)) from None


def read_solution(path: str, problem: Any) -> Any:
    """Read a solution file for ``problem``, turning every input problem into an :class:`InputError`."""
    from schedkit.models import ModelError, load_solution

    try:
        return load_solution(path, problem)
    except (ModelError, ValueError) as error:
        raise InputError(str(error)) from None


def print_json(data: dict[str, Any]) -> None:
    """Print one JSON object on one line."""
    print(json.dumps(data, default=str))


def fmt(value: Any) -> str:
    """A number for a text table: ``-`` for None, 4 significant digits for floats."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
