"""Tests of the independent checker (solvers/checker.py): every violation kind, the sweeps, the objective.

Each constraint test builds a small problem, shows that a valid solution passes
(``check(...) == []``) and that one mutation is rejected with the right kind,
naming the right task / resource / time. Random tests compare the sweeps with
a naive time-step-by-time-step reference written here from the IR docstrings.
"""

from __future__ import annotations

import random
import time

import pytest

from schedkit.models import Demand, Model, ProblemData, Solution, TaskAssignment, term
from schedkit.models.fjsp import fjsp
from schedkit.models.jobshop import jobshop
from schedkit.models.rcpsp import Activity, RcpspCalendar, RcpspMode, rcpsp
from schedkit.models.tardiness import tardiness
from schedkit.solvers.checker import VIOLATION_KINDS, Violation, check, evaluate, is_feasible

P = TaskAssignment(True, 0, 0)
ABSENT = TaskAssignment(False, None, None)


def sol(*entries: tuple[int, int] | int | None, ii: int | None = None) -> Solution:
    """Solution from per-task entries: ``start`` (mode 0), ``(start, mode)`` or None (absent)."""
    tasks = []
    for entry in entries:
        if entry is None:
            tasks.append(ABSENT)
        elif isinstance(entry, tuple):
            tasks.append(TaskAssignment(True, entry[1], entry[0]))
        else:
            tasks.append(TaskAssignment(True, 0, entry))
    return Solution(tuple(tasks), ii)


def of_kind(violations: list[Violation], kind: str) -> list[Violation]:
    return [v for v in violations if v.kind == kind]


def single(violations: list[Violation], kind: str) -> Violation:
    """The one violation, which must be of ``kind`` (no collateral violations)."""
    assert [v.kind for v in violations] == [kind], violations
    return violations[0]


# ------------------------------------------------------------------- structure
def two_task_problem() -> ProblemData:
    model = Model("two")
    machine = model.add_machine("M")
    model.add_task("a", duration=2, demands={machine: 1})
    b = model.add_task("b", optional=True)
    model.add_mode(b, 3, {machine: 1})
    model.add_mode(b, 1, {machine: 1})
    return model.freeze()


def test_violation_is_frozen_and_prints_kind() -> None:
    v = Violation("release", "task x starts at 0 < release 1", ("x",), time=0)
    assert str(v) == "release: task x starts at 0 < release 1"
    with pytest.raises(AttributeError):
        v.kind = "pin"  # type: ignore[misc]
    assert "structure" in VIOLATION_KINDS and len(VIOLATION_KINDS) == 14


def test_structure_valid_solution_passes() -> None:
    problem = two_task_problem()
    assert check(problem, sol(0, (2, 1))) == []
    assert check(problem, sol(0, None)) == []
    assert is_feasible(problem, sol(0, (2, 0)))


def test_structure_wrong_length_reports_and_skips_everything_else() -> None:
    problem = two_task_problem()
    v = single(check(problem, sol(0)), "structure")
    assert "1 task assignments" in v.message and "2 tasks" in v.message
    assert not is_feasible(problem, sol(0, 0, 0))


@pytest.mark.parametrize("bad_mode", [2, -1, None, 1.0, "1"])
def test_structure_mode_out_of_range(bad_mode: object) -> None:
    problem = two_task_problem()
    violations = check(problem, Solution((TaskAssignment(True, 0, 0), TaskAssignment(True, bad_mode, 2))))  # type: ignore[arg-type]
    v = single(violations, "structure")
    assert v.tasks == ("b",) and "mode" in v.message and "task b" in v.message


def test_structure_present_task_without_start() -> None:
    problem = two_task_problem()
    v = single(check(problem, Solution((TaskAssignment(True, 0, None), P))), "structure")
    assert v.tasks == ("a",) and "no start" in v.message


@pytest.mark.parametrize("bad_start", [2.0, 2.5, "2", True])
def test_structure_non_integer_start(bad_start: object) -> None:
    problem = two_task_problem()
    v = single(check(problem, Solution((P, TaskAssignment(True, 1, bad_start)))), "structure")  # type: ignore[arg-type]
    assert v.tasks == ("b",) and "non-integer start" in v.message


def test_structure_negative_start() -> None:
    problem = two_task_problem()
    violations = check(problem, sol(-1, None))
    v = of_kind(violations, "structure")[0]
    assert v.tasks == ("a",) and v.time == -1 and "negative start -1" in v.message


def test_structure_mandatory_task_absent() -> None:
    problem = two_task_problem()
    v = single(check(problem, sol(None, 0)), "structure")
    assert v.tasks == ("a",) and "mandatory" in v.message


def test_structure_integer_like_values_are_accepted() -> None:
    np = pytest.importorskip("numpy")
    problem = two_task_problem()
    solution = Solution(
        (TaskAssignment(True, np.int64(0), np.int64(0)), TaskAssignment(True, np.int32(1), np.int64(2)))
    )
    assert check(problem, solution) == []
    assert evaluate(problem, solution) == ()


def test_structure_ii_given_for_acyclic_problem() -> None:
    problem = two_task_problem()
    v = single(check(problem, sol(0, None, ii=2)), "structure")
    assert "acyclic" in v.message


def cyclic_problem() -> ProblemData:
    model = Model("loop")
    unit = model.add_resource("alu", "modulo", 1)
    a = model.add_task("ld", duration=2, demands={unit: 1})
    b = model.add_task("add", duration=1)
    model.add_precedence(a, b)
    model.add_precedence(b, a, distance=1)
    model.set_cycle(2, 6)
    model.minimize("initiation_interval")
    return model.freeze()


def test_structure_ii_missing_for_cyclic_problem() -> None:
    problem = cyclic_problem()
    assert check(problem, sol(0, 2, ii=3)) == []
    v = single(check(problem, sol(0, 2)), "structure")
    assert "no II" in v.message
    v = single(check(problem, sol(0, 2, ii=3.0)), "structure")  # type: ignore[arg-type]
    assert "non-integer II" in v.message


def test_structure_broken_task_does_not_hide_other_violations() -> None:
    model = Model()
    machine = model.add_machine("M")
    model.add_task("a", duration=2, demands={machine: 1})
    model.add_task("b", duration=2, demands={machine: 1})
    model.add_task("c", duration=2, demands={machine: 1}, release=5)
    problem = model.freeze()
    violations = check(problem, Solution((TaskAssignment(True, 7, 0), TaskAssignment(True, 0, 0), P)))
    assert sorted(v.kind for v in violations) == ["capacity", "release", "structure"]
    assert of_kind(violations, "capacity")[0].tasks == ("b", "c")


# ---------------------------------------------------------------- task windows
def window_problem(horizon: int | None = None) -> ProblemData:
    model = Model("windows")
    model.add_task("early", duration=3, release=2, deadline=8)
    model.add_task("late", duration=4, release=0)
    if horizon is not None:
        model.set_horizon(horizon)
    return model.freeze()


