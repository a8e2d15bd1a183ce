"""Gantt charts of schedules, with resource usage profiles beneath (matplotlib, no pyplot state).

:func:`gantt` returns the matplotlib ``Figure`` (a notebook shows it) and
writes it when given a path. It draws

* one row per unary resource (machine) and, for a renewable resource, one row
  per *lane* (tasks stacked so that bars in a lane never overlap), plus one
  group of lanes for present tasks that use no timed resource; a bar per usage
  ``[S + offset, S + offset + length)`` (the semantics of
  :class:`schedkit.models.entities.Demand`);
* bars coloured by **job** when the family records jobs (job shops, flexible
  job shops: ``meta["jobs"]``), with the job number on each bar wide enough
  for it and a legend clipped to :data:`LEGEND_LIMIT` jobs; otherwise by mode
  (legend when several modes are used), with task names on bars when they fit
  and there are at most :data:`TEXT_LIMIT` bars; tasks that end after their
  due date outlined in red; downtime shaded on the rows of its resource;
* beneath it, for each renewable resource (the :data:`MAX_PROFILES` busiest
  when there are more), the usage step profile against the capacity
  (calendars included) with downtime shaded; a unary machine gets no profile
  (its usage is 0 or 1, which its row already shows);
* cyclic problems: the bars are one iteration, multiples of the initiation
  interval II are marked, and each ``modulo`` resource gets its usage per
  residue ``t mod II`` against its capacity;
* problems without timed resources (packing, selection): a bar chart of the
  load of each ``bin`` / ``consumable`` resource against its capacity instead.

The default title names the objective the checker computes, by level
(``ft06 (jobshop), makespan 55``; ``wt40#3 (tardiness), total_weighted_tardiness
913``). Absent tasks are skipped. Bars are drawn with one vectorised
``broken_barh`` per row and rasterized, so a 2000-operation schedule renders
in about a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from schedkit.models import ProblemData, ResourceKind, Solution
from schedkit.models.objective_display import format_number, level_names, user_objectives
from schedkit.models.schedule_table import job_positions
from schedkit.plots import colors
from schedkit.plots.colors import job_palette
from schedkit.plots.profile import (
    Usages,
    assign_lanes,
    bin_loads,
    capacity_profile,
    downtime,
    modulo_usage,
    usage_profile,
    usages,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

TEXT_LIMIT = 200
"""Task names are written on bars only when the chart has at most this many bars."""

JOB_TEXT_LIMIT = 2000
"""Job numbers (short) are written on bars wide enough for them when the chart has at most this many bars."""

LEGEND_LIMIT = 20
"""At most this many jobs (or modes) in the legend; the rest are counted in a last entry."""

MAX_PROFILES = 6
"""At most this many usage profiles (the busiest resources) beneath the chart."""

WIDTH = 13.0
"""Figure width in inches."""

ROW_HEIGHT = 0.32
"""Height of one Gantt row in inches (shrinks when the figure reaches :data:`MAX_HEIGHT`)."""

PROFILE_HEIGHT = 1.5
"""Height of one usage profile in inches."""

MAX_HEIGHT = 36.0
"""Cap on the figure height in inches."""

DPI = 100
"""Resolution of raster output."""


@dataclass
class _Row:
    """One row of the chart: a machine, or one lane of a renewable resource or of the resource-free tasks."""

    label: str
    resource: int | None
    bars: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # indices into the bar arrays


@dataclass(frozen=True)
class _Bars:
    """The bars of the chart as parallel arrays."""

    task: np.ndarray
    mode: np.ndarray
    start: np.ndarray
    end: np.ndarray


@dataclass(frozen=True)
class _Colouring:
    """How bars are coloured: per task a group (job or mode), each group's colour and legend label."""

    by: str  # "job" or "mode"
    group_of_task: np.ndarray
    colors: list[str]
    labels: list[str]
    short_labels: list[str]


