"""``schedkit discover``: evolve a heuristic program (FunSearch-style) with a pluggable mutation operator.

``schedkit discover tardiness --budget 50`` starts from the template
(``--program`` another file or a rule name: edd, mdd, eddc, mddc, psk, nbr)
and runs the built-in model-free operator; ``--operator module:function``
plugs in any callable (for example one that asks a language model).
``--evaluate FILE`` scores one program and stops; ``--write-template PATH``
writes the template to edit. Optima of the suite are cached on disk
(``--cache``, default ``~/.cache/schedkit/optima``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from schedkit.cli.common import EXIT_FAILED, EXIT_OK, InputError, print_json


def register(sub: Any) -> None:
    """Add the ``discover`` command to the subparsers ``sub``."""
    parser = sub.add_parser("discover", help="evolve a heuristic program against certified optima")
    parser.add_argument("spec", choices=["tardiness"], help="what to evolve (tardiness: sequence(p, d, w))")
    parser.add_argument(
        "--operator",
        default="schedkit.discovery.operators:random_edit",
        help="mutation operator, module:function or file.py:function (default: the built-in random_edit)",
    )
    parser.add_argument("--budget", type=int, default=20, help="programs to evaluate (default 20)")
    parser.add_argument("--program", help="initial program: a file or a rule name (default: the template)")
    parser.add_argument("--evaluate", metavar="PROGRAM", help="only score this program (a file or a rule name)")
    parser.add_argument("--write-template", metavar="PATH", help="write the template program to PATH and stop")
    parser.add_argument("--sizes", help="comma-separated numbers of jobs (default 20,100,200,500)")
    parser.add_argument("--per-class", type=int, default=1, help="instances per TF x RDD class (default 1)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the instances and of the search (default 0)")
    parser.add_argument("--cache", help="folder of cached optima (default ~/.cache/schedkit/optima)")
    parser.add_argument("--exact-time-limit", type=float, default=120.0, help="seconds per optimum (default 120)")
    parser.add_argument("--seconds-per-instance", type=float, default=10.0, help="candidate time limit per call")
    parser.add_argument("--memory-mb", type=float, default=2048.0, help="candidate memory limit (default 2048)")
    parser.add_argument("--penalty", type=float, default=1000.0, help="gap %% charged per invalid answer")
    parser.add_argument("--islands", type=int, default=10, help="islands of the program database (default 10)")
    parser.add_argument("--functions-per-prompt", type=int, default=2, help="programs per prompt (default 2)")
    parser.add_argument("--reset-period", type=int, default=200, help="programs between island resets")
    parser.add_argument("--out", help="write the best program here")
    parser.add_argument("--log", help="write every sample as a JSON line here")
    parser.add_argument("--quiet", action="store_true", help="no line per sample")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.set_defaults(func=cmd_discover)


def _program_path(name: str) -> Path:
    from schedkit.discovery import PROGRAMS

    if name in PROGRAMS:
        return PROGRAMS[name]
    path = Path(name)
    if not path.is_file():
        raise InputError(f"{name}: no such program file (or rule name: {', '.join(PROGRAMS)})")
    return path


def _gap(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}%"


def _evaluator(args: argparse.Namespace) -> Any:
    from schedkit.discovery import SPECS, Evaluator, Limits, OptimumCache, default_cache_dir

    try:
        sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else None
        limits = Limits(args.seconds_per_instance, args.memory_mb)
        cache = OptimumCache(Path(args.cache) if args.cache else default_cache_dir())
        if not args.quiet:
            print("computing or loading the optima of the suite ...", flush=True)
        return Evaluator.for_spec(
            SPECS[args.spec],
            sizes,
            args.per_class,
            args.seed,
            cache,
            args.exact_time_limit,
            limits,
            args.penalty,
        )
    except ValueError as error:
        raise InputError(str(error)) from None


def _print_groups(evaluation: Any) -> None:
    for group, row in evaluation.by_group().items():
        gap = _gap(row["mean_gap"])
        print(f"  {group:<8} {row['instances']:>4} instances  mean gap {gap:>10}  invalid {row['invalid']}")


def cmd_discover(args: argparse.Namespace) -> int:
    """``schedkit discover``: run the search (or evaluate one program, or write the template)."""
    from schedkit.discovery import SPECS, DatabaseConfig, discover, load_operator

    spec = SPECS[args.spec]
    if args.write_template:
        Path(args.write_template).write_text(spec.template_source())
        print(f"template written to {args.write_template}; edit {spec.signature} and its constants")
        return EXIT_OK
    if args.evaluate:
        path = _program_path(args.evaluate)
        evaluation = _evaluator(args).evaluate(path)
        if args.json:
            print_json({"program": str(path), **evaluation.to_dict()})
        else:
            gap = _gap(evaluation.mean_gap)
            print(f"{path}: mean gap {gap}, score {evaluation.score:.4f}, invalid {evaluation.invalid}")
            _print_groups(evaluation)
            if evaluation.invalid:
                print(f"  first failure: {evaluation.first_failure()}")
        return EXIT_OK if evaluation.valid else EXIT_FAILED
    if args.budget < 0:
        raise InputError(f"--budget must be >= 0, got {args.budget}")
    try:
        operator = load_operator(args.operator)
        config = DatabaseConfig(args.islands, args.functions_per_prompt, args.reset_period)
    except ValueError as error:
        raise InputError(str(error)) from None
    initial = _program_path(args.program).read_text() if args.program else None
    evaluator = _evaluator(args)
    best_gap: list[float | None] = [None]

    def progress(entry: dict[str, Any]) -> None:
        if args.quiet:
            return
        if "operator_error" in entry:
            print(f"sample {entry['sample']:>4}: operator error: {entry['operator_error']}", flush=True)
            return
        gap = entry.get("mean_gap")
        if entry.get("invalid", 0) == 0 and gap is not None and (best_gap[0] is None or gap < best_gap[0]):
            best_gap[0] = gap
        island = "all" if entry["island"] is None else entry["island"]
        note = f"  ({entry['invalid']} invalid: {entry['first_failure']})" if entry.get("invalid") else ""
        print(
            f"sample {entry['sample']:>4} island {island}: mean gap {_gap(gap)}{note}  best {_gap(best_gap[0])}",
            flush=True,
        )

    try:
        result = discover(evaluator, operator, args.budget, initial, config, args.seed, args.log, progress)
    except ValueError as error:
        raise InputError(str(error)) from None
    if args.out:
        Path(args.out).write_text(result.best.source)
    summary = {
        "initial_mean_gap": result.initial.summary.get("mean_gap"),
        "best_mean_gap": result.best.summary.get("mean_gap"),
        "best_score": result.best.score,
        "best_invalid": result.best.summary.get("invalid"),
        "improved": result.improved,
        "samples": result.samples,
        "registered": result.registered,
        "resets": result.resets,
        "out": args.out,
    }
    if args.json:
        print_json(summary)
    else:
        print(
            f"initial mean gap {_gap(summary['initial_mean_gap'])}; best {_gap(summary['best_mean_gap'])} "
            f"(score {result.best.score:.4f}) after {result.samples} samples, {result.resets} island resets"
        )
        by_group = result.best.summary.get("by_group", {})
        for group, row in by_group.items():
            print(f"  {group:<8} mean gap {_gap(row['mean_gap']):>10}  invalid {row['invalid']}")
        if args.out:
            print(f"best program written to {args.out}")
    return EXIT_OK