def test_release() -> None:
    problem = window_problem()
    assert check(problem, sol(2, 0)) == []
    v = single(check(problem, sol(1, 0)), "release")
    assert v.tasks == ("early",) and v.time == 1 and "starts at 1 < release 2" in v.message


def test_deadline() -> None:
    problem = window_problem()
    assert check(problem, sol(5, 0)) == []
    v = single(check(problem, sol(6, 0)), "deadline")
    assert v.tasks == ("early",) and v.time == 9 and "ends at 9 > deadline 8" in v.message


def test_horizon_only_when_user_set() -> None:
    assert check(window_problem(), sol(2, 1000)) == []  # no user horizon: any end is fine
    problem = window_problem(horizon=10)
    assert check(problem, sol(2, 6)) == []
    v = single(check(problem, sol(2, 7)), "horizon")
    assert v.tasks == ("late",) and v.time == 11 and "ends at 11 > horizon 10" in v.message


# ------------------------------------------------------------------------ pins
def pin_problem() -> ProblemData:
    model = Model("pins")
    a = model.add_task("a", optional=True)
    model.add_mode(a, 2)
    model.add_mode(a, 3)
    b = model.add_task("b", optional=True, duration=1)
    c = model.add_task("c", optional=True, duration=1)
    model.pin(a, mode=1, start=4)
    model.pin(b, present=True)
    model.pin(c, present=False)
    return model.freeze()


def test_pin_valid_and_absent_task_ignores_mode_and_start_pins() -> None:
    problem = pin_problem()
    assert check(problem, sol((4, 1), 0, None)) == []
    assert check(problem, sol(None, 0, None)) == []  # a's pinned mode/start only apply when present


def test_pin_mode() -> None:
    v = single(check(pin_problem(), sol((4, 0), 0, None)), "pin")
    assert v.tasks == ("a",) and "mode 0" in v.message and "pinned to mode 1" in v.message


def test_pin_start() -> None:
    v = single(check(pin_problem(), sol((5, 1), 0, None)), "pin")
    assert v.tasks == ("a",) and v.time == 5 and "pinned to start at 4" in v.message


def test_pin_presence() -> None:
    v = single(check(pin_problem(), sol((4, 1), None, None)), "pin")
    assert v.tasks == ("b",) and "absent but pinned present" in v.message
    v = single(check(pin_problem(), sol((4, 1), 0, 0)), "pin")
    assert v.tasks == ("c",) and "present but pinned absent" in v.message


# ------------------------------------------------------------------ precedence
def prec_problem(ptype: str, lag: int = 0) -> ProblemData:
    model = Model("prec")
    model.add_task("a", duration=3)
    model.add_task("b", duration=2)
    model.add_precedence("a", "b", ptype, lag=lag)
    return model.freeze()


@pytest.mark.parametrize(
    ("ptype", "lag", "tight_b", "label"),
    [
        # a starts at 10 and ends at 13; tight_b is the smallest valid start of b.
        ("end_to_start", 0, 13, "start"),
        ("end_to_start", 2, 15, "start"),
        ("start_to_start", 1, 11, "start"),
        ("end_to_end", 0, 11, "end"),  # E_b = S_b + 2 >= 13
        ("start_to_end", 0, 8, "end"),  # E_b = S_b + 2 >= 10
        ("end_to_start", -5, 8, "start"),  # negative lag: S_b >= 13 - 5
    ],
)
def test_precedence_types(ptype: str, lag: int, tight_b: int, label: str) -> None:
    problem = prec_problem(ptype, lag)
    assert check(problem, sol(10, tight_b)) == []
    assert check(problem, sol(10, tight_b + 7)) == []
    v = single(check(problem, sol(10, tight_b - 1)), "precedence")
    assert v.tasks == ("a", "b")
    assert v.message.startswith(f"precedence a -> b ({ptype}, lag {lag}): {label} ")
    observed = tight_b - 1 + (2 if label == "end" else 0)
    assert f"{label} {observed} < {observed + 1}" in v.message


def test_precedence_message_format() -> None:
    problem = jobshop([[(0, 7), (1, 3)]])
    v = single(check(problem, sol(0, 5)), "precedence")
    assert v.message.startswith("precedence j0_o0 -> j0_o1 (end_to_start, lag 0): start 5 < 7")
    assert v.time == 5


def test_precedence_skipped_when_a_task_is_absent() -> None:
    model = Model()
    model.add_task("a", duration=3, optional=True)
    model.add_task("b", duration=2)
    model.add_precedence("a", "b")
    problem = model.freeze()
    assert check(problem, sol(None, 0)) == []
    assert of_kind(check(problem, sol(0, 0)), "precedence")


def test_precedence_with_distance_uses_ii() -> None:
    model = Model("recurrence")
    a = model.add_task("a", duration=3)
    b = model.add_task("b", duration=1)
    model.add_precedence(a, b)  # S_b >= S_a + 3
    model.add_precedence(b, a, distance=2, lag=1)  # S_a + 2 II >= S_b + 1 + 1
    model.set_cycle(1, 10)
    problem = model.freeze()
    assert check(problem, sol(0, 3, ii=3)) == []  # 0 + 6 >= 5
    assert check(problem, sol(0, 4, ii=3)) == []  # 6 >= 6
    v = single(check(problem, sol(0, 5, ii=3)), "precedence")  # 6 < 7
    assert v.tasks == ("b", "a")
    assert "distance 2, II 3" in v.message and "start 0 + 2*3 = 6 < 7" in v.message


def test_transfer_lag_applies_only_across_locations() -> None:
    model = Model("warps")
    producer = model.add_task("producer")
    model.add_mode(producer, 2, location="wg0")
    model.add_mode(producer, 2, location="wg1")
    consumer = model.add_task("consumer")
    model.add_mode(consumer, 1, location="wg0")
    model.add_mode(consumer, 1, location="wg1")
    model.add_mode(consumer, 1)  # no location
    model.add_precedence(producer, consumer, lag=1, transfer_lag=4)
    problem = model.freeze()
    # same location: S_c >= 2 + 1
    assert check(problem, sol((0, 0), (3, 0))) == []
    assert check(problem, sol((0, 1), (3, 1))) == []
    # different locations: S_c >= 2 + 1 + 4
    assert check(problem, sol((0, 0), (7, 1))) == []
    v = single(check(problem, sol((0, 0), (6, 1))), "precedence")
    assert "transfer lag 4 ('wg0' -> 'wg1')" in v.message and "start 6 < 7" in v.message
    # a location against no location differs
    assert of_kind(check(problem, sol((0, 1), (3, 2))), "precedence")
    assert check(problem, sol((0, 1), (7, 2))) == []


def test_transfer_lag_two_none_locations_are_equal() -> None:
    model = Model()
    model.add_task("a", duration=2)
    model.add_task("b", duration=1)
    model.add_precedence("a", "b", transfer_lag=10)
    problem = model.freeze()
    assert check(problem, sol(0, 2)) == []


