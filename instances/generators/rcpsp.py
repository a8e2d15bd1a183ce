"""Layered-DAG RCPSP generator with optional R-ConstraintBench style extras.

The precedence network is a layered DAG (activities are split into layers;
indices follow the layers, so index order is topological):

* ``density``: each pair (u in layer l-1, v in layer l) becomes an arc with
  this probability (such arcs are never implied by other paths);
* ``difficulty`` k: then exactly k further *non-redundant* arcs are added
  between layers (from a layer to any later one), each drawn uniformly among
  the pairs not yet implied: an arc is rejected when a path already implies it,
  as in R-ConstraintBench (Jain et al., 2025), where level k of the benchmark
  has exactly k such arcs (use ``density=0`` for that pure setting).

Durations and demands are uniform integers; each activity uses each resource
with probability ``demand_probability``. Capacities follow Kolisch's resource
strength: ``cap_k = max_k + round(RS * (peak_k - max_k))`` with ``max_k`` the
largest single demand and ``peak_k`` the peak use of the earliest-start
schedule, so RS = 0 is the tightest and RS = 1 leaves the ES schedule
feasible.

R-ConstraintBench extras, each applied with its own probability:

* ``downtime_probability``: per resource, one downtime window (capacity 0);
* ``window_probability``: per activity, a release/deadline window;
* ``disjunctive_probability``: per activity, a disjunctive pair with an
  activity it is not precedence-related to.

Like R-ConstraintBench the generator guarantees feasibility: downtime is drawn
first, then a serial schedule-generation pass builds a *witness* schedule that
respects precedences, capacities and downtime; windows are drawn around the
witness (release <= start, deadline >= end) and disjunctive pairs only join
activities the witness does not overlap. The witness starts are stored in
``problem.meta["witness_starts"]`` (a feasible schedule, not an optimal one).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from schedkit.instances.generators._common import check_positive, check_probability, check_range
from schedkit.models import ProblemData
from schedkit.models.rcpsp import Activity, RcpspCalendar, rcpsp


def _layers(n: int, num_layers: int, rng: np.random.Generator) -> list[int]:
    """Layer of each activity: ``num_layers`` non-empty contiguous index blocks of random sizes."""
    cuts = sorted(rng.choice(np.arange(1, n), size=num_layers - 1, replace=False).tolist()) if num_layers > 1 else []
    bounds = [0, *cuts, n]
    return [layer for layer in range(num_layers) for _ in range(bounds[layer], bounds[layer + 1])]


def _reach(successors: list[list[int]]) -> list[int]:
    """Bitset of the descendants of each activity (indices are topological)."""
    reach = [0] * len(successors)
    for u in range(len(successors) - 1, -1, -1):
        bits = 0
        for v in successors[u]:
            bits |= reach[v] | (1 << v)
        reach[u] = bits
    return reach


def _add_difficulty_arcs(
    successors: list[list[int]], layer: list[int], k: int, rng: np.random.Generator
) -> list[tuple[int, int]]:
    """Add exactly k arcs u -> v (layer[u] < layer[v]) that no existing path implies; return them."""
    n = len(successors)
    reach = _reach(successors)
    later = [0] * (max(layer) + 2)  # later[l]: activities in layers > l
    for v in range(n - 1, -1, -1):
        later[layer[v]] |= 1 << v
    for lv in range(len(later) - 2, -1, -1):
        later[lv] |= later[lv + 1]
    later = [later[lv + 1] for lv in range(len(later) - 1)]
    candidates = [later[layer[u]] & ~reach[u] for u in range(n)]
    counts = np.array([c.bit_count() for c in candidates], dtype=np.int64)
    added = []
    for step in range(k):
        total = int(counts.sum())
        if total == 0:
            raise ValueError(
                f"difficulty {k} is too high: this layered DAG admits only {step} non-redundant arcs "
                "beyond its base arcs (use more activities or layers, or a lower density)"
            )
        u = int(rng.choice(n, p=counts / total))
        bits = candidates[u]
        positions = [i for i, bit in enumerate(reversed(bin(bits)[2:])) if bit == "1"]
        v = positions[int(rng.integers(len(positions)))]
        successors[u].append(v)
        added.append((u, v))
        gain = reach[v] | (1 << v)
        for x in range(n):  # u and every ancestor of u now reach v and its descendants
            if x == u or (reach[x] >> u) & 1:
                reach[x] |= gain
                candidates[x] &= ~gain
                counts[x] = candidates[x].bit_count()
    return added


def _witness(
    durations: np.ndarray,
    demands: np.ndarray,
    capacities: np.ndarray,
    downtime: dict[int, tuple[int, int]],
    predecessors: list[list[int]],
) -> list[int]:
    """Serial schedule generation in index order, respecting capacities and downtime windows."""
    n, num_res = demands.shape
    horizon = int(durations.sum()) + max((end for _, end in downtime.values()), default=0) + 1
    free = np.repeat(capacities[:, None], horizon, axis=1).astype(np.int64)
    for r, (start, end) in downtime.items():
        free[r, start:end] = 0
    starts = [0] * n
    for v in range(n):
        earliest = max((starts[u] + int(durations[u]) for u in predecessors[v]), default=0)
        d = int(durations[v])
        used = np.nonzero(demands[v])[0]
        if d == 0 or used.size == 0:
            starts[v] = earliest
            continue
        ok = np.all(free[used] >= demands[v, used][:, None], axis=0)
        bad = np.concatenate(([0], np.cumsum(~ok)))
        t = np.arange(earliest, horizon - d + 1)
        fits = np.nonzero(bad[t + d] - bad[t] == 0)[0]
        start = int(t[fits[0]])  # exists: after every downtime the full capacity is free
        free[used, start : start + d] -= demands[v, used][:, None]
        starts[v] = start
    return starts


def layered_rcpsp(
    num_activities: int = 30,
    num_resources: int = 4,
    seed: int = 0,
    *,
    num_layers: int | None = None,
    density: float = 0.3,
    difficulty: int = 0,
    duration_range: Sequence[int] = (1, 10),
    demand_range: Sequence[int] = (1, 10),
    demand_probability: float = 0.5,
    resource_strength: float = 0.5,
    downtime_probability: float = 0.0,
    max_downtime: int | None = None,
    window_probability: float = 0.0,
    window_slack: float = 0.1,
    disjunctive_probability: float = 0.0,
    name: str = "",
) -> ProblemData:
    """A random RCPSP on a layered DAG (see the module docstring).

    Parameters
    ----------
    num_activities, num_resources
        Activities (no dummy source/sink) and renewable resources.
    seed
        Seed of ``numpy.random.default_rng``.
    num_layers
        Layers of the DAG (default ``round(sqrt(num_activities))``, at least 2 when possible).
    density
        Probability of each arc between consecutive layers.
    difficulty
        Number k of extra non-redundant arcs between layers (exactly k are added).
    duration_range, demand_range
        Inclusive integer ranges of durations and of non-zero demands.
    demand_probability
        Probability that an activity uses a given resource.
    resource_strength
        Kolisch's RS in [0, 1]: 0 = capacity equals the largest single demand.
    downtime_probability
        Per resource, probability of one downtime window (capacity 0).
    max_downtime
        Longest downtime window (default: a tenth of the critical path, at least 1).
    window_probability
        Per activity, probability of a release/deadline window.
    window_slack
        A window's deadline exceeds the witness end by ``U{0..round(window_slack * witness makespan)}``.
    disjunctive_probability
        Per activity, probability of a disjunctive pair with an unrelated activity.
    name
        Instance name (default from the parameters).
    """
    n = num_activities
    check_positive("num_activities", n)
    if isinstance(num_resources, bool) or not isinstance(num_resources, int) or num_resources < 0:
        raise ValueError(f"num_resources must be a non-negative integer, got {num_resources!r}")
    if isinstance(difficulty, bool) or not isinstance(difficulty, int) or difficulty < 0:
        raise ValueError(f"difficulty must be a non-negative integer, got {difficulty!r}")
    d_low, d_high = check_range("duration_range", duration_range)
    q_low, q_high = check_range("demand_range", demand_range, minimum=1)
    density = check_probability("density", density)
    demand_probability = check_probability("demand_probability", demand_probability)
    resource_strength = check_probability("resource_strength", resource_strength)
    downtime_probability = check_probability("downtime_probability", downtime_probability)
    window_probability = check_probability("window_probability", window_probability)
    disjunctive_probability = check_probability("disjunctive_probability", disjunctive_probability)
    if num_layers is None:
        num_layers = min(n, max(2, round(math.sqrt(n))))
    if isinstance(num_layers, bool) or not isinstance(num_layers, int) or not 1 <= num_layers <= n:
        raise ValueError(f"num_layers must be an integer in 1..{n}, got {num_layers!r}")
    rng = np.random.default_rng(seed)

    # Precedence network.
    layer = _layers(n, num_layers, rng)
    members: list[list[int]] = [[] for _ in range(num_layers)]
    for v, lv in enumerate(layer):
        members[lv].append(v)
    successors: list[list[int]] = [[] for _ in range(n)]
    for lv in range(1, num_layers):
        draws = rng.random((len(members[lv - 1]), len(members[lv])))
        for a, u in enumerate(members[lv - 1]):
            successors[u].extend(v for b, v in enumerate(members[lv]) if draws[a, b] < density)
    base_arcs = sum(len(s) for s in successors)
    extra_arcs = _add_difficulty_arcs(successors, layer, difficulty, rng)
    predecessors: list[list[int]] = [[] for _ in range(n)]
    for u, succ in enumerate(successors):
        for v in succ:
            predecessors[v].append(u)

    # Durations, demands, capacities (resource strength on the earliest-start schedule).
    durations = rng.integers(d_low, d_high, size=n, endpoint=True)
    uses = rng.random((n, num_resources)) < demand_probability
    demands = np.where(uses, rng.integers(q_low, q_high, size=(n, num_resources), endpoint=True), 0)
    es = np.zeros(n, dtype=np.int64)
    for v in range(n):
        es[v] = max((es[u] + durations[u] for u in predecessors[v]), default=0)
    critical_path = int((es + durations).max())
    capacities = np.zeros(num_resources, dtype=np.int64)
    for r in range(num_resources):
        profile = np.zeros(critical_path + 1, dtype=np.int64)
        for user in np.nonzero(demands[:, r])[0]:
            profile[es[user] : es[user] + durations[user]] += demands[user, r]
        largest, peak = int(demands[:, r].max(initial=0)), int(profile.max())
        capacities[r] = max(1, largest + round(resource_strength * (peak - largest)))

    # Downtime, then a witness schedule, then windows and disjunctions around it.
    longest_downtime = max(1, critical_path // 10) if max_downtime is None else max(1, int(max_downtime))
    downtime: dict[int, tuple[int, int]] = {}
    for r in range(num_resources):
        if rng.random() < downtime_probability:
            start = int(rng.integers(0, critical_path, endpoint=True))
            downtime[r] = (start, start + int(rng.integers(1, longest_downtime, endpoint=True)))
    starts = _witness(durations, demands, capacities, downtime, predecessors)
    ends = [s + int(d) for s, d in zip(starts, durations)]
    makespan = max(ends)
    slack = max(0, round(window_slack * makespan))
    release = [0] * n
    deadline: list[int | None] = [None] * n
    for v in range(n):
        if rng.random() < window_probability:
            release[v] = int(rng.integers(0, starts[v], endpoint=True))
            deadline[v] = ends[v] + int(rng.integers(0, slack, endpoint=True))
    reach = _reach(successors)
    pairs: set[tuple[int, int]] = set()
    for a in range(n):
        if rng.random() >= disjunctive_probability:
            continue
        options = [
            b
            for b in range(n)
            if b != a
            and not ((reach[a] >> b) & 1 or (reach[b] >> a) & 1)
            and (ends[a] <= starts[b] or ends[b] <= starts[a])
            and (min(a, b), max(a, b)) not in pairs
        ]
        if options:
            b = options[int(rng.integers(len(options)))]
            pairs.add((min(a, b), max(a, b)))

    activities = [
        Activity.single(int(durations[v]), demands[v].tolist(), successors[v], release[v], deadline[v])
        for v in range(n)
    ]
    calendars = [RcpspCalendar(r, ((start, end, 0),)) for r, (start, end) in sorted(downtime.items())]
    problem = rcpsp(
        activities,
        capacities.tolist(),
        calendars=calendars,
        disjunctive_pairs=sorted(pairs),
        name=name or f"layered{n}_r{num_resources}_k{difficulty}_s{seed}",
    )
    problem.meta.update(
        generator={
            "name": "layered_rcpsp",
            "num_activities": n,
            "num_resources": num_resources,
            "seed": seed,
            "num_layers": num_layers,
            "density": density,
            "difficulty": difficulty,
            "duration_range": [d_low, d_high],
            "demand_range": [q_low, q_high],
            "demand_probability": demand_probability,
            "resource_strength": resource_strength,
            "downtime_probability": downtime_probability,
            "max_downtime": longest_downtime,
            "window_probability": window_probability,
            "window_slack": window_slack,
            "disjunctive_probability": disjunctive_probability,
        },
        layers=layer,
        base_arcs=base_arcs,
        difficulty_arcs=[list(arc) for arc in extra_arcs],
        critical_path=critical_path,
        witness_starts=starts,
        witness_makespan=makespan,
    )
    return problem
