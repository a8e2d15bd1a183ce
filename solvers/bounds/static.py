"""Static ranges of every objective term, and the ``upper_value`` bound of maximising levels.

:func:`term_range` gives ``(low, high)`` with ``low <= T <= high`` for the
unweighted value T of one term in every feasible solution (None = no bound
known). It uses only the facts of :mod:`.facts`: forced / excluded / optional
presence, allowed modes, earliest starts and latest ends. Per term kind
(P = present tasks of the term's subset; "forced" and "possible" refer to the
subset):

* presence terms add per-task contributions that are exact for forced and
  excluded tasks and lie in ``[min(0, c), max(0, c)]`` for optional ones
  (``present_value``, ``absent_penalty``, ``mode_cost`` with the cheapest /
  dearest allowed mode, ``disruption`` in ``[0, move]`` when present and
  ``evict`` when absent, ``coverage_reward`` per group: exact when a member is
  forced or all are excluded);
* time terms use ``lb_end = earliest + dmin`` for forced tasks (``makespan``,
  ``total_weighted_tardiness``, ``total_weighted_completion``,
  ``max_lateness``, ``weighted_tardy_count``, ``schedule_length`` >= dmin)
  and, for upper bounds, ``latest_end`` of every possible task (None as soon
  as one that matters has none);
* ``initiation_interval`` lies in ``[ii_min, ii_max]``.

``upper_value`` (maximising levels): the sum, over the terms, of ``w * high``
(``w * low`` for negative weights), i.e. every positive contribution a term
could make minus the unavoidable costs. It is a valid upper bound because
every feasible solution scores at most that much, term by term.
"""

from __future__ import annotations

from functools import lru_cache

from schedkit.models import ProblemData, Sense, Term, TermKind
from schedkit.models.terms import TERMS, presence_values, start_moved_cost
from schedkit.solvers.bounds.bound import Bound, Side, level_bound
from schedkit.solvers.bounds.facts import TaskFacts, task_facts

Range = tuple[int | None, int | None]


def _subset(problem: ProblemData, term: Term) -> tuple[int, ...]:
    return tuple(range(problem.num_tasks)) if term.tasks is None else term.tasks


def _clip(value: int) -> tuple[int, int]:
    """Range of an optional contribution: 0 (absent) or ``value`` (present)."""
    return min(0, value), max(0, value)


def _presence_range(problem: ProblemData, facts: TaskFacts, kind: TermKind, subset: tuple[int, ...]) -> Range:
    """Range of a presence-and-mode term over ``subset`` (see :func:`schedkit.models.terms.presence_values`)."""
    low = high = 0
    for i in subset:
        task = problem.tasks[i]
        values = presence_values(kind, task)
        costs = [values.per_mode[m] for m in facts.modes[i]]
        # in its reference mode a task still pays move_cost when the reference fixes another start
        moved = start_moved_cost(task) if kind is TermKind.DISRUPTION and task.reference is not None else 0
        if not costs:
            costs = [values.absent]  # no mode can run: the task is absent whenever the problem is feasible
        when_present = (min(costs), max(costs) + moved)
        when_absent = (values.absent, values.absent)
        if facts.forced[i]:
            lo, hi = when_present
        elif facts.excluded[i]:
            lo, hi = when_absent
        else:
            lo, hi = min(when_present[0], when_absent[0]), max(when_present[1], when_absent[1])
        low += lo
        high += hi
    return low, high


def _coverage_range(problem: ProblemData, facts: TaskFacts) -> Range:
    low = high = 0
    for group in problem.coverage_groups:
        if any(facts.forced[k] for k in group.tasks):
            low += group.reward
            high += group.reward
        elif not all(facts.excluded[k] for k in group.tasks):
            lo, hi = _clip(group.reward)
            low += lo
            high += hi
    return low, high


def _max_end_range(facts: TaskFacts, subset: tuple[int, ...]) -> Range:
    """Range of max_{i in P} E_i (0 when P is empty)."""
    forced = [i for i in subset if facts.forced[i]]
    possible = [i for i in subset if not facts.excluded[i]]
    low = max((facts.lb_end(i) for i in forced), default=0)
    ends = [e for i in possible if (e := facts.latest_end[i]) is not None]
    high = max([0, *ends]) if len(ends) == len(possible) else None  # None when a possible task has no latest end
    return low, high


