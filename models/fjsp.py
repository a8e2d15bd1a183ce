"""Flexible job shop: like the job shop, but each operation chooses its machine.

``FJ || C_max``: each operation has a set of eligible machines, each with its own
processing time; assign every operation to one eligible machine and sequence
the machines so that jobs keep their order; minimise the makespan. An
operation is a task with one mode per eligible machine (mode ``location`` =
machine name).
"""

from __future__ import annotations

from collections.abc import Sequence

from schedkit.models.builder import Model
from schedkit.models.errors import ModelError
from schedkit.models.problem import ProblemData

Alternative = tuple[int, int]
"""``(machine, duration)``, machines numbered from 0."""


def fjsp(
    jobs: Sequence[Sequence[Sequence[Alternative]]],
    num_machines: int | None = None,
    name: str = "",
) -> ProblemData:
    """Build a flexible job shop problem minimising the makespan.

    Parameters
    ----------
    jobs
        For each job, its operations in order; each operation lists its
        eligible ``(machine, duration)`` alternatives (0-based machines).
    num_machines
        Number of machines (default: one more than the largest machine used).
    name
        Instance name.

    Task ``j{j}_o{k}`` is operation k of job j, its mode i the i-th alternative.
    ``meta["jobs"]`` lists the task indices of each job in order.
    """
    if num_machines is None:
        num_machines = 1 + max((m for job in jobs for op in job for m, _ in op), default=-1)
    model = Model(name, family="fjsp")
    machines = [model.add_machine(f"m{i}") for i in range(num_machines)]
    job_tasks: list[list[int]] = []
    for j, job in enumerate(jobs):
        tasks: list[int] = []
        for k, alternatives in enumerate(job):
            if not alternatives:
                raise ModelError(f"job {j} operation {k}", "alternatives", "an operation needs an eligible machine")
            task = model.add_task(f"j{j}_o{k}")
            seen = set()
            for machine, duration in alternatives:
                if not 0 <= machine < num_machines:
                    raise ModelError(
                        f"job {j} operation {k}", "machine", f"machine {machine} is not in 0..{num_machines - 1}"
                    )
                if machine in seen:
                    raise ModelError(f"job {j} operation {k}", "machine", f"machine {machine} is listed twice")
                seen.add(machine)
                demands: dict[int | str, int] = {machines[machine]: 1}
                model.add_mode(task, duration, demands, location=f"m{machine}")
            if tasks:
                model.add_precedence(tasks[-1], task)
            tasks.append(task)
        job_tasks.append(tasks)
    model.minimize("makespan")
    model.meta.update(jobs=job_tasks, num_jobs=len(jobs), num_machines=num_machines)
    return model.freeze()
