"""schedkit vs PyJobShop side by side: job shop, RCPSP (PSPLIB) and flexible job shop, same budget, same machine.

Usage::

    python results/scripts/compare_pyjobshop.py ta21 ta22 j601_1 mk01 la01_edata ... [--time-limit 60]
        [--threads 2] [--seed 0] [--schedkit-method auto] [--pyjobshop-python PATH]
        [--out results/pyjobshop_compare.csv]

An instance is named as in the shared benchmark folder: a JSPLIB job shop
(``ta21``, ``ft10``; ``ta41``-``ta60`` are regenerated from Taillard's seeds),
a PSPLIB project (``j301_1``, ``j601_1``: ``.sm`` files of ``rcpsp/j30``,
``rcpsp/j60``), a flexible job shop by its ScheduleOpt key
(``mk01``, ``la01_edata``), or a path to an FJSPLIB file (``--best-known``
does not apply: its reference is then the better of the two makespans).

PyJobShop runs in its own virtual environment (created on first use under
``~/.cache/schedkit/pyjobshop-0.0.9`` unless ``--pyjobshop-python`` names an
interpreter that has it). For each instance the two solvers run one after the
other, never at the same time, each in a fresh process (schedkit through
``schedkit solve --json``), with the same time limit, threads and seed, both
on OR-Tools CP-SAT. Fresh processes on both sides matter: a first version ran
schedkit inside this script's long-lived process and PyJobShop in fresh
ones, and measured schedkit 0.2-0.3 points worse on every seed; with both
sides in fresh processes the two are level. schedkit runs ``--method``
``--schedkit-method`` (default ``auto``, what ``solve()`` runs by default;
``backend`` gives plain CP-SAT). Every schedkit schedule is checked by the
independent checker; PyJobShop's objective is taken as it reports it.
Deviation = (makespan - best known upper bound) / best known; the mean
deviation of each side and their ratio (schedkit / PyJobShop) are printed per
family and overall.
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
path, family = sys.argv[1], sys.argv[2]
time_limit, threads, seed = float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
if family == "jobshop":
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
else:
    data = pyjobshop.read(path, "psplib" if family == "rcpsp" else "fjsplib")
    model = pyjobshop.Model.from_data(data)
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


def best_known(bench: Path) -> dict[str, tuple[str, Path, int]]:
    """Instance name -> (family, file, best known makespan) over the shared job shop, RCPSP and FJSP sets."""
    out: dict[str, tuple[str, Path, int]] = {}
    with open(bench / "jobshop" / "bounds.csv") as handle:
        for row in csv.DictReader(handle):
            out[row["instance"]] = (
                "jobshop",
                bench / "jobshop" / "instances" / row["instance"],
                int(row["upper_bound"]),
            )
    for size in ("j30", "j60", "j90", "j120"):
        table = bench / "rcpsp" / f"{size}_bounds.csv"
        if not table.exists():
            continue
        with open(table) as handle:
            for row in csv.DictReader(handle):
                path = bench / "rcpsp" / size / f"{row['instance']}.sm"
                out[row["instance"]] = ("rcpsp", path, int(row["upper_bound"]))
    with open(bench / "fjsp" / "bounds.csv") as handle:
        for row in csv.DictReader(handle):
            out[row["bks_key"]] = ("fjsp", bench / "fjsp" / row["file"], int(row["upper_bound"]))
    return out


def locate(name: str, known: dict[str, tuple[str, Path, int]]) -> tuple[str, Path, int | None]:
    """(family, file, best known or None) of an instance name or an FJSPLIB path."""
    if name in known:
        return known[name]
    generated = _generated_taillard(name)
    if generated is not None:
        return generated
    path = Path(name)
    if path.exists():
        return "fjsp", path, None
    sys.exit(f"unknown instance {name!r}: not in the shared bounds files and not a file")


TAILLARD_41_60 = (
    *(2005, 1937, 1846, 1978, 1997, 2002, 1889, 1937, 1960, 1923),
    *(2760, 2756, 2717, 2839, 2679, 2781, 2943, 2885, 2655, 2723),
)
"""Best known makespans of ta41-ta60 (ScheduleOpt/benchmarks ``jobshop/solutions/bks.json``): the 30 x 20
set (all open except ta45) and the 50 x 15 set (all closed)."""


def _generated_taillard(name: str) -> tuple[str, Path, int | None] | None:
    """ta41-ta60, absent from the shared folder: regenerated from Taillard's seeds into a Taillard-format file."""
    if not (name.startswith("ta") and name[2:].isdigit() and 41 <= int(name[2:]) <= 60):
        return None
    import tempfile

    from schedkit.instances.generators.taillard import TAILLARD_JOBSHOP, taillard_jobs

    k = int(name[2:])
    jobs = taillard_jobs(*TAILLARD_JOBSHOP[k])
    path = Path(tempfile.gettempdir()) / f"schedkit_{name}.txt"
    rows = [f"{len(jobs)} {len(jobs[0])}"] + [" ".join(f"{m} {d}" for m, d in job) for job in jobs]
    path.write_text("\n".join(rows) + "\n")
    return "jobshop", path, TAILLARD_41_60[k - 41]


