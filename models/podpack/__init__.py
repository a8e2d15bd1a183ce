"""Kubernetes pod packing with priorities ("Priority Matters", arXiv 2511.08373).

Nodes have a CPU capacity (millicores) and a memory capacity (bytes); pods
request CPU and memory and carry an integer priority (higher = more
important). Running pods may be moved or evicted unless protected. Place pods
on nodes (or leave them pending) so that per node the summed requests fit,
lexicographically from the highest priority down: first place as many pods of
priority >= p as possible, then disturb the running ones of priority >= p as
little as possible, then the next priority.

Mapping onto the IR (``placed_i`` = task present, ``assign_ij`` = mode j):

* **node** n -> two ``bin`` resources ``<n>.cpu`` and ``<n>.mem`` with the
  node's capacities: ``sum_{i on n} cpu_i <= cpu_n`` and the same for memory;
* **pod** i -> an optional task (value 1, duration 0) with one mode per
  *eligible* node (one that can host the pod alone: ``cpu_i <= cpu_n`` and
  ``mem_i <= mem_n``), mode ``location`` = node name, demanding the pod's
  requests on that node's two bins; ``sum_j assign_ij = placed_i`` is the
  IR's "a present task runs in exactly one mode";
* a **running** pod (current node set) gets a ``reference`` on its current
  node's mode with ``move_cost`` 2 and ``evict_cost`` 1 (by default), so the
  ``disruption`` term scores stay 0, evict 1, move 2;
* a **protected** pod is pinned present on its current node;
* a pod with **no eligible node** can never be placed: it is not a task (the
  IR would reject a task without modes); it is listed in
  ``meta["unplaceable"]`` so that totals per priority stay complete;
* **objective**, for each priority p present among the tasks, from the highest
  down: a level ``placed>=p`` maximising ``present_value`` over the tasks of
  priority >= p, then a level ``disruption>=p`` minimising ``disruption`` over
  the running tasks of priority >= p (a level with an empty task set when no
  pod of priority >= p is running, so every tier has exactly two levels).

Order of the disruption levels. The default (``disruption_order="per_tier"``)
is the tier-by-tier order above (families.md): once tier p's disruption is
locked, running pods of priority >= p are never disturbed to make room for
lower tiers. The reference optima shipped with the shared benchmark
(``optimal_placed_by_priority``, ``optimal_min_disruption``) follow the other
order: all placement levels first, highest priority first, then one
disruption level over every running pod, counting moves and evictions alike.
``disruption_order="after_placement"`` with ``move_cost=1`` builds that order;
solved level by level with CP-SAT it reproduces all 7 reference optima, while
``per_tier`` places fewer low-priority pods in 5 of the 7 scenarios.

Modes of the paper's plugin (options of :func:`podpack`): ``require_pending``
(place at least one pending pod) and ``preemptor`` (this pod must be placed).

``meta`` holds ``pods`` (pod name per task), ``priorities`` (per task),
``tiers`` (priorities, highest first), ``disruption_order``, ``nodes``,
``current`` (current node per task or None), ``protected``, ``replicasets``,
``requests`` (cpu and memory per task), ``unplaceable`` (name, priority and
requests of each pod that fits no node), ``mode``, ``preemptor``,
``move_cost`` and ``evict_cost``.

Around the IR: :mod:`.state` (the cluster back from a problem, placements as
solutions), :mod:`.plan` (a plan = binds, moves and evictions against the
running placement, with JSON), :mod:`.plugin_json` (the plugin's solver JSON)
and :mod:`.scenario` (the shared benchmark's scenario format).
"""

from __future__ import annotations

from schedkit.models.podpack.builder import podpack
from schedkit.models.podpack.cluster import EVICT_COST, MOVE_COST, ModeInfeasible, Node, Pod
from schedkit.models.podpack.plan import Bind, Eviction, Move, Plan, diff
from schedkit.models.podpack.plugin_json import parse_request, plugin_output, problem_from_request, request_payload
from schedkit.models.podpack.scenario import from_scenario, to_scenario
from schedkit.models.podpack.state import (
    nodes_of,
    placement_of,
    pods_of,
    running_placement,
    running_solution,
    solution_from_placement,
)
from schedkit.models.podpack.summary import PackingSummary, compare_placed, placement, summarize

__all__ = [
    "EVICT_COST",
    "MOVE_COST",
    "Bind",
    "Eviction",
    "ModeInfeasible",
    "Move",
    "Node",
    "PackingSummary",
    "Plan",
    "Pod",
    "compare_placed",
    "diff",
    "from_scenario",
    "nodes_of",
    "parse_request",
    "placement",
    "placement_of",
    "plugin_output",
    "pods_of",
    "podpack",
    "problem_from_request",
    "request_payload",
    "running_placement",
    "running_solution",
    "solution_from_placement",
    "summarize",
    "to_scenario",
]
