"""R-ConstraintBench instances: feasibility-only RCPSPs on a difficulty ramp, and a data-centre migration variant.

R-ConstraintBench (Jain & Wetter, arXiv 2508.15204, 2025) asks a model for a
*feasible* schedule (no objective) of RCPSP instances whose difficulty level
k is the number of non-redundant precedence edges of a layered DAG, with
further constraint axes switched on at random. Its code and data are not
public; what is built here follows the published description, and every
choice the description leaves open is stated.

Synthetic ramp (:func:`rcb_instance`, :func:`rcb_ramp`). Level k is
:func:`schedkit.instances.generators.rcpsp.layered_rcpsp` with ``density=0``
and ``difficulty=k``: exactly k edges, each drawn between two layers and
accepted only when no path already implies it. Each instance then switches
each constraint axis on independently with that axis's probability
(``axis_probability``, default 0.75 for each, the value the benchmark's
summaries cite), so the paper's ablations (an axis always off or always on)
are reruns with other probabilities. When an axis is on:

* ``downtime``: each resource gets one downtime window (capacity 0) with
  probability ``downtime_intensity`` (default 1.0);
* ``windows``: each activity gets a release/deadline window with probability
  ``window_intensity`` (default 0.5), the deadline at most
  ``window_slack`` (10%) of the witness makespan after the witness end;
* ``disjunctive``: each activity gets a partner it may not overlap with
  probability ``disjunctive_intensity`` (default 0.3).

Instances are feasible by construction: the layered generator draws downtime
first, builds a witness schedule, and draws windows and disjunctive pairs
around it (``problem.meta["witness_starts"]``). The objective is removed
(``Objective()``, no levels: a feasibility problem). Which axes were drawn
and how many constraints each produced are in ``problem.meta["rcb"]``.
Instances of the same ramp level differ by seed only; two levels are
independent draws (level k + 1 is *not* level k plus one edge, since the
windows of a level are drawn around its own witness).

Data-centre migration (:func:`migration_instance`), the domain-grounded
variant. Servers move from an old hall to racks of a new one. Each server s
has two tasks: ``sync_s`` copies its data over the inter-site link (a
renewable resource ``network``, capacity in Gbps, the sync using a share
for its duration) and ``move_s`` powers it down, moves it and boots it in
its target rack (using one of the ``crew`` technician teams and one install
slot of the rack; ``rack_X`` has capacity 1 or 2 installs at a time), with
``sync_s`` before ``move_s``. Servers come in tiers (databases, then
application servers, then web servers, then more tiers if asked); the
difficulty k is the number of non-redundant cross-tier *dependencies*
"server a is in place before server b starts syncing" (``move_a`` before
``sync_b``), drawn as in the ramp. The axes become:

* ``downtime``: maintenance windows of the link or of racks (capacity 0);
* ``windows``: approved change windows for a server's move (release/deadline);
* ``disjunctive``: replicas that must not be down at the same time (their
  moves may not overlap), preferably servers of the same tier.

Time is in hours from the start of the migration. The same witness
construction guarantees feasibility.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np

from schedkit.instances.generators._common import check_positive, check_probability
from schedkit.instances.generators.rcpsp import _add_difficulty_arcs, _layers, _reach, _witness, layered_rcpsp
from schedkit.models import Model, Objective, ProblemData

__all__ = [
    "AXES",
    "DEFAULT_AXIS_PROBABILITY",
    "axis_probabilities",
    "feasibility_only",
    "instance_seed",
    "migration_instance",
    "rcb_instance",
    "rcb_ramp",
]

AXES: tuple[str, ...] = ("downtime", "windows", "disjunctive")
"""The constraint axes switched on per instance."""

DEFAULT_AXIS_PROBABILITY = 0.75
"""Probability of each axis (the value the benchmark's summaries cite)."""

TIERS: tuple[str, ...] = ("db", "app", "web", "cache", "batch", "edge")
"""Server roles of the migration variant, by tier."""


def axis_probabilities(value: float | Mapping[str, float]) -> dict[str, float]:
    """One probability per axis from a number (every axis) or a mapping (missing axes: the default)."""
    if isinstance(value, Mapping):
        unknown = sorted(set(value) - set(AXES))
        if unknown:
            raise ValueError(f"unknown constraint axes {unknown}; the axes are {', '.join(AXES)}")
        return {
            axis: check_probability(f"{axis} probability", value.get(axis, DEFAULT_AXIS_PROBABILITY)) for axis in AXES
        }
    return {axis: check_probability("axis probability", value) for axis in AXES}


def instance_seed(seed: int, level: int, index: int) -> int:
    """The seed of instance ``index`` of ramp level ``level`` (independent streams via ``SeedSequence``)."""
    return int(np.random.SeedSequence([seed, level, index]).generate_state(1)[0])


def feasibility_only(problem: ProblemData) -> ProblemData:
    """``problem`` without objective (a feasibility problem); everything else, meta included, kept."""
    return dataclasses.replace(problem, objective=Objective(), meta=dict(problem.meta))


def _draw_axes(rng: np.random.Generator, probabilities: Mapping[str, float]) -> dict[str, bool]:
    return {axis: bool(rng.random() < probabilities[axis]) for axis in AXES}


def rcb_instance(
    difficulty: int,
    seed: int = 0,
    *,
    num_activities: int = 20,
    num_resources: int = 3,
    axis_probability: float | Mapping[str, float] = DEFAULT_AXIS_PROBABILITY,
    downtime_intensity: float = 1.0,
    window_intensity: float = 0.5,
    disjunctive_intensity: float = 0.3,
    resource_strength: float = 0.5,
    window_slack: float = 0.1,
    level: int | None = None,
    name: str = "",
) -> ProblemData:
    """A feasibility-only layered RCPSP with exactly ``difficulty`` non-redundant edges (see the module docstring).

    ``level`` is recorded in the meta (default: ``difficulty``).
    """
    probabilities = axis_probabilities(axis_probability)
    rng = np.random.default_rng(seed)
    axes = _draw_axes(rng, probabilities)
    inner_seed = int(rng.integers(2**31))
    problem = layered_rcpsp(
        num_activities,
        num_resources,
        seed=inner_seed,
        density=0.0,
        difficulty=difficulty,
        resource_strength=resource_strength,
        downtime_probability=check_probability("downtime_intensity", downtime_intensity) if axes["downtime"] else 0.0,
        window_probability=check_probability("window_intensity", window_intensity) if axes["windows"] else 0.0,
        window_slack=window_slack,
        disjunctive_probability=(
            check_probability("disjunctive_intensity", disjunctive_intensity) if axes["disjunctive"] else 0.0
        ),
        name=name or f"rcb_k{difficulty}_s{seed}",
    )
    problem = feasibility_only(problem)
    problem.meta["rcb"] = {
        "domain": "synthetic",
        "level": difficulty if level is None else level,
        "difficulty": difficulty,
        "seed": seed,
        "axes": axes,
        "axis_probability": probabilities,
        "constraints": _counts(problem),
    }
    return problem


def _counts(problem: ProblemData) -> dict[str, int]:
    """How many constraints of each kind the instance has."""
    return {
        "precedences": len(problem.precedences),
        "downtime_windows": sum(len(res.calendar) for res in problem.resources),
        "time_windows": sum(task.release > 0 or task.deadline is not None for task in problem.tasks),
        "disjunctive_pairs": len(problem.disjunctive_pairs),
    }


def rcb_ramp(
    levels: Sequence[int],
    per_level: int = 5,
    seed: int = 0,
    **options: object,
) -> list[ProblemData]:
    """``per_level`` instances of each level k in ``levels`` (keyword ``options`` go to :func:`rcb_instance`).

    Instance i of level k uses the seed :func:`instance_seed` ``(seed, k, i)``
    and is named ``rcb_k{k:03d}_{i}``, so any single instance can be rebuilt alone.
    """
    check_positive("per_level", per_level)
    out = []
    for level in levels:
        for index in range(per_level):
            out.append(
                rcb_instance(
                    int(level),
                    instance_seed(seed, int(level), index),
                    name=f"rcb_k{int(level):03d}_{index}",
                    **options,  # type: ignore[arg-type]  # forwarded as given: rcb_instance rejects a wrong keyword
                )
            )
    return out


# ----------------------------------------------------------------- migration
def _server_names(tier_of: list[int]) -> list[str]:
    counters: dict[int, int] = {}
    names = []
    for tier in tier_of:
        counters[tier] = counters.get(tier, 0) + 1
        role = TIERS[tier] if tier < len(TIERS) else f"tier{tier}"
        names.append(f"{role}{counters[tier]:02d}")
    return names


def migration_instance(
    dependencies: int = 0,
    seed: int = 0,
    *,
    num_servers: int = 10,
    num_racks: int = 3,
    num_tiers: int = 3,
    crews: int = 2,
    link_gbps: int = 10,
    axis_probability: float | Mapping[str, float] = DEFAULT_AXIS_PROBABILITY,
    maintenance_intensity: float = 0.5,
    change_window_intensity: float = 0.5,
    replica_intensity: float = 0.3,
    window_slack: float = 0.1,
    name: str = "",
) -> ProblemData:
    """A feasibility-only data-centre migration with exactly ``dependencies`` non-redundant dependencies.

    See the module docstring for the entities. Sync durations are U{1..6}
    hours at U{2..5} Gbps, moves U{1..3} hours; each rack takes 1 or 2
    installs at a time; maintenance windows last U{2..6} hours.
    """
    check_positive("num_servers", num_servers)
    check_positive("num_racks", num_racks)
    check_positive("crews", crews)
    if link_gbps < 5:
        raise ValueError(f"link_gbps must be at least 5 (a sync uses up to 5 Gbps), got {link_gbps!r}")
    if not 1 <= num_tiers <= num_servers:
        raise ValueError(f"num_tiers must be in 1..{num_servers}, got {num_tiers!r}")
    probabilities = axis_probabilities(axis_probability)
    maintenance_intensity = check_probability("maintenance_intensity", maintenance_intensity)
    change_window_intensity = check_probability("change_window_intensity", change_window_intensity)
    replica_intensity = check_probability("replica_intensity", replica_intensity)
    rng = np.random.default_rng(seed)
    axes = _draw_axes(rng, probabilities)

    # Servers in tiers (contiguous blocks), dependencies between tiers.
    tier_of = _layers(num_servers, num_tiers, rng)
    servers = _server_names(tier_of)
    depends: list[list[int]] = [[] for _ in range(num_servers)]
    try:
        added = _add_difficulty_arcs(depends, tier_of, dependencies, rng)
    except ValueError:
        raise ValueError(
            f"{dependencies} dependencies are too many for {num_servers} servers in {num_tiers} tiers"
        ) from None

    # Tasks: sync_s (index 2s) then move_s (index 2s + 1); index order is topological.
    racks = [f"rack_{chr(ord('A') + r)}" if r < 26 else f"rack_{r}" for r in range(num_racks)]
    resources = ["network", "crew", *racks]
    n = 2 * num_servers
    durations = np.zeros(n, dtype=np.int64)
    demands = np.zeros((n, len(resources)), dtype=np.int64)
    target = rng.integers(num_racks, size=num_servers)
    for s in range(num_servers):
        durations[2 * s] = rng.integers(1, 6, endpoint=True)
        demands[2 * s, 0] = rng.integers(2, 5, endpoint=True)
        durations[2 * s + 1] = rng.integers(1, 3, endpoint=True)
        demands[2 * s + 1, 1] = 1
        demands[2 * s + 1, 2 + int(target[s])] = 1
    capacities = np.array([link_gbps, crews, *rng.integers(1, 2, size=num_racks, endpoint=True)], dtype=np.int64)
    predecessors: list[list[int]] = [[] for _ in range(n)]
    for s in range(num_servers):
        predecessors[2 * s + 1].append(2 * s)
        for b in depends[s]:
            predecessors[2 * b].append(2 * s + 1)
    es = np.zeros(n, dtype=np.int64)
    for v in range(n):
        es[v] = max((es[u] + durations[u] for u in predecessors[v]), default=0)
    critical_path = int((es + durations).max())

    downtime: dict[int, tuple[int, int]] = {}
    if axes["downtime"]:
        for r in range(len(resources)):
            if r != 1 and rng.random() < maintenance_intensity:  # crews have no maintenance
                start = int(rng.integers(0, critical_path, endpoint=True))
                downtime[r] = (start, start + int(rng.integers(2, 6, endpoint=True)))
    starts = _witness(durations, demands, capacities, downtime, predecessors)
    ends = [s + int(d) for s, d in zip(starts, durations)]
    slack = max(0, round(window_slack * max(ends)))
    release: list[int] = [0] * n
    deadline: list[int | None] = [None] * n
    if axes["windows"]:
        for s in range(num_servers):
            if rng.random() < change_window_intensity:
                v = 2 * s + 1
                release[v] = int(rng.integers(0, starts[v], endpoint=True))
                deadline[v] = ends[v] + int(rng.integers(0, slack, endpoint=True))
    pairs: set[tuple[int, int]] = set()
    if axes["disjunctive"]:
        successors: list[list[int]] = [[] for _ in range(n)]
        for v, preds in enumerate(predecessors):
            for u in preds:
                successors[u].append(v)
        reach = _reach(successors)
        for a in range(num_servers):
            if rng.random() >= replica_intensity:
                continue
            u = 2 * a + 1
            options = [
                b
                for b in range(num_servers)
                if b != a
                and not ((reach[u] >> (2 * b + 1)) & 1 or (reach[2 * b + 1] >> u) & 1)
                and (ends[u] <= starts[2 * b + 1] or ends[2 * b + 1] <= starts[u])
                and (min(a, b), max(a, b)) not in pairs
            ]
            same_tier = [b for b in options if tier_of[b] == tier_of[a]]
            if options:
                pool = same_tier or options
                b = pool[int(rng.integers(len(pool)))]
                pairs.add((min(a, b), max(a, b)))

    model = Model(name or f"migration_k{dependencies}_s{seed}", family="rcpsp")
    for r, resource in enumerate(resources):
        window = downtime.get(r)
        model.add_resource(resource, "renewable", int(capacities[r]), [(window[0], window[1], 0)] if window else [])
    for s, server in enumerate(servers):
        for v, verb in ((2 * s, "sync"), (2 * s + 1, "move")):
            used: dict[int | str, int] = {resources[r]: int(demands[v, r]) for r in np.nonzero(demands[v])[0]}
            model.add_task(
                f"{verb}_{server}", release=release[v], deadline=deadline[v], duration=int(durations[v]), demands=used
            )
    for v, preds in enumerate(predecessors):
        for u in preds:
            model.add_precedence(u, v)
    for a, b in sorted(pairs):
        model.add_disjunctive_pair(2 * a + 1, 2 * b + 1)
    problem = model.freeze()
    problem.meta.update(
        generator={
            "name": "migration_instance",
            "dependencies": dependencies,
            "seed": seed,
            "num_servers": num_servers,
            "num_racks": num_racks,
            "num_tiers": num_tiers,
            "crews": crews,
            "link_gbps": link_gbps,
        },
        servers=servers,
        tiers=[TIERS[t] if t < len(TIERS) else f"tier{t}" for t in tier_of],
        target_racks=[racks[int(t)] for t in target],
        dependency_arcs=[[servers[a], servers[b]] for a, b in added],
        critical_path=critical_path,
        witness_starts=starts,
        witness_makespan=max(ends),
    )
    problem.meta["rcb"] = {
        "domain": "migration",
        "level": dependencies,
        "difficulty": dependencies,
        "seed": seed,
        "axes": axes,
        "axis_probability": probabilities,
        "constraints": _counts(problem),
    }
    return problem