def mean(values: list[float]) -> float:
    """Arithmetic mean (0 for none)."""
    return sum(values) / len(values) if values else 0.0


def main() -> None:
    """Run both solvers on each instance and print a side-by-side table with mean deviations and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="+", help="ta21, j601_1, mk01, la01_edata, or an FJSPLIB file")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--schedkit-method", default="auto", help="schedkit's --method (backend: plain CP-SAT)")
    parser.add_argument(
        "--schedkit-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="passed as schedkit's --method-option (repeatable), e.g. improve=lns",
    )
    parser.add_argument("--pyjobshop-python")
    parser.add_argument("--out", default="results/pyjobshop_compare.csv")
    args = parser.parse_args()
    bench = benchmarks_dir()
    if bench is None:
        sys.exit("shared benchmark folder not found (set SCHEDKIT_BENCHMARKS)")
    known = best_known(bench)
    python = pyjobshop_python(args.pyjobshop_python)
    rows = []
    print(
        f"{'instance':12} {'family':7} {'BKS':>6} | {'schedkit':>9} {'bound':>6} {'dev%':>6} "
        f"| {'PyJobShop':>9} {'bound':>6} {'dev%':>6}"
    )
    for name in args.instances:
        family, path, best = locate(name, known)
        command = [sys.executable, "-m", "schedkit", "solve", str(path), "--json", "--time-limit", str(args.time_limit)]
        command += ["--threads", str(args.threads), "--seed", str(args.seed)]
        command += ["--method", args.schedkit_method]  # "backend": CP-SAT alone (without it the CLI runs auto)
        for option in args.schedkit_option:
            command += ["--method-option", option]
        completed = subprocess.run(command, capture_output=True, text=True, check=True)
        ours = json.loads(completed.stdout.strip().splitlines()[-1])
        assert ours["status"] in ("optimal", "feasible") and ours["violations"] == [], ours
        raw = subprocess.run(
            [python, "-c", RUNNER, str(path), family, str(args.time_limit), str(args.threads), str(args.seed)],
            capture_output=True,
            text=True,
            check=True,
        )
        theirs = json.loads(raw.stdout.strip().splitlines()[-1])
        theirs_value = theirs["objective"]
        finite = theirs_value is not None and theirs_value != float("inf")
        reference = best if best is not None else min(v for v in (ours["objective"], theirs_value) if v is not None)
        row = {
            "instance": name,
            "family": family,
            "best_known": reference,
            "time_limit": args.time_limit,
            "threads": args.threads,
            "schedkit_method": args.schedkit_method,
            "schedkit_options": " ".join(args.schedkit_option),
            "schedkit_makespan": ours["objective"],
            "schedkit_bound": ours["lower_bound"],
            "schedkit_status": ours["status"],
            "schedkit_dev_pct": round(100 * (ours["objective"] - reference) / reference, 3),
            "pyjobshop_makespan": int(theirs_value) if finite else None,
            "pyjobshop_bound": theirs["lower_bound"],
            "pyjobshop_status": theirs["status"],
            "pyjobshop_dev_pct": round(100 * (theirs_value - reference) / reference, 3) if finite else None,
        }
        rows.append(row)
        theirs_dev = "-" if row["pyjobshop_dev_pct"] is None else f"{row['pyjobshop_dev_pct']:.2f}"
        print(
            f"{name:12} {family:7} {reference:>6} | {row['schedkit_makespan']:>9} {str(row['schedkit_bound']):>6} "
            f"{row['schedkit_dev_pct']:>6.2f} | {str(row['pyjobshop_makespan']):>9} {str(row['pyjobshop_bound']):>6} "
            f"{theirs_dev:>6}",
            flush=True,
        )
    print("mean deviation from best known (instances where both found a schedule):")
    for family in [*dict.fromkeys(r["family"] for r in rows), "all"]:
        chosen = [r for r in rows if (family == "all" or r["family"] == family) and r["pyjobshop_dev_pct"] is not None]
        ours_mean = mean([r["schedkit_dev_pct"] for r in chosen])
        theirs_mean = mean([r["pyjobshop_dev_pct"] for r in chosen])
        ratio = f"{ours_mean / theirs_mean:.2f}" if theirs_mean > 0 else "-"
        missing = sum(1 for r in rows if (family == "all" or r["family"] == family)) - len(chosen)
        print(
            f"  {family:8} n={len(chosen):3}  schedkit {ours_mean:6.2f} %  PyJobShop {theirs_mean:6.2f} %  "
            f"ratio {ratio}" + (f"  ({missing} without a PyJobShop schedule)" if missing else "")
        )
    with open(args.out, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"rows written to {args.out}")


if __name__ == "__main__":
    main()
