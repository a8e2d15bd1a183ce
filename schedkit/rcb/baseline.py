"""A simple baseline answerer: a greedy serial SGS that writes its schedule as ``task: start`` text.

It stands where a model would: :func:`greedy_writer` has the signature of a
schedule writer (``writer(prompt, problem) -> text``), ignores the prompt and
reads the instance. The schedule is built once, greedily, and never repaired:

1. Eligible tasks (all predecessors placed) are taken in order of their
   deadline (tasks without one last), then of index.
2. Each starts at the earliest time t >= its release and the ends of its
   predecessors such that its demands fit the free capacity over
   ``[t, t + p)``, calendar downtime included (the resource profile of
   :mod:`schedkit.heuristics.rcpsp.profile`), and it overlaps no already placed
   partner of a disjunctive pair (t moves past such a partner's end and the
   search repeats).
3. Deadlines are not enforced: a task that cannot finish by its deadline
   is placed late anyway, so the baseline fails exactly where greedy
   placement runs out of room. The grader decides.

The writer prints one line per task, ``name: start``, after a sentence of
preamble (so the parser's tolerance of text around the answer is exercised).
"""

from __future__ import annotations

import heapq

from schedkit.heuristics.rcpsp.profile import Profile
from schedkit.models import ProblemData

__all__ = ["greedy_starts", "greedy_writer"]


def greedy_starts(problem: ProblemData) -> list[int]:
    """Start times of the greedy SGS of the module docstring (one mode, renewable resources)."""
    n = problem.num_tasks
    tasks = problem.tasks
    capacity = [res.capacity for res in problem.resources]
    calendar = [[(w.start, w.end, w.capacity) for w in res.calendar] for res in problem.resources]
    profile = Profile(capacity, calendar)
    preds: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    succs: list[list[int]] = [[] for _ in range(n)]
    for p in problem.precedences:
        preds[p.b].append((p.a, p.lag))
        succs[p.a].append(p.b)
    partners: list[list[int]] = [[] for _ in range(n)]
    for pair in problem.disjunctive_pairs:
        partners[pair.a].append(pair.b)
        partners[pair.b].append(pair.a)
    unset = 1 << 62

    def key(i: int) -> tuple[int, int]:
        deadline = tasks[i].deadline
        return (unset if deadline is None else deadline, i)

    missing = [len(p) for p in preds]
    heap = [key(i) for i in range(n) if missing[i] == 0]
    heapq.heapify(heap)
    start = [0] * n
    end = [0] * n
    placed = [False] * n
    while heap:
        _, i = heapq.heappop(heap)
        duration = tasks[i].modes[0].duration
        demand = [(d.resource, d.amount) for d in tasks[i].modes[0].demands]
        t = max([tasks[i].release, *(end[a] + lag for a, lag in preds[i])])
        while True:
            found = profile.earliest(t, duration, demand)
            if found is None:
                raise ValueError(f"task {tasks[i].name} never fits the capacity of its resources")
            t = found
            clash = [
                end[j] for j in partners[i] if placed[j] and duration > 0 and start[j] < t + duration and t < end[j]
            ]
            if not clash:
                break
            t = max(clash)
        profile.reserve(t, duration, demand)
        start[i], end[i], placed[i] = t, t + duration, True
        for j in succs[i]:
            missing[j] -= 1
            if missing[j] == 0:
                heapq.heappush(heap, key(j))
    if not all(placed):
        raise ValueError(f"problem '{problem.name}' has a precedence cycle")
    return start


def greedy_writer(prompt: str, problem: ProblemData) -> str:
    """The greedy SGS schedule of ``problem`` as an answer text (``prompt`` is not read)."""
    starts = greedy_starts(problem)
    lines = ["I placed each task at the earliest time it fits, in deadline order. Final schedule:"]
    lines += [f"{task.name}: {s}" for task, s in zip(problem.tasks, starts)]
    return "\n".join(lines) + "\n"