def _colouring(problem: ProblemData, solution: Solution, color_by: str) -> _Colouring:
    """Jobs when the family records them (and ``color_by`` allows), else modes."""
    positions = job_positions(problem) if color_by in ("auto", "job") else None
    if color_by == "job" and positions is None:
        raise ValueError("color_by='job' needs a problem that records jobs (meta['jobs'], e.g. a job shop)")
    if positions is not None:
        num_jobs = 1 + max((job for job, _ in positions.values()), default=-1)
        group = np.full(problem.num_tasks, num_jobs, dtype=np.int64)  # tasks outside every job: one extra group
        for task, (job, _) in positions.items():
            group[task] = job
        labels = [f"job {j}" for j in range(num_jobs)] + ["(no job)"]
        return _Colouring(
            "job", group, job_palette(num_jobs) + ["#cccccc"], labels, [str(j) for j in range(num_jobs)] + [""]
        )
    modes = np.array([a.mode if a.present and a.mode is not None else 0 for a in solution.tasks], dtype=np.int64)
    count = int(modes.max()) + 1 if modes.size else 1
    labels = [_mode_label(problem, solution, m) for m in range(count)]
    return _Colouring("mode", modes, [colors.mode_color(m) for m in range(count)], labels, labels)


def gantt(
    problem: ProblemData,
    solution: Solution,
    path: str | Path | None = None,
    title: str | None = None,
    color_by: str = "auto",
) -> Figure:
    """Draw the Gantt chart of ``solution`` for ``problem``; return the ``Figure``, and save it when ``path`` is given.

    The file format follows the extension of ``path`` (PNG, SVG, PDF, ...).
    ``title`` defaults to the problem name with its objective by level (and II
    when cyclic). ``color_by`` is ``"auto"`` (jobs when the problem records
    them, else modes), ``"job"`` or ``"mode"``. See the module docstring for
    what is drawn. Raises ``ValueError`` when the solution does not have one
    assignment per task of the problem.
    """
    from matplotlib.figure import Figure

    if color_by not in ("auto", "job", "mode"):
        raise ValueError(f"color_by must be 'auto', 'job' or 'mode', got {color_by!r}")
    found = usages(problem, solution)  # also checks the lengths
    timed = [i for i, res in enumerate(problem.resources) if res.kind.is_timed]
    packing = [i for i, res in enumerate(problem.resources) if res.kind in (ResourceKind.BIN, ResourceKind.CONSUMABLE)]
    if not timed and packing:
        figure = _bin_chart(Figure, problem, solution, title)
    else:
        figure = _timeline(Figure, problem, solution, found, timed, title, _colouring(problem, solution, color_by))
    if path is not None:
        figure.savefig(path, dpi=DPI)
    return figure


# ------------------------------------------------------------------ helpers
def _makespan(problem: ProblemData, solution: Solution) -> int | None:
    ends = [e for e in solution.ends(problem) if e is not None]
    return max(ends) if ends else None


def _objective_part(problem: ProblemData, solution: Solution) -> str | None:
    """``makespan 55``, ``total_weighted_tardiness 913`` or levels by name, as the checker computes them; or None."""
    if not problem.objective.levels:
        return None
    from schedkit.solvers.checker import check, evaluate

    if check(problem, solution):
        return "schedule rejected by the checker"
    values = evaluate(problem, solution)
    shown = user_objectives(problem, values, solution) or []
    return ", ".join(f"{name} {format_number(v)}" for name, v in zip(level_names(problem), shown))


def _default_title(problem: ProblemData, solution: Solution, timed: bool = True) -> str:
    name = problem.name or "schedule"
    parts = [f"{name} ({problem.family})" if problem.family else name]
    present = sum(solution.present)
    if present < problem.num_tasks:
        parts.append(f"{present} of {problem.num_tasks} tasks present")
    if problem.is_cyclic and solution.ii is not None:
        parts.append(f"II = {solution.ii}")
    objective = _objective_part(problem, solution)
    if objective is not None:
        parts.append(objective)
    makespan = _makespan(problem, solution) if timed else None
    if makespan is not None and problem.is_cyclic and solution.ii is not None:
        starts = [s for s in solution.starts if s is not None]
        parts.append(f"iteration length {makespan - min(starts)}")
    elif makespan is not None and objective is None:
        parts.append(f"makespan {makespan}")
    return ", ".join(parts)


def _mode_label(problem: ProblemData, solution: Solution, mode: int) -> str:
    """``mode k``, with its location when every present task in mode k shares one."""
    locations = {
        problem.tasks[i].modes[a.mode].location
        for i, a in enumerate(solution.tasks)
        if a.present and a.mode == mode and a.mode is not None
    }
    if len(locations) == 1 and None not in locations:
        return f"mode {mode} ({next(iter(locations))})"
    return f"mode {mode}"


