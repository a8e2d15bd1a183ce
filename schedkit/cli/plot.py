"""The ``schedkit plot`` command: draw the chart of a solution file (the family's own picture)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from schedkit.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    InputError,
    add_input,
    image_path_problem,
    print_json,
    read_problem_args,
    read_solution,
    write_figure,
)


def register(sub: Any) -> None:
    """Add the ``plot`` command (``schedkit plot PROBLEM SOLUTION --out FILE``) to the subparsers ``sub``."""
    parser = sub.add_parser(
        "plot", help="chart of a solution: Gantt (shops coloured by job), pod packing nodes, KV tree"
    )
    add_input(parser, "problem")
    parser.add_argument("solution", help="solution JSON file (schedkit solve --out)")
    parser.add_argument("--out", required=True, help="image file to write (.png, .svg, .pdf)")
    parser.add_argument("--title", help="chart title (default: the instance name and its objective by level)")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.set_defaults(func=cmd_plot)


def cmd_plot(args: argparse.Namespace) -> int:
    """``schedkit plot``: read the problem and the solution, draw the chart to ``--out``.

    Returns 0, or 2 with one ``schedkit: error:`` line on standard error (and a
    JSON error object with ``--json``) when an input cannot be read, the
    solution does not fit the problem or the image cannot be written.
    """
    from schedkit.plots import plot

    as_json = getattr(args, "json", False)
    try:
        unusable = image_path_problem(args.out)
        if unusable:
            raise InputError(f"--out: {unusable}")
        problem = read_problem_args(args, "problem")
        try:
            solution = read_solution(args.solution, problem)
        except OSError as error:
            raise InputError(f"{args.solution}: cannot read: {error.strerror or error}") from None
        try:
            figure = plot(problem, solution, title=getattr(args, "title", None))
        except ValueError as error:  # the solution does not fit the problem
            raise InputError(f"{args.solution}: {error}") from None
        failure = write_figure(figure, args.out)
        if failure:
            raise InputError(failure)
    except InputError as error:
        if as_json:
            print_json({"status": "error", "message": str(error)})
        print(f"schedkit: error: {error}", file=sys.stderr)
        return EXIT_INPUT
    print(f"wrote {args.out}")
    if as_json:
        print_json({"status": "ok", "out": str(args.out), "problem": problem.name, "tasks": problem.num_tasks})
    return EXIT_OK
