"""``schedkit check``: verify a solution file against a problem."""

from __future__ import annotations

import argparse
from typing import Any

from schedkit.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    add_input,
    print_json,
    read_problem_args,
    read_solution,
)


def register(sub: Any) -> None:
    """Add the ``check`` command to the subparsers ``sub``."""
    check = sub.add_parser("check", help="verify a solution against a problem")
    add_input(check, "problem")
    check.add_argument("solution", help="solution JSON file")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    """``schedkit check``: verify a solution file against a problem."""
    from schedkit.models.objective_display import level_names, objective_text, user_objectives
    from schedkit.solvers import check, evaluate

    problem = read_problem_args(args, "problem")
    solution = read_solution(args.solution, problem)
    violations = check(problem, solution)
    objectives = None if violations else list(evaluate(problem, solution))
    if args.json:
        print_json(
            {
                "valid": not violations,
                "objective": objectives[0] if objectives else None,
                "objectives": objectives,
                "violations": [v.message for v in violations],
                "level_names": level_names(problem),
                "user_objectives": user_objectives(problem, objectives, solution),
                "objective_text": objective_text(problem, objectives, solution),
            }
        )
    elif violations:
        print(f"INVALID: {len(violations)} violation(s)")
        for violation in violations:
            print(f"  [{violation.kind}] {violation.message}")
    else:
        print(f"valid; objective {objective_text(problem, objectives, solution)}")
    return EXIT_FAILED if violations else EXIT_OK
