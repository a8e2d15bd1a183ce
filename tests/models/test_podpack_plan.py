"""Plans, placements, the plugin's JSON and the plugin modes of the pod-packing model."""

from __future__ import annotations

import json

import pytest

from schedkit.models import ModelError, Solution, TaskAssignment
from schedkit.models.podpack import (
    Bind,
    Eviction,
    ModeInfeasible,
    Move,
    Node,
    Plan,
    Pod,
    compare_placed,
    diff,
    from_scenario,
    nodes_of,
    parse_request,
    placement_of,
    plugin_output,
    podpack,
    pods_of,
    problem_from_request,
    request_payload,
    running_placement,
    running_solution,
    solution_from_placement,
    to_scenario,
)

NODES = [Node("n1", 1000, 1000), Node("n2", 1000, 1000)]
PODS = [
    Pod("a", 600, 100, 2, node="n1", replicaset="rs-a"),
    Pod("b", 600, 100, 1, node="n2"),
    Pod("c", 500, 100, 2),
    Pod("d", 5000, 1, 3),  # fits no node
]


# ------------------------------------------------------------------ plans
def test_diff_lists_binds_moves_and_evictions_and_apply_inverts_it():
    running = {"a": "n1", "b": "n2", "c": None, "d": None, "e": "n1"}
    target = {"a": "n1", "b": None, "c": "n2", "d": None, "e": "n2"}
    plan = diff(running, target)
    assert plan.binds == (Bind("c", "n2"),)
    assert plan.moves == (Move("e", "n1", "n2"),)
    assert plan.evictions == (Eviction("b", "n2"),)
    assert plan.apply(running) == target
    assert diff(running, running).empty


def test_plan_json_round_trip_and_errors():
    plan = Plan((Bind("c", "n2"),), (Move("e", "n1", "n2"),), (Eviction("b", "n2"),))
    data = json.loads(json.dumps(plan.to_dict()))
    assert data == {
        "binds": [{"pod": "c", "node": "n2"}],
        "moves": [{"pod": "e", "from": "n1", "to": "n2"}],
        "evictions": [{"pod": "b", "node": "n2"}],
    }
    assert Plan.from_dict(data) == plan
    with pytest.raises(ModelError, match=r"field 'moves\[0\]\.to'"):
        Plan.from_dict({"moves": [{"pod": "e", "from": "n1"}]})
    with pytest.raises(ModelError, match=r"field 'bindings'.*unknown key"):
        Plan.from_dict({"bindings": []})


def test_apply_refuses_a_plan_for_another_state():
    plan = Plan(moves=(Move("a", "n2", "n1"),))
    with pytest.raises(ValueError, match=r"cannot move pod 'a': it is on 'n1', the plan expects it on 'n2'"):
        plan.apply({"a": "n1"})
    with pytest.raises(ValueError, match=r"cannot bind pod 'a': it is on 'n1'"):
        Plan(binds=(Bind("a", "n2"),)).apply({"a": "n1"})
    with pytest.raises(ValueError, match="does not know it"):
        Plan(evictions=(Eviction("z", "n1"),)).apply({"a": "n1"})


# ------------------------------------------------------------- states
def test_cluster_and_running_state_back_from_the_problem():
    problem = podpack(NODES, PODS)
    assert nodes_of(problem) == NODES
    assert pods_of(problem) == PODS[:3] + [Pod("d", 5000, 1, 3)]
    assert running_placement(problem) == {"a": "n1", "b": "n2", "c": None, "d": None}
    solution = running_solution(problem)
    assert solution.tasks == (TaskAssignment(True, 0, 0), TaskAssignment(True, 1, 0), TaskAssignment(False, None, None))
    assert placement_of(problem, solution) == running_placement(problem)
    moved = solution_from_placement(problem, {"a": "n2", "c": "n1"})
    assert placement_of(problem, moved) == {"a": "n2", "b": None, "c": "n1", "d": None}
    with pytest.raises(ValueError, match=r"pod 'a': node 'n9'"):
        solution_from_placement(problem, {"a": "n9"})


def test_compare_placed_is_lexicographic_from_the_highest_priority():
    assert compare_placed({3: 2, 1: 0}, {3: 1, 1: 9}) == 1
    assert compare_placed({3: 1, 1: 9}, {3: 2, 1: 0}) == -1
    assert compare_placed({2: 4, 1: 3}, {2: 4, 1: 2}) == 1
    assert compare_placed({2: 4}, {2: 4, 1: 0}) == 0


def test_to_scenario_round_trips_through_from_scenario():
    scenario = to_scenario(NODES, PODS[:3], seed=5, config="tiny")
    problem = from_scenario(scenario)
    assert problem.name == "tiny_seed5"
    assert running_placement(problem) == {"a": "n1", "b": "n2", "c": None}
    assert scenario["pods"][0]["replicaset"] == "rs-a"


# ---------------------------------------------------------------- modes
def test_require_pending_adds_a_selection_over_the_pending_pods():
    problem = podpack(NODES, PODS, require_pending=True)
    assert problem.meta["mode"] == "require_pending"
    (selection,) = problem.selections
    assert selection.tasks == (problem.task_index["c"],) and selection.min_present == 1


