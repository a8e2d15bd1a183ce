"""A PyJobShop ``ProblemData`` (or ``Model``) as a schedkit problem.

Mapping (PyJobShop 0.0.x, ``pyjobshop.ProblemData``):

* ``Machine`` -> a unary resource, ``Renewable`` -> a renewable resource,
  ``Consumable`` -> a consumable budget; ``breaks`` -> capacity-0 windows
  (a consumable's breaks and a machine's ``no_idle`` are refused);
* ``Task`` -> a task (``optional`` kept; ``earliest_start`` -> release,
  ``latest_end`` -> deadline; ``latest_start``, ``earliest_end``,
  ``allow_idle`` and ``allow_breaks`` other than their defaults are refused);
  a task of a job also gets the job's release date and deadline;
* ``Mode`` -> a mode of its task with the same duration, demanding 1 of each
  machine and its demand of each renewable or consumable (a demand of 0 is
  no demand);
* timing constraints ``X_before_Y(t1, t2, d)`` (``X1 + d <= Y2``) -> a
  precedence ``X_to_Y`` with lag d; ``X_at_Y`` -> that precedence and the
  opposite one with lag -d (together: equality);
* ``select_all_or_none`` and ``select_at_least_one`` -> implications;
* objective weights -> one level of weighted terms: ``makespan``; job
  tardiness terms (``total_tardiness``, ``tardy_jobs``, ``total_flow_time``
  when every release date is 0) on the job's last task, which must be unique
  (the one task of the job no other task of the job must follow).

Everything else (setup times, same sequence, consecutive, identical or
different resources, mode dependencies, select exactly one, earliness, max
tardiness, total setup time, job terms on a job without a unique last task)
raises :class:`~schedkit.instances.errors.ConversionError` naming it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from schedkit.instances.errors import ConversionError
from schedkit.models import Model, ProblemData

UNLIMITED = 2**42
"""PyJobShop's ``MAX_VALUE``: a deadline or latest time of this value means none."""

_TIMING = {
    "start_before_start": "start_to_start",
    "start_before_end": "start_to_end",
    "end_before_start": "end_to_start",
    "end_before_end": "end_to_end",
}
_EQUAL = {  # X_at_Y(t1, t2, d): X1 + d == Y2 -> X_to_Y(t1, t2, d) and Y_to_X(t2, t1, -d)
    "start_at_start": ("start_to_start", "start_to_start"),
    "start_at_end": ("start_to_end", "end_to_start"),
    "end_at_start": ("end_to_start", "start_to_end"),
    "end_at_end": ("end_to_end", "end_to_end"),
}
_UNSUPPORTED = (
    "identical_resources",
    "different_resources",
    "consecutive",
    "same_sequence",
    "setup_times",
    "mode_dependencies",
    "select_exactly_one",
)


def _refuse(what: str, why: str) -> ConversionError:
    return ConversionError(f"PyJobShop {what}: {why}")


