"""Validation of a ``ProblemData``: every rule raises a ``ModelError`` naming entity and field."""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, Any

from schedkit.models.entities import Objective
from schedkit.models.enums import PrecedenceType, ResourceKind, Sense, TermKind
from schedkit.models.errors import ModelError
from schedkit.models.limits import describe_limit, too_large

if TYPE_CHECKING:
    from schedkit.models.problem import ProblemData


def _is_int(value: Any) -> bool:
    """A plain ``int`` (what a frozen problem stores: JSON-able, exact)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_integral(value: Any) -> bool:
    """Any integer type (``int``, NumPy integers), not ``bool``: for checking family builder inputs."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


class _Checker:
    """Collects the helpers that make every message name entity and field."""

    def __init__(self, problem: ProblemData) -> None:
        self.problem = problem

    def task(self, index: int) -> str:
        return f"task '{self.problem.tasks[index].name}' (#{index})"

    def resource(self, index: int) -> str:
        return f"resource '{self.problem.resources[index].name}' (#{index})"

    def integer(self, entity: str, field: str, value: Any, minimum: int | None = None) -> None:
        if not _is_int(value):
            raise ModelError(entity, field, f"must be an integer, got {value!r}")
        if too_large(value):
            raise ModelError(entity, field, f"{value} is beyond {describe_limit()}")
        if minimum is not None and value < minimum:
            raise ModelError(entity, field, f"must be >= {minimum}, got {value}")

    def task_ref(self, entity: str, field: str, value: Any) -> None:
        if not _is_int(value) or not 0 <= value < len(self.problem.tasks):
            raise ModelError(entity, field, f"refers to unknown task index {value!r}")

    def task_refs(self, entity: str, field: str, values: Any, allow_empty: bool = False) -> None:
        if not isinstance(values, tuple):
            raise ModelError(entity, field, f"must be a tuple of task indices, got {values!r}")
        if not values and not allow_empty:
            raise ModelError(entity, field, "must not be empty")
        for value in values:
            self.task_ref(entity, field, value)
        if len(set(values)) != len(values):
            raise ModelError(entity, field, "lists a task twice")


def validate(problem: ProblemData) -> None:
    """Raise ``ModelError`` unless ``problem`` is a well-formed IR problem."""
    check = _Checker(problem)
    _validate_resources(problem, check)
    _validate_tasks(problem, check)
    _validate_relations(problem, check)
    _validate_cycle(problem, check)
    _validate_objective(problem.objective, problem, check)
    if problem.horizon is not None:
        check.integer("problem", "horizon", problem.horizon, minimum=0)
    elif too_large(problem.effective_horizon):  # every value fits, their sum does not
        raise ModelError(
            "problem",
            "horizon",
            f"schedules may last up to {problem.effective_horizon} (releases, durations and lags summed), "
            f"beyond {describe_limit()}: scale the times down",
        )


def _validate_resources(problem: ProblemData, check: _Checker) -> None:
    names: set[str] = set()
    for index, res in enumerate(problem.resources):
        entity = f"resource #{index}"
        if not isinstance(res.name, str) or not res.name:
            raise ModelError(entity, "name", "must be a non-empty string")
        entity = check.resource(index)
        if res.name in names:
            raise ModelError(entity, "name", "is used by another resource")
        names.add(res.name)
        if not isinstance(res.kind, ResourceKind):
            raise ModelError(entity, "kind", f"must be a ResourceKind, got {res.kind!r}")
        check.integer(entity, "capacity", res.capacity, minimum=0)
        if res.kind == ResourceKind.UNARY and res.capacity != 1:
            raise ModelError(entity, "capacity", f"a unary resource has capacity 1, got {res.capacity}")
        if res.calendar and res.kind in (ResourceKind.BIN, ResourceKind.MODULO):
            raise ModelError(entity, "calendar", f"a {res.kind.value} resource is time-free and has no calendar")
        previous_end = 0
        for w_index, window in enumerate(res.calendar):
            field = f"calendar[{w_index}]"
            check.integer(entity, f"{field}.start", window.start, minimum=0)
            check.integer(entity, f"{field}.end", window.end, minimum=window.start + 1)
            check.integer(entity, f"{field}.capacity", window.capacity, minimum=0)
            if res.kind == ResourceKind.UNARY and window.capacity > 1:
                raise ModelError(entity, f"{field}.capacity", "a unary resource has capacity 0 or 1")
            if window.start < previous_end:
                raise ModelError(
                    entity, field, f"window [{window.start}, {window.end}) is out of order or overlaps the previous one"
                )
            previous_end = window.end


