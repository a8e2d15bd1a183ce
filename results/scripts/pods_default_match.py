"""How closely the emulated default kube-scheduler reproduces the recorded default placements of the shared scenarios.

Usage::

    python results/scripts/pods_default_match.py [--random-ties 50] [--out results/pods_default_match.txt]

Each of the 7 shared scenarios is regenerated from its seed (capacities and
ReplicaSets exactly), its ReplicaSets are fed to the emulation one after
another, and the result is compared with the recorded ``default_node``s:

* **counts**: pods placed per priority equal the recorded ``default_placed_by_priority``;
* **nodes**: the same multiset of nodes, each node read as the multiset of
  the ReplicaSets of its pods (the nodes are identical and replicas of a set
  are interchangeable, so this is the finest comparison the data allows);
* **pods**: the share of placed pods on a matching node under the best
  relabelling of the nodes (per node, the ReplicaSet counts in common).

Variants: the default emulation (ties by node name, preemption on, no
PodTopologySpread), with PodTopologySpread, without preemption, all pods at
once, and ``--random-ties`` runs with random tie-breaks (how often the counts
match).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
from collections import Counter
from typing import Any

from schedkit.heuristics.podpack import kube_default
from schedkit.instances import benchmarks_dir
from schedkit.instances.generators.podpack import kwok_cluster

SCENARIOS = "podpack/scenarios_nodes4_pods16_prio4_util095.json"
VARIANTS: dict[str, dict[str, Any]] = {
    "default (ties by name, preemption)": {},
    "+ PodTopologySpread": {"topology_spread": True},
    "no preemption": {"preemption": False},
    "all pods at once": {"arrivals": "all"},
}


def node_sets(assignments: dict[str, list[str]]) -> Counter[frozenset[tuple[str, int]]]:
    """The nodes as a multiset of ReplicaSet multisets."""
    return Counter(frozenset(Counter(sets).items()) for sets in assignments.values())


def pod_match(recorded: dict[str, list[str]], emulated: dict[str, list[str]]) -> tuple[int, int]:
    """(pods on a matching node under the best node relabelling, pods placed in the recording)."""
    names = list(recorded)
    best = 0
    for perm in itertools.permutations(list(emulated)):
        common = sum(sum((Counter(recorded[a]) & Counter(emulated[b])).values()) for a, b in zip(names, perm))
        best = max(best, common)
    return best, sum(len(v) for v in recorded.values())


def compare(scenario: dict[str, Any], **options: Any) -> dict[str, Any]:
    """Regenerate, emulate, compare one scenario."""
    n = scenario["num_nodes"]
    cluster = kwok_cluster(scenario["seed"], n, scenario["num_pods"] // n, scenario["num_priorities"], scenario["util"])
    pods = cluster.pods
    outcome = kube_default(cluster.nodes, pods, **options)
    placed = {str(p): c for p, c in outcome.placed_by_priority(pods).items()}
    recorded: dict[str, list[str]] = {node["name"]: [] for node in scenario["nodes"]}
    for pod in scenario["pods"]:
        if pod["default_node"]:
            recorded[pod["default_node"]].append(pod["replicaset"])
    emulated: dict[str, list[str]] = {node.name: [] for node in cluster.nodes}
    set_of = {pod.name: pod.replicaset for pod in pods}
    for name, node in outcome.placement.items():
        if node is not None:
            emulated[node].append(set_of[name])
    matched, total = pod_match(recorded, emulated)
    return {
        "counts": placed == scenario["reference"]["default_placed_by_priority"],
        "nodes": node_sets(recorded) == node_sets(emulated),
        "pods": (matched, total),
        "placed": placed,
    }


def main() -> None:
    """Print and write the match table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random-ties", type=int, default=50, help="runs with random tie-breaks per scenario")
    parser.add_argument("--out", default="results/pods_default_match.txt")
    args = parser.parse_args()
    root = benchmarks_dir()
    if root is None:
        raise SystemExit("the shared benchmark folder is needed (set SCHEDKIT_BENCHMARKS)")
    scenarios = json.loads((root / SCENARIOS).read_text())
    lines = [
        "Emulated default kube-scheduler vs the recorded default placements of the 7 shared scenarios",
        f"command: python results/scripts/pods_default_match.py --random-ties {args.random_ties}",
        "",
        f"{'variant':40} {'counts':>8} {'nodes':>8} {'pods':>12}",
    ]
    for label, options in VARIANTS.items():
        rows = [compare(s, **options) for s in scenarios]
        counts = sum(r["counts"] for r in rows)
        nodes = sum(r["nodes"] for r in rows)
        matched = sum(r["pods"][0] for r in rows)
        total = sum(r["pods"][1] for r in rows)
        lines.append(f"{label:40} {counts:>6}/7 {nodes:>6}/7 {100 * matched / total:>10.1f}%")
    lines += ["", "per scenario (default variant): seed, recorded placed, emulated placed, counts/nodes/pods match"]
    for scenario in scenarios:
        r = compare(scenario)
        recorded = scenario["reference"]["default_placed_by_priority"]
        lines.append(
            f"  {scenario['seed']:>20}  recorded {recorded}  emulated {r['placed']}  "
            f"{'yes' if r['counts'] else 'no'}/{'yes' if r['nodes'] else 'no'}/{r['pods'][0]}of{r['pods'][1]}"
        )
    if args.random_ties:
        lines += ["", f"random tie-breaks ({args.random_ties} runs per scenario): share of runs whose counts match"]
        for scenario in scenarios:
            hits = sum(compare(scenario, rng=random.Random(k))["counts"] for k in range(args.random_ties))
            lines.append(f"  {scenario['seed']:>20}  {100 * hits / args.random_ties:5.1f}%")
    text = "\n".join(lines)
    print(text)
    with open(args.out, "w") as handle:
        handle.write(text + "\n")


if __name__ == "__main__":
    main()
