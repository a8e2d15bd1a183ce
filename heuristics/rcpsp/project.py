"""Read an RCPSP out of the IR: durations, renewable demands, capacity profiles, releases, lags, mode choice.

The schedule-generation schemes work on :class:`Project`, a flat,
index-based view of a ``ProblemData`` with

* renewable resources (and unary ones, i.e. renewable of capacity 1), each with
  its base capacity and calendar windows (capacity profiles, downtime);
* mandatory tasks with a release (``S >= release``);
* end-to-start precedences with a lag >= 0 (``S_b >= E_a + lag``);
* one or more modes per task: the schemes run each activity in one mode fixed
  beforehand (:func:`choose_mode`).

Anything else raises ``ValueError`` naming the construct (the names of
``schedkit.solvers.capabilities``): consumable, bin and modulo resources, deadlines,
other precedence types, negative lags, iteration distances, transfer lags,
reservation tables, optional tasks, pinned starts, disjunctive pairs,
selections, a cycle. A pinned mode is honoured.
"""

from __future__ import annotations

from dataclasses import dataclass

from schedkit.heuristics.constructs import refuse_common
from schedkit.models import ProblemData, ResourceKind, Task


class ProjectError(ValueError):
    """The problem is outside what the schedule-generation schemes handle."""


@dataclass(frozen=True)
class Project:
    """An RCPSP, flat and index-based (resources renumbered ``0..K-1``).

    ``duration[i]``, ``mode[i]``  the chosen mode of task i and its duration;
    ``demand[i]``                 ``(resource slot, amount)`` pairs of that mode, amounts > 0;
    ``release[i]``                the release of task i;
    ``preds[i]``, ``succs[i]``    ``(other task, lag)`` pairs;
    ``capacity[k]``               the base capacity of resource slot k;
    ``calendar[k]``               its windows ``(start, end, capacity)``, sorted;
    ``resources[k]``              the IR index of resource slot k;
    ``topo``                      a topological order of the tasks;
    ``horizon``                   ``problem.effective_horizon`` (the backward pass of the CPM starts there).
    """

    duration: tuple[int, ...]
    mode: tuple[int, ...]
    demand: tuple[tuple[tuple[int, int], ...], ...]
    release: tuple[int, ...]
    preds: tuple[tuple[tuple[int, int], ...], ...]
    succs: tuple[tuple[tuple[int, int], ...], ...]
    capacity: tuple[int, ...]
    calendar: tuple[tuple[tuple[int, int, int], ...], ...]
    resources: tuple[int, ...]
    topo: tuple[int, ...]
    horizon: int

    @property
    def num_tasks(self) -> int:
        """Number of activities."""
        return len(self.duration)


def _unsupported(problem: ProblemData, construct: str, detail: str) -> ProjectError:
    return ProjectError(
        f"schedule-generation schemes handle renewable resources, releases and end-to-start lags >= 0; "
        f"problem '{problem.name}' uses {construct}: {detail}"
    )


def _check_constructs(problem: ProblemData) -> None:
    refuse_common(problem, lambda construct, detail: _unsupported(problem, construct, detail))
    for r, res in enumerate(problem.resources):
        if res.kind not in (ResourceKind.RENEWABLE, ResourceKind.UNARY):
            raise _unsupported(problem, f"resource.{res.kind.value}", problem.describe_resource(r))
    for i, task in enumerate(problem.tasks):
        for m, mode in enumerate(task.modes):
            for demand in mode.demands:
                if demand.offset != 0 or demand.usage_length(mode.duration) != mode.duration:
                    raise _unsupported(
                        problem,
                        "reservation_table",
                        f"{problem.describe_task(i)} mode {m} uses a resource with an offset or length",
                    )


def choose_mode(problem: ProblemData, index: int) -> int:
    """The mode an activity runs in: the shortest resource-feasible one.

    A mode is *resource-feasible* when each of its demands fits the resource's
    base capacity (the capacity outside calendar windows, which holds for ever
    after the last window, so the activity can always be scheduled eventually).
    Among those, the shortest duration wins; ties go to the smallest total
    relative demand ``sum_k q_k / cap_k``, then to the lower index. If no mode
    is resource-feasible, the shortest mode of all is taken (it may still fit
    inside a window of higher capacity; otherwise the scheme reports that the
    activity never fits). A pinned mode is always taken.
    """
    task: Task = problem.tasks[index]
    if task.pin is not None and task.pin.mode is not None:
        return task.pin.mode
    resources = problem.resources

    def rank(m: int) -> tuple[int, float, int]:
        mode = task.modes[m]
        load = sum(d.amount / max(resources[d.resource].capacity, 1) for d in mode.demands)
        return mode.duration, load, m

    feasible = [
        m for m, mode in enumerate(task.modes) if all(d.amount <= resources[d.resource].capacity for d in mode.demands)
    ]
    return min(feasible or range(len(task.modes)), key=rank)


def _topological(n: int, succs: list[list[tuple[int, int]]], problem: ProblemData) -> list[int]:
    indegree = [0] * n
    for out in succs:
        for b, _ in out:
            indegree[b] += 1
    order = [i for i in range(n) if indegree[i] == 0]
    for i in order:  # the list grows while it is walked (Kahn's algorithm)
        for b, _ in succs[i]:
            indegree[b] -= 1
            if indegree[b] == 0:
                order.append(b)
    if len(order) != n:
        raise _unsupported(problem, "a precedence cycle", "some activities lie on a cycle of precedences")
    return order


def read_project(problem: ProblemData) -> Project:
    """The :class:`Project` of ``problem``; raises :class:`ProjectError` (a ``ValueError``) for other problems."""
    _check_constructs(problem)
    n = problem.num_tasks
    resources = [r for r, res in enumerate(problem.resources)]
    slot = {r: k for k, r in enumerate(resources)}
    modes = [choose_mode(problem, i) for i in range(n)]
    duration = [problem.tasks[i].modes[modes[i]].duration for i in range(n)]
    demand = []
    for i in range(n):
        used: dict[int, int] = {}
        for d in problem.tasks[i].modes[modes[i]].demands:
            used[slot[d.resource]] = used.get(slot[d.resource], 0) + d.amount
        demand.append(tuple(sorted(used.items())))
    preds: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    succs: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for prec in problem.precedences:
        preds[prec.b].append((prec.a, prec.lag))
        succs[prec.a].append((prec.b, prec.lag))
    topo = _topological(n, succs, problem)
    res = problem.resources
    return Project(
        duration=tuple(duration),
        mode=tuple(modes),
        demand=tuple(demand),
        release=tuple(task.release for task in problem.tasks),
        preds=tuple(tuple(p) for p in preds),
        succs=tuple(tuple(s) for s in succs),
        capacity=tuple(res[r].capacity for r in resources),
        calendar=tuple(tuple(sorted((w.start, w.end, w.capacity) for w in res[r].calendar)) for r in resources),
        resources=tuple(resources),
        topo=tuple(topo),
        horizon=problem.effective_horizon,
    )
