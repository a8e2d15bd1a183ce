"""The pod-packing picture: two bars per node filled by pods, pending pods beside, the plan marked."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from schedkit.models.podpack import Bind, Eviction, Move, Node, Plan, Pod, podpack
from schedkit.plots.podpack import EVICT_EDGE, MOVE_EDGE, pods_figure, priority_colors

NODES = [Node("n1", 1000, 2000), Node("n2", 1000, 2000)]
PODS = [
    Pod("a", 500, 1000, 3, node="n1"),
    Pod("b", 250, 500, 1, node="n1"),
    Pod("c", 400, 400, 2, node="n2"),
    Pod("d", 300, 300, 2),
]
PLAN = Plan(binds=(Bind("d", "n2"),), moves=(Move("c", "n2", "n1"),), evictions=(Eviction("b", "n1"),))


def bars(figure: Figure) -> list[Rectangle]:
    return [p for p in figure.axes[0].patches if isinstance(p, Rectangle)]


def test_heights_are_requests_over_capacity_and_stack_per_node():
    figure = pods_figure(podpack(NODES, PODS))
    rects = bars(figure)
    assert len(rects) == 2 * 4  # every pod twice: cpu and memory
    heights = sorted(round(r.get_height(), 3) for r in rects)
    assert heights == sorted([0.5, 0.5, 0.25, 0.25, 0.4, 0.2, 0.3, 0.15])
    cpu_n1 = [r for r in rects if abs(r.get_x() + r.get_width() / 2 - (0 - 0.19)) < 1e-6]
    assert sum(r.get_height() for r in cpu_n1) == pytest.approx(0.75)  # a and b on n1


def test_the_plan_is_marked():
    figure = pods_figure(podpack(NODES, PODS), plan=PLAN)
    rects = bars(figure)
    hatches = sorted(r.get_hatch() or "" for r in rects)
    assert hatches.count("..") == 2 and hatches.count("//") == 2 and hatches.count("xx") == 2
    edges = {r.get_hatch(): r.get_edgecolor() for r in rects if r.get_hatch()}
    from matplotlib.colors import to_rgba

    assert edges["//"] == to_rgba(MOVE_EDGE) and edges["xx"] == to_rgba(EVICT_EDGE)
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert labels[-1].startswith("pending")


def test_writes_a_file_and_colours_by_priority(tmp_path):
    path = tmp_path / "pods.png"
    figure = pods_figure(podpack(NODES, PODS), plan=PLAN, path=path, title="plan")
    assert isinstance(figure, Figure) and path.stat().st_size > 1000
    colors = priority_colors([1, 2, 3])
    assert len(set(colors.values())) == 3


def test_unknown_node_in_a_placement():
    with pytest.raises(ValueError, match="pod 'a': unknown node 'n9'"):
        pods_figure(podpack(NODES, PODS), placement={"a": "n9"})
