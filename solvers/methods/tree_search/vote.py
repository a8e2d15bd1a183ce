"""Final answers of a search: weighted majority vote (ETS's evaluation), best-of-N and plain majority.

ETS evaluates with ``math_evaluate.py --agg_func majority_vote --weighted True
--weight_agg last``: every finished trajectory votes for its answer with the
process reward of its last step; answers are grouped into equivalence classes
(``grade_answer``, compared with each class's first member); the class with
the largest total wins, the earliest class on ties (a later class must be
strictly larger). No answer at all counts as wrong. ``equivalent`` plugs in a
grader (default: equal strings after stripping spaces).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from schedkit.models.kvtree import SearchNode

Equivalence = Callable[[str, str], bool]


def same_answer(a: str, b: str) -> bool:
    """Default equivalence: equal once whitespace is removed."""
    return "".join(a.split()) == "".join(b.split())


@dataclass(frozen=True)
class Verdict:
    """The chosen answer, whether it is correct (None when unknown) and the node it came from."""

    answer: str | None
    correct: bool | None
    node: int | None
    weight: float = 0.0


def _answered(nodes: Sequence[SearchNode]) -> list[SearchNode]:
    return [node for node in nodes if node.finished and node.answer is not None]


def _vote(nodes: Sequence[SearchNode], weight: Callable[[SearchNode], float], equivalent: Equivalence) -> Verdict:
    classes: list[tuple[SearchNode, float]] = []
    for node in _answered(nodes):
        assert node.answer is not None
        for k, (first, total) in enumerate(classes):
            assert first.answer is not None
            if equivalent(first.answer, node.answer):
                classes[k] = (first, total + weight(node))
                break
        else:
            classes.append((node, weight(node)))
    if not classes:
        return Verdict(None, False, None)
    best, total = classes[0]
    for first, weight_sum in classes[1:]:
        if weight_sum > total:
            best, total = first, weight_sum
    return Verdict(best.answer, best.correct, best.id, total)


def weighted_vote(nodes: Sequence[SearchNode], equivalent: Equivalence = same_answer) -> Verdict:
    """Weighted majority vote, weight = the last step's process reward (ETS's evaluation)."""
    return _vote(nodes, lambda node: node.score, equivalent)


def majority_vote(nodes: Sequence[SearchNode], equivalent: Equivalence = same_answer) -> Verdict:
    """Unweighted majority vote."""
    return _vote(nodes, lambda node: 1.0, equivalent)


def best_of_n(nodes: Sequence[SearchNode]) -> Verdict:
    """The answer of the finished trajectory with the best last-step reward (the first on ties)."""
    best: SearchNode | None = None
    for node in _answered(nodes):
        if best is None or node.score > best.score:
            best = node
    if best is None:
        return Verdict(None, False, None)
    return Verdict(best.answer, best.correct, best.id, best.score)
