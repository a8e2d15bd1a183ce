"""JSON round-trip of problems and solutions, with a schema version.

The JSON mirrors the index-based IR: tasks and resources are lists, references
are indices, enums are their string values. Unknown keys are rejected (a typo
in a hand-written file must not be silently ignored) and every error names the
JSON path of the offending field.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    Reference,
    Resource,
    Selection,
    Task,
    Term,
)
from schedkit.models.enums import PrecedenceType, ResourceKind, Sense, TermKind
from schedkit.models.errors import ModelError
from schedkit.models.problem import ProblemData
from schedkit.models.solution import Solution, TaskAssignment

SCHEMA_VERSION = 1
PROBLEM_SCHEMA = "schedkit/problem"
SOLUTION_SCHEMA = "schedkit/solution"


# ---------------------------------------------------------------------- write
def _drop_defaults(data: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in defaults or defaults[key] != value}


def problem_to_dict(problem: ProblemData) -> dict[str, Any]:
    """The JSON-ready dictionary of ``problem`` (defaults omitted for brevity)."""

    def demand(d: Demand) -> dict[str, Any]:
        return _drop_defaults(
            {"resource": d.resource, "amount": d.amount, "offset": d.offset, "length": d.length},
            {"offset": 0, "length": None},
        )

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
                },
                {"type": PrecedenceType.END_TO_START.value, "lag": 0, "distance": 0, "transfer_lag": 0},
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


def solution_to_dict(solution: Solution, problem: ProblemData | None = None) -> dict[str, Any]:
    """The JSON-ready dictionary of ``solution`` (task names added when ``problem`` is given)."""
    tasks = []
    for index, a in enumerate(solution.tasks):
        entry: dict[str, Any] = {"present": a.present, "mode": a.mode, "start": a.start}
        if problem is not None:
            entry = {"task": problem.tasks[index].name, **entry}
        tasks.append(entry)
    return {"schema": SOLUTION_SCHEMA, "version": SCHEMA_VERSION, "ii": solution.ii, "tasks": tasks}


# ----------------------------------------------------------------------- read
class _Reader:
    """Reads nested dictionaries, naming the JSON path in every error."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, message: str) -> ModelError:
        return ModelError(self.source, path, message)

    def obj(self, data: Any, path: str, required: set[str], optional: set[str]) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(path, f"must be an object, got {type(data).__name__}")
        missing = required - data.keys()
        if missing:
            raise self.fail(path, f"missing key(s): {', '.join(sorted(missing))}")
        unknown = data.keys() - required - optional
        if unknown:
            raise self.fail(path, f"unknown key(s): {', '.join(sorted(unknown))}")
        return data

    def lst(self, data: Any, path: str) -> list[Any]:
        if not isinstance(data, list):
            raise self.fail(path, f"must be a list, got {type(data).__name__}")
        return data

    def enum(self, parse: Callable[[Any], Any], value: Any, path: str) -> Any:
        try:
            return parse(value)
        except ValueError as error:
            raise self.fail(path, str(error)) from None

    def header(self, data: Any, schema: str) -> None:
        if not isinstance(data, dict):
            raise self.fail("(top level)", "must be a JSON object")
        if data.get("schema") != schema:
            raise self.fail("schema", f"expected '{schema}', got {data.get('schema')!r}")
        version = data.get("version")
        if not isinstance(version, int) or version > SCHEMA_VERSION or version < 1:
            raise self.fail(
                "version", f"unsupported schema version {version!r} (this schedkit reads up to {SCHEMA_VERSION})"
            )


