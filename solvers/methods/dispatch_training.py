"""Training the learned dispatcher with CP-SAT as the teacher (Tassel, Gebser & Schekotihin, ICAPS 2023).

One *update* (the authors' ``main.py``, on a batch of E episodes of one
training instance):

1. the policy plays E episodes at temperature 1, recording what it saw and did;
2. a prefix length k is drawn in ``1 .. min episode length - 1``; for each
   episode, CP-SAT completes the state after its first k steps, hinted with the
   episode's own schedule (:mod:`schedkit.solvers.methods.dispatch_teacher`),
   the result is left-shifted and replayed to give *target* actions;
3. advantages across the E episodes: the improvement ``imp = max(0, (C_agent -
   C_cp) / C_agent)`` scaled to [0, 1] (min-max) for the teacher's targets
   (positive) and for the agent's own actions after the prefix (negative), and
   the z-score of the teacher's makespan ``C_cp`` for the prefix actions
   (negated: a prefix from which the teacher does worse is discouraged);
4. the clipped objective of PPO, ``L = mean(max(-A r, -A clip(r, 1-ε, 1+ε)))``
   with ``r = π(a|s) / π_old(a|s)``, first on the targets and the agent's
   continuations, then on the prefixes; several epochs of minibatches, each
   phase stopped early once the mean approximate KL ``E[(r - 1) - log r]`` of
   an epoch passes ``target_kl``. Adam, learning rate annealed linearly to 0.

A target is a *set* (several legal jobs may start now in the teacher's
schedule, on different machines, in any order): its probability is the sum
over the set, ``log π(T|s) = logsumexp_{a∈T} l_a - logsumexp_{a legal} l_a``.

``objective="imitation"`` replaces step 4 by plain cross-entropy on the
teacher's targets (``-log π(T|s)``): with the agent's own prefixes labelled by
the teacher, this is DAgger (Ross, Gordon & Bagnell 2011). Started from
random weights the loop learns slowly; :mod:`schedkit.solvers.methods.dispatch_imitation`
pre-trains the policy on complete expert schedules first (``train(config,
params=pretrained)``).

Gradients are the hand-written ones of
:mod:`schedkit.heuristics.shop.learned.backprop`: training needs NumPy and
CP-SAT only. The teacher uses a deterministic limit with one worker, so a run
is reproducible from its seed (on one machine and OR-Tools version).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from schedkit.heuristics.shop.learned.arrays import ShopArrays, shop_arrays
from schedkit.heuristics.shop.learned.backprop import backward
from schedkit.heuristics.shop.learned.network import Params, forward, init_params
from schedkit.heuristics.shop.learned.observation import FloatArray, Observation
from schedkit.heuristics.shop.learned.rollout import Trajectory, rollout
from schedkit.heuristics.shop.learned.state import BatchState, BoolArray
from schedkit.instances import taillard_jobshop_from_seeds
from schedkit.models import ProblemData
from schedkit.solvers.methods.dispatch_teacher import left_shift, replay, teacher_schedule

OBJECTIVES = ("clipped", "imitation")


@dataclass
class TrainingConfig:
    """Settings of a training run (defaults: a run of about half an hour on one core)."""

    seed: int = 0
    updates: int = 60
    episodes: int = 4
    """Episodes per update, all on one training instance."""
    num_jobs: int = 30
    num_machines: int = 15
    instances: int = 20
    """Size of the pool of training instances (Taillard's generator, seeds drawn from ``seed``)."""
    teacher_time: float = 0.4
    """CP-SAT's deterministic time limit per teacher call."""
    lr: float = 1e-3
    epochs: int = 8
    minibatches: int = 8
    clip: float = 0.3
    target_kl: float = 0.02
    objective: str = "clipped"
    stop_after: int = 0
    """Stop after this many updates (0: run all); the learning rate still anneals over ``updates``."""

    def __post_init__(self) -> None:
        if self.objective not in OBJECTIVES:
            raise ValueError(f"unknown objective {self.objective!r}; expected one of: {', '.join(OBJECTIVES)}")


@dataclass
class Samples:
    """Training samples of one job shop: observations, target sets, advantages, old log-probabilities."""

    obs: Observation
    targets: BoolArray
    advantages: FloatArray
    old_log_probs: FloatArray = field(default_factory=lambda: np.zeros(0))

    def __len__(self) -> int:
        return len(self.obs)

    @staticmethod
    def concat(parts: list[Samples]) -> Samples:
        """One batch of all ``parts``."""
        return Samples(
            Observation.concat([p.obs for p in parts]),
            np.concatenate([p.targets for p in parts]),
            np.concatenate([p.advantages for p in parts]),
            np.concatenate([p.old_log_probs for p in parts]),
        )


def training_instances(config: TrainingConfig) -> list[ProblemData]:
    """The pool of training instances: Taillard-generated, with seeds drawn from ``config.seed``."""
    rng = np.random.default_rng(config.seed)
    seeds = rng.integers(1, 2**31 - 2, size=(config.instances, 2))
    return [
        taillard_jobshop_from_seeds(config.num_jobs, config.num_machines, int(ts), int(ms), name=f"train{i}")
        for i, (ts, ms) in enumerate(seeds)
    ]


def target_log_probs(logits: FloatArray, mask: BoolArray, targets: BoolArray) -> FloatArray:
    """``log π(T|s) = logsumexp_T l - logsumexp_legal l`` per row."""
    return _logsumexp(logits, targets) - _logsumexp(logits, mask)


def _logsumexp(logits: FloatArray, where: BoolArray) -> FloatArray:
    z = np.where(where, logits, -np.inf)
    top = z.max(axis=1, keepdims=True)
    return (top + np.log(np.exp(z - top).sum(axis=1, keepdims=True)))[:, 0]


def _softmax(logits: FloatArray, where: BoolArray) -> FloatArray:
    z = np.where(where, logits, -np.inf)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def loss_and_gradient(params: Params, batch: Samples, objective: str, clip: float) -> tuple[float, Params, FloatArray]:
    """The loss of a minibatch, its gradient and the probability ratios ``r``."""
    keep: dict[str, Any] = {}
    logits = forward(params, batch.obs, keep)
    log_probs = target_log_probs(logits, batch.obs.mask, batch.targets)
    n = len(batch)
    if objective == "imitation":
        loss = float(-log_probs.mean())
        dlp = -np.ones(n) / n
        ratio = np.exp(log_probs - batch.old_log_probs)
    else:
        ratio = np.exp(log_probs - batch.old_log_probs)
        adv = batch.advantages
        unclipped = -adv * ratio
        clipped = -adv * np.clip(ratio, 1 - clip, 1 + clip)
        loss = float(np.maximum(unclipped, clipped).mean())
        active = unclipped >= clipped  # the gradient flows through the unclipped term only
        dlp = np.where(active, -adv * ratio, 0.0) / n
    dlogits = dlp[:, None] * (_softmax(logits, batch.targets) - _softmax(logits, batch.obs.mask))
    return loss, backward(params, keep, dlogits), ratio


class Adam:
    """Adam (Kingma & Ba 2015) over a parameter dict."""

    def __init__(self, params: Params, lr: float, eps: float = 1e-5, betas: tuple[float, float] = (0.9, 0.999)) -> None:
        self.lr, self.eps, self.betas = lr, eps, betas
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, params: Params, grads: Params) -> None:
        """One step in place."""
        self.t += 1
        b1, b2 = self.betas
        for k, g in grads.items():
            self.m[k] = b1 * self.m[k] + (1 - b1) * g
            self.v[k] = b2 * self.v[k] + (1 - b2) * g * g
            m_hat = self.m[k] / (1 - b1**self.t)
            v_hat = self.v[k] / (1 - b2**self.t)
            params[k] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def optimise(
    params: Params, samples: Samples, optimiser: Adam, config: TrainingConfig, rng: np.random.Generator
) -> dict[str, float]:
    """Epochs of minibatch steps on ``samples`` (old log-probs filled in here), with the KL early stop."""
    logits = forward(params, samples.obs, {})
    samples.old_log_probs = target_log_probs(logits, samples.obs.mask, samples.targets)
    n = len(samples)
    losses, epochs, kl = [], 0, 0.0
    for _ in range(config.epochs):
        order = rng.permutation(n)
        ratios = []
        for part in np.array_split(order, min(config.minibatches, n)):
            batch = Samples(samples.obs.take(part), samples.targets[part], samples.advantages[part])
            batch.old_log_probs = samples.old_log_probs[part]
            loss, grads, ratio = loss_and_gradient(params, batch, config.objective, config.clip)
            optimiser.step(params, grads)
            losses.append(loss)
            ratios.append(ratio)
        epochs += 1
        r = np.concatenate(ratios)
        kl = float(np.mean((r - 1) - np.log(r)))
        if config.objective != "imitation" and kl > config.target_kl:
            break
    return {"loss": float(np.mean(losses)), "epochs": epochs, "kl": kl}


