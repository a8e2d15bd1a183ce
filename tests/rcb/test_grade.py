"""Grading: a witness is feasible; each corruption is named by the right category; unparsable answers say why."""

from __future__ import annotations

import pytest

from schedkit.instances.generators.rcb import rcb_ramp
from schedkit.models import Model, ProblemData
from schedkit.rcb import grade_answer


def _problem() -> ProblemData:
    """R1 (capacity 2, down on [10, 12)); a -> b; c takes all of R1; f has a window [4, 6]; d and e may not overlap."""
    model = Model("hand")
    model.add_resource("R1", "renewable", 2, [(10, 12, 0)])
    model.add_task("a", duration=2, demands={"R1": 1})
    model.add_task("b", duration=2, demands={"R1": 1})
    model.add_task("c", duration=3, demands={"R1": 2})
    model.add_task("d", duration=1)
    model.add_task("e", duration=1)
    model.add_task("f", duration=1, release=4, deadline=6)
    model.add_precedence("a", "b")
    model.add_disjunctive_pair("d", "e")
    problem = model.freeze()
    problem.meta["rcb"] = {"level": 1, "axes": {"downtime": True, "windows": True, "disjunctive": True}}
    return problem


WITNESS = {"a": 0, "b": 2, "c": 5, "d": 0, "e": 1, "f": 4}


def _answer(**changes: int | None) -> str:
    starts = {**WITNESS, **changes}
    return "\n".join(f"{name}: {start}" for name, start in starts.items() if start is not None)


def test_the_witness_is_feasible() -> None:
    grade = grade_answer(_problem(), _answer())
    assert grade.feasible and grade.parsed and grade.counts == {} and grade.level == 1


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"b": 1}, {"precedence": 1}),  # b starts before a ends; R1 load 2 still fits
        ({"c": 2}, {"capacity": 1}),  # c (2 units) over b (1 unit): load 3 > capacity 2
        ({"c": 10}, {"downtime": 1}),  # load 2 fits the base capacity, not the downtime's 0
        ({"f": 3}, {"window": 1}),  # before its release
        ({"f": 6}, {"window": 1}),  # ends at 7, after its deadline 6
        ({"a": -1}, {"window": 1}),  # a negative start
        ({"e": 0}, {"disjunctive": 1}),  # d and e overlap
        ({"d": None}, {"missing": 1}),
        ({"d": None, "e": None, "b": 1}, {"missing": 2, "precedence": 1}),
        ({"b": 1, "c": 10, "f": 6, "e": 0}, {"precedence": 1, "downtime": 1, "window": 1, "disjunctive": 1}),
    ],
)
def test_corrupted_witness_names_the_right_categories(changes: dict[str, int | None], expected: dict[str, int]) -> None:
    grade = grade_answer(_problem(), _answer(**changes))
    assert grade.parsed and not grade.feasible
    assert grade.counts == expected, grade.violations


def test_unparsable_answer() -> None:
    grade = grade_answer(_problem(), "I could not find a schedule, sorry.")
    assert not grade.parsed and not grade.feasible and "no line of the form" in grade.reason


def test_corrupted_generated_witness() -> None:
    # on generated instances (all axes on): dropping a task and pushing a windowed task past its deadline
    for problem in rcb_ramp([6], per_level=3, seed=4, axis_probability=1.0):
        starts = list(problem.meta["witness_starts"])
        names = [task.name for task in problem.tasks]
        assert grade_answer(problem, "\n".join(f"{n}: {s}" for n, s in zip(names, starts))).feasible
        windowed = next(i for i, task in enumerate(problem.tasks) if i > 0 and task.deadline is not None)
        late = problem.tasks[windowed].deadline
        lines = [f"{n}: {late if i == windowed else s}" for i, (n, s) in enumerate(zip(names, starts)) if i != 0]
        grade = grade_answer(problem, "\n".join(lines))
        assert grade.counts.get("missing") == 1 and grade.counts.get("window", 0) >= 1
