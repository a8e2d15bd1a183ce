"""The dispatching semantics on hand-made cases: current time, legal jobs, No-Op, pushes, the end."""

from __future__ import annotations

import numpy as np
import pytest

from schedkit.heuristics.shop.learned import BatchState, shop_arrays
from schedkit.heuristics.shop.learned.state import INF
from schedkit.models.jobshop import jobshop

NOOP = 2


def _two_jobs() -> BatchState:
    # job 0: m0 for 3, then m1 for 2;  job 1: m0 for 2, then m1 for 4
    problem = jobshop([[(0, 3), (1, 2)], [(0, 2), (1, 4)]], name="two")
    return BatchState(shop_arrays(problem))


def _mask(state: BatchState) -> list[bool]:
    return state.action_mask()[0].tolist()


def test_competing_jobs_and_no_noop_at_the_start() -> None:
    state = _two_jobs()
    assert state.time[0] == 0
    # both jobs can start at 0 (both on m0); nothing starts later, so No-Op is illegal
    assert _mask(state) == [True, True, False]


def test_taking_a_job_pushes_its_competitors_and_time_moves_on_by_itself() -> None:
    state = _two_jobs()
    state.step(np.array([0]))  # job 0 on m0 in [0, 3)
    assert state.lb[0].tolist() == [3, 3]  # job 0 waits for its predecessor, job 1 for m0
    assert state.time[0] == 3  # no job was left at 0: time moved to the next earliest start
    assert _mask(state) == [True, True, False]  # job 0 on m1 and job 1 on m0 at 3, on different machines


def test_noop_waits_until_the_next_distinct_earliest_start() -> None:
    state = _two_jobs()
    state.step(np.array([0]))
    state.step(np.array([1]))  # job 1 on m0 in [3, 5); its next operation (m1) can start at 5
    assert state.time[0] == 3
    assert _mask(state) == [True, False, True]  # job 0 still can start at 3, No-Op waits until 5
    state.step(np.array([NOOP]))
    assert state.time[0] == 5
    assert state.lb[0].tolist() == [5, 5]
    assert _mask(state) == [True, True, False]  # both want m1 at 5
    state.step(np.array([1]))  # job 1 on m1 in [5, 9): job 0 waits until 9
    assert state.time[0] == 9 and _mask(state) == [True, False, False]
    state.step(np.array([0]))
    assert state.done[0] and state.time[0] == INF
    assert state.makespan()[0] == 11
    assert state.task_starts(0) == [0, 9, 3, 5]
    assert not state.action_mask().any()


def test_release_dates_make_noop_the_only_way_to_wait_for_them() -> None:
    # job 1 is released at 4: at 0 only job 0 can start, and No-Op jumps to 4
    problem = jobshop([[(0, 2)], [(1, 3)]], release_dates=[0, 4])
    state = BatchState(shop_arrays(problem))
    assert _mask(state) == [True, False, True]
    state.step(np.array([NOOP]))
    assert state.time[0] == 4 and _mask(state) == [True, True, False]


def test_illegal_actions_are_refused() -> None:
    state = _two_jobs()
    with pytest.raises(ValueError, match="illegal action 2"):
        state.step(np.array([NOOP]))
    state.step(np.array([0]))
    state.step(np.array([1]))
    with pytest.raises(ValueError, match="illegal action 1"):
        state.step(np.array([1]))


def test_a_batch_advances_independently() -> None:
    problem = jobshop([[(0, 3), (1, 2)], [(0, 2), (1, 4)]])
    state = BatchState(shop_arrays(problem), batch=2)
    state.step(np.array([0, 1]))
    assert state.time.tolist() == [3, 2]
    assert state.starts[0, 0, 0] == 0 and state.starts[1, 1, 0] == 0 and state.starts[0, 1, 0] == -1
