"""``schedkit solve``: read an instance, solve it (or run a heuristic), check and report; optionally certify.

Outputs: ``--out`` (the solution JSON, with task names and end times),
``--schedule`` (the schedule table, one row per task, as CSV or JSON),
``--gantt`` (the family's chart). A file that cannot be written ends the
command with one line and exit code 2, after the result was printed: what was
computed is never lost silently.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from schedkit.cli.common import (
    EXIT_FAILED,
    EXIT_INPUT,
    EXIT_OK,
    InputError,
    add_input,
    add_time_and_threads,
    fmt,
    image_path_problem,
    non_negative_int,
    print_json,
    read_problem_args,
    write_figure,
    write_text,
)

SCHEDULE_SUFFIXES = (".csv", ".json")
"""File types ``--schedule`` writes."""


def register(sub: Any) -> None:
    """Add the ``solve`` command to the subparsers ``sub``."""
    solve = sub.add_parser("solve", help="solve an instance and check the schedule")
    add_input(solve)
    solve.add_argument(
        "--backend",
        choices=["cpsat", "mip", "lp"],
        help="run this backend alone (default: the method auto, which picks by structure and says what it ran)",
    )
    solve.add_argument(
        "--solver",
        help="MIP: an installed solver: appsi_highs (default), highspy (HiGHS without Pyomo), or a Pyomo solver",
    )
    solve.add_argument(
        "--formulation",
        choices=["time_indexed", "disjunctive", "positional", "assignment", "modulo"],
        help="MIP/LP formulation (default: chosen by structure)",
    )
    solve.add_argument(
        "--heuristic",
        help=(
            "run a heuristic alone: edd, spt, wspt, mdd, atc, eddc, mddc, wilkerson_irwin (one machine); "
            "mwkr, mopnr, fdd_mwkr, lwkr, fifo, spt (shops); learned (job shops); "
            "sgs_serial, sgs_parallel (RCPSP); auto"
        ),
    )
    solve.add_argument("--priority", choices=["lft", "lst", "mts", "grpw", "random"], help="SGS priority rule")
    solve.add_argument("--certify", action="store_true", help="certify the heuristic's schedule within --time-limit")
    solve.add_argument("--warm-start", help="start the solver from a heuristic's schedule (a rule name or auto)")
    add_time_and_threads(solve, "seconds for the whole solve, reading excluded (positive)")
    solve.add_argument("--seed", type=non_negative_int, default=0, help="random seed")
    solve.add_argument("--out", help="write the solution as JSON here (task names, modes, starts, ends)")
    solve.add_argument("--schedule", help="write the schedule table here: one row per task (.csv or .json)")
    solve.add_argument("--gantt", help="draw the schedule's chart to this image file (.png, .svg, .pdf)")
    solve.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    solve.add_argument(
        "--include-schedule", action="store_true", help="with --json: add the schedule table's rows ('schedule')"
    )
    solve.add_argument("--log", action="store_true", help="print the solver's search log (as it runs)")
    solve.add_argument(
        "--method", help="a method around the backend: auto (the default), lns, rho, ... (backend: the backend alone)"
    )
    solve.add_argument(
        "--method-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an option of --method, e.g. strategy=learned or window=80 (repeatable)",
    )
    solve.set_defaults(func=cmd_solve)


def _method_options(pairs: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs as keyword options: integers, floats, true/false/none, else strings."""
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key:
            raise InputError(f"--method-option takes KEY=VALUE, got {pair!r}")
        value: Any = {"true": True, "false": False, "none": None}.get(text.lower(), text)
        if isinstance(value, str):
            for kind in (int, float):
                try:
                    value = kind(text)
                    break
                except ValueError:
                    continue
        options[key] = value
    return options


