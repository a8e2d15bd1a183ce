"""What happens to the overlap: the operations a window shares with the previous one.

Each strategy returns a :class:`Decision`: which overlap operations are
*fixed* (their mode, i.e. machine, pinned to the one they had in the previous
window's solution) and which are only *hinted* (that mode suggested to
CP-SAT, nothing enforced).

========  ===================================================================
none      fix nothing (L-RHO's "Default RHO")
all       fix every overlap operation
first     fix the first ``fix_fraction`` of the overlap, in the previous window's order
random    fix each overlap operation with probability ``fix_probability`` (seeded)
hint      fix nothing, hint every overlap operation's previous machine
learned   fix the operations a classifier predicts stable (:mod:`.model`), by threshold
oracle    fix the operations whose machine the look-ahead oracle kept (:mod:`.oracle`)
========  ===================================================================

The adaptive threshold is Graph-RHO's rule: sort the predicted probabilities
in decreasing order, take the one at index ``k = int(0.6 n)`` (kept within
``1..n-1``) and clip it to ``[0.3, 0.9]``; operations at or above it are fixed,
so about the top 60 % unless the model is very sure or very unsure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

ADAPTIVE_RATIO = 0.6
ADAPTIVE_CLIP = (0.3, 0.9)


@dataclass
class Decision:
    """Fixed and hinted overlap operations (task -> mode), with the classifier's view when there is one."""

    fixed: dict[int, int] = field(default_factory=dict)
    hinted: dict[int, int] = field(default_factory=dict)
    probabilities: dict[int, float] | None = None
    threshold: float | None = None


def adaptive_threshold(probabilities: Sequence[float] | np.ndarray) -> float:
    """Graph-RHO's threshold: the probability at 60 % of the decreasing list, clipped to [0.3, 0.9]."""
    p = np.sort(np.asarray(probabilities, dtype=float))[::-1]
    if p.size == 0:
        return ADAPTIVE_CLIP[1]
    k = 0 if p.size == 1 else min(max(1, int(p.size * ADAPTIVE_RATIO)), p.size - 1)
    return float(np.clip(p[k], *ADAPTIVE_CLIP))


def decide(
    strategy: str,
    overlap: Sequence[int],
    previous_mode: Mapping[int, int],
    *,
    rng: np.random.Generator,
    fix_fraction: float = 0.5,
    fix_probability: float = 0.8,
    probabilities: Sequence[float] | np.ndarray | None = None,
    threshold: float | str = "adaptive",
    labels: Sequence[int] | None = None,
) -> Decision:
    """The decision of ``strategy`` on ``overlap`` (in the previous window's order).

    ``probabilities`` (learned) and ``labels`` (oracle) are given per overlap
    operation, in the same order.
    """
    prev = {t: previous_mode[t] for t in overlap}
    if strategy == "none" or not overlap:
        return Decision()
    if strategy == "all":
        return Decision(fixed=prev)
    if strategy == "first":
        count = int(fix_fraction * len(overlap))
        return Decision(fixed={t: prev[t] for t in overlap[:count]})
    if strategy == "random":
        draws = rng.random(len(overlap))
        return Decision(fixed={t: prev[t] for t, u in zip(overlap, draws) if u < fix_probability})
    if strategy == "hint":
        return Decision(hinted=prev)
    if strategy == "learned":
        if probabilities is None:
            raise ValueError("the learned strategy needs the classifier's probabilities")
        p = np.asarray(probabilities, dtype=float)
        cut = adaptive_threshold(p) if threshold == "adaptive" else float(threshold)
        return Decision(
            fixed={t: prev[t] for t, q in zip(overlap, p) if q >= cut},
            probabilities={t: float(q) for t, q in zip(overlap, p)},
            threshold=cut,
        )
    if strategy == "oracle":
        if labels is None:
            raise ValueError("the oracle strategy needs the oracle's labels")
        return Decision(fixed={t: prev[t] for t, label in zip(overlap, labels) if label})
    raise ValueError(f"unknown strategy {strategy!r}")
