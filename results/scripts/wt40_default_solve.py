"""Check that ``solve()`` with default arguments reaches every OR-Library wt40 optimum within 10 s.

Usage::

    python results/scripts/wt40_default_solve.py [--first 0] [--last 124] [--time-limit 10]
        [--out results/wt40_default_solve.csv]

Each instance is read from the shared ``smtt/wt40.txt`` and solved by
``schedkit.solve(problem, time_limit=10)`` (no backend, no method: the
default, method ``auto``), in this process, one after the other. A row
records the objective, the optimum of ``wtopt40.txt``, the proven bound,
the status, the wall time and what ``auto`` ran. The script exits non-zero
when an instance misses its optimum or its 10 s.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time

import schedkit as sk
from schedkit.instances import benchmarks_dir


def main() -> None:
    """Solve the chosen wt40 instances with default arguments and compare with the optima."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--last", type=int, default=124)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--out", default="results/wt40_default_solve.csv")
    args = parser.parse_args()
    bench = benchmarks_dir()
    if bench is None:
        sys.exit("shared benchmark folder not found (set SCHEDKIT_BENCHMARKS)")
    optima = [int(x) for x in (bench / "smtt" / "wtopt40.txt").read_text().split()]
    rows, misses = [], 0
    for index in range(args.first, args.last + 1):
        problem = sk.read(bench / "smtt" / "wt40.txt", index=index)
        started = time.perf_counter()
        result = sk.solve(problem, time_limit=args.time_limit)
        seconds = time.perf_counter() - started
        hit = result.objective == optima[index] and result.violations == [] and seconds <= args.time_limit
        misses += not hit
        rows.append(
            {
                "index": index,
                "objective": result.objective,
                "optimum": optima[index],
                "bound": result.lower_bound,
                "status": result.status.value,
                "seconds": round(seconds, 3),
                "plan": result.stats.get("auto", {}).get("plan", ""),
                "hit": hit,
            }
        )
        verdict = "ok" if hit else "MISS"
        print(f"wt40 #{index:3}  {result.objective:>7} / {optima[index]:>7}  {seconds:6.2f} s  {verdict}")
    times = sorted(r["seconds"] for r in rows)
    print(
        f"{len(rows) - misses}/{len(rows)} at the optimum within {args.time_limit:g} s; "
        f"median {times[len(times) // 2]:.2f} s, max {times[-1]:.2f} s"
    )
    with open(args.out, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    sys.exit(1 if misses else 0)


if __name__ == "__main__":
    main()
