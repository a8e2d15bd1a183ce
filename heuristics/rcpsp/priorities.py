"""Priority rules of the schedule-generation schemes (Kolisch 1996; Kolisch & Hartmann 1999).

Each rule gives every activity a key; among the eligible activities the
scheme takes the one with the smallest ``(key, index)`` (ties go to the lower
activity index). With durations ``p_i``, release ``r_i``, end-to-start lags
``l_ij``, immediate successors ``S_i`` and the horizon ``T``
(``problem.effective_horizon``):

=========  =================================================  ======================================
rule       key (minimised)                                    meaning
=========  =================================================  ======================================
lft        ``LF_i = min(T, min_{j in S_i} (LS_j - l_ij))``    latest finish time (backward CPM)
lst        ``LS_i = LF_i - p_i``                              latest start time
mts        ``-|all (transitive) successors of i|``            most total successors
grpw       ``-(p_i + sum_{j in S_i} p_j)``                    greatest rank positional weight
random     ``u_i ~ U[0, 1)`` from ``numpy.random.default_rng(seed)``  random priority list
=========  =================================================  ======================================

Sources: R. Kolisch (1996), "Serial and parallel resource-constrained project
scheduling methods revisited: theory and computation", EJOR 90(2), 320-333
(LFT, LST, MTS, GRPW); GRPW after Alvarez-Valdés & Tamarit (1989). LFT and LST
use the horizon only as an anchor: shifting T shifts every key alike.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from schedkit.heuristics.rcpsp.project import Project


def latest_finish(project: Project) -> list[int]:
    """``LF_i`` of the backward critical-path pass from the horizon (resources ignored)."""
    n = project.num_tasks
    finish = [project.horizon] * n
    duration = project.duration
    for i in reversed(project.topo):
        for j, lag in project.succs[i]:
            bound = finish[j] - duration[j] - lag
            if bound < finish[i]:
                finish[i] = bound
    return finish


def lft(project: Project, seed: int = 0) -> list[float]:
    """Latest finish time ``LF_i``."""
    return [float(v) for v in latest_finish(project)]


def lst(project: Project, seed: int = 0) -> list[float]:
    """Latest start time ``LS_i = LF_i - p_i``."""
    return [float(f - d) for f, d in zip(latest_finish(project), project.duration)]


def mts(project: Project, seed: int = 0) -> list[float]:
    """Most total successors: minus the number of activities reachable from i."""
    reach = [0] * project.num_tasks
    for i in reversed(project.topo):
        bits = 0
        for j, _ in project.succs[i]:
            bits |= reach[j] | (1 << j)
        reach[i] = bits
    return [-float(bin(bits).count("1")) for bits in reach]


def grpw(project: Project, seed: int = 0) -> list[float]:
    """Greatest rank positional weight: minus ``p_i + sum_{j in S_i} p_j``."""
    duration = project.duration
    return [-float(duration[i] + sum(duration[j] for j, _ in project.succs[i])) for i in range(project.num_tasks)]


def random_keys(project: Project, seed: int = 0) -> list[float]:
    """Random keys, reproducible from ``seed``."""
    return [float(u) for u in np.random.default_rng(seed).random(project.num_tasks)]


PRIORITIES: dict[str, Callable[[Project, int], list[float]]] = {
    "lft": lft,
    "lst": lst,
    "mts": mts,
    "grpw": grpw,
    "random": random_keys,
}
"""Priority name -> ``(project, seed) -> key per activity`` (smaller first)."""


def priority_keys(project: Project, priority: str, seed: int = 0) -> list[float]:
    """The keys of ``priority``; ``ValueError`` for an unknown name."""
    try:
        rule = PRIORITIES[priority]
    except KeyError:
        raise ValueError(f"unknown priority {priority!r}; expected one of: {', '.join(PRIORITIES)}") from None
    return rule(project, seed)
