"""The searched-tree picture: layout by hand, every node drawn once with its mark, file written on request."""

from __future__ import annotations

import matplotlib.image as mpimg
import numpy as np

from schedkit.instances import synthetic_kvtree
from schedkit.models.kvtree import SearchTrace, TraceNode
from schedkit.plots.kvtree import layout, search_tree
from schedkit.solvers.methods.tree_search import TraceReplay, tree_search


def test_layout_by_hand():
    trace = SearchTrace(
        "t",
        (
            TraceNode("r", None, "Q", 5),
            TraceNode("a", "r", "a", 1, 0.9),
            TraceNode("b", "r", "b", 1, 0.1),
            TraceNode("a1", "a", "The answer is: 1", 1, 0.9, answer="1", correct=True),
            TraceNode("a2", "a", "The answer is: 2", 1, 0.8, answer="2", correct=False),
        ),
    )
    replay = TraceReplay(trace)
    result = tree_search(replay.root(), replay, replay, method="rebase", width=2)
    x, y = layout(result)
    # nodes in creation order: r, a, b, a1, a2; rows of the tree's leaves: a1 0, a2 1, b 2
    assert list(x) == [0, 1, 1, 2, 2]
    assert list(y) == [1.25, 0.5, 2.0, 0.0, 1.0]


def test_search_tree_marks_every_node(tmp_path):
    problem = synthetic_kvtree(3)
    result = tree_search(problem.root(), problem, problem, method="ets", width=16, embedder=problem)
    path = tmp_path / "tree.png"
    figure = search_tree(result, path)
    drawn = sum(len(c.get_offsets()) for c in figure.axes[0].collections[1:])
    assert drawn == len(result.nodes)
    assert len(figure.axes[0].collections[0].get_segments()) == len(result.nodes) - 1
    assert "ets, N = 16" in figure.axes[0].get_title()
    image = mpimg.imread(path)
    assert image.shape[0] > 100 and np.ptp(image) > 0
    assert search_tree(result, title="custom").axes[0].get_title() == "custom"
