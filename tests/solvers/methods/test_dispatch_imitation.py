"""Imitation pre-training: the expert's states replay its schedule, the fit lowers the loss, runs reproduce."""

from __future__ import annotations

import numpy as np
import pytest

from schedkit.heuristics.shop.learned import init_params
from schedkit.heuristics.shop.learned.network import forward
from schedkit.heuristics.shop.local_search import tabu_search
from schedkit.solvers import evaluate
from schedkit.solvers.methods.dispatch_imitation import (
    ImitationConfig,
    expert_samples,
    greedy_makespans,
    imitation_instances,
    pretrain,
)
from schedkit.solvers.methods.dispatch_training import target_log_probs

TINY = ImitationConfig(seed=3, instances=3, num_jobs=6, num_machines=4, expert_moves=300, epochs=6, batch=16, holdout=2)


def test_expert_samples_replay_the_expert_schedule() -> None:
    problem = imitation_instances(TINY, 1, 0)[0]
    samples, makespan = expert_samples(problem, TINY.expert_moves, seed=0)
    expert = tabu_search(problem, seed=0, iterations=TINY.expert_moves)
    assert makespan <= evaluate(problem, expert)[0]  # left-shifting never delays
    assert len(samples) == len(samples.targets) >= problem.num_tasks  # one step per operation, plus No-Ops
    assert samples.targets.any(axis=1).all()
    assert not (samples.targets & ~samples.obs.mask).any()  # every target is a legal action


def test_training_and_hold_out_sets_differ() -> None:
    train = imitation_instances(TINY, 2, 0)
    holdout = imitation_instances(TINY, 2, 1)
    assert {p.name for p in train}.isdisjoint(p.name for p in holdout)
    assert [t.modes[0].duration for t in train[0].tasks] != [t.modes[0].duration for t in holdout[0].tasks]


def test_pretraining_fits_the_experts_actions_and_is_reproducible() -> None:
    params, history = pretrain(TINY)
    again, _ = pretrain(TINY)
    assert all(np.array_equal(params[k], again[k]) for k in params)
    assert history[0]["epoch"] == -1 and history[0]["samples"] > 0
    losses = [h["loss"] for h in history[1:]]
    assert len(losses) == TINY.epochs and losses[-1] < losses[0]
    problem = imitation_instances(TINY, 1, 0)[0]
    samples, _ = expert_samples(problem, TINY.expert_moves, seed=TINY.seed * 1000)
    before = init_params(TINY.seed)

    def fit(p: dict) -> float:
        return float(target_log_probs(forward(p, samples.obs), samples.obs.mask, samples.targets).mean())

    assert fit(params) > fit(before)
    assert greedy_makespans(params, imitation_instances(TINY, 2, 1)) == history[-1]["holdout"]


@pytest.mark.parametrize("field", ["instances", "epochs", "batch", "expert_moves"])
def test_bad_settings_name_the_field(field: str) -> None:
    with pytest.raises(ValueError, match=f"ImitationConfig.{field}"):
        ImitationConfig(**{field: 0})
