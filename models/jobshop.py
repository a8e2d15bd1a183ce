"""Job shop: jobs are chains of operations, each on one fixed machine.

``J || C_max``: every operation of job j runs on its machine for its duration,
in the job's technological order; each machine runs one operation at a time;
minimise the makespan. Compiles to unary resources, single-mode tasks and
end-to-start precedences along each job.
"""

from __future__ import annotations

from collections.abc import Sequence

from schedkit.models.builder import Model
from schedkit.models.errors import ModelError
from schedkit.models.problem import ProblemData

Operation = tuple[int, int]
"""``(machine, duration)``, machines numbered from 0."""


def jobshop(
    jobs: Sequence[Sequence[Operation]],
    num_machines: int | None = None,
    name: str = "",
    release_dates: Sequence[int] | None = None,
) -> ProblemData:
    """Build a job shop problem minimising the makespan.

    Parameters
    ----------
    jobs
        For each job, its operations in technological order as ``(machine,
        duration)`` pairs with 0-based machines.
    num_machines
        Number of machines (default: one more than the largest machine used).
    name
        Instance name.
    release_dates
        Optional earliest start of each job's first operation.

    Task ``j{j}_o{k}`` is operation k of job j; resource ``m{i}`` is machine i.
    ``meta["jobs"]`` lists the task indices of each job in order.
    """
    if num_machines is None:
        num_machines = 1 + max((machine for job in jobs for machine, _ in job), default=-1)
    model = Model(name, family="jobshop")
    machines = [model.add_machine(f"m{i}") for i in range(num_machines)]
    job_tasks: list[list[int]] = []
    for j, job in enumerate(jobs):
        tasks: list[int] = []
        for k, (machine, duration) in enumerate(job):
            release = release_dates[j] if release_dates is not None and k == 0 else 0
            if not 0 <= machine < num_machines:
                raise ModelError(
                    f"job {j} operation {k}", "machine", f"machine {machine} is not in 0..{num_machines - 1}"
                )
            demands: dict[int | str, int] = {machines[machine]: 1}
            task = model.add_task(f"j{j}_o{k}", release=release, duration=duration, demands=demands)
            if tasks:
                model.add_precedence(tasks[-1], task)
            tasks.append(task)
        job_tasks.append(tasks)
    model.minimize("makespan")
    model.meta.update(jobs=job_tasks, num_jobs=len(jobs), num_machines=num_machines)
    return model.freeze()
