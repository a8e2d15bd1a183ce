"""``schedkit demo``: solve bundled and generated instances of every family, then a small batch run."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    """Add the ``demo`` command to the subparsers ``sub``."""
    demo = sub.add_parser("demo", help="solve a few instances of several families and print a table")
    demo.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance (default 10)")
    demo.add_argument("--threads", type=int, default=None, help="solver threads")
    demo.add_argument("--no-bench", action="store_true", help="skip the batch run and its report")
    demo.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    """``schedkit demo``: solve bundled and generated instances of several families."""
    from schedkit.demo import run_demo

    return run_demo(time_limit=args.time_limit, threads=args.threads, bench=not args.no_bench)
