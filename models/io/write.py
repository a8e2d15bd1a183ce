"""Problems and solutions as JSON-ready dictionaries (defaults omitted), tagged with the schema and its version."""

from __future__ import annotations

from typing import Any

from schedkit.models.entities import (
    Demand,
    Mode,
    ObjectiveLevel,
    Resource,
    Task,
)
from schedkit.models.enums import PrecedenceType
from schedkit.models.io.schema import PROBLEM_SCHEMA, SCHEMA_VERSION, SOLUTION_SCHEMA
from schedkit.models.problem import ProblemData
from schedkit.models.solution import Solution


def _drop_defaults(data: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in defaults or defaults[key] != value}


def problem_to_dict(problem: ProblemData) -> dict[str, Any]:
    """The JSON-ready dictionary of ``problem`` (defaults omitted for brevity)."""

    def demand(d: Demand) -> dict[str, Any]:
        data = _drop_defaults(
            {"resource": d.resource, "amount": d.amount, "offset": d.offset, "length": d.length},
            {"offset": 0, "length": None},
        )
        if d.until:  # a live range: its readers
            data["until"] = [
                _drop_defaults({"task": r.task, "distance": r.distance, "lag": r.lag}, {"distance": 0, "lag": 0})
                for r in d.until
            ]
        return data

    def mode(m: Mode) -> dict[str, Any]:
        return _drop_defaults(
            {"duration": m.duration, "demands": [demand(d) for d in m.demands], "cost": m.cost, "location": m.location},
            {"demands": [], "cost": 0, "location": None},
        )

    def task(t: Task) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": t.name,
            "modes": [mode(m) for m in t.modes],
            "release": t.release,
            "deadline": t.deadline,
            "due_date": t.due_date,
            "weight": t.weight,
            "optional": t.optional,
            "value": t.value,
            "absent_penalty": t.absent_penalty,
            "pin": None if t.pin is None else {"present": t.pin.present, "mode": t.pin.mode, "start": t.pin.start},
            "reference": None
            if t.reference is None
            else {
                "mode": t.reference.mode,
                "start": t.reference.start,
                "move_cost": t.reference.move_cost,
                "evict_cost": t.reference.evict_cost,
            },
        }
        return _drop_defaults(
            data,
            {
                "release": 0,
                "deadline": None,
                "due_date": None,
                "weight": 1,
                "optional": False,
                "value": 0,
                "absent_penalty": 0,
                "pin": None,
                "reference": None,
            },
        )

    def resource(r: Resource) -> dict[str, Any]:
        return _drop_defaults(
            {
                "name": r.name,
                "kind": r.kind.value,
                "capacity": r.capacity,
                "calendar": [[w.start, w.end, w.capacity] for w in r.calendar],
            },
            {"calendar": []},
        )

    def level(lv: ObjectiveLevel) -> dict[str, Any]:
        return _drop_defaults(
            {
                "sense": lv.sense.value,
                "name": lv.name,
                "terms": [
                    _drop_defaults(
                        {"kind": t.kind.value, "weight": t.weight, "tasks": None if t.tasks is None else list(t.tasks)},
                        {"weight": 1, "tasks": None},
                    )
                    for t in lv.terms
                ],
            },
            {"name": ""},
        )

    data: dict[str, Any] = {
        "schema": PROBLEM_SCHEMA,
        "version": SCHEMA_VERSION,
        "name": problem.name,
        "family": problem.family,
        "horizon": problem.horizon,
        "resources": [resource(r) for r in problem.resources],
        "tasks": [task(t) for t in problem.tasks],
        "precedences": [
            _drop_defaults(
                {
                    "a": p.a,
                    "b": p.b,
                    "type": p.type.value,
                    "lag": p.lag,
                    "distance": p.distance,
                    "transfer_lag": p.transfer_lag,
                    "transfer_demands": [demand(d) for d in p.transfer_demands],
                },
                {
                    "type": PrecedenceType.END_TO_START.value,
                    "lag": 0,
                    "distance": 0,
                    "transfer_lag": 0,
                    "transfer_demands": [],
                },
            )
            for p in problem.precedences
        ],
        "implications": [{"a": i.a, "then_any": list(i.then_any)} for i in problem.implications],
        "selections": [
            {"tasks": list(s.tasks), "min_present": s.min_present, "max_present": s.max_present}
            for s in problem.selections
        ],
        "coverage_groups": [
            {"name": g.name, "tasks": list(g.tasks), "reward": g.reward} for g in problem.coverage_groups
        ],
        "disjunctive_pairs": [[p.a, p.b] for p in problem.disjunctive_pairs],
        "cycle": None if problem.cycle is None else {"ii_min": problem.cycle.ii_min, "ii_max": problem.cycle.ii_max},
        "objective": [level(lv) for lv in problem.objective.levels],
        "meta": problem.meta,
    }
    return data


def _end(problem: ProblemData, solution: Solution, index: int) -> int | None:
    """The end of task ``index``, or None when absent or when its mode is not one of the task's."""
    a = solution.tasks[index]
    if not a.present or a.start is None or a.mode is None or not 0 <= a.mode < len(problem.tasks[index].modes):
        return None
    return a.start + problem.tasks[index].modes[a.mode].duration


def solution_to_dict(solution: Solution, problem: ProblemData | None = None) -> dict[str, Any]:
    """The JSON-ready dictionary of ``solution``.

    With ``problem``, every task entry also carries the task's name and its end
    time (``start`` + the mode's duration; null when absent): both are
    informative: :func:`~schedkit.models.io.read_solution.solution_from_dict`
    checks the name against the problem and does not read the end.
    """
    tasks = []
    for index, a in enumerate(solution.tasks):
        entry: dict[str, Any] = {"present": a.present, "mode": a.mode, "start": a.start}
        if problem is not None:
            entry = {"task": problem.tasks[index].name, **entry, "end": _end(problem, solution, index)}
        tasks.append(entry)
    return {"schema": SOLUTION_SCHEMA, "version": SCHEMA_VERSION, "ii": solution.ii, "tasks": tasks}