def test_transfer_lag_in_flexible_job_shop() -> None:
    # fjsp modes carry location = machine name; a transfer lag between machines
    model = Model("fjsp with transfer")
    m0, m1 = model.add_machine("m0"), model.add_machine("m1")
    for name in ("o0", "o1"):
        t = model.add_task(name)
        model.add_mode(t, 2, {m0: 1}, location="m0")
        model.add_mode(t, 2, {m1: 1}, location="m1")
    model.add_precedence("o0", "o1", transfer_lag=3)
    problem = model.freeze()
    assert check(problem, sol((0, 0), (2, 0))) == []
    assert check(problem, sol((0, 0), (5, 1))) == []
    v = single(check(problem, sol((0, 0), (4, 1))), "precedence")
    assert v.tasks == ("o0", "o1")


# -------------------------------------------------------------------- capacity
def test_capacity_unary_overlap_and_touching() -> None:
    problem = jobshop([[(0, 3)], [(0, 2)]])
    assert check(problem, sol(0, 3)) == []  # [0,3) and [3,5) touch: half-open
    assert check(problem, sol(2, 0)) == []
    v = single(check(problem, sol(0, 2)), "capacity")
    assert v.resource == "m0" and v.time == 2 and set(v.tasks) == {"j0_o0", "j1_o0"}
    assert v.message.startswith("resource 'm0' over capacity at t=2: usage 2 > capacity 1 (tasks j0_o0, j1_o0)")
    assert "[2, 3)" in v.message


def test_capacity_message_example_format() -> None:
    problem = jobshop([[(0, 1), (0, 1), (3, 4)], [(3, 1)], [(1, 1)], [(1, 1)], [(3, 5)]])
    # j0_o2 on m3 from 9; j4_o0 (5 long) on m3 from 7 -> overlap at t=9
    solution = sol(0, 1, 9, 0, 0, 1, 7)
    v = single(check(problem, solution), "capacity")
    assert v.message.startswith("resource 'm3' over capacity at t=9: usage 2 > capacity 1 (tasks j4_o0, j0_o2)")


def test_capacity_renewable() -> None:
    model = Model()
    r = model.add_resource("crew", "renewable", 3)
    for name, amount in (("a", 2), ("b", 1), ("c", 1)):
        model.add_task(name, duration=4, demands={r: amount})
    problem = model.freeze()
    assert check(problem, sol(0, 0, 4)) == []
    assert check(problem, sol(0, 4, 4)) == []
    v = single(check(problem, sol(0, 0, 3)), "capacity")
    assert v.resource == "crew" and v.time == 3 and set(v.tasks) == {"a", "b", "c"}
    assert "usage 4 > capacity 3" in v.message


def test_capacity_unary_calendar_downtime() -> None:
    model = Model()
    m = model.add_machine("press", downtime=[(5, 8)])
    model.add_task("a", duration=3, demands={m: 1})
    problem = model.freeze()
    assert check(problem, sol(2)) == []  # [2,5) ends as downtime begins
    assert check(problem, sol(8)) == []  # starts as downtime ends
    v = single(check(problem, sol(3)), "capacity")
    assert v.resource == "press" and v.time == 5 and v.tasks == ("a",)
    assert "usage 1 > capacity 0" in v.message
    v = single(check(problem, sol(7)), "capacity")
    assert v.time == 7
    v = single(check(problem, sol(4)), "capacity")  # [4, 7) is over capacity on [5, 7)
    assert v.time == 5 and "on [5, 7)" in v.message
    model.add_task("long", duration=10, demands={m: 1})
    v = single(check(model.freeze(), sol(20, 0)), "capacity")  # [0, 10) spans the whole downtime
    assert v.time == 5 and v.tasks == ("long",) and "on [5, 8)" in v.message


def test_capacity_renewable_calendar_windows() -> None:
    model = Model()
    r = model.add_resource("staff", "renewable", 2, calendar=[(10, 20, 1), (20, 25, 0), (30, 40, 4)])
    model.add_task("a", duration=5, demands={r: 1})
    model.add_task("b", duration=5, demands={r: 1})
    model.add_task("big", duration=5, demands={r: 4})
    problem = model.freeze()
    assert check(problem, sol(0, 0, 30)) == []  # 4 units fit only in [30, 40)
    assert check(problem, sol(10, 15, 35)) == []
    v = single(check(problem, sol(8, 8, 30)), "capacity")  # two at t=10 with capacity 1
    assert v.time == 10 and set(v.tasks) == {"a", "b"} and "usage 2 > capacity 1" in v.message
    v = single(check(problem, sol(0, 18, 30)), "capacity")  # b runs into the downtime [20, 25)
    assert v.time == 20 and v.tasks == ("b",)
    violations = check(problem, sol(0, 0, 36))  # big overruns the 4-window into base capacity 2
    v = single(violations, "capacity")
    assert v.time == 40 and v.tasks == ("big",) and "usage 4 > capacity 2" in v.message


def test_capacity_rcpsp_with_calendar_builder() -> None:
    activities = [
        Activity.single(3, [1], successors=[2]),
        Activity.single(3, [1]),
        Activity.single(2, [2]),
    ]
    problem = rcpsp(activities, [2], calendars=[RcpspCalendar(0, ((3, 4, 1),))])
    assert check(problem, sol(0, 0, 4)) == []
    v = single(check(problem, sol(0, 0, 3)), "capacity")
    assert v.resource == "R1" and v.time == 3 and v.tasks == ("a2",)


def test_capacity_reservation_table_offsets_and_zero_length() -> None:
    model = Model()
    unit = model.add_resource("bus", "unary", 1)
    # a holds the bus on [S+1, S+2) and [S+4, S+6); a zero-length usage occupies nothing
    a = model.add_task("a")
    model.add_mode(a, 6, [Demand(unit, 1, offset=1, length=1), Demand(unit, 1, offset=4, length=2)])
    b = model.add_task("b")
    model.add_mode(b, 2, [Demand(unit, 1, offset=0, length=2), Demand(unit, 1, offset=0, length=0)])
    problem = model.freeze()
    assert check(problem, sol(0, 2)) == []  # b on [2,4) fits between a's slots
    assert check(problem, sol(0, 6)) == []
    v = single(check(problem, sol(0, 3)), "capacity")
    assert v.time == 4 and set(v.tasks) == {"a", "b"}


def test_capacity_reservation_table_of_one_task_can_conflict_with_itself() -> None:
    model = Model()
    unit = model.add_machine("m")
    a = model.add_task("a")
    model.add_mode(a, 4, [Demand(unit, 1, offset=0, length=3), Demand(unit, 1, offset=2, length=2)])
    problem = model.freeze()
    v = single(check(problem, sol(0)), "capacity")
    assert v.time == 2 and v.tasks == ("a",)