def _collect_bars(
    problem: ProblemData, solution: Solution, found: Usages, timed: list[int]
) -> tuple[_Bars, list[_Row]]:
    """Bars and rows: the usages of each timed resource, then present tasks without timed usage."""
    used = set(found.task.tolist())
    free = [
        (i, a.mode, a.start, a.start + problem.tasks[i].modes[a.mode].duration)
        for i, a in enumerate(solution.tasks)
        if a.present
        and a.mode is not None
        and a.start is not None
        and i not in used
        and problem.tasks[i].modes[a.mode].duration > 0
    ]
    extra = np.array(free, dtype=np.int64).reshape(-1, 4)
    bars = _Bars(
        task=np.concatenate([found.task, extra[:, 0]]),
        mode=np.concatenate([found.mode, extra[:, 1]]),
        start=np.concatenate([found.start, extra[:, 2]]),
        end=np.concatenate([found.end, extra[:, 3]]),
    )
    rows: list[_Row] = []
    for resource in timed:
        res = problem.resources[resource]
        chosen = found.of_resource(resource)
        lanes = assign_lanes(found.start[chosen], found.end[chosen]) if chosen.size else np.zeros(0, dtype=np.int64)
        count = int(lanes.max()) + 1 if lanes.size else 1
        for lane in range(count):
            label = res.name if lane == 0 else ""
            rows.append(_Row(label, resource, chosen[lanes == lane]))
    if len(extra):
        offset = len(found)
        lanes = assign_lanes(extra[:, 2], extra[:, 3])
        for lane in range(int(lanes.max()) + 1):
            label = "(no timed resource)" if lane == 0 else ""
            rows.append(_Row(label, None, offset + np.flatnonzero(lanes == lane)))
    return bars, rows


def _busiest(problem: ProblemData, found: Usages, candidates: list[int]) -> list[int]:
    """The :data:`MAX_PROFILES` candidates with the highest usage energy per unit of capacity, in problem order."""
    if len(candidates) <= MAX_PROFILES:
        return candidates
    energy = np.zeros(problem.num_resources)
    np.add.at(energy, found.resource, found.amount * (found.end - found.start))
    score = {r: energy[r] / max(1, problem.resources[r].max_capacity) for r in candidates}
    chosen = sorted(candidates, key=lambda r: (-score[r], r))[:MAX_PROFILES]
    return sorted(chosen)


# ----------------------------------------------------------------- timeline
def _timeline(
    figure_class: type[Figure],
    problem: ProblemData,
    solution: Solution,
    found: Usages,
    timed: list[int],
    title: str | None,
    colouring: _Colouring,
) -> Figure:
    """The Gantt chart with usage profiles beneath."""
    bars, rows = _collect_bars(problem, solution, found, timed)
    cyclic_ii = solution.ii if problem.is_cyclic and solution.ii else None
    t0 = int(bars.start.min()) if bars.start.size else 0
    t1 = int(bars.end.max()) if bars.end.size else 1
    makespan = _makespan(problem, solution)
    if makespan is not None and bars.end.size:
        t1 = max(t1, makespan)  # a task may end after its last usage (reservation tables)
    if t1 <= t0:
        t1 = t0 + 1
    linear = [r for r in timed if problem.resources[r].kind == ResourceKind.RENEWABLE]  # unary: 0/1, no profile
    modulo = [r for r in timed if problem.resources[r].kind == ResourceKind.MODULO] if cyclic_ii else []
    profiles = _busiest(problem, found, linear + modulo)

    n_rows = max(1, len(rows))
    gantt_in = max(1.0, n_rows * ROW_HEIGHT)
    wanted = 1.3 + gantt_in + len(profiles) * PROFILE_HEIGHT
    height = min(MAX_HEIGHT, max(3.0, wanted))
    if wanted > MAX_HEIGHT:  # keep the profiles readable, squeeze the rows
        gantt_in = max(0.5 * height, height - 1.3 - len(profiles) * PROFILE_HEIGHT)
    figure = figure_class(figsize=(WIDTH, height), layout="constrained")
    grid = figure.add_gridspec(1 + len(profiles), 1, height_ratios=[gantt_in] + [PROFILE_HEIGHT] * len(profiles))
    ax = figure.add_subplot(grid[0])
    _draw_rows(ax, problem, solution, bars, rows, (t0, t1), gantt_in, colouring)
    ax.set_title(title if title is not None else _default_title(problem, solution), fontsize=11)
    if cyclic_ii:
        _mark_ii(ax, t0, t1, cyclic_ii, label=True)

    for k, resource in enumerate(profiles):
        pax = figure.add_subplot(grid[1 + k])
        if problem.resources[resource].kind == ResourceKind.MODULO:
            _draw_modulo_profile(pax, problem, found, resource, cyclic_ii or 1)
        else:
            _draw_profile(pax, problem, found, resource, (t0, t1))
            if cyclic_ii:
                _mark_ii(pax, t0, t1, cyclic_ii, label=False)
        if k == 0 and len(profiles) < len(linear) + len(modulo):
            note = f"usage profiles of the {len(profiles)} busiest of {len(linear) + len(modulo)} resources"
            pax.set_title(note, fontsize=8, loc="left", color="#555555")
    return figure


