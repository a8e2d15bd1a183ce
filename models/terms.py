r"""One table of objective-term definitions, read by the checker, the compilers and the bounds.

Every objective term (see :class:`~schedkit.models.enums.TermKind` for the
mathematics) is described once here: which tasks it reads, whether it depends
on times, how its per-task values combine, and, for the terms that depend only
on presence and mode, the term's value as a linear function of the presence
and mode choices of each task. The checker evaluates those linear forms
directly; CP-SAT and the MIP turn them into sums over presence and mode
literals; the time-free hot path into a cost vector; the static bounds into a
range. Only the time-dependent terms need an encoding per backend (a maximum,
a tardiness variable), and those differ by nature between a constraint
solver and a linear model.

Presence-and-mode terms
-----------------------
For such a term and a task i, :func:`presence_values` gives ``a_i`` (the
term's value when i is absent) and ``c_im`` (when i is present in mode m);
the unweighted term is

.. math::

    \sum_{i \in T} \big( a_i (1 - p_i) + \sum_m c_{im} x_{im} \big),
    \qquad \sum_m x_{im} = p_i,

with p_i the presence and x_im the mode choice. Disruption adds ``move_cost``
when i is present in its reference mode but the reference fixes a start and
i starts elsewhere: that part depends on time, and is left to each encoding
(:func:`start_moved_cost`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from schedkit.models.entities import Task
from schedkit.models.enums import TermKind


class Aggregate(str, Enum):
    """How the per-task values of a term combine."""

    SUM = "sum"
    """A sum over the term's tasks."""
    MAX = "max"
    """A maximum over the term's present tasks (0 when none)."""
    SPAN = "span"
    """Latest end minus earliest start over the present tasks (0 when none)."""
    GLOBAL = "global"
    """Not a function of tasks (coverage reward, initiation interval)."""
    DISTINCT = "distinct"
    """The number of distinct values (the mode locations) over the present tasks."""


@dataclass(frozen=True)
class TermDefinition:
    """What one objective term reads and how it is built.

    Attributes
    ----------
    kind
        The term.
    aggregate
        How per-task values combine (:class:`Aggregate`).
    depends_on_time
        Whether the value depends on start or end times (not only on presence,
        modes or II).
    needs_due_date
        Whether only tasks with a due date contribute (tardiness-type terms).
    present_only
        Whether only present tasks contribute (absent tasks count 0). False for
        the terms that charge absence (absent penalty, disruption).
    linear_in_presence
        Whether the value is the linear form of :func:`presence_values` (plus
        the time part of disruption, see :func:`start_moved_cost`).
    """

    kind: TermKind
    aggregate: Aggregate
    depends_on_time: bool
    needs_due_date: bool = False
    present_only: bool = True
    linear_in_presence: bool = False

    @property
    def uses_tasks(self) -> bool:
        """Whether the term is a function of a task subset."""
        return self.aggregate is not Aggregate.GLOBAL


TERMS: dict[TermKind, TermDefinition] = {
    definition.kind: definition
    for definition in (
        TermDefinition(TermKind.MAKESPAN, Aggregate.MAX, depends_on_time=True),
        TermDefinition(TermKind.TOTAL_WEIGHTED_TARDINESS, Aggregate.SUM, depends_on_time=True, needs_due_date=True),
        TermDefinition(TermKind.TOTAL_WEIGHTED_COMPLETION, Aggregate.SUM, depends_on_time=True),
        TermDefinition(TermKind.MAX_LATENESS, Aggregate.MAX, depends_on_time=True, needs_due_date=True),
        TermDefinition(TermKind.WEIGHTED_TARDY_COUNT, Aggregate.SUM, depends_on_time=True, needs_due_date=True),
        TermDefinition(TermKind.PRESENT_VALUE, Aggregate.SUM, depends_on_time=False, linear_in_presence=True),
        TermDefinition(
            TermKind.ABSENT_PENALTY, Aggregate.SUM, depends_on_time=False, present_only=False, linear_in_presence=True
        ),
        TermDefinition(TermKind.MODE_COST, Aggregate.SUM, depends_on_time=False, linear_in_presence=True),
        # disruption depends on time only through a reference start (see start_moved_cost)
        TermDefinition(
            TermKind.DISRUPTION, Aggregate.SUM, depends_on_time=False, present_only=False, linear_in_presence=True
        ),
        TermDefinition(TermKind.COVERAGE_REWARD, Aggregate.GLOBAL, depends_on_time=False),
        TermDefinition(TermKind.INITIATION_INTERVAL, Aggregate.GLOBAL, depends_on_time=False),
        TermDefinition(TermKind.SCHEDULE_LENGTH, Aggregate.SPAN, depends_on_time=True),
        TermDefinition(TermKind.LOCATIONS_USED, Aggregate.DISTINCT, depends_on_time=False),
    )
}
"""The definition of every term kind (a test keeps it complete)."""


@dataclass(frozen=True)
class PresenceValues:
    """A task's contribution to a presence-and-mode term: ``absent`` if absent, ``per_mode[m]`` in mode m."""

    absent: int
    per_mode: tuple[int, ...]

    @property
    def is_zero(self) -> bool:
        """Whether the task never contributes."""
        return self.absent == 0 and not any(self.per_mode)


def presence_values(kind: TermKind, task: Task) -> PresenceValues:
    """The linear form of a presence-and-mode term for one task (see the module docstring).

    ``present_value``: ``value_i`` in every mode; ``absent_penalty``:
    ``absent_penalty_i`` when absent; ``mode_cost``: ``cost(m)``;
    ``disruption`` (tasks with a reference): ``evict_cost`` when absent,
    ``move_cost`` in a mode other than the reference's, 0 in the reference
    mode (plus :func:`start_moved_cost`).
    """
    n_modes = len(task.modes)
    if kind is TermKind.PRESENT_VALUE:
        return PresenceValues(0, (task.value,) * n_modes)
    if kind is TermKind.ABSENT_PENALTY:
        return PresenceValues(task.absent_penalty, (0,) * n_modes)
    if kind is TermKind.MODE_COST:
        return PresenceValues(0, tuple(mode.cost for mode in task.modes))
    if kind is TermKind.DISRUPTION:
        ref = task.reference
        if ref is None:
            return PresenceValues(0, (0,) * n_modes)
        return PresenceValues(ref.evict_cost, tuple(0 if m == ref.mode else ref.move_cost for m in range(n_modes)))
    raise ValueError(f"term {kind.value} is not linear in presence and mode")


def start_moved_cost(task: Task) -> int:
    """The extra disruption cost of a task present in its reference mode but not at its reference start.

    0 when the task has no reference or its reference fixes no start.
    """
    ref = task.reference
    return 0 if ref is None or ref.start is None else ref.move_cost