def test_capacity_absent_tasks_use_nothing() -> None:
    model = Model()
    m = model.add_machine("m")
    model.add_task("a", duration=3, demands={m: 1})
    model.add_task("b", duration=3, demands={m: 1}, optional=True)
    problem = model.freeze()
    assert check(problem, sol(0, None)) == []
    assert of_kind(check(problem, sol(0, 0)), "capacity")


def test_capacity_chosen_mode_decides_the_machine() -> None:
    problem = fjsp([[[(0, 3), (1, 4)]], [[(0, 2)]]])
    assert check(problem, sol((0, 1), 0)) == []
    v = single(check(problem, sol((0, 0), 0)), "capacity")
    assert v.resource == "m0"


# ------------------------------------------------------------------ consumable
def test_consumable_budget() -> None:
    activities = [
        Activity((RcpspMode(2, (), (3,)), RcpspMode(4, (), (1,)))),
        Activity((RcpspMode(2, (), (2,)), RcpspMode(3, (), (1,)))),
    ]
    problem = rcpsp(activities, [], budgets=[4])
    assert check(problem, sol((0, 0), (0, 1))) == []
    assert check(problem, sol((0, 1), (5, 0))) == []
    v = single(check(problem, sol((0, 0), (7, 0))), "consumable")
    assert v.resource == "N1" and v.time == 7 and set(v.tasks) == {"a0", "a1"}
    assert "consumed 5 > capacity 4" in v.message


def test_consumable_step_profile() -> None:
    model = Model()
    # budget released over time: 2 before t=10, 5 on [10, 20), 9 from t=20 on
    money = model.add_resource("money", "consumable", 9, calendar=[(0, 10, 2), (10, 20, 5)])
    model.add_task("a", duration=1, demands={money: 2})
    model.add_task("b", duration=1, demands={money: 3})
    model.add_task("c", duration=1, demands={money: 4})
    problem = model.freeze()
    assert check(problem, sol(0, 10, 20)) == []
    assert check(problem, sol(5, 12, 25)) == []
    v = single(check(problem, sol(0, 9, 20)), "consumable")  # 5 consumed at t=9, only 2 released
    assert v.time == 9 and set(v.tasks) == {"a", "b"} and "consumed 5 > capacity 2" in v.message
    v = single(check(problem, sol(0, 10, 19)), "consumable")  # 9 consumed before 20
    assert v.time == 19 and set(v.tasks) == {"a", "b", "c"}


def test_consumable_capacity_drop_after_the_last_start() -> None:
    model = Model()
    fuel = model.add_resource("fuel", "consumable", 5, calendar=[(50, 60, 1)])
    model.add_task("a", duration=1, demands={fuel: 3})
    problem = model.freeze()
    assert check(problem, sol(60)) == []
    v = single(check(problem, sol(0)), "consumable")
    assert v.time == 50 and v.tasks == ("a",)


def test_consumable_absent_tasks_consume_nothing() -> None:
    model = Model()
    fuel = model.add_resource("fuel", "consumable", 3)
    model.add_task("a", duration=1, demands={fuel: 2})
    model.add_task("b", duration=1, demands={fuel: 2}, optional=True)
    problem = model.freeze()
    assert check(problem, sol(0, None)) == []
    assert single(check(problem, sol(0, 5)), "consumable").time == 5


# ------------------------------------------------------------------------- bin
def bin_problem() -> ProblemData:
    model = Model("pods")
    cpu = [model.add_resource(f"node{k}.cpu", "bin", 4) for k in range(2)]
    for name, size in (("p0", 3), ("p1", 2), ("p2", 1)):
        pod = model.add_task(name, optional=True)
        for k in range(2):
            model.add_mode(pod, 0, {cpu[k]: size}, location=f"node{k}")
    return model.freeze()


def test_bin() -> None:
    problem = bin_problem()
    assert check(problem, sol((0, 0), (0, 1), (0, 0))) == []
    assert check(problem, sol((0, 0), None, (0, 0))) == []
    v = single(check(problem, sol((0, 0), (0, 0), (0, 1))), "bin")
    assert v.resource == "node0.cpu" and set(v.tasks) == {"p0", "p1"} and v.time is None
    assert "demand 5 > capacity 4" in v.message


# ---------------------------------------------------------------------- modulo
def test_modulo_reservation_table_longer_than_ii() -> None:
    model = Model("pipeline")
    tc = model.add_resource("tc", "modulo", 2)
    # a holds tc twice: [S, S+5) (longer than II = 3) and [S+6, S+7)
    a = model.add_task("a")
    model.add_mode(a, 7, [Demand(tc, 1, offset=0, length=5), Demand(tc, 1, offset=6, length=1)])
    b = model.add_task("b")
    model.add_mode(b, 1, [Demand(tc, 1, offset=1, length=1)])
    model.set_cycle(1, 8)
    problem = model.freeze()
    # a at 0, II=3: [0,5) -> residues 0,1,2,0,1; [6,7) -> residue 0.  counts r0=3, r1=2, r2=1
    assert of_kind(check(problem, sol(0, 0, ii=3)), "modulo")
    # capacity 2: residue 0 has 3 -> violation at residue 0 whatever b does
    v = of_kind(check(problem, sol(0, 1, ii=3)), "modulo")[0]
    assert v.time == 0 and v.resource == "tc" and "usage 3 > capacity 2" in v.message
    assert "mod II=3" in v.message
    # II=4: [0,5) -> 0,1,2,3,0; [6,7) -> 2. counts r0=2, r1=1, r2=2, r3=1; b uses [S+1, S+2)
    assert check(problem, sol(0, 0, ii=4)) == []  # b at residue 1 -> 2
    assert check(problem, sol(0, 2, ii=4)) == []  # b at residue 3 -> 2
    v = single(check(problem, sol(0, 1, ii=4)), "modulo")  # b at residue 2 -> 3
    assert v.time == 2 and set(v.tasks) == {"a", "b"}
    v = single(check(problem, sol(0, 3, ii=4)), "modulo")  # b at residue 0 (wraps) -> 3
    assert v.time == 0 and set(v.tasks) == {"a", "b"}


def test_modulo_capacity_one_with_wrapping_usage() -> None:
    model = Model()
    alu = model.add_resource("alu", "modulo", 1)
    model.add_task("x", duration=3, demands={alu: 1})
    model.add_task("y", duration=2, demands={alu: 1})
    model.set_cycle(5, 5)
    problem = model.freeze()
    assert check(problem, sol(4, 2, ii=5)) == []  # x: 4,0,1; y: 2,3
    v = single(check(problem, sol(4, 1, ii=5)), "modulo")  # y: 1,2 collides with x at 1
    assert v.time == 1 and set(v.tasks) == {"x", "y"}
    assert check(problem, sol(0, 3, ii=5)) == []
    # the modulo check is stricter than the timeline: no absolute overlap, but a residue clash
    assert single(check(problem, sol(0, 7, ii=5)), "modulo").time == 2


