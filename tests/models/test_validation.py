"""Every validation rule of the IR raises a ModelError naming the entity and the field."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schedkit.models import Demand, Model, ModelError, Term, TermKind


def base() -> Model:
    model = Model("v")
    model.add_resource("R", "renewable", 3)
    model.add_machine("M")
    model.add_task("a", duration=2, demands={"R": 1})
    model.add_task("b", duration=1, demands={"M": 1})
    return model


def expect(build: Callable[[Model], None], entity: str, field: str) -> None:
    model = base()
    with pytest.raises(ModelError) as info:
        build(model)
        model.freeze()
    assert entity in info.value.entity, info.value
    assert info.value.field == field, info.value


CASES: dict[str, tuple[Callable[[Model], None], str, str]] = {
    "negative capacity": (lambda m: m.add_resource("X", "renewable", -1), "resource 'X'", "capacity"),
    "unary capacity 2": (lambda m: m.add_resource("X", "unary", 2), "resource 'X'", "capacity"),
    "overlapping windows": (
        lambda m: m.add_resource("X", "renewable", 2, [(0, 5, 1), (3, 8, 0)]),
        "resource 'X'",
        "calendar[1]",
    ),
    "empty window": (lambda m: m.add_resource("X", "renewable", 2, [(4, 4, 1)]), "resource 'X'", "calendar[0].end"),
    "calendar on bin": (lambda m: m.add_resource("X", "bin", 2, [(0, 4, 1)]), "resource 'X'", "calendar"),
    "unary window capacity 2": (
        lambda m: m.add_resource("X", "unary", 1, [(0, 4, 2)]),
        "resource 'X'",
        "calendar[0].capacity",
    ),
    "demand above capacity": (
        lambda m: m.add_task("c", duration=1, demands={"R": 4}),
        "task 'c'",
        "modes[0].demands[0].amount",
    ),
    "unary demand 2": (
        lambda m: m.add_task("c", duration=1, demands={"M": 2}),
        "task 'c'",
        "modes[0].demands[0].amount",
    ),
    "offset on a bin": (
        lambda m: m.add_mode(m.add_task("c"), 1, [Demand(m.add_resource("B", "bin", 5), 1, offset=1)]),
        "task 'c'",
        "modes[0].demands[0].offset",
    ),
    "bin listed twice": (
        lambda m: m.add_mode(m.add_task("c"), 1, [Demand(m.add_resource("B", "bin", 5), 1)] * 2),
        "task 'c'",
        "modes[0].demands[1].resource",
    ),
    "modulo without cycle": (
        lambda m: m.add_mode(m.add_task("c"), 1, [Demand(m.add_resource("U", "modulo", 1), 1)]),
        "task 'c'",
        "modes[0].demands[0].resource",
    ),
    "task without modes": (lambda m: m.add_task("c"), "task 'c'", "modes"),
    "negative duration": (lambda m: m.add_task("c", duration=-1), "task 'c'", "modes[0].duration"),
    "negative release": (lambda m: m.add_task("c", duration=1, release=-2), "task 'c'", "release"),
    "deadline before release": (lambda m: m.add_task("c", duration=1, release=5, deadline=3), "task 'c'", "deadline"),
    "negative weight": (lambda m: m.add_task("c", duration=1, weight=-1), "task 'c'", "weight"),
    "mandatory pinned absent": (lambda m: m.pin("a", present=False), "task 'a'", "pin.present"),
    "pin to unknown mode": (lambda m: m.pin("a", mode=3), "task 'a'", "pin.mode"),
    "pin to negative start": (lambda m: m.pin("a", start=-1), "task 'a'", "pin.start"),
    "reference to unknown mode": (lambda m: m.set_reference("a", 2), "task 'a'", "reference.mode"),
    "distance without cycle": (lambda m: m.add_precedence("a", "b", distance=1), "precedence #0", "distance"),
    "self precedence": (lambda m: m.add_precedence("a", "a"), "precedence #0", "b"),
    "negative transfer lag": (lambda m: m.add_precedence("a", "b", transfer_lag=-1), "precedence #0", "transfer_lag"),
    "implication of itself": (lambda m: m.add_implication("a", ["a", "b"]), "implication #0", "then_any"),
    "selection asks too much": (lambda m: m.add_selection(["a", "b"], 3), "selection #0", "min_present"),
    "selection max below min": (lambda m: m.add_selection(["a", "b"], 2, 1), "selection #0", "max_present"),
    "selection lists a task twice": (lambda m: m.add_selection(["a", "a"], 1), "selection #0", "tasks"),
    "coverage group name reused": (
        lambda m: (m.add_coverage_group(["a"], name="g"), m.add_coverage_group(["b"], name="g")),
        "coverage group 'g'",
        "name",
    ),
    "disjunctive with itself": (lambda m: m.add_disjunctive_pair("a", "a"), "disjunctive pair #0", "b"),
    "cycle bounds reversed": (lambda m: m.set_cycle(4, 2), "cycle", "ii_max"),
    "cycle of zero": (lambda m: m.set_cycle(0, 2), "cycle", "ii_min"),
    "level without terms": (lambda m: m.add_objective_level([]), "objective level #0", "terms"),
    "II term without cycle": (lambda m: m.minimize("initiation_interval"), "objective level #0", "terms[0].kind"),
    "coverage term with tasks": (
        lambda m: m.maximize(Term(TermKind.COVERAGE_REWARD, 1, (0,))),
        "objective level #0",
        "terms[0].tasks",
    ),
    "term on unknown task": (
        lambda m: m.minimize(Term(TermKind.MAKESPAN, 1, (7,))),
        "objective level #0",
        "terms[0].tasks",
    ),
    "negative horizon": (lambda m: m.set_horizon(-1), "problem", "horizon"),
}


@pytest.mark.parametrize("case", CASES)
def test_rule_names_entity_and_field(case: str) -> None:
    build, entity, field = CASES[case]
    expect(build, entity, field)


def test_builder_rejects_duplicate_names_and_unknown_references() -> None:
    model = base()
    with pytest.raises(ModelError, match="task 'a', field 'name': is used by another task"):
        model.add_task("a", duration=1)
    with pytest.raises(ModelError, match="resource 'R', field 'name'"):
        model.add_resource("R")
    with pytest.raises(ModelError, match="task 'zzz', field 'name': no task has this name"):
        model.add_precedence("a", "zzz")
    with pytest.raises(ModelError, match="resource #9"):
        model.add_task("c", duration=1, demands={9: 1})


def test_unknown_enum_values_list_the_choices() -> None:
    model = base()
    with pytest.raises(ValueError, match="expected one of: unary, renewable, consumable, bin, modulo"):
        model.add_resource("X", "cumulative")
    with pytest.raises(ValueError, match="end_to_start"):
        model.add_precedence("a", "b", "finish_to_start")


def test_valid_model_freezes_and_is_immutable() -> None:
    problem = base().freeze()
    assert problem.task_index == {"a": 0, "b": 1}
    assert problem.effective_horizon == 3
    with pytest.raises(AttributeError):
        problem.tasks = ()  # type: ignore[misc]


def test_term_specs() -> None:
    model = base()
    model.minimize("makespan", ("total_weighted_completion", 2, ["a"]))
    model.maximize(Term(TermKind.PRESENT_VALUE))
    problem = model.freeze()
    first, second = problem.objective.levels
    assert [(t.kind, t.weight, t.tasks) for t in first.terms] == [
        (TermKind.MAKESPAN, 1, None),
        (TermKind.TOTAL_WEIGHTED_COMPLETION, 2, (0,)),
    ]
    assert second.sense.value == "max"