def _validate_tasks(problem: ProblemData, check: _Checker) -> None:
    names: set[str] = set()
    for index, task in enumerate(problem.tasks):
        if not isinstance(task.name, str) or not task.name:
            raise ModelError(f"task #{index}", "name", "must be a non-empty string")
        entity = check.task(index)
        if task.name in names:
            raise ModelError(entity, "name", "is used by another task")
        names.add(task.name)
        if not isinstance(task.modes, tuple) or not task.modes:
            raise ModelError(entity, "modes", "a task needs at least one mode")
        for m_index, mode in enumerate(task.modes):
            _validate_mode(problem, check, entity, m_index, mode)
        check.integer(entity, "release", task.release, minimum=0)
        if task.deadline is not None:
            check.integer(entity, "deadline", task.deadline, minimum=task.release)
        if task.due_date is not None:
            check.integer(entity, "due_date", task.due_date)
        check.integer(entity, "weight", task.weight, minimum=0)
        check.integer(entity, "value", task.value)
        check.integer(entity, "absent_penalty", task.absent_penalty)
        if not isinstance(task.optional, bool):
            raise ModelError(entity, "optional", f"must be a bool, got {task.optional!r}")
        if task.pin is not None:
            pin = task.pin
            if pin.present is False and not task.optional:
                raise ModelError(entity, "pin.present", "a mandatory task cannot be pinned absent")
            if pin.mode is not None and not (_is_int(pin.mode) and 0 <= pin.mode < len(task.modes)):
                raise ModelError(entity, "pin.mode", f"no mode {pin.mode!r} (the task has {len(task.modes)})")
            if pin.start is not None:
                check.integer(entity, "pin.start", pin.start, minimum=0)
        if task.reference is not None:
            ref = task.reference
            if not (_is_int(ref.mode) and 0 <= ref.mode < len(task.modes)):
                raise ModelError(entity, "reference.mode", f"no mode {ref.mode!r} (the task has {len(task.modes)})")
            if ref.start is not None:
                check.integer(entity, "reference.start", ref.start, minimum=0)
            check.integer(entity, "reference.move_cost", ref.move_cost, minimum=0)
            check.integer(entity, "reference.evict_cost", ref.evict_cost, minimum=0)


