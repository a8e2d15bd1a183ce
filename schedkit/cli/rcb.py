"""``schedkit rcb``: R-ConstraintBench ramps: generate instances, write prompts, grade answers, report.

::

    schedkit rcb generate SUITE [--levels 0:40:5] [--per-level 5] [--domain synthetic|migration] ...
    schedkit rcb prompt SUITE|INSTANCE.json            (writes SUITE/prompts/, or prints one prompt)
    schedkit rcb grade SUITE --writer greedy|module:function   (writes SUITE/answers/, then grades)
    schedkit rcb grade SUITE --answers DIR             (grades DIR/NAME.txt for each instance)
    schedkit rcb grade INSTANCE.json --answer FILE     (grades one answer, lists its violations)
    schedkit rcb report SUITE/grades.jsonl [--json]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from schedkit.cli.common import EXIT_FAILED, EXIT_OK, InputError, print_json


def register(sub: Any) -> None:
    """Add the ``rcb`` command and its subcommands to the subparsers ``sub``."""
    parser = sub.add_parser("rcb", help="R-ConstraintBench: feasibility ramps, prompts, grading, reports")
    commands = parser.add_subparsers(dest="rcb_command", required=True, metavar="SUBCOMMAND")

    generate = commands.add_parser("generate", help="write a ramp of feasibility instances into a suite folder")
    generate.add_argument("suite", help="folder to create")
    generate.add_argument("--levels", default="0:40:5", help="levels k: A:B:STEP (B included) or a comma list")
    generate.add_argument("--per-level", type=int, default=5, help="instances per level (default 5)")
    generate.add_argument("--seed", type=int, default=0)
    generate.add_argument("--domain", choices=["synthetic", "migration"], default="synthetic")
    generate.add_argument("--activities", type=int, default=20, help="synthetic: activities (default 20)")
    generate.add_argument("--resources", type=int, default=3, help="synthetic: resources (default 3)")
    generate.add_argument("--servers", type=int, default=10, help="migration: servers (default 10)")
    generate.add_argument("--racks", type=int, default=3, help="migration: racks (default 3)")
    generate.add_argument("--axis-probability", type=float, default=0.75, help="probability of each axis")
    for axis in ("downtime", "windows", "disjunctive"):
        generate.add_argument(f"--{axis}-probability", type=float, help=f"probability of the {axis} axis")
    generate.set_defaults(func=cmd_generate)

    prompt = commands.add_parser("prompt", help="write the prompts of a suite (or print one instance's)")
    prompt.add_argument("target", help="suite folder or instance JSON file")
    prompt.set_defaults(func=cmd_prompt)

    grade = commands.add_parser("grade", help="grade answers (files or a writer) of a suite or one instance")
    grade.add_argument("target", help="suite folder or instance JSON file")
    source = grade.add_mutually_exclusive_group(required=True)
    source.add_argument("--writer", help="greedy, or module:function / file.py:function: (prompt, problem) -> text")
    source.add_argument("--answers", help="folder with one NAME.txt answer per instance")
    source.add_argument("--answer", help="one answer file (with an instance file)")
    grade.add_argument("--out", help="grades file (default SUITE/grades.jsonl)")
    grade.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    grade.set_defaults(func=cmd_grade)

    report = commands.add_parser("report", help="feasibility per level, WAUC, axes and categories of a grades file")
    report.add_argument("grades", help="grades.jsonl written by 'schedkit rcb grade'")
    report.add_argument("--title", default="", help="a title line")
    report.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    report.set_defaults(func=cmd_report)


def parse_levels(text: str) -> list[int]:
    """``A:B:STEP`` (B included when on the grid) or ``k1,k2,...`` as a list of levels."""
    try:
        if ":" in text:
            parts = [int(x) for x in text.split(":")]
            low, high, step = (parts + [1])[:3] if len(parts) == 2 else parts
            if step < 1 or low < 0 or high < low:
                raise ValueError
            return list(range(low, high + 1, step))
        levels = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise InputError(f"--levels {text!r}: expected A:B:STEP or a comma-separated list of levels >= 0") from None
    if not levels or min(levels) < 0:
        raise InputError(f"--levels {text!r}: expected levels >= 0")
    return levels


def _probabilities(args: argparse.Namespace) -> dict[str, float]:
    out = {axis: args.axis_probability for axis in ("downtime", "windows", "disjunctive")}
    for axis in out:
        value = getattr(args, f"{axis}_probability")
        if value is not None:
            out[axis] = value
    return out


def cmd_generate(args: argparse.Namespace) -> int:
    """``schedkit rcb generate``."""
    from schedkit.instances.generators.rcb import instance_seed, migration_instance, rcb_ramp
    from schedkit.rcb import write_suite

    levels = parse_levels(args.levels)
    probabilities = _probabilities(args)
    try:
        if args.domain == "synthetic":
            problems = rcb_ramp(
                levels,
                args.per_level,
                args.seed,
                num_activities=args.activities,
                num_resources=args.resources,
                axis_probability=probabilities,
            )
        else:
            problems = [
                migration_instance(
                    k,
                    instance_seed(args.seed, k, i),
                    num_servers=args.servers,
                    num_racks=args.racks,
                    axis_probability=probabilities,
                    name=f"migration_k{k:03d}_{i}",
                )
                for k in levels
                for i in range(args.per_level)
            ]
    except ValueError as error:
        raise InputError(str(error)) from None
    options = {
        key: value for key, value in vars(args).items() if key not in ("func", "suite", "rcb_command", "command")
    }
    manifest = write_suite(problems, args.suite, options)
    print(f"{len(problems)} instances ({len(levels)} levels x {args.per_level}) written; manifest {manifest}")
    return EXIT_OK


def _load(target: str) -> list[Any]:
    from schedkit.rcb import load_suite

    try:
        return load_suite(target)
    except (OSError, ValueError) as error:
        raise InputError(str(error)) from None


def cmd_prompt(args: argparse.Namespace) -> int:
    """``schedkit rcb prompt``."""
    from schedkit.rcb import render_prompt, write_prompts

    problems = _load(args.target)
    if Path(args.target).is_file():
        print(render_prompt(problems[0]))
        return EXIT_OK
    paths = write_prompts(problems, args.target)
    print(f"{len(paths)} prompts written to {Path(args.target) / 'prompts'}")
    return EXIT_OK


def cmd_grade(args: argparse.Namespace) -> int:
    """``schedkit rcb grade``."""
    from schedkit.rcb import (
        format_report,
        grade_answer,
        grade_suite,
        load_writer,
        summarise,
        write_answers,
        write_grades,
    )

    problems = _load(args.target)
    single = Path(args.target).is_file()
    if args.answer:
        if not single:
            raise InputError("--answer grades one answer: give an instance file, not a suite folder")
        try:
            text = Path(args.answer).read_text()
        except OSError as error:
            raise InputError(f"{args.answer}: cannot read: {error.strerror or error}") from None
        grade = grade_answer(problems[0], text)
        if args.json:
            print_json(grade.to_dict())
        else:
            verdict = "FEASIBLE" if grade.feasible else "unparsable" if not grade.parsed else "INFEASIBLE"
            print(f"{grade.instance} (k = {grade.level}): {verdict}")
            if grade.reason:
                print(f"  {grade.reason}")
            for category, count in grade.counts.items():
                print(f"  {category}: {count}")
            for line in grade.violations[:20]:
                print(f"    {line}")
            for warning in grade.warnings:
                print(f"  warning: {warning}")
        return EXIT_OK if grade.feasible else EXIT_FAILED
    folder = Path(args.target).parent if single else Path(args.target)
    if args.writer:
        try:
            writer = load_writer(args.writer)
        except ValueError as error:
            raise InputError(str(error)) from None
        answers = folder / "answers"
        write_answers(problems, writer, answers)
    else:
        answers = Path(args.answers)
        if not answers.is_dir():
            raise InputError(f"{answers}: no such folder of answers")
    grades = grade_suite(problems, answers)
    out = Path(args.out) if args.out else folder / "grades.jsonl"
    write_grades(grades, out)
    report = summarise(grades)
    if args.json:
        print_json({"grades": str(out), **report.to_dict()})
    else:
        print(format_report(report))
        print(f"grades written to {out}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """``schedkit rcb report``."""
    from schedkit.rcb import format_report, load_grades, summarise

    try:
        grades = load_grades(args.grades)
    except OSError as error:
        raise InputError(f"{args.grades}: cannot read: {error.strerror or error}") from None
    except ValueError as error:
        raise InputError(str(error)) from None
    report = summarise(grades)
    if args.json:
        print_json(report.to_dict())
    else:
        print(format_report(report, args.title))
    return EXIT_OK
