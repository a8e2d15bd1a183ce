"""Beam search over the frontier, as ETS's baseline (``select_beam_search`` in ETS's ``rebase.py``).

At depth 0 the root receives the whole budget B. At every later depth the
``keep = ceil(sqrt(B))`` best candidates (ties: the later candidate first, as
REBASE sorts) each receive ``ceil(B / keep)`` children, the rest none; B is the
remaining budget, so both shrink as trajectories finish. As in the code,
``keep * ceil(B / keep)`` may exceed B by a few children (B = 10: 4 x 3 = 12);
that is reproduced, not corrected, so the baseline's KV figures are the code's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from schedkit.heuristics.kvtree.rebase import descending_order


def beam_width(budget: int) -> int:
    """Beams kept at a depth with ``budget`` children to spread: ``ceil(sqrt(budget))``."""
    return math.ceil(math.sqrt(budget))


def beam_allocation(scores: Sequence[float], budget: int, depth: int, keep: int | None = None) -> list[int]:
    """Children per candidate (in the order of ``scores``) for beam search at ``depth``.

    ``keep`` overrides the number of beams (ETS's ``fixedwidth``).
    """
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 0:
        raise ValueError(f"budget must be an integer >= 0, got {budget!r}")
    allocation = [0] * len(scores)
    if budget == 0 or not scores:
        return allocation
    if depth == 0:
        return [budget] * len(scores)
    beams = beam_width(budget) if keep is None else keep
    if beams < 1:
        raise ValueError(f"keep must be >= 1, got {beams!r}")
    per_beam = math.ceil(budget / beams)
    for i in descending_order(scores, "later")[:beams]:
        allocation[i] = per_beam
    return allocation
