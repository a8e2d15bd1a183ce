"""Sampled rollouts of the policy, batched, and the learned dispatcher: the best of several rollouts.

Inference as in Tassel et al. (2023): R episodes on the same instance, episode
r sampling its actions from ``softmax(logits / T_r)`` over the legal actions at
the spread temperatures ``T_r = 0.5 + 1.5 r / R`` (0.5 up to just below 2),
and the schedule of smallest makespan is kept. The R episodes advance together
(one forward pass per step for all of them), and a job's window is encoded
again only when it changed (:class:`WindowCache`). Sampling uses the Gumbel-max
trick, ``argmax(logits / T + G)`` with G standard Gumbel noise, from a NumPy
generator seeded by ``seed``: a rollout is reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from schedkit.heuristics.shop.learned.arrays import IntArray, ShopArrays, shop_arrays
from schedkit.heuristics.shop.learned.network import (
    Params,
    as_dtype,
    decide,
    encode_windows,
    load_params,
    masked_log_softmax,
)
from schedkit.heuristics.shop.learned.observation import (
    FloatArray,
    Observation,
    conflict_groups,
    job_waits,
    job_windows,
    observe,
)
from schedkit.heuristics.shop.learned.state import BatchState
from schedkit.models import ProblemData, Solution

DEFAULT_ROLLOUTS = 32
"""Rollouts per instance (the authors' 32)."""

_SHIPPED: Params | None = None


def shipped_params() -> Params:
    """The trained weights shipped with the package (loaded once)."""
    global _SHIPPED
    if _SHIPPED is None:
        _SHIPPED = load_params()[0]
    return _SHIPPED


def spread_temperatures(rollouts: int) -> FloatArray:
    """``T_r = 0.5 + 1.5 r / R`` for ``r = 0..R-1``."""
    return 0.5 + 1.5 * np.arange(rollouts) / max(rollouts, 1)


@dataclass
class Trajectory:
    """What a recorded rollout saw and did: per step, the observations and actions of the live episodes."""

    observations: list[Observation] = field(default_factory=list)
    episodes: list[IntArray] = field(default_factory=list)
    actions: list[IntArray] = field(default_factory=list)
    log_probs: list[FloatArray] = field(default_factory=list)

    def of_episode(self, episode: int) -> tuple[Observation, IntArray, FloatArray]:
        """The observations, actions and log-probabilities of one episode, in order."""
        obs, acts, lps = [], [], []
        for o, e, a, lp in zip(self.observations, self.episodes, self.actions, self.log_probs):
            rows = np.nonzero(e == episode)[0]
            if rows.size:
                obs.append(o.take(rows))
                acts.append(a[rows])
                lps.append(lp[rows])
        return Observation.concat(obs), np.concatenate(acts), np.concatenate(lps)


class WindowCache:
    """The job embeddings ``h`` of the first encoder for every episode of a batch, kept between steps.

    A job's window depends only on its fixed count, its earliest start and its
    legality (:mod:`schedkit.heuristics.shop.learned.observation`), so only
    the jobs where one of those changed since the last call are encoded again:
    the acting job, the jobs it pushed, and the jobs that turned legal or
    illegal. The logits equal :func:`network.forward`'s on the legal actions.
    """

    def __init__(self, params: Params, state: BatchState) -> None:
        self.params = params
        shape = (state.batch, state.shop.num_jobs)
        self.h = np.zeros((*shape, 8), dtype=params["proj_w"].dtype)
        self.pos = np.full(shape, -1, dtype=np.int64)
        self.lb = np.full(shape, -1, dtype=np.int64)
        self.legal = np.zeros(shape, dtype=bool)

    def logits(self, state: BatchState, live: IntArray) -> FloatArray:
        """The logits ``(len(live), J + 1)`` of the live episodes (``-inf`` on illegal jobs)."""
        legal = state.legal_jobs()
        stale = (state.pos != self.pos) | (state.lb != self.lb) | (legal != self.legal)
        stale[~np.isin(np.arange(state.batch), live)] = False
        episodes, jobs = np.nonzero(stale)
        if episodes.size:
            win = job_windows(state, episodes, jobs)
            self.h[episodes, jobs] = encode_windows(self.params, win.features, win.token, win.index, win.padding)
            self.pos[episodes, jobs] = state.pos[episodes, jobs]
            self.lb[episodes, jobs] = state.lb[episodes, jobs]
            self.legal[episodes, jobs] = legal[episodes, jobs]
        mask = state.action_mask()[live]
        return decide(self.params, self.h[live], job_waits(state)[live], conflict_groups(state, live), mask)


def rollout(
    state: BatchState,
    params: Params,
    temperatures: FloatArray,
    rng: np.random.Generator,
    record: Trajectory | None = None,
) -> BatchState:
    """Play every episode of ``state`` to its end, sampling at ``temperatures[b]``; return ``state``.

    With ``record``, the observation, action and log-probability (at
    temperature 1) of every step of every episode are appended to it.
    """
    temperatures = np.asarray(temperatures, dtype=np.float64)
    cache = WindowCache(params, state)
    while True:
        live = np.nonzero(~state.done)[0]
        if live.size == 0:
            return state
        logits = cache.logits(state, live)
        mask = np.isfinite(logits)
        noise = rng.gumbel(size=logits.shape)
        scores = np.where(mask, logits / temperatures[live, None] + noise, -np.inf)
        chosen = scores.argmax(axis=1)
        actions = np.zeros(state.batch, dtype=np.int64)
        actions[live] = chosen
        if record is not None:
            record.observations.append(observe(state).take(live))
            record.episodes.append(live)
            record.actions.append(chosen)
            record.log_probs.append(masked_log_softmax(logits, mask)[np.arange(live.size), chosen])
        state.step(actions)


def best_of_rollouts(
    shop: ShopArrays,
    params: Params,
    rollouts: int = DEFAULT_ROLLOUTS,
    seed: int = 0,
    temperatures: FloatArray | None = None,
) -> tuple[list[int], IntArray]:
    """The task starts of the best rollout and every rollout's makespan."""
    temps = spread_temperatures(rollouts) if temperatures is None else np.asarray(temperatures, dtype=np.float64)
    fast = as_dtype(params, np.float32)
    state = rollout(BatchState(shop, len(temps)), fast, temps, np.random.default_rng(seed))
    makespans = state.makespan()
    return state.task_starts(int(makespans.argmin())), makespans


def learned_dispatch(
    problem: ProblemData,
    rollouts: int = DEFAULT_ROLLOUTS,
    seed: int = 0,
    params: Params | None = None,
) -> Solution:
    """Schedule a job shop with the learned policy: the best of ``rollouts`` sampled episodes.

    Parameters
    ----------
    problem
        A job shop (see :mod:`schedkit.heuristics.shop.learned.arrays` for what
        is accepted); anything else raises ``ValueError``.
    rollouts
        Episodes sampled at the spread temperatures ``0.5 + 1.5 r / R``.
    seed
        Seed of the sampling (the result is reproducible).
    params
        Network weights (default: the trained weights shipped with the package).
    """
    shop = shop_arrays(problem)
    starts, _ = best_of_rollouts(shop, shipped_params() if params is None else params, rollouts, seed)
    return Solution.from_lists(starts)
