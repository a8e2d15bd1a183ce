"""The ``schedkit`` command: one module per subcommand, each registering its own arguments.

Input problems (bad files, invalid models) end with a one-line error naming
the file, line or field and exit code 2, never a traceback. With ``--json``,
the last line printed is always one JSON object, also on errors. Every
command module imports its heavy dependencies only when it runs, so the
parser builds fast; a new command is a module with ``register(subparsers)``
listed in :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from schedkit._version import __version__
from schedkit.cli.common import EXIT_INPUT, InputError, print_json

COMMANDS: tuple[str, ...] = (
    "solve",
    "check",
    "certify",
    "plot",
    "convert",
    "bench",
    "report",
    "demo",
    "discover",
    "pods",
    "ets",
    "rcb",
)
"""The subcommands, in the order ``schedkit --help`` lists them (module ``schedkit.cli.<name>`` each)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``schedkit`` command."""
    parser = argparse.ArgumentParser(
        prog="schedkit", description="Scheduling and resource allocation: one IR, exact backends, checked schedules."
    )
    parser.add_argument("--version", action="version", version=f"schedkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"schedkit.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except InputError as error:
        if getattr(args, "json", False):
            print_json({"status": "error", "message": str(error), "violations": []})
        print(f"schedkit: error: {error}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("schedkit: interrupted", file=sys.stderr)
        return 130


__all__ = ["COMMANDS", "build_parser", "main"]
