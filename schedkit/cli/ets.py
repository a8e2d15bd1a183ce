"""``schedkit ets``: KV-sharing tree search -- the study against REBASE, and one search to look at.

``schedkit ets study --widths 16,64,256 --trees 200 --seed 0 [--json] [--out results/ets_study]``
runs every method on the same seeded synthetic trees and prints the table
(:mod:`schedkit.solvers.methods.tree_search.study`). ``schedkit ets search``
runs one search on a synthetic tree (``--seed``) or replays a recorded trace
(``--trace FILE [--tree NAME]``), prints what each depth did, and can draw the
tree (``--plot``) or record it (``--record``).
"""

from __future__ import annotations

import argparse
import csv
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from schedkit.cli.common import EXIT_OK, InputError, print_json

METHODS = ("rebase", "ets", "beam", "dvts")


def _ints(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive integers, got {text!r}")
    return values


def _floats(text: str) -> list[float]:
    try:
        values = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}") from None
    if not values:
        raise argparse.ArgumentTypeError("expected at least one number")
    return values


def _methods(text: str) -> list[str]:
    values = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [v for v in values if v not in METHODS]
    if unknown or not values:
        expected = ", ".join(METHODS)
        raise argparse.ArgumentTypeError(f"unknown method(s) {unknown or text!r}; expected some of {expected}")
    return values


def register(sub: Any) -> None:
    """Add the ``ets`` command and its ``study`` / ``search`` subcommands to the subparsers ``sub``."""
    ets = sub.add_parser("ets", help="KV-sharing tree search (ETS, REBASE, beam, DVTS): study and single searches")
    actions = ets.add_subparsers(dest="action", required=True, metavar="ACTION")

    study = actions.add_parser("study", help="ETS against REBASE, beam and DVTS on seeded synthetic trees")
    study.add_argument("--widths", type=_ints, default=[16, 64, 256], help="widths N (default 16,64,256)")
    study.add_argument("--trees", type=int, default=200, help="synthetic trees (problems) per width (default 200)")
    study.add_argument("--seed", type=int, default=0, help="study seed (default 0)")
    study.add_argument("--methods", type=_methods, default=list(METHODS), help="default rebase,ets,beam,dvts")
    study.add_argument("--lambda-c", type=_floats, default=[1.0], help="ETS KV weights, e.g. 1,2,4 (default 1)")
    study.add_argument("--canonical", type=float, help="generator knob: share of canonical on-track steps")
    study.add_argument("--solver", choices=("auto", "mip"), default="auto", help="ETS program solver")
    study.add_argument("--check", action="store_true", help="check every ETS selection with the independent checker")
    study.add_argument("--out", help="write PREFIX.txt, PREFIX.csv and PREFIX.json")
    study.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    study.set_defaults(func=cmd_study)

    search = actions.add_parser("search", help="one search on a synthetic tree or a recorded trace")
    search.add_argument("--method", choices=METHODS, default="ets", help="selection method (default ets)")
    search.add_argument("--width", type=int, default=64, help="width N (default 64)")
    search.add_argument("--seed", type=int, default=0, help="synthetic tree seed (default 0)")
    search.add_argument("--trace", help="replay a JSON-lines trace instead of a synthetic tree")
    search.add_argument("--tree", help="tree name inside the trace file (default: the first)")
    search.add_argument("--lambda-c", type=float, default=1.0, help="ETS's KV weight (default 1)")
    search.add_argument("--lambda-s", type=float, help="ETS's coverage weight (default: ETS's value for the width)")
    search.add_argument("--plot", help="draw the searched tree to this image file")
    search.add_argument("--record", help="write the searched tree as a JSON-lines trace")
    search.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    search.set_defaults(func=cmd_search)


def cmd_study(args: argparse.Namespace) -> int:
    """``schedkit ets study``: run the study, print the table, optionally write it."""
    from schedkit.solvers.methods.tree_search.study import format_table, run_study

    if args.trees < 1:
        raise InputError(f"--trees must be >= 1, got {args.trees}")
    if args.canonical is not None and not 0.0 <= args.canonical <= 1.0:
        raise InputError(f"--canonical must be in [0, 1], got {args.canonical}")
    result = run_study(
        widths=args.widths,
        trees=args.trees,
        seed=args.seed,
        methods=args.methods,
        canonical=args.canonical,
        lambda_cs=args.lambda_c,
        solver=args.solver,
        check=args.check,
        progress=None if args.json else print,
    )
    table = format_table(result)
    if args.out:
        write_study(result, table, args.out)
    if args.json:
        data = result.to_dict()
        data.pop("per_tree")
        print_json({"status": "ok", **data})
    else:
        print(table)
    return EXIT_OK


