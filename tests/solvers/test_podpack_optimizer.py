"""The "Priority Matters" optimizer: reference optima, exhaustive checks, plans, modes, the paper's time budget."""

from __future__ import annotations

import json

import pytest

from schedkit.models.podpack import (
    Node,
    Plan,
    Pod,
    from_scenario,
    placement_of,
    podpack,
    request_payload,
    solution_from_placement,
)
from schedkit.solvers import check, evaluate
from schedkit.solvers.methods.podpack import (
    PaperBudget,
    answer_request,
    make_budget,
    optimize,
    settle,
    settled_tiers,
)
from schedkit.solvers.result import Status
from tests.solvers.podpack_enumeration import key, optimum, random_problem

SCENARIOS = "podpack/scenarios_nodes4_pods16_prio4_util095.json"
IMPROVED_PER_TIER = {484806185843093489, 1420052706459400740}
"""The shared scenarios where the paper's per-tier order places more pods than the recorded default."""


def scenarios(benchmarks):
    return json.loads((benchmarks / SCENARIOS).read_text())


@pytest.mark.parametrize("index", range(7))
@pytest.mark.parametrize("backend", ["mip", "cpsat"])
def test_reaches_the_shared_reference_optima(benchmarks, backend, index):
    """after_placement with moves and evictions counted alike is the definition of the reference optima."""
    params = {"symmetry_level": 4} if backend == "cpsat" else None  # identical nodes: CP-SAT needs symmetry
    for scenario in scenarios(benchmarks)[index : index + 1]:
        problem = from_scenario(scenario, disruption_order="after_placement", move_cost=1)
        answer = optimize(problem, backend=backend, time_limit=30, budget="default", params=params)
        reference = scenario["reference"]
        assert answer.status == Status.OPTIMAL
        assert {str(p): n for p, n in answer.summary.placed_by_priority.items()} == reference[
            "optimal_placed_by_priority"
        ]
        assert answer.summary.disrupted == reference["optimal_min_disruption"]


def test_per_tier_improves_two_scenarios_and_proves_the_default_optimal_in_five(benchmarks):
    improved, certified = set(), set()
    for scenario in scenarios(benchmarks):
        problem = from_scenario(scenario)
        answer = optimize(problem, time_limit=5)
        assert answer.status == Status.OPTIMAL
        (improved if answer.improved else certified).add(scenario["seed"])
        if not answer.improved:
            assert answer.plan.empty  # the default was optimal: nothing to change
    assert improved == IMPROVED_PER_TIER and len(certified) == 5


def test_plans_applied_to_the_running_placement_give_the_optimizer_placement(benchmarks):
    for scenario in scenarios(benchmarks):
        problem = from_scenario(scenario)
        answer = optimize(problem, time_limit=5)
        plan = Plan.from_dict(json.loads(json.dumps(answer.plan.to_dict())))
        applied = plan.apply(answer.running)
        assert applied == answer.placement == placement_of(problem, answer.solution)
        assert check(problem, solution_from_placement(problem, applied)) == []
        moved = {m.pod for m in plan.moves}
        evicted = {e.pod for e in plan.evictions}
        assert (len(moved), len(evicted)) == (answer.summary.moved, answer.summary.evicted)


@pytest.mark.parametrize("order", ["per_tier", "after_placement"])
@pytest.mark.parametrize("seed", range(8))
def test_optimum_matches_exhaustive_enumeration(seed, order):
    problem = random_problem(seed, order)
    answer = optimize(problem, time_limit=10, budget="default")
    assert answer.status == Status.OPTIMAL
    assert evaluate(problem, answer.solution) == optimum(problem)
    running = evaluate(problem, solution_from_placement(problem, answer.running))
    assert key(problem, optimum(problem)) <= key(problem, running)


