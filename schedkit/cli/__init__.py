"""The ``schedkit`` command: one module per subcommand, each registering its own arguments.

Input problems (bad files, invalid models, bad option values) end with a
one-line error naming the file, line, field or option and exit code 2, never
a traceback; an argument error prints that line and the command's usage line.
With ``--json``, the last line printed is always one JSON object, also on
errors. Output piped into a program that stops reading (``| head``) ends the
command quietly. Every command module imports its heavy dependencies only when
it runs; a new command is a module with ``register(subparsers)`` listed in
:data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from schedkit._version import __version__
from schedkit.cli.common import EXIT_FAILED, EXIT_INPUT, InputError, print_json

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
    "pipeline",
)
"""The subcommands, in the order ``schedkit --help`` lists them (module ``schedkit.cli.<name>`` each)."""

EXIT_PIPE = 141
"""Exit code when standard output was closed by its reader (128 + SIGPIPE, as a shell reports it)."""


class ArgumentError(Exception):
    """An argument error found by argparse: the message and the usage line of the (sub)command."""

    def __init__(self, message: str, usage: str) -> None:
        super().__init__(message)
        self.usage = usage


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line plus the command's short usage line.

    argparse prints the full usage (a dozen wrapped lines for ``solve``); a
    user needs the mistake and where to look: ``schedkit solve: error:
    argument --threads: must be at least 1, got 0`` and ``usage: schedkit
    solve PATH [options] (schedkit solve --help lists them)``.
    """

    def short_usage(self) -> str:
        """``usage: <prog> <positionals> [options]`` on one line."""
        positionals = [
            (action.metavar if isinstance(action.metavar, str) else None) or action.dest.upper()
            for action in self._actions
            if not action.option_strings and action.dest != argparse.SUPPRESS and action.help != argparse.SUPPRESS
        ]
        words = " ".join([self.prog, *positionals, "[options]"])
        return f"usage: {words}  ({self.prog} --help lists them)"

    def error(self, message: str) -> NoReturn:
        raise ArgumentError(f"{self.prog}: error: {message}", self.short_usage())


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``schedkit`` command."""
    parser = Parser(
        prog="schedkit", description="Scheduling and resource allocation: one IR, exact backends, checked schedules."
    )
    parser.add_argument("--version", action="version", version=f"schedkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS:
        importlib.import_module(f"schedkit.cli.{name}").register(sub)
    return parser


def _parse(parser: argparse.ArgumentParser, arguments: list[str]) -> argparse.Namespace:
    """``parse_args``, with unknown arguments reported by the subcommand that was given them (its usage line)."""
    args, extras = parser.parse_known_args(arguments)
    if extras:
        chosen = parser
        for action in parser._subparsers._group_actions if parser._subparsers else []:
            if isinstance(action, argparse._SubParsersAction) and args.command in action.choices:
                chosen = action.choices[args.command]
        chosen.error(f"unrecognized arguments: {' '.join(extras)}")
    return args


def _wants_json(argv: Sequence[str]) -> bool:
    return "--json" in argv


def _silence_stdout() -> None:
    """Point standard output at /dev/null so the interpreter's final flush cannot raise again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (a test's captured stream)
        pass


def _run(args: argparse.Namespace, as_json: bool) -> int:
    try:
        code: int = args.func(args)
        return code
    except InputError as error:
        if as_json:
            print_json({"status": "error", "message": str(error), "violations": []})
        print(f"schedkit: error: {error}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        if as_json:
            print_json({"status": "error", "message": "interrupted", "violations": []})
        print("schedkit: interrupted", file=sys.stderr)
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    as_json = _wants_json(arguments)
    try:
        parser = build_parser()
        try:
            args = _parse(parser, arguments)
        except ArgumentError as error:
            if as_json:
                print_json({"status": "error", "message": str(error), "violations": []})
            print(str(error), file=sys.stderr)
            print(error.usage, file=sys.stderr)
            return EXIT_INPUT
        as_json = bool(getattr(args, "json", False))
        code = _run(args, as_json)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE
    except Exception as error:  # a bug: still one line (and the JSON line), with where to look
        _report_crash(error, as_json)
        return EXIT_FAILED


def _report_crash(error: BaseException, as_json: bool) -> None:
    """An unexpected exception: one line naming it, the JSON error object with ``--json``."""
    message = f"internal error: {type(error).__name__}: {error}"
    try:
        if as_json:
            print_json({"status": "error", "message": message, "violations": []})
        print(f"schedkit: {message} (set SCHEDKIT_TRACEBACK=1 for the traceback)", file=sys.stderr)
        if os.environ.get("SCHEDKIT_TRACEBACK"):
            import traceback

            traceback.print_exception(error)
    except BrokenPipeError:
        _silence_stdout()


__all__ = ["COMMANDS", "build_parser", "main"]
