"""The "Priority Matters" study: generated scenarios, the emulated default scheduler, the optimizer, outcomes.

Per configuration (nodes, pods per node, priorities K, utilisation U) and seed:

1. generate the cluster (:func:`schedkit.instances.generators.podpack.kwok_cluster`);
2. run the emulated default scheduler (:func:`schedkit.heuristics.podpack.kube_default`,
   ReplicaSets in order, DefaultPreemption on); a scenario is **failing** when
   it leaves a pod pending (the paper's "default scheduler fails"); the rest
   are the paper's "No Calls" and are only counted;
3. build the problem with the default placement as the running one
   (``per_tier`` order, the paper's) and run the optimizer
   (:func:`schedkit.solvers.methods.podpack.optimize`) warm-started from it;
4. classify: **improved** (more pods placed at the highest priority where the
   counts differ), **certified** (not improved and every level proven: the
   default placement is lexicographically optimal, since it disrupts nothing
   and places as many pods per tier as the proven optimum), **unresolved**
   (neither; the first unproven level is reported with the default's value
   and the proven bound, e.g. "placed>=2: 10, at most 12"), **worse** (never
   expected: the optimizer keeps the running placement when it finds nothing
   better) or **error**.

:func:`summarize_rows` turns rows into per-cell and overall percentages of
failing scenarios, with the median solve time; :func:`compare_backends`
counts wins (a lexicographically better objective vector), ties and both
failed per configuration and time limit, with the mean time of each backend,
as the paper's ``solver_comparison_per_config.csv``.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from schedkit.heuristics.podpack import kube_default
from schedkit.instances.generators.podpack import config_name, kwok_cluster, seeded_random
from schedkit.models import ProblemData
from schedkit.models.podpack import compare_placed, podpack
from schedkit.solvers.methods.podpack import PodPlan, optimize
from schedkit.solvers.result import Status

OUTCOMES = ("improved", "certified", "unresolved", "worse", "error")
"""How a failing scenario ends (see the module docstring)."""

PAPER_HEADLINE = {"improved_1s": 44.0, "improved_10s": 73.0, "certified": 19.0}
"""The paper's abstract: over 44 % (1 s) / 73 % (10 s) of failing scenarios improved, over 19 % certified."""


def study_seeds(count: int, base: int = 0) -> list[int]:
    """``count`` 63-bit seeds drawn from ``base`` (the authors draw theirs with ``getrandbits(63) or 1``)."""
    return [seeded_random(base, "study", k).getrandbits(63) or 1 for k in range(count)]


@dataclass
class Scenario:
    """A generated scenario after the emulated default scheduler ran."""

    config: str
    seed: int
    num_nodes: int
    pods_per_node: int
    num_priorities: int
    util: float
    problem: ProblemData
    default_placed: dict[int, int]
    pending: list[str]

    @property
    def failing(self) -> bool:
        """Whether the default scheduler left a pod pending."""
        return bool(self.pending)


def scenario(
    seed: int,
    num_nodes: int,
    pods_per_node: int,
    num_priorities: int,
    util: float,
    *,
    preemption: bool = True,
    topology_spread: bool = False,
    disruption_order: str = "per_tier",
) -> Scenario:
    """Generate the cluster of ``seed``, run the emulated default on it, build the problem from its placement."""
    cluster = kwok_cluster(seed, num_nodes, pods_per_node, num_priorities, util)
    pods = cluster.pods
    default = kube_default(cluster.nodes, pods, preemption=preemption, topology_spread=topology_spread)
    running = default.running_pods(pods)
    problem = podpack(cluster.nodes, running, name=f"{cluster.config}_seed{seed}", disruption_order=disruption_order)
    problem.meta["generator"] = {"name": "kwok_cluster", **cluster.params, "default": "kube_default"}
    return Scenario(
        cluster.config,
        seed,
        num_nodes,
        pods_per_node,
        num_priorities,
        float(util),
        problem,
        default.placed_by_priority(pods),
        default.pending,
    )


