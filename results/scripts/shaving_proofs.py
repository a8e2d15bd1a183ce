"""Time to prove a shop optimal: plain CP-SAT against the default solve() (probe, tabu, shaving, CP-SAT).

Usage::

    python results/scripts/shaving_proofs.py la01_edata mk01 kacem4.fjs [--time-limit 120] [--threads 2]
        [--out results/shaving_proofs.csv]

Instances are names from the shared bounds files (``ta21``, ``mk01``,
``la01_edata``) or FJSPLIB files. Each solve runs in a fresh process, one
after the other, with the same time limit and threads: ``plain`` is
``solve(p, backend="cpsat")`` (CP-SAT optimises until it proves the optimum
or the limit ends), ``default`` is ``solve(p)`` (method ``auto``: its probe,
the tabu search, shaving tests ``C_max <= t`` when the gap is one unit,
then CP-SAT). The table gives each side's makespan, proven bound, status and
wall time; "proof" is the wall time when the status is optimal.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_pyjobshop import best_known, locate  # noqa: E402

from schedkit.instances import benchmarks_dir  # noqa: E402

RUNNER = r"""
import json, sys, time
import schedkit as sk
path, mode, time_limit, threads = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
problem = sk.read(path)
started = time.perf_counter()
if mode == "plain":
    result = sk.solve(problem, backend="cpsat", time_limit=time_limit, threads=threads)
else:
    result = sk.solve(problem, time_limit=time_limit, threads=threads)
seconds = time.perf_counter() - started
assert result.solution is not None and not sk.check(problem, result.solution)
auto = result.stats.get("auto", {})
print(json.dumps({"objective": result.objective, "bound": result.lower_bound, "status": result.status.value,
                  "seconds": round(seconds, 2), "ran": auto.get("ran"), "shaving": auto.get("shaving")}))
"""


def run(path: Path, mode: str, time_limit: float, threads: int) -> dict[str, object]:
    """One solve in a fresh process: its JSON line."""
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, str(path), mode, str(time_limit), str(threads)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"status": "error", "note": done.stderr.strip().splitlines()[-1:]}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    """Run both sides on every instance and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("instances", nargs="+")
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default="results/shaving_proofs.csv")
    args = parser.parse_args()
    bench = benchmarks_dir()
    known = best_known(bench) if bench is not None else {}
    rows = []
    print(
        f"{'instance':<14} {'BKS':>5} | {'plain':>6} {'bound':>6} {'proof s':>8} | {'default':>7} {'bound':>6} "
        f"{'proof s':>8}  ran"
    )
    for name in args.instances:
        _, path, bks = locate(name, known)
        plain = run(path, "plain", args.time_limit, args.threads)
        default = run(path, "default", args.time_limit, args.threads)
        row = {"instance": Path(name).stem if Path(name).exists() else name, "bks": bks}
        for side, out in (("plain", plain), ("default", default)):
            row[f"{side}_objective"] = out.get("objective")
            row[f"{side}_bound"] = out.get("bound")
            row[f"{side}_status"] = out.get("status")
            row[f"{side}_seconds"] = out.get("seconds")
            row[f"{side}_proof"] = out.get("seconds") if out.get("status") == "optimal" else None
        row["default_ran"] = "+".join(default.get("ran") or [])
        rows.append(row)

        def proof(side: str, row: dict[str, object] = row) -> str:
            value = row[f"{side}_proof"]
            return "-" if value is None else f"{value:.1f}"

        print(
            f"{row['instance']:<14} {bks if bks is not None else '-':>5} | {row['plain_objective']!s:>6} "
            f"{row['plain_bound']!s:>6} {proof('plain'):>8} | {row['default_objective']!s:>7} "
            f"{row['default_bound']!s:>6} {proof('default'):>8}  {row['default_ran']}",
            flush=True,
        )
    with open(args.out, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"rows written to {args.out}")


if __name__ == "__main__":
    main()
