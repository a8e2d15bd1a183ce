"""The tree-search engine, ETS's selection against exhaustive enumeration, and KV accounting by hand."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest

from schedkit.instances import read_kvtrace, synthetic_kvtree, write_kvtrace
from schedkit.models.kvtree import SearchNode, SearchTrace, TraceNode
from schedkit.solvers.methods.tree_search import (
    METHODS,
    EtsSelector,
    TraceReplay,
    best_of_n,
    ets_select,
    kv_tokens,
    majority_vote,
    tree_search,
    weighted_vote,
)
from schedkit.solvers.methods.tree_search.ets_dp import solve_ets_dp


# ------------------------------------------------------------------ exhaustive enumeration
def enumerate_best(nodes, candidates, outcome, clusters, lambda_c, lambda_s, cost):
    """Best objective over every non-empty set of kept candidates, computed from scratch."""
    universe = set()
    for c in candidates:
        v = c
        while v is not None:
            universe.add(v)
            v = nodes[v].parent
    if cost == "nodes":
        unit = {v: 1.0 / len(universe) for v in universe}
    else:
        total = sum(nodes[v].tokens for v in universe)
        unit = {v: nodes[v].tokens / total for v in universe}
    rho = lambda_s / len(clusters) if clusters else 0.0

    def value(kept):
        closure = set()
        for i in kept:
            v = candidates[i]
            while v is not None:
                closure.add(v)
                v = nodes[v].parent
        covered = sum(1 for group in clusters if set(group) & set(kept))
        return sum(outcome[i] for i in kept) - lambda_c * sum(unit[v] for v in closure) + rho * covered

    subsets = (s for r in range(1, len(candidates) + 1) for s in itertools.combinations(range(len(candidates)), r))
    return max(value(s) for s in subsets), value


def random_tree(rng, leaves, depth):
    """A random tree whose frontier (``leaves`` nodes at depth ``depth``) are the candidates."""
    nodes = [SearchNode(0, None, 0, "Q", rng.randint(5, 50), 0, 1.0)]
    layer = [0]
    for d in range(1, depth + 1):
        width = leaves if d == depth else rng.randint(1, leaves)
        new = []
        for _ in range(width):
            parent = rng.choice(layer)
            node = SearchNode(len(nodes), parent, d, f"s{len(nodes)}", rng.randint(1, 60), 0, round(rng.random(), 2))
            nodes.append(node)
            new.append(node.id)
        layer = new
    return nodes, layer


def cluster_embeddings_for(rng, n, k):
    """Embeddings forming about ``k`` clusters (random labels, so clusters span branches)."""
    centres = np.random.default_rng(rng.randint(0, 10**6)).normal(size=(k, 6))
    labels = [rng.randrange(k) for _ in range(n)]
    return centres[labels] + 1e-4 * np.random.default_rng(rng.randint(0, 10**6)).normal(size=(n, 6))


@pytest.mark.parametrize("solver", ["auto", "mip"])
def test_ets_selection_matches_exhaustive_enumeration(solver):
    rng = random.Random(7)
    tolerance = 1e-9 if solver == "auto" else 2e-5  # the IR rounds every coefficient to 1e-6
    for trial in range(40):
        n = rng.randint(2, 8)
        nodes, candidates = random_tree(rng, n, rng.randint(1, 4))
        budget = rng.randint(1, 2 * n)
        cost = "tokens" if trial % 3 == 0 else "nodes"
        lambda_c, lambda_s = rng.choice([0.5, 1.0, 3.0]), rng.choice([0.0, 1.45, 4.0])
        embeddings = cluster_embeddings_for(rng, n, rng.randint(1, n)) if trial % 4 else None
        chosen = ets_select(nodes, candidates, budget, embeddings, lambda_c, lambda_s, cost, solver=solver, check=True)
        rewarded = chosen.clusters if chosen.coverage_used else []
        best, value = enumerate_best(nodes, candidates, chosen.outcome, rewarded, lambda_c, lambda_s, cost)
        kept = [i for i, k in enumerate(chosen.kept) if k]
        assert kept, "at least one leaf is kept"
        assert value(kept) == pytest.approx(chosen.objective, abs=1e-9)
        assert chosen.objective == pytest.approx(best, abs=tolerance), (trial, solver)
        assert sum(chosen.allocation) == budget
        assert all(count == 0 for count, k in zip(chosen.allocation, chosen.kept) if not k)


def test_ets_toy_tree_from_the_notes():
    # root -> a, b; a has leaves 0-5, b leaves 6-7; 4 clusters; B = 8 (notes/ets.md, appendix A)
    scores = [0.8, 0.78, 0.75, 0.7, 0.5, 0.4, 0.72, 0.3]
    nodes = [SearchNode(0, None, 0, "Q", 10, 10, 1.0), SearchNode(1, 0, 1, "a", 5, 15, 0.9)]
    nodes.append(SearchNode(2, 0, 1, "b", 5, 15, 0.9))
    for i, score in enumerate(scores):
        nodes.append(SearchNode(3 + i, 1 if i < 6 else 2, 2, f"l{i}", 5, 20, score))
    candidates = list(range(3, 11))
    directions = {0: [1.0, 0.0, 0.0, 0.0], 1: [0.0, 1.0, 0.0, 0.0], 2: [0.0, 0.0, 1.0, 0.0], 3: [0.0, 0.0, 0.0, 1.0]}
    embeddings = np.array([directions[k] for k in (0, 0, 0, 1, 1, 2, 3, 3)])
    plain = ets_select(nodes, candidates, 8, None, 1.0, 0.0)
    assert plain.outcome == [2 / 8, 2 / 8, 2 / 8, 1 / 8, 0, 0, 1 / 8, 0]
    assert [i for i, k in enumerate(plain.kept) if k] == [0, 1, 2, 3]
    assert plain.allocation == [3, 2, 2, 1, 0, 0, 0, 0]
    assert plain.objective == pytest.approx(7 / 8 - 6 / 11)
    diverse = ets_select(nodes, candidates, 8, embeddings, 1.0, 1.45)
    assert diverse.coverage_used and len(diverse.clusters) == 4
    assert [i for i, k in enumerate(diverse.kept) if k] == [0, 1, 2, 3, 5, 6]
    assert diverse.allocation == [2, 2, 2, 1, 0, 0, 1, 0]  # leaf 5 is kept for its cluster yet gets no child
    assert diverse.objective == pytest.approx(1.0 - 9 / 11 + 1.45)


def test_dp_gives_up_on_too_many_coupled_clusters():
    # 12 worthless leaves under 12 parents, 6 clusters spanning 2 parents each: up to 2^6 masks at the root
    parent = [None] + [0] * 12 + list(range(1, 13))
    leaves = list(range(13, 25))
    args = (parent, leaves, [0.0] * 12, [0.001] * 25, [i % 6 for i in range(12)], 0.3)
    assert solve_ets_dp(*args, max_entries=4) is None
    solved = solve_ets_dp(*args)
    assert solved.global_clusters == 6
    assert len(solved.kept) == 6 and len({k % 6 for k in solved.kept}) == 6  # one leaf per cluster
    assert solved.objective == pytest.approx(6 * 0.3 - 12 * 0.001 - 0.001)


# ------------------------------------------------------------------ KV accounting, by hand
HAND = SearchTrace(
    "hand",
    (
        TraceNode("r", None, "Q ", 100),
        TraceNode("c1", "r", "c1 ", 10, 0.9),
        TraceNode("c2", "r", "c2 ", 20, 0.5),
        TraceNode("c3", "r", "c3 ", 30, 0.1),
        TraceNode("d1", "c1", "The answer is: 7", 5, 0.8, answer="7", correct=True),
        TraceNode("d2", "c1", "d2 ", 6, 0.6),
        TraceNode("f1", "d2", "The answer is: 7", 8, 0.9, answer="7", correct=True),
        TraceNode("f2", "d2", "The answer is: 9", 9, 0.3, answer="9", correct=False),
    ),
)


def test_kv_tokens_of_a_hand_tree():
    nodes = [
        SearchNode(0, None, 0, "r", 100, 100, 1.0),
        SearchNode(1, 0, 1, "a", 10, 110, 0.5),
        SearchNode(2, 0, 1, "b", 20, 120, 0.5),
        SearchNode(3, 1, 2, "a1", 5, 115, 0.5),
        SearchNode(4, 1, 2, "a2", 6, 116, 0.5),
        SearchNode(5, 2, 2, "b1", 7, 127, 0.5),
    ]
    assert kv_tokens(nodes, [3, 4, 5]) == 5 + 6 + 7 + 10 + 20 + 100
    assert kv_tokens(nodes, [3]) == 5 + 10 + 100
    assert kv_tokens(nodes, [3, 4]) == 5 + 6 + 10 + 100
    assert kv_tokens(nodes, []) == 0


def test_search_kv_accounting_by_hand():
    replay = TraceReplay(HAND)
    result = tree_search(replay.root(), replay, replay, method="rebase", width=3)
    # depth 0: the root alone (100). REBASE gives it B = 3: c1, c2, c3.
    # depth 1: candidates c1, c2, c3 and the root: 10 + 20 + 30 + 100 = 160. Walk: w = [1, e^-2, e^-4],
    #   ceil(3 / 1.1536) = 3 -> c1 asks for 3 and gets its 2 recorded children d1 (an answer), d2.
    # depth 2: d1 finished, B = 2; candidate d2 and its ancestors: 6 + 10 + 100 = 116; d2 gets 2: f1, f2.
    # depth 3: f1 and f2 finished, B = 0: stop.
    assert [r.kv_frontier for r in result.depths] == [100, 160, 116]
    assert [r.budget for r in result.depths] == [3, 3, 2]
    assert [r.kv_selection for r in result.depths] == [100, 110, 116]
    assert [r.decoded_tokens for r in result.depths] == [60, 11, 17]
    assert result.depths[0].context_reads == 10 * 105 + 20 * 110 + 30 * 115
    assert result.depths[0].longest_step == 30
    assert result.depths[2].prefilled_uncached == (116 + 8) + (116 + 9)
    assert (result.total_kv, result.peak_kv) == (376, 160)
    assert {n.text for n in result.answers} == {"The answer is: 7", "The answer is: 9"}
    assert result.pruned == {2, 3} and result.expanded == {0, 1, 5}
    vote = result.weighted_vote()
    assert (vote.answer, vote.correct, vote.weight) == ("7", True, pytest.approx(0.8 + 0.9))
    assert result.best_of_n().answer == "7"


def test_votes_by_hand():
    def leaf(i, answer, score, correct):
        return SearchNode(i, 0, 1, "", 1, 1, score, answer=answer, correct=correct, finished=True)

    nodes = [SearchNode(0, None, 0, "Q", 1, 1, 1.0), leaf(1, "5", 0.9, False), leaf(2, "7", 0.5, True)]
    nodes += [leaf(3, " 7", 0.45, True), leaf(4, "9", 0.95, False)]
    assert weighted_vote(nodes).answer == "7"  # 0.95 vs 0.9 vs 0.5 + 0.45 (answers equal up to spaces)
    assert best_of_n(nodes).answer == "9"
    assert majority_vote(nodes).answer == "7"
    tie = [nodes[0], leaf(1, "a", 0.5, False), leaf(2, "b", 0.5, True)]
    assert weighted_vote(tie).answer == "a"  # the earliest class wins ties
    assert weighted_vote(nodes[:1]).correct is False  # no answer counts as wrong


# ------------------------------------------------------------------ the engine on synthetic trees
@pytest.mark.parametrize("method", METHODS)
def test_engine_runs_each_method_on_a_synthetic_tree(method):
    for seed in range(3):
        problem = synthetic_kvtree(seed)
        width = 8
        result = tree_search(problem.root(), problem, problem, method=method, width=width, embedder=problem, check=True)
        finished = 0
        for record in result.depths:
            assert record.budget == width - finished
            assert 1 <= record.candidates
            extra = math.ceil(math.sqrt(record.budget)) if method == "beam" else 0
            assert record.children <= record.budget + extra
            layer = [n.id for n in result.nodes if n.depth == record.depth and not (n.finished or n.truncated)]
            assert record.kv_frontier == kv_tokens(result.nodes, layer)
            finished += sum(1 for n in result.nodes if n.depth == record.depth + 1 and (n.finished or n.truncated))
        assert result.total_kv == sum(r.kv_frontier for r in result.depths)
        assert result.answers, "the search ends with answers"
        assert all(n.answer is not None and n.correct is not None for n in result.answers)
        assert result.weighted_vote().correct is not None


class _BothSolvers(EtsSelector):
    """ETS that also solves every program with HiGHS and records both optima."""

    pairs: list[tuple[float, float]]

    def select(self, nodes, candidates, budget, depth):
        chosen = super().select(nodes, candidates, budget, depth)
        if len(candidates) > 1:
            matrix, _ = self._embeddings(nodes, candidates)
            other = ets_select(nodes, candidates, budget, matrix, self.lambda_c, self.lambda_s, solver="mip")
            self.pairs.append((chosen.objective, other.objective))
        return chosen


def test_dp_and_highs_agree_inside_a_search():
    for seed in range(2):
        problem = synthetic_kvtree(seed)
        selector = _BothSolvers(problem, lambda_s=1.4)
        selector.pairs = []
        tree_search(problem.root(), problem, problem, method=selector, width=24)
        assert selector.pairs
        for dp, mip in selector.pairs:
            assert dp == pytest.approx(mip, abs=5e-5)


def test_trace_round_trip_replays_the_same_search(tmp_path):
    problem = synthetic_kvtree(5)
    first = tree_search(problem.root(), problem, problem, method="ets", width=16, embedder=problem)
    path = write_kvtrace(tmp_path / "search.jsonl", first.to_trace("s5", problem.reference))
    (trace,) = read_kvtrace(path)
    assert trace == first.to_trace("s5", problem.reference)
    replay = TraceReplay(trace)
    again = tree_search(replay.root(), replay, replay, method="ets", width=16, embedder=replay)
    assert [r.kv_frontier for r in again.depths] == [r.kv_frontier for r in first.depths]
    assert [(n.text, n.score, n.answer, n.correct) for n in again.nodes] == [
        (n.text, n.score, n.answer, n.correct) for n in first.nodes
    ]
    assert again.weighted_vote() == first.weighted_vote()


def test_bad_arguments():
    problem = synthetic_kvtree(0)
    with pytest.raises(ValueError, match="unknown selection method"):
        tree_search(problem.root(), problem, problem, method="mcts", width=4)
    with pytest.raises(ValueError, match="width"):
        tree_search(problem.root(), problem, problem, width=0)
    nodes, candidates = random_tree(random.Random(0), 3, 2)
    with pytest.raises(ValueError, match="solver"):
        ets_select(nodes, candidates, 3, solver="cbc")
