"""Integers of 2^62 and beyond are refused by validation, naming the field (they used to fail inside CP-SAT)."""

from __future__ import annotations

import pytest

from schedkit.models import Model, ModelError, problem_from_dict, problem_to_dict
from schedkit.models.limits import MAX_MAGNITUDE
from schedkit.solvers import solve


def _one_task(duration: int = 3, capacity: int = 2, release: int = 0) -> Model:
    model = Model("limits")
    crane = model.add_resource("crane", "renewable", capacity)
    model.add_task("lift", duration=duration, demands={crane: 1}, release=release)
    model.minimize("makespan")
    return model


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: _one_task(duration=2**62), "modes[0].duration"),
        (lambda: _one_task(capacity=2**62), "capacity"),
        (lambda: _one_task(release=2**63), "release"),
    ],
)
def test_values_beyond_the_backends_are_refused_naming_the_field(make, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ModelError, match=rf"field '{field.replace('[', '.').replace(']', '.')}'.*beyond 2\^62 - 1"):
        make().freeze()


def test_the_largest_value_is_accepted_and_solved() -> None:
    problem = _one_task(duration=2**40).freeze()
    assert solve(problem, time_limit=10, threads=1).objective == 2**40
    assert MAX_MAGNITUDE == 2**62 - 1


def test_a_sum_beyond_the_limit_is_refused_as_the_horizon() -> None:
    model = _one_task(duration=2**61)
    machine = model.add_machine("m")
    model.add_task("second", duration=2**61, demands={machine: 1})
    with pytest.raises(ModelError, match=r"problem, field 'horizon': schedules may last up to 4611686018427387904"):
        model.freeze()


def test_json_with_2_to_the_62_is_refused_naming_the_path() -> None:
    data = problem_to_dict(_one_task().freeze())
    data["tasks"][0]["modes"][0]["duration"] = 2**62
    with pytest.raises(ModelError, match=r"task 'lift' \(#0\), field 'modes\[0\]\.duration'"):
        problem_from_dict(data)
