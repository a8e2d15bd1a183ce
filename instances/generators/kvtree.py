"""A seeded synthetic reasoning tree to search without a GPU: steps, process rewards, embeddings and answers.

One seed is one problem. The tree is lazy: the search asks for ``n``
children of a node and the generator draws them from a random stream seeded
by ``(seed, path of the node)``, child after child, so child i depends only on
the node and on children 0..i-1. Two methods that expand the same node get the
same first children (a paired comparison), whatever the order of the calls.

Assumptions (each a knob of :class:`SyntheticConfig`; the ranges come from
``notes/ets.md`` section 8; see "How the defaults were set" below):

* **Correctness is a latent state.** A step is on track or off track. Off a
  parent on track, a new reasoning step goes wrong with the problem's error
  rate ``p_err ~ Beta(2, 5)`` (mean 0.29 per step, so single-trajectory
  accuracy spans easy to hard problems); off track is absorbing except for a
  rare recovery (0.02).
* **Rewards are correlated with eventual correctness, imperfectly.** A step's
  process reward is ``sigmoid(mu + mode offset + child noise)`` with ``mu =
  1.0`` on track (about 0.73) and ``0.3`` off track (0.57), a mode offset
  ``N(0, 0.7)`` shared by near-duplicate siblings and a child noise ``N(0,
  0.3)``. The step that goes wrong still scores as on track with probability
  0.5 (the reward model notices late).
* **Siblings repeat each other.** The children of a node fall into semantic
  modes by a Chinese restaurant process (concentration 1.0: 4 children give
  1.6 modes on average, 16 give 2.8). The first child of a mode is its
  canonical step; later ones are exact duplicates (same text, tokens,
  embedding and reward) with probability 0.3, else near-duplicates whose
  embedding is the mode's unit centroid plus noise at cosine distance about
  0.015 (below ETS's 0.05 cut) and whose length varies by +-15%. All children
  of a mode share its correctness transition.
* **Correct reasoning converges across branches.** A problem has 3
  approaches (Dirichlet(1) weights), chosen by the root's children and
  inherited. An on-track mode at depth t states the *canonical* step of its
  approach at depth t with probability ``canonical = 0.5`` (its centroid is
  that step's direction, shared by every branch), otherwise a fresh phrasing
  (an independent random direction, cosine distance about 1 to everything
  else); off-track modes are always fresh (mistakes are idiosyncratic). This
  knob decides how many semantic clusters a frontier has, hence how much
  ETS's coverage term pulls toward keeping many branches; the study reports
  its effect (``canonical`` 0, 0.5, 1) beside the default.
* **Token lengths are heavy-tailed.** Step tokens ``~ lognormal(median 45,
  sigma 0.6)`` clipped to [4, 256] (MATH-like steps), the final step 1.3x
  longer; the prompt ``~ lognormal(median 90, sigma 0.5)``.
* **Trajectories end around a problem-specific depth.** A mode ends with an
  answer at depth t with probability ``sigmoid((t - D) / 1.0)``, ``D ~ U(4,
  9)`` per problem.
* **Correct leaves agree; wrong ones cluster.** An on-track final step gives
  the reference answer; an off-track one gives one of 3 distractors with Zipf
  probabilities (1, 1/2, 1/3), so weighted voting can be fooled.

How the defaults were set (in this order, disclosed because the study's
result depends on them):

1. First defaults, from the notes before any search: ``p_err ~ Beta(2, 8)``,
   rewards 1.5 / 0.0, lag 0.3, and every mode an independent direction (no
   ``approaches`` / ``canonical``). Searches were too easy (REBASE's weighted
   vote right on 0.88 of 40 trees at N = 16 and 64, best-of-N 0.95+), and
   ETS kept almost every branch: with independent directions nearly every
   candidate is its own cluster, so ``lambda_s / K`` pays for keeping it
   (REBASE / ETS total KV 1.03 at N = 64 on 10 trees; 1.28 without the
   coverage term).
2. The ``approaches`` / ``canonical`` structure was then added -- after
   seeing step 1, so it is a change made knowing the answer: correct
   reasoning in mathematics does converge on the same steps, but the amount
   (``canonical``) is unmeasured; 0.5 is the midpoint, and the study reports
   0, 0.5 and 1.
3. Difficulty was recalibrated once, looking at REBASE's accuracy only (not
   at any KV figure): Beta(2, 5), rewards 1.0 / 0.3, lag 0.5 give REBASE
   0.55 / 0.62 at N = 16 / 64 on 40 trees, the range of 7B models on MATH500.

What it does not model: rewards that depend on the whole prefix rather than
on the latent state, correlated errors across branches beyond the shared
distractors, and texts (steps read ``Step t: claim <id>``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from schedkit.models.kvtree import Expansion, Scoring, Step


@dataclass(frozen=True)
class SyntheticConfig:
    """The knobs of the synthetic tree (see the module docstring for what each assumes)."""

    error_beta: tuple[float, float] = (2.0, 5.0)
    recover: float = 0.02
    reward_on: float = 1.0
    reward_off: float = 0.3
    mode_sigma: float = 0.7
    child_sigma: float = 0.3
    detection_lag: float = 0.5
    concentration: float = 1.0
    approaches: int = 3
    canonical: float = 0.5
    exact_duplicate: float = 0.3
    near_duplicate_distance: float = 0.015
    length_jitter: float = 0.15
    step_median: float = 45.0
    step_sigma: float = 0.6
    step_range: tuple[int, int] = (4, 256)
    final_factor: float = 1.3
    prompt_median: float = 90.0
    prompt_sigma: float = 0.5
    answer_depth: tuple[float, float] = (4.0, 9.0)
    answer_spread: float = 1.0
    distractors: int = 3
    embedding_dim: int = 32

    def __post_init__(self) -> None:
        for name in ("recover", "detection_lag", "exact_duplicate", "canonical"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}")
        if self.concentration <= 0:
            raise ValueError(f"concentration must be > 0, got {self.concentration!r}")
        if not 0 < self.step_range[0] <= self.step_range[1]:
            raise ValueError(f"step_range must satisfy 0 < low <= high, got {self.step_range!r}")
        if self.distractors < 1 or self.embedding_dim < 2 or self.approaches < 1:
            raise ValueError("distractors and approaches must be >= 1 and embedding_dim >= 2")


class SyntheticKey(NamedTuple):
    """A node's identity and latent state: path of child indices from the root, on track, reward, approach."""

    path: tuple[int, ...]
    on_track: bool
    score: float
    approach: int = -1


