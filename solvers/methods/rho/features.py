"""Features of the overlap operations: L-RHO's task and machine features plus Graph-RHO's critical path.

For every window operation, L-RHO's 15 task features (``TASK_FEATURES``) and
for every machine its 11 features (``MACHINE_FEATURES``), computed from the
committed state and the previous window's solution. Two deliberate changes,
both so that a model trained on 600-operation instances transfers to longer
ones: times are measured from the window's earliest job release ``t0`` (L-RHO
uses absolute times, which grow with the instance), and the operation index
within the job is its relative position ``k / len(job)``.

An overlap operation's vector (``feature_names``) is: its task features, the
features of its previous machine, the window means of both (L-RHO's global
pooling), Graph-RHO's critical-path flag (+1 when the operation has zero
slack in the previous window's schedule restricted to the overlap, see
:func:`critical_slack`) and that slack relative to the span; the ``graph``
set adds the mean task features of its neighbours (job predecessor and
successor in the window, machine predecessor and successor in the previous
schedule): one round of mean message passing, the graph view a GNN would
learn from, here fixed.

"Machine" is the unary resource an operation's mode uses (flexible and plain
job shops); operations of other families get machine -1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from schedkit.models import ProblemData, ResourceKind
from schedkit.solvers.methods.rho.loop import WindowContext

TASK_FEATURES: tuple[str, ...] = (
    "job_start_time",
    "dur_mean",
    "dur_std",
    "dur_min",
    "dur_max",
    "job_id",
    "relative_position",
    "is_overlap",
    "alt_machine",
    "alt_duration",
    "other_dur_mean",
    "other_dur_std",
    "other_dur_min",
    "other_dur_max",
    "alt_end_time",
)
MACHINE_FEATURES: tuple[str, ...] = (
    "machine_avail",
    "overlap_count",
    "end_mean",
    "end_std",
    "end_min",
    "end_max",
    "dur_mean",
    "dur_std",
    "dur_min",
    "dur_max",
    "end_max_again",
)
FEATURE_SETS: tuple[str, ...] = ("lrho", "critical", "graph")


def feature_names(feature_set: str = "critical") -> list[str]:
    """Names of the columns of :func:`overlap_features` for ``feature_set``."""
    names = [f"task.{n}" for n in TASK_FEATURES] + [f"machine.{n}" for n in MACHINE_FEATURES]
    names += [f"window_task.{n}" for n in TASK_FEATURES] + [f"window_machine.{n}" for n in MACHINE_FEATURES]
    if feature_set in ("critical", "graph"):
        names += ["critical", "slack"]
    if feature_set == "graph":
        names += [f"neighbours.{n}" for n in TASK_FEATURES]
    return names


def machine_of(problem: ProblemData, task: int, mode: int) -> int:
    """The unary resource a mode uses (-1 when none)."""
    for demand in problem.tasks[task].modes[mode].demands:
        if problem.resources[demand.resource].kind == ResourceKind.UNARY:
            return demand.resource
    return -1


def critical_slack(
    problem: ProblemData,
    context: WindowContext,
) -> dict[int, int]:
    """Slack of each overlap operation in the previous window's schedule restricted to the overlap (Graph-RHO).

    Successors: the next overlap operation of the same job (a precedence
    successor) and the next overlap operation on the same machine by start.
    ``LF = C`` (the overlap's makespan) without successors, else the least
    ``LS`` of the successors; ``LS = LF - d``; slack = ``LS - S``. Zero slack
    is *critical*.
    """
    overlap = context.overlap
    members = set(overlap)
    start = {t: context.previous[t][1] for t in overlap}
    duration = {t: problem.tasks[t].modes[context.previous[t][0]].duration for t in overlap}
    end = {t: start[t] + duration[t] for t in overlap}
    successors: dict[int, list[int]] = {t: [] for t in overlap}
    for t in overlap:
        for index in context.structure.predecessors[t]:
            a = problem.precedences[index].a
            if a in members:
                successors[a].append(t)
    by_machine: dict[int, list[int]] = {}
    for t in overlap:
        by_machine.setdefault(machine_of(problem, t, context.previous[t][0]), []).append(t)
    for machine, tasks in by_machine.items():
        if machine < 0:
            continue
        tasks.sort(key=lambda t: (start[t], end[t]))
        for a, b in zip(tasks, tasks[1:]):
            successors[a].append(b)
    makespan = max(end.values(), default=0)
    latest_start: dict[int, int] = {}
    for t in sorted(overlap, key=lambda t: -end[t]):
        finish = min((latest_start[s] for s in successors[t]), default=makespan)
        latest_start[t] = finish - duration[t]
    return {t: latest_start[t] - start[t] for t in overlap}


def _stats(values: Sequence[int]) -> list[float]:
    if not values:
        return [-1.0] * 4
    array = np.asarray(values, dtype=float)
    return [float(array.mean()), float(array.std()), float(array.min()), float(array.max())]


def task_features(context: WindowContext) -> np.ndarray:
    """The 15 task features of every window operation (rows in ``context.tasks`` order)."""
    problem, structure, state = context.problem, context.structure, context.state
    releases = [state.release_of(t, structure.predecessors[t]) for t in context.tasks]
    t0 = min(releases, default=0)
    overlap = set(context.overlap)
    rows = []
    for t, release in zip(context.tasks, releases):
        task = problem.tasks[t]
        durations = [m.duration for m in task.modes]
        machines = [machine_of(problem, t, m) for m in range(len(task.modes))]
        if t in overlap:
            mode = context.previous[t][0]
            others = [d for m, d in enumerate(durations) if m != mode]
            alt = [
                float(machines[mode]),
                float(durations[mode]),
                *_stats(others),
                float(release - t0 + durations[mode]),
            ]
        else:
            mode = int(np.argmin(durations))
            alt = [float(machines[mode]), float(durations[mode]), -1.0, -1.0, -1.0, -1.0, -1.0]
        rows.append(
            [
                float(release - t0),
                *_stats(durations),
                float(structure.job[t]),
                structure.position[t] / structure.job_length[t],
                1.0 if t in overlap else -1.0,
                *alt,
            ]
        )
    return np.asarray(rows, dtype=float).reshape(len(context.tasks), len(TASK_FEATURES))


def machine_features(context: WindowContext) -> np.ndarray:
    """The 11 features of every resource (rows by resource index; non-unary resources get -1)."""
    problem, state = context.problem, context.state
    t0 = min((state.release_of(t, context.structure.predecessors[t]) for t in context.tasks), default=0)
    ends: dict[int, list[int]] = {}
    durations: dict[int, list[int]] = {}
    for t in context.overlap:
        mode, start = context.previous[t]
        machine = machine_of(problem, t, mode)
        duration = problem.tasks[t].modes[mode].duration
        ends.setdefault(machine, []).append(start + duration - t0)
        durations.setdefault(machine, []).append(duration)
    rows = []
    for r in range(problem.num_resources):
        on = ends.get(r, [])
        end_stats = _stats(on)
        rows.append(
            [float(state.last_end[r] - t0), float(len(on)), *end_stats, *_stats(durations.get(r, [])), end_stats[3]]
        )
    return np.asarray(rows, dtype=float).reshape(problem.num_resources, len(MACHINE_FEATURES))


def overlap_features(context: WindowContext, feature_set: str = "critical") -> np.ndarray:
    """One row per overlap operation (``context.overlap`` order), columns :func:`feature_names`."""
    if feature_set not in FEATURE_SETS:
        raise ValueError(f"unknown feature set {feature_set!r}; one of {', '.join(FEATURE_SETS)}")
    problem = context.problem
    tasks = task_features(context)
    machines = machine_features(context)
    row_of = {t: i for i, t in enumerate(context.tasks)}
    pooled = np.concatenate([tasks.mean(axis=0), machines.mean(axis=0)])
    slack = critical_slack(problem, context) if feature_set != "lrho" else {}
    start = {t: context.previous[t][1] for t in context.overlap}
    span = max(
        1,
        max((start[t] + problem.tasks[t].modes[context.previous[t][0]].duration for t in context.overlap), default=1)
        - min(start.values(), default=0),
    )
    neighbours = _neighbours(context) if feature_set == "graph" else {}
    rows = []
    for t in context.overlap:
        machine = machine_of(problem, t, context.previous[t][0])
        machine_row = machines[machine] if machine >= 0 else np.full(len(MACHINE_FEATURES), -1.0)
        parts = [tasks[row_of[t]], machine_row, pooled]
        if feature_set != "lrho":
            parts.append(np.array([1.0 if slack[t] == 0 else -1.0, slack[t] / span]))
        if feature_set == "graph":
            near = [row_of[n] for n in neighbours[t]]
            parts.append(tasks[near].mean(axis=0) if near else np.full(len(TASK_FEATURES), -1.0))
        rows.append(np.concatenate(parts))
    return np.asarray(rows, dtype=float).reshape(len(context.overlap), len(feature_names(feature_set)))


def _neighbours(context: WindowContext) -> dict[int, list[int]]:
    """Job predecessors/successors in the window and machine neighbours in the previous schedule."""
    problem = context.problem
    members = set(context.tasks)
    near: dict[int, set[int]] = {t: set() for t in context.tasks}
    for t in context.tasks:
        for index in context.structure.predecessors[t]:
            a = problem.precedences[index].a
            if a in members:
                near[t].add(a)
                near[a].add(t)
    by_machine: dict[int, list[int]] = {}
    for t in context.overlap:
        by_machine.setdefault(machine_of(problem, t, context.previous[t][0]), []).append(t)
    for machine, tasks in by_machine.items():
        if machine < 0:
            continue
        tasks.sort(key=lambda t: context.previous[t][1])
        for a, b in zip(tasks, tasks[1:]):
            near[a].add(b)
            near[b].add(a)
    return {t: sorted(near[t]) for t in context.overlap}