def _prefix_state(shop: ShopArrays, actions: np.ndarray) -> BatchState:
    state = BatchState(shop, 1)
    for a in actions:
        state.step(np.array([int(a)]))
    return state


def collect(
    params: Params, problem: ProblemData, config: TrainingConfig, rng: np.random.Generator, seed: int
) -> tuple[list[Samples], list[Samples], dict[str, Any]]:
    """Step 1-3 of an update on ``problem``: (phase-1 samples, phase-2 samples, statistics)."""
    shop = shop_arrays(problem)
    record = Trajectory()
    final = rollout(BatchState(shop, config.episodes), params, np.ones(config.episodes), rng, record)
    per_episode = [record.of_episode(e) for e in range(config.episodes)]
    k = int(rng.integers(1, max(2, min(len(a) for _, a, _ in per_episode))))
    agent = final.makespan()
    found = []
    for e, (obs, actions, _) in enumerate(per_episode):
        prefix = _prefix_state(shop, actions[:k])
        cp = teacher_schedule(problem, prefix, final.task_starts(e), config.teacher_time, seed=seed + e)
        if cp is None:
            continue
        target_obs, targets, end = replay(prefix, left_shift(shop, prefix, cp))
        found.append((e, int(end.makespan()[0]), target_obs, targets, obs, actions))
    stats: dict[str, Any] = {"prefix": k, "agent": agent.tolist(), "teacher": [f[1] for f in found]}
    if not found:
        return [], [], stats
    mk_cp = np.array([f[1] for f in found], dtype=float)
    imp = np.array([max(0.0, (agent[f[0]] - f[1]) / agent[f[0]]) for f in found])
    a_imp = (imp - imp.min()) / (imp.max() - imp.min() + 1e-8)
    a_mk = (mk_cp - mk_cp.mean()) / (mk_cp.std() + 1e-8)
    phase1, phase2 = [], []
    j1 = shop.num_jobs + 1
    for (_, _, target_obs, targets, obs, actions), ai, am in zip(found, a_imp, a_mk):
        chosen = np.zeros((len(actions), j1), dtype=bool)
        chosen[np.arange(len(actions)), actions] = True
        phase1.append(Samples(target_obs, targets, np.full(len(targets), ai)))
        if config.objective == "clipped":
            rest = np.arange(k, len(actions))
            phase1.append(Samples(obs.take(rest), chosen[rest], np.full(rest.size, -ai)))
            head = np.arange(k)
            phase2.append(Samples(obs.take(head), chosen[head], np.full(k, -am)))
    stats["improvement"] = imp.tolist()
    return phase1, phase2, stats


