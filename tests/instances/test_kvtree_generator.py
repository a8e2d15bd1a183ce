"""The synthetic reasoning tree: seeded, prefix-consistent, and faithful to the assumptions it states."""

from __future__ import annotations

import numpy as np
import pytest

from schedkit.instances import SyntheticConfig, synthetic_kvtree
from schedkit.instances.generators.kvtree import SyntheticKey
from schedkit.models.kvtree import cluster_embeddings


def expand_all(problem, depth_limit=4, n=6):
    """Every node down to ``depth_limit`` with ``n`` children each (finished steps are not expanded)."""
    layer = [(problem.root().key, 0)]
    steps = []
    for _ in range(depth_limit):
        nxt = []
        for key, depth in layer:
            for step in problem.children(key, depth, n):
                steps.append((depth + 1, key, step))
                if step.answer is None:
                    nxt.append((step.key, depth + 1))
        layer = nxt
    return steps


def test_seeded_and_seed_sensitive():
    a, b, c = synthetic_kvtree(3), synthetic_kvtree(3), synthetic_kvtree(4)
    root = a.root().key
    assert a.children(root, 0, 5) == b.children(root, 0, 5)
    assert a.children(root, 0, 5) != c.children(root, 0, 5)
    assert (a.reference, a.prompt_tokens) == (b.reference, b.prompt_tokens)


def test_children_are_prefix_consistent():
    problem = synthetic_kvtree(1)
    root = problem.root().key
    many = problem.children(root, 0, 12)
    assert problem.children(root, 0, 5) == many[:5]
    grandchildren = problem.children(many[2].key, 1, 7)
    assert problem.children(many[2].key, 1, 3) == grandchildren[:3]
    assert all(step.key.path == (2, i) for i, step in enumerate(grandchildren))


def test_assumptions_hold_on_average():
    on, off, lengths, distances, duplicates, correct_answers = [], [], [], [], 0, set()
    for seed in range(6):
        problem = synthetic_kvtree(seed, canonical=0.0)  # no canonical steps: modes never merge
        steps = expand_all(problem)
        for _, _parent, step in steps:
            (on if step.key.on_track else off).append(step.key.score)
            lengths.append(step.tokens)
            if step.correct:
                correct_answers.add((seed, step.answer))
        # siblings: exact duplicates share everything; near-duplicates fall in one cluster at 0.05
        by_parent: dict[SyntheticKey, list] = {}
        for _, parent, step in steps:
            by_parent.setdefault(parent, []).append(step)
        for siblings in by_parent.values():
            texts = [s.text for s in siblings]
            duplicates += len(texts) - len(set(texts))
            groups = cluster_embeddings(np.array([s.embedding for s in siblings]))
            for group in groups:
                base = [siblings[i].text.split(" (variant")[0].removesuffix(" ки") for i in group]
                assert len(set(base)) == 1, "a cluster holds one mode's steps"
            distances.append(len(groups) < len(siblings))
    assert np.mean(on) > np.mean(off) + 0.1  # rewards track correctness
    assert duplicates > 0 and np.mean(distances) > 0.5  # siblings repeat each other
    assert len(correct_answers) == 6  # one correct answer per problem: correct leaves agree
    assert max(lengths) > 4 * np.median(lengths) and min(lengths) >= 4  # heavy tail, clipped


def test_canonical_steps_merge_across_branches():
    problem = synthetic_kvtree(2, canonical=1.0, error_beta=(1.0, 1000.0))  # (almost) never off track
    root = problem.root().key
    kids = problem.children(root, 0, 8)
    second = [step for kid in kids for step in problem.children(kid.key, 1, 3)]
    same_approach = {}
    for step in second:
        same_approach.setdefault(step.key.approach, []).append(step)
    for steps in same_approach.values():
        assert len(cluster_embeddings(np.array([s.embedding for s in steps]))) == 1
    assert len(cluster_embeddings(np.array([s.embedding for s in second]))) == len(same_approach)


def test_bad_knobs():
    with pytest.raises(TypeError, match="unknown synthetic tree knob"):
        synthetic_kvtree(0, colour="blue")
    with pytest.raises(ValueError, match="canonical"):
        SyntheticConfig(canonical=2.0)
    with pytest.raises(ValueError, match="seed"):
        synthetic_kvtree(-1)
