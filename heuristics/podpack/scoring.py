"""The kube-scheduler's Score plugins that vary between identical KWOK nodes, in the upstream integer arithmetic.

Default profile weights (``default_plugins.go``): NodeResourcesFit 1,
NodeResourcesBalancedAllocation 1, PodTopologySpread 2; TaintToleration (3),
NodeAffinity and InterPodAffinity (2) and ImageLocality (1) give every node
the same score in these clusters and are left out (a constant does not change
the choice). ``MAX_NODE_SCORE`` = 100. In every formula ``requested`` already
includes the incoming pod, as upstream (``calculateResourceAllocatableRequest``).

* **LeastAllocated** (NodeResourcesFit's default strategy, cpu and memory
  weight 1): per resource ``(cap - req) * 100 // cap`` (0 if ``req > cap`` or
  ``cap == 0``), then ``(s_cpu + s_mem) // 2`` (int64 floor division).
* **BalancedAllocation** (v1.34): fractions ``f_r = min(req_r / cap_r, 1)``
  in float64, with two resources ``std = |f_cpu - f_mem| / 2``, score
  ``int((1 - std) * 100)`` (truncation).
* **PodTopologySpread** (the system default constraint on
  ``kubernetes.io/hostname``, maxSkew 3, ScheduleAnyway; KWOK nodes have no
  zone label so the zone constraint never scores): with ``c_n`` the pods of the
  same ReplicaSet on node n and ``w = ln(#feasible nodes + 2)``, raw score
  ``round(c_n * w + 2)`` (Go rounds halves away from zero), normalised over the
  feasible nodes to ``100 * (max + min - raw) // max`` (100 everywhere when
  ``max == 0``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

MAX_NODE_SCORE = 100
"""The upper end of every plugin's node score."""

WEIGHTS: dict[str, int] = {"least_allocated": 1, "balanced_allocation": 1, "topology_spread": 2}
"""Upstream default weights of the Score plugins that can differ between the nodes here."""

HOSTNAME_MAX_SKEW = 3
"""maxSkew of the system default hostname spread constraint."""


def least_requested_score(requested: int, capacity: int) -> int:
    """Upstream ``leastRequestedScore``: ``(capacity - requested) * 100 // capacity``, 0 when over or no capacity."""
    if capacity == 0 or requested > capacity:
        return 0
    return (capacity - requested) * MAX_NODE_SCORE // capacity


def least_allocated(requested: Sequence[int], capacity: Sequence[int]) -> int:
    """NodeResourcesFit's LeastAllocated score over equally weighted resources (capacity 0 skipped)."""
    scores = [least_requested_score(r, c) for r, c in zip(requested, capacity) if c > 0]
    return sum(scores) // len(scores) if scores else 0


def balanced_allocation(requested: Sequence[int], capacity: Sequence[int]) -> int:
    """NodeResourcesBalancedAllocation (v1.34): ``int((1 - std) * 100)`` of the clamped usage fractions."""
    fractions = [min(r / c, 1.0) for r, c in zip(requested, capacity) if c > 0]
    if not fractions:
        return 0
    if len(fractions) == 2:
        std = abs((fractions[0] - fractions[1]) / 2)
    else:
        mean = sum(fractions) / len(fractions)
        std = math.sqrt(sum((f - mean) ** 2 for f in fractions) / len(fractions))
    return int((1 - std) * MAX_NODE_SCORE)


def go_round(x: float) -> int:
    """Go's ``math.Round``: halves away from zero."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def topology_spread(same_set_counts: Mapping[str, int]) -> dict[str, int]:
    """Normalised PodTopologySpread scores of the feasible nodes (keys), from the same-set pod counts on each."""
    if not same_set_counts:
        return {}
    weight = math.log(len(same_set_counts) + 2)
    raw = {node: go_round(count * weight + (HOSTNAME_MAX_SKEW - 1)) for node, count in same_set_counts.items()}
    high, low = max(raw.values()), min(raw.values())
    if high == 0:
        return dict.fromkeys(raw, MAX_NODE_SCORE)
    return {node: MAX_NODE_SCORE * (high + low - score) // high for node, score in raw.items()}
