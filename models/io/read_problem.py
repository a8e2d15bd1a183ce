"""Reading a problem back from its JSON dictionary: one reader per entity, each error naming its JSON path."""

from __future__ import annotations

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
    Reader,
    Reference,
    Resource,
    Selection,
    Task,
    Term,
)
from schedkit.models.enums import PrecedenceType, ResourceKind, Sense, TermKind
from schedkit.models.errors import ModelError
from schedkit.models.io.schema import PROBLEM_SCHEMA, JsonReader
from schedkit.models.problem import ProblemData

_TOP_OPTIONAL = {
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
}
_TASK_OPTIONAL = {
    "release",
    "deadline",
    "due_date",
    "weight",
    "optional",
    "value",
    "absent_penalty",
    "pin",
    "reference",
}


def problem_from_dict(data: Any, source: str = "problem") -> ProblemData:
    """Rebuild a ``ProblemData`` from :func:`~schedkit.models.io.write.problem_to_dict` output.

    Raises ``ModelError`` naming ``source`` and the JSON path of a malformed
    field, or the entity and field of an invalid problem.
    """
    r = JsonReader(source)
    r.header(data, PROBLEM_SCHEMA)
    top = r.obj(data, "(top level)", {"schema", "version", "tasks"}, _TOP_OPTIONAL)
    meta = top.get("meta") or {}
    if not isinstance(meta, dict):
        raise r.fail("meta", "must be an object")
    try:
        return ProblemData(
            resources=tuple(_resource(r, item, f"resources[{i}]") for i, item in _items(r, top, "resources")),
            tasks=tuple(_task(r, item, f"tasks[{i}]") for i, item in enumerate(r.lst(top["tasks"], "tasks"))),
            precedences=tuple(_precedence(r, item, f"precedences[{i}]") for i, item in _items(r, top, "precedences")),
            implications=tuple(
                _implication(r, item, f"implications[{i}]") for i, item in _items(r, top, "implications")
            ),
            selections=tuple(_selection(r, item, f"selections[{i}]") for i, item in _items(r, top, "selections")),
            coverage_groups=tuple(
                _group(r, item, f"coverage_groups[{i}]") for i, item in _items(r, top, "coverage_groups")
            ),
            disjunctive_pairs=tuple(
                _pair(r, item, f"disjunctive_pairs[{i}]") for i, item in _items(r, top, "disjunctive_pairs")
            ),
            cycle=None if top.get("cycle") is None else _cycle(r, top["cycle"]),
            objective=Objective(tuple(_level(r, item, f"objective[{i}]") for i, item in _items(r, top, "objective"))),
            horizon=top.get("horizon"),
            name=top.get("name") or "",
            family=top.get("family"),
            meta=meta,
        )
    except ModelError as error:
        if error.entity == source:  # a malformed field: already names the source and path
            raise
        raise ModelError(f"{source}: {error.entity}", error.field, error.reason) from None  # an invalid problem
    except (TypeError, AttributeError) as error:  # a value of the wrong JSON type deep inside
        raise r.fail("(problem)", f"malformed value: {error}") from None


def _items(r: JsonReader, top: dict[str, Any], key: str) -> enumerate[Any]:
    """The entries of an optional top-level list, numbered."""
    return enumerate(r.lst(top.get(key, []), key))


def _resource(r: JsonReader, item: Any, path: str) -> Resource:
    obj = r.obj(item, path, {"name", "kind"}, {"capacity", "calendar"})
    calendar = []
    for j, window in enumerate(r.lst(obj.get("calendar", []), f"{path}.calendar")):
        if not isinstance(window, list) or len(window) != 3:
            raise r.fail(f"{path}.calendar[{j}]", "must be [start, end, capacity]")
        calendar.append(CapacityWindow(*window))
    return Resource(
        name=obj["name"],
        kind=r.enum(ResourceKind.parse, obj["kind"], f"{path}.kind"),
        capacity=obj.get("capacity", 1),
        calendar=tuple(calendar),
    )


def _demand(r: JsonReader, demand: Any, where: str) -> Demand:
    dobj = r.obj(demand, where, {"resource", "amount"}, {"offset", "length", "until"})
    until = tuple(_reader(r, item, f"{where}.until[{j}]") for j, item in _listed(r, dobj, "until", where))
    return Demand(dobj["resource"], dobj["amount"], dobj.get("offset", 0), dobj.get("length"), until)


