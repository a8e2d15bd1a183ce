"""The search loop: the built-in operator beats EDD on a small budget; bad programs and operators do not stop it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from schedkit.discovery import (
    PROGRAMS,
    DatabaseConfig,
    Evaluator,
    Limits,
    Prompt,
    discover,
    random_edit,
)


def test_builtin_operator_improves_on_edd(small_evaluator: Evaluator, tmp_path: Path) -> None:
    edd = small_evaluator.evaluate(PROGRAMS["edd"])
    log = tmp_path / "samples.jsonl"
    result = discover(small_evaluator, random_edit, budget=6, config=DatabaseConfig(num_islands=3), seed=0, log=log)
    # the template is EDD: same answers, same score
    assert result.initial.score == pytest.approx(edd.score)
    assert result.improved and result.best.score > edd.score
    assert result.best.summary["invalid"] == 0
    # the best program is a real program: evaluated again, it scores the same
    again = small_evaluator.evaluate_source(result.best.source)
    assert again.score == pytest.approx(result.best.score)
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [entry["sample"] for entry in lines] == list(range(7))


GOOD_AND_BAD = [
    "def sequence(p, d, w):\n    return [0] * len(p)\n",
    "def sequence(p, d, w):\n    raise RuntimeError('no idea')\n",
    "def sequence(p, d, w):\n    while True:\n        pass\n",
    "import numpy as np\n\ndef sequence(p, d, w):\n    hoard = []\n    while True:\n"
    "        hoard.append(np.empty(10**7))\n",
    "Here is my answer:\n```python\nimport numpy as np\n\ndef sequence(p, d, w):\n"
    "    return np.argsort(d, kind='stable')\n```\n",
]


def test_bad_programs_and_operators_do_not_stop_the_search(small_evaluator: Evaluator) -> None:
    chosen = [i for i, ref in enumerate(small_evaluator.references) if ref.value > 0][:2]
    evaluator = Evaluator(
        small_evaluator.spec,
        [small_evaluator.instances[i] for i in chosen],
        [small_evaluator.references[i] for i in chosen],
        Limits(seconds_per_instance=0.3, memory_mb=400, startup_seconds=1.0),
    )
    calls = []

    def operator(prompt: Prompt) -> Sequence[str]:
        calls.append(prompt)
        if len(calls) == 1:
            raise ConnectionError("the model server is down")
        return GOOD_AND_BAD

    result = discover(evaluator, operator, budget=6, config=DatabaseConfig(num_islands=2), seed=1)
    history = result.history
    assert result.samples == 6 and len(history) == 7
    assert "ConnectionError" in history[1]["operator_error"]
    failures = [entry["failures"] for entry in history[2:6]]
    assert failures == [{"invalid": 2}, {"exception": 2}, {"timeout": 2}, {"memory": 2}]
    assert all("program" not in entry for entry in history[1:6])  # nothing valid: not registered
    assert history[6]["invalid"] == 0 and "program" in history[6]  # the fenced reply was extracted and registered
    assert result.registered == 1


def test_initial_program_without_a_valid_answer_is_refused(small_evaluator: Evaluator) -> None:
    with pytest.raises(ValueError, match="no valid answer"):
        discover(small_evaluator, random_edit, budget=1, initial="def sequence(p, d, w):\n    return []\n")
