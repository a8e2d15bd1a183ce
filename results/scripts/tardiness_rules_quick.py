"""Quick quality and speed table of the single-machine tardiness rules (``schedkit.heuristics.tardiness.RULES``).

Usage: python results/scripts/tardiness_rules_quick.py [--n 100] [--per-class 2] [--seed 0]

Two sets:

* OR-Library wt40 (weighted, n = 40, all 125 instances) against the optima of
  ``smtt/wtopt40.txt``;
* generated unweighted instances (Potts & Van Wassenhove scheme,
  ``schedkit.instances.generators.tardiness.tardiness_classes``: n = 100, the 25 TF x RDD
  classes, 2 instances each) against the best value any rule found on that
  instance (no optima are known for them yet).

Every schedule is verified with ``schedkit.solvers.check`` and scored with
``schedkit.solvers.evaluate``. Per rule it prints the mean and the largest relative gap
``(value - reference) / reference`` in percent over the instances whose
reference is positive, how many instances the rule matches the reference on,
how many of the zero-reference instances it solves with 0 (a relative gap is
undefined there), and the mean wall time of one ``rule(problem)`` call (from
the IR problem to the IR solution) in milliseconds. Times are machine- and
load-dependent.
Needs the shared benchmark data (``../shared/benchmarks`` or ``$SCHEDKIT_BENCHMARKS``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Iterable

from schedkit.heuristics.tardiness import RULES
from schedkit.instances import benchmarks_dir, read
from schedkit.instances.generators.tardiness import tardiness_classes
from schedkit.models import ProblemData
from schedkit.solvers import check, evaluate


def run(problems: Iterable[ProblemData]) -> tuple[list[str], dict[str, list[int]], dict[str, list[float]]]:
    """Every rule on every problem: (names, values per rule, seconds per rule)."""
    names: list[str] = []
    values: dict[str, list[int]] = {rule: [] for rule in RULES}
    seconds: dict[str, list[float]] = {rule: [] for rule in RULES}
    for problem in problems:
        names.append(problem.name)
        for rule, function in RULES.items():
            started = time.perf_counter()
            solution = function(problem)
            seconds[rule].append(time.perf_counter() - started)
            violations = check(problem, solution)
            if violations:
                sys.exit(f"BUG: {rule} on {problem.name}: {violations[0]}")
            values[rule].append(evaluate(problem, solution)[0])
    return names, values, seconds


def table(title: str, reference: list[int], values: dict[str, list[int]], seconds: dict[str, list[float]]) -> None:
    """Print one table: per rule, gaps to ``reference`` and mean time."""
    positive = [i for i, ref in enumerate(reference) if ref > 0]
    zero = [i for i, ref in enumerate(reference) if ref == 0]
    print(f"\n{title}: {len(reference)} instances ({len(zero)} with reference 0)")
    header = f"{'rule':16} {'mean gap %':>10} {'max gap %':>10} {'= ref':>7} {'0 of 0-ref':>10} {'mean ms':>8}"
    print(header)
    print("-" * len(header))
    for rule, found in values.items():
        gaps = [100.0 * (found[i] - reference[i]) / reference[i] for i in positive]
        hits = sum(found[i] == reference[i] for i in range(len(reference)))
        zeros = sum(found[i] == 0 for i in zero)
        mean_gap = statistics.fmean(gaps) if gaps else 0.0
        max_gap = max(gaps) if gaps else 0.0
        milliseconds = 1000 * statistics.fmean(seconds[rule])
        print(
            f"{rule:16} {mean_gap:10.2f} {max_gap:10.2f} {hits:>3}/{len(reference):<3} "
            f"{zeros:>4}/{len(zero):<5} {milliseconds:8.2f}"
        )


def main() -> None:
    """Run both sets and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="jobs per generated instance")
    parser.add_argument("--per-class", type=int, default=2, help="generated instances per TF x RDD class")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated grid")
    args = parser.parse_args()

    root = benchmarks_dir()
    if root is None:
        sys.exit("shared benchmark folder not found (set SCHEDKIT_BENCHMARKS)")
    optima = [int(v) for v in (root / "smtt" / "wtopt40.txt").read_text().split()]
    wt40 = [read(root / "smtt" / "wt40.txt", index=index) for index in range(len(optima))]
    _, values, seconds = run(wt40)
    for rule, found in values.items():
        for index, (value, optimum) in enumerate(zip(found, optima)):
            if value < optimum:
                sys.exit(f"BUG: {rule} = {value} below the optimum {optimum} on wt40#{index}")
    table("OR-Library wt40 (weighted, n=40) vs the optima", optima, values, seconds)

    generated = list(tardiness_classes(args.n, per_class=args.per_class, seed=args.seed, weighted=False))
    _, values, seconds = run(generated)
    best = [min(found[i] for found in values.values()) for i in range(len(generated))]
    table(
        f"generated unweighted n={args.n} (25 TF x RDD classes x {args.per_class}, seed {args.seed}) vs the best rule",
        best,
        values,
        seconds,
    )


if __name__ == "__main__":
    main()