def problem_from_dict(data: Any, source: str = "problem") -> ProblemData:
    """Rebuild a ``ProblemData`` from :func:`problem_to_dict` output.

    Raises ``ModelError`` naming ``source`` and the JSON path of a malformed
    field, or the entity and field of an invalid problem.
    """
    r = _Reader(source)
    r.header(data, PROBLEM_SCHEMA)
    top = r.obj(
        data,
        "(top level)",
        {"schema", "version", "tasks"},
        {
            "name",
            "family",
            "horizon",
            "resources",
            "precedences",
            "implications",
            "selections",
            "coverage_groups",
            "disjunctive_pairs",
            "cycle",
            "objective",
            "meta",
        },
    )

    resources = []
    for i, item in enumerate(r.lst(top.get("resources", []), "resources")):
        path = f"resources[{i}]"
        obj = r.obj(item, path, {"name", "kind"}, {"capacity", "calendar"})
        calendar = []
        for j, window in enumerate(r.lst(obj.get("calendar", []), f"{path}.calendar")):
            if not isinstance(window, list) or len(window) != 3:
                raise r.fail(f"{path}.calendar[{j}]", "must be [start, end, capacity]")
            calendar.append(CapacityWindow(*window))
        resources.append(
            Resource(
                name=obj["name"],
                kind=r.enum(ResourceKind.parse, obj["kind"], f"{path}.kind"),
                capacity=obj.get("capacity", 1),
                calendar=tuple(calendar),
            )
        )

    tasks = []
    for i, item in enumerate(r.lst(top["tasks"], "tasks")):
        path = f"tasks[{i}]"
        obj = r.obj(
            item,
            path,
            {"name", "modes"},
            {"release", "deadline", "due_date", "weight", "optional", "value", "absent_penalty", "pin", "reference"},
        )
        modes = []
        for j, mode in enumerate(r.lst(obj["modes"], f"{path}.modes")):
            mpath = f"{path}.modes[{j}]"
            mobj = r.obj(mode, mpath, {"duration"}, {"demands", "cost", "location"})
            demands = []
            for k, demand in enumerate(r.lst(mobj.get("demands", []), f"{mpath}.demands")):
                dobj = r.obj(demand, f"{mpath}.demands[{k}]", {"resource", "amount"}, {"offset", "length"})
                demands.append(Demand(dobj["resource"], dobj["amount"], dobj.get("offset", 0), dobj.get("length")))
            modes.append(Mode(mobj["duration"], tuple(demands), mobj.get("cost", 0), mobj.get("location")))
        pin = None
        if obj.get("pin") is not None:
            pobj = r.obj(obj["pin"], f"{path}.pin", set(), {"present", "mode", "start"})
            pin = Pin(pobj.get("present"), pobj.get("mode"), pobj.get("start"))
        reference = None
        if obj.get("reference") is not None:
            robj = r.obj(obj["reference"], f"{path}.reference", {"mode"}, {"start", "move_cost", "evict_cost"})
            reference = Reference(robj["mode"], robj.get("start"), robj.get("move_cost", 1), robj.get("evict_cost", 1))
        tasks.append(
            Task(
                name=obj["name"],
                modes=tuple(modes),
                release=obj.get("release", 0),
                deadline=obj.get("deadline"),
                due_date=obj.get("due_date"),
                weight=obj.get("weight", 1),
                optional=obj.get("optional", False),
                value=obj.get("value", 0),
                absent_penalty=obj.get("absent_penalty", 0),
                pin=pin,
                reference=reference,
            )
        )

    precedences = []
    for i, item in enumerate(r.lst(top.get("precedences", []), "precedences")):
        path = f"precedences[{i}]"
        obj = r.obj(item, path, {"a", "b"}, {"type", "lag", "distance", "transfer_lag"})
        precedences.append(
            Precedence(
                obj["a"],
                obj["b"],
                r.enum(PrecedenceType.parse, obj.get("type", "end_to_start"), f"{path}.type"),
                obj.get("lag", 0),
                obj.get("distance", 0),
                obj.get("transfer_lag", 0),
            )
        )
    implications = [
        Implication(obj["a"], tuple(r.lst(obj["then_any"], f"implications[{i}].then_any")))
        for i, item in enumerate(r.lst(top.get("implications", []), "implications"))
        for obj in [r.obj(item, f"implications[{i}]", {"a", "then_any"}, set())]
    ]
    selections = [
        Selection(
            tuple(r.lst(obj["tasks"], f"selections[{i}].tasks")), obj.get("min_present", 0), obj.get("max_present")
        )
        for i, item in enumerate(r.lst(top.get("selections", []), "selections"))
        for obj in [r.obj(item, f"selections[{i}]", {"tasks"}, {"min_present", "max_present"})]
    ]
    groups = [
        CoverageGroup(obj["name"], tuple(r.lst(obj["tasks"], f"coverage_groups[{i}].tasks")), obj.get("reward", 1))
        for i, item in enumerate(r.lst(top.get("coverage_groups", []), "coverage_groups"))
        for obj in [r.obj(item, f"coverage_groups[{i}]", {"name", "tasks"}, {"reward"})]
    ]
    pairs = []
    for i, item in enumerate(r.lst(top.get("disjunctive_pairs", []), "disjunctive_pairs")):
        if not isinstance(item, list) or len(item) != 2:
            raise r.fail(f"disjunctive_pairs[{i}]", "must be [a, b]")
        pairs.append(DisjunctivePair(*item))
    cycle = None
    if top.get("cycle") is not None:
        cobj = r.obj(top["cycle"], "cycle", {"ii_min", "ii_max"}, set())
        cycle = Cycle(cobj["ii_min"], cobj["ii_max"])
    levels = []
    for i, item in enumerate(r.lst(top.get("objective", []), "objective")):
        path = f"objective[{i}]"
        obj = r.obj(item, path, {"terms"}, {"sense", "name"})
        terms = []
        for j, t in enumerate(r.lst(obj["terms"], f"{path}.terms")):
            tobj = r.obj(t, f"{path}.terms[{j}]", {"kind"}, {"weight", "tasks"})
            tasks_subset = tobj.get("tasks")
            terms.append(
                Term(
                    r.enum(TermKind.parse, tobj["kind"], f"{path}.terms[{j}].kind"),
                    tobj.get("weight", 1),
                    None if tasks_subset is None else tuple(r.lst(tasks_subset, f"{path}.terms[{j}].tasks")),
                )
            )
        levels.append(
            ObjectiveLevel(
                tuple(terms), r.enum(Sense.parse, obj.get("sense", "min"), f"{path}.sense"), obj.get("name", "")
            )
        )
    meta = top.get("meta") or {}
    if not isinstance(meta, dict):
        raise r.fail("meta", "must be an object")
    try:
        return ProblemData(
            resources=tuple(resources),
            tasks=tuple(tasks),
            precedences=tuple(precedences),
            implications=tuple(implications),
            selections=tuple(selections),
            coverage_groups=tuple(groups),
            disjunctive_pairs=tuple(pairs),
            cycle=cycle,
            objective=Objective(tuple(levels)),
            horizon=top.get("horizon"),
            name=top.get("name") or "",
            family=top.get("family"),
            meta=meta,
        )
    except ModelError as error:  # invalid problem: keep entity and field, add the source
        raise ModelError(f"{source}: {error.entity}", error.field, error.reason) from None
    except (TypeError, AttributeError) as error:  # a value of the wrong JSON type deep inside
        raise r.fail("(problem)", f"malformed value: {error}") from None


