"""How far ``schedkit.solvers.exact_tardiness`` proves optima: unweighted n = 20..500 and OR-Library wt40.

Usage: python results/scripts/exact_tardiness_scaling.py [--sizes 20 100 200 500] [--per-class 5]
       [--time-limit 60] [--no-wt40] [--csv FILE]

Unweighted (``1 || sum T_j``): the standard generator (Potts & Van Wassenhove;
``schedkit.instances.generators.tardiness.tardiness_classes(n, per_class, seed=0,
weighted=False)``: p ~ U{1..100}, 25 (TF, RDD) classes), each instance
solved by ``solve_exact_tardiness(problem, time_limit)`` in this process, one
after the other. Per n it prints how many were proven within the limit, the
median and largest time over the proven ones, and the classes with an
unproven instance. Weighted: the 125 OR-Library wt40 instances against
``smtt/wtopt40.txt`` (needs the shared benchmark data, ``../shared/benchmarks``
or ``$SCHEDKIT_BENCHMARKS``; skipped when absent). Every schedule returned is
checked with ``schedkit.solvers.check`` and its ``evaluate`` value compared with the
claim; a proven optimum that disagrees stops the script with an error.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
from collections import Counter
from collections.abc import Iterable

from schedkit.instances import benchmarks_dir, read
from schedkit.instances.generators.tardiness import tardiness_classes
from schedkit.models import ProblemData
from schedkit.solvers import check, evaluate
from schedkit.solvers.exact_tardiness import TardinessCertificate, solve_exact_tardiness, to_solution


def _verified(problem: ProblemData, certificate: TardinessCertificate) -> None:
    """Stop with an error when the certificate's schedule is infeasible or not worth what it claims."""
    solution = to_solution(problem, certificate.sequence or [])
    violations = check(problem, solution)
    value = evaluate(problem, solution)[0]
    if violations or value != certificate.upper_bound or certificate.lower_bound > value:
        sys.exit(f"{problem.name}: schedule worth {value} ({len(violations)} violations), certificate {certificate}")


def _summary(label: str, rows: list[dict]) -> None:
    proven = [row for row in rows if row["proven"]]
    times = [row["seconds"] for row in proven]
    median = statistics.median(times) if times else float("nan")
    top = max(times) if times else float("nan")
    failed = Counter(f"TF {row['tf']:g} RDD {row['rdd']:g}" for row in rows if not row["proven"])
    line = f"{label:>8}  proven {len(proven):3d}/{len(rows):3d}  median {median:8.3f} s  max {top:8.3f} s"
    if failed:
        line += "  unproven: " + ", ".join(f"{name} ({count})" for name, count in sorted(failed.items()))
    print(line, flush=True)


def unweighted(sizes: Iterable[int], per_class: int, time_limit: float) -> list[dict]:
    """Solve the generated classes for every size; print one summary line per size."""
    rows: list[dict] = []
    for n in sizes:
        batch = []
        for problem in tardiness_classes(n, per_class=per_class, seed=0, weighted=False):
            certificate = solve_exact_tardiness(problem, time_limit=time_limit)
            _verified(problem, certificate)
            generator = problem.meta["generator"]
            batch.append(
                {
                    "set": "unweighted",
                    "n": n,
                    "instance": problem.name,
                    "tf": generator["tf"],
                    "rdd": generator["rdd"],
                    "proven": certificate.proven,
                    "lower_bound": certificate.lower_bound,
                    "upper_bound": certificate.upper_bound,
                    "seconds": round(certificate.seconds, 4),
                    "nodes": certificate.nodes,
                    "method": certificate.method,
                }
            )
        _summary(f"n={n}", batch)
        rows += batch
    return rows


def wt40(time_limit: float) -> list[dict]:
    """The 125 wt40 instances against their published optima."""
    root = benchmarks_dir()
    if root is None:
        print("    wt40  skipped: shared benchmark folder not found", flush=True)
        return []
    folder = root / "smtt"
    optima = [int(value) for value in (folder / "wtopt40.txt").read_text().split()]
    rows = []
    for index, optimum in enumerate(optima):
        problem = read(folder / "wt40.txt", index=index)
        certificate = solve_exact_tardiness(problem, time_limit=time_limit)
        _verified(problem, certificate)
        if certificate.proven and certificate.optimum != optimum:
            sys.exit(f"wt40 #{index}: proved {certificate.optimum}, published optimum {optimum}")
        if certificate.lower_bound > optimum:
            sys.exit(f"wt40 #{index}: bound {certificate.lower_bound} above the published optimum {optimum}")
        # class order inferred from the optima (wtinfo.txt does not state it): RDD outer, TF inner
        rdd, tf = (0.2, 0.4, 0.6, 0.8, 1.0)[index // 25], (0.2, 0.4, 0.6, 0.8, 1.0)[index % 25 // 5]
        rows.append(
            {
                "set": "wt40",
                "n": 40,
                "instance": index,
                "tf": tf,
                "rdd": rdd,
                "proven": certificate.proven,
                "lower_bound": certificate.lower_bound,
                "upper_bound": certificate.upper_bound,
                "seconds": round(certificate.seconds, 4),
                "nodes": certificate.nodes,
                "method": certificate.method,
            }
        )
    _summary("wt40", rows)
    methods = Counter(row["method"] for row in rows)
    print("          " + "; ".join(f"{name}: {count}" for name, count in methods.most_common()), flush=True)
    return rows


def main() -> None:
    """Parse the arguments, run the sets, print the summaries (and write the rows as CSV)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[20, 100, 200, 500])
    parser.add_argument("--per-class", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance")
    parser.add_argument("--no-wt40", action="store_true")
    parser.add_argument("--csv", help="write one row per instance to this file")
    args = parser.parse_args()
    print(f"time limit {args.time_limit:g} s per instance; times are wall seconds in this process")
    rows = unweighted(args.sizes, args.per_class, args.time_limit)
    if not args.no_wt40:
        rows += wt40(args.time_limit)
    if args.csv and rows:
        with open(args.csv, "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)


if __name__ == "__main__":
    main()
