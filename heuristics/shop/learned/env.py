"""``DispatchEnv``: the dispatching environment with the Gymnasium API, duck-typed (gymnasium is not needed).

>>> env = DispatchEnv(problem)
>>> obs, info = env.reset(seed=0)
>>> while True:
...     action = env.action_space.sample(mask=env.action_masks())
...     obs, reward, terminated, truncated, info = env.step(action)
...     if terminated:
...         break
>>> solution = env.solution()      # passes schedkit.solvers.check

Semantics: :mod:`schedkit.heuristics.shop.learned.state` (current time = the
smallest earliest start, legal jobs = those that can start then, No-Op = wait
until the next distinct earliest start). Actions are ``0..J-1`` (start job j's
next operation now) and ``J`` (No-Op). The observation is a dict of arrays
(:mod:`schedkit.heuristics.shop.learned.observation`): ``features (J, 5, 4)``,
``token``, ``index``, ``padding (J, 5)``, ``wait (J,)``, ``conflict (J, J)``,
``action_mask (J + 1,)``; ``info["action_mask"]`` repeats the mask and
:meth:`DispatchEnv.action_masks` returns it (the convention of maskable
policies). Reward: minus the growth of the partial makespan (the latest end so
far), divided by the mean duration, so an episode's rewards sum to
``-C_max / p̄``. An illegal action raises ``ValueError``.

When gymnasium is installed, ``observation_space`` and ``action_space`` are
real ``gymnasium.spaces`` objects; otherwise small stand-ins with the same
``n``/``shape``/``sample``/``contains`` are used. Subclassing
``gymnasium.Env`` is left to the user (``class E(DispatchEnv, gymnasium.Env)``).
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

from schedkit.heuristics.shop.learned.arrays import shop_arrays
from schedkit.heuristics.shop.learned.observation import WINDOW, observe
from schedkit.heuristics.shop.learned.state import BatchState
from schedkit.models import ProblemData, Solution


class DiscreteSpace:
    """``{0, ..., n - 1}``, with masked sampling (a stand-in for ``gymnasium.spaces.Discrete``)."""

    def __init__(self, n: int, seed: int | None = None) -> None:
        self.n = n
        self.shape: tuple[int, ...] = ()
        self.dtype = np.dtype(np.int64)
        self._rng = np.random.default_rng(seed)

    def seed(self, seed: int | None = None) -> None:
        """Reseed the sampler."""
        self._rng = np.random.default_rng(seed)

    def sample(self, mask: np.ndarray | None = None) -> int:
        """A uniform element (among ``mask == 1`` when given)."""
        if mask is None:
            return int(self._rng.integers(self.n))
        allowed = np.flatnonzero(mask)
        if allowed.size == 0:
            raise ValueError("no action is allowed by the mask")
        return int(self._rng.choice(allowed))

    def contains(self, x: Any) -> bool:
        """Whether ``x`` is an integer in range."""
        return isinstance(x, (int, np.integer)) and 0 <= int(x) < self.n

    def __repr__(self) -> str:
        return f"DiscreteSpace({self.n})"


class BoxSpace:
    """A product of intervals ``[low, high]`` of a shape and dtype (a stand-in for ``gymnasium.spaces.Box``)."""

    def __init__(self, low: float, high: float, shape: tuple[int, ...], dtype: Any) -> None:
        self.low, self.high, self.shape, self.dtype = low, high, shape, np.dtype(dtype)

    def contains(self, x: Any) -> bool:
        """Whether ``x`` is an array of this shape within the bounds."""
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= self.low) and np.all(x <= self.high))

    def __repr__(self) -> str:
        return f"BoxSpace({self.low}, {self.high}, {self.shape}, {self.dtype})"


class DictSpace(dict[str, BoxSpace]):
    """Named spaces (a stand-in for ``gymnasium.spaces.Dict``)."""

    def contains(self, x: Any) -> bool:
        """Whether every named part of ``x`` is in its space."""
        return isinstance(x, dict) and set(x) == set(self) and all(self[k].contains(x[k]) for k in self)


def _spaces(num_jobs: int, max_ops: int) -> tuple[Any, Any]:
    """``(observation_space, action_space)``: gymnasium's when it is installed, else the stand-ins."""
    j = num_jobs
    shapes: dict[str, tuple[tuple[int, ...], Any, float, float]] = {
        "features": ((j, WINDOW, 4), np.float64, -np.inf, np.inf),
        "token": ((j, WINDOW), np.int64, 0, 2),
        "index": ((j, WINDOW), np.int64, 0, max_ops),
        "padding": ((j, WINDOW), np.bool_, 0, 1),
        "wait": ((j,), np.float64, 0, np.inf),
        "conflict": ((j, j), np.bool_, 0, 1),
        "action_mask": ((j + 1,), np.bool_, 0, 1),
    }
    try:
        spaces = importlib.import_module("gymnasium.spaces")  # optional: never a dependency
    except ImportError:
        observation = DictSpace({k: BoxSpace(lo, hi, shape, dt) for k, (shape, dt, lo, hi) in shapes.items()})
        return observation, DiscreteSpace(j + 1)
    parts = {k: spaces.Box(lo, hi, shape, dt) for k, (shape, dt, lo, hi) in shapes.items()}
    return spaces.Dict(parts), spaces.Discrete(j + 1)