def test_order_of_the_levels_decides_what_is_optimal():
    """Room for x needs h2 moved: after_placement allows it, per_tier has locked the p5 pods in place."""
    nodes = [Node("n1", 1000, 1000), Node("n2", 1000, 1000)]
    pods = [
        Pod("h1", 500, 10, 5, node="n1"),
        Pod("l1", 300, 10, 1, node="n1"),
        Pod("h2", 500, 10, 5, node="n2"),
        Pod("l2", 300, 10, 1, node="n2"),
        Pod("x", 600, 10, 3),
    ]
    tiered = optimize(podpack(nodes, pods), time_limit=5)
    assert not tiered.improved and tiered.plan.empty and tiered.status == Status.OPTIMAL
    after = optimize(podpack(nodes, pods, disruption_order="after_placement", move_cost=1), time_limit=5)
    assert after.improved and after.placement["x"] == "n2"
    assert after.summary.placed_by_priority == {5: 2, 3: 1, 1: 1}


def test_protected_pods_stay_and_the_preemptor_is_placed():
    nodes = [Node("n1", 1000, 1000)]
    pods = [
        Pod("keep", 600, 10, 1, node="n1", protected=True),
        Pod("other", 300, 10, 1, node="n1"),
        Pod("urgent", 400, 10, 1),
    ]
    answer = optimize(podpack(nodes, pods, preemptor="urgent"), time_limit=5)
    assert answer.placement == {"keep": "n1", "other": None, "urgent": "n1"}
    free = optimize(podpack(nodes, pods), time_limit=5)
    assert free.plan.empty  # without the mode, evicting "other" for "urgent" is a loss of nothing and a disruption


def test_require_pending_places_one_pending_pod():
    nodes = [Node("n1", 1000, 1000)]
    pods = [Pod("a", 600, 10, 2, node="n1"), Pod("b", 500, 10, 2)]
    answer = optimize(podpack(nodes, pods, require_pending=True), time_limit=5)
    assert answer.placement["b"] == "n1" and answer.placement["a"] is None  # a forced swap, as in the plugin


def test_answer_request_speaks_the_plugin_protocol():
    nodes = [Node("n1", 1000, 1000), Node("n2", 1000, 1000)]
    pods = [Pod("a", 600, 10, 2, node="n1"), Pod("b", 600, 10, 1, node="n2"), Pod("c", 500, 10, 2)]
    out = answer_request(request_payload(nodes, pods, timeout_ms=1000))
    assert out["status"] == "OPTIMAL"
    assert out["evictions"] == [{"uid": "b", "name": "b", "namespace": "", "node": "n2"}]
    assert out["placements"] == [{"uid": "c", "name": "c", "namespace": "", "old_node": "", "node": "n2"}]
    assert [(p["tier"], p["stage"]) for p in out["phases"]] == [
        (2, "place"),
        (2, "disruption"),
        (1, "place"),
        (1, "disruption"),
    ]
    assert answer_request({"solver_input": {"nodes": [], "pods": []}}) == {"status": "NO_NODES"}
    assert answer_request(request_payload(nodes, [])) == {"status": "NO_PODS"}
    full = request_payload(nodes, [Pod("z", 5000, 1, 1)])
    assert answer_request(full)["status"] == "INFEASIBLE"


# ------------------------------------------------------------- time budget
def test_paper_budget_worked_example():
    """1 s timeout, T = 0.8 s, 4 tiers, the plugin's fractions g = 0.4, m = 0.3 (see the module docstring)."""
    budget = PaperBudget(0.4, 0.3, [(t, s) for t in range(4) for s in ("place", "disruption")])
    total = 0.8
    assert budget(0, 8, 0.8, total) == pytest.approx(0.56 * 0.7)  # cap = 0.32 / 4 + 0.48 = 0.56
    assert budget(1, 8, 0.78, total) == pytest.approx(0.54)  # placement took 20 ms: the rest of the cap
    # tier 2 after 0.1 s in all: pool 0.38 left, guaranteed 0.32 over 3 tiers
    assert budget(2, 8, 0.7, total) == pytest.approx((0.32 / 3 + 0.38) * 0.7)
    # after 0.6 s: the pool is gone and 0.12 of the guaranteed part was used, 0.2 left over 2 tiers
    assert budget(4, 8, 0.2, total) == pytest.approx(0.1 * 0.7)
    assert budget(6, 8, 0.1, total) == pytest.approx(0.1 * 0.7)  # the last tier gets all that is left


