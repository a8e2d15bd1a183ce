"""The selection methods of the search loop, behind one interface: ``rebase``, ``ets``, ``beam`` and ``dvts``.

A selector decides, at one depth, how many children each candidate receives
out of the remaining budget B. It is created per search (DVTS keeps state
across depths) by :func:`make_selector`. Every selector returns a
:class:`Selection`: the allocation, which candidates the method chose to keep
(ETS's ``x_i``; for the others the candidates with children), the order in
which the code expands them (best first), and for ETS its clusters and
objective.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from schedkit.heuristics.kvtree import (
    TEMPERATURE,
    DvtsAllocator,
    beam_allocation,
    descending_order,
    rebase_allocation,
)
from schedkit.models.kvtree import SearchNode, Step, StepEmbedder, distinct_texts
from schedkit.solvers.methods.tree_search.ets import CLUSTER_THRESHOLD, default_lambda_s, ets_select

METHODS: tuple[str, ...] = ("rebase", "ets", "beam", "dvts")
"""The selection methods by name."""


@dataclass
class Selection:
    """One depth's decision (lists follow the candidates' order).

    ``order`` lists candidate positions in the order their expansions are
    issued (the code issues them best first, which fixes the children's
    insertion order). ``clusters`` (candidate positions) and ``objective``
    (user units) are ETS's; ``embed_seconds`` is the embedder's share of the
    wall time.
    """

    allocation: list[int]
    kept: list[bool]
    order: list[int]
    clusters: list[list[int]] | None = None
    objective: float | None = None
    embed_seconds: float = 0.0
    info: dict[str, Any] = field(default_factory=dict)


class Selector(Protocol):
    """A selection method for one search."""

    name: str

    def select(self, nodes: Sequence[SearchNode], candidates: Sequence[int], budget: int, depth: int) -> Selection:
        """Children per candidate at ``depth`` with ``budget`` children to spread."""
        ...

    def finished(self, node: SearchNode) -> None:
        """Told of every finished (or truncated) trajectory as the loop meets it."""
        ...


def _scores(nodes: Sequence[SearchNode], candidates: Sequence[int]) -> list[float]:
    return [float(nodes[c].score) for c in candidates]


class RebaseSelector:
    """REBASE: the softmax ceiling walk over every candidate (temperature 0.2)."""

    name = "rebase"

    def __init__(self, temperature: float = TEMPERATURE) -> None:
        self.temperature = temperature

    def select(self, nodes: Sequence[SearchNode], candidates: Sequence[int], budget: int, depth: int) -> Selection:
        """REBASE's allocation."""
        scores = _scores(nodes, candidates)
        allocation = rebase_allocation(scores, budget, self.temperature, ties="later")
        return Selection(allocation, [n > 0 for n in allocation], descending_order(scores, "later"))

    def finished(self, node: SearchNode) -> None:
        """Nothing to track."""


class BeamSelector:
    """Beam search: ``ceil(sqrt(B))`` best candidates, ``ceil(B / keep)`` children each."""

    name = "beam"

    def __init__(self, keep: int | None = None) -> None:
        self.keep = keep

    def select(self, nodes: Sequence[SearchNode], candidates: Sequence[int], budget: int, depth: int) -> Selection:
        """Beam search's allocation."""
        scores = _scores(nodes, candidates)
        allocation = beam_allocation(scores, budget, depth, self.keep)
        return Selection(allocation, [n > 0 for n in allocation], descending_order(scores, "later"))

    def finished(self, node: SearchNode) -> None:
        """Nothing to track."""


class DvtsSelector:
    """DVTS: ``ceil(sqrt(N))`` independent greedy subtrees with ``N // S`` children each per depth."""

    name = "dvts"

    def __init__(self, width: int, subtrees: int | None = None) -> None:
        self.allocator = DvtsAllocator(width, subtrees)

    def select(self, nodes: Sequence[SearchNode], candidates: Sequence[int], budget: int, depth: int) -> Selection:
        """DVTS's allocation (candidates expand in their own order, as in the code)."""
        parents = [nodes[c].parent for c in candidates]
        allocation = self.allocator.allocate(list(candidates), parents, _scores(nodes, candidates), depth)
        return Selection(allocation, [n > 0 for n in allocation], list(range(len(candidates))))

    def finished(self, node: SearchNode) -> None:
        """A finished trajectory takes a child off its subtree's budget."""
        self.allocator.finished(node.id, node.parent)


