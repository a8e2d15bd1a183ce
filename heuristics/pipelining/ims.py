"""Iterative modulo scheduling (Rau, MICRO-27 1994) on a cyclic IR problem, with modes and live ranges.

For II = ii_min, ii_min + 1, ... the ops are placed one at a time, highest
*height* first (the longest path to the end of the iteration with edge
weights ``lag - II * distance``), each at the earliest cycle of its window
``[Estart, Estart + II - 1]`` and in the first mode (warp group) at which every
constraint against the ops already placed holds: precedences (with the
transfer lag when the two modes' locations differ), the modulo reservation
table of every modulo resource (fixed usages and live ranges, a live range
reaching as far as its readers placed so far), bins. When no slot fits, the
op is forced at ``max(Estart, previous slot + 1)`` in its best mode and the
ops it conflicts with are unscheduled (Rau's eviction), within a budget of
``budget_ratio * number of ops`` placements per II. A complete schedule is
returned only if the independent checker accepts it.

Modes are tried in the order that keeps values where they are: fewest
already-placed neighbours at another location (no transfer), then the
location used least so far, then the mode's index.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np

from schedkit.models import PrecedenceType, ProblemData, ResourceKind, Solution
from schedkit.solvers.checker import check


class ImsError(ValueError):
    """The problem is not one iterative modulo scheduling handles (the message says why)."""


@dataclass
class _Usage:
    """A usage of one mode on a modulo resource: fixed length, or a live range (``readers`` not empty)."""

    resource: int
    amount: int
    offset: int
    length: int
    readers: tuple[tuple[int, int, int], ...] = ()


@dataclass
class _Mode:
    duration: int
    location: str | None
    usages: list[_Usage] = field(default_factory=list)
    bins: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Arc:
    """A precedence as ``S_b + distance * II >= S_a + lag(a's mode, b's mode)``."""

    a: int
    b: int
    type: PrecedenceType
    lag: int
    distance: int
    transfer: int


@dataclass
class ImsResult:
    """The schedule found (or None), its II, and the IIs tried with the placements each used."""

    solution: Solution | None
    ii: int | None
    tried: list[tuple[int, int]] = field(default_factory=list)


class _Instance:
    """The parts of a cyclic problem IMS reads, validated once."""

    def __init__(self, problem: ProblemData) -> None:
        if problem.cycle is None:
            raise ImsError("iterative modulo scheduling needs a cyclic problem (an initiation interval)")
        self.problem = problem
        self.n = problem.num_tasks
        self.modulo = [r for r, res in enumerate(problem.resources) if res.kind is ResourceKind.MODULO]
        self.capacity = [res.capacity for res in problem.resources]
        for res in problem.resources:
            if res.kind not in (ResourceKind.MODULO, ResourceKind.BIN):
                raise ImsError(f"resource '{res.name}' is {res.kind.value}: only modulo and bin resources are handled")
        self.modes: list[list[_Mode]] = []
        for i, task in enumerate(problem.tasks):
            if task.optional or task.release or task.deadline is not None or task.pin is not None:
                raise ImsError(f"{problem.describe_task(i)}: optional tasks, windows and pins are not handled")
            modes = []
            for mode in task.modes:
                entry = _Mode(mode.duration, mode.location)
                for d in mode.demands:
                    if problem.resources[d.resource].kind is ResourceKind.BIN:
                        entry.bins.append((d.resource, d.amount))
                        continue
                    readers = tuple((k.task, k.distance, k.lag) for k in d.until)
                    entry.usages.append(_Usage(d.resource, d.amount, d.offset, d.usage_length(mode.duration), readers))
                modes.append(entry)
            self.modes.append(modes)
        self.arcs = [_Arc(p.a, p.b, p.type, p.lag, p.distance, p.transfer_lag) for p in problem.precedences]
        # Transfer demands: usages of a, counted when a and b run at different locations.
        self.transfers: list[list[tuple[int, _Usage]]] = [[] for _ in range(self.n)]  # a -> (b, usage)
        self.readers_of: list[set[int]] = [set() for _ in range(self.n)]  # task -> tasks whose usages it extends
        for p in problem.precedences:
            for d in p.transfer_demands:
                if problem.resources[d.resource].kind is not ResourceKind.MODULO:
                    raise ImsError("transfer demands on non-modulo resources are not handled")
                readers = tuple((k.task, k.distance, k.lag) for k in d.until)
                self.transfers[p.a].append((p.b, _Usage(d.resource, d.amount, d.offset, d.length or 0, readers)))
                self.readers_of[p.b].add(p.a)
                for k, _, _ in readers:
                    self.readers_of[k].add(p.a)
        for i in range(self.n):
            for entry in self.modes[i]:
                for usage in entry.usages:
                    for k, _, _ in usage.readers:
                        self.readers_of[k].add(i)

    def offset_of(self, arc: _Arc, modes: list[int | None]) -> tuple[int, int]:
        """``(shift_a, shift_b)``: the time points of a and b relative to their starts (end = start + duration)."""
        ma, mb = modes[arc.a], modes[arc.b]
        end_a = self.modes[arc.a][ma].duration if ma is not None else 0
        end_b = self.modes[arc.b][mb].duration if mb is not None else 0
        t = arc.type
        shift_a = end_a if t in (PrecedenceType.END_TO_START, PrecedenceType.END_TO_END) else 0
        shift_b = end_b if t in (PrecedenceType.END_TO_END, PrecedenceType.START_TO_END) else 0
        return shift_a, shift_b


class _Schedule:
    """A partial modulo schedule at one II with its modulo reservation table."""

    def __init__(self, inst: _Instance, ii: int) -> None:
        self.inst = inst
        self.ii = ii
        self.start: list[int | None] = [None] * inst.n
        self.mode: list[int | None] = [None] * inst.n
        self.table = {r: np.zeros(ii, dtype=np.int64) for r in inst.modulo}
        self.bins = {r: 0 for r, res in enumerate(inst.problem.resources) if res.kind is ResourceKind.BIN}
        self.location_load: dict[str | None, int] = {}

    # ---------------------------------------------------------------- usages
    def _range_end(self, begin: int, usage: _Usage, start: list[int | None]) -> int:
        """End of a live range beginning at ``begin``: its length, or as far as its placed readers."""
        end = begin + usage.length
        for k, distance, lag in usage.readers:
            if (start_k := start[k]) is not None:
                end = max(end, start_k + distance * self.ii + lag)
        return end

    def _intervals(self, i: int, start: list[int | None], mode: list[int | None]) -> list[tuple[int, int, int, int]]:
        """``(resource, begin, end, amount)`` of every modulo usage of placed task i."""
        m, start_i = mode[i], start[i]
        assert m is not None and start_i is not None
        out = []
        for usage in self.inst.modes[i][m].usages:
            begin = start_i + usage.offset
            end = self._range_end(begin, usage, start) if usage.readers else begin + usage.length
            if end > begin:
                out.append((usage.resource, begin, end, usage.amount))
        location = self.inst.modes[i][m].location
        for b, usage in self.inst.transfers[i]:
            mb = mode[b]
            if start[b] is None or mb is None or self.inst.modes[b][mb].location == location:
                continue
            begin = start_i + usage.offset
            end = self._range_end(begin, usage, start) if usage.readers else begin + usage.length
            if end > begin:
                out.append((usage.resource, begin, end, usage.amount))
        return out

    def _fold(self, rows: dict[int, np.ndarray], intervals: list[tuple[int, int, int, int]], sign: int) -> None:
        ii = self.ii
        for r, begin, end, amount in intervals:
            row = rows.setdefault(r, self.table[r].copy())
            laps, rest = divmod(end - begin, ii)
            if laps:
                row += sign * laps * amount
            if rest:
                r0 = begin % ii
                if r0 + rest <= ii:
                    row[r0 : r0 + rest] += sign * amount
                else:
                    row[r0:] += sign * amount
                    row[: r0 + rest - ii] += sign * amount

    def affected(self, i: int) -> set[int]:
        """Placed tasks whose usages change when i is placed or removed (i and the producers it reads)."""
        return {p for p in self.inst.readers_of[i] if self.start[p] is not None} | {i}

    def trial(self, i: int, t: int, m: int) -> tuple[dict[int, np.ndarray], list[int]]:
        """The modulo rows with i placed at (t, m), and the resources over capacity."""
        producers = [p for p in self.affected(i) if p != i]
        rows: dict[int, np.ndarray] = {}
        self._fold(rows, [iv for p in producers for iv in self._intervals(p, self.start, self.mode)], -1)
        start, mode = list(self.start), list(self.mode)
        start[i], mode[i] = t, m
        self._fold(rows, [iv for p in [*producers, i] for iv in self._intervals(p, start, mode)], +1)
        over = [r for r, row in rows.items() if row.max(initial=0) > self.inst.capacity[r]]
        return rows, over

    # ------------------------------------------------------------ placement
    def precedence_conflicts(self, i: int, t: int, m: int) -> tuple[int, list[int]]:
        """The earliest start allowed by placed predecessors, and the placed successors violated at (t, m)."""
        inst = self.inst
        mode = list(self.mode)
        mode[i] = m
        earliest = 0
        violated = []
        for arc in inst.arcs:
            if arc.b == i and (start_a := self.start[arc.a]) is not None and arc.a != i:
                shift_a, shift_b = inst.offset_of(arc, mode)
                lag = arc.lag + self._transfer(arc, mode)
                earliest = max(earliest, start_a + shift_a + lag - arc.distance * self.ii - shift_b)
            elif arc.a == i and arc.b == i:
                shift_a, shift_b = inst.offset_of(arc, mode)
                if shift_b + arc.distance * self.ii < shift_a + arc.lag:
                    earliest = 10**9  # this II cannot satisfy the self-loop in this mode
            elif arc.a == i and (start_b := self.start[arc.b]) is not None:
                shift_a, shift_b = inst.offset_of(arc, mode)
                lag = arc.lag + self._transfer(arc, mode)
                if start_b + shift_b + arc.distance * self.ii < t + shift_a + lag:
                    violated.append(arc.b)
        return earliest, violated

    def _transfer(self, arc: _Arc, mode: list[int | None]) -> int:
        if not arc.transfer or (ma := mode[arc.a]) is None or (mb := mode[arc.b]) is None:
            return 0
        loc_a = self.inst.modes[arc.a][ma].location
        loc_b = self.inst.modes[arc.b][mb].location
        return arc.transfer if loc_a != loc_b else 0

    def bins_fit(self, i: int, m: int) -> bool:
        return all(self.bins[r] + amount <= self.inst.capacity[r] for r, amount in self.inst.modes[i][m].bins)

    def place(self, i: int, t: int, m: int, rows: dict[int, np.ndarray]) -> None:
        self.start[i], self.mode[i] = t, m
        for r, row in rows.items():
            self.table[r] = row
        for r, amount in self.inst.modes[i][m].bins:
            self.bins[r] += amount
        location = self.inst.modes[i][m].location
        self.location_load[location] = self.location_load.get(location, 0) + 1

    def remove(self, i: int) -> None:
        m = self.mode[i]
        assert m is not None
        producers = [p for p in self.affected(i) if p != i]
        rows: dict[int, np.ndarray] = {}
        self._fold(rows, [iv for p in [*producers, i] for iv in self._intervals(p, self.start, self.mode)], -1)
        self.start[i], self.mode[i] = None, None
        self._fold(rows, [iv for p in producers for iv in self._intervals(p, self.start, self.mode)], +1)
        for r, row in rows.items():
            self.table[r] = row
        for r, amount in self.inst.modes[i][m].bins:
            self.bins[r] -= amount
        location = self.inst.modes[i][m].location
        self.location_load[location] -= 1

    def transfer_partners(self, i: int, m: int) -> set[int]:
        """Placed tasks linked to i by a transfer demand and at another location than mode m of i."""
        location = self.inst.modes[i][m].location
        out = set()
        for b, _ in self.inst.transfers[i]:
            if (mb := self.mode[b]) is not None and self.inst.modes[b][mb].location != location:
                out.add(b)
        for a in self.inst.readers_of[i]:
            if (ma := self.mode[a]) is not None and any(b == i for b, _ in self.inst.transfers[a]):
                if self.inst.modes[a][ma].location != location:
                    out.add(a)
        return out

    def contributors(self, resources: list[int], rows: dict[int, np.ndarray], skip: int) -> set[int]:
        """Placed tasks (other than ``skip``) with a usage on a resource that ``rows`` puts over capacity."""
        out = set()
        over = {r: rows[r] > self.inst.capacity[r] for r in resources}
        for j in range(self.inst.n):
            if j == skip or self.start[j] is None:
                continue
            for r, begin, end, _ in self._intervals(j, self.start, self.mode):
                if r in over and _covers(over[r], begin, end, self.ii):
                    out.add(j)
                    break
        return out


def _covers(mask: np.ndarray, begin: int, end: int, ii: int) -> bool:
    """Whether [begin, end) meets a residue where ``mask`` is True."""
    if end - begin >= ii:
        return bool(mask.any())
    r0, r1 = begin % ii, (begin % ii) + (end - begin)
    if r1 <= ii:
        return bool(mask[r0:r1].any())
    return bool(mask[r0:].any() or mask[: r1 - ii].any())


def heights(inst: _Instance, ii: int) -> list[int] | None:
    """HeightR: the longest path from each op to the end of the iteration (None if a positive cycle exists)."""
    height = [max(mode.duration for mode in inst.modes[i]) for i in range(inst.n)]
    for _ in range(inst.n + 1):
        changed = False
        for arc in inst.arcs:
            if arc.a == arc.b:
                continue
            value = height[arc.b] + arc.lag - ii * arc.distance
            if value > height[arc.a]:
                height[arc.a] = value
                changed = True
        if not changed:
            return height
    return None


def _mode_order(sched: _Schedule, i: int, rng: random.Random | None = None) -> list[int]:
    """Modes of i, fewest placed neighbours at another location first, then the least used location.

    With ``rng`` (a restart), ties on the first criterion are broken at random instead.
    """
    inst = sched.inst
    jitter = {m: rng.random() for m in range(len(inst.modes[i]))} if rng is not None else None

    def key(m: int) -> tuple[int, float, int]:
        location = inst.modes[i][m].location
        crossing = 0
        for arc in inst.arcs:
            other = arc.b if arc.a == i else arc.a if arc.b == i else None
            if other is None or other == i or (mode_other := sched.mode[other]) is None or not arc.transfer:
                continue
            if inst.modes[other][mode_other].location != location:
                crossing += 1
        if jitter is not None:
            return crossing, jitter[m], m
        return crossing, sched.location_load.get(location, 0), m

    return sorted(range(len(inst.modes[i])), key=key)


def _forced_slot(sched: _Schedule, i: int, order: list[int], previous: int | None) -> tuple[int, int | None]:
    """Rau's forced slot ``max(Estart, previous + 1)`` in the mode whose placement there evicts fewest ops."""
    best: tuple[int, int, int | None] = (10**9, order[0], None)
    for m in order:
        earliest = sched.precedence_conflicts(i, 0, m)[0]
        if earliest >= 10**9:
            continue
        t = earliest if previous is None or earliest > previous else previous + 1
        _, violated = sched.precedence_conflicts(i, t, m)
        rows, over = sched.trial(i, t, m)
        evicted = len(set(violated) | sched.contributors(over, rows, i))
        if evicted < best[0]:
            best = (evicted, m, t)
    return best[1], best[2]