def _windows(breaks: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    return [(int(start), int(end), 0) for start, end in sorted(breaks)]


def _add_resources(model: Model, data: Any) -> list[tuple[Any, str]]:
    handles = []
    for index, resource in enumerate(data.resources):
        kind = type(resource).__name__
        name = resource.name or f"{kind.lower()}{index}"
        breaks = list(getattr(resource, "breaks", []) or [])
        if kind == "Machine":
            if getattr(resource, "no_idle", False):
                raise _refuse(f"machine {index} ({name})", "no_idle has no IR entity")
            handles.append((model.add_resource(name, "unary", 1, calendar=_windows(breaks)), kind))
        elif kind == "Renewable":
            handles.append((model.add_resource(name, "renewable", int(resource.capacity), _windows(breaks)), kind))
        elif kind == "Consumable":
            if breaks:
                raise _refuse(f"consumable {index} ({name})", "breaks of a consumable have no IR meaning")
            handles.append((model.add_resource(name, "consumable", int(resource.capacity)), kind))
        else:
            raise _refuse(f"resource {index}", f"unknown resource type {kind}")
    return handles


def _job_sinks(data: Any) -> dict[int, list[int]]:
    """Per job, its tasks that no other task of the job must follow (by an end/start-before constraint)."""
    followed: set[int] = set()
    job_of = {t: task.job for t, task in enumerate(data.tasks)}
    for name in (*_TIMING, *_EQUAL):
        for constraint in getattr(data.constraints, name, []):
            first, second = int(constraint.task1), int(constraint.task2)
            if job_of.get(first) is not None and job_of.get(first) == job_of.get(second):
                followed.add(first)
    return {j: [t for t in job.tasks if t not in followed] or list(job.tasks) for j, job in enumerate(data.jobs)}


def _task_windows(data: Any, index: int) -> tuple[int, int | None]:
    """Release and deadline of task ``index``: its own bounds and its job's."""
    task = data.tasks[index]
    for field, default in (("latest_start", UNLIMITED), ("earliest_end", 0)):
        if getattr(task, field) != default:
            raise _refuse(f"task {index} ({task.name or index})", f"{field} has no IR entity (use release/deadline)")
    for field in ("allow_idle", "allow_breaks"):
        if getattr(task, field):
            raise _refuse(f"task {index} ({task.name or index})", f"{field}=True has no IR entity")
    release = int(task.earliest_start)
    deadline = None if task.latest_end >= UNLIMITED else int(task.latest_end)
    if task.job is not None:
        job = data.jobs[task.job]
        release = max(release, int(job.release_date))
        if job.deadline < UNLIMITED:
            deadline = int(job.deadline) if deadline is None else min(deadline, int(job.deadline))
    return release, deadline


def from_pyjobshop(data: Any, name: str = "") -> ProblemData:
    """The schedkit problem of a PyJobShop ``ProblemData`` (a ``Model`` is converted via ``model.data()``).

    Raises :class:`~schedkit.instances.errors.ConversionError` naming a
    construct the IR cannot express (see the module docstring);
    ``ModelError`` if the result is invalid.
    """
    if hasattr(data, "data") and callable(data.data) and not hasattr(data, "modes"):
        data = data.data()
    objective = data.objective
    for field in ("weight_total_earliness", "weight_max_tardiness", "weight_total_setup_time"):
        if getattr(objective, field, 0):
            raise _refuse(f"objective {field}", "has no IR term")
    for constraint_name in _UNSUPPORTED:
        if getattr(data.constraints, constraint_name, []):
            raise _refuse(f"constraint {constraint_name}", "has no IR entity")

    model = Model(name)
    handles = _add_resources(model, data)
    job_terms = any(
        getattr(objective, f, 0) for f in ("weight_total_tardiness", "weight_tardy_jobs", "weight_total_flow_time")
    )
    sinks = _job_sinks(data) if job_terms else {}
    last_task: dict[int, int] = {}
    for j, tasks in sinks.items():
        if len(tasks) != 1:
            raise _refuse(
                f"job {j} ({data.jobs[j].name or j})",
                f"its tardiness or flow time needs one last task, it has {len(tasks)} ({tasks})",
            )
        last_task[tasks[0]] = j
    if getattr(objective, "weight_total_flow_time", 0) and any(job.release_date for job in data.jobs):
        raise _refuse("objective weight_total_flow_time", "with release dates it differs from completion time")
    for index, task in enumerate(data.tasks):
        release, deadline = _task_windows(data, index)
        attributes: dict[str, Any] = {"release": release, "deadline": deadline, "optional": bool(task.optional)}
        if index in last_task:
            job = data.jobs[last_task[index]]
            attributes.update(weight=int(job.weight), due_date=None if job.due_date is None else int(job.due_date))
        model.add_task(task.name or f"task{index}", **attributes)
    for mode in data.modes:
        demands = {}
        for resource, demand in zip(mode.resources, mode.demands):
            handle, kind = handles[resource]
            amount = 1 if kind == "Machine" else int(demand)
            if amount > 0:
                demands[handle] = amount
        model.add_mode(int(mode.task), int(mode.duration), demands)
    for field, kind in _TIMING.items():
        for c in getattr(data.constraints, field, []):
            model.add_precedence(int(c.task1), int(c.task2), kind, lag=int(c.delay))
    for field, (forward, backward) in _EQUAL.items():
        for c in getattr(data.constraints, field, []):
            model.add_precedence(int(c.task1), int(c.task2), forward, lag=int(c.delay))
            model.add_precedence(int(c.task2), int(c.task1), backward, lag=-int(c.delay))
    for c in getattr(data.constraints, "select_at_least_one", []):
        if c.condition_task is None:
            model.add_selection([int(t) for t in c.tasks], min_present=1)
        else:
            model.add_implication(int(c.condition_task), [int(t) for t in c.tasks])
    for c in getattr(data.constraints, "select_all_or_none", []):
        members = [int(t) for t in c.tasks]
        anchor = members[0] if c.condition_task is None else int(c.condition_task)
        for t in members:
            if t != anchor:
                model.add_implication(anchor, [t])
                if c.condition_task is None:
                    model.add_implication(t, [anchor])
    terms: list[tuple[str, int]] = []
    if objective.weight_makespan:
        terms.append(("makespan", int(objective.weight_makespan)))
    if getattr(objective, "weight_total_tardiness", 0):
        terms.append(("total_weighted_tardiness", int(objective.weight_total_tardiness)))
    if getattr(objective, "weight_tardy_jobs", 0):
        terms.append(("weighted_tardy_count", int(objective.weight_tardy_jobs)))
    if getattr(objective, "weight_total_flow_time", 0):
        terms.append(("total_weighted_completion", int(objective.weight_total_flow_time)))
    tardiness_terms = {"total_weighted_tardiness", "weighted_tardy_count", "total_weighted_completion"}
    subset = sorted(last_task)
    if terms:
        model.minimize(
            *[(kind, weight, subset) if kind in tardiness_terms else (kind, weight) for kind, weight in terms]
        )
    model.meta.update(
        source_library="pyjobshop",
        jobs=[[int(t) for t in job.tasks] for job in data.jobs],
        num_jobs=len(data.jobs),
    )
    return model.freeze()


__all__ = ["UNLIMITED", "from_pyjobshop"]
