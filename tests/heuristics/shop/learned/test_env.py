"""The Gymnasium-style environment: every episode's schedule passes the checker; API, rewards, refusals."""

from __future__ import annotations

import numpy as np
import pytest

from schedkit.heuristics.shop.learned import DispatchEnv
from schedkit.instances import random_jobshop, sd2_fjsp, taillard_jobshop_from_seeds
from schedkit.models.jobshop import jobshop
from schedkit.solvers import check, evaluate


def _instances() -> list:
    rng = np.random.default_rng(5)
    out = [taillard_jobshop_from_seeds(8, 5, 7, 11), jobshop([[(0, 0), (1, 3)], [(1, 0), (0, 2)], [(0, 4)]])]
    for seed in range(3):  # with release dates and jobs of unequal length
        jobs = [[(int(m), int(rng.integers(1, 9))) for m in rng.permutation(4)[: rng.integers(1, 5)]] for _ in range(6)]
        out.append(
            jobshop(jobs, num_machines=4, release_dates=[int(r) for r in rng.integers(0, 15, 6)], name=f"r{seed}")
        )
    return out


@pytest.mark.parametrize("index", range(5))
def test_random_episodes_pass_the_checker(index: int) -> None:
    problem = _instances()[index]
    env = DispatchEnv(problem)
    for episode in range(3):
        obs, info = env.reset(seed=episode)
        total, steps = 0.0, 0
        while True:
            mask = env.action_masks()
            assert mask.any() and np.array_equal(mask, obs["action_mask"]) and np.array_equal(mask, info["action_mask"])
            obs, reward, terminated, truncated, info = env.step(env.action_space.sample(mask=mask.astype(np.int8)))
            total += reward
            steps += 1
            assert not truncated
            if terminated:
                break
        solution = env.solution()
        assert check(problem, solution) == []
        makespan = evaluate(problem, solution)[0]
        assert info["makespan"] == makespan
        assert total == pytest.approx(-makespan / env.shop.mean_duration)
        assert steps >= problem.num_tasks


def test_observation_matches_its_space() -> None:
    env = DispatchEnv(taillard_jobshop_from_seeds(6, 4, 3, 9))
    obs, _ = env.reset()
    assert env.observation_space.contains(obs)
    assert env.action_space.n == 7
    assert obs["features"].shape == (6, 5, 4) and obs["conflict"].shape == (6, 6)


def test_random_jobshop_generator_instances_work() -> None:
    problem = random_jobshop(5, 3, seed=2)
    env = DispatchEnv(problem)
    env.reset()
    while env.step(int(np.flatnonzero(env.action_masks())[0]))[2] is False:
        pass
    assert check(problem, env.solution()) == []


def test_flexible_job_shops_and_unfinished_episodes_are_refused() -> None:
    with pytest.raises(ValueError, match="usable modes"):
        DispatchEnv(sd2_fjsp(3, 3, ops_per_job=2, seed=0))
    env = DispatchEnv(jobshop([[(0, 1)]]))
    env.reset()
    with pytest.raises(ValueError, match="not over"):
        env.solution()
