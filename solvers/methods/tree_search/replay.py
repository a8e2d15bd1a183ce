"""Replaying a recorded trace: a generator, scorer and embedder that return what a real search generated.

Asked for ``n`` children of a node, :class:`TraceReplay` returns the first
``n`` recorded children (fewer when fewer were recorded: a method cannot
expand a node further than the recording did). Scores, embeddings, answers
and grades are the recorded ones; a child recorded without a score is dropped,
as the live search drops it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from schedkit.models.kvtree import Expansion, Scoring, SearchTrace, Step, TraceNode, extract_answer


def _step(node: TraceNode, reference: str | None) -> Step:
    answer = node.answer
    if answer is None and node.finished:
        answer = extract_answer(node.text)
    correct = node.correct
    if correct is None and answer is not None and reference is not None:
        correct = "".join(answer.split()) == "".join(reference.split())
    return Step(node.text, node.tokens, node.id, answer, correct, node.embedding)


class TraceReplay:
    """A :class:`~schedkit.models.kvtree.SearchTrace` as generator, scorer and embedder."""

    def __init__(self, trace: SearchTrace) -> None:
        self.trace = trace

    def root(self) -> Step:
        """The prompt, to start a search from."""
        root = self.trace.root
        return Step(root.text, root.tokens, root.id)

    def expand(self, requests: Sequence[Expansion]) -> list[list[Step]]:
        """The first ``n`` recorded children of each requested node."""
        out = []
        for request in requests:
            key = request.node.key
            if not isinstance(key, str):
                raise ValueError(f"node {request.node.id} does not come from trace '{self.trace.name}'")
            children = self.trace.children(key)[: request.n]
            out.append([_step(child, self.trace.reference) for child in children])
        return out

    def score(self, requests: Sequence[Scoring]) -> list[float | None]:
        """The recorded rewards."""
        return [self.trace.node(str(request.step.key)).score for request in requests]

    def embed(self, steps: Sequence[Step]) -> Any:
        """The recorded embeddings (every step needs one)."""
        rows = []
        for step in steps:
            if step.embedding is None:
                raise ValueError(f"trace '{self.trace.name}': node {step.key!r} has no embedding")
            rows.append(step.embedding)
        return np.asarray(rows, dtype=float)
