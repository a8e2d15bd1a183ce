"""Job shop side by side: schedkit's CP-SAT model vs PyJobShop 0.0.9, same budget, same machine.

Usage::

    python results/scripts/compare_pyjobshop.py ta01 ta02 ... [--time-limit 60] [--threads 2]
        [--seed 0] [--pyjobshop-python PATH] [--out results/pyjobshop_taillard_seed0.csv]

PyJobShop runs in its own virtual environment (created on first use under
``~/.cache/schedkit/pyjobshop-0.0.9`` unless ``--pyjobshop-python`` names an
interpreter that has it). For each instance the two solvers run one after the
other, never at the same time, each in a fresh process (schedkit through
``schedkit solve --json``), with the same time limit, threads and seed, both
on OR-Tools CP-SAT. Fresh processes on both sides matter: a first version ran
schedkit inside this script's long-lived process and PyJobShop in fresh
ones, and measured schedkit 0.2-0.3 points worse on every seed; with both
sides in fresh processes the two are level. Every schedkit schedule is
checked by the independent checker; PyJobShop's objective is taken as it
reports it.
Deviation = (makespan - best known upper bound) / best known, bounds from the
shared ``jobshop/bounds.csv``.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import venv
from pathlib import Path

from schedkit.instances import benchmarks_dir

PYJOBSHOP_VERSION = "0.0.9"

RUNNER = r"""
import json, sys, time
import pyjobshop
path, time_limit, threads, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
lines = [l for l in open(path) if l.strip() and not l.lstrip().startswith("#")]
n, m = map(int, lines[0].split())
model = pyjobshop.Model()
machines = [model.add_machine() for _ in range(m)]
for row in lines[1:n + 1]:
    values = list(map(int, row.split()))
    job = model.add_job()
    previous = None
    for k in range(m):
        task = model.add_task(job=job)
        model.add_mode(task, machines[values[2 * k]], values[2 * k + 1])
        if previous is not None:
            model.add_end_before_start(previous, task)
        previous = task
model.set_objective(weight_makespan=1)
started = time.perf_counter()
result = model.solve("ortools", time_limit=time_limit, display=False, num_workers=threads, random_seed=seed)
print(json.dumps({"objective": result.objective, "lower_bound": result.lower_bound,
                  "status": str(result.status), "runtime": time.perf_counter() - started}))
"""


def pyjobshop_python(explicit: str | None) -> str:
    """An interpreter with PyJobShop installed (made on first use)."""
    if explicit:
        return explicit
    home = Path.home() / ".cache" / "schedkit" / f"pyjobshop-{PYJOBSHOP_VERSION}"
    python = home / "bin" / "python"
    if not python.exists():
        print(f"creating {home} with pyjobshop=={PYJOBSHOP_VERSION} ...", file=sys.stderr)
        venv.create(home, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", f"pyjobshop=={PYJOBSHOP_VERSION}"], check=True)
    return str(python)


def best_known(bench: Path) -> dict[str, int]:
    """Best known makespan (upper bound) per instance."""
    with open(bench / "jobshop" / "bounds.csv") as handle:
        return {row["instance"]: int(row["upper_bound"]) for row in csv.DictReader(handle)}


def main() -> None:
    """Run both solvers on each instance and print a side-by-side table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="+", help="JSPLIB names, e.g. ta01")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pyjobshop-python")
    parser.add_argument("--out", default="results/pyjobshop_taillard_seed0.csv")
    args = parser.parse_args()
    bench = benchmarks_dir()
    if bench is None:
        sys.exit("shared benchmark folder not found (set SCHEDKIT_BENCHMARKS)")
    bks = best_known(bench)
    python = pyjobshop_python(args.pyjobshop_python)
    rows = []
    print(
        f"{'instance':9} {'BKS':>6} | {'schedkit':>9} {'bound':>6} {'dev%':>6} "
        f"| {'PyJobShop':>9} {'bound':>6} {'dev%':>6}"
    )
    for name in args.instances:
        path = bench / "jobshop" / "instances" / name
        completed = subprocess.run(
            [sys.executable, "-m", "schedkit", "solve", str(path), "--json", "--time-limit", str(args.time_limit)]
            + ["--threads", str(args.threads), "--seed", str(args.seed)],
            capture_output=True,
            text=True,
            check=True,
        )
        ours = json.loads(completed.stdout.strip().splitlines()[-1])
        assert ours["status"] in ("optimal", "feasible") and ours["violations"] == [], ours
        raw = subprocess.run(
            [python, "-c", RUNNER, str(path), str(args.time_limit), str(args.threads), str(args.seed)],
            capture_output=True,
            text=True,
            check=True,
        )
        theirs = json.loads(raw.stdout.strip().splitlines()[-1])
        best = bks[name]
        row = {
            "instance": name,
            "best_known": best,
            "time_limit": args.time_limit,
            "threads": args.threads,
            "schedkit_makespan": ours["objective"],
            "schedkit_bound": ours["lower_bound"],
            "schedkit_status": ours["status"],
            "schedkit_dev_pct": round(100 * (ours["objective"] - best) / best, 3),
            "pyjobshop_makespan": int(theirs["objective"]),
            "pyjobshop_bound": theirs["lower_bound"],
            "pyjobshop_status": theirs["status"],
            "pyjobshop_dev_pct": round(100 * (theirs["objective"] - best) / best, 3),
        }
        rows.append(row)
        print(
            f"{name:9} {best:>6} | {row['schedkit_makespan']:>9} {row['schedkit_bound']:>6} "
            f"{row['schedkit_dev_pct']:>6.2f} | {row['pyjobshop_makespan']:>9} {row['pyjobshop_bound']:>6} "
            f"{row['pyjobshop_dev_pct']:>6.2f}",
            flush=True,
        )
    mean_ours = sum(r["schedkit_dev_pct"] for r in rows) / len(rows)
    mean_theirs = sum(r["pyjobshop_dev_pct"] for r in rows) / len(rows)
    print(f"{'mean':9} {'':>6} | {'':>9} {'':>6} {mean_ours:>6.2f} | {'':>9} {'':>6} {mean_theirs:>6.2f}")
    with open(args.out, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"rows written to {args.out}")


if __name__ == "__main__":
    main()
