"""The ``schedkit plot`` command: draw the Gantt chart of a solution file."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: Any) -> None:
    """Add the ``plot`` command (``schedkit plot PROBLEM SOLUTION --out FILE``) to the subparsers ``sub``."""
    parser = sub.add_parser("plot", help="Gantt chart of a solution (per machine/resource, usage beneath)")
    parser.add_argument("problem", help="instance file")
    parser.add_argument("solution", help="solution JSON file (schedkit solve --out)")
    parser.add_argument("--out", required=True, help="image file to write (.png, .svg, .pdf)")
    parser.add_argument("--format", help="input format (default: detect); one of the instances.FORMATS")
    parser.add_argument("--index", type=int, help="instance number inside a multi-instance file (wt)")
    parser.add_argument("--title", help="chart title (default: the instance name and makespan)")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.set_defaults(func=cmd_plot)


def cmd_plot(args: argparse.Namespace) -> int:
    """``schedkit plot``: read the problem and the solution, draw the chart to ``--out``.

    Returns 0, or 2 with one ``schedkit: error:`` line on standard error (and a
    JSON error object with ``--json``) when an input cannot be read or the
    solution does not fit the problem.
    """
    from schedkit.instances import read
    from schedkit.models import load_solution

    as_json = getattr(args, "json", False)
    try:
        try:
            problem = read(args.problem, format=args.format, index=args.index)
        except OSError as error:
            raise ValueError(f"{args.problem}: cannot read: {error.strerror or error}") from None
        try:
            solution = load_solution(args.solution, problem)
        except OSError as error:
            raise ValueError(f"{args.solution}: cannot read: {error.strerror or error}") from None
        from schedkit.plots.gantt import gantt

        gantt(problem, solution, args.out, title=getattr(args, "title", None))
    except (ValueError, TypeError, OSError) as error:  # ModelError and FormatError are ValueErrors
        if as_json:
            print(json.dumps({"status": "error", "message": str(error)}))
        print(f"schedkit: error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}")
    if as_json:
        print(json.dumps({"status": "ok", "out": str(args.out), "problem": problem.name, "tasks": problem.num_tasks}))
    return 0
