"""The data around ETS's selection (models.kvtree): coverage rule, traces, steps, fast cosine distances."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import pdist

from schedkit.models import ModelError
from schedkit.models.kvtree import (
    SearchNode,
    SearchTrace,
    Step,
    TraceNode,
    coverage_can_matter,
    coverage_clusters,
    distinct_texts,
    extract_answer,
    has_answer_phrase,
    path_of,
    prefix_of,
)
from schedkit.models.kvtree.clustering import cosine_distances


def test_coverage_is_used_only_when_it_can_matter():
    assert coverage_can_matter(1.45, 5, 2)
    assert not coverage_can_matter(0.0, 5, 2)  # no weight
    assert not coverage_can_matter(1.45, 1, 1)  # one leaf: it is always kept
    assert not coverage_can_matter(1.45, 5, 1)  # one cluster: always covered, a constant
    assert coverage_clusters([[0, 1], [2]], 1.45, 3) == [[0, 1], [2]]
    assert coverage_clusters([[0, 1, 2]], 1.45, 3) == []
    assert distinct_texts(["a", "b", "a"]) == 2


def test_cosine_distances_match_scipy():
    matrix = np.random.default_rng(1).normal(size=(40, 7))
    assert np.allclose(cosine_distances(matrix), pdist(matrix, "cosine"), atol=1e-12)
    twins = np.array([[1.0, 2.0], [2.0, 4.0], [-1.0, 0.5]])
    assert cosine_distances(twins)[0] == pytest.approx(0.0, abs=1e-12)


def test_answer_phrases_and_extraction():
    assert has_answer_phrase(Step("Step 4: so x = 3. The answer is: 3 ки", 12))
    assert has_answer_phrase(Step("Therefore, the final answer is: $\\boxed{7}$.", 9))
    assert has_answer_phrase(Step("anything", 2, answer="5"))
    assert not has_answer_phrase(Step("Step 2: 48 / 2 = 24 ки", 9))
    assert extract_answer("Step 4: so x = 3. The answer is: 3 ки") == "3"
    assert extract_answer("The final answer is: 1/2.") == "1/2"
    assert extract_answer("Step 1: no answer yet ки") is None


def test_paths_and_prefixes():
    nodes = [
        SearchNode(0, None, 0, "Q? ", 3, 3, 1.0),
        SearchNode(1, 0, 1, "s1 ", 2, 5, 0.5),
        SearchNode(2, 1, 2, "s2", 2, 7, 0.4),
    ]
    assert path_of(nodes, 2) == [0, 1, 2]
    assert prefix_of(nodes, 2) == "Q? s1 s2"


def _trace(*nodes: TraceNode) -> SearchTrace:
    return SearchTrace("t", tuple(nodes))


def test_trace_children_and_lookup():
    trace = _trace(
        TraceNode("r", None, "Q", 5), TraceNode("a", "r", "A", 2, 0.5), TraceNode("b", "r", "B", 3, 0.7, (1.0, 0.0))
    )
    assert trace.root.id == "r"
    assert [n.id for n in trace.children("r")] == ["a", "b"]
    assert trace.children("a") == []
    assert trace.node("b").tokens == 3


@pytest.mark.parametrize(
    ("nodes", "pattern"),
    [
        ((), r"needs at least its root"),
        ((TraceNode("r", None, "Q", 1), TraceNode("r", "r", "A", 1)), r"node 'r' \(#1\), field 'id'"),
        ((TraceNode("r", None, "Q", 1), TraceNode("s", None, "Q", 1)), r"exactly one root"),
        ((TraceNode("r", None, "Q", 1), TraceNode("a", "zz", "A", 1)), r"node 'a' \(#1\), field 'parent'.*'zz'"),
        ((TraceNode("r", None, "Q", -1),), r"node 'r' \(#0\), field 'tokens'"),
        ((TraceNode("r", None, "Q", 1, float("nan")),), r"field 'score'"),
        ((TraceNode("r", None, "Q", 1), TraceNode("a", "r", "A", 1, 0.5, (0.0, 0.0))), r"all zeros"),
        (
            (
                TraceNode("r", None, "Q", 1),
                TraceNode("a", "r", "A", 1, 0.5, (1.0,)),
                TraceNode("b", "r", "B", 1, 0.5, (1.0, 2.0)),
            ),
            r"different lengths",
        ),
        (
            (TraceNode("r", None, "Q", 1), TraceNode("a", "b", "A", 1), TraceNode("b", "a", "B", 1)),
            r"cycle",
        ),
    ],
)
def test_trace_validation_names_node_and_field(nodes, pattern):
    with pytest.raises(ModelError, match=pattern):
        _trace(*nodes)