def train(
    config: TrainingConfig,
    params: Params | None = None,
    log: Callable[[dict[str, Any]], None] | None = None,
    deadline: float | None = None,
) -> tuple[Params, list[dict[str, Any]]]:
    """Run ``config.updates`` updates from ``params`` (default: a fresh initialisation from the seed).

    ``deadline`` (a ``time.perf_counter()`` value) stops the run after the
    update that passes it; the history says how many updates ran (rerun with
    ``stop_after`` set to that number to reproduce the run).

    Returns the trained parameters and one statistics record per update
    (agent and teacher makespans, improvement, losses, seconds).
    """
    rng = np.random.default_rng(config.seed)
    params = init_params(config.seed) if params is None else {k: v.copy() for k, v in params.items()}
    pool = training_instances(config)
    optimiser = Adam(params, config.lr)
    history = []
    for update in range(config.stop_after or config.updates):
        if deadline is not None and time.perf_counter() > deadline:
            break
        started = time.perf_counter()
        optimiser.lr = config.lr * (1.0 - update / config.updates)
        problem = pool[int(rng.integers(len(pool)))]
        phase1, phase2, stats = collect(params, problem, config, rng, seed=config.seed * 1000 + update)
        if phase1:
            stats["phase1"] = optimise(params, Samples.concat(phase1), optimiser, config, rng)
        if phase2:
            stats["phase2"] = optimise(params, Samples.concat(phase2), optimiser, config, rng)
        stats.update(update=update, instance=problem.name, seconds=round(time.perf_counter() - started, 2))
        history.append(stats)
        if log is not None:
            log(stats)
    return params, history


def config_record(config: TrainingConfig) -> dict[str, Any]:
    """The settings as a plain dict (for the weights file and the log)."""
    return asdict(config)
