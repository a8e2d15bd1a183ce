"""The Flash Attention kernels end to end: build, normalise the costs, solve the II search, read the result.

:func:`run_kernel` is what ``schedkit pipeline`` and the timing script run:

1. the kernel's primitive costs in cycles from the machine model
   (:func:`schedkit.models.pipelining.cost_table`);
2. Twill's cost normalisation (:func:`~schedkit.solvers.methods.cost_normalisation.normalise`)
   with budget U, and the loop rebuilt in the normalised units;
3. the IR problem (:func:`schedkit.models.pipelining.pipelining`, optionally
   without some constraint families for ablations);
4. iterative modulo scheduling as warm start and baseline, then the exact II
   search (:func:`~schedkit.solvers.methods.pipelining.solve_pipelining`), with
   the plain modulo-scheduling relaxation (Twill's phase 1, solved by the MIP)
   proving IIs infeasible where CP-SAT alone cannot;
5. the schedule read back: per warp group its ops and role, the FA3 and FA4
   structure facts, the prologue / kernel / epilogue listing.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from schedkit.models import ProblemData
from schedkit.models.pipelining import (
    Kernel,
    Normalisation,
    Tile,
    build,
    cost_table,
    describe,
    fa3_structure,
    fa4_structure,
    format_listing,
    listing,
    pipelining,
    read_schedule,
)
from schedkit.models.pipelining.builder import relaxation
from schedkit.models.pipelining.machines import GpuSpec
from schedkit.solvers.methods.cost_normalisation import normalise
from schedkit.solvers.methods.pipelining import PipelineResult, solve_pipelining


@dataclass
class KernelRun:
    """Everything one run produced (see the module docstring)."""

    kernel: Kernel
    normalisation: Normalisation
    problem: ProblemData
    result: PipelineResult
    without: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def title(self) -> str:
        """A chart title: kernel, machine, tile, II and L."""
        return f"{self.kernel.name}: II = {self.result.ii}, L = {self.result.length} (U = {self.normalisation.budget})"

    def schedule(self) -> dict[str, Any]:
        """The decoded schedule (empty without a solution)."""
        if self.result.solution is None:
            return {}
        return read_schedule(self.problem, self.result.solution)

    def to_dict(self, include_listing: bool = True) -> dict[str, Any]:
        """JSON-ready: the II search, the warp groups and their roles, the structures, the listing."""
        result = self.result
        out: dict[str, Any] = {
            "kernel": self.kernel.name,
            "machine": self.problem.meta.get("machine"),
            "tile": str(self.kernel.tile),
            "without": self.without,
            **result.to_dict(),
            "seconds": round(self.seconds, 3),
            "normalisation": self.normalisation.to_dict(),
            "ii_cycles": None if result.ii is None else round(result.ii * self.normalisation.cycles_per_unit),
        }
        schedule = self.schedule()
        if schedule:
            out["warp_groups"] = [
                {"name": g.group, "role": g.description, "ops": list(g.ops)} for g in describe(schedule)
            ]
            assert result.ii is not None
            out["structure"] = {
                "fa3": fa3_structure(schedule, result.ii).to_dict(),
                "fa4": fa4_structure(schedule, result.ii).to_dict(),
            }
            out["schedule"] = {
                name: {"warp_group": s.warp_group, "issue": s.issue, "latency": s.latency, "stage": s.stage}
                for name, s in schedule.items()
            }
            if include_listing:
                out["listing"] = listing(schedule, result.ii, self.problem.meta["warp_groups"]).to_dict()
        return out

    def report(self, listing_text: bool = False, **_: Any) -> str:
        """A text report for the command line."""
        r = self.result
        lines = [
            f"kernel       {self.kernel.name} ({len(self.kernel.loop.ops)} ops, "
            f"sub-tiles {', '.join(self.kernel.subtiles)})",
            f"costs        U = {self.normalisation.budget}, F = {self.normalisation.error}, "
            f"1 unit ~ {self.normalisation.cycles_per_unit:.0f} cycles: {self.normalisation.scaled}",
            f"status       {r.status}",
            f"II           {r.ii} (proven lower bound {r.ii_lower_bound})"
            + (f", ~{r.ii * self.normalisation.cycles_per_unit:.0f} cycles" if r.ii else ""),
            f"length       {r.length} (lower bound {r.length_lower_bound})",
            f"heuristic    IMS: II {r.warm_start.get('ii')}, length {r.warm_start.get('length')}",
            f"time         {self.seconds:.2f} s",
        ]
        schedule = self.schedule()
        if schedule and r.ii is not None:
            for g in describe(schedule):
                lines.append(f"  {g.group:<5} {g.description:<34} {' '.join(g.ops)}")
            for name, check in (("FA3", fa3_structure(schedule, r.ii)), ("FA4", fa4_structure(schedule, r.ii))):
                facts = ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in check.facts.items())
                lines.append(f"{name:<12} {'holds' if check.holds else 'no'}: {facts}")
            if listing_text:
                lst = listing(schedule, r.ii, self.problem.meta["warp_groups"])
                lines.append(format_listing(lst, self.normalisation.cycles_per_unit))
        return "\n".join(lines)


def run_kernel(
    kind: str,
    spec: GpuSpec,
    tile: Tile | None = None,
    budget: int = 20,
    time_limit: float | None = None,
    threads: int | None = None,
    seed: int = 0,
    without: Iterable[str] = (),
    warm_start: str | None = "ims",
    params: dict[str, Any] | None = None,
) -> KernelRun:
    """Build, normalise and solve kernel ``kind`` on ``spec`` (see the module docstring)."""
    started = time.perf_counter()
    norm = normalise(cost_table(kind, spec, tile), budget)
    kernel = build(kind, spec, tile, costs=norm.scaled)
    removed = sorted(set(without))
    problem = pipelining(kernel.loop, kernel.machine, name=kernel.loop.name, without=removed)
    relaxed = relaxation(kernel.loop, kernel.machine, name=kernel.loop.name)
    result = solve_pipelining(
        problem,
        time_limit=time_limit,
        threads=threads,
        seed=seed,
        warm_start=warm_start,
        params=params,
        relaxation=relaxed,
    )
    return KernelRun(kernel, norm, problem, result, removed, time.perf_counter() - started)
