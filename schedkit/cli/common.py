"""What every command shares: exit codes, the one-line input error, argument types, reading, writing, printing."""

from __future__ import annotations

import argparse
import json
import math
import os
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
"""Exit codes: success, a failed check or solve, unusable input (or an output that could not be written)."""


class InputError(Exception):
    """A user input problem, reported in one line (exit code 2)."""


# ------------------------------------------------------------ argument types
def positive_seconds(text: str) -> float:
    """An argparse type: a finite number of seconds > 0 (``--time-limit``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive, finite number of seconds, got {text!r}")
    return value


def positive_int(text: str) -> int:
    """An argparse type: an integer >= 1 (``--threads``, ``--num-jobs``)."""
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def non_negative_int(text: str) -> int:
    """An argparse type: an integer >= 0 (``--index``, ``--seed``)."""
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, got {value}")
    return value


def formats_help() -> str:
    """The ``--format`` help: every format name with the file names that select it."""
    from schedkit.instances.detect import FORMAT_HINTS, FORMATS

    listed = ", ".join(f"{name} ({FORMAT_HINTS[name]})" if FORMAT_HINTS.get(name) else name for name in FORMATS)
    return f"input format (default: detected from the name or content): {listed}"


def add_input(parser: argparse.ArgumentParser, name: str = "path", optional: bool = False) -> None:
    """The instance argument (``optional``: may be left out) with ``--format``, ``--index`` and ``--num-jobs``."""
    if optional:
        parser.add_argument(name, nargs="?", help="instance file")
    else:
        parser.add_argument(name, help="instance file")
    parser.add_argument("--format", metavar="FORMAT", help=formats_help())
    parser.add_argument(
        "--index", type=non_negative_int, help="0-based instance number inside a multi-instance file (wt)"
    )
    parser.add_argument(
        "--num-jobs",
        type=positive_int,
        metavar="N",
        help="jobs per instance of a wt file whose name does not say it (wt40.txt says 40)",
    )


def add_time_and_threads(parser: argparse.ArgumentParser, time_help: str, default_time: float | None = None) -> None:
    """``--time-limit`` (positive, finite) and ``--threads`` (at least 1)."""
    parser.add_argument("--time-limit", type=positive_seconds, default=default_time, metavar="S", help=time_help)
    parser.add_argument("--threads", type=positive_int, metavar="N", help="solver threads, at least 1")


# ------------------------------------------------------------------- reading
def read_problem(path: str, fmt: str | None, index: int | None, num_jobs: int | None = None) -> Any:
    """Read an instance, turning every input problem into an :class:`InputError`."""
    from schedkit.instances import read
    from schedkit.models import ModelError

    options: dict[str, Any] = {} if num_jobs is None else {"n": num_jobs}
    try:
        return read(path, format=fmt, index=index, **options)
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    except (ModelError, ValueError, TypeError) as error:  # FormatError is a ValueError
        message = str(error).replace("pass n= (e.g. n=40)", "pass --num-jobs N (e.g. --num-jobs 40)")
        message = message.replace("takes no option(s) n ", "takes no option --num-jobs ")
        raise InputError(message) from None


def read_problem_args(args: argparse.Namespace, name: str = "path") -> Any:
    """:func:`read_problem` with the arguments :func:`add_input` registered."""
    return read_problem(getattr(args, name), args.format, args.index, getattr(args, "num_jobs", None))


def read_solution(path: str, problem: Any) -> Any:
    """Read a solution file for ``problem``, turning every input problem into an :class:`InputError`."""
    from schedkit.models import ModelError, load_solution

    try:
        return load_solution(path, problem)
    except (ModelError, ValueError) as error:
        raise InputError(str(error)) from None


# ------------------------------------------------------------------- writing
def write_text(path: str | Path, text: str) -> str | None:
    """Write ``text`` to ``path``; return None, or a one-line reason when it cannot be written.

    A missing folder, a read-only file system, a full disk or a path that is a
    folder all give a reason instead of a traceback. A regular file this call
    created is removed again when the write fails half-way, so a full disk
    leaves no truncated output behind.
    """
    target = Path(path)
    if target.is_dir():
        return f"cannot write {path}: it is a folder"
    existed = target.exists()
    try:
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
    except OSError as error:
        if not existed and target.is_file():
            try:
                target.unlink()
            except OSError:
                pass
        reason = error.strerror or type(error).__name__
        if isinstance(error, FileNotFoundError) and not target.parent.exists():
            reason = f"no such folder {str(target.parent)!r}"
        return f"cannot write {path}: {reason}"
    return None


IMAGE_SUFFIXES: tuple[str, ...] = (".png", ".svg", ".pdf", ".jpg", ".jpeg", ".eps", ".ps", ".tif", ".tiff", ".webp")
"""Image files the charts are written as (matplotlib picks the format from the suffix)."""


def image_path_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot name an image file (no or unknown suffix, a folder), or None.

    Checked before anything is computed: matplotlib would otherwise add
    ``.png`` to a name without a suffix and write a file the user did not name.
    """
    target = Path(path)
    if target.is_dir() or str(path).endswith(("/", "\\")):
        return f"cannot write {path}: it is a folder (name an image file, e.g. {Path(path) / 'chart.png'})"
    if target.suffix.lower() not in IMAGE_SUFFIXES:
        return f"cannot write {path}: unknown image type {target.suffix or '(no suffix)'}; use .png, .svg or .pdf"
    return None


def write_figure(figure: Any, path: str | Path) -> str | None:
    """Save a matplotlib figure to ``path``; None, or a one-line reason (as :func:`write_text`)."""
    target = Path(path)
    problem = image_path_problem(path)
    if problem is not None:
        return problem
    existed = target.exists()
    try:
        figure.savefig(target, dpi=100)
    except OSError as error:
        if not existed and target.is_file():
            try:
                os.unlink(target)
            except OSError:
                pass
        reason = error.strerror or type(error).__name__
        if isinstance(error, FileNotFoundError) and not target.parent.exists():
            reason = f"no such folder {str(target.parent)!r}"
        return f"cannot write {path}: {reason}"
    except ValueError as error:  # an unknown image extension
        return f"cannot write {path}: {error}"
    return None


# ------------------------------------------------------------------ printing
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
