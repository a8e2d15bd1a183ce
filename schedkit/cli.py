"""The ``schedkit`` command: solve, check, certify, convert, bench, report, plot and demo.

Input problems (bad files, invalid models) end with a one-line error naming
the file, line or field and exit code 2, never a traceback. With ``--json``,
the last line printed is always one JSON object, also on errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2


class InputError(Exception):
    """A user input problem, reported in one line."""


def _read_problem(path: str, fmt: str | None, index: int | None) -> Any:
    from schedkit.instances import read
    from schedkit.models import ModelError

    try:
        return read(path, format=fmt, index=index)
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    except (ModelError, ValueError, TypeError) as error:  # FormatError is a ValueError
        raise InputError(str(error)) from None


def _read_solution(path: str, problem: Any) -> Any:
    from schedkit.models import ModelError, load_solution

    try:
        return load_solution(path, problem)
    except (ModelError, ValueError) as error:
        raise InputError(str(error)) from None


def _print_json(data: dict[str, Any]) -> None:
    print(json.dumps(data, default=str))


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


# ------------------------------------------------------------------ commands
def cmd_solve(args: argparse.Namespace) -> int:
    """``schedkit solve``: read, solve (or run a heuristic), check, report; optionally certify."""
    from schedkit.models import save_solution
    from schedkit.solvers import UnsupportedFeature, certify, run_heuristic, solve

    problem = _read_problem(args.path, args.format, args.index)
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
        _print_json(result.to_dict())
    else:
        print(f"problem      {problem.name or args.path} ({problem.family or 'generic'}, {problem.num_tasks} tasks)")
        print(f"status       {result.status.value}")
        print(
            f"objective    {_fmt(result.objective)}"
            + (f"  (levels: {list(result.objectives)})" if result.objectives and len(result.objectives) > 1 else "")
        )
        print(f"bound        {_fmt(result.lower_bound)}  ({result.bound_source or 'none'})")
        print(f"gap          {'-' if result.gap is None else f'{100 * result.gap:.2f}%'}")
        print(f"wall time    {result.wall_time:.3f} s (best found at {_fmt(result.time_to_best)} s)")
        print(f"checker      {'passed' if result.ok else ('; '.join(v.message for v in result.violations) or '-')}")
        if result.message:
            print(f"message      {result.message}")
        if args.out and result.ok:
            print(f"solution     written to {args.out}")
    return EXIT_FAILED if result.status.value == "error" else EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """``schedkit check``: verify a solution file against a problem."""
    from schedkit.solvers import check, evaluate

    problem = _read_problem(args.problem, args.format, args.index)
    solution = _read_solution(args.solution, problem)
    violations = check(problem, solution)
    objectives = None if violations else list(evaluate(problem, solution))
    if args.json:
        _print_json(
            {
                "valid": not violations,
                "objective": objectives[0] if objectives else None,
                "objectives": objectives,
                "violations": [v.message for v in violations],
            }
        )
    elif violations:
        print(f"INVALID: {len(violations)} violation(s)")
        for violation in violations:
            print(f"  [{violation.kind}] {violation.message}")
    else:
        print(
            f"valid; objective {objectives[0] if objectives else '-'}"
            + (f" (levels {objectives})" if objectives and len(objectives) > 1 else "")
        )
    return EXIT_FAILED if violations else EXIT_OK


def cmd_certify(args: argparse.Namespace) -> int:
    """``schedkit certify``: bound a given schedule and report its proven gap."""
    from schedkit.solvers import certify

    problem = _read_problem(args.problem, args.format, args.index)
    solution = _read_solution(args.solution, problem)
    sources = args.sources.split(",") if args.sources else None
    try:
        certificate = certify(problem, solution, time_limit=args.time_limit, sources=sources, threads=args.threads)
    except ValueError as error:  # unknown source names
        raise InputError(str(error)) from None
    if args.json:
        _print_json(certificate.to_dict())
    elif certificate.violations:
        print(f"INVALID schedule: {len(certificate.violations)} violation(s); not certified")
        for violation in certificate.violations:
            print(f"  [{violation.kind}] {violation.message}")
    else:
        gap = "-" if certificate.gap is None else f"{100 * certificate.gap:.2f}%"
        print(f"objective    {_fmt(certificate.objective)}")
        print(f"bound        {_fmt(certificate.lower_bound)}  ({certificate.bound_source or 'none'})")
        print(f"gap          {gap}{'  (proven optimal)' if certificate.optimal else ''}")
        for source in certificate.sources:
            print(f"  {source.source:<22}{_fmt(source.bound):>12}  {source.seconds:8.3f} s  {source.note}")
    return EXIT_FAILED if certificate.violations else EXIT_OK


def cmd_convert(args: argparse.Namespace) -> int:
    """``schedkit convert``: write a problem as the IR JSON, or its MIP as an .lp / .mps file."""
    from schedkit.models import problem_to_dict

    problem = _read_problem(args.path, args.format, args.index)
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


def cmd_demo(args: argparse.Namespace) -> int:
    """``schedkit demo``: solve bundled and generated instances of several families."""
    from schedkit.demo import run_demo

    return run_demo(time_limit=args.time_limit, threads=args.threads, bench=not args.no_bench)


# ---------------------------------------------------------------------- main
def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``schedkit`` command."""
    parser = argparse.ArgumentParser(prog="schedkit", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def add_input(p: argparse.ArgumentParser, name: str = "path") -> None:
        p.add_argument(name, help="instance file")
        p.add_argument("--format", help="input format (default: detect); one of the instances.FORMATS")
        p.add_argument("--index", type=int, help="instance number inside a multi-instance file (wt)")

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

    check = sub.add_parser("check", help="verify a solution against a problem")
    add_input(check, "problem")
    check.add_argument("solution", help="solution JSON file")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.set_defaults(func=cmd_check)

    certify = sub.add_parser("certify", help="prove a bound on a schedule and report its gap")
    add_input(certify, "problem")
    certify.add_argument("solution", help="solution JSON file")
    certify.add_argument("--time-limit", type=float, default=10.0, help="seconds for the exact sources (default 10)")
    certify.add_argument("--threads", type=int, help="solver threads")
    certify.add_argument("--sources", help="comma-separated bound sources (default: all)")
    certify.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    certify.set_defaults(func=cmd_certify)

    convert = sub.add_parser("convert", help="convert an instance to the IR JSON")
    add_input(convert)
    convert.add_argument(
        "--to", choices=["json", "lp", "mps"], default="json", help="the IR JSON, or the MIP as LP/MPS"
    )
    convert.add_argument("--formulation", help="MIP formulation for --to lp/mps (default: chosen by structure)")
    convert.add_argument("--out", help="output file (default: standard output)")
    convert.set_defaults(func=cmd_convert)

    from schedkit.bench.cli import add_bench_arguments, cmd_bench
    from schedkit.plots.command import add_plot_arguments
    from schedkit.report import add_report_arguments

    bench = sub.add_parser("bench", help="batch-run benchmark sets, files or globs into CSV/Parquet results")
    add_bench_arguments(bench)
    bench.set_defaults(func=cmd_bench)

    add_report_arguments(sub.add_parser("report", help="summarise a results file; performance-profile plot"))
    add_plot_arguments(sub.add_parser("plot", help="Gantt chart of a solution (per machine/resource, usage beneath)"))

    demo = sub.add_parser("demo", help="solve a few instances of several families and print a table")
    demo.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance (default 10)")
    demo.add_argument("--threads", type=int, default=None, help="solver threads")
    demo.add_argument("--no-bench", action="store_true", help="skip the batch run and its report")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as error:
        if getattr(args, "json", False):
            _print_json({"status": "error", "message": str(error), "violations": []})
        print(f"schedkit: error: {error}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("schedkit: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