def _time_range(problem: ProblemData, facts: TaskFacts, kind: TermKind, subset: tuple[int, ...]) -> Range:
    tasks = problem.tasks
    forced = [i for i in subset if facts.forced[i]]
    possible = [i for i in subset if not facts.excluded[i]]
    if kind is TermKind.MAKESPAN:
        return _max_end_range(facts, subset)
    if kind is TermKind.SCHEDULE_LENGTH:
        # max E - min S >= E_k - S_k = duration of any present k; <= max E since S >= 0
        return max((facts.dmin[i] for i in forced), default=0), _max_end_range(facts, subset)[1]
    if kind is TermKind.MAX_LATENESS:
        due = {i: d for i in possible if (d := tasks[i].due_date) is not None}
        if not due:
            return 0, 0
        forced_due = [i for i in due if facts.forced[i]]
        lates = [facts.lb_end(i) - d for i, d in due.items()]
        if forced_due:
            low = max(facts.lb_end(i) - due[i] for i in forced_due)
        else:
            low = min(0, *lates)
        latest_lates = [e - d for i, d in due.items() if (e := facts.latest_end[i]) is not None]
        if len(latest_lates) < len(due):  # a task with a due date has no latest end
            return low, None
        top = max(latest_lates)
        return low, top if forced_due else max(0, top)
    low = 0
    high: int | None = 0
    for i in possible:
        task = tasks[i]
        weight = task.weight
        due_date = task.due_date
        if kind is not TermKind.TOTAL_WEIGHTED_COMPLETION and due_date is None:
            continue
        if weight == 0:
            continue
        end_low = facts.lb_end(i) if facts.forced[i] else None
        end_high = facts.latest_end[i]
        if kind is TermKind.TOTAL_WEIGHTED_COMPLETION or due_date is None:  # None: completion (skipped above otherwise)
            low += weight * end_low if end_low is not None else 0
            high = None if high is None or end_high is None else high + weight * end_high
        elif kind is TermKind.TOTAL_WEIGHTED_TARDINESS:
            if end_low is not None:
                low += weight * max(0, end_low - due_date)
            high = None if high is None or end_high is None else high + weight * max(0, end_high - due_date)
        else:  # weighted_tardy_count
            if end_low is not None and end_low > due_date:
                low += weight
            if high is not None and (end_high is None or end_high > due_date):
                high += weight
    return low, high


@lru_cache(maxsize=256)
def term_range(problem: ProblemData, term: Term) -> Range:
    """``(low, high)``: bounds on the unweighted value of ``term`` in every feasible solution (None = unknown)."""
    facts = task_facts(problem)
    kind = term.kind
    if kind is TermKind.INITIATION_INTERVAL:
        cycle = problem.cycle
        return (cycle.ii_min, cycle.ii_max) if cycle is not None else (0, 0)
    if kind is TermKind.COVERAGE_REWARD:
        return _coverage_range(problem, facts)
    subset = _subset(problem, term)
    if kind is TermKind.LOCATIONS_USED:  # at least one when a task is forced, at most every location
        locations = {mode.location for i in subset if not facts.excluded[i] for mode in problem.tasks[i].modes}
        return (1 if any(facts.forced[i] for i in subset) else 0), len(locations)
    if TERMS[kind].depends_on_time:
        return _time_range(problem, facts, kind, subset)
    assert TERMS[kind].linear_in_presence, kind
    return _presence_range(problem, facts, kind, subset)


def upper_value(problem: ProblemData) -> Bound | None:
    """Maximising level 0: the most every term can contribute (see the module docstring)."""
    levels = problem.objective.levels
    if not levels or levels[0].sense != Sense.MAXIMIZE:
        return None

    def improve(term: Term, side: Side) -> tuple[int, str] | None:
        low, high = term_range(problem, term)
        value = high if side is Side.UPPER else low
        if value is None:
            return None
        return value, f"{'at most' if side is Side.UPPER else 'at least'} {value}"

    bound = level_bound(problem, "upper_value", improve)
    if bound is None:
        return None
    return Bound(bound.value, "upper_value", "every term at its best static value: " + bound.detail)
