"""ETS inside a serving loop, against a stub of vLLM: run it as ``python examples/ets_serving_loop.py``.

The stub stands in for two ``vllm.LLM`` objects -- a policy that writes one
reasoning step per sample and stops at the step tag ``ки``, and a
Math-Shepherd-style process reward model that scores a step by the
probability of ``+`` after the tag -- and for a sentence-transformers
embedder. It returns objects shaped like vLLM's (``RequestOutput.outputs[j]``
with ``text``, ``token_ids`` and ``logprobs``), so the adapters used here are
the ones a real deployment uses. To run against real models, replace the
three stub constructors by (no other line changes)::

    from vllm import LLM, SamplingParams
    from sentence_transformers import SentenceTransformer
    policy = LLM("peiyi9979/mistral-7b-sft", enable_prefix_caching=True, seed=0)
    prm = LLM("peiyi9979/math-shepherd-mistral-7b-prm", enable_prefix_caching=True)
    encoder = SentenceTransformer("math-similarity/Bert-MLM_arXiv-MP-class_zbMath")

and use ``PLUS_ID, MINUS_ID = 648, 387`` (Math-Shepherd's ``+`` and ``-``). With SGLang,
use ``SglangGenerator(url)`` and ``SglangTagScorer(url, 648, 387)`` instead of the vLLM adapters.
No network access and no model download happen here.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from schedkit.models.kvtree import Step
from schedkit.solvers.methods.tree_search import tree_search
from schedkit.solvers.methods.tree_search.serving import SentenceEmbedder, VllmGenerator, VllmTagScorer

PLUS_ID, MINUS_ID = 1, 2
"""Token ids of ``+`` and ``-`` in the stub reward model's vocabulary."""

QUESTION = "Natalia sold clips to 48 of her friends in April, and then she sold half as many in May. How many in all?\n"


def _unit(*parts: object) -> float:
    """A deterministic number in [0, 1) from the parts (the stub's only source of randomness)."""
    digest = hashlib.sha256(repr(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass
class SamplingParams:
    """Stand-in for ``vllm.SamplingParams`` (the keyword arguments the adapters pass)."""

    n: int = 1
    temperature: float = 1.0
    max_tokens: int = 16
    stop: list[str] = field(default_factory=list)
    include_stop_str_in_output: bool = False
    seed: int | None = None
    logprobs: int | None = None


@dataclass
class Logprob:
    """Stand-in for ``vllm.sequence.Logprob``."""

    logprob: float


@dataclass
class CompletionOutput:
    """Stand-in for ``vllm.outputs.CompletionOutput``."""

    text: str
    token_ids: list[int]
    logprobs: list[dict[int, Logprob]] | None = None


@dataclass
class RequestOutput:
    """Stand-in for ``vllm.outputs.RequestOutput``."""

    prompt: str
    outputs: list[CompletionOutput]


class StubPolicy:
    """``LLM.generate`` of a policy: step k of a solution, right (``48 / 2 = 24``...) or wrong, ends with an answer."""

    def generate(self, prompts: list[str], params: list[SamplingParams], use_tqdm: bool = False) -> list[RequestOutput]:
        """One output per prompt, ``n`` samples each."""
        results = []
        for prompt, p in zip(prompts, params):
            depth = prompt.count("ки") + 1
            wrong = "wrong" in prompt
            samples = []
            for j in range(p.n):
                slip = wrong or _unit(prompt, j, "slip") < 0.25
                if depth >= 3 or _unit(prompt, j, "stop") < 0.15 * depth:
                    answer = "70" if slip else "72"
                    text = f"Step {depth}: 48 + 24 = {answer}. The answer is: {answer} ки"
                elif slip:
                    text = f"Step {depth}: she sold 48 * 2 = 96 in May (wrong) ки"
                else:
                    text = f"Step {depth}: she sold 48 / 2 = 24 in May ки"
                samples.append(CompletionOutput(text, list(range(len(text.split()) + 2))))
            results.append(RequestOutput(prompt, samples))
        return results


class StubRewardModel:
    """``LLM.generate`` of a Math-Shepherd PRM with ``max_tokens=1, logprobs=k``: log P(+) high on right steps."""

    def generate(self, prompts: list[str], params: SamplingParams, use_tqdm: bool = False) -> list[RequestOutput]:
        """One single-token output per prompt, with the top log-probabilities of the next token."""
        results = []
        for prompt in prompts:
            last = prompt.rsplit("Step", 1)[-1]
            p_plus = 0.2 if ("wrong" in last or "= 70" in last) else 0.8
            p_plus = min(0.95, max(0.05, p_plus + 0.2 * (_unit(prompt, "noise") - 0.5)))
            top = {PLUS_ID: Logprob(math.log(p_plus)), MINUS_ID: Logprob(math.log(1 - p_plus))}
            results.append(RequestOutput(prompt, [CompletionOutput("+", [PLUS_ID], [top])]))
        return results


class StubEncoder:
    """``SentenceTransformer.encode``: hashed bag of words, so near-identical steps embed alike."""

    def encode(self, sentences: list[str], batch_size: int = 64) -> Any:
        """One 64-d row per sentence."""
        rows = np.zeros((len(sentences), 64))
        for i, sentence in enumerate(sentences):
            for word in sentence.split():
                rows[i, int(_unit(word) * 64)] += 1.0
        return rows


def main(width: int = 8, method: str = "ets") -> Any:
    """Search the stub question with ``method`` at ``width`` and print what a user would look at."""
    policy, prm, encoder = StubPolicy(), StubRewardModel(), StubEncoder()
    generator = VllmGenerator(policy, SamplingParams, max_step_tokens=256, stop=["ки"])
    scorer = VllmTagScorer(prm, SamplingParams, plus_id=PLUS_ID, minus_id=MINUS_ID)
    embedder = SentenceEmbedder(encoder)
    result = tree_search(
        Step(QUESTION, len(QUESTION.split())),
        generator,
        scorer,
        method=method,
        width=width,
        embedder=embedder,
        grader=lambda answer: answer == "72",
    )
    vote = result.weighted_vote()
    print(f"{method} N={width}: {len(result.answers)} answers, weighted vote {vote.answer!r} (correct: {vote.correct})")
    print(f"KV: total {result.total_kv} tokens over {len(result.depths)} depths, peak {result.peak_kv}")
    return result


if __name__ == "__main__":
    main()
