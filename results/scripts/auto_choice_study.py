"""The measurements behind ``auto``'s choice table: plain backend vs local search vs both, same budget.

Usage::

    python results/scripts/auto_choice_study.py ta21 ta31 mk10 j601_1 wt40:0 [--time-limit 60] [--threads 2]
        [--shares 0 0.5 1] [--improvers backend fresh] [--out results/auto_choice_study.csv]

Each instance (named as in ``compare_pyjobshop.py``, or ``wt40:K`` for the
K-th OR-Library wt40 instance, or ``wc:SEED`` for a generated 100 x 60
work-centre flexible job shop) is solved in a fresh process per
configuration, one after the other: ``backend`` (plain CP-SAT, ``--method
backend``) and ``auto`` with each ``local_search_share`` of ``--shares`` (0:
the backend alone after the plan's choice, 1: the local search alone), and
with ``--improvers`` each of those once per improver (``--method-option
improve=...``: the backend warm-started, from scratch, or LNS). The
table gives the objective, the bound and the deviation from the best known
(or from the best of the row for generated instances).
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from schedkit.instances import benchmarks_dir

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_pyjobshop import best_known, locate  # noqa: E402


def instance_file(name: str, bench: Path, scratch: Path) -> tuple[list[str], int | None]:
    """(CLI arguments naming the instance, best known or None)."""
    if name.startswith("wt40:"):
        index = int(name.split(":")[1])
        optima = (bench / "smtt" / "wtopt40.txt").read_text().split()
        return [str(bench / "smtt" / "wt40.txt"), "--index", str(index)], int(optima[index])
    if name.startswith("wc:"):
        from schedkit.instances.generators.fjsp import work_center_fjsp
        from schedkit.models.io import save_problem

        path = scratch / f"wc{name.split(':')[1]}.json"
        save_problem(work_center_fjsp(seed=int(name.split(":")[1])), path)
        return [str(path)], None
    _, path, best = locate(name, best_known(bench))
    return [str(path)], best


def main() -> None:
    """Run every configuration on every instance and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="+")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shares", type=float, nargs="+", default=[0.0, 0.5, 1.0])
    parser.add_argument("--improvers", nargs="+", default=[None], help="auto's improve option (default: its own)")
    parser.add_argument("--out", default="results/auto_choice_study.csv")
    args = parser.parse_args()
    bench = benchmarks_dir()
    if bench is None:
        sys.exit("shared benchmark folder not found (set SCHEDKIT_BENCHMARKS)")
    configs = [("backend", None, None)] + [("auto", s, i) for s in args.shares for i in args.improvers]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.instances:
            files, best = instance_file(name, bench, Path(scratch))
            found = []
            for method, share, improve in configs:
                command = [sys.executable, "-m", "schedkit", "solve", *files, "--json"]
                command += ["--time-limit", str(args.time_limit), "--threads", str(args.threads)]
                command += ["--seed", str(args.seed), "--method", method]
                if share is not None:
                    command += ["--method-option", f"local_search_share={share}"]
                if improve is not None:
                    command += ["--method-option", f"improve={improve}"]
                out = subprocess.run(command, capture_output=True, text=True, check=True)
                data = json.loads(out.stdout.strip().splitlines()[-1])
                assert data["violations"] == [], data
                auto = data.get("stats", {}).get("auto", {})
                label = method if share is None else f"auto:{share:g}" + (f":{improve}" if improve else "")
                found.append((label, data["objective"], data["lower_bound"], auto.get("plan", ""), data["wall_time"]))
            reference = best if best is not None else min(v for _, v, _, _, _ in found if v is not None)
            for label, value, bound, plan, wall in found:
                dev = None if value is None else round(100 * (value - reference) / reference, 3)
                rows.append(
                    {
                        "instance": name,
                        "config": label,
                        "plan": plan,
                        "objective": value,
                        "bound": bound,
                        "reference": reference,
                        "dev_pct": dev,
                        "wall_time": round(wall, 2),
                    }
                )
                print(f"{name:12} {label:16} {plan:15} {value!s:>8} {bound!s:>8} {dev!s:>8} {wall:7.2f}", flush=True)
    print("mean deviation per configuration:")
    for label in dict.fromkeys(r["config"] for r in rows):
        devs = [r["dev_pct"] for r in rows if r["config"] == label and r["dev_pct"] is not None]
        print(f"  {label:16} {sum(devs) / max(1, len(devs)):7.3f} %  over {len(devs)} instances")
    with open(args.out, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"rows written to {args.out}")


if __name__ == "__main__":
    main()
