"""Read a (flexible) job shop out of the IR: jobs, operations, eligible machines, heads and downtime.

The dispatch rules work on :class:`Shop`, a flat, index-based view of a
``ProblemData`` of the job shop or flexible job shop family:

* every task is an *operation* of exactly one *job*; the operations of a job
  are dispatched in job order. The jobs come from ``problem.meta["jobs"]``
  (lists of task indices, written by :func:`schedkit.models.jobshop.jobshop` and
  :func:`schedkit.models.fjsp.fjsp`) when present, else they are the chains of the
  end-to-start precedences (each task with at most one predecessor and one
  successor; a task in no precedence is a job of its own);
* every mode of an operation runs on one unary resource (a *machine*) for the
  mode's duration: exactly one demand, on a unary resource, over the whole
  duration (no reservation-table offset or length);
* precedences are end-to-start with a lag >= 0 (``S_b >= E_a + lag``); besides
  the job chains they may link operations of different jobs (an operation is
  dispatched only once all its predecessors are);
* releases are honoured; machine downtime is the calendar windows of capacity 0
  (a unary resource has capacity 1 or 0). An operation never overlaps downtime
  (it waits until the window ends, non-preemptively); a zero-duration
  operation occupies nothing.

Anything else raises ``ValueError`` naming the construct (the names of
``schedkit.solvers.capabilities``): other resource kinds, other precedence types,
negative lags, iteration distances, transfer lags, optional tasks, pinned
starts, deadlines, disjunctive pairs, selections, a cycle. A pinned *mode*
restricts the operation to that mode.
"""

from __future__ import annotations

from dataclasses import dataclass

from schedkit.heuristics.constructs import refuse_common
from schedkit.models import ProblemData, ResourceKind


class ShopError(ValueError):
    """The problem is not a (flexible) job shop the dispatch rules can schedule."""


@dataclass(frozen=True)
class Shop:
    """A (flexible) job shop, flat and index-based.

    ``jobs[j]``        the task indices of job j, in dispatch order;
    ``job_of[i]``      the job of task i; ``position[i]`` its place in the job;
    ``modes[i]``       the usable modes of task i as ``(mode index, machine, duration)``;
    ``release[i]``     the release of task i;
    ``preds[i]``       ``(predecessor, lag)`` pairs of task i;
    ``succs[i]``       the successors of task i;
    ``downtime[m]``    the downtime windows ``(start, end)`` of machine (resource) m, sorted;
    ``num_machines``   the number of resources (machines are resource indices).
    """

    jobs: tuple[tuple[int, ...], ...]
    job_of: tuple[int, ...]
    position: tuple[int, ...]
    modes: tuple[tuple[tuple[int, int, int], ...], ...]
    release: tuple[int, ...]
    preds: tuple[tuple[tuple[int, int], ...], ...]
    succs: tuple[tuple[int, ...], ...]
    downtime: tuple[tuple[tuple[int, int], ...], ...]
    num_machines: int

    @property
    def num_tasks(self) -> int:
        """Number of operations."""
        return len(self.job_of)

    def mean_duration(self, task: int) -> float:
        """Mean duration of the usable modes of ``task`` (its processing time in a job shop)."""
        durations = [duration for _, _, duration in self.modes[task]]
        return sum(durations) / len(durations)


def _unsupported(problem: ProblemData, construct: str, detail: str) -> ShopError:
    return ShopError(
        f"dispatch rules schedule job shops and flexible job shops only; problem '{problem.name}' uses "
        f"{construct}: {detail}"
    )


def _check_constructs(problem: ProblemData) -> None:
    """Refuse what a dispatch rule cannot honour (see the module docstring)."""
    refuse_common(problem, lambda construct, detail: _unsupported(problem, construct, detail))
    for r, res in enumerate(problem.resources):
        if res.kind != ResourceKind.UNARY:
            raise _unsupported(
                problem, f"resource.{res.kind.value}", f"{problem.describe_resource(r)} is not a unary machine"
            )
    for prec in problem.precedences:
        if not (0 <= prec.a < problem.num_tasks and 0 <= prec.b < problem.num_tasks):
            names = f"{problem.describe_task(prec.a)} -> {problem.describe_task(prec.b)}"
            raise _unsupported(problem, "a precedence loop", names)


