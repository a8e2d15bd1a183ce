"""CP-SAT with and without a heuristic warm start, side by side, at several time limits.

Usage::

    python results/scripts/warm_start_study.py [--limits 1,10] [--threads 2] [--sets taillard,j60]
        [--out results/warm_start_study.csv]

Sets: Taillard ta01-ta40 (``jobshop/bounds.csv`` best known upper bounds) and
the first 100 j60 instances (``rcpsp/j60_bounds.csv``). For every instance
and time limit, CP-SAT runs cold and warm-started from ``warm_start="auto"``
(the best dispatch rule, or the best SGS with forward-backward improvement;
its time counts against the limit), one after the other. Rows are written as
they finish; the summary gives the mean deviation from best known per set,
limit and variant, and the mean deviation of the warm start itself.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
from pathlib import Path

from schedkit.instances import benchmarks_dir, read
from schedkit.solvers import solve


def _bounds(path: Path, key: str = "instance", value: str = "upper_bound") -> dict[str, int]:
    """Instance name -> best known value, from a bounds CSV."""
    with open(path) as handle:
        return {row[key]: int(row[value]) for row in csv.DictReader(handle) if row.get(value)}


def _natural(name: str) -> list[object]:
    """Sort key that orders j601_2 before j601_10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def instances(sets: set[str]) -> list[tuple[str, Path, int]]:
    """(set, path, best known) in run order."""
    root = benchmarks_dir()
    if root is None:
        raise SystemExit("shared benchmarks not found (../shared/benchmarks or $SCHEDKIT_BENCHMARKS)")
    out = []
    if "taillard" in sets:
        best = _bounds(root / "jobshop" / "bounds.csv")
        out += [("taillard", root / "jobshop" / "instances" / f"ta{k:02d}", best[f"ta{k:02d}"]) for k in range(1, 41)]
    if "j60" in sets:
        best = _bounds(root / "rcpsp" / "j60_bounds.csv")
        names = sorted(best, key=_natural)[:100]
        out += [("j60", root / "rcpsp" / "j60" / f"{name}.sm", best[name]) for name in names]
    return out


def main() -> None:
    """Run the study, write rows as they finish, print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limits", default="1,10")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sets", default="taillard,j60")
    parser.add_argument("--out", default="results/warm_start_study.csv")
    args = parser.parse_args()
    limits = [float(x) for x in args.limits.split(",")]
    fields = [
        "set",
        "instance",
        "best_known",
        "time_limit",
        "variant",
        "status",
        "objective",
        "dev_pct",
        "warm_objective",
        "warm_rule",
        "wall_time",
    ]
    rows = []
    with open(args.out, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for family, path, best in instances(set(args.sets.split(","))):
            problem = read(path)
            for limit in limits:
                for variant in ("cold", "warm"):
                    warm = "auto" if variant == "warm" else None
                    result = solve(problem, time_limit=limit, threads=args.threads, warm_start=warm)
                    assert result.status.value in ("optimal", "feasible"), (path, result.message)
                    info = result.stats.get("warm_start", {})
                    row = {
                        "set": family,
                        "instance": path.stem,
                        "best_known": best,
                        "time_limit": limit,
                        "variant": variant,
                        "status": result.status.value,
                        "objective": result.objective,
                        "dev_pct": round(100 * (result.objective - best) / best, 3),
                        "warm_objective": (info.get("objectives") or [None])[0],
                        "warm_rule": info.get("chosen", ""),
                        "wall_time": round(result.wall_time, 3),
                    }
                    rows.append(row)
                    writer.writerow(row)
                    handle.flush()
                    print(
                        " ".join(
                            f"{row[k]}"
                            for k in (
                                "set",
                                "instance",
                                "time_limit",
                                "variant",
                                "objective",
                                "dev_pct",
                                "warm_objective",
                            )
                        ),
                        flush=True,
                    )
    print(f"\n{'set':<10}{'limit s':>8}{'cold dev %':>12}{'warm dev %':>12}{'heuristic dev %':>17}{'n':>5}")
    for family in ("taillard", "j60"):
        for limit in limits:
            sel = [r for r in rows if r["set"] == family and r["time_limit"] == limit]
            if not sel:
                continue
            cold = [r["dev_pct"] for r in sel if r["variant"] == "cold"]
            warm = [r for r in sel if r["variant"] == "warm"]
            heuristic = [100 * (r["warm_objective"] - r["best_known"]) / r["best_known"] for r in warm]
            warm_dev = statistics.mean(r["dev_pct"] for r in warm)
            print(
                f"{family:<10}{limit:>8g}{statistics.mean(cold):>12.2f}{warm_dev:>12.2f}"
                f"{statistics.mean(heuristic):>17.2f}{len(cold):>5}"
            )


if __name__ == "__main__":
    main()
