"""The default kube-scheduler, emulated on a cluster of nodes and pods (no solver).

One scheduling cycle per pod, as upstream (v1.34, the version the paper's
cluster ran):

1. **Queue** (PrioritySort): the active queue pops the highest priority
   first, then the pod queued earliest. A pod that finds no node waits in
   the unschedulable pool until a pod is deleted (a preemption), which moves
   every waiting pod back to the queue. Only deletions can free room here, so
   retrying at other moments would change nothing.
2. **Filter** (NodeResourcesFit): a node fits when ``used + request <=
   capacity`` for cpu and memory, where ``used`` also counts the pods
   *nominated* to the node with a priority >= the pod's (room reserved by an
   earlier preemption). A pod nominated to a node that fits binds there at
   once (upstream ``evaluateNominatedNode``).
3. **Score**: LeastAllocated + BalancedAllocation, weights 1 and 1 (see
   :mod:`.scoring`), plus PodTopologySpread with weight 2 when
   ``topology_spread=True``; one feasible node is taken without scoring.
4. **Tie-break**: the first top-scoring node by name, digit runs compared
   as numbers (``kwok-node-2`` before ``kwok-node-10``; :func:`natural_key`);
   with ``rng`` given, uniformly at random, as upstream.
5. **Bind**.
6. **DefaultPreemption** (``preemption=True``) when no node fits: victims on
   one node (:mod:`.preemption`) are deleted, the pod is nominated to that
   node and queued again, lower-priority pods nominated there lose their
   nomination, and every waiting pod is queued again. The ReplicaSet
   controller recreates each victim as a new pending pod (here: the same name,
   queued anew).

Pods arrive in groups (default: one group per ReplicaSet, in order, as the
paper's runner creates the sets one by one and waits for their pods to run);
the scheduler drains its queue before the next group arrives.

Where this differs from a real cluster: ties are broken by node name, not at
random; PodTopologySpread is off by default (the issue's Score is
LeastAllocated + BalancedAllocation); the score plugins that are constant on
identical KWOK nodes are left out; there is no time (no backoff, no 2 s
wait per ReplicaSet, no asynchronous API, deletions are instant), so the
preemptor binds on the next cycle that reaches it; and recreated victims keep
their name. With those caveats it reproduces the recorded placements of the
shared scenarios in the measure given in the package docs.
"""

from __future__ import annotations

import heapq
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from schedkit.heuristics.podpack.preemption import Victim, pick_node, select_victims
from schedkit.heuristics.podpack.scoring import WEIGHTS, balanced_allocation, least_allocated, topology_spread
from schedkit.models.podpack import Node, Pod

DEFAULT_CPU_REQUEST = 100
"""Millicores upstream scores a pod without a cpu request with (``DefaultMilliCPURequest``)."""
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024
"""Bytes upstream scores a pod without a memory request with (``DefaultMemoryRequest``)."""
ARRIVALS = ("replicaset", "one", "all")
"""How pending pods reach the scheduler: per ReplicaSet, one by one, or all at once."""


@dataclass
class _PodState:
    index: int
    pod: Pod
    timestamp: int = 0
    start: int | None = None
    nominated: str | None = None
    node: str | None = None


@dataclass
class DefaultOutcome:
    """What the emulated scheduler did.

    ``placement`` maps every pod to its node at the end (None = pending);
    ``pending`` lists the pods left pending, ``preempted`` the pods evicted
    by preemption at some point (they were recreated; some run again);
    ``events`` the bind / preempt / unschedulable steps in order.
    """

    placement: dict[str, str | None]
    pending: list[str]
    preempted: list[str]
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def failing(self) -> bool:
        """Whether some pod was left pending (the paper's scenarios where the default "fails")."""
        return bool(self.pending)

    def placed_by_priority(self, pods: Sequence[Pod]) -> dict[int, int]:
        """Running pods per priority, highest first (priorities with none placed included)."""
        out = dict.fromkeys(sorted({p.priority for p in pods}, reverse=True), 0)
        for pod in pods:
            if self.placement.get(pod.name) is not None:
                out[pod.priority] += 1
        return out

    def running_pods(self, pods: Sequence[Pod]) -> list[Pod]:
        """``pods`` with their ``node`` set to where the scheduler left them."""
        return [
            Pod(p.name, p.cpu, p.memory, p.priority, self.placement.get(p.name), p.protected, p.replicaset)
            for p in pods
        ]