def _modes(problem: ProblemData, index: int) -> tuple[tuple[int, int, int], ...]:
    """The usable ``(mode, machine, duration)`` of task ``index`` (a pinned mode is the only one)."""
    task = problem.tasks[index]
    out = []
    for m, mode in enumerate(task.modes):
        if len(mode.demands) != 1:
            raise _unsupported(
                problem,
                "an operation without exactly one machine",
                f"{problem.describe_task(index)} mode {m} has {len(mode.demands)} resource demands",
            )
        demand = mode.demands[0]
        if demand.offset != 0 or demand.usage_length(mode.duration) != mode.duration:
            raise _unsupported(
                problem,
                "reservation_table",
                f"{problem.describe_task(index)} mode {m} uses its machine with an offset or another length",
            )
        out.append((m, demand.resource, mode.duration))
    pin = task.pin
    if pin is not None and pin.mode is not None:
        out = [entry for entry in out if entry[0] == pin.mode]
    return tuple(out)


def _chains(problem: ProblemData) -> list[list[int]]:
    """The jobs as the chains of the end-to-start precedences (in task order of their first operation)."""
    n = problem.num_tasks
    pred = [-1] * n
    succ = [-1] * n
    for prec in problem.precedences:
        if succ[prec.a] not in (-1, prec.b) or pred[prec.b] not in (-1, prec.a):
            raise _unsupported(
                problem,
                "a precedence network that is not a set of job chains (and no meta['jobs'])",
                f"{problem.describe_task(prec.a)} -> {problem.describe_task(prec.b)}: a task has two "
                "predecessors or two successors",
            )
        succ[prec.a] = prec.b
        pred[prec.b] = prec.a
    jobs = []
    seen = 0
    for head in range(n):
        if pred[head] != -1:
            continue
        job = [head]
        while succ[job[-1]] != -1:
            job.append(succ[job[-1]])
        jobs.append(job)
        seen += len(job)
    if seen != n:
        raise _unsupported(problem, "a precedence cycle", "some operations lie on a cycle of precedences")
    return jobs


def _meta_jobs(problem: ProblemData) -> list[list[int]] | None:
    """``meta["jobs"]`` validated as a partition of the tasks, or None when absent."""
    jobs = problem.meta.get("jobs")
    if jobs is None:
        return None
    out = [[int(i) for i in job] for job in jobs]
    flat = sorted(i for job in out for i in job)
    if flat != list(range(problem.num_tasks)):
        raise ShopError(
            f"problem '{problem.name}': meta['jobs'] must list every task exactly once "
            f"({len(flat)} entries for {problem.num_tasks} tasks)"
        )
    return [job for job in out if job]


def read_shop(problem: ProblemData) -> Shop:
    """The :class:`Shop` of ``problem``; raises :class:`ShopError` (a ``ValueError``) outside the family."""
    _check_constructs(problem)
    n = problem.num_tasks
    modes = tuple(_modes(problem, i) for i in range(n))
    jobs = _meta_jobs(problem)
    if jobs is None:
        jobs = _chains(problem)
    job_of = [0] * n
    position = [0] * n
    for j, job in enumerate(jobs):
        for k, i in enumerate(job):
            job_of[i] = j
            position[i] = k
    preds: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    succs: list[list[int]] = [[] for _ in range(n)]
    for prec in problem.precedences:
        preds[prec.b].append((prec.a, prec.lag))
        succs[prec.a].append(prec.b)
    downtime = tuple(
        tuple(sorted((w.start, w.end) for w in res.calendar if w.capacity == 0)) for res in problem.resources
    )
    return Shop(
        jobs=tuple(tuple(job) for job in jobs),
        job_of=tuple(job_of),
        position=tuple(position),
        modes=modes,
        release=tuple(task.release for task in problem.tasks),
        preds=tuple(tuple(p) for p in preds),
        succs=tuple(tuple(s) for s in succs),
        downtime=downtime,
        num_machines=problem.num_resources,
    )
