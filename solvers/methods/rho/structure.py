"""What RHO needs to know about a problem: whether it applies, the operation order, jobs and machines.

RHO works on any problem whose only objective is the makespan of every task,
with non-negative lags, mandatory tasks and timed (unary or renewable)
resources: flexible job shops first, job shops and RCPSP alike. Operations are
ordered by their *relative position*: ``k / len(job)`` for operation k of a job
(``meta["jobs"]``, as the job-shop builders record it), and for a precedence
network without jobs ``level / (level + tail + 1)``, where ``level`` is the
number of tasks on the longest chain before the task and ``tail`` after it.
Both orders are topological (a successor's relative position is strictly
larger), so the next H uncommitted operations always contain the uncommitted
predecessors of each of them. Ties are broken at random (seeded), as in L-RHO.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from schedkit.models import ProblemData, ResourceKind, Sense, TermKind


def rho_applies(problem: ProblemData) -> str | None:
    """None when RHO can solve ``problem``, else the reason it cannot."""
    levels = problem.objective.levels
    if len(levels) != 1 or levels[0].sense != Sense.MINIMIZE:
        return "RHO minimises one objective level (the makespan)"
    terms = levels[0].terms
    if len(terms) != 1 or terms[0].kind != TermKind.MAKESPAN or terms[0].tasks is not None or terms[0].weight <= 0:
        return "RHO minimises the makespan of all tasks"
    if problem.cycle is not None:
        return "cyclic (modulo) schedules are not decomposed over time"
    if problem.implications or problem.selections or problem.disjunctive_pairs:
        return "implications, selections and disjunctive pairs are not supported by the window decomposition"
    if any(task.optional for task in problem.tasks):
        return "optional tasks are not supported"
    kinds = {res.kind for res in problem.resources}
    if kinds - {ResourceKind.UNARY, ResourceKind.RENEWABLE}:
        return "only unary and renewable resources are supported"
    if any(d.until for task in problem.tasks for mode in task.modes for d in mode.demands):
        return "live ranges are not supported"
    for prec in problem.precedences:
        if prec.lag < 0 or prec.distance != 0 or prec.transfer_lag < 0:
            return "precedences need non-negative lags (no maximum time lags)"
    return None


@dataclass(frozen=True)
class RhoStructure:
    """The facts about a problem the RHO loop and the features use.

    Attributes
    ----------
    order
        Task indices in RHO order (relative position, then level, then a seeded random tie-break).
    job
        The job of each task (for a problem without jobs: the task itself).
    position
        Operation index of each task in its job (without jobs: its level).
    job_length
        Number of operations of each task's job.
    predecessors
        Per task, the indices of the precedences whose successor it is.
    """

    order: tuple[int, ...]
    job: tuple[int, ...]
    position: tuple[int, ...]
    job_length: tuple[int, ...]
    predecessors: tuple[tuple[int, ...], ...]

    @classmethod
    def of(cls, problem: ProblemData, seed: int = 0) -> RhoStructure:
        """Compute the structure of ``problem``; ties in the order are broken with ``seed``."""
        n = problem.num_tasks
        preds: list[list[int]] = [[] for _ in range(n)]
        succs: list[list[int]] = [[] for _ in range(n)]
        for index, prec in enumerate(problem.precedences):
            preds[prec.b].append(index)
            succs[prec.a].append(prec.b)
        level, tail = _levels(n, [[problem.precedences[i].a for i in p] for p in preds], succs)
        jobs = problem.meta.get("jobs")
        job, position, length = list(range(n)), list(level), [lv + t + 1 for lv, t in zip(level, tail)]
        if isinstance(jobs, list) and _valid_jobs(jobs, n):
            for j, tasks in enumerate(jobs):
                for k, t in enumerate(tasks):
                    job[t], position[t], length[t] = j, k, len(tasks)
        relative = [position[t] / length[t] for t in range(n)]
        tie = np.random.default_rng(seed).random(n)
        order = sorted(range(n), key=lambda t: (relative[t], level[t], tie[t]))
        return cls(tuple(order), tuple(job), tuple(position), tuple(length), tuple(tuple(p) for p in preds))


def _valid_jobs(jobs: object, n: int) -> bool:
    """Whether ``meta["jobs"]`` lists every task exactly once."""
    if not isinstance(jobs, list):
        return False
    flat = [t for tasks in jobs for t in tasks]
    return sorted(flat) == list(range(n))


def _levels(n: int, preds: list[list[int]], succs: list[list[int]]) -> tuple[list[int], list[int]]:
    """Longest number of tasks before (level) and after (tail) each task; ValueError on a cycle."""
    indegree = [len(p) for p in preds]
    queue = [t for t in range(n) if indegree[t] == 0]
    topo = []
    while queue:
        t = queue.pop()
        topo.append(t)
        for s in succs[t]:
            indegree[s] -= 1
            if indegree[s] == 0:
                queue.append(s)
    if len(topo) != n:
        raise ValueError("the precedences form a cycle")
    level, tail = [0] * n, [0] * n
    for t in topo:
        for s in succs[t]:
            level[s] = max(level[s], level[t] + 1)
    for t in reversed(topo):
        for s in succs[t]:
            tail[t] = max(tail[t], tail[s] + 1)
    return level, tail