def test_modulo_skipped_without_usable_ii_and_cycle_reported() -> None:
    problem = cyclic_problem()
    violations = check(problem, sol(0, 2, ii=0))
    assert [v.kind for v in violations] == ["cycle", "precedence"]


# ----------------------------------------------------------------------- cycle
def test_cycle_bounds() -> None:
    problem = cyclic_problem()  # ii in [2, 6]
    assert check(problem, sol(0, 2, ii=6)) == []
    v = single(check(problem, sol(0, 2, ii=7)), "cycle")
    assert v.time == 7 and "II=7 is outside [2, 6]" in v.message
    violations = check(problem, sol(0, 2, ii=1))  # also breaks the recurrence
    assert of_kind(violations, "cycle")[0].time == 1


# ----------------------------------------------------------- presence logic
def logic_problem() -> ProblemData:
    model = Model("tree")
    for name in ("leaf", "parent", "alt", "x", "y", "z"):
        model.add_task(name, duration=1, optional=True)
    model.add_implication("leaf", ["parent", "alt"])
    model.add_selection(["x", "y", "z"], min_present=1, max_present=2)
    model.add_coverage_group(["x", "leaf"], reward=5)
    return model.freeze()


def test_implication() -> None:
    problem = logic_problem()
    assert check(problem, sol(0, 0, None, 0, None, None)) == []
    assert check(problem, sol(0, None, 0, 0, None, None)) == []
    assert check(problem, sol(None, None, None, 0, None, None)) == []
    v = single(check(problem, sol(0, None, None, 0, None, None)), "implication")
    assert v.tasks == ("leaf", "parent", "alt")
    assert "task leaf is present but none of parent, alt is" in v.message


def test_selection() -> None:
    problem = logic_problem()
    assert check(problem, sol(None, None, None, 0, 0, None)) == []
    v = single(check(problem, sol(None, None, None, None, None, None)), "selection")
    assert v.tasks == ("x", "y", "z") and "0 of tasks x, y, z are present, outside [1, 2]" in v.message
    v = single(check(problem, sol(None, None, None, 0, 0, 0)), "selection")
    assert "3 of tasks" in v.message


def test_selection_without_maximum() -> None:
    model = Model()
    for name in "abc":
        model.add_task(name, duration=1, optional=True)
    model.add_selection("abc", min_present=2)
    problem = model.freeze()
    assert check(problem, sol(0, 0, 0)) == []
    assert "outside [2, inf]" in single(check(problem, sol(0, None, None)), "selection").message


def test_coverage_groups_are_not_constraints() -> None:
    problem = logic_problem()
    assert check(problem, sol(None, None, None, None, 0, None)) == []  # group {x, leaf} uncovered


# ------------------------------------------------------------------ disjunctive
def test_disjunctive() -> None:
    activities = [Activity.single(3), Activity.single(2), Activity.single(0)]
    problem = rcpsp(activities, [], disjunctive_pairs=[(0, 1), (0, 2)])
    assert check(problem, sol(0, 3, 1)) == []  # touching is fine; zero-length overlaps nothing
    assert check(problem, sol(2, 0, 1)) == []
    v = single(check(problem, sol(0, 2, 1)), "disjunctive")
    assert v.tasks == ("a0", "a1") and v.time == 2
    assert "a0 [0, 3) and a1 [2, 4) overlap" in v.message


def test_disjunctive_skipped_when_absent() -> None:
    model = Model()
    model.add_task("a", duration=3)
    model.add_task("b", duration=3, optional=True)
    model.add_disjunctive_pair("a", "b")
    problem = model.freeze()
    assert check(problem, sol(0, None)) == []
    assert of_kind(check(problem, sol(0, 0)), "disjunctive")


def test_every_kind_is_exercised() -> None:
    """Every kind in VIOLATION_KINDS is produced by some mutation above (guards the list)."""
    seen = set()
    seen |= {v.kind for v in check(two_task_problem(), sol(0))}
    seen |= {v.kind for v in check(pin_problem(), sol((4, 0), 0, None))}
    seen |= {v.kind for v in check(window_problem(10), sol(0, 8))}
    seen |= {v.kind for v in check(window_problem(), sol(7, 0))}
    seen |= {v.kind for v in check(prec_problem("end_to_start"), sol(0, 0))}
    seen |= {v.kind for v in check(jobshop([[(0, 3)], [(0, 2)]]), sol(0, 0))}
    seen |= {v.kind for v in check(bin_problem(), sol((0, 0), (0, 0), None))}
    seen |= {v.kind for v in check(cyclic_problem(), sol(0, 2, ii=9))}
    seen |= {v.kind for v in check(logic_problem(), sol(0, None, None, None, None, None))}
    activities = [Activity((RcpspMode(3, (), (3,)),)), Activity((RcpspMode(2, (), (3,)),))]
    seen |= {v.kind for v in check(rcpsp(activities, [], [4], disjunctive_pairs=[(0, 1)]), sol(0, 0))}
    model = Model()
    alu = model.add_resource("alu", "modulo", 1)
    model.add_task("x", duration=2, demands={alu: 1})
    model.set_cycle(1, 1)
    seen |= {v.kind for v in check(model.freeze(), sol(0, ii=1))}
    assert seen == set(VIOLATION_KINDS)


# ------------------------------------------------- random cross-checks (naive)
def naive_capacity_violations(problem: ProblemData, solution: Solution) -> set[tuple[str, int]]:
    """(resource, t) for every integer time t where a unary/renewable resource is over capacity."""
    found = set()
    usages: dict[int, list[tuple[int, int, int]]] = {}
    for i, a in enumerate(solution.tasks):
        if not a.present:
            continue
        mode = problem.tasks[i].modes[a.mode]
        for d in mode.demands:
            length = mode.duration if d.length is None else d.length
            usages.setdefault(d.resource, []).append((a.start + d.offset, a.start + d.offset + length, d.amount))
    for r, used in usages.items():
        res = problem.resources[r]
        for t in range(0, 200):
            load = sum(amount for s, e, amount in used if s <= t < e)
            if load > res.capacity_at(t):
                found.add((res.name, t))
    return found


def covered_times(violations: list[Violation], problem: ProblemData) -> set[tuple[str, int]]:
    """Expand each capacity violation's reported interval [t, until) into (resource, t) pairs."""
    times = set()
    for v in violations:
        if v.kind != "capacity":
            continue
        begin, until = v.message.rsplit("[", 1)[1].rstrip(")").split(", ")
        times |= {(v.resource, t) for t in range(int(begin), int(until))}
    return times


