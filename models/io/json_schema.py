"""The JSON Schema of the problem and solution files, generated from the IR's dataclasses.

Other tools can write schedkit problems by following this schema. It is
generated, not written by hand, so it cannot drift from the code: every
entity of :mod:`schedkit.models.entities` becomes an object whose properties
are the dataclass fields (required = fields without a default, plus the few
the reader insists on, see :data:`REQUIRED_ANYWAY`), with types from the
field annotations (``int`` -> integer within the backends' range, ``str``,
``bool``, enums -> their values, ``tuple[X, ...]`` -> array, ``X | None`` ->
nullable, a nested entity -> a reference). Two entities are written as arrays
(:data:`ARRAY_SHAPED`): a calendar window ``[start, end, capacity]`` and a
disjunctive pair ``[a, b]``; the objective is the list of its levels. Unknown
keys are not allowed anywhere except in ``meta``, as the reader refuses them.

The schema is versioned with the files (:data:`~schedkit.models.io.schema.SCHEMA_VERSION`):
``$id`` is ``schedkit/problem/v<version>``. The schema validates structure and
types; the meaning (indices in range, a deadline after the release, ...) is
checked by :func:`schedkit.models.validation.validate` when the file is read.
A copy ships with the package (``problem.schema.json`` beside this module);
``schedkit convert --schema`` prints it.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from pathlib import Path
from typing import Any

from schedkit.models import entities
from schedkit.models.io.schema import PROBLEM_SCHEMA, SCHEMA_VERSION, SOLUTION_SCHEMA
from schedkit.models.limits import MAX_MAGNITUDE
from schedkit.models.problem import ProblemData

DRAFT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect."""

SCHEMA_FILE = Path(__file__).with_name("problem.schema.json")
"""The packaged copy of :func:`problem_json_schema` (a test keeps it equal to the generated one)."""

ARRAY_SHAPED: dict[type, list[str]] = {
    entities.CapacityWindow: ["start", "end", "capacity"],
    entities.DisjunctivePair: ["a", "b"],
}
"""Entities written as fixed-length arrays of their fields, in this order."""

REQUIRED_ANYWAY: dict[type, set[str]] = {entities.Cycle: {"ii_min", "ii_max"}, ProblemData: {"tasks"}}
"""Fields with a default in Python that a file must still spell out."""

SKIPPED: dict[type, set[str]] = {ProblemData: set()}
"""Fields never written (none today)."""

INTEGER: dict[str, Any] = {"type": "integer", "minimum": -MAX_MAGNITUDE, "maximum": MAX_MAGNITUDE}
"""Every integer of the IR: within what the backends accept."""


def _ref(cls: type) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{cls.__name__}"}


def _type_schema(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The schema of one annotation (see the module docstring)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        inner = (
            _type_schema(options[0], defs) if len(options) == 1 else {"anyOf": [_type_schema(a, defs) for a in options]}
        )
        return {"anyOf": [inner, {"type": "null"}]} if type(None) in args else inner
    if origin is tuple:
        return {"type": "array", "items": _type_schema(args[0], defs)}
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        defs.setdefault("Integer", {"description": "An integer the backends can hold.", **INTEGER})
        return {"$ref": "#/$defs/Integer"}
    if hint is str:
        return {"type": "string"}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return {"enum": [member.value for member in hint]}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if hint is entities.Objective:
            return {"type": "array", "items": _type_schema(entities.ObjectiveLevel, defs)}
        _define(hint, defs)
        return _ref(hint)
    raise TypeError(f"no JSON schema for the annotation {hint!r}")


def _define(cls: type, defs: dict[str, Any]) -> None:
    """Add the definition of entity ``cls`` (and of the entities it refers to) to ``defs``."""
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # placeholder against recursion
    hints = typing.get_type_hints(cls)
    fields = [f for f in dataclasses.fields(cls) if f.name not in SKIPPED.get(cls, set())]
    doc = (cls.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
    if cls in ARRAY_SHAPED:
        order = ARRAY_SHAPED[cls]
        defs[cls.__name__] = {
            "description": f"{doc} Written as [{', '.join(order)}].",
            "type": "array",
            "prefixItems": [_type_schema(hints[name], defs) for name in order],
            "minItems": len(order),
            "maxItems": len(order),
        }
        return
    properties = {f.name: _type_schema(hints[f.name], defs) for f in fields}
    required = [
        f.name
        for f in fields
        if (f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
        or f.name in REQUIRED_ANYWAY.get(cls, set())
    ]
    defs[cls.__name__] = {
        "description": doc,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def problem_json_schema() -> dict[str, Any]:
    """The JSON Schema of a problem file (what :func:`~schedkit.models.save_problem` writes)."""
    defs: dict[str, Any] = {}
    hints = typing.get_type_hints(ProblemData)
    top: dict[str, Any] = {
        "schema": {"const": PROBLEM_SCHEMA},
        "version": {"type": "integer", "minimum": 1, "maximum": SCHEMA_VERSION},
    }
    for f in dataclasses.fields(ProblemData):
        if f.name == "meta":
            top["meta"] = {"type": "object", "description": "what the family builder knows (free form)"}
        else:
            top[f.name] = _type_schema(hints[f.name], defs)
    return {
        "$schema": DRAFT,
        "$id": f"schedkit/problem/v{SCHEMA_VERSION}",
        "title": "schedkit problem",
        "description": (ProblemData.__doc__ or "").strip().split("\n\n")[0].replace("\n", " "),
        "type": "object",
        "properties": top,
        "required": ["schema", "version", "tasks"],
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def solution_json_schema() -> dict[str, Any]:
    """The JSON Schema of a solution file (what :func:`~schedkit.models.save_solution` writes)."""
    nullable_int = {"anyOf": [dict(INTEGER), {"type": "null"}]}
    assignment = {
        "type": "object",
        "properties": {
            "task": {"type": "string", "description": "the task's name (checked against the problem)"},
            "present": {"type": "boolean"},
            "mode": nullable_int,
            "start": nullable_int,
            "end": {**nullable_int, "description": "start + duration of the mode (informative, not read)"},
        },
        "required": ["present"],
        "additionalProperties": False,
    }
    return {
        "$schema": DRAFT,
        "$id": f"schedkit/solution/v{SCHEMA_VERSION}",
        "title": "schedkit solution",
        "type": "object",
        "properties": {
            "schema": {"const": SOLUTION_SCHEMA},
            "version": {"type": "integer", "minimum": 1, "maximum": SCHEMA_VERSION},
            "ii": nullable_int,
            "tasks": {"type": "array", "items": assignment},
        },
        "required": ["schema", "version", "tasks"],
        "additionalProperties": False,
    }


def schema_text(schema: dict[str, Any]) -> str:
    """The schema as the packaged file holds it (sorted keys kept in definition order, two-space indent)."""
    return json.dumps(schema, indent=2) + "\n"


__all__ = [
    "DRAFT",
    "SCHEMA_FILE",
    "problem_json_schema",
    "schema_text",
    "solution_json_schema",
]
