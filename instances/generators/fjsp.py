"""SD2-style flexible job shop generator (as used by the L-RHO / Graph-RHO experiments).

Each operation gets ``U{1..m}`` eligible machines chosen at random without
repetition, each with its own processing time ``U{1..99}``. The default size is
20 jobs x 10 machines x 30 operations per job (600 operations). The draws are
vectorised, so instances with thousands of operations take a fraction of a
second (building the IR dominates). :func:`sd2_fjsp_breakdowns` adds L-RHO's
machine breakdowns as downtime calendars.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np

from schedkit.instances.generators._common import check_positive, check_range
from schedkit.models import CapacityWindow, ProblemData
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


def work_center_fjsp(
    num_jobs: int = 100,
    num_machines: int = 60,
    ops_per_job: int = 5,
    num_centers: int = 3,
    eligible_share: Sequence[float] = (0.7, 1.0),
    seed: int = 0,
    duration_range: Sequence[int] = (10, 100),
    name: str = "",
) -> ProblemData:
    """A large flexible job shop with work centres, of the size of Behnke & Geiger's (2012) largest.

    The machines are split into ``num_centers`` work centres of (nearly) equal
    size. Each operation belongs to a random centre and may run on a random
    subset of its machines, a share ``U[eligible_share]`` of the centre, each
    machine with its own time ``U{duration_range}``. The defaults (100 jobs,
    60 machines, 500 operations, 3 centres of 20 machines, 14-20 eligible
    machines per operation, about 8,500 options in all) match the size of the
    largest instance of the issue that motivated it (100 x 60, 500
    operations, 8,824 options); the structure follows Behnke & Geiger's idea of
    routing through work centres, not their exact data.
    """
    check_positive("num_jobs", num_jobs)
    check_positive("num_machines", num_machines)
    check_positive("ops_per_job", ops_per_job)
    check_positive("num_centers", num_centers)
    if num_centers > num_machines:
        raise ValueError(f"num_centers ({num_centers}) must not exceed num_machines ({num_machines})")
    low_share, high_share = (float(x) for x in eligible_share)
    if not 0.0 < low_share <= high_share <= 1.0:
        raise ValueError(f"eligible_share must satisfy 0 < low <= high <= 1, got {eligible_share!r}")
    low, high = check_range("duration_range", duration_range)
    rng = np.random.default_rng(seed)
    centers = np.array_split(np.arange(num_machines), num_centers)
    jobs = []
    for _ in range(num_jobs):
        ops = []
        for _ in range(ops_per_job):
            center = centers[int(rng.integers(num_centers))]
            share = rng.uniform(low_share, high_share)
            count = max(1, min(len(center), int(round(share * len(center)))))
            chosen = np.sort(rng.choice(center, size=count, replace=False))
            times = rng.integers(low, high, size=count, endpoint=True)
            ops.append([(int(m), int(t)) for m, t in zip(chosen, times)])
        jobs.append(ops)
    problem = fjsp(jobs, num_machines=num_machines, name=name or f"wc_{num_jobs}x{num_machines}x{ops_per_job}_s{seed}")
    problem.meta["generator"] = {
        "name": "work_center_fjsp",
        "num_jobs": num_jobs,
        "num_machines": num_machines,
        "ops_per_job": ops_per_job,
        "num_centers": num_centers,
        "eligible_share": [low_share, high_share],
        "seed": seed,
        "duration_range": [low, high],
    }
    return problem


def dpp_fjsp(
    num_jobs: int = 15,
    num_machines: int = 8,
    ops_range: Sequence[int] = (15, 25),
    flexibility: float = 0.3,
    seed: int = 0,
    duration_range: Sequence[int] = (10, 100),
    name: str = "",
) -> ProblemData:
    """A flexible job shop of the size of Dauzere-Peres & Paulli's (1997) set (10-20 jobs, 196-387 operations).

    Each job has ``U{ops_range}`` operations; each operation may run on every
    machine independently with probability ``flexibility`` (at least one
    machine), each with its own time ``U{duration_range}``. The defaults give
    about 300 operations on 8 machines with 2-3 machines per operation.
    """
    check_positive("num_jobs", num_jobs)
    check_positive("num_machines", num_machines)
    ops_low, ops_high = check_range("ops_range", ops_range, minimum=1)
    if not 0.0 <= flexibility <= 1.0:
        raise ValueError(f"flexibility must be in [0, 1], got {flexibility!r}")
    low, high = check_range("duration_range", duration_range)
    rng = np.random.default_rng(seed)
    jobs = []
    for _ in range(num_jobs):
        ops = []
        for _ in range(int(rng.integers(ops_low, ops_high, endpoint=True))):
            eligible = np.flatnonzero(rng.random(num_machines) < flexibility)
            if eligible.size == 0:
                eligible = np.array([int(rng.integers(num_machines))])
            times = rng.integers(low, high, size=eligible.size, endpoint=True)
            ops.append([(int(m), int(t)) for m, t in zip(eligible, times)])
        jobs.append(ops)
    problem = fjsp(jobs, num_machines=num_machines, name=name or f"dpp_{num_jobs}x{num_machines}_s{seed}")
    problem.meta["generator"] = {
        "name": "dpp_fjsp",
        "num_jobs": num_jobs,
        "num_machines": num_machines,
        "ops_range": [ops_low, ops_high],
        "flexibility": flexibility,
        "seed": seed,
        "duration_range": [low, high],
    }
    return problem


BREAKDOWN_LEVELS: dict[str, dict[str, Any]] = {
    "low": {"fraction": 0.2, "duration": (100, 100), "first_gap": (50, 150), "gap": (400, 600)},
    "mid": {"fraction": 0.35, "duration": (100, 100), "first_gap": (50, 150), "gap": (175, 300)},
    "high": {"fraction": 0.5, "duration": (50, 50), "first_gap": (50, 150), "gap": (100, 200)},
}
"""L-RHO's machine-breakdown levels (``gen_instance.py::generate_machine_breakdown``)."""