@dataclass
class StudyRow:
    """One scenario's outcome (one CSV row).

    Placed counts read ``p<priority>:<pods>``; ``objectives`` is the plan's
    vector (every level, as the checker computes it); ``level_bounds`` lists
    each level as ``name:value/bound`` with ``?`` after an unproven one (the
    proven gap per level); ``open_*`` repeat the first unproven level with the
    default placement's value on it and the proven bound.
    """

    config: str
    nodes: int
    pods_per_node: int
    priorities: int
    util: float
    seed: int
    failing: bool
    backend: str = ""
    time_limit: float | None = None
    budget: str = ""
    outcome: str = ""
    status: str = ""
    default_placed: str = ""
    optimizer_placed: str = ""
    moved: int | None = None
    evicted: int | None = None
    wall_time: float | None = None
    open_level: str = ""
    open_default: int | None = None
    open_bound: float | None = None
    objectives: str = ""
    level_bounds: str = ""
    message: str = ""
    levels: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The row without the per-level detail (for CSV)."""
        out = asdict(self)
        out.pop("levels")
        return out


def _placed_text(placed: dict[int, int]) -> str:
    return " ".join(f"p{p}:{n}" for p, n in sorted(placed.items(), reverse=True))


def classify(plan: PodPlan, default_placed: dict[int, int]) -> str:
    """``improved``, ``certified``, ``unresolved``, ``worse`` or ``error`` (see the module docstring)."""
    if plan.status == Status.ERROR or plan.summary is None:
        return "error"
    comparison = compare_placed(plan.summary.placed_by_priority, default_placed)
    if comparison > 0:
        return "improved"
    if comparison < 0:
        return "worse"
    return "certified" if plan.status == Status.OPTIMAL else "unresolved"


def run_scenario(
    case: Scenario,
    *,
    backend: str = "cpsat",
    time_limit: float = 1.0,
    budget: str = "paper",
    threads: int | None = None,
    seed: int = 0,
    params: dict[str, Any] | None = None,
) -> StudyRow:
    """Optimise one failing scenario and classify the outcome (a non-failing one is returned unsolved)."""
    row = StudyRow(
        case.config,
        case.num_nodes,
        case.pods_per_node,
        case.num_priorities,
        case.util,
        case.seed,
        case.failing,
        default_placed=_placed_text(case.default_placed),
    )
    if not case.failing:
        return row
    plan = optimize(
        case.problem, backend=backend, time_limit=time_limit, budget=budget, threads=threads, seed=seed, params=params
    )
    row.backend, row.time_limit, row.budget = backend, time_limit, budget
    row.outcome = classify(plan, case.default_placed)
    row.status = plan.status.value
    row.wall_time = round(plan.wall_time, 4)
    row.message = plan.message
    if plan.summary is not None:
        row.optimizer_placed = _placed_text(plan.summary.placed_by_priority)
        row.moved, row.evicted = plan.summary.moved, plan.summary.evicted
    if plan.objectives is not None:
        row.objectives = " ".join(str(v) for v in plan.objectives)
    row.levels = [
        {"name": lv.name, "status": lv.status.value, "value": lv.objective, "bound": lv.bound} for lv in plan.levels
    ]
    row.level_bounds = " ".join(_level_text(lv) for lv in plan.levels)
    if row.outcome == "unresolved":
        row.open_level, row.open_default, row.open_bound = _first_open_level(case.problem, plan)
    return row


def _level_text(level: Any) -> str:
    """``name:value/bound``, ``?`` appended when the level is not proven optimal."""
    bound = "-" if level.bound is None else f"{level.bound:g}"
    return f"{level.name}:{level.objective}/{bound}{'' if level.status == Status.OPTIMAL else '?'}"


def _first_open_level(problem: ProblemData, plan: PodPlan) -> tuple[str, int | None, float | None]:
    """The first level not proven optimal: its name, the default placement's value on it and its proven bound.

    The levels before it are proven and (the outcome being "not improved")
    equal to the default's, so the bound is a bound on the default's level.
    """
    from schedkit.models.podpack import running_solution
    from schedkit.solvers.checker import evaluate

    default_values = evaluate(problem, running_solution(problem))
    for index, level in enumerate(problem.objective.levels):
        outcome = plan.levels[index] if index < len(plan.levels) else None
        if outcome is None or outcome.status != Status.OPTIMAL:
            bound = None if outcome is None else outcome.bound
            value = default_values[index]
            if bound is not None and (bound < value if level.sense.value == "max" else bound > value):
                bound = None  # not a bound on this value (a level outcome about another schedule): not reported
            return level.name, value, bound
    return "", None, None


def summarize_rows(
    rows: Iterable[StudyRow], by: Sequence[str] = ("nodes", "pods_per_node", "priorities", "util")
) -> list[dict[str, Any]]:
    """Per group of ``by`` (and time limit and backend) and overall: counts and percentages of failing scenarios.

    Each entry: the group's keys, ``seeds``, ``failing``, ``improved`` /
    ``certified`` / ``unresolved`` / ``worse`` / ``error`` (percent of
    failing), ``median_time`` (s, over failing), ``unresolved_gap`` (mean of
    bound minus default value on the first open level, pods or disruption units).
    """
    groups: dict[tuple[Any, ...], list[StudyRow]] = {}
    for row in rows:
        key = tuple(getattr(row, k) for k in by)
        groups.setdefault(key, []).append(row)
    out = []
    everything: list[StudyRow] = []
    for key, members in sorted(groups.items()):
        everything.extend(members)
        out.extend(_summaries(dict(zip(by, key)), members))
    if len(groups) > 1:
        out.extend(_summaries(dict.fromkeys(by, "all"), everything))
    return out


def _summaries(keys: dict[str, Any], rows: list[StudyRow]) -> list[dict[str, Any]]:
    """One summary per (time limit, backend) among ``rows``."""
    seeds = {(r.config, r.seed) for r in rows}
    failing_seeds = {(r.config, r.seed) for r in rows if r.failing}
    solved = [r for r in rows if r.failing and r.backend]
    runs = sorted({(r.time_limit, r.backend, r.budget) for r in solved}, key=str)
    out = []
    for time_limit, backend, budget in runs or [(None, "", "")]:
        group = [r for r in solved if (r.time_limit, r.backend, r.budget) == (time_limit, backend, budget)]
        n = len(group)
        entry: dict[str, Any] = {
            **keys,
            "time_limit": time_limit,
            "backend": backend,
            "budget": budget,
            "seeds": len(seeds),
            "failing": len(failing_seeds),
            "solved": n,
        }
        for outcome in OUTCOMES:
            count = sum(1 for r in group if r.outcome == outcome)
            entry[outcome] = None if n == 0 else round(100 * count / n, 1)
        times = [r.wall_time for r in group if r.wall_time is not None]
        entry["median_time"] = round(statistics.median(times), 3) if times else None
        gaps = [
            r.open_bound - r.open_default
            for r in group
            if r.outcome == "unresolved" and r.open_bound is not None and r.open_default is not None
        ]
        entry["unresolved_gap"] = round(abs(statistics.mean(gaps)), 2) if gaps else None
        out.append(entry)
    return out


def _vector_key(row: StudyRow, senses: Sequence[str] | None) -> tuple[int, ...] | None:
    if row.outcome == "error" or not row.objectives:
        return None
    values = [int(v) for v in row.objectives.split()]
    if senses is None:  # per_tier pod packing: placed (max) and disruption (min) alternate
        senses = ["max" if k % 2 == 0 else "min" for k in range(len(values))]
    return tuple(-v if s == "max" else v for v, s in zip(values, senses))


def compare_backends(rows: Iterable[StudyRow], first: str = "cpsat", second: str = "mip") -> list[dict[str, Any]]:
    """Wins, ties, both failed and mean times of two backends, per configuration and time limit.

    A backend wins a scenario when its objective vector (placed and
    disruption per tier, as the checker recomputes them) is lexicographically
    better; equal vectors are ties (``ties_proven_*`` count the ties each
    backend proved optimal); "both failed" when neither returned a placement.
    """
    cases: dict[tuple[str, float | None], dict[int, dict[str, StudyRow]]] = {}
    for row in rows:
        if row.failing and row.backend in (first, second):
            cases.setdefault((row.config, row.time_limit), {}).setdefault(row.seed, {})[row.backend] = row
    out = []
    for (config, time_limit), by_seed in sorted(cases.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        wins = {first: 0, second: 0}
        ties = both_failed = 0
        proven = {first: 0, second: 0}
        times: dict[str, list[float]] = {first: [], second: []}
        for pair in by_seed.values():
            if first not in pair or second not in pair:
                continue
            a, b = _vector_key(pair[first], None), _vector_key(pair[second], None)
            for name in (first, second):
                wall_time = pair[name].wall_time
                if wall_time is not None:
                    times[name].append(wall_time)
            if a is None and b is None:
                both_failed += 1
            elif b is None or (a is not None and a < b):
                wins[first] += 1
            elif a is None or b < a:
                wins[second] += 1
            else:
                ties += 1
                for name in (first, second):
                    proven[name] += pair[name].status == "optimal"
        row = by_seed[next(iter(by_seed))][next(iter(by_seed[next(iter(by_seed))]))]
        out.append(
            {
                "config": config,
                "nodes": row.nodes,
                "pods": row.nodes * row.pods_per_node,
                "priorities": row.priorities,
                "util": round(100 * row.util),
                "timeout_s": time_limit,
                "scenarios": sum(1 for pair in by_seed.values() if first in pair and second in pair),
                f"{first}_wins": wins[first],
                f"{second}_wins": wins[second],
                "ties": ties,
                f"ties_proven_{first}": proven[first],
                f"ties_proven_{second}": proven[second],
                "both_failed": both_failed,
                f"mean_{first}_s": round(statistics.mean(times[first]), 3) if times[first] else None,
                f"mean_{second}_s": round(statistics.mean(times[second]), 3) if times[second] else None,
            }
        )
    return out


def cells(
    nodes: Sequence[int], pods_per_node: Sequence[int], priorities: Sequence[int], util: Sequence[float]
) -> list[tuple[int, int, int, float]]:
    """The grid cells, nodes varying slowest."""
    return [(n, ppn, k, u) for n in nodes for ppn in pods_per_node for k in priorities for u in util]


def config_of(cell: tuple[int, int, int, float]) -> str:
    """The authors' label of a cell."""
    n, ppn, k, u = cell
    return config_name(n, n * ppn, k, u)


