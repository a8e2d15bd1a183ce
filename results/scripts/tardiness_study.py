"""The single-machine tardiness rules against certified optima, in the shape of the challenger study.

Usage::

    python results/scripts/tardiness_study.py [--sizes 20,100,200,500] [--per-class 3] [--seed 0]
        [--time-limit 120] [--out results/tardiness_study.csv] [--plot results/tardiness_study.png]

For each n, the standard generator (Potts & Van Wassenhove: the 25 TF x RDD
classes, ``--per-class`` unweighted instances each) gives instances whose
optimum :mod:`schedkit.solvers.exact_tardiness` proves; every rule of
``schedkit.heuristics.tardiness.RULES`` schedules each, the checker verifies the
schedule and recomputes its total tardiness. Per n and rule: the mean and
largest gap ``(value - optimum) / optimum`` in percent over the instances
with a positive optimum, how often the rule is optimal, and the mean time.
Where the exact method does not finish in ``--time-limit``, its proven lower
bound is the reference (the row says how many). The script then checks the
study's claims: EDDC beats EDD and MDDC beats MDD on mean gap at every n.
Writes one CSV row per (instance, rule) and a plot of the mean gaps.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time

from schedkit.heuristics.tardiness import RULES
from schedkit.instances.generators.tardiness import tardiness_classes
from schedkit.solvers import check, evaluate
from schedkit.solvers.exact_tardiness import solve_exact_tardiness


def main() -> None:
    """Run the study, write the CSV and the plot, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,100,200,500")
    parser.add_argument("--per-class", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--out", default="results/tardiness_study.csv")
    parser.add_argument("--plot", default="results/tardiness_study.png")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    rows = []
    summary: dict[tuple[int, str], dict[str, float]] = {}
    with open(args.out, "w", newline="") as handle:
        fields = ["n", "instance", "rule", "value", "reference", "proven", "gap_pct", "ms", "exact_s"]
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for n in sizes:
            unproven = 0
            exact_times = []
            for problem in tardiness_classes(n, per_class=args.per_class, seed=args.seed, weighted=False):
                certificate = solve_exact_tardiness(problem, args.time_limit)
                exact_times.append(certificate.seconds)
                reference = certificate.optimum if certificate.proven else certificate.lower_bound
                unproven += not certificate.proven
                for rule, function in RULES.items():
                    started = time.perf_counter()
                    solution = function(problem)
                    ms = 1000 * (time.perf_counter() - started)
                    assert check(problem, solution) == [], (problem.name, rule)
                    value = evaluate(problem, solution)[0]
                    assert value >= reference, (problem.name, rule, value, reference)
                    gap = 100 * (value - reference) / reference if reference > 0 else None
                    row = {
                        "n": n,
                        "instance": problem.name,
                        "rule": rule,
                        "value": value,
                        "reference": reference,
                        "proven": certificate.proven,
                        "gap_pct": None if gap is None else round(gap, 4),
                        "ms": round(ms, 3),
                        "exact_s": round(certificate.seconds, 4),
                    }
                    rows.append(row)
                    writer.writerow(row)
                handle.flush()
            for rule in RULES:
                mine = [r for r in rows if r["n"] == n and r["rule"] == rule]
                gaps = [r["gap_pct"] for r in mine if r["gap_pct"] is not None]
                summary[n, rule] = {
                    "mean": statistics.mean(gaps) if gaps else 0.0,
                    "max": max(gaps) if gaps else 0.0,
                    "optimal": sum(r["value"] == r["reference"] for r in mine),
                    "count": len(mine),
                    "ms": statistics.mean(r["ms"] for r in mine),
                }
            print(
                f"n={n}: {len(exact_times)} instances, exact median {statistics.median(exact_times):.3f} s, "
                f"max {max(exact_times):.2f} s, {unproven} not proven in {args.time_limit:g} s",
                flush=True,
            )
    print(f"\n{'n':>4} {'rule':<16}{'mean gap %':>13}{'max gap %':>14}{'optimal':>9}{'ms':>9}")
    for (n, rule), s in summary.items():
        optimal = f"{int(s['optimal'])}/{int(s['count'])}"
        print(f"{n:>4} {rule:<16}{s['mean']:>13.3f}{s['max']:>14.1f}{optimal:>9}{s['ms']:>9.2f}")
    for n in sizes:
        for challenger, base in (("eddc", "edd"), ("mddc", "mdd")):
            better = summary[n, challenger]["mean"] < summary[n, base]["mean"]
            print(f"n={n}: {challenger} {'beats' if better else 'does NOT beat'} {base} on mean gap")
    _plot(summary, sizes, args.plot)


def _plot(summary: dict[tuple[int, str], dict[str, float]], sizes: list[int], path: str) -> None:
    """Mean gap per rule against n (log scale), one line per rule."""
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for rule in RULES:
        values = [max(summary[n, rule]["mean"], 1e-3) for n in sizes]
        ax.plot(sizes, values, marker="o", label=rule)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xlabel("jobs n")
    ax.set_ylabel("mean gap to the optimum, % (log; 0 drawn at 0.001)")
    ax.set_title("1 || sum T_j: rules against certified optima (25 TF x RDD classes)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(ncol=2, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    print(f"plot written to {path}")


if __name__ == "__main__":
    main()
