"""Quality and speed of the dispatch rules (Taillard ta01-ta40) and the SGS variants (PSPLIB j60).

Usage: python results/scripts/dispatch_quality.py [--taillard 40] [--j60 100]

Job shop: every priority rule of ``schedkit.heuristics.shop`` with Giffler-Thompson
(active) and non-delay schedules on ta01..ta40 (read from the shared
benchmark folder); deviation ``(C_max - UB) / UB`` from the best known
makespan UB of ``jobshop/bounds.csv`` (``upper_bound``), averaged over the
instances, and the mean time of one dispatch (reading excluded).

RCPSP: the serial and parallel SGS with every priority rule, without and with
forward-backward improvement, on the first 100 j60 instances in the order of
``rcpsp/j60_bounds.csv`` (j601_1 .. j6010_10); deviation from the best known
makespan (``upper_bound``) and, as usual in the RCPSP literature, from the
critical-path lower bound; mean time per instance. ``random`` uses seed 0.

Every schedule is verified by the checker.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from schedkit.heuristics.rcpsp import PRIORITIES, SCHEMES, sgs
from schedkit.heuristics.shop import PRIORITY_RULES, SCHEDULES, dispatch
from schedkit.instances import benchmarks_dir, read
from schedkit.models import ProblemData, Solution
from schedkit.solvers import check, evaluate


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path) as handle:
        return list(csv.DictReader(handle))


def _critical_path(problem: ProblemData) -> int:
    """Length of the longest path (shortest modes, releases, lags): a lower bound on the makespan."""
    es = [task.release for task in problem.tasks]
    succs: list[list[tuple[int, int]]] = [[] for _ in problem.tasks]
    indegree = [0] * problem.num_tasks
    for prec in problem.precedences:
        succs[prec.a].append((prec.b, prec.lag))
        indegree[prec.b] += 1
    order = [i for i in range(problem.num_tasks) if indegree[i] == 0]
    for i in order:
        for j, lag in succs[i]:
            es[j] = max(es[j], es[i] + problem.tasks[i].min_duration + lag)
            indegree[j] -= 1
            if indegree[j] == 0:
                order.append(j)
    return max(es[i] + problem.tasks[i].min_duration for i in range(problem.num_tasks))


def _run(
    problems: list[tuple[ProblemData, int, int]], heuristic: Callable[[ProblemData], Solution]
) -> tuple[float, float, float]:
    """Mean % deviation from the best known, mean % deviation from the lower bound, mean seconds."""
    heuristic(problems[0][0])  # warm up (imports, caches) outside the timing
    dev_ub, dev_lb, seconds = [], [], []
    for problem, best_known, lower in problems:
        begin = time.perf_counter()
        solution = heuristic(problem)
        seconds.append(time.perf_counter() - begin)
        violations = check(problem, solution)
        assert not violations, (problem.name, violations[:3])
        value = evaluate(problem, solution)[0]
        dev_ub.append(100.0 * (value - best_known) / best_known)
        dev_lb.append(100.0 * (value - lower) / lower)
    return statistics.fmean(dev_ub), statistics.fmean(dev_lb), statistics.fmean(seconds)


def main() -> None:
    """Print both tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taillard", type=int, default=40, help="ta01..taNN (at most 40)")
    parser.add_argument("--j60", type=int, default=100, help="the first N j60 instances")
    args = parser.parse_args()
    root = benchmarks_dir()
    if root is None:
        sys.exit("shared benchmark folder not found (set SCHEDKIT_BENCHMARKS)")

    bounds = {row["instance"]: row for row in _rows(root / "jobshop" / "bounds.csv")}
    shops = []
    for k in range(1, args.taillard + 1):
        row = bounds[f"ta{k:02d}"]
        problem = read(root / "jobshop" / "instances" / row["instance"])
        shops.append((problem, int(row["upper_bound"]), int(row["lower_bound"])))
    print(f"Job shop: Taillard ta01-ta{args.taillard:02d}, deviation from the best known makespan")
    print(f"{'rule':10} {'schedule':10} {'mean dev.':>10} {'mean time':>10}")
    for rule in PRIORITY_RULES:
        for schedule in SCHEDULES:
            dev, _, seconds = _run(shops, lambda p, r=rule, s=schedule: dispatch(p, r, s))
            print(f"{rule:10} {schedule:10} {dev:9.2f}% {seconds * 1000:8.1f} ms")

    rows = _rows(root / "rcpsp" / "j60_bounds.csv")[: args.j60]
    projects = []
    for row in rows:
        problem = read(root / "rcpsp" / "j60" / f"{row['instance']}.sm")
        projects.append((problem, int(row["upper_bound"]), _critical_path(problem)))
    print()
    print(f"RCPSP: first {len(projects)} j60 instances, deviation from the best known (UB) and critical path (CP)")
    print(f"{'scheme':9} {'priority':8} {'FBI':4} {'dev. UB':>8} {'dev. CP':>8} {'mean time':>10}")
    for scheme in SCHEMES:
        for priority in PRIORITIES:
            for improve in (False, True):
                dev_ub, dev_cp, seconds = _run(
                    projects, lambda p, s=scheme, q=priority, i=improve: sgs(p, s, q, seed=0, improve=i)
                )
                flag = "yes" if improve else "no"
                print(f"{scheme:9} {priority:8} {flag:4} {dev_ub:7.2f}% {dev_cp:7.2f}% {seconds * 1000:8.2f} ms")


if __name__ == "__main__":
    main()
