"""Job shop: build, solve, check, certify, tabulate and plot a 3 x 3 job shop."""

import schedkit as sk

# each job: its operations in order, as (machine, duration) pairs
problem = sk.jobshop(
    [
        [(0, 3), (1, 2), (2, 2)],
        [(0, 2), (2, 1), (1, 4)],
        [(1, 4), (2, 3), (0, 1)],
    ],
    name="three jobs",
)

result = sk.solve(problem, time_limit=10)
print(result)  # status, makespan, proven bound, gap, time
assert result.status == sk.Status.OPTIMAL

# solve() already ran the independent checker; run it again to see the verdict
assert sk.check(problem, result.solution) == []

# prove how good any schedule is: here a dispatch rule's
rule = sk.run_heuristic(problem, "mwkr")
certificate = sk.certify(problem, rule.solution, time_limit=5)
print(f"mwkr: makespan {rule.objective}, proven gap {certificate.gap:.1%}")

# the schedule as a table: one row per operation, with job, machine, start and end
print(result.solution.to_frame(problem))

# the Gantt chart, bars coloured by job; returns the matplotlib Figure
figure = sk.plot(problem, result.solution, "jobshop.png")
