r"""The learned dispatcher on large job shops: vs static rules, vs CP-SAT at the same wall time, as a warm start.

Usage (the full study; about an hour and a half on one core)::

    OPENBLAS_NUM_THREADS=1 .venv/bin/python results/scripts/learned_dispatch_study.py \
        --instances ta51-ta80 --generated 200x20x3,100x50x2 --rollouts 32 --threads 1

Instances: Taillard's ta51-ta80 (50 x 15, 50 x 20 and 100 x 20, regenerated
from the published seeds) and larger ones from the same generator with fresh
seeds (``NxMxCOUNT``). For each instance, in this order:

* every static rule of :data:`schedkit.heuristics.shop.RULES` (non-delay); the
  *best static rule* is the best of them on that instance;
* ``learned``: :func:`schedkit.heuristics.shop.learned.learned_dispatch` with
  ``--rollouts`` rollouts at the spread temperatures; its wall time W is the
  budget of the two CP-SAT runs;
* ``cpsat``: CP-SAT alone with the time limit W (``--threads`` workers);
* ``cpsat+learned``: CP-SAT warm-started from the learned schedule, limit W
  (so learned + this run took about 2W in all).

Deviations are from the best known makespan (all of ta51-ta80 are closed;
ScheduleOpt/benchmarks ``jobshop/solutions/bks.json``) and, for the generated
instances, from the lower bound ``max(max machine load, max job length)``
(marked "LB"). Rows go to ``--out`` (CSV) as they finish; the summary table
(mean deviation per group and method, mean W) is printed and written beside it
as ``.txt``.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # the policy's matrices are tiny; one core each

from schedkit.heuristics.shop import RULES  # noqa: E402
from schedkit.heuristics.shop.learned import learned_dispatch  # noqa: E402
from schedkit.instances import taillard_jobshop, taillard_jobshop_from_seeds  # noqa: E402
from schedkit.models import ProblemData  # noqa: E402
from schedkit.solvers import check, evaluate, solve  # noqa: E402

BEST_KNOWN: dict[int, int] = dict(
    zip(
        range(51, 81),
        (2760, 2756, 2717, 2839, 2679, 2781, 2943, 2885, 2655, 2723,
         2868, 2869, 2755, 2702, 2725, 2845, 2825, 2784, 3071, 2995,
         5464, 5181, 5568, 5339, 5392, 5342, 5436, 5394, 5358, 5183),
    )
)  # fmt: skip
"""Optimal makespans of ta51-ta80 (ScheduleOpt/benchmarks, jobshop/solutions/bks.json; all closed)."""

METHODS = ("best_rule", "learned", "cpsat", "cpsat+learned", "auto")
GENERATED_SEED = 20230708


def lower_bound(problem: ProblemData) -> int:
    """``max(max over machines of their load, max over jobs of their length)``."""
    load: dict[int, int] = {}
    for task in problem.tasks:
        mode = task.modes[0]
        load[mode.demands[0].resource] = load.get(mode.demands[0].resource, 0) + mode.duration
    jobs = problem.meta["jobs"]
    length = max(sum(problem.tasks[i].modes[0].duration for i in job) for job in jobs)
    return max(max(load.values()), length)


def _taillard_range(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        if not part:
            continue
        low, _, high = part.partition("-")
        first = int(low.removeprefix("ta"))
        last = int(high.removeprefix("ta")) if high else first
        out += list(range(first, last + 1))
    return out


def instances(taillard: str, generated: str) -> list[tuple[str, ProblemData, int, str]]:
    """``(group, problem, reference, reference kind)`` in run order."""
    out = []
    for k in _taillard_range(taillard):
        problem = taillard_jobshop(k)
        n, m = problem.meta["num_jobs"], problem.meta["num_machines"]
        out.append((f"ta {n}x{m}", problem, BEST_KNOWN[k], "best known"))
    for spec in filter(None, generated.split(",")):
        n, m, count = (int(x) for x in spec.split("x"))
        for i in range(count):
            seeds = (GENERATED_SEED + 1000 * n + 10 * m + i, GENERATED_SEED + 7 * i + 1)
            problem = taillard_jobshop_from_seeds(n, m, *seeds, name=f"gen_{n}x{m}_{i}")
            out.append((f"gen {n}x{m}", problem, lower_bound(problem), "LB"))
    return out


def run_instance(problem: ProblemData, rollouts: int, threads: int, seed: int) -> dict[str, Any]:
    """Every method on one instance: makespans and seconds."""
    row: dict[str, Any] = {}
    rules = {name: evaluate(problem, rule(problem))[0] for name, rule in RULES.items()}
    best = min(rules, key=rules.__getitem__)
    row.update({f"rule_{k}": v for k, v in rules.items()}, best_rule=rules[best], best_rule_name=best)

    started = time.perf_counter()
    learned = learned_dispatch(problem, rollouts=rollouts, seed=seed)
    budget = time.perf_counter() - started
    assert not check(problem, learned), "the learned schedule fails the checker"
    row.update(learned=evaluate(problem, learned)[0], learned_seconds=round(budget, 2))

    # plain CP-SAT (the paper's comparison), CP-SAT from the learned schedule, and solve()'s default (auto:
    # tabu search, then CP-SAT), each with the learned dispatcher's wall time
    cold = solve(problem, backend="cpsat", time_limit=budget, threads=threads, seed=seed)
    warm = solve(problem, backend="cpsat", time_limit=budget, threads=threads, seed=seed, warm_start=learned)
    auto = solve(problem, time_limit=budget, threads=threads, seed=seed)
    for name, result in (("cpsat", cold), ("cpsat+learned", warm), ("auto", auto)):
        row[name] = result.objective if result.solution is not None and not result.violations else None
        row[f"{name}_seconds"] = round(result.wall_time, 2)
    return row


def deviation(value: int | None, reference: int) -> float | None:
    """``100 (value - reference) / reference`` (None without a value)."""
    return None if value is None else 100.0 * (value - reference) / reference


def _percent(value: float | None) -> str:
    return "   none" if value is None else f"{value:5.1f}%"


def summary(rows: list[dict[str, Any]]) -> str:
    """Mean deviation per group and method (with the number of instances where CP-SAT found nothing)."""
    groups = list(dict.fromkeys(str(r["group"]) for r in rows))
    header = "| group | n | ref | " + " | ".join(METHODS) + " | learned s |"
    lines = [header, "|" + " --- |" * (len(METHODS) + 4)]
    for group in [*groups, "all ta"]:
        members = [r for r in rows if r["group"] == group or (group == "all ta" and str(r["group"]).startswith("ta"))]
        if not members or (group == "all ta" and len(groups) < 2):
            continue
        cells = []
        for method in METHODS:
            devs = [deviation(r[method], r["reference"]) for r in members]
            found = [d for d in devs if d is not None]
            missing = len(devs) - len(found)
            cell = f"{statistics.mean(found):.1f}" if found else "-"
            cells.append(cell + (f" ({missing} none)" if missing else ""))
        seconds = statistics.mean(float(r["learned_seconds"]) for r in members)
        lines.append(
            f"| {group} | {len(members)} | {members[0]['reference_kind']} | "
            + " | ".join(cells)
            + f" | {seconds:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Run the study, write rows as they finish, print and save the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", default="ta51-ta80", help="Taillard instances, e.g. ta61-ta80 or ta61,ta71")
    parser.add_argument("--generated", default="200x20x3,100x50x2", help="larger generated ones: NxMxCOUNT,...")
    parser.add_argument("--rollouts", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="CP-SAT workers")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="results/learned_dispatch_study.csv")
    args = parser.parse_args()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    with out.open("w", newline="") as handle:
        writer: csv.DictWriter | None = None
        for group, problem, reference, kind in instances(args.instances, args.generated):
            row: dict[str, Any] = {"instance": problem.name, "group": group, "reference": reference}
            row["reference_kind"] = kind
            row.update(run_instance(problem, args.rollouts, args.threads, args.seed))
            rows.append(row)
            if writer is None:
                writer = csv.DictWriter(handle, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)
            handle.flush()
            devs = "  ".join(f"{m} {_percent(deviation(row[m], reference))}" for m in METHODS)
            print(f"{problem.name:14s} {devs}  (W = {row['learned_seconds']} s)", flush=True)
    table = summary(rows)
    settings = f"rollouts {args.rollouts}, CP-SAT threads {args.threads}, seed {args.seed}"
    command = "python results/scripts/learned_dispatch_study.py " + " ".join(sys.argv[1:])
    text = (
        f"{command}\n\nMean deviation (%) from the reference. cpsat: plain CP-SAT; cpsat+learned: CP-SAT from the "
        f"learned schedule; auto: solve()'s default (tabu search, then CP-SAT); each gets the learned "
        f"dispatcher's wall time ({settings}).\n\n"
    )
    out.with_suffix(".txt").write_text(text + table + "\n")
    print(table)


if __name__ == "__main__":
    main()
