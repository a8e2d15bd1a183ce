"""Plugging a real serving stack into the search: vLLM or SGLang as generator and scorer, a sentence embedder.

The engine only needs objects with ``expand`` / ``score`` / ``embed``
(:mod:`schedkit.models.kvtree.search`). These adapters build them on the two
usual stacks without importing either (so CI needs neither; pass the objects
in). A runnable walk-through against a stub server is
``examples/ets_serving_loop.py``.

vLLM, offline (both models on one or two GPUs; prefix caching keeps the shared
ancestors' KV resident, which is what ETS's selection economises)::

    from vllm import LLM, SamplingParams
    policy = LLM("peiyi9979/mistral-7b-sft", enable_prefix_caching=True, seed=0)
    prm = LLM("peiyi9979/math-shepherd-mistral-7b-prm", enable_prefix_caching=True)
    generator = VllmGenerator(policy, SamplingParams)            # one step per child, stop at "ки"
    scorer = VllmTagScorer(prm, SamplingParams, plus_id=648, minus_id=387)
    embedder = SentenceEmbedder(SentenceTransformer("math-similarity/Bert-MLM_arXiv-MP-class_zbMath"))
    result = tree_search(Step(question, n_prompt_tokens), generator, scorer, "ets", 64, embedder)

SGLang, native HTTP (``python -m sglang.launch_server --model-path ... --port 30000``; the
radix cache is on by default)::

    generator = SglangGenerator("http://localhost:30000")
    scorer = SglangTagScorer("http://localhost:30020", plus_id=648, minus_id=387)

Scoring: a Math-Shepherd-style PRM is a causal LM that predicts ``+`` or
``-`` after the step tag ``ки``; the score of a step is ``P(+) / (P(+) +
P(-))`` of the token after ``prefix + step`` (the step keeps its tag: vLLM's
``include_stop_str_in_output=True``, SGLang's ``no_stop_trim``). Scalar-head
PRMs (ETS's Llemma PRM) need a patched server or HF transformers; wrap them in
any object with ``score(requests)``.
"""

from __future__ import annotations

import json
import math
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

from schedkit.models.kvtree import Expansion, Scoring, Step

STEP_TAG = "ки"
"""Math-Shepherd's step tag: the policy stops at it and the PRM scores at it."""


def _tagged(text: str, tag: str) -> str:
    return text if text.rstrip().endswith(tag) else text.rstrip() + " " + tag


def _plus_probability(top: dict[int, float], plus_id: int, minus_id: int) -> float | None:
    """``P(+) / (P(+) + P(-))`` from token-id -> log-probability (None when neither is among the top tokens)."""
    plus, minus = top.get(plus_id), top.get(minus_id)
    if plus is None and minus is None:
        return None
    p = math.exp(plus) if plus is not None else 0.0
    q = math.exp(minus) if minus is not None else 0.0
    return p / (p + q)


class VllmGenerator:
    """Steps from a ``vllm.LLM``: one ``generate`` call per depth, ``n`` samples per expanded node.

    ``sampling_params`` is ``vllm.SamplingParams`` (or anything with its keyword arguments).
    """

    def __init__(
        self,
        llm: Any,
        sampling_params: Callable[..., Any],
        max_step_tokens: int = 256,
        temperature: float = 1.0,
        stop: Sequence[str] = (STEP_TAG,),
        seed: int | None = None,
    ) -> None:
        self.llm = llm
        self.sampling_params = sampling_params
        self.options = {"temperature": temperature, "max_tokens": max_step_tokens, "stop": list(stop)}
        self.seed = seed

    def expand(self, requests: Sequence[Expansion]) -> list[list[Step]]:
        """StepGenerator: ``request.n`` continuations of each prefix, stop string kept."""
        params = [
            self.sampling_params(n=r.n, include_stop_str_in_output=True, seed=self.seed, **self.options)
            for r in requests
        ]
        outputs = self.llm.generate([r.prefix for r in requests], params, use_tqdm=False)
        return [[Step(o.text, len(o.token_ids)) for o in output.outputs] for output in outputs]


