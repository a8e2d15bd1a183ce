"""Enumerations of the IR: resource kinds, precedence types, objective terms."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

_N = TypeVar("_N", bound="_Named")


class _Named(str, Enum):
    """A string enum whose values are the names used in JSON and on the CLI."""

    @classmethod
    def parse(cls: type[_N], value: str | _N) -> _N:
        """Return the member for ``value`` (a member or its string value)."""
        if isinstance(value, cls):
            return value
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(member.value for member in cls)
            raise ValueError(f"unknown {cls.__name__} '{value}'; expected one of: {allowed}") from None

    def __str__(self) -> str:
        return self.value


class ResourceKind(_Named):
    """What a resource's capacity limits.

    ``unary``
        A machine: at most one task at a time (capacity 1, or 0 in downtime).
    ``renewable``
        Cumulative capacity: at every time t the summed demand of the tasks
        running at t is at most the capacity at t.
    ``consumable``
        A budget used up once: the demands of the present tasks that started at
        or before t sum to at most the capacity at t (constant capacity = plain
        budget; a step profile = budget released over time).
    ``bin``
        Time-free capacity (packing): the summed demand of the present tasks whose
        mode uses the bin is at most its capacity.
    ``modulo``
        Per-cycle capacity in a cyclic schedule: usage is counted modulo the
        initiation interval II, so at every residue r in [0, II) the summed demand
        of the usages covering a time congruent to r is at most the capacity.
    """

    UNARY = "unary"
    RENEWABLE = "renewable"
    CONSUMABLE = "consumable"
    BIN = "bin"
    MODULO = "modulo"

    @property
    def is_timed(self) -> bool:
        """Whether usage happens over an interval of time (and may have a calendar)."""
        return self in (ResourceKind.UNARY, ResourceKind.RENEWABLE, ResourceKind.MODULO)


class PrecedenceType(_Named):
    """Which time points of a and b a precedence relates.

    With ``S`` the start, ``E`` the end (start + duration of the chosen mode),
    ``lag`` and the iteration ``distance`` d, the constraint reads

    * ``end_to_start``:   S_b + d * II >= E_a + lag
    * ``start_to_start``: S_b + d * II >= S_a + lag
    * ``end_to_end``:     E_b + d * II >= E_a + lag
    * ``start_to_end``:   E_b + d * II >= S_a + lag

    (II is 0 in acyclic problems, where d must be 0.)
    """

    END_TO_START = "end_to_start"
    START_TO_START = "start_to_start"
    END_TO_END = "end_to_end"
    START_TO_END = "start_to_end"


class Sense(_Named):
    """Direction of one objective level."""

    MINIMIZE = "min"
    MAXIMIZE = "max"


class TermKind(_Named):
    """The terms an objective level may combine (each with an integer weight).

    Let P be the present tasks of the term's task subset (all tasks by default),
    E_i the end and m_i the chosen mode of task i.

    ``makespan``                  max_{i in P} E_i (0 when P is empty)
    ``total_weighted_tardiness``  sum_{i in P, due} w_i * max(0, E_i - due_i)
    ``total_weighted_completion`` sum_{i in P} w_i * E_i
    ``max_lateness``              max_{i in P, due} (E_i - due_i) (0 when empty)
    ``weighted_tardy_count``      sum_{i in P, due} w_i * [E_i > due_i]
    ``present_value``             sum_{i in P} value_i
    ``absent_penalty``            sum_{i not in P} absent_penalty_i
    ``mode_cost``                 sum_{i in P} cost(m_i)
    ``disruption``                sum over tasks with a reference: evict_cost if
                                  absent, move_cost if present in another mode
                                  (or, when the reference fixes a start, at
                                  another start), else 0
    ``coverage_reward``           sum of rewards of covered coverage groups
    ``initiation_interval``       II (cyclic problems only)
    ``schedule_length``           max_{i in P} E_i - min_{i in P} S_i (0 when empty)
    ``locations_used``            |{location(m_i) : i in P}|, the number of distinct
                                  mode locations (machines, warp groups) the tasks use
    """

    MAKESPAN = "makespan"
    TOTAL_WEIGHTED_TARDINESS = "total_weighted_tardiness"
    TOTAL_WEIGHTED_COMPLETION = "total_weighted_completion"
    MAX_LATENESS = "max_lateness"
    WEIGHTED_TARDY_COUNT = "weighted_tardy_count"
    PRESENT_VALUE = "present_value"
    ABSENT_PENALTY = "absent_penalty"
    MODE_COST = "mode_cost"
    DISRUPTION = "disruption"
    COVERAGE_REWARD = "coverage_reward"
    INITIATION_INTERVAL = "initiation_interval"
    SCHEDULE_LENGTH = "schedule_length"
    LOCATIONS_USED = "locations_used"

    @property
    def depends_on_time(self) -> bool:
        """Whether the term's value depends on start or end times (see :data:`schedkit.models.terms.TERMS`)."""
        from schedkit.models.terms import TERMS

        return TERMS[self].depends_on_time

    @property
    def uses_tasks(self) -> bool:
        """Whether the term is a function of a task subset (see :data:`schedkit.models.terms.TERMS`)."""
        from schedkit.models.terms import TERMS

        return TERMS[self].uses_tasks
