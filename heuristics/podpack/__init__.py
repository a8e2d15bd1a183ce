"""The default kube-scheduler, emulated: the baseline of the pod-packing family ("Priority Matters").

:func:`kube_default` runs the emulation on nodes and pods (see
:mod:`.scheduler` for the cycle and where it differs from a real cluster,
:mod:`.scoring` for the score plugins in upstream integer arithmetic and
:mod:`.preemption` for DefaultPreemption); :func:`kube_default_solution`
runs it on a pod-packing problem, starting from the problem's running
placement, and returns the resulting placement as a Solution.

On the 7 shared scenarios (regenerated from their seeds, pods arriving per
ReplicaSet) the emulation with preemption reproduces the recorded
``default_placed_by_priority`` in 5 of 7 scenarios; node-level placements
are compared in ``results/pods_default_match.txt``.
"""

from __future__ import annotations

import random
from typing import Any

from schedkit.heuristics.podpack.scheduler import ARRIVALS, DefaultOutcome, KubeScheduler, kube_default
from schedkit.models import ProblemData, Solution
from schedkit.models.podpack import nodes_of, pods_of, solution_from_placement


def kube_default_solution(
    problem: ProblemData,
    *,
    preemption: bool = True,
    topology_spread: bool = False,
    arrivals: str = "replicaset",
    rng: random.Random | None = None,
) -> tuple[Solution, DefaultOutcome]:
    """The emulated default scheduler on ``problem``: its placement as a Solution, and the outcome.

    Running pods start where the problem says; pending ones arrive in
    ``arrivals`` groups (in task order). Pods that fit no node stay pending.
    """
    outcome = kube_default(
        nodes_of(problem),
        pods_of(problem),
        preemption=preemption,
        topology_spread=topology_spread,
        arrivals=arrivals,
        rng=rng,
    )
    return solution_from_placement(problem, outcome.placement), outcome


__all__: list[Any] = ["ARRIVALS", "DefaultOutcome", "KubeScheduler", "kube_default", "kube_default_solution"]
