"""The heuristic registry: which rules apply, auto, warm starts through solve(), run_heuristic()."""

from __future__ import annotations

import pytest

from schedkit.heuristics.registry import HeuristicError, all_rules, rules_for, run_rule
from schedkit.instances import bundled, read
from schedkit.solvers import Status, check, evaluate, run_heuristic, solve
from tests.random_families import random_instance


@pytest.mark.parametrize(
    ("family", "expected"),
    [("tardiness", "mddc"), ("jobshop", "mwkr"), ("fjsp", "fdd_mwkr"), ("rcpsp", "sgs_parallel")],
)
def test_rules_apply_by_structure(family: str, expected: str) -> None:
    problem = random_instance(family, 0 if family != "rcpsp" else 1)
    if family == "rcpsp" and not rules_for(problem):
        pytest.skip("this seed uses constructs the SGS refuses")
    assert expected in rules_for(problem)


@pytest.mark.parametrize("family", ["pipelining", "podpack", "kvtree"])
def test_no_rule_for_the_other_families(family: str) -> None:
    problem = random_instance(family, 0)
    assert rules_for(problem) == []
    result = solve(problem, warm_start="auto", time_limit=10, threads=1)
    assert result.status == Status.OPTIMAL
    assert "no heuristic applies" in result.stats["warm_start"]["note"]


@pytest.mark.parametrize("name", ["js3x3", "wt5.txt", "rcpsp8.sm"])
def test_every_applicable_rule_gives_a_checked_schedule(name: str) -> None:
    problem = read(bundled(name), index=0) if name.startswith("wt") else read(bundled(name))
    rules = rules_for(problem)
    assert rules
    for rule in rules:
        solution = run_rule(problem, rule)
        assert check(problem, solution) == [], rule


def test_auto_is_the_best_candidate_and_warm_starts_cpsat() -> None:
    problem = read(bundled("js3x3"))
    auto = run_heuristic(problem, "auto")
    values = [evaluate(problem, run_rule(problem, rule))[0] for rule in rules_for(problem)]
    assert auto.objective == min(values)
    result = solve(problem, warm_start="auto", time_limit=10)
    info = result.stats["warm_start"]
    assert info["chosen"] in rules_for(problem)
    assert info["objectives"] == [auto.objective]
    assert result.stats["hint_complete"] is True
    assert result.objective <= auto.objective


def test_named_rule_warm_starts_the_mip() -> None:
    problem = read(bundled("js3x3"))
    result = solve(problem, backend="mip", warm_start="mwkr")
    assert result.stats["warm_start"]["rule"] == "mwkr"
    assert result.stats["warm_start_violations"] == 0
    assert result.status == Status.OPTIMAL


def test_run_heuristic_result() -> None:
    problem = read(bundled("js3x3"))
    result = run_heuristic(problem, "fifo")
    assert result.status == Status.FEASIBLE and result.backend == "heuristic:fifo"
    assert result.lower_bound is None and result.violations == []


def test_unknown_or_inapplicable_rules_are_refused() -> None:
    problem = read(bundled("js3x3"))
    with pytest.raises(HeuristicError, match="unknown heuristic"):
        run_rule(problem, "magic")
    with pytest.raises(HeuristicError, match="does not apply"):
        run_rule(problem, "edd")
    with pytest.raises(HeuristicError, match="sgs_serial"):
        run_rule(random_instance("kvtree", 0), "sgs_serial")
    with pytest.raises(ValueError, match="unknown heuristic"):
        solve(problem, warm_start="magic")
    assert "mwkr" in all_rules() and "edd" in all_rules()
