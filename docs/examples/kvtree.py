"""KV-tree selection (ETS): keep frontier leaves of a reasoning tree, paying for their KV cache, rewarding diversity."""

import schedkit as sk
from schedkit.models.kvtree import TreeNode, ets_objective, kv_size

nodes = [
    TreeNode("root", None, 40),
    TreeNode("a", 0, 30),
    TreeNode("b", 0, 25),
    TreeNode("a1", 1, 20, score=0.35),
    TreeNode("a2", 1, 22, score=0.25),
    TreeNode("b1", 2, 18, score=0.30),
    TreeNode("b2", 2, 21, score=0.10),
]
leaves = [3, 4, 5, 6]
clusters = [[3, 4], [5, 6]]  # leaves with similar step embeddings
problem = sk.kvtree(nodes, leaves, clusters, lambda_c=1.0, lambda_s=0.5, name="small tree")

result = sk.solve(problem, time_limit=10)
assert result.status == sk.Status.OPTIMAL
assert sk.check(problem, result.solution) == []
# the IR objective is ETS's objective scaled to integers; report the real one
print(f"ETS objective {ets_objective(problem, result.solution):.4f}, KV size {kv_size(problem, result.solution)}")

certificate = sk.certify(problem, result.solution, time_limit=5)
print("proven optimal:", certificate.optimal)

print(result.solution.to_frame(problem)[["task", "present"]])
figure = sk.plot(problem, result.solution, "kvtree.png")  # kept leaves, needed ancestors, pruned leaves
