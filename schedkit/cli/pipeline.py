"""``schedkit pipeline KERNEL --machine M``: pipeline and warp-specialise a Flash Attention loop, exactly.

Builds the kernel (``forward`` or ``backward``) for the machine model
(``hopper``: H100 as FA3 configures it; ``blackwell``: B200 as FA4 does) and a
tile, normalises its cycle counts with Twill's integer program (budget
``--budget``), and searches the smallest initiation interval, then the
shortest length, with CP-SAT over the IR (:mod:`schedkit.solvers.methods.pipelining`),
warm-started by iterative modulo scheduling. Prints the warp groups and what
each does, the FA3 / FA4 structure facts, and with ``--listing`` the prologue,
kernel and epilogue; ``--plot FILE`` draws the kernel.
"""

from __future__ import annotations

import argparse
from typing import Any

from schedkit.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    InputError,
    add_time_and_threads,
    image_path_problem,
    non_negative_int,
    positive_int,
    print_json,
    write_figure,
)

DEFAULT_BUDGET = 20
"""The normalisation budget U of the command (Twill uses 300; the solve time grows with it)."""


def register(sub: Any) -> None:
    """Add the ``pipeline`` command to the subparsers ``sub``."""
    parser = sub.add_parser(
        "pipeline",
        help="software pipelining + warp specialisation of Flash Attention (Twill): optimal II and length",
    )
    parser.add_argument("kernel", choices=["forward", "backward"], help="the Flash Attention loop")
    parser.add_argument("--machine", required=True, choices=["hopper", "blackwell"], help="the GPU model")
    parser.add_argument("--tile", help="ROWSxCOLSxDEPTH (default: FA3's / FA4's tile for the kernel)")
    parser.add_argument(
        "--budget",
        type=positive_int,
        default=DEFAULT_BUDGET,
        metavar="U",
        help=f"cost normalisation budget: normalised costs sum to at most U (default {DEFAULT_BUDGET}; Twill: 300)",
    )
    parser.add_argument(
        "--without",
        default="",
        metavar="C1,C2",
        help="leave constraint families out (registers, issue, blocking, memories, transfers, threads)",
    )
    add_time_and_threads(parser, "seconds for the whole II search")
    parser.add_argument("--seed", type=non_negative_int, default=0, help="random seed")
    parser.add_argument("--listing", action="store_true", help="print the prologue, kernel and epilogue per warp group")
    parser.add_argument("--plot", metavar="FILE", help="draw the kernel to this image file (.png, .svg, .pdf)")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.set_defaults(func=cmd_pipeline)


def cmd_pipeline(args: argparse.Namespace) -> int:
    """``schedkit pipeline``: build, normalise, solve, report (exit 1 when no checked schedule comes back)."""
    from schedkit.models.pipelining import CONSTRAINTS, Tile, gpu
    from schedkit.solvers.methods.flash_attention import run_kernel

    if args.plot:
        unusable = image_path_problem(args.plot)
        if unusable:
            raise InputError(f"--plot: {unusable}")
    try:
        tile = Tile.parse(args.tile) if args.tile else None
    except ValueError as error:
        raise InputError(f"--tile: {error}") from None
    without = [name for name in args.without.split(",") if name]
    unknown = sorted(set(without) - set(CONSTRAINTS))
    if unknown:
        raise InputError(f"--without: unknown constraint(s) {', '.join(unknown)}; known: {', '.join(CONSTRAINTS)}")
    try:
        run = run_kernel(
            args.kernel,
            gpu(args.machine),
            tile=tile,
            budget=args.budget,
            time_limit=args.time_limit,
            threads=args.threads,
            seed=args.seed,
            without=without,
        )
    except ValueError as error:  # a tile the machine cannot split, a budget below the costs, ...
        raise InputError(str(error)) from None
    summary = run.to_dict(include_listing=args.listing or args.json)
    if args.plot and run.result.solution is not None:
        from schedkit.plots.pipelining import pipelining_figure

        figure = pipelining_figure(run.problem, run.result.solution, title=run.title)
        failure = write_figure(figure, args.plot)
        if failure:
            raise InputError(failure)
        summary["plot"] = args.plot
    if args.json:
        print_json(summary)
    else:
        print(run.report(listing_text=args.listing))
        if args.plot and run.result.solution is not None:
            print(f"plot         written to {args.plot}")
    return EXIT_OK if run.result.solution is not None and not run.result.violations else EXIT_FAILED
