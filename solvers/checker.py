"""The independent checker: verify a ``Solution`` against a ``ProblemData``, recompute its objective.

Every solver result passes through :func:`check` before it is returned, so this
module is written from the IR semantics alone (the docstrings of
``schedkit.models.entities``, ``schedkit.models.enums`` and ``schedkit.models.problem``), never from a
compiler: it imports only the standard library and ``schedkit.models``. A backend
result it rejects is a bug in that backend.

What is verified (each failure is a :class:`Violation` of one kind):

``structure``
    the solution has one assignment per task; a present task has a mode index
    in range and an integer start >= 0; a mandatory task is present; ``ii`` is
    an integer exactly when the problem is cyclic.
``pin``, ``release``, ``deadline``, ``horizon``
    per-task fixings and time windows (``horizon`` only when the user set one).
``precedence``
    ``X_b + d * II >= Y_a + lag (+ transfer_lag across locations)`` for the
    four precedence types, when both tasks are present.
``capacity``
    unary and renewable resources, with calendars, by a sweep over the change
    points (never time step by time step).
``consumable``, ``bin``, ``modulo``, ``cycle``
    budgets over time, time-free packing, per-residue capacity modulo II, and
    the II bounds. A live range (a demand with ``until`` readers) is a timed
    usage from the producer's start to its last present reader's read; a
    precedence's ``transfer_demands`` count when its tasks' locations differ.
``implication``, ``selection``, ``disjunctive``
    presence logic and pairwise non-overlap.

Coverage groups are not constraints: they only feed the objective.

The checker never raises on a malformed solution: it reports ``structure``
violations and skips the checks that involve the malformed parts (what remains
is still checked, and skipping a task can only hide violations, never invent
one). It is called after every solve and, by brute-force tests, about 10^5
times on tiny problems, so it builds no per-call objects beyond flat lists and
caches nothing between calls.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

from schedkit.models import PrecedenceType, ProblemData, ResourceKind, Solution, TermKind
from schedkit.models.terms import TERMS, presence_values, start_moved_cost

__all__ = ["VIOLATION_KINDS", "Violation", "check", "evaluate", "is_feasible"]

VIOLATION_KINDS: tuple[str, ...] = (
    "structure",
    "pin",
    "release",
    "deadline",
    "horizon",
    "precedence",
    "capacity",
    "consumable",
    "bin",
    "modulo",
    "cycle",
    "implication",
    "selection",
    "disjunctive",
)
"""Every value :attr:`Violation.kind` can take."""

_MAX_NAMES = 12
"""How many task names a message lists before it abbreviates (``Violation.tasks`` keeps all)."""

_UNARY = ResourceKind.UNARY
_RENEWABLE = ResourceKind.RENEWABLE
_CONSUMABLE = ResourceKind.CONSUMABLE
_BIN = ResourceKind.BIN
_MODULO = ResourceKind.MODULO
_END_TO_START = PrecedenceType.END_TO_START
_START_TO_START = PrecedenceType.START_TO_START
_END_TO_END = PrecedenceType.END_TO_END


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken constraint of a solution.

    ``kind`` is one of :data:`VIOLATION_KINDS` (so callers and tests can
    dispatch on it); ``message`` is a sentence naming the tasks, resource and
    time involved, for people; ``tasks`` (names), ``resource`` (name) and
    ``time`` repeat those facts in machine-readable form (``time`` is a residue
    for ``modulo`` violations).
    """

    kind: str
    message: str
    tasks: tuple[str, ...] = ()
    resource: str | None = None
    time: int | None = None

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


# --------------------------------------------------------------------- parsing
def _as_int(value: Any) -> int | None:
    """``value`` as a Python int if it is an integer (numpy ints included, bools excluded), else None."""
    if type(value) is int:
        return value
    if value is None or isinstance(value, (bool, float)):
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


class _Parsed:
    """The decoded solution: flat per-task lists (a task that cannot be evaluated has ``start[i] is None``).

    ``present[i]``  presence (always known);
    ``mode[i]``     chosen mode index, None when absent or invalid;
    ``start[i]``    start, None when absent or when mode or start is invalid;
    ``end[i]``      end = start + duration, None likewise;
    ``ii``          the initiation interval (0 for acyclic problems), None when unusable.
    """

    __slots__ = ("present", "mode", "start", "end", "ii")

    def __init__(
        self,
        present: list[bool],
        mode: list[int | None],
        start: list[int | None],
        end: list[int | None],
        ii: int | None,
    ) -> None:
        self.present = present
        self.mode = mode
        self.start = start
        self.end = end
        self.ii = ii


