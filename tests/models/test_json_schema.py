"""The IR's published JSON Schema: generated from the code, shipped as a file, and every written problem validates."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from schedkit.demo import demo_instances
from schedkit.instances import (
    bundled,
    bundled_names,
    layered_rcpsp,
    potts_vanwassenhove,
    read,
    sd2_fjsp,
    taillard_jobshop,
)
from schedkit.models import SCHEMA_VERSION, ModelError, problem_from_dict, problem_to_dict, solution_to_dict
from schedkit.models.io.json_schema import SCHEMA_FILE, problem_json_schema, schema_text, solution_json_schema
from schedkit.models.limits import MAX_MAGNITUDE
from schedkit.solvers import solve
from tests import random_families, random_ir, tiny_families

jsonschema = pytest.importorskip("jsonschema")


def _validator(schema: dict[str, Any]) -> Any:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _written_problems() -> list[tuple[str, Callable[[], Any]]]:
    found: list[tuple[str, Callable[[], Any]]] = []
    for name in bundled_names():
        if name.startswith("wt"):
            found.append((name, lambda name=name: read(bundled(name), index=0)))
        else:
            found.append((name, lambda name=name: read(bundled(name))))
    found += [(label, factory) for label, factory in demo_instances()]
    found += [
        ("layered_rcpsp", lambda: layered_rcpsp(12, 2, seed=3, downtime_probability=1.0, window_probability=0.5)),
        ("potts", lambda: potts_vanwassenhove(8, 0.6, 0.4, seed=2)),
        ("taillard", lambda: taillard_jobshop(1)),
        ("sd2", lambda: sd2_fjsp(4, 3, 3, seed=2)),
    ]
    for family in random_families.FAMILIES:
        found += [
            (f"random {family} {seed}", lambda f=family, s=seed: random_families.random_instance(f, s))
            for seed in range(3)
        ]
    found += [(f"random ir {seed}", lambda s=seed: random_ir.random_problem(s, cyclic=s % 2 == 1)) for seed in range(6)]
    found += [(name, getattr(tiny_families, name)) for name in dir(tiny_families) if name.endswith("_tiny")]
    return found


def test_the_packaged_schema_is_the_generated_one() -> None:
    generated = problem_json_schema()
    assert SCHEMA_FILE.read_text() == schema_text(generated), (
        "the IR changed: regenerate the published schema with "
        "`python -m schedkit convert --schema --out models/io/problem.schema.json`"
    )
    assert generated["$id"] == f"schedkit/problem/v{SCHEMA_VERSION}"
    assert generated["$defs"]["Integer"]["maximum"] == MAX_MAGNITUDE == 2**62 - 1
    # every entity field is a property, the reader's required keys are required
    task = generated["$defs"]["Task"]
    assert task["required"] == ["name", "modes"] and "due_date" in task["properties"]
    assert generated["$defs"]["Cycle"]["required"] == ["ii_min", "ii_max"]


@pytest.mark.parametrize(("label", "factory"), _written_problems(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_problem_the_project_writes_validates(label: str, factory: Callable[[], Any]) -> None:
    validator = _validator(problem_json_schema())
    data = json.loads(json.dumps(problem_to_dict(factory())))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors, errors[:3]


def test_solutions_validate() -> None:
    validator = _validator(solution_json_schema())
    problem = tiny_families.podpack_tiny()
    solution = solve(problem, time_limit=10, threads=1, backend="mip").solution
    for data in (solution_to_dict(solution), solution_to_dict(solution, problem)):
        assert not list(validator.iter_errors(json.loads(json.dumps(data))))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("version",), True),
        (("tasks", 0, "modes", 0, "duration"), 2**62),
        (("tasks", 0, "colour"), "red"),
        (("tasks", 0, "modes", 0, "demands", 0, "amount"), "1"),
        (("resources", 0, "kind"), "crane"),
    ],
)
def test_what_the_schema_refuses_the_reader_refuses(path: tuple[Any, ...], value: Any) -> None:
    validator = _validator(problem_json_schema())
    data = problem_to_dict(read(bundled("js3x3")))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert list(validator.iter_errors(data))
    with pytest.raises(ModelError):
        problem_from_dict(data)


def test_a_missing_required_key_is_refused_by_both() -> None:
    validator = _validator(problem_json_schema())
    data = problem_to_dict(read(bundled("js3x3")))
    del data["tasks"][0]["modes"]
    assert list(validator.iter_errors(data))
    with pytest.raises(ModelError, match="missing key"):
        problem_from_dict(data)
