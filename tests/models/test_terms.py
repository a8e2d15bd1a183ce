"""The table of term definitions (models.terms) is complete and its linear forms match the checker."""

from __future__ import annotations

import pytest

from schedkit.models import Model, Solution, TaskAssignment
from schedkit.models.enums import TermKind
from schedkit.models.terms import TERMS, Aggregate, presence_values, start_moved_cost
from schedkit.solvers import evaluate


def test_every_term_kind_has_one_definition() -> None:
    assert set(TERMS) == set(TermKind)
    for kind, definition in TERMS.items():
        assert definition.kind is kind
        assert kind.depends_on_time == definition.depends_on_time
        assert kind.uses_tasks == (definition.aggregate is not Aggregate.GLOBAL)


@pytest.mark.parametrize("kind", [k for k in TermKind if not TERMS[k].linear_in_presence])
def test_only_presence_terms_have_a_linear_form(kind: TermKind) -> None:
    model = Model()
    task = model.add_task("a", duration=1)
    problem = model.freeze()
    with pytest.raises(ValueError, match="not linear"):
        presence_values(kind, problem.tasks[task])


def _disruption_problem():
    model = Model("moves")
    first = model.add_task("a", optional=True)
    model.add_mode(first, 2)
    model.add_mode(first, 3)
    second = model.add_task("b", optional=True)
    model.add_mode(second, 1)
    model.add_mode(second, 1)
    model.set_reference(first, mode=0, start=4, move_cost=5, evict_cost=7)
    model.set_reference(second, mode=1, move_cost=2, evict_cost=3)
    model.minimize("disruption")
    return model.freeze()


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((True, 0, 4), (True, 1, 0), 0),  # both where they were
        ((True, 0, 5), (True, 1, 0), 5),  # a moved in time only
        ((True, 1, 4), (True, 0, 0), 5 + 2),  # both in another mode
        ((False, None, None), (False, None, None), 7 + 3),  # both evicted
    ],
)
def test_disruption_linear_form_plus_start_part_matches_the_checker(a, b, expected) -> None:
    problem = _disruption_problem()
    solution = Solution((TaskAssignment(*a), TaskAssignment(*b)))
    assert evaluate(problem, solution) == (expected,)
    by_hand = 0
    for task, (present, mode, start) in zip(problem.tasks, (a, b)):
        values = presence_values(TermKind.DISRUPTION, task)
        if not present:
            by_hand += values.absent
        else:
            by_hand += values.per_mode[mode]
            if mode == task.reference.mode and task.reference.start not in (None, start):
                by_hand += start_moved_cost(task)
    assert by_hand == expected