def _validate_mode(problem: ProblemData, check: _Checker, entity: str, m_index: int, mode: Any) -> None:
    prefix = f"modes[{m_index}]"
    check.integer(entity, f"{prefix}.duration", mode.duration, minimum=0)
    check.integer(entity, f"{prefix}.cost", mode.cost)
    if mode.location is not None and not isinstance(mode.location, str):
        raise ModelError(entity, f"{prefix}.location", f"must be a string or None, got {mode.location!r}")
    seen_untimed: set[int] = set()
    for d_index, demand in enumerate(mode.demands):
        field = f"{prefix}.demands[{d_index}]"
        if not _is_int(demand.resource) or not 0 <= demand.resource < len(problem.resources):
            raise ModelError(entity, f"{field}.resource", f"refers to unknown resource index {demand.resource!r}")
        res = problem.resources[demand.resource]
        check.integer(entity, f"{field}.amount", demand.amount, minimum=1)
        if demand.amount > res.max_capacity:
            raise ModelError(
                entity,
                f"{field}.amount",
                f"demands {demand.amount} of {check.resource(demand.resource)}, whose capacity never exceeds "
                f"{res.max_capacity}",
            )
        if res.kind == ResourceKind.UNARY and demand.amount != 1:
            raise ModelError(entity, f"{field}.amount", f"a unary resource takes demand 1, got {demand.amount}")
        if res.kind.is_timed:
            check.integer(entity, f"{field}.offset", demand.offset, minimum=0)
            if demand.length is not None:
                check.integer(entity, f"{field}.length", demand.length, minimum=0)
        else:
            if demand.offset != 0 or demand.length is not None:
                raise ModelError(
                    entity, f"{field}.offset", f"a {res.kind.value} resource has no usage interval (offset/length)"
                )
            if demand.resource in seen_untimed:
                raise ModelError(entity, f"{field}.resource", f"{check.resource(demand.resource)} is listed twice")
            seen_untimed.add(demand.resource)
        if res.kind == ResourceKind.MODULO and problem.cycle is None:
            raise ModelError(entity, f"{field}.resource", "a modulo resource needs a cycle (an initiation interval)")
        if demand.until:
            _validate_live_range(problem, check, entity, field, demand)


def _validate_live_range(problem: ProblemData, check: _Checker, entity: str, field: str, demand: Any) -> None:
    """A live range (``Demand.until``): readers are tasks, distances need a cycle, the resource is timed."""
    if not isinstance(demand.until, tuple):
        raise ModelError(entity, f"{field}.until", f"must be a tuple of Reader, got {demand.until!r}")
    if not problem.resources[demand.resource].kind.is_timed:
        kind = problem.resources[demand.resource].kind.value
        raise ModelError(entity, f"{field}.until", f"a live range needs a timed resource, not a {kind} one")
    for r_index, reader in enumerate(demand.until):
        where = f"{field}.until[{r_index}]"
        check.task_ref(entity, f"{where}.task", getattr(reader, "task", None))
        check.integer(entity, f"{where}.distance", reader.distance, minimum=0)
        check.integer(entity, f"{where}.lag", reader.lag)
        if reader.distance > 0 and problem.cycle is None:
            raise ModelError(
                entity, f"{where}.distance", "an iteration distance needs a cycle (an initiation interval)"
            )


def _validate_relations(problem: ProblemData, check: _Checker) -> None:
    for index, prec in enumerate(problem.precedences):
        entity = f"precedence #{index}"
        check.task_ref(entity, "a", prec.a)
        check.task_ref(entity, "b", prec.b)
        entity = f"precedence #{index} ({check.task(prec.a)} -> {check.task(prec.b)})"
        if not isinstance(prec.type, PrecedenceType):
            raise ModelError(entity, "type", f"must be a PrecedenceType, got {prec.type!r}")
        check.integer(entity, "lag", prec.lag)
        check.integer(entity, "distance", prec.distance, minimum=0)
        check.integer(entity, "transfer_lag", prec.transfer_lag, minimum=0)
        if prec.distance > 0 and problem.cycle is None:
            raise ModelError(entity, "distance", "an iteration distance needs a cycle (an initiation interval)")
        if prec.a == prec.b and prec.distance == 0:
            raise ModelError(entity, "b", "a task may only precede itself across iterations (distance > 0)")
        if prec.transfer_demands:
            _validate_transfer_demands(problem, check, entity, prec)
    for index, imp in enumerate(problem.implications):
        entity = f"implication #{index}"
        check.task_ref(entity, "a", imp.a)
        check.task_refs(entity, "then_any", imp.then_any)
        if imp.a in imp.then_any:
            raise ModelError(entity, "then_any", "contains the antecedent itself")
    for index, sel in enumerate(problem.selections):
        entity = f"selection #{index}"
        check.task_refs(entity, "tasks", sel.tasks)
        check.integer(entity, "min_present", sel.min_present, minimum=0)
        if sel.max_present is not None:
            check.integer(entity, "max_present", sel.max_present, minimum=sel.min_present)
        if sel.min_present > len(sel.tasks):
            raise ModelError(entity, "min_present", f"asks for {sel.min_present} of only {len(sel.tasks)} tasks")
    group_names: set[str] = set()
    for index, group in enumerate(problem.coverage_groups):
        entity = f"coverage group '{group.name}' (#{index})"
        if not isinstance(group.name, str) or not group.name:
            raise ModelError(f"coverage group #{index}", "name", "must be a non-empty string")
        if group.name in group_names:
            raise ModelError(entity, "name", "is used by another coverage group")
        group_names.add(group.name)
        check.task_refs(entity, "tasks", group.tasks)
        check.integer(entity, "reward", group.reward)
    for index, pair in enumerate(problem.disjunctive_pairs):
        entity = f"disjunctive pair #{index}"
        check.task_ref(entity, "a", pair.a)
        check.task_ref(entity, "b", pair.b)
        if pair.a == pair.b:
            raise ModelError(entity, "b", "a task cannot be disjunctive with itself")


