"""CP-SAT as the teacher: its schedules, left-shifted, are replayed exactly by the dispatching environment."""

from __future__ import annotations

import numpy as np
import pytest

from schedkit.heuristics.shop.learned import BatchState, init_params, rollout, shop_arrays
from schedkit.heuristics.shop.learned.rollout import Trajectory
from schedkit.instances import taillard_jobshop_from_seeds
from schedkit.models import Solution
from schedkit.models.jobshop import jobshop
from schedkit.solvers import Status, check, evaluate, solve
from schedkit.solvers.methods.dispatch_teacher import left_shift, pinned_problem, replay, teacher_schedule


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_replaying_a_left_shifted_cpsat_schedule_reproduces_it(seed: int) -> None:
    problem = taillard_jobshop_from_seeds(6, 4, 100 + seed, 200 + seed)
    result = solve(problem, time_limit=10, threads=1)
    assert result.status == Status.OPTIMAL
    shop = shop_arrays(problem)
    start = BatchState(shop)
    shifted = left_shift(shop, start, result.solution.starts)
    observations, targets, end = replay(start, shifted)
    starts = end.task_starts(0)
    assert check(problem, Solution.from_lists(starts)) == []
    assert max(s + problem.tasks[i].modes[0].duration for i, s in enumerate(starts)) == result.objective
    # every task starts where the left-shifted schedule says, no later than CP-SAT put it
    for j in range(shop.num_jobs):
        for k in range(int(shop.num_ops[j])):
            task = int(shop.task[j, k])
            assert starts[task] == shifted[j, k] <= result.solution.starts[task]
    assert len(observations) == len(targets) >= problem.num_tasks
    assert all(t.any() for t in targets)


def test_replay_refuses_an_unreachable_schedule() -> None:
    problem = jobshop([[(0, 2)], [(1, 2)]])
    shop = shop_arrays(problem)
    unreachable = np.array([[1], [0]])  # job 0 idles for no reason: not semi-active
    with pytest.raises(ValueError, match="not reachable|did not reproduce"):
        replay(BatchState(shop), unreachable)


def test_the_teacher_completes_a_prefix_and_its_replay_reproduces_it() -> None:
    problem = taillard_jobshop_from_seeds(8, 5, 31, 41)
    shop = shop_arrays(problem)
    record = Trajectory()
    final = rollout(BatchState(shop), init_params(0), np.array([1.0]), np.random.default_rng(0), record)
    agent = final.task_starts(0)
    actions = np.concatenate(record.actions)
    prefix = BatchState(shop)
    for a in actions[:15]:
        prefix.step(np.array([a]))
    pinned = pinned_problem(problem, prefix)
    assert sum(task.pin is not None for task in pinned.tasks) == int(prefix.pos.sum())
    completion = teacher_schedule(problem, prefix, agent, deterministic_time=0.5)
    assert completion is not None
    assert check(pinned, Solution.from_lists(completion)) == []  # the prefix is kept
    teacher = evaluate(problem, Solution.from_lists(completion))[0]
    assert teacher <= final.makespan()[0]  # hinted with the agent's schedule: never worse
    _, _, end = replay(prefix, left_shift(shop, prefix, completion))
    assert end.makespan()[0] <= teacher
    assert check(problem, Solution.from_lists(end.task_starts(0))) == []
    assert np.array_equal(end.starts[0][prefix.starts[0] >= 0], prefix.starts[0][prefix.starts[0] >= 0])