CSV_FIELDS = [f for f in StudyRow.__dataclass_fields__ if f != "levels"]
"""Columns of the study's CSV (a row per scenario, backend and time limit; non-failing scenarios once)."""


def _row_key(row: dict[str, Any]) -> tuple[str, str, str, str, str]:
    limit = row.get("time_limit")
    limit_text = "" if limit in (None, "") else f"{float(limit):g}"
    return str(row["config"]), str(row["seed"]), str(row.get("backend") or ""), limit_text, str(row.get("budget") or "")


def read_rows(path: str) -> list[StudyRow]:
    """The rows of a study CSV written by :func:`run_study`."""
    import csv

    out = []
    with open(path, newline="") as handle:
        for raw in csv.DictReader(handle):
            out.append(
                StudyRow(
                    config=raw["config"],
                    nodes=int(raw["nodes"]),
                    pods_per_node=int(raw["pods_per_node"]),
                    priorities=int(raw["priorities"]),
                    util=float(raw["util"]),
                    seed=int(raw["seed"]),
                    failing=raw["failing"] == "True",
                    backend=raw["backend"],
                    time_limit=float(raw["time_limit"]) if raw["time_limit"] else None,
                    budget=raw["budget"],
                    outcome=raw["outcome"],
                    status=raw["status"],
                    default_placed=raw["default_placed"],
                    optimizer_placed=raw["optimizer_placed"],
                    moved=int(raw["moved"]) if raw["moved"] else None,
                    evicted=int(raw["evicted"]) if raw["evicted"] else None,
                    wall_time=float(raw["wall_time"]) if raw["wall_time"] else None,
                    open_level=raw["open_level"],
                    open_default=int(raw["open_default"]) if raw["open_default"] else None,
                    open_bound=float(raw["open_bound"]) if raw["open_bound"] else None,
                    objectives=raw["objectives"],
                    level_bounds=raw.get("level_bounds", ""),
                    message=raw["message"],
                )
            )
    return out