def test_preemptor_is_pinned_present_on_any_node():
    problem = podpack(NODES, PODS, preemptor="c")
    task = problem.tasks[problem.task_index["c"]]
    assert task.pin is not None and task.pin.present is True and task.pin.mode is None
    assert problem.meta["mode"] == "preemptor" and problem.meta["preemptor"] == "c"


@pytest.mark.parametrize(
    ("options", "error", "pattern"),
    [
        ({"preemptor": "d"}, ModeInfeasible, r"pod 'd', field 'preemptor'.*fits no node"),
        ({"preemptor": "zz"}, ModelError, r"field 'preemptor'.*unknown pod 'zz'"),
        ({"preemptor": "c", "require_pending": True}, ModelError, "exclude each other"),
    ],
)
def test_mode_errors(options, error, pattern):
    with pytest.raises(error, match=pattern):
        podpack(NODES, PODS, **options)


def test_require_pending_without_a_placeable_pending_pod_is_infeasible():
    with pytest.raises(ModeInfeasible, match="no pending pod fits"):
        podpack(NODES, [PODS[0], PODS[3]], require_pending=True)
    with pytest.raises(ModeInfeasible, match="no pod is pending"):
        podpack(NODES, PODS[:2], require_pending=True)


# ----------------------------------------------------------- plugin JSON
def test_plugin_payload_round_trip():
    payload = request_payload(NODES, PODS[:3], timeout_ms=1500, options={"gap_limit": 0.1})
    request = parse_request(json.loads(json.dumps(payload)))
    assert request.nodes == NODES
    assert [(p.name, p.cpu, p.memory, p.priority, p.node) for p in request.pods] == [
        (p.name, p.cpu, p.memory, p.priority, p.node) for p in PODS[:3]
    ]
    assert request.timeout_ms == 1500 and request.options == {"gap_limit": 0.1}
    assert request.pending == ["c"]


def test_plugin_defaults_duplicates_unknown_nodes_and_names():
    payload = {
        "solver_input": {
            "nodes": [{"name": "n1", "cap_cpu_m": 1000, "cap_mem_bytes": 1000}],
            "pods": [
                {"uid": "u1", "namespace": "x", "name": "web", "req_cpu_m": 100},  # priority 0, pending
                {"uid": "u1", "namespace": "x", "name": "web", "req_cpu_m": 100, "node": "n1"},  # upgrade
                {"uid": "u2", "namespace": "y", "name": "web", "req_cpu_m": 10, "node": "gone"},
                {"uid": "u3", "namespace": "y", "name": "db", "protected": True},  # protected but pending
            ],
        }
    }
    request = parse_request(payload)
    assert [p.name for p in request.pods] == ["x/web", "y/web", "y/db"]  # names repeat: namespace/name
    first, second, third = request.pods
    assert (first.priority, first.node, first.memory) == (0, "n1", 0)
    assert second.node is None and "unknown node 'gone'" in request.warnings[0]
    assert third.protected is False
    assert request.identities["x/web"] == {"uid": "u1", "name": "web", "namespace": "x"}
    assert request.timeout_ms == 3000


def test_plugin_preemptor_is_added_when_missing_and_must_be_placed():
    payload = request_payload(NODES, PODS[:2])
    payload["solver_input"]["preemptor"] = {"uid": "p", "name": "urgent", "req_cpu_m": 300, "priority": 5}
    request = parse_request(payload)
    assert request.preemptor == "urgent" and request.pods[-1].node is None
    problem = problem_from_request(request)
    assert problem.meta["mode"] == "preemptor"
    assert problem_from_request(request, mode="free").meta["mode"] == "free"


def test_plugin_flat_payload_and_bad_fields():
    flat = request_payload(NODES, PODS[:1])["solver_input"]
    assert parse_request(flat).nodes == NODES
    with pytest.raises(ModelError, match=r"field 'nodes\[0\]\.cap_cpu_m'.*integer"):
        parse_request({"nodes": [{"name": "n", "cap_cpu_m": "4", "cap_mem_bytes": 1}]})
    with pytest.raises(ModelError, match=r"field 'pods\[0\]\.req_mem_bytes'.*>= 0"):
        parse_request({"nodes": [], "pods": [{"name": "p", "req_mem_bytes": -1}]})
    with pytest.raises(ModelError, match=r"field 'pods\[0\]\.uid'.*needs a uid or a name"):
        parse_request({"nodes": [], "pods": [{"req_cpu_m": 1}]})


def test_plugin_output_reports_moves_and_binds_as_placements():
    plan = Plan((Bind("c", "n2"),), (Move("a", "n1", "n2"),), (Eviction("b", "n2"),))
    identities = {"a": {"uid": "ua", "name": "a", "namespace": "ns"}}
    out = plugin_output(plan, identities, "OPTIMAL", duration_ms=12)
    assert out["placements"] == [
        {"uid": "ua", "name": "a", "namespace": "ns", "old_node": "n1", "node": "n2"},
        {"uid": "c", "name": "c", "namespace": "", "old_node": "", "node": "n2"},
    ]
    assert out["evictions"] == [{"uid": "b", "name": "b", "namespace": "", "node": "n2"}]
    assert out["status"] == "OPTIMAL" and out["duration_ms"] == 12


def test_summary_solution_of_the_wrong_size():
    problem = podpack(NODES, PODS)
    with pytest.raises(ValueError, match="the solution has 1 tasks"):
        placement_of(problem, Solution((TaskAssignment(),)))