def _parse(problem: ProblemData, solution: Solution, out: list[Violation]) -> _Parsed | None:
    """Decode ``solution``, appending ``structure`` violations to ``out``; None if its length is wrong."""
    tasks = problem.tasks
    assignments = solution.tasks
    n = len(tasks)
    if len(assignments) != n:
        out.append(
            Violation(
                "structure",
                f"solution has {len(assignments)} task assignments, problem '{problem.name}' has {n} tasks",
            )
        )
        return None
    present: list[bool] = [False] * n
    mode: list[int | None] = [None] * n
    start: list[int | None] = [None] * n
    end: list[int | None] = [None] * n
    for i in range(n):
        a = assignments[i]
        task = tasks[i]
        if not a.present:
            if not task.optional:
                out.append(Violation("structure", f"mandatory task {task.name} is absent", (task.name,)))
            continue
        present[i] = True
        m = a.mode
        if type(m) is not int:
            m = _as_int(m)
        modes = task.modes
        if m is None or not 0 <= m < len(modes):
            out.append(
                Violation(
                    "structure",
                    f"task {task.name} is present with mode {a.mode!r}, not an index in 0..{len(modes) - 1}",
                    (task.name,),
                )
            )
            m = None
        else:
            mode[i] = m
        s = a.start
        if type(s) is not int:
            s = _as_int(s)
            if s is None:
                what = "no start" if a.start is None else f"non-integer start {a.start!r}"
                out.append(Violation("structure", f"task {task.name} is present with {what}", (task.name,)))
                continue
        if s < 0:
            out.append(Violation("structure", f"task {task.name} has negative start {s}", (task.name,), time=s))
        if m is not None:
            start[i] = s
            end[i] = s + modes[m].duration
    ii: int | None = 0
    if problem.cycle is None:
        if solution.ii is not None:
            out.append(Violation("structure", f"solution gives II={solution.ii!r} for an acyclic problem"))
    else:
        ii = _as_int(solution.ii)
        if ii is None:
            what = "no II" if solution.ii is None else f"non-integer II {solution.ii!r}"
            out.append(Violation("structure", f"solution of a cyclic problem has {what}"))
    return _Parsed(present, mode, start, end, ii)


def _names(problem: ProblemData, indices: list[int] | tuple[int, ...]) -> tuple[str, ...]:
    """Task names of ``indices``, without repeats, in order of first appearance."""
    tasks = problem.tasks
    return tuple(dict.fromkeys(tasks[i].name for i in indices))


def _listing(names: tuple[str, ...]) -> str:
    """``a, b, c`` (abbreviated after :data:`_MAX_NAMES` names)."""
    if len(names) <= _MAX_NAMES:
        return ", ".join(names)
    return ", ".join(names[:_MAX_NAMES]) + f", ... ({len(names)} tasks)"


# ----------------------------------------------------------------------- check
def check(problem: ProblemData, solution: Solution) -> list[Violation]:
    """Every constraint of ``problem`` that ``solution`` breaks (an empty list = feasible).

    Never raises on a malformed solution: structural problems are reported as
    ``structure`` violations and the checks that cannot be evaluated are
    skipped. See the module docstring for the list of kinds.
    """
    out: list[Violation] = []
    parsed = _parse(problem, solution, out)
    if parsed is None:
        return out
    _check_tasks(problem, parsed, out)
    if problem.cycle is not None and parsed.ii is not None:
        cycle = problem.cycle
        if not cycle.ii_min <= parsed.ii <= cycle.ii_max:
            out.append(
                Violation("cycle", f"II={parsed.ii} is outside [{cycle.ii_min}, {cycle.ii_max}]", time=parsed.ii)
            )
    if problem.precedences:
        _check_precedences(problem, parsed, out)
    if problem.resources:
        _check_resources(problem, parsed, out)
    if problem.implications or problem.selections:
        _check_presence_logic(problem, parsed, out)
    if problem.disjunctive_pairs:
        _check_disjunctive(problem, parsed, out)
    return out


