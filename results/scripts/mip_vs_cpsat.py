"""MIP (Pyomo + HiGHS) against CP-SAT: time to proven optimality, side by side, same machine, same budget.

Usage::

    python results/scripts/mip_vs_cpsat.py [--time-limit 30] [--threads 1] [--out results/mip_vs_cpsat.csv]

Sets: the first 25 j30 instances (natural order j301_1, j301_2, ...), the
first 25 wt40 instances, and the small Hurink edata flexible job shops (ft06,
la01-la10). Each instance is solved by CP-SAT and by the MIP backend (the
formulation ``solve()`` chooses: time-indexed for j30, positional for wt40
(its time-indexed model has 80,000 pulse variables), disjunctive for edata),
one after the other, with the same time limit and threads. A row per
(instance, backend), written as it finishes; the summary per set gives how many each proved
optimal and the mean and median time over the instances both proved, with
the MIP/CP-SAT ratio. Every schedule has passed the checker.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
from pathlib import Path

from schedkit.instances import benchmarks_dir, read
from schedkit.solvers import solve


def natural(name: str) -> list[object]:
    """Sort key that orders j301_2 before j301_10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def instances() -> list[tuple[str, str, dict]]:
    """(set, path, read() keyword arguments) of every instance, in run order."""
    root = benchmarks_dir()
    if root is None:
        raise SystemExit("shared benchmarks not found (../shared/benchmarks or $SCHEDKIT_BENCHMARKS)")
    j30 = sorted((root / "rcpsp" / "j30").glob("*.sm"), key=lambda p: natural(p.name))[:25]
    out = [("j30", str(p), {}) for p in j30]
    out += [("wt40", str(root / "smtt" / "wt40.txt"), {"index": k}) for k in range(25)]
    edata = root / "fjsp" / "HurinkJurischThole1994" / "edata"
    out += [("edata", str(edata / f"{name}.txt"), {}) for name in ["ft06"] + [f"la{k:02d}" for k in range(1, 11)]]
    return out


def main() -> None:
    """Run both backends on every instance, write the CSV, print the rows and the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--sets", default="j30,wt40,edata")
    parser.add_argument("--out", default="results/mip_vs_cpsat.csv")
    args = parser.parse_args()
    wanted = set(args.sets.split(","))
    rows = []
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    handle = open(args.out, "w", newline="")  # rows are written as they finish: an interrupted run keeps them
    writer = None
    print(f"{'set':<6}{'instance':<14}{'backend':<7}{'status':<10}{'obj':>8}{'bound':>8}{'time s':>9}  formulation")
    for family, path, kwargs in instances():
        if family not in wanted:
            continue
        problem = read(path, **kwargs)
        name = problem.name or Path(path).stem
        for backend in ("cpsat", "mip"):
            result = solve(problem, backend=backend, time_limit=args.time_limit, threads=args.threads)
            assert result.status.value != "error", (name, backend, result.message)
            row = {
                "set": family,
                "instance": name,
                "backend": backend,
                "status": result.status.value,
                "objective": result.objective,
                "lower_bound": result.lower_bound,
                "wall_time": round(result.wall_time, 3),
                "formulation": result.stats.get("formulation", ""),
            }
            rows.append(row)
            if writer is None:
                writer = csv.DictWriter(handle, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)
            handle.flush()
            print(
                f"{family:<6}{name:<14}{backend:<7}{row['status']:<10}{str(row['objective']):>8}"
                f"{str(row['lower_bound']):>8}{row['wall_time']:>9.2f}  {row['formulation']}",
                flush=True,
            )
    handle.close()
    print(f"\ntime limit {args.time_limit} s, {args.threads} thread(s)")
    print(
        f"{'set':<6}{'n':>4}{'cpsat opt':>10}{'mip opt':>9}{'both':>6}{'cpsat mean s':>13}{'mip mean s':>11}"
        f"{'cpsat med s':>12}{'mip med s':>10}{'mip/cpsat':>10}"
    )
    for family in ("j30", "wt40", "edata"):
        by = {}
        for row in rows:
            if row["set"] == family:
                by.setdefault(row["instance"], {})[row["backend"]] = row
        if not by:
            continue
        optimal = {b: [i for i, r in by.items() if r[b]["status"] == "optimal"] for b in ("cpsat", "mip")}
        both = [i for i in by if i in optimal["cpsat"] and i in optimal["mip"]]
        times = {b: [by[i][b]["wall_time"] for i in both] for b in ("cpsat", "mip")}
        mean = {b: statistics.mean(times[b]) if both else float("nan") for b in times}
        median = {b: statistics.median(times[b]) if both else float("nan") for b in times}
        ratio = mean["mip"] / mean["cpsat"] if both and mean["cpsat"] > 0 else float("nan")
        print(
            f"{family:<6}{len(by):>4}{len(optimal['cpsat']):>10}{len(optimal['mip']):>9}{len(both):>6}"
            f"{mean['cpsat']:>13.2f}{mean['mip']:>11.2f}{median['cpsat']:>12.2f}{median['mip']:>10.2f}{ratio:>10.1f}"
        )


if __name__ == "__main__":
    main()
