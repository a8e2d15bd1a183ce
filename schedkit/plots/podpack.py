"""Pod packing pictures: each node's cpu and memory as two bars filled by pods, pending pods beside, the plan marked.

:func:`pods_figure` draws, for every node, two bars side by side, ``cpu`` and
``mem``, each the node's capacity scaled to 1 and filled bottom-up by the
requests of the pods placed on it (one segment per pod, coloured by
priority: darker = higher); then a ``pending`` group with the requests of the
pods left pending, scaled by the first node's capacity. With a plan (or a
placement to compare against the running one):

* pods the plan **binds** (pending before) are hatched ``..``;
* pods the plan **moves** onto a node are hatched ``//`` and outlined in
  the move colour, with the source node written on the segment when it fits;
* pods the plan **evicts** sit in the pending group, hatched ``xx`` and outlined in red.

Returns the matplotlib Figure (no pyplot state); writes it when ``path`` is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from schedkit.models import ProblemData
from schedkit.models.podpack import nodes_of, pods_of, running_placement

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from schedkit.models.podpack import Plan, Pod

MOVE_EDGE = "#1f77b4"
"""Outline of a pod the plan moves."""
EVICT_EDGE = "#d62728"
"""Outline of a pod the plan evicts."""
BAR_WIDTH = 0.38
"""Width of one bar (two per node)."""


def priority_colors(priorities: list[int]) -> dict[int, str]:
    """A colour per priority: a sequential blue-purple ramp, darker for higher priorities."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    ordered = sorted(set(priorities))
    ramp = colormaps["viridis_r"]
    n = max(1, len(ordered) - 1)
    return {p: to_hex(ramp(0.15 + 0.75 * k / n)) for k, p in enumerate(ordered)}


def pods_figure(
    problem: ProblemData,
    placement: Mapping[str, str | None] | None = None,
    plan: Plan | None = None,
    path: str | Path | None = None,
    title: str | None = None,
) -> Figure:
    """Draw ``placement`` (default: the plan applied to the running placement, or the running one).

    ``plan`` marks binds, moves and evictions relative to the problem's
    running placement. Raises ``ValueError`` for a problem that is not pod
    packing or a placement naming an unknown node.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    nodes = nodes_of(problem)
    running = running_placement(problem)
    if placement is None:
        placement = plan.apply(running) if plan is not None else running
    node_names = [n.name for n in nodes]
    for pod_name, node in placement.items():
        if node is not None and node not in node_names:
            raise ValueError(f"pod '{pod_name}': unknown node {node!r}")
    pods = pods_of(problem, placement)
    colors = priority_colors([p.priority for p in pods])
    binds = {b.pod for b in plan.binds} if plan else set()
    moves = {m.pod: m.source for m in plan.moves} if plan else {}
    evictions = {e.pod for e in plan.evictions} if plan else set()

    groups: dict[str, list[Pod]] = {name: [] for name in node_names}
    pending: list[Pod] = []
    for pod in pods:
        (groups[pod.node] if pod.node is not None else pending).append(pod)
    scale = {n.name: (max(1, n.cpu), max(1, n.memory)) for n in nodes}
    pending_scale = (max(1, nodes[0].cpu), max(1, nodes[0].memory)) if nodes else (1, 1)

    width = min(26.0, 3.5 + 1.25 * (len(nodes) + 1))
    figure = Figure(figsize=(width, 4.8))
    ax = figure.add_subplot()
    labels = []
    for x, name in enumerate([*node_names, "pending"]):
        members = sorted(groups[name] if name != "pending" else pending, key=lambda p: (-p.priority, p.name))
        cap = scale[name] if name != "pending" else pending_scale
        for offset, resource in ((-BAR_WIDTH / 2, 0), (BAR_WIDTH / 2, 1)):
            bottom = 0.0
            for pod in members:
                height = (pod.cpu if resource == 0 else pod.memory) / cap[resource]
                hatch, edge, line = None, "#333333", 0.5
                if pod.name in binds:
                    hatch = ".."
                elif pod.name in moves:
                    hatch, edge, line = "//", MOVE_EDGE, 1.6
                elif pod.name in evictions:
                    hatch, edge, line = "xx", EVICT_EDGE, 1.6
                ax.bar(
                    x + offset,
                    height,
                    BAR_WIDTH * 0.95,
                    bottom=bottom,
                    color=colors[pod.priority],
                    edgecolor=edge,
                    linewidth=line,
                    hatch=hatch,
                )
                if pod.name in moves and resource == 0 and height > 0.08 and len(nodes) <= 16:
                    ax.text(
                        x + offset,
                        bottom + height / 2,
                        f"from\n{moves[pod.name]}",
                        ha="center",
                        va="center",
                        fontsize=6,
                    )
                bottom += height
        labels.append(f"{name}\ncpu | mem")
        if name != "pending":
            ax.plot([x - BAR_WIDTH, x + BAR_WIDTH], [1, 1], color="#d62728", linewidth=1)
    ax.set_xticks(range(len(labels)), labels, fontsize=7 if len(nodes) > 8 else 9)
    ax.set_ylabel("share of node capacity")
    ax.set_xlim(-0.6, len(labels) - 0.4)
    handles = [
        Patch(facecolor=colors[p], edgecolor="#333333", label=f"priority {p}") for p in sorted(colors, reverse=True)
    ]
    if plan is not None:
        handles += [
            Patch(facecolor="white", edgecolor="#333333", hatch="..", label="bound by the plan"),
            Patch(facecolor="white", edgecolor=MOVE_EDGE, hatch="//", label="moved by the plan"),
            Patch(facecolor="white", edgecolor=EVICT_EDGE, hatch="xx", label="evicted by the plan"),
        ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ax.set_title(title or problem.name or "pod packing", fontsize=10)
    figure.tight_layout()
    if path is not None:
        figure.savefig(path, dpi=100)
    return figure
