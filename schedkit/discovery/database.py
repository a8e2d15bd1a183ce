"""An island-based program database in the manner of FunSearch (Romera-Paredes et al., Nature 2024).

Follows the open-source FunSearch reference implementation
(``google-deepmind/funsearch``, ``programs_database.py``), with the
differences stated below.

* Programs live on ``num_islands`` islands that evolve apart. The initial
  program is registered on every island; a new program returns to the island
  its prompt came from.
* On an island, programs are grouped into *clusters* by *signature*, the
  tuple of their per-instance results (so programs that behave identically
  on the suite share a cluster); a cluster's score is its programs' score.
* A prompt (:meth:`ProgramDatabase.prompt`) picks an island uniformly, then
  ``functions_per_prompt`` clusters (with replacement) with probabilities
  ``softmax(s_c / T)`` and, inside each, a program with probabilities
  ``softmax(-normalised length)`` (shorter programs preferred). The
  temperature falls in a sawtooth,
  ``T = T_0 (1 - (m mod P) / P)`` with m the island's program count and
  ``P = temperature_period``. The chosen programs go into the prompt sorted
  by ascending score, so the best comes last ("best-shot prompting").
* Every ``reset_period`` registered programs (FunSearch: every 4 hours of
  wall time; counting programs keeps runs reproducible; ``reset_seconds``
  restores the wall-clock rule), the weaker half of the islands (ranked by
  their best score, ties broken by tiny noise) is emptied and each is
  re-seeded with the best program of a randomly chosen surviving island.

Difference in the cluster softmax: FunSearch applies it to raw scores,
whose scale depends on the problem; here scores are first divided by the
spread of cluster scores on the island (``(s_c - max) / (max - min)``), so
``T_0`` means the same whatever the units of the score.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["DatabaseConfig", "Program", "ProgramDatabase", "Prompt"]


@dataclass(frozen=True)
class DatabaseConfig:
    """Parameters of the database (FunSearch's defaults except ``reset_period``)."""

    num_islands: int = 10
    functions_per_prompt: int = 2
    reset_period: int = 200
    reset_seconds: float | None = None
    temperature: float = 0.1
    temperature_period: int = 30_000

    def __post_init__(self) -> None:
        if self.num_islands < 1 or self.functions_per_prompt < 1 or self.reset_period < 1:
            raise ValueError("num_islands, functions_per_prompt and reset_period must be at least 1")
        if not self.temperature > 0 or self.temperature_period < 1:
            raise ValueError("the temperature and its period must be positive")


@dataclass(frozen=True)
class Program:
    """A registered program: its source, its score (higher is better) and where it came from."""

    id: int
    source: str
    score: float
    signature: tuple[float, ...]
    summary: dict[str, Any] = field(default_factory=dict, compare=False)
    parents: tuple[int, ...] = ()


@dataclass(frozen=True)
class Prompt:
    """What a mutation operator gets: the parents (ascending score), the prompt text, an island, a seed."""

    island: int
    parents: tuple[Program, ...]
    text: str
    seed: int
    sample: int = 0


def _softmax(logits: np.ndarray, temperature: float) -> np.ndarray:
    shifted = (logits - logits.max()) / temperature
    weights = np.exp(shifted)
    return np.asarray(weights / weights.sum())


class _Island:
    """Clusters of programs by signature."""

    def __init__(self) -> None:
        self.clusters: dict[tuple[float, ...], list[Program]] = {}
        self.num_programs = 0

    def register(self, program: Program) -> None:
        self.clusters.setdefault(program.signature, []).append(program)
        self.num_programs += 1

    def best(self) -> Program:
        return max((p for members in self.clusters.values() for p in members), key=lambda p: (p.score, -p.id))


class ProgramDatabase:
    """Islands of programs, prompts from the best of them, periodic reset (see the module docstring)."""

    def __init__(
        self,
        config: DatabaseConfig | None = None,
        seed: int = 0,
        render: Callable[[list[Program], int], str] | None = None,
    ) -> None:
        config = config if config is not None else DatabaseConfig()
        self.config = config
        self.rng = np.random.default_rng(seed)
        self.islands = [_Island() for _ in range(config.num_islands)]
        self.render = render or (lambda programs, version: "")
        self.registered = 0
        self.resets = 0
        self._last_reset = time.monotonic()
        self._next_id = 0
        self._prompts = 0

    # ----------------------------------------------------------------- programs
    def new_id(self) -> int:
        """A fresh program id."""
        self._next_id += 1
        return self._next_id - 1

    def register(self, program: Program, island: int | None = None) -> None:
        """Add ``program`` to ``island`` (every island when None, for the initial program); maybe reset."""
        if island is None:
            for target in self.islands:
                target.register(program)
        else:
            self.islands[island].register(program)
            self.registered += 1
            self._maybe_reset()

    def best(self) -> Program:
        """The best program over all islands (ties: the oldest)."""
        return max((island.best() for island in self.islands if island.clusters), key=lambda p: (p.score, -p.id))

    # ------------------------------------------------------------------ prompts
    def prompt(self) -> Prompt:
        """A best-shot prompt from a uniformly drawn island."""
        index = int(self.rng.integers(len(self.islands)))
        island = self.islands[index]
        if not island.clusters:
            raise RuntimeError("the database is empty: register the initial program first")
        signatures = list(island.clusters)
        scores = np.array([island.clusters[s][0].score for s in signatures], dtype=np.float64)
        spread = float(scores.max() - scores.min())
        logits = (scores - scores.max()) / spread if spread > 0 else np.zeros_like(scores)
        period = self.config.temperature_period
        temperature = self.config.temperature * (1 - (island.num_programs % period) / period)
        probabilities = _softmax(logits, max(temperature, 1e-6))
        count = min(len(signatures), self.config.functions_per_prompt)
        chosen = self.rng.choice(len(signatures), size=count, p=probabilities)
        parents = [self._sample_in_cluster(island.clusters[signatures[int(c)]]) for c in chosen]
        parents.sort(key=lambda p: (p.score, -p.id))
        self._prompts += 1
        return Prompt(
            island=index,
            parents=tuple(parents),
            text=self.render(parents, len(parents)),
            seed=int(self.rng.integers(2**31)),
            sample=self._prompts,
        )

    def _sample_in_cluster(self, members: list[Program]) -> Program:
        lengths = np.array([len(p.source) for p in members], dtype=np.float64)
        normalised = (lengths - lengths.min()) / (lengths.max() + 1e-6)
        return members[int(self.rng.choice(len(members), p=_softmax(-normalised, 1.0)))]

    # ------------------------------------------------------------------- resets
    def _maybe_reset(self) -> None:
        if self.config.reset_seconds is not None:
            due = time.monotonic() - self._last_reset >= self.config.reset_seconds
        else:
            due = self.registered % self.config.reset_period == 0
        if due:
            self.reset_weakest()

    def reset_weakest(self) -> list[int]:
        """Empty the weaker half of the islands and re-seed each from a random survivor; return their indices."""
        self._last_reset = time.monotonic()
        num = len(self.islands)
        if num < 2:
            return []
        best = np.array([island.best().score if island.clusters else -np.inf for island in self.islands])
        ranking = np.argsort(best + self.rng.normal(size=num) * 1e-6)
        weak, strong = ranking[: num // 2], ranking[num // 2 :]
        for index in weak.tolist():
            founder = self.islands[int(self.rng.choice(strong))].best()
            self.islands[index] = _Island()
            self.islands[index].register(founder)
        self.resets += 1
        return sorted(int(i) for i in weak)
