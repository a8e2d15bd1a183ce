"""The serving loop: the stub vLLM example runs end to end, and the SGLang adapters speak its HTTP API."""

from __future__ import annotations

import math
import runpy
from pathlib import Path

import pytest

from schedkit.models.kvtree import Expansion, Scoring, SearchNode, Step
from schedkit.solvers.methods.tree_search.serving import SglangGenerator, SglangTagScorer

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ets_serving_loop.py"


@pytest.mark.parametrize("method", ["ets", "rebase"])
def test_stub_serving_example_runs(method, capsys):
    example = runpy.run_path(str(EXAMPLE))
    result = example["main"](width=8, method=method)
    out = capsys.readouterr().out
    assert f"{method} N=8" in out and "KV: total" in out
    assert result.answers and all(n.text.endswith("ки") for n in result.nodes[1:])
    assert result.weighted_vote().answer in {"72", "70"}
    assert all(0.0 < n.score < 1.0 for n in result.nodes[1:])


def test_sglang_adapters_build_the_documented_requests():
    calls = []

    def post(url, body):
        calls.append((url, body))
        if "return_logprob" in body:
            top = [[math.log(0.6), 648, "+"], [math.log(0.2), 387, "-"], [math.log(0.1), 5, "x"]]
            return {"text": "+", "meta_info": {"output_top_logprobs": [top]}}
        n = body["sampling_params"]["n"]
        return [{"text": f"Step {i} ки", "meta_info": {"completion_tokens": 3 + i}} for i in range(n)]

    node = SearchNode(0, None, 0, "Q ", 2, 2, 1.0)
    generator = SglangGenerator("http://policy:30000/", post=post)
    (steps,) = generator.expand([Expansion(node, "Q ", 2)])
    assert steps == [Step("Step 0 ки", 3), Step("Step 1 ки", 4)]
    url, body = calls[0]
    assert url == "http://policy:30000/generate"
    assert body["sampling_params"] == {
        "max_new_tokens": 256,
        "temperature": 1.0,
        "stop": ["ки"],
        "n": 2,
        "no_stop_trim": True,
    }
    scorer = SglangTagScorer("http://prm:30020", plus_id=648, minus_id=387, post=post)
    (score,) = scorer.score([Scoring(node, "Q ", Step("Step 1: x", 4))])
    assert score == pytest.approx(0.75)
    assert calls[-1][1]["text"] == "Q Step 1: x ки"  # the tag is appended when the step lacks it
