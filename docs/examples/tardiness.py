"""Single-machine weighted tardiness: sequence jobs to minimise the weighted time past their due dates."""

import schedkit as sk

problem = sk.tardiness(
    processing_times=[4, 2, 6, 3, 5],
    due_dates=[5, 3, 12, 8, 10],
    weights=[2, 1, 3, 1, 2],
    name="five jobs",
)

result = sk.solve(problem, time_limit=10)
print(result)
assert result.status == sk.Status.OPTIMAL
assert sk.check(problem, result.solution) == []

# the EDD-based challenger and its proven gap (the exact tardiness method is one of the bound sources)
rule = sk.run_heuristic(problem, "eddc")
certificate = sk.certify(problem, rule.solution, time_limit=5)
print(f"eddc: {rule.objective}, optimum proven {certificate.lower_bound} by {certificate.bound_source}")

print(result.solution.to_frame(problem))
figure = sk.plot(problem, result.solution, "tardiness.png")  # due dates marked, late jobs outlined