def _draw_rows(
    ax: Axes,
    problem: ProblemData,
    solution: Solution,
    bars: _Bars,
    rows: list[_Row],
    span: tuple[int, int],
    height_in: float,
    colouring: _Colouring,
) -> None:
    """The Gantt rows: downtime shading, one ``broken_barh`` per row, labels, legend."""
    t0, t1 = span
    n_bars = int(bars.task.size)
    if colouring.by == "job":
        group = colouring.group_of_task[bars.task] if n_bars else np.zeros(0, dtype=np.int64)
    else:
        group = bars.mode
    palette = np.array(colouring.colors, dtype=object)
    face = palette[group] if n_bars else np.zeros(0, dtype=object)
    widths = bars.end - bars.start
    edge_width = 0.4 if n_bars <= 2000 else 0.0
    late = _late(problem, solution, bars)
    # downtime of each resource, over the rows of its lanes
    first_row: dict[int, int] = {}
    lane_count: dict[int, int] = {}
    for y, row in enumerate(rows):
        if row.resource is not None:
            first_row.setdefault(row.resource, y)
            lane_count[row.resource] = lane_count.get(row.resource, 0) + 1
    for resource, y in first_row.items():
        windows = [(s, e - s) for s, e in downtime(problem, resource) if e > t0 and s < t1]
        if windows:
            ax.broken_barh(
                windows,
                (y - 0.5, lane_count[resource]),
                facecolors=colors.DOWNTIME,
                alpha=0.35,
                hatch="//",
                edgecolor="none",
                zorder=0,
            )
    for y, row in enumerate(rows):
        if row.bars.size == 0:
            continue
        ranges = [(float(x), float(w)) for x, w in zip(bars.start[row.bars], widths[row.bars])]
        edges = np.where(late[row.bars], colors.LATE, colors.BAR_EDGE)
        ax.broken_barh(
            ranges,
            (y - 0.4, 0.8),
            facecolors=list(face[row.bars]),
            edgecolors=list(edges),
            linewidth=np.where(late[row.bars], 1.6, edge_width),
            rasterized=True,
            zorder=2,
        )
    # separators between resources (renewable resources take several lanes)
    for y, row in enumerate(rows):
        if y > 0 and row.label:
            ax.axhline(y - 0.5, color="#cccccc", linewidth=0.6, zorder=1)
    n_rows = max(1, len(rows))
    ax.set_ylim(n_rows - 0.5, -0.5)
    ticks = [y for y, row in enumerate(rows) if row.label]
    ax.set_yticks(ticks, [rows[y].label for y in ticks], fontsize=_label_size(len(ticks), height_in))
    ax.set_xlim(t0, t1)
    ax.set_xlabel("time")
    ax.grid(True, axis="x", alpha=0.25)
    _bar_texts(ax, problem, bars, rows, (t0, t1), face, group, colouring)
    due_marked = _due_dates(ax, problem, bars, rows, late)
    _legend(ax, group, colouring, bool(late.any()), due_marked)


def _due_dates(ax: Axes, problem: ProblemData, bars: _Bars, rows: list[_Row], late: np.ndarray) -> bool:
    """A small triangle above each bar's row at its task's due date (red when late); whether any was drawn."""
    if not 0 < bars.task.size <= TEXT_LIMIT:
        return False
    xs, ys, marks = [], [], []
    for y, row in enumerate(rows):
        for bar in row.bars.tolist():
            due = problem.tasks[int(bars.task[bar])].due_date
            if due is not None:
                xs.append(due)
                ys.append(y - 0.42)
                marks.append(colors.LATE if late[bar] else colors.BAR_EDGE)
    if xs:
        ax.scatter(xs, ys, marker="v", s=22, c=marks, zorder=4, clip_on=True)
    return bool(xs)


