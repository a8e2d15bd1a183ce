"""``schedkit bench``: batch-run benchmark sets, files or globs into a CSV or Parquet results file.

Registered by :mod:`schedkit.cli` (:func:`register`); also runnable alone as
``python -m schedkit.cli.bench``.
Option values ``--backend``, ``--heuristic``, ``--warm-start``,
``--time-limit`` and ``--threads`` take comma-separated lists: the batch runs
every combination (heuristics are configurations of their own).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

from schedkit.bench.config import BACKENDS, Config

EXIT_OK, EXIT_INPUT = 0, 2


def register(sub: Any) -> None:
    """Add the ``bench`` command to the subparsers ``sub``."""
    parser = sub.add_parser("bench", help="batch-run benchmark sets, files or globs into CSV/Parquet results")
    add_bench_arguments(parser)
    parser.set_defaults(func=cmd_bench)


def add_bench_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``schedkit bench`` to ``parser``."""
    parser.add_argument(
        "targets",
        nargs="+",
        metavar="SET_OR_GLOB",
        help="benchmark set (j30, j60, patterson, jobshop, ft, la, abz, orb, ta, brandimarte, hurink-edata, "
        "wt40, podpack), file, folder or glob; SET:N takes the first N instances",
    )
    parser.add_argument("--format", help="input format of files and globs (default: detect)")
    parser.add_argument("--backend", help="backend(s), comma-separated: cpsat, mip, lp (default cpsat)")
    parser.add_argument("--heuristic", help="heuristic rule(s) run alone, comma-separated (e.g. mwkr,auto)")
    parser.add_argument("--warm-start", help="warm-start rule(s) for the solver, comma-separated (a rule or auto)")
    parser.add_argument(
        "--method",
        help="solver method(s) around the backend, comma-separated: NAME[:key=value...] (e.g. rho:strategy=all)",
    )
    parser.add_argument("--time-limit", default="10", help="seconds per run, comma-separated (default 10)")
    parser.add_argument("--threads", default="1", help="solver threads per run, comma-separated (default 1)")
    parser.add_argument("--seeds", type=int, default=1, help="seeds 0..K-1 per instance and configuration (default 1)")
    parser.add_argument("--jobs", "-j", type=int, default=1, help="runs at once (default 1)")
    parser.add_argument("--executor", choices=["local", "dask"], default="local", help="where runs execute")
    parser.add_argument("--scheduler", help="Dask scheduler address (default: an embedded LocalCluster)")
    parser.add_argument("--bounds", help="CSV with columns instance,best_known (overrides the shared bound files)")
    parser.add_argument("--grace", type=float, default=10.0, help="seconds past the time limit before a kill")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--out", required=True, help="results file, .csv or .parquet (appended; resumable)")


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def configs_from_args(args: argparse.Namespace) -> list[Config]:
    """The configurations named by the options: every combination of their comma-separated values."""
    try:
        limits = [float(v) for v in _split(args.time_limit)] or [10.0]
        threads = [int(v) for v in _split(args.threads)] or [1]
    except ValueError as error:
        raise ValueError(f"--time-limit takes numbers and --threads integers: {error}") from None
    bad_limits = [v for v in limits if not math.isfinite(v) or v <= 0]
    if bad_limits:
        raise ValueError(f"--time-limit values must be positive and finite, got {bad_limits[0]:g}")
    bad_threads = [v for v in threads if v < 1]
    if bad_threads:
        raise ValueError(f"--threads values must be at least 1, got {bad_threads[0]}")
    heuristics = _split(args.heuristic)
    backends = _split(args.backend)
    for backend in backends:
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    configs = [Config(heuristic=h, time_limit=limits[0], threads=1) for h in heuristics]
    if backends or not heuristics:
        warm: list[str | None] = list(_split(args.warm_start)) or [None]
        methods: list[str | None] = list(_split(getattr(args, "method", None))) or [None]
        for backend in backends or ["cpsat"]:
            for start in warm:
                for limit in limits:
                    for count in threads:
                        for method in methods:
                            configs.append(Config(backend, None, start, limit, count, method))
    elif args.warm_start:
        raise ValueError("--warm-start starts a solver: add --backend to run it next to --heuristic")
    return list(dict.fromkeys(configs))


def cmd_bench(args: argparse.Namespace) -> int:
    """``schedkit bench``: run the batch, print a summary; exit 2 on bad input."""
    from schedkit.bench import run_batch
    from schedkit.bench.sets import TargetError

    try:
        configs = configs_from_args(args)
        rows = run_batch(
            args.targets,
            configs,
            seeds=args.seeds,
            out=args.out,
            jobs=args.jobs,
            executor=args.executor,
            scheduler=args.scheduler,
            bounds=args.bounds,
            grace=args.grace,
            progress=not args.no_progress,
            format=args.format,
        )
    except (TargetError, ValueError, OSError) as error:
        print(f"schedkit bench: error: {error}", file=sys.stderr)
        return EXIT_INPUT
    counts = Counter(rows["status"])
    summary = ", ".join(f"{status} {count}" for status, count in sorted(counts.items()))
    print(f"{len(rows)} rows in {args.out} ({summary or 'none'})")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``schedkit bench`` alone (``python -m schedkit.cli.bench ...``)."""
    parser = argparse.ArgumentParser(prog="schedkit bench", description=__doc__.splitlines()[0])
    add_bench_arguments(parser)
    try:
        return cmd_bench(parser.parse_args(argv))
    except KeyboardInterrupt:
        print("schedkit bench: interrupted (rerun the same command to resume)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
