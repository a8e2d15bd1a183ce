"""Reward-guided tree search with KV-aware selection (ETS) and its baselines, end to end.

>>> from schedkit.instances import synthetic_kvtree
>>> from schedkit.solvers.methods.tree_search import tree_search
>>> problem = synthetic_kvtree(seed=0)
>>> result = tree_search(problem.root(), problem, problem, method="ets", width=16, embedder=problem)
>>> result.weighted_vote().correct, result.total_kv  # doctest: +SKIP

Modules: :mod:`.engine` (the loop), :mod:`.selectors` (``rebase``, ``ets``,
``beam``, ``dvts``), :mod:`.ets` (ETS's selection on
:mod:`schedkit.models.kvtree` and :func:`schedkit.solvers.lp.solve_selection`),
:mod:`.kv` (KV accounting and the throughput model), :mod:`.vote` (final
answers), :mod:`.replay` (recorded traces), :mod:`.serving` (vLLM and SGLang
adapters) and :mod:`.study` (ETS against REBASE on synthetic trees).
"""

from __future__ import annotations

from schedkit.solvers.methods.tree_search.engine import DEPTH_CAP, MAX_TOKENS, WIDTHS, SearchResult, tree_search
from schedkit.solvers.methods.tree_search.ets import LAMBDA_S, EtsSelection, default_lambda_s, ets_select
from schedkit.solvers.methods.tree_search.kv import DepthRecord, ThroughputModel, kv_tokens
from schedkit.solvers.methods.tree_search.replay import TraceReplay
from schedkit.solvers.methods.tree_search.selectors import (
    METHODS,
    BeamSelector,
    DvtsSelector,
    EtsSelector,
    RebaseSelector,
    Selection,
    Selector,
    make_selector,
)
from schedkit.solvers.methods.tree_search.vote import Verdict, best_of_n, majority_vote, same_answer, weighted_vote

__all__ = [
    "DEPTH_CAP",
    "LAMBDA_S",
    "MAX_TOKENS",
    "METHODS",
    "WIDTHS",
    "BeamSelector",
    "DepthRecord",
    "DvtsSelector",
    "EtsSelection",
    "EtsSelector",
    "RebaseSelector",
    "SearchResult",
    "Selection",
    "Selector",
    "ThroughputModel",
    "TraceReplay",
    "Verdict",
    "best_of_n",
    "default_lambda_s",
    "ets_select",
    "kv_tokens",
    "majority_vote",
    "make_selector",
    "same_answer",
    "tree_search",
    "weighted_vote",
]