class VllmTagScorer:
    """Math-Shepherd-style PRM served by a ``vllm.LLM``: ``P(+)`` after the step tag, from the top log-probs."""

    def __init__(
        self,
        llm: Any,
        sampling_params: Callable[..., Any],
        plus_id: int,
        minus_id: int,
        tag: str = STEP_TAG,
        top: int = 20,
    ) -> None:
        self.llm = llm
        self.sampling_params = sampling_params
        self.plus_id, self.minus_id, self.tag, self.top = plus_id, minus_id, tag, top

    def score(self, requests: Sequence[Scoring]) -> list[float | None]:
        """StepScorer: one single-token generation per step, scored from its log-probabilities."""
        params = self.sampling_params(max_tokens=1, temperature=0.0, logprobs=self.top)
        prompts = [r.prefix + _tagged(r.step.text, self.tag) for r in requests]
        outputs = self.llm.generate(prompts, params, use_tqdm=False)
        scores = []
        for output in outputs:
            first = output.outputs[0].logprobs[0]  # token id -> Logprob(logprob=..., ...)
            top = {int(token): float(getattr(entry, "logprob", entry)) for token, entry in first.items()}
            scores.append(_plus_probability(top, self.plus_id, self.minus_id))
        return scores


def http_post(url: str, body: dict[str, Any], timeout: float = 600.0) -> Any:
    """POST ``body`` as JSON and decode the JSON answer (the default transport of the SGLang adapters)."""
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode())


class SglangGenerator:
    """Steps from an SGLang server's ``/generate`` (one request per expanded node, ``n`` samples each)."""

    def __init__(
        self,
        url: str,
        max_step_tokens: int = 256,
        temperature: float = 1.0,
        stop: Sequence[str] = (STEP_TAG,),
        post: Callable[[str, dict[str, Any]], Any] = http_post,
    ) -> None:
        self.url = url.rstrip("/") + "/generate"
        self.params = {"max_new_tokens": max_step_tokens, "temperature": temperature, "stop": list(stop)}
        self.post = post

    def expand(self, requests: Sequence[Expansion]) -> list[list[Step]]:
        """StepGenerator: ``n`` samples per prefix, stop string kept (``no_stop_trim``)."""
        out = []
        for r in requests:
            answer = self.post(
                self.url, {"text": r.prefix, "sampling_params": {**self.params, "n": r.n, "no_stop_trim": True}}
            )
            items = answer if isinstance(answer, list) else [answer]
            out.append([Step(item["text"], int(item["meta_info"]["completion_tokens"])) for item in items])
        return out


class SglangTagScorer:
    """Math-Shepherd-style PRM on an SGLang server: ``P(+)`` after the step tag from ``output_top_logprobs``."""

    def __init__(
        self,
        url: str,
        plus_id: int,
        minus_id: int,
        tag: str = STEP_TAG,
        top: int = 20,
        post: Callable[[str, dict[str, Any]], Any] = http_post,
    ) -> None:
        self.url = url.rstrip("/") + "/generate"
        self.plus_id, self.minus_id, self.tag, self.top = plus_id, minus_id, tag, top
        self.post = post

    def score(self, requests: Sequence[Scoring]) -> list[float | None]:
        """StepScorer: one single-token request per step."""
        scores = []
        for r in requests:
            answer = self.post(
                self.url,
                {
                    "text": r.prefix + _tagged(r.step.text, self.tag),
                    "sampling_params": {"max_new_tokens": 1, "temperature": 0.0},
                    "return_logprob": True,
                    "top_logprobs_num": self.top,
                },
            )
            first = answer["meta_info"]["output_top_logprobs"][0]  # [logprob, token id, text] per entry
            scores.append(_plus_probability({int(e[1]): float(e[0]) for e in first}, self.plus_id, self.minus_id))
        return scores


class SentenceEmbedder:
    """StepEmbedder over a sentence-transformers model (ETS: ``math-similarity/Bert-MLM_arXiv-MP-class_zbMath``)."""

    def __init__(self, model: Any, batch_size: int = 64) -> None:
        self.model = model
        self.batch_size = batch_size

    def embed(self, steps: Sequence[Step]) -> Any:
        """One row per step text."""
        return self.model.encode([step.text for step in steps], batch_size=self.batch_size)