class KubeScheduler:
    """The emulated scheduler's state: nodes, bound pods, the queue (see the module docstring)."""

    def __init__(
        self,
        nodes: Sequence[Node],
        *,
        preemption: bool = True,
        topology_spread: bool = False,
        rng: random.Random | None = None,
    ) -> None:
        self.nodes = list(nodes)
        self.order = sorted((n.name for n in self.nodes), key=natural_key)
        self.capacity = {n.name: (n.cpu, n.memory) for n in self.nodes}
        self.bound: dict[str, list[_PodState]] = {n.name: [] for n in self.nodes}
        self.preemption = preemption
        self.topology_spread = topology_spread
        self.rng = rng
        self.clock = 0
        self.queue: list[tuple[int, int, int, _PodState]] = []
        self.waiting: list[_PodState] = []
        self.nominated: dict[str, list[_PodState]] = {n.name: [] for n in self.nodes}
        self.events: list[dict[str, Any]] = []
        self.preempted: list[str] = []

    # ------------------------------------------------------------ bookkeeping
    def tick(self) -> int:
        """Advance the logical clock (one tick per queue insertion or bind) and return it."""
        self.clock += 1
        return self.clock

    def enqueue(self, state: _PodState) -> None:
        """Queue ``state`` as a newly added pod (a fresh timestamp)."""
        state.timestamp = self.tick()
        heapq.heappush(self.queue, (-state.pod.priority, state.timestamp, state.index, state))

    def used(self, node: str) -> tuple[int, int]:
        """Cpu and memory requested by the pods bound to ``node``."""
        pods = self.bound[node]
        return sum(s.pod.cpu for s in pods), sum(s.pod.memory for s in pods)

    def reserved(self, node: str, state: _PodState) -> tuple[int, int]:
        """Requests of the pods nominated to ``node`` that ``state`` must respect (priority >= its own)."""
        others = [s for s in self.nominated[node] if s is not state and s.pod.priority >= state.pod.priority]
        return sum(s.pod.cpu for s in others), sum(s.pod.memory for s in others)

    def fits(self, state: _PodState, node: str, cpu: int | None = None, memory: int | None = None) -> bool:
        """NodeResourcesFit with nominated pods: ``used + reserved + request <= capacity`` for cpu and memory."""
        used_cpu, used_mem = self.used(node) if cpu is None or memory is None else (cpu, memory)
        res_cpu, res_mem = self.reserved(node, state)
        cap_cpu, cap_mem = self.capacity[node]
        return used_cpu + res_cpu + state.pod.cpu <= cap_cpu and used_mem + res_mem + state.pod.memory <= cap_mem

    def bind(self, state: _PodState, node: str) -> None:
        """Bind ``state`` to ``node`` (its nomination ends; its start time is now)."""
        self.nominate(state, None)
        state.node = node
        state.start = self.tick()
        self.bound[node].append(state)
        self.events.append({"event": "bind", "pod": state.pod.name, "node": node})

    def nominate(self, state: _PodState, node: str | None) -> None:
        """Set (or clear, with None) the node ``state`` is nominated to."""
        if state.nominated is not None:
            self.nominated[state.nominated].remove(state)
        state.nominated = node
        if node is not None:
            self.nominated[node].append(state)

    # --------------------------------------------------------------- scoring
    def score(self, state: _PodState, node: str) -> int:
        """Weighted sum of LeastAllocated and BalancedAllocation for ``state`` on ``node`` (requests included)."""
        pod = state.pod
        cap = self.capacity[node]
        nonzero = [
            (s.pod.cpu or DEFAULT_CPU_REQUEST, s.pod.memory or DEFAULT_MEMORY_REQUEST)
            for s in [*self.bound[node], state]
        ]
        fit = least_allocated([sum(c for c, _ in nonzero), sum(m for _, m in nonzero)], cap)
        used_cpu, used_mem = self.used(node)
        balanced = 0
        if pod.cpu or pod.memory:  # upstream skips BalancedAllocation for best-effort pods
            balanced = balanced_allocation([used_cpu + pod.cpu, used_mem + pod.memory], cap)
        return WEIGHTS["least_allocated"] * fit + WEIGHTS["balanced_allocation"] * balanced

    def select_host(self, state: _PodState, feasible: list[str]) -> str:
        """The top-scoring feasible node (one feasible node is taken unscored); ties by node order or ``rng``."""
        if len(feasible) == 1:
            return feasible[0]
        totals = {node: self.score(state, node) for node in feasible}
        if self.topology_spread and state.pod.replicaset is not None:
            counts = {
                node: sum(1 for s in self.bound[node] if s.pod.replicaset == state.pod.replicaset) for node in feasible
            }
            for node, points in topology_spread(counts).items():
                totals[node] += WEIGHTS["topology_spread"] * points
        best = max(totals.values())
        top = [node for node in feasible if totals[node] == best]
        return top[0] if self.rng is None else self.rng.choice(top)

    # ------------------------------------------------------------ preemption
    def preempt(self, state: _PodState) -> bool:
        """DefaultPreemption for ``state``; True when victims were deleted and the pod nominated."""
        candidates: dict[str, list[Victim]] = {}
        for node in self.order:
            running = [Victim(s.index, s.pod.priority, s.start or 0, s.pod.cpu, s.pod.memory) for s in self.bound[node]]

            def fits_on(cpu: int, memory: int, node: str = node) -> bool:
                return self.fits(state, node, cpu, memory)

            chosen = select_victims(state.pod.priority, running, fits_on)
            if chosen is not None:
                candidates[node] = chosen
        if not candidates:
            return False
        node = pick_node(candidates, self.order)
        keys = {v.key for v in candidates[node]}
        evicted = [s for s in self.bound[node] if s.index in keys]
        self.bound[node] = [s for s in self.bound[node] if s.index not in keys]
        self.events.append(
            {"event": "preempt", "pod": state.pod.name, "node": node, "victims": [s.pod.name for s in evicted]}
        )
        for lower in [s for s in self.nominated[node] if s.pod.priority < state.pod.priority]:
            self.nominate(lower, None)
        self.nominate(state, node)
        for victim in evicted:  # the ReplicaSet controller recreates each victim as a new pending pod
            victim.node, victim.start = None, None
            self.preempted.append(victim.pod.name)
            self.enqueue(victim)
        self.enqueue(state)
        self.requeue_waiting()
        return True

    def requeue_waiting(self) -> None:
        """A pod was deleted: every pod in the unschedulable pool goes back to the queue, in its old order."""
        waiting, self.waiting = self.waiting, []
        for state in waiting:
            heapq.heappush(self.queue, (-state.pod.priority, state.timestamp, state.index, state))

    # ------------------------------------------------------------------ loop
    def schedule_one(self, state: _PodState) -> None:
        """One scheduling cycle: nominated node, Filter, Score and bind; else preemption; else wait."""
        if state.nominated is not None and self.fits(state, state.nominated):
            self.bind(state, state.nominated)
            return
        feasible = [node for node in self.order if self.fits(state, node)]
        if feasible:
            self.bind(state, self.select_host(state, feasible))
            return
        if self.preemption and self.preempt(state):
            return
        self.events.append({"event": "unschedulable", "pod": state.pod.name})
        self.waiting.append(state)

    def drain(self, limit: int) -> None:
        """Run scheduling cycles until the queue is empty (at most ``limit`` cycles)."""
        cycles = 0
        while self.queue:
            cycles += 1
            if cycles > limit:
                raise RuntimeError(f"the emulated scheduler did not settle within {limit} cycles")
            _, _, _, state = heapq.heappop(self.queue)
            self.schedule_one(state)


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key of a node name with its digit runs compared as numbers (``kwok-node-2`` before ``kwok-node-10``)."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", name) if part)


