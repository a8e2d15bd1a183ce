"""Diverse verifier tree search (DVTS) over the frontier, as ETS's baseline (``select_dvts`` in ETS's ``rebase.py``).

DVTS runs ``S = ceil(sqrt(N))`` independent greedy searches (N the width),
each with a budget of ``N // S`` children per depth:

* depth 0: the root receives all N children;
* depth 1: the candidates (in insertion order) are cut into S contiguous
  groups of ``len // S`` (the first ``len mod S`` groups one larger); every
  member joins its group's subtree and the best-scored member (the first
  strictly best) receives the subtree's budget;
* depth >= 2: a child inherits its parent's subtree; per parent, the best
  child (the first strictly best) receives the subtree's budget.

A finished trajectory takes one child off the global budget and off its
subtree's budget. Two departures from the code, both documented where they
happen: (1) the code never decrements a subtree's budget (a finished node's
subtree id is only set when it is a candidate, which it never is), so its
subtrees keep sampling ``N // S`` children until the global budget is spent;
here the subtree budget shrinks as its trajectories finish, which keeps the
total at most N as for the other methods; (2) with fewer depth-1 candidates
than subtrees, the code cycles the list and expands a node once per copy;
here each candidate is its own subtree and the unused subtrees are dropped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


class DvtsAllocator:
    """The per-search state of DVTS: subtree of each node and budget of each subtree.

    Node identifiers are whatever the caller uses (hashable, e.g. ints).
    """

    def __init__(self, width: int, subtrees: int | None = None) -> None:
        if isinstance(width, bool) or not isinstance(width, int) or width < 1:
            raise ValueError(f"width must be an integer >= 1, got {width!r}")
        self.width = width
        self.num_subtrees = math.ceil(math.sqrt(width)) if subtrees is None else subtrees
        if self.num_subtrees < 1:
            raise ValueError(f"subtrees must be >= 1, got {self.num_subtrees!r}")
        self.budgets = [width // self.num_subtrees] * self.num_subtrees
        self.subtree: dict[object, int] = {}

    def finished(self, node: object, parent: object | None) -> None:
        """Record a finished trajectory: it takes one child off its subtree's budget (if it has a subtree)."""
        tree = self.subtree.get(node, self.subtree.get(parent) if parent is not None else None)
        if tree is not None:
            self.budgets[tree] -= 1

    def allocate(
        self, nodes: Sequence[object], parents: Sequence[object | None], scores: Sequence[float], depth: int
    ) -> list[int]:
        """Children per candidate (in the order given) at ``depth``; ``parents[i]`` is the parent of ``nodes[i]``."""
        if not (len(nodes) == len(parents) == len(scores)):
            raise ValueError("nodes, parents and scores must have the same length")
        allocation = [0] * len(nodes)
        if not nodes:
            return allocation
        if depth == 0:
            return [self.width] * len(nodes)
        best: dict[object, int] = {}  # group key -> position of its best candidate
        if depth == 1:
            groups = min(self.num_subtrees, len(nodes))
            size, extra = divmod(len(nodes), groups)
            start = 0
            for tree in range(groups):
                end = start + size + (1 if tree < extra else 0)
                for position in range(start, end):
                    self.subtree[nodes[position]] = tree
                    if tree not in best or scores[position] > scores[best[tree]]:
                        best[tree] = position
                start = end
        else:
            for position, (node, parent) in enumerate(zip(nodes, parents)):
                if parent in self.subtree:
                    self.subtree[node] = self.subtree[parent]
                if parent not in best or scores[position] > scores[best[parent]]:
                    best[parent] = position
        for position in best.values():
            subtree = self.subtree.get(nodes[position])
            if subtree is not None:
                allocation[position] = max(0, self.budgets[subtree])
        return allocation
