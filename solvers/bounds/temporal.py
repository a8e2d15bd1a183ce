"""The temporal network of the forced tasks: longest paths give heads, tails and time distances.

Time points are the origin Z (time 0), and S_i, E_i (start and end) of every
*forced* task i (present in every feasible solution, :mod:`.facts`). Every
arc ``u -> v`` of weight w states ``t_v >= t_u + w`` and holds in every
feasible solution:

* ``Z -> S_i``, w = earliest_i (release, pinned start; starts are >= 0);
* ``S_i -> E_i``, w = dmin_i and ``E_i -> S_i``, w = -dmax_i (whatever mode runs);
* a precedence ``a -> b`` of type XY with lag l, distance d and transfer lag
  f, between two forced tasks: ``Y_a -> X_b``, w = l + f' - d * II, where
  f' = f when every allowed mode pair of a and b runs at different locations
  (else 0, its minimum) and II is the initiation interval the network is
  built for (0 for acyclic problems; ``ii_max`` gives valid bounds for every
  II since the weight decreases with II). Precedences with an optional task
  are left out (they hold only when both are present).

Upper limits (``S_i <= pinned start``, ``E_i <= deadline / horizon``) are not
arcs; :meth:`TemporalNetwork.heads` checks them afterwards. Then

* ``head(v)`` = longest path Z -> v is a lower bound on t_v;
* ``tail(v)`` = longest path from v to one of the sink ends E_k gives
  ``max_k E_k >= t_v + tail(v)``;
* the longest path u -> v bounds ``t_v - t_u`` from below.

A positive cycle, or a head above an upper limit, proves the problem
infeasible (for this II): then nothing is claimed (None). Longest paths are
computed by a FIFO label-correcting search (Bellman-Ford), O(V * E) at worst,
near-linear on precedence networks.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import lru_cache

from schedkit.models import PrecedenceType, ProblemData, Term
from schedkit.solvers.bounds.facts import TaskFacts, task_facts

ORIGIN = 0
"""Node of the time origin Z."""


def start_node(task: int) -> int:
    """Node of S_task."""
    return 2 * task + 1


def end_node(task: int) -> int:
    """Node of E_task."""
    return 2 * task + 2


_FROM_END = (PrecedenceType.END_TO_START, PrecedenceType.END_TO_END)
_TO_END = (PrecedenceType.END_TO_END, PrecedenceType.START_TO_END)

Adjacency = list[list[tuple[int, int]]]


def _longest(adjacency: Adjacency, sources: dict[int, int]) -> tuple[list[int | None], list[int]] | None:
    """Longest path labels from ``sources`` (node -> initial label) and predecessors; None on a positive cycle."""
    n = len(adjacency)
    dist: list[int | None] = [None] * n
    pred = [-1] * n
    queued = [False] * n
    pushes = [0] * n
    queue: deque[int] = deque()
    for node, value in sources.items():
        dist[node] = value
        queued[node] = True
        queue.append(node)
    while queue:
        u = queue.popleft()
        queued[u] = False
        du = dist[u]
        assert du is not None  # a queued node has a label
        for v, w in adjacency[u]:
            candidate = du + w
            dv = dist[v]
            if dv is None or candidate > dv:
                dist[v] = candidate
                pred[v] = u
                if not queued[v]:
                    pushes[v] += 1
                    if pushes[v] > n:
                        return None
                    queued[v] = True
                    queue.append(v)
    return dist, pred


def min_transfer(problem: ProblemData, facts: TaskFacts, a: int, b: int, transfer: int) -> int:
    """The transfer lag that applies to a -> b whatever the modes: ``transfer`` if no allowed modes share a location."""
    if not transfer:
        return 0
    loc_a = {problem.tasks[a].modes[m].location for m in facts.modes[a]}
    loc_b = {problem.tasks[b].modes[m].location for m in facts.modes[b]}
    return 0 if loc_a & loc_b else transfer


@dataclass(frozen=True)
class Heads:
    """Longest paths from the origin: ``value[node]`` (None = unreachable) and a predecessor per node."""

    value: tuple[int | None, ...]
    pred: tuple[int, ...]

    def start(self, task: int) -> int:
        """Lower bound on the start of a forced task."""
        return self._reached(start_node(task), task)

    def end(self, task: int) -> int:
        """Lower bound on the end of a forced task."""
        return self._reached(end_node(task), task)

    def _reached(self, node: int, task: int) -> int:
        value = self.value[node]
        if value is None:  # only forced tasks are in the network
            raise ValueError(f"task {task} is not forced: the temporal network has no head for it")
        return value


class TemporalNetwork:
    """The network of :mod:`.temporal` for one problem and one II."""

    def __init__(self, problem: ProblemData, ii: int = 0) -> None:
        facts = task_facts(problem)
        self.problem = problem
        self.facts = facts
        self.ii = ii
        n = 2 * problem.num_tasks + 1
        forward: Adjacency = [[] for _ in range(n)]
        backward: Adjacency = [[] for _ in range(n)]

        def arc(u: int, v: int, w: int) -> None:
            forward[u].append((v, w))
            backward[v].append((u, w))

        self.upper: list[tuple[int, int]] = []
        for i in range(problem.num_tasks):
            if not facts.forced[i]:
                continue
            arc(ORIGIN, start_node(i), facts.earliest[i])
            arc(start_node(i), end_node(i), facts.dmin[i])
            arc(end_node(i), start_node(i), -facts.dmax[i])
            pin = problem.tasks[i].pin
            if pin is not None and pin.start is not None:
                self.upper.append((start_node(i), pin.start))
            latest_end = facts.latest_end[i]
            if latest_end is not None:
                self.upper.append((end_node(i), latest_end))
        for prec in problem.precedences:
            a, b = prec.a, prec.b
            if not (facts.forced[a] and facts.forced[b]):
                continue
            tail = end_node(a) if prec.type in _FROM_END else start_node(a)
            head = end_node(b) if prec.type in _TO_END else start_node(b)
            weight = prec.lag + min_transfer(problem, facts, a, b, prec.transfer_lag) - prec.distance * ii
            arc(tail, head, weight)
        self.forward = forward
        self.backward = backward

    def heads(self) -> Heads | None:
        """Longest paths from the origin, or None when they prove the problem infeasible."""
        found = _longest(self.forward, {ORIGIN: 0})
        if found is None:
            return None
        dist, pred = found
        for node, limit in self.upper:
            head = dist[node]
            if head is not None and head > limit:
                return None
        return Heads(tuple(dist), tuple(pred))

    def tails(self, sink_tasks: list[int]) -> list[int | None] | None:
        """Per node v, the longest path from v to an end E_k of ``sink_tasks`` (None = no path).

        None overall on a positive cycle.
        """
        found = _longest(self.backward, {end_node(k): 0 for k in sink_tasks})
        return None if found is None else found[0]

    def distances_from(self, node: int) -> list[int | None] | None:
        """Per node v, the longest path ``node -> v`` (a lower bound on t_v - t_node)."""
        found = _longest(self.forward, {node: 0})
        return None if found is None else found[0]

    def describe_path(self, heads: Heads, node: int, limit: int = 8) -> str:
        """The tasks along the longest path from the origin to ``node``, as ``a -> b -> c``."""
        names: list[str] = []
        seen: set[int] = set()
        while node > ORIGIN and node not in seen:
            seen.add(node)
            name = self.problem.tasks[(node - 1) // 2].name
            if not names or names[-1] != name:
                names.append(name)
            node = heads.pred[node]
        names.reverse()
        if len(names) > limit:
            names = [*names[: limit // 2], f"... ({len(names)} tasks) ...", *names[-(limit // 2) :]]
        return " -> ".join(names)


@lru_cache(maxsize=16)
def network(problem: ProblemData, ii: int | None = None) -> TemporalNetwork:
    """The network of ``problem`` for ``ii`` (default: 0 when acyclic, ``ii_max`` when cyclic: valid for every II)."""
    if ii is None:
        ii = problem.cycle.ii_max if problem.cycle is not None else 0
    return TemporalNetwork(problem, ii)


@lru_cache(maxsize=16)
def heads(problem: ProblemData) -> Heads | None:
    """Heads of the default network of ``problem`` (None = proven infeasible)."""
    return network(problem).heads()


def makespan_context(problem: ProblemData, term: Term) -> tuple[Heads, TemporalNetwork, list[int | None]] | None:
    """(heads, network, tails to the term's forced tasks) for a makespan-type term, or None when unusable.

    Shared by the resource bounds: they all need the earliest starts, the
    forced tasks and, per task, the longest path to the end of the term's set.
    """
    found = heads(problem)
    net = network(problem)
    members = range(problem.num_tasks) if term.tasks is None else term.tasks
    sinks = [k for k in members if net.facts.forced[k]]
    if found is None or not sinks:
        return None
    tails = net.tails(sinks)
    if tails is None:
        return None
    return found, net, tails
