"""The workload generator of "Priority Matters" (arXiv 2511.08373): seeded KWOK scenarios.

Reimplemented from the description of the authors' ``test_runner.py`` (see
``../shared/benchmarks/podpack/README.md``); it regenerates the node
capacities and the ReplicaSets of the shared scenarios from their seeds
exactly. Per seed and configuration (N nodes, P = N x pods-per-node pods, K
priorities, target utilisation U):

* **random streams.** Every quantity has its own stream
  ``random.Random(derive_seed(seed, *labels))`` (Python's Mersenne Twister),
  where ``derive_seed`` is the 128-bit BLAKE2b digest of the seed as 16
  big-endian bytes followed, per label, by a zero byte and the label's text.
  Streams: ``"rs-sizes"``, ``"rs-cpu"``, ``"rs-mem"``, ``"base"`` (priorities);
* **ReplicaSets.** While pods remain, draw a size from ``[1, min(4, left)]``
  (``randint``); each set then draws cpu ``U{100..1000}`` m (stream rs-cpu,
  one draw per set in order), memory ``U{100e6..1e9}`` bytes (rs-mem) and
  priority ``U{1..K}`` (base). Names ``rs-<01>-p<priority>``; pods
  ``rs-<01>-p<priority>-<k>``, k = 1..size (the cluster's pod names carry a
  random suffix instead, which no seed reproduces);
* **node size** (homogeneous), per resource r with per-pod requests q:
  ``total = ceil(sum q / U)`` and ``cap = max(max q, ceil(total / N))``,
  computed in floating point exactly as the authors do (``sum q / U`` is a
  float division, then ``math.ceil``); nodes ``kwok-node-1 .. kwok-node-N``.

The grid of the paper is :data:`GRID`; :func:`config_name` gives the authors'
configuration label (``nodes4_pods16_prio4_util095``). Where the default
scheduler's placement is needed, run :func:`schedkit.heuristics.podpack.kube_default`
on the cluster (this package only builds data).

What cannot be regenerated: the default placement of a seed (it came from a
live kube-scheduler with random tie-breaks) and the pod-name suffixes; the
seed lists of the paper (for U = 0.90 / 0.95 the first 100 seeds of a master
list on which their deterministic scheduler left a pod pending) are not
public in the material we have, so studies draw their own seeds.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from schedkit.instances.generators._common import check_positive, check_range
from schedkit.models import ProblemData
from schedkit.models.podpack import Node, Pod, podpack

GRID: dict[str, tuple[Any, ...]] = {
    "nodes": (4, 8, 16, 32, 64),
    "pods_per_node": (4, 8),
    "priorities": (1, 2, 4),
    "util": (0.90, 0.95, 1.00, 1.05),
}
"""The paper's grid (64 nodes exist in its result folders, not in its text)."""

CPU_RANGE: tuple[int, int] = (100, 1000)
"""Millicores per pod (``cpu_per_pod`` of the authors' base.yaml)."""
MEMORY_RANGE: tuple[int, int] = (100_000_000, 1_000_000_000)
"""Bytes per pod (``mem_per_pod`` 100MB..1000MB, SI units)."""
REPLICA_RANGE: tuple[int, int] = (1, 4)
"""Pods per ReplicaSet."""


def derive_seed(base: int, *labels: object) -> int:
    """The 128-bit seed of one random stream: BLAKE2b-128 of ``base`` (16 bytes, big-endian) and the labels."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(int(base).to_bytes(16, "big", signed=False))
    for label in labels:
        digest.update(b"\x00")
        digest.update(str(label).encode("utf-8"))
    return int.from_bytes(digest.digest(), "big")


def seeded_random(base: int, *labels: object) -> random.Random:
    """The stream ``labels`` of seed ``base``."""
    return random.Random(derive_seed(base, *labels))


@dataclass(frozen=True)
class ReplicaSet:
    """A ReplicaSet: ``replicas`` identical pods sharing requests and priority."""

    name: str
    replicas: int
    cpu: int
    memory: int
    priority: int


@dataclass(frozen=True)
class Cluster:
    """A generated cluster: identical nodes and ReplicaSets in creation order, all pods pending.

    ``params`` records the seed and the configuration.
    """

    nodes: tuple[Node, ...]
    replicasets: tuple[ReplicaSet, ...]
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def pods(self) -> list[Pod]:
        """The pods, ReplicaSet by ReplicaSet in creation order (the order they reach the scheduler)."""
        return [
            Pod(f"{rs.name}-{k}", rs.cpu, rs.memory, rs.priority, replicaset=rs.name)
            for rs in self.replicasets
            for k in range(1, rs.replicas + 1)
        ]

    @property
    def config(self) -> str:
        """The authors' configuration label, e.g. ``nodes4_pods16_prio4_util095``."""
        p = self.params
        return config_name(p["num_nodes"], p["num_pods"], p["num_priorities"], p["util"])


