"""The seeded random instances of tests/random_families.py: deterministic, varied, small and feasible.

For every family and seeds 0..59: the instance builds through its family
builder with an explicit horizon, the same seed gives the same problem, the
generator's witness passes the checker, and CP-SAT solves it to optimality
with a schedule the checker accepts. Per family: seeds give different
problems, sizes stay in the promised ranges (printed as a summary line, see
``pytest -rP``), and every feature the generator promises shows up.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from schedkit.models import ProblemData, ResourceKind
from schedkit.solvers import Status, check, solve
from tests.random_families import FAMILIES, features, random_instance, size_stats, witness

SEEDS = range(60)


def _cases() -> list:
    return [pytest.param(family, seed, id=f"{family}-{seed}") for family in FAMILIES for seed in SEEDS]


@pytest.mark.parametrize(("family", "seed"), _cases())
def test_builds_deterministically_with_a_feasible_witness(family: str, seed: int) -> None:
    problem = random_instance(family, seed)
    assert problem.family == family
    assert problem.horizon is not None
    again = random_instance(family, seed)
    assert problem == again
    assert problem.meta == again.meta
    assert problem.meta["generator"]["seed"] == seed
    assert check(problem, witness(problem)) == []


@pytest.mark.parametrize(("family", "seed"), _cases())
def test_cpsat_solves_to_optimality(family: str, seed: int) -> None:
    problem = random_instance(family, seed)
    result = solve(problem, time_limit=5, threads=1)
    assert result.status == Status.OPTIMAL, (result, result.message)
    assert check(problem, result.solution) == []


def _anonymous(problem: ProblemData) -> ProblemData:
    """The problem without its name (which contains the seed)."""
    return dataclasses.replace(problem, name="")


@pytest.mark.parametrize("family", FAMILIES)
def test_seeds_give_different_problems(family: str) -> None:
    problems = [_anonymous(random_instance(family, seed)) for seed in SEEDS]
    assert len(set(problems)) >= len(problems) - 2


def _max_duration(problem: ProblemData) -> int:
    return max(mode.duration for task in problem.tasks for mode in task.modes)


def _kinds(problem: ProblemData, kind: ResourceKind) -> int:
    return len(problem.resources_of_kind(kind))


def _family_sizes(problem: ProblemData) -> dict[str, int]:
    """The family-level sizes the generator promises (on top of :func:`size_stats`)."""
    meta = problem.meta
    family = problem.family
    if family == "rcpsp":
        return {"renewable": _kinds(problem, ResourceKind.RENEWABLE), "max_duration": _max_duration(problem)}
    if family == "tardiness":
        return {"max_duration": _max_duration(problem)}
    if family == "jobshop":
        ops = [len(job) for job in meta["jobs"]]
        return {"jobs": meta["num_jobs"], "ops_per_job": max(ops), "max_duration": _max_duration(problem)}
    if family == "fjsp":
        ops = [len(job) for job in meta["jobs"]]
        return {
            "jobs": meta["num_jobs"],
            "machines": meta["num_machines"],
            "ops_per_job": max(ops),
            "min_ops_per_job": min(ops),
            "max_duration": _max_duration(problem),
        }
    if family == "pipelining":
        return {"units": _kinds(problem, ResourceKind.MODULO), "warp_groups": len(meta["warp_groups"])}
    if family == "podpack":
        return {"nodes": len(meta["nodes"]), "pods": len(meta["pods"]) + len(meta["unplaceable"])}
    if family == "kvtree":
        return {"leaves": len(meta["leaves"]), "clusters": meta["num_clusters"]}
    raise AssertionError(family)


SIZE_LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    "rcpsp": {"tasks": (4, 7), "renewable": (1, 2), "max_duration": (1, 4), "modes": (4, 21), "horizon": (1, 40)},
    "tardiness": {"tasks": (4, 7), "max_duration": (1, 5), "horizon": (4, 60)},
    "jobshop": {"jobs": (2, 3), "resources": (2, 4), "ops_per_job": (1, 3), "max_duration": (1, 5), "horizon": (2, 50)},
    "fjsp": {
        "jobs": (2, 3),
        "machines": (2, 3),
        "ops_per_job": (2, 3),
        "min_ops_per_job": (2, 3),
        "max_duration": (1, 5),
        "horizon": (4, 50),
    },
    "pipelining": {"tasks": (2, 4), "units": (1, 2), "warp_groups": (1, 2), "horizon": (1, 40), "ii_range": (1, 16)},
    "podpack": {"nodes": (2, 3), "pods": (3, 6), "tasks": (2, 6), "horizon": (0, 0), "levels": (3, 4)},
    "kvtree": {"tasks": (4, 12), "leaves": (3, 6), "clusters": (1, 3), "horizon": (0, 0)},
}
"""Per family, the inclusive range of each size over all seeds."""


@pytest.mark.parametrize("family", FAMILIES)
def test_sizes_stay_small(family: str, record_property: pytest.RecordProperty) -> None:
    spans: dict[str, list[int]] = {}
    for seed in SEEDS:
        problem = random_instance(family, seed)
        for key, value in {**size_stats(problem), **_family_sizes(problem)}.items():
            spans.setdefault(key, []).append(value)
    summary = {key: (min(values), max(values)) for key, values in spans.items()}
    print(f"{family}: " + ", ".join(f"{key} {low}-{high}" for key, (low, high) in summary.items()))
    record_property("sizes", summary)
    for key, (low, high) in SIZE_LIMITS[family].items():
        assert low <= summary[key][0] and summary[key][1] <= high, (key, summary[key], (low, high))


REQUIRED_FEATURES: dict[str, tuple[str, ...]] = {
    "rcpsp": (
        "multi_mode",
        "consumable",
        "calendar",
        "downtime",
        "reduced_capacity",
        "release",
        "deadline",
        "positive_lag",
        "negative_lag",
        "max_lag",
        "cyclic_precedences",
        "lag_only_arc",
        "disjunctive",
    ),
    "tardiness": ("due_date", "weights", "zero_weight", "unweighted", "release"),
    "jobshop": ("release", "partial", "recirculation", "idle_machine"),
    "fjsp": ("multi_mode", "locations"),
    "pipelining": (
        "cycle",
        "modulo",
        "bin",
        "multi_mode",
        "loop_carried",
        "self_loop",
        "distance2",
        "reservation_offset",
        "reservation_table",
        "zero_duration",
        "transfer_lag",
        "producer",
        "producer_listed",
        "warp_restriction",
        "register_ineligible",
        "explicit_ii_max",
    ),
    "podpack": (
        "optional",
        "reference",
        "pin",
        "protected",
        "unplaceable",
        "overcommitted",
        "after_placement",
        "custom_costs",
        "memory_bytes",
    ),
    "kvtree": (
        "implication",
        "selection",
        "coverage",
        "unclustered_leaf",
        "unused_nodes",
        "cost_nodes",
        "cost_tokens",
        "normalized_scores",
    ),
}
"""Per family, the features (see ``random_families.features``) that must appear in some seeds."""


@pytest.mark.parametrize("family", FAMILIES)
def test_features_are_covered_across_seeds(family: str) -> None:
    counts = Counter(name for seed in SEEDS for name in features(random_instance(family, seed)))
    print(f"{family}: " + ", ".join(f"{name} {count}" for name, count in sorted(counts.items())))
    rare = {name: counts[name] for name in REQUIRED_FEATURES[family] if counts[name] < 2}
    assert not rare, f"features in fewer than 2 of {len(SEEDS)} seeds: {rare}"
    if family == "pipelining":
        assert counts["loop_carried"] >= 0.75 * len(SEEDS)


def test_unknown_family_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown family"):
        random_instance("openshop", 0)
