"""How close each bound source (solvers/bounds and the LP relaxation) comes to the optimum, per family.

Usage: python results/scripts/bound_quality.py [--no-lp] [--no-families]

Sets: PSPLIB j30 (the first 20 rows of ``rcpsp/j30_bounds.csv``, all optimal),
job shop ft06, la01-la10 and ta01-ta10 (``jobshop/bounds.csv``; the upper
bound is the best known makespan, proven optimal for all of these) and
OR-Library wt40 (the first 20 instances, ``smtt/wtopt40.txt``). Per set and
source it prints the mean relative gap ``(optimum - bound) / optimum`` in
percent, the largest gap, how many bounds equal the optimum, and the mean time
per instance; ``best`` is the strongest source per instance. A bound above
the optimum would be a bug: the script stops with an error if it sees one.
``lp`` is the LP relaxation of the MIP formulation ``solve(..., backend="lp")``
chooses (time-indexed for j30 and wt40, disjunctive for the job shops).

Then, per family, the 60 seeded small instances of the differential tests
(``tests/random_families.py``), whose optimum CP-SAT proves: the mean gap
``|optimum - bound| / max(|optimum|, |bound|)`` of every source that applies
(bounds are upper bounds on maximising levels: pod packing, KV tree).
Needs the shared benchmark data (``../shared/benchmarks`` or ``$SCHEDKIT_BENCHMARKS``).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from schedkit.instances import benchmarks_dir, read
from schedkit.models import ProblemData
from schedkit.solvers import solve
from schedkit.solvers.bounds import Bound, combinatorial_bounds
from schedkit.solvers.result import relative_gap


def _csv(path: Path, key: str, value: str) -> list[tuple[str, int]]:
    with open(path) as handle:
        return [(row[key], int(row[value])) for row in csv.DictReader(handle) if row[value]]


def j30(root: Path) -> Iterator[tuple[ProblemData, int]]:
    """The first 20 j30 instances with their optima."""
    for name, optimum in _csv(root / "rcpsp" / "j30_bounds.csv", "instance", "upper_bound")[:20]:
        yield read(root / "rcpsp" / "j30" / f"{name}.sm"), optimum


def jobshop(root: Path, names: list[str]) -> Iterator[tuple[ProblemData, int]]:
    """Job shops by name with their best known (here: optimal) makespans."""
    best = dict(_csv(root / "jobshop" / "bounds.csv", "instance", "upper_bound"))
    for name in names:
        yield read(root / "jobshop" / "instances" / name), best[name]


def wt40(root: Path) -> Iterator[tuple[ProblemData, int]]:
    """The first 20 wt40 instances with their optima."""
    optima = [int(v) for v in (root / "smtt" / "wtopt40.txt").read_text().split()]
    for index in range(20):
        yield read(root / "smtt" / "wt40.txt", index=index), optima[index]


def lp_bound(problem: ProblemData) -> Bound | None:
    """The LP relaxation's bound on level 0, as a Bound (None when the LP gives none)."""
    started = time.perf_counter()
    result = solve(problem, backend="lp")
    if result.lower_bound is None:
        return None
    return Bound(int(result.lower_bound), "lp", result.stats.get("formulation", ""), time.perf_counter() - started)


def measure(
    instances: Iterator[tuple[ProblemData, int]], with_lp: bool = True
) -> dict[str, list[tuple[float, bool, float]]]:
    """Per source: (gap %, tight, seconds) per instance; ``best`` = strongest source per instance."""
    rows: dict[str, list[tuple[float, bool, float]]] = {}
    for problem, optimum in instances:
        bounds = combinatorial_bounds(problem)
        if with_lp:
            lp = lp_bound(problem)
            bounds += [lp] if lp is not None else []
        for bound in bounds:
            if bound.value > optimum:
                sys.exit(f"BUG: {bound.source} = {bound.value} > optimum {optimum} on {problem.name}")
        if not bounds:
            continue
        best = max(bounds, key=lambda b: b.value)
        total = sum(b.seconds for b in bounds)
        for source, value, seconds in [(b.source, b.value, b.seconds) for b in bounds] + [("best", best.value, total)]:
            gap = 100.0 * (optimum - value) / optimum if optimum else 0.0
            rows.setdefault(source, []).append((gap, value == optimum, seconds))
    return rows


def families() -> None:
    """Mean gap per family and source on the seeded small instances of the differential tests."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
    from random_families import FAMILIES, random_instance

    header = f"{'family':12} {'source':22} {'n':>3} {'mean gap %':>10} {'max gap %':>9} {'tight':>5}"
    print("\n" + header)
    print("-" * len(header))
    for family in FAMILIES:
        gaps: dict[str, list[float]] = {}
        for seed in range(60):
            problem = random_instance(family, seed)
            optimum = solve(problem, time_limit=20, threads=1)
            assert optimum.status.value == "optimal" and optimum.objective is not None, optimum
            found = combinatorial_bounds(problem)
            lp = lp_bound(problem)
            found += [lp] if lp is not None else []
            maximise = optimum.sense == "max"
            best = None
            for bound in found:
                if (bound.value < optimum.objective) if maximise else (bound.value > optimum.objective):
                    sys.exit(f"BUG: {bound.source} = {bound.value} on the wrong side of {optimum.objective}")
                gaps.setdefault(bound.source, []).append(100 * (relative_gap(optimum.objective, bound.value) or 0.0))
                if best is None or ((bound.value < best) if maximise else (bound.value > best)):
                    best = bound.value
            if best is not None:
                gaps.setdefault("best", []).append(100 * (relative_gap(optimum.objective, best) or 0.0))
        for source, values in gaps.items():
            tight = sum(1 for v in values if v == 0)
            print(
                f"{family:12} {source:22} {len(values):>3} {statistics.mean(values):>10.1f} "
                f"{max(values):>9.1f} {tight:>5}"
            )


def main() -> None:
    """Print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-lp", action="store_true", help="combinatorial sources only")
    parser.add_argument("--no-families", action="store_true", help="skip the seeded per-family table")
    args = parser.parse_args()
    root = benchmarks_dir()
    if root is None:
        sys.exit("shared benchmark folder not found (set SCHEDKIT_BENCHMARKS)")
    sets = [
        ("j30 (first 20)", j30(root)),
        ("ft06, la01-la10", jobshop(root, ["ft06"] + [f"la{i:02d}" for i in range(1, 11)])),
        ("ta01-ta10", jobshop(root, [f"ta{i:02d}" for i in range(1, 11)])),
        ("wt40 (first 20)", wt40(root)),
    ]
    header = f"{'set':18} {'source':22} {'n':>3} {'mean gap %':>10} {'max gap %':>9} {'tight':>5} {'ms/inst':>8}"
    print(header)
    print("-" * len(header))
    for label, instances in sets:
        for source, rows in measure(instances, not args.no_lp).items():
            gaps = [gap for gap, _, _ in rows]
            tight = sum(1 for _, is_tight, _ in rows if is_tight)
            ms = 1000 * statistics.mean(seconds for _, _, seconds in rows)
            print(
                f"{label:18} {source:22} {len(rows):>3} {statistics.mean(gaps):>10.1f} {max(gaps):>9.1f} "
                f"{tight:>5} {ms:>8.1f}"
            )

    if not args.no_families:
        families()


if __name__ == "__main__":
    main()
