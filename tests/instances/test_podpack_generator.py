"""The "Priority Matters" workload generator: determinism, the sizing rule, the shared scenarios regenerated."""

from __future__ import annotations

import json
import math

import pytest

from schedkit.instances.generators.podpack import (
    GRID,
    config_name,
    derive_seed,
    grid,
    kwok_cluster,
    kwok_podpack,
    node_capacity,
    replicaset_sizes,
    seeded_random,
)

SCENARIOS = "podpack/scenarios_nodes4_pods16_prio4_util095.json"


def test_same_seed_same_cluster_other_seed_other_cluster():
    a = kwok_cluster(42, 8, 4, 2, 1.0)
    b = kwok_cluster(42, 8, 4, 2, 1.0)
    c = kwok_cluster(43, 8, 4, 2, 1.0)
    assert a == b and a.pods == b.pods
    assert a.replicasets != c.replicasets


def test_shape_of_a_cluster():
    cluster = kwok_cluster(7, 16, 8, 4, 0.9)
    pods = cluster.pods
    assert len(pods) == 128 and len(cluster.nodes) == 16
    assert [n.name for n in cluster.nodes] == [f"kwok-node-{j}" for j in range(1, 17)]
    assert len({(n.cpu, n.memory) for n in cluster.nodes}) == 1  # homogeneous
    for rs in cluster.replicasets:
        assert 1 <= rs.replicas <= 4
        assert 100 <= rs.cpu <= 1000 and 100_000_000 <= rs.memory <= 1_000_000_000
        assert 1 <= rs.priority <= 4 and rs.name.endswith(f"-p{rs.priority}")
    assert all(p.node is None for p in pods)
    assert cluster.config == "nodes16_pods128_prio4_util090"


@pytest.mark.parametrize("util", GRID["util"])
@pytest.mark.parametrize("seed", [1, 99, 2**62 + 5])
def test_sizing_rule(seed, util):
    """cap = max(largest request, ceil(ceil(total / U) / N)) per resource."""
    cluster = kwok_cluster(seed, 4, 8, 2, util)
    pods = cluster.pods
    node = cluster.nodes[0]
    for requests, capacity in (([p.cpu for p in pods], node.cpu), ([p.memory for p in pods], node.memory)):
        total = math.ceil(sum(requests) / util)
        assert capacity == max(max(requests), math.ceil(total / 4))
        assert capacity >= max(requests)  # every pod fits a node alone
        assert 4 * capacity >= sum(requests) / util - 1e-6


def test_sizing_rule_by_hand():
    assert node_capacity([100, 300, 1000], 0.95, 2) == 1000  # ceil(1400 / 0.95) = 1474, / 2 -> 737 < 1000
    assert node_capacity([100, 300, 1000], 0.95, 1) == 1474
    assert node_capacity([500, 500, 500, 500], 1.0, 4) == 500
    assert node_capacity([500, 500, 500, 500], 0.9, 3) == 741  # ceil(2000 / 0.9) = 2223, / 3 -> 741


def test_replicaset_sizes_cover_the_pods():
    rng = seeded_random(3, "rs-sizes")
    sizes = replicaset_sizes(rng, 37, 1, 4)
    assert sum(sizes) == 37 and all(1 <= s <= 4 for s in sizes)


def test_seed_derivation_is_blake2b_of_the_seed_and_labels():
    import hashlib

    digest = hashlib.blake2b(digest_size=16)
    digest.update((5).to_bytes(16, "big"))
    digest.update(b"\x00rs-cpu")
    assert derive_seed(5, "rs-cpu") == int.from_bytes(digest.digest(), "big")
    assert derive_seed(5, "rs-cpu") != derive_seed(5, "rs-mem")


def test_regenerates_the_shared_scenarios(benchmarks):
    """Capacities and ReplicaSets (sizes, requests, priorities, names) of all 7 scenarios, from their seeds."""
    scenarios = json.loads((benchmarks / SCENARIOS).read_text())
    for scenario in scenarios:
        n = scenario["num_nodes"]
        per_node, k = scenario["num_pods"] // n, scenario["num_priorities"]
        cluster = kwok_cluster(scenario["seed"], n, per_node, k, scenario["util"])
        assert cluster.config == scenario["config"]
        assert [(nd.name, nd.cpu, nd.memory) for nd in cluster.nodes] == [
            (nd["name"], nd["cap_cpu_m"], nd["cap_mem_bytes"]) for nd in scenario["nodes"]
        ]
        expected: dict[str, list[int]] = {}
        for pod in scenario["pods"]:
            expected.setdefault(pod["replicaset"], [0, pod["cpu_m"], pod["mem_bytes"], pod["priority"]])[0] += 1
        got = {rs.name: [rs.replicas, rs.cpu, rs.memory, rs.priority] for rs in cluster.replicasets}
        assert got == expected


def test_problem_of_a_generated_cluster():
    problem = kwok_podpack(11, 4, 4, 2, 1.05)
    assert problem.family == "podpack" and problem.num_tasks == 16
    assert problem.meta["generator"]["seed"] == 11
    assert all(t.reference is None for t in problem.tasks)


def test_grid_and_names():
    cells = list(grid())
    assert len(cells) == 5 * 2 * 3 * 4 and cells[0] == (4, 4, 1, 0.90)
    assert config_name(4, 16, 4, 0.95) == "nodes4_pods16_prio4_util095"
    assert config_name(64, 512, 1, 1.05) == "nodes64_pods512_prio1_util105"


@pytest.mark.parametrize(
    ("args", "pattern"),
    [((1, 0, 4, 1, 1.0), "num_nodes"), ((1, 4, 4, 1, 0.0), "util"), ((-1, 4, 4, 1, 1.0), "seed")],
)
def test_bad_arguments(args, pattern):
    with pytest.raises(ValueError, match=pattern):
        kwok_cluster(*args)