def schedule_at(
    inst: _Instance, ii: int, budget: int, rng: random.Random | None = None
) -> tuple[_Schedule | None, int]:
    """One IMS attempt at ``ii``: the complete schedule, or None when the budget runs out; and the steps used.

    ``rng`` randomises the tie-breaking of modes (a restart); None is Rau's deterministic order.
    """
    height = heights(inst, ii)
    if height is None:
        return None, 0
    sched = _Schedule(inst, ii)
    previous: list[int | None] = [None] * inst.n
    steps = 0
    while steps < budget:
        unplaced = [i for i in range(inst.n) if sched.start[i] is None]
        if not unplaced:
            return sched, steps
        i = max(unplaced, key=lambda k: (height[k], -k))
        steps += 1
        order = _mode_order(sched, i, rng)
        estart = max(sched.precedence_conflicts(i, 0, m)[0] for m in order[:1])
        choice = None
        for t in range(estart, estart + ii):
            for m in order:
                earliest, violated = sched.precedence_conflicts(i, t, m)
                if earliest > t or violated or not sched.bins_fit(i, m):
                    continue
                rows, over = sched.trial(i, t, m)
                if not over:
                    choice = (t, m, rows)
                    break
            if choice is not None:
                break
        if choice is None:  # force it, in the mode that evicts fewest ops, and evict what conflicts
            m, forced = _forced_slot(sched, i, order, previous[i])
            if forced is None:
                return None, steps
            t = forced
            _, violated = sched.precedence_conflicts(i, t, m)
            for j in violated:
                sched.remove(j)
            rows, over = sched.trial(i, t, m)
            for j in sched.contributors(over, rows, i):
                sched.remove(j)
            rows, over = sched.trial(i, t, m)
            if over:  # i's own usage overflows: a copy to or from a placed neighbour elsewhere is too big
                for j in sched.transfer_partners(i, m):
                    sched.remove(j)
                rows, over = sched.trial(i, t, m)
            if over or not sched.bins_fit(i, m):
                return None, steps  # i alone does not fit this II
            choice = (t, m, rows)
        t, m, rows = choice
        sched.place(i, t, m, rows)
        previous[i] = t
    return None, steps