def _check_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """Refuse combinations that make no sense before anything is read; the backend options."""
    options: dict[str, Any] = {}
    if args.solver:
        options["solver"] = args.solver
    if args.formulation:
        options["formulation"] = args.formulation
    if options and args.backend not in ("mip", "lp"):
        raise InputError("--solver and --formulation apply to --backend mip or lp")
    if args.solver and args.backend == "lp":
        raise InputError("--solver applies to --backend mip (the LP backend always uses HiGHS directly)")
    if args.solver:
        from schedkit.solvers.backends import installed_mip_solvers

        installed = installed_mip_solvers()
        if args.solver not in installed:
            raise InputError(f"--solver {args.solver!r} is not installed here; installed: {', '.join(installed)}")
    if args.priority and not args.heuristic:
        raise InputError("--priority applies with --heuristic sgs_serial or sgs_parallel")
    if args.heuristic and args.warm_start:
        raise InputError("--heuristic runs a rule alone; --warm-start starts a solver from one: choose one")
    if args.certify and not args.heuristic:
        raise InputError("--certify certifies a heuristic's schedule: use it with --heuristic")
    if args.schedule and not args.schedule.lower().endswith(SCHEDULE_SUFFIXES):
        raise InputError(f"--schedule writes {' or '.join(SCHEDULE_SUFFIXES)} files, got {args.schedule!r}")
    if args.gantt and image_path_problem(args.gantt):
        raise InputError(f"--gantt: {image_path_problem(args.gantt)}")
    if args.include_schedule and not args.json:
        raise InputError("--include-schedule adds the schedule to the --json output: add --json")
    if args.method_option and not args.method:
        raise InputError("--method-option sets an option of --method: add --method")
    if args.method and args.heuristic:
        raise InputError("--heuristic runs a rule alone; --method runs a solver method: choose one")
    return options


def schedule_text(problem: Any, solution: Any, path: str) -> str:
    """The schedule table as CSV (or a JSON list of rows when ``path`` ends with ``.json``)."""
    from schedkit.models.schedule_table import schedule_frame, schedule_rows

    if path.lower().endswith(".json"):
        return json.dumps(schedule_rows(problem, solution), indent=1) + "\n"
    text: str = schedule_frame(problem, solution).to_csv(index=False)
    return text


def _write_outputs(args: argparse.Namespace, problem: Any, result: Any) -> tuple[list[str], list[str]]:
    """Write ``--out``, ``--schedule`` and ``--gantt``: (what was written, one line per failure)."""
    written: list[str] = []
    failures: list[str] = []
    if result.solution is None or not result.ok:
        return written, failures
    if args.out:
        from schedkit.models import solution_to_dict

        text = json.dumps(solution_to_dict(result.solution, problem), indent=1) + "\n"
        failure = write_text(args.out, text)
        (failures.append(failure) if failure else written.append(f"solution     written to {args.out}"))
    if args.schedule:
        failure = write_text(args.schedule, schedule_text(problem, result.solution, args.schedule))
        (failures.append(failure) if failure else written.append(f"schedule     written to {args.schedule}"))
    if args.gantt:
        from schedkit.models.objective_display import objective_text
        from schedkit.plots import plot

        title = f"{problem.name or args.path}: {objective_text(problem, result.objectives, result.solution)}"
        figure = plot(problem, result.solution, title=title)
        failure = write_figure(figure, args.gantt)
        (failures.append(failure) if failure else written.append(f"chart        written to {args.gantt}"))
    return written, failures


def _print_text(problem: Any, result: Any, path: str) -> None:
    from schedkit.models.objective_display import format_number, level_names, objective_text, user_bound

    names = level_names(problem)
    print(f"problem      {problem.name or path} ({problem.family or 'generic'}, {problem.num_tasks} tasks)")
    print(f"status       {result.status.value}")
    print(f"objective    {objective_text(problem, result.objectives, result.solution)}")
    first = f"  (level {names[0]})" if len(names) > 1 else ""
    bound = format_number(user_bound(problem, result.lower_bound))
    print(f"bound        {bound}  ({result.bound_source or 'none'}){first}")
    print(f"gap          {'-' if result.gap is None else f'{100 * result.gap:.2f}%'}")
    print(f"wall time    {result.wall_time:.3f} s (best found at {fmt(result.time_to_best)} s)")
    print(f"checker      {'passed' if result.ok else ('; '.join(v.message for v in result.violations) or '-')}")
    if result.message:
        print(f"message      {result.message}")


def cmd_solve(args: argparse.Namespace) -> int:
    """``schedkit solve``: read, solve (or run a heuristic), check, report; optionally certify."""
    from schedkit.solvers import UnsupportedFeature, certify, run_heuristic, solve

    options = _check_arguments(args)
    problem = read_problem_args(args)
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
                method=args.method,
                **options,
                **_method_options(args.method_option),
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
    written, failures = _write_outputs(args, problem, result)
    if args.json:
        data = result.to_dict(problem=problem, include_schedule=args.include_schedule)
        if failures:
            data["write_errors"] = failures
        print_json(data)
    else:
        _print_text(problem, result, args.path)
        for line in written:
            print(line)
    for failure in failures:
        print(f"schedkit: error: {failure}", file=sys.stderr)
    if failures:
        return EXIT_INPUT
    return EXIT_FAILED if result.status.value == "error" else EXIT_OK
