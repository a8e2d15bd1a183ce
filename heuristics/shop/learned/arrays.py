"""A job shop as padded NumPy arrays: what the dispatching environment and the policy read.

The environment (:mod:`schedkit.heuristics.shop.learned.state`) works on jobs
of operations, each on one machine for a fixed duration, dispatched in job
order. :func:`shop_arrays` reads that out of the IR through
:func:`schedkit.heuristics.shop.read_shop` and refuses, with a one-line
``ShopError``, what the environment's semantics do not cover:

* an operation with several usable modes (a flexible job shop: the policy
  chooses jobs, not machines, so the action space would not carry over);
* a precedence that is not a job-chain link with lag 0 (a precedence across
  jobs, or a lag);
* machine downtime.

Releases are honoured on every operation. Arrays are ``(J, K)`` with ``K`` the
longest job; entries past a job's length are padding (machine 0, duration 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from schedkit.heuristics.shop.structure import ShopError, read_shop
from schedkit.models import ProblemData

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ShopArrays:
    """A job shop, padded to ``(J, K)``.

    ``machine[j, k]``, ``duration[j, k]``, ``release[j, k]`` describe operation
    k of job j and ``task[j, k]`` is its task index in the problem (-1 in the
    padding); ``num_ops[j]`` is the length of job j. ``mean_duration`` and
    ``std_duration`` are over all real operations (the normalisation of the
    observation).
    """

    machine: IntArray
    duration: IntArray
    release: IntArray
    task: IntArray
    num_ops: IntArray
    num_machines: int
    mean_duration: float
    std_duration: float

    @property
    def num_jobs(self) -> int:
        """Number of jobs J."""
        return int(self.machine.shape[0])

    @property
    def max_ops(self) -> int:
        """Length K of the longest job."""
        return int(self.machine.shape[1])

    @property
    def num_tasks(self) -> int:
        """Number of operations."""
        return int(self.num_ops.sum())


def shop_arrays(problem: ProblemData) -> ShopArrays:
    """The :class:`ShopArrays` of a job shop; ``ShopError`` (a ``ValueError``) for anything else."""
    shop = read_shop(problem)
    name = problem.name or "<unnamed>"
    for i, modes in enumerate(shop.modes):
        if len(modes) != 1:
            raise ShopError(
                f"the learned dispatcher schedules job shops (one machine per operation); problem '{name}' "
                f"{problem.describe_task(i)} has {len(modes)} usable modes"
            )
    for i, preds in enumerate(shop.preds):
        for pred, lag in preds:
            chained = shop.job_of[pred] == shop.job_of[i] and shop.position[pred] + 1 == shop.position[i]
            if not chained or lag != 0:
                raise ShopError(
                    f"the learned dispatcher needs job chains with lag 0; problem '{name}' has "
                    f"{problem.describe_task(pred)} -> {problem.describe_task(i)} (lag {lag})"
                )
    for r, windows in enumerate(shop.downtime):
        if windows:
            raise ShopError(
                f"the learned dispatcher does not handle machine downtime; problem '{name}' "
                f"{problem.describe_resource(r)} has {len(windows)} downtime windows"
            )
    num_jobs = len(shop.jobs)
    width = max((len(job) for job in shop.jobs), default=0)
    machine = np.zeros((num_jobs, width), dtype=np.int64)
    duration = np.zeros((num_jobs, width), dtype=np.int64)
    release = np.zeros((num_jobs, width), dtype=np.int64)
    task = np.full((num_jobs, width), -1, dtype=np.int64)
    for j, job in enumerate(shop.jobs):
        for k, i in enumerate(job):
            _, machine[j, k], duration[j, k] = shop.modes[i][0]
            release[j, k] = shop.release[i]
            task[j, k] = i
    num_ops = np.array([len(job) for job in shop.jobs], dtype=np.int64)
    real = task >= 0
    durations = duration[real].astype(float)
    mean = float(durations.mean()) if durations.size else 1.0
    std = float(durations.std()) if durations.size else 1.0
    return ShopArrays(
        machine=machine,
        duration=duration,
        release=release,
        task=task,
        num_ops=num_ops,
        num_machines=max(1, shop.num_machines),
        mean_duration=max(mean, 1.0),
        std_duration=max(std, 1.0),
    )