@dataclass
class _Mode:
    on_track: bool
    reward_mu: float
    finishes: bool
    tokens: int
    text: str
    centroid: np.ndarray
    answer: str | None
    score: float
    approach: int
    members: int = 0


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class SyntheticTree:
    """One synthetic problem: a :class:`~schedkit.models.kvtree.StepGenerator`, scorer and embedder at once.

    Build it with :func:`synthetic_kvtree`; start a search from :meth:`root`.
    """

    def __init__(self, seed: int, config: SyntheticConfig | None = None) -> None:
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
        self.seed = seed
        self.config = config or SyntheticConfig()
        cfg = self.config
        rng = np.random.default_rng([seed, 0xB0B])
        self.error_rate = float(rng.beta(*cfg.error_beta))
        self.answer_depth = float(rng.uniform(*cfg.answer_depth))
        self.reference = str(int(rng.integers(10, 1000)))
        wrong: list[str] = []
        while len(wrong) < cfg.distractors:
            candidate = str(int(rng.integers(10, 1000)))
            if candidate != self.reference and candidate not in wrong:
                wrong.append(candidate)
        self.distractors = wrong
        zipf = np.array([1.0 / (k + 1) for k in range(cfg.distractors)])
        self.distractor_p = zipf / zipf.sum()
        self.prompt_tokens = int(max(1, round(rng.lognormal(math.log(cfg.prompt_median), cfg.prompt_sigma))))
        self.approach_p = rng.dirichlet(np.ones(cfg.approaches))
        self._noise = math.sqrt(cfg.near_duplicate_distance / cfg.embedding_dim)

    def root(self) -> Step:
        """The prompt, to start a search from."""
        return Step(f"Problem {self.seed}.\n", self.prompt_tokens, SyntheticKey((), True, 1.0, -1))

    # ------------------------------------------------------------------ the tree
    def children(self, key: SyntheticKey, depth: int, n: int) -> list[Step]:
        """The first ``n`` children of the node ``key`` at ``depth`` (deterministic, prefix-consistent)."""
        cfg = self.config
        rng = np.random.default_rng([self.seed, len(key.path), *key.path])
        modes: list[_Mode] = []
        steps = []
        for i in range(n):
            pick = rng.random() * (sum(m.members for m in modes) + cfg.concentration)
            chosen: _Mode | None = None
            for mode in modes:
                pick -= mode.members
                if pick < 0:
                    chosen = mode
                    break
            if chosen is None:
                chosen = self._new_mode(rng, key, depth + 1)
                modes.append(chosen)
                text, tokens, embedding, score = chosen.text, chosen.tokens, chosen.centroid, chosen.score
            elif rng.random() < cfg.exact_duplicate:
                text, tokens, embedding, score = chosen.text, chosen.tokens, chosen.centroid, chosen.score
            else:
                text = chosen.text.replace(" ки", f" (variant {i}) ки")
                jitter = rng.uniform(1 - cfg.length_jitter, 1 + cfg.length_jitter)
                tokens = int(np.clip(round(chosen.tokens * jitter), *cfg.step_range))
                embedding = chosen.centroid + rng.normal(0.0, self._noise, cfg.embedding_dim)
                score = _sigmoid(chosen.reward_mu + rng.normal(0.0, cfg.child_sigma))
            chosen.members += 1
            steps.append(
                Step(
                    text,
                    tokens,
                    SyntheticKey((*key.path, i), chosen.on_track, score, chosen.approach),
                    chosen.answer,
                    (chosen.answer == self.reference) if chosen.answer is not None else None,
                    tuple(float(x) for x in embedding),
                )
            )
        return steps

    def _new_mode(self, rng: np.random.Generator, parent: SyntheticKey, depth: int) -> _Mode:
        cfg = self.config
        if parent.on_track:
            on_track = bool(rng.random() >= self.error_rate)
            looks_on = on_track or bool(rng.random() < cfg.detection_lag)
        else:
            on_track = bool(rng.random() < cfg.recover)
            looks_on = on_track
        approach = parent.approach if parent.approach >= 0 else int(rng.choice(cfg.approaches, p=self.approach_p))
        finishes = bool(rng.random() < _sigmoid((depth - self.answer_depth) / cfg.answer_spread))
        length = rng.lognormal(math.log(cfg.step_median), cfg.step_sigma) * (cfg.final_factor if finishes else 1.0)
        tokens = int(np.clip(round(length), *cfg.step_range))
        fresh = rng.normal(size=cfg.embedding_dim)
        canonical = on_track and bool(rng.random() < cfg.canonical)
        centroid = self.canonical_direction(approach, depth) if canonical else fresh / np.linalg.norm(fresh)
        mu = (cfg.reward_on if looks_on else cfg.reward_off) + rng.normal(0.0, cfg.mode_sigma)
        score = _sigmoid(mu + rng.normal(0.0, cfg.child_sigma))
        answer = None
        if finishes:
            answer = self.reference if on_track else str(rng.choice(self.distractors, p=self.distractor_p))
        label = f"{int(rng.integers(0, 2**48)):012x}"
        text = f"Step {depth}: claim {label}" + (f". The answer is: {answer}" if answer is not None else "") + " ки"
        return _Mode(on_track, mu, finishes, tokens, text, centroid, answer, score, approach)

    def canonical_direction(self, approach: int, depth: int) -> np.ndarray:
        """The unit embedding of the canonical on-track step of ``approach`` at ``depth`` (shared across branches)."""
        rng = np.random.default_rng([self.seed, 0xCA, approach, depth])
        direction = rng.normal(size=self.config.embedding_dim)
        return np.asarray(direction / np.linalg.norm(direction))

    # ------------------------------------------------------------------ the protocols
    def expand(self, requests: Sequence[Expansion]) -> list[list[Step]]:
        """StepGenerator: the first ``n`` children of each requested node."""
        out = []
        for request in requests:
            key = request.node.key
            if not isinstance(key, SyntheticKey):
                raise ValueError(f"node {request.node.id} was not generated by this synthetic tree")
            out.append(self.children(key, request.node.depth, request.n))
        return out

    def score(self, requests: Sequence[Scoring]) -> list[float | None]:
        """StepScorer: the reward drawn with each step."""
        scores: list[float | None] = []
        for request in requests:
            key = request.step.key
            scores.append(key.score if isinstance(key, SyntheticKey) else None)
        return scores

    def embed(self, steps: Sequence[Step]) -> Any:
        """StepEmbedder: the embedding drawn with each step."""
        rows = []
        for step in steps:
            if step.embedding is None:
                raise ValueError("a synthetic step carries its embedding; this one has none")
            rows.append(step.embedding)
        return np.asarray(rows, dtype=float)


def synthetic_kvtree(seed: int = 0, config: SyntheticConfig | None = None, **knobs: Any) -> SyntheticTree:
    """One synthetic problem (see the module docstring); ``knobs`` override :class:`SyntheticConfig` fields."""
    if knobs:
        base = config or SyntheticConfig()
        unknown = set(knobs) - set(base.__dataclass_fields__)
        if unknown:
            raise TypeError(f"unknown synthetic tree knob(s): {', '.join(sorted(unknown))}")
        config = SyntheticConfig(**{**base.__dict__, **knobs})
    return SyntheticTree(seed, config)
