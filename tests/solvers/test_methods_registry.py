"""solve(method=...): a registered method runs with its own options; the checker judges what it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from schedkit.models import ProblemData, Solution
from schedkit.solvers import Status, solve
from schedkit.solvers.backends import run_backend
from schedkit.solvers.methods.registry import METHODS, Method, register
from schedkit.solvers.result import BackendOutcome
from tests.tiny_families import jobshop_tiny, tardiness_tiny


@dataclass(frozen=True)
class RepeatOptions:
    rounds: int = 2

    def validate(self) -> None:
        if self.rounds < 1:
            raise ValueError("rounds must be at least 1")


def _repeat(problem: ProblemData, *, backend, backend_options, options: RepeatOptions, **common: Any) -> BackendOutcome:
    outcome = run_backend(backend, problem, backend_options, **common)
    for _ in range(options.rounds - 1):
        common["warm_start"] = outcome.solution
        outcome = run_backend(backend, problem, backend_options, **common)
    outcome.stats["rounds"] = options.rounds
    return outcome


def _bad(problem: ProblemData, **_: Any) -> BackendOutcome:
    overlapping = Solution.from_lists([0] * problem.num_tasks)
    return BackendOutcome(Status.FEASIBLE, overlapping, [], "none")


@pytest.fixture()
def methods():
    register(Method("repeat", "run the backend again from its own schedule", _repeat, RepeatOptions))
    register(Method("bad", "returns an overlapping schedule", _bad))
    register(
        Method("shops", "declines one machine", _bad, applies=lambda p: "one machine" if p.num_resources == 1 else None)
    )
    yield
    METHODS.pop("repeat")
    METHODS.pop("bad")
    METHODS.pop("shops")


def test_a_method_gets_its_options_and_the_backend_the_rest(methods) -> None:
    result = solve(jobshop_tiny(), method="repeat", rounds=3, params={"num_workers": 1}, time_limit=5)
    assert result.ok and result.stats["rounds"] == 3 and result.stats["method"] == "repeat"
    assert result.backend == "repeat:cpsat"


def test_an_option_neither_takes_names_both(methods) -> None:
    with pytest.raises(
        ValueError, match=r"neither method 'repeat' \(rounds\) nor backend 'cpsat' \(log, params\) takes"
    ):
        solve(jobshop_tiny(), method="repeat", rouns=3)
    with pytest.raises(ValueError, match="rounds must be at least 1"):
        solve(jobshop_tiny(), method="repeat", rounds=0)


def test_the_checker_judges_a_method_like_a_backend(methods) -> None:
    result = solve(jobshop_tiny(), method="bad")
    assert result.status == Status.ERROR and result.violations


def test_unknown_and_inapplicable_methods_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown method 'nope'; known: backend"):
        solve(jobshop_tiny(), method="nope")


def test_a_method_that_does_not_apply_declines(methods) -> None:
    with pytest.raises(ValueError, match="method 'shops' does not apply to this problem: one machine"):
        solve(tardiness_tiny(), method="shops")