def is_feasible(problem: ProblemData, solution: Solution) -> bool:
    """Whether ``solution`` breaks no constraint of ``problem`` (``not check(problem, solution)``)."""
    return not check(problem, solution)


def _check_tasks(problem: ProblemData, parsed: _Parsed, out: list[Violation]) -> None:
    """Pins, releases, deadlines and the user's horizon, task by task."""
    horizon = problem.horizon
    present = parsed.present
    mode = parsed.mode
    start = parsed.start
    end = parsed.end
    for i, task in enumerate(problem.tasks):
        pin = task.pin
        if pin is not None:
            if pin.present is not None and pin.present != present[i]:
                state = "present" if present[i] else "absent"
                out.append(
                    Violation(
                        "pin",
                        f"task {task.name} is {state} but pinned {'present' if pin.present else 'absent'}",
                        (task.name,),
                    )
                )
            if present[i]:
                if pin.mode is not None and mode[i] is not None and mode[i] != pin.mode:
                    out.append(
                        Violation(
                            "pin",
                            f"task {task.name} runs in mode {mode[i]} but is pinned to mode {pin.mode}",
                            (task.name,),
                        )
                    )
                if pin.start is not None and start[i] is not None and start[i] != pin.start:
                    out.append(
                        Violation(
                            "pin",
                            f"task {task.name} starts at {start[i]} but is pinned to start at {pin.start}",
                            (task.name,),
                            time=start[i],
                        )
                    )
        s = start[i]
        e = end[i]
        if s is None or e is None:  # absent, or not evaluable (already reported); both or neither are None
            continue
        if s < task.release:
            out.append(
                Violation("release", f"task {task.name} starts at {s} < release {task.release}", (task.name,), time=s)
            )
        if task.deadline is not None and e > task.deadline:
            out.append(
                Violation("deadline", f"task {task.name} ends at {e} > deadline {task.deadline}", (task.name,), time=e)
            )
        if horizon is not None and e > horizon:
            out.append(Violation("horizon", f"task {task.name} ends at {e} > horizon {horizon}", (task.name,), time=e))


def _check_precedences(problem: ProblemData, parsed: _Parsed, out: list[Violation]) -> None:
    """``X_b + d * II >= Y_a + lag (+ transfer_lag when the locations differ)`` for present pairs."""
    tasks = problem.tasks
    start = parsed.start
    end = parsed.end
    mode = parsed.mode
    ii = parsed.ii
    for prec in problem.precedences:
        a = prec.a
        b = prec.b
        s_a = start[a]
        s_b = start[b]
        if s_a is None or s_b is None:  # absent, or not evaluable (already reported)
            continue
        d = prec.distance
        shift = 0
        if d:
            if ii is None:
                continue
            shift = d * ii
        ptype = prec.type
        y_a: int | None
        x_b: int | None
        if ptype is _END_TO_START:
            y_a, x_b, y_name, x_name = end[a], s_b, "end", "start"
        elif ptype is _START_TO_START:
            y_a, x_b, y_name, x_name = s_a, s_b, "start", "start"
        elif ptype is _END_TO_END:
            y_a, x_b, y_name, x_name = end[a], end[b], "end", "end"
        else:
            y_a, x_b, y_name, x_name = s_a, end[b], "start", "end"
        if y_a is None or x_b is None:  # never: a task's end, start and mode are None together
            continue
        lag = prec.lag
        transfer = 0
        if prec.transfer_lag:
            m_a = mode[a]
            m_b = mode[b]
            if m_a is None or m_b is None:  # never, likewise
                continue
            loc_a = tasks[a].modes[m_a].location
            loc_b = tasks[b].modes[m_b].location
            if loc_a != loc_b:
                transfer = prec.transfer_lag
        lhs = x_b + shift
        rhs = y_a + lag + transfer
        if lhs >= rhs:
            continue
        name_a = tasks[a].name
        name_b = tasks[b].name
        detail = f"{ptype.value}, lag {lag}"
        if transfer:
            detail += f", transfer lag {transfer} ({loc_a!r} -> {loc_b!r})"
        if d:
            detail += f", distance {d}, II {ii}"
        left = f"{x_name} {x_b} + {d}*{ii} = {lhs}" if d else f"{x_name} {x_b}"
        right = f"{y_name} {y_a} + {lag + transfer}" if lag + transfer else f"{y_name} {y_a}"
        out.append(
            Violation(
                "precedence",
                f"precedence {name_a} -> {name_b} ({detail}): {left} < {rhs} ({name_a} {right})",
                (name_a, name_b),
                time=x_b,
            )
        )


