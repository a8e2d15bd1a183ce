"""``schedkit convert``: write a problem as the IR JSON, or its MIP as an .lp / .mps file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from schedkit.cli.common import (
    EXIT_OK,
    InputError,
    add_input,
    read_problem,
)


def register(sub: Any) -> None:
    """Add the ``convert`` command to the subparsers ``sub``."""
    convert = sub.add_parser("convert", help="convert an instance to the IR JSON")
    add_input(convert)
    convert.add_argument(
        "--to", choices=["json", "lp", "mps"], default="json", help="the IR JSON, or the MIP as LP/MPS"
    )
    convert.add_argument("--formulation", help="MIP formulation for --to lp/mps (default: chosen by structure)")
    convert.add_argument("--out", help="output file (default: standard output)")
    convert.set_defaults(func=cmd_convert)


def cmd_convert(args: argparse.Namespace) -> int:
    """``schedkit convert``: write a problem as the IR JSON, or its MIP as an .lp / .mps file."""
    from schedkit.models import problem_to_dict

    problem = read_problem(args.path, args.format, args.index)
    if args.to in ("lp", "mps"):
        from schedkit.solvers import UnsupportedFeature
        from schedkit.solvers.mip import write

        if not args.out or not args.out.endswith(f".{args.to}"):
            raise InputError(f"--to {args.to} needs --out FILE.{args.to}")
        try:
            formulation = write(problem, args.out, formulation=args.formulation)
        except (UnsupportedFeature, ValueError) as error:
            raise InputError(f"{args.path}: {error}") from None
        print(f"wrote the {formulation} MIP of {problem.name or args.path} to {args.out}")
        return EXIT_OK
    text = json.dumps(problem_to_dict(problem), indent=1)
    if args.out:
        Path(args.out).write_text(text + "\n")
    else:
        print(text)
    return EXIT_OK