def run_study(
    grid_cells: Sequence[tuple[int, int, int, float]],
    seeds: Sequence[int],
    *,
    time_limits: Sequence[float] = (1.0,),
    backends: Sequence[str] = ("cpsat",),
    budget: str = "paper",
    threads: int | None = None,
    out: str | None = None,
    progress: Any = None,
) -> list[StudyRow]:
    """Run the study on every cell and seed, each failing scenario with every backend and time limit.

    With ``out`` (a CSV path) each row is appended as soon as it is done and
    rows already in the file are not run again (an interrupted study resumes).
    ``progress(row)`` is called after each row.
    """
    import csv
    import os

    done: dict[tuple[str, str, str, str, str], StudyRow] = {}
    if out is not None and os.path.exists(out) and os.path.getsize(out) > 0:
        for row in read_rows(out):
            done[_row_key(row.to_dict())] = row
    handle = None
    writer = None
    if out is not None:
        fresh = not os.path.exists(out) or os.path.getsize(out) == 0
        handle = open(out, "a", newline="")
        writer = csv.DictWriter(handle, fieldnames=CSV_FIELDS)
        if fresh:
            writer.writeheader()
    rows: list[StudyRow] = []
    try:
        for cell in grid_cells:
            config = config_of(cell)
            for seed in seeds:
                base_key = (config, str(seed), "", "", "")
                if base_key in done and not done[base_key].failing:
                    rows.append(done[base_key])
                    continue
                wanted = [
                    (backend, limit)
                    for limit in time_limits
                    for backend in backends
                    if (config, str(seed), backend, f"{float(limit):g}", budget) not in done
                ]
                known = [
                    done[(config, str(seed), backend, f"{float(limit):g}", budget)]
                    for limit in time_limits
                    for backend in backends
                    if (config, str(seed), backend, f"{float(limit):g}", budget) in done
                ]
                rows.extend(known)
                if not wanted:
                    continue
                case = scenario(seed, *cell)
                fresh_rows = (
                    [run_scenario(case)]
                    if not case.failing
                    else [
                        run_scenario(case, backend=backend, time_limit=limit, budget=budget, threads=threads)
                        for backend, limit in wanted
                    ]
                )
                for row in fresh_rows:
                    rows.append(row)
                    if writer is not None and handle is not None:
                        writer.writerow(row.to_dict())
                        handle.flush()
                    if progress is not None:
                        progress(row)
    finally:
        if handle is not None:
            handle.close()
    return rows