def _check_resources(problem: ProblemData, parsed: _Parsed, out: list[Violation]) -> None:
    """Gather each resource's usages from the chosen modes, then check them by resource kind."""
    resources = problem.resources
    tasks = problem.tasks
    present = parsed.present
    mode = parsed.mode
    start = parsed.start
    # usages[r]: timed resources -> (begin, end, amount, task); bin -> (amount, task);
    # consumable -> (time, amount, task)
    usages: list[list[tuple[int, ...]]] = [[] for _ in resources]
    kinds = [res.kind for res in resources]
    for i in range(len(tasks)):
        if not present[i]:
            continue
        m = mode[i]
        if m is None:
            continue
        chosen = tasks[i].modes[m]
        s = start[i]
        for dem in chosen.demands:
            r = dem.resource
            kind = kinds[r]
            if kind is _BIN:
                usages[r].append((dem.amount, i))
            elif s is None:
                continue
            elif kind is _CONSUMABLE:
                usages[r].append((s, dem.amount, i))
            else:
                length = chosen.duration if dem.length is None else dem.length
                begin = s + dem.offset
                finish = begin + length
                if dem.until:  # a live range lasts until its last present reader is done
                    finish = _live_range_end(dem.until, finish, start, parsed.ii)
                if finish > begin:
                    usages[r].append((begin, finish, dem.amount, i))
    if any(prec.transfer_demands for prec in problem.precedences):
        _add_transfer_usages(problem, parsed, usages)
    for r, res in enumerate(resources):
        used = usages[r]
        if not used:
            continue
        kind = kinds[r]
        if kind is _UNARY or kind is _RENEWABLE:
            _sweep_timed(problem, res, used, out)
        elif kind is _MODULO:
            if parsed.ii is not None and parsed.ii >= 1:
                _sweep_modulo(problem, res, used, parsed.ii, out)
        elif kind is _CONSUMABLE:
            _sweep_consumable(problem, res, used, out)
        else:
            total = 0
            for amount, _ in used:
                total += amount
            if total > res.capacity:
                names = _names(problem, [i for _, i in used])
                out.append(
                    Violation(
                        "bin",
                        f"bin '{res.name}' over capacity: demand {total} > capacity {res.capacity} "
                        f"(tasks {_listing(names)})",
                        names,
                        res.name,
                    )
                )


def _add_transfer_usages(problem: ProblemData, parsed: _Parsed, usages: list[list[tuple[int, ...]]]) -> None:
    """The usages of ``Precedence.transfer_demands`` whose two tasks run at different locations.

    Each is timed from a's start like a demand of a's mode (a live range
    reaching to its present readers); equal locations hold nothing.
    """
    tasks = problem.tasks
    start = parsed.start
    mode = parsed.mode
    for prec in problem.precedences:
        if not prec.transfer_demands:
            continue
        a, b = prec.a, prec.b
        s_a = start[a]
        m_a = mode[a]
        m_b = mode[b]
        if s_a is None or start[b] is None or m_a is None or m_b is None:
            continue  # absent, or not evaluable (already reported)
        if tasks[a].modes[m_a].location == tasks[b].modes[m_b].location:
            continue
        for dem in prec.transfer_demands:
            begin = s_a + dem.offset
            finish = begin + (dem.length or 0)
            if dem.until:
                finish = _live_range_end(dem.until, finish, start, parsed.ii)
            if finish > begin:
                usages[dem.resource].append((begin, finish, dem.amount, a))


def _live_range_end(until: Any, finish: int, start: list[int | None], ii: int | None) -> int:
    """End of a live range: ``max(finish, S_k + distance_k * II + lag_k)`` over the present readers k.

    Readers that are absent (or whose start is unusable, already reported)
    read nothing; a reader at a positive distance needs a usable II.
    """
    for reader in until:
        s_k = start[reader.task]
        if s_k is None or (reader.distance and ii is None):
            continue
        end = s_k + reader.distance * ii + reader.lag if reader.distance and ii is not None else s_k + reader.lag
        if end > finish:
            finish = end
    return finish


