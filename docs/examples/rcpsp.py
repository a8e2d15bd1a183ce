"""RCPSP: activities with precedences sharing renewable resources; minimise the makespan."""

import schedkit as sk
from schedkit.models.rcpsp import Activity

# activity: duration, demand on each of the two resources, successors (0-based)
activities = [
    Activity.single(0, [0, 0], [1, 2]),  # dummy start
    Activity.single(3, [2, 1], [3]),
    Activity.single(4, [1, 2], [3, 4]),
    Activity.single(2, [2, 0], [5]),
    Activity.single(3, [1, 1], [5]),
    Activity.single(0, [0, 0], []),  # dummy end
]
problem = sk.rcpsp(activities, capacities=[3, 2], name="small project")

result = sk.solve(problem, time_limit=10)
print(result)
assert result.status == sk.Status.OPTIMAL
assert sk.check(problem, result.solution) == []

# the serial schedule-generation scheme, then its certificate (critical path, energy, LP, CP-SAT)
rule = sk.run_heuristic(problem, "sgs_serial", priority="lft")
certificate = sk.certify(problem, rule.solution, time_limit=5)
for source in certificate.sources:
    print(f"{source.source:24} bound {source.bound}")

print(result.solution.to_frame(problem))
figure = sk.plot(problem, result.solution, "rcpsp.png")  # rows per resource lane, usage profiles beneath
