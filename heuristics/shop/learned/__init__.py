"""Learned dispatching for job shops (Tassel, Gebser & Schekotihin, ICAPS 2023), inference in NumPy.

>>> from schedkit.heuristics.shop.learned import learned_dispatch, DispatchEnv
>>> solution = learned_dispatch(problem, rollouts=32, seed=0)

Modules, one concept each:

* :mod:`.arrays`: a job shop as padded arrays (and what is refused);
* :mod:`.state`: the dispatching semantics, batched over episodes;
* :mod:`.observation`: what the policy sees;
* :mod:`.env`: :class:`DispatchEnv`, the Gymnasium API over one episode;
* :mod:`.network`: the 2,450-parameter policy network and its shipped weights;
* :mod:`.backprop`: its gradients, for training without a framework;
* :mod:`.rollout`: batched sampled rollouts and :func:`learned_dispatch`.

Training (which calls CP-SAT as the teacher) lives in
:mod:`schedkit.solvers.methods.dispatch_training`.
"""

from __future__ import annotations

from schedkit.heuristics.shop.learned.arrays import ShopArrays, shop_arrays
from schedkit.heuristics.shop.learned.env import DispatchEnv
from schedkit.heuristics.shop.learned.network import WEIGHTS_PATH, init_params, load_params, save_params
from schedkit.heuristics.shop.learned.rollout import (
    DEFAULT_ROLLOUTS,
    best_of_rollouts,
    learned_dispatch,
    rollout,
    shipped_params,
    spread_temperatures,
)
from schedkit.heuristics.shop.learned.state import BatchState

__all__ = [
    "DEFAULT_ROLLOUTS",
    "WEIGHTS_PATH",
    "BatchState",
    "DispatchEnv",
    "ShopArrays",
    "best_of_rollouts",
    "init_params",
    "learned_dispatch",
    "load_params",
    "rollout",
    "save_params",
    "shipped_params",
    "shop_arrays",
    "spread_temperatures",
]
