"""DefaultPreemption (the kube-scheduler's PostFilter): victims on one node, and the choice of that node.

Runs only when Filter found no node for the pod. Per node (upstream
``SelectVictimsOnNode``): remove every pod of lower priority; if the pod
still does not fit, the node is no candidate; otherwise add the removed pods
back one by one, most important first (higher priority, then earlier start),
and keep as victims those whose return makes the pod not fit. A candidate
needs at least one victim. Among candidates (upstream
``pickOneNodeForPreemption``), in turn: the lowest highest-victim priority;
the lowest sum of ``priority + 2^31`` over the victims (so fewer victims
first, then lower priorities); the fewest victims; the latest earliest start
among the highest-priority victims; then the first node (upstream: map order,
effectively random; here: the first by name, as the scheduler's tie-break). Never
across nodes: all victims are on the chosen node.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

OFFSET = 2**31
"""Added to each victim's priority in the sum criterion (upstream ``MaxInt32 + 1``)."""


@dataclass(frozen=True)
class Victim:
    """A running pod that preemption may evict: its key, priority and start time (a tick)."""

    key: int
    priority: int
    start: int
    cpu: int
    memory: int


def select_victims(
    priority: int,
    running: Sequence[Victim],
    fits: Callable[[int, int], bool],
) -> list[Victim] | None:
    """Victims on one node for a pod of ``priority``, or None when the node is no candidate.

    ``running`` are the pods on the node; ``fits(cpu, memory)`` says whether
    the pod fits when the node's pods use ``cpu`` and ``memory`` in total.
    """
    lower = [v for v in running if v.priority < priority]
    if not lower:
        return None
    kept = [v for v in running if v.priority >= priority]
    cpu, memory = sum(v.cpu for v in kept), sum(v.memory for v in kept)
    if not fits(cpu, memory):
        return None
    victims = []
    for v in sorted(lower, key=lambda v: (-v.priority, v.start)):
        if fits(cpu + v.cpu, memory + v.memory):
            cpu, memory = cpu + v.cpu, memory + v.memory
        else:
            victims.append(v)
    return victims or None


def pick_node(candidates: dict[str, list[Victim]], order: Sequence[str]) -> str:
    """The node upstream picks among ``candidates`` (node -> victims); final ties by ``order``."""
    if not candidates:
        raise ValueError("no preemption candidate")

    def earliest_top_start(victims: list[Victim]) -> int:
        top = max(v.priority for v in victims)
        return min(v.start for v in victims if v.priority == top)

    def key(node: str) -> tuple[int, int, int, int, int]:
        victims = candidates[node]
        return (
            max(v.priority for v in victims),
            sum(v.priority + OFFSET for v in victims),
            len(victims),
            -earliest_top_start(victims),
            order.index(node),
        )

    return min(candidates, key=key)
