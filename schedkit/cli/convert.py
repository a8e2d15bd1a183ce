"""``schedkit convert``: a problem as the IR JSON, its MIP as an .lp / .mps file, or the IR's JSON Schema.

``--to lp|mps`` says which model it wrote: the level, the levels fixed before
it, the II of a cyclic problem, the formulation. A lexicographic problem is
not one MIP, so it is refused unless ``--level K`` (and ``--locks`` with the
values of the K levels before it) says which step to write.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from schedkit.cli.common import (
    EXIT_OK,
    InputError,
    add_input,
    non_negative_int,
    positive_int,
    read_problem_args,
    write_text,
)


def _locks(text: str) -> list[int]:
    try:
        return [int(value, 10) for value in text.split(",") if value.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None


def register(sub: Any) -> None:
    """Add the ``convert`` command to the subparsers ``sub``."""
    convert = sub.add_parser("convert", help="convert an instance to the IR JSON or an LP/MPS file; the JSON Schema")
    add_input(convert, optional=True)
    convert.add_argument(
        "--to", choices=["json", "lp", "mps"], default="json", help="the IR JSON, or the MIP as LP/MPS"
    )
    convert.add_argument("--formulation", help="MIP formulation for --to lp/mps (default: chosen by structure)")
    convert.add_argument("--level", type=non_negative_int, help="--to lp/mps: the objective level to write (0-based)")
    convert.add_argument(
        "--locks", type=_locks, default=[], help="--to lp/mps: values of the levels before --level, e.g. 3,0"
    )
    convert.add_argument("--ii", type=positive_int, help="--to lp/mps of a cyclic problem: the II (default: smallest)")
    convert.add_argument("--out", help="output file (default: standard output; required for lp/mps)")
    convert.add_argument(
        "--schema", action="store_true", help="print (or --out) the IR's JSON Schema instead; takes no instance"
    )
    convert.set_defaults(func=cmd_convert)


def _emit(text: str, out: str | None, what: str) -> int:
    if not out:
        sys.stdout.write(text)
        return EXIT_OK
    failure = write_text(out, text)
    if failure:
        raise InputError(failure)
    print(f"wrote {what} to {out}", file=sys.stderr)
    return EXIT_OK


def cmd_convert(args: argparse.Namespace) -> int:
    """``schedkit convert``: write a problem as the IR JSON, its MIP as .lp/.mps, or the JSON Schema."""
    if args.schema:
        if args.path:
            raise InputError("--schema prints the IR's JSON Schema and takes no instance")
        from schedkit.models.io.json_schema import problem_json_schema, schema_text

        return _emit(schema_text(problem_json_schema()), args.out, "the problem JSON Schema")
    if not args.path:
        raise InputError("convert needs an instance file (or --schema)")
    if args.to == "json" and (args.level is not None or args.locks or args.ii is not None):
        raise InputError("--level, --locks and --ii apply to --to lp or mps")
    problem = read_problem_args(args)
    if args.to in ("lp", "mps"):
        from schedkit.solvers import UnsupportedFeature
        from schedkit.solvers.mip.export import write_model

        if not args.out or not args.out.lower().endswith(f".{args.to}"):
            raise InputError(f"--to {args.to} needs --out FILE.{args.to}")
        try:
            written = write_model(
                problem, args.out, formulation=args.formulation, level=args.level, locks=args.locks, ii=args.ii
            )
        except (UnsupportedFeature, ValueError) as error:
            raise InputError(f"{args.path}: {error}") from None
        except OSError as error:
            raise InputError(f"cannot write {args.out}: {error.strerror or error}") from None
        print(f"{written.describe()} ({problem.name or args.path})")
        return EXIT_OK
    from schedkit.models import problem_to_dict

    return _emit(json.dumps(problem_to_dict(problem), indent=1) + "\n", args.out, "the IR JSON")


__all__ = ["cmd_convert", "register"]