def breakdown_events(
    num_machines: int,
    horizon: int,
    seed: int = 0,
    level: str = "low",
) -> list[tuple[int, int, tuple[int, ...]]]:
    """L-RHO's breakdown events: ``(start, end, machines)``, sequential and non-overlapping, until ``horizon``.

    ``start = previous end + gap`` (the first gap drawn from ``first_gap``),
    ``end = start + duration``, and ``int(fraction * num_machines)`` machines,
    drawn without repetition, are down together on ``[start, end)``.
    """
    if level not in BREAKDOWN_LEVELS:
        raise ValueError(f"breakdown level {level!r} is not one of {', '.join(BREAKDOWN_LEVELS)}")
    spec = BREAKDOWN_LEVELS[level]
    rng = np.random.default_rng([seed, 1])  # its own stream: the instance is the one sd2_fjsp(seed) draws
    count = int(spec["fraction"] * num_machines)
    events: list[tuple[int, int, tuple[int, ...]]] = []
    end = 0
    while end < horizon:
        low, high = spec["first_gap"] if not events else spec["gap"]
        start = end + int(rng.integers(low, high, endpoint=True))
        shortest, longest = spec["duration"]
        end = start + int(rng.integers(shortest, longest, endpoint=True))
        machines = tuple(sorted(int(m) for m in rng.choice(num_machines, size=count, replace=False)))
        events.append((start, end, machines))
    return events


def sd2_fjsp_breakdowns(
    num_jobs: int = 20,
    num_machines: int = 10,
    ops_per_job: int = 30,
    seed: int = 0,
    level: str = "low",
    name: str = "",
) -> ProblemData:
    """:func:`sd2_fjsp` with L-RHO's machine breakdowns as calendars (downtime windows of capacity 0).

    Level ``low`` (the default): a fraction 0.2 of the machines is down for 100
    time units, the first time after U{50..150}, then every U{400..600} after
    the previous breakdown ended, until the sum over operations of their
    longest duration (L-RHO's horizon). The breakdowns are known in advance
    here (a calendar), where L-RHO reveals them online.
    """
    base = sd2_fjsp(num_jobs, num_machines, ops_per_job, seed)
    horizon = sum(task.max_duration for task in base.tasks)
    events = breakdown_events(num_machines, horizon, seed, level)
    downtime: list[list[CapacityWindow]] = [[] for _ in range(num_machines)]
    for start, end, machines in events:
        for m in machines:
            downtime[m].append(CapacityWindow(start, end, 0))
    resources = tuple(dataclasses.replace(res, calendar=tuple(down)) for res, down in zip(base.resources, downtime))
    meta = dict(base.meta)
    meta["generator"] = {**base.meta["generator"], "name": "sd2_fjsp_breakdowns", "level": level}
    meta["breakdowns"] = [[start, end, list(machines)] for start, end, machines in events]
    return dataclasses.replace(
        base,
        resources=resources,
        name=name or f"sd2_{num_jobs}x{num_machines}x{ops_per_job}_s{seed}_{level}",
        meta=meta,
    )
