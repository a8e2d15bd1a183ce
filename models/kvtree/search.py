"""The data of a reward-guided tree search: steps, search nodes, and the interfaces of its pluggable parts.

A search grows a tree of reasoning steps from a prompt. Its parts are
structural interfaces (``typing.Protocol``), so a vLLM or SGLang client, a
replayed trace and a synthetic generator all plug in without inheriting
anything:

* :class:`StepGenerator` expands nodes: one batched call per depth, each
  request asking for ``n`` continuations (one reasoning step each) of a prefix;
* :class:`StepScorer` returns the process reward of each new step (None drops
  the child, as ETS does when the reward server returns no score);
* :class:`StepEmbedder` embeds the new step texts for ETS's semantic clusters;
* a finished test (:data:`FinishedTest`) says whether a step ends the
  trajectory with an answer.

The engine is :func:`schedkit.solvers.methods.tree_search.tree_search`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

ANSWER_PHRASES: tuple[str, ...] = ("The answer is", "The final answer is:", "Therefore, the final answer is")
"""A step containing one of these ends its trajectory (ETS's finished test)."""

_ANSWER = re.compile(
    r"(?:The answer is:?|The final answer is:?|Therefore, the final answer is:?)\s*(.+?)\s*(?:ки)?\s*$", re.S
)


@dataclass(frozen=True)
class Step:
    """One generated reasoning step.

    ``text`` is the step alone (not the prefix), ``tokens`` its token count
    (what it adds to the KV cache). ``key`` is an opaque handle the generator
    may use to recognise its own steps later (a replayed trace's node id, a
    synthetic generator's path). ``answer`` and ``correct`` carry a known
    final answer and its grade (traces, synthetic trees); when absent the
    engine extracts the answer from the text and grades it with the caller's
    grader. ``embedding`` is a precomputed embedding, if any.
    """

    text: str
    tokens: int
    key: Hashable | None = None
    answer: str | None = None
    correct: bool | None = None
    embedding: tuple[float, ...] | None = None


@dataclass(frozen=True)
class SearchNode:
    """A node of the search tree as the engine records it.

    ``id`` is the node's position in the tree (the root is 0), ``parent`` its
    parent's id, ``tokens`` its step tokens (the root's are the prompt's),
    ``cum_tokens`` the tokens from the root to it inclusive, ``score`` its
    process reward (1.0 for the root), ``finished`` whether its step gave an
    answer and ``truncated`` whether it reached the token cap without one.
    """

    id: int
    parent: int | None
    depth: int
    text: str
    tokens: int
    cum_tokens: int
    score: float
    key: Hashable | None = None
    answer: str | None = None
    correct: bool | None = None
    embedding: tuple[float, ...] | None = None
    finished: bool = False
    truncated: bool = False


@dataclass(frozen=True)
class Expansion:
    """A request to the generator: ``n`` continuations of ``prefix``, the full text of ``node``'s path."""

    node: SearchNode
    prefix: str
    n: int


@dataclass(frozen=True)
class Scoring:
    """A request to the scorer: the process reward of ``step`` appended to ``prefix`` (the parent's full text)."""

    parent: SearchNode
    prefix: str
    step: Step


class StepGenerator(Protocol):
    """Expands nodes into children, one batched call per depth."""

    def expand(self, requests: Sequence[Expansion]) -> list[list[Step]]:
        """For each request, up to ``request.n`` steps (fewer drops the missing children)."""
        ...


class StepScorer(Protocol):
    """Process reward model: one score per new step."""

    def score(self, requests: Sequence[Scoring]) -> list[float | None]:
        """The reward of each step (None: no score, the child is dropped)."""
        ...


class StepEmbedder(Protocol):
    """Embeds new step texts for ETS's semantic clustering."""

    def embed(self, steps: Sequence[Step]) -> Any:
        """An (n, d) array, one row per step, no zero row."""
        ...


FinishedTest = Callable[[Step], bool]
"""Whether a new step ends its trajectory with an answer."""


def has_answer_phrase(step: Step) -> bool:
    """ETS's finished test on the new step: it carries an answer or contains one of :data:`ANSWER_PHRASES`."""
    return step.answer is not None or any(phrase in step.text for phrase in ANSWER_PHRASES)


def extract_answer(text: str) -> str | None:
    """The final answer written in a step (``The answer is: 52 ки`` -> ``52``), or None."""
    match = _ANSWER.search(text)
    if match is None:
        return None
    answer = match.group(1).strip().rstrip(".").strip()
    return answer or None


def path_of(nodes: Sequence[SearchNode], node: int) -> list[int]:
    """Node ids from the root to ``node`` inclusive."""
    path = []
    current: int | None = node
    while current is not None:
        path.append(current)
        current = nodes[current].parent
    path.reverse()
    return path


def prefix_of(nodes: Sequence[SearchNode], node: int) -> str:
    """The full text of ``node``'s path: the prompt followed by every step."""
    return "".join(nodes[i].text for i in path_of(nodes, node))