def _late(problem: ProblemData, solution: Solution, bars: _Bars) -> np.ndarray:
    """Per bar: whether its task ends after its due date."""
    late_task = np.zeros(problem.num_tasks, dtype=bool)
    for index, task in enumerate(problem.tasks):
        if task.due_date is not None:
            end = solution.end(problem, index)
            late_task[index] = end is not None and end > task.due_date
    return late_task[bars.task]


def _bar_texts(
    ax: Axes,
    problem: ProblemData,
    bars: _Bars,
    rows: list[_Row],
    span: tuple[int, int],
    face: np.ndarray,
    group: np.ndarray,
    colouring: _Colouring,
) -> None:
    """Job numbers (job colouring) or task names on the bars wide enough for them."""
    t0, t1 = span
    n_bars = int(bars.task.size)
    limit = JOB_TEXT_LIMIT if colouring.by == "job" else TEXT_LIMIT
    if not 0 < n_bars <= limit:
        return
    widths = bars.end - bars.start
    points_per_unit = 0.82 * WIDTH * 72 / (t1 - t0)
    fontsize = 7.0
    row_of = np.zeros(n_bars, dtype=np.int64)
    for y, row in enumerate(rows):
        row_of[row.bars] = y
    for index in range(n_bars):
        if colouring.by == "job":
            text = colouring.short_labels[int(group[index])]
        else:
            text = problem.tasks[int(bars.task[index])].name
        if not text or widths[index] * points_per_unit < 0.62 * fontsize * len(text) + 3:
            continue
        ax.text(
            bars.start[index] + widths[index] / 2,
            int(row_of[index]),
            text,
            ha="center",
            va="center",
            fontsize=fontsize,
            color=colors.text_color(str(face[index])),
            clip_on=True,
            zorder=3,
        )