class DispatchEnv:
    """One dispatching episode at a time on a job shop, with the Gymnasium API (see the module docstring)."""

    metadata: dict[str, Any] = {"render_modes": []}

    def __init__(self, problem: ProblemData) -> None:
        self.problem = problem
        self.shop = shop_arrays(problem)
        self.state = BatchState(self.shop, 1)
        self.observation_space, self.action_space = _spaces(self.shop.num_jobs, self.shop.max_ops)

    def _observation(self) -> dict[str, np.ndarray]:
        obs = observe(self.state)
        return {
            "features": obs.features[0],
            "token": obs.token[0],
            "index": obs.index[0],
            "padding": obs.padding[0],
            "wait": obs.wait[0],
            "conflict": obs.conflict[0],
            "action_mask": obs.mask[0],
        }

    def _info(self) -> dict[str, Any]:
        return {
            "time": int(self.state.time[0]) if not self.state.done[0] else None,
            "action_mask": self.state.action_mask()[0],
            "makespan": int(self.state.makespan()[0]),
        }

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict]:
        """Start a new episode; ``seed`` reseeds ``action_space.sample``."""
        if seed is not None and hasattr(self.action_space, "seed"):
            self.action_space.seed(seed)
        self.state.reset()
        return self._observation(), self._info()

    def step(self, action: int) -> tuple[dict[str, Any], float, bool, bool, dict[str, Any]]:
        """Apply ``action``: ``(observation, reward, terminated, truncated, info)``."""
        if self.state.done[0]:
            raise ValueError("the episode is over: call reset()")
        before = int(self.state.makespan()[0])
        self.state.step(np.array([int(action)]))
        after = int(self.state.makespan()[0])
        reward = -(after - before) / self.shop.mean_duration
        return self._observation(), reward, bool(self.state.done[0]), False, self._info()

    def action_masks(self) -> np.ndarray:
        """The legal actions, ``(J + 1,)`` booleans (No-Op last)."""
        return self.state.action_mask()[0]

    @property
    def current_time(self) -> int | None:
        """The current time (None once the episode is over)."""
        return None if self.state.done[0] else int(self.state.time[0])

    def solution(self) -> Solution:
        """The schedule of the finished episode; ``ValueError`` before the end."""
        if not self.state.done[0]:
            raise ValueError("the episode is not over: some operations are not dispatched yet")
        return Solution.from_lists(self.state.task_starts(0))

    def render(self) -> None:
        """No rendering (draw the finished schedule with ``schedkit.plots``)."""
        return None

    def close(self) -> None:
        """Nothing to release."""
        return None
