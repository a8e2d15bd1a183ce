"""REBASE: spread a budget of children over the frontier by a softmax of the process rewards, with a ceiling walk.

REBASE (Wu et al., "Inference scaling laws", 2024) and ETS (Hooper et al.,
2025) allocate the children of the next depth as follows (``select_softmax``
in both ``rebase.py`` files):

1. sort the candidates by score R_i, highest first;
2. weight each by ``w_i = exp(R_i / T)`` (T = 0.2);
3. walk the sorted list once, giving candidate i
   ``n_i = ceil(B_rem * w_i / S_rem)`` children, then ``B_rem -= n_i`` and
   ``S_rem -= w_i`` (``B_rem`` starts at the budget B, ``S_rem`` at the sum
   of all weights).

The ceiling, not a rounding, is what the code does: every candidate visited
while budget is left gets at least one child, the top candidates get more than
their softmax share, and the walk runs out of budget before it reaches the
low-scored tail. The children handed out add up to B exactly.

Ties: REBASE sorts ascending then reverses the list, so among equal scores the
*later* candidate comes first (``ties="later"``); ETS's outcome weights use
``sorted(..., reverse=True)``, which keeps the *earlier* one first
(``ties="earlier"``).

Numerics (a documented departure from the float32 torch code, which can hand
out one child too many when ``S_rem`` drifts): weights are shifted by the best
score (``exp((R_i - R_max) / T)``, same ratios, no overflow), ``S_rem`` is the
exact float64 suffix sum, the ceiling ignores a relative excess below 1e-9 (so
``3 * w / (3 * w)`` cannot become 2 by rounding), and ``n_i`` never exceeds
``B_rem``. A score of ``-inf`` marks a candidate that may receive nothing
(ETS's re-allocation over the kept leaves uses it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from schedkit.models.kvtree import TreeNode

TEMPERATURE = 0.2
"""The softmax temperature of every REBASE and ETS configuration."""

_TOLERANCE = 1e-9


def descending_order(scores: Sequence[float] | np.ndarray, ties: str = "later") -> list[int]:
    """Candidate positions by score, highest first; equal scores ordered by ``ties`` (``"later"`` or ``"earlier"``)."""
    values = np.asarray(scores, dtype=float)
    if ties == "earlier":
        order: list[int] = np.argsort(-values, kind="stable").tolist()
        return order
    if ties == "later":
        order = np.argsort(values, kind="stable")[::-1].tolist()
        return order
    raise ValueError(f"ties must be 'later' or 'earlier', got {ties!r}")


def rebase_allocation(
    scores: Sequence[float], budget: int, temperature: float = TEMPERATURE, ties: str = "later"
) -> list[int]:
    """Children per candidate (in the order of ``scores``) by REBASE's ceiling walk (see the module docstring).

    Parameters
    ----------
    scores
        Process reward of each candidate (finite, or ``-inf`` for a candidate
        that must receive nothing).
    budget
        Children to hand out, B >= 0.
    temperature
        Softmax temperature T > 0.
    ties
        Order among equal scores: ``"later"`` (REBASE) or ``"earlier"`` (ETS's outcome weights).

    Returns
    -------
    list[int]
        ``n_i`` for each candidate; they sum to ``budget`` unless every score is ``-inf``.
    """
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 0:
        raise ValueError(f"budget must be an integer >= 0, got {budget!r}")
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature!r}")
    values = np.asarray(scores, dtype=float)
    bad = np.flatnonzero(np.isnan(values) | (values == np.inf))
    if bad.size:
        raise ValueError(f"score #{int(bad[0])} must be finite or -inf, got {scores[int(bad[0])]!r}")
    order = descending_order(values, ties)
    allocation = [0] * len(values)
    if budget == 0 or not len(values) or values[order[0]] == -np.inf:
        return allocation
    ranked = values[order]
    weights = np.exp((ranked - ranked[0]) / temperature)  # -inf scores get weight 0
    suffix = np.cumsum(weights[::-1])[::-1].tolist()
    weight_list = weights.tolist()
    remaining = budget
    for k, i in enumerate(order):
        if remaining == 0:
            break
        if weight_list[k] == 0.0 or suffix[k] <= 0.0:
            continue
        share = remaining * weight_list[k] / suffix[k]
        count = min(remaining, math.ceil(share - _TOLERANCE * max(1.0, share)))
        allocation[i] = count
        remaining -= count
    return allocation


def outcome_weights(scores: Sequence[float], budget: int, temperature: float = TEMPERATURE) -> list[float]:
    """ETS's outcome score O_i: the REBASE allocation (earlier-first ties) normalised to sum 1.

    With a budget of 0 (nothing to spread) every O_i is 0.
    """
    allocation = rebase_allocation(scores, budget, temperature, ties="earlier")
    total = sum(allocation)
    return [count / total if total else 0.0 for count in allocation]


def rebase(
    nodes: Sequence[TreeNode], leaves: Sequence[int], budget: int, temperature: float = TEMPERATURE
) -> dict[int, int]:
    """REBASE over the IR's search tree: children per frontier leaf (node index -> count, in the order of ``leaves``).

    Each leaf needs a finite ``score`` (its process reward).
    """
    scores = []
    for index in leaves:
        score = nodes[index].score
        if score is None or not math.isfinite(score):
            raise ValueError(f"node '{nodes[index].name}' (#{index}): a frontier leaf needs a finite score")
        scores.append(float(score))
    return dict(zip((int(i) for i in leaves), rebase_allocation(scores, budget, temperature)))


def expanded(allocation: Mapping[int, int]) -> list[int]:
    """The leaves that receive at least one child."""
    return [leaf for leaf, count in allocation.items() if count > 0]
