"""What each constraint of the warp model contributes to the FA3 / FA4 structures (forward kernels).

Usage::

    python results/scripts/pipelining_ablation.py [--budget 20] [--time-limit 30] [--threads 2]
        [--machines hopper,blackwell] [--out results/pipelining_ablation]

For each machine: solve the forward kernel (all constraints) for its optimal
II* and length L*. Each structural fact is then tested *counterfactually*:
the ops are forced (``LoopOp.warp_groups``) into a layout that breaks the
fact, and CP-SAT decides whether any schedule of II* and length <= L* exists.
``forced`` = none exists, so the model derives the fact; ``tie`` = one exists,
so the fact is only chosen among equally fast schedules (by the role-mixing
level). Repeating the test with one constraint family left out
(:data:`schedkit.models.pipelining.CONSTRAINTS`) shows which family forces
which fact: a ``forced`` that turns into ``tie`` when family X is left out is
X's contribution. Also reported per variant: the II and L of the
unrestricted solve without X and whether the returned schedule keeps the
expert structure.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

from schedkit.models import ModelError
from schedkit.models.pipelining import CONSTRAINTS, fa3_structure, fa4_structure, gpu, pipelining, read_schedule
from schedkit.solvers import solve
from schedkit.solvers.methods.flash_attention import KernelRun, run_kernel
from schedkit.solvers.methods.pipelining import at_ii

FACTS = {
    "hopper": {
        "sub-tiles on different groups": {"S_a": "wg1", "S_b": "wg1"},
        "softmax with its GEMMs": {"S_a": "wg1", "P_a": "wg2"},
        "both GEMMs on one group": {"S_a": "wg1", "O_a": "wg2"},
        "correction with the accumulator": {"S_a": "wg1", "C_a": "wg2"},
        "loads on the producer only": {"load_K": "wg1"},
    },
    "blackwell": {
        "one softmax group per sub-tile": {"P_a": "wg0", "P_b": "wg0"},
        "correction off its softmax group": {"P_a": "wg0", "C_a": "wg0"},
        "MMA off the softmax groups": {"P_a": "wg0", "S_a": "wg0"},
        "one correction group": {"P_a": "wg0", "C_a": "wg1", "P_b": "wg1"},
        "loads on the load warp only": {"load_K": "w12"},
    },
}
"""Per machine: fact -> a layout (op -> group) that breaks it."""


def counterfactual(run: KernelRun, pins: dict[str, str], without: list[str], ii: int, length: int, limit: float) -> str:
    """``forced`` when no schedule of II and length exists with ``pins``, ``tie`` when one does."""
    ops = tuple(
        dataclasses.replace(op, warp_groups=(pins[op.name],)) if op.name in pins else op for op in run.kernel.loop.ops
    )
    try:
        problem = pipelining(dataclasses.replace(run.kernel.loop, ops=ops), run.kernel.machine, without=without)
    except ModelError:
        return "forced (no such mode)"
    result = solve(at_ii(problem, ii, horizon=length, feasibility=True), time_limit=limit, threads=2)
    return {"infeasible": "forced", "optimal": "tie", "feasible": "tie"}.get(result.status.value, "unknown")


def main(argv: list[str] | None = None) -> int:
    """Run the ablation, print and write the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per solve")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--machines", default="hopper,blackwell")
    parser.add_argument("--out", default="results/pipelining_ablation", help="output stem, or - for none")
    args = parser.parse_args(argv)
    report, records = [], []
    started = time.perf_counter()
    for machine in args.machines.split(","):
        spec = gpu(machine)
        full = run_kernel("forward", spec, budget=args.budget, time_limit=4 * args.time_limit, threads=args.threads)
        ii, length = full.result.ii, full.result.length
        assert ii is not None and length is not None, full.result.to_dict()
        # Single families, then pairs of the three warp rules that overlap, to isolate each of them.
        variants = [
            "",
            *[c for c in CONSTRAINTS if c != "roles"],
            "blocking+issue",
            "registers+issue",
            "registers+blocking",
            "registers+blocking+issue",
        ]
        header = f"| fact ({machine}, II* = {ii}, L* = {length}) | " + " | ".join(
            f"w/o {v}" if v else "all" for v in variants
        )
        lines = [header + " |", "| --- |" + " --- |" * len(variants)]
        for fact, pins in FACTS[machine].items():
            cells = []
            for variant in variants:
                without = variant.split("+") if variant else []
                status = counterfactual(full, pins, without, ii, length, args.time_limit)
                cells.append(status)
                records.append({"machine": machine, "fact": fact, "without": variant, "status": status})
            lines.append(f"| {fact} | " + " | ".join(cells) + " |")
        free = ["", *CONSTRAINTS]
        lines += [
            "",
            f"| {machine}: solved without | II | L | expert structure | warp groups |",
            "| --- | --- | --- | --- | --- |",
        ]
        for variant in free:
            without = [variant] if variant else []
            run = run_kernel(
                "forward",
                spec,
                budget=args.budget,
                time_limit=4 * args.time_limit,
                threads=args.threads,
                without=without,
            )
            r = run.result
            holds = "-"
            groups = ""
            if r.solution is not None and r.ii is not None:
                schedule = read_schedule(run.problem, r.solution)
                check = fa3_structure(schedule, r.ii) if machine == "hopper" else fa4_structure(schedule, r.ii)
                holds = "yes" if check.holds else "no: " + ", ".join(k for k, v in check.facts.items() if not v)
                groups = "; ".join(f"{g['name']}: {' '.join(g['ops'])}" for g in run.to_dict(False)["warp_groups"])
            lines.append(f"| {variant or '(nothing)'} | {r.ii} | {r.length} | {holds} | {groups} |")
            records.append(
                {"machine": machine, "free_without": variant, "ii": r.ii, "length": r.length, "expert": holds}
            )
        report.append("\n".join(lines))
        print(report[-1], flush=True)
    total = time.perf_counter() - started
    print(f"total {total:.1f} s")
    if args.out != "-":
        stem = Path(args.out)
        stem.parent.mkdir(parents=True, exist_ok=True)
        command = "python results/scripts/pipelining_ablation.py " + " ".join(sys.argv[1:] if argv is None else argv)
        stem.with_suffix(".txt").write_text(command + "\n\n" + "\n\n".join(report) + f"\n\ntotal {total:.1f} s\n")
        stem.with_suffix(".json").write_text(json.dumps(records, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
