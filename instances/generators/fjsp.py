"""SD2-style flexible job shop generator (as used by the L-RHO / Graph-RHO experiments).

Each operation gets ``U{1..m}`` eligible machines chosen at random without
repetition, each with its own processing time ``U{1..99}``. The default size is
20 jobs x 10 machines x 30 operations per job (600 operations). The draws are
vectorised, so instances with thousands of operations take a fraction of a
second (building the IR dominates).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from schedkit.instances.generators._common import check_positive, check_range
from schedkit.models import ProblemData
from schedkit.models.fjsp import fjsp


def sd2_fjsp(
    num_jobs: int = 20,
    num_machines: int = 10,
    ops_per_job: int = 30,
    seed: int = 0,
    duration_range: Sequence[int] = (1, 99),
    name: str = "",
) -> ProblemData:
    """A random SD2-style flexible job shop (see the module docstring)."""
    check_positive("num_jobs", num_jobs)
    check_positive("num_machines", num_machines)
    check_positive("ops_per_job", ops_per_job)
    low, high = check_range("duration_range", duration_range)
    rng = np.random.default_rng(seed)
    total = num_jobs * ops_per_job
    counts = rng.integers(1, num_machines, size=total, endpoint=True)
    # A random machine order per operation; its first `count` machines are the eligible ones.
    orders = np.argsort(rng.random((total, num_machines)), axis=1)
    times = rng.integers(low, high, size=(total, num_machines), endpoint=True)
    machines = orders.tolist()
    durations = times.tolist()
    jobs = []
    for j in range(num_jobs):
        ops = []
        for k in range(ops_per_job):
            op = j * ops_per_job + k
            count = int(counts[op])
            ops.append(list(zip(sorted(machines[op][:count]), durations[op][:count])))
        jobs.append(ops)
    problem = fjsp(jobs, num_machines=num_machines, name=name or f"sd2_{num_jobs}x{num_machines}x{ops_per_job}_s{seed}")
    problem.meta["generator"] = {
        "name": "sd2_fjsp",
        "num_jobs": num_jobs,
        "num_machines": num_machines,
        "ops_per_job": ops_per_job,
        "seed": seed,
        "duration_range": [low, high],
    }
    return problem
