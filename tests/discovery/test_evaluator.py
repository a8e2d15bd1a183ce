"""The evaluator: scores equal directly computed gaps; every kind of bad candidate is penalised, none stops it."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest

from schedkit.discovery import PENALTY_GAP, PROGRAMS, Evaluator, Limits
from schedkit.heuristics.tardiness import RULES
from schedkit.solvers import check, evaluate
from schedkit.solvers.exact_tardiness import solve_exact_tardiness


@pytest.mark.parametrize("rule", ["edd", "mdd", "eddc", "mddc"])
def test_scores_equal_the_gaps_computed_directly(small_evaluator: Evaluator, rule: str) -> None:
    gaps = []
    for instance in small_evaluator.instances:
        optimum = solve_exact_tardiness(instance.problem).optimum
        solution = RULES[rule](instance.problem)
        assert check(instance.problem, solution) == []
        value = evaluate(instance.problem, solution)[0]
        assert optimum is not None
        if optimum > 0:
            gaps.append(100 * (value - optimum) / optimum)
    evaluation = small_evaluator.evaluate(PROGRAMS[rule])
    assert evaluation.invalid == 0
    assert evaluation.mean_gap == pytest.approx(statistics.fmean(gaps), abs=1e-9)
    assert evaluation.score == pytest.approx(-statistics.fmean(gaps), abs=1e-9)


BAD = {
    "repeats": ("def sequence(p, d, w):\n    return [0] * len(p)\n", "invalid", "repeated"),
    "raises": ("def sequence(p, d, w):\n    raise RuntimeError('no idea')\n", "exception", "RuntimeError: no idea"),
    "loops": ("def sequence(p, d, w):\n    while True:\n        pass\n", "timeout", "longer than"),
    "allocates": (
        "import numpy as np\n\ndef sequence(p, d, w):\n    hoard = []\n    while True:\n"
        "        hoard.append(np.empty(10_000_000))\n",
        "memory",
        "memory limit",
    ),
    "writes_input": (
        "def sequence(p, d, w):\n    p[0] = 1\n    return list(range(len(p)))\n",
        "exception",
        "read-only",
    ),
    "misses": ("def sequence(p, d, w):\n    return list(range(len(p) - 1))\n", "invalid", "missing"),
    "floats": ("def sequence(p, d, w):\n    return [0.5] * len(p)\n", "output", "not integers"),
    "syntax": ("def sequence(p, d, w)\n    return []\n", "load", "could not be loaded"),
    "exits": ("import os\n\ndef sequence(p, d, w):\n    os._exit(3)\n", "killed", "exited with code 3"),
    "prints": ("def sequence(p, d, w):\n    while True:\n        print('x' * 1000)\n", "timeout", "longer than"),
}


@pytest.fixture()
def tiny(small_evaluator: Evaluator) -> Evaluator:
    """Three instances with a positive optimum, short limits."""
    chosen = [i for i, ref in enumerate(small_evaluator.references) if ref.value > 0][:3]
    return Evaluator(
        small_evaluator.spec,
        [small_evaluator.instances[i] for i in chosen],
        [small_evaluator.references[i] for i in chosen],
        Limits(seconds_per_instance=0.3, memory_mb=400, startup_seconds=1.0),
    )


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_candidate_is_penalised(tiny: Evaluator, tmp_path: Path, name: str) -> None:
    source, status, reason = BAD[name]
    program = tmp_path / f"{name}.py"
    program.write_text(source)
    evaluation = tiny.evaluate(program)
    assert evaluation.valid == 0 and evaluation.invalid == 3
    assert {item.status for item in evaluation.instances} == {status}
    assert reason in evaluation.instances[0].reason
    assert evaluation.penalised_gap == PENALTY_GAP and evaluation.score == -PENALTY_GAP
    assert evaluation.mean_gap is None


def test_a_candidate_that_swallows_the_timer_is_killed(tiny: Evaluator, tmp_path: Path) -> None:
    program = tmp_path / "stubborn.py"
    program.write_text(
        "def sequence(p, d, w):\n    while True:\n        try:\n            while True:\n                pass\n"
        "        except BaseException:\n            pass\n"
    )
    started = time.perf_counter()
    evaluation = tiny.evaluate(program)
    assert time.perf_counter() - started < tiny.limits.total_seconds(3) + 2
    assert {item.status for item in evaluation.instances} == {"killed"}
    assert "wall-clock budget" in evaluation.instances[0].reason


def test_partly_valid_candidate(tiny: Evaluator, tmp_path: Path) -> None:
    # valid on instances with an even first processing time, a repeated job elsewhere: the penalty only there
    program = tmp_path / "half.py"
    program.write_text(
        "def sequence(p, d, w):\n    n = len(p)\n    return list(range(n)) if p[0] % 2 == 0 else [0] * n\n"
    )
    evaluation = tiny.evaluate(program)
    statuses = [item.status for item in evaluation.instances]
    even = [int(item.arrays["p"][0]) % 2 == 0 for item in tiny.instances]
    assert statuses == ["ok" if e else "invalid" for e in even]
    contributions = [
        min(item.gap, PENALTY_GAP) if item.gap is not None else PENALTY_GAP for item in evaluation.instances
    ]
    assert evaluation.penalised_gap == pytest.approx(statistics.fmean(contributions))
