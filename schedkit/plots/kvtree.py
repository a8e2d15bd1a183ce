"""The tree of a reward-guided search after it ran: kept and pruned nodes marked, ETS's clusters coloured.

:func:`search_tree` lays the tree out left to right (x = depth; the leaves of
the tree take successive rows, a parent sits at the mean row of its children)
and marks each node by what the search did with it:

* filled circle: expanded (received children); hollow circle: kept by the
  selection but given no child (ETS can do that); cross: pruned (a candidate
  that received no child);
* star: a finished trajectory, green when its answer is correct, red when
  wrong, grey when ungraded; square: truncated at the token cap; small dot:
  generated at the last depth and never selected from;
* candidates ETS clustered are coloured by cluster (the palette restarts at
  each depth: colours compare nodes of one depth only); others are dark grey.

Edges into pruned subtrees are drawn lighter. Matplotlib is imported inside the
function, and the figure is built without pyplot's global state.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from schedkit.plots.colors import mode_color

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NEUTRAL = "#444444"
"""Colour of nodes without a cluster."""

CORRECT, WRONG, UNGRADED = "#2ca02c", "#d62728", "#999999"
"""Colours of finished trajectories."""


def layout(result: Any) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates x (depth) and y (row) of every node: tree leaves on successive rows, parents centred."""
    nodes = result.nodes
    children: list[list[int]] = [[] for _ in nodes]
    for node in nodes[1:]:
        children[node.parent].append(node.id)
    x = np.array([node.depth for node in nodes], dtype=float)
    y = np.zeros(len(nodes))
    row = 0
    order: list[int] = []
    stack = [0]
    while stack:  # depth-first, children in creation order
        node = stack.pop()
        order.append(node)
        stack.extend(reversed(children[node]))
    for node in order:
        if not children[node]:
            y[node] = row
            row += 1
    for node in reversed(order):
        if children[node]:
            y[node] = float(np.mean([y[c] for c in children[node]]))
    return x, y


def _cluster_color(label: str | None) -> str:
    if label is None:
        return NEUTRAL
    return mode_color(int(label.split(":")[1]))


def search_tree(result: Any, path: str | Path | None = None, title: str | None = None) -> Figure:
    """Draw the searched tree of a :class:`~schedkit.solvers.methods.tree_search.SearchResult`.

    Returns the matplotlib ``Figure``; writes it to ``path`` too when given
    (format from the extension). ``title`` defaults to the method, width,
    answers, vote and KV total.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    nodes = result.nodes
    x, y = layout(result)
    rows = int(y.max()) + 1 if len(nodes) else 1
    figure = Figure(figsize=(11.0, float(np.clip(0.045 * rows + 1.5, 4.0, 30.0))))
    axes = figure.add_subplot(1, 1, 1)
    pruned_below = _pruned_subtrees(result)
    segments = [[(x[n.parent], y[n.parent]), (x[n.id], y[n.id])] for n in nodes[1:]]
    edge_colors = ["#dddddd" if n.id in pruned_below else "#9a9a9a" for n in nodes[1:]]
    axes.add_collection(LineCollection(segments, colors=edge_colors, linewidths=0.6, zorder=1))
    groups: dict[str, list[int]] = {"expanded": [], "kept": [], "pruned": [], "finished": [], "truncated": []}
    groups["other"] = []
    for node in nodes:
        if node.finished:
            groups["finished"].append(node.id)
        elif node.truncated:
            groups["truncated"].append(node.id)
        elif node.id in result.expanded:
            groups["expanded"].append(node.id)
        elif node.id in result.kept:
            groups["kept"].append(node.id)
        elif node.id in result.pruned:
            groups["pruned"].append(node.id)
        else:
            groups["other"].append(node.id)
    colors = [_cluster_color(result.cluster.get(node.id)) for node in nodes]
    size = float(np.clip(1800.0 / max(rows, 1), 6.0, 60.0))
    ids = np.array(groups["expanded"], dtype=int)
    axes.scatter(x[ids], y[ids], s=size, c=[colors[i] for i in ids], marker="o", zorder=3)
    ids = np.array(groups["kept"], dtype=int)
    axes.scatter(x[ids], y[ids], s=size, facecolors="none", edgecolors=[colors[i] for i in ids], zorder=3)
    ids = np.array(groups["pruned"], dtype=int)
    axes.scatter(x[ids], y[ids], s=size, c=[colors[i] for i in ids], marker="x", linewidths=1.0, zorder=3)
    ids = np.array(groups["finished"], dtype=int)
    grades = [CORRECT if nodes[i].correct else (WRONG if nodes[i].correct is False else UNGRADED) for i in ids]
    axes.scatter(x[ids], y[ids], s=1.8 * size, c=grades, marker="*", zorder=4)
    ids = np.array(groups["truncated"], dtype=int)
    axes.scatter(x[ids], y[ids], s=size, c=UNGRADED, marker="s", zorder=3)
    ids = np.array(groups["other"], dtype=int)
    axes.scatter(x[ids], y[ids], s=size / 3, c=UNGRADED, marker=".", zorder=2)
    axes.set_xlabel("depth")
    axes.set_yticks([])
    axes.set_xlim(-0.5, float(x.max()) + 0.5 if len(nodes) else 0.5)
    axes.set_ylim(-1, rows)
    axes.invert_yaxis()
    handles = [
        Line2D([], [], marker="o", ls="", color=NEUTRAL, label="expanded"),
        Line2D([], [], marker="o", ls="", markerfacecolor="none", color=NEUTRAL, label="kept, no child"),
        Line2D([], [], marker="x", ls="", color=NEUTRAL, label="pruned"),
        Line2D([], [], marker="*", ls="", color=CORRECT, label="answer, correct"),
        Line2D([], [], marker="*", ls="", color=WRONG, label="answer, wrong"),
        Line2D([], [], marker="s", ls="", color=UNGRADED, label="truncated"),
    ]
    axes.legend(handles=handles, loc="upper right", fontsize="small", framealpha=0.9)
    axes.set_title(title if title is not None else _default_title(result), fontsize="medium")
    figure.tight_layout()
    if path is not None:
        figure.savefig(path, dpi=100)
    return figure


def _pruned_subtrees(result: Any) -> set[int]:
    """Nodes whose parent is a pruned node or lies in a pruned subtree (drawn lighter)."""
    nodes = result.nodes
    marked: set[int] = set()
    for node in nodes[1:]:
        if node.parent in result.pruned or node.parent in marked:
            marked.add(node.id)
    return marked


def _default_title(result: Any) -> str:
    vote = result.weighted_vote()
    verdict = (
        "no answer"
        if vote.answer is None
        else f"vote {vote.answer!r}" + ("" if vote.correct is None else (" (correct)" if vote.correct else " (wrong)"))
    )
    clustered = " -- colours: ETS clusters per depth" if result.cluster else ""
    return (
        f"{result.method}, N = {result.width}: {len(result.answers)} answers, {verdict}; "
        f"KV total {result.total_kv}, peak {result.peak_kv} tokens{clustered}"
    )