def test_budget_names_and_levels_of_a_problem():
    problem = podpack([Node("n", 10, 10)], [Pod("a", 1, 1, 2), Pod("b", 1, 1, 1)])
    split, pad = make_budget(problem, "paper")
    assert isinstance(split, PaperBudget) and (split.guaranteed, split.move_fraction, pad) == (0.6, 0.5, 0.2)
    assert split.stages == [(0, "place"), (0, "disruption"), (1, "place"), (1, "disruption")]
    plugin, _ = make_budget(problem, "plugin")
    assert (plugin.guaranteed, plugin.move_fraction) == (0.4, 0.3)
    assert make_budget(problem, "default") == (None, 0.0)
    after = podpack([Node("n", 10, 10)], [Pod("a", 1, 1, 2)], disruption_order="after_placement")
    assert PaperBudget.for_problem(after).stages == [(0, "place"), (1, "disruption")]
    with pytest.raises(ValueError, match="budget must be one of"):
        make_budget(problem, "fast")
    with pytest.raises(ValueError, match="guaranteed must be in"):
        PaperBudget(1.5)


@pytest.mark.parametrize("backend", ["cpsat", "mip"])
@pytest.mark.parametrize("budget", ["paper", "plugin", "default"])
def test_every_budget_and_backend_returns_a_checked_plan(backend, budget):
    problem = random_problem(3)
    answer = optimize(problem, backend=backend, time_limit=2, budget=budget)
    assert answer.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert check(problem, answer.solution) == []
    assert answer.budget["name"] == budget


def test_the_time_split_is_handed_to_the_lexicographic_loop():
    calls = []

    def split(level: int, n_levels: int, time_left: float, total: float) -> float:
        calls.append((level, n_levels, round(total, 3)))
        return time_left / 2

    problem = random_problem(1)
    answer = optimize(problem, time_limit=2, budget=split, settle_tiers=False)
    assert answer.status == Status.OPTIMAL
    n = len(problem.objective.levels)
    assert calls == [(k, n, 2.0) for k in range(n)]  # a custom split gets the whole limit (no pad)


def test_settled_tiers_are_skipped_without_changing_the_answer():
    nodes = [Node("n1", 1000, 1000), Node("n2", 1000, 1000)]
    pods = [
        Pod("top", 600, 10, 3, node="n1"),
        Pod("mid", 300, 10, 2, node="n2"),
        Pod("low", 500, 10, 1, node="n2"),
        Pod("new", 600, 10, 1),
        Pod("late", 300, 10, 2),
    ]
    problem = podpack(nodes, pods)
    assert settled_tiers(problem) == 1  # p3 all running; p2 has a pending pod
    reduced = settle(problem, 1)
    assert [lv.name for lv in reduced.objective.levels] == ["placed>=2", "disruption>=2", "placed>=1", "disruption>=1"]
    assert reduced.tasks[0].pin is not None and reduced.meta["settled_tiers"] == 1
    on, off = optimize(problem, time_limit=5), optimize(problem, time_limit=5, settle_tiers=False)
    assert on.settled_tiers == 1 and off.settled_tiers == 0
    assert on.objectives == off.objectives == evaluate(problem, on.solution)
    assert [(lv.index, lv.name, lv.status) for lv in on.levels[:2]] == [
        (0, "placed>=3", Status.OPTIMAL),
        (1, "disruption>=3", Status.OPTIMAL),
    ]
    assert [lv.index for lv in on.levels] == [0, 1, 2, 3, 4, 5]
    assert on.levels[0].objective == on.levels[0].bound == 1
    assert settled_tiers(podpack(nodes, pods, disruption_order="after_placement")) == 0
    assert settled_tiers(podpack(nodes, pods, require_pending=True)) == 0  # the running placement breaks the mode


def test_everything_settled_means_nothing_to_solve():
    problem = podpack([Node("n1", 1000, 1000)], [Pod("a", 100, 10, 2, node="n1"), Pod("b", 100, 10, 1, node="n1")])
    answer = optimize(problem, time_limit=1)
    assert answer.status == Status.OPTIMAL and answer.plan.empty and answer.result is None
    assert answer.settled_tiers == 2 and all(lv.status == Status.OPTIMAL for lv in answer.levels)
