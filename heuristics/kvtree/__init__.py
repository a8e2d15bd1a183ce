"""Selection rules of reward-guided tree search without a solver: REBASE, beam search and DVTS.

Each rule decides, at one depth of the search, how many children every
frontier candidate receives out of the remaining budget B. They are the
baselines (and, for REBASE, the outcome weights) of ETS, whose selection
program lives in :mod:`schedkit.models.kvtree` and is solved by
:mod:`schedkit.solvers.methods.tree_search`.

* :func:`rebase_allocation` / :func:`rebase`: softmax of the rewards at
  temperature 0.2 with REBASE's ceiling walk (:mod:`.rebase`);
  :func:`outcome_weights` is ETS's O_i;
* :func:`beam_allocation`: the ``ceil(sqrt(B))`` best each get ``ceil(B / keep)`` (:mod:`.beam`);
* :class:`DvtsAllocator`: ``ceil(sqrt(N))`` independent greedy subtrees (:mod:`.dvts`).
"""

from __future__ import annotations

from schedkit.heuristics.kvtree.beam import beam_allocation, beam_width
from schedkit.heuristics.kvtree.dvts import DvtsAllocator
from schedkit.heuristics.kvtree.rebase import (
    TEMPERATURE,
    descending_order,
    expanded,
    outcome_weights,
    rebase,
    rebase_allocation,
)

__all__ = [
    "TEMPERATURE",
    "DvtsAllocator",
    "beam_allocation",
    "beam_width",
    "descending_order",
    "expanded",
    "outcome_weights",
    "rebase",
    "rebase_allocation",
]