def arrival_groups(pods: Sequence[Pod], arrivals: str) -> list[list[int]]:
    """Indices of the pending pods in arrival groups (see :data:`ARRIVALS`)."""
    if arrivals not in ARRIVALS:
        raise ValueError(f"arrivals must be one of {', '.join(ARRIVALS)}, got {arrivals!r}")
    pending = [i for i, pod in enumerate(pods) if pod.node is None]
    if arrivals == "all":
        return [pending] if pending else []
    if arrivals == "one":
        return [[i] for i in pending]
    groups: list[list[int]] = []
    for i in pending:
        same = groups and pods[i].replicaset is not None and pods[groups[-1][-1]].replicaset == pods[i].replicaset
        if same:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def kube_default(
    nodes: Sequence[Node],
    pods: Sequence[Pod],
    *,
    preemption: bool = True,
    topology_spread: bool = False,
    arrivals: str = "replicaset",
    rng: random.Random | None = None,
) -> DefaultOutcome:
    """Emulate the default kube-scheduler on a cluster (see the module docstring).

    Pods with a ``node`` run there from the start (in the given order, which
    sets their start times); the pending ones arrive in ``arrivals`` groups.
    ``rng`` breaks score ties at random (default: node order). Raises
    ``ValueError`` when a pod names an unknown node or the running pods
    overflow a node, or pod names repeat.
    """
    names = [pod.name for pod in pods]
    if len(set(names)) != len(names):
        raise ValueError("pod names must be unique")
    scheduler = KubeScheduler(nodes, preemption=preemption, topology_spread=topology_spread, rng=rng)
    states = [_PodState(i, pod) for i, pod in enumerate(pods)]
    for state in states:
        if state.pod.node is None:
            continue
        if state.pod.node not in scheduler.capacity:
            raise ValueError(f"pod '{state.pod.name}': unknown node {state.pod.node!r}")
        if not scheduler.fits(state, state.pod.node):
            raise ValueError(f"pod '{state.pod.name}': the running pods overflow node {state.pod.node!r}")
        scheduler.bind(state, state.pod.node)
    limit = 50 * (len(pods) + 1) ** 2
    for group in arrival_groups(pods, arrivals):
        for i in group:
            scheduler.enqueue(states[i])
        scheduler.drain(limit)
    placement = {state.pod.name: state.node for state in states}
    return DefaultOutcome(
        placement=placement,
        pending=[name for name, node in placement.items() if node is None],
        preempted=list(dict.fromkeys(scheduler.preempted)),
        events=scheduler.events,
    )
