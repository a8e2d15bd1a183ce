"""``Model``: a mutable builder that freezes into a validated ``ProblemData``."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

from schedkit.models.entities import (
    CapacityWindow,
    CoverageGroup,
    Cycle,
    Demand,
    DisjunctivePair,
    Implication,
    Mode,
    Objective,
    ObjectiveLevel,
    Pin,
    Precedence,
    Reader,
    Reference,
    Resource,
    Selection,
    Task,
    Term,
)
from schedkit.models.enums import PrecedenceType, ResourceKind, Sense, TermKind
from schedkit.models.errors import ModelError
from schedkit.models.problem import ProblemData

TaskRef = Union[int, str]
ResourceRef = Union[int, str]
TermSpec = Union[Term, TermKind, str, tuple]


def term(kind: TermKind | str, weight: int = 1, tasks: Iterable[int] | None = None) -> Term:
    """Make an objective :class:`Term` (``kind`` may be its string name)."""
    return Term(
        kind=TermKind.parse(kind),
        weight=operator.index(weight),
        tasks=None if tasks is None else tuple(operator.index(t) for t in tasks),
    )


@dataclass
class _TaskDraft:
    name: str
    modes: list[Mode] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)


class Model:
    """Build a problem step by step, then :meth:`freeze` it.

    Entities are referred to by the integer index that ``add_*`` returns, or by
    name. Nothing is checked until :meth:`freeze`, which runs the full
    validation and raises a :class:`ModelError` naming the entity and field.

    Examples
    --------
    >>> model = Model("two jobs")
    >>> m = model.add_resource("M", kind="unary")
    >>> a = model.add_task("a", due_date=3)
    >>> _ = model.add_mode(a, duration=2, demands={m: 1})
    >>> b = model.add_task("b", due_date=2)
    >>> _ = model.add_mode(b, duration=2, demands={m: 1})
    >>> model.minimize("total_weighted_tardiness")
    >>> problem = model.freeze()
    """

    def __init__(self, name: str = "", family: str | None = None) -> None:
        self.name = name
        self.family = family
        self.meta: dict[str, Any] = {}
        self.horizon: int | None = None
        self._resources: list[Resource] = []
        self._resource_names: dict[str, int] = {}
        self._tasks: list[_TaskDraft] = []
        self._task_names: dict[str, int] = {}
        self._precedences: list[Precedence] = []
        self._implications: list[Implication] = []
        self._selections: list[Selection] = []
        self._coverage: list[CoverageGroup] = []
        self._disjunctive: list[DisjunctivePair] = []
        self._cycle: Cycle | None = None
        self._levels: list[ObjectiveLevel] = []

    # -------------------------------------------------------------- references
    def task_ref(self, ref: TaskRef) -> int:
        """Index of the task ``ref`` (an index or a name)."""
        if isinstance(ref, str):
            if ref not in self._task_names:
                raise ModelError(f"task '{ref}'", "name", "no task has this name")
            return self._task_names[ref]
        index = operator.index(ref)
        if not 0 <= index < len(self._tasks):
            raise ModelError(f"task #{index}", "index", f"no such task (there are {len(self._tasks)})")
        return index

    def resource_ref(self, ref: ResourceRef) -> int:
        """Index of the resource ``ref`` (an index or a name)."""
        if isinstance(ref, str):
            if ref not in self._resource_names:
                raise ModelError(f"resource '{ref}'", "name", "no resource has this name")
            return self._resource_names[ref]
        index = operator.index(ref)
        if not 0 <= index < len(self._resources):
            raise ModelError(f"resource #{index}", "index", f"no such resource (there are {len(self._resources)})")
        return index

    @property
    def num_tasks(self) -> int:
        """Number of tasks added so far."""
        return len(self._tasks)

    @property
    def num_resources(self) -> int:
        """Number of resources added so far."""
        return len(self._resources)

    # --------------------------------------------------------------- resources
    def add_resource(
        self,
        name: str,
        kind: ResourceKind | str = ResourceKind.RENEWABLE,
        capacity: int = 1,
        calendar: Iterable[CapacityWindow | tuple[int, int, int]] = (),
    ) -> int:
        """Add a resource and return its index.

        ``calendar`` lists ``(start, end, capacity)`` windows overriding the base
        ``capacity`` (downtime: capacity 0).
        """
        windows = tuple(
            w if isinstance(w, CapacityWindow) else CapacityWindow(*(operator.index(x) for x in w)) for w in calendar
        )
        resource = Resource(
            name=name,
            kind=ResourceKind.parse(kind),
            capacity=operator.index(capacity),
            calendar=tuple(sorted(windows, key=lambda w: w.start)),
        )
        if name in self._resource_names:
            raise ModelError(f"resource '{name}'", "name", "is used by another resource")
        self._resource_names[name] = len(self._resources)
        self._resources.append(resource)
        return len(self._resources) - 1

    def add_machine(self, name: str, downtime: Iterable[tuple[int, int]] = ()) -> int:
        """Add a unary resource; ``downtime`` lists ``(start, end)`` windows when it is unavailable."""
        return self.add_resource(name, ResourceKind.UNARY, 1, [(s, e, 0) for s, e in downtime])

    # ------------------------------------------------------------------- tasks
    def add_task(
        self,
        name: str | None = None,
        *,
        release: int = 0,
        deadline: int | None = None,
        due_date: int | None = None,
        weight: int = 1,
        optional: bool = False,
        value: int = 0,
        absent_penalty: int = 0,
        duration: int | None = None,
        demands: Mapping[ResourceRef, int] | Iterable[Demand] = (),
    ) -> int:
        """Add a task and return its index.

        Give ``duration`` (and ``demands``) to add its single mode at once;
        otherwise add modes with :meth:`add_mode`.
        """
        index = len(self._tasks)
        name = f"task_{index}" if name is None else name
        if name in self._task_names:
            raise ModelError(f"task '{name}'", "name", "is used by another task")
        draft = _TaskDraft(
            name=name,
            attributes=dict(
                release=operator.index(release),
                deadline=None if deadline is None else operator.index(deadline),
                due_date=None if due_date is None else operator.index(due_date),
                weight=operator.index(weight),
                optional=bool(optional),
                value=operator.index(value),
                absent_penalty=operator.index(absent_penalty),
            ),
        )
        self._task_names[name] = index
        self._tasks.append(draft)
        if duration is not None:
            self.add_mode(index, duration, demands)
        return index

    def add_mode(
        self,
        task: TaskRef,
        duration: int,
        demands: Mapping[ResourceRef, int] | Iterable[Demand] = (),
        cost: int = 0,
        location: str | None = None,
    ) -> int:
        """Add a mode to ``task`` and return the mode's index within the task.

        ``demands`` maps resources to amounts, or lists :class:`Demand` objects
        (for reservation tables with offsets and lengths).
        """
        draft = self._tasks[self.task_ref(task)]
        if isinstance(demands, Mapping):
            demand_list = tuple(
                Demand(self.resource_ref(res), operator.index(amount)) for res, amount in demands.items()
            )
        else:
            demand_list = tuple(demands)
        draft.modes.append(
            Mode(duration=operator.index(duration), demands=demand_list, cost=operator.index(cost), location=location)
        )
        return len(draft.modes) - 1

    def live_range(
        self,
        resource: ResourceRef,
        amount: int,
        readers: Iterable[TaskRef | tuple[TaskRef, int] | tuple[TaskRef, int, int]],
        offset: int = 0,
        length: int | None = None,
    ) -> Demand:
        """A live-range :class:`Demand` to pass to :meth:`add_mode`.

        The mode then holds ``amount`` of ``resource`` from its start (plus
        ``offset``) for at least ``length`` (default: the mode's duration) and
        until the last of ``readers`` has read the value. A reader is a task,
        ``(task, distance)`` or ``(task, distance, lag)``: task ``task`` of
        iteration ``i + distance`` reads it until ``lag`` after its start. The
        readers must already exist (add every task first, then the modes).
        """
        until = []
        for reader in readers:
            task, distance, lag = (reader, 0, 0) if isinstance(reader, (int, str)) else (*reader, 0, 0)[:3]
            until.append(Reader(self.task_ref(task), operator.index(distance), operator.index(lag)))
        return Demand(
            self.resource_ref(resource),
            operator.index(amount),
            operator.index(offset),
            None if length is None else operator.index(length),
            tuple(until),
        )

    def pin(
        self, task: TaskRef, *, present: bool | None = None, mode: int | None = None, start: int | None = None
    ) -> None:
        """Fix the presence, mode and/or start of ``task`` (a partial schedule)."""
        self._tasks[self.task_ref(task)].attributes["pin"] = Pin(present=present, mode=mode, start=start)

    def set_reference(
        self, task: TaskRef, mode: int, start: int | None = None, move_cost: int = 1, evict_cost: int = 1
    ) -> None:
        """Record the current assignment of ``task`` for the ``disruption`` term."""
        self._tasks[self.task_ref(task)].attributes["reference"] = Reference(
            mode=mode, start=start, move_cost=move_cost, evict_cost=evict_cost
        )

    # --------------------------------------------------------------- relations
    def add_precedence(
        self,
        a: TaskRef,
        b: TaskRef,
        type: PrecedenceType | str = PrecedenceType.END_TO_START,
        lag: int = 0,
        distance: int = 0,
        transfer_lag: int = 0,
        transfer_demands: Iterable[Demand] = (),
    ) -> None:
        """Add a precedence ``a -> b`` (see :class:`PrecedenceType` for the semantics).

        ``transfer_demands`` are held only when a and b run at different
        locations (see :class:`~schedkit.models.entities.Precedence`).
        """
        self._precedences.append(
            Precedence(
                a=self.task_ref(a),
                b=self.task_ref(b),
                type=PrecedenceType.parse(type),
                lag=operator.index(lag),
                distance=operator.index(distance),
                transfer_lag=operator.index(transfer_lag),
                transfer_demands=tuple(transfer_demands),
            )
        )

    def add_implication(self, a: TaskRef, then_any: TaskRef | Iterable[TaskRef]) -> None:
        """If ``a`` is present, at least one of ``then_any`` is present."""
        targets = [then_any] if isinstance(then_any, (int, str)) else list(then_any)
        self._implications.append(Implication(self.task_ref(a), tuple(self.task_ref(t) for t in targets)))

    def add_selection(self, tasks: Iterable[TaskRef], min_present: int = 0, max_present: int | None = None) -> None:
        """Between ``min_present`` and ``max_present`` of ``tasks`` are present."""
        self._selections.append(
            Selection(tuple(self.task_ref(t) for t in tasks), operator.index(min_present), max_present)
        )

    def add_coverage_group(self, tasks: Iterable[TaskRef], reward: int = 1, name: str | None = None) -> int:
        """Add a coverage group (covered when a member is present); return its index."""
        index = len(self._coverage)
        self._coverage.append(
            CoverageGroup(
                name=f"group_{index}" if name is None else name,
                tasks=tuple(self.task_ref(t) for t in tasks),
                reward=operator.index(reward),
            )
        )
        return index

    def add_disjunctive_pair(self, a: TaskRef, b: TaskRef) -> None:
        """Tasks ``a`` and ``b`` may not overlap."""
        self._disjunctive.append(DisjunctivePair(self.task_ref(a), self.task_ref(b)))

    def set_cycle(self, ii_min: int, ii_max: int) -> None:
        """Make the schedule cyclic with an initiation interval in ``[ii_min, ii_max]``."""
        self._cycle = Cycle(operator.index(ii_min), operator.index(ii_max))

    def set_horizon(self, horizon: int) -> None:
        """Bound every end time by ``horizon``."""
        self.horizon = operator.index(horizon)

    # --------------------------------------------------------------- objective
    def add_objective_level(
        self, terms: Sequence[TermSpec] | TermSpec, sense: Sense | str = Sense.MINIMIZE, name: str = ""
    ) -> None:
        """Append a lexicographic level (solved after the ones already added).

        ``terms`` is one term spec or a list of them; a spec is a :class:`Term`,
        a kind (``"makespan"``), or a tuple ``(kind, weight)`` / ``(kind, weight,
        tasks)``.
        """
        specs: list[TermSpec] = [terms] if isinstance(terms, (Term, TermKind, str, tuple)) else list(terms)
        self._levels.append(
            ObjectiveLevel(
                terms=tuple(self._make_term(spec) for spec in specs),
                sense=Sense.parse(sense),
                name=name,
            )
        )

    def minimize(self, *terms: TermSpec, name: str = "") -> None:
        """Append a level minimising the sum of ``terms``."""
        self.add_objective_level(list(terms), Sense.MINIMIZE, name)

    def maximize(self, *terms: TermSpec, name: str = "") -> None:
        """Append a level maximising the sum of ``terms``."""
        self.add_objective_level(list(terms), Sense.MAXIMIZE, name)

    def _make_term(self, spec: TermSpec) -> Term:
        if isinstance(spec, Term):
            return spec
        if isinstance(spec, tuple):
            kind, weight, *rest = spec
            tasks = [self.task_ref(t) for t in rest[0]] if rest and rest[0] is not None else None
            return term(kind, weight, tasks)
        return term(spec)

    # ------------------------------------------------------------------ freeze
    def freeze(self) -> ProblemData:
        """Validate and return the immutable :class:`ProblemData`."""
        tasks = tuple(Task(name=draft.name, modes=tuple(draft.modes), **draft.attributes) for draft in self._tasks)
        return ProblemData(
            resources=tuple(self._resources),
            tasks=tasks,
            precedences=tuple(self._precedences),
            implications=tuple(self._implications),
            selections=tuple(self._selections),
            coverage_groups=tuple(self._coverage),
            disjunctive_pairs=tuple(self._disjunctive),
            cycle=self._cycle,
            objective=Objective(tuple(self._levels)),
            horizon=self.horizon,
            name=self.name,
            family=self.family,
            meta=dict(self.meta),
        )
