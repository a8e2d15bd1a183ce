"""The steady-state kernel of a modulo schedule: units and warp groups over one II, iterations coloured.

:func:`kernel_rows` (no matplotlib) folds every op of one iteration into the
window ``[0, II)`` of the steady state: on each functional unit the
reservations of its chosen mode (the tensor core, exp, FMA, shared-memory and
TMA usages), on its warp group the op itself from issue to completion. An op
of stage k (issued ``k * II`` or more after the iteration starts) works, in
the kernel, on iteration ``i - k``: bars are coloured by that offset. A bar
that wraps past II continues at 0.

:func:`pipelining_figure` draws them (one row per unit, then one per warp
group), returns the matplotlib ``Figure`` and writes it when given a path;
:func:`schedkit.plots.plot` uses it for the pipelining family.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from schedkit.models import ProblemData, ResourceKind, Solution

if TYPE_CHECKING:
    from matplotlib.figure import Figure

STAGE_COLORS = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860")
"""Colour of iteration i, i-1, i-2, ... (cycled)."""


@dataclass(frozen=True)
class Bar:
    """A folded bar ``[start, start + length)`` within ``[0, II)`` on ``row``, for ``op`` of ``stage``."""

    row: str
    op: str
    start: int
    length: int
    stage: int


def _fold(row: str, op: str, begin: int, length: int, stage: int, ii: int) -> list[Bar]:
    """The bars of an interval folded into [0, II) (one, or two when it wraps; full laps fill the row)."""
    if length >= ii:
        return [Bar(row, op, 0, ii, stage)]
    r0 = begin % ii
    if r0 + length <= ii:
        return [Bar(row, op, r0, length, stage)]
    return [Bar(row, op, r0, ii - r0, stage), Bar(row, op, 0, r0 + length - ii, stage)]


def kernel_rows(problem: ProblemData, solution: Solution) -> tuple[list[str], list[Bar], int]:
    """Rows (units, then warp groups), the folded bars and II of a checked modulo schedule.

    Units are the modulo resources not tied to a warp group (names without a
    dot: ``tensor_core``, ``exp``, ...); groups are the modes' locations.
    Raises ``ValueError`` when the problem is not cyclic or the solution does
    not fit it.
    """
    if problem.cycle is None or solution.ii is None or solution.ii < 1:
        raise ValueError("a kernel plot needs a cyclic problem and a solution with an II")
    if len(solution.tasks) != problem.num_tasks:
        raise ValueError(f"the solution has {len(solution.tasks)} tasks, the problem has {problem.num_tasks}")
    ii = solution.ii
    memories = set(problem.meta.get("memories", []))
    unit_names = {
        r: res.name
        for r, res in enumerate(problem.resources)
        if res.kind is ResourceKind.MODULO and "." not in res.name and res.name not in memories
    }
    groups = list(problem.meta.get("warp_groups", []))
    first = min(a.start for a in solution.tasks if a.present and a.start is not None)
    bars: list[Bar] = []
    for task, a in zip(problem.tasks, solution.tasks):
        if not a.present or a.start is None or a.mode is None:
            continue
        mode = task.modes[a.mode]
        start = a.start - first
        stage = start // ii
        for d in mode.demands:
            if d.resource in unit_names and not d.until:
                length = d.usage_length(mode.duration)
                if length:
                    bars += _fold(unit_names[d.resource], task.name, start + d.offset, length, stage, ii)
        group = mode.location or "-"
        if group not in groups:
            groups.append(group)
        bars += _fold(group, task.name, start, max(mode.duration, 1), stage, ii)
    used_units = [name for name in unit_names.values() if any(b.row == name for b in bars)]
    return used_units + groups, bars, ii


def _iteration_label(offset: int) -> str:
    return "iteration i" if offset == 0 else f"iteration i-{offset}"


def pipelining_figure(
    problem: ProblemData, solution: Solution, path: str | Path | None = None, title: str | None = None
) -> Figure:
    """Draw the steady-state kernel (see the module docstring); write it to ``path`` when given."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    rows, bars, ii = kernel_rows(problem, solution)
    figure = Figure(figsize=(11, 0.55 * len(rows) + 1.6))
    axes = figure.add_subplot(1, 1, 1)
    position = {row: index for index, row in enumerate(reversed(rows))}
    stages = sorted({b.stage for b in bars})
    for bar in bars:
        y = position[bar.row]
        color = STAGE_COLORS[bar.stage % len(STAGE_COLORS)]
        axes.broken_barh([(bar.start, bar.length)], (y - 0.38, 0.76), facecolors=color, edgecolor="white")
        if bar.length >= max(1, ii // 25):
            axes.text(bar.start + bar.length / 2, y, bar.op, ha="center", va="center", fontsize=7, color="white")
    axes.set_yticks(range(len(rows)))
    axes.set_yticklabels(list(reversed(rows)))
    axes.set_xlim(0, ii)
    axes.set_xlabel(f"cycle of the steady-state kernel (II = {ii})")
    legend = [Patch(color=STAGE_COLORS[s % len(STAGE_COLORS)], label=_iteration_label(s)) for s in stages]
    axes.legend(handles=legend, loc="upper right", fontsize=8, ncols=max(1, len(legend)))
    axes.set_title(title or f"{problem.name}: kernel, II = {ii}")
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    if path is not None:
        figure.savefig(Path(path), dpi=100)
    return figure
