"""IR-level tests of the ETS KV-sharing selection builder (models.kvtree)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from schedkit.models import ModelError, Sense, Solution, TermKind
from schedkit.models.io import problem_from_dict, problem_to_dict
from schedkit.models.kvtree import TreeNode, cluster_embeddings, ets_objective, ets_objective_from_ir, kv_size, kvtree

#          root(10)
#         /    |     \
#      a(5)   b(7)   c(100, not an ancestor of any leaf)
#     /   \     \
#  a1(3) a2(4)  b1(2)
NODES = [
    TreeNode("root", None, 10),
    TreeNode("a", 0, 5),
    TreeNode("b", 0, 7),
    TreeNode("a1", 1, 3, 0.5),
    TreeNode("a2", 1, 4, 0.3),
    TreeNode("b1", 2, 2, 0.2),
    TreeNode("c", 0, 100),
]
LEAVES = [3, 4, 5]
CLUSTERS = [[3, 4], [5]]


def build(**kwargs):
    return kvtree(NODES, LEAVES, CLUSTERS, **kwargs)


def keep(problem, names):
    present = [t.name in names for t in problem.tasks]
    return Solution.from_lists(starts=[0 if p else None for p in present], present=present)


def ir_objective(problem, solution):
    """The single level's value, evaluated by hand from the IR data."""
    value = sum(t.value for t, a in zip(problem.tasks, solution.tasks) if a.present)
    cost = sum(t.modes[a.mode].cost for t, a in zip(problem.tasks, solution.tasks) if a.present)
    present = {i for i, a in enumerate(solution.tasks) if a.present}
    reward = sum(g.reward for g in problem.coverage_groups if present.intersection(g.tasks))
    return value + reward - cost


def test_tasks_are_leaves_then_ancestors():
    problem = build()
    assert problem.family == "kvtree"
    assert [t.name for t in problem.tasks] == ["a1", "a2", "b1", "a", "root", "b"]
    assert all(t.optional and len(t.modes) == 1 and t.modes[0].duration == 0 for t in problem.tasks)
    assert all(not t.modes[0].demands for t in problem.tasks) and problem.num_resources == 0
    assert [t.value for t in problem.tasks] == [500_000, 300_000, 200_000, 0, 0, 0]
    # node cost: C = 1 / (3 leaves + 3 ancestors), scaled by 10**6 and rounded
    assert {t.modes[0].cost for t in problem.tasks} == {round(10**6 / 6)}
    assert problem.meta["scale"] == 10**6
    assert problem.meta["leaves"] == [0, 1, 2]


def test_token_costs():
    problem = build(cost="tokens", lambda_c=2.0, scale=1000)
    total = 3 + 4 + 2 + 5 + 10 + 7  # c (100 tokens) is not an ancestor of a leaf
    expected = [round(1000 * 2.0 * tokens / total) for tokens in (3, 4, 2, 5, 10, 7)]
    assert [t.modes[0].cost for t in problem.tasks] == expected
    assert [t.value for t in problem.tasks][:3] == [500, 300, 200]


def test_implications_selection_and_coverage():
    problem = build()
    index = problem.task_index
    implications = {
        (problem.tasks[i.a].name, tuple(problem.tasks[t].name for t in i.then_any)) for i in problem.implications
    }
    assert implications == {
        ("a1", ("a",)),
        ("a2", ("a",)),
        ("b1", ("b",)),
        ("a", ("root",)),
        ("b", ("root",)),
        ("a", ("a1", "a2")),
        ("b", ("b1",)),
        ("root", ("a", "b")),
    }
    assert len(problem.selections) == 1
    selection = problem.selections[0]
    assert (set(selection.tasks), selection.min_present) == ({index["a1"], index["a2"], index["b1"]}, 1)
    groups = [(g.tasks, g.reward) for g in problem.coverage_groups]
    assert groups == [((index["a1"], index["a2"]), round(10**6 * 1.45 / 2)), ((index["b1"],), 725_000)]


def test_objective_is_one_max_level():
    (level,) = build().objective.levels
    assert level.sense == Sense.MAXIMIZE
    assert [(t.kind, t.weight, t.tasks) for t in level.terms] == [
        (TermKind.PRESENT_VALUE, 1, None),
        (TermKind.COVERAGE_REWARD, 1, None),
        (TermKind.MODE_COST, -1, None),
    ]


def test_kv_size_of_hand_solutions():
    problem = build()
    assert kv_size(problem, keep(problem, {"a1", "a", "root"})) == 3 + 5 + 10
    assert kv_size(problem, keep(problem, {"a1", "a2", "a", "root"})) == 3 + 4 + 5 + 10
    assert kv_size(problem, keep(problem, {"a1", "b1", "a", "b", "root"})) == 3 + 2 + 5 + 7 + 10