def write_study(result: Any, table: str, prefix: str) -> list[Path]:
    """Write the table (``.txt``), the rows (``.csv``) and everything (``.json``): ``prefix`` plus each suffix."""
    base = Path(prefix)
    base.parent.mkdir(parents=True, exist_ok=True)
    settings = json.dumps(result.settings, default=str)
    txt = base.parent / f"{base.name}.txt"
    txt.write_text(f"{table}\nsettings: {settings}\n", encoding="utf-8")
    rows = [asdict(row) for row in result.rows]
    out_csv = base.parent / f"{base.name}.csv"
    with out_csv.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out_json = base.parent / f"{base.name}.json"
    out_json.write_text(json.dumps(result.to_dict(), indent=1, default=str), encoding="utf-8")
    return [txt, out_csv, out_json]


def cmd_search(args: argparse.Namespace) -> int:
    """``schedkit ets search``: one search, its depths, its answers; plot and record on request."""
    from schedkit.solvers.methods.tree_search import TraceReplay, tree_search

    if args.width < 1:
        raise InputError(f"--width must be >= 1, got {args.width}")
    source: Any
    if args.trace:
        from schedkit.instances import FormatError, read_kvtrace

        try:
            traces = read_kvtrace(args.trace)
        except OSError as error:
            raise InputError(f"{args.trace}: cannot read: {error.strerror or error}") from None
        except FormatError as error:
            raise InputError(str(error)) from None
        chosen = [t for t in traces if args.tree is None or t.name == args.tree]
        if not chosen:
            names = ", ".join(t.name for t in traces[:10])
            raise InputError(f"{args.trace}: no tree named {args.tree!r} (trees: {names})")
        source, name, reference = TraceReplay(chosen[0]), chosen[0].name, chosen[0].reference
        embedder = source if all(n.embedding is not None for n in chosen[0].nodes[1:]) else None
    else:
        from schedkit.instances import synthetic_kvtree

        source = synthetic_kvtree(args.seed)
        name, reference, embedder = f"synthetic{args.seed}", source.reference, source
    try:
        result = tree_search(
            source.root(),
            source,
            source,
            method=args.method,
            width=args.width,
            embedder=embedder,
            lambda_c=args.lambda_c,
            lambda_s=args.lambda_s,
        )
    except ValueError as error:
        raise InputError(str(error)) from None
    if args.plot:
        from schedkit.plots.kvtree import search_tree

        search_tree(result, args.plot)
    if args.record:
        from schedkit.instances import write_kvtrace

        write_kvtrace(args.record, result.to_trace(name, reference))
    vote, best = result.weighted_vote(), result.best_of_n()
    summary = {
        "status": "ok",
        "tree": name,
        "method": result.method,
        "width": result.width,
        "answers": len(result.answers),
        "weighted_vote": {"answer": vote.answer, "correct": vote.correct},
        "best_of_n": {"answer": best.answer, "correct": best.correct},
        "total_kv": result.total_kv,
        "peak_kv": result.peak_kv,
        "depths": [asdict(record) for record in result.depths],
    }
    if args.json:
        print_json(summary)
        return EXIT_OK
    print(f"{name}: {result.method}, N = {result.width}, {len(result.answers)} answers")
    print(f"{'depth':>5} {'B':>4} {'cand':>5} {'exp':>4} {'kids':>5} {'KV':>7} {'KV sel':>7} {'sel ms':>7}")
    for r in result.depths:
        print(
            f"{r.depth:>5} {r.budget:>4} {r.candidates:>5} {r.expanded:>4} {r.children:>5} {r.kv_frontier:>7} "
            f"{r.kv_selection:>7} {1000 * r.selection_seconds:>7.2f}"
        )
    print(f"weighted vote {vote.answer!r} (correct: {vote.correct}); best-of-N {best.answer!r} ({best.correct})")
    print(f"KV total {result.total_kv} tokens, peak {result.peak_kv}")
    return EXIT_OK