def test_sweep_agrees_with_time_step_reference() -> None:
    rng = random.Random(7)
    for trial in range(300):
        model = Model(f"random {trial}")
        resources = []
        for k in range(2):
            windows, t = [], rng.randint(0, 5)
            while rng.random() < 0.6 and t < 60:
                end = t + rng.randint(1, 8)
                windows.append((t, end, rng.randint(0, 4)))
                t = end + rng.randint(0, 3)
            resources.append(model.add_resource(f"r{k}", "renewable", rng.randint(1, 4), windows))
        for i in range(rng.randint(1, 7)):
            demands = []
            for r in resources:
                if rng.random() < 0.7:
                    length = rng.choice([None, 0, 1, 3, 6])
                    demands.append(Demand(r, 1, offset=rng.randint(0, 3), length=length))
            model.add_task(f"t{i}")
            model.add_mode(f"t{i}", rng.randint(0, 8), demands)
        problem = model.freeze()
        solution = Solution.from_lists([rng.randint(0, 50) for _ in problem.tasks])
        violations = check(problem, solution)
        expected = naive_capacity_violations(problem, solution)
        assert covered_times(violations, problem) <= expected
        # every over-capacity stretch starts with a report: the first over time of each stretch is reported
        starts = {(r, t) for r, t in expected if (r, t - 1) not in expected}
        reported = {(v.resource, v.time) for v in violations}
        assert starts <= reported
        assert bool(violations) == bool(expected)


def naive_modulo_counts(problem: ProblemData, solution: Solution, r: int) -> list[int]:
    counts = [0] * solution.ii
    for i, a in enumerate(solution.tasks):
        mode = problem.tasks[i].modes[a.mode]
        for d in mode.demands:
            if d.resource != r:
                continue
            length = mode.duration if d.length is None else d.length
            for k in range(length):
                counts[(a.start + d.offset + k) % solution.ii] += d.amount
    return counts


def test_modulo_sweep_agrees_with_residue_reference() -> None:
    rng = random.Random(11)
    for trial in range(300):
        model = Model(f"modulo {trial}")
        unit = model.add_resource("u", "modulo", rng.randint(2, 4))
        for i in range(rng.randint(1, 5)):
            demands = [
                Demand(unit, rng.randint(1, 2), offset=rng.randint(0, 6), length=rng.choice([None, 0, 1, 4, 9, 13]))
                for _ in range(rng.randint(1, 3))
            ]
            model.add_task(f"t{i}")
            model.add_mode(f"t{i}", rng.randint(0, 7), demands)
        model.set_cycle(1, 20)
        problem = model.freeze()
        ii = rng.randint(1, 9)
        solution = Solution.from_lists([rng.randint(0, 30) for _ in problem.tasks], ii=ii)
        counts = naive_modulo_counts(problem, solution, 0)
        cap = problem.resources[0].capacity
        over = {r for r in range(ii) if counts[r] > cap}
        violations = check(problem, solution)
        assert {v.kind for v in violations} <= {"modulo"}
        reported = {v.time for v in violations}
        assert reported <= over
        # the start of every over-capacity stretch on the circle is reported
        assert {r for r in over if (r - 1) % ii not in over or r == 0} <= reported
        for v in violations:
            assert f"usage {counts[v.time]} > capacity {cap}" in v.message


def test_consumable_sweep_agrees_with_time_step_reference() -> None:
    rng = random.Random(5)
    for trial in range(300):
        model = Model(f"budget {trial}")
        windows, t = [], 0
        while rng.random() < 0.7 and t < 40:
            end = t + rng.randint(1, 10)
            windows.append((t, end, rng.randint(0, 8)))
            t = end + rng.randint(0, 4)
        fuel = model.add_resource("fuel", "consumable", rng.randint(2, 8), windows)
        for i in range(rng.randint(1, 6)):
            model.add_task(f"t{i}", duration=1, demands={fuel: rng.randint(1, 2)})
        problem = model.freeze()
        solution = Solution.from_lists([rng.randint(0, 50) for _ in problem.tasks])
        res = problem.resources[0]
        over = set()
        for t in range(0, 100):
            used = sum(task.modes[0].demands[0].amount for task, s in zip(problem.tasks, solution.starts) if s <= t)
            if used > res.capacity_at(t):
                over.add(t)
        violations = check(problem, solution)
        assert {v.time for v in violations} == {t for t in over if t - 1 not in over}


# ------------------------------------------------------------------ large / fast
def greedy_jobshop_schedule(problem: ProblemData, rng: random.Random) -> Solution:
    """A feasible (semi-active) schedule: operations in random job interleaving, each as early as possible."""
    jobs = problem.meta["jobs"]
    machine_free: dict[int, int] = {}
    start = [0] * problem.num_tasks
    mode = [0] * problem.num_tasks
    next_op = [0] * len(jobs)
    job_ready = [0] * len(jobs)
    pending = [j for j, ops in enumerate(jobs) for _ in ops]
    rng.shuffle(pending)
    for j in pending:
        task_index = jobs[j][next_op[j]]
        next_op[j] += 1
        task = problem.tasks[task_index]
        m = rng.randrange(len(task.modes))
        machine = task.modes[m].demands[0].resource
        s = max(job_ready[j], machine_free.get(machine, 0))
        start[task_index], mode[task_index] = s, m
        job_ready[j] = machine_free[machine] = s + task.modes[m].duration
    return Solution.from_lists(start, mode)


