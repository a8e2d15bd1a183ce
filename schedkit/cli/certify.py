"""``schedkit certify``: bound a given schedule and report its proven gap."""

from __future__ import annotations

import argparse
from typing import Any

from schedkit.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    InputError,
    add_input,
    fmt,
    print_json,
    read_problem,
    read_solution,
)


def register(sub: Any) -> None:
    """Add the ``certify`` command to the subparsers ``sub``."""
    certify = sub.add_parser("certify", help="prove a bound on a schedule and report its gap")
    add_input(certify, "problem")
    certify.add_argument("solution", help="solution JSON file")
    certify.add_argument("--time-limit", type=float, default=10.0, help="seconds for the exact sources (default 10)")
    certify.add_argument("--threads", type=int, help="solver threads")
    certify.add_argument("--sources", help="comma-separated bound sources (default: all)")
    certify.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    certify.set_defaults(func=cmd_certify)


def cmd_certify(args: argparse.Namespace) -> int:
    """``schedkit certify``: bound a given schedule and report its proven gap."""
    from schedkit.solvers import certify

    problem = read_problem(args.problem, args.format, args.index)
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
        gap = "-" if certificate.gap is None else f"{100 * certificate.gap:.2f}%"
        print(f"objective    {fmt(certificate.objective)}")
        print(f"bound        {fmt(certificate.lower_bound)}  ({certificate.bound_source or 'none'})")
        print(f"gap          {gap}{'  (proven optimal)' if certificate.optimal else ''}")
        for source in certificate.sources:
            print(f"  {source.source:<22}{fmt(source.bound):>12}  {source.seconds:8.3f} s  {source.note}")
    return EXIT_FAILED if certificate.violations else EXIT_OK
