"""The learned dispatcher: checked schedules, reproducible sampling, a rule of the registry and a warm start."""

from __future__ import annotations

import numpy as np
import pytest

from schedkit.heuristics.registry import all_rules, rules_for, run_rule
from schedkit.heuristics.shop.learned import best_of_rollouts, init_params, learned_dispatch, shop_arrays
from schedkit.heuristics.shop.learned.rollout import spread_temperatures
from schedkit.instances import bundled, read, sd2_fjsp, taillard_jobshop_from_seeds
from schedkit.models.jobshop import jobshop
from schedkit.solvers import Status, check, evaluate, run_heuristic, solve


def test_spread_temperatures_are_the_authors() -> None:
    np.testing.assert_allclose(spread_temperatures(32)[[0, 1, 31]], [0.5, 0.546875, 1.953125])


@pytest.mark.parametrize("seed", [0, 1])
def test_learned_schedules_pass_the_checker_and_are_reproducible(seed: int) -> None:
    rng = np.random.default_rng(seed)
    jobs = [[(int(m), int(rng.integers(1, 20))) for m in rng.permutation(5)] for _ in range(7)]
    problem = jobshop(jobs, release_dates=[int(r) for r in rng.integers(0, 30, 7)])
    first = learned_dispatch(problem, rollouts=6, seed=seed)
    assert check(problem, first) == []
    assert learned_dispatch(problem, rollouts=6, seed=seed) == first


def test_the_best_rollout_is_kept() -> None:
    problem = taillard_jobshop_from_seeds(10, 5, 8, 9)
    starts, makespans = best_of_rollouts(shop_arrays(problem), init_params(0), rollouts=5, seed=2)
    assert len(makespans) == 5
    from schedkit.models import Solution

    assert evaluate(problem, Solution.from_lists(starts))[0] == makespans.min()


def test_learned_is_a_rule_of_the_registry_and_a_warm_start() -> None:
    problem = read(bundled("js3x3"))
    assert "learned" in all_rules() and "learned" not in rules_for(problem)  # by name only: auto stays fast
    heuristic = run_heuristic(problem, "learned")
    assert heuristic.status == Status.FEASIBLE and heuristic.backend == "heuristic:learned"
    assert check(problem, run_rule(problem, "learned")) == []
    result = solve(problem, warm_start="learned", time_limit=10, threads=1)
    assert result.stats["warm_start"]["rule"] == "learned"
    assert result.stats["warm_start"]["objectives"] == [heuristic.objective]
    assert result.objective <= heuristic.objective


def test_learned_refuses_a_flexible_job_shop_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="learned: .*usable modes"):
        run_rule(sd2_fjsp(3, 3, ops_per_job=2, seed=0), "learned")


def test_the_command_line_runs_the_learned_rule_alone_and_as_a_warm_start(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from schedkit.cli import main

    assert main(["solve", str(bundled("js3x3")), "--heuristic", "learned", "--json"]) == 0
    alone = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert alone["backend"] == "heuristic:learned" and alone["status"] == "feasible" and alone["violations"] == []
    args = ["solve", str(bundled("js3x3")), "--warm-start", "learned", "--time-limit", "5", "--threads", "1", "--json"]
    assert main(args) == 0
    warm = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert warm["status"] == "optimal" and warm["objective"] <= alone["objective"]
