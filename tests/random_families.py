"""Seeded random SMALL instances of the seven families, built through the family builders.

For differential tests (CP-SAT against a MIP backend, LP bounds against the
optimum): :func:`random_instance` turns ``(family, seed)`` into a
``ProblemData`` that is deterministic in the seed, small enough for an exact
time-indexed or disjunctive MIP, and always feasible. Every instance is built
the way users build one (the family builder), then given a modest explicit
``horizon`` with ``dataclasses.replace``.

Feasibility is by construction: each generator first builds a *witness*
schedule (a serial schedule, a sequential pipeline, the current pod placement,
one leaf and its ancestors) and draws every tightening constraint (deadlines,
budgets, maximum lags, disjunctive pairs, register limits, the horizon)
around it. The witness is stored, as plain JSON-able lists, in
``problem.meta["witness"]``; :func:`witness` turns it into a ``Solution``.
``problem.meta["generator"]`` records the family, the seed and the options
drawn (see :func:`features`).

The horizon is *safe* where an argument exists: it is at least the
witness's makespan for makespan objectives (so it never cuts off every
optimum), ``max release + total work`` for tardiness (a regular objective has
an optimal semi-active schedule ending by then), the IR's own
``effective_horizon`` bound for pipelining, and 0 for the duration-free
families (pod packing, KV tree).

What each family covers across seeds:

* ``rcpsp``: 4-7 activities, 1-2 renewable resources (capacity 1-3), durations
  1-4; multi-mode (1-3 modes) with a non-renewable budget in some seeds;
  calendars with downtime or reduced-capacity windows; releases and deadlines;
  positive, negative (overlap) and maximum (backward arc) time lags, and lag-only
  arcs; disjunctive pairs.
* ``tardiness``: 4-7 jobs, durations 1-5, weights 0-5 (unweighted in some
  seeds), Potts-Van Wassenhove-style due dates, release dates in some seeds.
* ``jobshop``: 2-3 jobs x 2-3 machines, durations 1-5; partial routes,
  recirculation (a machine visited twice), an idle extra machine and release
  dates in some seeds.
* ``fjsp``: 2-3 jobs of 2-3 operations on 2-3 machines, each operation with 1-3
  eligible machines of their own durations 1-5.
* ``pipelining``: 2-4 ops on 1-2 modulo units (capacity 1-2) and 1-2 warp
  groups; a loop-carried edge (distance 1, sometimes 2, sometimes a self-loop)
  in most seeds; reservation tables with offsets (several entries per op);
  zero-latency ops; a producer warp group with a variable-latency op; ops
  restricted to listed warp groups; register limits that make a group
  ineligible; a cross-warp delay (transfer lag); an explicit ``ii_max``.
* ``podpack``: 2-3 nodes, 3-6 pods with 2 priority levels; running pods with a
  current node (a feasible placement, or an overcommitted one), protected
  pods, a pod that fits no node, both disruption orders, custom move/evict
  costs, memory in bytes (large coefficients) in some seeds.
* ``kvtree``: 5-12 nodes, 3-6 frontier leaves, 1-3 clusters (some leaves in
  none), ``cost="nodes"`` or ``"tokens"``, normalised or raw scores, various
  ``lambda_c``, ``lambda_s`` and ``scale``.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Callable
from typing import Any

from schedkit.models import ProblemData, Solution
from schedkit.models.fjsp import fjsp
from schedkit.models.jobshop import jobshop
from schedkit.models.kvtree import TreeNode, kvtree
from schedkit.models.pipelining import Edge, Loop, LoopOp, Machine, Reservation, Unit, WarpGroup, pipelining
from schedkit.models.podpack import Node, Pod, podpack
from schedkit.models.rcpsp import Activity, RcpspCalendar, RcpspMode, rcpsp
from schedkit.models.tardiness import tardiness

FAMILIES = ("rcpsp", "tardiness", "jobshop", "fjsp", "pipelining", "podpack", "kvtree")
"""The families :func:`random_instance` knows, in a fixed order."""


@dataclasses.dataclass
class _Draft:
    """What a family generator hands back before the horizon and the meta are attached."""

    problem: ProblemData
    horizon: int
    starts: list[int | None]
    modes: list[int | None]
    present: list[bool] | None = None
    ii: int | None = None
    options: list[str] = dataclasses.field(default_factory=list)


# ---------------------------------------------------------------------- public
def random_instance(family: str, seed: int) -> ProblemData:
    """A random small feasible instance of ``family``, deterministic in ``seed``.

    Built through the family builder, with an explicit modest ``horizon``;
    ``meta["witness"]`` holds a feasible schedule (see :func:`witness`) and
    ``meta["generator"]`` the family, seed and drawn options.
    """
    if family not in _GENERATORS:
        raise ValueError(f"unknown family {family!r}; expected one of: {', '.join(FAMILIES)}")
    rng = random.Random(seed)
    draft = _GENERATORS[family](rng, f"{family}-rand{seed}")
    present = [True] * len(draft.starts) if draft.present is None else draft.present
    meta = dict(draft.problem.meta)
    meta["generator"] = {
        "name": "random_families",
        "family": family,
        "seed": seed,
        "options": sorted(set(draft.options)),
    }
    meta["witness"] = {"present": present, "modes": draft.modes, "starts": draft.starts, "ii": draft.ii}
    return dataclasses.replace(draft.problem, horizon=draft.horizon, meta=meta)


def witness(problem: ProblemData) -> Solution:
    """The feasible schedule the generator built ``problem`` around (from ``meta["witness"]``)."""
    data = problem.meta["witness"]
    return Solution.from_lists(data["starts"], data["modes"], data["present"], data["ii"])


def features(problem: ProblemData) -> set[str]:
    """The IR constructs ``problem`` uses, plus the generator options recorded in its meta.

    IR-level names: ``multi_mode``, ``locations``, resource kinds (``unary``,
    ``renewable``, ``consumable``, ``bin``, ``modulo``), ``calendar``,
    ``downtime``, ``reduced_capacity``, ``release``, ``deadline``,
    ``due_date``, ``weights``, ``zero_weight``, ``zero_duration``,
    ``positive_lag``, ``negative_lag``, ``cyclic_precedences`` (a precedence
    cycle, i.e. a maximum lag), ``loop_carried``, ``distance2``, ``self_loop``,
    ``transfer_lag``, ``reservation_offset``, ``reservation_table``,
    ``optional``, ``pin``, ``reference``, ``implication``, ``selection``,
    ``coverage``, ``disjunctive``, ``cycle``.
    """
    found: set[str] = set(problem.meta.get("generator", {}).get("options", ()))
    for res in problem.resources:
        found.add(res.kind.value)
        if res.calendar:
            found.add("calendar")
        for window in res.calendar:
            found.add("downtime" if window.capacity == 0 else "reduced_capacity")
    for task in problem.tasks:
        if len(task.modes) > 1:
            found.add("multi_mode")
        if task.release > 0:
            found.add("release")
        if task.deadline is not None:
            found.add("deadline")
        if task.due_date is not None:
            found.add("due_date")
        if task.weight != 1:
            found.add("weights")
        if task.weight == 0:
            found.add("zero_weight")
        for flag, name in ((task.optional, "optional"), (task.pin, "pin"), (task.reference, "reference")):
            if flag:
                found.add(name)
        for mode in task.modes:
            if mode.location is not None:
                found.add("locations")
            if mode.duration == 0 and problem.family not in ("podpack", "kvtree"):
                found.add("zero_duration")
            timed = [d.resource for d in mode.demands if problem.resources[d.resource].kind.is_timed]
            if len(timed) != len(set(timed)):
                found.add("reservation_table")
            if any(d.offset > 0 for d in mode.demands):
                found.add("reservation_offset")
    successors: dict[int, set[int]] = {}
    for prec in problem.precedences:
        successors.setdefault(prec.a, set()).add(prec.b)
        if prec.lag > 0:
            found.add("positive_lag")
        if prec.lag < 0:
            found.add("negative_lag")
        if prec.distance > 0:
            found.add("loop_carried")
        if prec.distance > 1:
            found.add("distance2")
        if prec.a == prec.b:
            found.add("self_loop")
        if prec.transfer_lag > 0:
            found.add("transfer_lag")
    if problem.cycle is None and _has_cycle(successors):
        found.add("cyclic_precedences")
    for present, name in (
        (problem.implications, "implication"),
        (problem.selections, "selection"),
        (problem.coverage_groups, "coverage"),
        (problem.disjunctive_pairs, "disjunctive"),
        (problem.cycle, "cycle"),
    ):
        if present:
            found.add(name)
    return found


def size_stats(problem: ProblemData) -> dict[str, int]:
    """Sizes that drive a time-indexed model: tasks, modes, resources, relations, horizon, II range."""
    return {
        "tasks": problem.num_tasks,
        "modes": sum(len(task.modes) for task in problem.tasks),
        "resources": problem.num_resources,
        "precedences": len(problem.precedences),
        "horizon": problem.effective_horizon,
        "ii_range": 0 if problem.cycle is None else problem.cycle.ii_max - problem.cycle.ii_min + 1,
        "levels": len(problem.objective.levels),
    }


def _has_cycle(successors: dict[int, set[int]]) -> bool:
    """Whether the directed graph given by ``successors`` has a cycle."""
    state: dict[int, int] = {}

    def visit(node: int) -> bool:
        state[node] = 1
        for nxt in successors.get(node, ()):
            if state.get(nxt) == 1 or (nxt not in state and visit(nxt)):
                return True
        state[node] = 2
        return False

    return any(node not in state and visit(node) for node in list(successors))


def _mode_at(problem: ProblemData, task: int, location: str) -> int:
    """Index of the mode of ``task`` whose location is ``location``."""
    for index, mode in enumerate(problem.tasks[task].modes):
        if mode.location == location:
            return index
    raise AssertionError(f"{problem.describe_task(task)} has no mode at {location!r}")


# ----------------------------------------------------------------------- rcpsp
def _first_fit(
    est: int,
    duration: int,
    demands: tuple[int, ...],
    usage: list[list[int]],
    capacity_at: Callable[[int, int], int],
) -> int:
    """Earliest start >= ``est`` at which ``demands`` fit the profile ``usage`` for ``duration`` steps."""
    start = est
    while True:
        if all(
            usage[k][t] + amount <= capacity_at(k, t)
            for k, amount in enumerate(demands)
            if amount
            for t in range(start, start + duration)
        ):
            return start
        start += 1


def _rcpsp(rng: random.Random, name: str) -> _Draft:
    """RCPSP with calendars, windows, lags, max lags, disjunctive pairs and multi-mode (see module docstring)."""
    options: list[str] = []
    n = rng.randint(4, 7)
    capacities = [rng.randint(1, 3) for _ in range(rng.randint(1, 2))]
    multi = rng.random() < 0.4
    budgeted = multi and rng.random() < 0.6
    if multi:
        options.append("multi_mode_seed")
    modes: list[list[RcpspMode]] = []
    for _ in range(n):
        count = rng.choice([1, 2, 2, 3]) if multi else 1
        modes.append(
            [
                RcpspMode(
                    rng.randint(1, 4),
                    tuple(rng.choice([0, *range(1, cap + 1)]) for cap in capacities),
                    (rng.randint(0, 3),) if budgeted else (),
                )
                for _ in range(count)
            ]
        )

    # Calendars: per resource, one or two windows of downtime or reduced capacity.
    calendars: list[RcpspCalendar] = []
    if rng.random() < 0.5:
        for k, cap in enumerate(capacities):
            if rng.random() < 0.7:
                windows = []
                cursor = rng.randint(0, 4)
                for _ in range(rng.choice([1, 1, 2])):
                    end = cursor + rng.randint(1, 3)
                    windows.append((cursor, end, rng.randint(0, cap - 1)))
                    cursor = end + rng.randint(1, 3)
                calendars.append(RcpspCalendar(k, tuple(windows)))
    window_of = {cal.resource: cal.windows for cal in calendars}

    def capacity_at(k: int, t: int) -> int:
        for start, end, cap in window_of.get(k, ()):
            if start <= t < end:
                return cap
        return capacities[k]

    # Precedences (i < j, so index order is topological), lags and lag-only arcs.
    density = rng.choice([0.2, 0.3, 0.45])
    successors = [[j for j in range(i + 1, n) if rng.random() < density] for i in range(n)]
    lags: dict[tuple[int, int], int] = {}
    if rng.random() < 0.4:
        options.append("lags")
        for i in range(n):
            for j in successors[i]:
                if rng.random() < 0.5:
                    lags[(i, j)] = rng.choice([-1, 1, 2])
        if rng.random() < 0.5:
            i, j = sorted(rng.sample(range(n), 2))
            if j not in successors[i]:
                lags[(i, j)] = rng.randint(0, 2)
                options.append("lag_only_arc")
    preds: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for i in range(n):
        for j in successors[i]:
            preds[j].append((i, lags.get((i, j), 0)))
    for (i, j), lag in lags.items():
        if j not in successors[i]:
            preds[j].append((i, lag))

    # Releases drawn first, then a serial schedule (the witness) respecting everything so far.
    windowed = rng.random() < 0.5
    releases = [rng.randint(0, 5) if windowed and rng.random() < 0.4 else 0 for _ in range(n)]
    chosen = [rng.randrange(len(modes[i])) for i in range(n)]
    horizon_guess = 1 + max(releases) + sum(m.duration for ms in modes for m in ms) + 2 * len(lags) + 20
    usage = [[0] * horizon_guess for _ in capacities]
    starts: list[int] = [0] * n
    ends: list[int] = [0] * n
    for i in range(n):
        mode = modes[i][chosen[i]]
        est = max([releases[i], *(ends[p] + lag for p, lag in preds[i])])
        starts[i] = _first_fit(max(0, est), mode.duration, mode.demands, usage, capacity_at)
        ends[i] = starts[i] + mode.duration
        for k, amount in enumerate(mode.demands):
            for t in range(starts[i], ends[i]):
                usage[k][t] += amount
    makespan = max(ends)
    horizon = makespan + rng.randint(0, 3)

    deadlines: list[int | None] = [None] * n
    if windowed:
        for i in range(n):
            if rng.random() < 0.4:
                deadlines[i] = min(horizon, ends[i] + rng.randint(0, 2))

    # Maximum time lags: a backward arc (j, i) with S_i >= E_j + lag, lag <= S_i - E_j (negative).
    if rng.random() < 0.3:
        arcs = [(i, j) for i in range(n) for j in successors[i]]
        if arcs:
            i, j = rng.choice(arcs)
            lags[(j, i)] = starts[i] - ends[j] - rng.randint(0, 2)
            options.append("max_lag")

    pairs: list[tuple[int, int]] = []
    if rng.random() < 0.4:
        candidates = [
            (a, b)
            for a in range(n)
            for b in range(a + 1, n)
            if ends[a] <= starts[b] or ends[b] <= starts[a]  # the witness keeps them apart
        ]
        pairs = rng.sample(candidates, min(len(candidates), rng.randint(1, 2)))

    budgets: list[int] = []
    if budgeted:
        # At least the witness's consumption, and at least every single mode's (the IR rejects a demand
        # above a resource's capacity).
        spent = sum(modes[i][chosen[i]].consumption[0] for i in range(n)) + rng.randint(0, 2)
        budgets = [max(spent, *(m.consumption[0] for ms in modes for m in ms))]

    activities = [
        Activity(tuple(modes[i]), tuple(successors[i]), releases[i], deadlines[i], name=f"a{i}") for i in range(n)
    ]
    problem = rcpsp(activities, capacities, budgets, lags=lags, calendars=calendars, disjunctive_pairs=pairs, name=name)
    return _Draft(problem, horizon, list(starts), list(chosen), options=options)


# ------------------------------------------------------------------- tardiness
def _tardiness(rng: random.Random, name: str) -> _Draft:
    """Single-machine weighted tardiness, due dates drawn as in Potts and Van Wassenhove, some releases."""
    options: list[str] = []
    n = rng.randint(4, 7)
    p = [rng.randint(1, 5) for _ in range(n)]
    total = sum(p)
    weights = None if rng.random() < 0.2 else [rng.randint(1, 5) for _ in range(n)]
    if weights is not None and rng.random() < 0.2:
        weights[rng.randrange(n)] = 0  # a job whose tardiness costs nothing
    releases = None
    if rng.random() < 0.4:
        releases = [rng.randint(0, total // 2) if rng.random() < 0.6 else 0 for _ in range(n)]
    tf, rdd = rng.choice([0.2, 0.4, 0.6, 0.8]), rng.choice([0.2, 0.6, 1.0])
    low = max(0, math.ceil(total * (1 - tf - rdd / 2)))
    high = max(low, math.floor(total * (1 - tf + rdd / 2)))
    due = [rng.randint(low, high) + (0 if releases is None else releases[j]) for j in range(n)]
    problem = tardiness(p, due, weights, name=name, release_dates=releases)
    ready = [0] * n if releases is None else releases
    starts = [0] * n
    cursor = 0
    for j in sorted(range(n), key=lambda j: (ready[j], j)):
        starts[j] = max(cursor, ready[j])
        cursor = starts[j] + p[j]
    horizon = max(ready) + total
    if weights is None:
        options.append("unweighted")
    return _Draft(problem, horizon, starts, [0] * n, options=options)


# --------------------------------------------------------------------- jobshop
def _jobshop(rng: random.Random, name: str) -> _Draft:
    """Job shop with full or partial routes, recirculation, an idle machine and releases in some seeds."""
    options: list[str] = []
    num_jobs, num_machines = rng.randint(2, 3), rng.randint(2, 3)
    style = rng.choices(["permutation", "partial", "recirculation"], weights=[6, 2, 2])[0]
    jobs: list[list[tuple[int, int]]] = []
    for _ in range(num_jobs):
        if style == "permutation":
            route = rng.sample(range(num_machines), num_machines)
        elif style == "partial":
            route = rng.sample(range(num_machines), rng.randint(1, num_machines))
        else:
            route = [rng.randrange(num_machines) for _ in range(rng.randint(2, 3))]
        jobs.append([(machine, rng.randint(1, 5)) for machine in route])
    if style != "permutation":
        options.append(style)
    machines = num_machines
    if rng.random() < 0.1:
        machines += 1
        options.append("idle_machine")
    releases = [rng.randint(0, 4) for _ in jobs] if rng.random() < 0.3 else None
    problem = jobshop(jobs, num_machines=machines, name=name, release_dates=releases)
    starts: list[int | None] = []
    cursor = 0
    for j, job in enumerate(jobs):
        cursor = max(cursor, 0 if releases is None else releases[j])
        for _, duration in job:
            starts.append(cursor)
            cursor += duration
    horizon = (0 if releases is None else max(releases)) + sum(d for job in jobs for _, d in job)
    return _Draft(problem, horizon, starts, [0] * len(starts), options=options)


# ------------------------------------------------------------------------ fjsp
def _fjsp(rng: random.Random, name: str) -> _Draft:
    """Flexible job shop; the horizon is the total of the fastest alternatives (a sequential schedule)."""
    num_jobs, num_machines = rng.randint(2, 3), rng.randint(2, 3)
    jobs = [
        [
            [(m, rng.randint(1, 5)) for m in rng.sample(range(num_machines), rng.randint(1, num_machines))]
            for _ in range(rng.randint(2, 3))
        ]
        for _ in range(num_jobs)
    ]
    problem = fjsp(jobs, num_machines=num_machines, name=name)
    starts: list[int | None] = []
    modes: list[int | None] = []
    cursor = 0
    for job in jobs:
        for alternatives in job:
            fastest = min(range(len(alternatives)), key=lambda a: alternatives[a][1])
            starts.append(cursor)
            modes.append(fastest)
            cursor += alternatives[fastest][1]
    horizon = cursor + rng.randint(0, 2)
    return _Draft(problem, horizon, starts, modes)


# ------------------------------------------------------------------ pipelining
def _pipelining(rng: random.Random, name: str) -> _Draft:
    """A small loop on 1-2 units and 1-2 warp groups, its witness a sequential pipeline (II = sequential length)."""
    options: list[str] = []
    n = rng.randint(2, 4)
    units = [Unit(f"u{k}", rng.choice([1, 1, 2])) for k in range(rng.randint(1, 2))]
    groups = ["wg0", "wg1"][: rng.randint(1, 2)]
    producer = len(groups) == 2 and rng.random() < 0.35
    delay = rng.choice([0, 0, 1])
    tables = rng.random() < 0.4

    latencies = [rng.choice([0, 1, 1, 2, 2, 3]) if rng.random() < 0.15 else rng.randint(1, 3) for _ in range(n)]
    reservations: list[list[Reservation]] = []
    for _ in range(n):
        table: list[Reservation] = []
        if rng.random() < 0.85:
            unit = rng.choice(units)
            table.append(Reservation(unit.name, rng.randint(0, 1) if tables else 0, rng.randint(1, 2), 1))
            if tables and rng.random() < 0.5:
                other = rng.choice(units)
                offset = table[0].offset + table[0].length + rng.randint(0, 1) if other is unit else rng.randint(0, 2)
                table.append(Reservation(other.name, offset, 1, rng.randint(1, other.capacity)))
        reservations.append(table)

    variable = [producer and i == 0 for i in range(n)]
    restrict: list[tuple[str, ...] | None] = [None] * n
    allowed: list[list[str]] = []
    for i in range(n):
        if producer:
            if variable[i]:
                allowed.append(["wg0"])
            elif rng.random() < 0.25:
                restrict[i] = ("wg0", "wg1")
                allowed.append(["wg0", "wg1"])
                options.append("producer_listed")
            else:
                allowed.append(["wg1"])
        elif len(groups) == 2 and rng.random() < 0.2:
            only = rng.choice(groups)
            restrict[i] = (only,)
            allowed.append([only])
            options.append("warp_restriction")
        else:
            allowed.append(list(groups))
    placed = [rng.choice(allowed[i]) for i in range(n)]
    registers = [rng.randint(0, 4) for _ in range(n)]
    limits = {
        g: sum(r for r, p in zip(registers, placed) if p == g) + rng.randint(0, 2) if g in placed else rng.randint(0, 4)
        for g in groups
    }
    for i in range(n):
        if any(registers[i] > limits[g] for g in allowed[i]):
            options.append("register_ineligible")
    if producer:
        options.append("producer")
    if delay:
        options.append("cross_warp_delay")

    ops = tuple(
        LoopOp(
            f"op{i}",
            latencies[i],
            tuple(reservations[i]),
            registers[i],
            variable_latency=variable[i],
            warp_groups=restrict[i],
        )
        for i in range(n)
    )
    edges: list[Edge] = []
    for u in range(n):
        for v in range(u + 1, n):
            if rng.random() < 0.45:
                edges.append(Edge(f"op{u}", f"op{v}", rng.choice([latencies[u], latencies[u], rng.randint(0, 3)])))
    if rng.random() < 0.85:
        for _ in range(rng.choice([1, 1, 2])):
            v = rng.randrange(n)
            u = rng.randint(0, v)
            distance = rng.choice([1, 1, 1, 2])
            edges.append(Edge(f"op{v}", f"op{u}", rng.choice([latencies[v], rng.randint(0, 3)]), distance))
    machine = Machine(
        "rand-gpu",
        tuple(units),
        tuple(WarpGroup(g, limits[g], producer=producer and g == "wg0") for g in groups),
        cross_warp_delay=delay,
    )
    loop = Loop(ops, tuple(edges), name=name)

    # Witness: the ops one after another in index order (a topological order of the distance-0 edges),
    # each after the previous op's span and its predecessors' latency plus the delay; II = its length,
    # raised to satisfy the loop-carried edges (what models.pipelining.sequential_length computes).
    issue = [0] * n
    cursor = 0
    for v in range(n):
        ready = [issue[int(e.src[2:])] + e.latency + delay for e in edges if e.distance == 0 and e.dst == f"op{v}"]
        issue[v] = max([cursor, *ready])
        cursor = issue[v] + ops[v].span
    ii = max(1, cursor)
    for e in edges:
        if e.distance > 0:
            need = issue[int(e.src[2:])] + e.latency + delay - issue[int(e.dst[2:])]
            ii = max(ii, -(-need // e.distance))
    ii_max = None
    if rng.random() < 0.15:
        ii_max = ii + 1
        options.append("explicit_ii_max")
    problem = pipelining(loop, machine, ii_max=ii_max, name=name)
    modes: list[int | None] = [_mode_at(problem, i, placed[i]) for i in range(n)]
    return _Draft(problem, problem.effective_horizon, list(issue), modes, ii=ii, options=options)


# --------------------------------------------------------------------- podpack
def _podpack(rng: random.Random, name: str) -> _Draft:
    """Pod packing with two priorities, a current placement, protected pods and an unplaceable pod in some seeds."""
    options: list[str] = []
    unit = 1
    if rng.random() < 0.25:
        unit = 2**20  # memory in bytes (MiB * 2^20), as in the shared benchmark
        options.append("memory_bytes")
    nodes = [
        Node(f"n{k}", rng.randrange(1000, 4001, 500), rng.randrange(1000, 4001, 500) * unit)
        for k in range(rng.randint(2, 3))
    ]
    count = rng.randint(3, 6)
    low, high = rng.choice([(0, 1), (1, 2), (10, 100), (100, 1000)])
    priorities = [low, high] + [rng.choice([low, high]) for _ in range(count - 2)]
    rng.shuffle(priorities)
    # Each pod is drawn to fit a random "home" node alone (so it has an eligible node), except at most
    # one deliberately unplaceable pod, taken from a priority level that keeps another member.
    requests: list[tuple[int, int]] = []
    for _ in range(count):
        home = rng.choice(nodes)
        top_cpu, top_mem = min(2000, home.cpu), min(2000, home.memory // unit)
        cpu = (
            rng.choice([0, *range(100, top_cpu + 1, 100)])
            if rng.random() < 0.1
            else rng.randrange(200, top_cpu + 1, 100)
        )
        requests.append((cpu, rng.randrange(100, top_mem + 1, 100) * unit))
    if rng.random() < 0.15:
        i = rng.choice([i for i in range(count) if priorities.count(priorities[i]) > 1])
        requests[i] = (max(node.cpu for node in nodes) + 100, requests[i][1])
        options.append("unplaceable")
    overcommitted = rng.random() < 0.2
    if overcommitted:
        options.append("overcommitted")
    free = {node.name: [node.cpu, node.memory] for node in nodes}
    current: list[str | None] = [None] * count
    for i in rng.sample(range(count), count):
        if rng.random() < 0.55:
            cpu, mem = requests[i]
            hosts = [
                node.name
                for node in nodes
                if (cpu <= node.cpu and mem <= node.memory)
                and (overcommitted or (cpu <= free[node.name][0] and mem <= free[node.name][1]))
            ]
            if hosts:
                current[i] = rng.choice(hosts)
                free[current[i]][0] -= cpu
                free[current[i]][1] -= mem
    protected = [False] * count
    if rng.random() < 0.4:
        used = {node.name: [0, 0] for node in nodes}
        capacity = {node.name: (node.cpu, node.memory) for node in nodes}
        for i in rng.sample(range(count), count):
            host = current[i]
            if host is None or sum(protected) >= 2:
                continue
            cpu, mem = used[host][0] + requests[i][0], used[host][1] + requests[i][1]
            if cpu <= capacity[host][0] and mem <= capacity[host][1]:
                protected[i] = True
                used[host] = [cpu, mem]
    if any(protected):
        options.append("protected")
    pods = [
        Pod(f"pod{i}", requests[i][0], requests[i][1], priorities[i], current[i], protected[i], f"rs{i % 2}")
        for i in range(count)
    ]
    settings: dict[str, Any] = {}
    draw = rng.random()
    if draw < 0.25:
        settings = {"disruption_order": "after_placement", "move_cost": 1}
        options.append("after_placement")
    elif draw < 0.4:
        settings = {"move_cost": rng.randint(1, 3), "evict_cost": rng.randint(0, 3)}
        options.append("custom_costs")
    problem = podpack(nodes, pods, name=name, **settings)
    # Witness: the current placement when it is valid, else only the protected pods.
    present: list[bool] = []
    modes: list[int | None] = []
    for task, pod in enumerate(p for p in pods if p.name in problem.task_index):
        keep = pod.node is not None and (pod.protected or not overcommitted)
        present.append(keep)
        modes.append(_mode_at(problem, task, pod.node) if keep else None)  # type: ignore[arg-type]
    starts: list[int | None] = [0 if keep else None for keep in present]
    return _Draft(problem, 0, starts, modes, present=present, options=options)


# ---------------------------------------------------------------------- kvtree
def _kvtree(rng: random.Random, name: str) -> _Draft:
    """An ETS selection over a random recursive tree; the witness keeps the best leaf and its ancestors."""
    options: list[str] = []
    while True:
        n = rng.randint(5, 12)
        parents: list[int | None] = [None] + [rng.randrange(i) for i in range(1, n)]
        childless = [i for i in range(1, n) if i not in parents]
        if len(childless) >= 3:
            break
    leaves = rng.sample(childless, rng.randint(3, min(6, len(childless))))
    if len(leaves) < len(childless):
        options.append("unused_nodes")
    raw = [rng.random() for _ in leaves]
    if rng.random() < 0.7:
        raw = [x / sum(raw) for x in raw]
        options.append("normalized_scores")
    score = dict(zip(leaves, raw))
    nodes = [
        TreeNode(f"s{i}", parents[i], rng.randint(0, 60) if rng.random() < 0.1 else rng.randint(1, 60), score.get(i))
        for i in range(n)
    ]
    order = rng.sample(leaves, len(leaves))
    k = rng.randint(1, min(3, len(leaves)))
    clusters: list[list[int]] = [[order[c]] for c in range(k)]
    for leaf in order[k:]:
        if rng.random() < 0.2:
            options.append("unclustered_leaf")
        else:
            clusters[rng.randrange(k)].append(leaf)
    cost = rng.choice(["nodes", "tokens"])
    if cost == "tokens" and sum(node.tokens for node in nodes) == 0:
        cost = "nodes"
    options.append(f"cost_{cost}")
    scale = rng.choice([10**6, 10**6, 1000, 100])
    problem = kvtree(
        nodes,
        leaves,
        clusters,
        lambda_c=rng.choice([0.5, 1.0, 1.5, 2.0]),
        lambda_s=rng.choice([0.0, 0.3, 1.0, 1.45, 2.0]),
        cost=cost,
        scale=scale,
        name=name,
    )
    best = max(leaves, key=lambda i: (score[i], -i))
    keep = {problem.task_index[nodes[best].name]}
    parent = parents[best]
    while parent is not None:
        keep.add(problem.task_index[nodes[parent].name])
        parent = parents[parent]
    present = [task in keep for task in range(problem.num_tasks)]
    starts: list[int | None] = [0 if p else None for p in present]
    modes: list[int | None] = [0 if p else None for p in present]
    return _Draft(problem, 0, starts, modes, present=present, options=options)


_GENERATORS: dict[str, Callable[[random.Random, str], _Draft]] = {
    "rcpsp": _rcpsp,
    "tardiness": _tardiness,
    "jobshop": _jobshop,
    "fjsp": _fjsp,
    "pipelining": _pipelining,
    "podpack": _podpack,
    "kvtree": _kvtree,
}

__all__ = ["FAMILIES", "features", "random_instance", "size_stats", "witness"]
