"""``schedkit certify``: bound a given schedule and report its proven gap."""

from __future__ import annotations

import argparse
from typing import Any

from schedkit.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    InputError,
    add_input,
    add_time_and_threads,
    print_json,
    read_problem_args,
    read_solution,
)


def register(sub: Any) -> None:
    """Add the ``certify`` command to the subparsers ``sub``."""
    certify = sub.add_parser("certify", help="prove a bound on a schedule and report its gap")
    add_input(certify, "problem")
    certify.add_argument("solution", help="solution JSON file")
    add_time_and_threads(certify, "seconds for the exact sources (default 10, positive)", default_time=10.0)
    certify.add_argument("--sources", help="comma-separated bound sources (default: all)")
    certify.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    certify.set_defaults(func=cmd_certify)


def cmd_certify(args: argparse.Namespace) -> int:
    """``schedkit certify``: bound a given schedule and report its proven gap."""
    from schedkit.solvers import certify

    problem = read_problem_args(args, "problem")
    solution = read_solution(args.solution, problem)
    sources = args.sources.split(",") if args.sources else None
    try:
        certificate = certify(problem, solution, time_limit=args.time_limit, sources=sources, threads=args.threads)
    except ValueError as error:  # unknown source names
        raise InputError(str(error)) from None
    if args.json:
        print_json(certificate.to_dict())
    elif certificate.violations:
        print(f"INVALID schedule: {len(certificate.violations)} violation(s); not certified")
        for violation in certificate.violations:
            print(f"  [{violation.kind}] {violation.message}")
    else:
        _print_certificate(problem, solution, certificate)
    return EXIT_FAILED if certificate.violations else EXIT_OK


def _print_certificate(problem: Any, solution: Any, certificate: Any) -> None:
    """The certificate as text: values and bounds in the family's units, lexicographic levels by name."""
    from schedkit.models.objective_display import format_number, level_names, user_bound, user_value

    def percent(gap: float | None) -> str:
        return "-" if gap is None else f"{100 * gap:.2f}%"

    names = level_names(problem)
    if len(certificate.levels) > 1:
        for level in certificate.levels:
            value = format_number(user_value(problem, level.value, level.index, solution))
            bound = format_number(user_bound(problem, level.bound, level.index))
            proof = "  (proven)" if level.proven else ""
            print(
                f"level {names[level.index]:<20} value {value:>10}  bound {bound:>10}  "
                f"({level.bound_source or 'none'})  gap {percent(level.gap)}{proof}"
            )
    print(f"objective    {format_number(user_value(problem, certificate.objective, 0, solution))}")
    bound = format_number(user_bound(problem, certificate.lower_bound))
    print(f"bound        {bound}  ({certificate.bound_source or 'none'})")
    print(f"gap          {percent(certificate.gap)}{'  (proven optimal)' if certificate.optimal else ''}")
    for source in certificate.sources:
        shown = format_number(user_bound(problem, source.bound))
        print(f"  {source.source:<22}{shown:>12}  {source.seconds:8.3f} s  {source.note}")