def _capacity_steps(res: Any) -> list[tuple[int, int]]:
    """The capacity profile of ``res`` as ``(time, capacity from then on)`` steps after time -inf.

    Windows are sorted and disjoint (validated), so applying the steps in
    order gives ``capacity_at``; a window starting where another ends wins.
    """
    base = res.capacity
    steps: list[tuple[int, int]] = []
    for window in res.calendar:
        steps.append((window.start, window.capacity))
        steps.append((window.end, base))
    return steps


def _sweep_timed(problem: ProblemData, res: Any, used: list[tuple[int, ...]], out: list[Violation]) -> None:
    """Unary/renewable: load(t) <= capacity_at(t) on every segment between change points, O(n log n).

    Within one stretch over capacity, a new violation is reported only where a
    usage starts or the capacity drops (a new conflict), not where a usage
    merely ends, so a badly broken schedule yields one report per conflict.
    """
    events: list[tuple[int, int, int]] = []  # (time, +amount / -amount, usage id)
    for uid, (begin, finish, amount, _) in enumerate(used):
        events.append((begin, amount, uid))
        events.append((finish, -amount, uid))
    events.sort()
    steps = _capacity_steps(res) if res.calendar else []
    num_events = len(events)
    num_steps = len(steps)
    cap = res.capacity
    load = 0
    active: dict[int, None] = {}
    over = False
    i = j = 0
    while i < num_events:
        t = events[i][0]
        if j < num_steps and steps[j][0] < t:
            t = steps[j][0]
        started = False
        while i < num_events and events[i][0] == t:
            _, delta, uid = events[i]
            load += delta
            if delta > 0:
                active[uid] = None
                started = True
            else:
                del active[uid]
            i += 1
        previous_cap = cap
        while j < num_steps and steps[j][0] == t:
            cap = steps[j][1]
            j += 1
        if load <= cap:
            over = False
        elif not over or started or cap < previous_cap:
            over = True
            until = events[i][0] if i < num_events else t
            if j < num_steps and steps[j][0] < until:
                until = steps[j][0]
            names = _names(problem, [used[uid][3] for uid in active])
            out.append(
                Violation(
                    "capacity",
                    f"resource '{res.name}' over capacity at t={t}: usage {load} > capacity {cap} "
                    f"(tasks {_listing(names)}) on [{t}, {until})",
                    names,
                    res.name,
                    t,
                )
            )


def _sweep_consumable(problem: ProblemData, res: Any, used: list[tuple[int, ...]], out: list[Violation]) -> None:
    """Consumable: consumption by the tasks started at or before t <= capacity_at(t), for every t.

    Consumption only grows, but a calendar may lower the capacity later, so
    the sweep runs over the consumption times and the capacity steps. One
    violation is reported per maximal stretch of time over budget (at its
    first instant, naming the tasks started by then), not one per change point.
    """
    used = sorted(used)
    steps = _capacity_steps(res) if res.calendar else []
    num_used = len(used)
    num_steps = len(steps)
    cap = res.capacity
    total = 0
    i = j = 0
    over = False
    while i < num_used or j < num_steps:
        if j >= num_steps or (i < num_used and used[i][0] <= steps[j][0]):
            t = used[i][0]
        else:
            t = steps[j][0]
        while i < num_used and used[i][0] == t:
            total += used[i][1]
            i += 1
        while j < num_steps and steps[j][0] == t:
            cap = steps[j][1]
            j += 1
        if total > cap:
            if not over:
                names = _names(problem, [u[2] for u in used[:i]])
                out.append(
                    Violation(
                        "consumable",
                        f"consumable '{res.name}' over budget at t={t}: consumed {total} > capacity {cap} "
                        f"(tasks started by then: {_listing(names)})",
                        names,
                        res.name,
                        t,
                    )
                )
            over = True
        else:
            over = False


