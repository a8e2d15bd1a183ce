"""The search loop: select, expand, score, depth after depth, with ETS's budget rule and KV accounting.

Per depth d (``reward_guided_search`` and ``Tree.select_and_expand`` in ETS's ``rebase.py``):

1. every node created at depth d that finished (its step gave an answer) or
   reached the token cap takes one child off the budget, permanently, so
   ``B = N - finished so far``; the others are the candidates;
2. stop when B <= 0 or there is no candidate;
3. record the KV footprint of the candidates and their ancestors (ETS's figure);
4. the selector spreads B children over the candidates;
5. one batched generator call expands the selected candidates (best first),
   one batched scorer call scores the new steps; a step without a score is
   dropped, as in the code;
6. stop after ``depth_cap`` (25) selections.

The token cap (1024) applies to the generated tokens of a trajectory (the
code adds the prompt, which it counts as about 2 tokens through a tokenizer
bug; here the prompt is counted in the KV, not in the cap). Final answers come
from every finished node: weighted majority vote with the last step's reward
as weight, best-of-N and plain majority (:mod:`.vote`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from schedkit.models.kvtree import (
    Expansion,
    FinishedTest,
    Scoring,
    SearchNode,
    SearchTrace,
    Step,
    StepEmbedder,
    StepGenerator,
    StepScorer,
    TraceNode,
    extract_answer,
    has_answer_phrase,
    path_of,
)
from schedkit.solvers.methods.tree_search.kv import DepthRecord, kv_tokens
from schedkit.solvers.methods.tree_search.selectors import Selector, make_selector
from schedkit.solvers.methods.tree_search.vote import (
    Equivalence,
    Verdict,
    best_of_n,
    majority_vote,
    same_answer,
    weighted_vote,
)

DEPTH_CAP = 25
"""Selections per search at most (ETS: ``if depth >= 25: break``)."""

MAX_TOKENS = 1024
"""Generated tokens per trajectory at most (ETS's ``max_tokens``)."""

WIDTHS: tuple[int, ...] = (16, 64, 256)
"""The widths of ETS's released configurations."""


@dataclass
class SearchResult:
    """A finished search: its tree, what each depth did, and its answers.

    ``expanded`` holds the nodes that received children, ``pruned`` the
    candidates that received none, ``kept`` the candidates the method chose to
    keep (ETS's ``x_i``; a kept leaf can still get no child), ``cluster`` a
    label per candidate clustered by ETS (``"depth:k"``).
    """

    method: str
    width: int
    nodes: list[SearchNode]
    depths: list[DepthRecord]
    expanded: set[int] = field(default_factory=set)
    pruned: set[int] = field(default_factory=set)
    kept: set[int] = field(default_factory=set)
    cluster: dict[int, str] = field(default_factory=dict)
    objectives: list[float | None] = field(default_factory=list)
    equivalent: Equivalence = same_answer

    @property
    def answers(self) -> list[SearchNode]:
        """Finished trajectories with an answer."""
        return [node for node in self.nodes if node.finished and node.answer is not None]

    @property
    def total_kv(self) -> int:
        """ETS's KV figure summed over the depths (tokens)."""
        return sum(record.kv_frontier for record in self.depths)

    @property
    def peak_kv(self) -> int:
        """The largest per-depth KV footprint (tokens)."""
        return max((record.kv_frontier for record in self.depths), default=0)

    def weighted_vote(self) -> Verdict:
        """Weighted majority vote (weight = last step's reward)."""
        return weighted_vote(self.nodes, self.equivalent)

    def majority_vote(self) -> Verdict:
        """Unweighted majority vote."""
        return majority_vote(self.nodes, self.equivalent)

    def best_of_n(self) -> Verdict:
        """Best last-step reward."""
        return best_of_n(self.nodes)

    def to_trace(self, name: str = "search", reference: str | None = None) -> SearchTrace:
        """The searched tree as a trace (node ids as strings), to write and replay later."""
        return SearchTrace(
            name,
            tuple(
                TraceNode(
                    str(node.id),
                    None if node.parent is None else str(node.parent),
                    node.text,
                    node.tokens,
                    node.score,
                    node.embedding,
                    node.answer,
                    node.correct,
                    node.finished,
                )
                for node in self.nodes
            ),
            reference,
        )


def _child(
    parent: SearchNode,
    node_id: int,
    step: Step,
    score: float,
    root_tokens: int,
    finished: FinishedTest,
    grader: Callable[[str], bool] | None,
    max_tokens: int,
) -> SearchNode:
    cum = parent.cum_tokens + step.tokens
    done = bool(finished(step))
    answer = step.answer if step.answer is not None else (extract_answer(step.text) if done else None)
    correct = step.correct
    if correct is None and answer is not None and grader is not None:
        correct = bool(grader(answer))
    return SearchNode(
        node_id,
        parent.id,
        parent.depth + 1,
        step.text,
        step.tokens,
        cum,
        float(score),
        step.key,
        answer if done else None,
        correct if done else None,
        step.embedding,
        done,
        not done and cum - root_tokens >= max_tokens,
    )


def tree_search(
    root: Step,
    generator: StepGenerator,
    scorer: StepScorer,
    method: str | Selector = "ets",
    width: int = 64,
    embedder: StepEmbedder | None = None,
    finished: FinishedTest = has_answer_phrase,
    grader: Callable[[str], bool] | None = None,
    equivalent: Equivalence = same_answer,
    depth_cap: int = DEPTH_CAP,
    max_tokens: int = MAX_TOKENS,
    lambda_c: float = 1.0,
    lambda_s: float | None = None,
    cost: str = "nodes",
    check: bool = False,
    solver: str = "auto",
) -> SearchResult:
    """Run one reward-guided tree search from the prompt ``root`` (see the module docstring).

    Parameters
    ----------
    root
        The prompt as a step (its ``tokens`` are the prompt's KV).
    generator, scorer, embedder
        The pluggable parts (:class:`schedkit.models.kvtree.StepGenerator`, ...).
        ETS without an embedder runs without its coverage term.
    method
        ``"rebase"``, ``"ets"``, ``"beam"``, ``"dvts"`` or a :class:`Selector`.
    width
        N: children per depth at most, and answers at most.
    finished
        Whether a step ends its trajectory (default: ETS's answer phrases).
    grader
        Grades an extracted answer when the step does not say whether it is correct.
    equivalent
        Whether two answers are the same, for the votes.
    depth_cap, max_tokens
        Selections per search; generated tokens per trajectory.
    lambda_c, lambda_s, cost
        ETS's weights (``lambda_s`` defaults to the released value for the width) and node cost.
    check
        Run the independent checker on every ETS selection.
    solver
        ETS's program: ``"auto"`` (exact tree DP, HiGHS when too coupled) or ``"mip"`` (HiGHS).
    """
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ValueError(f"width must be an integer >= 1, got {width!r}")
    selector = (
        make_selector(method, width, embedder, lambda_c, lambda_s, cost, check, solver)
        if isinstance(method, str)
        else method
    )
    nodes = [SearchNode(0, None, 0, root.text, root.tokens, root.tokens, 1.0, root.key)]
    result = SearchResult(selector.name, width, nodes, [], equivalent=equivalent)
    layer = [0]
    remaining = width
    for depth in range(depth_cap):
        candidates = []
        for node_id in layer:
            node = nodes[node_id]
            if node.finished or node.truncated:
                remaining -= 1
                selector.finished(node)
            else:
                candidates.append(node_id)
        if remaining <= 0 or not candidates:
            break
        kv_frontier = kv_tokens(nodes, candidates)
        started = time.perf_counter()
        selection = selector.select(nodes, candidates, remaining, depth)
        seconds = time.perf_counter() - started - selection.embed_seconds
        if len(selection.allocation) != len(candidates):
            raise RuntimeError(f"selector {selector.name!r} returned {len(selection.allocation)} counts")
        result.objectives.append(selection.objective)
        for position, candidate in enumerate(candidates):
            (result.expanded if selection.allocation[position] > 0 else result.pruned).add(candidate)
            if selection.kept[position]:
                result.kept.add(candidate)
        for k, group in enumerate(selection.clusters or []):
            for position in group:
                result.cluster[candidates[position]] = f"{depth}:{k}"
        requests = [
            Expansion(nodes[candidates[p]], _prefix(nodes, candidates[p]), selection.allocation[p])
            for p in selection.order
            if selection.allocation[p] > 0
        ]
        kv_selection = kv_tokens(nodes, [request.node.id for request in requests])
        generated = generator.expand(requests) if requests else []
        if len(generated) != len(requests):
            raise RuntimeError(f"the generator answered {len(generated)} of {len(requests)} requests")
        scorings = [
            Scoring(request.node, request.prefix, step)
            for request, steps in zip(requests, generated)
            for step in steps[: request.n]
        ]
        scores = scorer.score(scorings) if scorings else []
        if len(scores) != len(scorings):
            raise RuntimeError(f"the scorer answered {len(scores)} of {len(scorings)} steps")
        layer = []
        decoded = longest = uncached = 0
        reads = 0.0
        for scoring, score in zip(scorings, scores):
            step = scoring.step
            decoded += step.tokens
            longest = max(longest, step.tokens)
            reads += step.tokens * (scoring.parent.cum_tokens + step.tokens / 2)
            uncached += scoring.parent.cum_tokens + step.tokens
            if score is None:
                continue
            child = _child(scoring.parent, len(nodes), step, score, root.tokens, finished, grader, max_tokens)
            nodes.append(child)
            layer.append(child.id)
        result.depths.append(
            DepthRecord(
                depth,
                remaining,
                len(candidates),
                len(requests),
                len(layer),
                kv_frontier,
                kv_selection,
                decoded,
                longest,
                reads,
                decoded,
                uncached,
                seconds,
                selection.embed_seconds,
                str(selection.info.get("solver", "")),
            )
        )
    return result


def _prefix(nodes: Sequence[SearchNode], node: int) -> str:
    return "".join(nodes[i].text for i in path_of(nodes, node))
