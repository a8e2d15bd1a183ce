"""KV-sharing tree search selection (ETS), and the data of the search around it.

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
  ``then_any`` (its children among the tasks; chained, this gives ``y_j <=
  sum x_i`` over the leaves below j with one row entry per tree edge instead of
  one per leaf-ancestor pair);
* a selection "at least one leaf" (``min_present = 1``);
* one coverage group per cluster (its leaves) with reward
  ``round(scale * lambda_s / K)``;
* objective: one level maximising ``present_value`` (weight 1) +
  ``coverage_reward`` (weight 1) + ``mode_cost`` (weight -1).

The IR objective is therefore ``scale`` times the ETS objective up to
rounding (at most 0.5 per rounded number): :func:`ets_objective_from_ir`
divides it back, :func:`ets_objective` recomputes it exactly from the
unrounded data kept in ``meta`` -- the value to report, in the user's units.

Around the program: :mod:`.coverage` says when the coverage term can matter
(``lambda_s > 0``, two leaves, two clusters) and :mod:`.clustering` forms the
clusters; :mod:`.search` holds the data of a search (steps, search nodes) and
the interfaces of its pluggable generator, scorer and embedder; :mod:`.trace`
holds recorded search trees. The REBASE, beam and DVTS rules are in
:mod:`schedkit.heuristics.kvtree`, the search loop in
:mod:`schedkit.solvers.methods.tree_search`.
"""

from __future__ import annotations

from schedkit.models.kvtree.builder import kvtree
from schedkit.models.kvtree.clustering import cluster_embeddings
from schedkit.models.kvtree.coverage import coverage_can_matter, coverage_clusters, distinct_texts
from schedkit.models.kvtree.objective import ets_objective, ets_objective_from_ir, kv_size
from schedkit.models.kvtree.search import (
    ANSWER_PHRASES,
    Expansion,
    FinishedTest,
    Scoring,
    SearchNode,
    Step,
    StepEmbedder,
    StepGenerator,
    StepScorer,
    extract_answer,
    has_answer_phrase,
    path_of,
    prefix_of,
)
from schedkit.models.kvtree.trace import SearchTrace, TraceNode, validate_trace
from schedkit.models.kvtree.tree import TreeNode

__all__ = [
    "ANSWER_PHRASES",
    "Expansion",
    "FinishedTest",
    "Scoring",
    "SearchNode",
    "SearchTrace",
    "Step",
    "StepEmbedder",
    "StepGenerator",
    "StepScorer",
    "TraceNode",
    "TreeNode",
    "cluster_embeddings",
    "coverage_can_matter",
    "coverage_clusters",
    "distinct_texts",
    "ets_objective",
    "ets_objective_from_ir",
    "extract_answer",
    "has_answer_phrase",
    "kv_size",
    "kvtree",
    "path_of",
    "prefix_of",
    "validate_trace",
]
