"""Frozen, index-based entities of the IR.

Every entity refers to others by integer index (into ``ProblemData.tasks`` or
``ProblemData.resources``); names exist for people and files. All times,
durations, demands and capacities are integers, and so are all objective data
(weights, values, costs, rewards): integer data keeps the checker exact and lets
lexicographic levels be locked without rounding. Families with real-valued
data (e.g. KV-tree rewards) scale them to integers in their builder.

The semantics of each construct are stated here once; the checker
(``schedkit.solvers.checker``) and every compiler implement exactly these statements.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schedkit.models.enums import PrecedenceType, ResourceKind, Sense, TermKind


@dataclass(frozen=True, slots=True)
class CapacityWindow:
    """Capacity ``capacity`` holds on the half-open window ``[start, end)``.

    Outside all windows a resource has its base capacity. Downtime is a window
    with capacity 0. Windows of one resource may not overlap.
    """

    start: int
    end: int
    capacity: int


@dataclass(frozen=True, slots=True)
class Resource:
    """A resource of one ``kind`` (see :class:`ResourceKind` for the semantics).

    ``capacity`` is the base capacity; ``calendar`` lists windows that override it
    (only for unary, renewable and consumable resources).
    """

    name: str
    kind: ResourceKind
    capacity: int = 1
    calendar: tuple[CapacityWindow, ...] = ()

    def capacity_at(self, time: int) -> int:
        """Capacity in force at ``time``."""
        for window in self.calendar:
            if window.start <= time < window.end:
                return window.capacity
        return self.capacity

    @property
    def max_capacity(self) -> int:
        """The largest capacity the resource ever has."""
        return max([self.capacity, *(w.capacity for w in self.calendar)])


@dataclass(frozen=True, slots=True)
class Reader:
    """A task that reads the value a demand stands for (see :attr:`Demand.until`).

    The read of task ``task`` of iteration ``i + distance`` (``distance`` > 0
    only in cyclic problems) lasts until ``lag`` time units after its start.
    """

    task: int
    distance: int = 0
    lag: int = 0


@dataclass(frozen=True, slots=True)
class Demand:
    """A mode's use of one resource.

    For timed resources (unary, renewable, modulo) the usage covers the
    half-open interval ``[S + offset, S + offset + length)`` where S is the
    task's start and ``length`` defaults to the mode's duration; a usage of
    length 0 occupies nothing. Several demands of one mode on one timed resource
    form a reservation table. For bin and consumable resources only ``amount``
    matters (a consumable is consumed at the task's start).

    A *live range* (``until`` not empty, timed resources only) stands for a
    value the task produces and other tasks read: its usage starts at the same
    point but lasts until the last read ends,

        ``[S + offset, max(S + offset + length, max_k (S_k + distance_k * II + lag_k)))``

    over the readers k of ``until`` that are present (absent readers read
    nothing; ``length`` is then the least lifetime). Because the demand belongs
    to a mode, the value occupies the resource of wherever the producer runs
    (e.g. the registers of its warp group), whatever the readers' modes.
    """

    resource: int
    amount: int
    offset: int = 0
    length: int | None = None
    until: tuple[Reader, ...] = ()

    def usage_length(self, duration: int) -> int:
        """Length of the occupied interval for a mode of ``duration`` (the least length of a live range)."""
        return duration if self.length is None else self.length


@dataclass(frozen=True, slots=True)
class Mode:
    """One way to execute a task: a duration, resource demands and a cost.

    ``location`` tags where the mode runs (a machine, a warp group); a
    precedence's ``transfer_lag`` applies when the two tasks run at different
    locations.
    """

    duration: int
    demands: tuple[Demand, ...] = ()
    cost: int = 0
    location: str | None = None


@dataclass(frozen=True, slots=True)
class Pin:
    """A partial fixing of a task: presence, mode and/or start (None = free)."""

    present: bool | None = None
    mode: int | None = None
    start: int | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference assignment used by the ``disruption`` objective term.

    The task counts as *evicted* (cost ``evict_cost``) when absent and as
    *moved* (cost ``move_cost``) when present in a mode other than ``mode`` or,
    if ``start`` is given, at another start.
    """

    mode: int
    start: int | None = None
    move_cost: int = 1
    evict_cost: int = 1


@dataclass(frozen=True, slots=True)
class Task:
    """A task (activity, operation, job, pod, loop op, tree node).

    A present task runs in exactly one of its ``modes`` from its start S to its
    end E = S + duration, non-preemptively, with ``release <= S`` and, if a
    ``deadline`` is set, ``E <= deadline``. An ``optional`` task may be absent
    (then it uses nothing and no constraint mentions it, see the relation
    classes). ``value`` is earned when present, ``absent_penalty`` paid when
    absent; ``due_date`` and ``weight`` feed the tardiness-type terms.
    """

    name: str
    modes: tuple[Mode, ...]
    release: int = 0
    deadline: int | None = None
    due_date: int | None = None
    weight: int = 1
    optional: bool = False
    value: int = 0
    absent_penalty: int = 0
    pin: Pin | None = None
    reference: Reference | None = None

    @property
    def min_duration(self) -> int:
        """Shortest duration over the modes."""
        return min(mode.duration for mode in self.modes)

    @property
    def max_duration(self) -> int:
        """Longest duration over the modes."""
        return max(mode.duration for mode in self.modes)


@dataclass(frozen=True, slots=True)
class Precedence:
    """A temporal relation between tasks ``a`` and ``b`` (see :class:`PrecedenceType`).

    Holds only when both tasks are present. ``lag`` may be negative (a maximum
    time lag written the other way round); ``distance`` is the iteration
    distance of a cyclic schedule (``a == b`` is allowed when it is positive).
    ``transfer_lag`` is added to ``lag`` when the chosen modes of a and b have
    different ``location`` tags (e.g. a value crossing warp groups).

    ``transfer_demands`` are what such a transfer occupies (a buffer, a
    bandwidth): when the locations differ, each holds its resource like a
    demand of a's chosen mode, timed from a's start (``offset``, an explicit
    ``length``), possibly as a live range until its readers (``until``), e.g.
    b of iteration ``i + distance``; when the locations are equal they hold
    nothing. A transfer demand above its resource's capacity therefore keeps
    a and b at the same location.
    """

    a: int
    b: int
    type: PrecedenceType = PrecedenceType.END_TO_START
    lag: int = 0
    distance: int = 0
    transfer_lag: int = 0
    transfer_demands: tuple[Demand, ...] = ()


@dataclass(frozen=True, slots=True)
class Implication:
    """If task ``a`` is present, at least one task of ``then_any`` is present.

    With one consequent this is the plain implication a => b.
    """

    a: int
    then_any: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Selection:
    """Between ``min_present`` and ``max_present`` of ``tasks`` are present."""

    tasks: tuple[int, ...]
    min_present: int = 0
    max_present: int | None = None


@dataclass(frozen=True, slots=True)
class CoverageGroup:
    """A group is covered when at least one member is present; earns ``reward``."""

    name: str
    tasks: tuple[int, ...]
    reward: int = 1


@dataclass(frozen=True, slots=True)
class DisjunctivePair:
    """Tasks ``a`` and ``b`` may not overlap in time when both are present.

    Intervals [S, E) overlap when max(S_a, S_b) < min(E_a, E_b); zero-length
    tasks overlap nothing.
    """

    a: int
    b: int


@dataclass(frozen=True, slots=True)
class Cycle:
    """The initiation interval II of a cyclic (modulo) schedule, ii_min <= II <= ii_max."""

    ii_min: int = 1
    ii_max: int = 1


@dataclass(frozen=True, slots=True)
class Term:
    """``weight`` times one objective term, over ``tasks`` (None = all tasks)."""

    kind: TermKind
    weight: int = 1
    tasks: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class ObjectiveLevel:
    """One lexicographic level: minimise or maximise the weighted sum of terms."""

    terms: tuple[Term, ...]
    sense: Sense = Sense.MINIMIZE
    name: str = ""


@dataclass(frozen=True, slots=True)
class Objective:
    """Lexicographic levels, most important first (no levels = feasibility)."""

    levels: tuple[ObjectiveLevel, ...] = field(default_factory=tuple)


__all__ = [
    "CapacityWindow",
    "Cycle",
    "CoverageGroup",
    "Demand",
    "DisjunctivePair",
    "Implication",
    "Mode",
    "Objective",
    "ObjectiveLevel",
    "Pin",
    "Precedence",
    "PrecedenceType",
    "Reader",
    "Reference",
    "Resource",
    "ResourceKind",
    "Selection",
    "Sense",
    "Task",
    "Term",
    "TermKind",
]