def best_time(fn, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def test_large_jobshop_is_checked_fast() -> None:
    rng = random.Random(2024)
    jobs = [[(m, rng.randint(1, 99)) for m in rng.sample(range(20), 20)] for _ in range(100)]
    problem = jobshop(jobs)
    assert problem.num_tasks == 2000
    solution = greedy_jobshop_schedule(problem, rng)
    assert check(problem, solution) == []
    assert best_time(lambda: check(problem, solution)) < 0.2
    makespan = max(solution.end(problem, i) for i in range(problem.num_tasks))
    assert evaluate(problem, solution) == (makespan,)
    # shift one operation onto its machine predecessor: the sweep finds it
    target = 1234
    starts = solution.starts
    machine = problem.tasks[target].modes[0].demands[0].resource
    same_machine = [i for i in range(2000) if i != target and problem.tasks[i].modes[0].demands[0].resource == machine]
    other = min(same_machine, key=lambda i: abs(starts[i] - starts[target]))
    starts[target] = starts[other]
    violations = check(problem, Solution.from_lists(starts))
    capacity = of_kind(violations, "capacity")
    assert capacity and all(v.resource == f"m{machine}" for v in capacity)
    assert any(set(v.tasks) == {problem.tasks[target].name, problem.tasks[other].name} for v in capacity)


def test_large_flexible_jobshop_is_checked_fast() -> None:
    rng = random.Random(99)
    jobs = [
        [[(m, rng.randint(1, 99)) for m in rng.sample(range(10), rng.randint(1, 10))] for _ in range(20)]
        for _ in range(100)
    ]
    problem = fjsp(jobs)
    assert problem.num_tasks == 2000
    solution = greedy_jobshop_schedule(problem, rng)
    assert check(problem, solution) == []
    assert best_time(lambda: check(problem, solution)) < 0.2


def test_long_durations_cost_nothing_extra() -> None:
    # durations of 10^9 would be hopeless time step by time step
    model = Model()
    r = model.add_resource("r", "renewable", 2, calendar=[(10**9, 2 * 10**9, 1)])
    for i in range(3):
        model.add_task(f"t{i}", duration=10**9, demands={r: 1})
    problem = model.freeze()
    assert check(problem, sol(0, 0, 10**9 + 5)) == []
    v = single(check(problem, sol(0, 0, 10**9 - 1)), "capacity")
    assert v.time == 10**9 - 1
    v = single(check(problem, sol(0, 10**9 - 1, 10**9)), "capacity")
    assert v.time == 10**9 and v.tasks == ("t1", "t2") and "usage 2 > capacity 1" in v.message


def test_tiny_problem_per_call_overhead() -> None:
    problem = tardiness([3, 2, 4], [4, 2, 9])
    solution = sol(2, 0, 5)
    assert check(problem, solution) == []
    assert evaluate(problem, solution) == (1 + 0 + 0,)
    calls = 5000
    t0 = time.perf_counter()
    for _ in range(calls):
        check(problem, solution)
        evaluate(problem, solution)
    per_call = (time.perf_counter() - t0) / calls
    assert per_call < 2e-4  # measured ~10 us; generous for slow CI machines


# -------------------------------------------------------------------- objective
def objective_problem(*levels: tuple[str, list]) -> ProblemData:
    """Four optional tasks with every objective datum set (hand-computed values below)."""
    model = Model("objective")
    t0 = model.add_task("t0", due_date=5, weight=2, value=10, absent_penalty=7, optional=True)
    model.add_mode(t0, 3, cost=4)
    model.add_mode(t0, 5, cost=1)
    model.add_task("t1", due_date=6, weight=1, value=3, absent_penalty=2, optional=True)
    model.add_mode("t1", 4, cost=2)
    model.add_task("t2", weight=3, value=5, absent_penalty=9, optional=True)  # no due date
    model.add_mode("t2", 2)
    model.add_task("t3", due_date=2, weight=5, value=100, absent_penalty=4, optional=True)
    model.add_mode("t3", 1, cost=50)
    model.set_reference("t0", mode=0, move_cost=5, evict_cost=100)  # present in mode 1: moved
    model.set_reference("t1", mode=0, start=6, move_cost=7)  # same mode, same start: 0
    model.set_reference("t2", mode=0, start=0, move_cost=3)  # starts at 2, not 0: moved
    model.set_reference("t3", mode=0, move_cost=1, evict_cost=8)  # absent: evicted
    model.add_coverage_group(["t3"], reward=6)  # not covered
    model.add_coverage_group(["t0", "t3"], reward=4)  # covered
    model.add_coverage_group(["t2"], reward=-1)  # covered
    for sense, terms in levels:
        model.add_objective_level(terms, sense)
    return model.freeze()


# t0 mode 1 [1, 6), t1 [6, 10), t2 [2, 4), t3 absent
OBJ_SOLUTION = Solution((TaskAssignment(True, 1, 1), TaskAssignment(True, 0, 6), TaskAssignment(True, 0, 2), ABSENT))


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("makespan", 10),  # max(6, 10, 4)
        ("total_weighted_tardiness", 6),  # 2*(6-5) + 1*(10-6); t2 has no due date; t3 absent
        ("total_weighted_completion", 34),  # 2*6 + 1*10 + 3*4
        ("max_lateness", 4),  # max(6-5, 10-6)
        ("weighted_tardy_count", 3),  # 2 + 1
        ("present_value", 18),  # 10 + 3 + 5
        ("absent_penalty", 4),  # t3
        ("mode_cost", 3),  # 1 + 2 + 0
        ("disruption", 16),  # moved 5 + 0 + moved 3 + evicted 8
        ("coverage_reward", 3),  # 4 - 1
        ("schedule_length", 9),  # 10 - min(1, 6, 2)
    ],
)
def test_each_term_kind(kind: str, expected: int) -> None:
    problem = objective_problem(("min", [kind]))
    assert evaluate(problem, OBJ_SOLUTION) == (expected,)
    weighted = objective_problem(("max", [(kind, 3)]))  # the sense does not change the value
    assert evaluate(weighted, OBJ_SOLUTION) == (3 * expected,)
    negative = objective_problem(("min", [(kind, -2)]))
    assert evaluate(negative, OBJ_SOLUTION) == (-2 * expected,)


@pytest.mark.parametrize(
    ("kind", "subset", "expected"),
    [
        ("makespan", [2, 3], 4),
        ("makespan", [3], 0),  # empty present set
        ("total_weighted_tardiness", [1, 2], 4),
        ("total_weighted_completion", [0, 3], 12),
        ("max_lateness", [0], 1),
        ("max_lateness", [2], 0),  # no due date: empty
        ("max_lateness", [], 0),
        ("weighted_tardy_count", [1, 3], 1),
        ("present_value", [0, 3], 10),
        ("absent_penalty", [0, 1, 2], 0),
        ("absent_penalty", [2, 3], 4),
        ("mode_cost", [0], 1),
        ("disruption", [1, 3], 8),
        ("disruption", [0], 5),
        ("schedule_length", [1, 2], 8),  # 10 - 2
        ("schedule_length", [3], 0),
    ],
)
def test_term_task_subsets(kind: str, subset: list[int], expected: int) -> None:
    problem = objective_problem(("min", [(kind, 1, subset)]))
    assert evaluate(problem, OBJ_SOLUTION) == (expected,)


def test_max_lateness_can_be_negative() -> None:
    problem = objective_problem(("min", ["max_lateness"]))
    early = Solution((TaskAssignment(True, 0, 0), TaskAssignment(True, 0, 0), ABSENT, ABSENT))
    assert evaluate(problem, early) == (-2,)  # max(3 - 5, 4 - 6)


def test_disruption_with_reference_without_start_ignores_the_start() -> None:
    problem = objective_problem(("min", [("disruption", 1, [0])]))
    same_mode_elsewhere = Solution((TaskAssignment(True, 0, 17), ABSENT, ABSENT, ABSENT))
    assert evaluate(problem, same_mode_elsewhere) == (0,)
    absent = Solution((ABSENT, ABSENT, ABSENT, ABSENT))
    assert evaluate(problem, absent) == (100,)


def test_tardiness_exactly_at_due_date_is_not_tardy() -> None:
    problem = objective_problem(("min", ["weighted_tardy_count", "total_weighted_tardiness"]))
    on_time = Solution((TaskAssignment(True, 0, 2), TaskAssignment(True, 0, 2), ABSENT, TaskAssignment(True, 0, 1)))
    assert evaluate(problem, on_time) == (0,)
    late = Solution((TaskAssignment(True, 0, 3), TaskAssignment(True, 0, 2), ABSENT, TaskAssignment(True, 0, 1)))
    assert evaluate(problem, late) == (2 + 2,)  # count weight 2 + tardiness 2 * 1