def test_ets_objective_and_scaling_back():
    problem = build()
    solution = keep(problem, {"a1", "a2", "a", "root"})
    exact = 0.5 + 0.3 - 1.0 * 4 / 6 + 1.45 / 2 * 1
    assert ets_objective(problem, solution) == pytest.approx(exact, abs=1e-12)
    ir_value = ir_objective(problem, solution)
    assert ir_value == 800_000 + 725_000 - 4 * 166_667
    # rounding error: at most 0.5 per rounded coefficient (2 values, 4 costs, 1 reward)
    assert abs(ets_objective_from_ir(problem, ir_value) - exact) <= 7 * 0.5 / 10**6
    diverse = keep(problem, {"a1", "b1", "a", "b", "root"})
    assert ets_objective(problem, diverse) == pytest.approx(0.5 + 0.2 - 5 / 6 + 1.45, abs=1e-12)
    assert ets_objective(problem, diverse) > ets_objective(problem, solution)


def test_json_round_trip():
    problem = build(cost="tokens")
    again = problem_from_dict(json.loads(json.dumps(problem_to_dict(problem))))
    assert again == problem
    assert again.meta == problem.meta
    assert kv_size(again, keep(again, {"b1", "b", "root"})) == 19


@pytest.mark.parametrize(
    ("nodes", "leaves", "clusters", "kwargs", "pattern"),
    [
        (NODES, [3, 2], [], {}, r"node 'b' \(#2\), field 'score'"),
        (
            [*NODES[:3], TreeNode("a1", 1, 3, 0.5), TreeNode("x", 3, 1, 0.1)],
            [3, 4],
            [],
            {},
            r"node 'x'.*'parent'.*'a1'",
        ),
        ([TreeNode("r", 1, 1), TreeNode("s", 0, 1, 0.5)], [1], [], {}, r"field 'parent'.*cycle"),
        ([TreeNode("r", None, 1), TreeNode("s", 7, 1, 0.5)], [1], [], {}, r"node 's' \(#1\), field 'parent'"),
        ([TreeNode("r", None, -1), TreeNode("s", 0, 1, 0.5)], [1], [], {}, r"node 'r' \(#0\), field 'tokens'"),
        ([TreeNode("r", None, 1), TreeNode("r", 0, 1, 0.5)], [1], [], {}, r"node 'r' \(#1\), field 'name'"),
        (NODES, LEAVES, [[3, 1]], {}, r"cluster #0, field 'members'.*1 is not a leaf"),
        (NODES, LEAVES, [[3], [3, 4]], {}, r"cluster #1, field 'members'.*also in cluster #0"),
        (NODES, LEAVES, [[]], {}, r"cluster #0, field 'members'"),
        (NODES, LEAVES, [], {"cost": "bytes"}, r"kvtree, field 'cost'"),
        (NODES, LEAVES, [], {"scale": 0}, r"kvtree, field 'scale'"),
        (NODES, [], [], {}, r"kvtree, field 'leaves'"),
        (NODES, [3, 3], [], {}, r"kvtree, field 'leaves'.*twice"),
        (NODES, [3, 9], [], {}, r"kvtree, field 'leaves\[1\]'"),
    ],
)
def test_bad_input_raises_model_errors(nodes, leaves, clusters, kwargs, pattern):
    with pytest.raises(ModelError, match=pattern):
        kvtree(nodes, leaves, clusters, **kwargs)


def test_no_clusters_means_no_coverage():
    problem = kvtree(NODES, LEAVES, [])
    assert problem.coverage_groups == () and problem.meta["num_clusters"] == 0
    assert ets_objective(problem, keep(problem, {"b1", "b", "root"})) == pytest.approx(0.2 - 3 / 6)


# ------------------------------------------------------------- clustering
def unit(degrees: float) -> list[float]:
    return [math.cos(math.radians(degrees)), math.sin(math.radians(degrees))]


def test_cluster_embeddings_cut_at_threshold():
    embeddings = [unit(0), unit(3), unit(90)]  # 1 - cos 3deg = 0.0014; 90deg apart = 1.0
    assert cluster_embeddings(embeddings) == [[0, 1], [2]]
    assert cluster_embeddings(embeddings, items=[3, 4, 5]) == [[3, 4], [5]]
    assert cluster_embeddings([unit(0), unit(30)]) == [[0], [1]]  # distance 0.134 > 0.05
    assert cluster_embeddings([unit(0), unit(30)], threshold=0.2) == [[0, 1]]


def test_cluster_embeddings_uses_average_linkage():
    # d(0,14) = 0.030, d(14,30) = 0.039, d(0,30) = 0.134: single linkage would chain all three;
    # average linkage merges {0, 14}, then its mean distance to 30 is 0.086 > 0.05.
    assert cluster_embeddings([unit(0), unit(14), unit(30)]) == [[0, 1], [2]]


def test_cluster_embeddings_edge_cases():
    assert cluster_embeddings(np.zeros((0, 3))) == []
    assert cluster_embeddings([[1.0, 2.0]]) == [[0]]
    with pytest.raises(ValueError, match="row 1 is zero"):
        cluster_embeddings([[1.0, 0.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match="2-d"):
        cluster_embeddings([1.0, 2.0])