def _legend(ax: Axes, group: np.ndarray, colouring: _Colouring, late: bool, due: bool = False) -> None:
    """Jobs (or modes) in the legend, at most :data:`LEGEND_LIMIT`, the rest counted; due dates and lateness."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    used = sorted(set(group.tolist()))
    if colouring.by == "mode" and len(used) <= 1 and not late and not due:
        return
    shown = used if colouring.by == "job" or len(used) > 1 else []
    handles: list[Any] = [Patch(facecolor=colouring.colors[g], label=colouring.labels[g]) for g in shown[:LEGEND_LIMIT]]
    if len(shown) > LEGEND_LIMIT:
        more = len(shown) - LEGEND_LIMIT
        handles.append(Patch(facecolor="white", edgecolor="white", label=f"... {more} more {colouring.by}s"))
    if due:
        handles.append(Line2D([], [], marker="v", linestyle="", color=colors.BAR_EDGE, label="due date"))
    if late:
        handles.append(Patch(facecolor="white", edgecolor=colors.LATE, linewidth=1.6, label="ends after due date"))
    title = "jobs" if colouring.by == "job" else ("modes" if shown else None)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=7, title=title)


def _label_size(count: int, height_in: float) -> float:
    """A tick label font size (points) that fits ``count`` labels in ``height_in`` inches."""
    return float(np.clip(0.8 * height_in * 72 / max(1, count), 4.0, 9.0))


def _mark_ii(ax: Axes, t0: int, t1: int, ii: int, label: bool) -> None:
    """Dashed lines at ``t0 + k * II`` inside the span (the first one labelled)."""
    for k, x in enumerate(range(t0 + ii, t1 + 1, ii)):
        ax.axvline(x, color=colors.II_MARK, linestyle="--", linewidth=1.2, zorder=4)
        if label and k == 0:
            ax.annotate(
                f"II = {ii}",
                (x, 0),
                xycoords=("data", "axes fraction"),
                xytext=(3, 3),
                textcoords="offset points",
                color=colors.II_MARK,
                fontsize=8,
            )
    ax.axvspan(t0, t0 + ii, color=colors.II_MARK, alpha=0.06, zorder=0)


def _draw_profile(ax: Axes, problem: ProblemData, found: Usages, resource: int, span: tuple[int, int]) -> None:
    """Usage step profile of a unary / renewable resource against its capacity, downtime shaded."""
    t0, t1 = span
    res = problem.resources[resource]
    chosen = found.of_resource(resource)
    times, levels = usage_profile(found.start[chosen], found.end[chosen], found.amount[chosen])
    xs = np.concatenate([[t0], times, [t1]])
    ys = np.concatenate([[0], levels, [levels[-1] if levels.size else 0]])
    ax.fill_between(xs, ys, step="post", color=colors.USAGE, alpha=0.35, linewidth=0)
    ax.step(xs, ys, where="post", color=colors.USAGE, linewidth=1.0, label="usage")
    cap_times, cap_levels = capacity_profile(problem, resource, t0, t1)
    ax.step(cap_times, cap_levels, where="post", color=colors.CAPACITY, linestyle="--", linewidth=1.2, label="capacity")
    for start, end in downtime(problem, resource):
        if end > t0 and start < t1:
            ax.axvspan(max(start, t0), min(end, t1), color=colors.DOWNTIME, alpha=0.35, hatch="//", linewidth=0)
    top = max(res.max_capacity, int(levels.max()) if levels.size else 0, 1)
    ax.set_ylim(0, top * 1.15)
    ax.set_xlim(t0, t1)
    ax.set_ylabel(res.name, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(True, alpha=0.25)
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=7)


def _draw_modulo_profile(ax: Axes, problem: ProblemData, found: Usages, resource: int, ii: int) -> None:
    """Usage per residue ``t mod II`` of a modulo resource against its capacity."""
    res = problem.resources[resource]
    chosen = found.of_resource(resource)
    per_residue = modulo_usage(found.start[chosen], found.end[chosen], found.amount[chosen], ii)
    residues = np.arange(ii + 1)
    ys = np.concatenate([per_residue, per_residue[-1:]])
    ax.fill_between(residues, ys, step="post", color=colors.USAGE, alpha=0.35, linewidth=0)
    ax.step(residues, ys, where="post", color=colors.USAGE, linewidth=1.0, label="usage mod II")
    ax.hlines(res.capacity, 0, ii, color=colors.CAPACITY, linestyle="--", linewidth=1.2, label="capacity")
    ax.set_xlim(0, ii)
    ax.set_ylim(0, max(res.capacity, int(per_residue.max()) if per_residue.size else 0, 1) * 1.15)
    ax.set_ylabel(res.name, fontsize=8)
    ax.set_xlabel("residue t mod II", fontsize=7)
    ax.tick_params(labelsize=7)
    ax.grid(True, alpha=0.25)
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=7)


# ---------------------------------------------------------------- bin chart
def _bin_chart(figure_class: type[Figure], problem: ProblemData, solution: Solution, title: str | None) -> Figure:
    """Horizontal bars of each bin / consumable resource's load against its capacity."""
    loads = bin_loads(problem, solution)
    count = len(loads)
    height = min(MAX_HEIGHT, max(3.0, 1.3 + 0.3 * count))
    figure = figure_class(figsize=(WIDTH * 0.75, height), layout="constrained")
    ax = figure.add_subplot()
    ys = np.arange(count)
    load = np.array([entry[1] for entry in loads], dtype=float)
    capacity = np.array([entry[2] for entry in loads], dtype=float)
    over = load > capacity
    bar_colors = np.where(over, colors.CAPACITY, colors.USAGE)
    ax.barh(ys, capacity, height=0.8, color="#eeeeee", edgecolor="#bbbbbb", label="capacity", rasterized=count > 500)
    ax.barh(ys, load, height=0.55, color=list(bar_colors), label="load", rasterized=count > 500)
    if count <= 60:
        for y, (value, cap) in enumerate(zip(load, capacity)):
            share = f" ({100 * value / cap:.0f}%)" if cap > 0 else ""
            ax.text(max(value, cap), y, f"  {value:g} / {cap:g}{share}", va="center", fontsize=7)
    names = [problem.resources[entry[0]].name for entry in loads]
    ax.set_yticks(ys, names, fontsize=_label_size(count, height - 1.3))
    ax.set_ylim(count - 0.5, -0.5)
    ax.set_xlim(0, max(1.0, float(np.max(np.maximum(load, capacity), initial=0))) * 1.25)
    ax.set_xlabel("load")
    ax.grid(True, axis="x", alpha=0.25)
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8)
    ax.set_title(title if title is not None else _default_title(problem, solution, timed=False), fontsize=11)
    return figure


__all__ = ["JOB_TEXT_LIMIT", "LEGEND_LIMIT", "MAX_PROFILES", "TEXT_LIMIT", "gantt"]
