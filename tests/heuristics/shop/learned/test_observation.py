"""The conflict mask: jobs whose next operations need the same machine, legal now or arriving later."""

from __future__ import annotations

import numpy as np

from schedkit.heuristics.shop.learned import BatchState, shop_arrays
from schedkit.heuristics.shop.learned.observation import ConflictGroups, conflict_groups, conflicts
from schedkit.models.jobshop import jobshop


def test_a_job_arriving_later_at_a_contested_machine_is_in_the_conflict() -> None:
    # job 0 and job 1 start on machine 0; job 2 runs on machine 1 for 2, then needs machine 0
    problem = jobshop([[(0, 3)], [(0, 2)], [(1, 2), (0, 1)]], name="arrival")
    state = BatchState(shop_arrays(problem), 1)
    first = conflicts(state)[0]
    assert first[0, 1] and first[1, 0] and not first[0, 2] and not first[2, 0]
    state.step(np.array([2]))  # job 2 takes machine 1; its next operation needs machine 0 from t = 2
    assert state.time[0] == 0 and not state.legal_jobs()[0, 2]
    after = conflicts(state)[0]
    assert after[0, 2] and after[1, 2] and after[2, 0]
    assert np.array_equal(after, after.T) and after.diagonal().all()


def _as_dense(groups: ConflictGroups, batch: int, jobs: int) -> np.ndarray:
    dense = np.broadcast_to(np.eye(jobs, dtype=bool), (batch, jobs, jobs)).copy()
    for episode, members in zip(groups.episode, groups.jobs):
        members = members[members >= 0]
        dense[episode, members[:, None], members[None, :]] = True
    return dense


def test_the_groups_are_the_dense_mask() -> None:
    problem = jobshop([[(0, 3), (1, 1)], [(0, 2)], [(1, 2), (0, 1)], [(2, 4)], [(2, 1)], [(1, 1)]], name="groups")
    state = BatchState(shop_arrays(problem), 3)
    state.step(np.array([2, 0, 5]))
    dense = conflicts(state)
    groups = conflict_groups(state, np.arange(3))
    assert (groups.jobs >= 0).sum(axis=1).min() >= 2  # only groups of two or more are listed
    assert np.array_equal(_as_dense(groups, 3, 6), dense)
    assert np.array_equal(_as_dense(ConflictGroups.from_dense(dense), 3, 6), dense)