class EtsSelector:
    """ETS: the KV-aware 0/1 program over REBASE's outcome weights, then REBASE over the kept leaves.

    ``embedder`` embeds the new steps for the clusters; without one (or with
    ``lambda_s = 0``) there is no coverage term. ``check`` runs the
    independent checker on every selection; ``solver`` is ``"auto"`` (exact
    tree DP, HiGHS when too coupled) or ``"mip"`` (always HiGHS).
    """

    name = "ets"

    def __init__(
        self,
        embedder: StepEmbedder | None = None,
        lambda_c: float = 1.0,
        lambda_s: float = 1.45,
        cost: str = "nodes",
        temperature: float = TEMPERATURE,
        threshold: float = CLUSTER_THRESHOLD,
        check: bool = False,
        solver: str = "auto",
    ) -> None:
        self.embedder = embedder
        self.solver = solver
        self.lambda_c = lambda_c
        self.lambda_s = lambda_s
        self.cost = cost
        self.temperature = temperature
        self.threshold = threshold
        self.check = check

    def _embeddings(self, nodes: Sequence[SearchNode], candidates: Sequence[int]) -> tuple[Any, float]:
        """Embeddings of the new steps, when the coverage term may be used (ETS's ``apply_sim`` test)."""
        if self.embedder is None or self.lambda_s <= 0 or len(candidates) < 2:
            return None, 0.0
        if distinct_texts([nodes[c].text for c in candidates]) < 2:
            return None, 0.0
        started = time.perf_counter()
        steps = [Step(nodes[c].text, nodes[c].tokens, nodes[c].key, embedding=nodes[c].embedding) for c in candidates]
        matrix = np.asarray(self.embedder.embed(steps), dtype=float)
        return matrix, time.perf_counter() - started

    def select(self, nodes: Sequence[SearchNode], candidates: Sequence[int], budget: int, depth: int) -> Selection:
        """ETS's allocation."""
        embeddings, embed_seconds = self._embeddings(nodes, candidates)
        chosen = ets_select(
            nodes,
            candidates,
            budget,
            embeddings,
            self.lambda_c,
            self.lambda_s,
            self.cost,
            self.temperature,
            self.threshold,
            self.check,
            self.solver,
        )
        weights = [float(nodes[c].score) if keep else -np.inf for c, keep in zip(candidates, chosen.kept)]
        info = {"status": chosen.status, "coverage_used": chosen.coverage_used, "outcome": chosen.outcome}
        info.update(chosen.stats)
        return Selection(
            chosen.allocation,
            chosen.kept,
            descending_order(weights, "later"),
            chosen.clusters if embeddings is not None else None,
            chosen.objective,
            embed_seconds,
            info,
        )

    def finished(self, node: SearchNode) -> None:
        """Nothing to track."""


def make_selector(
    method: str,
    width: int,
    embedder: StepEmbedder | None = None,
    lambda_c: float = 1.0,
    lambda_s: float | None = None,
    cost: str = "nodes",
    check: bool = False,
    solver: str = "auto",
) -> Selector:
    """A fresh selector for one search of ``width`` (``lambda_s`` defaults to ETS's value for the width)."""
    if method == "rebase":
        return RebaseSelector()
    if method == "beam":
        return BeamSelector()
    if method == "dvts":
        return DvtsSelector(width)
    if method == "ets":
        return EtsSelector(
            embedder,
            lambda_c,
            default_lambda_s(width) if lambda_s is None else lambda_s,
            cost,
            check=check,
            solver=solver,
        )
    raise ValueError(f"unknown selection method {method!r}; expected one of {', '.join(METHODS)}")
