"""The pipelined loop as a program: per warp group, the prologue, the steady-state kernel and the epilogue.

Following Twill (§3.1): with schedule length L and initiation interval II, the
loop is ``c = ceil(L / II)`` copies of one iteration's schedule, each II
later than the previous. The first ``(c - 1) II`` cycles are the *prologue*
(the pipeline fills), the next II the *kernel* (the steady state, repeated),
the rest the *epilogue* (the pipeline drains). In the kernel, op v of stage
``k = t_v // II`` works on iteration ``i - k`` while stage-0 ops start
iteration i.

Times are in the normalised units of the solved problem; ``cycles_per_unit``
(from the cost normalisation) converts them back to approximate clock cycles.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from schedkit.models.pipelining.loop import OpSchedule


@dataclass(frozen=True)
class Instruction:
    """One op of one iteration in the unrolled program: ``start``/``end`` in units, ``iteration`` = copy index."""

    op: str
    iteration: int
    start: int
    end: int
    warp_group: str | None


@dataclass(frozen=True)
class Listing:
    """The unrolled program: II, L, the number of copies and the instructions of each region per warp group."""

    ii: int
    length: int
    copies: int
    prologue: dict[str, list[Instruction]]
    kernel: dict[str, list[Instruction]]
    epilogue: dict[str, list[Instruction]]

    @property
    def kernel_start(self) -> int:
        """First cycle of the steady state: ``(copies - 1) * II``."""
        return (self.copies - 1) * self.ii

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: per region, per group, ``[op, iteration, start, end]`` rows."""

        def rows(region: dict[str, list[Instruction]]) -> dict[str, list[list[object]]]:
            return {g: [[x.op, x.iteration, x.start, x.end] for x in xs] for g, xs in region.items()}

        return {
            "ii": self.ii,
            "length": self.length,
            "copies": self.copies,
            "prologue": rows(self.prologue),
            "kernel": rows(self.kernel),
            "epilogue": rows(self.epilogue),
        }


def listing(schedule: dict[str, OpSchedule], ii: int, groups: list[str] | None = None) -> Listing:
    """The prologue / kernel / epilogue of a modulo schedule (see the module docstring).

    ``schedule`` comes from :func:`~schedkit.models.pipelining.decode.read_schedule`;
    issue times are shifted so the first op starts at 0. ``groups`` orders
    the warp groups (default: by first use).
    """
    first = min(s.issue for s in schedule.values())
    length = max(s.issue - first + s.latency for s in schedule.values())
    copies = max(1, ceil(length / ii))
    kernel_start, kernel_end = (copies - 1) * ii, copies * ii
    order = groups or list(dict.fromkeys(s.warp_group or "-" for s in sorted(schedule.values(), key=lambda s: s.issue)))
    regions: list[dict[str, list[Instruction]]] = [{g: [] for g in order} for _ in range(3)]
    for j in range(copies):
        for s in schedule.values():
            start = s.issue - first + j * ii
            region = 0 if start < kernel_start else 1 if start < kernel_end else 2
            group = s.warp_group or "-"
            regions[region].setdefault(group, []).append(Instruction(s.op, j, start, start + s.latency, s.warp_group))
    for part in regions:
        for xs in part.values():
            xs.sort(key=lambda x: (x.start, x.op))
    return Listing(ii, length, copies, regions[0], regions[1], regions[2])


def format_listing(lst: Listing, cycles_per_unit: float | None = None) -> str:
    """The listing as text: one block per region, one line per warp group and instruction.

    In the kernel, iteration ``j`` of the unrolled program is written relative
    to the newest iteration i started there (``i``, ``i-1``, ...).
    """
    newest = lst.copies - 1
    lines = [f"II = {lst.ii}, L = {lst.length}, {lst.copies} overlapped iterations" + _cycles(lst.ii, cycles_per_unit)]
    for title, region, relative in (
        ("prologue", lst.prologue, False),
        ("kernel (steady state, repeats every II)", lst.kernel, True),
        ("epilogue", lst.epilogue, False),
    ):
        lines.append(f"-- {title}")
        for group, xs in region.items():
            if not xs:
                continue
            lines.append(f"  {group}:")
            for x in xs:
                if relative:
                    offset = newest - x.iteration
                    label = "i" if offset == 0 else f"i-{offset}"
                    at = x.start - lst.kernel_start
                else:
                    label, at = str(x.iteration), x.start
                lines.append(f"    {at:>5} .. {at + x.end - x.start:<5} {x.op:<10} iteration {label}")
    return "\n".join(lines)


def _cycles(ii: int, cycles_per_unit: float | None) -> str:
    if not cycles_per_unit:
        return ""
    return f" (1 unit ~ {cycles_per_unit:.0f} cycles: II ~ {ii * cycles_per_unit:.0f} cycles)"
