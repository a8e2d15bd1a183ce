"""A plain seeded random job shop: every job visits every machine once, in a random order.

Durations are uniform integers in ``duration_range`` (default 1..99, as in
Taillard's instances). For Taillard's own instances use
:mod:`schedkit.instances.generators.taillard`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from schedkit.instances.generators._common import check_positive, check_range
from schedkit.models import ProblemData
from schedkit.models.jobshop import jobshop


def random_jobshop(
    num_jobs: int,
    num_machines: int,
    seed: int = 0,
    duration_range: Sequence[int] = (1, 99),
    name: str = "",
) -> ProblemData:
    """A random ``num_jobs x num_machines`` job shop (each job a random machine permutation)."""
    check_positive("num_jobs", num_jobs)
    check_positive("num_machines", num_machines)
    low, high = check_range("duration_range", duration_range)
    rng = np.random.default_rng(seed)
    durations = rng.integers(low, high, size=(num_jobs, num_machines), endpoint=True)
    orders = np.argsort(rng.random((num_jobs, num_machines)), axis=1)
    jobs = [list(zip(orders[j].tolist(), durations[j].tolist())) for j in range(num_jobs)]
    problem = jobshop(jobs, num_machines=num_machines, name=name or f"js{num_jobs}x{num_machines}_s{seed}")
    problem.meta["generator"] = {
        "name": "random_jobshop",
        "num_jobs": num_jobs,
        "num_machines": num_machines,
        "seed": seed,
        "duration_range": [low, high],
    }
    return problem
