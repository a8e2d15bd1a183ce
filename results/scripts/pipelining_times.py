"""Solve times of the four Flash Attention kernels (forward/backward x Hopper/Blackwell) against Twill's.

Usage::

    python results/scripts/pipelining_times.py [--budget 20] [--time-limit 600] [--threads 2] [--seed 0]
        [--kernels forward,backward] [--machines hopper,blackwell] [--out results/pipelining_times]

For each kernel and machine, :func:`schedkit.solvers.methods.flash_attention.run_kernel`
normalises the cycle counts with Twill's integer program (budget U), runs
iterative modulo scheduling (the heuristic baseline and warm start) and the
exact II search (CP-SAT per II through ``solve()``, the plain modulo
relaxation on the MIP to prove IIs infeasible), and reports:

* ``ii`` / ``ii_lower_bound`` / ``length`` / ``length_lower_bound`` and the
  status (``optimal``: both proven), the II in cycles;
* the heuristic's (IMS) II and length;
* the FA3 / FA4 structure facts of the returned schedule and the warp groups' roles;
* when the II was proven (a schedule at the II and no smaller II possible;
  the rest of the time goes to the length), and the wall time, next to
  Twill's: the text of the paper gives only the Hopper forward search time
  (28 s, Twill §6.4; per-kernel times are in its Table 1, an image); Twill
  searched on one core of a Xeon Platinum 8570 with U = 300.

Writes ``<out>.csv`` and ``<out>.txt`` (a Markdown table and the Hopper
forward listing) unless ``--out -``.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from schedkit.models.pipelining import format_listing, gpu, listing
from schedkit.solvers.methods.flash_attention import KernelRun, run_kernel

TWILL_SECONDS = {("forward", "hopper"): "28"}
"""Search times stated in Twill's text (§6.4); the others are in its Table 1, an image we could not read."""

FIELDS = [
    "kernel",
    "machine",
    "tile",
    "budget",
    "status",
    "ii",
    "ii_lower_bound",
    "ii_cycles",
    "length",
    "length_lower_bound",
    "ims_ii",
    "ims_length",
    "ii_seconds",
    "seconds",
    "twill_seconds",
    "fa3",
    "fa4",
    "groups",
]


def row(run: KernelRun, kernel: str, machine: str) -> dict[str, object]:
    """One CSV row of a run."""
    data = run.to_dict(include_listing=False)
    structure = data.get("structure", {})
    return {
        "kernel": kernel,
        "machine": machine,
        "tile": data["tile"],
        "budget": run.normalisation.budget,
        "status": data["status"],
        "ii": data["ii"],
        "ii_lower_bound": data["ii_lower_bound"],
        "ii_cycles": data["ii_cycles"],
        "length": data["length"],
        "length_lower_bound": data["length_lower_bound"],
        "ims_ii": data["warm_start"].get("ii"),
        "ims_length": data["warm_start"].get("length"),
        "ii_seconds": "-" if run.result.ii_seconds is None else round(run.result.ii_seconds, 1),
        "seconds": round(run.seconds, 1),
        "twill_seconds": TWILL_SECONDS.get((kernel, machine), "-"),
        "fa3": structure.get("fa3", {}).get("holds", "-"),
        "fa4": structure.get("fa4", {}).get("holds", "-"),
        "groups": "; ".join(f"{g['name']}: {g['role']}" for g in data.get("warp_groups", [])),
    }


def markdown(rows: list[dict[str, object]]) -> str:
    """The table of the README."""
    head = (
        "| kernel | machine | tile | II (bound) | II cycles | L (bound) | IMS II / L | status | II proven at (s) "
        "| time (s) | Twill (s) |"
    )
    lines = [head, "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(
            f"| {r['kernel']} | {r['machine']} | {r['tile']} | {r['ii']} ({r['ii_lower_bound']}) | {r['ii_cycles']} "
            f"| {r['length']} ({r['length_lower_bound']}) | {r['ims_ii']} / {r['ims_length']} | {r['status']} "
            f"| {r['ii_seconds']} | {r['seconds']} | {r['twill_seconds']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the kernels, print and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=20, help="cost normalisation budget U (Twill: 300)")
    parser.add_argument("--time-limit", type=float, default=600.0, help="seconds per kernel")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--kernels", default="forward,backward")
    parser.add_argument("--machines", default="hopper,blackwell")
    parser.add_argument("--out", default="results/pipelining_times", help="output stem, or - for none")
    args = parser.parse_args(argv)
    rows, listings = [], []
    started = time.perf_counter()
    for kernel in args.kernels.split(","):
        for machine in args.machines.split(","):
            run = run_kernel(
                kernel,
                gpu(machine),
                budget=args.budget,
                time_limit=args.time_limit,
                threads=args.threads,
                seed=args.seed,
            )
            rows.append(row(run, kernel, machine))
            print(rows[-1], flush=True)
            if run.result.solution is not None and run.result.ii is not None:
                lst = listing(run.schedule(), run.result.ii, run.problem.meta["warp_groups"])
                text = format_listing(lst, run.normalisation.cycles_per_unit)
                listings.append(f"### {run.kernel.name} (U = {args.budget})\n\n```\n{run.report()}\n{text}\n```")
    table = markdown(rows)
    total = time.perf_counter() - started
    print(table)
    print(f"total {total:.1f} s")
    if args.out != "-":
        stem = Path(args.out)
        stem.parent.mkdir(parents=True, exist_ok=True)
        with open(stem.with_suffix(".csv"), "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(rows)
        command = "python " + " ".join(["results/scripts/pipelining_times.py", *(argv or sys.argv[1:])])
        stem.with_suffix(".txt").write_text(
            f"{command}\n\n{table}\n\ntotal {total:.1f} s\n\n" + "\n\n".join(listings) + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