def format_table(table: list[dict[str, Any]], by: Sequence[str]) -> str:
    """The study table as text: percentages of failing scenarios, median seconds, mean open gap."""
    head = [*by, "limit", "backend", "seeds", "failing", "improved%", "certified%", "unresolved%", "median s", "gap"]
    lines = ["  ".join(f"{h:>11}" for h in head)]
    for entry in table:
        cells_ = [*(entry[k] for k in by), entry["time_limit"], entry["backend"], entry["seeds"], entry["failing"]]
        cells_ += [
            entry["improved"],
            entry["certified"],
            entry["unresolved"],
            entry["median_time"],
            entry["unresolved_gap"],
        ]
        lines.append("  ".join(f"{'-' if c is None else c!s:>11}" for c in cells_))
    return "\n".join(lines)


def format_comparison(comparison: list[dict[str, Any]]) -> str:
    """The CP-SAT vs MIP table as text."""
    keys = [
        "config",
        "timeout_s",
        "scenarios",
        "cpsat_wins",
        "mip_wins",
        "ties",
        "both_failed",
        "mean_cpsat_s",
        "mean_mip_s",
    ]
    lines = ["  ".join(f"{k:>12}" for k in keys)]
    for entry in comparison:
        lines.append("  ".join(f"{'-' if entry.get(k) is None else entry.get(k)!s:>12}" for k in keys))
    return "\n".join(lines)
