"""Job data and sequence evaluation for single-machine (weighted) total tardiness.

A *sequence* is a permutation of the task indices. It is scheduled
left-justified: the k-th job starts at ``S_k = max(r_k, C_{k-1})`` (``C_{-1}``
is minus infinity, so the first job starts at its release) and completes at
``C_k = S_k + p_k``. Without idle time forced by releases, ``C`` is the prefix
sum of the processing times. With releases it is the max-plus recurrence,
vectorised as ``C_k = P_k + max_{i <= k} (r_i - P_{i-1})`` with ``P`` the prefix
sums (``P_{-1} = 0``). The objective is ``sum_j w_j max(0, C_j - d_j)``.

:func:`job_arrays` accepts exactly the problems these heuristics solve (one
unary resource used by every mandatory single-mode task, one minimised level of
``total_weighted_tardiness`` terms, optional releases) and raises ``ValueError``
naming the reason for any other problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from schedkit.models import ProblemData, ResourceKind, Sense, Solution, TermKind

__all__ = [
    "JobArrays",
    "completion_times",
    "job_arrays",
    "schedule",
    "sequence_of",
    "total_weighted_tardiness",
]


@dataclass(frozen=True)
class JobArrays:
    """Per-job data as int64 numpy arrays, in task order.

    ``w`` is the effective weight: the task weight times the summed weights of
    the objective terms that cover the task (0 for a task outside every term),
    so that ``sum w_j T_j`` equals the checker's objective exactly. A task
    without a due date gets ``d`` = the latest completion any left-justified
    schedule can have (it is never tardy). ``weighted`` is False when all
    effective weights are equal (the unweighted problem up to a constant factor).
    """

    p: np.ndarray
    d: np.ndarray
    w: np.ndarray
    r: np.ndarray

    @property
    def n(self) -> int:
        """Number of jobs."""
        return int(self.p.shape[0])

    @property
    def weighted(self) -> bool:
        """Whether the effective weights differ between jobs."""
        return bool(self.n) and bool((self.w != self.w[0]).any())

    @property
    def has_releases(self) -> bool:
        """Whether the release dates differ (equal releases only shift every schedule)."""
        return bool(self.n) and bool((self.r != self.r[0]).any())


def _reject(problem: ProblemData, reason: str) -> ValueError:
    label = f"problem '{problem.name}'" if problem.name else "the problem"
    return ValueError(
        f"single-machine tardiness heuristics need one unary resource used by every mandatory "
        f"single-mode task and one minimised total_weighted_tardiness level; {label}: {reason}"
    )


def _check_structure(problem: ProblemData) -> None:
    """Raise ``ValueError`` unless ``problem`` is a (released) single-machine tardiness problem."""
    if problem.num_resources != 1:
        raise _reject(problem, f"it has {problem.num_resources} resources, not 1")
    res = problem.resources[0]
    if res.kind != ResourceKind.UNARY:
        raise _reject(problem, f"{problem.describe_resource(0)} is {res.kind}, not unary")
    if res.calendar:
        raise _reject(problem, f"{problem.describe_resource(0)} has a calendar (downtime)")
    for label, items in (
        ("precedences", problem.precedences),
        ("implications", problem.implications),
        ("selections", problem.selections),
        ("coverage groups", problem.coverage_groups),
    ):
        if items:
            raise _reject(problem, f"it has {len(items)} {label}")
    if problem.cycle is not None:
        raise _reject(problem, "it is cyclic (has an initiation interval)")
    for i, task in enumerate(problem.tasks):
        what = problem.describe_task(i)
        if task.optional:
            raise _reject(problem, f"{what} is optional")
        if len(task.modes) != 1:
            raise _reject(problem, f"{what} has {len(task.modes)} modes")
        if task.deadline is not None:
            raise _reject(problem, f"{what} has a deadline")
        pin = task.pin
        if pin is not None and (pin.present is False or pin.mode not in (None, 0) or pin.start is not None):
            raise _reject(problem, f"{what} is pinned")
        mode = task.modes[0]
        if len(mode.demands) != 1 or mode.demands[0].resource != 0:
            raise _reject(problem, f"{what} does not use the machine exactly once")
        demand = mode.demands[0]
        if demand.offset != 0 or demand.usage_length(mode.duration) != mode.duration:
            raise _reject(problem, f"{what} uses the machine for other than its whole duration")


def _effective_weights(problem: ProblemData) -> np.ndarray:
    """Task weight times the summed term weights covering each task (see :class:`JobArrays`)."""
    levels = problem.objective.levels
    if len(levels) != 1:
        raise _reject(problem, f"its objective has {len(levels)} levels, not 1")
    level = levels[0]
    if level.sense != Sense.MINIMIZE:
        raise _reject(problem, "its objective is maximised")
    n = problem.num_tasks
    factor = np.zeros(n, dtype=np.int64)
    for term in level.terms:
        if term.kind != TermKind.TOTAL_WEIGHTED_TARDINESS:
            raise _reject(problem, f"its objective has a '{term.kind}' term")
        if term.weight < 0:
            raise _reject(problem, f"its total_weighted_tardiness term has negative weight {term.weight}")
        if term.tasks is None:
            factor += term.weight
        else:
            np.add.at(factor, np.asarray(term.tasks, dtype=np.int64), term.weight)
    weights = np.fromiter((task.weight for task in problem.tasks), dtype=np.int64, count=n)
    return weights * factor


def job_arrays(problem: ProblemData) -> JobArrays:
    """Processing times, due dates, effective weights and releases of ``problem`` (see :class:`JobArrays`).

    Raises ``ValueError`` naming the reason when ``problem`` is not a
    single-machine total (weighted) tardiness problem with optional releases.
    """
    _check_structure(problem)
    w = _effective_weights(problem)
    tasks = problem.tasks
    n = len(tasks)
    p = np.fromiter((task.modes[0].duration for task in tasks), dtype=np.int64, count=n)
    r = np.fromiter((task.release for task in tasks), dtype=np.int64, count=n)
    latest = (int(r.max()) if n else 0) + int(p.sum())
    d = np.fromiter(
        (latest if task.due_date is None else task.due_date for task in tasks),
        dtype=np.int64,
        count=n,
    )
    return JobArrays(p=p, d=d, w=w, r=r)


def _as_order(order: Sequence[int] | np.ndarray, n: int) -> np.ndarray:
    """``order`` as an int64 array, checked to be a permutation of ``range(n)``."""
    seq = np.asarray(order, dtype=np.int64).reshape(-1)
    if seq.shape[0] != n or not np.array_equal(np.sort(seq), np.arange(n)):
        raise ValueError(f"order must be a permutation of the {n} job indices, got {list(order)[:12]}")
    return seq


def completion_times(p: np.ndarray, order: np.ndarray, r: np.ndarray | None = None) -> np.ndarray:
    """Completion time of each *position* of ``order`` in its left-justified schedule.

    Without releases ``C = cumsum(p[order])``; with releases
    ``C_k = P_k + max_{i <= k}(r_i - P_{i-1})`` (see the module docstring).
    """
    prefix = np.cumsum(p[order])
    if r is None:
        return prefix
    before = prefix - p[order]
    return prefix + np.maximum.accumulate(r[order] - before)


def total_weighted_tardiness(
    p: np.ndarray,
    d: np.ndarray,
    w: np.ndarray,
    order: Sequence[int] | np.ndarray,
    r: np.ndarray | None = None,
) -> int:
    """``sum_j w_j max(0, C_j - d_j)`` of the left-justified schedule of ``order`` (vectorised)."""
    seq = np.asarray(order, dtype=np.int64)
    completion = completion_times(p, seq, r)
    return int(np.dot(w[seq], np.maximum(completion - d[seq], 0)))


def schedule(problem: ProblemData, order: Sequence[int] | np.ndarray, jobs: JobArrays | None = None) -> Solution:
    """The left-justified schedule of ``order`` (a permutation of task indices), releases respected.

    Raises ``ValueError`` when ``order`` is not a permutation, when the problem
    is not a single-machine tardiness problem, or when the schedule would end
    after the problem's ``horizon``.
    """
    jobs = job_arrays(problem) if jobs is None else jobs
    seq = _as_order(order, jobs.n)
    completion = completion_times(jobs.p, seq, jobs.r)
    starts = np.empty(jobs.n, dtype=np.int64)
    starts[seq] = completion - jobs.p[seq]
    if problem.horizon is not None and jobs.n and int(completion[-1]) > problem.horizon:
        raise ValueError(
            f"the sequence ends at {int(completion[-1])}, after the horizon {problem.horizon} of '{problem.name}'"
        )
    return Solution.from_lists(starts.tolist())


def sequence_of(solution: Solution, problem: ProblemData | None = None) -> list[int]:
    """Task indices of a single-machine solution in start order.

    Ties go to the shorter task (a zero-length task at time s ran before a
    task that starts at s), then to the lower index; without ``problem`` the
    durations are unknown and ties go to the lower index.
    """
    starts = solution.starts
    if problem is None:
        return sorted(range(len(starts)), key=lambda i: (starts[i], i))
    durations = [task.modes[mode or 0].duration for task, mode in zip(problem.tasks, solution.modes)]
    return sorted(range(len(starts)), key=lambda i: (starts[i], durations[i], i))