def _sweep_modulo(problem: ProblemData, res: Any, used: list[tuple[int, ...]], ii: int, out: list[Violation]) -> None:
    """Modulo: at every residue r in [0, II), the summed amount covering r (with multiplicity) <= capacity.

    A usage [a, a + L) covers every residue L // II times, plus the L % II
    residues from a mod II on (wrapping) once more; a sweep over those arc end
    points on the circle [0, II) costs O(n log n), independent of II. As for
    timed resources, a stretch over capacity is reported where it begins and
    where a further usage joins it.
    """
    cap = res.capacity
    base = 0  # amount covering every residue
    always: list[int] = []  # usage ids in `base`
    events: list[tuple[int, int, int]] = []  # (residue, +/-amount, usage id)
    for uid, (begin, finish, amount, _) in enumerate(used):
        length = finish - begin
        laps, rest = divmod(length, ii)
        if laps:
            base += laps * amount
            always.append(uid)
        if rest:
            r0 = begin % ii
            r1 = r0 + rest
            if r1 <= ii:
                events.append((r0, amount, uid))
                if r1 < ii:
                    events.append((r1, -amount, uid))
            else:  # wraps: [r0, ii) and [0, r1 - ii)
                events.append((0, amount, uid))
                events.append((r1 - ii, -amount, uid))
                events.append((r0, amount, uid))
    events.sort()
    load = base
    active: dict[int, int] = {}  # usage id -> number of its arcs covering the current residue
    if base > cap and (not events or events[0][0] > 0):
        _modulo_violation(problem, res, used, ii, 0, load, always, active, out)
    over = load > cap
    num_events = len(events)
    i = 0
    while i < num_events:
        t = events[i][0]
        started = False
        while i < num_events and events[i][0] == t:
            _, delta, uid = events[i]
            load += delta
            if delta > 0:
                active[uid] = active.get(uid, 0) + 1
                started = True
            else:
                count = active[uid] - 1
                if count:
                    active[uid] = count
                else:
                    del active[uid]
            i += 1
        if load <= cap:
            over = False
        elif not over or started or t == 0:
            over = True
            _modulo_violation(problem, res, used, ii, t, load, always, active, out)


def _modulo_violation(
    problem: ProblemData,
    res: Any,
    used: list[tuple[int, ...]],
    ii: int,
    residue: int,
    load: int,
    always: list[int],
    active: dict[int, int],
    out: list[Violation],
) -> None:
    """Append the ``modulo`` violation at ``residue``."""
    names = _names(problem, [used[uid][3] for uid in always] + [used[uid][3] for uid in active])
    out.append(
        Violation(
            "modulo",
            f"modulo resource '{res.name}' over capacity at residue {residue} (mod II={ii}): usage {load} > "
            f"capacity {res.capacity} (tasks {_listing(names)})",
            names,
            res.name,
            residue,
        )
    )


def _check_presence_logic(problem: ProblemData, parsed: _Parsed, out: list[Violation]) -> None:
    """Implications (a present => one of then_any present) and selections (count within bounds)."""
    tasks = problem.tasks
    present = parsed.present
    for imp in problem.implications:
        if present[imp.a] and not any(present[k] for k in imp.then_any):
            names = _names(problem, imp.then_any)
            out.append(
                Violation(
                    "implication",
                    f"task {tasks[imp.a].name} is present but none of {_listing(names)} is",
                    (tasks[imp.a].name, *names),
                )
            )
    for sel in problem.selections:
        count = 0
        for k in sel.tasks:
            if present[k]:
                count += 1
        if count < sel.min_present or (sel.max_present is not None and count > sel.max_present):
            bound = f"[{sel.min_present}, {'inf' if sel.max_present is None else sel.max_present}]"
            names = _names(problem, sel.tasks)
            out.append(
                Violation(
                    "selection",
                    f"{count} of tasks {_listing(names)} are present, outside {bound}",
                    names,
                )
            )


def _check_disjunctive(problem: ProblemData, parsed: _Parsed, out: list[Violation]) -> None:
    """Disjunctive pairs: when both are present, [S_a, E_a) and [S_b, E_b) do not overlap."""
    tasks = problem.tasks
    start = parsed.start
    end = parsed.end
    for pair in problem.disjunctive_pairs:
        a = pair.a
        b = pair.b
        s_a = start[a]
        s_b = start[b]
        e_a = end[a]
        e_b = end[b]
        if s_a is None or s_b is None or e_a is None or e_b is None:
            continue
        if max(s_a, s_b) < min(e_a, e_b):
            name_a = tasks[a].name
            name_b = tasks[b].name
            out.append(
                Violation(
                    "disjunctive",
                    f"disjunctive tasks {name_a} [{s_a}, {e_a}) and {name_b} [{s_b}, {e_b}) overlap "
                    f"at t={max(s_a, s_b)}",
                    (name_a, name_b),
                    time=max(s_a, s_b),
                )
            )


