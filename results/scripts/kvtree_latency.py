"""Latency of one KV-tree selection solve with 256 leaves, on the hot path (HiGHS without Pyomo).

Usage::

    python results/scripts/kvtree_latency.py [--leaves 256] [--repeats 200] [--seed 0]

A random 4-ary reasoning tree with the requested number of frontier leaves
(1 + 4 + 16 + 64 + 256 = 341 nodes for 256), random scores, random token
counts and clusters from random 16-d embeddings (ETS's cosine clustering at
0.05, with embeddings drawn around 24 centres so that clusters form). Times,
median and 95th percentile over ``--repeats`` runs:

* ``ir``: building the IR problem (``schedkit.models.kvtree.kvtree``);
* ``selection``: building the 0/1 model from the IR as arrays and solving it
  with highspy (``schedkit.solvers.lp.solve_selection``: the LP relaxation first, the
  0/1 model only when the LP optimum is fractional), capability check
  included -- the figure the issue asks for;
* ``solve_mip``: the same through the MIP backend with ``solver="highspy"``
  (adds the formulation choice);
* ``solve()``: the same through :func:`schedkit.solvers.solve`, including the checker;
* ``pyomo``: the same model built as a Pyomo model and solved by appsi_highs,
  for comparison.
Every solve must reach the same optimum.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from schedkit.models.kvtree import TreeNode, cluster_embeddings, kvtree
from schedkit.solvers import solve
from schedkit.solvers.lp import solve_selection
from schedkit.solvers.mip import solve_mip


def random_tree(leaves: int, seed: int) -> tuple[list[TreeNode], list[int], list[list[int]]]:
    """A 4-ary tree whose last level has ``leaves`` nodes, with scores, tokens and clusters."""
    rng = np.random.default_rng(seed)
    nodes = [TreeNode("root", None, int(rng.integers(20, 200)))]
    frontier = [0]
    while len(frontier) < leaves:
        nxt = []
        for parent in frontier:
            for _ in range(4):
                if len(nxt) == leaves:
                    break
                nodes.append(TreeNode(f"n{len(nodes)}", parent, int(rng.integers(20, 200))))
                nxt.append(len(nodes) - 1)
        frontier = nxt
    scores = rng.random(len(frontier))
    scores /= scores.sum()
    for position, index in enumerate(frontier):
        node = nodes[index]
        nodes[index] = TreeNode(node.name, node.parent, node.tokens, float(scores[position]))
    centres = rng.normal(size=(24, 16))
    embeddings = centres[rng.integers(0, 24, len(frontier))] + 0.05 * rng.normal(size=(len(frontier), 16))
    clusters = cluster_embeddings(embeddings, 0.05, items=frontier)
    return nodes, frontier, clusters


def main() -> None:
    """Time every step over the repeats and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaves", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    nodes, leaves, clusters = random_tree(args.leaves, args.seed)
    timings: dict[str, list[float]] = {"ir": [], "selection": [], "solve_mip": [], "solve()": [], "pyomo": []}
    objectives = set()
    problem = kvtree(nodes, leaves, clusters, cost="tokens")
    for _ in range(3):  # warm-up (imports, first HiGHS call)
        solve_mip(problem, solver="highspy")
    for k in range(args.repeats):
        t = time.perf_counter()
        problem = kvtree(nodes, leaves, clusters, cost="tokens")
        timings["ir"].append(time.perf_counter() - t)
        t = time.perf_counter()
        outcome = solve_selection(problem)
        timings["selection"].append(time.perf_counter() - t)
        objectives.add(outcome.levels[0].objective)
        t = time.perf_counter()
        outcome = solve_mip(problem, solver="highspy")
        timings["solve_mip"].append(time.perf_counter() - t)
        objectives.add(outcome.levels[0].objective)
        t = time.perf_counter()
        result = solve(problem, backend="mip", solver="highspy")
        timings["solve()"].append(time.perf_counter() - t)
        assert result.status.value == "optimal", result
        objectives.add(result.objective)
        if k < 20:
            t = time.perf_counter()
            objectives.add(solve_mip(problem).levels[0].objective)
            timings["pyomo"].append(time.perf_counter() - t)
    assert len(objectives) == 1, objectives
    print(
        f"KV-tree selection: {len(leaves)} leaves, {problem.num_tasks} tasks, {len(clusters)} clusters, "
        f"model {outcome.stats['variables']} variables x {outcome.stats['rows']} rows; optimum {objectives.pop()}; "
        f"LP relaxation integral in {outcome.stats['lp_integral_levels']} of 1 levels"
    )
    print(f"{'step':<14}{'runs':>6}{'median ms':>12}{'p95 ms':>10}")
    for step, values in timings.items():
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"{step:<14}{len(values):>6}{1000 * statistics.median(values):>12.2f}{1000 * p95:>10.2f}")


if __name__ == "__main__":
    main()