def _mode(r: JsonReader, item: Any, path: str) -> Mode:
    obj = r.obj(item, path, {"duration"}, {"demands", "cost", "location"})
    demands = [_demand(r, d, f"{path}.demands[{k}]") for k, d in _listed(r, obj, "demands", path)]
    return Mode(obj["duration"], tuple(demands), obj.get("cost", 0), obj.get("location"))


def _listed(r: JsonReader, obj: dict[str, Any], key: str, path: str) -> enumerate[Any]:
    """The entries of an optional list inside an object, numbered."""
    return enumerate(r.lst(obj.get(key, []), f"{path}.{key}"))


def _reader(r: JsonReader, item: Any, path: str) -> Reader:
    """One reader of a live range: ``{"task": t, "distance": d, "lag": l}``."""
    obj = r.obj(item, path, {"task"}, {"distance", "lag"})
    return Reader(obj["task"], obj.get("distance", 0), obj.get("lag", 0))


def _task(r: JsonReader, item: Any, path: str) -> Task:
    obj = r.obj(item, path, {"name", "modes"}, _TASK_OPTIONAL)
    modes = tuple(_mode(r, mode, f"{path}.modes[{j}]") for j, mode in enumerate(r.lst(obj["modes"], f"{path}.modes")))
    pin = None
    if obj.get("pin") is not None:
        pobj = r.obj(obj["pin"], f"{path}.pin", set(), {"present", "mode", "start"})
        pin = Pin(pobj.get("present"), pobj.get("mode"), pobj.get("start"))
    reference = None
    if obj.get("reference") is not None:
        robj = r.obj(obj["reference"], f"{path}.reference", {"mode"}, {"start", "move_cost", "evict_cost"})
        reference = Reference(robj["mode"], robj.get("start"), robj.get("move_cost", 1), robj.get("evict_cost", 1))
    return Task(
        name=obj["name"],
        modes=modes,
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


def _precedence(r: JsonReader, item: Any, path: str) -> Precedence:
    obj = r.obj(item, path, {"a", "b"}, {"type", "lag", "distance", "transfer_lag", "transfer_demands"})
    return Precedence(
        obj["a"],
        obj["b"],
        r.enum(PrecedenceType.parse, obj.get("type", "end_to_start"), f"{path}.type"),
        obj.get("lag", 0),
        obj.get("distance", 0),
        obj.get("transfer_lag", 0),
        tuple(_demand(r, d, f"{path}.transfer_demands[{k}]") for k, d in _listed(r, obj, "transfer_demands", path)),
    )


def _implication(r: JsonReader, item: Any, path: str) -> Implication:
    obj = r.obj(item, path, {"a", "then_any"}, set())
    return Implication(obj["a"], tuple(r.lst(obj["then_any"], f"{path}.then_any")))


def _selection(r: JsonReader, item: Any, path: str) -> Selection:
    obj = r.obj(item, path, {"tasks"}, {"min_present", "max_present"})
    return Selection(tuple(r.lst(obj["tasks"], f"{path}.tasks")), obj.get("min_present", 0), obj.get("max_present"))


def _group(r: JsonReader, item: Any, path: str) -> CoverageGroup:
    obj = r.obj(item, path, {"name", "tasks"}, {"reward"})
    return CoverageGroup(obj["name"], tuple(r.lst(obj["tasks"], f"{path}.tasks")), obj.get("reward", 1))


def _pair(r: JsonReader, item: Any, path: str) -> DisjunctivePair:
    if not isinstance(item, list) or len(item) != 2:
        raise r.fail(path, "must be [a, b]")
    return DisjunctivePair(*item)


def _cycle(r: JsonReader, item: Any) -> Cycle:
    obj = r.obj(item, "cycle", {"ii_min", "ii_max"}, set())
    return Cycle(obj["ii_min"], obj["ii_max"])


def _level(r: JsonReader, item: Any, path: str) -> ObjectiveLevel:
    obj = r.obj(item, path, {"terms"}, {"sense", "name"})
    terms = []
    for j, t in enumerate(r.lst(obj["terms"], f"{path}.terms")):
        tobj = r.obj(t, f"{path}.terms[{j}]", {"kind"}, {"weight", "tasks"})
        subset = tobj.get("tasks")
        terms.append(
            Term(
                r.enum(TermKind.parse, tobj["kind"], f"{path}.terms[{j}].kind"),
                tobj.get("weight", 1),
                None if subset is None else tuple(r.lst(subset, f"{path}.terms[{j}].tasks")),
            )
        )
    return ObjectiveLevel(
        tuple(terms), r.enum(Sense.parse, obj.get("sense", "min"), f"{path}.sense"), obj.get("name", "")
    )