def test_lexicographic_levels_with_weights_and_negative_weights() -> None:
    problem = objective_problem(
        ("max", [("present_value", 1), ("mode_cost", -1)]),  # 18 - 3
        ("min", [("disruption", 2), ("absent_penalty", 1, [3]), ("total_weighted_tardiness", -1)]),  # 32 + 4 - 6
        ("min", ["makespan", term("schedule_length", 10), ("coverage_reward", -3)]),  # 10 + 90 - 9
    )
    assert evaluate(problem, OBJ_SOLUTION) == (15, 30, 91)


def test_zero_weight_and_feasibility_problem() -> None:
    problem = objective_problem(("min", [("makespan", 0)]))
    assert evaluate(problem, OBJ_SOLUTION) == (0,)
    assert evaluate(objective_problem(), OBJ_SOLUTION) == ()


def test_initiation_interval_and_schedule_length_levels() -> None:
    model = Model("loop")
    load = model.add_task("load", duration=3)
    use = model.add_task("use", duration=2)
    model.add_precedence(load, use)
    model.set_cycle(1, 9)
    model.minimize("initiation_interval")
    model.minimize("schedule_length")
    model.minimize(("initiation_interval", -4), "makespan")
    problem = model.freeze()
    solution = sol(1, 4, ii=3)
    assert check(problem, solution) == []
    assert evaluate(problem, solution) == (3, 5, -12 + 6)


def test_family_objectives() -> None:
    problem = tardiness([3, 2, 4], [2, 5, 4], weights=[1, 4, 2])
    # order job1 [0,2), job0 [2,5), job2 [5,9): tardiness 0, 3, 5 -> 4*0 + 1*3 + 2*5
    assert evaluate(problem, sol(2, 0, 5)) == (13,)
    problem = rcpsp([Activity.single(3, successors=[1]), Activity.single(4)], [])
    assert evaluate(problem, sol(0, 3)) == (7,)


def test_evaluate_ignores_feasibility_but_rejects_bad_structure() -> None:
    problem = jobshop([[(0, 3)], [(0, 2)]])
    assert evaluate(problem, sol(0, 0)) == (3,)  # overlapping, still has a makespan
    with pytest.raises(ValueError, match="2 tasks"):
        evaluate(problem, sol(0))
    with pytest.raises(ValueError, match="j1_o0"):
        evaluate(problem, Solution((P, TaskAssignment(True, 0, None))))
    with pytest.raises(ValueError, match="mode"):
        evaluate(problem, Solution((P, TaskAssignment(True, 3, 0))))
    with pytest.raises(ValueError, match="II"):
        evaluate(cyclic_problem(), sol(0, 2))


# ------------------------------------------------------------------ robustness
def rich_cyclic_problem() -> ProblemData:
    """Every construct at once (cyclic, so modulo resources and distances are allowed)."""
    model = Model("rich")
    m = model.add_machine("m", downtime=[(4, 6)])
    crew = model.add_resource("crew", "renewable", 2, calendar=[(10, 12, 1)])
    money = model.add_resource("money", "consumable", 5, calendar=[(0, 15, 2)])
    box = model.add_resource("box", "bin", 3)
    alu = model.add_resource("alu", "modulo", 1)
    for i in range(5):
        t = model.add_task(f"t{i}", optional=i >= 3, release=i % 2, deadline=34, due_date=8, value=i)
        model.add_mode(t, 2, [Demand(m, 1), Demand(crew, 1, offset=1), Demand(money, 1), Demand(box, 1)], location="x")
        model.add_mode(t, 3, [Demand(crew, 2), Demand(alu, 1, offset=1, length=4)], location="y", cost=2)
    model.add_precedence("t0", "t1", lag=1, transfer_lag=2)
    model.add_precedence("t1", "t2", "end_to_end", distance=1)
    model.add_precedence("t2", "t0", "start_to_end", lag=-3, distance=2)
    model.add_implication("t3", "t4")
    model.add_selection(["t3", "t4"], max_present=1)
    model.add_disjunctive_pair("t0", "t2")
    model.pin("t1", mode=0)
    model.set_reference("t2", mode=1, start=3)
    model.add_coverage_group(["t3"])
    model.set_cycle(2, 5)
    model.set_horizon(30)
    model.minimize("makespan", "mode_cost", "disruption")
    model.maximize("present_value", "coverage_reward", "initiation_interval")
    return model.freeze()


def test_check_never_raises_on_garbage() -> None:
    problem = rich_cyclic_problem()
    rng = random.Random(3)
    values = [0, 1, 2, 5, -1, None, 2.5, 3.0, "1", True]
    seen = set()
    for _ in range(3000):
        tasks = []
        for _ in range(problem.num_tasks):
            if rng.random() < 0.2:
                tasks.append(TaskAssignment(False, rng.choice(values), rng.choice(values)))
            elif rng.random() < 0.3:
                tasks.append(TaskAssignment(True, rng.choice(values), rng.choice(values)))
            else:
                tasks.append(TaskAssignment(True, rng.randrange(2), rng.randrange(0, 35)))
        if rng.random() < 0.05:
            tasks.pop()
        solution = Solution(tuple(tasks), rng.choice([None, 0, 1, 2, 3, 4, 6, 2.0]))
        violations = check(problem, solution)
        assert all(isinstance(v, Violation) and v.kind in VIOLATION_KINDS for v in violations)
        seen |= {v.kind for v in violations}
        structure = [v for v in violations if v.kind == "structure"]
        try:
            values_ = evaluate(problem, solution)
        except ValueError:
            assert structure
        else:
            assert not structure and len(values_) == 2
    assert seen == set(VIOLATION_KINDS)  # every kind shows up on random garbage


def test_capacity_reports_each_new_conflict_once() -> None:
    model = Model()
    m = model.add_machine("m", downtime=[(9, 20)])
    model.add_task("a", duration=8, demands={m: 1})
    model.add_task("b", duration=4, demands={m: 1})
    model.add_task("c", duration=4, demands={m: 1})
    problem = model.freeze()
    # a [0, 8), b [2, 6), c [4, 8): over on [2, 8); c joins at 4; b leaving at 6 is no new conflict
    violations = check(problem, sol(0, 2, 4))
    assert [(v.time, v.tasks) for v in violations] == [(2, ("a", "b")), (4, ("a", "b", "c"))]
    assert "usage 3 > capacity 1" in violations[1].message and "on [4, 6)" in violations[1].message
    # a [1, 9) then meets the downtime at 9 (capacity drop inside an overload): reported again
    violations = check(problem, sol(1, 7, 12))
    assert [(v.time, v.tasks) for v in violations] == [(7, ("a", "b")), (9, ("b",)), (12, ("c",))]
