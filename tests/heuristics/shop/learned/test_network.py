"""The policy network: its size, its gradients (finite differences), and the fast inference path."""

from __future__ import annotations

import numpy as np
import pytest

from schedkit.heuristics.shop.learned import BatchState, init_params, shop_arrays
from schedkit.heuristics.shop.learned.backprop import backward
from schedkit.heuristics.shop.learned.network import (
    as_dtype,
    count_parameters,
    forward,
    load_params,
    masked_log_softmax,
    save_params,
)
from schedkit.heuristics.shop.learned.observation import Observation, observe
from schedkit.heuristics.shop.learned.rollout import WindowCache
from schedkit.instances import taillard_jobshop_from_seeds


def _observations(seed: int = 0, steps: int = 8, batch: int = 3) -> Observation:
    state = BatchState(shop_arrays(taillard_jobshop_from_seeds(6, 4, 11 + seed, 22)), batch)
    rng = np.random.default_rng(seed)
    seen = []
    for _ in range(steps):
        mask = state.action_mask()
        seen.append(observe(state))
        state.step(np.where(mask, rng.random(mask.shape), -1.0).argmax(axis=1))
    return Observation.concat(seen)


def test_the_network_has_the_papers_size_plus_the_wait_vector() -> None:
    assert count_parameters(init_params(0)) == 2442 + 8


def test_gradients_match_finite_differences() -> None:
    obs = _observations()
    rng = np.random.default_rng(1)
    params = {k: v + 0.3 * rng.standard_normal(v.shape) for k, v in init_params(2).items()}
    weights = rng.standard_normal((len(obs), obs.mask.shape[1]))

    def loss() -> float:
        return float((forward(params, obs, {}) * weights).sum())

    keep: dict = {}
    forward(params, obs, keep)
    grads = backward(params, keep, weights)
    for name, value in params.items():
        for flat in rng.choice(value.size, size=min(3, value.size), replace=False):
            index = np.unravel_index(flat, value.shape)
            old = value[index]
            value[index] = old + 1e-6
            up = loss()
            value[index] = old - 1e-6
            down = loss()
            value[index] = old
            assert grads[name][index] == pytest.approx((up - down) / 2e-6, rel=1e-4, abs=1e-7), name


def test_inference_shortcuts_and_the_window_cache_give_the_full_logits() -> None:
    params = init_params(3)
    state = BatchState(shop_arrays(taillard_jobshop_from_seeds(10, 5, 3, 4)), 4)
    cache = WindowCache(params, state)
    rng = np.random.default_rng(0)
    while not state.done.all():
        live = np.nonzero(~state.done)[0]
        obs = observe(state).take(live)
        full = masked_log_softmax(forward(params, obs, {}), obs.mask)
        cached_logits = cache.logits(state, live)
        assert np.array_equal(np.isfinite(cached_logits), obs.mask)
        cached = masked_log_softmax(cached_logits, obs.mask)
        np.testing.assert_allclose(np.where(obs.mask, cached, 0), np.where(obs.mask, full, 0), atol=1e-12)
        actions = np.zeros(state.batch, dtype=np.int64)
        actions[live] = np.where(obs.mask, rng.random(obs.mask.shape), -1.0).argmax(axis=1)
        state.step(actions)


def test_float32_inference_is_close_to_float64() -> None:
    obs = _observations(seed=1)
    params = init_params(4)
    full = forward(params, obs)
    fast = forward(as_dtype(params, np.float32), obs)
    np.testing.assert_allclose(np.where(obs.mask, fast, 0), np.where(obs.mask, full, 0), atol=1e-4)


def test_weights_round_trip_and_bad_files_are_refused(tmp_path) -> None:
    params = init_params(5)
    save_params(params, tmp_path / "w.npz", note="x")
    loaded, extra = load_params(tmp_path / "w.npz")
    assert all(np.array_equal(params[k], loaded[k]) for k in params) and str(extra["note"]) == "x"
    del params["wait"]
    save_params(params, tmp_path / "bad.npz")
    with pytest.raises(ValueError, match="parameter 'wait'"):
        load_params(tmp_path / "bad.npz")
