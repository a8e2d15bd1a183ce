"""The single-machine tardiness rules against certified optima, in the shape of the challenger study.

Usage::

    python results/scripts/tardiness_study.py [--sizes 20,100,200,500] [--per-class 3] [--seed 0]
        [--time-limit 120] [--out results/tardiness_study.csv] [--plot results/tardiness_study.png]
        [--rules edd,mdd,...] [--reuse results/tardiness_study.csv]

For each n, the standard generator (Potts & Van Wassenhove: the 25 TF x RDD
classes, ``--per-class`` unweighted instances each) gives instances whose
optimum :mod:`schedkit.solvers.exact_tardiness` proves; every rule of
``schedkit.heuristics.tardiness.RULES`` schedules each, the checker verifies the
schedule and recomputes its total tardiness. Per n and rule: the mean and
largest gap ``(value - optimum) / optimum`` in percent over the instances
with a positive optimum, how often the rule is optimal, and the mean time.
Where the exact method does not finish in ``--time-limit``, its proven lower
bound is the reference (the row says how many). The script then checks the
study's claims: EDDC beats EDD and MDDC beats MDD on mean gap at every n,
and (the paper's comparison with "another widely used algorithm") how MDDC
compares with PSK and NBR. Writes one CSV row per (instance, rule) and a plot
of the mean gaps.

``--rules`` limits the study to some rules. ``--reuse CSV`` extends an
earlier run of this script (same ``--sizes``, ``--per-class`` and ``--seed``)
instead of repeating it: the optimum (or bound) of each instance and the rows
of the rules already measured are taken from that CSV, and only the missing
rules are run. As a guard against a CSV of other instances, EDD is re-run on
every instance and must give the value the CSV records.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time

from schedkit.heuristics.tardiness import RULES
from schedkit.instances.generators.tardiness import tardiness_classes
from schedkit.models import ProblemData
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
    parser.add_argument("--rules", help="comma-separated rules (default: every rule of RULES)")
    parser.add_argument("--reuse", help="CSV of an earlier run: reuse its optima and its rows")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    rules = {name: RULES[name] for name in args.rules.split(",")} if args.rules else dict(RULES)
    reused = _read_reuse(args.reuse) if args.reuse else {}
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
                earlier = reused.get((n, problem.name), {})
                if earlier:
                    _check_same_instance(problem, earlier)
                    first = next(iter(earlier.values()))
                    reference, proven = int(first["reference"]), first["proven"] == "True"
                    exact_seconds = float(first["exact_s"])
                else:
                    certificate = solve_exact_tardiness(problem, args.time_limit)
                    reference = certificate.optimum if certificate.proven else certificate.lower_bound
                    proven, exact_seconds = certificate.proven, certificate.seconds
                exact_times.append(exact_seconds)
                unproven += not proven
                for rule, function in rules.items():
                    if rule in earlier:
                        row = {key: _typed(key, value) for key, value in earlier[rule].items()}
                        rows.append(row)
                        writer.writerow(row)
                        continue
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
                        "proven": proven,
                        "gap_pct": None if gap is None else round(gap, 4),
                        "ms": round(ms, 3),
                        "exact_s": round(exact_seconds, 4),
                    }
                    rows.append(row)
                    writer.writerow(row)
                handle.flush()
            for rule in rules:
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
    if reused:
        kept = sorted({rule for by_rule in reused.values() for rule in by_rule if rule in rules})
        print(f"reused from {args.reuse}: every optimum, and the rows (values, ms) of {', '.join(kept)}")
    print(f"\n{'n':>4} {'rule':<16}{'mean gap %':>13}{'max gap %':>14}{'optimal':>9}{'ms':>9}")
    for (n, rule), s in summary.items():
        optimal = f"{int(s['optimal'])}/{int(s['count'])}"
        print(f"{n:>4} {rule:<16}{s['mean']:>13.3f}{s['max']:>14.1f}{optimal:>9}{s['ms']:>9.2f}")
    for n in sizes:
        for challenger, base in (("eddc", "edd"), ("mddc", "mdd"), ("mddc", "psk"), ("mddc", "nbr")):
            if (n, challenger) not in summary or (n, base) not in summary:
                continue
            better = summary[n, challenger]["mean"] < summary[n, base]["mean"]
            print(f"n={n}: {challenger} {'beats' if better else 'does NOT beat'} {base} on mean gap")
    _plot(summary, sizes, args.plot, list(rules))


def _read_reuse(path: str) -> dict[tuple[int, str], dict[str, dict[str, str]]]:
    """Rows of an earlier CSV of this script: (n, instance) -> rule -> row (strings)."""
    out: dict[tuple[int, str], dict[str, dict[str, str]]] = {}
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            out.setdefault((int(row["n"]), row["instance"]), {})[row["rule"]] = row
    return out


def _check_same_instance(problem: ProblemData, earlier: dict[str, dict[str, str]]) -> None:
    """Refuse a reused CSV whose EDD value differs from a fresh EDD run (not the same instance)."""
    if "edd" not in earlier:
        raise SystemExit(f"--reuse: no edd row for {problem.name}; cannot check it is the same instance")
    value = evaluate(problem, RULES["edd"](problem))[0]
    if value != int(earlier["edd"]["value"]):
        raise SystemExit(
            f"--reuse: {problem.name} has EDD value {value}, the CSV says {earlier['edd']['value']}: "
            "not the same instance (use the same --sizes, --per-class and --seed)"
        )


def _typed(key: str, value: str) -> object:
    """A CSV field back as the type the script writes."""
    if key in ("n", "value", "reference"):
        return int(value)
    if key == "proven":
        return value == "True"
    if key in ("gap_pct", "ms", "exact_s"):
        return float(value) if value != "" else None
    return value


def _plot(summary: dict[tuple[int, str], dict[str, float]], sizes: list[int], path: str, rules: list[str]) -> None:
    """Mean gap per rule against n (log scale), one line per rule."""
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for rule in rules:
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