def iterative_modulo_schedule(
    problem: ProblemData, budget_ratio: int = 6, ii_max: int | None = None, restarts: int = 8, seed: int = 0
) -> ImsResult:
    """Rau's iterative modulo scheduling on ``problem`` (see the module docstring).

    Tries II from ``problem.cycle.ii_min`` up to ``ii_max`` (default: the
    cycle's ``ii_max``); at each II, Rau's deterministic attempt first, then
    ``restarts`` attempts with random tie-breaking among modes (seeded by
    ``seed``), each with ``budget_ratio * ops`` placements. The schedule
    returned is translated to start at 0 and has passed
    :func:`schedkit.solvers.checker.check`; ``ImsError`` for a problem it
    cannot handle (acyclic, optional tasks, other resource kinds).
    """
    inst = _Instance(problem)
    assert problem.cycle is not None
    top = problem.cycle.ii_max if ii_max is None else min(ii_max, problem.cycle.ii_max)
    out = ImsResult(None, None)
    rng = random.Random(seed)
    for ii in range(problem.cycle.ii_min, top + 1):
        for attempt in range(restarts + 1):
            sched, steps = schedule_at(inst, ii, budget_ratio * inst.n, rng if attempt else None)
            out.tried.append((ii, steps))
            if sched is None:
                continue
            first = min(s for s in sched.start if s is not None)
            starts = [s - first for s in sched.start if s is not None]
            solution = Solution.from_lists(starts, sched.mode, ii=ii)
            if check(problem, solution):
                continue  # a construct the tables above do not capture: never return an unchecked schedule
            out.solution, out.ii = solution, ii
            return out
    return out
