"""``schedkit solve``: read an instance, solve it (or run a heuristic), check and report; optionally certify."""

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
)


def register(sub: Any) -> None:
    """Add the ``solve`` command to the subparsers ``sub``."""
    solve = sub.add_parser("solve", help="solve an instance and check the schedule")
    add_input(solve)
    solve.add_argument("--backend", default="cpsat", choices=["cpsat", "mip", "lp"], help="backend (default: cpsat)")
    solve.add_argument("--solver", help="MIP: a Pyomo solver name (default appsi_highs; highspy = HiGHS without Pyomo)")
    solve.add_argument(
        "--formulation",
        choices=["time_indexed", "disjunctive", "positional", "assignment", "modulo"],
        help="MIP/LP formulation (default: chosen by structure)",
    )
    solve.add_argument(
        "--heuristic",
        help=(
            "run a heuristic alone: edd, spt, wspt, mdd, atc, eddc, mddc, wilkerson_irwin (one machine); "
            "mwkr, mopnr, fdd_mwkr, lwkr, fifo, spt (shops); sgs_serial, sgs_parallel (RCPSP); auto"
        ),
    )
    solve.add_argument("--priority", choices=["lft", "lst", "mts", "grpw", "random"], help="SGS priority rule")
    solve.add_argument("--certify", action="store_true", help="certify the heuristic's schedule within --time-limit")
    solve.add_argument("--warm-start", help="start the solver from a heuristic's schedule (a rule name or auto)")
    solve.add_argument("--time-limit", type=float, help="seconds for the whole solve")
    solve.add_argument("--threads", type=int, help="solver threads (default: all cores)")
    solve.add_argument("--seed", type=int, default=0, help="random seed")
    solve.add_argument("--out", help="write the solution as JSON here")
    solve.add_argument("--gantt", help="draw the schedule's Gantt chart to this image file (.png, .svg, .pdf)")
    solve.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    solve.add_argument("--log", action="store_true", help="print the solver's search log")
    solve.set_defaults(func=cmd_solve)


def cmd_solve(args: argparse.Namespace) -> int:
    """``schedkit solve``: read, solve (or run a heuristic), check, report; optionally certify."""
    from schedkit.models import save_solution
    from schedkit.solvers import UnsupportedFeature, certify, run_heuristic, solve

    problem = read_problem(args.path, args.format, args.index)
    options: dict[str, Any] = {}
    if args.solver:
        options["solver"] = args.solver
    if args.formulation:
        options["formulation"] = args.formulation
    if options and args.backend == "cpsat":
        raise InputError("--solver and --formulation apply to --backend mip or lp")
    if args.solver and args.backend == "lp":
        raise InputError("--solver applies to --backend mip (the LP backend always uses HiGHS directly)")
    if args.priority and not args.heuristic:
        raise InputError("--priority applies with --heuristic sgs_serial or sgs_parallel")
    if args.heuristic and args.warm_start:
        raise InputError("--heuristic runs a rule alone; --warm-start starts a solver from one: choose one")
    if args.certify and not args.heuristic:
        raise InputError("--certify certifies a heuristic's schedule: use it with --heuristic")
    try:
        if args.heuristic:
            result = run_heuristic(problem, args.heuristic, priority=args.priority, seed=args.seed)
        else:
            result = solve(
                problem,
                backend=args.backend,
                time_limit=args.time_limit,
                threads=args.threads,
                seed=args.seed,
                warm_start=args.warm_start,
                log=args.log,
                **options,
            )
    except UnsupportedFeature as error:
        raise InputError(f"{args.path}: {error}") from None
    except ValueError as error:  # unknown backend, formulation, solver or heuristic
        raise InputError(str(error)) from None
    if args.certify and result.ok and result.solution is not None:
        certificate = certify(problem, result.solution, time_limit=args.time_limit, threads=args.threads)
        result.lower_bound = certificate.lower_bound
        result.bound_source = certificate.bound_source
        result.gap = certificate.gap
        result.stats["certificate"] = certificate.to_dict()
        if certificate.optimal:
            result.status = type(result.status)("optimal")
    if args.out and result.solution is not None and result.ok:
        save_solution(result.solution, args.out, problem)
    if args.gantt and result.solution is not None and result.ok:
        from schedkit.plots import gantt

        gantt(problem, result.solution, args.gantt, title=f"{problem.name or args.path}: {result.objective}")
    if args.json:
        print_json(result.to_dict())
    else:
        print(f"problem      {problem.name or args.path} ({problem.family or 'generic'}, {problem.num_tasks} tasks)")
        print(f"status       {result.status.value}")
        print(
            f"objective    {fmt(result.objective)}"
            + (f"  (levels: {list(result.objectives)})" if result.objectives and len(result.objectives) > 1 else "")
        )
        print(f"bound        {fmt(result.lower_bound)}  ({result.bound_source or 'none'})")
        print(f"gap          {'-' if result.gap is None else f'{100 * result.gap:.2f}%'}")
        print(f"wall time    {result.wall_time:.3f} s (best found at {fmt(result.time_to_best)} s)")
        print(f"checker      {'passed' if result.ok else ('; '.join(v.message for v in result.violations) or '-')}")
        if result.message:
            print(f"message      {result.message}")
        if args.out and result.ok:
            print(f"solution     written to {args.out}")
    return EXIT_FAILED if result.status.value == "error" else EXIT_OK
