"""Pre-training the learned dispatcher by imitating the solver's schedules (behaviour cloning).

The teacher loop of :mod:`schedkit.solvers.methods.dispatch_training` starts
from random weights: its first episodes are near-random dispatching, the
teacher's short CP-SAT completions of them are poor schedules too, and the
policy learns slowly (on one core an update takes about a minute). This
module gives that loop a starting point: the policy imitates complete,
near-optimal schedules found by the solver.

For each of ``instances`` training job shops (Taillard's generator, seeds
drawn from ``seed``; disjoint from the teacher loop's pool):

1. the *expert* schedule: tabu search (:mod:`schedkit.heuristics.shop.local_search`)
   for a fixed number of moves, from the best dispatch rule, so the data set is
   reproducible from the seed (it does not depend on the clock);
2. it is left-shifted and replayed from the empty state
   (:func:`~schedkit.solvers.methods.dispatch_teacher.replay`), giving every
   state the expert's dispatching passes through and its *target set*: the
   legal jobs whose next operation starts now in the expert schedule, or No-Op;
3. the policy is fitted to the targets by cross-entropy on the set,
   ``-log π(T|s) = -(logsumexp_{a∈T} l_a - logsumexp_{a legal} l_a)``, with
   Adam over shuffled minibatches for ``epochs`` passes, the learning rate
   annealed linearly to 0.

After every epoch the greedy policy (temperature 0) dispatches ``holdout``
fresh instances; the log gives their mean makespan, so over-fitting or a
policy that stops improving shows.

Imitation learns from the expert's states only (not the states the policy
reaches by its own mistakes); the teacher loop, started from these weights,
is what corrects that (it labels the policy's own states).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from schedkit.heuristics.shop.learned.arrays import shop_arrays
from schedkit.heuristics.shop.learned.network import Params, init_params
from schedkit.heuristics.shop.learned.rollout import rollout
from schedkit.heuristics.shop.learned.state import BatchState
from schedkit.heuristics.shop.local_search import tabu_search
from schedkit.instances import taillard_jobshop_from_seeds
from schedkit.models import ProblemData
from schedkit.solvers.methods.dispatch_teacher import left_shift, replay
from schedkit.solvers.methods.dispatch_training import Adam, Samples, loss_and_gradient


@dataclass
class ImitationConfig:
    """Settings of a pre-training run."""

    seed: int = 0
    instances: int = 64
    """Training job shops, one expert schedule each."""
    num_jobs: int = 30
    num_machines: int = 15
    expert_moves: int = 20_000
    """Tabu moves per expert schedule (a fixed count: the data set does not depend on the clock)."""
    epochs: int = 20
    batch: int = 256
    lr: float = 2e-3
    holdout: int = 4
    """Fresh instances the greedy policy dispatches after every epoch (0: none)."""

    def __post_init__(self) -> None:
        for name in ("instances", "num_jobs", "num_machines", "expert_moves", "epochs", "batch"):
            if getattr(self, name) < 1:
                raise ValueError(f"ImitationConfig.{name} must be at least 1, got {getattr(self, name)}")
        if self.holdout < 0:
            raise ValueError(f"ImitationConfig.holdout must be at least 0, got {self.holdout}")


def imitation_instances(config: ImitationConfig, count: int, stream: int) -> list[ProblemData]:
    """``count`` Taillard-generated instances; ``stream`` 0 is the training set, 1 the hold-out set."""
    rng = np.random.default_rng([config.seed, 7919, stream])
    seeds = rng.integers(1, 2**31 - 2, size=(count, 2))
    tag = ("imitate", "holdout")[stream]
    return [
        taillard_jobshop_from_seeds(config.num_jobs, config.num_machines, int(ts), int(ms), name=f"{tag}{i}")
        for i, (ts, ms) in enumerate(seeds)
    ]


def expert_samples(problem: ProblemData, moves: int, seed: int = 0) -> tuple[Samples, int]:
    """The states and target sets of the expert schedule of ``problem``, and its makespan.

    The expert is a tabu search of ``moves`` moves; its schedule is
    left-shifted and replayed from the empty state, which reproduces it
    exactly (:func:`~schedkit.solvers.methods.dispatch_teacher.replay` raises otherwise).
    """
    expert = tabu_search(problem, seed=seed, iterations=moves)
    shop = shop_arrays(problem)
    start = BatchState(shop, 1)
    starts = left_shift(shop, start, [int(s or 0) for s in expert.starts])
    obs, targets, end = replay(start, starts)
    return Samples(obs, targets, np.ones(len(targets))), int(end.makespan()[0])


def greedy_makespans(params: Params, problems: list[ProblemData]) -> list[int]:
    """The makespan of the policy's greedy episode (temperature ~0) on each problem."""
    out = []
    for problem in problems:
        state = rollout(BatchState(shop_arrays(problem), 1), params, np.array([1e-6]), np.random.default_rng(0))
        out.append(int(state.makespan()[0]))
    return out


def pretrain(
    config: ImitationConfig,
    params: Params | None = None,
    log: Callable[[dict[str, Any]], None] | None = None,
) -> tuple[Params, list[dict[str, Any]]]:
    """Fit the policy to the expert schedules of ``config``; return the weights and one record per epoch.

    The first record (``epoch`` -1) describes the data set: expert makespans,
    samples and the seconds the experts took; each later one the epoch's mean
    loss, the hold-out greedy makespans and the seconds.
    """
    started = time.perf_counter()
    params = init_params(config.seed) if params is None else {k: v.copy() for k, v in params.items()}
    parts, expert = [], []
    for i, problem in enumerate(imitation_instances(config, config.instances, 0)):
        samples, makespan = expert_samples(problem, config.expert_moves, seed=config.seed * 1000 + i)
        parts.append(samples)
        expert.append(makespan)
    data = Samples.concat(parts)
    holdout = imitation_instances(config, config.holdout, 1)
    history: list[dict[str, Any]] = [
        {
            "epoch": -1,
            "samples": len(data),
            "expert": expert,
            "holdout": greedy_makespans(params, holdout),
            "seconds": round(time.perf_counter() - started, 2),
        }
    ]
    if log is not None:
        log(history[-1])
    rng = np.random.default_rng(config.seed)
    optimiser = Adam(params, config.lr)
    n = len(data)
    steps = config.epochs * max(1, -(-n // config.batch))
    step = 0
    for epoch in range(config.epochs):
        epoch_started = time.perf_counter()
        losses = []
        order = rng.permutation(n)
        for first in range(0, n, config.batch):
            rows = order[first : first + config.batch]
            batch = Samples(data.obs.take(rows), data.targets[rows], data.advantages[rows], np.zeros(rows.size))
            optimiser.lr = config.lr * (1.0 - step / steps)
            loss, grads, _ = loss_and_gradient(params, batch, "imitation", 0.0)
            optimiser.step(params, grads)
            losses.append(loss)
            step += 1
        history.append(
            {
                "epoch": epoch,
                "loss": float(np.mean(losses)),
                "holdout": greedy_makespans(params, holdout),
                "seconds": round(time.perf_counter() - epoch_started, 2),
            }
        )
        if log is not None:
            log(history[-1])
    return params, history


def imitation_record(config: ImitationConfig) -> dict[str, Any]:
    """The settings as a plain dict (for the weights file and the log)."""
    return asdict(config)
