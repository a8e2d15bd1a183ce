"""REBASE's ceiling walk, beam search and DVTS on hand-computed cases (heuristics.kvtree)."""

from __future__ import annotations

import math
import random

import pytest

from schedkit.heuristics.kvtree import (
    DvtsAllocator,
    beam_allocation,
    descending_order,
    outcome_weights,
    rebase,
    rebase_allocation,
)
from schedkit.models.kvtree import TreeNode


def test_rebase_hand_case_ceiling_walk():
    # w = exp((s - 0.9) / 0.2) = [1, e^-0.5, e^-2, e^-2, e^-4] = [1, .6065, .1353, .1353, .0183], sum 1.8955
    # first: ceil(8 * 1 / 1.8955) = ceil(4.22) = 5, 3 left; second: ceil(3 * .6065 / .8955) = ceil(2.03) = 3; 0 left
    assert rebase_allocation([0.9, 0.8, 0.5, 0.5, 0.1], 8) == [5, 3, 0, 0, 0]


def test_rebase_two_candidates():
    # w = [1, e^-1]; ceil(4 / 1.3679) = ceil(2.92) = 3, then ceil(1 * w / w) = 1
    assert rebase_allocation([0.6, 0.4], 4) == [3, 1]
    # the order of the input does not matter, only the scores
    assert rebase_allocation([0.4, 0.6], 4) == [1, 3]


def test_rebase_ties_later_first_and_earlier_first():
    # equal weights: ceil(3/4) = 1, ceil(2/3) = 1, ceil(1/2) = 1, then nothing left
    assert rebase_allocation([0.5, 0.5, 0.5, 0.5], 3) == [0, 1, 1, 1]  # REBASE: later candidates first
    assert rebase_allocation([0.5, 0.5, 0.5, 0.5], 3, ties="earlier") == [1, 1, 1, 0]  # ETS's outcome weights
    assert descending_order([0.2, 0.7, 0.2], "later") == [1, 2, 0]
    assert descending_order([0.2, 0.7, 0.2], "earlier") == [1, 0, 2]


def test_rebase_equal_scores_give_one_each_without_rounding_up():
    # B * w / S is exactly 1 at every step; a float excess must not turn it into 2
    for n in (3, 5, 7, 16, 64, 256):
        assert rebase_allocation([0.73] * n, n) == [1] * n


def test_rebase_spends_exactly_the_budget():
    rng = random.Random(4)
    for _ in range(300):
        n = rng.randint(1, 40)
        scores = [rng.random() for _ in range(n)]
        budget = rng.randint(0, 80)
        allocation = rebase_allocation(scores, budget)
        assert sum(allocation) == budget
        assert all(count >= 0 for count in allocation)
        # monotone in the score: a better candidate never gets fewer children
        for i in range(n):
            for j in range(n):
                if scores[i] > scores[j]:
                    assert allocation[i] >= allocation[j]


def test_rebase_minus_infinity_gets_nothing():
    assert rebase_allocation([0.3, -math.inf, 0.1], 5) == [4, 0, 1]
    assert rebase_allocation([-math.inf, -math.inf], 5) == [0, 0]
    assert rebase_allocation([0.3, 0.1], 0) == [0, 0]


def test_rebase_bad_input():
    with pytest.raises(ValueError, match="budget"):
        rebase_allocation([0.5], -1)
    with pytest.raises(ValueError, match="score #1"):
        rebase_allocation([0.5, float("nan")], 2)
    with pytest.raises(ValueError, match="temperature"):
        rebase_allocation([0.5], 2, temperature=0)
    with pytest.raises(ValueError, match="ties"):
        rebase_allocation([0.5], 2, ties="random")


def test_outcome_weights_normalise_the_walk():
    assert outcome_weights([0.9, 0.8, 0.5, 0.5, 0.1], 8) == [5 / 8, 3 / 8, 0.0, 0.0, 0.0]
    assert outcome_weights([0.5, 0.5], 0) == [0.0, 0.0]


def test_rebase_over_the_ir_tree():
    nodes = [TreeNode("root", None, 10), TreeNode("a", 0, 3, 0.6), TreeNode("b", 0, 4, 0.4)]
    assert rebase(nodes, [1, 2], 4) == {1: 3, 2: 1}
    with pytest.raises(ValueError, match="node 'root'"):
        rebase(nodes, [0], 4)


# ------------------------------------------------------------------ beam search
def test_beam_depth_zero_gives_the_root_everything():
    assert beam_allocation([1.0], 16, depth=0) == [16]


def test_beam_keeps_sqrt_b_best_with_ceil_b_over_keep():
    scores = [0.1, 0.5, 0.3, 0.9, 0.2]
    # B = 4: keep 2, 2 children each
    assert beam_allocation(scores, 4, depth=1) == [0, 2, 0, 2, 0]
    # B = 10: keep ceil(sqrt 10) = 4, ceil(10 / 4) = 3 each: 12 children, the code's overshoot
    assert beam_allocation(scores, 10, depth=3) == [0, 3, 3, 3, 3]
    assert beam_allocation(scores, 10, depth=3, keep=2) == [0, 5, 0, 5, 0]
    assert beam_allocation([0.4, 0.4, 0.4], 1, depth=2) == [0, 0, 1]  # ties: the later candidate first


# ------------------------------------------------------------------ DVTS
def test_dvts_subtrees_and_budgets():
    dvts = DvtsAllocator(16)
    assert (dvts.num_subtrees, dvts.budgets) == (4, [4, 4, 4, 4])
    assert dvts.allocate([0], [None], [1.0], depth=0) == [16]
    nodes = list(range(1, 17))
    scores = [0.1, 0.9, 0.5, 0.9] + [0.2] * 4 + [0.3, 0.1, 0.8, 0.1] + [0.6, 0.7, 0.1, 0.1]
    allocation = dvts.allocate(nodes, [0] * 16, scores, depth=1)
    # groups of 4 in insertion order; the first strictly best member gets the subtree's budget
    assert allocation == [0, 4, 0, 0] + [4, 0, 0, 0] + [0, 0, 4, 0] + [0, 4, 0, 0]
    assert dvts.subtree[2] == 0 and dvts.subtree[16] == 3
    # depth 2: node 2's children (17..20); one finished (21) takes a child off subtree 0
    dvts.finished(21, 2)
    assert dvts.budgets == [3, 4, 4, 4]
    allocation = dvts.allocate([17, 18, 19, 30], [2, 2, 2, 5], [0.5, 0.7, 0.6, 0.1], depth=2)
    assert allocation == [0, 3, 0, 4]
    assert dvts.subtree[18] == 0 and dvts.subtree[30] == 1


def test_dvts_with_fewer_depth_one_candidates_than_subtrees():
    dvts = DvtsAllocator(16)
    dvts.finished(5, 0)  # a depth-1 finisher has no subtree: only the global budget shrinks
    assert dvts.budgets == [4, 4, 4, 4]
    assert dvts.allocate([1, 2, 3], [0, 0, 0], [0.1, 0.2, 0.3], depth=1) == [4, 4, 4]
