"""IR-level tests of the pod-packing builder (models.podpack)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from schedkit.models import ModelError, ResourceKind, Sense, Solution, TaskAssignment, TermKind
from schedkit.models.io import problem_from_dict, problem_to_dict
from schedkit.models.podpack import Node, Pod, from_scenario, placement, podpack, summarize

SCENARIO_FILE = "podpack/scenarios_nodes4_pods16_prio4_util095.json"


def benchmarks_dir() -> Path:
    env = os.environ.get("SCHEDKIT_BENCHMARKS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks"


def load_scenarios() -> list[dict]:
    path = benchmarks_dir() / SCENARIO_FILE
    if not path.is_file():
        pytest.skip(f"shared benchmarks not found at {path}")
    return json.loads(path.read_text())


NODES = [Node("n1", 1000, 1000), Node("n2", 500, 2000)]
PODS = [
    Pod("a", 800, 500, priority=3, node="n1", protected=True),  # fits n1 only
    Pod("b", 400, 1500, priority=2, node="n2"),  # fits n2 only (memory)
    Pod("c", 200, 200, priority=2),  # pending, fits both
    Pod("d", 2000, 10, priority=5),  # fits no node
    Pod("e", 100, 100, priority=1, node="n1"),
]


def tiny():
    return podpack(NODES, PODS, name="tiny")


def test_resources_are_two_bins_per_node():
    problem = tiny()
    assert [(r.name, r.kind, r.capacity) for r in problem.resources] == [
        ("n1.cpu", ResourceKind.BIN, 1000),
        ("n1.mem", ResourceKind.BIN, 1000),
        ("n2.cpu", ResourceKind.BIN, 500),
        ("n2.mem", ResourceKind.BIN, 2000),
    ]


def test_tasks_modes_references_and_pins():
    problem = tiny()
    assert [t.name for t in problem.tasks] == ["a", "b", "c", "e"]
    assert all(t.optional and t.value == 1 for t in problem.tasks)
    locations = {t.name: [m.location for m in t.modes] for t in problem.tasks}
    assert locations == {"a": ["n1"], "b": ["n2"], "c": ["n1", "n2"], "e": ["n1", "n2"]}
    assert all(m.duration == 0 for t in problem.tasks for m in t.modes)
    c = problem.tasks[2]
    names = {i: r.name for i, r in enumerate(problem.resources)}
    assert [{names[d.resource]: d.amount for d in m.demands} for m in c.modes] == [
        {"n1.cpu": 200, "n1.mem": 200},
        {"n2.cpu": 200, "n2.mem": 200},
    ]
    a, b, _, e = problem.tasks
    assert a.pin is not None and a.pin.present is True and a.pin.mode == 0
    assert b.pin is None and c.reference is None
    assert (b.reference.mode, b.reference.move_cost, b.reference.evict_cost) == (0, 2, 1)
    assert e.reference.mode == 0


def test_unplaceable_pod_is_listed_in_meta():
    problem = tiny()
    assert "d" not in problem.task_index
    assert problem.meta["unplaceable"] == [{"name": "d", "priority": 5, "cpu": 2000, "memory": 10}]
    assert problem.meta["pods"] == ["a", "b", "c", "e"]
    assert problem.meta["priorities"] == [3, 2, 2, 1]


def test_objective_levels_per_priority_tier():
    problem = tiny()
    assert problem.meta["tiers"] == [3, 2, 1]
    levels = problem.objective.levels
    summary = [(lv.name, lv.sense, lv.terms[0].kind, lv.terms[0].tasks) for lv in levels]
    assert summary == [
        ("placed>=3", Sense.MAXIMIZE, TermKind.PRESENT_VALUE, (0,)),
        ("disruption>=3", Sense.MINIMIZE, TermKind.DISRUPTION, (0,)),
        ("placed>=2", Sense.MAXIMIZE, TermKind.PRESENT_VALUE, (0, 1, 2)),
        ("disruption>=2", Sense.MINIMIZE, TermKind.DISRUPTION, (0, 1)),
        ("placed>=1", Sense.MAXIMIZE, TermKind.PRESENT_VALUE, (0, 1, 2, 3)),
        ("disruption>=1", Sense.MINIMIZE, TermKind.DISRUPTION, (0, 1, 3)),
    ]


def test_after_placement_order_puts_one_disruption_level_last():
    problem = podpack(NODES, PODS, disruption_order="after_placement", move_cost=1)
    summary = [(lv.name, lv.sense, lv.terms[0].kind, lv.terms[0].tasks) for lv in problem.objective.levels]
    assert summary == [
        ("placed>=3", Sense.MAXIMIZE, TermKind.PRESENT_VALUE, (0,)),
        ("placed>=2", Sense.MAXIMIZE, TermKind.PRESENT_VALUE, (0, 1, 2)),
        ("placed>=1", Sense.MAXIMIZE, TermKind.PRESENT_VALUE, (0, 1, 2, 3)),
        ("disruption", Sense.MINIMIZE, TermKind.DISRUPTION, (0, 1, 3)),
    ]
    assert all(t.reference.move_cost == 1 for t in problem.tasks if t.reference is not None)
    with pytest.raises(ModelError, match=r"podpack, field 'disruption_order'"):
        podpack(NODES, PODS, disruption_order="sometimes")


def test_json_round_trip():
    problem = tiny()
    again = problem_from_dict(json.loads(json.dumps(problem_to_dict(problem))))
    assert again == problem
    assert again.meta == problem.meta


def test_summary_of_a_hand_solution():
    problem = tiny()
    # a stays on n1, b evicted, c placed on n2, e moved to n2
    solution = Solution(
        (
            TaskAssignment(True, 0, 0),
            TaskAssignment(False, None, None),
            TaskAssignment(True, 1, 0),
            TaskAssignment(True, 1, 0),
        )
    )
    summary = summarize(problem, solution)
    assert summary.placed_by_priority == {5: 0, 3: 1, 2: 1, 1: 1}
    assert summary.total_by_priority == {5: 1, 3: 1, 2: 2, 1: 1}
    assert list(summary.placed_by_priority) == [5, 3, 2, 1]
    assert (summary.moved, summary.evicted, summary.disrupted, summary.disruption) == (1, 1, 2, 3)
    assert placement(problem, solution) == {"a": "n1", "b": None, "c": "n2", "e": "n2"}


@pytest.mark.parametrize(
    ("nodes", "pods", "pattern"),
    [
        (NODES, [Pod("p", 900, 100, 1, node="n2", protected=True)], r"pod 'p' \(#0\), field 'node'.*'n2' alone"),
        (NODES, [Pod("p", 10, 10, 1, node="n9")], r"pod 'p' \(#0\), field 'node'.*'n9'"),
        (NODES, [Pod("p", 10, 10, 1, protected=True)], r"pod 'p' \(#0\), field 'protected'"),
        (NODES, [Pod("p", -1, 10, 1)], r"pod 'p' \(#0\), field 'cpu'"),
        (NODES, [Pod("p", 1, 1, 1.5)], r"pod 'p' \(#0\), field 'priority'"),
        (NODES, [Pod("p", 1, 1, 1), Pod("p", 1, 1, 1)], r"pod 'p' \(#1\), field 'name'"),
        ([Node("n", 1, 1), Node("n", 2, 2)], [], r"node 'n' \(#1\), field 'name'"),
        ([Node("n", 1, -5)], [], r"node 'n' \(#0\), field 'memory'"),
        (
            NODES,
            [Pod("p", 600, 10, 1, node="n1", protected=True), Pod("q", 600, 10, 1, node="n1", protected=True)],
            r"node 'n1', field 'protected pods'.*'p', 'q'",
        ),
    ],
)
def test_bad_input_raises_model_errors(nodes, pods, pattern):
    with pytest.raises(ModelError, match=pattern):
        podpack(nodes, pods)


def test_zero_request_has_no_demand():
    problem = podpack([Node("n", 10, 10)], [Pod("p", 0, 5, 1)])
    assert [problem.resources[d.resource].name for d in problem.tasks[0].modes[0].demands] == ["n.mem"]


# --------------------------------------------------------------- scenarios
def test_from_scenario_on_shared_scenarios():
    scenarios = load_scenarios()
    assert len(scenarios) == 7
    for scenario in scenarios:
        problem = from_scenario(scenario)
        assert problem.name == f"{scenario['config']}_seed{scenario['seed']}"
        nodes = scenario["nodes"]
        pods = scenario["pods"]
        caps = {r.name: r.capacity for r in problem.resources}
        assert caps == {
            **{f"{n['name']}.cpu": n["cap_cpu_m"] for n in nodes},
            **{f"{n['name']}.mem": n["cap_mem_bytes"] for n in nodes},
        }
        placeable = problem.num_tasks + len(problem.meta["unplaceable"])
        assert placeable == len(pods) == scenario["num_pods"]
        priorities = sorted({p["priority"] for p in pods}, reverse=True)
        assert problem.meta["tiers"] == priorities
        assert len(problem.objective.levels) == 2 * len(priorities)
        for pod in pods:
            task = problem.tasks[problem.task_index[pod["name"]]]
            if pod["default_node"] is None:
                assert task.reference is None
            else:
                assert task.modes[task.reference.mode].location == pod["default_node"]

        # The default scheduler's placement is a solution that fits every bin, places the
        # recorded counts and disrupts nothing.
        assignments = []
        load = {name: 0 for name in caps}
        for task in problem.tasks:
            if task.reference is None:
                assignments.append(TaskAssignment(False, None, None))
                continue
            assignments.append(TaskAssignment(True, task.reference.mode, 0))
            for d in task.modes[task.reference.mode].demands:
                load[problem.resources[d.resource].name] += d.amount
        assert all(load[name] <= caps[name] for name in caps)
        summary = summarize(problem, Solution(tuple(assignments)))
        reference = scenario["reference"]
        assert {str(p): n for p, n in summary.total_by_priority.items()} == reference["total_by_priority"]
        placed = {str(p): n for p, n in summary.placed_by_priority.items()}
        assert placed == reference["default_placed_by_priority"]
        assert summary.disruption == 0


def test_from_scenario_passes_options():
    scenario = load_scenarios()[0]
    problem = from_scenario(scenario, disruption_order="after_placement", move_cost=1)
    assert problem.objective.levels[-1].name == "disruption"
    assert problem.meta["disruption_order"] == "after_placement"
    assert all(t.reference.move_cost == 1 for t in problem.tasks if t.reference is not None)


def test_from_scenario_missing_field():
    scenario = {"nodes": [{"name": "n", "cap_cpu_m": 5}], "pods": []}
    with pytest.raises(ModelError, match=r"nodes\[0\]\.cap_mem_bytes.*missing"):
        from_scenario(scenario)


def test_from_scenario_json_round_trip():
    scenario = load_scenarios()[0]
    problem = from_scenario(scenario)
    again = problem_from_dict(json.loads(json.dumps(problem_to_dict(problem))))
    assert again == problem
