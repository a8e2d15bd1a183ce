"""One entry point for the picture of a schedule: :func:`plot` picks the family's own chart.

* job shops, flexible job shops, RCPSP, tardiness and any other timed problem:
  the Gantt chart of :mod:`schedkit.plots.gantt` (bars coloured by job when
  the family records jobs, due dates marked, the objective in the title);
* pod packing: each node's cpu and memory bars filled by its pods
  (:func:`schedkit.plots.podpack.pods_figure`, from the pod-packing engineer);
* the KV tree: the tree with kept leaves, needed ancestors and pruned leaves
  marked and ETS's clusters coloured (:func:`schedkit.plots.kvtree.search_tree`,
  from the KV-tree engineer, fed by :func:`kvtree_as_search`);
* software pipelining: the steady-state kernel of
  :func:`schedkit.plots.pipelining.pipelining_figure` (from the pipelining
  engineer): units and warp groups over one II, bars coloured by iteration.

Every chart is returned as a matplotlib ``Figure`` (a notebook shows it) and
written to ``path`` when one is given. :data:`FAMILY_PLOTS` maps a family to
its chart; a family's engineer adds an entry for a new picture.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schedkit.models import ProblemData, Solution

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Chart = Callable[[ProblemData, Solution, "str | Path | None", "str | None"], "Figure"]
"""``(problem, solution, path, title) -> Figure``: a family's chart."""


def _gantt(problem: ProblemData, solution: Solution, path: str | Path | None, title: str | None) -> Figure:
    from schedkit.plots.gantt import gantt

    return gantt(problem, solution, path, title=title)


def _podpack(problem: ProblemData, solution: Solution, path: str | Path | None, title: str | None) -> Figure:
    from schedkit.models.podpack import diff, placement_of, running_placement
    from schedkit.plots.podpack import pods_figure

    if len(solution.tasks) != problem.num_tasks:
        raise ValueError(f"the solution has {len(solution.tasks)} tasks, the problem has {problem.num_tasks}")
    if title is None:
        title = f"{problem.name or 'pod packing'}: {_objective(problem, solution)}"
    placement = placement_of(problem, solution)
    plan = diff(running_placement(problem), placement)  # binds, moves and evictions marked
    return pods_figure(problem, placement, plan=plan, path=path, title=title)


@dataclass
class SelectionTree:
    """A KV-tree selection in the shape :func:`schedkit.plots.kvtree.search_tree` draws (a searched tree).

    ``nodes`` are the problem's tasks re-ordered root first (node ``id`` =
    position); ``expanded`` holds the ancestors the selection needs (kept
    leaves below them), ``kept`` the kept leaves, ``pruned`` every other
    node, ``cluster`` a ``"0:k"`` label per clustered leaf; ``task_of_node``
    maps back to task indices.
    """

    nodes: list[Any]
    task_of_node: list[int]
    expanded: set[int] = field(default_factory=set)
    kept: set[int] = field(default_factory=set)
    pruned: set[int] = field(default_factory=set)
    cluster: dict[int, str] = field(default_factory=dict)


def kvtree_as_search(problem: ProblemData, solution: Solution) -> SelectionTree:
    """The selection of a KV-tree problem as a searched tree (see :class:`SelectionTree`)."""
    from schedkit.models.kvtree import SearchNode

    meta = problem.meta
    parent: list[int | None] = meta["parent"]
    if len(solution.tasks) != problem.num_tasks:
        raise ValueError(f"the solution has {len(solution.tasks)} tasks, the problem has {problem.num_tasks}")
    children: list[list[int]] = [[] for _ in range(problem.num_tasks)]
    roots = []
    for task, above in enumerate(parent):
        if above is None:
            roots.append(task)
        else:
            children[above].append(task)
    order: list[int] = []
    depth_of: dict[int, int] = {}
    queue = [(root, 0) for root in roots]
    while queue:
        task, depth = queue.pop(0)
        order.append(task)
        depth_of[task] = depth
        queue.extend((child, depth + 1) for child in children[task])
    node_of = {task: node for node, task in enumerate(order)}
    tokens = meta.get("tokens") or [0] * problem.num_tasks
    scores = meta.get("scores") or [0.0] * problem.num_tasks
    nodes = [
        SearchNode(
            id=node,
            parent=None if (above := parent[task]) is None else node_of[above],
            depth=depth_of[task],
            text=problem.tasks[task].name,
            tokens=int(tokens[task]),
            cum_tokens=int(tokens[task]),
            score=float(scores[task]),
        )
        for node, task in enumerate(order)
    ]
    tree = SelectionTree(nodes, order)
    leaves = set(meta.get("leaves", []))
    for node, task in enumerate(order):
        present = solution.tasks[task].present
        if present and task in leaves:
            tree.kept.add(node)
        elif present:
            tree.expanded.add(node)
        else:
            tree.pruned.add(node)
    for k, group in enumerate(meta.get("clusters", [])):
        for task in group:
            tree.cluster[node_of[task]] = f"0:{k}"
    return tree


def _kvtree(problem: ProblemData, solution: Solution, path: str | Path | None, title: str | None) -> Figure:
    from schedkit.models.kvtree import kv_size
    from schedkit.plots.kvtree import search_tree

    tree = kvtree_as_search(problem, solution)
    if title is None:
        kept = len(tree.kept)
        leaves = len(problem.meta.get("leaves", []))
        title = (
            f"{problem.name or 'KV tree'}: {_objective(problem, solution)}; kept {kept} of {leaves} leaves "
            f"(hollow), needed ancestors filled, pruned crossed; KV {kv_size(problem, solution)} tokens"
        )
    return search_tree(tree, path, title=title)


def _pipelining(problem: ProblemData, solution: Solution, path: str | Path | None, title: str | None) -> Figure:
    from schedkit.plots.pipelining import pipelining_figure

    if problem.cycle is None or solution.ii is None:  # an acyclic pipelining problem: one iteration as a Gantt
        return _gantt(problem, solution, path, title)
    return pipelining_figure(problem, solution, path=path, title=title)


def _objective(problem: ProblemData, solution: Solution) -> str:
    """The objective the checker computes, by level name and in the family's units."""
    from schedkit.models.objective_display import objective_text
    from schedkit.solvers.checker import check, evaluate

    if check(problem, solution):
        return "schedule rejected by the checker"
    values = evaluate(problem, solution)
    if len(values) == 1:
        from schedkit.models.objective_display import level_names

        return f"{level_names(problem)[0]} {objective_text(problem, values, solution)}"
    return objective_text(problem, values, solution)


FAMILY_PLOTS: dict[str, Chart] = {"podpack": _podpack, "kvtree": _kvtree, "pipelining": _pipelining}
"""Family -> its chart; any other family gets the Gantt chart."""


def plot(problem: ProblemData, solution: Solution, path: str | Path | None = None, title: str | None = None) -> Figure:
    """The picture of ``solution`` for ``problem`` (see the module docstring); written to ``path`` when given.

    Raises ``ValueError`` when the solution does not fit the problem.
    """
    chart = FAMILY_PLOTS.get(problem.family or "", _gantt)
    return chart(problem, solution, path, title)


__all__ = ["FAMILY_PLOTS", "SelectionTree", "kvtree_as_search", "plot"]
