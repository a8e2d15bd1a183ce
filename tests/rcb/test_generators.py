"""The R-ConstraintBench generators: feasible by construction (the witness passes the checker), k exact, axes drawn."""

from __future__ import annotations

import pytest

from schedkit.instances.generators.rcb import AXES, migration_instance, rcb_instance, rcb_ramp
from schedkit.models import Solution
from schedkit.solvers import check


def _implied(edges: list[tuple[int, int]], u: int, v: int) -> bool:
    """Whether a path u ~> v exists over ``edges``."""
    successors: dict[int, list[int]] = {}
    for a, b in edges:
        successors.setdefault(a, []).append(b)
    stack, seen = [u], {u}
    while stack:
        x = stack.pop()
        for y in successors.get(x, []):
            if y == v:
                return True
            if y not in seen:
                seen.add(y)
                stack.append(y)
    return False


def test_ramp_is_feasible_and_k_is_exact() -> None:
    levels = [0, 1, 5, 12, 25, 40]
    problems = rcb_ramp(levels, per_level=3, seed=7)
    assert [p.meta["rcb"]["level"] for p in problems] == [k for k in levels for _ in range(3)]
    for problem in problems:
        k = problem.meta["rcb"]["level"]
        assert problem.objective.levels == ()  # feasibility only
        witness = Solution.from_lists(problem.meta["witness_starts"])
        assert check(problem, witness) == [], problem.name
        arcs = [tuple(arc) for arc in problem.meta["difficulty_arcs"]]
        assert len(arcs) == k and len(problem.precedences) == k  # density 0: the k edges are all there is
        assert {(p.a, p.b) for p in problem.precedences} == set(arcs)
        for i, (u, v) in enumerate(arcs):  # each edge was new when added
            assert not _implied(arcs[:i], u, v), (problem.name, i)
        layers = problem.meta["layers"]
        assert all(layers[u] < layers[v] for u, v in arcs)


def test_instances_are_reproducible_and_distinct() -> None:
    a = rcb_ramp([3], per_level=2, seed=1)
    b = rcb_ramp([3], per_level=2, seed=1)
    assert a == b and a[0] != a[1]


@pytest.mark.parametrize("probability", [0.0, 1.0])
def test_axis_probabilities_switch_axes(probability: float) -> None:
    problems = [rcb_instance(4, seed, axis_probability=probability) for seed in range(5)]
    for problem in problems:
        assert problem.meta["rcb"]["axes"] == {axis: probability == 1.0 for axis in AXES}
        counts = problem.meta["rcb"]["constraints"]
        if probability == 0.0:
            assert counts["downtime_windows"] == counts["time_windows"] == counts["disjunctive_pairs"] == 0
        else:
            assert counts["downtime_windows"] == 3  # intensity 1: one window per resource
    only_windows = rcb_instance(2, 0, axis_probability={"downtime": 0.0, "windows": 1.0, "disjunctive": 0.0})
    assert only_windows.meta["rcb"]["axes"] == {"downtime": False, "windows": True, "disjunctive": False}
    with pytest.raises(ValueError, match="unknown constraint axes"):
        rcb_instance(1, 0, axis_probability={"weather": 0.5})


def test_migration_is_feasible_with_exact_dependencies() -> None:
    for seed in range(6):
        problem = migration_instance(seed, seed=seed, axis_probability=1.0)
        assert check(problem, Solution.from_lists(problem.meta["witness_starts"])) == []
        servers = problem.meta["servers"]
        cross = [p for p in problem.precedences if problem.tasks[p.a].name[5:] != problem.tasks[p.b].name[5:]]
        assert len(cross) == seed == len(problem.meta["dependency_arcs"])
        assert len(problem.precedences) == seed + len(servers)  # plus sync -> move of every server
        for p in cross:
            assert problem.tasks[p.a].name.startswith("move_") and problem.tasks[p.b].name.startswith("sync_")
        for pair in problem.disjunctive_pairs:
            assert problem.tasks[pair.a].name.startswith("move_") and problem.tasks[pair.b].name.startswith("move_")
        names = {res.name for res in problem.resources}
        assert {"network", "crew", "rack_A"} <= names
    with pytest.raises(ValueError, match="too many"):
        migration_instance(500, seed=0, num_servers=4)
