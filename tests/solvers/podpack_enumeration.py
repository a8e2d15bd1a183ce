"""Exhaustive enumeration of tiny pod-packing problems: every placement the checker accepts, with its vector.

The reference for the optimizer and certificate tests: independent of every
backend, it lists all placements (each pod pending or on one of its eligible
nodes), keeps those the checker accepts and scores them with the checker's
``evaluate``. Levels compare lexicographically in their own senses.
"""

from __future__ import annotations

import itertools
import random

from schedkit.heuristics.podpack import kube_default
from schedkit.models import ProblemData, Sense, Solution, TaskAssignment
from schedkit.models.podpack import Node, Pod, podpack
from schedkit.solvers.checker import evaluate, is_feasible


def key(problem: ProblemData, values: tuple[int, ...]) -> tuple[int, ...]:
    """Sort key of an objective vector: smaller is better (maximised levels negated)."""
    return tuple(-v if level.sense == Sense.MAXIMIZE else v for v, level in zip(values, problem.objective.levels))


def feasible_placements(problem: ProblemData, limit: int = 50_000) -> list[tuple[tuple[int, ...], Solution]]:
    """Every feasible solution with its objective vector."""
    options = [
        [TaskAssignment(False, None, None)] + [TaskAssignment(True, m, 0) for m in range(len(task.modes))]
        for task in problem.tasks
    ]
    size = 1
    for opts in options:
        size *= len(opts)
    assert size <= limit, f"{size} placements: keep enumeration instances tiny"
    out = []
    for combo in itertools.product(*options):
        solution = Solution(tuple(combo))
        if is_feasible(problem, solution):
            out.append((evaluate(problem, solution), solution))
    return out


def optimum(problem: ProblemData) -> tuple[int, ...]:
    """The lexicographic optimum vector."""
    return min((values for values, _ in feasible_placements(problem)), key=lambda v: key(problem, v))


def random_cluster(rng: random.Random, num_nodes: int = 2, num_pods: int = 5) -> tuple[list[Node], list[Pod]]:
    """A small cluster placed by the emulated default scheduler (pods arrive one by one, in random order)."""
    cpu, mem = rng.randint(600, 1200), rng.randint(600, 1200)
    nodes = [Node(f"n{j}", cpu, mem) for j in range(1, num_nodes + 1)]
    pods = [Pod(f"p{i}", rng.randint(100, 600), rng.randint(100, 600), rng.randint(1, 3)) for i in range(num_pods)]
    outcome = kube_default(nodes, pods, arrivals="one", preemption=rng.random() < 0.5)
    return nodes, outcome.running_pods(pods)


def random_problem(seed: int, disruption_order: str = "per_tier") -> ProblemData:
    """:func:`random_cluster` as a problem in the given level order."""
    rng = random.Random(seed)
    nodes, pods = random_cluster(rng, rng.choice([2, 3]), rng.choice([4, 5]))
    move_cost = 2 if disruption_order == "per_tier" else 1
    return podpack(nodes, pods, name=f"random{seed}", disruption_order=disruption_order, move_cost=move_cost)
