"""``schedkit pods``: Kubernetes pod packing ("Priority Matters") end to end.

Subcommands:

* ``generate``: a seeded cluster of the paper's generator, placed by the
  emulated default scheduler, written as a shared-benchmark scenario or as
  the plugin's solver JSON;
* ``default``: run the emulated default kube-scheduler on a file's pending pods;
* ``plan``: the optimizer's plan (binds, moves, evictions) for a file, as
  JSON or as the plugin's answer, optionally drawn;
* ``study``: the paper's study over a grid of generated scenarios.

Files: the plugin's solver JSON, a shared scenarios file (a JSON list;
``--index`` picks one, default 0) or schedkit IR JSON of a pod-packing problem.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from schedkit.cli.common import EXIT_FAILED, EXIT_OK, InputError, print_json


def _floats(text: str) -> list[float]:
    try:
        return [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}") from None


def _ints(text: str) -> list[int]:
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None


def register(sub: Any) -> None:
    """Add ``pods`` and its subcommands to the subparsers ``sub``."""
    pods = sub.add_parser("pods", help="Kubernetes pod packing: generate, default scheduler, plan, study")
    commands = pods.add_subparsers(dest="pods_command", required=True, metavar="SUBCOMMAND")

    generate = commands.add_parser("generate", help="a seeded scenario of the paper's generator")
    generate.add_argument("--nodes", type=int, default=4, help="number of nodes (default 4)")
    generate.add_argument("--pods-per-node", type=int, default=4, help="average pods per node (default 4)")
    generate.add_argument("--priorities", type=int, default=4, help="number of priorities K (default 4)")
    generate.add_argument("--util", type=float, default=0.95, help="target utilisation (default 0.95)")
    generate.add_argument("--seed", type=int, default=1, help="seed (default 1)")
    generate.add_argument(
        "--to", choices=["scenario", "plugin"], default="scenario", help="output format (default: scenario)"
    )
    generate.add_argument("--pending", action="store_true", help="leave every pod pending (no default scheduler)")
    generate.add_argument("--out", help="write the JSON here (default: print it)")
    generate.set_defaults(func=cmd_generate)

    default = commands.add_parser("default", help="emulate the default kube-scheduler on a file's pending pods")
    _add_file(default)
    default.add_argument("--no-preemption", action="store_true", help="turn DefaultPreemption off")
    default.add_argument("--topology-spread", action="store_true", help="add PodTopologySpread scoring (weight 2)")
    default.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    default.set_defaults(func=cmd_default)

    plan = commands.add_parser("plan", help="the optimizer's plan for a cluster file")
    _add_file(plan)
    plan.add_argument(
        "--mode",
        choices=["plugin", "free"],
        default="plugin",
        help="plugin: the plugin's rule for plugin files (a preemptor or one pending pod must be placed); free: none",
    )
    plan.add_argument("--backend", choices=["cpsat", "mip"], default="cpsat", help="backend (default cpsat)")
    plan.add_argument("--time-limit", type=float, help="timeout in seconds (default: the file's timeout_ms, else 1)")
    plan.add_argument(
        "--budget",
        choices=["paper", "plugin", "default"],
        help="time split: paper (g 0.6, m 0.5), plugin (0.4, 0.3), default (the project's); "
        "default for plugin files: the file's fractions",
    )
    plan.add_argument("--threads", type=int, help="solver threads")
    plan.add_argument(
        "--certify-running",
        action="store_true",
        help="also certify the running placement level by level (was it already optimal?) within --time-limit",
    )
    plan.add_argument("--plugin-output", action="store_true", help="print the plugin's answer JSON instead")
    plan.add_argument("--out", help="write the plan JSON here")
    plan.add_argument("--plot", help="draw the plan to this image file (.png, .svg, .pdf)")
    plan.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    plan.set_defaults(func=cmd_plan)

    study = commands.add_parser("study", help="the paper's study on generated scenarios")
    study.add_argument("--nodes", type=_ints, default=[4, 8], help="comma-separated node counts (default 4,8)")
    study.add_argument("--pods-per-node", type=_ints, default=[4, 8], help="pods per node (default 4,8)")
    study.add_argument("--priorities", type=_ints, default=[1, 2, 4], help="priority counts (default 1,2,4)")
    study.add_argument("--util", type=_floats, default=[0.9, 0.95, 1.0, 1.05], help="utilisations")
    study.add_argument("--seeds", type=int, default=100, help="seeds per cell (default 100)")
    study.add_argument("--seed-base", type=int, default=0, help="the seeds are drawn from this base (default 0)")
    study.add_argument("--time-limit", type=_floats, default=[1.0], help="timeouts in seconds, comma-separated")
    study.add_argument("--backend", default="cpsat", help="cpsat, mip or cpsat,mip (both, compared)")
    study.add_argument("--budget", choices=["paper", "plugin", "default"], default="paper", help="time split")
    study.add_argument("--threads", type=int, help="solver threads (default: the backend's)")
    study.add_argument("--by", default="nodes,pods_per_node", help="table grouping (default nodes,pods_per_node)")
    study.add_argument("--out", help="CSV of every scenario (appended; rows already there are not re-run)")
    study.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    study.set_defaults(func=cmd_study)


def _add_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="plugin JSON, shared scenarios JSON or IR JSON")
    parser.add_argument("--index", type=int, help="scenario number in a scenarios file (default 0)")


def load_cluster_problem(path: str, index: int | None, mode: str = "plugin") -> tuple[Any, dict[str, Any] | None]:
    """The pod-packing problem in ``path`` and, for a plugin file, its payload."""
    from schedkit.instances.readers.podpack_plugin import looks_like
    from schedkit.models import ModelError, problem_from_dict
    from schedkit.models.podpack import from_scenario
    from schedkit.models.podpack.plugin_json import problem_from_payload

    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: line {error.lineno}: invalid JSON: {error.msg}") from None
    try:
        if isinstance(data, list):
            k = 0 if index is None else index
            if not 0 <= k < len(data):
                raise InputError(f"{path}: --index {k} is out of range: the file holds {len(data)} scenarios")
            return from_scenario(data[k]), None
        if index is not None:
            raise InputError(f"{path}: --index applies to a scenarios file (a JSON list)")
        if looks_like(text):
            return problem_from_payload(data, mode=mode, name=path.rsplit("/", 1)[-1].removesuffix(".json")), data
        problem = problem_from_dict(data, source=path)
    except ModelError as error:
        raise InputError(f"{path}: {error}") from None
    if problem.family != "podpack":
        raise InputError(f"{path}: not a pod-packing problem (family {problem.family!r})")
    return problem, None


def cmd_generate(args: argparse.Namespace) -> int:
    """``schedkit pods generate``."""
    from schedkit.heuristics.podpack import kube_default
    from schedkit.instances.generators.podpack import kwok_cluster
    from schedkit.models.podpack import request_payload, to_scenario

    try:
        cluster = kwok_cluster(args.seed, args.nodes, args.pods_per_node, args.priorities, args.util)
    except ValueError as error:
        raise InputError(str(error)) from None
    pods = cluster.pods
    if not args.pending:
        pods = kube_default(cluster.nodes, pods).running_pods(pods)
    if args.to == "plugin":
        data: Any = request_payload(cluster.nodes, pods, timeout_ms=1000)
    else:
        params = cluster.params
        data = [
            to_scenario(
                cluster.nodes,
                pods,
                seed=args.seed,
                config=cluster.config,
                num_nodes=params["num_nodes"],
                num_pods=params["num_pods"],
                num_priorities=params["num_priorities"],
                util=params["util"],
            )
        ]
    text = json.dumps(data, indent=1)
    if args.out:
        with open(args.out, "w") as handle:
            handle.write(text + "\n")
        print(f"wrote {args.out}")
    else:
        print(text)
    return EXIT_OK


def cmd_default(args: argparse.Namespace) -> int:
    """``schedkit pods default``."""
    from schedkit.heuristics.podpack import kube_default_solution
    from schedkit.models.podpack import summarize

    problem, _ = load_cluster_problem(args.path, args.index, mode="free")
    solution, outcome = kube_default_solution(
        problem, preemption=not args.no_preemption, topology_spread=args.topology_spread
    )
    summary = summarize(problem, solution)
    data = {
        "problem": problem.name,
        "placed_by_priority": {str(p): n for p, n in summary.placed_by_priority.items()},
        "total_by_priority": {str(p): n for p, n in summary.total_by_priority.items()},
        "pending": outcome.pending,
        "preempted": outcome.preempted,
        "failing": outcome.failing,
        "placement": outcome.placement,
    }
    if args.json:
        print_json(data)
    else:
        print(f"problem      {problem.name}")
        print(f"placed       {_counts(summary.placed_by_priority)} of {_counts(summary.total_by_priority)}")
        print(f"pending      {len(outcome.pending)}: {', '.join(outcome.pending) or '-'}")
        print(f"preempted    {', '.join(outcome.preempted) or '-'}")
    return EXIT_OK


def _counts(by_priority: dict[int, int]) -> str:
    return " ".join(f"p{p}:{n}" for p, n in by_priority.items())


def cmd_plan(args: argparse.Namespace) -> int:
    """``schedkit pods plan``."""
    from schedkit.models import ModelError
    from schedkit.solvers.methods.podpack import answer_request, optimize

    if args.plugin_output:
        problem, payload = load_cluster_problem(args.path, args.index, mode="free")
        if payload is None:
            raise InputError("--plugin-output needs a plugin JSON file")
        try:
            reply = answer_request(
                payload,
                mode=args.mode,
                backend=args.backend,
                budget=args.budget,
                time_limit=args.time_limit,
                threads=args.threads,
            )
        except ModelError as error:
            raise InputError(f"{args.path}: {error}") from None
        print(json.dumps(reply))
        return EXIT_OK
    problem, payload = load_cluster_problem(args.path, args.index, mode=args.mode)
    time_limit = args.time_limit
    guaranteed = move_fraction = None
    budget = args.budget
    if payload is not None:
        request = payload.get("solver_input", payload)
        options = payload.get("solver_options") or {}
        if time_limit is None and request.get("timeout_ms") is not None:
            time_limit = float(request["timeout_ms"]) / 1000
        if budget is None:
            budget = "paper"
            guaranteed = options.get("guaranteed_tier_fraction")
            move_fraction = options.get("move_fraction_of_tier")
    try:
        answer = optimize(
            problem,
            backend=args.backend,
            time_limit=1.0 if time_limit is None else time_limit,
            budget=budget or "paper",
            guaranteed=None if guaranteed is None else float(guaranteed),
            move_fraction=None if move_fraction is None else float(move_fraction),
            threads=args.threads,
        )
    except ValueError as error:
        raise InputError(str(error)) from None
    certificate = None
    if args.certify_running:
        from schedkit.models.podpack import running_solution
        from schedkit.solvers import certify

        certificate = certify(problem, running_solution(problem), time_limit=answer.budget["time_limit"] or 10.0)
    if args.out:
        with open(args.out, "w") as handle:
            json.dump(answer.plan.to_dict(), handle, indent=1)
    if args.plot:
        from schedkit.plots.podpack import pods_figure

        pods_figure(problem, plan=answer.plan, path=args.plot, title=f"{problem.name}: {answer.plan}")
    if args.json:
        extra = {} if certificate is None else {"running_certificate": certificate.to_dict()}
        print_json({"problem": problem.name, **answer.to_dict(), **extra})
    else:
        before, after = answer.running_summary, answer.summary
        print(f"problem      {problem.name} ({problem.num_tasks} pods, {len(problem.meta['nodes'])} nodes)")
        print(f"status       {answer.status.value}" + ("  (improved)" if answer.improved else ""))
        if before is not None:
            print(f"running      {_counts(before.placed_by_priority)}")
        if after is not None:
            print(f"plan         {_counts(after.placed_by_priority)}  ({after.moved} moved, {after.evicted} evicted)")
        for bind in answer.plan.binds:
            print(f"  bind       {bind.pod} -> {bind.node}")
        for move in answer.plan.moves:
            print(f"  move       {move.pod}: {move.source} -> {move.target}")
        for eviction in answer.plan.evictions:
            print(f"  evict      {eviction.pod} from {eviction.node}")
        print(f"wall time    {answer.wall_time:.3f} s")
        if certificate is not None:
            verdict = "optimal" if certificate.optimal else "not proven optimal"
            print(f"running      {verdict} under the {problem.meta['disruption_order']} order:")
            for level in certificate.levels:
                bound = "-" if level.bound is None else f"{level.bound:g}"
                print(
                    f"  {level.name:<16} value {level.value:<6} bound {bound:<8} {'proven' if level.proven else 'open'}"
                )
        if args.out:
            print(f"plan         written to {args.out}")
        if answer.message:
            print(f"message      {answer.message}")
    return EXIT_FAILED if answer.status.value == "error" else EXIT_OK


def cmd_study(args: argparse.Namespace) -> int:
    """``schedkit pods study``."""
    import sys

    from schedkit.solvers.methods.podpack_study import (
        cells,
        compare_backends,
        format_comparison,
        format_table,
        run_study,
        study_seeds,
        summarize_rows,
    )

    backends = [b.strip() for b in args.backend.split(",") if b.strip()]
    unknown = [b for b in backends if b not in ("cpsat", "mip")]
    if unknown or not backends:
        raise InputError(f"--backend: expected cpsat, mip or cpsat,mip, got {args.backend!r}")
    by = tuple(k.strip() for k in args.by.split(",") if k.strip())
    allowed = {"nodes", "pods_per_node", "priorities", "util"}
    if not set(by) <= allowed:
        raise InputError(f"--by: choose among {', '.join(sorted(allowed))}")
    grid = cells(args.nodes, args.pods_per_node, args.priorities, args.util)
    seeds = study_seeds(args.seeds, args.seed_base)

    def progress(row: Any) -> None:
        if not args.json:
            what = row.outcome or "not failing"
            print(f"  {row.config} seed {row.seed}: {what} {row.backend} {row.time_limit or ''}", file=sys.stderr)

    try:
        rows = run_study(
            grid,
            seeds,
            time_limits=args.time_limit,
            backends=backends,
            budget=args.budget,
            threads=args.threads,
            out=args.out,
            progress=progress,
        )
    except ValueError as error:
        raise InputError(str(error)) from None
    table = summarize_rows(rows, by=by)
    comparison = compare_backends(rows) if len(backends) == 2 else []
    if args.json:
        print_json({"table": table, "comparison": comparison, "rows": len(rows), "out": args.out})
        return EXIT_OK
    print(format_table(table, by))
    if comparison:
        print()
        print(format_comparison(comparison))
    return EXIT_OK
