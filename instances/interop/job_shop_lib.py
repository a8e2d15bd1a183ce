"""A job-shop-lib ``JobShopInstance`` as a schedkit problem.

job-shop-lib (``Pabloo22/job_shop_lib``) describes a (flexible) job shop as
``instance.jobs``: per job, its ``Operation`` objects in order, each with
``machines`` (the eligible machine ids), one ``duration`` (the same on every
eligible machine: job-shop-lib has no machine-dependent times), and an
optional ``release_date``, ``deadline`` and ``due_date`` per operation.

Mapping: a classic instance (one machine per operation) becomes a job shop
(:func:`schedkit.models.jobshop.jobshop`), a flexible one a flexible job
shop (:func:`schedkit.models.fjsp.fjsp`) with one mode per eligible machine;
the operation's release date, deadline (its latest end) and due date are set
on its task. The objective is the makespan; the instance's ``metadata``
(e.g. the ``optimum`` of a benchmark) is kept in ``meta["metadata"]``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from schedkit.instances.errors import ConversionError
from schedkit.models import ProblemData
from schedkit.models.fjsp import fjsp
from schedkit.models.jobshop import jobshop


def _machines(operation: Any, where: str) -> list[int]:
    machines = operation.machines
    machines = [machines] if isinstance(machines, int) else list(machines)
    if not machines:
        raise ConversionError(f"job-shop-lib {where}: no eligible machine")
    if len(set(machines)) != len(machines):
        raise ConversionError(f"job-shop-lib {where}: a machine is listed twice ({machines})")
    return [int(m) for m in machines]


def from_job_shop_lib(instance: Any, name: str | None = None) -> ProblemData:
    """The schedkit problem of a job-shop-lib ``JobShopInstance`` (see the module docstring)."""
    jobs = [list(job) for job in instance.jobs]
    machine_lists = [
        [_machines(op, f"operation {k} of job {j}") for k, op in enumerate(job)] for j, job in enumerate(jobs)
    ]
    num_machines = 1 + max((m for job in machine_lists for ms in job for m in ms), default=-1)
    label = name if name is not None else str(getattr(instance, "name", "") or "")
    flexible = any(len(ms) > 1 for job in machine_lists for ms in job)
    if flexible:
        problem = fjsp(
            [
                [[(m, int(op.duration)) for m in ms] for op, ms in zip(job, job_machines)]
                for job, job_machines in zip(jobs, machine_lists)
            ],
            num_machines=num_machines,
            name=label,
        )
    else:
        problem = jobshop(
            [
                [(ms[0], int(op.duration)) for op, ms in zip(job, job_machines)]
                for job, job_machines in zip(jobs, machine_lists)
            ],
            num_machines=num_machines,
            name=label,
        )
    tasks = list(problem.tasks)
    for job_tasks, job in zip(problem.meta["jobs"], jobs):
        for task, op in zip(job_tasks, job):
            release = int(getattr(op, "release_date", 0) or 0)
            deadline = getattr(op, "deadline", None)
            due = getattr(op, "due_date", None)
            tasks[task] = replace(
                tasks[task],
                release=release,
                deadline=None if deadline is None else int(deadline),
                due_date=None if due is None else int(due),
            )
    meta = dict(problem.meta)
    meta["source_library"] = "job_shop_lib"
    metadata = getattr(instance, "metadata", None)
    if metadata:
        meta["metadata"] = {str(k): v for k, v in dict(metadata).items()}
    return replace(problem, tasks=tuple(tasks), meta=meta)


__all__ = ["from_job_shop_lib"]
