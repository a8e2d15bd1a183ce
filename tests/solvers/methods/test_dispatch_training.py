"""Training by the solver runs without any optional extra (NumPy + CP-SAT), learns, and is reproducible."""

from __future__ import annotations

import numpy as np
import pytest

from schedkit.heuristics.shop.learned import init_params
from schedkit.heuristics.shop.learned.network import forward
from schedkit.solvers.methods.dispatch_training import (
    Adam,
    Samples,
    TrainingConfig,
    collect,
    loss_and_gradient,
    target_log_probs,
    train,
    training_instances,
)

TINY = TrainingConfig(
    seed=7, updates=2, episodes=3, num_jobs=6, num_machines=4, instances=2, teacher_time=0.05, epochs=2, minibatches=2
)


def test_a_few_updates_run_and_are_reproducible_from_the_seed() -> None:
    first, history = train(TINY)
    second, _ = train(TINY)
    assert len(history) == 2
    assert all(np.array_equal(first[k], second[k]) for k in first)
    assert any(not np.array_equal(first[k], init_params(TINY.seed)[k]) for k in first)
    for stats in history:
        assert len(stats["teacher"]) == len(stats["agent"])  # CP-SAT completed every prefix
        assert all(t <= a for t, a in zip(stats["teacher"], stats["agent"]))  # hinted: never worse
        assert 0.0 <= min(stats["improvement"]) and max(stats["improvement"]) < 1.0


@pytest.mark.parametrize("objective", ["clipped", "imitation"])
def test_updates_raise_the_probability_of_the_teachers_actions(objective: str) -> None:
    config = TrainingConfig(**{**TINY.__dict__, "objective": objective})
    params = init_params(0)
    problem = training_instances(config)[0]
    phase1, _, _ = collect(params, problem, config, np.random.default_rng(0), seed=0)
    targets = Samples.concat(phase1[:1])  # the teacher's targets of the first episode
    targets.advantages = np.ones(len(targets))
    before = target_log_probs(forward(params, targets.obs, {}), targets.obs.mask, targets.targets).mean()
    targets.old_log_probs = target_log_probs(forward(params, targets.obs, {}), targets.obs.mask, targets.targets)
    optimiser = Adam(params, 1e-2)
    for _ in range(20):
        _, grads, _ = loss_and_gradient(params, targets, objective, clip=10.0)
        optimiser.step(params, grads)
    after = target_log_probs(forward(params, targets.obs, {}), targets.obs.mask, targets.targets).mean()
    assert after > before + 0.1


def test_unknown_objective_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown objective"):
        TrainingConfig(objective="magic")