def config_name(num_nodes: int, num_pods: int, num_priorities: int, util: float) -> str:
    """``nodes<N>_pods<P>_prio<K>_util<100U, 3 digits>`` (the authors' folder names)."""
    return f"nodes{num_nodes}_pods{num_pods}_prio{num_priorities}_util{round(util * 100):03d}"


def replicaset_sizes(rng: random.Random, num_pods: int, low: int, high: int) -> list[int]:
    """Split ``num_pods`` into set sizes: draw from ``[min(low, high_now), high_now]``, ``high_now = min(high, left)``.

    When at most ``high`` pods are left the lower end drops to 1 (the authors' rule).
    """
    sizes = []
    left = num_pods
    while left > 0:
        high_now = min(high, left)
        low_now = 1 if left <= high else min(low, high_now)
        size = rng.randint(low_now, high_now)
        sizes.append(size)
        left -= size
    return sizes


def node_capacity(requests: Sequence[int], util: float, num_nodes: int) -> int:
    """Per-node capacity of one resource: ``max(max q, ceil(ceil(sum q / U) / N))`` in floating point."""
    total = int(math.ceil(sum(requests) / max(1e-9, float(util))))
    return max(max(requests), int(math.ceil(total / num_nodes)))


def kwok_cluster(
    seed: int,
    num_nodes: int,
    pods_per_node: int,
    num_priorities: int,
    util: float,
    *,
    replicas: Sequence[int] = REPLICA_RANGE,
    cpu: Sequence[int] = CPU_RANGE,
    memory: Sequence[int] = MEMORY_RANGE,
) -> Cluster:
    """The cluster of ``seed`` in one configuration (see the module docstring); pods pending."""
    check_positive("num_nodes", num_nodes)
    check_positive("pods_per_node", pods_per_node)
    check_positive("num_priorities", num_priorities)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0 or seed >= 2**128:
        raise ValueError(f"seed must be an integer in [0, 2^128), got {seed!r}")
    if not float(util) > 0:
        raise ValueError(f"util must be > 0, got {util!r}")
    replica_low, replica_high = check_range("replicas", replicas, minimum=1)
    cpu_low, cpu_high = check_range("cpu", cpu)
    mem_low, mem_high = check_range("memory", memory)
    num_pods = num_nodes * pods_per_node
    # K is drawn from [K, K] on its own stream in the authors' code: always K.
    k = seeded_random(seed, "num_priorities", num_priorities, num_priorities).randint(num_priorities, num_priorities)
    sizes = replicaset_sizes(seeded_random(seed, "rs-sizes"), num_pods, replica_low, replica_high)
    cpu_rng, mem_rng = seeded_random(seed, "rs-cpu"), seeded_random(seed, "rs-mem")
    cpus = [cpu_rng.randint(cpu_low, cpu_high) for _ in sizes]
    mems = [mem_rng.randint(mem_low, mem_high) for _ in sizes]
    base = seeded_random(seed, "base")
    priorities = [base.randint(1, max(1, k)) for _ in sizes]
    sets = tuple(
        ReplicaSet(f"rs-{i + 1:02d}-p{p}", size, c, m, p)
        for i, (size, c, m, p) in enumerate(zip(sizes, cpus, mems, priorities))
    )
    cpu_parts = [rs.cpu for rs in sets for _ in range(rs.replicas)]
    mem_parts = [rs.memory for rs in sets for _ in range(rs.replicas)]
    node_cpu = node_capacity(cpu_parts, util, num_nodes)
    node_mem = node_capacity(mem_parts, util, num_nodes)
    nodes = tuple(Node(f"kwok-node-{j}", node_cpu, node_mem) for j in range(1, num_nodes + 1))
    params = {
        "seed": seed,
        "num_nodes": num_nodes,
        "pods_per_node": pods_per_node,
        "num_pods": num_pods,
        "num_priorities": num_priorities,
        "util": float(util),
    }
    return Cluster(nodes, sets, params)


def kwok_podpack(seed: int, num_nodes: int, pods_per_node: int, num_priorities: int, util: float) -> ProblemData:
    """The pod-packing problem of a generated cluster with every pod pending (nothing runs yet)."""
    cluster = kwok_cluster(seed, num_nodes, pods_per_node, num_priorities, util)
    problem = podpack(cluster.nodes, cluster.pods, name=f"{cluster.config}_seed{seed}")
    problem.meta["generator"] = {"name": "kwok_cluster", **cluster.params}
    return problem


def grid(
    nodes: Sequence[int] = GRID["nodes"],
    pods_per_node: Sequence[int] = GRID["pods_per_node"],
    priorities: Sequence[int] = GRID["priorities"],
    util: Sequence[float] = GRID["util"],
) -> Iterator[tuple[int, int, int, float]]:
    """The configurations ``(nodes, pods_per_node, priorities, util)`` of a grid, nodes varying slowest."""
    for n in nodes:
        for ppn in pods_per_node:
            for k in priorities:
                for u in util:
                    yield n, ppn, k, u
