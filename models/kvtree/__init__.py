"""KV-sharing tree search selection (ETS).

In a tree search over reasoning steps, the frontier leaves share KV cache
through their common ancestors. At each depth ETS keeps a subset of the leaves
that trades search quality (REBASE allocations, diversity over clusters of
step embeddings) against KV size (the kept leaves and every ancestor they
still need). The selection is the 0/1 program

    maximise   sum_i O_i x_i - lambda_c * sum_{j kept} C_j + (lambda_s / K) * sum_k c_k
    subject to y_j >= x_i           for every leaf i below node j
               y_j <= sum_{i below j} x_i
               sum_i x_i >= 1
               c_k <= sum_{i in cluster k} x_i

with x_i (keep leaf i), y_j (ancestor j still needed), c_k (cluster k
covered), O_i the leaf's score (in ETS its REBASE allocation normalised to sum
1), K the number of clusters and C_j the cost of keeping node j: ``1 / (number
of leaves + ancestors)`` for ``cost="nodes"`` (ETS's node count), ``tokens_j /
total tokens`` for ``cost="tokens"``.

Mapping onto the IR (integers only, so every real is scaled by ``scale`` and
rounded):

* one optional task per node among the leaves and their ancestors, duration
  0, no resources, a single mode whose ``cost`` is ``round(scale * lambda_c *
  C_j)``; a leaf's ``value`` is ``round(scale * O_i)``;
* implication node -> parent for every non-root node (chained, this gives
  ``y_j >= x_i`` for every leaf i below j), and implication internal node j ->
  ``then_any`` (the leaves below j): ``y_j <= sum x_i``;
* a selection "at least one leaf" (``min_present = 1``);
* one coverage group per cluster (its leaves) with reward
  ``round(scale * lambda_s / K)``;
* objective: one level maximising ``present_value`` (weight 1) +
  ``coverage_reward`` (weight 1) + ``mode_cost`` (weight -1).

The IR objective is therefore ``scale`` times the ETS objective up to
rounding (at most 0.5 per rounded number): :func:`ets_objective_from_ir`
divides it back, :func:`ets_objective` recomputes it exactly from the
unrounded data kept in ``meta``.
"""

from __future__ import annotations

from schedkit.models.kvtree.builder import kvtree
from schedkit.models.kvtree.clustering import cluster_embeddings
from schedkit.models.kvtree.objective import ets_objective, ets_objective_from_ir, kv_size
from schedkit.models.kvtree.tree import TreeNode

__all__ = [
    "TreeNode",
    "cluster_embeddings",
    "ets_objective",
    "ets_objective_from_ir",
    "kv_size",
    "kvtree",
]