def _validate_transfer_demands(problem: ProblemData, check: _Checker, entity: str, prec: Any) -> None:
    """What a cross-location transfer holds: timed resources, an explicit length, valid readers."""
    if not isinstance(prec.transfer_demands, tuple):
        raise ModelError(entity, "transfer_demands", f"must be a tuple of Demand, got {prec.transfer_demands!r}")
    for d_index, demand in enumerate(prec.transfer_demands):
        field = f"transfer_demands[{d_index}]"
        if not _is_int(demand.resource) or not 0 <= demand.resource < len(problem.resources):
            raise ModelError(entity, f"{field}.resource", f"refers to unknown resource index {demand.resource!r}")
        res = problem.resources[demand.resource]
        if not res.kind.is_timed:
            raise ModelError(
                entity, f"{field}.resource", f"a transfer holds timed resources, not a {res.kind.value} one"
            )
        check.integer(entity, f"{field}.amount", demand.amount, minimum=1)
        check.integer(entity, f"{field}.offset", demand.offset, minimum=0)
        check.integer(entity, f"{field}.length", demand.length, minimum=0)
        if res.kind == ResourceKind.MODULO and problem.cycle is None:
            raise ModelError(entity, f"{field}.resource", "a modulo resource needs a cycle (an initiation interval)")
        if demand.until:
            _validate_live_range(problem, check, entity, field, demand)


def _validate_cycle(problem: ProblemData, check: _Checker) -> None:
    if problem.cycle is None:
        return
    check.integer("cycle", "ii_min", problem.cycle.ii_min, minimum=1)
    check.integer("cycle", "ii_max", problem.cycle.ii_max, minimum=problem.cycle.ii_min)


def _validate_objective(objective: Objective, problem: ProblemData, check: _Checker) -> None:
    for l_index, level in enumerate(objective.levels):
        entity = f"objective level #{l_index}" + (f" '{level.name}'" if level.name else "")
        if not isinstance(level.sense, Sense):
            raise ModelError(entity, "sense", f"must be a Sense, got {level.sense!r}")
        if not level.terms:
            raise ModelError(entity, "terms", "a level needs at least one term")
        for t_index, term in enumerate(level.terms):
            field = f"terms[{t_index}]"
            if not isinstance(term.kind, TermKind):
                raise ModelError(entity, f"{field}.kind", f"must be a TermKind, got {term.kind!r}")
            check.integer(entity, f"{field}.weight", term.weight)
            if term.tasks is not None:
                if not term.kind.uses_tasks:
                    raise ModelError(entity, f"{field}.tasks", f"the term '{term.kind.value}' takes no task subset")
                check.task_refs(entity, f"{field}.tasks", term.tasks, allow_empty=True)
            if term.kind == TermKind.INITIATION_INTERVAL and problem.cycle is None:
                raise ModelError(entity, f"{field}.kind", "the initiation interval term needs a cycle")
