"""What committed operations leave to the next window: releases and calendars, by hand."""

from __future__ import annotations

from schedkit.models import CapacityWindow, Model
from schedkit.solvers.methods.rho.state import CommittedState


def _two_machines_and_a_pool():
    model = Model("state")
    m0 = model.add_machine("m0", downtime=[(50, 60)])
    m1 = model.add_machine("m1")
    pool = model.add_resource("pool", "renewable", capacity=3)
    a = model.add_task("a", duration=10, demands={m0: 1, pool: 2})
    b = model.add_task("b", duration=5, demands={m1: 1, pool: 1})
    c = model.add_task("c", duration=4, demands={m0: 1})
    model.add_precedence(a, c, lag=3)
    model.add_precedence(b, c, "start_to_start", lag=1)
    model.minimize("makespan")
    return model.freeze()


def test_release_from_committed_predecessors() -> None:
    problem = _two_machines_and_a_pool()
    state = CommittedState(problem)
    state.commit(0, 0, 2)  # a on [2, 12)
    state.commit(1, 0, 20)  # b on [20, 25)
    preds = tuple(i for i, p in enumerate(problem.precedences) if p.b == 2)
    # c: end-to-start from a: 12 + 3 = 15; start-to-start from b: 20 + 1 = 21
    assert state.release_of(2, preds) == 21


def test_a_unary_resource_is_blocked_until_its_last_committed_end() -> None:
    problem = _two_machines_and_a_pool()
    state = CommittedState(problem)
    state.commit(0, 0, 2)
    assert state.calendar_of(0, backfill=False) == (CapacityWindow(0, 12, 0), CapacityWindow(50, 60, 0))
    # with back-filling only the busy interval is taken, next to the downtime
    assert state.calendar_of(0, backfill=True) == (CapacityWindow(2, 12, 0), CapacityWindow(50, 60, 0))
    assert state.calendar_of(1, backfill=False) == ()


def test_a_renewable_resource_loses_what_committed_operations_use() -> None:
    problem = _two_machines_and_a_pool()
    state = CommittedState(problem)
    state.commit(0, 0, 2)  # 2 units on [2, 12)
    state.commit(1, 0, 8)  # 1 unit on [8, 13)
    assert state.calendar_of(2, backfill=False) == (
        CapacityWindow(2, 8, 1),
        CapacityWindow(8, 12, 0),
        CapacityWindow(12, 13, 2),
    )