# -------------------------------------------------------------------- objective
def evaluate(problem: ProblemData, solution: Solution) -> tuple[int, ...]:
    """Value of every objective level (in level order), recomputed from scratch.

    Each level is the weighted sum of its terms (see :class:`models.TermKind`
    for each term); the sense of a level does not change its value. Integer
    arithmetic only, so lexicographic levels can be compared and locked
    exactly. Assumes a structurally valid solution: raises ``ValueError``
    listing the ``structure`` violations otherwise. Other constraints are not
    checked (an infeasible schedule still has objective values).
    """
    problems: list[Violation] = []
    parsed = _parse(problem, solution, problems)
    if problems:
        raise ValueError("cannot evaluate a malformed solution: " + "; ".join(v.message for v in problems))
    assert parsed is not None
    values = []
    for level in problem.objective.levels:
        total = 0
        for term in level.terms:
            weight = term.weight
            if weight:
                total += weight * _term_value(problem, parsed, term.kind, term.tasks)
        values.append(total)
    return tuple(values)


def _term_value(problem: ProblemData, parsed: _Parsed, kind: TermKind, subset: tuple[int, ...] | None) -> int:
    """Unweighted value of one term over ``subset`` (None = all tasks)."""
    if kind is TermKind.COVERAGE_REWARD:
        present = parsed.present
        return sum(g.reward for g in problem.coverage_groups if any(present[k] for k in g.tasks))
    if kind is TermKind.INITIATION_INTERVAL:
        return parsed.ii or 0
    tasks = problem.tasks
    indices = range(len(tasks)) if subset is None else subset
    present = parsed.present
    end = parsed.end
    if TERMS[kind].linear_in_presence:
        value = 0
        for i in indices:
            values = presence_values(kind, tasks[i])
            if not present[i]:
                value += values.absent
                continue
            mode = parsed.mode[i]
            assert mode is not None  # a present task has a mode (the structure check)
            value += values.per_mode[mode]
            ref = tasks[i].reference
            if kind is TermKind.DISRUPTION and ref is not None and mode == ref.mode and parsed.start[i] != ref.start:
                value += start_moved_cost(tasks[i])
        return value
    chosen = [i for i in indices if present[i]]
    if kind is TermKind.LOCATIONS_USED:
        # A present task has a mode, a start and an end (the structure check): the `is not None` filters
        # below drop nothing, they narrow the Optionals for the type checker.
        return len({tasks[i].modes[m].location for i in chosen if (m := parsed.mode[i]) is not None})
    if kind is TermKind.MAKESPAN:
        return max((e for i in chosen if (e := end[i]) is not None), default=0)
    if kind is TermKind.TOTAL_WEIGHTED_TARDINESS:
        value = 0
        for i in chosen:
            due = tasks[i].due_date
            e = end[i]
            if due is not None and e is not None and e > due:
                value += tasks[i].weight * (e - due)
        return value
    if kind is TermKind.TOTAL_WEIGHTED_COMPLETION:
        return sum(tasks[i].weight * e for i in chosen if (e := end[i]) is not None)
    if kind is TermKind.MAX_LATENESS:
        return max(
            (e - due for i in chosen if (due := tasks[i].due_date) is not None and (e := end[i]) is not None),
            default=0,
        )
    if kind is TermKind.WEIGHTED_TARDY_COUNT:
        return sum(
            tasks[i].weight
            for i in chosen
            if (due := tasks[i].due_date) is not None and (e := end[i]) is not None and e > due
        )
    if kind is TermKind.SCHEDULE_LENGTH:
        if not chosen:
            return 0
        ends = [e for i in chosen if (e := end[i]) is not None]
        starts = [s for i in chosen if (s := parsed.start[i]) is not None]
        return max(ends) - min(starts)
    raise ValueError(f"unknown objective term kind {kind!r}")
