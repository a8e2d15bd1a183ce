"""Pod packing: place Kubernetes pods on nodes, highest priority first, disturbing running pods little."""

import schedkit as sk
from schedkit.models.podpack import Node, Pod, placement_of

gib = 1024**3
nodes = [Node("node0", cpu=2000, memory=4 * gib), Node("node1", cpu=2000, memory=4 * gib)]
pods = [
    Pod("web-0", 900, gib, priority=1, node="node0"),  # running
    Pod("web-1", 900, gib, priority=1, node="node1"),  # running
    Pod("db-0", 1500, 2 * gib, priority=2),  # pending, more important
]
problem = sk.podpack(nodes, pods, name="two nodes")

# lexicographic: pods placed per priority, then disruption of running pods
result = sk.solve(problem, time_limit=10)
print(result)
assert result.status == sk.Status.OPTIMAL
assert sk.check(problem, result.solution) == []
print(placement_of(problem, result.solution))  # pod -> node (None = pending)

certificate = sk.certify(problem, result.solution, time_limit=5)
print("every level proven optimal:", certificate.optimal)

print(result.solution.to_frame(problem)[["task", "location", "present"]])
figure = sk.plot(problem, result.solution, "podpack.png")  # cpu and memory per node, moves and evictions marked