def solution_from_dict(data: Any, source: str = "solution", problem: ProblemData | None = None) -> Solution:
    """Rebuild a ``Solution``; with ``problem``, check the count and task names match."""
    r = _Reader(source)
    r.header(data, SOLUTION_SCHEMA)
    top = r.obj(data, "(top level)", {"schema", "version", "tasks"}, {"ii"})
    assignments = []
    entries = r.lst(top["tasks"], "tasks")
    if problem is not None and len(entries) != problem.num_tasks:
        raise r.fail("tasks", f"has {len(entries)} entries, the problem has {problem.num_tasks} tasks")
    for i, item in enumerate(entries):
        path = f"tasks[{i}]"
        obj = r.obj(item, path, {"present"}, {"task", "mode", "start"})
        if problem is not None and "task" in obj and obj["task"] != problem.tasks[i].name:
            raise r.fail(
                f"{path}.task", f"names '{obj['task']}' but task #{i} of the problem is '{problem.tasks[i].name}'"
            )
        for key in ("mode", "start"):
            value = obj.get(key)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise r.fail(f"{path}.{key}", f"must be an integer or null, got {value!r}")
        if not isinstance(obj["present"], bool):
            raise r.fail(f"{path}.present", f"must be true or false, got {obj['present']!r}")
        assignments.append(TaskAssignment(obj["present"], obj.get("mode"), obj.get("start")))
    ii = top.get("ii")
    if ii is not None and (not isinstance(ii, int) or isinstance(ii, bool)):
        raise r.fail("ii", f"must be an integer or null, got {ii!r}")
    return Solution(tuple(assignments), ii)


# ---------------------------------------------------------------------- files
def _load_json(path: str | Path) -> Any:
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as error:
        raise ModelError(str(path), "(file)", f"cannot be read: {error.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ModelError(str(path), f"line {error.lineno}", f"invalid JSON: {error.msg}") from None


def save_problem(problem: ProblemData, path: str | Path) -> None:
    """Write ``problem`` as JSON to ``path``."""
    Path(path).write_text(json.dumps(problem_to_dict(problem), indent=1) + "\n")


def load_problem(path: str | Path) -> ProblemData:
    """Read a problem written by :func:`save_problem`."""
    return problem_from_dict(_load_json(path), source=str(path))


def save_solution(solution: Solution, path: str | Path, problem: ProblemData | None = None) -> None:
    """Write ``solution`` as JSON to ``path`` (with task names when ``problem`` is given)."""
    Path(path).write_text(json.dumps(solution_to_dict(solution, problem), indent=1) + "\n")


def load_solution(path: str | Path, problem: ProblemData | None = None) -> Solution:
    """Read a solution written by :func:`save_solution`."""
    return solution_from_dict(_load_json(path), source=str(path), problem=problem)
